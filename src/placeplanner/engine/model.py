"""Building the allocation problem in PuLP from a snapshot. Nothing here solves anything.

Every constraint belongs to a named group (one budget in one year, one rule bound, one
"requires" link, ...) so that a group can be left out: that is how scenarios switch rules
off, how the engine asks "what if?", and how it finds which rules conflict.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pulp

from placeplanner.engine.snapshot import EngineInput, OptionIn, StreamIn

Group = tuple[str, ...]  # ("budget", stream, year), ("rule", name, "min"), ("mandatory", option), ...


@dataclass
class BuiltModel:
    problem: Any  # pulp.LpProblem
    inp: EngineInput
    level_vars: dict[tuple[str, int], Any] = field(default_factory=dict)
    share_vars: dict[str, Any] = field(default_factory=dict)
    selected: dict[str, Any] = field(default_factory=dict)  # 0/1 expression: is the option funded?
    cost_share: dict[str, Any] = field(default_factory=dict)  # share of full cost funded
    value_share: dict[str, Any] = field(default_factory=dict)  # share of full value delivered
    groups: dict[Group, list[str]] = field(default_factory=dict)  # group -> constraint names
    # Budget rows by constraint name: the (stream, year) amounts on their right-hand side, so a
    # frontier can move the budgets without building the model again.
    budget_rows: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    objective: Any = None

    def add(self, group: Group, constraint: Any) -> str:
        name = f"c{sum(len(v) for v in self.groups.values())}"
        self.problem += constraint, name
        self.groups.setdefault(group, []).append(name)
        return name

    def set_budgets(self, streams: tuple[StreamIn, ...]) -> None:
        """Give every budget row the amounts of ``streams`` (same names, new amounts)."""
        amounts = {(s.name, y): a for s in streams for y, a in s.amounts}
        for name, keys in self.budget_rows.items():
            self.problem.get_constraint_by_name(name).constant = -sum(amounts.get(k, 0.0) for k in keys)


def eligible(option: OptionIn, stream: StreamIn, ring_fences: bool = True) -> bool:
    """May this stream pay for this option? Ring-fenced streams pay only for matching kinds or tags."""
    if not stream.ring_fenced_for or not ring_fences:
        return True
    for token in stream.ring_fenced_for:
        prefix, _, name = token.partition(":")
        if (prefix == "kind" and option.kind == name) or (prefix == "tag" and name in option.tags):
            return True
    return False


def all_groups(inp: EngineInput) -> list[Group]:
    """Every constraint group the snapshot's switches allow, in a stable order."""
    return list(build_model(inp).groups)


def build_model(inp: EngineInput, *, without: Collection[Group] = (), fixed: dict[str, bool] | None = None) -> BuiltModel:
    """The problem for ``inp``, leaving out the groups named in ``without``.

    ``fixed`` forces options in (True) or out (False), for "what would it cost to fund this?".
    """
    switches = inp.switches
    problem = pulp.LpProblem("allocation", pulp.LpMaximize)
    built = BuiltModel(problem, inp)
    skip = set(without)
    streams = {s.name: s for s in inp.streams}
    money = [s for s in inp.streams if s.is_money]

    for index, option in enumerate(inp.options):
        tag = f"o{index}"
        if option.min_share is not None:
            chosen = problem.add_variable(f"{tag}_on", cat=pulp.LpBinary)
            share = problem.add_variable(f"{tag}_share", lowBound=0, upBound=1)
            built.share_vars[option.name] = share
            problem += share >= option.min_share * chosen, f"{tag}_min_share"
            problem += share <= chosen, f"{tag}_share_only_if_on"
            built.selected[option.name] = chosen
            built.cost_share[option.name] = share
            built.value_share[option.name] = share
        else:
            levels = [problem.add_variable(f"{tag}_l{i}", cat=pulp.LpBinary) for i in range(len(option.levels))]
            for i, var in enumerate(levels):
                built.level_vars[(option.name, i)] = var
            if len(levels) > 1:
                problem += pulp.lpSum(levels) <= 1, f"{tag}_one_level"
            built.selected[option.name] = pulp.lpSum(levels)
            built.cost_share[option.name] = pulp.lpSum(lv.cost_share * v for lv, v in zip(option.levels, levels, strict=True))
            built.value_share[option.name] = pulp.lpSum(lv.value_share * v for lv, v in zip(option.levels, levels, strict=True))

    selected = built.selected
    for index, option in enumerate(inp.options):
        if fixed and option.name in fixed:
            problem += selected[option.name] == int(fixed[option.name]), f"o{index}_fixed"
        if option.excluded and ("excluded", option.name) not in skip:
            built.add(("excluded", option.name), selected[option.name] == 0)
        if option.mandatory and switches.mandatory and ("mandatory", option.name) not in skip:
            built.add(("mandatory", option.name), selected[option.name] == 1)
        if switches.requires:
            for other in option.requires:
                if ("requires", option.name, other) not in skip and other in selected:
                    built.add(("requires", option.name, other), selected[option.name] <= selected[other])
        if switches.excludes:
            for other in option.excludes:
                if ("excludes", option.name, other) not in skip and other in selected:
                    built.add(("excludes", option.name, other), selected[option.name] + selected[other] <= 1)

    _budgets(built, money, streams, skip)
    if switches.rules:
        _rules(built, skip)

    built.objective = pulp.lpSum(o.value * built.value_share[o.name] for o in inp.options)
    problem += built.objective
    return built


