"""The main window: a sidebar of screens over one open plan, and the menus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from placeplanner import __version__
from placeplanner.errors import PlanError
from placeplanner.gui.allocation_page import AllocationPage
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.options_page import OptionsPage
from placeplanner.gui.overview_page import OverviewPage
from placeplanner.service import PlanService

PAGES = ("Overview", "Options", "Allocation")


class MainWindow(QMainWindow):
    def __init__(self, service: PlanService) -> None:
        super().__init__()
        self.service = service
        self.setWindowTitle(f"{service.info().title or service.info().place} — PlacePlanner (every change is saved as you make it)")
        self.resize(1280, 800)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Screens")
        self.sidebar.setFixedWidth(210)
        self.sidebar.addItems(PAGES)
        self.stack = QStackedWidget()
        self.overview = OverviewPage(service)
        self.options = OptionsPage(service)
        self.editor = PlanEditor(service, self)
        self.allocation = AllocationPage(self.editor)
        for page in (self.overview, self.options, self.allocation):
            self.stack.addWidget(page)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._menus()
        self.statusBar().showMessage(f"{service.path} · saved as you go")

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Plan")
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self._open)
        self._action(file_menu, "Back up &now", None, self._backup)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        go = self.menuBar().addMenu("&Go")
        for index, name in enumerate(PAGES):
            self._action(go, name, QKeySequence(f"Ctrl+{index + 1}"), lambda _=False, i=index: self.sidebar.setCurrentRow(i))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About PlacePlanner", None, self._about)

    def _action(self, menu: QMenu, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, slot: Callable[..., object]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a plan", str(self.service.path.parent), "Plans (*.placeplan)")
        if not path:
            return
        try:
            service = PlanService.open(Path(path))
        except PlanError as exc:
            QMessageBox.warning(self, "Cannot open the plan", str(exc))
            return
        replacement = MainWindow(service)
        replacement.show()
        self.close()

    def _backup(self) -> None:
        from placeplanner.storage.backup import backup_plan

        try:
            where = backup_plan(self.service.path, reason="from the app")
        except PlanError as exc:
            QMessageBox.warning(self, "Backup failed", str(exc))
            return
        self.statusBar().showMessage(f"Backed up to {where}", 8000)

    def _about(self) -> None:
        QMessageBox.about(self, "About PlacePlanner", f"<b>PlacePlanner</b> {__version__}<br>Plan a place's shared health and care budget together.")

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self.allocation.stop_work()
        self.service.close()
        super().closeEvent(event)  # type: ignore[arg-type]


def screen_names() -> tuple[str, ...]:
    return PAGES


def select(window: MainWindow, name: str) -> None:
    window.sidebar.setCurrentRow(PAGES.index(name))
    page = window.stack.currentWidget()
    if page is not None:
        page.setFocus(Qt.FocusReason.OtherFocusReason)
