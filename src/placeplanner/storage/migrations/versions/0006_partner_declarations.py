"""Declarations of interest in a partner (covering every option it leads) as well as in an option

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite cannot loosen a NOT NULL or add a constraint in place, so the table is copied the way
# its documentation describes (alembic's batch mode trips over the column 0005 appended).
COMMON = ('id', 'participant_id', 'option_id', 'interest', 'action', 'declared_on', 'reason')


def _declarations(name: str, *, with_partner: bool) -> None:
    columns: list[sa.schema.SchemaItem] = [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('option_id', sa.Integer(), nullable=with_partner),
        sa.Column('interest', sa.Text(), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('declared_on', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.ForeignKeyConstraint(['option_id'], ['options.id'], name=op.f('fk_declarations_option_id_options'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_declarations_participant_id_participants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_declarations')),
        sa.UniqueConstraint('participant_id', 'option_id', name=op.f('uq_declarations_participant_id')),
    ]
    if with_partner:
        columns += [
            sa.Column('partner_id', sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_declarations_partner_id_partners'), ondelete='CASCADE'),
            sa.UniqueConstraint('participant_id', 'partner_id', name=op.f('uq_declarations_participant_id_partner_id')),
            sa.CheckConstraint('(option_id IS NULL) <> (partner_id IS NULL)', name=op.f('ck_declarations_option_or_partner')),
        ]
    op.create_table(name, *columns)


def _copy(*, with_partner: bool) -> None:
    _declarations('declarations_copy', with_partner=with_partner)
    kept = ', '.join(COMMON)
    op.execute(f'INSERT INTO declarations_copy ({kept}) SELECT {kept} FROM declarations')
    op.drop_table('declarations')
    op.rename_table('declarations_copy', 'declarations')


def upgrade() -> None:
    _copy(with_partner=True)


def downgrade() -> None:
    op.execute('DELETE FROM declarations WHERE option_id IS NULL')
    _copy(with_partner=False)
