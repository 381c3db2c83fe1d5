"""Needs: the population's needs, the people each affects and the priority the group agreed,
with the indicators that show each need charted against England or the region."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError, Problem, ValidationError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.record_table import NamedRowsModel, delete_key
from placeplanner.gui.widgets import heading
from placeplanner.model import Indicator, Need, PlanData

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole

PRIORITY_TIP = (
    "Priority: how much this need matters relative to the others; "
    "it multiplies the value of options that address it."
)
ENGLAND = "E92000001"
WORSE, SIMILAR, BETTER = "#d5281b", "#ffb81c", theme.FUNDED  # NHS red, warm yellow, green
ERROR = theme.PROBLEM


def is_comparator(area_code: str) -> bool:
    """England, or one of its regions (E12 codes): what a place is compared with."""
    return area_code == ENGLAND or area_code.startswith("E12")


class InlineMessage(QLabel):
    """A refusal in red (what and why), or a quiet note; never a dialog, so nothing blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName("Message")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clear()

    def refuse(self, error: Exception) -> None:
        self.setStyleSheet(f"color: {ERROR}; font-weight: 600;")
        self.setText(f"Not changed: {str(error).rstrip('.')}.")

    def warn(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR}; font-weight: 600;")
        self.setText(text)

    def note(self, text: str) -> None:
        self.setStyleSheet(f"color: {theme.MUTED};")
        self.setText(text)


def refusal(where: str, column: str, message: str) -> ValidationError:
    return ValidationError([Problem(where, message, column=column, inline=True)])


