"""Scenarios: named sets of what-ifs laid over the plan (smaller budgets, other weights, rules
or options switched off or forced in). The form edits a draft; "Apply changes" checks it
against the plan, naming every problem, and saves it as one undoable step. Drafts are kept
per scenario, so moving between scenarios loses nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.snapshot import MONEY, ScenarioSettings, Switches, take_snapshot
from placeplanner.errors import PlanError, ValidationError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.rules_page import (
    ERROR_STYLE,
    NOTE_STYLE,
    describe_rule,
    problems_text,
    unique_name,
)
from placeplanner.gui.widgets import heading
from placeplanner.model import FundingStream, OptionStatus, PlanData, Scenario
from placeplanner.model.costs import option_cost_words, stream_units
from placeplanner.money import (
    format_exact_money,
    format_money,
    format_quantity,
    format_signed,
    parse_money,
    year_label,
)

Index = QModelIndex | QPersistentModelIndex

CAPTION = "A scenario is a set of what-ifs laid over the plan; the plan itself is not changed."
SWITCH_LABELS = {  # (label in the "ignored" list, what it means)
    "budgets": ("Funding stream budgets", "spending stays within each stream's amount each year"),
    "ring_fences": ("Ring-fences", "ring-fenced streams fund only the options they are for"),
    "mandatory": ("Mandatory options", "options marked mandatory (statutory duties) must be funded"),
    "requires": ("“Requires” links", "an option that requires another is funded only with it"),
    "excludes": ("“Excludes” links", "options that exclude each other are not both funded"),
    "rules": ("Allocation rules", "every at-least and at-most rule, all at once"),
    "pool_money": ("Pooled money", "a cost may come from any money stream the option may use"),
}
SWITCH_SHORT = {
    "budgets": "budgets", "ring_fences": "ring-fences", "mandatory": "mandatory options", "requires": "'requires' links",
    "excludes": "'excludes' links", "rules": "all rules", "pool_money": "pooled money",
}
WARN_STYLE = "QLabel { color: #7a4a00; font-weight: 600; }"


# --- the draft a form edits: plain values, no Qt


@dataclass(frozen=True, slots=True)
class Draft:
    """A scenario as the form shows it. Pairs and names are kept sorted, so that two drafts
    saying the same thing compare equal."""

    description: str = ""
    budget_factor: float = 1.0
    stream_factors: tuple[tuple[str, float], ...] = ()
    stream_extra: tuple[tuple[str, float], ...] = ()
    weight_set: str = ""
    reach_factor: bool = False
    rules_off: tuple[str, ...] = ()
    options_out: tuple[str, ...] = ()
    options_in: tuple[str, ...] = ()
    switches_off: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=(), compare=False)  # stored keys PlacePlanner does not know


def draft_from(scenario: Scenario) -> Draft:
    raw = scenario.settings
    known = {f.name for f in fields(ScenarioSettings)}
    switches = raw.get("switches")
    return Draft(
        description=scenario.description,
        budget_factor=_number(raw.get("budget_factor"), 1.0),
        stream_factors=_pairs(raw.get("stream_factors")),
        stream_extra=_pairs(raw.get("stream_extra")),
        weight_set=str(raw.get("weight_set") or ""),
        reach_factor=bool(raw.get("reach_factor", False)),
        rules_off=_names(raw.get("rules_off")),
        options_out=_names(raw.get("options_out")),
        options_in=_names(raw.get("options_in")),
        switches_off=tuple(sorted(str(k) for k, on in switches.items() if not on)) if isinstance(switches, dict) else (),
        unknown=tuple(sorted(set(raw) - known)),
    )


def settings_of(draft: Draft) -> dict[str, object]:
    """The draft as a scenario's stored settings: JSON lists and maps, defaults left out."""
    settings: dict[str, object] = {}
    if draft.budget_factor != 1.0:
        settings["budget_factor"] = draft.budget_factor
    if draft.stream_factors:
        settings["stream_factors"] = dict(draft.stream_factors)
    extra = {name: amount for name, amount in draft.stream_extra if amount}
    if extra:
        settings["stream_extra"] = extra
    if draft.weight_set:
        settings["weight_set"] = draft.weight_set
    if draft.reach_factor:
        settings["reach_factor"] = True
    for key in ("rules_off", "options_out", "options_in"):
        names: tuple[str, ...] = getattr(draft, key)
        if names:
            settings[key] = list(names)
    if draft.switches_off:
        settings["switches"] = dict.fromkeys(draft.switches_off, False)
    return settings


def stream_factor(stream: FundingStream, draft: Draft) -> float:
    """As the snapshot reads it: the stream's own factor, else the overall one for money."""
    return dict(draft.stream_factors).get(stream.name, draft.budget_factor if stream.unit == MONEY else 1.0)


def stream_amounts(stream: FundingStream, draft: Draft) -> tuple[tuple[int, float], ...]:
    factor = stream_factor(stream, draft)
    extra = dict(draft.stream_extra).get(stream.name, 0.0)
    return tuple((year, amount * factor + extra) for year, amount in stream.amounts)


