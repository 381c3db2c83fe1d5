"""Every option in one sortable, filterable table: model/view over the core's records."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from placeplanner.gui.widgets import heading
from placeplanner.model import Option
from placeplanner.money import format_money, year_label
from placeplanner.service import PlanService

Index = QModelIndex | QPersistentModelIndex


class OptionTableModel(QAbstractTableModel):
    COLUMNS = ("Option", "Kind", "Lead partner", "Cost per year", "Needs", "Tags", "Mandatory")

    def __init__(self, options: tuple[Option, ...] = (), years: tuple[int, ...] = ()) -> None:
        super().__init__()
        self._options = options
        self._years = years

    def set_options(self, options: tuple[Option, ...], years: tuple[int, ...]) -> None:
        self.beginResetModel()
        self._options, self._years = options, years
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._options)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        option = self._options[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(option, column)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if column == 3:
                return sum(c.amount for c in option.costs) / max(len(self._years), 1)
            return self._text(option, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            lines = [f"{year_label(y)}: {format_money(sum(c.amount for c in option.costs if c.year == y))}" for y in self._years]
            return "Cost by year (negative: released by a decommission)\n" + "\n".join(lines)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return option.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, option: Option, column: int) -> str:
        if column == 0:
            return option.name
        if column == 1:
            return option.kind.value
        if column == 2:
            return option.lead_partner
        if column == 3:
            return format_money(sum(c.amount for c in option.costs) / max(len(self._years), 1))
        if column == 4:
            return ", ".join(option.needs)
        if column == 5:
            return ", ".join(option.tags)
        return "yes" if option.mandatory else ""


class OptionsPage(QWidget):
    def __init__(self, service: PlanService) -> None:
        super().__init__()
        self._service = service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(heading("Options", "Proposed changes: invest, expand, redesign, decommission. Type to filter; click a heading to sort."))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter options by any column")
        self.filter.setAccessibleName("Filter options")
        layout.addWidget(self.filter)
        self.model = OptionTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Options table")
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        plan = self._service.read()
        self.model.set_options(plan.options, plan.info.plan_years)
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)
