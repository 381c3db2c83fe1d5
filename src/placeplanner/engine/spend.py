"""Where an allocation's money goes, year by year: the sums the Allocation screen charts and the
board paper tabulates, and how the budget, the money decommissions release and the spend
reconcile, worked out once here for every surface."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput, OptionIn
from placeplanner.money import Reconciliation, costs_by_unit

NO_NEED = "(no need recorded)"


def zeros(years: Sequence[int]) -> list[float]:
    return [0.0] * len(years)


def per_year(entries: Iterable[tuple[str, int, float]], years: Sequence[int]) -> dict[str, list[float]]:
    """(name, year, amount) summed into one amount per year for each name, in ``years`` order;
    years outside the plan are left out."""
    column = {year: i for i, year in enumerate(years)}
    out: dict[str, list[float]] = {}
    for name, year, amount in entries:
        if year in column:
            out.setdefault(name, zeros(years))[column[year]] += amount
    return out


def spend_by_need(inp: EngineInput, allocation: Allocation) -> dict[str, list[float]]:
    """Money spent on the funded options per need and year; an option addressing several needs
    counts an equal share of its spend against each."""
    entries: list[tuple[str, int, float]] = []
    for item in allocation.funded:
        option = inp.option(item.name)
        needs = option.needs or (NO_NEED,)
        for stream, year, amount in option.costs:
            if amount > 0 and inp.stream(stream).is_money:
                entries.extend((need, year, amount * item.share / len(needs)) for need in needs)
    return per_year(entries, inp.years)


def money_budget(inp: EngineInput) -> float:
    """The money the partners pool over the plan's years (other resources left out)."""
    return sum(a for s in inp.streams if s.is_money for _, a in s.amounts)


def money_spent(inp: EngineInput, allocation: Allocation) -> float:
    """What the funded options draw from money streams over the plan's years."""
    return sum(a for s, _, a in allocation.spend if inp.stream(s).is_money)


def money_released(inp: EngineInput, allocation: Allocation) -> float:
    """What the funded decommissions release into money streams over the plan's years."""
    return sum(a for s, _, a in allocation.released if inp.stream(s).is_money)


def reconcile(inp: EngineInput, allocation: Allocation) -> Reconciliation:
    """The budget, plus what decommissions release, is what is available; the spend comes out of
    it. Every surface that shows a budget beside a spend takes its figures from here."""
    return Reconciliation(money_budget(inp), money_released(inp, allocation), money_spent(inp, allocation))


def option_costs(inp: EngineInput, option: OptionIn, share: float = 1.0) -> dict[str, float]:
    """The option's costs over the plan's years at ``share``, per unit: money apart from staff
    hours and the like, never summed together. Money is net of what it releases (negative for
    a decommission)."""
    units = {s.name: s.unit for s in inp.streams}
    return {unit: amount * share for unit, amount in costs_by_unit(((s, a) for s, _, a in option.costs), units).items()}
