"""A table of plan records over the plan editor: a Qt model with typed columns, a sortable view,
drop-down and hint delegates, and the inline message that says why an edit was refused.
Shared by the workspace screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.model import record_key

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a record table. ``commit`` sends an edit to the editor and raises
    PlanError (or ValueError for unreadable text) when refused; without it the column is read-only."""

    title: str
    show: Callable[[Any], str]
    commit: Callable[[Any, Any], None] | None = None
    edit: Callable[[Any], Any] | None = None  # what the cell editor starts from; default: the text shown
    sort: Callable[[Any], Any] | None = None
    tip: str = ""
    cell_tip: Callable[[Any], str] | None = None
    empty: str = ""  # shown greyed when the cell has nothing to show
    numeric: bool = False


class RecordTableModel(QAbstractTableModel):
    edited = Signal()
    refused = Signal(str)

    def __init__(self, columns: Sequence[Column]) -> None:
        super().__init__()
        self._columns = tuple(columns)
        self._records: tuple[Any, ...] = ()

    @property
    def records(self) -> tuple[Any, ...]:
        return self._records

    def column(self, index: int) -> Column:
        return self._columns[index]

    def set_content(self, records: tuple[Any, ...], columns: Sequence[Column] | None = None) -> bool:
        """Show these records; True when the model was reset (rows or columns changed)."""
        if columns is None and len(records) == len(self._records):
            # Same rows in the same stored order (an edit or a rename): keep selection and editors.
            self._records = records
            if records:
                self.dataChanged.emit(self.index(0, 0), self.index(len(records) - 1, len(self._columns) - 1))
            return False
        self.beginResetModel()
        self._records = records
        if columns is not None:
            self._columns = tuple(columns)
        self.endResetModel()
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._columns[index.column()].commit is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(record) or column.empty
        if role == Qt.ItemDataRole.EditRole:
            return column.edit(record) if column.edit is not None else column.show(record)
        if role == SORT_ROLE:
            return column.sort(record) if column.sort is not None else column.show(record).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.cell_tip(record) if column.cell_tip is not None else None) or column.tip or None
        if role == Qt.ItemDataRole.ForegroundRole and column.empty and not column.show(record):
            return QColor(theme.LEFT_OUT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = self._columns[index.column()]
        if column.commit is None:
            return False
        record = self._records[index.row()]
        try:
            column.commit(record, value)
        except PlanError as exc:
            self.refused.emit(str(exc))
            return False
        except ValueError as exc:
            self.refused.emit(f"{column.title} of '{record_key(record)[0]}': {exc}")
            return False
        self.edited.emit()
        return True


class RecordTable(QTableView):
    """A sortable table of one kind of plan record, keeping the selection across refreshes."""

    def __init__(self, columns: Sequence[Column], name: str, description: str) -> None:
        super().__init__()
        self.max_rows = 12  # the most rows the table asks room for; more scroll
        self.source = RecordTableModel(columns)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the plan's order until a heading is clicked
        self.proxy.sort(-1)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(36)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        # As tall as its rows (see sizeHint) and no taller: spare height goes below the content.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

    def show_records(self, records: tuple[Any, ...], columns: Sequence[Column] | None = None) -> None:
        kept = self.selected_record()
        if self.source.set_content(records, columns):
            self.updateGeometry()
            if kept is not None:
                self.select_key(record_key(kept))

    def set_widths(self, widths: Sequence[int]) -> None:
        """Column widths in pixels; 0 shares out what is left. Set once, so a column people
        widened stays so across refreshes."""
        header = self.horizontalHeader()
        header.setMinimumSectionSize(80)
        for column, width in enumerate(widths):
            if width:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Tall enough for every row (up to ``max_rows``), so the page shares its height sensibly."""
        rows = min(max(self.proxy.rowCount(), 3), self.max_rows)
        height = self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth() + 2)

    def selected_record(self) -> Any | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        return self.source.records[self.proxy.mapToSource(rows[0]).row()]

    def select_key(self, key: tuple[Any, ...], column: int = 0) -> QModelIndex:
        """Select the record with this key (if shown) and return its cell in ``column``."""
        for row, record in enumerate(self.source.records):
            if record_key(record) == key:
                index = self.proxy.mapFromSource(self.source.index(row, column))
                if index.isValid():
                    self.setCurrentIndex(index)
                    self.selectRow(index.row())
                    self.scrollTo(index)
                return index
        return QModelIndex()

    def edit_key(self, key: tuple[Any, ...], column: int = 0) -> None:
        index = self.select_key(key, column)
        if index.isValid():
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.edit(index)


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of the values a cell may take (partners, kinds, units); ``free`` lets people
    type one that is not listed. Choosing from the list commits at once."""

    def __init__(self, choices: Callable[[], Sequence[tuple[str, Any]]], parent: QWidget, *, free: bool = False) -> None:
        super().__init__(parent)
        self._choices = choices
        self._free = free

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        combo.setEditable(self._free)
        for label, value in self._choices():
            combo.addItem(label, value)
        combo.activated.connect(lambda _row: self._commit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        row = editor.findData(value)
        if row >= 0:
            editor.setCurrentIndex(row)
        elif self._free:
            editor.setEditText(str(value or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        text = editor.currentText()
        row = editor.findText(text)
        value = editor.itemData(row) if row >= 0 else text
        if self._free or row >= 0:
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)


class HintDelegate(QStyledItemDelegate):
    """A plain text editor with an example of what to type."""

    def __init__(self, hint: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._hint = hint

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        line = QLineEdit(parent)
        line.setPlaceholderText(self._hint)
        return line


class InlineMessage(QLabel):
    """Under a table: why the last edit was refused (in red), or a note about one that was saved."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # names in messages are never markup
        self.setAccessibleName(name)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refused = False
        self.setVisible(False)

    def refuse(self, reason: str) -> None:
        self.refused = True
        self.setStyleSheet(f"color: {theme.PROBLEM}; font-size: 14px; font-weight: 600;")
        self.setText(f"Not saved: {reason.rstrip('.')}. Nothing was changed.")
        self.setVisible(True)

    def note(self, text: str) -> None:
        self.refused = False
        self.setStyleSheet(f"color: {theme.MUTED}; font-size: 14px;")
        self.setText(text)
        self.setVisible(True)

    def clear(self) -> None:
        self.refused = False
        super().clear()
        self.setVisible(False)


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 18px; font-weight: 600; padding-top: 6px;")
    return label


def button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    push = QPushButton(text)
    push.setToolTip(tip)
    push.setAccessibleName(text)
    push.clicked.connect(slot)
    return push


def delete_key(table: QTableView, slot: Callable[[], None]) -> QShortcut:
    """The Delete key, for this table only (while a cell is being edited the editor has it)."""
    return local_shortcut(QKeySequence(QKeySequence.StandardKey.Delete), table, slot)


def local_shortcut(keys: QKeySequence, widget: QWidget, slot: Callable[[], None],
                   context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetShortcut) -> QShortcut:
    """A shortcut that fires only in ``widget`` (or its children, with WidgetWithChildrenShortcut)."""
    # PySide6 drops the context when the shortcut is built with a slot, so it is set apart;
    # two window-wide shortcuts on one key would be ambiguous and neither would fire.
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut


def unique_name(base: str, taken: Sequence[str]) -> str:
    """'New partner', or 'New partner 2' when that is taken (names are unique regardless of case)."""
    folded = {t.casefold() for t in taken}
    name, number = base, 2
    while name.casefold() in folded:
        name, number = f"{base} {number}", number + 1
    return name


# --- the funding page's pure parts -----------------------------------------------------------




class NamedRowsModel(QAbstractTableModel):
    """Rows of named plan records edited cell by cell: the plumbing the workspace tables share.

    Subclasses give COLUMNS, HEADER_TIPS and RIGHT_ALIGNED, ``data`` for their cells, and
    ``_commit(record, column, text)``, which saves an edit through the plan editor or raises
    PlanError; ``refused`` then carries the error and nothing changes."""

    COLUMNS: tuple[str, ...] = ()
    HEADER_TIPS: dict[int, str] = {}  # noqa: RUF012 - read-only class data
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    refused = Signal(object)  # the PlanError that refused an edit
    committed = Signal()

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._rows: tuple[Any, ...] = ()

    def replace_rows(self, rows: tuple[Any, ...]) -> None:
        if len(rows) == len(self._rows):
            # Same rows (an edit or a rename): update in place, so selection and any open editor stay.
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, name: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.name == name), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            self._commit(self._rows[index.row()], index.column(), "" if value is None else str(value))
        except PlanError as exc:
            self.refused.emit(exc)
            return False
        self.committed.emit()
        return True

    def _commit(self, record: Any, column: int, text: str) -> None:
        raise NotImplementedError
