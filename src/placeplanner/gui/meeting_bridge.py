"""The one way news of a live meeting reaches the GUI thread.

``LiveMeeting`` calls its listeners on whichever thread made the change: the server's threads
when a participant joins or scores. The listener here only emits a signal; Qt queues it to the
thread the bridge lives on (the GUI thread), where the facilitator's screens refresh. Nothing
here touches a widget.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal

from placeplanner.meeting.live import LiveMeeting


class MeetingBridge(QObject):
    """``changed(event)`` on the GUI thread after each change to the meeting it listens to:
    "joined", "scored", "declared" or "stage"."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._live: LiveMeeting | None = None

    def listen(self, live: LiveMeeting) -> None:
        self.stop()
        self._live = live
        live.subscribe(self._heard)

    def stop(self) -> None:
        if self._live is not None:
            self._live.unsubscribe(self._heard)
            self._live = None

    def _heard(self, event: str) -> None:
        # Any thread: emitting is all that is safe here. A call already under way when the bridge
        # stopped may find it deleted; the participant's request must not fail for that.
        with contextlib.suppress(RuntimeError):
            self.changed.emit(event)
