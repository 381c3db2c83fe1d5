"""Recording a decision from the Allocation screen: the run's stored result is adopted with a title,
the meeting and a rationale; a refusal is shown in the dialog and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from placeplanner.demo import WORKSHOP
from placeplanner.gui.allocation_page import AllocationPage
from placeplanner.service.decisions import reproduce

pytestmark = pytest.mark.gui


@pytest.fixture
def page(allocation_page: AllocationPage) -> AllocationPage:
    return allocation_page


def test_a_run_is_put_on_the_record(qtbot: Any, page: AllocationPage) -> None:
    assert not page.decide_button.isEnabled()
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        page.start_run()
    assert page.decide_button.isEnabled()
    dialog = page.ask_decision()
    assert dialog is not None
    assert dialog.meeting.currentText() == "(not decided in a meeting)"  # an analyst's run, not a meeting's
    dialog.meeting.setCurrentText(WORKSHOP)
    assert dialog.title.text() == "Portfolio for 2027/28 to 2028/29"
    service = page._service
    before = len(service.decisions())
    dialog.rationale.setPlainText("")
    dialog.record_button.click()
    assert dialog.isVisible()
    assert "rationale" in dialog.problem.text()
    assert len(service.decisions()) == before
    dialog.rationale.setPlainText("Adopted by the place board on the workshop's scores.")
    dialog.record_button.click()
    assert not dialog.isVisible()
    decision = service.decisions()[-1]
    assert decision.id == dialog.decision_id == before + 1
    assert decision.meeting == WORKSHOP
    assert page.last_run is not None
    assert decision.result_id == page.last_run.result_id
    assert f"Recorded as decision {decision.id}" in page.headline.text()
    assert not page.decide_button.isEnabled()
    assert reproduce(service, decision.id).same_portfolio
