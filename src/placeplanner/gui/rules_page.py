"""Allocation rules: at least or at most so many options, or so much money, for a need, a
partner, a tag or a kind of option. Edited inline; each change is saved at once through the
plan editor, and the selected rule is read back in plain words so the room can check it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError, ValidationError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.widgets import heading
from placeplanner.model import (
    Option,
    OptionKind,
    PlanData,
    Rule,
    RuleMeasure,
    RuleTarget,
    split_target,
)
from placeplanner.money import format_exact_money, format_money, over_years, parse_money

Index = QModelIndex | QPersistentModelIndex

NAME, TARGET, WHICH, MEASURE, MINIMUM, MAXIMUM, ENABLED = range(7)
COLUMNS = ("Rule", "Applies to", "Which", "Measure", "At least", "At most", "In use")
TOOLTIPS = (
    "The rule's name, as the group will refer to it; edit to rename it (scenarios follow)",
    "What the rule counts options by: a need they address, the partner that leads them, a tag, or their kind",
    "The need, partner, tag or kind the rule is about",
    "Count the options funded, or add up the money they spend over the plan's years",
    "The least the portfolio must fund; blank for no minimum",
    "The most the portfolio may fund; blank for no maximum",
    "Switched on: the allocation keeps this rule. Off: kept in the plan but ignored",
)
TARGET_LABELS = {
    RuleTarget.NEED.value: "Need",
    RuleTarget.PARTNER.value: "Partner",
    RuleTarget.TAG.value: "Tag",
    RuleTarget.KIND.value: "Kind of option",
}
MEASURE_LABELS = {RuleMeasure.COUNT.value: "Number of options", RuleMeasure.SPEND.value: "Money spent"}
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # [(label, value), ...] a combo editor offers

ERROR_STYLE = f"QLabel {{ color: {theme.PROBLEM}; background: #fdf0f0; border: 1px solid #f1c4c4; border-radius: 6px; padding: 8px 12px; font-size: 14px; }}"
NOTE_STYLE = f"QLabel {{ color: {theme.INK}; background: {theme.PANEL}; border-radius: 6px; padding: 8px 12px; font-size: 14px; }}"


# --- plain functions: no Qt state, easy to test


def bound_text(value: float | None, measure: RuleMeasure) -> str:
    if value is None:
        return ""
    if measure == RuleMeasure.SPEND:
        return format_money(value)
    return f"{value:g}"


def parse_bound(text: str, measure: RuleMeasure) -> float | None:
    """'' -> no bound; money as people type it for spend rules; a whole number for counts."""
    text = text.strip()
    if not text or text in {"-", "—", "none"}:
        return None
    if measure == RuleMeasure.SPEND:
        return parse_money(text)
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"'{text}' is not a number of options") from None
    if number != int(number):
        raise ValueError(f"{number:g} is not a whole number of options")
    return number


def target_choices(plan: PlanData, target: str) -> list[str]:
    """The names a rule may apply to, for one kind of target."""
    if target == RuleTarget.NEED.value:
        return [n.name for n in plan.needs]
    if target == RuleTarget.PARTNER.value:
        return [p.name for p in plan.partners]
    if target == RuleTarget.TAG.value:
        return sorted({t for o in plan.options for t in o.tags}, key=str.casefold)
    return [k.value for k in OptionKind]


def matching_options(plan: PlanData, target: str, name: str) -> list[Option]:
    if target == RuleTarget.NEED.value:
        return [o for o in plan.options if name in o.needs]
    if target == RuleTarget.PARTNER.value:
        return [o for o in plan.options if o.lead_partner == name]
    if target == RuleTarget.TAG.value:
        return [o for o in plan.options if name in o.tags]
    return [o for o in plan.options if o.kind.value == name]


def describe_rule(rule: Rule, plan: PlanData) -> str:
    """The rule in words the room can check, with what the plan holds for it."""
    try:
        target, name = split_target(rule.applies_to)
    except ValueError as exc:
        return f"This rule cannot be read: {exc}."
    spend = rule.measure == RuleMeasure.SPEND
    years = plan.info.plan_years
    span = f" {over_years(years)}" if years else ""
    ask = _bounds(rule, spend)
    whom = {
        "need": f"options for need '{name}'",
        "partner": f"options led by '{name}'",
        "tag": f"options tagged '{name}'",
        "kind": f"options of kind '{name}'",
    }[target]
    head = f"{ask} spent{span} on {whom}" if spend else f"{ask} {whom}"
    matches = matching_options(plan, target, name)
    count = len(matches)
    verb = {
        "need": ("addresses it", "address it"),
        "partner": ("is led by it", "are led by it"),
        "tag": ("carries that tag", "carry that tag"),
        "kind": ("is of that kind", "are of that kind"),
    }[target][count != 1]
    tail = f"{count} option{'s' * (count != 1)} in the plan {verb}"
    money_streams = {s.name for s in plan.funding_streams if s.unit == "GBP"}
    asked = sum(c.amount for o in matches for c in o.costs if c.amount > 0 and c.stream in money_streams)
    if spend and count:
        tail += f", asking {format_money(asked)} in all"
    sentence = f"{head}; {tail}"
    if rule.minimum is not None and rule.minimum > 0 and (asked < rule.minimum if spend else count < rule.minimum):
        sentence += ", so this rule cannot be met"
    sentence += "."
    if not rule.enabled:
        sentence = f"Switched off, so the allocation ignores it. When on: {sentence[0].lower()}{sentence[1:]}"
    return sentence


def _bounds(rule: Rule, spend: bool) -> str:
    def amount(value: float) -> str:
        return format_money(value) if spend else f"{value:g}"

    low, high = rule.minimum, rule.maximum
    if low is not None and high is not None:
        return f"Exactly {amount(low)}" if low == high else f"Between {amount(low)} and {amount(high)}"
    if low is not None:
        return f"At least {amount(low)}"
    if high is not None:
        return f"At most {amount(high)}"
    return "No limit on"


def unique_name(wanted: str, taken: set[str]) -> str:
    folded = {t.casefold() for t in taken}
    if wanted.casefold() not in folded:
        return wanted
    number = 2
    while f"{wanted} {number}".casefold() in folded:
        number += 1
    return f"{wanted} {number}"


def problems_text(error: PlanError) -> str:
    """Every problem of a refused edit, one a line."""
    if isinstance(error, ValidationError):
        return "\n".join(str(p) for p in error.problems)
    return str(error)


# --- Qt


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over the choices the model offers for the cell (``CHOICES_ROLE``); picking
    one commits it at once."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for label, value in index.data(CHOICES_ROLE) or []:
            combo.addItem(label, value)
        combo.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        combo.activated.connect(lambda _=0: self._commit(combo))
        QTimer.singleShot(0, combo, combo.showPopup)  # one click to edit and choose, not three
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RuleTableModel(QAbstractTableModel):
    refused = Signal(str)  # why an edit was refused, naming the rule
    retargeted = Signal(int)  # a row's target kind changed: the name should be chosen next

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._rules: list[Rule] = []
        self._plan: PlanData | None = None

    def set_plan(self, plan: PlanData) -> None:
        rules = list(plan.rules)
        self._plan = plan
        # Same number of rows (an edit or a rename): update in place, so an open editor and
        # the selection survive.
        if len(rules) == len(self._rules):
            self._rules = rules
            if rules:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rules) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rules = rules
        self.endResetModel()

    def rule_at(self, row: int) -> Rule:
        return self._rules[row]

    def row_of(self, name: str) -> int | None:
        return next((i for i, r in enumerate(self._rules) if r.name == name), None)

    # --- Qt's model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if section in (MINIMUM, MAXIMUM) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or not self._editor.service.writable:
            return base
        if index.column() == ENABLED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self._rules[index.row()]
        column = index.column()
        target, name = _target_of(rule)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(rule, column, target, name)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(rule, column, target, name)
        if role == Qt.ItemDataRole.CheckStateRole and column == ENABLED:
            return Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked
        if role == CHOICES_ROLE:
            return self._choices(column, target)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not rule.enabled and column != ENABLED:
                return QBrush(QColor(theme.LEFT_OUT))
            if column in (MINIMUM, MAXIMUM) and (rule.minimum if column == MINIMUM else rule.maximum) is None:
                return QBrush(QColor(theme.LEFT_OUT))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MINIMUM, MAXIMUM):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[column]
        return None

    @staticmethod
    def _display(rule: Rule, column: int, target: str, name: str) -> str:
        if column == NAME:
            return rule.name
        if column == TARGET:
            return TARGET_LABELS.get(target, target)
        if column == WHICH:
            return name
        if column == MEASURE:
            return MEASURE_LABELS[rule.measure.value]
        if column in (MINIMUM, MAXIMUM):
            value = rule.minimum if column == MINIMUM else rule.maximum
            return bound_text(value, rule.measure) or "none"
        return "On" if rule.enabled else "Off"

    @staticmethod
    def _edit_value(rule: Rule, column: int, target: str, name: str) -> str:
        if column == TARGET:
            return target
        if column == MEASURE:
            return rule.measure.value
        if column in (MINIMUM, MAXIMUM):
            value = rule.minimum if column == MINIMUM else rule.maximum
            if value is None:
                return ""
            return format_exact_money(value) if rule.measure == RuleMeasure.SPEND else f"{value:g}"
        return RuleTableModel._display(rule, column, target, name)

    def _choices(self, column: int, target: str) -> list[tuple[str, str]] | None:
        if column == TARGET:
            return [(label, value) for value, label in TARGET_LABELS.items()]
        if column == MEASURE:
            return [(label, value) for value, label in MEASURE_LABELS.items()]
        if column == WHICH and self._plan is not None:
            return [(n, n) for n in target_choices(self._plan, target)]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        row, column = index.row(), index.column()
        rule = self._rules[row]
        if column == NAME:
            return self._commit(row, replace(rule, name=str(value).strip()), rename_from=rule)
        try:
            changed = self._changed(rule, column, value, role)
        except ValueError as exc:
            self.refused.emit(f"Rule '{rule.name}', {COLUMNS[column].lower()}: {exc}.")
            return False
        if changed is None or changed == rule:
            return False
        done = self._commit(row, changed)
        if done and column == TARGET:
            self.retargeted.emit(row)
        return done

    def _changed(self, rule: Rule, column: int, value: Any, role: int) -> Rule | None:
        text = "" if value is None else str(value).strip()
        if column == ENABLED and role == Qt.ItemDataRole.CheckStateRole:
            return replace(rule, enabled=_checked(value))
        if role != Qt.ItemDataRole.EditRole:
            return None
        target, name = _target_of(rule)
        if column == TARGET:
            wanted = text.lower()
            if wanted not in TARGET_LABELS:
                raise ValueError(f"'{text}' is not something a rule applies to; choose need, partner, tag or kind")
            if wanted == target:
                return None
            names = target_choices(self._plan, wanted) if self._plan is not None else []
            if not names:
                raise ValueError(f"the plan has no {TARGET_LABELS[wanted].lower()}s yet to apply a rule to")
            keep = name if name in names else names[0]
            return replace(rule, applies_to=f"{wanted}:{keep}")
        if column == WHICH:
            if not text:
                raise ValueError("choose what the rule applies to; it cannot be blank")
            return replace(rule, applies_to=f"{target}:{text}")
        if column == MEASURE:
            measures = {m.value: m for m in RuleMeasure} | {label.lower(): RuleMeasure(v) for v, label in MEASURE_LABELS.items()}
            if text.lower() not in measures:
                raise ValueError(f"'{text}' is not a measure; choose a number of options (count) or money spent (spend)")
            return replace(rule, measure=measures[text.lower()])
        if column == MINIMUM:
            return replace(rule, minimum=parse_bound(text, rule.measure))
        if column == MAXIMUM:
            return replace(rule, maximum=parse_bound(text, rule.measure))
        return None

    def _commit(self, row: int, changed: Rule, rename_from: Rule | None = None) -> bool:
        try:
            if rename_from is not None:
                if changed.name == rename_from.name:
                    return False
                self._editor.rename(rename_from, changed.name, f"Rename rule “{rename_from.name}” to “{changed.name}”")
            else:
                self._editor.upsert(changed, f"Change rule “{changed.name}”")
        except PlanError as exc:
            self.refused.emit(f"Not changed: {problems_text(exc)}")
            return False
        # The editor's change signal refreshes the page; until then the row shows the edit.
        if row < len(self._rules):
            self._rules[row] = changed
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True


def _target_of(rule: Rule) -> tuple[str, str]:
    try:
        return split_target(rule.applies_to)
    except ValueError:
        return "", rule.applies_to


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    if isinstance(value, bool):
        return value
    return int(value) == Qt.CheckState.Checked.value


class RulesPage(QWidget):
    TABLES = frozenset({"rules", "options", "needs", "partners"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._service = editor.service
        self._plan: PlanData | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(
            "Allocation rules",
            "Fairness rules every portfolio must keep: at least or at most a number of options, or an amount of money, "
            "for a need, a partner, a tag or a kind of option. Double-click a cell to change it; each change is saved as you make it.",
        ))

        bar = QHBoxLayout()
        self.add_button = QPushButton("Add rule")
        self.add_button.setObjectName("primary")
        self.add_button.setToolTip("Add a rule, then name it and say what it applies to")
        self.delete_button = QPushButton("Delete rule")
        self.delete_button.setToolTip("Delete the selected rule; scenarios that switch it off forget it too (Delete)")
        self.count_label = QLabel()
        self.count_label.setObjectName("caption")
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)

        self.model = RuleTableModel(editor)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Allocation rules table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setStyleSheet(
            "QTableView { font-size: 15px; } QTableView::item { padding: 0 8px; }"
            " QHeaderView::section { padding: 6px 10px; }"
            " QTableView::indicator { width: 18px; height: 18px; }"
        )
        self._choices = ChoiceDelegate(self.table)
        for column in (TARGET, WHICH, MEASURE):
            self.table.setItemDelegateForColumn(column, self._choices)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(90)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHICH, QHeaderView.ResizeMode.Fixed)
        for column, width in ((TARGET, 150), (MEASURE, 190), (MINIMUM, 120), (MAXIMUM, 120), (ENABLED, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        layout.addWidget(self.table, 1)

        self.sentence_frame = QFrame()
        self.sentence_frame.setObjectName("card")
        sentence_layout = QVBoxLayout(self.sentence_frame)
        sentence_layout.setContentsMargins(20, 14, 20, 16)
        caption = QLabel("The selected rule, in words")
        caption.setObjectName("caption")
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("The selected rule in words")
        self.sentence.setStyleSheet(f"font-size: 19px; color: {theme.INK};")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sentence_layout.addWidget(caption)
        sentence_layout.addWidget(self.sentence)
        layout.addWidget(self.sentence_frame)
        how = QLabel(
            "A count rule counts the options funded; a money rule adds up what they spend from money streams over the plan's years. "
            "A scenario can switch rules off to show what they cost. When rules cannot all hold, the allocation names the ones that conflict."
        )
        how.setObjectName("caption")
        how.setWordWrap(True)
        layout.addWidget(how)
        layout.addStretch(0)

        self.model.refused.connect(self.show_refusal)
        self.model.retargeted.connect(self._choose_name_next)
        self.model.dataChanged.connect(lambda *_: self._update_sentence())
        self.model.modelReset.connect(self._update_sentence)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_rule)
        self.delete_button.clicked.connect(self.delete_selected)
        delete_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.refresh()

    # --- what the page shows

    def refresh(self) -> None:
        plan = self._service.read()
        if plan is self._plan:
            return
        self._plan = plan
        selected = self.selected_rule()
        self.model.set_plan(plan)
        if selected is not None:
            self.select(selected.name)
        if self.selected_rule() is None and plan.rules:
            self.table.selectRow(0)
        writable = self._service.writable
        self.add_button.setEnabled(writable)
        self.delete_button.setEnabled(writable and self.selected_rule() is not None)
        on = sum(r.enabled for r in plan.rules)
        self.count_label.setText(f"{len(plan.rules)} rule{'s' * (len(plan.rules) != 1)}, {on} in use")
        self._fit_table()
        # "Which" as wide as its longest name, within reason; the rule's name takes the rest.
        self.table.resizeColumnToContents(WHICH)
        self.table.setColumnWidth(WHICH, min(max(self.table.columnWidth(WHICH) + 24, 220), 380))
        self._update_sentence()

    def _fit_table(self) -> None:
        """As tall as its rows (a short list leaves no empty box), up to the space there is."""
        rows = max(self.model.rowCount(), 3)
        height = self.table.horizontalHeader().sizeHint().height() + rows * self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(height + 2 * self.table.frameWidth())

    def selected_rule(self) -> Rule | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.rule_at(rows[0].row())

    def select(self, name: str) -> bool:
        row = self.model.row_of(name)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def show_refusal(self, text: str) -> None:
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.delete_button.setEnabled(self._service.writable and self.selected_rule() is not None)
        self._update_sentence()

    def _update_sentence(self) -> None:
        rule = self.selected_rule()
        if rule is None or self._plan is None:
            self.sentence.setText("No rules yet. Add one to say, for example, “at least £500k for prevention”."
                                  if not self.model.rowCount() else "Select a rule to read it in words.")
            return
        self.sentence.setText(describe_rule(rule, self._plan))

    def _choose_name_next(self, row: int) -> None:
        # After the combo that changed the target has closed, not while it is committing.
        QTimer.singleShot(0, self, lambda: self._edit_cell(row, WHICH))

    def _edit_cell(self, row: int, column: int) -> None:
        if row < self.model.rowCount():
            index = self.model.index(row, column)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    # --- adding and deleting

    def add_rule(self) -> None:
        plan = self._service.read()
        name = unique_name("New rule", {r.name for r in plan.rules})
        if plan.needs:
            busiest = max(plan.needs, key=lambda n: len(matching_options(plan, "need", n.name)))
            target = f"need:{busiest.name}"
        elif plan.partners:
            target = f"partner:{plan.partners[0].name}"
        else:
            target = f"kind:{OptionKind.INVEST.value}"
        rule = Rule(name, target, RuleMeasure.COUNT, minimum=1)
        try:
            self._editor.upsert(rule, f"Add rule “{name}”")
        except PlanError as exc:
            self.show_refusal(f"No rule added: {problems_text(exc)}")
            return
        self._say("", error=False)
        self.refresh()
        if self.select(name):
            index = self.model.index(self.model.row_of(name) or 0, NAME)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def delete_selected(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        row = self.model.row_of(rule.name) or 0
        followers = [s for s in self._service.read().scenarios if rule.name in _names(s.settings.get("rules_off"))]
        label = f"Delete rule “{rule.name}”"
        stack = self._editor.stack
        try:
            if not followers:
                self._editor.remove(rule, label)
            else:
                # One undo step: the rule and the scenarios that switch it off, which would
                # otherwise name a rule that is no longer there.
                stack.beginMacro(label)
                try:
                    self._editor.remove(rule, label)
                    for scenario in followers:
                        kept = [n for n in _names(scenario.settings.get("rules_off")) if n != rule.name]
                        settings = {k: v for k, v in scenario.settings.items() if k != "rules_off"}
                        if kept:
                            settings["rules_off"] = kept
                        self._editor.upsert(replace(scenario, settings=settings))
                finally:
                    stack.endMacro()
        except PlanError as exc:
            self.show_refusal(f"Not deleted: {problems_text(exc)}")
            return
        self.refresh()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        names = ", ".join(f"'{s.name}'" for s in followers)
        also = f" Scenario {names} no longer switches it off." if followers else ""
        self._say(f"Deleted rule '{rule.name}'.{also} Undo brings it back.", error=False)


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
