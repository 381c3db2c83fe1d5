"""The Meeting screen over the demo plan and a real meeting server: set up and open a meeting,
participants join and score over HTTP while the console follows, close and reveal, agree a score
(and undo it), enter scores given aloud, resume after the window closed, and end the meeting with
no server thread left behind."""

from __future__ import annotations

import socket
import threading
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from placeplanner.gui import meeting_reveal
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_offline import DONT_KNOW, OfflineScoresDialog
from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.live import CLOSED, REVEALED, SCORING
from placeplanner.model import Declaration, DeclarationAction
from placeplanner.service import PlanService
from tests.meeting.client import call, join, score

pytestmark = pytest.mark.gui

FRAILTY_WARD = "Frailty virtual ward"  # Joanne Kowalski declared an interest: 11 of 12 score it
JOANNE = "Joanne Kowalski"
HEALTH = "Improves population health"


@pytest.fixture
def page(qtbot: Any, demo_plan: Path) -> Iterator[MeetingPage]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = MeetingPage(editor)
    editor.changed.connect(shown.refresh)  # as the main window does
    qtbot.addWidget(shown)
    shown.resize(1440, 900)
    shown.show()
    yield shown
    shown.stop_work()
    editor.service.close()
    assert not meeting_threads()


def meeting_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("meeting-") and t.is_alive()]


def open_meeting(page: MeetingPage, **choices: Any) -> MeetingSession:
    page.setup.address.setCurrentText(LOOPBACK)
    if "port" in choices:
        page.setup.port.setValue(choices["port"])
    page.setup.open_button.click()
    assert page.session is not None, page.setup.problem.text()
    return page.session


def first_option(page: MeetingPage, qtbot: Any) -> MeetingSession:
    session = open_meeting(page)
    assert page.console.act("next")
    qtbot.waitUntil(lambda: page.console.option_title.text() == FRAILTY_WARD)
    return session


def scores(value: float) -> dict[str, float | None]:
    values = (HEALTH, "Reduces inequalities", "Quality and safety", "Deliverability", "Fit with system strategy",
              "Value for money")
    return dict.fromkeys(values, value)


def test_setup_starts_with_everyone_and_the_plans_policy(page: MeetingPage) -> None:
    setup = page.setup
    plan = page._editor.service.read()
    assert setup.present.chosen() == tuple(p.name for p in plan.participants)
    assert setup.agenda.chosen() == tuple(o.name for o in plan.options)
    assert setup.values.chosen() == tuple(v.name for v in plan.values)
    assert setup.present_count.text() == "12 of 12 present"
    assert setup.policy.currentData() == plan.info.conflict_policy
    assert setup.address.itemText(setup.address.count() - 1) == LOOPBACK
    setup.address.setCurrentText(LOOPBACK)
    assert "this computer only" in setup.network_note.text()
    setup.agenda.tick_all(False)
    setup.agenda.item(3).setCheckState(Qt.CheckState.Checked)
    setup.agenda.item(1).setCheckState(Qt.CheckState.Checked)
    setup.agenda.setCurrentRow(3)
    setup.agenda.move_current(-3)
    assert setup.settings().agenda == (plan.options[3].name, plan.options[1].name)


def test_a_refused_setup_says_why_and_opens_nothing(page: MeetingPage) -> None:
    page.setup.present.tick_all(False)
    page.setup.name.setText("  ")
    page.setup.address.setCurrentText(LOOPBACK)
    page.setup.open_button.click()
    assert page.session is None
    assert "The meeting needs a name." in page.setup.problem.text()
    assert "Choose at least one participant." in page.setup.problem.text()


def test_a_port_in_use_is_said_in_words(page: MeetingPage) -> None:
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        page.setup.address.setCurrentText(LOOPBACK)
        page.setup.port.setValue(port)
        page.setup.open_button.click()
    assert page.session is None
    assert f"Port {port} is in use by another program" in page.setup.problem.text()
    assert not meeting_threads()
    # Not left live: opening again starts afresh rather than "resuming".
    page.setup.port.setValue(0)
    session = open_meeting(page)
    assert not session.live.resumed


