"""Decisions recorded against immutable results (triggers keep both unchanged); the reason a
declared interest was allowed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a result or a decision says may never change once written. Only the link the database
# itself loosens (a scenario removed: SET NULL on results) may be updated; a meeting a decision
# names cannot be removed (RESTRICT).
TRIGGERS = {
    'results_are_immutable':
        "BEFORE UPDATE OF created_at, solver, app_version, inputs, result ON results "
        "BEGIN SELECT RAISE(ABORT, 'a stored result cannot be changed'); END",
    'decisions_are_immutable':
        "BEFORE UPDATE OF result_id, title, rationale, option_notes, decided_at, decided_by ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'a recorded decision cannot be changed'); END",
    'decided_results_are_kept':
        "BEFORE DELETE ON results WHEN EXISTS (SELECT 1 FROM decisions WHERE result_id = OLD.id) "
        "BEGIN SELECT RAISE(ABORT, 'a result a decision adopted cannot be deleted'); END",
    'decisions_are_kept':
        "BEFORE DELETE ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'a recorded decision cannot be deleted'); END",
}


def upgrade() -> None:
    op.create_table(
        'decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('result_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('option_notes', sa.JSON(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['result_id'], ['results.id'], name=op.f('fk_decisions_result_id_results'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    )
    for name, body in TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {body}')
    with op.batch_alter_table('declarations') as batch:
        batch.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('declarations') as batch:
        batch.drop_column('reason')
    for name in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('decisions')
