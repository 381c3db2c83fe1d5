"""The room's part of the decision record: who was there, their declared interests, the values
and weights, and each option's scores under the conflict policy (anonymised by default)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from placeplanner.errors import Problem, ValidationError
from placeplanner.meeting.tally import POLICIES, Mark, OptionTally, tally_option
from placeplanner.model import PlanData
from placeplanner.reports.record import (
    AgreedEntry,
    Attendee,
    MeetingFacts,
    OptionScores,
    ValueDistribution,
    ValueEntry,
)
from placeplanner.service.conflicts import RegisterLine, register
from placeplanner.service.plan_service import PlanService

if TYPE_CHECKING:
    import pandas as pd

    from placeplanner.engine.snapshot import EngineInput

@dataclass(frozen=True, slots=True)
class Room:
    attendees: tuple[Attendee, ...]
    attendance_source: str
    policy: str
    declarations: tuple[RegisterLine, ...]
    scores: tuple[OptionScores, ...]


def meeting_facts(plan: PlanData, name: str | None) -> MeetingFacts | None:
    """The meeting by name; a name not in the plan is refused, listing those there are."""
    if name is None:
        return None
    found = next((m for m in plan.meetings if m.name == name), None)
    if found is None:
        names = ", ".join(f"'{m.name}'" for m in plan.meetings) or "none yet"
        raise ValidationError([Problem("--meeting", f"'{name}' is not a meeting in the plan (meetings: {names})")])
    return MeetingFacts(found.name, found.held_on, found.status, found.notes)


def read_room(service: PlanService, plan: PlanData, meeting: str | None, *, anonymise: bool = True) -> Room:
    settings = opened_settings(service, meeting) if meeting else None
    policy = str(settings.get("policy", "")) if settings else ""
    policy = policy if policy in POLICIES else plan.info.conflict_policy
    frame = latest_scores(service.scores_frame(meeting))
    people = {p.name: p for p in plan.participants}
    if settings and settings.get("attendees"):
        names = [str(n) for n in settings["attendees"]]
        source = "the attendance list the facilitator set when the meeting opened"
    elif meeting:
        scored = set(frame["participant"].astype(str)) if not frame.empty else set()
        names = [p.name for p in plan.participants if p.name in scored]
        source = "the participants who scored in the meeting"
    else:
        names = [p.name for p in plan.participants]
        source = "every participant in the plan (no meeting was chosen)"
    attendees = tuple(
        Attendee(n, people[n].organisation if n in people else "", people[n].role if n in people else "") for n in names
    )
    return Room(attendees, source, policy, tuple(register(plan)),
                option_scores(plan, frame, policy=policy, anonymise=anonymise))


def opened_settings(service: PlanService, meeting: str) -> dict[str, Any] | None:
    """The settings (attendees, agenda, policy) the facilitator last opened the meeting with, as
    the audit trail holds them: a live meeting's own row is removed when it closes."""
    from placeplanner.storage import audit

    with service.plan_file.reading() as session:
        entries = audit.read_log(session, entities=["meetings"], actions=["open"])
    for entry in reversed(entries):
        if entry.entity_key == meeting and isinstance(entry.after, dict):
            settings = entry.after.get("settings")
            if isinstance(settings, dict):
                return settings
    return None


def conflicted_by_option(plan: PlanData) -> dict[str, frozenset[str]]:
    """Participants with a conflict in each option (a declared interest the chair did not allow)."""
    from placeplanner.service.conflicts import conflicted_pairs

    found: dict[str, set[str]] = {}
    for participant, option in conflicted_pairs(plan):
        found.setdefault(option, set()).add(participant)
    return {option: frozenset(names) for option, names in found.items()}


def latest_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """One score per participant, option and value: across meetings, the latest given."""
    if frame.empty:
        return frame
    ordered = frame.sort_values("scored_at", kind="stable")
    return ordered.drop_duplicates(["participant", "option", "value"], keep="last")


