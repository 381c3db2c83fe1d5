"""Where an allocation's money goes, year by year: the sums the Allocation screen charts and the
board paper tabulates, worked out once here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput

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
