"""The allocation view: run the optimiser in a worker and show the portfolio, the frontier and
where the money goes. The window stays responsive and the run can be cancelled."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.conflicts import Conflict, find_conflict
from placeplanner.engine.explain import OptionReason, why
from placeplanner.engine.frontier import FrontierPoint, default_factors, frontier, total_budget
from placeplanner.engine.greedy import GreedyResult, greedy
from placeplanner.engine.progress import RunState
from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.tasks import TaskRunner
from placeplanner.gui.widgets import heading
from placeplanner.money import format_money
from placeplanner.service.allocation import SolveReport, report_json, settings_json, snapshot_plan

PLAN_AS_IT_STANDS = "The plan as it stands"
FRONTIER_POINTS = 15
# Explaining an option re-solves with it flipped; above this many options the view explains
# the selected option on demand instead of all of them up front.
EXPLAIN_ALL_UP_TO = 200


@dataclass(frozen=True, slots=True)
class AllocationRun:
    """Everything the view shows, computed in the worker from a frozen snapshot."""

    inp: EngineInput
    allocation: Allocation
    greedy: GreedyResult
    conflict: Conflict | None
    reasons: tuple[OptionReason, ...]
    frontier: tuple[FrontierPoint, ...]


def run_allocation(inp: EngineInput, settings: SolverSettings, state: RunState) -> AllocationRun:
    """The worker's job: plain engine calls, no Qt."""
    state.step(0, 1, "Finding the best portfolio")
    result = allocate(inp, settings)
    ranked = greedy(inp)
    if result.objective is None:
        state.step(0, 1, "Finding which rules conflict")
        return AllocationRun(inp, result, ranked, find_conflict(inp, settings), (), ())
    reasons: tuple[OptionReason, ...] = ()
    if len(inp.options) <= EXPLAIN_ALL_UP_TO:
        reasons = tuple(why(inp, result, settings, _relabel(state, "Explaining each option")))
    points = tuple(frontier(inp, factors=default_factors(FRONTIER_POINTS), settings=settings,
                            state=_relabel(state, "Tracing the frontier"), workers=1))
    return AllocationRun(inp, result, ranked, None, reasons, points)


def _relabel(state: RunState, label: str) -> RunState:
    """The same cancel switch, with progress reported under a label the user understands."""
    outer = state

    class _Labelled(RunState):
        def step(self, done: int, total: int, message: str = "") -> None:
            outer.step(done, total, label)

    return _Labelled()


