"""Presentation mode: a full-screen window for the projector, driven from the keyboard or a
presenter's clicker.

Right or Page Down: next option · Left or Page Up: previous · R: reveal (asked on the console
first when so few have scored that a score could be recognised) · C: close the round ·
A: run the allocation on the scores so far · Space or B: show or hide how to join · Esc: leave
presentation mode. It shows how to join before scoring starts, the option and how many have scored
while a round is open (never what anyone scored), after a reveal the spread for each value, and
after A the portfolio and the frontier (any arrow key goes back to the round).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.meeting_session import WEIGHTS_STAGES, MeetingSession
from placeplanner.gui.presentation_allocation import AllocationView
from placeplanner.gui.presentation_views import JoinView, RevealView, RoundView, set_px, text_label
from placeplanner.gui.presentation_weights import WeightsView
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.live import REVEALED, SCORING, WEIGHTS_CLOSED

BASE_HEIGHT = 720  # the height the views are designed at; larger screens scale up

Action = Callable[[MeetingSession], object]
KEYS: dict[Qt.Key, Action] = {
    Qt.Key.Key_Right: lambda s: s.step(1),
    Qt.Key.Key_PageDown: lambda s: s.step(1),
    Qt.Key.Key_Left: lambda s: s.step(-1),
    Qt.Key.Key_PageUp: lambda s: s.step(-1),
    Qt.Key.Key_R: lambda s: s.request_reveal(),  # the console asks first when few have scored
    Qt.Key.Key_C: lambda s: s.close_round(),
}
JOIN_KEYS = frozenset({Qt.Key.Key_Space, Qt.Key.Key_B})
STEP_KEYS = frozenset({Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Left, Qt.Key.Key_PageUp})


class PresentationWindow(QWidget):
    """``closed`` when the facilitator leaves presentation mode."""

    closed = Signal()

    def __init__(self, session: MeetingSession) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.session = session
        self.setObjectName("presentation")
        self.setWindowTitle(f"{session.live.settings.meeting} — PlacePlanner presentation")
        self.setStyleSheet("QWidget#presentation, QWidget#presentation QWidget { background: #ffffff; color: #000000; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.join_view = JoinView()
        self.round_view = RoundView()
        self.reveal_view = RevealView()
        self.weights_view = WeightsView()
        self.allocation_view = AllocationView()
        self.stack = QStackedWidget()
        for view in self._views():
            self.stack.addWidget(view)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status = text_label("status", colour=theme.PROBLEM)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setVisible(False)
        layout = QVBoxLayout(self)
        # The window is the screen's size: the views fit their words to it, and wrapped text must
        # not make Qt grow the window to what it would need at some narrow width.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        self.joining = False  # the join screen shown over a round (Space or B)
        self._clock = QTimer(self)
        self._clock.setObjectName("presentation clock")
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        session.changed.connect(self.refresh)

    # -- showing ---------------------------------------------------------------------------------

    def present(self, beside: QWidget | None = None) -> None:
        """Full screen on the projector: a screen other than the one ``beside`` is on, if any."""
        screens = QGuiApplication.screens()
        here = beside.screen() if beside is not None else None
        target = next((s for s in screens if s is not here), here) if len(screens) > 1 else None
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        state = self.session.state()
        self.status.setVisible(False)
        self.join_view.show_room(state, self.session.url, self.session.join_code, self.session.host == LOOPBACK)
        if not self.joining and self.session.allocation_shown:
            if self.session.allocating or self.session.allocation is None:
                self.allocation_view.show_running(state.meeting, self.session.allocation_progress)
            else:
                self.allocation_view.show_result(self.session.allocation)
            self.allocation_view.show_staleness(self.session.allocation_staleness)
            self.stack.setCurrentWidget(self.allocation_view)
        elif not self.joining and state.stage in WEIGHTS_STAGES:
            given, total = self.session.weights_given()
            closed = state.stage == WEIGHTS_CLOSED
            self.weights_view.show_weights(state.meeting, given, total, self.session.group_weights() if closed else [],
                                           closed=closed)
            self.stack.setCurrentWidget(self.weights_view)
        elif self.joining or state.question is None:
            self.stack.setCurrentWidget(self.join_view)
        elif state.stage == REVEALED and state.tally is not None:
            self.reveal_view.show_room(state)
            self.stack.setCurrentWidget(self.reveal_view)
        else:
            self.round_view.show_room(state)
            self.stack.setCurrentWidget(self.round_view)
        self._sync_clock(state.stage, state.option)

    def _views(self) -> tuple[JoinView, RoundView, RevealView, WeightsView, AllocationView]:
        return self.join_view, self.round_view, self.reveal_view, self.weights_view, self.allocation_view

    def _sync_clock(self, stage: str, option: str | None) -> None:
        counting = (self.isVisible() and self.stack.currentWidget() is self.round_view
                    and stage == SCORING and option is not None)
        if counting and not self._clock.isActive():
            self._clock.start()
        elif not counting:
            self._clock.stop()
        self._tick()

    def _tick(self) -> None:
        option = self.session.live.current_option
        self.round_view.show_clock(self.session.round_seconds(option) if option is not None else None)

    def rescale(self) -> None:
        size = self.size()
        unit = max(0.5, min(size.height() / BASE_HEIGHT, size.width() / 1280))
        for view in self._views():
            view.rescale(unit, QSize(size.width(), size.height()))
        set_px(self.status, 24 * unit)

    # -- keys --------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in JOIN_KEYS:
            self.joining = not self.joining
            self.refresh()
        elif key == Qt.Key.Key_A:
            self.joining = False
            self.act(lambda s: s.run_allocation())
        elif key in STEP_KEYS and self.session.allocation_shown:
            self.session.hide_allocation()  # back to the round first: a clicker's "next" never skips one
        elif key in KEYS:
            self.joining = False
            self.session.hide_allocation()
            if key == Qt.Key.Key_R and self.session.reveal_caution():
                self.status.setText("The facilitator is asked to confirm the reveal: few have scored")
                self.status.setVisible(True)
            self.act(KEYS[key])
        elif key == Qt.Key.Key_F5:
            pass  # clickers send F5 to "start the show": it is already showing
        else:
            super().keyPressEvent(event)

    def act(self, action: Action) -> None:
        try:
            action(self.session)
        except PlanError as exc:
            self.status.setText(str(exc))
            self.status.setVisible(True)
            return
        self.refresh()

    # -- life --------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.rescale()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()
        self.rescale()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self._clock.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._clock.stop()
        super().closeEvent(event)
        self.closed.emit()
