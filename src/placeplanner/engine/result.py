"""Reading a solved model back into a plain result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulp

from placeplanner.engine.model import BuiltModel
from placeplanner.engine.snapshot import EngineInput

EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Funded:
    name: str
    level: str  # the level's name, or "Full", or a share such as "65%"
    share: float  # share of the full cost funded
    value: float  # weighted value delivered


@dataclass(frozen=True, slots=True)
class Allocation:
    """An answer: what is funded, how it is paid for, and how sure we are that it is the best."""

    status: str  # optimal, feasible, stopped, infeasible, error
    objective: float | None
    bound: float | None
    funded: tuple[Funded, ...] = ()
    spend: tuple[tuple[str, int, float], ...] = ()  # (stream, year, amount drawn)
    released: tuple[tuple[str, int, float], ...] = ()  # (stream, year, amount decommissions free)
    solver: str = ""
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    solver_seconds: float | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, abs(self.bound - self.objective) / max(abs(self.objective), 1e-9))

    @property
    def selected_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.funded)

    @property
    def has_portfolio(self) -> bool:
        return self.status in {"optimal", "feasible", "stopped"} and self.objective is not None


def read_allocation(built: BuiltModel, status: str, objective: float | None, bound: float | None) -> tuple[tuple[Funded, ...], tuple[tuple[str, int, float], ...], tuple[tuple[str, int, float], ...]]:
    inp: EngineInput = built.inp
    if objective is None:
        return (), (), ()
    funded = []
    for option in inp.options:
        share = _value(built.cost_share[option.name])
        if _value(built.selected[option.name]) < 0.5:
            continue
        if option.name in built.share_vars:
            level = "Full" if share > 1 - EPSILON else f"{share:.0%}"
        else:
            level = next(
                (lv.name for i, lv in enumerate(option.levels) if _value(built.level_vars[(option.name, i)]) > 0.5),
                "Full",
            )
        funded.append(Funded(option.name, level, round(share, 9), round(option.value * _value(built.value_share[option.name]), 9)))
    chosen = {f.name: f.share for f in funded}
    spend, released = settle_streams(inp, chosen)
    return (
        tuple(funded),
        tuple((s, y, round(a, 2)) for (s, y), a in sorted(spend.items()) if abs(a) > 0.005),
        tuple((s, y, round(a, 2)) for (s, y), a in sorted(released.items()) if abs(a) > 0.005),
    )


def settle_streams(inp: EngineInput, chosen: dict[str, float]) -> tuple[dict[tuple[str, int], float], dict[tuple[str, int], float]]:
    """Which stream pays for what, once the portfolio is known: costs charged to named streams as
    they are, and pooled money spread by a small LP that spends ring-fenced money first."""
    spend: dict[tuple[str, int], float] = {}
    released: dict[tuple[str, int], float] = {}
    pooled: list[tuple[str, int, float]] = []  # (option, year, need)
    for name, share in chosen.items():
        option = inp.option(name)
        need_by_year: dict[int, float] = {}
        for stream, year, amount in option.costs:
            if amount < 0:
                released[(stream, year)] = released.get((stream, year), 0.0) - amount * share
            elif inp.switches.pool_money and inp.stream(stream).is_money:
                need_by_year[year] = need_by_year.get(year, 0.0) + amount * share
            else:
                spend[(stream, year)] = spend.get((stream, year), 0.0) + amount * share
        pooled.extend((name, year, need) for year, need in need_by_year.items() if need > 0)
    if pooled:
        flows = _fill_pooled(inp, pooled, spend, released) or _pooled_flows(inp, pooled, spend, released)
        for key, amount in flows.items():
            spend[key] = spend.get(key, 0.0) + amount
    return spend, released


def _fill_pooled(
    inp: EngineInput, pooled: list[tuple[str, int, float]], charged: dict[tuple[str, int], float], released: dict[tuple[str, int], float]
) -> dict[tuple[str, int], float] | None:
    """Fast path: ring-fenced streams first, to the options with the fewest choices; general money
    after. Returns None when that leaves a need unmet, and the LP settles it instead."""
    from placeplanner.engine.model import eligible

    money = [s for s in inp.streams if s.is_money]
    order = [s for s in money if s.ring_fenced_for] + [s for s in money if not s.ring_fenced_for]
    totals: dict[tuple[str, int], float] = {}
    for year in inp.years:
        left = {s.name: dict(s.amounts).get(year, 0.0) + released.get((s.name, year), 0.0) - charged.get((s.name, year), 0.0) for s in money}
        sources: list[set[str]] = []
        remaining: list[float] = []
        for name, need_year, need in pooled:
            if need_year == year:
                option = inp.option(name)
                sources.append({s.name for s in money if eligible(option, s, inp.switches.ring_fences)})
                remaining.append(need)
        order_of_needs = sorted(range(len(remaining)), key=lambda i: len(sources[i]))
        for stream in order:
            for i in order_of_needs:
                if stream.name not in sources[i] or remaining[i] <= 0 or left[stream.name] <= 0:
                    continue
                take = min(remaining[i], left[stream.name])
                remaining[i] -= take
                left[stream.name] -= take
                totals[(stream.name, year)] = totals.get((stream.name, year), 0.0) + take
        if any(r > 1e-6 for r in remaining):
            return None
    return totals


def _pooled_flows(
    inp: EngineInput, pooled: list[tuple[str, int, float]], charged: dict[tuple[str, int], float], released: dict[tuple[str, int], float]
) -> dict[tuple[str, int], float]:
    from placeplanner.engine.model import eligible
    from placeplanner.engine.solvers import SolverSettings, solve_problem

    money = [s for s in inp.streams if s.is_money]
    problem = pulp.LpProblem("settle", pulp.LpMinimize)
    flows: dict[tuple[str, str, int], Any] = {}
    for index, (name, year, need) in enumerate(pooled):
        option = inp.option(name)
        sources = [s for s in money if eligible(option, s, inp.switches.ring_fences)]
        for stream in sources:
            flows[(name, stream.name, year)] = problem.add_variable(f"f{index}_{len(flows)}", lowBound=0)
        problem += pulp.lpSum(flows[(name, s.name, year)] for s in sources) == need
    for stream in money:
        for year, amount in stream.amounts:
            used = [v for (_, s, y), v in flows.items() if s == stream.name and y == year]
            if used:
                problem += pulp.lpSum(used) <= amount + released.get((stream.name, year), 0.0) - charged.get((stream.name, year), 0.0)
    # Spend fenced money first, so general money is left for whatever comes next.
    problem += pulp.lpSum(v for (_, s, _), v in flows.items() if not inp.stream(s).ring_fenced_for)
    solve_problem(problem, SolverSettings("highs"))
    totals: dict[tuple[str, int], float] = {}
    for (_, stream_name, year), var in flows.items():
        totals[(stream_name, year)] = totals.get((stream_name, year), 0.0) + _value(var)
    return totals


def _value(expression: Any) -> float:
    result = pulp.value(expression)
    return float(result) if result is not None else 0.0
