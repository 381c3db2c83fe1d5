"""The optimiser against brute-force enumeration on random small plans with every kind of rule."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeplanner.engine.model import eligible
from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, RuleIn, StreamIn, Switches
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings

YEARS = (2027, 2028)
FULL = (LevelIn("Full", 1.0, 1.0),)


def capacity_ok(inp: EngineInput, choice: dict[str, LevelIn | None]) -> bool:
    """Budgets, checked independently of the model: fixed charges per stream, or pooled money
    checked by Hall's condition on the option-to-stream eligibility graph."""
    streams = {s.name: s for s in inp.streams}
    for year in YEARS:
        capacity = {s.name: dict(s.amounts).get(year, 0.0) for s in inp.streams}
        fixed: dict[str, float] = dict.fromkeys(capacity, 0.0)
        demand_by_sources: dict[frozenset[str], float] = {}
        for option in inp.options:
            level = choice[option.name]
            if level is None:
                continue
            pooled_need = 0.0
            for stream, cost_year, amount in option.costs:
                if cost_year != year:
                    continue
                if amount < 0:
                    capacity[stream] += -amount * level.cost_share
                elif inp.switches.pool_money and streams[stream].is_money:
                    pooled_need += amount * level.cost_share
                else:
                    if inp.switches.ring_fences and not eligible(option, streams[stream]):
                        return False
                    fixed[stream] += amount * level.cost_share
            if pooled_need > 0:
                sources = frozenset(s.name for s in inp.streams if s.is_money and eligible(option, s, inp.switches.ring_fences))
                if not sources:
                    return False
                demand_by_sources[sources] = demand_by_sources.get(sources, 0.0) + pooled_need
        left = {s: capacity[s] - fixed[s] for s in capacity}
        if any(v < -1e-6 for v in left.values()):
            return False
        groups = list(demand_by_sources.items())
        for size in range(1, len(groups) + 1):
            for subset in itertools.combinations(groups, size):
                demand = sum(d for _, d in subset)
                reachable = frozenset().union(*(s for s, _ in subset))
                if demand > sum(left[s] for s in reachable) + 1e-6:
                    return False
    return True


def feasible(inp: EngineInput, choice: dict[str, LevelIn | None]) -> bool:
    chosen = {name for name, level in choice.items() if level is not None}
    for option in inp.options:
        on = option.name in chosen
        if option.excluded and on:
            return False
        if option.mandatory and not on:
            return False
        if on and any(r not in chosen for r in option.requires):
            return False
        if on and any(e in chosen for e in option.excludes):
            return False
    for rule in inp.rules:
        matching = [o for o in inp.options if o.name in chosen and {
            "tag": rule.target_name in o.tags, "need": rule.target_name in o.needs,
            "partner": o.lead_partner == rule.target_name, "kind": o.kind == rule.target_name}[rule.target]]
        if rule.measure == "count":
            measure = float(len(matching))
        else:
            measure = sum(a * choice[o.name].cost_share for o in matching for s, _, a in o.costs  # type: ignore[union-attr]
                          if a > 0 and inp.stream(s).is_money)
        if rule.minimum is not None and measure < rule.minimum - 1e-6:
            return False
        if rule.maximum is not None and measure > rule.maximum + 1e-6:
            return False
    return capacity_ok(inp, choice)


def brute_force(inp: EngineInput) -> float | None:
    best = None
    for combo in itertools.product(*[(None, *o.levels) for o in inp.options]):
        choice = {o.name: level for o, level in zip(inp.options, combo, strict=True)}
        if feasible(inp, choice):
            value = sum(o.value * level.value_share for o, level in zip(inp.options, combo, strict=True) if level)
            best = value if best is None else max(best, value)
    return best


money = st.integers(0, 400).map(lambda k: k * 2_500.0 + 0.25)


