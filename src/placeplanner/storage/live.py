"""A live meeting's rows: its progress, participants' token digests, rounds and scores.

Each function does one unit of work in its own transaction of the plan file, so whatever a
participant's page is told was saved is committed. Scores, declarations and each change of device
are audited with the participant as the one who made the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from placeplanner.model import DeclarationAction, WeightSetKind
from placeplanner.storage import audit, orm
from placeplanner.storage.planfile import PlanFile
from placeplanner.storage.scores import name_ids


@dataclass(frozen=True, slots=True)
class LiveState:
    meeting: str
    join_code: str
    settings: dict[str, Any]
    current_option: str | None
    stage: str
    resumed: bool  # the meeting was live before this opening (after a crash or a pause)


@dataclass(frozen=True, slots=True)
class StoredMark:
    participant: str
    value: str
    score: float | None
    confidence: float | None
    comment: str


@dataclass(frozen=True, slots=True)
class Submission:
    """One participant's scores for one option, as one unit to commit."""

    participant: str
    option: str
    scores: Sequence[tuple[str, float | None, float | None, str]]  # value, score, confidence, comment
    entered_by: str = ""  # the facilitator, when they typed the scores for the participant


def _meeting_id(session: Session, name: str) -> int:
    found = session.scalar(select(orm.MeetingRow.id).where(orm.MeetingRow.name == name))
    if found is None:
        raise KeyError(f"no meeting named {name!r}")
    return found


def open_live(plan: PlanFile, meeting: str, *, join_code: str, settings: dict[str, Any],
              actor: str) -> LiveState:
    """Start the meeting (creating its record if new) or resume it if it was left live."""
    with plan.transaction() as session:
        row = session.scalar(select(orm.MeetingRow).where(orm.MeetingRow.name == meeting))
        if row is None:
            row = orm.MeetingRow(name=meeting, held_on=date.today(), status="open", notes="")
            session.add(row)
            session.flush()
            audit.append(session, actor=actor, action="add", entity="meetings", entity_key=meeting,
                         after={"name": meeting, "status": "open"})
        live = session.get(orm.LiveMeetingRow, row.id)
        if live is not None:
            option = session.get(orm.OptionRow, live.current_option_id) if live.current_option_id else None
            return LiveState(meeting, live.join_code, dict(live.settings), option.name if option else None,
                             live.stage, resumed=True)
        if row.status != "open":
            row.status = "open"
        session.add(orm.LiveMeetingRow(meeting_id=row.id, join_code=join_code, settings=settings,
                                       current_option_id=None, stage="lobby"))
        audit.append(session, actor=actor, action="open", entity="meetings", entity_key=meeting,
                     after={"settings": settings})
    return LiveState(meeting, join_code, settings, None, "lobby", resumed=False)


def end_live(plan: PlanFile, meeting: str, *, actor: str) -> None:
    """The meeting is over: its tokens admit nobody, and it is marked closed."""
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        session.execute(delete(orm.MeetingTokenRow).where(orm.MeetingTokenRow.meeting_id == meeting_id))
        session.execute(delete(orm.LiveMeetingRow).where(orm.LiveMeetingRow.meeting_id == meeting_id))
        for round_row in session.scalars(select(orm.ScoringRoundRow).where(
                orm.ScoringRoundRow.meeting_id == meeting_id, orm.ScoringRoundRow.status == "open")):
            round_row.status = "closed"
            round_row.closed_at = datetime.now()
        row = session.get(orm.MeetingRow, meeting_id)
        assert row is not None
        row.status = "closed"
        audit.append(session, actor=actor, action="close", entity="meetings", entity_key=meeting)


def set_progress(plan: PlanFile, meeting: str, *, option: str | None, stage: str) -> None:
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        live = session.get(orm.LiveMeetingRow, meeting_id)
        assert live is not None, "set_progress on a meeting that is not live"
        live.current_option_id = name_ids(session, orm.OptionRow)[option] if option else None
        live.stage = stage


def set_round(plan: PlanFile, meeting: str, option: str, status: str, *, actor: str) -> None:
    """Open, close or reopen the round for ``option`` (one round per option per meeting)."""
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        option_id = name_ids(session, orm.OptionRow)[option]
        row = session.scalar(select(orm.ScoringRoundRow).where(
            orm.ScoringRoundRow.meeting_id == meeting_id, orm.ScoringRoundRow.option_id == option_id))
        now = datetime.now()
        before = None if row is None else row.status
        if row is None:
            row = orm.ScoringRoundRow(meeting_id=meeting_id, option_id=option_id)
            session.add(row)
        if before == status:
            return
        row.status = status
        if status == "open":
            row.opened_at, row.closed_at = now, None
        else:
            row.closed_at = now
        audit.append(session, actor=actor, action=status, entity="scoring_rounds",
                     entity_key=f"{meeting} / {option}", before=before and {"status": before},
                     after={"status": status})


