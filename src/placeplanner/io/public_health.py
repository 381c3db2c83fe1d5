"""Needs data in the shapes analysts download: OHID Fingertips exports and ONS mid-year estimates.

Columns are matched by name, not position: Fingertips exports have had 26 and 27 columns,
and the comparison column's name depends on the parent area ("Compared to Region value or percentiles").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from placeplanner.errors import Problem, ValidationError
from placeplanner.model import Indicator, Population

if TYPE_CHECKING:
    import pandas as pd

FINGERTIPS_SOURCE = "OHID Fingertips"
ONS_SOURCE = "ONS mid-year population estimates"
_FINGERTIPS_NEEDS = ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Time period", "Value")
_COMPARED = re.compile(r"^Compared to (?:(?P<parent>.+?) value or percentiles|percentiles)$", re.IGNORECASE)
_WIDE_CODE = ("code", "ltla21_code", "ladcode", "lad_code", "area_code", "area code")
_WIDE_TOTAL = ("all ages", "total_population", "all_ages", "total")
_AGE = re.compile(r"^(\d{1,2}\+?)$")
_YEAR_IN_NAME = re.compile(r"mid[-_ ]?(\d{4})", re.IGNORECASE)


def detect(header: list[str]) -> str | None:
    """'fingertips', 'ons-wide', 'ons-long', or None for a PlacePlanner table."""
    names = {h.strip().lower() for h in header}
    if all(n.lower() in names for n in _FINGERTIPS_NEEDS):
        return "fingertips"
    if {"sex", "code", "age", "count"} <= names:
        return "ons-long"
    if any(c in names for c in _WIDE_CODE) and any(t in names for t in _WIDE_TOTAL) and "0" in names:
        return "ons-wide"
    return None


def read_header(path: Path) -> list[str]:
    import pandas as pd

    try:
        return [str(c) for c in pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns]
    except (ValueError, UnicodeDecodeError, OSError):
        return []


def _area_filter(frame: pd.DataFrame, code_col: str, name_col: str | None, area: str | None) -> pd.DataFrame:
    if not area:
        return frame
    wanted = area.strip().lower()
    match = frame[code_col].str.strip().str.lower() == wanted
    if name_col:
        match |= frame[name_col].str.strip().str.lower() == wanted
    return frame[match]


def read_fingertips(path: Path, *, area: str | None = None, need: str = "") -> tuple[Indicator, ...]:
    """Indicator values from a Fingertips CSV export, optionally for one area (code or name)."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    compared = [c for c in frame.columns if _COMPARED.match(c)]
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    frame = _area_filter(frame, "Area Code", "Area Name", area)
    if frame.empty:
        raise ValidationError([Problem(path.name, f"has no rows for area '{area}'" if area else "has no data rows")])
    problems: list[Problem] = []

    def number(row: int, column: str, raw: str) -> float | None:
        raw = raw.strip()
        if not raw or raw.upper() in {"NA", "NAN", "-", "*"}:
            return None
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            problems.append(Problem(f"{path.name}, row {row}, column '{column}'", f"'{raw}' is not a number"))
            return None

    indicators = []
    for label, cells in frame.iterrows():
        row = int(str(label))
        comparison = next((cells[c].strip() for c in compared if cells[c].strip() and cells[c].strip() != "Not compared"), "")
        indicators.append(Indicator(
            name=cells["Indicator Name"].strip(),
            area_code=cells["Area Code"].strip(),
            period=cells["Time period"].strip(),
            value=number(row, "Value", cells["Value"]),
            need=need,
            area_name=cells["Area Name"].strip(),
            sex=cells.get("Sex", "").strip(),
            age=cells.get("Age", "").strip(),
            lower_ci=number(row, "Lower CI 95.0 limit", cells.get("Lower CI 95.0 limit", "")),
            upper_ci=number(row, "Upper CI 95.0 limit", cells.get("Upper CI 95.0 limit", "")),
            count=number(row, "Count", cells.get("Count", "")),
            denominator=number(row, "Denominator", cells.get("Denominator", "")),
            compared=comparison,
            indicator_id=cells["Indicator ID"].strip(),
            source=FINGERTIPS_SOURCE,
        ))
    if problems:
        raise ValidationError(problems)
    return tuple(indicators)


def read_ons_population(path: Path, *, area: str | None = None, year: int | None = None) -> tuple[Population, ...]:
    """People by area and age from an ONS mid-year estimates table, wide (ages as columns) or long."""
    import pandas as pd

    header = read_header(path)
    shape = detect(header)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    lower = {c.lower(): c for c in frame.columns}
    if year is None:
        match = _YEAR_IN_NAME.search(path.name)
        if not match:
            raise ValidationError([Problem(path.name, "does not say which mid-year it estimates; give the year (--year 2023)")])
        year = int(match.group(1))
    problems: list[Problem] = []
    rows: list[Population] = []

    def count(row: int, column: str, raw: str) -> float | None:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            problems.append(Problem(f"{path.name}, row {row}, column '{column}'", f"'{raw}' is not a number of people"))
            return None
        if value < 0:
            problems.append(Problem(f"{path.name}, row {row}, column '{column}'", f"'{raw}' is negative"))
            return None
        return value

    if shape == "ons-long":
        code, name = lower["code"], lower.get("name")
        frame.index = pd.RangeIndex(2, len(frame) + 2)
        frame = _area_filter(frame, code, name, area)
        for label, cells in frame.iterrows():
            row = int(str(label))
            value = count(row, lower["count"], cells[lower["count"]])
            if value is not None:
                rows.append(Population(cells[code].strip(), cells[name].strip() if name else "", year,
                                       cells[lower["sex"]].strip().lower(), cells[lower["age"]].strip(), value))
    elif shape == "ons-wide":
        code = next(lower[c] for c in _WIDE_CODE if c in lower)
        name = next((c for c in frame.columns if c.lower() in {"name", "ltla21_name", "laname", "area_name", "area name"}), None)
        total = next(lower[t] for t in _WIDE_TOTAL if t in lower)
        ages = [c for c in frame.columns if _AGE.match(c)]
        frame.index = pd.RangeIndex(2, len(frame) + 2)
        frame = _area_filter(frame, code, name, area)
        for label, cells in frame.iterrows():
            row = int(str(label))
            for column, age in [(total, "all"), *((a, a) for a in ages)]:
                value = count(row, column, cells[column])
                if value is not None:
                    rows.append(Population(cells[code].strip(), cells[name].strip() if name else "", year, "persons", age, value))
    else:
        raise ValidationError([Problem(path.name, "is not an ONS mid-year estimates table (expected a code column, 'All ages' and single years of age, or sex, Code, age, count)")])
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError([Problem(path.name, f"has no rows for area '{area}'" if area else "has no data rows")])
    return tuple(rows)
