"""Live meetings: join code, settings and progress; participants' token digests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'live_meetings',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('join_code', sa.String(length=20), nullable=False),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('current_option_id', sa.Integer(), nullable=True),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['current_option_id'], ['options.id'], name=op.f('fk_live_meetings_current_option_id_options'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_meetings_meeting_id_meetings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_live_meetings')),
    )
    op.create_table(
        'meeting_tokens',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_tokens_meeting_id_meetings'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_meeting_tokens_participant_id_participants'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', 'participant_id', name=op.f('pk_meeting_tokens')),
        sa.UniqueConstraint('digest', name=op.f('uq_meeting_tokens_digest')),
    )


def downgrade() -> None:
    op.drop_table('meeting_tokens')
    op.drop_table('live_meetings')