MAX_POOLS = 64


def _budgets(built: BuiltModel, money: list[StreamIn], streams: dict[str, StreamIn], skip: set[Group]) -> None:
    """Budget rows. Costs charged to a named stream make one row per stream and year. Pooled money
    (met from any stream the option is eligible for) is a transportation problem; rather than a
    flow variable per option, stream and year, it takes Hall's condition: for every union U of the
    options' eligible-stream sets, what options that can draw only on U ask is at most what U holds.
    That is exact, needs a handful of rows, and leaves the solver a pure knapsack. Which stream pays
    for what is settled after the solve (result.py)."""
    inp = built.inp
    switches = inp.switches
    charged: dict[tuple[str, int], list[Any]] = {}
    released: dict[tuple[str, int], list[Any]] = {}
    pooled: dict[int, dict[frozenset[str], list[Any]]] = {}
    for option in inp.options:
        share = built.cost_share[option.name]
        need_by_year: dict[int, float] = {}
        for stream_name, year, amount in option.costs:
            stream = streams.get(stream_name)
            if stream is None:
                continue
            if amount < 0:
                released.setdefault((stream_name, year), []).append(-amount * share)
            elif switches.pool_money and stream.is_money:
                need_by_year[year] = need_by_year.get(year, 0.0) + amount
            else:
                charged.setdefault((stream_name, year), []).append(amount * share)
                if switches.ring_fences and not eligible(option, stream) and ("ring_fence", stream_name) not in skip:
                    built.add(("ring_fence", stream_name), built.selected[option.name] == 0)
        for year, need in sorted(need_by_year.items()):
            sources = frozenset(s.name for s in money if eligible(option, s, switches.ring_fences))
            if not sources:
                fences = tuple(sorted({s.name for s in money if s.ring_fenced_for}))
                if ("ring_fence", *fences) not in skip:
                    built.add(("ring_fence", *fences), built.selected[option.name] == 0)
                continue
            pooled.setdefault(year, {}).setdefault(sources, []).append(need * share)
    if not switches.budgets:
        return
    for stream in inp.streams:
        for year, amount in stream.amounts:
            group: Group = ("budget", stream.name, str(year))
            if group in skip or (stream.name, year) not in charged:
                continue
            row = built.add(group, pulp.lpSum(charged[(stream.name, year)]) <= amount + pulp.lpSum(released.get((stream.name, year), [])))
            built.budget_rows[row] = ((stream.name, year),)
    for year, classes in sorted(pooled.items()):
        for union in pool_unions(list(classes)):
            group = ("budget", *sorted(union), str(year))
            if group in skip:
                continue
            demand = [e for sources, exprs in classes.items() if sources <= union for e in exprs]
            holds = sum(dict(streams[name].amounts).get(year, 0.0) for name in union)
            freed = [e for name in union for e in released.get((name, year), [])]
            used = [e for name in union for e in charged.get((name, year), [])]
            row = built.add(group, pulp.lpSum(demand) + pulp.lpSum(used) <= holds + pulp.lpSum(freed))
            built.budget_rows[row] = tuple((name, year) for name in sorted(union))


def pool_unions(sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """Every union of some of ``sets``, smallest first (fences are few, so these are few)."""
    closed = set(sets)
    frontier = list(sets)
    while frontier:
        grown = []
        for current in frontier:
            for other in sets:
                joined = current | other
                if joined not in closed:
                    closed.add(joined)
                    grown.append(joined)
        if len(closed) > MAX_POOLS:
            raise ValueError(f"more than {MAX_POOLS} combinations of ring-fenced streams; merge some fences")
        frontier = grown
    return sorted(closed, key=lambda u: (len(u), sorted(u)))


def _rules(built: BuiltModel, skip: set[Group]) -> None:
    inp = built.inp
    for rule in inp.rules:
        matching = [o for o in inp.options if _matches(o, rule.target, rule.target_name)]
        if rule.measure == "count":
            measure = pulp.lpSum(built.selected[o.name] for o in matching)
        else:
            measure = pulp.lpSum(
                amount * built.cost_share[o.name]
                for o in matching for stream, _, amount in o.costs
                if amount > 0 and inp.stream(stream).is_money
            )
        if rule.minimum is not None and ("rule", rule.name, "min") not in skip:
            built.add(("rule", rule.name, "min"), measure >= rule.minimum)
        if rule.maximum is not None and ("rule", rule.name, "max") not in skip:
            built.add(("rule", rule.name, "max"), measure <= rule.maximum)


def _matches(option: OptionIn, target: str, name: str) -> bool:
    return {
        "tag": name in option.tags,
        "need": name in option.needs,
        "partner": option.lead_partner == name,
        "kind": option.kind == name,
    }[target]
