"""The detail pane beside the options table: one option's costs by funding stream and year,
its links to other options, its declarations and its agreed scores; and, on a second tab, its
history from the audit log."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.history_view import HistoryView
from placeplanner.gui.options_model import split_list
from placeplanner.model import Cost, Option, PlanData
from placeplanner.model.costs import option_cost_over_plan, stream_units
from placeplanner.money import MINUS, MONEY, format_money, parse_money, year_label
from placeplanner.service.conflicts import scorer_count
from placeplanner.service.history import option_history


class OptionDetail(QWidget):
    refused = Signal(str)

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._option: Option | None = None
        self._plan: PlanData | None = None
        self._filling = False
        self._history_of: str | None = None  # the option whose history is shown, once loaded
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 0, 0, 0)
        self.title = QLabel("Select an option to see its detail")
        self.title.setObjectName("section")
        self.title.setWordWrap(True)
        self.facts = QLabel("")
        self.facts.setObjectName("caption")
        self.facts.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addWidget(self.facts)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        details = QWidget()
        layout = QVBoxLayout(details)
        layout.setContentsMargins(0, 8, 0, 0)
        self.history = HistoryView("Nothing has been recorded about this option yet.")
        self.history.setToolTip("Every change to this option, its costs, links, declarations and scores, from the audit log")
        self.tabs.addTab(details, "Details")
        self.tabs.addTab(self.history, "History")
        self.tabs.currentChanged.connect(lambda _index: self._show_history())
        outer.addWidget(self.tabs, 1)

        layout.addWidget(_section("Cost by funding stream and year (negative releases money)"))
        self.costs = QTableWidget(0, 0)
        self.costs.setAccessibleName("Costs by stream and year")
        self.costs.setToolTip("Type an amount such as £350k or 1.2m; leave blank for none")
        self.costs.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.costs.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.costs.itemChanged.connect(self._cost_edited)
        layout.addWidget(self.costs)

        links = QFormLayout()
        self.requires = QLineEdit()
        self.requires.setAccessibleName("Requires")
        self.requires.setToolTip("Options that must also be funded for this one to be funded, separated by commas")
        self.excludes = QLineEdit()
        self.excludes.setAccessibleName("Excludes")
        self.excludes.setToolTip("Options that cannot be funded together with this one, separated by commas")
        links.addRow("Requires", self.requires)
        links.addRow("Excludes", self.excludes)
        self.requires.editingFinished.connect(lambda: self._links_edited("requires"))
        self.excludes.editingFinished.connect(lambda: self._links_edited("excludes"))
        layout.addLayout(links)

        layout.addWidget(_section("Description"))
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setMaximumHeight(90)
        layout.addWidget(self.description)
        self.save_description = QPushButton("Save description")
        self.save_description.setEnabled(False)
        self.description.textChanged.connect(lambda: self.save_description.setEnabled(not self._filling))
        self.save_description.clicked.connect(self._description_saved)
        layout.addWidget(self.save_description, 0, Qt.AlignmentFlag.AlignRight)

        layout.addWidget(_section("Declarations and agreed scores"))
        self.record = QLabel("")
        self.record.setWordWrap(True)
        self.record.setTextFormat(Qt.TextFormat.PlainText)
        self.record.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.record, 1)

    def show_option(self, option: Option | None, plan: PlanData) -> None:
        self._option, self._plan = option, plan
        self._filling = True
        try:
            self._fill(option, plan)
        finally:
            self._filling = False
        self.save_description.setEnabled(False)
        self._history_of = None
        self._show_history()

    def _show_history(self) -> None:
        """Read the history only while its tab is showing: most people never open it."""
        if self.tabs.currentWidget() is not self.history or self._plan is None:
            return
        option = self._option
        if option is None:
            self.history.clear()
            return
        if self._history_of == option.name:
            return
        units = {s.name: s.unit for s in self._plan.funding_streams}
        self.history.show_items(f"“{option.name}”", option_history(self._editor.service.plan_file, option.name, units,
                                                                           lead_partner=option.lead_partner))
        self._history_of = option.name

    def _fill(self, option: Option | None, plan: PlanData) -> None:
        enabled = option is not None and self._editor.service.writable
        for widget in (self.costs, self.requires, self.excludes, self.description):
            widget.setEnabled(enabled)
        if option is None:
            self.title.setText("Select an option to see its detail")
            self.facts.setText("")
            self.costs.setRowCount(0)
            self.requires.clear()
            self.excludes.clear()
            self.description.clear()
            self.record.setText("")
            return
        self.title.setText(option.name)
        facts = [f"{option.kind.value.capitalize()}, led by {option.lead_partner}", option.status.value,
                 f"costs {option_cost_over_plan(option, stream_units(plan), plan.info.plan_years)}"]
        if option.levels:
            facts.append("levels: " + ", ".join(f"{lv.name} ({lv.cost_share:.0%} of cost, {lv.value_share:.0%} of value)" for lv in option.levels))
        elif option.min_share is not None:
            facts.append(f"may be part-funded down to {option.min_share:.0%}")
        if option.people_reached:
            facts.append(f"reaches {option.people_reached:,} people")
        if option.contract_form.value:
            facts.append(f"contract: {option.contract_form.value}")
        self.facts.setText(" · ".join(facts))

        years = plan.info.plan_years
        streams = [s.name for s in plan.funding_streams]
        self.costs.setColumnCount(len(years))
        self.costs.setRowCount(len(streams))
        self.costs.setHorizontalHeaderLabels([year_label(y) for y in years])
        self.costs.setVerticalHeaderLabels(streams)
        # Every stream in view without scrolling (plans have a handful).
        rows_height = sum(self.costs.rowHeight(r) for r in range(len(streams)))
        self.costs.setFixedHeight(min(rows_height + self.costs.horizontalHeader().height() + 6, 320))
        for row, stream in enumerate(streams):
            unit = next(s.unit for s in plan.funding_streams if s.name == stream)
            for column, year in enumerate(years):
                amount = option.cost(stream, year)
                cell = QTableWidgetItem(format_money(amount, unit) if amount else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.costs.setItem(row, column, cell)
        self.requires.setText(", ".join(option.requires))
        self.excludes.setText(", ".join(option.excludes))
        self.description.setPlainText(option.description)
        declared = [f"{d.participant}{f' (an interest in {d.partner}, which leads it)' if d.partner else ''}: "
                    f"{d.interest} ({d.action.value or 'no action recorded'})"
                    for d in plan.declarations if d.option == option.name or (d.partner and d.partner == option.lead_partner)]
        agreed = [f"{a.value}: {a.score:g}" + (f" — {a.rationale}" if a.rationale else "") for a in plan.agreed_scores if a.option == option.name]
        lines = ["Declared interests:", *(f"  • {d}" for d in declared)] if declared else ["No declared interests."]
        lines += ["Agreed scores:", *(f"  • {a}" for a in agreed)] if agreed else ["No agreed scores yet: the optimiser uses the mean of individual scores."]
        scorers = self._editor.service.scorers_of(option.name)
        if scorers:
            count = scorer_count(plan, option.name, scorers)
            lines.append(("⚠ " if count.below_quorum else "") + f"Scored by {count.words()}.")
        self.record.setText("\n".join(lines))

    def _save(self, changed: Option, text: str) -> None:
        try:
            self._editor.upsert(changed, text)
        except PlanError as exc:
            self.refused.emit(str(exc))
            assert self._plan is not None
            self.show_option(self._option, self._plan)

    def _cost_edited(self, cell: QTableWidgetItem) -> None:
        if self._filling or self._option is None or self._plan is None:
            return
        option, plan = self._option, self._plan
        stream = plan.funding_streams[cell.row()].name
        unit = plan.funding_streams[cell.row()].unit
        year = plan.info.plan_years[cell.column()]
        text = cell.text().strip()
        try:
            amount = _parse_amount(text, unit) if text else 0.0
        except ValueError as exc:
            self.refused.emit(f"{option.name}, cost from {stream} in {year_label(year)}: {exc}")
            self.show_option(option, plan)
            return
        costs = tuple(c for c in option.costs if not (c.stream == stream and c.year == year))
        if amount:
            costs += (Cost(stream, year, amount),)
        self._save(replace(option, costs=costs), f"Change the cost of “{option.name}” from {stream} in {year_label(year)}")

    def _links_edited(self, field: str) -> None:
        if self._filling or self._option is None:
            return
        box = self.requires if field == "requires" else self.excludes
        names = split_list(box.text())
        option = self._option
        changed = replace(option, requires=names) if field == "requires" else replace(option, excludes=names)
        if changed != option:
            self._save(changed, f"Change what “{option.name}” {field}")

    def _description_saved(self) -> None:
        if self._option is not None:
            self._save(replace(self._option, description=self.description.toPlainText().strip()), f"Change the description of “{self._option.name}”")


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("section")
    return label


def _parse_amount(text: str, unit: str) -> float:
    """Money as people type it (£350k, 1.2m); another resource as a number, with or without its
    unit ('900' or '900 staff hours', as the cell shows it)."""
    if unit == MONEY:
        return parse_money(text)
    number = text.removesuffix(unit).strip().replace(",", "").replace(MINUS, "-")
    try:
        return float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of {unit}") from None
