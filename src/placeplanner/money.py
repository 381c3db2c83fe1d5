"""Money and financial years as English public bodies write them."""

from __future__ import annotations

import re

_YEAR_PATTERN = re.compile(r"^\s*(?:FY\s*)?(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?\s*$", re.IGNORECASE)


def format_money(amount: float, unit: str = "GBP") -> str:
    """£350k, £1.2m, £2.5bn, -£80k; other units as a plain number with the unit."""
    if unit != "GBP":
        return f"{amount:,.0f} {unit}"
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= 1_000_000_000:
        text = f"{size / 1_000_000_000:.2f}".rstrip("0").rstrip(".") + "bn"
    elif size >= 1_000_000:
        text = f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    elif size >= 1_000:
        text = f"{size / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{size:,.0f}"
    return f"{sign}£{text}"


def year_label(start_year: int) -> str:
    """2027 -> '2027/28' (a financial year runs April to March)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


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
    """Read money as people type it: '£1.2m', '350k', '1,200,000', '-£80k'."""
    match = _MONEY_PATTERN.match(str(text))
    if not match or match.group(3).count(".") > 1:
        raise ValueError(f"{text!r} is not an amount of money such as £350k, £1.2m or 1,200,000")
    digits = match.group(3).replace(",", "")
    amount = float(digits) * _MULTIPLIERS[(match.group(4) or "").lower()]
    return -amount if (match.group(1) or match.group(2)) else amount