def parse_number(text: str, where: str, column: str, *, whole: bool = False, optional: bool = False) -> float | None:
    """A number as people type it ('9,600', '2.5'); blank is None when ``optional``."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        if optional:
            return None
        raise refusal(where, column, f"needs a {column}; it cannot be blank")
    try:
        number = float(cleaned)
    except ValueError:
        raise refusal(where, column, f"needs a number for {column}, not '{text.strip()}'") from None
    if not math.isfinite(number):
        raise refusal(where, column, f"needs a finite number for {column}, not '{text.strip()}'")
    if whole and not number.is_integer():
        raise refusal(where, column, f"needs a whole number for {column}, not '{text.strip()}'")
    return number


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,g}"


def check_new_name(kind: str, old: str, new: str, taken: Sequence[str]) -> None:
    """Blank and duplicate names, refused in words a room understands (before the service would)."""
    if not new.strip():
        raise refusal(f"{kind} '{old}'", "name", "needs a name; it cannot be blank")
    clash = {n.casefold() for n in taken if n != old}
    if new.strip().casefold() in clash:
        raise refusal(f"{kind} '{new.strip()}'", "name", "already exists; each has its own name")


def unique_name(base: str, taken: Sequence[str]) -> str:
    names = {n.casefold() for n in taken}
    if base.casefold() not in names:
        return base
    number = 2
    while f"{base} {number}".casefold() in names:
        number += 1
    return f"{base} {number}"


class NeedTableModel(NamedRowsModel):
    COLUMNS = ("Need", "People affected", "Priority", "Options", "Description")
    NAME, PEOPLE, PRIORITY, OPTIONS, DESCRIPTION = range(5)
    HEADER_TIPS = {  # noqa: RUF012 - read-only class data
        PEOPLE: "People affected: how many of the place's people live with this need",
        PRIORITY: PRIORITY_TIP,
        OPTIONS: "How many options say they address this need",
    }
    RIGHT_ALIGNED = frozenset({PEOPLE, PRIORITY, OPTIONS})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__(editor)
        self._options: dict[str, list[str]] = {}

    @property
    def _needs(self) -> tuple[Need, ...]:
        return self._rows

    def set_plan(self, plan: PlanData) -> None:
        self._options = {n.name: [o.name for o in plan.options if n.name in o.needs] for n in plan.needs}
        self.replace_rows(plan.needs)

    def need(self, row: int) -> Need:
        return self._needs[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() != self.OPTIONS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        need, column = self._needs[index.row()], index.column()
        if role in (Role.DisplayRole, Role.EditRole):
            return self._text(need, column, editing=role == Role.EditRole)
        if role == Role.UserRole:  # sort key
            return {
                self.PEOPLE: need.people if need.people is not None else -1,
                self.PRIORITY: need.priority,
                self.OPTIONS: len(self._options.get(need.name, ())),
            }.get(column, self._text(need, column).casefold())
        if role == Role.ToolTipRole:
            if column == self.PRIORITY:
                return PRIORITY_TIP
            if column == self.OPTIONS:
                addressing = self._options.get(need.name, [])
                return "Addressed by:\n" + "\n".join(f"• {o}" for o in addressing) if addressing else "No option addresses this need yet"
            return need.description or None
        if role == Role.TextAlignmentRole and column in (self.PEOPLE, self.PRIORITY, self.OPTIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Role.ForegroundRole and column == self.DESCRIPTION:
            return QColor(theme.MUTED)
        return None

    def _text(self, need: Need, column: int, *, editing: bool = False) -> str:
        if column == self.NAME:
            return need.name
        if column == self.PEOPLE:
            return ("" if need.people is None else str(need.people)) if editing else format_number(need.people)
        if column == self.PRIORITY:
            return format_number(need.priority)
        if column == self.OPTIONS:
            return str(len(self._options.get(need.name, ())))
        return need.description

    def _commit(self, need: Need, column: int, text: str) -> None:
        where = f"need '{need.name}'"
        if column == self.NAME:
            check_new_name("need", need.name, text, [n.name for n in self._needs])
            self._editor.rename(need, text)
        elif column == self.PEOPLE:
            people = parse_number(text, where, "people affected", whole=True, optional=True)
            self._editor.upsert(replace(need, people=None if people is None else int(people)))
        elif column == self.PRIORITY:
            priority = parse_number(text, where, "priority")
            assert priority is not None
            self._editor.upsert(replace(need, priority=priority))
        elif column == self.DESCRIPTION:
            self._editor.upsert(replace(need, description=text.strip()))


class IndicatorTableModel(QAbstractTableModel):
    COLUMNS = ("Indicator", "Area", "Period", "Value", "Unit", "Compared")

    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[Indicator, ...] = ()

    def set_indicators(self, rows: Sequence[Indicator]) -> None:
        self.beginResetModel()
        self._rows = tuple(sorted(rows, key=lambda i: (i.name, is_comparator(i.area_code), i.area_name, period_key(i.period))))
        self.endResetModel()

    def indicator(self, row: int) -> Indicator:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if role == Role.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        if role == Role.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return {2: "The latest period the plan holds; the chart shows every period",
                    5: "How the area compares with its benchmark (usually England), as the source rates it"}.get(section)
        return None

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Role.DisplayRole:
            return (row.name, row.area_name or row.area_code, row.period, format_number(row.value), row.unit, row.compared)[column]
        if role == Role.ToolTipRole:
            return indicator_details(row)
        if role == Role.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Role.ForegroundRole and column == 5:
            colour = {"worse": WORSE, "better": BETTER}.get(row.compared.strip().casefold())
            return QColor(colour) if colour else None
        if role == Role.FontRole and column == 5 and row.compared.strip().casefold() in {"worse", "better"}:
            font = QFont()
            font.setBold(True)
            return font
        return None


def indicator_details(row: Indicator) -> str:
    lines = [row.name, f"{row.area_name or row.area_code} ({row.area_code}), {row.period}"]
    who = ", ".join(p for p in (row.sex, row.age) if p)
    if who:
        lines.append(who)
    if row.lower_ci is not None and row.upper_ci is not None:
        lines.append(f"95% confidence interval {format_number(row.lower_ci)} to {format_number(row.upper_ci)}")
    if row.count is not None:
        lines.append(f"Count {format_number(row.count)}" + (f" of {format_number(row.denominator)}" if row.denominator is not None else ""))
    if row.source:
        lines.append(f"Source: {row.source}" + (f" (indicator {row.indicator_id})" if row.indicator_id else ""))
    return "\n".join(lines)


def period_key(period: str) -> tuple[int, str]:
    """'2018 - 20' and '2022/23' sort by their first year."""
    year = re.search(r"\d{4}", period)
    return (int(year.group()) if year else 0, period)


_VERDICT = {"worse": "worse than benchmark", "better": "better than benchmark", "similar": "similar to benchmark"}
_COLOUR = {"worse": WORSE, "better": BETTER, "similar": SIMILAR}


class IndicatorChart(QWidget):
    """One indicator for the place, period by period, against England or the region when the
    plan holds their figures; otherwise alone, with its confidence interval where given."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(240)
        self.plot.setAccessibleName("Indicator chart")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setTextPen(theme.INK)
            axis.setPen(theme.MUTED)
            axis.setStyle(tickFont=QFont(self.font().family(), 10))
            axis.enableAutoSIPrefix(False)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self.series: dict[str, list[tuple[str, float]]] = {}  # legend name -> (period, value), what is drawn
        self.show_nothing("Choose a need with indicators to see them charted.")

    def show_nothing(self, why: str) -> None:
        self._reset()
        self.title.setText("")
        self.caption.setText(why)

    def show_indicator(self, rows: Sequence[Indicator], place_code: str) -> None:
        """``rows``: one indicator (name, sex and age) in every area and period the plan holds."""
        self._reset()
        if not rows:
            self.show_nothing("No figures for this indicator.")
            return
        first = rows[0]
        self.title.setText(first.name + (f" ({', '.join(p for p in (first.sex, first.age) if p)})" if first.sex or first.age else ""))
        place_rows = [r for r in rows if r.area_code == place_code and r.value is not None]
        comparators = sorted({r.area_code for r in rows if is_comparator(r.area_code)}, key=lambda c: (c != ENGLAND, c))
        periods = sorted({r.period for r in rows if r.value is not None}, key=period_key)
        x_of = {p: i for i, p in enumerate(periods)}
        place = place_rows[0].area_name or place_code if place_rows else place_code
        plot = self.plot
        legend = plot.addLegend(offset=(-10, 6), labelTextColor=theme.INK, labelTextSize="11pt", verSpacing=-4)
        legend.setBrush(pg.mkBrush(255, 255, 255, 230))
        top = 0.0

        verdicts: dict[str, list[Indicator]] = {}
        for row in place_rows:
            verdicts.setdefault(row.compared.strip().casefold(), []).append(row)
        for verdict, group in sorted(verdicts.items(), key=lambda kv: list(_VERDICT).index(kv[0]) if kv[0] in _VERDICT else 9):
            name = f"{place} ({_VERDICT.get(verdict, verdict or 'not compared')})" if len(verdicts) > 1 or verdict else place
            colour = _COLOUR.get(verdict, theme.ACCENT)
            values = [r.value or 0.0 for r in group]
            plot.addItem(pg.BarGraphItem(x=[x_of[r.period] for r in group], height=values, width=0.55,
                                         brush=pg.mkBrush(colour), pen=pg.mkPen(None), name=name))
            self.series[name] = [(r.period, r.value or 0.0) for r in group]
            top = max(top, *values)
        with_ci = [r for r in place_rows if r.lower_ci is not None and r.upper_ci is not None]
        if with_ci:
            # ErrorBarItem does arithmetic on its inputs: numpy arrays, not lists.
            centres = np.array([r.value or 0.0 for r in with_ci])
            plot.addItem(pg.ErrorBarItem(x=np.array([x_of[r.period] for r in with_ci], dtype=float), y=centres,
                                         top=np.array([r.upper_ci or 0.0 for r in with_ci]) - centres,
                                         bottom=centres - np.array([r.lower_ci or 0.0 for r in with_ci]),
                                         beam=0.18, pen=pg.mkPen(theme.INK, width=2)))
            legend.addItem(pg.PlotDataItem(pen=pg.mkPen(theme.INK, width=2)), "95% confidence interval")
            top = max(top, *(r.upper_ci or 0.0 for r in with_ci))
        looks = ((theme.INK, Qt.PenStyle.SolidLine, "d"), ("#768692", Qt.PenStyle.DashLine, "s"), ("#768692", Qt.PenStyle.DotLine, "t"))
        for order, (code, (colour, style, symbol)) in enumerate(zip(comparators, looks, strict=False)):
            points = sorted((r for r in rows if r.area_code == code and r.value is not None), key=lambda r: period_key(r.period))
            if not points:
                continue
            name = points[0].area_name or ("England" if code == ENGLAND else code)
            ys = [r.value or 0.0 for r in points]
            line = plot.plot([x_of[r.period] for r in points], ys, name=name, pen=pg.mkPen(colour, width=2.5, style=style),
                             symbol=symbol, symbolSize=13, symbolBrush=colour, symbolPen=pg.mkPen("w", width=1.5))
            line.setZValue(20 - order)  # England over the region where they meet
            self.series[name] = [(r.period, r.value or 0.0) for r in points]
            top = max(top, *ys)
        # Every bar labelled when few; else only the latest, which is what the room asks about.
        latest = max(place_rows, key=lambda r: period_key(r.period), default=None)
        for row in place_rows if len(periods) <= 4 else [latest] if latest else []:
            label = pg.TextItem(format_number(row.value), color=theme.INK, anchor=(0.5, 1.0))
            label.setFont(QFont(self.font().family(), 12, QFont.Weight.DemiBold))
            label.setPos(x_of[row.period], max(row.value or 0.0, row.upper_ci or 0.0))  # above the whisker
            plot.addItem(label)

        unit = first.unit or "value"
        plot.setLabel("left", unit, color=theme.INK, size="11pt")
        plot.setLabel("bottom", "Period", color=theme.INK, size="11pt")
        plot.getAxis("bottom").setTicks([[(i, p) for p, i in x_of.items()]])
        # A lone period sits to the left, leaving the right for the legend.
        plot.setXRange(-0.6, max(len(periods) - 1, 1.6) + 0.6, padding=0)
        # Headroom above the tallest bar for its label and the legend (two columns when long).
        entries = len(self.series) + bool(with_ci)
        legend.setColumnCount(2 if entries > 2 else 1)
        plot.setYRange(0, (top or 1.0) * (1.3 + 0.13 * math.ceil(entries / (2 if entries > 2 else 1))), padding=0)
        self.caption.setText(self._explain(place, rows, comparators, with_ci))

    def _explain(self, place: str, rows: Sequence[Indicator], comparators: list[str], with_ci: list[Indicator]) -> str:
        source = next((r.source for r in rows if r.source), "")
        cited = f" Source: {source}." if source else ""
        if comparators:
            names = [next(r.area_name or r.area_code for r in rows if r.area_code == c) for c in comparators]
            return f"{place} (bars) against {' and '.join(names)} (lines).{cited}"
        ci = ("Whiskers show the 95% confidence interval." if with_ci
              else "No confidence interval was given.")
        return (f"No comparator: the plan holds no England or regional figures for this indicator, "
                f"so {place} is shown alone. {ci} Bar colours give the source's own comparison.{cited}")

    def _reset(self) -> None:
        self.series = {}
        self.plot.clear()
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()


