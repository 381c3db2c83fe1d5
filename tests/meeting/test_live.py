"""The live meeting over a real plan file: rounds, tokens, scores committed, resumed after a crash."""

from __future__ import annotations

import sqlite3

import pytest

from placeplanner.meeting import codes
from placeplanner.meeting.live import (
    CLOSED,
    ENDED,
    REVEALED,
    SCORING,
    Accepted,
    LiveMeeting,
    NameInUseError,
)
from placeplanner.meeting.submission import MeetingError
from placeplanner.service import PlanService, audit_words
from tests.meeting.conftest import settings

HEALTH, FAIRNESS = "Improves population health", "Reduces inequalities"


def body(option: str, health: float | None, fairness: float | None = 5) -> dict[str, object]:
    return {"option": option, "scores": {HEALTH: {"score": health}, FAIRNESS: {"score": fairness}}}


def submit(live: LiveMeeting, who: str, health: float | None, fairness: float | None = 5) -> Accepted | MeetingError:
    option = live.current_option
    assert option is not None
    return live.commit([live.check_submission(who, body(option, health, fairness))])[0]


def test_scores_are_committed_one_per_participant_option_and_value(live: LiveMeeting, meeting_service: PlanService) -> None:
    heard: list[str] = []
    live.subscribe(heard.append)
    assert isinstance(submit(live, "Asha Patel", 7), Accepted)
    assert isinstance(submit(live, "Asha Patel", 8, None), Accepted)  # a change replaces the score
    assert isinstance(submit(live, "Tom Reid", 3), Accepted)
    frame = meeting_service.scores_frame("Testford workshop")
    assert len(frame) == 4
    asha = frame[frame.participant == "Asha Patel"].set_index("value")["score"]
    assert asha[HEALTH] == 8
    assert asha.isna()[FAIRNESS]
    assert heard == ["scored", "scored", "scored"]
    assert live.scored() == ["Asha Patel", "Tom Reid"]


