"""A meeting the facilitator has open: the live meeting, its server, and what the facilitator does
to it. The console and the presentation window both show it and both act through it.

Every action raises MeetingError (a PlanError) with words to show when the meeting refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal

from placeplanner.errors import PlanError
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_bridge import MeetingBridge
from placeplanner.gui.meeting_room import RoomState, listen_problem, room_state
from placeplanner.gui.tasks import TaskRunner
from placeplanner.meeting.live import WEIGHTING as WEIGHTING_STAGE
from placeplanner.meeting.live import WEIGHTS_CLOSED, Accepted, LiveMeeting
from placeplanner.meeting.server import MeetingServer
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.meeting.submission import MeetingError
from placeplanner.meeting.tally import OptionTally, reveal_caution
from placeplanner.meeting.weighting import ValueWeights
from placeplanner.model import AgreedScore, PlanData, WeightSet, WeightSetKind
from placeplanner.service.room_allocation import (
    ROOM_SOLVE_LIMIT_MS,
    RoomAllocation,
    allocate_for_room,
)
from placeplanner.service.staleness import Staleness, StalenessWatch

# Tables a live meeting changes in the plan behind the editor's back.
MEETING_TABLES = frozenset({"meetings"})
RESULT_TABLES = frozenset({"results"})
DECLARATION_TABLES = frozenset({"declarations"})


WEIGHTS_STAGES = frozenset({WEIGHTING_STAGE, WEIGHTS_CLOSED})


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
        # Asks the facilitator before a reveal that could let the room recognise someone's scores
        # (the console sets it); without it such a reveal is refused.
        self.confirm_reveal: Callable[[str], bool] | None = None
        self._seen = -1
        self._opened: tuple[int, str, datetime | None] | None = None  # (version, option, opened at)
        self._bridge = MeetingBridge(self)
        self._bridge.changed.connect(self._heard, Qt.ConnectionType.QueuedConnection)
        self._bridge.listen(live)
        # What the room's state takes from the plan, kept: scores arriving write to the file, and
        # a full read for each of them would hold up the GUI thread on a large plan.
        self._agreed, self._quorum = self._read_plan_parts()
        editor.changed.connect(self._plan_changed)
        # The allocation run for the room: solved in a worker, shown on the projector until the
        # facilitator moves on.
        self.allocation: RoomAllocation | None = None
        self.allocation_shown = False
        self.allocation_progress = ""
        self.allocation_problem = ""
        self._allocating = False
        self._solver = TaskRunner(self)
        self._solver.progress.connect(self._allocation_progress)
        self._solver.finished.connect(self._allocation_done)
        self._solver.failed.connect(self._allocation_failed)
        self._solver.cancelled.connect(self._allocation_cancelled)
        # Whether the room's last run still matches the plan: every score changes the plan, so the
        # check runs in a worker of its own, never on the GUI thread, and the screens read the answer.
        self._stale_watch = StalenessWatch()
        self._stale: tuple[int, Staleness] | None = None  # (result id, its answer)
        self._checker = TaskRunner(self)
        self._checker.finished.connect(self._staleness_checked)
        self._check_again = False

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
        return room_state(self.live, self._agreed, self._quorum)

    def _read_plan_parts(self) -> tuple[frozenset[str], int]:
        plan = self.editor.service.read()
        return agreed_options(plan, self.live.settings), plan.info.quorum

    @property
    def allocation_staleness(self) -> Staleness | None:
        """Whether the run shown still matches the plan, once its check has answered."""
        result = self.allocation
        if self._allocating or result is None or self._stale is None or self._stale[0] != result.result_id:
            return None
        return self._stale[1]

    def check_staleness(self) -> None:
        """Ask again whether the run shown still matches the plan: at once if the audit log has not
        moved since the last answer, else in the worker (one at a time; asked while one runs, it
        runs once more after)."""
        result = self.allocation
        if self._allocating or result is None or result.result_id is None:
            return
        service, result_id = self.editor.service, result.result_id
        try:
            known = self._stale_watch.known(service, result_id)
        except PlanError:
            return
        if known is not None:
            self._stale = (result_id, known)
            return
        if self._checker.running:
            self._check_again = True
            return
        watch = self._stale_watch
        self._checker.wait(1_000)  # the last check's thread, if it is still winding down
        self._checker.start(lambda _state: (result_id, watch.check(service, result_id)))

    def _staleness_checked(self, answer: object) -> None:
        if isinstance(answer, tuple):
            self._stale = answer
            self.changed.emit()
        if self._check_again:
            self._check_again = False
            self.check_staleness()

    def _plan_changed(self, tables: frozenset[str]) -> None:
        if tables & {"declarations", "participants", "partners", "options"}:
            # A declaration recorded on the Participants screen mid-meeting recuses at once (a
            # participant's own, already held, changes nothing and is not announced again).
            self.live.use_declarations(self.editor.service.read())
        self.check_staleness()
        if tables & {"agreed_scores", "info", "options", "values", "meetings"}:
            self._agreed, self._quorum = self._read_plan_parts()
            self.changed.emit()

    def round_seconds(self, option: str) -> float | None:
        """How long this option's round has been open, from when it opened as stored (so the
        timer carries on after a resume); None while it is not open."""
        if self.live.round_status(option) != "open":
            return None
        version = self.live.version
        if self._opened is None or self._opened[:2] != (version, option):
            self._opened = (version, option, self.live.round_opened_at(option))
        opened = self._opened[2]
        if opened is None:
            return None
        now = datetime.now(opened.tzinfo) if opened.tzinfo is not None else datetime.now()
        return max(0.0, (now - opened).total_seconds())

    @property
    def weighting_wanted(self) -> bool:
        """Whether the values' weights are set in this meeting (or weighting is under way)."""
        return self.live.settings.weighting or self.live.stage in WEIGHTS_STAGES

    def weights_given(self) -> tuple[int, int]:
        """(how many have given weights, how many are at the meeting)."""
        return len(self.live.weighted()), len(self.live.settings.attendees)

    def group_weights(self) -> list[ValueWeights]:
        return self.live.group_weights() if self.live.weighted() else []

    def _heard(self, event: str) -> None:
        if event == "declared":
            self.editor.changed.emit(DECLARATION_TABLES)
        if self.live.version != self._seen:  # several events in a burst refresh once
            self._seen = self.live.version
            self.check_staleness()
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

    def reveal_caution(self) -> str:
        """Why revealing the option in hand could let the room recognise someone's scores (below
        the quorum, or fewer than three scores); empty when a reveal is safe."""
        option = self.live.current_option
        return reveal_caution(self.live.tally(option)) if option is not None else ""

    def reveal(self, *, confirmed: bool = False) -> OptionTally:
        """Show the room's scores; one that ``reveal_caution`` warns about needs ``confirmed``."""
        caution = self.reveal_caution()
        if caution and not confirmed:
            raise MeetingError(f"{caution} Reveal it from the console, which asks you first.")
        return self.live.reveal()

    def request_reveal(self) -> OptionTally | None:
        """Reveal, from the console or the projector's R: the facilitator is asked first
        (``confirm_reveal``) when individual scores could be recognised; None if they say no."""
        caution = self.reveal_caution()
        if not caution:
            return self.reveal()
        if self.confirm_reveal is None:
            return self.reveal()  # refused, with the reason
        return self.reveal(confirmed=True) if self.confirm_reveal(caution) else None

    def agree(self, value: str, score: float, rationale: str) -> None:
        """The group's agreed score for ``value`` of the option in hand: an edit like any other,
        on the undo stack."""
        option = self.live.current_option
        if option is None:
            raise MeetingError("No option is being scored.")
        record = AgreedScore(option, value, score, rationale.strip(), meeting=self.live.settings.meeting)
        self.editor.upsert(record, f"Agree {score:g} for {value} on “{option}”")

    def end_place(self, participant: str) -> None:
        """End the participant's place (the undo of a move to another device they did not make):
        the page holding it goes back to the join screen, and they join again with the code."""
        self.live.end_place(participant)

    def open_weighting(self) -> None:
        self.live.open_weighting()

    def close_weighting(self) -> None:
        self.live.close_weighting()

    def agree_weights(self) -> int:
        """Record the group's weights as the plan's: a group weight set named for the meeting
        and each value's weight, as one edit (one undo step). Returns how many records changed."""
        group = self.group_weights()
        if not group:
            raise MeetingError("Nobody has given weights yet.")
        weights = {w.value: w.group for w in group}
        meeting = self.live.settings.meeting
        records: list[object] = [WeightSet(f"{meeting}: agreed", WeightSetKind.GROUP,
                                           tuple((w.value, w.group) for w in group))]
        plan = self.editor.service.read()
        records += [replace(v, weight=weights[v.name]) for v in plan.values if v.name in weights]
        return self.editor.upsert_many(records, f"Agree the weights from “{meeting}”")

    def enter_scores(self, participant: str, scores: dict[str, float | None]) -> Accepted:
        """Scores a participant gave aloud, checked and saved exactly as their browser's would be."""
        body = {"option": self.live.current_option, "scores": {v: {"score": s} for v, s in scores.items()}}
        submission = self.live.check_submission(participant, body, entered_by=self.editor.service.actor)
        result = self.live.commit([submission])[0]
        if isinstance(result, MeetingError):
            raise result
        return result

    # -- the allocation, for the room ----------------------------------------------------------------

    @property
    def allocating(self) -> bool:
        """From the start until its news arrives (the thread itself ends a moment after)."""
        return self._allocating

    def run_allocation(self) -> None:
        """Solve on the scores so far, in a worker; the projector shows it when it is done."""
        if self._allocating:
            raise MeetingError("The allocation is already running.")
        self._solver.wait(5_000)  # the last run's thread, if it is still winding down
        service, meeting = self.editor.service, self.live.settings.meeting
        self.allocation_progress, self.allocation_problem = "Reading the plan", ""
        self.allocation_shown = self._allocating = True
        policy = self.live.settings.policy
        self._solver.start(lambda state: allocate_for_room(service, meeting, state, policy=policy))
        self.changed.emit()

    def wait_for_allocation(self, milliseconds: int) -> bool:
        """Block until the worker is done (for scripted screenshots); its news still arrives queued."""
        return self._solver.wait(milliseconds)

    def cancel_allocation(self) -> None:
        self._solver.cancel()

    def show_allocation(self) -> None:
        if self.allocation is not None and not self.allocation_shown:
            self.allocation_shown = True
            self.changed.emit()

    def hide_allocation(self) -> None:
        if self.allocation_shown:
            self.allocation_shown = False
            self.changed.emit()

    def _allocation_progress(self, done: int, total: int, message: str) -> None:
        self.allocation_progress = f"{message}: {done} of {total}" if total > 1 else message
        self.changed.emit()

    def _allocation_done(self, result: object) -> None:
        self._allocating = False
        if isinstance(result, RoomAllocation):
            self.allocation = result
            self.check_staleness()
        self.editor.changed.emit(RESULT_TABLES)
        self.changed.emit()

    def _allocation_failed(self, message: str) -> None:
        self._allocating = False
        self.allocation_problem = f"The allocation could not be run: {message}"
        self.allocation_shown = False
        self.changed.emit()

    def _allocation_cancelled(self) -> None:
        self._allocating = False
        self.allocation_shown = False
        self.changed.emit()

    def stop(self) -> None:
        """Stop listening (the window or the plan is closing); the meeting stays live, to resume."""
        if self._solver.running:
            self._solver.cancel()  # takes effect between solves; a solve in hand runs to its limit
            self._solver.wait(ROOM_SOLVE_LIMIT_MS)
        self._checker.wait(30_000)  # a staleness check reads the plan; it ends by itself
        self._bridge.stop()
        if self._server is not None:
            server, self._server = self._server, None
            self.editor.changed.disconnect(self._plan_changed)
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
