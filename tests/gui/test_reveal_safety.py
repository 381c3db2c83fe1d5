"""Reveal and agree, safely: a reveal that could let the room recognise someone's scores (below
the quorum, or fewer than three) is asked on the console, from the console and from the
projector's R alike, and the projector then shows the spread without dots; a normal reveal is as
before, with the wide-spread rule on its legend; an agreed score starts empty and needs a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from placeplanner.gui import meeting_reveal
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_agree import rationale_problem
from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.presentation import PresentationWindow
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.live import CLOSED, REVEALED
from placeplanner.meeting.submission import MeetingError
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

FIRST = "Frailty virtual ward"
HEALTH = "Improves population health"
PEOPLE = ("Helen Whitfield", "Rajesh Patel", "Siobhan Murphy", "Marcus Bennett", "David Chen")


class Asked:
    """Stands in for the console's question: records who asked and what, and answers."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.calls: list[tuple[object, str]] = []

    def __call__(self, parent: object, caution: str) -> bool:
        self.calls.append((parent, caution))
        return self.answer


@pytest.fixture
def page(qtbot: Any, demo_plan: Path) -> Iterator[MeetingPage]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    meeting = MeetingPage(editor)
    qtbot.addWidget(meeting)
    meeting.setup.address.setCurrentText(LOOPBACK)
    meeting.setup.open_button.click()
    assert meeting.session is not None
    yield meeting
    meeting.stop_work()
    editor.service.close()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    answer = Asked(answer=False)
    monkeypatch.setattr(meeting_reveal, "ask_to_reveal", answer)
    return answer


def scored(page: MeetingPage, scores: dict[str, float]) -> MeetingSession:
    """The first option, scored by each person in ``scores`` on every value, and closed."""
    session = page.session
    assert session is not None
    if session.live.current_option != FIRST:
        session.go_to(FIRST)
    live = session.live
    for name, value in scores.items():
        body = {"option": live.current_option, "scores": {v: {"score": value} for v in live.settings.values}}
        live.commit([live.check_submission(name, body)])
    session.close_round()
    return session


def projector(page: MeetingPage, qtbot: Any) -> PresentationWindow:
    window = page.present()
    assert window is not None
    window.resize(1280, 720)
    qtbot.waitUntil(window.isVisible)
    return window


def test_a_reveal_below_the_quorum_is_asked_on_the_console_and_shown_without_dots(page: MeetingPage, qtbot: Any,
                                                                                   asked: Asked) -> None:
    session = scored(page, {"Helen Whitfield": 8})  # one of eleven: below the quorum of four
    window = projector(page, qtbot)
    assert not page.console.act("reveal") or session.live.stage == CLOSED
    assert session.live.stage == CLOSED  # "Not yet": nothing revealed
    parent, caution = asked.calls[0]
    assert parent is page.console
    assert caution == ("Only 1 person scored Frailty virtual ward: below the quorum of 4. "
                       "Individual scores could be recognised by the room.")
    assert window.stack.currentWidget() is window.round_view
    asked.answer = True
    assert page.console.act("reveal")
    assert session.live.stage == REVEALED
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.reveal_view)
    view = window.reveal_view
    assert view.spread_only
    for _, plot, median, flag, extra in view._rows:
        assert not plot.dots_shown
        assert median.text() == "8"
        assert extra.text() == "1 score"
        assert flag.isHidden()
    assert "No score is shown on its own" in view.warning.text()
    assert view.footer.text().startswith("Too few scores to show each one  ·  the black line is the median")
    qtbot.waitUntil(lambda: page.console.agree.isVisibleTo(page))
    assert not page.console.agree.row(HEALTH).plot.dots_shown  # nor on the console, often mirrored to the room