def test_the_database_itself_refuses_a_second_score_for_the_same_key(live: LiveMeeting, meeting_service: PlanService) -> None:
    submit(live, "Asha Patel", 7)
    connection = sqlite3.connect(meeting_service.path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        connection.execute("INSERT INTO individual_scores (meeting_id, participant_id, option_id, value_id, score, comment) "
                           "SELECT meeting_id, participant_id, option_id, value_id, 1, '' FROM individual_scores LIMIT 1")
    connection.close()


def test_a_recused_participant_cannot_score_the_option_they_declared(live: LiveMeeting) -> None:
    with pytest.raises(MeetingError, match="declared an interest"):
        live.check_submission("Grace Obi", body("Falls service", 9))
    assert "Grace Obi" not in live.eligible()
    live.go_to("Healthy schools")
    assert isinstance(submit(live, "Grace Obi", 9), Accepted)  # no interest in this one


def test_a_participant_who_declares_in_the_meeting_is_recused_at_once(live: LiveMeeting, meeting_service: PlanService) -> None:
    assert isinstance(submit(live, "Liam Hart", 4), Accepted)
    live.declare("Liam Hart", {"option": "Falls service", "interest": "My wife runs the falls clinic"})
    assert live.view_for("Liam Hart")["recused"]
    assert live.tally("Falls service").values[0].excluded == 1  # his earlier score no longer counts
    declared = {(d.participant, d.option): d for d in meeting_service.read().declarations}
    assert declared[("Liam Hart", "Falls service")].action == "recused"
    with pytest.raises(MeetingError, match="not on this meeting's agenda"):
        live.declare("Liam Hart", {"option": "Nonexistent", "interest": "x"})


def test_a_closed_round_takes_no_more_scores_and_a_reopened_one_does(live: LiveMeeting) -> None:
    checked = live.check_submission("Tom Reid", body("Falls service", 6))
    live.close_round()
    assert live.stage == CLOSED
    assert isinstance(live.commit([checked])[0], MeetingError)  # checked before, arrived after the close
    with pytest.raises(MeetingError, match="closed"):
        live.check_submission("Tom Reid", body("Falls service", 6))
    live.reopen_round()
    assert live.stage == SCORING
    assert isinstance(submit(live, "Tom Reid", 6), Accepted)
    tally = live.reveal()
    assert live.stage == REVEALED
    assert tally.values[0].scores == (6,)


def test_the_view_holds_only_the_participants_own_scores(live: LiveMeeting) -> None:
    submit(live, "Asha Patel", 9)
    submit(live, "Tom Reid", 1)
    view = live.view_for("Tom Reid")
    assert view["my_scores"][HEALTH]["score"] == 1
    assert "Asha Patel" not in str(view)
    assert "9.0" not in str(view["my_scores"])


def test_a_meeting_reopened_after_a_crash_resumes_where_it_was(live: LiveMeeting, meeting_service: PlanService) -> None:
    token = live.join("Asha Patel")
    submit(live, "Asha Patel", 7)
    live.step(+1)
    # A second LiveMeeting over the same file is what the app builds after a crash and reopening.
    again = LiveMeeting.open(meeting_service.plan_file, meeting_service.read(), settings(agenda=("Healthy schools",)),
                             actor="Facilitator")
    assert again.resumed
    assert again.join_code == live.join_code
    assert again.settings.agenda == ("Falls service", "Healthy schools")  # the stored settings, not the new ones
    assert again.current_option == "Healthy schools"
    assert again.stage == SCORING
    assert again.participant_for(token) == "Asha Patel"
    assert again.tally("Falls service").values[0].scores == (7,)


def test_ending_the_meeting_revokes_every_token(live: LiveMeeting, meeting_service: PlanService) -> None:
    token = live.join("Tom Reid")
    live.end()
    assert live.stage == ENDED
    assert live.participant_for(token) is None
    meetings = {m.name: m for m in meeting_service.read().meetings}
    assert meetings["Testford workshop"].status == "closed"
    with pytest.raises(MeetingError, match="ended"):
        live.join("Tom Reid")


def test_joining_again_asks_first_then_replaces_the_earlier_token(live: LiveMeeting) -> None:
    first = live.join("Mei Wong")
    with pytest.raises(NameInUseError, match="Mei Wong is already in the meeting on another device; continue here"):
        live.join("Mei Wong")
    assert live.participant_for(first) == "Mei Wong"  # asking ends nothing
    second = live.join("Mei Wong", take_over=True)
    assert live.participant_for(first) is None
    assert live.participant_for(second) == "Mei Wong"
    with pytest.raises(MeetingError, match="not on this meeting's list"):
        live.join("Mallory")


def test_a_name_taken_over_from_another_device_is_audited_shown_and_can_be_undone(
        live: LiveMeeting, meeting_service: PlanService) -> None:
    heard: list[str] = []
    live.subscribe(heard.append)
    first = live.join("Tom Reid")
    submit(live, "Tom Reid", 4)
    (place,) = live.places()
    assert place.participant == "Tom Reid"
    second = live.join("Tom Reid", take_over=True)
    assert heard[-1] == "moved"
    (move,) = live.moves()
    assert (move.participant, move.ended_at) == ("Tom Reid", None)
    assert live.places()[0].since == move.at >= place.since
    assert "chosen on another device" in live.ended_words(codes.token_digest(first))
    entries = [e for e in meeting_service.audit_log() if e.entity == "meeting_tokens"]
    assert [(e.actor, e.action, e.entity_key) for e in entries] == [
        ("Tom Reid", "move device", "Testford workshop / Tom Reid")]
    # The facilitator undoes it by ending the new place; the person joins again, without a question.
    live.end_place("Tom Reid")
    assert heard[-1] == "left"
    assert live.participant_for(second) is None
    assert live.joined() == []
    assert live.moves()[0].ended_at is not None
    assert "the facilitator ended it" in live.ended_words(codes.token_digest(second))
    again = live.join("Tom Reid")
    assert live.participant_for(again) == "Tom Reid"
    places = [e for e in meeting_service.audit_log() if e.entity == "meeting_tokens"]
    assert [e.action for e in places] == ["move device", "end place"]
    assert [audit_words.headline(e) for e in places] == [
        "Tom Reid moved to another device, ending the place on the first (Testford workshop)",
        "Ended Tom Reid's place in the meeting; they join again with the code (Testford workshop)"]
    assert meeting_service.verify_audit() is None
    # One score per participant, option and value, whichever device sent it.
    submit(live, "Tom Reid", 6)
    frame = meeting_service.scores_frame("Testford workshop")
    assert len(frame[(frame.participant == "Tom Reid") & (frame.value == HEALTH)]) == 1
    with pytest.raises(MeetingError, match="not in the meeting now"):
        live.end_place("Asha Patel")


def test_a_page_that_leaves_frees_the_name_and_a_resumed_meeting_keeps_who_is_in(
        live: LiveMeeting, meeting_service: PlanService) -> None:
    token = live.join("Asha Patel")
    live.leave("Asha Patel")
    assert live.participant_for(token) is None
    live.join("Asha Patel")  # no question: nobody holds the name now
    live.join("Tom Reid")
    since = {p.participant: p.since for p in live.places()}
    again = LiveMeeting.open(meeting_service.plan_file, meeting_service.read(), settings(), actor="Facilitator")
    assert {p.participant: p.since for p in again.places()} == since
    with pytest.raises(NameInUseError):
        again.join("Tom Reid")


def test_every_score_is_on_the_audit_trail_under_the_participants_name(live: LiveMeeting, meeting_service: PlanService) -> None:
    submit(live, "Asha Patel", 7)
    submit(live, "Asha Patel", 8)
    entries = [e for e in meeting_service.audit_log() if e.entity == "individual_scores"]
    assert {e.actor for e in entries} == {"Asha Patel"}
    assert [e.action for e in entries if e.entity_key.endswith(HEALTH)] == ["score", "rescore"]
    assert meeting_service.verify_audit() is None


def test_settings_that_do_not_fit_the_plan_are_refused_in_words(meeting_service: PlanService) -> None:
    with pytest.raises(MeetingError, match=r"No option named 'Nope'.*Choose at least one value"):
        LiveMeeting.open(meeting_service.plan_file, meeting_service.read(),
                         settings(agenda=("Nope",), values=()), actor="Facilitator")


def test_a_failing_listener_neither_undoes_a_commit_nor_silences_the_others(live: LiveMeeting) -> None:
    heard: list[str] = []

    def broken(_event: str) -> None:
        raise RuntimeError("a widget went away")

    live.subscribe(broken)
    live.subscribe(heard.append)
    assert isinstance(submit(live, "Asha Patel", 7), Accepted)
    assert heard == ["scored"]


def test_scores_typed_by_the_facilitator_are_audited_as_theirs_for_the_participant(live: LiveMeeting, meeting_service: PlanService) -> None:
    checked = live.check_submission("Tom Reid", body("Falls service", 4), entered_by="Facilitator")
    live.commit([checked])
    actors = {e.actor for e in meeting_service.audit_log() if e.entity == "individual_scores"}
    assert actors == {"Facilitator for Tom Reid"}


def test_when_a_round_opened_is_kept_for_a_resumed_timer(live: LiveMeeting) -> None:
    opened = live.round_opened_at("Falls service")
    assert opened is not None
    assert live.round_opened_at("Healthy schools") is None
