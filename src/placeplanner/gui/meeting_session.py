"""A meeting the facilitator has open: the live meeting, its server, and what the facilitator does
to it. The console and the presentation window both show it and both act through it.

Every action raises MeetingError (a PlanError) with words to show when the meeting refuses it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, Signal

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_bridge import MeetingBridge
from placeplanner.gui.meeting_room import LEFT_OPEN, SCORING, RoomState, listen_problem, room_state
from placeplanner.meeting.live import Accepted, LiveMeeting
from placeplanner.meeting.server import MeetingServer
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.meeting.submission import MeetingError
from placeplanner.meeting.tally import OptionTally
from placeplanner.model import AgreedScore, PlanData

# Tables a live meeting changes in the plan behind the editor's back.
MEETING_TABLES = frozenset({"meetings"})
DECLARATION_TABLES = frozenset({"declarations"})


class MeetingSession(QObject):
    """``changed`` (GUI thread) when the room moved on: someone joined or scored, a round opened,
    closed or was revealed."""

    changed = Signal()

    def __init__(self, editor: PlanEditor, live: LiveMeeting, server: MeetingServer, url: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.live = live
        self.url = url
        self._server: MeetingServer | None = server
        self._seen = -1
        self._opened: dict[str, float] = {}  # option -> when its round was seen to open (monotonic)
        self._bridge = MeetingBridge(self)
        self._bridge.changed.connect(self._heard, Qt.ConnectionType.QueuedConnection)
        self._bridge.listen(live)

    @classmethod
    def open(cls, editor: PlanEditor, settings: MeetingSettings, *, host: str, port: int) -> MeetingSession:
        """Open (or resume) the meeting and start listening; MeetingError says why not."""
        service = editor.service
        if not service.writable:
            raise MeetingError("This plan is open read-only (someone else is editing it), so a meeting cannot be held on it here.")
        live = LiveMeeting.open(service.plan_file, service.read(), settings, actor=service.actor)
        server = MeetingServer(live, host=host, port=port)
        try:
            url = server.start()
        except OSError as error:
            server.stop()
            if not live.resumed:
                live.end()  # so trying again with another port opens it afresh
            editor.changed.emit(MEETING_TABLES)
            raise MeetingError(listen_problem(error, host, port)) from None
        editor.changed.emit(MEETING_TABLES)
        return cls(editor, live, server, url)

    # -- what the screens show -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def join_code(self) -> str:
        return self.live.join_code

    @property
    def host(self) -> str:
        return self._server.host if self._server is not None else ""

    def state(self) -> RoomState:
        plan = self.editor.service.read()
        state = room_state(self.live, agreed_options(plan, self.live.settings), plan.info.quorum)
        self._note_rounds(state)
        return state

    def round_opened(self, option: str) -> float | None:
        """When this option's round was seen to open (time.monotonic), while it is open."""
        return self._opened.get(option)

    def _note_rounds(self, state: RoomState) -> None:
        now = time.monotonic()
        for item in state.agenda:
            if item.status in (SCORING, LEFT_OPEN):
                self._opened.setdefault(item.option, now)
            else:
                self._opened.pop(item.option, None)

    def _heard(self, event: str) -> None:
        if event == "declared":
            self.editor.changed.emit(DECLARATION_TABLES)
        if self.live.version != self._seen:  # several events in a burst refresh once
            self._seen = self.live.version
            self.changed.emit()

    # -- what the facilitator does ---------------------------------------------------------------

    def go_to(self, option: str) -> None:
        self.live.go_to(option)

    def step(self, offset: int) -> None:
        if self.live.step(offset) is None:
            raise MeetingError("This is the last option on the agenda." if offset > 0
                               else "This is the first option on the agenda.")

    def close_round(self) -> None:
        self.live.close_round()

    def reopen_round(self) -> None:
        self.live.reopen_round()

    def reveal(self) -> OptionTally:
        return self.live.reveal()

    def agree(self, value: str, score: float, rationale: str) -> None:
        """The group's agreed score for ``value`` of the option in hand: an edit like any other,
        on the undo stack."""
        option = self.live.current_option
        if option is None:
            raise MeetingError("No option is being scored.")
        record = AgreedScore(option, value, score, rationale.strip(), meeting=self.live.settings.meeting)
        self.editor.upsert(record, f"Agree {score:g} for {value} on “{option}”")

    def enter_scores(self, participant: str, scores: dict[str, float | None]) -> Accepted:
        """Scores a participant gave aloud, checked and saved exactly as their browser's would be."""
        body = {"option": self.live.current_option, "scores": {v: {"score": s} for v, s in scores.items()}}
        submission = self.live.check_submission(participant, body)
        result = self.live.commit([submission])[0]
        if isinstance(result, MeetingError):
            raise result
        return result

    def stop(self) -> None:
        """Stop listening (the window or the plan is closing); the meeting stays live, to resume."""
        self._bridge.stop()
        if self._server is not None:
            server, self._server = self._server, None
            server.stop()

    def end(self) -> None:
        """Stop listening and end the meeting: tokens admit nobody, open rounds close."""
        self.stop()
        self.live.end()
        self.editor.changed.emit(MEETING_TABLES)


def agreed_options(plan: PlanData, settings: MeetingSettings) -> frozenset[str]:
    """Agenda options with an agreed score from this meeting for every value scored."""
    done: dict[str, set[str]] = {}
    for score in plan.agreed_scores:
        if score.meeting == settings.meeting:
            done.setdefault(score.option, set()).add(score.value)
    wanted = set(settings.values)
    return frozenset(o for o in settings.agenda if wanted <= done.get(o, set()))
