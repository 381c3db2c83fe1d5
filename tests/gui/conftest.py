"""GUI tests: one real window over a real temporary plan, offscreen. A test that leaves a
worker thread or a timer running fails."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from placeplanner.gui.allocation_page import AllocationPage

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def no_threads_or_timers_left_running(qtbot: object) -> Iterator[None]:
    from PySide6.QtCore import QThreadPool

    from placeplanner.gui.tasks import running_tasks

    timers_before = set(map(id, _active_timers()))
    yield
    assert running_tasks() == 0, "a test left a worker thread running"
    assert QThreadPool.globalInstance().activeThreadCount() == 0, "a test left a pooled thread running"
    left = [t for t in _active_timers() if id(t) not in timers_before]
    assert not left, f"a test left {len(left)} timer(s) running: {[t.objectName() or repr(t) for t in left]}"


def _active_timers() -> list[object]:
    from PySide6.QtCore import QTimer

    return [o for o in gc.get_objects() if isinstance(o, QTimer) and _alive_and_active(o)]


def _alive_and_active(timer: object) -> bool:
    import shiboken6
    from PySide6.QtCore import QTimer

    assert isinstance(timer, QTimer)
    return shiboken6.isValid(timer) and timer.isActive()


@pytest.fixture
def demo_plan(tmp_path: Path) -> Path:
    from placeplanner.demo import write_demo_plan

    path = tmp_path / "riverside.placeplan"
    write_demo_plan(path)
    return path


@pytest.fixture
def allocation_page(qtbot: Any, demo_copy: Path) -> Iterator[AllocationPage]:
    """The Allocation screen over a copy of the demo plan, shown at a laptop's size."""
    from placeplanner.gui.allocation_page import AllocationPage
    from placeplanner.gui.editing import PlanEditor
    from placeplanner.service import PlanService

    service = PlanService.open(demo_copy, auto_backup=False)
    widget = AllocationPage(PlanEditor(service))
    qtbot.addWidget(widget)
    widget.resize(1230, 860)
    widget.show()
    yield widget
    widget.stop_work()
    service.close()