def round_opened_at(plan: PlanFile, meeting: str, option: str) -> datetime | None:
    with plan.reading() as session:
        found: datetime | None = session.scalar(
            select(orm.ScoringRoundRow.opened_at)
            .join(orm.MeetingRow, orm.ScoringRoundRow.meeting_id == orm.MeetingRow.id)
            .join(orm.OptionRow, orm.ScoringRoundRow.option_id == orm.OptionRow.id)
            .where(orm.MeetingRow.name == meeting, orm.OptionRow.name == option))
        return found


def round_statuses(plan: PlanFile, meeting: str) -> dict[str, str]:
    with plan.reading() as session:
        rows = session.execute(
            select(orm.OptionRow.name, orm.ScoringRoundRow.status)
            .join(orm.ScoringRoundRow, orm.ScoringRoundRow.option_id == orm.OptionRow.id)
            .join(orm.MeetingRow, orm.ScoringRoundRow.meeting_id == orm.MeetingRow.id)
            .where(orm.MeetingRow.name == meeting)
        )
        return {str(key): str(value) for key, value in rows}


def save_token(plan: PlanFile, meeting: str, participant: str, digest: str, *,
               moved_from: datetime | None = None) -> datetime:
    """The participant's new token replaces any earlier one (a new phone, a cleared browser);
    returns when it was issued. ``moved_from`` (when the earlier token was issued) says the
    participant confirmed continuing on this device while another held their place: that change
    of device is audited under their name, in the same transaction."""
    now = datetime.now()
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        participant_id = name_ids(session, orm.ParticipantRow)[participant]
        statement = sqlite_insert(orm.MeetingTokenRow).values(
            meeting_id=meeting_id, participant_id=participant_id, digest=digest, issued_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=["meeting_id", "participant_id"],
            set_={"digest": statement.excluded.digest, "issued_at": statement.excluded.issued_at}))
        if moved_from is not None:
            audit.append(session, actor=participant, action="move device", entity="meeting_tokens",
                         entity_key=f"{meeting} / {participant}",
                         before={"device since": moved_from.isoformat(timespec="seconds")},
                         after={"device since": now.isoformat(timespec="seconds")})
    return now


def end_token(plan: PlanFile, meeting: str, participant: str, *, actor: str) -> None:
    """The facilitator ends the participant's place: their token admits nobody, and they join
    again with the code (the undo of a change of device the participant did not make)."""
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        participant_id = name_ids(session, orm.ParticipantRow)[participant]
        issued = session.scalar(select(orm.MeetingTokenRow.issued_at).where(
            orm.MeetingTokenRow.meeting_id == meeting_id, orm.MeetingTokenRow.participant_id == participant_id))
        if issued is None:
            return
        session.execute(delete(orm.MeetingTokenRow).where(
            orm.MeetingTokenRow.meeting_id == meeting_id, orm.MeetingTokenRow.participant_id == participant_id))
        audit.append(session, actor=actor, action="end place", entity="meeting_tokens",
                     entity_key=f"{meeting} / {participant}",
                     before={"device since": issued.isoformat(timespec="seconds")}, after=None)


def load_tokens(plan: PlanFile, meeting: str) -> dict[str, tuple[str, datetime]]:
    """Token digest -> (participant, when that token was issued), for a resumed meeting."""
    with plan.reading() as session:
        rows = session.execute(
            select(orm.MeetingTokenRow.digest, orm.ParticipantRow.name, orm.MeetingTokenRow.issued_at)
            .join(orm.ParticipantRow, orm.MeetingTokenRow.participant_id == orm.ParticipantRow.id)
            .join(orm.MeetingRow, orm.MeetingTokenRow.meeting_id == orm.MeetingRow.id)
            .where(orm.MeetingRow.name == meeting)
        )
        return {str(key): (str(name), issued) for key, name, issued in rows}