def test_participants_join_and_score_over_http_and_the_console_follows(page: MeetingPage, qtbot: Any) -> None:
    session = open_meeting(page)
    console = page.console
    assert console.address.text() == session.url
    assert console.code.text() == session.join_code
    assert console.joined.text() == "0 of 12"
    token = join(session.url, session.join_code, "Helen Whitfield")
    qtbot.waitUntil(lambda: console.joined.text() == "1 of 12")
    assert console.act("next")
    qtbot.waitUntil(lambda: console.count.text() == "0 of 11 have scored")
    assert console.stage.text() == "Scoring open"
    status, answer = score(session.url, token, FRAILTY_WARD, scores(7))
    assert status == 200, answer
    qtbot.waitUntil(lambda: console.count.text() == "1 of 11 has scored")
    assert "Helen Whitfield" not in console.waiting.text()
    assert "Rajesh Patel" in console.waiting.text()
    assert console.room.item(0).text() == "✓  Helen Whitfield"
    joanne = [console.room.item(i).text() for i in range(console.room.count())].index(f"⊘  {JOANNE}")
    assert joanne >= 0
    refused, why = score(session.url, join(session.url, session.join_code, JOANNE), FRAILTY_WARD, scores(9))
    assert refused == 422
    assert "declared an interest" in why["error"]


