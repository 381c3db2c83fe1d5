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


def scorers_of(session: Session, option: str) -> list[str]:
    """The participants with at least one individual score for ``option``, in any meeting."""
    s, p, o = orm.IndividualScoreRow, orm.ParticipantRow, orm.OptionRow
    query = (select(p.name).distinct().join(s, s.participant_id == p.id).join(o, s.option_id == o.id)
             .where(o.name == option).order_by(p.name))
    return list(session.scalars(query))


def upsert_scores(session: Session, frame: pd.DataFrame) -> int:
    """Insert scores, replacing any earlier score for the same meeting, participant, option and value.

    ``frame`` has the key columns (``meeting_id`` ...) and the score fields. The statement is
    chosen for the dialect, so the same code serves SQLite files and later a shared PostgreSQL plan.
    Rows go through SQLAlchemy Core in batches: the ORM's per-row bookkeeping would triple the time.
    """
    if frame.empty:
        return 0
    connection = session.connection()
    insert: Any = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name]
    table = orm.IndividualScoreRow.__table__
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=_KEY, set_={c: statement.excluded[c] for c in _FIELDS}
    )
    # Compiled once for the dialect, then handed to the driver as plain tuples: SQLAlchemy's
    # per-row parameter handling would otherwise cost more than the database's own work.
    compiled = statement.compile(dialect=connection.dialect, column_keys=_KEY + _FIELDS)
    order = compiled.positiontup
    if order is None:  # a named paramstyle: fall back to dictionaries
        columns = _KEY + _FIELDS
        arrays = [_plain_values(frame[c]) for c in columns]
        rows: list[Any] = [dict(zip(columns, row, strict=True)) for row in zip(*arrays, strict=True)]
        connection.execute(statement, rows)
        return len(frame)
    arrays = [_plain_values(frame[c]) for c in order]
    sql = str(compiled)
    for start in range(0, len(frame), _BATCH):
        stop = start + _BATCH
        connection.exec_driver_sql(sql, list(zip(*(a[start:stop] for a in arrays), strict=True)))
    return len(frame)


def _plain_values(column: pd.Series) -> list[Any]:
    """Python values with None for missing, as the database driver wants them."""
    import pandas as pd

    missing = column.isna().to_numpy()
    if missing.all():
        return [None] * len(column)
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = column.dt.to_pydatetime()
        return [None if gap else stamp for stamp, gap in zip(stamps, missing, strict=True)]
    values = column.astype(object).tolist()
    return [None if gap else v for v, gap in zip(values, missing, strict=True)]
