"""The room's scores for one option, as the facilitator reveals them, under the conflict policy."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RECUSE = "recuse"  # a conflicted participant's scores are left out
FLAG = "flag"  # they count, and are marked
POLICIES = (RECUSE, FLAG)
# The "wide spread" rule (see ``is_wide``): the middle half spanning this share of the scale...
WIDE_SHARE = 0.30
# ...or at least this share of the room at each end, each this share of the scale or more from its midpoint.
END_ROOM = 0.25
END_SHARE = 0.20
# Fewer scores than this are never flagged; and a reveal with fewer could let the room recognise them.
FEWEST = 3
_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
_ROOM_WORDS = {0.2: "a fifth", 0.25: "a quarter", 1 / 3: "a third"}
_FEWEST_WORDS = _COUNT_WORDS.get(FEWEST, str(FEWEST))
_END_ROOM_WORDS = _ROOM_WORDS.get(END_ROOM, f"{END_ROOM:.0%}")
# The rule in words, made from the numbers above so the two cannot part: for the board paper...
WIDE_SPREAD_RULE = (
    f"At least {_FEWEST_WORDS} people scored the value, and either the middle half of their scores spans "
    f"{WIDE_SHARE:.0%} of the scale or more ({10 * WIDE_SHARE:g} points on a 0 to 10 scale), or at least "
    f"{_END_ROOM_WORDS} of them scored {END_SHARE:.0%} of the scale or more below its midpoint while another "
    f"{_END_ROOM_WORDS.removeprefix('a ')} scored as far above it ({5 - 10 * END_SHARE:g} or less and "
    f"{5 + 10 * END_SHARE:g} or more on 0 to 10). One or two people far from the rest are not flagged: their "
    "dots show them."
)
# ...and for the projector's legend when the values are on different scales.
WIDE_SPREAD_ANY_SCALE = (
    f"wide spread: the middle half spans {WIDE_SHARE:.0%} of the scale or more, or {_END_ROOM_WORDS} scored "
    f"well below the scale's middle and {_END_ROOM_WORDS} well above it"
)


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
    disagreement: float  # how far apart the room is on its most divided value (see ``disagreement``)

    @property
    def below_quorum(self) -> bool:
        return self.scorers < self.quorum

    @property
    def recognisable(self) -> bool:
        """Whether the room could recognise someone's scores if each were shown: fewer unconflicted
        scorers than the quorum, or a value with only one or two scores."""
        return self.below_quorum or self.scorers < FEWEST or any(0 < len(v.scores) < FEWEST for v in self.values)

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
        wide = is_wide(counted, low, high)
        disagreement = max(disagreement, _disagreement(counted, high - low, wide))
        tallies.append(ValueTally(
            value=name, scores=tuple(counted), flagged=tuple(sorted(flagged)), dont_know=dont_know,
            excluded=excluded, median=median, lower_quartile=lower, upper_quartile=upper,
            wide=wide, comments=tuple(comments),
        ))
    return OptionTally(option, tuple(tallies), len(scorers), quorum, disagreement)


def is_wide(scores: Sequence[float], low: float, high: float) -> bool:
    """Whether the room disagrees about a value enough to talk about it (``WIDE_SPREAD_RULE``).

    Scores given on a described scale are noisy: people who agree about an option still differ
    by a point or two (the demo's workshop, like real ones, has a middle half two points wide on
    most values), so a flag that fires on noise is on most values and read on none. The rule looks
    for a divided room rather than a loud individual:

    - the middle half of the room (the shaded band of the dot plot, from the lower to the upper
      quartile) spans at least ``WIDE_SHARE`` (30%) of the scale: 3 points on 0 to 10, where 5 to
      7.5 is the room agreeing and 4 to 7 is the room split between "below average" and "good";
    - or the room sits at both ends: at least ``END_ROOM`` (a quarter) of the scores at least
      ``END_SHARE`` (20%) of the scale below the midpoint (3 or less on 0 to 10) and at least a
      quarter as far above it (7 or more). A quarter of the room on each side of the middle is a
      disagreement about direction, however tightly the rest cluster (3 at 2, 6 at 6, 3 at 9 has a
      middle half of 1.75 points, and is a room to talk to).

    One or two people far from everyone else (fewer than a quarter of the room) are not a wide
    spread: their dots are on the screen, the facilitator can ask them why, and flagging them
    would put the flag on nearly every value of a large room. Fewer than ``FEWEST`` (3) scores
    are never flagged: two people differing is not a room divided (and such a reveal is shown
    without the dots; see ``OptionTally.recognisable``)."""
    span = high - low
    if len(scores) < FEWEST or span <= 0:
        return False
    ordered = sorted(scores)
    if _middle_half(ordered) >= WIDE_SHARE * span - 1e-9:
        return True
    middle, reach = (low + high) / 2, END_SHARE * span - 1e-9
    below = sum(score <= middle - reach for score in ordered)
    above = sum(score >= middle + reach for score in ordered)
    least = END_ROOM * len(ordered)
    return below >= least and above >= least


def value_disagreement(scores: Sequence[float], low: float, high: float) -> float:
    """How divided the room is about one value, for the discussion queue: the middle half's
    width as a share of the scale, and at least ``WIDE_SHARE`` when the value is flagged (a room
    sitting at both ends), so every option flagged comes before every option not flagged. Fewer
    than ``FEWEST`` scores give 0, as they are never flagged."""
    return _disagreement(sorted(scores), high - low, is_wide(scores, low, high))


def _disagreement(ordered: list[float], span: float, wide: bool) -> float:
    if len(ordered) < FEWEST or span <= 0:
        return 0.0
    share = _middle_half(ordered) / span
    return max(share, WIDE_SHARE) if wide else share


def wide_spread_words(low: float, high: float) -> str:
    """The rule on one scale, short enough for the projector's legend: 'wide spread: the middle
    half spans 3 points or more, or a quarter scored 3 or less and a quarter 7 or more'."""
    span = high - low
    middle = (low + high) / 2
    points = _points(WIDE_SHARE * span)
    return (f"wide spread: the middle half spans {points} point{'s' * (points != '1')} or more, or a quarter "
            f"scored {_points(middle - END_SHARE * span)} or less and a quarter {_points(middle + END_SHARE * span)} "
            "or more")


