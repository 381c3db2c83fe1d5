"""The console's Devices tab over the demo plan and a real meeting server: who is in the
meeting and since when, a name taken over from a second device shown as it happens, and the
facilitator ending that new place so the person joins again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.service import PlanService
from tests.meeting.client import call, join

pytestmark = pytest.mark.gui

HELEN = "Helen Whitfield"


@pytest.fixture
def page(qtbot: Any, demo_plan: Path) -> Iterator[MeetingPage]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = MeetingPage(editor)
    editor.changed.connect(shown.refresh)
    qtbot.addWidget(shown)
    shown.resize(1440, 900)
    shown.show()
    yield shown
    shown.stop_work()
    editor.service.close()


def rows(page: MeetingPage) -> list[str]:
    places = page.console.places.list
    return [places.item(i).text() for i in range(places.count())]


def test_the_console_lists_who_is_connected_shows_a_move_as_it_happens_and_can_end_the_new_place(
        page: MeetingPage, qtbot: Any) -> None:
    page.setup.address.setCurrentText(LOOPBACK)
    page.setup.open_button.click()
    session = page.session
    assert session is not None, page.setup.problem.text()
    console = page.console
    tab = console.side_tabs.indexOf(console.places)
    assert rows(page) == ["Nobody has joined yet"]
    assert not console.places.end_button.isEnabled()
    first = join(session.url, session.join_code, HELEN)
    join(session.url, session.join_code, "Rajesh Patel")
    qtbot.waitUntil(lambda: len(rows(page)) == 2)
    since = session.live.places()[0].since
    assert rows(page)[0] == f"{HELEN}, since {since:%H:%M}"
    assert console.side_tabs.tabText(tab) == "Devices"
    assert not console.places.moves.isVisible()

    # A second device chooses the same name: asked, then confirmed.
    assert call(session.url, "/api/join", {"code": session.join_code, "name": HELEN})[0] == 409
    second = join(session.url, session.join_code, HELEN, take_over=True)
    (move,) = session.live.moves()
    words = f"{HELEN} moved to another device, {move.at:%H:%M}"
    qtbot.waitUntil(lambda: console.places.moves.text() == words)
    assert console.message.isVisible()
    assert console.message.text().startswith(words)
    assert rows(page)[0] == f"{HELEN}, on a new device since {move.at:%H:%M}"  # moved first, in red
    assert console.side_tabs.tabText(tab) == "Devices ⚠"
    assert call(session.url, "/api/state", token=first)[0] == 401

    # The facilitator ends the new place; the person whose name it is joins again, unasked.
    console.side_tabs.setCurrentIndex(tab)
    assert console.places.selected() == HELEN  # the new place is selected, to end in one click
    assert console.places.end_button.isEnabled()
    console.places.end_button.click()
    qtbot.waitUntil(lambda: len(rows(page)) == 1)
    assert console.message.text() == f"{HELEN}'s place has ended; they can join again with the code."
    assert console.places.moves.text().endswith(f"you ended that place at {session.live.moves()[0].ended_at:%H:%M}")
    assert call(session.url, "/api/state", token=second)[0] == 401
    join(session.url, session.join_code, HELEN)
    qtbot.waitUntil(lambda: len(rows(page)) == 2)
    assert console.places.list.item(0).data(Qt.ItemDataRole.UserRole) in (HELEN, "Rajesh Patel")
    actions = [(e.actor, e.action) for e in page._editor.service.audit_log() if e.entity == "meeting_tokens"]
    assert actions == [(HELEN, "move device"), (page._editor.service.actor, "end place")]