def test_the_projectors_r_asks_the_console(page: MeetingPage, qtbot: Any, asked: Asked) -> None:
    session = scored(page, {"Helen Whitfield": 3, "Rajesh Patel": 9})
    window = projector(page, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert len(asked.calls) == 1
    assert asked.calls[0][0] is page.console
    assert "Only 2 people scored" in asked.calls[0][1]
    assert session.live.stage == CLOSED
    assert not window.status.isVisible()  # declined: the projector is back to the round, nothing said
    asked.answer = True
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert session.live.stage == REVEALED
    assert window.reveal_view.spread_only


def test_without_the_console_such_a_reveal_is_refused(page: MeetingPage, qtbot: Any) -> None:
    session = scored(page, {"Helen Whitfield": 3, "Rajesh Patel": 9})
    window = projector(page, qtbot)
    session.confirm_reveal = None
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert session.live.stage == CLOSED
    assert "could be recognised" in window.status.text()
    with pytest.raises(MeetingError, match="Reveal it from the console"):
        session.reveal()


def test_a_normal_reveal_asks_nothing_and_shows_each_score(page: MeetingPage, qtbot: Any, asked: Asked) -> None:
    session = scored(page, {"Helen Whitfield": 2, "Rajesh Patel": 2, "Siobhan Murphy": 9, "Marcus Bennett": 9,
                            "David Chen": 8})
    window = projector(page, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert asked.calls == []
    assert session.live.stage == REVEALED
    view = window.reveal_view
    assert not view.spread_only
    assert all(plot.dots_shown for _, plot, *_ in view._rows)
    qtbot.waitUntil(lambda: page.console.agree.isVisibleTo(page))
    assert page.console.agree.row(HEALTH).plot.dots_shown
    assert view.warning.isHidden()
    _, _, median, flag, _ = view._rows[0]
    assert median.text() == "8"
    assert flag.text() == "Wide spread"  # two at 2 and three at 8 or 9: a divided room
    assert view.footer.text() == (
        "Each dot is one person's score  ·  the black line is the median  ·  shaded: the middle half of the room\n"
        "Wide spread: the middle half spans 3 points or more, or a quarter scored 3 or less and a quarter 7 or more.")


def test_an_agreed_score_starts_empty_and_needs_a_reason(page: MeetingPage, qtbot: Any) -> None:
    session = scored(page, dict(zip(PEOPLE, (6, 7, 7, 8, 6), strict=True)))
    session.reveal()
    qtbot.waitUntil(lambda: page.console.agree.isVisibleTo(page))
    editor = page._editor

    def agreed() -> list[float]:
        return [a.score for a in editor.service.read().agreed_scores
                if (a.option, a.value, a.meeting) == (FIRST, HEALTH, session.live.settings.meeting)]

    panel = page.console.agree
    row = panel.row(HEALTH)
    empty = row.chosen
    assert empty is None
    assert row.score.text() == "–"
    assert row.rationale.text() == ""
    assert not panel.agree(HEALTH)
    assert panel.message.text() == (f"Not agreed: choose the agreed score for {HEALTH} (the room's median is 7) and "
                                    "say why the group settled on it, in a few words, for the record.")
    row.suggestion.click()  # "Room's median: 7"
    assert row.chosen == 7
    row.rationale.setText("agreed")
    row.agree.click()
    assert panel.message.text() == ("Not agreed: “agreed” is too short a reason for the record: say in at least 3 "
                                    "words what settled it.")
    assert agreed() == []  # nothing changed
    row.rationale.setText("The pilot's readmission data settled it")
    row.agree.click()
    assert agreed() == [7.0]
    assert panel.message.text() == f"Agreed 7 for {HEALTH}. Edit ▸ Undo takes it back."
    editor.stack.undo()
    assert agreed() == []


def test_what_a_rationale_needs() -> None:
    assert rationale_problem("   ") == "say why the group settled on it, in a few words, for the record"
    assert rationale_problem("ok ok ok")  # three words, but eight characters
    assert rationale_problem("Pilot evidence")  # fourteen characters, two words
    assert rationale_problem("Strong pilot evidence") == ""


def test_the_question_defaults_to_not_yet(qtbot: Any) -> None:
    box, reveal = meeting_reveal.reveal_question(None, "Only 1 person scored X: below the quorum of 4.")
    qtbot.addWidget(box)
    assert box.defaultButton() is not reveal
    assert box.escapeButton() is box.defaultButton()
    assert reveal.text() == "Reveal without the dots"
    assert box.icon() == QMessageBox.Icon.Warning
    assert "without a dot for each person's score" in box.informativeText()
