"""Starting the app, and rendering its screens to PNG files without a display."""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from placeplanner import paths
from placeplanner.errors import PlanError
from placeplanner.gui.main_window import MainWindow, screen_names, select
from placeplanner.gui.theme import apply_theme
from placeplanner.gui.widgets import show_problem
from placeplanner.recent import recent_plans, remember
from placeplanner.service import PlanService
from placeplanner.storage.backup import copy_database


def _application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("PlacePlanner")
    apply_theme(app)
    return app


def default_plan() -> Path:
    """The last plan opened, or the demo plan on first start."""
    recent = recent_plans()
    if recent:
        return recent[0]
    demo = paths.data_dir() / "Riverside demo.placeplan"
    if not demo.exists():
        from placeplanner.demo import write_demo_plan

        write_demo_plan(demo)
    return demo


def run_app(plan: Path | None = None) -> int:
    app = _application()
    path = plan or default_plan()
    try:
        service = PlanService.open(path)
    except PlanError as exc:
        show_problem(None, f"Cannot open {path.name}", exc)
        return 1
    remember(path)
    window = MainWindow(service)
    window.show()
    window.ask_who_on_first_start()
    settle_memory()
    return app.exec()


def settle_memory() -> None:
    """Once the window is up: what is alive now (Qt, pandas, the plan) lives as long as the app,
    so the collector stops walking it; a full collection on a large plan would otherwise hold
    the window for 100 ms or more. Main thread only: gc.freeze from a worker crashed it."""
    gc.collect()
    gc.freeze()


def render_screenshots(plan: Path, out: Path) -> list[Path]:
    """Each main screen, with the allocation run, saved as PNG. Works offscreen."""
    app = _application()
    out.mkdir(parents=True, exist_ok=True)
    # A private copy opened for writing, so every screen looks as its users see it and the plan
    # itself is left untouched (the run would otherwise be recorded in it).
    scratch = Path(tempfile.mkdtemp(prefix="placeplanner-screens-"))
    copy = scratch / plan.name
    copy_database(plan, copy)
    service = PlanService.open(copy, auto_backup=False)
    window = MainWindow(service)
    window.resize(1440, 900)
    window.show()
    app.processEvents()
    saved = []
    for name in screen_names():
        select(window, name)
        if name == "Allocation":
            page = window.allocation
            _wait_for(page.run_finished, page.start_run)
            if page.last_run and page._points:
                page.show_point(len(page._points) // 2)
        app.processEvents()
        target = out / f"{screenshot_name(name)}.png"
        window.grab().save(str(target))
        saved.append(target)
    saved += _allocation_tabs(window, out)
    saved += _meeting(window, out)
    window.close()
    dispose(window)
    shutil.rmtree(scratch, ignore_errors=True)
    return saved


def _allocation_tabs(window: MainWindow, out: Path) -> list[Path]:
    """Each tab of the allocation view after its analysis has run."""
    app = _application()
    page = window.allocation
    saved = []
    for index in range(1, page.tabs.count()):
        widget = page.tabs.widget(index)
        page.tabs.setCurrentIndex(index)
        if widget is page.robustness:
            _wait_for(page.robustness_finished, page.start_robustness)
        elif widget is page.compare:
            others = [page.compare.second.itemText(i) for i in range(page.compare.second.count())]
            choice = next((o for o in others if o != page.scenario.currentText()), None)
            if choice is not None:
                page.compare.second.setCurrentText(choice)
                _wait_for(page.comparison_finished, page.start_comparison)
        app.processEvents()
        target = out / f"allocation-{screenshot_name(page.tabs.tabText(index).replace('&', ''))}.png"
        window.grab().save(str(target))
        saved.append(target)
    page.tabs.setCurrentIndex(0)
    return saved


def _meeting(window: MainWindow, out: Path) -> list[Path]:
    """A meeting played on the Meeting screen: the console and the projector's views."""
    from placeplanner.gui.meeting_page import MeetingPage
    from placeplanner.gui.meeting_shots import render_meeting_screenshots

    select(window, "Meeting")
    page = window.page("Meeting")
    assert isinstance(page, MeetingPage)
    return render_meeting_screenshots(page, window, out)


def _wait_for(done: SignalInstance, start: Callable[[], None], limit_ms: int = 120_000) -> None:
    """Start work and run the event loop until it reports (or the limit passes)."""
    loop = QEventLoop()
    done.connect(loop.quit)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    limit.start(limit_ms)
    start()
    loop.exec()
    limit.stop()
    done.disconnect(loop.quit)


def screenshot_name(screen: str) -> str:
    """'Partners and funding' -> 'partners-and-funding'."""
    return "-".join(screen.lower().split())


def dispose(widget: QWidget) -> None:
    """Delete a closed window now rather than at interpreter exit, when PySide's wrappers
    may already be half torn down."""
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
