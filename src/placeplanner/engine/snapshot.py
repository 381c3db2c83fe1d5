"""The frozen input of one solve: everything the optimiser needs, taken from a plan and a scenario.

A snapshot is plain data, serialisable to JSON and back without loss, so a stored result can
always be re-solved from exactly what produced it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from placeplanner.errors import Problem, ValidationError
from placeplanner.model import PlanData, Scenario, split_target
from placeplanner.model.records import OptionStatus

MONEY = "GBP"


@dataclass(frozen=True, slots=True)
class Switches:
    """Constraint families a scenario may switch off, to ask "what if we ignore this rule?"."""

    budgets: bool = True
    ring_fences: bool = True
    mandatory: bool = True
    requires: bool = True
    excludes: bool = True
    rules: bool = True
    # Money costs may be met from any money stream the option is eligible for (pooled budgets);
    # off, each cost is charged to the stream it names.
    pool_money: bool = True


@dataclass(frozen=True, slots=True)
class LevelIn:
    name: str
    cost_share: float
    value_share: float


@dataclass(frozen=True, slots=True)
class OptionIn:
    name: str
    kind: str
    lead_partner: str
    value: float  # weighted value of the option funded in full
    costs: tuple[tuple[str, int, float], ...]  # (stream, year, amount); negative releases money
    levels: tuple[LevelIn, ...]  # never empty: all-or-nothing is one level, "Full"
    min_share: float | None = None
    mandatory: bool = False
    excluded: bool = False  # out of consideration, or excluded by the scenario
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    value_parts: tuple[float, ...] = ()  # per value: normalised score x need factor; value = weights . parts


@dataclass(frozen=True, slots=True)
class StreamIn:
    name: str
    partner: str
    unit: str
    amounts: tuple[tuple[int, float], ...]
    ring_fenced_for: tuple[str, ...] = ()

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY


@dataclass(frozen=True, slots=True)
class RuleIn:
    name: str
    target: str  # tag, need, partner or kind
    target_name: str
    measure: str  # count or spend
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True, slots=True)
class EngineInput:
    place: str
    years: tuple[int, ...]
    options: tuple[OptionIn, ...]
    streams: tuple[StreamIn, ...]
    rules: tuple[RuleIn, ...]
    switches: Switches = field(default_factory=Switches)
    notes: tuple[str, ...] = ()  # what the snapshot assumed, e.g. scores taken from individual means
    value_names: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()  # per value, scaled to sum to 100
    # Lookups by name, built once: large plans ask for options by name many thousands of times.
    _options: dict[str, OptionIn] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _streams: dict[str, StreamIn] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_options", {o.name: o for o in self.options})
        object.__setattr__(self, "_streams", {s.name: s for s in self.streams})

    def to_json(self) -> str:
        data = asdict(self)
        del data["_options"], data["_streams"]
        return json.dumps(data, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> EngineInput:
        data = json.loads(text)
        return EngineInput(
            place=data["place"],
            years=tuple(data["years"]),
            options=tuple(
                OptionIn(**{
                    **o,
                    "costs": tuple(tuple(c) for c in o["costs"]),
                    "levels": tuple(LevelIn(**lv) for lv in o["levels"]),
                    **{k: tuple(o[k]) for k in ("requires", "excludes", "tags", "needs", "value_parts")},
                })
                for o in data["options"]
            ),
            streams=tuple(
                StreamIn(**{**s, "amounts": tuple(tuple(a) for a in s["amounts"]), "ring_fenced_for": tuple(s["ring_fenced_for"])})
                for s in data["streams"]
            ),
            rules=tuple(RuleIn(**r) for r in data["rules"]),
            switches=Switches(**data["switches"]),
            notes=tuple(data["notes"]),
            value_names=tuple(data["value_names"]),
            weights=tuple(data["weights"]),
        )

    def option(self, name: str) -> OptionIn:
        return self._options[name]

    def stream(self, name: str) -> StreamIn:
        return self._streams[name]


@dataclass(frozen=True, slots=True)
class ScenarioSettings:
    """What a stored Scenario's settings may say; unknown keys are refused by name."""

    budget_factor: float = 1.0
    stream_factors: dict[str, float] = field(default_factory=dict)
    stream_extra: dict[str, float] = field(default_factory=dict)  # added to every year
    weight_set: str = ""
    reach_factor: bool = False
    rules_off: tuple[str, ...] = ()
    options_out: tuple[str, ...] = ()
    options_in: tuple[str, ...] = ()
    switches: dict[str, bool] = field(default_factory=dict)

    @staticmethod
    def parse(scenario: Scenario | None) -> ScenarioSettings:
        if scenario is None:
            return ScenarioSettings()
        known = {f.name for f in fields(ScenarioSettings)}
        unknown = sorted(set(scenario.settings) - known)
        if unknown:
            raise ValidationError([Problem(f"scenario '{scenario.name}'", f"has settings PlacePlanner does not know: {', '.join(unknown)} (known: {', '.join(sorted(known))})", inline=True)])
        values: dict[str, Any] = dict(scenario.settings)
        for key in ("rules_off", "options_out", "options_in"):
            if key in values:
                values[key] = tuple(values[key])
        return ScenarioSettings(**values)


