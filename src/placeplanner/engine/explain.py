"""Why in, why out, and what more money would buy: each answered by re-solving, not guessed.

LP duals mislead on integer problems (a budget's dual says nothing about the lumpy option just
out of reach), so every figure here is the difference between two proven optima.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from placeplanner.engine.model import eligible
from placeplanner.engine.progress import RunState
from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.money import format_money, format_quantity, year_label

SLACK = 0.01


@dataclass(frozen=True, slots=True)
class OptionReason:
    name: str
    funded: bool
    level: str
    value: float
    change_if_flipped: float | None  # value lost by forcing it out (funded) or in (left out); None: cannot be
    reason: str  # in words


@dataclass(frozen=True, slots=True)
class MoreMoney:
    stream: str  # or "all money streams"
    extra_per_year: float
    gain: float | None
    newly_funded: tuple[str, ...]
    dropped: tuple[str, ...]


def why(inp: EngineInput, base: Allocation, settings: SolverSettings | None = None, state: RunState | None = None, only: str | None = None) -> list[OptionReason]:
    settings = settings or SolverSettings()
    state = state or RunState()
    assert base.objective is not None, "explain a solved portfolio"
    funded = {f.name: f for f in base.funded}
    left = _left_over(inp, base)
    options = [o for o in inp.options if only is None or o.name == only]
    reasons = []
    for index, option in enumerate(options):
        state.step(index, len(options), option.name)
        forced = allocate(inp, settings, fixed={option.name: option.name not in funded})
        change = None if forced.objective is None else round(base.objective - forced.objective, 6)
        if option.name in funded:
            reasons.append(OptionReason(option.name, True, funded[option.name].level, funded[option.name].value, change, _why_in(option.name, option.mandatory, change)))
        else:
            reasons.append(OptionReason(option.name, False, "", option.value, change, _why_out(inp, option.name, funded, left, change)))
    state.step(len(options), len(options), "done")
    return reasons


def more_money(inp: EngineInput, base: Allocation, *, share: float = 0.1, settings: SolverSettings | None = None, state: RunState | None = None) -> list[MoreMoney]:
    """What ``share`` more of each money stream (and of all of them) would buy, per year."""
    settings = settings or SolverSettings()
    state = state or RunState()
    money = [s for s in inp.streams if s.is_money]
    runs = [(s.name, [s.name]) for s in money] + [("all money streams", [s.name for s in money])]
    out = []
    before = set(base.selected_names)
    for index, (label, names) in enumerate(runs):
        state.step(index, len(runs), label)
        extra_total = 0.0
        streams = []
        for stream in inp.streams:
            if stream.name not in names:
                streams.append(stream)
                continue
            extra = share * max((a for _, a in stream.amounts), default=0.0)
            extra_total += extra
            streams.append(replace(stream, amounts=tuple((y, a + extra) for y, a in stream.amounts)))
        result = allocate(replace(inp, streams=tuple(streams)), settings)
        gain = None if result.objective is None or base.objective is None else round(result.objective - base.objective, 6)
        after = set(result.selected_names)
        out.append(MoreMoney(label, round(extra_total, 2), gain, tuple(sorted(after - before)), tuple(sorted(before - after))))
    state.step(len(runs), len(runs), "done")
    return out


def _why_in(name: str, mandatory: bool, change: float | None) -> str:
    if mandatory:
        return f"{name} is mandatory."
    if change is None:
        return f"{name} cannot be left out without breaking a rule."
    if change <= 1e-6:
        return f"{name} is funded, but an equally good portfolio exists without it."
    return f"Leaving {name} out would lose {change:.1f} points of value: no other use of its money does as well."


def _why_out(inp: EngineInput, name: str, funded: Mapping[str, object], left: dict[tuple[str, int], float], change: float | None) -> str:
    option = inp.option(name)
    if option.excluded:
        return f"{name} is out of consideration."
    blockers = [o for o in option.excludes if o in funded] + [o.name for o in inp.options if name in o.excludes and o.name in funded]
    if change is None:
        cause = f"it excludes {', '.join(sorted(set(blockers)))}, which must be funded" if blockers else "a rule forbids it"
        return f"{name} cannot be funded: {cause}."
    if option.value <= 0:
        return f"{name} adds no value on the agreed scores, so funding it would only spend money."
    parts = []
    for year in inp.years:
        need = sum(a for s, y, a in option.costs if y == year and a > 0 and inp.stream(s).is_money)
        sources = [s for s in inp.streams if s.is_money and eligible(option, s, inp.switches.ring_fences)]
        free = sum(max(left.get((s.name, year), 0.0), 0.0) for s in sources)
        if need > 0 and free + SLACK < need:
            parts.append(f"it needs {format_money(need)} in {year_label(year)} and only {format_money(free)} is left in the streams it can draw on")
        # Staff hours, beds and the like are counted in their own units, never as money.
        for stream_name, unit_year, amount in option.costs:
            stream = inp.stream(stream_name)
            if unit_year != year or amount <= 0 or stream.is_money:
                continue
            spare = max(left.get((stream_name, year), 0.0), 0.0)
            if spare + SLACK < amount:
                parts.append(f"it needs {format_quantity(amount, stream.unit)} from {stream_name} in {year_label(year)} "
                             f"and only {format_quantity(spare, stream.unit)} are left")
    parts.extend(_rules_at_their_limit(inp, option.name, funded))
    because = "; ".join(parts) if parts else (f"it excludes {', '.join(sorted(set(blockers)))}" if blockers else "its value for money is lower than the options chosen")
    return f"Funding {name} would lose {change:.1f} points of value overall: {because}."


def _rules_at_their_limit(inp: EngineInput, name: str, funded: Mapping[str, object]) -> list[str]:
    """Maximum rules that adding this option, on top of what is funded, would break."""
    from placeplanner.engine.greedy import rule_contribution

    found = []
    for rule in inp.rules:
        if rule.maximum is None:
            continue
        full = inp.option(name).levels[-1]
        extra = rule_contribution(inp, rule.name, name, full)
        if extra <= 0:
            continue
        current = sum(rule_contribution(inp, rule.name, other, inp.option(other).levels[-1]) for other in funded)
        if current + extra > rule.maximum + 1e-6:
            limit = format_money(rule.maximum) if rule.measure == "spend" else f"{rule.maximum:g} options"
            found.append(f"the rule '{rule.name}' allows at most {limit} and is already at {format_money(current) if rule.measure == 'spend' else f'{current:g}'}")
    return found


def _left_over(inp: EngineInput, base: Allocation) -> dict[tuple[str, int], float]:
    used = {(s, y): a for s, y, a in base.spend}
    released = {(s, y): a for s, y, a in base.released}
    return {
        (s.name, y): a + released.get((s.name, y), 0.0) - used.get((s.name, y), 0.0)
        for s in inp.streams for y, a in s.amounts
    }