class AllocationPage(QWidget):
    run_finished = Signal()

    TABLES = frozenset({"scenarios", "options", "values", "agreed_scores", "funding_streams", "rules", "weight_sets", "needs"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._service = editor.service
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._explainer = TaskRunner(self)
        self._explainer.finished.connect(self._on_explained)
        self.last_run: AllocationRun | None = None
        self._settings = SolverSettings()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(heading("Allocation", "The portfolio with the most weighted value that keeps every agreed rule, proven best by the solver."))
        controls = QHBoxLayout()
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario")
        self.scenario.setToolTip("A named set of assumptions: budgets, weights and rules switched on or off")
        self.run_button = QPushButton("Run allocation")
        self.run_button.setObjectName("primary")
        self.run_button.setToolTip("Find the best portfolio (Ctrl+R)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        controls.addWidget(QLabel("Scenario"))
        controls.addWidget(self.scenario, 2)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.progress, 3)
        layout.addLayout(controls)
        self.headline = QLabel("Choose a scenario and run the allocation.")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 17px; padding: 8px 0;")
        layout.addWidget(self.headline)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.portfolio = QTableWidget(0, 4)
        self.portfolio.setHorizontalHeaderLabels(["Option", "Decision", "Value", "Why"])
        self.portfolio.verticalHeader().setVisible(False)
        self.portfolio.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.portfolio.setWordWrap(True)
        self.portfolio.setAccessibleName("Portfolio")
        split.addWidget(self.portfolio)
        charts = QWidget()
        chart_layout = QVBoxLayout(charts)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        self.frontier_plot = pg.PlotWidget(background="w")
        self.frontier_plot.setTitle("Efficient frontier: best value at each budget", color=theme.INK, size="12pt")
        self.frontier_plot.setLabel("bottom", "Total budget over the plan's years (£m)")
        self.frontier_plot.setLabel("left", "Weighted value")
        self.frontier_plot.addLegend(offset=(10, 10))
        self.frontier_plot.showGrid(x=True, y=True, alpha=0.2)
        chart_layout.addWidget(self.frontier_plot, 3)
        self.point_detail = QLabel("Click a point on the frontier to see that portfolio.")
        self.point_detail.setObjectName("caption")
        self.point_detail.setWordWrap(True)
        chart_layout.addWidget(self.point_detail)
        self.spend_plot = pg.PlotWidget(background="w")
        self.spend_plot.setTitle("Where the money goes (£m, all years)", color=theme.INK, size="12pt")
        chart_layout.addWidget(self.spend_plot, 2)
        split.addWidget(charts)
        split.setSizes([610, 550])
        layout.addWidget(split, 1)

        self.portfolio.itemSelectionChanged.connect(self._explain_selected)
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button.clicked.connect(self._runner.cancel)
        QShortcut(QKeySequence("Ctrl+R"), self, self.start_run)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._runner.cancel)
        self.refresh()

    @property
    def runner(self) -> TaskRunner:
        return self._runner

    def stop_work(self) -> None:
        """Cancel anything running and wait for it (before the window closes)."""
        for runner in (self._runner, self._explainer):
            if runner.running:
                runner.cancel()
                runner.wait()

    def refresh(self) -> None:
        current = self.scenario.currentText()
        self.scenario.clear()
        self.scenario.addItems([PLAN_AS_IT_STANDS, *(s.name for s in self._service.read().scenarios)])
        if current:
            self.scenario.setCurrentText(current)

    def start_run(self) -> None:
        if self._runner.running:
            return
        name = self.scenario.currentText()
        scenario = None if name == PLAN_AS_IT_STANDS else name
        try:
            inp = snapshot_plan(self._service, scenario)
        except Exception as exc:
            self.headline.setText(f"Cannot run: {exc}")
            return
        self._scenario_name = scenario or ""
        settings = self._settings
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting")
        self.headline.setText("Working… the window stays usable; press Esc or Cancel to stop.")
        self._runner.start(lambda state: run_allocation(inp, settings, state))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{message} ({done} of {total})" if total > 1 else message)

    def _idle(self, message: str) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(message)

    def _on_failed(self, message: str) -> None:
        self._idle("Failed")
        self.headline.setText(f"The allocation could not finish: {message}")
        self.run_finished.emit()

    def _on_cancelled(self) -> None:
        self._idle("Cancelled")
        self.headline.setText("Cancelled. Nothing was changed; run again when ready.")
        self.run_finished.emit()

    def _on_finished(self, run: AllocationRun) -> None:
        self.last_run = run
        self._idle("Done")
        self._show(run)
        if self._service.writable:
            report = SolveReport(self._scenario_name, run.inp, run.allocation, run.greedy, run.conflict)
            self._service.record_result(
                scenario=self._scenario_name, solver=self._settings.name,
                inputs={"snapshot": json.loads(run.inp.to_json()), "settings": settings_json(self._settings)},
                result=report_json(report),
            )
        self.run_finished.emit()

    def _show(self, run: AllocationRun) -> None:
        allocation = run.allocation
        if run.conflict is not None:
            self.headline.setText(f"No portfolio keeps every rule. {run.conflict.summary}")
            self.portfolio.setRowCount(0)
            return
        if allocation.objective is None:
            self.headline.setText(f"The solver stopped without a portfolio ({allocation.status}).")
            return
        status = {"optimal": "Proven best", "feasible": "Within a proven gap of the best", "stopped": "Best found before the time limit"}.get(allocation.status, allocation.status)
        lost = allocation.objective - run.greedy.objective
        self.headline.setText(
            f"{status}: {len(allocation.funded)} of {len(run.inp.options)} options funded, total value {allocation.objective:.0f}. "
            f"A value-per-pound ranking would reach {run.greedy.objective:.0f} ({lost:.0f} less)."
        )
        self._fill_portfolio(run)
        self._draw_frontier(run)
        self._draw_spend(run)

    def _fill_portfolio(self, run: AllocationRun) -> None:
        reasons = {r.name: r for r in run.reasons}
        explain_on_demand = not run.reasons
        funded = {f.name: f for f in run.allocation.funded}
        order = [o.name for o in run.inp.options]
        order.sort(key=lambda n: (n not in funded, -(funded[n].value if n in funded else run.inp.option(n).value)))
        self.portfolio.setRowCount(len(order))
        for row, name in enumerate(order):
            item = funded.get(name)
            decision = ("Funded" if item.level == "Full" else f"Funded ({item.level})") if item else "Left out"
            value = item.value if item else run.inp.option(name).value
            reason = reasons.get(name)
            cells = [name, decision, f"{value:.1f}", _brief(reason) if reason else "Select the row to explain" if explain_on_demand else ""]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if reason:
                    cell.setToolTip(reason.reason)
                if column == 1:
                    cell.setForeground(pg.mkColor(theme.FUNDED if item else theme.LEFT_OUT))
                self.portfolio.setItem(row, column, cell)
        self.portfolio.setColumnWidth(0, 230)
        self.portfolio.resizeColumnToContents(1)
        self.portfolio.resizeColumnToContents(2)
        if len(order) <= EXPLAIN_ALL_UP_TO:
            self.portfolio.resizeRowsToContents()

    def _explain_selected(self) -> None:
        """On a large plan, explain the selected option alone (one re-solve, in a worker)."""
        run = self.last_run
        rows = {i.row() for i in self.portfolio.selectedIndexes()}
        if run is None or run.reasons or len(rows) != 1 or self._explainer.running or run.allocation.objective is None:
            return
        row = rows.pop()
        name_cell = self.portfolio.item(row, 0)
        if name_cell is None:
            return
        name, settings = name_cell.text(), self._settings
        why_cell = self.portfolio.item(row, 3)
        if why_cell is not None:
            why_cell.setText("Working it out…")
        self._explaining = row
        self._explainer.start(lambda state: why(run.inp, run.allocation, settings, state, only=name))

    def _on_explained(self, reasons: list[OptionReason]) -> None:
        cell, name_cell = self.portfolio.item(self._explaining, 3), self.portfolio.item(self._explaining, 0)
        if reasons and cell is not None and name_cell is not None and name_cell.text() == reasons[0].name:
            cell.setText(_brief(reasons[0]))
            cell.setToolTip(reasons[0].reason)

    def _draw_frontier(self, run: AllocationRun) -> None:
        plot = self.frontier_plot
        plot.clear()
        points = [p for p in run.frontier if p.objective is not None]
        xs = [p.budget / 1e6 for p in points]
        optimal = plot.plot(xs, [p.objective for p in points], pen=pg.mkPen(theme.ACCENT, width=3), symbol="o",
                            symbolSize=9, symbolBrush=theme.ACCENT, name="Optimal portfolio")
        plot.plot(xs, [p.greedy_objective for p in points], pen=pg.mkPen(theme.LEFT_OUT, width=2, style=Qt.PenStyle.DashLine),
                  name="Value-per-pound ranking")
        current = total_budget(run.inp) / 1e6
        plot.addItem(pg.InfiniteLine(current, angle=90, pen=pg.mkPen(theme.FUNDED, width=2), label="this plan's budget",
                                     labelOpts={"position": 0.12, "color": theme.FUNDED}))
        self._points = points
        optimal.sigPointsClicked.connect(self._point_clicked)

    def show_point(self, index: int) -> None:
        """Show the portfolio at one frontier point (what a click does)."""
        point = self._points[index]
        previous = set(self._points[index - 1].selected) if index > 0 else set()
        leaves = sorted(previous - set(point.selected))
        joins = sorted(set(point.selected) - previous)
        text = (f"At {format_money(point.budget)}: {len(point.selected)} options, value {point.objective:.0f} "
                f"(ranking: {point.greedy_objective:.0f}).")
        if index > 0:
            text += f" Joins: {', '.join(joins) or 'none'}." + (f" Leaves: {', '.join(leaves)}." if leaves else "")
        self.point_detail.setText(text)

    def _point_clicked(self, _item: Any, spots: Any, *_: Any) -> None:
        if len(spots):
            self.show_point(int(spots[0].index()))

    def _draw_spend(self, run: AllocationRun) -> None:
        plot = self.spend_plot
        plot.clear()
        money = [s for s in run.inp.streams if s.is_money]
        spent = {s.name: 0.0 for s in money}
        for stream, _, amount in run.allocation.spend:
            if stream in spent:
                spent[stream] += amount
        available = {s.name: sum(a for _, a in s.amounts) for s in money}
        for stream, _, amount in run.allocation.released:
            if stream in available:
                available[stream] += amount
        ys = list(range(len(money)))
        plot.addLegend(offset=(-10, -10))
        plot.addItem(pg.BarGraphItem(x0=0, y=[y + 0.2 for y in ys], height=0.38, width=[available[s.name] / 1e6 for s in money],
                                     brush=pg.mkBrush("#c9d6e6"), pen=pg.mkPen(None), name="Available (budget and releases)"))
        plot.addItem(pg.BarGraphItem(x0=0, y=[y - 0.2 for y in ys], height=0.38, width=[spent[s.name] / 1e6 for s in money],
                                     brush=pg.mkBrush(theme.ACCENT), pen=pg.mkPen(None), name="Spent by the portfolio"))
        axis = plot.getAxis("left")
        axis.setTicks([[(y, _short(s.name, 22)) for y, s in zip(ys, money, strict=True)]])
        axis.setStyle(autoExpandTextSpace=True, hideOverlappingLabels=False)
        axis.setWidth(200)
        plot.setLabel("bottom", "£m over the plan's years")
        plot.invertY(True)
        widest = max([*available.values(), *spent.values(), 1.0]) / 1e6
        plot.setXRange(0, widest * 1.35, padding=0)  # room on the right for the legend
        plot.setYRange(-0.6, len(money) - 0.4, padding=0)


def _brief(reason: OptionReason) -> str:
    """A line for the table; the full sentence is the cell's tooltip."""
    change = reason.change_if_flipped
    if reason.funded:
        if "mandatory" in reason.reason:
            return "Mandatory"
        return f"Leaving it out loses {change:.1f} points" if change else "Funded; an equal portfolio exists without it"
    if change is None:
        return reason.reason.split(": ", 1)[-1].rstrip(".").capitalize()
    return f"Forcing it in loses {change:.1f} points overall"


def _short(name: str, width: int = 16) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