def take_snapshot(plan: PlanData, scenario: Scenario | None = None, individual_means: dict[tuple[str, str], float] | None = None) -> EngineInput:
    """Freeze a plan (and a scenario laid over it) into the optimiser's input."""
    from placeplanner.engine.valuation import group_weights, value_parts

    settings = ScenarioSettings.parse(scenario)
    problems = _check_scenario(plan, settings, scenario)
    if problems:
        raise ValidationError(problems)
    weights = group_weights(plan, settings.weight_set)
    parts, notes = value_parts(plan, individual_means or {}, reach=settings.reach_factor)
    streams = []
    for stream in plan.funding_streams:
        factor = settings.stream_factors.get(stream.name, settings.budget_factor if stream.unit == MONEY else 1.0)
        extra = settings.stream_extra.get(stream.name, 0.0)
        amounts = tuple((year, amount * factor + extra) for year, amount in stream.amounts)
        streams.append(StreamIn(stream.name, stream.partner, stream.unit, amounts, stream.ring_fenced_for))
    options = []
    for option in plan.options:
        levels = tuple(LevelIn(lv.name, lv.cost_share, lv.value_share) for lv in option.levels) or (LevelIn("Full", 1.0, 1.0),)
        excluded = option.status == OptionStatus.OUT_OF_CONSIDERATION or option.name in settings.options_out
        options.append(OptionIn(
            name=option.name, kind=option.kind.value, lead_partner=option.lead_partner,
            value=round(sum(w * part for w, part in zip(weights.values(), parts[option.name], strict=True)), 9),
            value_parts=parts[option.name],
            costs=tuple((c.stream, c.year, c.amount) for c in option.costs), levels=levels,
            min_share=option.min_share, mandatory=option.mandatory or option.name in settings.options_in,
            excluded=excluded, requires=option.requires, excludes=option.excludes, tags=option.tags, needs=option.needs,
        ))
    rules = []
    for rule in plan.rules:
        if not rule.enabled or rule.name in settings.rules_off:
            continue
        target, name = split_target(rule.applies_to)
        rules.append(RuleIn(rule.name, target, name, rule.measure.value, rule.minimum, rule.maximum))
    switches = replace(Switches(), **settings.switches)
    return EngineInput(
        plan.info.place, plan.info.plan_years, tuple(options), tuple(streams), tuple(rules), switches, tuple(notes),
        value_names=tuple(weights), weights=tuple(weights.values()),
    )


def reweighted(inp: EngineInput, weights: tuple[float, ...]) -> EngineInput:
    """The same snapshot valued with other weights (scaled to sum to 100)."""
    total = sum(weights)
    scaled = tuple(100 * w / total if total else 0.0 for w in weights)
    options = tuple(
        replace(o, value=round(sum(w * p for w, p in zip(scaled, o.value_parts, strict=True)), 9)) for o in inp.options
    )
    return replace(inp, options=options, weights=scaled)


def _check_scenario(plan: PlanData, settings: ScenarioSettings, scenario: Scenario | None) -> list[Problem]:
    where = f"scenario '{scenario.name}'" if scenario else "scenario"
    problems = []
    streams = {s.name for s in plan.funding_streams}
    options = {o.name for o in plan.options}
    rules = {r.name for r in plan.rules}
    for name in [*settings.stream_factors, *settings.stream_extra]:
        if name not in streams:
            problems.append(Problem(where, inline=True, message=f"changes funding stream '{name}', which is not in the plan"))
    for name in [*settings.options_out, *settings.options_in]:
        if name not in options:
            problems.append(Problem(where, inline=True, message=f"names option '{name}', which is not in the plan"))
    for name in settings.rules_off:
        if name not in rules:
            problems.append(Problem(where, inline=True, message=f"switches off rule '{name}', which is not in the plan"))
    if settings.weight_set and settings.weight_set not in {w.name for w in plan.weight_sets}:
        problems.append(Problem(where, inline=True, message=f"uses weight set '{settings.weight_set}', which is not in the plan"))
    known = {f.name for f in fields(Switches)}
    for name in settings.switches:
        if name not in known:
            problems.append(Problem(where, inline=True, message=f"switches '{name}', which is not a constraint family ({', '.join(sorted(known))})"))
    if settings.budget_factor < 0 or any(f < 0 for f in settings.stream_factors.values()):
        problems.append(Problem(where, "scales a budget below zero"))
    return problems
