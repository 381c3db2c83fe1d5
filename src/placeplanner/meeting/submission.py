"""Checks on what a participant sends: everything is refusal unless it is exactly what is asked."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from placeplanner.errors import PlanError
from placeplanner.meeting.question import COMMENT_LIMIT, CONFIDENCE, OptionQuestion

NAME_LIMIT = 200
INTEREST_LIMIT = 500


class MeetingError(PlanError):
    """A request the meeting will not take; the message says why, in words the page can show."""


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    value: str
    score: float | None  # None is "don't know"
    confidence: float | None
    comment: str


def clean_text(raw: object, *, field: str, limit: int) -> str:
    """Text a person typed: a string within ``limit`` characters, without control characters
    (line breaks aside), trimmed."""
    if not isinstance(raw, str):
        raise MeetingError(f"{field} must be text")
    if len(raw) > limit:
        raise MeetingError(f"{field} is longer than {limit} characters")
    for ch in raw:
        if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            raise MeetingError(f"{field} holds a character that is not allowed (U+{ord(ch):04X})")
    return raw.strip()


def _only_keys(body: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(body) - allowed)
    if extra:
        raise MeetingError(f"{where} has unexpected field{'s' * (len(extra) > 1)}: {', '.join(extra)[:100]}")


def parse_scores(body: object, question: OptionQuestion) -> list[ScoreEntry]:
    """``{"option": name, "scores": {value: {"score": n|null, "confidence": "low"|..., "comment": s}}}``
    checked against the option in hand: its name, its values, each value's scale."""
    if not isinstance(body, dict):
        raise MeetingError("the request must be a JSON object")
    _only_keys(body, {"option", "scores"}, "the request")
    if body.get("option") != question.option:
        raise MeetingError("these scores are for an option that is not being scored now")
    scores = body.get("scores")
    if not isinstance(scores, dict) or not scores:
        raise MeetingError("no scores were sent")
    entries = []
    for value_name, given in scores.items():
        value = question.value(value_name) if isinstance(value_name, str) else None
        if value is None:
            raise MeetingError(f"'{str(value_name)[:60]}' is not a value scored in this round")
        if not isinstance(given, dict):
            raise MeetingError(f"the score for {value.name} must be an object")
        _only_keys(given, {"score", "confidence", "comment"}, f"the score for {value.name}")
        score = given.get("score")
        if score is not None:
            score = _number(score, value.name)
            if score not in value.points:
                low, high = min(value.points), max(value.points)
                raise MeetingError(f"{score:g} is not a point on the scale of {value.name} ({low:g} to {high:g})")
        confidence = given.get("confidence")
        if confidence is not None and confidence not in CONFIDENCE:
            raise MeetingError(f"confidence for {value.name} must be one of {', '.join(CONFIDENCE)}")
        comment = clean_text(given.get("comment", ""), field=f"the comment on {value.name}", limit=COMMENT_LIMIT)
        entries.append(ScoreEntry(value.name, score, None if confidence is None else CONFIDENCE[confidence], comment))
    return entries


def _number(raw: object, value_name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise MeetingError(f"the score for {value_name} must be a number or \"don't know\"")
    try:
        number = float(raw)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise MeetingError(f"the score for {value_name} must be a number on its scale")
    return number
