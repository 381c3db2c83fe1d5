"""The room as the facilitator's screens show it: one plain snapshot of a live meeting, and the
words for it. No Qt here, so it is tested without a display."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import datetime

from placeplanner.meeting.live import ENDED, LOBBY, REVEALED, LiveMeeting, Move
from placeplanner.meeting.question import OptionQuestion
from placeplanner.meeting.tally import OptionTally, discussion_queue

NOT_STARTED, SCORING, LEFT_OPEN, CLOSED, REVEALED_STATUS, AGREED = (
    "not started", "scoring", "left open", "closed", "revealed", "agreed")
STATUS_WORDS = {NOT_STARTED: "Not yet", SCORING: "Scoring", LEFT_OPEN: "Left open", CLOSED: "Closed",
                REVEALED_STATUS: "Revealed", AGREED: "Agreed"}


@dataclass(frozen=True, slots=True)
class AgendaItem:
    option: str
    status: str  # one of STATUS_WORDS


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    joined: bool
    scored: bool  # has sent scores for the option in hand
    conflicted: bool  # declared an interest in the option in hand (and the chair did not allow it)
    since: datetime | None = None  # in the meeting on their present device since then; None if not in it
    moved: bool = False  # their present device took their place from another, and still holds it


@dataclass(frozen=True, slots=True)
class RoomState:
    meeting: str
    stage: str
    version: int
    option: str | None
    position: int  # the option's place on the agenda, from 1; 0 before the first
    agenda: tuple[AgendaItem, ...]
    attendees: tuple[Attendee, ...]
    scored: int  # of those expected to score the option in hand
    expected: int
    question: OptionQuestion | None
    tally: OptionTally | None  # the option in hand, once revealed
    queue: tuple[OptionTally, ...]  # closed rounds, the most disagreement first
    policy: str
    quorum: int
    moves: tuple[Move, ...] = ()  # names taken over from another device, oldest first

    @property
    def joined(self) -> int:
        return sum(a.joined for a in self.attendees)

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """Who is expected to score the option in hand and has not yet."""
        if self.option is None:
            return ()
        flag = self.policy == "flag"
        return tuple(a.name for a in self.attendees if not a.scored and (flag or not a.conflicted))


def room_state(live: LiveMeeting, agreed: frozenset[str], quorum: int) -> RoomState:
    """What the room looks like now; ``agreed`` names the options whose every value scored has an
    agreed score from this meeting; ``quorum`` is the plan's."""
    version = live.version
    stage, option = live.stage, live.current_option
    settings = live.settings
    statuses = []
    closed_tallies = []
    for name in settings.agenda:
        status = live.round_status(name)
        if name == option and stage == REVEALED:
            word = REVEALED_STATUS
        elif status == "open":
            # Only the option in hand can be scored; a round moved away from waits, still open.
            word = SCORING if name == option else LEFT_OPEN
        elif name in agreed:
            word = AGREED
        elif status is None:
            word = NOT_STARTED
        else:
            word = CLOSED
        statuses.append(AgendaItem(name, word))
        if status == "closed" and live.scored(name):
            closed_tallies.append(live.tally(name))
    since = {place.participant: place.since for place in live.places()}
    joined = set(since)
    moves = live.moves()
    moved = {m.participant for m in moves if m.ended_at is None and since.get(m.participant) == m.at}
    current = option if stage not in (LOBBY, ENDED) else None
    scored = set(live.scored(current)) if current else set()
    conflicted = live.conflicted(current) if current else frozenset()
    eligible = live.eligible(current) if current else []
    return RoomState(
        meeting=settings.meeting, stage=stage, version=version, option=current,
        position=settings.agenda.index(current) + 1 if current in settings.agenda else 0,
        agenda=tuple(statuses),
        attendees=tuple(Attendee(n, n in joined, n in scored, n in conflicted, since.get(n), n in moved)
                        for n in settings.attendees),
        scored=sum(1 for n in eligible if n in scored), expected=len(eligible),
        question=live.question(current) if current else None,
        tally=live.tally(current) if current and stage == REVEALED else None,
        queue=tuple(discussion_queue(closed_tallies)),
        policy=settings.policy, quorum=quorum, moves=moves,
    )


def scored_words(scored: int, expected: int) -> str:
    """'7 of 11 have scored': how far the room has got, never what it said."""
    return f"{scored} of {expected} {'has' if scored == 1 else 'have'} scored"


def move_words(move: Move) -> str:
    """'Owen Price moved to another device, 10:42', and whether the facilitator ended that place."""
    words = f"{move.participant} moved to another device, {move.at:%H:%M}"
    return words + (f"; you ended that place at {move.ended_at:%H:%M}" if move.ended_at is not None else "")


def place_words(attendee: Attendee) -> str:
    """'Owen Price, since 10:31' for who is in the meeting, and on which device since when."""
    if attendee.since is None:
        return f"{attendee.name}: not in the meeting"
    where = "on a new device since" if attendee.moved else "since"
    return f"{attendee.name}, {where} {attendee.since:%H:%M}"


def clock_words(seconds: float) -> str:
    """3:05, or 1:02:09 past the hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def score_words(score: float | None) -> str:
    return "–" if score is None else f"{score:g}"


def listen_problem(error: OSError, host: str, port: int) -> str:
    """Why the meeting cannot listen where it was asked, in words a facilitator can act on."""
    where = f"port {port}" if port else "an automatic port"
    if error.errno in (errno.EADDRINUSE, 10048):  # 10048: Windows' number for it
        return f"Port {port} is in use by another program. Choose another port, or 0 for automatic."
    if error.errno in (errno.EACCES, 10013):
        return f"This computer does not allow the meeting to use port {port}. Choose a port above 1024, or 0 for automatic."
    if error.errno in (errno.EADDRNOTAVAIL, 10049):
        return f"{host} is not an address of this computer now (has the network changed?). Choose another address."
    reason = error.strerror or str(error) or type(error).__name__
    return f"The meeting cannot listen on {host} at {where}: {reason}."
