"""Reading CSV files and workbooks into tables of text cells, remembering where each row came from."""

from __future__ import annotations

import csv
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeplanner.errors import Problem, ValidationError
from placeplanner.io.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

# Sheets a workbook may carry for people, not for import (the template's instructions).
IGNORED_SHEETS = {"readme", "read me", "about", "instructions"}


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One table as read: text cells, and the label a message uses to point at it."""

    table: str
    label: str  # "options.csv" or "plan.xlsx, sheet 'options'"
    frame: pd.DataFrame  # all cells as str, '' for blank; index = spreadsheet row number

    def where(self, row: int, column: str = "") -> str:
        return f"{self.label}, row {row}" + (f", column '{column}'" if column else "")


def read_csv_table(path: Path, table: str) -> SourceTable:
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False)
    except UnicodeDecodeError:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="cp1252")
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ValidationError([Problem(path.name, f"cannot be read as CSV ({_first_line(exc)})")]) from None
    except pd.errors.EmptyDataError:
        raise ValidationError([Problem(path.name, "is empty: it needs at least a header row")]) from None
    return _tidy(SourceTable(table, path.name, frame))


def read_workbook(path: Path) -> list[SourceTable]:
    import pandas as pd

    try:
        sheets: dict[str, pd.DataFrame] = pd.read_excel(
            path, sheet_name=None, dtype=object, engine="openpyxl", keep_default_na=False, na_values=[]
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise ValidationError([Problem(path.name, f"cannot be read as an Excel workbook ({_first_line(exc)})")]) from None
    found = []
    problems = []
    for sheet, frame in sheets.items():
        key = sheet.strip().lower()
        if key in IGNORED_SHEETS or key.startswith("_"):
            continue
        if key not in TABLES:
            problems.append(Problem(f"{path.name}, sheet '{sheet}'", f"is not a PlacePlanner table; sheets are named {_known()}"))
            continue
        text = frame.map(_cell_text) if not frame.empty else frame.astype(str)
        text.columns = [_cell_text(c) for c in frame.columns]
        found.append(_tidy(SourceTable(key, f"{path.name}, sheet '{sheet}'", text)))
    if problems:
        raise ValidationError(problems)
    return found


def table_for_csv(path: Path) -> str | None:
    stem = path.stem.strip().lower()
    return stem if stem in TABLES else None


def _tidy(source: SourceTable) -> SourceTable:
    import pandas as pd

    frame = source.frame
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.lower().startswith("unnamed:") or frame[c].astype(bool).any() for c in frame.columns]]
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # row 1 is the header, as a spreadsheet counts
    blank = (frame == "").all(axis=1) if len(frame.columns) else frame.index.to_series().astype(bool)
    frame = frame.loc[~blank]
    return SourceTable(source.table, source.label, frame)


def _cell_text(value: Any) -> str:
    """Excel's typed cell as the text a user would have typed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _known() -> str:
    return ", ".join(TABLES)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
