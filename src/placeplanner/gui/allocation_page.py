"""The allocation view: run the optimiser in a worker and show the portfolio, the efficient
frontier, where the money goes, value for money, robustness and two scenarios side by side.

Nothing here solves anything: every engine call runs in a worker (one job at a time, with
progress and cancel), and the worker hands back ready-made rows and bars, so even a plan of
thousands of options reaches the screen without a pause.
"""

from __future__ import annotations

import gc
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.explain import OptionReason, why
from placeplanner.engine.frontier import FrontierPoint, total_budget
from placeplanner.engine.progress import RunState
from placeplanner.engine.solvers import SolverSettings
from placeplanner.engine.spend import reconcile
from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.allocation_charts import FrontierChart, SpendChart, ValueForMoneyChart
from placeplanner.gui.allocation_compare import ComparePanel, Comparison, run_comparison
from placeplanner.gui.allocation_conflicts import ConflictPanel
from placeplanner.gui.allocation_data import ON_DEMAND, WHY_COLUMN
from placeplanner.gui.allocation_portfolio import PortfolioPanel
from placeplanner.gui.allocation_relax import Relaxation
from placeplanner.gui.allocation_robustness import (
    RobustnessPanel,
    RobustnessRun,
    run_robustness,
    sampling_from,
)
from placeplanner.gui.allocation_run import (
    AllocationRun,
    allocate_scenario,
    plain,
    relabel,
)
from placeplanner.gui.decision_dialog import DecisionDialog
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.tasks import TaskRunner
from placeplanner.gui.widgets import heading
from placeplanner.model import Scenario
from placeplanner.money import format_money, year_label
from placeplanner.service.allocation import settings_json, snapshot_plan
from placeplanner.service.staleness import CHANGED, Staleness, StalenessWatch, run_staleness

PLAN_AS_IT_STANDS = "The plan as it stands"
ALLOCATION, ROBUSTNESS, COMPARISON, EXPLAIN = "allocation", "robustness", "comparison", "explanation"
STALE = "staleness"  # whether the result shown still matches the plan: a worker's job beside the others
STATUS = {"optimal": "Proven best", "feasible": "Within a proven gap of the best", "stopped": "Best found before the time limit"}
_held: list[tuple[int, int, int]] = []  # the collector's thresholds to restore, while a job runs


def _hold_full_collections(hold: bool) -> None:
    """While a job runs, no full garbage collection: on a 5,000-option plan each one holds the
    interpreter, and so the window, ~100 ms, and the worker's churn sets one off every few
    seconds. Young objects are still collected; reference counting frees the rest. Only the
    thresholds change: plain numbers, safe from any thread (gc.freeze from a worker crashed
    the collector). The full collection put off runs once the job is over."""
    if hold and not _held:
        _held.append(gc.get_threshold())
        young, middle, _ = _held[0]
        gc.set_threshold(young, middle, 1_000_000)
    elif not hold and _held:
        gc.set_threshold(*_held.pop())


