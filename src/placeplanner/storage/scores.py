"""Individual scores in bulk: tens of thousands of rows move as DataFrames, not records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from placeplanner.storage import orm

if TYPE_CHECKING:
    import pandas as pd

SCORE_COLUMNS = ["meeting", "participant", "option", "value", "score", "confidence", "comment", "scored_at"]
_KEY = ["meeting_id", "participant_id", "option_id", "value_id"]
_FIELDS = ["score", "confidence", "comment", "scored_at"]
_BATCH = 20_000


def name_ids(session: Session, model: type[Any]) -> dict[str, int]:
    return {name: id_ for id_, name in session.execute(select(model.id, model.name))}


def read_scores_frame(session: Session, meeting: str | None = None) -> pd.DataFrame:
    """All individual scores (or one meeting's) with names in place of keys."""
    import pandas as pd

    s, m, p, o, v = orm.IndividualScoreRow, orm.MeetingRow, orm.ParticipantRow, orm.OptionRow, orm.ValueRow
    query = (
        select(m.name, p.name, o.name, v.name, s.score, s.confidence, s.comment, s.scored_at)
        .join(m, s.meeting_id == m.id).join(p, s.participant_id == p.id)
        .join(o, s.option_id == o.id).join(v, s.value_id == v.id)
        .order_by(s.id)
    )
    if meeting is not None:
        query = query.where(m.name == meeting)
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def upsert_scores(session: Session, frame: pd.DataFrame) -> int:
    """Insert scores, replacing any earlier score for the same meeting, participant, option and value.

    ``frame`` has the key columns (``meeting_id`` ...) and the score fields. The statement is
    chosen for the dialect, so the same code serves SQLite files and later a shared PostgreSQL plan.
    """
    if frame.empty:
        return 0
    dialect = session.get_bind().dialect.name
    insert: Any = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    statement = insert(orm.IndividualScoreRow)
    statement = statement.on_conflict_do_update(
        index_elements=_KEY,
        set_={c: statement.excluded[c] for c in _FIELDS},
    )
    columns = _KEY + _FIELDS
    for start in range(0, len(frame), _BATCH):
        batch = frame.iloc[start:start + _BATCH][columns].astype(object)
        batch = batch.where(batch.notna(), None)
        session.execute(statement, [{str(k): v for k, v in r.items()} for r in batch.to_dict("records")])
    return len(frame)
