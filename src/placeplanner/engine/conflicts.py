"""When the rules cannot all hold, find a minimal set that conflicts and say it in plain words.

A deletion filter over constraint groups: drop each group in turn; if the rest is still
infeasible the group is not needed to explain the conflict and stays dropped. What remains
is irreducible: remove any one of its rules and a portfolio exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from placeplanner.engine.model import Group, all_groups, build_model
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solvers import SolverSettings, solve_problem
from placeplanner.money import format_money, year_label


@dataclass(frozen=True, slots=True)
class Conflict:
    groups: tuple[Group, ...]
    sentences: tuple[str, ...]

    @property
    def summary(self) -> str:
        return "These rules cannot all hold: " + "; ".join(self.sentences) + "."


def is_feasible(inp: EngineInput, without: set[Group], settings: SolverSettings) -> bool:
    built = build_model(inp, without=without)
    built.problem.setObjective(0 * built.objective)  # feasibility only: stop at the first portfolio
    return solve_problem(built.problem, settings).status in {"optimal", "feasible", "stopped"}


def find_conflict(inp: EngineInput, settings: SolverSettings | None = None) -> Conflict | None:
    """None when a portfolio exists; else an irreducible set of conflicting rules, described."""
    settings = settings or SolverSettings()
    # Try dropping wide pools of money before single streams, so the conflict names the tightest.
    groups = sorted(all_groups(inp), key=lambda g: -len(g) if g[0] == "budget" else 0)
    if is_feasible(inp, set(), settings):
        return None
    # The structural limits (an option's own levels) are not groups; everything else may be dropped.
    dropped: set[Group] = set()
    kept: list[Group] = []
    for group in groups:
        if not is_feasible(inp, dropped | {group}, settings):
            dropped.add(group)
        else:
            kept.append(group)
    # Say what is asked before what is available: options and rules first, budgets last.
    kept.sort(key=lambda g: g[0] == "budget")
    return Conflict(tuple(kept), tuple(describe(inp, g) for g in kept))


def describe(inp: EngineInput, group: Group) -> str:
    kind = group[0]
    if kind == "budget":
        names, year = group[1:-1], int(group[-1])
        if len(names) == 1:
            stream = inp.stream(names[0])
            amount = dict(stream.amounts).get(year, 0.0)
            fence = f" (ring-fenced for {', '.join(stream.ring_fenced_for)})" if stream.ring_fenced_for else ""
            return f"{stream.name}{fence} holds {_amount(amount, stream.unit)} in {year_label(year)}"
        total = sum(dict(inp.stream(n).amounts).get(year, 0.0) for n in names)
        return f"the money the options can draw on ({', '.join(names)}) comes to {format_money(total)} in {year_label(year)}"
    if kind == "mandatory":
        option = inp.option(group[1])
        return f"the mandatory option {option.name} must be funded, needing {_needs(inp, option.name)}"
    if kind == "requires":
        return f"{group[1]} requires {group[2]}"
    if kind == "excludes":
        return f"{group[1]} and {group[2]} exclude each other"
    if kind == "excluded":
        return f"{group[1]} is out of consideration"
    if kind == "ring_fence":
        return f"{', '.join(group[1:])} may fund only the options it is ring-fenced for"
    if kind == "rule":
        rule = next(r for r in inp.rules if r.name == group[1])
        bound = rule.minimum if group[2] == "min" else rule.maximum
        limit = bound or 0.0
        wanted = format_money(limit) if rule.measure == "spend" else f"{limit:g} option{'s' * (limit != 1)}"
        direction = "at least" if group[2] == "min" else "at most"
        return f"the rule '{rule.name}' asks for {direction} {wanted} for {rule.target} '{rule.target_name}'"
    return " ".join(group)


def _needs(inp: EngineInput, name: str) -> str:
    option = inp.option(name)
    parts = []
    for year in inp.years:
        by_stream = [(s, a) for s, y, a in option.costs if y == year and a > 0]
        if by_stream:
            text = " and ".join(f"{_amount(a, inp.stream(s).unit)} from {s}" for s, a in by_stream)
            parts.append(f"{text} in {year_label(year)}")
    return " and ".join(parts) if parts else "no money"


def _amount(amount: float, unit: str) -> str:
    return format_money(amount, unit)
