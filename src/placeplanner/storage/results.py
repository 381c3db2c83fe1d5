"""What a stored result was computed on: the audit log's mark when the plan was read, and the
SHA-256 digest of its inputs (the same digest the board paper prints), so a result can say
whether the plan has changed since."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from placeplanner.storage import orm
from placeplanner.storage.audit import AuditEntry, read_head


@dataclass(frozen=True, slots=True)
class ResultMark:
    """A stored result's record of what it was computed on; ``plan_mark`` is None on results
    stored before schema 0007, whose digest is worked out from their stored inputs."""

    result_id: int
    plan_mark: int | None
    input_digest: str
    inputs: dict[str, Any] | None  # None: not read yet (``read_inputs``); most checks never need them
    result: dict[str, Any]  # what a check needs of the answer: its scenario and conflict policy
    scenario: str | None  # its scenario's name now ("" for the plan as it stood; None: removed since)


def inputs_digest(inputs: dict[str, Any]) -> str:
    """SHA-256 of a result's inputs (snapshot and solver settings) as canonical JSON."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def plan_mark(session: Session) -> int:
    """The audit log's last entry id: every change to the plan is an entry after it."""
    head = read_head(session)
    last = int(session.scalar(select(func.max(orm.AuditRow.id))) or 0)
    return max(last, head.last_id if head is not None else 0)


def read_mark(session: Session, result_id: int) -> ResultMark | None:
    """The mark without the stored inputs and answer: on a large plan those are megabytes of JSON
    whose parsing holds the interpreter for a tenth of a second, while a check after no change to
    the inputs needs only the mark (``read_inputs`` reads them when a check does need them)."""
    table = orm.ResultRow
    row = session.execute(
        select(table.id, table.scenario_id, table.plan_mark, table.input_digest,
               table.result["scenario"].as_string(), table.result["conflict_policy"].as_string())
        .where(table.id == result_id)).first()
    if row is None:
        return None
    found_id, scenario_id, plan_mark, digest, scenario_name, policy = row
    result = {k: v for k, v in (("scenario", scenario_name), ("conflict_policy", policy)) if v is not None}
    scenario: str | None = ""
    if scenario_id is not None:  # followed through renames
        found = session.get(orm.ScenarioRow, scenario_id)
        scenario = found.name if found is not None else None
    elif result.get("scenario"):
        scenario = None
    inputs = None if digest else read_inputs(session, result_id)  # stored before 0007: no digest kept
    return ResultMark(int(found_id), plan_mark, digest or inputs_digest(inputs or {}), inputs, result, scenario)


def read_inputs(session: Session, result_id: int) -> dict[str, Any]:
    """A stored result's inputs (its snapshot and solver settings)."""
    return dict(session.scalars(select(orm.ResultRow.inputs).where(orm.ResultRow.id == result_id)).one())


def entries_after(session: Session, mark: int) -> list[AuditEntry]:
    """The audit entries written after ``mark``, oldest first."""
    rows = session.scalars(select(orm.AuditRow).where(orm.AuditRow.id > mark).order_by(orm.AuditRow.id))
    return [AuditEntry(r.id, r.at, r.actor, r.action, r.entity, r.entity_key, r.before, r.after, r.hash) for r in rows]


def last_entry_of(session: Session, entities: Collection[str] | None = None) -> tuple[int, str]:
    """The id and hash of the latest audit entry (about any of ``entities``): with the hash, a plan
    restored from a backup, whose log may have reached the same id another way, does not pass
    for the same plan."""
    query = select(orm.AuditRow.id, orm.AuditRow.hash).order_by(orm.AuditRow.id.desc()).limit(1)
    if entities is not None:
        query = query.where(orm.AuditRow.entity.in_(list(entities)))
    row = session.execute(query).first()
    return (0, "") if row is None else (int(row[0]), str(row[1]))
