"""Presentation mode: the join screen with a QR code and the code in big type, the round in hand
with how many have scored (never what), the spread after a reveal, and control from the keyboard
or a presenter's clicker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui import meeting_reveal
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.presentation import PresentationWindow
from placeplanner.gui.presentation_views import spaced_code
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.live import CLOSED, REVEALED, SCORING
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

FIRST, SECOND = "Frailty virtual ward", "Falls response car"


@pytest.fixture
def shown(qtbot: Any, demo_plan: Path) -> Iterator[tuple[MeetingSession, PresentationWindow]]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    page = MeetingPage(editor)
    qtbot.addWidget(page)
    page.setup.address.setCurrentText(LOOPBACK)
    page.setup.open_button.click()
    assert page.session is not None
    window = PresentationWindow(page.session)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    yield page.session, window
    window.close()
    page.stop_work()
    editor.service.close()


def press(qtbot: Any, window: PresentationWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window, key)


def score_all(session: MeetingSession, names: list[str], value: float) -> None:
    live = session.live
    for name in names:
        body = {"option": live.current_option, "scores": {v: {"score": value} for v in live.settings.values}}
        live.commit([live.check_submission(name, body)])


def test_before_scoring_it_shows_how_to_join(shown: tuple[MeetingSession, PresentationWindow]) -> None:
    session, window = shown
    assert window.stack.currentWidget() is window.join_view
    view = window.join_view
    assert view.code.text() == spaced_code(session.join_code)
    assert view.address.text() == session.url.rstrip("/")
    pixmap = view.qr.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() >= 300
    assert "this computer only" in view.note.text()
    assert view.footer.text().endswith("0 of 12 have joined")


def test_the_keyboard_and_a_clicker_drive_the_meeting(shown: tuple[MeetingSession, PresentationWindow], qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    session, window = shown
    asked: list[str] = []

    def confirm(_parent: object, caution: str) -> bool:
        asked.append(caution)
        return True

    monkeypatch.setattr(meeting_reveal, "ask_to_reveal", confirm)
    live = session.live
    press(qtbot, window, Qt.Key.Key_Right)
    assert live.current_option == FIRST
    assert window.stack.currentWidget() is window.round_view
    assert window.round_view.headline.text() == FIRST
    assert window.round_view.count.text() == "0 of 11 have scored"
    assert window._clock.isActive()
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert live.current_option == SECOND
    press(qtbot, window, Qt.Key.Key_Left)
    assert live.current_option == FIRST
    press(qtbot, window, Qt.Key.Key_PageUp)  # already first: said, not done
    assert live.current_option == FIRST
    assert window.status.text() == "This is the first option on the agenda."
    score_all(session, ["Helen Whitfield", "Rajesh Patel", "Siobhan Murphy"], 7)
    qtbot.waitUntil(lambda: window.round_view.count.text() == "3 of 11 have scored")
    press(qtbot, window, Qt.Key.Key_C)
    assert live.stage == CLOSED
    assert "scoring closed" in window.round_view.kicker.text()
    assert not window._clock.isActive()
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.join_view
    press(qtbot, window, Qt.Key.Key_B)
    assert window.stack.currentWidget() is window.round_view
    press(qtbot, window, Qt.Key.Key_R)  # three of eleven: below the quorum, so the console asks first
    assert len(asked) == 1
    assert "below the quorum of 4" in asked[0]
    assert live.stage == REVEALED
    assert window.stack.currentWidget() is window.reveal_view
    assert window.reveal_view.spread_only
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.isVisible()
    assert not window._clock.isActive()


def test_a_round_shows_how_many_have_scored_never_what(shown: tuple[MeetingSession, PresentationWindow], qtbot: Any) -> None:
    session, window = shown
    session.step(1)
    score_all(session, ["Helen Whitfield", "Rajesh Patel"], 9)
    qtbot.waitUntil(lambda: window.round_view.count.text() == "2 of 11 have scored")
    shown_text = " ".join(label.text() for label in (window.round_view.kicker, window.round_view.headline,
                                                      window.round_view.description, window.round_view.cost,
                                                      window.round_view.facts))
    cost = window.round_view.cost.text()
    assert cost == "£1.85m + 7,000 staff hours over 2027/28 to 2028/29"  # the plan's, not the room's
    assert "9" not in shown_text.replace(FIRST, "").replace(cost, "")
    assert window.round_view.dots.accessibleName() == "2 of 11 have scored"
    assert window.round_view.clock.text().startswith("0:0")


def test_the_reveal_shows_each_values_spread_and_its_warnings(shown: tuple[MeetingSession, PresentationWindow], qtbot: Any) -> None:
    session, window = shown
    session.step(1)
    score_all(session, ["Helen Whitfield"], 1)
    score_all(session, ["Rajesh Patel"], 5)
    score_all(session, ["Siobhan Murphy"], 10)
    session.reveal(confirmed=True)  # below the quorum: confirmed, and shown without the dots
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.reveal_view)
    view = window.reveal_view
    assert view.headline.text() == FIRST
    names = [row[0].text() for row in view._rows]
    assert names == list(session.live.settings.values)
    name, plot, median, flag, _ = view._rows[0]
    assert median.text() == "5"
    assert flag.text() == "Wide spread"
    assert not flag.isHidden()
    assert plot.accessibleName() == f"{name.text()}: 3 scores, median 5"
    assert "below the quorum of 4" in view.warning.text()
    assert "No score is shown on its own" in view.warning.text()
    assert not plot.dots_shown
    assert view.spread_only
    assert view.kicker.text() == "Option 1 of 37  ·  3 scored  ·  1 declared an interest and did not score"
    session.reopen_round()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.round_view)
    assert session.live.stage == SCORING


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_every_view_fits_the_projector(shown: tuple[MeetingSession, PresentationWindow], qtbot: Any,
                                       size: tuple[int, int]) -> None:
    session, window = shown
    window.resize(*size)
    session.go_to("Decommission routine outpatient follow-up for stable conditions")  # a long name
    score_all(session, ["Helen Whitfield", "Rajesh Patel", "Siobhan Murphy", "Marcus Bennett"], 6)
    session.reveal()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.reveal_view)
    assert (window.width(), window.height()) == size

    def fits(label: Any) -> bool:
        return label.isVisible() and label.fontMetrics().horizontalAdvance(label.text()) <= label.width()

    assert fits(window.reveal_view.headline)
    assert window.reveal_view.axis.geometry().bottom() < window.reveal_view.footer.geometry().top()
    press(qtbot, window, Qt.Key.Key_B)
    assert fits(window.join_view.code)
    assert fits(window.join_view.address)
    assert window.join_view.code.height() >= window.join_view.code.fontMetrics().height()