def test_close_then_reveal_shows_the_tally_and_the_queue(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    for name, value in (("Helen Whitfield", 2), ("Rajesh Patel", 5), ("Siobhan Murphy", 9), ("Marcus Bennett", 8)):
        assert score(session.url, join(session.url, session.join_code, name), FRAILTY_WARD, scores(value))[0] == 200
    qtbot.waitUntil(lambda: page.console.count.text() == "4 of 11 have scored")
    assert not page.console.agree.isVisible()
    assert page.console.act("close")
    qtbot.waitUntil(lambda: session.live.stage == CLOSED and page.console.stage.text().startswith("Round closed"))
    late = call(session.url, "/api/scores", {"option": FRAILTY_WARD, "scores": {HEALTH: {"score": 5}}},
                token=join(session.url, session.join_code, "David Chen"))
    assert late[0] == 422
    assert page.console.queue.item(0).data(Qt.ItemDataRole.UserRole) == FRAILTY_WARD
    assert page.console.act("reveal")
    qtbot.waitUntil(page.console.agree.isVisible)
    assert session.live.stage == REVEALED
    row = page.console.agree.row(HEALTH)
    assert row.median.text() == "6.5"
    assert row.chosen is None  # the agreed score starts empty: the median is offered, not decided
    assert row.suggestion.text() == "Room's median: 6.5"
    assert page.console.agenda.item(0, 1).text() == "Revealed"
    assert not page.console.reveal_button.isEnabled()
    assert page.console.reopen_button.isEnabled()
    assert page.console.act("reopen")
    qtbot.waitUntil(lambda: not page.console.agree.isVisible())
    assert session.live.stage == SCORING
    assert page.console.stage.text() == "Scoring open"


def test_an_agreed_score_is_an_edit_that_undo_takes_back(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    for name in ("Helen Whitfield", "Rajesh Patel", "Siobhan Murphy"):
        score(session.url, join(session.url, session.join_code, name), FRAILTY_WARD, scores(6))
    session.reveal(confirmed=True)  # three of eleven: below the quorum, confirmed
    qtbot.waitUntil(page.console.agree.isVisible)
    editor = page._editor

    def agreed() -> Any:
        return next(a for a in editor.service.read().agreed_scores if (a.option, a.value) == (FRAILTY_WARD, HEALTH))

    before = agreed()
    row = page.console.agree.row(HEALTH)
    row.score.setValue(7)
    row.rationale.setText("Strong evidence from the pilot")
    row.agree.click()
    after = agreed()
    assert (after.score, after.rationale, after.meeting) == (7.0, "Strong evidence from the pilot", session.live.settings.meeting)
    assert row.status.text() == "agreed 7 ✓"
    assert editor.stack.undoText().startswith("Agree 7 for Improves population health")
    editor.stack.undo()
    assert agreed() == before
    assert row.status.text() == "3 scores"
    row.score.setValue(99)
    assert row.score.value() == 10  # the box keeps to the scale


def test_scores_given_aloud_are_checked_and_saved_like_a_browsers(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    dialog = page.enter_scores()
    assert isinstance(dialog, OfflineScoresDialog)
    offered = [dialog.participant.itemData(i) for i in range(dialog.participant.count())]
    assert JOANNE not in offered  # recused from this option
    assert len(offered) == 11
    dialog.participant.setCurrentIndex(offered.index("Tunde Bakare"))
    combo = dialog.scores[HEALTH]
    combo.setCurrentIndex(combo.findData(8.0))
    dont_know = dialog.scores["Reduces inequalities"]
    dont_know.setCurrentIndex(dont_know.findData(DONT_KNOW))
    assert dialog.chosen_scores() == {HEALTH: 8.0, "Reduces inequalities": None}
    assert dialog.save()
    assert "Saved Tunde Bakare's scores on 2 values." in dialog.message.text()
    assert dialog.participant.currentData() != "Tunde Bakare"  # on to the next still to score
    assert "Tunde Bakare" in session.live.scored(FRAILTY_WARD)
    qtbot.waitUntil(lambda: page.console.count.text() == "1 of 11 has scored")
    assert not dialog.save()  # nothing chosen for the next person
    assert "Not saved: no scores were sent" in dialog.message.text()
    session.close_round()
    dialog.scores[HEALTH].setCurrentIndex(2)
    assert not dialog.save()
    assert "Scoring is closed" in dialog.message.text()
    tally = session.live.tally(FRAILTY_WARD)
    assert next(v for v in tally.values if v.value == "Reduces inequalities").dont_know == 1
    dialog.close()


def test_closing_leaves_the_meeting_live_to_resume_with_the_same_code(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    code, name = session.join_code, session.live.settings.meeting
    token = join(session.url, code, "Helen Whitfield")
    page.stop_work()  # the window or the plan closed
    assert not meeting_threads()
    with pytest.raises(urllib.error.URLError):
        call(session.url, "/api/state", token=token)
    again = MeetingPage(page._editor)
    qtbot.addWidget(again)
    try:
        assert again.setup.name.text() == name
        assert "resumes it where it was" in again.setup.resume_note.text()
        resumed = open_meeting(again)
        assert resumed.live.resumed
        assert resumed.join_code == code
        assert resumed.live.current_option == FRAILTY_WARD
        assert "Resumed where it was left" in again.console.message.text()
        assert call(resumed.url, "/api/state", token=token)[0] == 200  # their token still admits them
    finally:
        again.stop_work()


def test_ending_the_meeting_stops_the_server(page: MeetingPage, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    session = open_meeting(page)
    url = session.url
    assert meeting_threads()
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    page.console.end_button.click()
    assert page.session is None
    assert not meeting_threads()
    assert page.stack.currentWidget() is page.setup
    with pytest.raises(urllib.error.URLError):
        call(url, "/api/names", {"code": session.join_code})
    meeting = next(m for m in page._editor.service.read().meetings if m.name == session.live.settings.meeting)
    assert meeting.status == "closed"
    assert page.setup.resume_note.isHidden() is False  # the name is now a past meeting's


def test_closing_the_main_window_stops_the_server(qtbot: Any, demo_plan: Path) -> None:
    from placeplanner.gui.main_window import MainWindow, select

    window = MainWindow(PlanService.open(demo_plan, auto_backup=False))
    qtbot.addWidget(window)
    window.show()
    select(window, "Meeting")
    page = window.page("Meeting")
    assert isinstance(page, MeetingPage)
    open_meeting(page)
    presentation = page.present()
    assert presentation is not None
    assert presentation.isVisible()
    assert meeting_threads()
    window.close()
    assert not meeting_threads()
    assert not presentation.isVisible()


def test_the_console_answers_its_keys(page: MeetingPage, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meeting_reveal, "ask_to_reveal", lambda *_args: True)  # nobody has scored: confirmed
    session = open_meeting(page)
    page.activateWindow()
    qtbot.keyClick(page.console, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.live.current_option == FRAILTY_WARD)
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for key, stage in ((Qt.Key.Key_C, CLOSED), (Qt.Key.Key_R, REVEALED), (Qt.Key.Key_O, SCORING)):
        qtbot.keyClick(page.console, key, both)
        assert session.live.stage == stage
    qtbot.keyClick(page.console, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert session.live.current_option == "Falls response car"
    qtbot.keyClick(page.console, Qt.Key.Key_F5)
    assert page.presentation is not None
    assert page.presentation.isVisible()


def test_weights_set_in_the_room_are_agreed_and_undone(page: MeetingPage, qtbot: Any) -> None:
    page.setup.weighting.setChecked(True)
    session = open_meeting(page)
    panel = page.console.weights
    assert panel.isVisible()
    assert not panel.agree_button.isEnabled()
    panel.toggle_button.click()
    assert session.live.stage == "weighting"
    qtbot.waitUntil(lambda: panel.toggle_button.text() == "Close weighting")
    values = session.live.settings.values
    before = {v.name: v.weight for v in page._editor.service.read().values}
    given = ({v: 50 if i == 0 else (10 if i < 6 else 0) for i, v in enumerate(values)},
             {v: 30 if i == 0 else (14 if i < 6 else 0) for i, v in enumerate(values)})
    for name, points in zip(session.live.settings.attendees[:2], given, strict=True):
        assert sum(points.values()) == 100
        token = join(session.url, session.join_code, name)
        status, answer = call(session.url, "/api/weights", {"method": "points", "points": points}, token=token)
        assert status == 200, answer
    total = len(session.live.settings.attendees)
    qtbot.waitUntil(lambda: panel.count.text().startswith(f"2 of {total} have given weights"))
    panel.toggle_button.click()
    assert session.live.stage == "weights closed"
    qtbot.waitUntil(lambda: panel.toggle_button.text() == "Open weighting")
    assert panel.table.rowCount() == len(values)
    assert panel.agree_button.isEnabled()
    assert panel.table.item(0, 0).text() == values[0]
    assert panel.table.item(0, 1).text() == "40"
    assert panel.table.item(0, 2).text() == "30 – 50"
    panel.agree_button.click()
    plan = page._editor.service.read()
    agreed = next(w for w in plan.weight_sets if w.name == f"{session.live.settings.meeting}: agreed")
    assert dict(agreed.weights)[values[0]] == 40
    assert {v.name: v.weight for v in plan.values}[values[0]] == 40
    assert page._editor.stack.count() == 1  # one undo step for the set and the values
    page._editor.stack.undo()
    plan = page._editor.service.read()
    assert not any(w.name.endswith(": agreed") for w in plan.weight_sets)
    assert {v.name: v.weight for v in plan.values} == before


def test_scores_entered_aloud_are_audited_as_the_facilitators(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    name = session.live.eligible()[0]
    session.enter_scores(name, scores(7))
    actors = [e.actor for e in page._editor.service.audit_log()]
    assert f"{page._editor.service.actor} for {name}" in actors, actors[-3:]


def test_a_declaration_recorded_on_the_participants_screen_mid_meeting_recuses_at_once(page: MeetingPage, qtbot: Any) -> None:
    session = first_option(page, qtbot)
    token = join(session.url, session.join_code, "Helen Whitfield")
    editor = session.editor
    lead = next(o.lead_partner for o in editor.service.read().options if o.name == FRAILTY_WARD)
    editor.upsert(Declaration("Helen Whitfield", "", "Non-executive director of the trust", DeclarationAction.RECUSED,
                                   partner=lead))
    assert "Helen Whitfield" in session.live.conflicted(FRAILTY_WARD)
    refused, why = score(session.url, token, FRAILTY_WARD, scores(8))
    assert refused == 422
    assert "declared an interest" in why["error"]
    room = page.console.room
    qtbot.waitUntil(lambda: "⊘  Helen Whitfield" in [room.item(i).text() for i in range(room.count())])
