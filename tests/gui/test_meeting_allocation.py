"""Step 7 of the meeting: the facilitator runs the allocation on the scores so far, in a worker,
and the projector shows the portfolio and the frontier; an arrow key goes back to the round."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.presentation import PresentationWindow
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def room(qtbot: Any, demo_plan: Path) -> Iterator[tuple[MeetingPage, MeetingSession, PresentationWindow]]:
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
    yield page, page.session, window
    window.close()
    page.stop_work()
    editor.service.close()


def finish(qtbot: Any, session: MeetingSession) -> None:
    qtbot.waitUntil(lambda: not session.allocating and session.allocation is not None, timeout=60_000)


def test_a_on_the_projector_solves_in_a_worker_and_shows_the_portfolio_and_frontier(
    room: tuple[MeetingPage, MeetingSession, PresentationWindow], qtbot: Any,
) -> None:
    page, session, window = room
    qtbot.keyClick(window, Qt.Key.Key_Right)
    option = session.live.current_option
    qtbot.keyClick(window, Qt.Key.Key_A)
    assert session.allocating  # the GUI thread went straight back to the room
    assert window.stack.currentWidget() is window.allocation_view
    assert window.allocation_view.headline.text() == "Finding the best portfolio…"
    finish(qtbot, session)
    result = session.allocation
    assert result is not None
    assert result.has_portfolio
    view = window.allocation_view
    assert view.headline.text() == f"{len(result.funded)} options funded within the £15.91m available"
    assert view.money.text() == "£13.85m budget + £2.06m released = £15.91m available · £14.87m spent · £1.04m left"
    assert "more than funding in order of value per pound" in view.subline.text()
    assert "37 options on agreed scores" in view.footer.text()
    assert view.funded.lines[0].name == max(result.funded, key=lambda f: f.value).name
    assert len(view.frontier.points) == 11
    assert view.frontier.value == result.value
    # The run is on the record, under the meeting's name.
    _, stored, _ = session.editor.service.stored_result(result.result_id or 0)
    assert stored["meeting"] == session.live.settings.meeting
    assert sorted(s["name"] for s in stored["selected"]) == sorted(f.name for f in result.funded)
    # The console says what ran; an arrow key goes back to the round without moving on.
    assert page.console.allocation_note.text().startswith(f"At {result.ran_at:%H:%M}: {len(result.funded)} options funded")
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert not session.allocation_shown
    assert session.live.current_option == option
    assert window.stack.currentWidget() is window.round_view
    page.console.screen_button.click()
    assert window.stack.currentWidget() is window.allocation_view


def test_the_console_cancels_a_running_allocation(
    room: tuple[MeetingPage, MeetingSession, PresentationWindow], qtbot: Any,
) -> None:
    page, session, window = room
    page.console.allocate_button.click()
    assert session.allocating
    assert page.console.allocate_button.text() == "Cancel the allocation"
    page.console.allocate_button.click()
    qtbot.waitUntil(lambda: not session.allocating, timeout=60_000)
    qtbot.wait(50)
    # Cancelled before it finished: nothing is shown; or it won the race: the result is shown.
    assert window.stack.currentWidget() is (window.allocation_view if session.allocation else window.join_view)
    assert page.console.allocate_button.text() == "Run the allocation"


def test_a_plan_with_no_portfolio_says_so(
    room: tuple[MeetingPage, MeetingSession, PresentationWindow], qtbot: Any,
) -> None:
    _, session, window = room
    editor = session.editor
    plan = editor.service.read()
    from dataclasses import replace

    streams = [replace(s, amounts=tuple((y, 0.0) for y, _ in s.amounts)) for s in plan.funding_streams]
    mandatory = [replace(o, mandatory=True) for o in plan.options[:3]]
    editor.upsert_many([*streams, *mandatory], "No money at all")
    qtbot.keyClick(window, Qt.Key.Key_A)
    finish(qtbot, session)
    assert session.allocation is not None
    assert not session.allocation.has_portfolio
    assert window.allocation_view.headline.text() == "No portfolio fits"
    assert "rules conflict" in window.allocation_view.subline.text()
    assert not window.allocation_view.frontier.isVisible()
