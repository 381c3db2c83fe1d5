"""Text bound for a CSV file that people open in Excel.

A cell that starts with '=', '+', '-' or '@' is read by Excel as a formula, so an interest typed
on a phone or a name given to an option could run one (CSV injection). Such a cell is written
with a leading apostrophe, which Excel shows as plain text. Only reports get this: the plan's own
export must read back exactly as it was written."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
