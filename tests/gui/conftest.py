"""GUI tests: one real window over a real temporary plan, offscreen. A test that leaves a
worker thread running fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def no_threads_left_running(qtbot: object) -> Iterator[None]:
    from PySide6.QtCore import QThreadPool

    from placeplanner.gui.tasks import running_tasks

    yield
    assert running_tasks() == 0, "a test left a worker thread running"
    assert QThreadPool.globalInstance().activeThreadCount() == 0, "a test left a pooled thread running"


@pytest.fixture
def demo_plan(tmp_path: Path) -> Path:
    from placeplanner.demo import write_demo_plan

    path = tmp_path / "riverside.placeplan"
    write_demo_plan(path)
    return path