def reveal_caution(tally: OptionTally) -> str:
    """Why revealing ``tally`` could let the room recognise someone's scores, for the facilitator
    to weigh before confirming; empty when a reveal is safe."""
    if not tally.recognisable:
        return ""
    if not any(v.scores for v in tally.values):
        return f"Nobody has scored {tally.option} yet (the quorum is {tally.quorum}): there is nothing to show."
    who = f"{tally.scorers} {'person' if tally.scorers == 1 else 'people'}"
    if tally.below_quorum:
        reason = f"Only {who} scored {tally.option}: below the quorum of {tally.quorum}."
    elif tally.scorers < FEWEST:
        reason = f"Only {who} scored {tally.option}."
    else:
        few = [v.value for v in tally.values if 0 < len(v.scores) < FEWEST]
        reason = f"Fewer than {FEWEST} people gave a score on {_and(few)}."
    return f"{reason} Individual scores could be recognised by the room."


def _middle_half(ordered: list[float]) -> float:
    lower, _, upper = _quartiles(ordered)
    return 0.0 if lower is None or upper is None else upper - lower


def _points(amount: float) -> str:
    return f"{round(amount, 1):g}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _quartiles(scores: list[float]) -> tuple[float | None, float | None, float | None]:
    if not scores:
        return None, None, None
    if len(scores) == 1:
        return scores[0], scores[0], scores[0]
    lower, median, upper = statistics.quantiles(scores, n=4, method="inclusive")
    return lower, median, upper


def discussion_queue(tallies: Iterable[OptionTally]) -> list[OptionTally]:
    """Options to talk about first: the most disagreement first (every option with a wide spread
    before any without; see ``value_disagreement``), then those short of a quorum."""
    return sorted(tallies, key=lambda t: (-t.disagreement, not t.below_quorum, t.option))
