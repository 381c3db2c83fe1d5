"""The main window: a sidebar of screens over one open plan, and the menus.

Screens are built the first time they are shown (so the window opens fast on a large plan) and
refreshed when an edit touches the tables they show; a hidden screen refreshes when next shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from placeplanner import __version__, recent
from placeplanner.errors import PlanError
from placeplanner.gui import plan_actions, report_actions, theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.tasks import TaskRunner
from placeplanner.gui.widgets import show_problem
from placeplanner.reports.record import RecordRequest
from placeplanner.service import PlanService
from placeplanner.storage.backup import backup_plan


@dataclass(frozen=True, slots=True)
class Screen:
    title: str
    module: str  # under placeplanner.gui, imported when the screen is first shown
    page: str
    tooltip: str


SCREENS = (
    Screen("Overview", "overview_page", "OverviewPage", "The plan at a glance: budget, asks and counts"),
    Screen("Partners and funding", "funding_page", "FundingPage", "The partners and the funding streams they pool, year by year"),
    Screen("Needs", "needs_page", "NeedsPage", "The population's needs, their indicators and agreed priorities"),
    Screen("Values and weights", "values_page", "ValuesPage", "The shared values, their scales and weights; swing weighting"),
    Screen("Options", "options_page", "OptionsPage", "Every option: edit, filter, sort, paste from Excel"),
    Screen("Participants", "people_page", "PeoplePage", "Who takes part, and their declarations of interest"),
    Screen("Meeting", "meeting_page", "MeetingPage", "Run a scoring meeting: people score from their phones, the spread is revealed, scores agreed"),
    Screen("Rules", "rules_page", "RulesPage", "Allocation rules: at least or at most a count or a spend"),
    Screen("Scenarios", "scenarios_page", "ScenariosPage", "What-ifs laid over the plan: budgets, weights, rules off"),
    Screen("Allocation", "allocation_page", "AllocationPage", "Run the optimiser and explore the portfolio"),
)
PAGES = tuple(s.title for s in SCREENS)


def screen_keys(index: int) -> str:
    """Ctrl+1 for the first screen, ..., Ctrl+0 for the tenth."""
    return f"Ctrl+{(index + 1) % 10}"


class MainWindow(QMainWindow):
    def __init__(self, service: PlanService) -> None:
        super().__init__()
        self.service = service
        self.editor = PlanEditor(service, self)
        self.editor.changed.connect(self._plan_changed)
        self.editor.undo_failed.connect(lambda text: QMessageBox.warning(self, "Undo", text))
        self._pages: dict[str, QWidget] = {}
        self._holders: dict[str, QScrollArea] = {}
        self._stale: set[str] = set()
        self._tasks = TaskRunner(self)
        self._update_title()
        self.resize(1380, 860)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Screens")
        self.sidebar.setFixedWidth(220)
        for index, screen in enumerate(SCREENS):
            item = QListWidgetItem(screen.title)
            item.setToolTip(f"{screen.tooltip} ({screen_keys(index)})")
            self.sidebar.addItem(item)
        self.stack = QStackedWidget()
        self._slots: list[QWidget] = []
        for _ in SCREENS:
            slot = QWidget()  # replaced by the real screen the first time it is shown
            self._slots.append(slot)
            self.stack.addWidget(slot)
        self.sidebar.currentRowChanged.connect(self._show_screen)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._saved = QLabel("")
        self._saved.setObjectName("caption")
        self.statusBar().addPermanentWidget(self._saved)
        self._menus()
        self.sidebar.setCurrentRow(0)
        access = "saved as you go" if service.writable else "open read-only: another window or person is editing it"
        self.statusBar().showMessage(f"{service.path} · {access}")

    # --- screens

    def page(self, title: str) -> QWidget:
        """The screen with this title, built on first use."""
        built = self._pages.get(title)
        if built is not None:
            return built
        index = PAGES.index(title)
        screen = SCREENS[index]
        module = importlib.import_module(f"placeplanner.gui.{screen.module}")
        page = cast(QWidget, getattr(module, screen.page)(self.editor))
        page.setAccessibleName(screen.title)
        self._pages[title] = page
        # On a small screen (1366 x 768 laptops) a screen scrolls rather than forcing the window wider.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(page)
        self._holders[title] = holder
        slot = self._slots[index]
        self.stack.insertWidget(index, holder)
        self.stack.removeWidget(slot)
        slot.deleteLater()
        return page

    @property
    def overview(self) -> Any:
        return self.page("Overview")

    @property
    def options(self) -> Any:
        return self.page("Options")

    @property
    def allocation(self) -> Any:
        return self.page("Allocation")

    def _show_screen(self, index: int) -> None:
        if index < 0:
            return
        title = PAGES[index]
        page = self.page(title)
        if title in self._stale:
            self._stale.discard(title)
            cast(Any, page).refresh()
        self.stack.setCurrentWidget(self._holders[title])

    def _plan_changed(self, tables: frozenset[str]) -> None:
        current = self.stack.currentWidget()
        for title, page in self._pages.items():
            shows = getattr(page, "TABLES", None)
            if shows is not None and not (shows & tables):
                continue
            if self._holders[title] is current:
                cast(Any, page).refresh()
            else:
                self._stale.add(title)
        if "info" in tables:
            self._update_title()
        done = self.editor.stack.undoText()
        if done:
            self._saved.setText(f"Saved: {done}")

    # --- menus

    def _menus(self) -> None:
        bar = self.menuBar()
        plan = bar.addMenu("&Plan")
        self._action(plan, "&New plan…", QKeySequence.StandardKey.New, self._new_plan, "Start an empty plan in a new file")
        self._action(plan, "&Open…", QKeySequence.StandardKey.Open, self._open_plan)
        self.recent_menu = plan.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        plan.addSeparator()
        self._action(plan, "Save a &copy as…", QKeySequence("Ctrl+Shift+S"), self._save_copy, "A copy of the plan under another name; you keep working here")
        self._action(plan, "&Back up now", QKeySequence("Ctrl+B"), self._backup)
        self._action(plan, "Restore from a bac&kup…", None, self._restore)
        plan.addSeparator()
        self._action(plan, "&Import from Excel or CSV…", QKeySequence("Ctrl+I"), self._import, "All or nothing: a file with any problem changes nothing")
        self._action(plan, "&Export to Excel…", QKeySequence("Ctrl+E"), self._export)
        plan.addSeparator()
        self.paper_action = self._action(plan, "Board &paper…", None, lambda _=False: self._ask_report(".pdf"),
                                         "The board paper as an accessible PDF: the portfolio and why, the scores and the decision record")
        self.workbook_action = self._action(plan, "Results &workbook…", None, lambda _=False: self._ask_report(".xlsx"),
                                            "The results for finance teams as an Excel workbook, with totals and the inputs")
        plan.addSeparator()
        self._action(plan, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit = bar.addMenu("&Edit")
        undo = self.editor.stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.editor.stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self.who_action = self._action(edit, "&Who is using PlacePlanner…", None, self.ask_who,
                                       "The name recorded with every change you make")

        view = bar.addMenu("&View")
        self.contrast_action = self._action(view, "&High-contrast theme", QKeySequence("Ctrl+Shift+H"), self._toggle_contrast)
        self.contrast_action.setCheckable(True)
        go = bar.addMenu("&Go")
        for index, title in enumerate(PAGES):
            self._action(go, title, QKeySequence(screen_keys(index)), lambda _=False, i=index: self.sidebar.setCurrentRow(i))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About PlacePlanner", None, self._about)

    def _action(self, menu: QMenu, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None,
                slot: Callable[..., object], tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _update_title(self) -> None:
        info = self.service.info()
        self.setWindowTitle(f"{info.title or info.place} — PlacePlanner (every change is saved as you make it)")

    # --- the plan file

    def switch_to(self, path: Path) -> MainWindow | None:
        """Open another plan in a new window and close this one."""
        try:
            service = PlanService.open(path)
        except PlanError as exc:
            show_problem(self, f"Cannot open {path.name}", exc)
            return None
        recent.remember(path)
        replacement = MainWindow(service)
        replacement.show()
        self.close()
        return replacement

    def _new_plan(self) -> None:
        target = plan_actions.ask_new_plan(self, self.service.path.parent)
        if target is not None:
            self.switch_to(target)

    def _open_plan(self) -> None:
        target = plan_actions.ask_open_plan(self, self.service.path.parent)
        if target is not None:
            self.switch_to(target)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        plans = [p for p in recent.recent_plans() if p != self.service.path.resolve()]
        if not plans:
            self.recent_menu.addAction("No other recent plans").setEnabled(False)
        for path in plans:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.switch_to(p))

    def _save_copy(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy as", str(self.service.path.with_name(f"{self.service.path.stem} copy.placeplan")),
                                              plan_actions.PLAN_FILTER)
        if path and plan_actions.save_copy(self, self.service, Path(path).with_suffix(".placeplan")):
            self.statusBar().showMessage(f"Copy saved as {Path(path).name}; you are still working in {self.service.path.name}", 10_000)

    def _backup(self) -> None:
        try:
            where = backup_plan(self.service.path, reason="from the app")
        except PlanError as exc:
            show_problem(self, "Backup failed", exc)
            return
        self.statusBar().showMessage(f"Backed up to {where}", 10_000)

    def _restore(self) -> None:
        dialog = plan_actions.RestoreDialog(self.service.path, self)
        if not dialog.exec() or (chosen := dialog.chosen()) is None:
            return
        path = self.service.path
        self._stop_work()
        self.service.close()
        plan_actions.restore(self, path, chosen)
        self.switch_to(path)  # reopen whether or not it worked: the plan was closed for it

    def _import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import into the plan", str(self.service.path.parent),
                                                "Workbooks and CSV (*.xlsx *.csv);;All files (*)")
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, files: list[Path]) -> None:
        """Import in a worker behind a modal progress dialog; the result or every problem is shown."""
        service = self.service
        self._run_modal("Importing", lambda state: plan_actions.import_in_worker(service, files, state), self._imported)

    def _imported(self, outcome: plan_actions.ImportOutcome) -> None:
        if outcome.refused is not None:
            show_problem(self, "The import was refused", outcome.refused)
            return
        change = outcome.change
        if change is None or change.empty:
            self.statusBar().showMessage("Nothing changed: the plan already holds everything in those files.", 10_000)
            return
        self.editor.after_outside_change(change.tables | ({"info"} if change.info else set()))
        parts = [f"{change.records:,} records"] + ([f"{change.scores:,} individual scores"] if change.scores else [])
        self.statusBar().showMessage(f"Imported {' and '.join(parts)}. A backup from just before is kept (Plan ▸ Restore).", 15_000)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the plan", str(self.service.path.with_suffix(".xlsx")), "Excel workbook (*.xlsx)")
        if path:
            service, target = self.service, Path(path)
            self._run_modal("Exporting", lambda state: plan_actions.export_in_worker(service, target, state),
                            lambda out: self.statusBar().showMessage(f"Exported to {out}", 10_000))

    def _ask_report(self, suffix: str) -> None:
        chosen = report_actions.ask_report(self, self.service, suffix)
        if chosen is not None:
            self.write_report(*chosen)

    def write_report(self, target: Path, request: RecordRequest) -> None:
        """The board paper or the results workbook, built in the worker; the status bar says where it went."""
        service = self.service
        self._run_modal("Writing the report", lambda state: report_actions.build_in_worker(service, target, request, state),
                        lambda written: self.statusBar().showMessage(report_actions.saved_text(written), 30_000))

    def _run_modal(self, title: str, work: Callable[..., object], done: Callable[[Any], None]) -> None:
        if self._tasks.running:
            return
        dialog = QProgressDialog(f"{title}…", "Cancel", 0, 0, self)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(self._tasks.cancel)

        def finish(result: object) -> None:
            disconnect()
            dialog.close()
            done(result)

        def failed(message: str) -> None:
            disconnect()
            dialog.close()
            show_problem(self, f"{title} failed", PlanError(message))

        def cancelled() -> None:
            disconnect()
            dialog.close()
            self.statusBar().showMessage(f"{title} cancelled; nothing was changed.", 10_000)

        def progress(step: int, total: int, message: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(step)
            dialog.setLabelText(message)

        def disconnect() -> None:
            for signal, slot in ((self._tasks.finished, finish), (self._tasks.failed, failed),
                                 (self._tasks.cancelled, cancelled), (self._tasks.progress, progress)):
                signal.disconnect(slot)

        self._tasks.finished.connect(finish)
        self._tasks.failed.connect(failed)
        self._tasks.cancelled.connect(cancelled)
        self._tasks.progress.connect(progress)
        self._tasks.start(work)

    # --- the rest

    def ask_who(self, *, first_start: bool = False) -> QDialog:
        """Ask who is using the app (without blocking); their name is on the record from then on."""
        from placeplanner.gui.user_dialog import UserDialog

        dialog = UserDialog(self, first_start=first_start)
        dialog.chosen.connect(self._user_chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def ask_who_on_first_start(self) -> QDialog | None:
        from placeplanner.gui.user_dialog import needs_asking

        return self.ask_who(first_start=True) if needs_asking() else None

    def _user_chosen(self, name: str) -> None:
        self.service.actor = name
        self.statusBar().showMessage(f"Changes from now on are recorded as made by {name}.", 10_000)

    def _toggle_contrast(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, high_contrast=on)

    def _about(self) -> None:
        QMessageBox.about(self, "About PlacePlanner", about_text())

    def _stop_work(self) -> None:
        for page in self._pages.values():
            stop = getattr(page, "stop_work", None)
            if stop is not None:
                stop()
        if self._tasks.running:
            self._tasks.cancel()
            self._tasks.wait()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._stop_work()
        self.service.close()
        super().closeEvent(event)


def about_text() -> str:
    import platform
    import sys

    from PySide6 import __version__ as qt_version

    from placeplanner.build import build_label

    return (f"<h3>PlacePlanner {__version__}</h3><p>Plan a place's shared health and care budget together: pool what the "
            f"partners hold, agree values and weights, score options, and let the optimiser allocate the money, with every "
            f"decision on the record.</p><p>Build {build_label()}<br>Python {sys.version.split()[0]} · Qt for Python {qt_version} · "
            f"{platform.system()} {platform.release()}</p><p>Free software.</p>")


def screen_names() -> tuple[str, ...]:
    return PAGES


def select(window: MainWindow, name: str) -> None:
    window.sidebar.setCurrentRow(PAGES.index(name))
    window.page(name).setFocus(Qt.FocusReason.OtherFocusReason)
