"""The portfolio table: every option in or out, its level, value, cost and the reason in words,
with the selected option's full reason beneath."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from placeplanner.engine.explain import OptionReason
from placeplanner.gui.allocation_data import (
    PORTFOLIO_COLUMNS,
    PORTFOLIO_TIPS,
    WHY_COLUMN,
    Cell,
    Row,
    brief,
)
from placeplanner.gui.allocation_tables import CellTableModel, cell_table, set_widths

PROMPT = "Select an option to read why it is in or out. Click a column heading to sort."


class PortfolioPanel(QWidget):
    selected = Signal(str)  # the option's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CellTableModel(PORTFOLIO_COLUMNS, PORTFOLIO_TIPS, self)
        self.view = cell_table(self.model, "Portfolio", "Every option, funded or left out, and why", self)
        set_widths(self.view, {0: 380, 1: 110, 2: 90, 3: 80, 4: 250})
        self.detail = QLabel(PROMPT)
        self.detail.setObjectName("caption")
        self.detail.setStyleSheet("font-size: 15px;")
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Why the selected option is in or out")
        self.detail.setMinimumHeight(44)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

    def show_rows(self, rows: Sequence[Row], keys: Sequence[str]) -> None:
        self.model.set_rows(rows, keys)
        self.detail.setText(PROMPT)

    def clear(self) -> None:
        self.model.clear()
        self.detail.setText(PROMPT)

    def selected_name(self) -> str | None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        return self.model.key(rows.pop()) if len(rows) == 1 else None

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row < 0:
            return
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(index, flags)
        self.view.scrollTo(index)

    def set_why(self, name: str, text: str, tip: str = "") -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.model.set_cell(row, WHY_COLUMN, Cell(text, text.casefold(), tip=tip))
            if self.selected_name() == name:
                self._show_detail(name)

    def explain(self, reason: OptionReason) -> None:
        """Fill in an option explained on demand."""
        self.set_why(reason.name, brief(reason), reason.reason)

    def _selection_changed(self) -> None:
        name = self.selected_name()
        if name is None:
            self.detail.setText(PROMPT)
            return
        self._show_detail(name)
        self.selected.emit(name)

    def _show_detail(self, name: str) -> None:
        row = self.model.row_of(name)
        why = self.model.cell(row, WHY_COLUMN)
        decision = self.model.cell(row, 1).text.lower()
        self.detail.setText(f"<b>{_html(name)}</b> ({decision}): {_html(why.tip or why.text)}")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