class NeedsPage(QWidget):
    """Needs and their indicators. Edits are made in the table and saved at once."""

    TABLES = frozenset({"needs", "indicators", "options"})  # options: how many address each need

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._plan: PlanData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(heading(
            "Needs",
            "The population's needs from the needs assessment: how many people each affects, the priority the group "
            "agreed, and the indicators that show it. Double-click a cell to change it; every change is saved as you make it.",
        ))

        bar = QHBoxLayout()
        self.add_button = QPushButton("Add need")
        self.add_button.setToolTip("Add a need to the plan and name it")
        self.delete_button = QPushButton("Delete need")
        self.delete_button.setToolTip("Delete the selected need with its indicators (Delete key); undo puts them back")
        self.message = InlineMessage()
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        bar.addSpacing(16)
        bar.addWidget(self.message, 1)
        layout.addLayout(bar)

        self.model = NeedTableModel(editor)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Role.UserRole)
        self.table = make_table(self.proxy, "Needs table", fitted=True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NeedTableModel.PRIORITY, Qt.SortOrder.DescendingOrder)
        # One line a need, so the room sees them all; the selected need's description is in full below.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setSectionResizeMode(NeedTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 8, 8, 0)
        self.indicators_title = QLabel("Indicators")
        self.indicators_title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.indicators_title.setWordWrap(True)
        self.indicator_model = IndicatorTableModel()
        self.indicator_table = make_table(self.indicator_model, "Indicators of the selected need")
        self.indicator_table.setWordWrap(True)
        indicator_header = self.indicator_table.horizontalHeader()
        indicator_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        indicator_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicator_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.need_description = QLabel()
        self.need_description.setObjectName("subtitle")
        self.need_description.setWordWrap(True)
        listing_layout.addWidget(self.indicators_title)
        listing_layout.addWidget(self.need_description)
        listing_layout.addWidget(self.indicator_table, 1)
        self.chart = IndicatorChart()
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(8, 8, 0, 0)
        chart_layout.addWidget(self.chart)
        lower.addWidget(listing)
        lower.addWidget(chart_box)
        lower.setSizes([540, 640])
        layout.addWidget(self.table)
        layout.addSpacing(8)
        layout.addWidget(lower, 1)

        self.add_button.clicked.connect(self.add_need)
        self.delete_button.clicked.connect(self.delete_selected)
        delete_key(self.table, self.delete_selected)
        self.model.refused.connect(self.message.refuse)
        self.model.committed.connect(self.message.clear)
        self.table.selectionModel().selectionChanged.connect(self._show_need)
        self.indicator_table.selectionModel().selectionChanged.connect(self._show_indicator)
        self.refresh()

    # --- what the page shows

    def refresh(self) -> None:
        plan = self._editor.service.read()
        if plan is self._plan:
            return
        chosen = self.selected_need()
        self._plan = plan
        self.model.set_plan(plan)
        for column in (NeedTableModel.PEOPLE, NeedTableModel.PRIORITY, NeedTableModel.OPTIONS):
            self.table.resizeColumnToContents(column)
        self.table.resizeColumnToContents(NeedTableModel.NAME)
        self.table.setColumnWidth(NeedTableModel.NAME, min(max(self.table.columnWidth(NeedTableModel.NAME), 260), 420))
        still = chosen is not None and self.model.row_of(chosen.name) >= 0
        if still and chosen is not None:
            self.select_need(chosen.name)
        elif self.selected_need() is None and self.model.rowCount():
            self.table.selectRow(0)
        self._show_need()

    def selected_need(self) -> Need | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.proxy.mapToSource(rows[0]).row()
        return self.model.need(row) if 0 <= row < self.model.rowCount() else None

    def select_need(self, name: str) -> None:
        row = self.model.row_of(name)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def select_indicator(self, row: int) -> None:
        self.indicator_table.selectRow(row)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # arrow keys move through the rows at once

    def _show_need(self) -> None:
        need = self.selected_need()
        plan = self._plan
        self.delete_button.setEnabled(need is not None)
        if need is None or plan is None:
            self.indicators_title.setText("Indicators")
            self.need_description.setText("")
            self.indicator_model.set_indicators(())
            self.chart.show_nothing("Choose a need to see its indicators.")
            return
        current = self.indicator_table.currentIndex()
        kept = _series_key(self.indicator_model.indicator(current.row())) if current.isValid() else None
        rows = latest_rows([i for i in plan.indicators if i.need == need.name])
        self.indicator_model.set_indicators(rows)
        count = len({(r.name, r.sex, r.age) for r in rows})
        self.indicators_title.setText(f"Indicators for {need.name}" + (f" ({count})" if count else ""))
        self.need_description.setText(need.description)
        self.need_description.setVisible(bool(need.description))
        if not rows:
            self.chart.show_nothing(f"No indicators for {need.name} yet: import them from Fingertips or a spreadsheet.")
            return
        keys = [_series_key(self.indicator_model.indicator(r)) for r in range(self.indicator_model.rowCount())]
        self.select_indicator(keys.index(kept) if kept in keys else 0)

    def _show_indicator(self) -> None:
        plan, rows = self._plan, self.indicator_table.selectionModel().selectedRows()
        if plan is None or not rows:
            return
        chosen = self.indicator_model.indicator(rows[0].row())
        same = [i for i in plan.indicators if (i.name, i.sex, i.age) == (chosen.name, chosen.sex, chosen.age)]
        self.chart.show_indicator(same, _place_code(plan, same, chosen))

    # --- edits

    def add_need(self) -> None:
        plan = self._editor.service.read()
        name = unique_name("New need", [n.name for n in plan.needs])
        if not self._attempt(lambda: self._editor.upsert(Need(name), text=f"Add need “{name}”")):
            return
        self.refresh()
        self.select_need(name)
        self.message.note(f"Added “{name}”: type its name, then the people affected and the priority.")
        self.table.edit(self.table.currentIndex().siblingAtColumn(NeedTableModel.NAME))

    def delete_selected(self) -> None:
        need = self.selected_need()
        if need is None:
            return
        plan = self._editor.service.read()
        indicators = sum(1 for i in plan.indicators if i.need == need.name)
        options = sum(1 for o in plan.options if need.name in o.needs)
        if not self._attempt(lambda: self._editor.remove(need)):
            return
        along = [f"{n} indicator{'s' * (n != 1)}" for n in (indicators,) if n]
        along += [f"its link from {n} option{'s' * (n != 1)}" for n in (options,) if n]
        self.message.note(f"Deleted “{need.name}”" + (f" with {' and '.join(along)}" if along else "") + ". Undo puts it back.")

    def _attempt(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except PlanError as exc:
            self.message.refuse(exc)
            return False
        return True


def latest_rows(rows: Sequence[Indicator]) -> list[Indicator]:
    """One row per indicator and area, its latest period: the place's areas, and England or the
    region only where the plan holds nothing else for that indicator (the chart shows them all)."""
    latest: dict[tuple[str, str, str, str], Indicator] = {}
    for row in rows:
        key = _series_key(row)
        if key not in latest or period_key(row.period) > period_key(latest[key].period):
            latest[key] = row
    local = {(r.name, r.sex, r.age) for r in latest.values() if not is_comparator(r.area_code)}
    return [r for r in latest.values() if not is_comparator(r.area_code) or (r.name, r.sex, r.age) not in local]


def _series_key(row: Indicator) -> tuple[str, str, str, str]:
    return (row.name, row.sex, row.age, row.area_code)


def _place_code(plan: PlanData, rows: Sequence[Indicator], chosen: Indicator) -> str:
    """The plan's own area if it has figures; else the chosen row's area, or the commonest
    area that is not a comparator."""
    codes = [r.area_code for r in rows if not is_comparator(r.area_code)]
    if plan.info.area_code and plan.info.area_code in codes:
        return plan.info.area_code
    if not is_comparator(chosen.area_code):
        return chosen.area_code
    return max(set(codes), key=codes.count) if codes else chosen.area_code


class FittedTable(QTableView):
    """A table that asks for the height of its rows and no more, so short tables leave the
    room to what is below them (it still shrinks and scrolls when space is short)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.horizontalHeader().sectionResized.connect(self.updateGeometry)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
                signal.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        model = self.model()
        header = self.verticalHeader()
        fits = header.sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents if header.count() else False
        count = model.rowCount() if model is not None else 0
        rows = sum(max(self.sizeHintForRow(r), header.sectionSizeHint(r)) if fits else self.rowHeight(r) for r in range(count))
        height = self.horizontalHeader().sizeHint().height() + max(rows, 60) + 2 * self.frameWidth() + 2
        return QSize(hint.width(), height)


def make_table(model: QAbstractTableModel | QSortFilterProxyModel, name: str, *, fitted: bool = False) -> QTableView:
    """A read-and-edit table the way every page shows one: whole rows selected, one at a time."""
    table = FittedTable() if fitted else QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
    return table