def option_scores(plan: PlanData, frame: pd.DataFrame, *, policy: str, anonymise: bool = True) -> tuple[OptionScores, ...]:
    """Each option scored individually, in the plan's order, tallied under the conflict policy."""
    if frame.empty:
        return ()
    scales = {v.name: (v.scale_min, v.scale_max) for v in plan.values}
    agreed = {(s.option, s.value): s.score for s in plan.agreed_scores}
    conflicted = conflicted_by_option(plan)
    by_option: dict[str, list[Mark]] = {}
    columns = [frame[c].astype(str).tolist() for c in ("option", "participant", "value")]
    # Plain lists: iterating pandas columns costs seconds on a plan's half a million scores.
    for option, participant, value, score, confidence, comment in zip(
        *columns, frame["score"].tolist(), frame["confidence"].tolist(), frame["comment"].tolist(), strict=True,
    ):
        by_option.setdefault(option, []).append(Mark(
            participant, value, _number(score), _number(confidence), str(comment or "")))
    out = []
    for option in (o.name for o in plan.options):
        marks = by_option.get(option)
        if not marks:
            continue
        scored = {m.value for m in marks}
        option_scales = {name: scale for name, scale in scales.items() if name in scored}
        declared = conflicted.get(option, frozenset())
        tally = tally_option(option, marks, scales=option_scales, conflicted=declared, policy=policy,
                             quorum=plan.info.quorum)
        names = {} if anonymise else _names_in_order(marks, declared, policy)
        out.append(_option_scores(tally, option_scales, agreed, len(declared), names))
    return tuple(out)


def _option_scores(tally: OptionTally, scales: dict[str, tuple[float, float]], agreed: dict[tuple[str, str], float],
                   declared: int, names: dict[str, tuple[str, ...]]) -> OptionScores:
    distributions = tuple(
        ValueDistribution(
            value=v.value, scores=v.scores, flagged=v.flagged, dont_know=v.dont_know, excluded=v.excluded,
            median=v.median, lower_quartile=v.lower_quartile, upper_quartile=v.upper_quartile, wide=v.wide,
            agreed=agreed.get((tally.option, v.value)), scale_min=scales[v.value][0], scale_max=scales[v.value][1],
            names=names.get(v.value, ()),
        )
        for v in tally.values
    )
    comments = tuple(c for v in tally.values for c in v.comments)
    return OptionScores(tally.option, distributions, tally.scorers, declared, tally.below_quorum,
                        round(tally.disagreement, 6), comments)


def _names_in_order(marks: Iterable[Mark], conflicted: frozenset[str], policy: str) -> dict[str, tuple[str, ...]]:
    """Who gave each counted score, in the tally's (ascending) order: only when not anonymised."""
    counted: dict[str, list[tuple[float, str]]] = {}
    for mark in marks:
        if mark.score is None or (mark.participant in conflicted and policy == "recuse"):
            continue
        counted.setdefault(mark.value, []).append((mark.score, mark.participant))
    return {value: tuple(name for _, name in sorted(pairs)) for value, pairs in counted.items()}


def value_entries(plan: PlanData, inp: EngineInput) -> tuple[ValueEntry, ...]:
    """The values the result was valued with, in its order, with the weights it used."""
    values = {v.name: v for v in plan.values}
    entries = []
    for name, points in zip(inp.value_names, inp.weights, strict=True):
        value = values.get(name)
        entries.append(ValueEntry(
            name=name, description=value.description if value else "",
            scale_min=value.scale_min if value else 0.0, scale_max=value.scale_max if value else 10.0,
            scale_points=tuple((p.point, p.label) for p in value.scale_points) if value else (),
            points=round(points, 6),
        ))
    return tuple(entries)


def agreed_entries(plan: PlanData, meeting: str | None) -> tuple[AgreedEntry, ...]:
    return tuple(
        AgreedEntry(s.option, s.value, s.score, s.rationale, s.meeting)
        for s in plan.agreed_scores if meeting is None or s.meeting == meeting
    )


def _number(cell: object) -> float | None:
    """A score or confidence from the frame; NaN (a "don't know") is None."""
    if cell is None:
        return None
    number = float(cell)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