class _Tabs(QTabWidget):
    """Asks for little height and takes whatever is left: the main window puts each screen in a
    scroll area, which would otherwise scroll to make room for the charts' generous wishes."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), 420))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name; wrapped captions would ask again
        return False


class AllocationPage(QWidget):
    run_finished = Signal()
    robustness_finished = Signal()
    comparison_finished = Signal()
    stale_checked = Signal()  # the banner now says whether the result shown still matches the plan

    TABLES = frozenset({"scenarios", "options", "values", "agreed_scores", "funding_streams", "rules", "weight_sets", "needs",
                        "individual_scores", "declarations", "partners", "info", "meetings"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._service = editor.service
        self._settings = SolverSettings()
        self.last_run: AllocationRun | None = None
        self._points: list[FrontierPoint] = []
        self._undrawn: set[QWidget] = set()  # pictures of the last run not drawn yet
        self._job: str | None = None  # the one job running (ALLOCATION, ROBUSTNESS, COMPARISON)
        self._explaining: tuple[AllocationRun, str] | None = None
        self._explain_next: str | None = None
        self._watch = StalenessWatch()
        self.staleness: Staleness | None = None  # of the result shown, when it is stored
        self._checking = False  # a staleness check is running in its worker
        self._check_again = False  # and the plan changed while it ran
        self._check_when_idle = False  # asked while another job was running
        self._compared: tuple[Comparison, int] | None = None  # the last comparison and the log's mark then
        self._comparing_at = 0

        self._runners: dict[str, TaskRunner] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.addWidget(heading("Allocation", "The portfolio with the most weighted value that keeps every agreed rule, proven best by the solver."))
        layout.addLayout(self._controls())
        self.headline = QLabel("Choose a scenario and run the allocation.")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 17px; padding: 6px 0 2px 0;")
        self.headline.setAccessibleName("Result")
        layout.addWidget(self.headline)
        layout.addWidget(self._stale_banner())
        layout.addWidget(self._tabs(), 1)
        for job in (ALLOCATION, ROBUSTNESS, COMPARISON, EXPLAIN):
            self._fresh_runner(job)
        self._shortcuts()
        self.refresh()

    # --- building the screen

    def _controls(self) -> QHBoxLayout:
        controls = QHBoxLayout()
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario")
        self.scenario.setToolTip("A named set of assumptions: budgets, weights and rules switched on or off")
        self.scenario.setMinimumContentsLength(26)
        self.run_button = QPushButton("Run allocation")
        self.run_button.setObjectName("primary")
        self.run_button.setAccessibleName("Run allocation")
        self.run_button.setToolTip("Find the best portfolio for this scenario, explain each option and trace the frontier (Ctrl+R)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Stop the work in progress; nothing is changed (Esc)")
        self.cancel_button.setEnabled(False)
        self.decide_button = QPushButton("Record the decision…")
        self.decide_button.setAccessibleName("Record the decision")
        self.decide_button.setToolTip("The partners adopt this result: put it on the record with the rationale "
                                      "(it cannot be changed afterwards)")
        self.decide_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        label = QLabel("Scenario")
        label.setBuddy(self.scenario)
        controls.addWidget(label)
        controls.addWidget(self.scenario, 2)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.decide_button)
        controls.addWidget(self.progress, 3)
        self.run_button.clicked.connect(self.start_run)
        self.cancel_button.clicked.connect(self.cancel)
        self.decide_button.clicked.connect(self.ask_decision)
        self.scenario.currentTextChanged.connect(self._scenario_changed)
        return controls

    def _stale_banner(self) -> QFrame:
        """Shown when the result on screen no longer matches the plan: what changed, and a way to run again."""
        self.stale_banner = QFrame()
        self.stale_banner.setObjectName("staleBanner")
        self.stale_banner.setStyleSheet(f"QFrame#staleBanner {{ border: 2px solid {theme.PROBLEM}; border-radius: 6px; }}")
        self.stale_banner.setAccessibleName(CHANGED)
        self.stale_text = QLabel()
        self.stale_text.setWordWrap(True)
        self.stale_text.setTextFormat(Qt.TextFormat.RichText)
        self.stale_text.setAccessibleName("What has changed since this run")
        self.run_again_button = QPushButton("Run again")
        self.run_again_button.setAccessibleName("Run the allocation again")
        self.run_again_button.setToolTip("Run the allocation on the plan as it is now (Ctrl+R)")
        self.run_again_button.clicked.connect(self.start_run)
        row = QHBoxLayout(self.stale_banner)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.stale_text, 1)
        row.addWidget(self.run_again_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.stale_banner.setVisible(False)
        return self.stale_banner

    def _tabs(self) -> QTabWidget:
        self.tabs = _Tabs()
        self.tabs.setAccessibleName("Views of the allocation")
        self.tabs.setDocumentMode(True)
        self.portfolio_panel = PortfolioPanel()
        self.portfolio = self.portfolio_panel.view
        self.conflict_panel = ConflictPanel()
        self.portfolio_stack = QStackedWidget()
        self.portfolio_stack.addWidget(self.portfolio_panel)
        self.portfolio_stack.addWidget(self.conflict_panel)
        self.frontier_chart = FrontierChart()
        self.point_detail = self.frontier_chart.detail
        self.spend_chart = SpendChart()
        self.value_chart = ValueForMoneyChart()
        self.robustness = RobustnessPanel()
        self.compare = ComparePanel()
        for widget, title, tip in (
            (self.portfolio_stack, "P&ortfolio", "Every option in or out, its level, value, cost and why (Alt+O)"),
            (self.frontier_chart, "&Frontier", "The best value at each budget beside a value-per-pound ranking (Alt+F)"),
            (self.spend_chart, "&Spend", "Where the money goes: by partner, by funding stream and year, by need (Alt+S)"),
            (self.value_chart, "Value for &money", "Each option's value against its cost (Alt+M)"),
            (self.robustness, "&Robustness", "Which options are funded whatever the weights or scores (Alt+R)"),
            (self.compare, "&Compare", "Two scenarios side by side: what enters and leaves (Alt+C)"),
        ):
            index = self.tabs.addTab(widget, title)
            self.tabs.setTabToolTip(index, tip)
            widget.setAccessibleName(title.replace("&", ""))
        self.portfolio_panel.selected.connect(self._portfolio_selected)
        self.frontier_chart.point_clicked.connect(self.show_point)
        self.value_chart.option_picked.connect(self.portfolio_panel.select)
        self.conflict_panel.relax.connect(self.relax)
        self.robustness.test_requested.connect(self.start_robustness)
        self.compare.compare_requested.connect(self.start_comparison)
        self.tabs.currentChanged.connect(lambda _: self._draw(self.tabs.currentWidget()))
        return self.tabs

    def _shortcuts(self) -> None:
        for keys, slot in (("Ctrl+R", self.start_run), ("Ctrl+Shift+R", self.start_robustness), ("Ctrl+Shift+C", self.start_comparison)):
            QShortcut(QKeySequence(keys), self, slot)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)

    def _fresh_runner(self, job: str) -> TaskRunner:
        """A runner for one job. Each job gets its own: a runner restarted at once could have its
        new thread forgotten by the previous thread's late "finished" notice."""
        runner = TaskRunner(self)
        self._runners[job] = runner
        if job == STALE:
            runner.finished.connect(self._on_stale_checked)
            runner.failed.connect(lambda _message: self._on_stale_checked(None))
            runner.cancelled.connect(lambda: self._on_stale_checked(None))
            return runner
        if job == EXPLAIN:
            runner.finished.connect(self._on_explained)
            runner.failed.connect(lambda message: self._explained_nothing(f"Could not explain it: {message}"))
            runner.cancelled.connect(lambda: self._explained_nothing(ON_DEMAND))
            return runner
        jobs: dict[str, tuple[Callable[[Any], None], Any, str, Callable[[str], None]]] = {
            ALLOCATION: (self._on_finished, self.run_finished, "The allocation", self.headline.setText),
            ROBUSTNESS: (self._on_robustness, self.robustness_finished, "The robustness test", self.robustness.summary.setText),
            COMPARISON: (self._on_compared, self.comparison_finished, "The comparison", self.compare.summary.setText),
        }
        self._wire(runner, *jobs[job])
        return runner

    def _wire(self, runner: TaskRunner, done: Callable[[Any], None], finished: Any, what: str, say: Callable[[str], None]) -> None:
        """Connect a job's runner: progress to the bar; failure and cancelling said where its result would show."""
        runner.progress.connect(self._on_progress)
        runner.finished.connect(done)
        runner.failed.connect(lambda message: self._stopped(finished, say, f"{what} could not finish: {message}", "Failed"))
        runner.cancelled.connect(lambda: self._stopped(finished, say, "Cancelled. Nothing was changed; run again when ready.", "Cancelled"))

    # --- the public handle (tests, screenshots, the main window)

    @property
    def runner(self) -> TaskRunner:
        return self._runners[ALLOCATION]

    @property
    def explainer(self) -> TaskRunner:
        """Explains the selected option on demand, on plans too large to explain every option."""
        return self._runners[EXPLAIN]

    def cancel(self) -> None:
        for job in (ALLOCATION, ROBUSTNESS, COMPARISON):
            self._runners[job].cancel()

    def stop_work(self) -> None:
        """Cancel anything running and wait for it (before the window closes)."""
        for runner in self.findChildren(TaskRunner):
            if runner.running:
                runner.cancel()
                runner.wait()
        _hold_full_collections(False)

    def refresh(self) -> None:
        names = [PLAN_AS_IT_STANDS, *(s.name for s in self._service.read().scenarios)]
        current = self.scenario.currentText()
        self.scenario.blockSignals(True)
        self.scenario.clear()
        self.scenario.addItems(names)
        if current in names:
            self.scenario.setCurrentText(current)
        self.scenario.blockSignals(False)
        self.compare.set_scenarios(self.scenario.currentText(), names)
        self.check_stale()

    def check_stale(self) -> None:
        """Find out whether the result shown still matches the plan; the banner (and Compare's note)
        say so. Known at once when the log has not moved; else worked out in a worker (a large
        plan's individual scores take seconds to read), and ``stale_checked`` tells when."""
        run = self.last_run
        if run is None or run.allocation.objective is None or (run.result_id is None and run.plan_mark is None):
            self._show_stale(None)
            return
        key = self._stale_key(run)
        known = self._watch.known(self._service, key)
        if known is not None:
            self._show_stale(known)
            self.stale_checked.emit()
            return
        if self._checking:
            self._check_again = True
            return
        if self._job is not None:  # one worker reads the plan at a time: checked when the job is done
            self._check_when_idle = True
            return
        self._checking = True
        service, watch, settings = self._service, self._watch, self._settings
        if run.result_id is not None:
            work = None
        else:  # not stored (the plan is open read-only): judged by its own snapshot
            def work() -> Staleness:
                return run_staleness(service, inputs={"snapshot": plain(run.inp), "settings": settings_json(settings)},
                                     scenario=run.scenario, plan_mark=run.plan_mark)
        self._fresh_runner(STALE).start(lambda _state: (key, watch.check(service, key, work)))

    @staticmethod
    def _stale_key(run: AllocationRun) -> object:
        if run.result_id is not None:
            return run.result_id
        # A run not stored is judged by the plan it read: two runs of one scenario at one mark of
        # the log have one answer. (Its id() would do for one run, but a later run may be given
        # the same id once the first is freed, and inherit its answer.)
        return ("run", run.plan_mark, run.scenario) if run.plan_mark is not None else ("run", id(run))

    def _on_stale_checked(self, answer: tuple[object, Staleness] | None) -> None:
        self._checking = False
        if self._check_again:
            self._check_again = False
            self.check_stale()
            return
        run = self.last_run
        if answer is None:  # it could not be told (the plan could not be read): say nothing
            self._show_stale(None)
        elif run is not None and answer[0] == self._stale_key(run):
            self._show_stale(answer[1])
            self.stale_checked.emit()
        else:
            self.check_stale()  # a newer run is on screen: ask about it

    def _show_stale(self, now: Staleness | None) -> None:
        self.staleness = now
        stale = now is not None and now.stale
        self.stale_banner.setVisible(stale)
        if now is not None and stale:
            self.stale_text.setText(f"<b>{CHANGED}.</b> {html.escape(now.words())} "
                                    "The figures below are from the earlier run.")
        self.compare.set_stale_note(self._compare_note(now) if now is not None and stale else "")

    def _compare_note(self, now: Staleness) -> str:
        """Why Compare's figures for the scenario shown differ from the result on the other tabs."""
        run, compared = self.last_run, self._compared
        if compared is not None and run is not None and run.allocation.objective is not None:
            comparison, mark = compared
            if comparison.first.name == (run.scenario or PLAN_AS_IT_STANDS) and mark == self._service.plan_mark():
                return (f"Compare solved “{comparison.first.name}” on the plan as it is now: total value "
                        f"{comparison.first.value:,.0f}. The portfolio on the other tabs, from the earlier run, has "
                        f"{run.allocation.objective:,.0f}: {now.words()} Run again and the two agree.")
        return ("The portfolio on the other tabs is from an earlier run, and the plan has changed since; Compare solves "
                "both scenarios on the plan as it is now. Run again and the two agree.")

    # --- jobs: one at a time, all in a worker

    def _start(self, job: str, work: Callable[[RunState], Any], say: Callable[[str], None], message: str) -> None:
        _hold_full_collections(True)
        self._job = job
        self.run_button.setEnabled(False)
        self.robustness.button.setEnabled(False)
        self.compare.button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting")
        say(message)
        self._fresh_runner(job).start(work)

    def _idle(self, message: str) -> None:
        _hold_full_collections(False)  # after the result is on screen
        self._job = None
        if self._check_when_idle:
            self._check_when_idle = False
            self.check_stale()
        self.run_button.setEnabled(True)
        self.robustness.button.setEnabled(True)
        self.compare.button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(message)

    def _stopped(self, finished: Any, say: Callable[[str], None], message: str, state: str) -> None:
        self._idle(state)
        say(message)
        finished.emit()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{message} ({done} of {total})" if total > 1 else message)

    # --- the allocation

    def start_run(self) -> None:
        if self._job is not None:
            return
        self.decide_button.setEnabled(False)  # until this run's result is stored
        name = self.scenario.currentText()
        scenario = "" if name == PLAN_AS_IT_STANDS else name
        service, settings = self._service, self._settings
        self._start(ALLOCATION, lambda state: allocate_scenario(service, scenario, settings, state), self.headline.setText,
                    "Working… the window stays usable; press Esc or Cancel to stop.")

    def _on_finished(self, run: AllocationRun) -> None:
        self.last_run = run
        self.decide_button.setEnabled(run.result_id is not None and run.allocation.objective is not None)
        self._show(run)
        self._show_stale(None)  # until the check says
        self.check_stale()
        if run.not_stored:
            self.headline.setText(f"{self.headline.text()} {run.not_stored}")
        self._idle(f"Done: {run.scenario or PLAN_AS_IT_STANDS}")
        self.run_finished.emit()

    def ask_decision(self) -> DecisionDialog | None:
        """Open the dialog that puts the last run on the record (returned, so tests can drive it)."""
        run = self.last_run
        if run is None or run.result_id is None:
            return None
        summary = (f"{run.scenario or PLAN_AS_IT_STANDS}: {len(run.allocation.funded)} options funded, "
                   f"total value {run.allocation.objective or 0:,.0f}")
        dialog = DecisionDialog(self._service, run.result_id, summary, self,
                                known=self._watch.known(self._service, run.result_id))
        dialog.accepted.connect(lambda: self._decided(dialog))
        dialog.open()
        return dialog

    def _decided(self, dialog: DecisionDialog) -> None:
        self.decide_button.setEnabled(False)  # this result is on the record now
        stale = " The record says the plan had changed since the run." if dialog.staleness.stale else ""
        self.headline.setText(f"{self.headline.text()} Recorded as decision {dialog.decision_id}: "
                              f"“{dialog.title.text().strip()}”.{stale}")
        self._editor.changed.emit(frozenset({"decisions"}))

    def _show(self, run: AllocationRun) -> None:
        allocation = run.allocation
        if run.conflict is not None:
            count = len(run.conflict.sentences)
            self.headline.setText(f"No portfolio keeps every rule. These rules cannot all hold: the {count} below; "
                                  "relax one to try again as a new scenario.")
            self.conflict_panel.show_conflict(run.relaxations)
            self.portfolio_stack.setCurrentWidget(self.conflict_panel)
            self.tabs.setCurrentIndex(0)
            self._clear_pictures()
            return
        self.portfolio_stack.setCurrentWidget(self.portfolio_panel)
        if allocation.objective is None:
            self.headline.setText(f"The solver stopped without a portfolio ({allocation.status}).")
            self._clear_pictures()
            return
        status = STATUS.get(allocation.status, allocation.status)
        lost = allocation.objective - run.greedy.objective
        years = f"{year_label(run.inp.years[0])} to {year_label(run.inp.years[-1])}" if run.inp.years else "the plan's years"
        self.headline.setText(
            f"{status}: {len(allocation.funded)} of {len(run.inp.options)} options funded over {years}, "
            f"total value {allocation.objective:,.0f}. {reconcile(run.inp, allocation).words()} "
            f"A value-per-pound ranking would reach {run.greedy.objective:,.0f} ({lost:,.0f} less)."
        )
        self.portfolio_panel.show_rows(run.cells, [r.name for r in run.rows])
        self._points = [p for p in run.frontier if p.objective is not None]
        # Each picture is drawn when its tab is first shown, so a large plan's result arrives
        # in one short step rather than every chart at once.
        self._undrawn = {self.frontier_chart, self.spend_chart, self.value_chart}
        self._draw(self.tabs.currentWidget())

    def _draw(self, widget: QWidget | None) -> None:
        run = self.last_run
        if widget not in self._undrawn or run is None:
            return
        self._undrawn.discard(widget)
        if widget is self.frontier_chart:
            self.frontier_chart.draw(self._points, total_budget(run.inp))
        elif widget is self.spend_chart:
            self.spend_chart.show_breakdowns(run.spend)
        elif widget is self.value_chart:
            self.value_chart.show_rows(run.rows)
            chosen = self.portfolio_panel.selected_name()
            if chosen is not None:
                self.value_chart.pick(chosen)

    def _clear_pictures(self) -> None:
        self.portfolio_panel.clear()
        self._points = []
        self._undrawn = set()
        self.frontier_chart.clear()
        self.spend_chart.clear()
        self.value_chart.clear()

    def show_point(self, index: int) -> None:
        """Show the portfolio at one frontier point (what a click does)."""
        point = self._points[index]
        previous = set(self._points[index - 1].selected) if index > 0 else set()
        leaves = sorted(previous - set(point.selected))
        joins = sorted(set(point.selected) - previous)
        text = (f"At {format_money(point.budget)}: {len(point.selected)} options, value {point.objective or 0:,.0f} "
                f"(ranking: {point.greedy_objective:,.0f}).")
        if index > 0:
            text += f" Joins: {', '.join(joins) or 'none'}." + (f" Leaves: {', '.join(leaves)}." if leaves else "")
        self.point_detail.setText(text)
        self._draw(self.frontier_chart)
        self.frontier_chart.mark(index)

    # --- explaining one option on demand (large plans)

    def _portfolio_selected(self, name: str) -> None:
        if self.value_chart not in self._undrawn:
            self.value_chart.pick(name)
        run = self.last_run
        if run is None or run.reasons or run.allocation.objective is None:
            return
        row = self.portfolio_panel.model.row_of(name)
        if row < 0 or self.portfolio_panel.model.cell(row, WHY_COLUMN).text != ON_DEMAND:
            return
        if self._explaining is not None:
            self._explain_next = name
            return
        self.portfolio_panel.set_why(name, "Working it out…")
        self._explaining = (run, name)
        settings = self._settings
        self._fresh_runner(EXPLAIN).start(lambda state: why(run.inp, run.allocation, settings, state, only=name))

    def _on_explained(self, reasons: list[OptionReason]) -> None:
        asked, self._explaining = self._explaining, None
        if asked is not None and asked[0] is self.last_run and reasons and reasons[0].name == asked[1]:
            self.portfolio_panel.explain(reasons[0])
        self._explain_following()

    def _explained_nothing(self, why_text: str) -> None:
        asked, self._explaining = self._explaining, None
        if asked is not None and asked[0] is self.last_run:
            self.portfolio_panel.set_why(asked[1], why_text)
        self._explain_following()

    def _explain_following(self) -> None:
        following, self._explain_next = self._explain_next, None
        if following is not None:
            self._portfolio_selected(following)

    # --- relaxing a conflicting rule as a new scenario

    def relax(self, relaxation: Relaxation) -> None:
        """Make the relaxed scenario (or reuse an identical one), choose it and run it."""
        if self._job is not None or not relaxation.scenario:
            return
        existing = {s.name: s for s in self._service.read().scenarios}
        name, copy = relaxation.scenario, 2
        while name in existing and dict(existing[name].settings) != dict(relaxation.settings):
            name, copy = f"{relaxation.scenario} ({copy})", copy + 1
        if name not in existing:
            description = f"Made in the allocation view to relax: {relaxation.sentence}."
            try:
                self._editor.upsert(Scenario(name, description, dict(relaxation.settings)), f"Add scenario “{name}”")
            except PlanError as exc:
                self.headline.setText(f"Could not make the scenario “{name}”: {exc}")
                return
        self.refresh()
        self.scenario.setCurrentText(name)
        self.start_run()

    # --- robustness

    def start_robustness(self) -> None:
        if self._job is not None:
            return
        name = self.scenario.currentText()
        scenario = "" if name == PLAN_AS_IT_STANDS else name
        mode, samples = self.robustness.chosen_mode(), self.robustness.samples.value()
        service, settings = self._service, self._settings

        def work(state: RunState) -> RobustnessRun:
            inp = snapshot_plan(service, scenario or None)
            sampling = sampling_from(service, inp, mode, samples)
            return run_robustness(inp, name, sampling, settings, relabel(state, "Testing robustness"))

        self.tabs.setCurrentWidget(self.robustness)
        self._start(ROBUSTNESS, work, self.robustness.summary.setText,
                    f"Testing how robust “{name}” is over {samples} samples… press Esc or Cancel to stop.")

    def _on_robustness(self, run: RobustnessRun) -> None:
        self.robustness.show_run(run)
        self._idle("Done")
        self.robustness_finished.emit()

    # --- two scenarios side by side

    def _scenario_changed(self, name: str) -> None:
        self.compare.set_scenarios(name, [self.scenario.itemText(i) for i in range(self.scenario.count())])

    def start_comparison(self) -> None:
        if self._job is not None:
            return
        first, second = self.scenario.currentText(), self.compare.second.currentText()
        if not second or second == first:
            self.compare.summary.setText("Choose a second scenario different from the first.")
            return
        service, settings = self._service, self._settings
        self._comparing_at = service.plan_mark()

        def work(state: RunState) -> Comparison:
            state.step(0, 2, "Reading the plan")
            inputs = [(name, snapshot_plan(service, None if name == PLAN_AS_IT_STANDS else name)) for name in (first, second)]
            return run_comparison(inputs[0], inputs[1], settings, state)

        self.tabs.setCurrentWidget(self.compare)
        self._start(COMPARISON, work,
                    self.compare.summary.setText, f"Solving “{first}” and “{second}”… press Esc or Cancel to stop.")

    def _on_compared(self, comparison: Comparison) -> None:
        self.compare.show_comparison(comparison)
        self._compared = (comparison, self._comparing_at)
        self.check_stale()
        self._idle("Done")
        self.comparison_finished.emit()