def check_draft(plan: PlanData, name: str, draft: Draft) -> list[str]:
    """Every reason the draft cannot be applied, each naming what is wrong; empty when fine."""
    problems = [
        f"option '{option}' is both forced in and forced out; choose one"
        for option in draft.options_out if option in draft.options_in
    ]
    for stream in plan.funding_streams:
        for year, amount in stream_amounts(stream, draft):
            if amount < 0:
                problems.append(f"funding stream '{stream.name}' would hold {format_money(amount, stream.unit)} in {year_label(year)}; a budget cannot be below zero")
    try:
        take_snapshot(plan, Scenario(name, draft.description, settings_of(draft)))
    except ValidationError as exc:
        problems.extend(str(p) for p in exc.problems)
    return problems


def describe_draft(draft: Draft, units: Mapping[str, str]) -> str:
    """What the scenario changes, in one line the room can read; ``units``: each stream's unit,
    so extra staff hours read as hours, not pounds."""
    parts = []
    if draft.budget_factor != 1.0:
        parts.append(f"money budgets at {_percent(draft.budget_factor)} ({_change(draft.budget_factor)})")
    for name, factor in draft.stream_factors:
        parts.append(f"'{name}' at {_percent(factor)}")
    for name, extra in draft.stream_extra:
        if extra:
            parts.append(f"'{name}' {format_signed(extra, units.get(name, MONEY))} a year")
    if draft.weight_set:
        parts.append(f"weights from '{draft.weight_set}'")
    if draft.reach_factor:
        parts.append("value scaled by the people reached")
    if draft.rules_off:
        parts.append(_count_or_names(draft.rules_off, "rule", "off"))
    if draft.options_out:
        parts.append(f"{_plural(len(draft.options_out), 'option')} forced out")
    if draft.options_in:
        parts.append(f"{_plural(len(draft.options_in), 'option')} forced in")
    if draft.switches_off:
        parts.append("ignores " + ", ".join(SWITCH_SHORT.get(s, s.replace("_", " ")) for s in draft.switches_off))
    if not parts:
        return "Changes nothing yet: the allocation sees the plan as it stands."
    text = "; ".join(parts)
    return f"What it changes: {text}."


def parse_percent(text: str) -> float | None:
    """'90%' or '90' -> 0.9; blank -> None (follow the overall factor)."""
    text = text.strip().rstrip("%").strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"'{text}' is not a percentage such as 90%") from None
    if value < 0:
        raise ValueError(f"{value:g}% would scale the budget below zero; 100% keeps it as planned, 90% is a 10% cut")
    return value / 100


def parse_amount(text: str, unit: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    if unit == MONEY:
        return parse_money(text)
    try:
        return float(text.replace(",", "").removesuffix(unit).strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a number of {unit}") from None


def _percent(factor: float) -> str:
    return f"{factor * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _change(factor: float) -> str:
    if factor < 1:
        return f"a {_percent(1 - factor)} cut"
    return f"{_percent(factor - 1)} more"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' * (count != 1)}"


def _count_or_names(names: tuple[str, ...], noun: str, state: str) -> str:
    if len(names) <= 2:
        return f"{noun}{'s' * (len(names) != 1)} {state}: " + ", ".join(f"'{n}'" for n in names)
    return f"{_plural(len(names), noun)} {state}"


def _switch_item(name: str) -> Item:
    label, meaning = SWITCH_LABELS.get(name, (name.replace("_", " ").capitalize(), ""))
    return Item(name, f"{label}: {meaning}" if meaning else label, meaning)


def _number(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def _pairs(value: object) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((str(k), _number(v, 0.0)) for k, v in value.items()))


def _names(value: object) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in value})) if isinstance(value, list | tuple) else ()


# --- models


class ScenarioListModel(QAbstractListModel):
    """Scenario names; renamed in place. A scenario with changes not yet applied says so."""

    def __init__(self, rename: Callable[[str, str], bool]) -> None:
        super().__init__()
        self._rename = rename
        self._names: list[str] = []
        self._dirty: set[str] = set()
        self.editable = True

    def set_names(self, names: list[str]) -> None:
        if names == self._names:
            return
        if len(names) == len(self._names):  # a rename: in place, so the list's editor is not torn down
            self._names = names
            self.dataChanged.emit(self.index(0), self.index(len(names) - 1))
            return
        self.beginResetModel()
        self._names = names
        self.endResetModel()

    def set_dirty(self, dirty: set[str]) -> None:
        if dirty != self._dirty:
            self._dirty = set(dirty)
            if self._names:
                self.dataChanged.emit(self.index(0), self.index(len(self._names) - 1))

    def name_at(self, row: int) -> str:
        return self._names[row]

    def row_of(self, name: str) -> int | None:
        return self._names.index(name) if name in self._names else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._names)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and self.editable else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self._names[index.row()]
        dirty = name in self._dirty
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  (changed)" if dirty else name
        if role == Qt.ItemDataRole.EditRole:
            return name
        if role == Qt.ItemDataRole.FontRole and dirty:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Changed here but not applied yet" if dirty else "Double-click or F2 to rename"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        return self._rename(self._names[index.row()], str(value))


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: str
    tooltip: str = ""


