"""What the allocation view shows, worked out from a run as plain values (no Qt).

The worker prepares all of it off the GUI thread, so a plan of thousands of options reaches the
screen as ready-made table rows and bar lengths, and the tests can check it without widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from placeplanner.engine import spend
from placeplanner.engine.explain import OptionReason
from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput, OptionIn
from placeplanner.money import MONEY, format_costs

MOST_BARS = 12  # beyond this many categories the smallest are summed as "Other"


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: what it says, how it sorts, and its colour role (see allocation_tables)."""

    text: str
    sort: float | str | None = None  # None: sort by the text
    tone: str = ""  # funded, left_out, core, borderline, exterior, gain, loss
    tip: str = ""
    number: bool = False  # right-aligned


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    name: str
    funded: bool
    level: str  # the funded level ("Full", "Half", "65%"); "" when left out
    value: float  # delivered when funded; at the full level when left out
    cost: float  # money over the plan's years at that level; negative when it releases money
    mandatory: bool
    excluded: bool
    brief: str = ""  # the reason in a few words
    reason: str = ""  # the reason in a sentence
    resources: tuple[tuple[str, float], ...] = ()  # other units (staff hours, beds) at that level

    @property
    def cost_words(self) -> str:
        """Money and other resources side by side, never summed: '£380k + 1,800 staff hours'."""
        return format_costs({MONEY: self.cost, **dict(self.resources)})


def full_share(option: OptionIn) -> float:
    return max(level.cost_share for level in option.levels)


def net_cost(inp: EngineInput, option: OptionIn, share: float) -> float:
    """Money the option draws over the plan's years at ``share`` of its full cost, less what it releases."""
    return spend.option_costs(inp, option, share).get(MONEY, 0.0)


def other_resources(inp: EngineInput, option: OptionIn, share: float) -> tuple[tuple[str, float], ...]:
    """What the option needs besides money (staff hours, beds), per unit, at ``share``."""
    return tuple(sorted((u, a) for u, a in spend.option_costs(inp, option, share).items() if u != MONEY))


def portfolio_rows(inp: EngineInput, allocation: Allocation, reasons: Iterable[OptionReason] = ()) -> tuple[PortfolioRow, ...]:
    """Every option, funded ones first, each group by value (highest first)."""
    funded = {f.name: f for f in allocation.funded}
    why = {r.name: r for r in reasons}
    rows = []
    for option in inp.options:
        item = funded.get(option.name)
        reason = why.get(option.name)
        share = item.share if item else full_share(option)
        rows.append(PortfolioRow(
            name=option.name, funded=item is not None, level=item.level if item else "",
            value=item.value if item else option.value,
            cost=net_cost(inp, option, share),
            mandatory=option.mandatory, excluded=option.excluded,
            brief=brief(reason) if reason else "", reason=reason.reason if reason else "",
            resources=other_resources(inp, option, share),
        ))
    rows.sort(key=lambda r: (not r.funded, -r.value, r.name))
    return tuple(rows)


def brief(reason: OptionReason) -> str:
    """The reason in a few words for the table; the full sentence goes in the tooltip."""
    change = reason.change_if_flipped
    cause = reason.reason.split(": ", 1)[1].rstrip(".") if ": " in reason.reason else ""
    if reason.funded:
        if reason.reason.endswith("is mandatory."):
            return "Mandatory"
        if change is None:
            return "Cannot be left out without breaking a rule"
        if change <= 1e-6:
            return "An equally good portfolio exists without it"
        return f"Leaving it out loses {change:.1f} points of value"
    if reason.reason.endswith("is out of consideration."):
        return "Out of consideration"
    if change is None:
        return f"Cannot be funded: {cause}" if cause else "Cannot be funded"
    if "adds no value" in reason.reason:
        return "Adds no value on the agreed scores"
    return f"Forcing it in loses {change:.1f} points: {cause}" if cause else f"Forcing it in loses {change:.1f} points"


PORTFOLIO_COLUMNS = ("Option", "Decision", "Level", "Value", "Cost", "Why")
PORTFOLIO_TIPS = (
    "A proposed change: invest, expand, redesign or decommission",
    "Funded in the best portfolio, or left out",
    "How much of the option is funded: a named level (such as half) or a share of its full cost",
    "Weighted value: the agreed scores times the values' weights (for a part-funded option, the share it delivers)",
    "Money over the plan's years at that level (negative when a decommission releases money), "
    "with staff hours and other resources beside it, never added to it; sorts by money",
    "Why it is in or out, worked out by solving again with it flipped",
)
WHY_COLUMN = 5
ON_DEMAND = "Select the row to explain"


