"""The audit chain's head: entry count, last id and last hash, so removing the last entries shows

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = '0' * 64


def upgrade() -> None:
    # A file taken back to an older schema by hand (as a test does) may still hold the table;
    # the head is always worked out afresh from the log below.
    op.execute('DROP TABLE IF EXISTS audit_head')
    op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entries', sa.Integer(), nullable=False),
        sa.Column('last_id', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head')),
    )
    # An existing plan's head is its log as it stands.
    op.execute(sa.text(
        'INSERT INTO audit_head (id, entries, last_id, last_hash) '
        'SELECT 1, count(*), coalesce(max(id), 0), '
        'coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), :genesis) FROM audit_log'
    ).bindparams(genesis=GENESIS))


def downgrade() -> None:
    op.drop_table('audit_head')
