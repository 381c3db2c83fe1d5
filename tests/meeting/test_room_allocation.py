"""The allocation run mid-meeting: solved on the scores so far, stored on the record with the
meeting's name, and summarised for the projector. Plain Python, no Qt."""

from __future__ import annotations

import pytest

from placeplanner.engine.progress import RunCancelledError, RunState
from placeplanner.engine.solvers import SolverSettings
from placeplanner.meeting.live import LiveMeeting
from placeplanner.service import PlanService
from placeplanner.service.allocation import solve_plan
from placeplanner.service.room_allocation import ScoreBasis, allocate_for_room


def test_it_funds_what_a_plain_solve_funds_and_is_stored_under_the_meeting(meeting_service: PlanService) -> None:
    # Proven optimal here, to compare with a plain solve (the room's default stops within 0.1%).
    result = allocate_for_room(meeting_service, "Testford workshop", RunState(), settings=SolverSettings(), points=5)
    plain = solve_plan(meeting_service, record=False)
    assert result.status == "optimal"
    assert {f.name for f in result.funded} == set(plain.allocation.selected_names)
    assert result.value == pytest.approx(plain.allocation.objective)
    assert result.budget == pytest.approx(2_450_000)
    assert result.spend == pytest.approx(sum(line.cost for line in result.funded))
    assert len(result.frontier) == 5
    assert result.left_out == tuple(
        o for o in ("Falls service", "Healthy schools") if o not in {f.name for f in result.funded})
    assert result.result_id is not None
    _, stored, _ = meeting_service.stored_result(result.result_id)
    assert stored["meeting"] == "Testford workshop"
    assert sorted(s["name"] for s in stored["selected"]) == sorted(f.name for f in result.funded)


def test_the_basis_counts_agreed_provisional_and_unscored_options(live: LiveMeeting, meeting_service: PlanService) -> None:
    # One agreed score of two values on Falls service; nothing on Healthy schools.
    result = allocate_for_room(meeting_service, "Testford workshop", RunState(), points=2)
    assert result.basis == ScoreBasis(agreed=0, provisional=1, unscored=1)
    body = {"option": "Falls service", "scores": {"Reduces inequalities": {"score": 6}}}
    live.commit([live.check_submission("Asha Patel", body)])
    result = allocate_for_room(meeting_service, "Testford workshop", RunState(), points=2)
    assert result.basis == ScoreBasis(agreed=0, provisional=1, unscored=1)
    live.go_to("Healthy schools")
    body = {"option": "Healthy schools", "scores": {"Reduces inequalities": {"score": 9}}}
    live.commit([live.check_submission("Asha Patel", body)])
    result = allocate_for_room(meeting_service, "Testford workshop", RunState(), points=2)
    assert result.basis == ScoreBasis(agreed=0, provisional=2, unscored=0)


def test_a_cancelled_run_stores_nothing(meeting_service: PlanService) -> None:
    state = RunState()
    state.cancel()
    before = meeting_service.summary().counts["results"]
    with pytest.raises(RunCancelledError):
        allocate_for_room(meeting_service, "Testford workshop", state)
    assert meeting_service.summary().counts["results"] == before