def portfolio_cells(row: PortfolioRow, explain_on_demand: bool) -> Row:
    if row.funded:
        decision = Cell("Funded", 0, "funded", "Mandatory: must be funded" if row.mandatory else "In the best portfolio")
    else:
        decision = Cell("Left out", 1, "left_out", "Out of consideration" if row.excluded else "Not in the best portfolio")
    why = row.brief or (ON_DEMAND if explain_on_demand else "")
    return (
        Cell(row.name, row.name.casefold(), tip=row.name),
        decision,
        Cell(row.level or "—", row.level or "~", tip="" if row.funded else "Left out: the value and cost shown are for the full option"),
        Cell(f"{row.value:.1f}", row.value, number=True),
        Cell(row.cost_words, row.cost, number=True, tip="Money released by a decommission" if row.cost < 0 else ""),
        Cell(why, why.casefold(), tip=row.reason),
    )


# --- where the money goes


@dataclass(frozen=True, slots=True)
class SpendBreakdown:
    """Spend per category (partner, stream or need) and financial year, with what was available."""

    title: str  # "By partner"
    categories: tuple[str, ...]
    years: tuple[int, ...]
    spend: tuple[tuple[float, ...], ...]  # per category, per year
    available: tuple[float, ...] = ()  # per category over all years; () when there is no budget to compare

    def total(self, index: int) -> float:
        return sum(self.spend[index])


def spend_by_stream(inp: EngineInput, allocation: Allocation) -> SpendBreakdown:
    money = [s for s in inp.streams if s.is_money]
    spent = spend.per_year(((s, y, a) for s, y, a in allocation.spend), inp.years)
    released = _released(allocation)
    available = {s.name: sum(a for _, a in s.amounts) + released.get(s.name, 0.0) for s in money}
    return fold("By stream and year", [(s.name, spent.get(s.name, spend.zeros(inp.years)), available[s.name]) for s in money], inp.years)


def spend_by_partner(inp: EngineInput, allocation: Allocation) -> SpendBreakdown:
    money = {s.name: s for s in inp.streams if s.is_money}
    spent = spend.per_year(((money[s].partner, y, a) for s, y, a in allocation.spend if s in money), inp.years)
    released = _released(allocation)
    available: dict[str, float] = {}
    for stream in money.values():
        available[stream.partner] = available.get(stream.partner, 0.0) + sum(a for _, a in stream.amounts) + released.get(stream.name, 0.0)
    return fold("By partner", [(p, spent.get(p, spend.zeros(inp.years)), available[p]) for p in available], inp.years)


def spend_by_need(inp: EngineInput, allocation: Allocation) -> SpendBreakdown:
    """An option addressing several needs counts a share of its spend against each."""
    spent = spend.spend_by_need(inp, allocation)
    return fold("By need", [(n, per_year, None) for n, per_year in spent.items()], inp.years)


def spend_breakdowns(inp: EngineInput, allocation: Allocation) -> tuple[SpendBreakdown, ...]:
    return spend_by_partner(inp, allocation), spend_by_stream(inp, allocation), spend_by_need(inp, allocation)


def _released(allocation: Allocation) -> dict[str, float]:
    out: dict[str, float] = {}
    for stream, _, amount in allocation.released:
        out[stream] = out.get(stream, 0.0) + amount
    return out


def fold(title: str, rows: list[tuple[str, list[float], float | None]], years: Sequence[int]) -> SpendBreakdown:
    """Largest first; past MOST_BARS the smallest are summed into one "Other" bar."""
    rows.sort(key=lambda r: (-sum(r[1]), -(r[2] or 0.0), r[0]))
    if len(rows) > MOST_BARS:
        kept, rest = rows[: MOST_BARS - 1], rows[MOST_BARS - 1:]
        summed = [sum(r[1][i] for r in rest) for i in range(len(years))]
        spare = None if any(r[2] is None for r in rest) else sum(r[2] or 0.0 for r in rest)
        rows = [*kept, (f"Other ({len(rest)})", summed, spare)]
    has_budget = all(r[2] is not None for r in rows)
    return SpendBreakdown(
        title, tuple(r[0] for r in rows), tuple(years), tuple(tuple(r[1]) for r in rows),
        tuple(r[2] or 0.0 for r in rows) if has_budget else (),
    )