@st.composite
def small_inputs(draw: st.DrawFn, max_options: int = 7) -> EngineInput:
    streams = (
        StreamIn("General", "ICB", "GBP", tuple((y, float(draw(st.integers(0, 1_500_000)))) for y in YEARS)),
        StreamIn("Fenced", "Council", "GBP", tuple((y, float(draw(st.integers(0, 400_000)))) for y in YEARS), ("tag:inequalities",)),
        StreamIn("Hours", "Trust", "staff hours", tuple((y, float(draw(st.integers(0, 3_000)))) for y in YEARS)),
    )
    count = draw(st.integers(2, max_options))
    names = [f"O{i}" for i in range(count)]
    options = []
    for i, name in enumerate(names):
        kind = draw(st.sampled_from(["invest", "expand", "decommission"]))
        costs = []
        for year in YEARS:
            if kind == "decommission":
                costs.append(("General", year, -draw(money)))
            else:
                costs.append((draw(st.sampled_from(["General", "Fenced"])), year, draw(money)))
                if draw(st.booleans()):
                    costs.append(("Hours", year, float(draw(st.integers(0, 1_500)))))
        levels = draw(st.sampled_from([FULL, FULL, (LevelIn("Half", 0.5, 0.6), LevelIn("Full", 1.0, 1.0))]))
        earlier = names[:i]
        options.append(OptionIn(
            name=name, kind=kind, lead_partner=draw(st.sampled_from(["ICB", "Council"])),
            value=draw(st.sampled_from([0.0, 7.5, 10.0, 12.25, 30.0, 33.3])), costs=tuple(costs), levels=levels,
            mandatory=draw(st.integers(0, 9)) == 0, excluded=draw(st.integers(0, 14)) == 0,
            requires=tuple(draw(st.lists(st.sampled_from(earlier), max_size=1))) if earlier else (),
            excludes=tuple(draw(st.lists(st.sampled_from(earlier), max_size=1))) if earlier else (),
            tags=tuple(draw(st.lists(st.sampled_from(["inequalities", "prevention"]), unique=True, max_size=2))),
            needs=tuple(draw(st.lists(st.sampled_from(["Falls", "Obesity"]), unique=True, max_size=1))),
        ))
    rules = tuple(draw(st.lists(st.sampled_from([
        RuleIn("Two prevention", "tag", "prevention", "count", 2, None),
        RuleIn("Spend on falls", "need", "Falls", "spend", 100_000, None),
        RuleIn("Council cap", "partner", "Council", "spend", None, 900_000),
        RuleIn("Few expansions", "kind", "expand", "count", None, 2),
    ]), unique=True, max_size=2)))
    switches = Switches(pool_money=draw(st.booleans()), ring_fences=draw(st.integers(0, 4)) > 0)
    return EngineInput("Test", YEARS, tuple(options), streams, rules, switches)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inp=small_inputs())
def test_the_optimum_matches_brute_force(solver: str, inp: EngineInput) -> None:
    expected = brute_force(inp)
    result = allocate(inp, SolverSettings(solver))
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert result.objective == pytest.approx(expected, rel=1e-7, abs=1e-7)
        chosen = {o.name: None for o in inp.options}
        for funded in result.funded:
            option = inp.option(funded.name)
            chosen[funded.name] = next(lv for lv in option.levels if lv.name == funded.level)  # type: ignore[assignment]
        assert feasible(inp, chosen), "the solver's portfolio breaks a rule"


def test_sixteen_options_match_brute_force() -> None:
    rng = __import__("random").Random(16)
    options = tuple(
        OptionIn(f"O{i}", "invest", "ICB", value=round(rng.uniform(1, 50), 2),
                 costs=tuple(("General", y, round(rng.uniform(10_000, 300_000), 2)) for y in YEARS), levels=FULL,
                 requires=(f"O{i - 1}",) if i % 5 == 4 else (), excludes=(f"O{i - 2}",) if i % 7 == 6 else ())
        for i in range(16)
    )
    streams = (StreamIn("General", "ICB", "GBP", ((2027, 1_200_000.0), (2028, 1_100_000.0))),)
    inp = EngineInput("Test", YEARS, options, streams, (RuleIn("Cap", "kind", "invest", "count", None, 7),))
    assert allocate(inp).objective == pytest.approx(brute_force(inp))


def test_greedy_ordering_fails_where_the_optimiser_does_not() -> None:
    """The textbook case: the best value per pound crowds out a better pair."""
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 100.0),)),)
    options = (
        OptionIn("Small but efficient", "invest", "ICB", 60.0, (("Pot", 2027, 51.0),), FULL),
        OptionIn("Half A", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL),
        OptionIn("Half B", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL),
    )
    result = allocate(EngineInput("Test", (2027,), options, streams, ()))
    assert set(result.selected_names) == {"Half A", "Half B"}
    assert result.objective == 100.0


def test_partial_funding_with_a_minimum_share() -> None:
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 70.0),)),)
    options = (OptionIn("Scalable", "expand", "ICB", 10.0, (("Pot", 2027, 100.0),), FULL, min_share=0.5),)
    result = allocate(EngineInput("Test", (2027,), options, streams, ()))
    assert result.objective == pytest.approx(7.0)
    assert result.funded[0].level == "70%"
    options = (OptionIn("Scalable", "expand", "ICB", 10.0, (("Pot", 2027, 100.0),), FULL, min_share=0.8),)
    assert allocate(EngineInput("Test", (2027,), options, streams, ())).funded == ()
