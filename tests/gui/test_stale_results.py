"""A result shown after the plan has changed says so: the Allocation screen's banner with the
changes in words and "Run again", Compare in agreement with it, the decision dialog asking for the
stale result to be confirmed (and the record saying it was), and the projector's allocation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.gui.allocation_page import AllocationPage
from placeplanner.gui.editing import PlanEditor
from placeplanner.model import AgreedScore
from placeplanner.service import PlanService
from placeplanner.service.allocation import snapshot_plan
from placeplanner.service.decisions import reproduce

pytestmark = pytest.mark.gui

FALLS, INEQUALITIES = "Falls response car", "Reduces inequalities"
CHANGE = "the agreed score of Falls response car on Reduces inequalities, 5 → 8"


@pytest.fixture
def page(allocation_page: AllocationPage) -> AllocationPage:
    return allocation_page


def run(qtbot: Any, page: AllocationPage) -> None:
    """Run, and wait for the check (in its worker) of whether the result still matches the plan."""
    with qtbot.waitSignals([page.run_finished, page.stale_checked], timeout=120_000):
        page.start_run()


def agree_in_the_meeting(qtbot: Any, page: AllocationPage, score: float) -> None:
    """What the meeting's agree step does: one agreed score through the editor; the main window
    then refreshes the screen, which checks its result again."""
    editor = page._editor
    earlier = next(a for a in editor.service.read().agreed_scores if (a.option, a.value) == (FALLS, INEQUALITIES))
    editor.upsert(AgreedScore(FALLS, INEQUALITIES, score, "Discussed in the room", earlier.meeting))
    with qtbot.waitSignal(page.stale_checked, timeout=60_000):
        page.refresh()


def test_the_screen_says_its_result_is_stale_and_compare_agrees(qtbot: Any, page: AllocationPage) -> None:
    run(qtbot, page)
    assert page.last_run is not None
    shown = page.last_run.allocation.objective
    assert shown is not None
    assert not page.stale_banner.isVisible()
    assert not page.compare.stale_note.isVisibleTo(page.compare)
    page.compare.second.setCurrentText("Budget cut 10%")
    with qtbot.waitSignals([page.comparison_finished, page.stale_checked], timeout=120_000):
        page.start_comparison()
    assert f"total value {shown:,.0f}" in page.compare.cards[0].text.text()  # current: the two agree
    assert not page.compare.stale_note.isVisibleTo(page.compare)

    agree_in_the_meeting(qtbot, page, 8)
    assert page.stale_banner.isVisible()
    assert page.run_again_button.isVisible()
    assert page.staleness is not None
    assert page.staleness.changes == (CHANGE,)
    assert "The plan has changed since this run." in page.stale_text.text()
    assert f"1 change since this run: {CHANGE}." in page.stale_text.text()
    assert page.compare.stale_note.isVisibleTo(page.compare)  # before Compare runs, it already says it may differ

    service = page._service
    now = allocate(snapshot_plan(service), SolverSettings()).objective
    assert now is not None
    assert round(now) != round(shown)  # the 1,977 against 1,969: the score matters
    with qtbot.waitSignals([page.comparison_finished, page.stale_checked], timeout=120_000):
        page.start_comparison()
    first = page.compare.cards[0].text.text()
    assert f"total value {now:,.0f}" in first
    note = page.compare.stale_note.text()
    assert note.startswith(f"Compare solved “The plan as it stands” on the plan as it is now: total value {now:,.0f}.")
    assert f"from the earlier run, has {shown:,.0f}" in note
    assert CHANGE in note

    with qtbot.waitSignals([page.run_finished, page.stale_checked], timeout=120_000):
        page.run_again_button.click()
    assert not page.stale_banner.isVisible()
    assert not page.compare.stale_note.isVisibleTo(page.compare)
    assert page.last_run is not None
    assert page.last_run.allocation.objective == pytest.approx(now)
    assert f"total value {now:,.0f}" in page.headline.text()
    assert f"total value {now:,.0f}" in page.compare.cards[0].text.text()


def test_the_decision_dialog_asks_for_a_stale_result_to_be_confirmed(qtbot: Any, page: AllocationPage) -> None:
    run(qtbot, page)
    fresh = page.ask_decision()
    assert fresh is not None
    assert not fresh.stale_warning.isVisible()
    assert not fresh.accept_stale.isVisible()
    assert fresh.record_button.isEnabled()
    fresh.reject()

    agree_in_the_meeting(qtbot, page, 8)
    dialog = page.ask_decision()
    assert dialog is not None
    assert dialog.stale_warning.isVisible()
    assert "This result no longer matches the plan." in dialog.stale_warning.text()
    assert CHANGE in dialog.stale_warning.text()
    assert dialog.accept_stale.isVisible()
    assert not dialog.record_button.isEnabled()
    service = page._service
    before = len(service.decisions())
    dialog.rationale.setPlainText("Adopted as the room saw it before the last score was agreed.")
    dialog.record()  # as if the button could be pressed: refused, nothing written
    assert dialog.isVisible()
    assert "no longer matches the plan" in dialog.problem.text()
    assert len(service.decisions()) == before
    dialog.accept_stale.setChecked(True)
    assert dialog.record_button.isEnabled()
    dialog.record_button.click()
    assert not dialog.isVisible()
    decision = service.decisions()[-1]
    assert decision.id == dialog.decision_id
    assert decision.stale_when_adopted is True
    assert decision.changes_when_adopted == (CHANGE,)
    assert reproduce(service, decision.id).same_portfolio
    assert page.headline.text().endswith(f"Recorded as decision {decision.id}: “{decision.title}”. "
                                         "The record says the plan had changed since the run.")


def test_the_projector_says_the_plan_has_changed_since_its_run(qtbot: Any, demo_copy: Path) -> None:
    from placeplanner.gui.meeting_page import MeetingPage
    from placeplanner.gui.presentation import PresentationWindow
    from placeplanner.meeting.addresses import LOOPBACK

    editor = PlanEditor(PlanService.open(demo_copy, auto_backup=False))
    meeting = MeetingPage(editor)
    qtbot.addWidget(meeting)
    meeting.setup.address.setCurrentText(LOOPBACK)
    meeting.setup.open_button.click()
    session = meeting.session
    assert session is not None
    window = PresentationWindow(session)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    try:
        qtbot.keyClick(window, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: not session.allocating and session.allocation is not None, timeout=60_000)
        view = window.allocation_view
        assert window.stack.currentWidget() is view
        assert not view.plan_changed.isVisible()
        earlier = next(a for a in editor.service.read().agreed_scores if (a.option, a.value) == (FALLS, INEQUALITIES))
        editor.upsert(AgreedScore(FALLS, INEQUALITIES, 8, "Discussed in the room", earlier.meeting))
        # The session checks in its worker, then both screens refresh from its answer.
        qtbot.waitUntil(view.plan_changed.isVisible, timeout=60_000)
        assert view.plan_changed.text() == "The plan has changed since this run (1 change): press A to run it again"
        # The console tells the facilitator what changed, and to run it again.
        note = meeting.console.allocation_note.text()
        assert f"1 change since this run: {CHANGE}." in note
        assert note.endswith("Run the allocation again before the room relies on it.")
    finally:
        window.close()
        meeting.stop_work()
        editor.service.close()


def test_a_run_on_a_plan_open_read_only_still_says_when_the_plan_moves_on(qtbot: Any, demo_copy: Path) -> None:
    """Someone else is editing the plan: the run is not stored, and is judged by its own snapshot."""
    writer = PlanService.open(demo_copy, auto_backup=False)
    reader = PlanService.open(demo_copy, write=False)
    page = AllocationPage(PlanEditor(reader))
    qtbot.addWidget(page)
    page.show()
    try:
        run(qtbot, page)
        assert page.last_run is not None
        assert page.last_run.result_id is None
        assert not page.stale_banner.isVisible()
        earlier = next(a for a in writer.read().agreed_scores if (a.option, a.value) == (FALLS, INEQUALITIES))
        writer.upsert(AgreedScore(FALLS, INEQUALITIES, 8, "Discussed in the room", earlier.meeting))
        with qtbot.waitSignal(page.stale_checked, timeout=60_000):
            page.refresh()
        assert page.stale_banner.isVisible()
        assert f"1 change since this run: {CHANGE}." in page.stale_text.text()
    finally:
        page.stop_work()
        reader.close()
        writer.close()
