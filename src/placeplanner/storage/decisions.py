"""Decisions: what the partners decided, recorded against the stored result it adopted.

A decision and its result never change once written (schema 0005 has triggers to that effect),
so the decision record can always be re-derived from what the plan file holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplanner.errors import Problem, ValidationError
from placeplanner.storage import audit, orm

TITLE_CHARS = 300
RATIONALE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    title: str
    result_id: int
    meeting: str | None
    scenario: str  # "" for the plan as it stood
    decided_at: datetime
    decided_by: str
    rationale: str
    option_notes: dict[str, str] = field(default_factory=dict)
    # Whether the plan had changed since the adopted result was computed (None: decided before
    # PlacePlanner recorded it), and what had changed, in words, newest last.
    stale_when_adopted: bool | None = None
    changes_when_adopted: tuple[str, ...] = ()


def check_words(session: Session, *, title: str, rationale: str, meeting: str | None) -> list[Problem]:
    """What is wrong with a decision's title, rationale and meeting, before any result exists."""
    problems = []
    title, rationale = title.strip(), rationale.strip()
    if not title:
        problems.append(Problem("title", "is empty: say what was decided, e.g. 'Portfolio for 2027/28'"))
    elif len(title) > TITLE_CHARS:
        problems.append(Problem("title", f"is longer than {TITLE_CHARS} characters"))
    if not rationale:
        problems.append(Problem("rationale", "is empty: a decision on the record says why"))
    elif len(rationale) > RATIONALE_CHARS:
        problems.append(Problem("rationale", f"is longer than {RATIONALE_CHARS:,} characters"))
    if meeting and session.scalar(select(orm.MeetingRow.id).where(orm.MeetingRow.name == meeting)) is None:
        names = ", ".join(session.scalars(select(orm.MeetingRow.name).order_by(orm.MeetingRow.name))) or "none yet"
        problems.append(Problem("meeting", f"'{meeting}' is not in the plan (meetings: {names})"))
    return problems


def record(session: Session, *, actor: str, result_id: int, title: str, rationale: str,
           meeting: str | None = None, option_notes: dict[str, str] | None = None,
           stale: bool | None = None, changes: tuple[str, ...] = ()) -> int:
    """Add a decision in the caller's transaction (audited with it); ValidationError names what
    is wrong and nothing is written."""
    problems = []
    result = session.get(orm.ResultRow, result_id)
    if result is None:
        problems.append(Problem("result", f"there is no stored result {result_id}"))
    elif result.result.get("status") not in {"optimal", "feasible"}:
        # A run stopped by its time limit may not come out the same when re-solved, and a
        # decision must always re-derive.
        problems.append(Problem("result", f"result {result_id} cannot be adopted: its status is "
                                          f"'{result.result.get('status')}', not optimal or within its gap"))
    problems += check_words(session, title=title, rationale=rationale, meeting=meeting)
    title, rationale = title.strip(), rationale.strip()
    meeting_id = session.scalar(select(orm.MeetingRow.id).where(orm.MeetingRow.name == meeting)) if meeting else None
    notes = {str(k): str(v).strip() for k, v in (option_notes or {}).items() if str(v).strip()}
    if result is not None:
        funded = {s["name"] for s in result.result.get("selected", [])}
        snapshot = {o["name"] for o in result.inputs.get("snapshot", {}).get("options", [])}
        unknown = sorted(set(notes) - snapshot - funded)
        if unknown:
            problems.append(Problem("option notes", f"name options the result does not hold: {', '.join(unknown)}"))
    if problems:
        raise ValidationError(problems)
    row = orm.DecisionRow(result_id=result_id, meeting_id=meeting_id, title=title, rationale=rationale,
                          option_notes=notes, decided_at=datetime.now(), decided_by=actor,
                          stale_when_adopted=stale, changes_when_adopted=list(changes) if stale else None)
    session.add(row)
    session.flush()
    after: dict[str, object] = {"title": title, "result": result_id, "meeting": meeting, "rationale": rationale,
                                "option_notes": notes}
    if stale is not None:
        after["stale_when_adopted"] = stale
    if stale:
        after["changes_when_adopted"] = list(changes)
    audit.append(session, actor=actor, action="decide", entity="decisions", entity_key=str(row.id), after=after)
    return int(row.id)


def read_all(session: Session) -> list[Decision]:
    rows = session.scalars(select(orm.DecisionRow).order_by(orm.DecisionRow.id))
    decisions = []
    for row in rows:
        scenario = row.result.result.get("scenario", "") if row.result is not None else ""
        decisions.append(Decision(
            id=row.id, title=row.title, result_id=row.result_id,
            meeting=row.meeting.name if row.meeting is not None else None, scenario=str(scenario or ""),
            decided_at=row.decided_at, decided_by=row.decided_by, rationale=row.rationale,
            option_notes=dict(row.option_notes or {}), stale_when_adopted=row.stale_when_adopted,
            changes_when_adopted=tuple(str(c) for c in row.changes_when_adopted or ()),
        ))
    return decisions
