"""The room's scores for one option, as the facilitator reveals them, under the conflict policy."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

RECUSE = "recuse"  # a conflicted participant's scores are left out
FLAG = "flag"  # they count, and are marked
POLICIES = (RECUSE, FLAG)
# A spread is wide when the middle half of the room spans at least this share of the scale, or
# the whole room twice this share (one lone score far from the rest is worth talking about too).
WIDE_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Mark:
    """One participant's score of one value."""

    participant: str
    value: str
    score: float | None  # None is "don't know"
    confidence: float | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ValueTally:
    value: str
    scores: tuple[float, ...]  # the scores that count, ascending
    flagged: tuple[float, ...]  # scores from conflicted participants under the permissive policy
    dont_know: int
    excluded: int  # scores left out because their scorer is recused
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    wide: bool
    comments: tuple[str, ...]

    @property
    def spread(self) -> float:
        if self.lower_quartile is None or self.upper_quartile is None:
            return 0.0
        return self.upper_quartile - self.lower_quartile


@dataclass(frozen=True, slots=True)
class OptionTally:
    option: str
    values: tuple[ValueTally, ...]
    scorers: int  # unconflicted participants who scored at least one value
    quorum: int
    disagreement: float  # the widest spread across values (see ``_spread_share``)

    @property
    def below_quorum(self) -> bool:
        return self.scorers < self.quorum

    @property
    def any_wide(self) -> bool:
        return any(v.wide for v in self.values)


def tally_option(option: str, marks: Iterable[Mark], *, scales: dict[str, tuple[float, float]],
                 conflicted: frozenset[str], policy: str, quorum: int) -> OptionTally:
    """``scales`` maps each value scored to its (min, max); ``conflicted`` names the participants
    with a declared interest in ``option``."""
    if policy not in POLICIES:
        raise ValueError(f"unknown conflict policy {policy!r}")
    by_value: dict[str, list[Mark]] = {name: [] for name in scales}
    for mark in marks:
        if mark.value in by_value:
            by_value[mark.value].append(mark)
    tallies = []
    scorers: set[str] = set()
    disagreement = 0.0
    for name, value_marks in by_value.items():
        counted: list[float] = []
        flagged: list[float] = []
        excluded = dont_know = 0
        comments = []
        for mark in value_marks:
            conflicted_mark = mark.participant in conflicted
            if conflicted_mark and policy == RECUSE:
                excluded += 1
                continue
            if not conflicted_mark:
                scorers.add(mark.participant)
            if mark.comment:
                comments.append(mark.comment)
            if mark.score is None:
                dont_know += 1
                continue
            counted.append(mark.score)
            if conflicted_mark:
                flagged.append(mark.score)
        counted.sort()
        low, high = scales[name]
        lower, median, upper = _quartiles(counted)
        share = _spread_share(counted, lower, upper, high - low)
        disagreement = max(disagreement, share)
        tallies.append(ValueTally(
            value=name, scores=tuple(counted), flagged=tuple(sorted(flagged)), dont_know=dont_know,
            excluded=excluded, median=median, lower_quartile=lower, upper_quartile=upper,
            wide=len(counted) >= 3 and share >= WIDE_SHARE, comments=tuple(comments),
        ))
    return OptionTally(option, tuple(tallies), len(scorers), quorum, disagreement)


def _spread_share(scores: list[float], lower: float | None, upper: float | None, span: float) -> float:
    """How far apart the room is, as a share of the scale: the middle half's width, or half the
    whole range, whichever is more."""
    if lower is None or upper is None or span <= 0:
        return 0.0
    return max(upper - lower, (scores[-1] - scores[0]) / 2) / span


def _quartiles(scores: list[float]) -> tuple[float | None, float | None, float | None]:
    if not scores:
        return None, None, None
    if len(scores) == 1:
        return scores[0], scores[0], scores[0]
    lower, median, upper = statistics.quantiles(scores, n=4, method="inclusive")
    return lower, median, upper


def discussion_queue(tallies: Iterable[OptionTally]) -> list[OptionTally]:
    """Options to talk about first: the most disagreement first, then those short of a quorum."""
    return sorted(tallies, key=lambda t: (-t.disagreement, not t.below_quorum, t.option))
