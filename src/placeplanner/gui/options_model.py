"""The options table as a Qt model over the core's Option records: display, sort keys and
inline edits. An edit becomes a new Option (or a rename) handed to the plan editor; a refused
edit reports its reason and leaves the row as it was."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from placeplanner.errors import PlanError
from placeplanner.gui.editing import PlanEditor
from placeplanner.model import Option, OptionKind, OptionStatus
from placeplanner.model.costs import option_costs, option_money
from placeplanner.money import format_costs, year_label

Index = QModelIndex | QPersistentModelIndex
_Choice = TypeVar("_Choice", OptionKind, OptionStatus)

NAME, KIND, LEAD, COST, NEEDS, TAGS, STATUS, MANDATORY = range(8)
COLUMNS = ("Option", "Kind", "Lead partner", "Cost per year", "Needs addressed", "Tags", "Status", "Mandatory")
TOOLTIPS = (
    "The option's name; edit to rename it everywhere it is used",
    "Invest (new), expand, redesign, or decommission (releases money)",
    "The partner that leads the option and holds its contract",
    "Average cost a year over the plan: money, with staff hours and other resources beside it "
    "(never added to it); sorts by money; edit costs in the detail pane",
    "The needs this option addresses, separated by commas",
    "Labels rules and ring-fences refer to, separated by commas",
    "Proposed, out of consideration (never funded), funded, or not funded",
    "A mandatory option must be funded (a statutory duty, say)",
)
EDITABLE = {NAME, KIND, LEAD, NEEDS, TAGS, STATUS, MANDATORY}


def split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class OptionTableModel(QAbstractTableModel):
    refused = Signal(str)  # the reason an edit was refused, in words

    def __init__(self, editor: PlanEditor | None = None) -> None:
        super().__init__()
        self._editor = editor
        self._options: list[Option] = []
        self._years: tuple[int, ...] = ()
        self._units: Mapping[str, str] = {}
        self._rows: list[tuple[str, ...]] = []  # display text, computed once per refresh
        self._costs: list[float] = []  # money a year, the cost column's sort key

    # --- contents

    def set_options(self, options: tuple[Option, ...], years: tuple[int, ...], units: Mapping[str, str]) -> None:
        """``units``: each funding stream's unit by name (``model.costs.stream_units``), so staff
        hours are never added to pounds."""
        self.beginResetModel()
        self._options, self._years, self._units = list(options), years, dict(units)
        per_year = max(len(years), 1)
        self._costs = [option_money(o, self._units) / per_year for o in options]
        self._rows = [self._texts(o, self._cost_words(o, per_year)) for o in options]
        self.endResetModel()

    def _cost_words(self, option: Option, per_year: int, year: int | None = None) -> str:
        """'£190k + 900 staff hours': a year on average, or in ``year``."""
        costs = option_costs(option, self._units, year)
        return format_costs({unit: amount / (per_year if year is None else 1) for unit, amount in costs.items()})

    def option_at(self, row: int) -> Option:
        return self._options[row]

    def row_of(self, name: str) -> int | None:
        return next((i for i, o in enumerate(self._options) if o.name == name), None)

    @staticmethod
    def _texts(option: Option, cost: str) -> tuple[str, ...]:
        return (option.name, option.kind.value, option.lead_partner, cost, ", ".join(option.needs),
                ", ".join(option.tags), option.status.value, "")

    # --- Qt's model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._options)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or self._editor is None or not self._editor.service.writable:
            return base
        if index.column() == MANDATORY:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[row][column]
        option = self._options[row]
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if column == COST:
                return self._costs[row]
            if column == MANDATORY:
                return int(option.mandatory)
            return self._rows[row][column].casefold()
        if role == Qt.ItemDataRole.CheckStateRole and column == MANDATORY:
            return Qt.CheckState.Checked if option.mandatory else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COST:
                lines = [f"{year_label(y)}: {self._cost_words(option, 1, y)}" for y in self._years]
                return "Cost by year (negative: released by a decommission)\n" + "\n".join(lines)
            if column == NAME:
                return option.description or None
            return TOOLTIPS[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COST:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if self._editor is None or not index.isValid():
            return False
        option = self._options[index.row()]
        column = index.column()
        if column == NAME:
            try:
                self._editor.rename(option, str(value))
            except PlanError as exc:
                self.refused.emit(str(exc))
                return False
            return True
        try:
            changed = self._changed(option, column, value, role)
        except ValueError as exc:
            self.refused.emit(f"{option.name}, {COLUMNS[column].lower()}: {exc}")
            return False
        if changed is None or changed == option:
            return False
        return self.apply(changed, f"Change {COLUMNS[column].lower()} of “{option.name}”")

    def apply(self, changed: Option, text: str) -> bool:
        assert self._editor is not None
        try:
            self._editor.upsert(changed, text)
        except PlanError as exc:
            self.refused.emit(str(exc))
            return False
        return True

    @staticmethod
    def _changed(option: Option, column: int, value: Any, role: int) -> Option | None:
        text = str(value).strip()
        if column == MANDATORY and role == Qt.ItemDataRole.CheckStateRole:
            return replace(option, mandatory=_checked(value))
        if column == KIND:
            return replace(option, kind=_choice(OptionKind, text, "kind"))
        if column == STATUS:
            return replace(option, status=_choice(OptionStatus, text, "status"))
        if column == LEAD:
            return replace(option, lead_partner=text)
        if column == NEEDS:
            return replace(option, needs=split_list(text))
        if column == TAGS:
            return replace(option, tags=split_list(text))
        return None

    def changes_from_paste(self, rows: list[int], left: int, grid: list[list[str]]) -> list[Option]:
        """The options a block pasted from Excel would make: grid row i lands on model row
        rows[i], from column ``left`` rightwards. Raises ValueError naming the pasted row and the
        column of the first cell that cannot be read."""
        changed: list[Option] = []
        for offset, (row, cells) in enumerate(zip(rows, grid, strict=True)):
            option = self._options[row]
            for shift, cell in enumerate(cells):
                column = left + shift
                if column >= len(COLUMNS):
                    break
                if column in (NAME, COST):
                    continue  # names are renamed one at a time; costs are edited in the detail pane
                try:
                    role = Qt.ItemDataRole.CheckStateRole if column == MANDATORY else Qt.ItemDataRole.EditRole
                    value: Any = _yes(cell) if column == MANDATORY else cell
                    option = self._changed(option, column, value, role) or option
                except ValueError as exc:
                    raise ValueError(f"pasted row {offset + 1} ({option.name}), column {COLUMNS[column]}: {exc}") from None
            if option != self._options[row]:
                changed.append(option)
        return changed


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


def _yes(text: str) -> Qt.CheckState:
    word = text.strip().lower()
    if word in {"yes", "y", "true", "1", "mandatory"}:
        return Qt.CheckState.Checked
    if word in {"", "no", "n", "false", "0"}:
        return Qt.CheckState.Unchecked
    raise ValueError(f"'{text}' is not yes or no")


def _choice(kind: type[_Choice], text: str, what: str) -> _Choice:
    for member in kind:
        if member.value == text.lower():
            return member
    raise ValueError(f"'{text}' is not a {what}; choose from {', '.join(m.value for m in kind)}")

