"""What a benefit-per-pound ranking would fund: the method most commercial tools use.

Mandatory options first; then the rest in order of weighted value per pound of money asked
(savings and free options first), each funded in full if it still fits the budgets and breaks
no "excludes" or maximum rule, together with any option it requires; skipped otherwise.
Minimum rules are not pursued, as a ranking does not; the result says which it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from placeplanner.engine.fit import Ledger
from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn


@dataclass(frozen=True, slots=True)
class GreedyResult:
    selected: tuple[str, ...]
    objective: float
    order: tuple[str, ...]  # the ranking, best value per pound first
    broken_rules: tuple[str, ...] = ()


def money_asked(inp: EngineInput, option: OptionIn) -> float:
    return sum(a for s, _, a in option.costs if a > 0 and inp.stream(s).is_money)


def ratio(inp: EngineInput, option: OptionIn) -> float:
    asked = money_asked(inp, option)
    return float("inf") if asked <= 0 else option.value / asked


def greedy(inp: EngineInput) -> GreedyResult:
    full = {o.name: _full_level(o) for o in inp.options}
    chosen: dict[str, LevelIn] = {}
    ledger = Ledger(inp)
    totals = {r.name: 0.0 for r in inp.rules}  # each rule's measure over what is chosen so far
    excluded_by: dict[str, set[str]] = {}
    for o in inp.options:
        for other in o.excludes:
            excluded_by.setdefault(other, set()).add(o.name)
    candidates = [o for o in inp.options if not o.excluded]
    order = sorted(candidates, key=lambda o: (-ratio(inp, o), -o.value, o.name))
    mandatory = [o for o in candidates if o.mandatory and inp.switches.mandatory]

    def try_add(option: OptionIn) -> bool:
        package = _with_requirements(inp, option, chosen)
        if package is None:
            return False
        trial = {**chosen, **{name: full[name] for name in package}}
        if inp.switches.excludes and _excluded(inp, package, trial, excluded_by):
            return False
        if inp.switches.rules and _breaks_maximum(inp, package, chosen, full, totals):
            return False
        if not ledger.fits_with(package, full):
            return False
        ledger.add(package, full)
        for rule in inp.rules:
            totals[rule.name] += sum(rule_contribution(inp, rule.name, name, full[name]) for name in package)
        chosen.update(trial)
        return True

    for option in mandatory:
        try_add(option)
    for option in order:
        if option.name not in chosen and option.value > 0:
            try_add(option)
    selected = tuple(o.name for o in inp.options if o.name in chosen)
    objective = round(sum(inp.option(n).value for n in selected), 9)
    broken = tuple(r.name for r in inp.rules if inp.switches.rules and not _rule_holds(inp, r.name, chosen))
    return GreedyResult(selected, objective, tuple(o.name for o in order), broken)


def _full_level(option: OptionIn) -> LevelIn:
    return max(option.levels, key=lambda lv: lv.cost_share)


def _with_requirements(inp: EngineInput, option: OptionIn, chosen: dict[str, LevelIn]) -> set[str] | None:
    package: set[str] = set()
    stack = [option.name]
    while stack:
        name = stack.pop()
        if name in package or name in chosen:
            continue
        current = inp.option(name)
        if current.excluded:
            return None
        package.add(name)
        if inp.switches.requires:
            stack.extend(current.requires)
    return package


def _excluded(inp: EngineInput, package: set[str], trial: dict[str, LevelIn], excluded_by: dict[str, set[str]]) -> bool:
    return any(
        other in trial for name in package for other in (*inp.option(name).excludes, *excluded_by.get(name, ()))
    )


def rule_contribution(inp: EngineInput, rule_name: str, name: str, level: LevelIn) -> float:
    rule = next(r for r in inp.rules if r.name == rule_name)
    option = inp.option(name)
    hit = {"tag": rule.target_name in option.tags, "need": rule.target_name in option.needs,
           "partner": option.lead_partner == rule.target_name, "kind": option.kind == rule.target_name}[rule.target]
    if not hit:
        return 0.0
    if rule.measure == "count":
        return 1.0
    return sum(a * level.cost_share for s, _, a in option.costs if a > 0 and inp.stream(s).is_money)


def _breaks_maximum(inp: EngineInput, package: set[str], chosen: dict[str, LevelIn], full: dict[str, LevelIn], totals: dict[str, float]) -> bool:
    for rule in inp.rules:
        if rule.maximum is None:
            continue
        added = sum(rule_contribution(inp, rule.name, name, full[name]) for name in package if name not in chosen)
        if totals[rule.name] + added > rule.maximum + 1e-6:
            return True
    return False


def _rule_holds(inp: EngineInput, rule_name: str, chosen: dict[str, LevelIn]) -> bool:
    rule = next(r for r in inp.rules if r.name == rule_name)
    total = sum(rule_contribution(inp, rule_name, name, level) for name, level in chosen.items())
    return (rule.minimum is None or total >= rule.minimum - 1e-6) and (rule.maximum is None or total <= rule.maximum + 1e-6)
