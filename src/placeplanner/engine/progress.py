"""Progress and cancellation for long runs: a plain handle the GUI's worker or the CLI passes in.

Long runs call ``step`` between solves; it reports progress and raises RunCancelledError once the
user has asked to stop, so a run never leaves half a result behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


class RunCancelledError(Exception):
    """The user stopped the run."""


@dataclass
class RunState:
    on_progress: Callable[[int, int, str], None] | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int, message: str = "") -> None:
        if self._cancel.is_set():
            raise RunCancelledError(message or "stopped")
        if self.on_progress is not None:
            self.on_progress(done, total, message)
