"""The meeting while it runs: rounds, participants and their scores, safe to call from any thread.

The facilitator's screen (the GUI thread) and the meeting server (its own threads) both call a
``LiveMeeting``. Each change is committed to the plan file before the call returns, and then
every listener hears of it, so the facilitator's model follows the room.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from placeplanner.meeting import codes
from placeplanner.meeting.question import CONFIDENCE, OptionQuestion, question_for
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.meeting.submission import INTEREST_LIMIT, MeetingError, clean_text, parse_scores
from placeplanner.meeting.tally import FLAG, Mark, OptionTally, tally_option
from placeplanner.meeting.weighting import ValueWeights, group_weights, parse_weights
from placeplanner.model import Declaration, DeclarationAction, PlanData, interests
from placeplanner.storage import live as store
from placeplanner.storage.planfile import PlanFile

LOBBY, SCORING, CLOSED, REVEALED, ENDED = "lobby", "scoring", "closed", "revealed", "ended"
WEIGHTING, WEIGHTS_CLOSED = "weighting", "weights closed"
_CONFIDENCE_WORD = {number: word for word, number in CONFIDENCE.items()}

Listener = Callable[[str], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Accepted:
    participant: str
    option: str
    values: int


@dataclass(frozen=True, slots=True)
class Place:
    """A participant in the meeting now, and since when on the device that holds their place."""

    participant: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Move:
    """A participant's name chosen on a new device, confirmed, while another device held it."""

    participant: str
    at: datetime
    ended_at: datetime | None = None  # when the facilitator ended that new place


class NameInUseError(MeetingError):
    """The name chosen already holds a place on another device; joining needs ``take_over``."""

    def __init__(self, participant: str) -> None:
        super().__init__(f"{participant} is already in the meeting on another device; "
                         "continue here and end that one?")
        self.participant = participant


ENDED_LIMIT = 1000  # words kept for pages whose place ended, the newest


