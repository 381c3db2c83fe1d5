"""A naive PuLP model of the same problem, as a straightforward first attempt would write it:
one binary per option and level, every stream-year constraint built by scanning all options.
The engine must never be slower end to end than this, on the same solver."""

from __future__ import annotations

from typing import Any

import pulp

from placeplanner.engine.model import eligible
from placeplanner.engine.snapshot import EngineInput


def naive_problem(inp: EngineInput) -> Any:
    problem = pulp.LpProblem("naive", pulp.LpMaximize)
    y = {(o.name, i): problem.add_variable(f"y_{k}_{i}", cat=pulp.LpBinary) for k, o in enumerate(inp.options) for i in range(len(o.levels))}
    on = {o.name: pulp.lpSum(y[(o.name, i)] for i in range(len(o.levels))) for o in inp.options}
    share = {o.name: pulp.lpSum(lv.cost_share * y[(o.name, i)] for i, lv in enumerate(o.levels)) for o in inp.options}
    problem += pulp.lpSum(o.value * lv.value_share * y[(o.name, i)] for o in inp.options for i, lv in enumerate(o.levels))
    for o in inp.options:
        problem += on[o.name] <= 1
        if o.mandatory:
            problem += on[o.name] == 1
        if o.excluded:
            problem += on[o.name] == 0
        for r in o.requires:
            problem += on[o.name] <= on[r]
        for e in o.excludes:
            problem += on[o.name] + on[e] <= 1
    flows = {}
    money = [s for s in inp.streams if s.is_money]
    for o in inp.options:
        for year in inp.years:
            need = sum(a for s, yr, a in o.costs if yr == year and a > 0)
            if need > 0:
                sources = [s for s in money if eligible(o, s)]
                for s in sources:
                    flows[(o.name, s.name, year)] = problem.add_variable(f"f_{len(flows)}", lowBound=0)
                problem += pulp.lpSum(flows[(o.name, s.name, year)] for s in sources) == need * share[o.name]
    for s in money:
        for year, amount in s.amounts:
            spent = [flows[(o.name, s.name, year)] for o in inp.options if (o.name, s.name, year) in flows]
            freed = [-a * share[o.name] for o in inp.options for st, yr, a in o.costs if st == s.name and yr == year and a < 0]
            if spent:
                problem += pulp.lpSum(spent) <= amount + pulp.lpSum(freed)
    for rule in inp.rules:
        matching = [o for o in inp.options if rule.target_name in o.tags or o.kind == rule.target_name]
        count = pulp.lpSum(on[o.name] for o in matching)
        if rule.minimum is not None:
            problem += count >= rule.minimum
        if rule.maximum is not None:
            problem += count <= rule.maximum
    return problem
