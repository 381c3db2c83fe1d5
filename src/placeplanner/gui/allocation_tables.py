"""Read-only tables of ready-made cells, quick with thousands of rows.

The rows arrive built (in the worker); the model only hands them out. It sorts itself in Python
on precomputed keys rather than through a proxy, which would call back into Python for every
comparison: 5,000 rows sort in milliseconds instead of a noticeable pause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from placeplanner.gui import theme
from placeplanner.gui.allocation_data import Cell, Row

Index = QModelIndex | QPersistentModelIndex

# Text colours by role; chosen to read on white on a projector (none below 4.5:1).
TONES = {
    "funded": theme.FUNDED,
    "left_out": theme.MUTED,
    "core": theme.FUNDED,
    "borderline": "#8a5300",
    "exterior": theme.MUTED,
    "gain": theme.FUNDED,
    "loss": "#b3261e",
}
ROW_HEIGHT = 34


class CellTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[str], tips: Sequence[str] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._tips = tuple(tips)
        self._rows: list[Row] = []
        self._keys: list[str] = []
        self._original: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    # --- contents

    def set_rows(self, rows: Sequence[Row], keys: Sequence[str] | None = None) -> None:
        """Replace every row; ``keys`` name the rows (by default, each row's first cell)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = list(keys) if keys is not None else [r[0].text for r in rows]
        self._original = list(self._keys)
        self._order(*self._sort)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def key(self, row: int) -> str:
        return self._keys[row]

    def row_of(self, key: str) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def cell(self, row: int, column: int) -> Cell:
        return self._rows[row][column]

    def set_cell(self, row: int, column: int, cell: Cell) -> None:
        cells = list(self._rows[row])
        cells[column] = cell
        self._rows[row] = tuple(cells)
        where = self.index(row, column)
        self.dataChanged.emit(where, where)

    # --- Qt's model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self._tips):
            return self._tips[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and self._rows and self._rows[0][section].number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # over its figures
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or None
        if role == Qt.ItemDataRole.ForegroundRole and cell.tone:
            return QColor(TONES[cell.tone])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if cell.number else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return cell.text.casefold() if cell.sort is None else cell.sort
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_rows = [i.row() for i in before]
        moved = self._order(column, order)
        self.changePersistentIndexList(before, [self.index(moved[r], i.column()) for r, i in zip(old_rows, before, strict=True)])
        self.layoutChanged.emit()

    def _order(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Reorder the rows; returns each old row's new position. Column -1: the order given."""
        self._sort = (column, order)
        count = len(self._rows)
        if column < 0 or column >= len(self._columns):
            rank = {key: i for i, key in enumerate(self._original)}
            positions = sorted(range(count), key=lambda i: rank.get(self._keys[i], count))
        else:
            keys = [_sort_key(r[column]) for r in self._rows]
            positions = sorted(range(count), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in positions]
        self._keys = [self._keys[i] for i in positions]
        moved = [0] * count
        for new, old in enumerate(positions):
            moved[old] = new
        return moved


def _sort_key(cell: Cell) -> tuple[int, float | str]:
    # Numbers before text, so a column mixing them (a dash for "none") still sorts sensibly.
    key = cell.text.casefold() if cell.sort is None else cell.sort
    return (1, key) if isinstance(key, str) else (0, key)


def cell_table(model: CellTableModel, name: str, tip: str, parent: QWidget | None = None) -> QTableView:
    """A sortable, read-only table with fixed row heights (so thousands of rows lay out at once)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setToolTip(tip)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setAlternatingRowColors(False)
    view.setShowGrid(False)
    view.setStyleSheet("QTableView::item { padding: 0 10px; }")  # figures and words never touch
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    return view


def set_widths(view: QTableView, widths: Mapping[int, int], stretch: int | None = None) -> None:
    """Starting widths by column (the user may drag them); ``stretch`` (else the last) takes the rest."""
    header = view.horizontalHeader()
    for column, width in widths.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
