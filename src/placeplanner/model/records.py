"""The plan's domain records: plain, immutable values with no storage attached.

References between records are by name, the way analysts write them in spreadsheets;
storage maps names to keys. Money is in pounds (or the stream's own unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class OptionKind(StrEnum):
    INVEST = "invest"
    EXPAND = "expand"
    REDESIGN = "redesign"
    DECOMMISSION = "decommission"


class OptionStatus(StrEnum):
    PROPOSED = "proposed"
    OUT_OF_CONSIDERATION = "out of consideration"
    FUNDED = "funded"
    NOT_FUNDED = "not funded"


class ContractForm(StrEnum):
    NONE = ""
    BLOCK = "block"
    ALIGNED_INCENTIVE = "aligned incentive"
    ACTIVITY = "activity based"
    GRANT = "grant"
    SECTION_75 = "section 75 pooled"


class RuleMeasure(StrEnum):
    COUNT = "count"
    SPEND = "spend"


class RuleTarget(StrEnum):
    """What a rule or a ring-fence applies to: ``tag:<t>``, ``need:<n>``, ``partner:<p>``, ``kind:<k>``."""

    TAG = "tag"
    NEED = "need"
    PARTNER = "partner"
    KIND = "kind"


class WeightSetKind(StrEnum):
    GROUP = "group"
    PARTICIPANT = "participant"
    PARTNER = "partner"


class DeclarationAction(StrEnum):
    NONE = ""
    RECUSED = "recused"
    ALLOWED = "allowed"
    LEFT_ROOM = "left the room"


@dataclass(frozen=True, slots=True)
class PlanInfo:
    place: str
    title: str = ""
    start_year: int = 2027
    years: int = 2
    currency: str = "GBP"
    area_code: str = ""
    quorum: int = 3
    conflict_policy: str = "recuse"

    @property
    def plan_years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.start_year + self.years))


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class FundingStream:
    name: str
    partner: str
    amounts: tuple[tuple[int, float], ...]  # (financial year, amount) in year order
    unit: str = "GBP"
    ring_fenced_for: tuple[str, ...] = ()  # "kind:<k>" or "tag:<t>"; empty = any option

    def amount_in(self, year: int) -> float:
        return dict(self.amounts).get(year, 0.0)


@dataclass(frozen=True, slots=True)
class Need:
    name: str
    people: int | None = None
    priority: float = 1.0  # relative importance the group agreed; higher matters more
    description: str = ""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One value of a public-health indicator for an area and period (Fingertips and the like)."""

    name: str
    area_code: str
    period: str
    value: float | None
    need: str = ""
    area_name: str = ""
    sex: str = ""
    age: str = ""
    unit: str = ""
    lower_ci: float | None = None
    upper_ci: float | None = None
    count: float | None = None
    denominator: float | None = None
    compared: str = ""  # e.g. "Worse" than the comparator
    indicator_id: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.name, self.area_code, self.sex, self.age, self.period)


@dataclass(frozen=True, slots=True)
class Population:
    """People in an area by sex and age band (ONS mid-year estimates)."""

    area_code: str
    area_name: str
    year: int
    sex: str  # "persons", "females", "males"
    age: str  # "all", "0", ..., "90+"
    count: float

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.area_code, self.year, self.sex, self.age)


@dataclass(frozen=True, slots=True)
class ScalePoint:
    point: float
    label: str


@dataclass(frozen=True, slots=True)
class Value:
    """A shared value: a criterion with a described scale and an agreed weight."""

    name: str
    weight: float
    scale_min: float = 0.0
    scale_max: float = 10.0
    description: str = ""
    scale_points: tuple[ScalePoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Cost:
    stream: str
    year: int
    amount: float  # negative for a saving


@dataclass(frozen=True, slots=True)
class Level:
    """A way to fund part of an option: its share of the full cost and of the full value."""

    name: str
    cost_share: float
    value_share: float


FULL_LEVEL = Level("Full", 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    lead_partner: str
    kind: OptionKind = OptionKind.INVEST
    costs: tuple[Cost, ...] = ()
    levels: tuple[Level, ...] = ()  # empty: all or nothing
    min_share: float | None = None  # partial funding down to this share, instead of levels
    needs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    mandatory: bool = False
    status: OptionStatus = OptionStatus.PROPOSED
    contract_form: ContractForm = ContractForm.NONE
    people_reached: int | None = None
    description: str = ""

    def cost(self, stream: str, year: int) -> float:
        return sum(c.amount for c in self.costs if c.stream == stream and c.year == year)


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    organisation: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Declaration:
    """A participant's interest in one option, or in a partner (``option`` empty, ``partner``
    named): an interest in a partner covers every option that partner leads, now or later."""

    participant: str
    option: str
    interest: str
    action: DeclarationAction = DeclarationAction.NONE
    declared_on: date | None = None
    reason: str = ""  # why the chair allowed the person to take part despite the interest
    partner: str = ""

    @property
    def about(self) -> str:
        """What the interest is in, in words: the option's name, or 'All options led by <partner>'."""
        return self.option or f"All options led by {self.partner}"


@dataclass(frozen=True, slots=True)
class Meeting:
    name: str
    held_on: date | None = None
    status: str = "planned"  # planned, open, closed
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ScoringRound:
    meeting: str
    option: str
    status: str = "open"  # open, closed, revealed, agreed
    opened_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IndividualScore:
    """One participant's judgement of one option against one value; ``None`` is "don't know"."""

    meeting: str
    participant: str
    option: str
    value: str
    score: float | None
    confidence: float | None = None
    comment: str = ""
    scored_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AgreedScore:
    option: str
    value: str
    score: float
    rationale: str = ""
    meeting: str = ""


@dataclass(frozen=True, slots=True)
class WeightSet:
    name: str
    kind: WeightSetKind
    weights: tuple[tuple[str, float], ...]  # (value, weight)
    owner: str = ""  # the participant or partner whose weights these are


@dataclass(frozen=True, slots=True)
class Rule:
    """At least or at most a count of options, or a spend, for a tag, need, partner or kind."""

    name: str
    applies_to: str
    measure: RuleMeasure
    minimum: float | None = None
    maximum: float | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str = ""
    settings: dict[str, object] = field(default_factory=dict, hash=False, compare=True)


def split_target(applies_to: str) -> tuple[str, str]:
    """'tag:Prevention' -> ('tag', 'Prevention'); raises ValueError when malformed."""
    prefix, sep, name = applies_to.partition(":")
    prefix = prefix.strip().lower()
    name = name.strip()
    if not sep or not name or prefix not in {t.value for t in RuleTarget}:
        raise ValueError(
            f"{applies_to!r} should be tag:<tag>, need:<need>, partner:<partner> or kind:<kind>"
        )
    return prefix, name
