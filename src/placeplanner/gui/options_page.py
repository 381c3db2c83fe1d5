"""Every option in one sortable, filterable, editable table, with a detail pane for the
selected one. Edits commit at once through the plan editor; Ctrl+Z undoes them."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.option_detail import OptionDetail
from placeplanner.gui.options_model import COLUMNS, KIND, LEAD, NAME, STATUS, OptionTableModel
from placeplanner.gui.record_table import delete_key, local_shortcut
from placeplanner.gui.widgets import heading
from placeplanner.model import Option, OptionKind, OptionStatus
from placeplanner.model.costs import stream_units


class _ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of the allowed values for a column (kinds, statuses, partners)."""

    def __init__(self, choices: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # type: ignore[override]  # noqa: N802
        box = QComboBox(parent)
        box.addItems(self.choices)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # type: ignore[override]  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: object, index: QModelIndex) -> None:  # type: ignore[override]  # noqa: N802
        assert isinstance(editor, QComboBox)
        index.model().setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class OptionsPage(QWidget):
    TABLES = frozenset({"options", "partners", "needs", "funding_streams", "declarations", "agreed_scores", "info"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._service = editor.service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(heading("Options", "Proposed changes: invest, expand, redesign, decommission. Type to filter, click a heading to "
                                 "sort, double-click a cell to edit; paste a block from Excel with Ctrl+V."))
        bar = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter options by any column")
        self.filter.setAccessibleName("Filter options")
        self.filter.setClearButtonEnabled(True)
        self.add_button = QPushButton("Add option")
        self.add_button.setToolTip("Add a new option led by the first partner; then edit its cells (Ctrl+Shift+N)")
        self.delete_button = QPushButton("Delete option")
        self.delete_button.setToolTip("Delete the selected option with its scores and declarations (Delete; Ctrl+Z brings it back)")
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        layout.addLayout(bar)
        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        layout.addWidget(self.message)

        self.model = OptionTableModel(editor)
        self.model.refused.connect(self.show_message)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed | QTableView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # measure a sample, not all 5,000 rows
        header.setStretchLastSection(True)
        self.table.setAccessibleName("Options table")
        self._partners = _ChoiceDelegate([], self.table)
        self.table.setItemDelegateForColumn(KIND, _ChoiceDelegate([k.value for k in OptionKind], self.table))
        self.table.setItemDelegateForColumn(STATUS, _ChoiceDelegate([s.value for s in OptionStatus], self.table))
        self.table.setItemDelegateForColumn(LEAD, self._partners)

        self.detail = OptionDetail(editor)
        self.detail.refused.connect(self.show_message)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([780, 380])
        layout.addWidget(split, 1)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.add_button.clicked.connect(self.add_option)
        self.delete_button.clicked.connect(self.delete_selected)
        local_shortcut(QKeySequence(QKeySequence.StandardKey.Paste), self.table, self.paste)
        delete_key(self.table, self.delete_selected)
        local_shortcut(QKeySequence("Ctrl+Shift+N"), self, self.add_option, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        writable = self._service.writable
        self.add_button.setEnabled(writable)
        self.delete_button.setEnabled(writable)
        self.refresh()

    # --- showing

    def refresh(self) -> None:
        selected = self.selected_option()
        plan = self._service.read()
        self._partners.choices = [p.name for p in plan.partners]
        self.model.set_options(plan.options, plan.info.plan_years, stream_units(plan))
        for column in range(1, len(COLUMNS)):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(NAME, 280)
        self.table.setColumnWidth(LEAD, min(self.table.columnWidth(LEAD), 220))
        if selected is None and plan.options:
            selected = self.model.option_at(self.proxy.mapToSource(self.proxy.index(0, 0)).row())
        self.select(selected.name if selected else None)

    def select(self, name: str | None) -> None:
        row = self.model.row_of(name) if name else None
        if row is None:
            self.detail.show_option(None, self._service.read())
            return
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    def selected_option(self) -> Option | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.option_at(source.row()) if source.isValid() and source.row() < self.model.rowCount() else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.detail.show_option(self.selected_option(), self._service.read())

    def show_message(self, text: str) -> None:
        self.message.setText(f"Not changed: {text}")
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()

    # --- changing

    def add_option(self) -> None:
        plan = self._service.read()
        if not plan.partners:
            self.show_message("add a partner first: every option is led by one")
            return
        taken = {o.name for o in plan.options}
        name = next(f"New option {n}" for n in range(1, len(taken) + 2) if f"New option {n}" not in taken)
        try:
            self._editor.upsert(Option(name, plan.partners[0].name), f"Add option “{name}”")
        except PlanError as exc:
            self.show_message(str(exc))
            return
        self.filter.clear()
        self.select(name)
        self.table.edit(self.proxy.mapFromSource(self.model.index(self.model.row_of(name) or 0, NAME)))

    def delete_selected(self) -> None:
        option = self.selected_option()
        if option is None:
            return
        try:
            self._editor.remove(option, f"Delete option “{option.name}”")
        except PlanError as exc:
            self.show_message(str(exc))

    def paste(self) -> None:
        """A block copied from Excel (tab-separated rows), laid over the table from the current
        cell down and right, as one undoable step; any unreadable cell refuses the whole paste."""
        text = QGuiApplication.clipboard().text()
        self.paste_text(text)

    def paste_text(self, text: str) -> int:
        current = self.table.currentIndex()
        if not current.isValid() or not text.strip():
            return 0
        grid = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        # Rows in the order the user sees them.
        view_rows = [self.proxy.mapToSource(self.proxy.index(current.row() + i, 0)).row() for i in range(len(grid))
                     if current.row() + i < self.proxy.rowCount()]
        if len(view_rows) < len(grid):
            self.show_message(f"the pasted block has {len(grid)} rows but only {len(view_rows)} fit below the selected row")
            return 0
        try:
            changed = self.model.changes_from_paste(view_rows, current.column(), grid)
        except ValueError as exc:
            self.show_message(str(exc))
            return 0
        if not changed:
            return 0
        try:
            count = self._editor.upsert_many(changed, f"Paste into {len(changed)} options")
        except PlanError as exc:
            self.show_message(str(exc))
            return 0
        self.clear_message()
        return count
