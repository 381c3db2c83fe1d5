"""The facilitator's snapshot of the room and its words, without a display: statuses on the
agenda, who is still to score, the discussion queue, and the reasons a meeting cannot listen."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from placeplanner.gui.meeting_room import (
    AGREED,
    CLOSED,
    LEFT_OPEN,
    NOT_STARTED,
    REVEALED_STATUS,
    SCORING,
    clock_words,
    listen_problem,
    move_words,
    place_words,
    room_state,
    scored_words,
)
from placeplanner.gui.meeting_session import agreed_options
from placeplanner.gui.presentation_dotplot import dot_layout
from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.model import AgreedScore
from placeplanner.service import PlanService

AGENDA = ("Frailty virtual ward", "Falls response car", "Strength and balance classes")
VALUES = ("Improves population health", "Reduces inequalities")


@pytest.fixture
def live(demo_plan: Path) -> Iterator[LiveMeeting]:
    service = PlanService.open(demo_plan, auto_backup=False)
    plan = service.read()
    settings = MeetingSettings("Test meeting", (*tuple(p.name for p in plan.participants[:5]), "Joanne Kowalski"),
                               AGENDA, VALUES)
    yield LiveMeeting.open(service.plan_file, plan, settings, actor="Facilitator")
    service.close()


def send(live: LiveMeeting, name: str, health: float, inequalities: float) -> None:
    body = {"option": live.current_option, "scores": {VALUES[0]: {"score": health}, VALUES[1]: {"score": inequalities}}}
    live.commit([live.check_submission(name, body)])


def test_the_agenda_says_where_each_round_stands(live: LiveMeeting) -> None:
    assert [i.status for i in room_state(live, frozenset(), 4).agenda] == [NOT_STARTED] * 3
    live.go_to(AGENDA[0])
    live.go_to(AGENDA[1])
    live.close_round()
    live.go_to(AGENDA[2])
    state = room_state(live, frozenset({AGENDA[1]}), 4)
    assert [i.status for i in state.agenda] == [LEFT_OPEN, AGREED, SCORING]
    live.close_round()
    live.reveal()
    assert [i.status for i in room_state(live, frozenset(), 4).agenda] == [LEFT_OPEN, CLOSED, REVEALED_STATUS]


def test_who_is_expected_and_who_is_still_to_score(live: LiveMeeting) -> None:
    live.go_to(AGENDA[0])  # Joanne Kowalski declared an interest in it
    live.join("Helen Whitfield")
    send(live, "Helen Whitfield", 8, 4)
    state = room_state(live, frozenset(), 4)
    assert (state.scored, state.expected, state.joined) == (1, 5, 1)
    assert "Joanne Kowalski" not in state.waiting_for
    assert "Helen Whitfield" not in state.waiting_for
    assert len(state.waiting_for) == 4
    assert state.tally is None  # not until revealed
    assert state.question is not None
    assert state.question.option == AGENDA[0]


def test_the_room_says_who_is_in_since_when_and_who_moved_to_another_device(live: LiveMeeting) -> None:
    live.join("Helen Whitfield")
    live.join("Helen Whitfield", take_over=True)
    state = room_state(live, frozenset(), 4)
    helen = next(a for a in state.attendees if a.name == "Helen Whitfield")
    (move,) = state.moves
    assert (helen.joined, helen.moved, helen.since) == (True, True, move.at)
    assert move_words(move) == f"Helen Whitfield moved to another device, {move.at:%H:%M}"
    assert place_words(helen) == f"Helen Whitfield, on a new device since {move.at:%H:%M}"
    live.end_place("Helen Whitfield")
    state = room_state(live, frozenset(), 4)
    helen = next(a for a in state.attendees if a.name == "Helen Whitfield")
    assert (helen.joined, helen.moved, helen.since) == (False, False, None)
    assert move_words(state.moves[0]).endswith(f"; you ended that place at {state.moves[0].ended_at:%H:%M}")
    live.join("Helen Whitfield")
    helen = next(a for a in room_state(live, frozenset(), 4).attendees if a.name == "Helen Whitfield")
    assert place_words(helen) == f"Helen Whitfield, since {helen.since:%H:%M}"


def test_the_discussion_queue_puts_the_widest_spread_first(live: LiveMeeting) -> None:
    for option, spread in ((AGENDA[0], (5, 5, 6)), (AGENDA[1], (0, 5, 10))):
        live.go_to(option)
        for name, value in zip(live.settings.attendees, spread, strict=False):
            send(live, name, value, value)
        live.close_round()
    state = room_state(live, frozenset(), 4)
    assert [t.option for t in state.queue] == [AGENDA[1], AGENDA[0]]
    assert state.queue[0].any_wide
    assert state.queue[0].below_quorum


def test_an_option_is_agreed_when_every_value_scored_is(live: LiveMeeting, demo_plan: Path) -> None:
    service = PlanService.open(demo_plan, write=False, auto_backup=False)
    try:
        plan = service.read()
    finally:
        service.close()
    ours = [AgreedScore(AGENDA[0], v, 5, meeting="Test meeting") for v in VALUES] + [
        AgreedScore(AGENDA[1], VALUES[0], 5, meeting="Test meeting")]
    assert agreed_options(replace(plan, agreed_scores=tuple(ours)), live.settings) == frozenset({AGENDA[0]})


def test_words() -> None:
    assert scored_words(7, 11) == "7 of 11 have scored"
    assert scored_words(1, 11) == "1 of 11 has scored"
    assert clock_words(0) == "0:00"
    assert clock_words(185.9) == "3:05"
    assert clock_words(3729) == "1:02:09"
    assert listen_problem(OSError(errno.EADDRINUSE, "in use"), "127.0.0.1", 8080).startswith("Port 8080 is in use")
    assert "not an address of this computer" in listen_problem(OSError(errno.EADDRNOTAVAIL, "x"), "10.9.9.9", 0)
    assert listen_problem(OSError(errno.EPERM, "Not allowed"), "10.0.0.1", 0) == (
        "The meeting cannot listen on 10.0.0.1 at an automatic port: Not allowed.")


def test_dots_stay_on_their_score_unless_a_pile_would_shrink_them_to_specks() -> None:
    diameter, columns = dot_layout(4, gap=60, room=80, largest=30)
    assert (diameter, columns) == (20, 1)
    diameter, columns = dot_layout(12, gap=60, room=60, largest=30)
    assert columns > 1
    assert diameter >= 12