class LiveMeeting:
    def __init__(self, plan_file: PlanFile, plan: PlanData, settings: MeetingSettings,
                 state: store.LiveState, actor: str) -> None:
        self._file = plan_file
        self._plan = plan
        self.settings = settings
        self.join_code = state.join_code
        self.resumed = state.resumed
        self._actor = actor
        self._lock = threading.RLock()
        self._stage = state.stage
        self._option = state.current_option
        self._version = 0
        self._listeners: list[Listener] = []
        held = store.load_tokens(plan_file, settings.meeting)
        self._tokens = {digest: who for digest, (who, _) in held.items()}  # digest -> participant
        self._since = dict(held.values())  # participant -> since when on the device that holds their place
        self._moves: list[Move] = []
        self._ended: dict[str, str] = {}  # digest of an ended place -> why, for that page
        self._rounds = store.round_statuses(plan_file, settings.meeting)
        self._marks: dict[str, dict[tuple[str, str], Mark]] = {}
        for option, m in store.read_marks(plan_file, settings.meeting):
            self._marks.setdefault(option, {})[(m.participant, m.value)] = Mark(
                m.participant, m.value, m.score, m.confidence, m.comment)
        self._declared, self._partner_declarations, self._leads = _interests_of(plan)
        self._questions: dict[str, OptionQuestion] = {}
        self._weights = store.read_weights(plan_file, settings.meeting)  # participant -> weights

    @classmethod
    def open(cls, plan_file: PlanFile, plan: PlanData, settings: MeetingSettings, *,
             actor: str) -> LiveMeeting:
        """Open the meeting, or resume it where it was if it was left live; a resumed meeting
        keeps its join code, its settings and its participants' tokens."""
        problems = settings.problems(plan)
        if problems:
            raise MeetingError(" ".join(problems))
        state = store.open_live(plan_file, settings.meeting, join_code=codes.new_join_code(),
                                settings=settings.as_json(), actor=actor)
        if state.resumed:
            settings = MeetingSettings.from_json(settings.meeting, state.settings)
        return cls(plan_file, plan, settings, state, actor)

    # -- listening ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """``listener(event)`` is called, on the thread that made the change, after each change:
        "joined", "moved" (a name taken over from another device), "left", "scored", "declared",
        "weighted" or "stage"."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _changed(self, event: str) -> None:
        with self._lock:
            self._version += 1
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's fault must not undo what was committed, nor stop the others
                log.exception("a meeting listener failed on %r", event)

    # -- what the facilitator sees and does ----------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    @property
    def stage(self) -> str:
        return self._stage

    @property
    def current_option(self) -> str | None:
        return self._option

    def round_opened_at(self, option: str) -> datetime | None:
        """When the round for ``option`` last opened, as stored (so a timer survives a resume)."""
        return store.round_opened_at(self._file, self.settings.meeting, option)

    def round_status(self, option: str) -> str | None:
        with self._lock:
            return self._rounds.get(option)

    def joined(self) -> list[str]:
        with self._lock:
            present = set(self._since)
        return [name for name in self.settings.attendees if name in present]

    def conflicted(self, option: str) -> frozenset[str]:
        """Participants whose declared interest in ``option`` keeps them from scoring it (or, under
        the permissive policy, flags their scores); an interest the chair allowed does not."""
        with self._lock:
            declared = [Declaration(p, o, interest, action) for (p, o), (interest, action) in self._declared.items() if o == option]
        pairs = interests.conflicted_pairs([*declared, *self._partner_declarations], {option: self._leads.get(option, "")})
        return frozenset(p for p, _ in pairs)

    def use_declarations(self, plan: PlanData) -> None:
        """Take the plan's declarations as they now stand, when the facilitator records or changes
        one on the Participants screen during the meeting; the participants' pages follow."""
        held = _interests_of(plan)
        with self._lock:
            if held == (self._declared, self._partner_declarations, self._leads):
                return
            self._declared, self._partner_declarations, self._leads = held
        self._changed("declared")

    def scored(self, option: str | None = None) -> list[str]:
        """Who has sent scores for ``option`` (the current one by default)."""
        option = option or self._option
        with self._lock:
            marks = self._marks.get(option or "", {})
            who = {participant for participant, _ in marks}
        return [name for name in self.settings.attendees if name in who]

    def eligible(self, option: str | None = None) -> list[str]:
        """Attendees expected to score ``option``: all but the recused."""
        option = option or self._option
        if option is None:
            return []
        recused = self.conflicted(option) if self.settings.policy != FLAG else frozenset()
        return [name for name in self.settings.attendees if name not in recused]

    def go_to(self, option: str) -> None:
        """Show ``option``: its round opens the first time, and keeps its state after."""
        if option not in self.settings.agenda:
            raise MeetingError(f"{option!r} is not on this meeting's agenda")
        with self._lock:
            status = self._rounds.get(option)
            if status is None:
                store.set_round(self._file, self.settings.meeting, option, "open", actor=self._actor)
                status = self._rounds[option] = "open"
            self._option = option
            self._stage = SCORING if status == "open" else CLOSED
            store.set_progress(self._file, self.settings.meeting, option=option, stage=self._stage)
        self._changed("stage")

    def step(self, offset: int) -> str | None:
        """Move to the next (+1) or previous (-1) option on the agenda; None at either end."""
        agenda = self.settings.agenda
        with self._lock:
            index = agenda.index(self._option) + offset if self._option in agenda else 0
        if not 0 <= index < len(agenda):
            return None
        self.go_to(agenda[index])
        return agenda[index]

    def close_round(self) -> None:
        """No more scores for the current option ("stop waiting" when the last few have not)."""
        self._set_round("closed", CLOSED)

    def reopen_round(self) -> None:
        """Open the current option again for a re-vote; earlier scores stand until changed."""
        self._set_round("open", SCORING)

    def reveal(self) -> OptionTally:
        with self._lock:
            if self._stage == SCORING:
                self._set_round("closed", CLOSED)
            if self._option is None:
                raise MeetingError("No option is being scored.")
            self._stage = REVEALED
            store.set_progress(self._file, self.settings.meeting, option=self._option, stage=REVEALED)
        self._changed("stage")
        return self.tally(self._option)

    def _set_round(self, status: str, stage: str) -> None:
        with self._lock:
            if self._option is None:
                raise MeetingError("No option is being scored.")
            store.set_round(self._file, self.settings.meeting, self._option, status, actor=self._actor)
            self._rounds[self._option] = status
            self._stage = stage
            store.set_progress(self._file, self.settings.meeting, option=self._option, stage=stage)
        self._changed("stage")

    def open_weighting(self) -> None:
        """Everyone weights the values now; earlier weights from this meeting stand until changed."""
        self._set_stage(WEIGHTING)

    def close_weighting(self) -> None:
        self._set_stage(WEIGHTS_CLOSED)

    def _set_stage(self, stage: str) -> None:
        with self._lock:
            if self._stage == ENDED:
                raise MeetingError("The meeting has ended.")
            self._stage = stage
            store.set_progress(self._file, self.settings.meeting, option=self._option, stage=stage)
        self._changed("stage")

    def weighted(self) -> list[str]:
        """Who has given their weights in this meeting."""
        with self._lock:
            who = set(self._weights)
        return [name for name in self.settings.attendees if name in who]

    def group_weights(self) -> list[ValueWeights]:
        """The group's weights (the mean of everyone's) with their range, for the room to agree."""
        with self._lock:
            individual = dict(self._weights)
        return group_weights(individual, self.settings.values)

    def tally(self, option: str) -> OptionTally:
        values = {v.name: v for v in self._plan.values}
        with self._lock:
            marks = list(self._marks.get(option, {}).values())
        return tally_option(
            option, marks,
            scales={name: (values[name].scale_min, values[name].scale_max) for name in self.settings.values},
            conflicted=self.conflicted(option), policy=self.settings.policy, quorum=self._plan.info.quorum,
        )

    def end(self) -> None:
        with self._lock:
            store.end_live(self._file, self.settings.meeting, actor=self._actor)
            self._stage = ENDED
            self._tokens.clear()
            self._since.clear()
        self._changed("stage")

    # -- what participants do ------------------------------------------------------------------

    def join(self, participant: str, *, take_over: bool = False) -> str:
        """A token for ``participant`` (the join code was checked by the caller). While another
        device holds their place, NameInUseError asks for confirmation; with ``take_over`` the new
        token replaces the old, that device's place ends, and the move is audited and kept for the
        facilitator to see (and undo, with ``end_place``)."""
        if participant not in self.settings.attendees:
            raise MeetingError("That name is not on this meeting's list.")
        token = codes.new_token()
        digest = codes.token_digest(token)
        with self._lock:
            if self._stage == ENDED:
                raise MeetingError("The meeting has ended.")
            held = self._since.get(participant)
            if held is not None and not take_over:
                raise NameInUseError(participant)
            since = store.save_token(self._file, self.settings.meeting, participant, digest, moved_from=held)
            self._end_tokens(participant, f"Your place in the meeting has ended: your name was chosen on another "
                                          f"device at {since:%H:%M}. If that was not you, tell the facilitator.")
            self._tokens[digest] = participant
            self._since[participant] = since
            if held is not None:
                self._moves.append(Move(participant, since))
        self._changed("moved" if held is not None else "joined")
        return token

    def leave(self, participant: str) -> None:
        """The participant's own page gives up their place ("Not you? Join again")."""
        with self._lock:
            if participant not in self._since:
                return
            store.end_token(self._file, self.settings.meeting, participant, actor=participant)
            self._end_tokens(participant, "You left the meeting on this page; join again with the code.")
            del self._since[participant]
        self._changed("left")

    def end_place(self, participant: str) -> None:
        """The facilitator ends the participant's place (the undo of a move they did not make):
        the page holding it goes back to the join screen, and the person joins again."""
        with self._lock:
            since = self._since.get(participant)
            if since is None:
                raise MeetingError(f"{participant} is not in the meeting now.")
            store.end_token(self._file, self.settings.meeting, participant, actor=self._actor)
            now = datetime.now()
            self._end_tokens(participant, f"Your place in the meeting has ended: the facilitator ended it at "
                                          f"{now:%H:%M}. Join again with the code.")
            del self._since[participant]
            self._moves = [replace(m, ended_at=now) if m.participant == participant and m.at == since
                           and m.ended_at is None else m for m in self._moves]
        self._changed("left")

    def _end_tokens(self, participant: str, why: str) -> None:
        """Under the lock: the participant's tokens admit nobody, and their pages are told why."""
        for old in [d for d, p in self._tokens.items() if p == participant]:
            del self._tokens[old]
            self._ended[old] = why
        while len(self._ended) > ENDED_LIMIT:
            del self._ended[next(iter(self._ended))]

    def ended_words(self, digest: str) -> str:
        """What a page whose token no longer admits it is told."""
        with self._lock:
            return self._ended.get(digest, "Your place in the meeting has ended; join again with the code.")

    def places(self) -> list[Place]:
        """Who is in the meeting now, in the order of the attendees, and since when on their device."""
        with self._lock:
            since = dict(self._since)
        return [Place(name, since[name]) for name in self.settings.attendees if name in since]

    def moves(self) -> tuple[Move, ...]:
        """Every name taken over from another device in this sitting, oldest first."""
        with self._lock:
            return tuple(self._moves)

    def participant_for(self, token: str) -> str | None:
        return self.participant_for_digest(codes.token_digest(token))

    def participant_for_digest(self, digest: str) -> str | None:
        """As ``participant_for``, for a caller that keeps the digest (an event stream asks on
        every change, and hashing each time showed in the load benchmark)."""
        with self._lock:
            return self._tokens.get(digest)

    def question(self, option: str) -> OptionQuestion:
        with self._lock:
            if option not in self._questions:
                self._questions[option] = question_for(self._plan, option, self.settings.values)
            return self._questions[option]

    def view_for(self, participant: str) -> dict[str, Any]:
        """All a participant's page shows: the option in hand, their own scores, their
        declarations; nothing of anyone else's."""
        with self._lock:
            option, stage = self._option, self._stage
            mine = {value: m for (who, value), m in self._marks.get(option or "", {}).items() if who == participant}
            declared = {o: interest for (p, o), (interest, _) in self._declared.items()
                        if p == participant and o in self.settings.agenda}
            for d in self._partner_declarations:
                if d.participant == participant:
                    for o in interests.covered_options(d, self._leads):
                        if o in self.settings.agenda:
                            declared.setdefault(o, f"{d.interest} (an interest in {d.partner})")
            version = self._version
            my_weights = self._weights.get(participant)
        conflicted = option is not None and participant in self.conflicted(option)
        return {
            "meeting": self.settings.meeting,
            "participant": participant,
            "stage": stage,
            "version": version,
            "agenda": list(self.settings.agenda),
            "declared": declared,
            "policy": self.settings.policy,
            "question": None if option is None or stage in (ENDED, WEIGHTING, WEIGHTS_CLOSED) else self.question(option).as_json(),
            "weighting": self._weighting_view(my_weights) if stage in (WEIGHTING, WEIGHTS_CLOSED) else None,
            "recused": conflicted and self.settings.policy != FLAG,
            "flagged": conflicted and self.settings.policy == FLAG,
            "my_scores": {
                value: {"score": m.score, "confidence": _CONFIDENCE_WORD.get(m.confidence) if m.confidence else None,
                        "comment": m.comment}
                for value, m in mine.items()
            },
        }

    def _weighting_view(self, mine: dict[str, float] | None) -> dict[str, Any]:
        values = {v.name: v for v in self._plan.values}
        shown = []
        for name in self.settings.values:
            points = sorted(values[name].scale_points, key=lambda p: p.point)
            shown.append({"name": name, "description": values[name].description,
                          "bottom": points[0].label if points else "", "top": points[-1].label if points else ""})
        return {"values": shown, "mine": mine}

    def check_submission(self, participant: str, body: object, *, entered_by: str = "") -> store.Submission:
        """The scores in ``body``, checked against the round in hand; MeetingError says why not.
        ``entered_by`` names the facilitator when they type a participant's scores for them."""
        with self._lock:
            if self._stage != SCORING or self._option is None:
                raise MeetingError("Scoring is closed for now; your earlier scores are kept.")
            option = self._option
        entries = parse_scores(body, self.question(option))
        if self.settings.policy != FLAG and participant in self.conflicted(option):
            raise MeetingError("You declared an interest in this option, so you do not score it.")
        return store.Submission(participant, option,
                                [(e.value, e.score, e.confidence, e.comment) for e in entries], entered_by)

    def commit(self, submissions: list[store.Submission]) -> list[Accepted | MeetingError]:
        """Commit checked submissions together, each still only if its round is open, then tell
        the listeners once; each result says whether that participant's scores were saved."""
        results: list[Accepted | MeetingError] = []
        with self._lock:
            taken = []
            for submission in submissions:
                if self._stage != SCORING or submission.option != self._option:
                    results.append(MeetingError("Scoring closed before your scores arrived; they were not saved."))
                else:
                    taken.append(submission)
                    results.append(Accepted(submission.participant, submission.option, len(submission.scores)))
            store.save_submissions(self._file, self.settings.meeting, taken)
            for submission in taken:
                marks = self._marks.setdefault(submission.option, {})
                for value, score, confidence, comment in submission.scores:
                    marks[(submission.participant, value)] = Mark(submission.participant, value, score, confidence, comment)
        if taken:
            self._changed("scored")
        return results

    def declare(self, participant: str, body: object) -> None:
        """``{"option": name, "interest": text}``: the participant's interest in an agenda option."""
        if not isinstance(body, dict) or set(body) != {"option", "interest"}:
            raise MeetingError("A declaration names the option and the interest.")
        option = body["option"]
        if not isinstance(option, str) or option not in self.settings.agenda:
            raise MeetingError("That option is not on this meeting's agenda.")
        interest = clean_text(body["interest"], field="the interest", limit=INTEREST_LIMIT)
        if not interest:
            raise MeetingError("Say what the interest is.")
        action = DeclarationAction.RECUSED if self.settings.policy != FLAG else DeclarationAction.NONE
        with self._lock:
            held = self._declared.get((participant, option))
            if held is not None and held[0] == interest:
                return
            if held is not None and held[1] == DeclarationAction.ALLOWED:
                action = DeclarationAction.ALLOWED  # the chair's decision stands
            store.declare(self._file, participant, option, interest, action)
            self._declared[(participant, option)] = (interest, action)
        self._changed("declared")

    def submit_weights(self, participant: str, body: object) -> dict[str, float]:
        """A participant's weights (swing or 100 points), committed; refused outside weighting."""
        with self._lock:
            if self._stage != WEIGHTING:
                raise MeetingError("Weighting is not open now.")
        weights = parse_weights(body, self.settings.values)
        with self._lock:
            if self._stage != WEIGHTING:
                raise MeetingError("Weighting closed before your weights arrived; they were not saved.")
            store.save_weights(self._file, self.settings.meeting, participant, weights)
            self._weights[participant] = weights
        self._changed("weighted")
        return weights


def _interests_of(plan: PlanData) -> tuple[dict[tuple[str, str], tuple[str, DeclarationAction]], tuple[Declaration, ...], dict[str, str]]:
    """Interests in options, by (participant, option): (interest, action); interests in partners
    (covering every option each leads), which come from the plan and are not declared live; and
    each option's lead partner."""
    declared = {(d.participant, d.option): (d.interest, d.action) for d in plan.declarations if d.option}
    return declared, tuple(d for d in plan.declarations if d.partner), interests.lead_partners(plan.options)
