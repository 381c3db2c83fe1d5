"""Conflicts of interest, applied wherever a judgement is made.

A declared interest counts as a conflict unless the chair allowed the person to take part. Under
the plan's strict policy ("recuse") a conflicted participant's scores for that option reach no
mean, spread or distribution; under the permissive one ("flag") they count but are marked. Each
option's unconflicted scorers are counted against the plan's quorum."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from placeplanner.meeting.tally import FLAG
from placeplanner.model import DeclarationAction, PlanData, interests

if TYPE_CHECKING:
    import pandas as pd

ACTION_WORDS = {
    DeclarationAction.NONE: "none recorded",
    DeclarationAction.RECUSED: "recused: did not score",
    DeclarationAction.ALLOWED: "allowed to take part",
    DeclarationAction.LEFT_ROOM: "left the room",
}


def conflicted_pairs(plan: PlanData) -> frozenset[tuple[str, str]]:
    """(participant, option) for each declared interest the chair did not allow; an interest in
    a partner covers every option it leads (see ``model.interests``)."""
    return interests.conflicted_pairs(plan.declarations, interests.lead_partners(plan.options))


def counted_scores(frame: pd.DataFrame, plan: PlanData, policy: str | None = None) -> pd.DataFrame:
    """The individual scores that count under ``policy`` (default: the plan's): under "recuse",
    without those of conflicted participants for the option they declared."""
    pairs = conflicted_pairs(plan)
    if (policy or plan.info.conflict_policy) == FLAG or not pairs or frame.empty:
        return frame
    keys = list(zip(frame["participant"].astype(str), frame["option"].astype(str), strict=True))
    return frame[[key not in pairs for key in keys]]


@dataclass(frozen=True, slots=True)
class ScorerCount:
    option: str
    unconflicted: int  # participants without a conflict who scored the option
    conflicted: int  # participants with a conflict who scored it anyway (counted only under "flag")
    quorum: int

    @property
    def below_quorum(self) -> bool:
        return self.unconflicted < self.quorum

    def words(self) -> str:
        count = f"{self.unconflicted} unconflicted scorer{'s' * (self.unconflicted != 1)}"
        if self.below_quorum:
            return f"{count}: below the quorum of {self.quorum}"
        return f"{count} (quorum {self.quorum})"


def scorer_count(plan: PlanData, option: str, scorers: Iterable[str]) -> ScorerCount:
    """One option's count, from the participants who scored it."""
    pairs = conflicted_pairs(plan)
    names = set(scorers)
    conflicted = {name for name in names if (name, option) in pairs}
    return ScorerCount(option, len(names - conflicted), len(conflicted), plan.info.quorum)


def scorer_counts(plan: PlanData, scorers: Iterable[tuple[str, str]]) -> dict[str, ScorerCount]:
    """Every option's scorers; ``scorers`` is each (participant, option) that has a score."""
    pairs = conflicted_pairs(plan)
    by_option: dict[str, tuple[set[str], set[str]]] = {o.name: (set(), set()) for o in plan.options}
    for participant, option in scorers:
        if option in by_option:
            by_option[option][(participant, option) in pairs].add(participant)
    quorum = plan.info.quorum
    return {option: ScorerCount(option, len(clean), len(conflicted), quorum)
            for option, (clean, conflicted) in by_option.items()}


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """One row of the register of interests, as a board expects it."""

    participant: str
    organisation: str
    role: str
    about: str  # the option, or "All options led by <partner>"
    lead_partner: str
    interest: str
    declared_on: date | None
    action: str
    reason: str
    conflict: bool  # anything but an explicit "allowed" keeps their scores out (or flagged)
    covers: tuple[str, ...]  # the options the interest is in: the one named, or every one the partner leads
    in_partner: bool  # declared in a partner rather than in one option


def register(plan: PlanData) -> list[RegisterLine]:
    """One line a declaration; an interest in a partner reads 'All options led by <partner>'."""
    people = {p.name: p for p in plan.participants}
    leads = interests.lead_partners(plan.options)
    lines = []
    for d in sorted(plan.declarations, key=lambda d: (d.participant, d.option or d.partner, bool(d.partner))):
        person = people.get(d.participant)
        lines.append(RegisterLine(
            d.participant, person.organisation if person else "", person.role if person else "",
            d.about, leads.get(d.option, "") if d.option else d.partner,
            d.interest, d.declared_on, ACTION_WORDS[d.action], d.reason, d.action != DeclarationAction.ALLOWED,
            interests.covered_options(d, leads), bool(d.partner),
        ))
    return lines


REGISTER_COLUMNS = ("Participant", "Organisation", "Role", "Interest in", "Lead partner", "Interest declared",
                    "Declared on", "Action taken", "Reason", "Options covered")


def register_rows(lines: Iterable[RegisterLine]) -> list[tuple[str, ...]]:
    return [(r.participant, r.organisation, r.role, r.about, r.lead_partner, r.interest,
             r.declared_on.isoformat() if r.declared_on else "", r.action, r.reason, "; ".join(r.covers)) for r in lines]
