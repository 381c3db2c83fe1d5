"""Plan ▸ Board paper… and Results workbook…: what to report on, then the file built in the worker
with progress and cancel, and the status bar saying where it went. No modal dialog blocks a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from placeplanner.gui import report_actions
from placeplanner.gui.main_window import MainWindow
from placeplanner.gui.report_actions import ReportDialog
from placeplanner.reports.record import RecordRequest
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

WORKSHOP = "Scoring workshop, March 2027"


@pytest.fixture
def window(qtbot, demo_plan: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(PlanService.open(demo_plan, auto_backup=False))
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_board_paper_is_built_in_the_worker_and_its_place_is_shown(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "paper.pdf"
    with qtbot.waitSignal(window._tasks.finished, timeout=180_000):
        window.write_report(target, RecordRequest(decision=1, robustness_samples=0))
    qtbot.waitUntil(lambda: not window._tasks.running)
    assert target.read_bytes().startswith(b"%PDF-1.7")
    message = window.statusBar().currentMessage()
    assert f"The board paper is saved as {target}" in message
    assert "pages" in message


def test_the_menu_action_asks_what_and_where_then_writes_the_workbook(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "results.xlsx"
    asked: list[str] = []

    def ask(_parent: object, _service: object, suffix: str) -> tuple[Path, RecordRequest]:
        asked.append(suffix)
        return target, RecordRequest(meeting=WORKSHOP, robustness_samples=0)

    monkeypatch.setattr(report_actions, "ask_report", ask)
    assert window.workbook_action.text() == "Results &workbook…"
    with qtbot.waitSignal(window._tasks.finished, timeout=180_000):
        window.workbook_action.trigger()
    qtbot.waitUntil(lambda: not window._tasks.running)
    assert asked == [".xlsx"]
    assert target.exists()
    assert f"The results workbook is saved as {target}" in window.statusBar().currentMessage()


def test_a_report_can_be_cancelled_and_leaves_no_file(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "paper.pdf"
    with qtbot.waitSignal(window._tasks.cancelled, timeout=60_000):
        window.write_report(target, RecordRequest(decision=1, robustness_samples=0))
        window._tasks.cancel()
    qtbot.waitUntil(lambda: not window._tasks.running)
    assert not target.exists()
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_dialog_offers_the_latest_decision_with_its_own_meeting_and_scenario(qtbot, demo_plan: Path) -> None:  # type: ignore[no-untyped-def]
    with PlanService.open(demo_plan, write=False, auto_backup=False) as service:
        dialog = ReportDialog(service, ".pdf")
        qtbot.addWidget(dialog)
        assert dialog.decision.currentData() == 1
        assert dialog.meeting.currentData() == WORKSHOP
        assert not dialog.scenario.isEnabled()
        assert dialog.request() == RecordRequest(meeting=WORKSHOP, scenario=None, decision=1)
        dialog.decision.setCurrentIndex(0)  # none: report the plan as it is now
        dialog.scenario.setCurrentIndex(dialog.scenario.findData("Budget cut 10%"))
        dialog.named.setChecked(True)
        assert dialog.scenario.isEnabled()
        assert dialog.request() == RecordRequest(meeting=WORKSHOP, scenario="Budget cut 10%", decision=None, draft=True,
                                                 anonymise=False)


def test_the_dialog_says_whether_the_decision_still_matches_the_plan_and_what_a_draft_is(qtbot, demo_plan: Path) -> None:  # type: ignore[no-untyped-def]
    with PlanService.open(demo_plan, write=False, auto_backup=False) as service:
        dialog = ReportDialog(service, ".xlsx")
        qtbot.addWidget(dialog)
        assert dialog.standing.text() == "Decision 1's result 1: The plan has not changed since this run."
        dialog.decision.setCurrentIndex(0)
        assert "DRAFT: not a decision of the board" in dialog.standing.text()
        assert dialog.request().draft


def test_the_saved_message_cites_the_decision_and_its_result(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "results.xlsx"
    with qtbot.waitSignal(window._tasks.finished, timeout=180_000):
        window.write_report(target, RecordRequest(robustness_samples=0))  # the default: the latest decision
    qtbot.waitUntil(lambda: not window._tasks.running)
    assert "(decision 1, result 1)" in window.statusBar().currentMessage()
