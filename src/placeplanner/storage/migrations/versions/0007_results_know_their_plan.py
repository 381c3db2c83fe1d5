"""Results record what they were computed on (the audit log's mark and the inputs' digest);
decisions record whether the result they adopted was stale, and what had changed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The new columns are as immutable as the rest of a result or a decision (see 0005).
TRIGGERS = {
    'results_are_immutable': (
        "BEFORE UPDATE OF created_at, solver, app_version, inputs, result{} ON results "
        "BEGIN SELECT RAISE(ABORT, 'a stored result cannot be changed'); END",
        ", plan_mark, input_digest"),
    'decisions_are_immutable': (
        "BEFORE UPDATE OF result_id, title, rationale, option_notes, decided_at, decided_by{} ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'a recorded decision cannot be changed'); END",
        ", stale_when_adopted, changes_when_adopted"),
}


def _triggers(*, with_new: bool) -> None:
    for name, (body, new) in TRIGGERS.items():
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute(f'CREATE TRIGGER {name} {body.format(new if with_new else "")}')


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: nullable columns need no copy of the table.
    op.add_column('results', sa.Column('plan_mark', sa.Integer(), nullable=True))
    op.add_column('results', sa.Column('input_digest', sa.String(length=64), nullable=True))
    op.add_column('decisions', sa.Column('stale_when_adopted', sa.Boolean(), nullable=True))
    op.add_column('decisions', sa.Column('changes_when_adopted', sa.JSON(), nullable=True))
    _triggers(with_new=True)


def downgrade() -> None:
    _triggers(with_new=False)
    op.drop_column('decisions', 'changes_when_adopted')
    op.drop_column('decisions', 'stale_when_adopted')
    op.drop_column('results', 'input_digest')
    op.drop_column('results', 'plan_mark')