def save_submissions(plan: PlanFile, meeting: str, submissions: Sequence[Submission]) -> None:
    """Commit several participants' scores in one transaction (the server gathers those that
    arrive together), each replacing that participant's earlier score of the same value."""
    if not submissions:
        return
    with plan.transaction() as session:
        meeting_id = _meeting_id(session, meeting)
        participants = name_ids(session, orm.ParticipantRow)
        options = name_ids(session, orm.OptionRow)
        values = name_ids(session, orm.ValueRow)
        now = datetime.now()
        score = orm.IndividualScoreRow
        for submission in submissions:
            participant_id = participants[submission.participant]
            option_id = options[submission.option]
            earlier = {
                value_id: (s, c, note) for value_id, s, c, note in session.execute(
                    select(score.value_id, score.score, score.confidence, score.comment).where(
                        score.meeting_id == meeting_id, score.participant_id == participant_id,
                        score.option_id == option_id))
            }
            rows = [
                {"meeting_id": meeting_id, "participant_id": participant_id, "option_id": option_id,
                 "value_id": values[value], "score": s, "confidence": c, "comment": note, "scored_at": now}
                for value, s, c, note in submission.scores
            ]
            statement = sqlite_insert(score)
            session.execute(statement.on_conflict_do_update(
                index_elements=["meeting_id", "participant_id", "option_id", "value_id"],
                set_={c: statement.excluded[c] for c in ("score", "confidence", "comment", "scored_at")},
            ), rows)
            changes = []
            for value, s, c, note in submission.scores:
                before = earlier.get(values[value])
                after = (s, c, note)
                if before == after:
                    continue
                changes.append(audit.Change(
                    "score" if before is None else "rescore", "individual_scores",
                    f"{meeting} / {submission.participant} / {submission.option} / {value}",
                    before=None if before is None else dict(zip(("score", "confidence", "comment"), before, strict=True)),
                    after=dict(zip(("score", "confidence", "comment"), after, strict=True)),
                ))
            actor = (f"{submission.entered_by} for {submission.participant}" if submission.entered_by
                     else submission.participant)
            audit.append_many(session, actor, changes)


def read_marks(plan: PlanFile, meeting: str, option: str | None = None) -> list[tuple[str, StoredMark]]:
    """(option, mark) for every score in the meeting, or for one option's round."""
    s, p, o, v, m = (orm.IndividualScoreRow, orm.ParticipantRow, orm.OptionRow, orm.ValueRow,
                     orm.MeetingRow)
    query = (
        select(o.name, p.name, v.name, s.score, s.confidence, s.comment)
        .join(m, s.meeting_id == m.id).join(p, s.participant_id == p.id)
        .join(o, s.option_id == o.id).join(v, s.value_id == v.id)
        .where(m.name == meeting).order_by(s.id)
    )
    if option is not None:
        query = query.where(o.name == option)
    with plan.reading() as session:
        return [(opt, StoredMark(who, value, score, conf, note or ""))
                for opt, who, value, score, conf, note in session.execute(query)]


def declare(plan: PlanFile, participant: str, option: str, interest: str,
            action: DeclarationAction) -> None:
    """Record a participant's interest in an option, declared in the meeting."""
    with plan.transaction() as session:
        participant_id = name_ids(session, orm.ParticipantRow)[participant]
        option_id = name_ids(session, orm.OptionRow)[option]
        row = session.scalar(select(orm.DeclarationRow).where(
            orm.DeclarationRow.participant_id == participant_id, orm.DeclarationRow.option_id == option_id))
        before = None if row is None else {"interest": row.interest, "action": row.action}
        if row is None:
            row = orm.DeclarationRow(participant_id=participant_id, option_id=option_id)
            session.add(row)
        row.interest = interest
        row.action = action.value
        row.declared_on = date.today()
        audit.append(session, actor=participant, action="declare", entity="declarations",
                     entity_key=f"{participant} / {option}", before=before,
                     after={"interest": interest, "action": action.value})


def weight_set_name(meeting: str, participant: str) -> str:
    """A participant's weights from a meeting are kept as their own weight set under this name."""
    return f"{meeting}: {participant}"[:200]


def save_weights(plan: PlanFile, meeting: str, participant: str, weights: dict[str, float]) -> None:
    """The participant's weights from this meeting, replacing any they gave before."""
    name = weight_set_name(meeting, participant)
    with plan.transaction() as session:
        values = name_ids(session, orm.ValueRow)
        row = session.scalar(select(orm.WeightSetRow).where(orm.WeightSetRow.name == name))
        before = None
        if row is None:
            row = orm.WeightSetRow(name=name, kind=WeightSetKind.PARTICIPANT.value, owner=participant)
            session.add(row)
        else:
            before = {w.value.name: w.weight for w in row.weights}
            row.weights.clear()
            session.flush()
        row.weights.extend(orm.WeightRow(value_id=values[v], weight=w) for v, w in weights.items())
        audit.append(session, actor=participant, action="weigh", entity="weight_sets", entity_key=name,
                     before=before, after=weights)


def read_weights(plan: PlanFile, meeting: str) -> dict[str, dict[str, float]]:
    """participant -> their weights, for every participant who weighted in this meeting."""
    prefix = weight_set_name(meeting, "")
    with plan.reading() as session:
        rows = session.scalars(select(orm.WeightSetRow).where(
            orm.WeightSetRow.kind == WeightSetKind.PARTICIPANT.value, orm.WeightSetRow.name.startswith(prefix, autoescape=True)))
        return {row.owner: {w.value.name: w.weight for w in row.weights} for row in rows
                if row.name == weight_set_name(meeting, row.owner)}
