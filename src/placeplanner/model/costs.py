"""An option's costs per unit of resource: money apart from staff hours, beds and the like, so no
surface ever adds pounds to hours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from placeplanner.model.plan_data import PlanData
from placeplanner.model.records import Option
from placeplanner.money import MONEY, costs_by_unit, format_costs, over_years


def stream_units(plan: PlanData) -> dict[str, str]:
    """Each funding stream's unit by the stream's name."""
    return {s.name: s.unit for s in plan.funding_streams}


def option_costs(option: Option, units: Mapping[str, str], year: int | None = None) -> dict[str, float]:
    """The option's costs summed per unit, over the whole plan or in one financial year."""
    return costs_by_unit(((c.stream, c.amount) for c in option.costs if year is None or c.year == year), units)


def option_money(option: Option, units: Mapping[str, str], year: int | None = None) -> float:
    """The option's cost in money alone (negative for a decommission's release)."""
    return option_costs(option, units, year).get(MONEY, 0.0)


def option_cost_words(option: Option, units: Mapping[str, str], *, years: int = 1) -> str:
    """'£380k + 1,800 staff hours' over the plan; with ``years`` the plan's length, the average a
    year ('£190k + 900 staff hours')."""
    totals = option_costs(option, units)
    return format_costs({unit: amount / max(years, 1) for unit, amount in totals.items()})


def option_cost_over_plan(option: Option, units: Mapping[str, str], years: Sequence[int]) -> str:
    """'£380k + 1,800 staff hours over 2027/28 to 2028/29': what the room is asked to weigh."""
    span = over_years(years)
    return f"{option_cost_words(option, units)} {span}" if span else option_cost_words(option, units)
