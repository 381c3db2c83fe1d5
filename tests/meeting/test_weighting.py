"""Weights set in the meeting: each participant's by swing or by 100 points, then the group's."""

from __future__ import annotations

import pytest

from placeplanner.meeting.live import WEIGHTING, LiveMeeting
from placeplanner.meeting.submission import MeetingError
from placeplanner.meeting.weighting import group_weights, parse_weights
from placeplanner.model import WeightSetKind
from placeplanner.service import PlanService
from tests.meeting.conftest import settings

HEALTH, FAIRNESS = "Improves population health", "Reduces inequalities"
VALUES = (HEALTH, FAIRNESS)


def test_a_swing_is_rated_against_the_top_one_and_scaled_to_100() -> None:
    weights = parse_weights({"method": "swing", "swings": {HEALTH: {"rank": 1, "rating": 100},
                                                           FAIRNESS: {"rank": 2, "rating": 50}}}, VALUES)
    assert weights == {HEALTH: 66.7, FAIRNESS: 33.3}


def test_a_hundred_points_are_shared_out_exactly() -> None:
    assert parse_weights({"method": "points", "points": {HEALTH: 70, FAIRNESS: 30}}, VALUES) == {HEALTH: 70, FAIRNESS: 30}


@pytest.mark.parametrize(("body", "message"), [
    ({"method": "points", "points": {HEALTH: 70, FAIRNESS: 20}}, "add up to 90"),
    ({"method": "points", "points": {HEALTH: 100}}, "every value"),
    ({"method": "points", "points": {HEALTH: 100.5, FAIRNESS: -0.5}}, "whole number"),
    ({"method": "swing", "swings": {HEALTH: {"rank": 1, "rating": 80}, FAIRNESS: {"rank": 2, "rating": 50}}}, "rated 100"),
    ({"method": "swing", "swings": {HEALTH: {"rank": 1, "rating": 100}, FAIRNESS: {"rank": 9, "rating": 50}}}, "rank"),
    ({"method": "swing", "swings": {HEALTH: {"rank": 1, "rating": 100}, FAIRNESS: {"rank": 2, "rating": "lots"}}}, "rating"),
    ({"method": "vibes"}, "Choose a way"),
    ([1, 2], "method"),
])
def test_bad_weights_are_refused_in_words(body: object, message: str) -> None:
    with pytest.raises(MeetingError, match=message):
        parse_weights(body, VALUES)


def test_the_groups_weights_are_the_mean_rounded_to_100_with_the_range() -> None:
    group = group_weights({"a": {HEALTH: 70, FAIRNESS: 30}, "b": {HEALTH: 40, FAIRNESS: 60}, "c": {HEALTH: 50, FAIRNESS: 50}}, VALUES)
    assert [(w.value, w.group, w.lowest, w.highest) for w in group] == [(HEALTH, 53.3, 40, 70), (FAIRNESS, 46.7, 30, 60)]
    assert sum(w.group for w in group) == pytest.approx(100)


def test_weights_are_taken_only_while_weighting_is_open_and_kept_as_weight_sets(live: LiveMeeting, meeting_service: PlanService) -> None:
    points = {"method": "points", "points": {HEALTH: 60, FAIRNESS: 40}}
    with pytest.raises(MeetingError, match="not open"):
        live.submit_weights("Asha Patel", points)
    live.open_weighting()
    assert live.view_for("Asha Patel")["weighting"]["mine"] is None
    live.submit_weights("Asha Patel", points)
    live.submit_weights("Tom Reid", {"method": "points", "points": {HEALTH: 20, FAIRNESS: 80}})
    live.submit_weights("Asha Patel", {"method": "points", "points": {HEALTH: 50, FAIRNESS: 50}})  # a change
    assert live.weighted() == ["Asha Patel", "Tom Reid"]
    assert [w.group for w in live.group_weights()] == [35.0, 65.0]
    sets = {w.name: w for w in meeting_service.read().weight_sets}
    asha = sets["Testford workshop: Asha Patel"]
    assert asha.kind == WeightSetKind.PARTICIPANT
    assert asha.owner == "Asha Patel"
    assert dict(asha.weights) == {HEALTH: 50, FAIRNESS: 50}
    assert live.view_for("Asha Patel")["weighting"]["mine"] == {HEALTH: 50, FAIRNESS: 50}
    live.close_weighting()
    with pytest.raises(MeetingError, match="not open"):
        live.submit_weights("Tom Reid", points)
    again = LiveMeeting.open(meeting_service.plan_file, meeting_service.read(), settings(), actor="Facilitator")
    assert again.weighted() == ["Asha Patel", "Tom Reid"]
    again.open_weighting()
    assert again.stage == WEIGHTING
