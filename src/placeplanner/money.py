"""Money, other resources and financial years, written one way on every surface.

The rounding rule is the same on the screens, the projector, the phone, the board paper, the
workbook's words and the command line. Amounts are rounded half away from zero, as Excel's ROUND
and finance teams do: to the nearest £100 below £10k (£9.5k), the nearest £1k below £1m (£190k),
and the nearest £10k from £1m, always with two decimals (£1.85m, £1.00m), so a column of millions
lines up and a reconciliation adds up at the precision shown. Every figure keeps three significant
figures or more, which is what a board reads; the exact pounds stay in the workbook's cells. A
negative amount takes the true minus sign (−£80k). Money and other resources (staff hours, beds)
are never added together: they are written side by side, "£380k + 1,800 staff hours".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONEY = "GBP"
MINUS = "\u2212"  # the true minus sign, on every surface
ROUNDING_RULE = (
    "Money is rounded half away from zero: to the nearest £100 below £10k, the nearest £1k below £1m "
    "and the nearest £10k from £1m. Totals are worked out from exact pounds, so a total can differ from "
    "the sum of its rounded parts in the last digit shown."
)

_YEAR_PATTERN = re.compile(r"^\s*(?:FY\s*)?(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?\s*$", re.IGNORECASE)
# (from, divisor, decimals, suffix), smallest first: the band an amount is written in.
_BANDS = (
    (Decimal(0), Decimal(1), 0, ""),
    (Decimal("1e3"), Decimal("1e3"), 1, "k"),
    (Decimal("1e4"), Decimal("1e3"), 0, "k"),
    (Decimal("1e6"), Decimal("1e6"), 2, "m"),
    (Decimal("1e9"), Decimal("1e9"), 2, "bn"),
)


def _half_up(amount: Decimal, decimals: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _exact(amount: float) -> Decimal:
    # repr gives the shortest decimal that reads back as the float: 1_855_000.0, not 1854999.99...
    return Decimal(repr(float(amount)))


def _sign(amount: Decimal) -> str:
    return MINUS if amount < 0 else ""


def format_money(amount: float, unit: str = MONEY) -> str:
    """£350k, £1.20m, £9.5k, −£80k, £8.61bn; other units as a quantity with the unit."""
    if unit != MONEY:
        return format_quantity(amount, unit)
    size = abs(_exact(amount))
    band = max(i for i, b in enumerate(_BANDS) if size >= b[0])
    while True:
        _, divisor, decimals, suffix = _BANDS[band]
        shown = _half_up(size / divisor, decimals)
        # £999.6k rounds to £1,000k: write it in the next band, as £1.00m.
        if band + 1 < len(_BANDS) and shown * divisor >= _BANDS[band + 1][0]:
            band += 1
            continue
        if shown == 0:
            return "£0"
        return f"{_sign(_exact(amount))}£{shown:,.{decimals}f}{suffix}"


def column_in_millions(amounts: Iterable[float]) -> bool:
    """Whether a table column of money is written wholly in millions: when any amount in it is
    £1m or more, so £95k beside £2.18m reads £0.10m (finance teams' tables keep one scale)."""
    return any(abs(_exact(a)) >= _BANDS[3][0] for a in amounts)


def format_money_in_millions(amount: float) -> str:
    """An amount in a column of millions: £0.10m, £2.18m, −£0.24m; nothing at all is £0, and a
    sum too small to show is £0.00m, never £0."""
    shown = _half_up(abs(_exact(amount)) / _BANDS[3][1], 2)
    if abs(amount) < 0.5:
        return "£0"
    return f"{_sign(_exact(amount))}£{shown:,.2f}m"


def format_signed_money(amount: float) -> str:
    """A change of money: +£80k, −£80k, £0."""
    text = format_money(amount)
    return f"+{text}" if text != "£0" and amount > 0 else text


def format_exact_money(amount: float) -> str:
    """To the pound, for editing and tooltips: '£2,500,000', '−£80,000'."""
    shown = _half_up(abs(_exact(amount)), 0)
    return f"{_sign(_exact(amount)) if shown else ''}£{shown:,.0f}"


def format_signed_number(number: float, decimals: int = 0) -> str:
    """A change of a number that is not money (points of value): '+12.5', '−106', '0'."""
    shown = _half_up(abs(_exact(number)), decimals)
    text = f"{shown:,.{decimals}f}"
    return text if shown == 0 else f"{MINUS if number < 0 else '+'}{text}"


def format_signed(amount: float, unit: str = MONEY) -> str:
    """A change of any resource: '+£80k', '−£80k', '+180 staff hours'."""
    if unit == MONEY:
        return format_signed_money(amount)
    return f"{format_signed_number(amount)} {unit}"


def format_quantity(amount: float, unit: str) -> str:
    """A resource other than money, to the whole unit: '1,800 staff hours', '−12 beds'."""
    shown = _half_up(abs(_exact(amount)), 0)
    sign = _sign(_exact(amount)) if shown else ""
    return f"{sign}{shown:,.0f} {unit}".rstrip()


def unit_order(unit: str) -> tuple[int, str]:
    """Money first, then the other units by name."""
    return (unit != MONEY, unit)


def format_costs(by_unit: Mapping[str, float]) -> str:
    """Costs in several units, side by side and never summed: '£380k + 1,800 staff hours', and a
    release '−£240k − 1,600 staff hours'. Units with nothing in them are left out; no cost at all
    is '£0'."""
    shown = [(unit, amount) for unit, amount in sorted(by_unit.items(), key=lambda kv: unit_order(kv[0]))
             if abs(amount) > 1e-9]
    if not shown:
        return "£0"
    first, rest = shown[0], dict(shown[1:])
    return " ".join([format_money(first[1], first[0]), format_besides(rest)]).strip()


def format_besides(by_unit: Mapping[str, float]) -> str:
    """Costs written to follow another figure, each with its sign: '+ 1,800 staff hours',
    '− 1,600 staff hours + 2 beds'; '' for none. The board paper sets an option's other resources
    beneath its money this way."""
    return " ".join(f"{MINUS if amount < 0 else '+'} {format_money(abs(amount), unit)}"
                    for unit, amount in sorted(by_unit.items(), key=lambda kv: unit_order(kv[0]))
                    if abs(amount) > 1e-9)


def costs_by_unit(costs: Iterable[tuple[str, float]], units: Mapping[str, str]) -> dict[str, float]:
    """(stream, amount) pairs summed per unit of their stream; a stream not in ``units`` counts as
    money."""
    out: dict[str, float] = {}
    for stream, amount in costs:
        unit = units.get(stream, MONEY)
        out[unit] = out.get(unit, 0.0) + amount
    return out


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """How a portfolio's money adds up: the budget, plus what decommissions release, is what is
    available; what the funded options spend comes out of it; the rest is left."""

    budget: float
    released: float
    spent: float

    @property
    def available(self) -> float:
        return self.budget + self.released

    @property
    def left(self) -> float:
        return self.available - self.spent

    def words(self, spent_as: str = "spent") -> str:
        """'Budget £13.85m + £2.06m released by decommissions = £15.91m available; £14.87m spent;
        £1.04m left.' ``spent_as`` names the third figure where it is not a spend ("asked")."""
        head = f"Budget {format_money(self.budget)}"
        if abs(self.released) >= 0.5:
            head += f" + {format_money(self.released)} released by decommissions = {format_money(self.available)} available"
        return f"{head}; {format_money(self.spent)} {spent_as}; {self._left()}."

    def short_words(self) -> str:
        """The same in a line a projector can carry: '£13.85m budget + £2.06m released = £15.91m
        available · £14.87m spent · £1.04m left'."""
        head = f"{format_money(self.budget)} budget"
        if abs(self.released) >= 0.5:
            head += f" + {format_money(self.released)} released = {format_money(self.available)} available"
        return f"{head} · {format_money(self.spent)} spent · {self._left()}"

    def _left(self) -> str:
        return f"{format_money(self.left)} left" if self.left > -0.5 else f"{format_money(-self.left)} over"


def year_label(start_year: int) -> str:
    """2027 -> '2027/28' (a financial year runs April to March)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def over_years(years: Sequence[int]) -> str:
    """'over 2027/28 to 2028/29', or 'in 2027/28' for a plan of one year."""
    if not years:
        return ""
    if len(years) == 1:
        return f"in {year_label(years[0])}"
    return f"over {year_label(years[0])} to {year_label(years[-1])}"


def parse_year(text: str) -> int:
    """Read '2027/28', '2027-28', 'FY2027' or '2027' as the financial year starting in 2027."""
    match = _YEAR_PATTERN.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a financial year such as 2027/28")
    start = int(match.group(1))
    end = match.group(2)
    if end is not None and int(end) % 100 != (start + 1) % 100:
        raise ValueError(f"{text!r} is not a financial year: the second year must follow the first")
    return start


_MONEY_PATTERN = re.compile(r"^\s*(-)?\s*£?\s*(-)?\s*([\d,]*\.?\d+)\s*([kmb]n?)?\s*$", re.IGNORECASE)
_MULTIPLIERS = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}


def parse_money(text: str) -> float:
    """Read money as people type it: '£1.2m', '350k', '1,200,000', '-£80k', '−£80k'."""
    match = _MONEY_PATTERN.match(str(text).replace(MINUS, "-"))
    if not match or match.group(3).count(".") > 1:
        raise ValueError(f"{text!r} is not an amount of money such as £350k, £1.2m or 1,200,000")
    digits = match.group(3).replace(",", "")
    amount = float(digits) * _MULTIPLIERS[(match.group(4) or "").lower()]
    return -amount if (match.group(1) or match.group(2)) else amount