class CheckListModel(QAbstractListModel):
    toggled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._items: list[Item] = []
        self._checked: set[str] = set()

    def set_items(self, items: list[Item], checked: Iterable[str]) -> None:
        self.beginResetModel()
        self._items, self._checked = items, set(checked)
        self.endResetModel()

    def checked(self) -> tuple[str, ...]:
        return tuple(i.key for i in self._items if i.key in self._checked)

    def is_checked(self, row: int) -> bool:
        return self._items[row].key in self._checked

    def row_of(self, key: str) -> int | None:
        return next((r for r, i in enumerate(self._items) if i.key == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else super().flags(index)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.key in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.tooltip or None
        if role == Qt.ItemDataRole.UserRole:
            return item.key
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        key = self._items[index.row()].key
        on = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value) or value is True
        if on == (key in self._checked):
            return False
        if on:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.toggled.emit()
        return True


class CheckFilter(QSortFilterProxyModel):
    """Filter by text, and optionally show only the ticked items."""

    def __init__(self) -> None:
        super().__init__()
        self.ticked_only = False
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self.ticked_only and isinstance(model, CheckListModel) and not model.is_checked(source_row):
            return False
        return super().filterAcceptsRow(source_row, source_parent)

    def show_ticked_only(self, on: bool) -> None:
        self.ticked_only = on
        self.invalidateFilter()


class Checklist(QWidget):
    """A titled list of tick boxes over a model, with a count of what is ticked."""

    changed = Signal()

    def __init__(self, title: str, hint: str = "", name: str = "", *, wrap: bool = False) -> None:
        super().__init__()
        self.model = CheckListModel()
        self.proxy = CheckFilter()
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        label = QLabel(title)
        label.setObjectName("section")
        self.count = QLabel()
        self.count.setObjectName("caption")
        top.addWidget(label)
        top.addStretch(1)
        top.addWidget(self.count)
        layout.addLayout(top)
        if hint:
            note = QLabel(hint)
            note.setObjectName("caption")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if wrap:
            self.view.setWordWrap(True)
            self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        else:
            self.view.setUniformItemSizes(True)  # thousands of options stay quick
            self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setAccessibleName(name or title)
        self.view.setStyleSheet(
            "QListView { font-size: 14px; border: 1px solid #d5dbe3; border-radius: 6px; padding: 4px 8px; }"
            " QListView::item { padding: 5px 0; } QListView::indicator { width: 17px; height: 17px; }"
        )
        layout.addWidget(self.view, 1)
        self.model.toggled.connect(self._on_toggled)
        self.model.modelReset.connect(self._count)

    def set_items(self, items: list[Item], checked: Iterable[str]) -> None:
        self.model.set_items(items, checked)

    def checked(self) -> tuple[str, ...]:
        return self.model.checked()

    def set_checked(self, key: str, on: bool) -> bool:
        row = self.model.row_of(key)
        if row is None:
            return False
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return self.model.setData(self.model.index(row), state, Qt.ItemDataRole.CheckStateRole)

    def _on_toggled(self) -> None:
        if self.proxy.ticked_only:
            self.proxy.invalidateFilter()
        self._count()
        self.changed.emit()

    def _count(self) -> None:
        self.count.setText(f"{len(self.model.checked()):,} of {self.model.rowCount():,} ticked")


NAME_COLUMN, FACTOR_COLUMN, EXTRA_COLUMN = range(3)


class StreamTableModel(QAbstractTableModel):
    """Each funding stream: its own factor, a sum added each year, and what it then holds."""

    edited = Signal(object, object)  # stream factors, stream extras (dicts)
    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._streams: tuple[FundingStream, ...] = ()
        self._years: tuple[int, ...] = ()
        self._draft = Draft()
        self.editable = True

    def set_state(self, streams: tuple[FundingStream, ...], years: tuple[int, ...], draft: Draft) -> None:
        if streams == self._streams and years == self._years:
            self._draft = draft
            if streams:
                self.dataChanged.emit(self.index(0, 0), self.index(len(streams) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._streams, self._years, self._draft = streams, years, draft
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._streams)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3 + len(self._years)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return ("Funding stream", "Scale by", "Add each year")[section] if section < 3 else year_label(self._years[section - 3])
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "The funding stream and the partner that brings it",
                "This stream's own factor (90% is a 10% cut); blank follows the overall budget",
                "A fixed sum added to the stream in every year (negative takes it away)",
            )[section] if section < 3 else "What the stream holds in this year under the scenario (as planned → as the scenario has it)"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if section == NAME_COLUMN else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.editable and index.column() in (FACTOR_COLUMN, EXTRA_COLUMN):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        stream = self._streams[index.row()]
        column = index.column()
        own = dict(self._draft.stream_factors).get(stream.name)
        extra = dict(self._draft.stream_extra).get(stream.name, 0.0)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME_COLUMN:
                return stream.name
            if column == FACTOR_COLUMN:
                if own is not None:
                    return _percent(own)
                return f"{_percent(self._draft.budget_factor)} (overall)" if stream.unit == MONEY else "100% (not money)"
            if column == EXTRA_COLUMN:
                return format_money(extra, stream.unit) if extra else "none"
            year = self._years[column - 3]
            before = stream.amount_in(year)
            after = dict(stream_amounts(stream, self._draft)).get(year, 0.0)
            if abs(after - before) < 0.5:
                return format_money(before, stream.unit)
            return f"{format_money(before, stream.unit)} → {format_money(after, stream.unit)}"
        if role == Qt.ItemDataRole.EditRole:
            if column == FACTOR_COLUMN:
                return "" if own is None else _percent(own)
            if column == EXTRA_COLUMN:
                return "" if not extra else (format_exact_money(extra) if stream.unit == MONEY else format_quantity(extra, ""))
            return self.data(index)
        if role == Qt.ItemDataRole.ForegroundRole:
            following = column == FACTOR_COLUMN and own is None
            if following or (column == EXTRA_COLUMN and not extra):
                return QBrush(QColor(theme.LEFT_OUT))
            if column >= 3:
                year = self._years[column - 3]
                if dict(stream_amounts(stream, self._draft)).get(year, 0.0) < stream.amount_in(year) - 0.5:
                    return QBrush(QColor(theme.PROBLEM))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME_COLUMN:
            fence = f"; ring-fenced for {', '.join(stream.ring_fenced_for)}" if stream.ring_fenced_for else ""
            return f"Brought by {stream.partner}; unit {stream.unit}{fence}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        stream = self._streams[index.row()]
        factors = dict(self._draft.stream_factors)
        extras = dict(self._draft.stream_extra)
        text = "" if value is None else str(value)
        try:
            if index.column() == FACTOR_COLUMN:
                factor = parse_percent(text)
                if factor is None:
                    factors.pop(stream.name, None)
                else:
                    factors[stream.name] = factor
            elif index.column() == EXTRA_COLUMN:
                amount = parse_amount(text, stream.unit)
                if amount:
                    extras[stream.name] = amount
                else:
                    extras.pop(stream.name, None)
            else:
                return False
        except ValueError as exc:
            what = "scale" if index.column() == FACTOR_COLUMN else "sum added each year"
            self.refused.emit(f"Not changed: the {what} for funding stream '{stream.name}': {exc}.")
            return False
        self.edited.emit(factors, extras)
        return True


# --- the page


@dataclass(slots=True)
class _Held:
    """A draft and the stored scenario it started from (to notice when that changes)."""

    base: Scenario
    draft: Draft


class ScenariosPage(QWidget):
    TABLES = frozenset({"scenarios", "rules", "options", "funding_streams", "weight_sets"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._service = editor.service
        self._plan: PlanData | None = None
        self._held: dict[str, _Held] = {}
        self._current: str | None = None
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 20)
        outer.setSpacing(10)
        outer.addWidget(heading("Scenarios", CAPTION))
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addWidget(self._build_list(), 0)
        body.addWidget(self._build_form(), 1)
        outer.addLayout(body, 1)

        apply_shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.apply_changes)
        apply_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    # --- building

    def _build_list(self) -> QWidget:
        box = QFrame()
        box.setObjectName("card")
        box.setFixedWidth(300)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(10)
        self.names = ScenarioListModel(self._rename)
        self.list = QListView()
        self.list.setModel(self.names)
        self.list.setAccessibleName("Scenarios")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setStyleSheet(
            "QListView { font-size: 15px; border: none; background: transparent; outline: none; }"
            " QListView::item { padding: 9px 10px; border-radius: 6px; margin: 1px 0; }"
            f" QListView::item:selected {{ background: {theme.ACCENT}; color: white; }}"
        )
        layout.addWidget(self.list, 1)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("A new scenario that changes nothing yet")
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("A copy of the selected scenario as applied, to vary")
        self.rename_button = QPushButton("Rename")
        self.rename_button.setToolTip("Rename the selected scenario (F2); results and reports follow")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected scenario; undo brings it back")
        for index, button in enumerate((self.add_button, self.duplicate_button, self.rename_button, self.delete_button)):
            grid.addWidget(button, index // 2, index % 2)
        layout.addLayout(grid)

        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_scenario)
        self.duplicate_button.clicked.connect(self.duplicate_scenario)
        self.rename_button.clicked.connect(self.start_rename)
        self.delete_button.clicked.connect(self.delete_scenario)
        return box

    def _build_form(self) -> QWidget:
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the scenario changes")
        self.summary.setStyleSheet(f"font-size: 15px; color: {theme.ACCENT};")
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("What this scenario asks, in a sentence the board paper can quote")
        self.description.setFixedHeight(62)
        self.description.setTabChangesFocus(True)
        self.description.setStyleSheet("QPlainTextEdit { font-size: 14px; border: 1px solid #c5ccd6; border-radius: 6px; padding: 4px; }")
        layout.addWidget(self.description)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(
            "QTabBar::tab { font-size: 14px; padding: 8px 16px; border: none; border-bottom: 3px solid transparent; }"
            f" QTabBar::tab:selected {{ border-bottom: 3px solid {theme.ACCENT}; }} QTabWidget::pane {{ border: none; }}"
        )
        self.tabs.addTab(self._build_budgets(), "Budgets and weights")
        self.tabs.addTab(self._build_rules(), "Rules and constraints")
        self.tabs.addTab(self._build_options(), "Options in and out")
        layout.addWidget(self.tabs, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.state = QLabel()
        self.state.setStyleSheet(WARN_STYLE)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Forget the changes made here and show the scenario as applied")
        self.apply_button = QPushButton("Apply changes")
        self.apply_button.setObjectName("primary")
        # The theme styles #primary over :disabled; here "nothing to apply" has to show.
        self.apply_button.setStyleSheet("QPushButton#primary:disabled { background: #c9d3df; color: white; }")
        self.apply_button.setToolTip("Check the scenario against the plan and save it (Ctrl+S); undo takes it back")
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)

        self.description.textChanged.connect(self._on_form_changed)
        self.revert_button.clicked.connect(self.revert)
        self.apply_button.clicked.connect(self.apply_changes)
        return form

    def _build_budgets(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 14, 4, 4)
        layout.setSpacing(10)
        row = QHBoxLayout()
        label = QLabel("Overall money budget")
        label.setObjectName("section")
        self.budget_factor = QLineEdit()
        self.budget_factor.setAccessibleName("Overall budget factor")
        self.budget_factor.setFixedWidth(96)
        self.budget_factor.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.budget_factor.setToolTip("100% keeps every money stream as planned; 90% is a 10% cut")
        self.budget_factor.setStyleSheet("font-size: 15px;")
        less = QPushButton("−5%")
        less.setAccessibleName("Five percent less")
        more = QPushButton("+5%")
        more.setAccessibleName("Five percent more")
        self.budget_words = QLabel()
        self.budget_words.setObjectName("subtitle")
        self.budget_words.setWordWrap(True)
        row.addWidget(label)
        row.addSpacing(8)
        row.addWidget(self.budget_factor)
        row.addWidget(less)
        row.addWidget(more)
        row.addSpacing(8)
        row.addWidget(self.budget_words, 1)
        less.clicked.connect(lambda: self._step_budget(-0.05))
        more.clicked.connect(lambda: self._step_budget(0.05))
        layout.addLayout(row)

        self.streams = StreamTableModel()
        self.stream_table = QTableView()
        self.stream_table.setModel(self.streams)
        self.stream_table.setAccessibleName("Funding streams under the scenario")
        self.stream_table.verticalHeader().setVisible(False)
        self.stream_table.verticalHeader().setDefaultSectionSize(36)
        self.stream_table.setAlternatingRowColors(True)
        self.stream_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stream_table.setWordWrap(False)
        self.stream_table.setStyleSheet(
            "QTableView { font-size: 14px; } QTableView::item { padding: 0 8px; } QHeaderView::section { padding: 6px 10px; }"
        )
        layout.addWidget(self.stream_table, 1)
        hint = QLabel("Double-click “Scale by” to give one stream its own factor (blank follows the overall budget), "
                      "or “Add each year” to add or take away a fixed sum. Amounts in red are below the plan.")
        hint.setObjectName("caption")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        weights = QHBoxLayout()
        weights_label = QLabel("Weights")
        weights_label.setObjectName("section")
        self.weight_set = QComboBox()
        self.weight_set.setAccessibleName("Weight set")
        self.weight_set.setMinimumWidth(280)
        self.reach = QCheckBox("Scale each option's value by the people it reaches")
        self.reach.setAccessibleName("Reach factor")
        self.reach.setToolTip("Off by default: reach is usually part of how people score population health already")
        weights.addWidget(weights_label)
        weights.addWidget(self.weight_set)
        weights.addSpacing(24)
        weights.addWidget(self.reach)
        weights.addStretch(1)
        layout.addSpacing(6)
        layout.addLayout(weights)
        layout.addStretch(0)

        self.budget_factor.textEdited.connect(self._on_budget_typed)
        self.budget_factor.editingFinished.connect(self._on_budget_done)
        self.weight_set.currentIndexChanged.connect(self._on_form_changed)
        self.reach.toggled.connect(self._on_form_changed)
        self.streams.edited.connect(self._on_streams_edited)
        self.streams.refused.connect(self.show_refusal)
        return tab

    def _build_rules(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(4, 14, 4, 4)
        layout.setSpacing(24)
        self.rules_off = Checklist("Rules switched off", "Tick a rule to see the portfolio without it: what the rule costs.", "Rules switched off")
        self.switches_off = Checklist(
            "Constraints ignored", "Tick a family of constraints to ask “what if we ignored this altogether?”.", "Constraints ignored",
            wrap=True,
        )
        layout.addWidget(self.rules_off, 1)
        layout.addWidget(self.switches_off, 1)
        self.rules_off.changed.connect(self._on_form_changed)
        self.switches_off.changed.connect(self._on_form_changed)
        return tab

    def _build_options(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 14, 4, 4)
        layout.setSpacing(10)
        row = QHBoxLayout()
        self.option_filter = QLineEdit()
        self.option_filter.setPlaceholderText("Filter options by name")
        self.option_filter.setAccessibleName("Filter options")
        self.option_filter.setClearButtonEnabled(True)
        self.ticked_only = QCheckBox("Show ticked only")
        row.addWidget(self.option_filter, 1)
        row.addWidget(self.ticked_only)
        layout.addLayout(row)
        lists = QHBoxLayout()
        lists.setSpacing(24)
        self.options_out = Checklist("Forced out: never funded", "", "Options forced out")
        self.options_in = Checklist("Forced in: must be funded", "", "Options forced in")
        lists.addWidget(self.options_out, 1)
        lists.addWidget(self.options_in, 1)
        layout.addLayout(lists, 1)
        for checklist in (self.options_out, self.options_in):
            self.option_filter.textChanged.connect(checklist.proxy.setFilterFixedString)
            self.ticked_only.toggled.connect(checklist.proxy.show_ticked_only)
            checklist.changed.connect(self._on_form_changed)
        return tab

    # --- reading the plan

    def refresh(self) -> None:
        plan = self._service.read()
        if plan is self._plan:
            return
        self._plan = plan
        stored = {s.name: s for s in plan.scenarios}
        # A draft whose scenario changed underneath (undo, redo, a rename elsewhere) or went
        # is set aside, and the page says so.
        dropped = sorted(n for n, h in self._held.items() if stored.get(n) != h.base)
        self._held = {n: h for n, h in self._held.items() if n not in dropped}
        writable = self._service.writable
        self.names.editable = writable
        self.streams.editable = writable
        self.add_button.setEnabled(writable)
        self._fill_weight_sets(plan)
        self.names.set_names([s.name for s in plan.scenarios])
        current = self._current if self._current in stored else (plan.scenarios[0].name if plan.scenarios else None)
        self._current = None
        self.select(current)
        if dropped:
            names = ", ".join(f"'{n}'" for n in dropped)
            self._say(f"Scenario {names} changed outside this form (an undo, say), so the changes not yet applied to it here were set aside.", error=False)

    def _fill_weight_sets(self, plan: PlanData) -> None:
        self._loading = True
        self.weight_set.clear()
        self.weight_set.addItem("Group weights, as agreed for the values", "")
        for weight_set in plan.weight_sets:
            owner = f" ({weight_set.owner})" if weight_set.owner and weight_set.owner not in weight_set.name else ""
            self.weight_set.addItem(f"{weight_set.name}{owner}", weight_set.name)
        self._loading = False

    def select(self, name: str | None) -> bool:
        row = self.names.row_of(name) if name else None
        if row is None:
            self.list.clearSelection()
            self._show(None)
            return False
        self.list.setCurrentIndex(self.names.index(row))
        if self._current != name:
            self._show(name)
        return True

    def scenario(self, name: str) -> Scenario | None:
        """The scenario as stored now (the plan's read is cached, so this is cheap)."""
        return next((s for s in self._service.read().scenarios if s.name == name), None)

    def draft(self) -> Draft | None:
        """The form's current state for the selected scenario."""
        if self._current is None:
            return None
        held = self._held.get(self._current)
        if held is not None:
            return held.draft
        stored = self.scenario(self._current)
        return draft_from(stored) if stored is not None else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.list.selectionModel().selectedRows()
        name = self.names.name_at(rows[0].row()) if rows else None
        if name != self._current:
            self._say("", error=False)
            self._show(name)

    # --- the form

    def _show(self, name: str | None) -> None:
        """Fill the form from the scenario's draft, or from the scenario as stored."""
        self._current = name
        plan = self._plan or self._service.read()
        draft = self.draft()
        self.tabs.setEnabled(draft is not None)
        self.description.setEnabled(draft is not None)
        if draft is None or name is None:
            self.title.setText("No scenario selected" if plan.scenarios else "No scenarios yet")
            self.summary.setText("Add a scenario to ask “what if?”: a smaller budget, other weights, a rule switched off.")
            self._update_state(None)
            return
        self._loading = True
        try:
            self.title.setText(name)
            if self.description.toPlainText() != draft.description:
                self.description.setPlainText(draft.description)
            self.budget_factor.setText(_percent(draft.budget_factor))
            found = self.weight_set.findData(draft.weight_set)
            if found < 0:  # names a weight set the plan no longer has: show it, so it can be changed
                self.weight_set.addItem(f"{draft.weight_set} (not in the plan)", draft.weight_set)
                found = self.weight_set.count() - 1
            self.weight_set.setCurrentIndex(found)
            self.reach.setChecked(draft.reach_factor)
            self.rules_off.set_items(self._rule_items(plan, draft), draft.rules_off)
            self.switches_off.set_items(
                [_switch_item(f.name) for f in fields(Switches)],
                draft.switches_off,
            )
            self.options_out.set_items(self._option_items(plan, draft.options_out, forced_in=False), draft.options_out)
            self.options_in.set_items(self._option_items(plan, draft.options_in, forced_in=True), draft.options_in)
        finally:
            self._loading = False
        self._update_derived(draft)
        stored = self.scenario(name)
        if stored is not None and name not in self._held:
            self._report_stored_problems(plan, stored, draft)

    @staticmethod
    def _rule_items(plan: PlanData, draft: Draft) -> list[Item]:
        items = [
            Item(r.name, r.name if r.enabled else f"{r.name} (already off in the plan)", describe_rule(r, plan))
            for r in plan.rules
        ]
        known = {r.name for r in plan.rules}
        items += [Item(n, f"{n} (not in the plan)") for n in draft.rules_off if n not in known]
        return items

    @staticmethod
    def _option_items(plan: PlanData, chosen: tuple[str, ...], *, forced_in: bool) -> list[Item]:
        years = max(len(plan.info.plan_years), 1)
        units = stream_units(plan)
        items = []
        for option in plan.options:
            note = ""
            if not forced_in and option.mandatory:
                note = " (mandatory)"
            elif forced_in and option.status == OptionStatus.OUT_OF_CONSIDERATION:
                note = " (out of consideration)"
            cost = option_cost_words(option, units, years=years)
            tip = f"{option.kind.value.capitalize()}, led by {option.lead_partner}; {cost} a year on average"
            items.append(Item(option.name, option.name + note, tip))
        known = {o.name for o in plan.options}
        items += [Item(n, f"{n} (not in the plan)") for n in chosen if n not in known]
        return items

    def _on_form_changed(self) -> None:
        if self._loading or self._current is None:
            return
        draft = self.draft()
        if draft is None:
            return
        changed = replace(
            draft,
            description=self.description.toPlainText(),
            weight_set=str(self.weight_set.currentData() or ""),
            reach_factor=self.reach.isChecked(),
            rules_off=tuple(sorted(self.rules_off.checked())),
            switches_off=tuple(sorted(self.switches_off.checked())),
            options_out=tuple(sorted(self.options_out.checked())),
            options_in=tuple(sorted(self.options_in.checked())),
        )
        self._hold(changed)

    def _on_budget_typed(self, text: str) -> None:
        """Typing a valid percentage takes effect at once; anything else waits for Enter."""
        try:
            factor = parse_percent(text)
        except ValueError:
            return
        draft = self.draft()
        if factor is not None and draft is not None:
            self._hold(replace(draft, budget_factor=factor))

    def _on_budget_done(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        try:
            factor = parse_percent(self.budget_factor.text())
        except ValueError as exc:
            self.show_refusal(f"Not changed: the overall budget factor: {exc}.")
        else:
            self._hold(replace(draft, budget_factor=1.0 if factor is None else factor))
        self.budget_factor.setText(_percent(self._budget_factor()))

    def _step_budget(self, step: float) -> None:
        draft = self.draft()
        if draft is not None:
            self._hold(replace(draft, budget_factor=max(0.0, round(draft.budget_factor + step, 6))))
            self.budget_factor.setText(_percent(self._budget_factor()))

    def _budget_factor(self) -> float:
        draft = self.draft()
        return draft.budget_factor if draft is not None else 1.0

    def _on_streams_edited(self, factors: Mapping[str, float], extras: Mapping[str, float]) -> None:
        draft = self.draft()
        if draft is None:
            return
        self._say("", error=False)
        self._hold(replace(draft, stream_factors=tuple(sorted(factors.items())), stream_extra=tuple(sorted(extras.items()))))

    def _hold(self, draft: Draft) -> None:
        assert self._current is not None
        stored = self.scenario(self._current)
        if stored is None:
            return
        if draft == draft_from(stored):
            self._held.pop(self._current, None)
        else:
            self._held[self._current] = _Held(stored, draft)
        self._update_derived(draft)

    def _update_derived(self, draft: Draft) -> None:
        plan = self._plan or self._service.read()
        self.summary.setText(describe_draft(draft, stream_units(plan)))
        factor = draft.budget_factor
        self.budget_words.setText(
            "as planned: every money stream in full" if factor == 1 else f"{_change(factor)} to every money stream, unless a stream has its own factor below"
        )
        self.streams.set_state(plan.funding_streams, plan.info.plan_years, draft)
        self._fit_streams()
        rules = len(draft.rules_off) + len(draft.switches_off)
        self.tabs.setTabText(1, f"Rules and constraints ({rules} off)" if rules else "Rules and constraints")
        moved = [f"{len(draft.options_out):,} out" if draft.options_out else "", f"{len(draft.options_in):,} in" if draft.options_in else ""]
        shown = ", ".join(m for m in moved if m)
        self.tabs.setTabText(2, f"Options in and out ({shown})" if shown else "Options in and out")
        self._update_state(draft)

    def _fit_streams(self) -> None:
        """Columns wide enough for "£2.5m → £2.25m" on a projector; as tall as its rows."""
        header = self.stream_table.horizontalHeader()
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.streams.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 170 if column < 3 else 190)
        rows = max(self.streams.rowCount(), 2)
        height = header.sizeHint().height() + rows * self.stream_table.verticalHeader().defaultSectionSize()
        self.stream_table.setMaximumHeight(height + 2 * self.stream_table.frameWidth())

    def _update_state(self, draft: Draft | None) -> None:
        name = self._current
        dirty = name is not None and name in self._held
        self.names.set_dirty(set(self._held))
        writable = self._service.writable and draft is not None
        self.apply_button.setEnabled(writable and (dirty or bool(draft and draft.unknown)))
        self.revert_button.setEnabled(dirty)
        for button in (self.duplicate_button, self.rename_button, self.delete_button):
            button.setEnabled(writable)
        self.state.setText("Changes not applied yet: the allocation still uses the scenario as it was." if dirty else "")

    def _report_stored_problems(self, plan: PlanData, stored: Scenario, draft: Draft) -> None:
        """A stored scenario the plan has moved away from (a rule renamed outside the app, say)."""
        problems = check_draft(plan, stored.name, draft)
        if draft.unknown:
            problems.insert(0, f"scenario '{stored.name}' has settings PlacePlanner does not know ({', '.join(draft.unknown)}); applying drops them")
        if problems:
            self._say("This scenario cannot be used as it stands:\n" + "\n".join(f"• {p}" for p in problems), error=True)

    # --- acting

    def apply_changes(self) -> bool:
        """Check the selected scenario's draft against the plan and save it, as one undo step."""
        name, draft = self._current, self.draft()
        if name is None or draft is None:
            return False
        if name not in self._held and not draft.unknown:
            self._say("Nothing to apply: the scenario is as it was applied.", error=False)
            return False
        plan = self._service.read()
        problems = check_draft(plan, name, draft)
        if problems:
            count = len(problems)
            head = "Not applied: " + ("one problem" if count == 1 else f"{count} problems") + "; nothing was changed."
            self._say(head + "\n" + "\n".join(f"• {p}" for p in problems), error=True)
            return False
        scenario = Scenario(name, draft.description.strip(), settings_of(draft))
        held = self._held.pop(name, None)  # before the edit, whose refresh would set it aside
        try:
            self._editor.upsert(scenario, f"Change scenario “{name}”")
        except PlanError as exc:
            if held is not None:
                self._held[name] = held
            self._say(f"Not applied: {problems_text(exc)}", error=True)
            return False
        self.refresh()
        self._show(name)
        self._say(f"Applied. The allocation now uses scenario '{name}' as shown; undo takes it back.", error=False)
        return True

    def revert(self) -> None:
        if self._current is None:
            return
        self._held.pop(self._current, None)
        self._say("", error=False)
        self._show(self._current)

    def add_scenario(self) -> None:
        plan = self._service.read()
        name = unique_name("New scenario", {s.name for s in plan.scenarios})
        if self._create(Scenario(name), f"Add scenario “{name}”"):
            self.start_rename()

    def duplicate_scenario(self) -> None:
        stored = self.scenario(self._current) if self._current else None
        if stored is None:
            return
        plan = self._service.read()
        name = unique_name(f"{stored.name} (copy)", {s.name for s in plan.scenarios})
        if self._create(replace(stored, name=name, settings=dict(stored.settings)), f"Duplicate scenario “{stored.name}”"):
            kept = " Changes not yet applied stay with the original." if stored.name in self._held else ""
            self._say(f"Copied '{stored.name}' as applied to '{name}'.{kept}", error=False)

    def _create(self, scenario: Scenario, text: str) -> bool:
        try:
            self._editor.upsert(scenario, text)
        except PlanError as exc:
            self._say(f"Not added: {problems_text(exc)}", error=True)
            return False
        self._say("", error=False)
        self.refresh()
        self.select(scenario.name)
        return True

    def start_rename(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.list.setFocus()
            self.list.edit(index)

    def _rename(self, old: str, new: str) -> bool:
        stored = self.scenario(old)
        new = new.strip()
        if stored is None or new == old:
            return False
        # Move the draft and the selection first: the edit refreshes the page as it lands.
        held, current = self._held.pop(old, None), self._current
        if held is not None:
            self._held[new] = _Held(replace(held.base, name=new), held.draft)
        if current == old:
            self._current = new
        try:
            self._editor.rename(stored, new, f"Rename scenario “{old}” to “{new}”")
        except PlanError as exc:
            self._held.pop(new, None)
            if held is not None:
                self._held[old] = held
            self._current = current
            self._say(f"Not renamed: {problems_text(exc)}", error=True)
            return False
        self._say("", error=False)
        self.refresh()
        self.select(new)
        return True

    def delete_scenario(self) -> None:
        stored = self.scenario(self._current) if self._current else None
        if stored is None:
            return
        row = self.names.row_of(stored.name) or 0
        held = self._held.pop(stored.name, None)
        try:
            self._editor.remove(stored, f"Delete scenario “{stored.name}”")
        except PlanError as exc:
            if held is not None:
                self._held[stored.name] = held
            self._say(f"Not deleted: {problems_text(exc)}", error=True)
            return
        self.refresh()
        names = [s.name for s in self._service.read().scenarios]
        self.select(names[min(row, len(names) - 1)] if names else None)
        self._say(f"Deleted scenario '{stored.name}'. Undo brings it back.", error=False)

    # --- messages

    def show_refusal(self, text: str) -> None:
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))
