"""Long work off the GUI thread: a plain function run in a QThread, reporting back by signals.

The function takes a RunState (progress and cancel) and returns a plain value; it never
touches a widget. Signals cross to the GUI thread queued, so views update there only.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from placeplanner.engine.progress import RunCancelledError, RunState

# Every runner alive, so tests can prove none is left running.
_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()


class _Worker(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Callable[[RunState], Any], state: RunState) -> None:
        super().__init__()
        self._work = work
        self._state = state
        state.on_progress = self.progress.emit

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._state)
        except RunCancelledError:
            self.cancelled.emit()
        except Exception as exc:
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.finished.emit(result)


class TaskRunner(QObject):
    """Runs one piece of work at a time in its own thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._state: RunState | None = None
        _RUNNERS.add(self)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, work: Callable[[RunState], Any]) -> None:
        if self.running:
            raise RuntimeError("a task is already running")
        self._state = RunState()
        thread = QThread()
        worker = _Worker(work, self._state)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self.progress)
        for signal, relay in ((worker.finished, self.finished), (worker.failed, self.failed), (worker.cancelled, self.cancelled)):
            # Quit from the worker's own thread (quit is thread-safe), so wait() returns even while
            # the GUI thread is blocked in it and cannot run a queued call.
            signal.connect(thread.quit, Qt.ConnectionType.DirectConnection)
            signal.connect(relay)
        # A late "finished" from an earlier thread must not clear a newer one.
        thread.finished.connect(lambda finished=thread: self._clear(finished))
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        if self._state is not None:
            self._state.cancel()

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self._thread.wait(milliseconds) if self._thread is not None else True

    def _clear(self, finished: QThread) -> None:
        if self._thread is finished:
            self._thread = None
            self._worker = None


def running_tasks() -> int:
    return sum(1 for runner in list(_RUNNERS) if runner.running)
