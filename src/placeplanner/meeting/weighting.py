"""Weights set in the meeting: each participant's, by swing weighting or 100 points, and the
group's, which the facilitator shows and the room agrees."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from placeplanner.errors import ValidationError
from placeplanner.meeting.submission import MeetingError
from placeplanner.model.swing import Swing, largest_remainder, swing_weights

POINTS = 100


@dataclass(frozen=True, slots=True)
class ValueWeights:
    value: str
    group: float  # the group's weight, the mean of everyone's, rounded so the group's sum to 100
    lowest: float
    highest: float
    individual: tuple[float, ...]  # everyone's weight for this value, ascending (anonymous)


def parse_weights(body: object, values: tuple[str, ...]) -> dict[str, float]:
    """A participant's weights, summing to 100, from either method:
    ``{"method": "points", "points": {value: whole points}}`` (summing to 100), or
    ``{"method": "swing", "swings": {value: {"rank": 1.., "rating": 0..100}}}``."""
    if not isinstance(body, dict) or set(body) - {"method", "points", "swings"}:
        raise MeetingError("Weights come as a method with its points or swings.")
    method = body.get("method")
    if method == "points":
        points = body.get("points")
        if not isinstance(points, dict) or set(points) != set(values):
            raise MeetingError("Give every value its points (0 for none).")
        for value, given in points.items():
            if isinstance(given, bool) or not isinstance(given, int) or not 0 <= given <= POINTS:
                raise MeetingError(f"The points for {value} must be a whole number from 0 to {POINTS}.")
        total = sum(points.values())
        if total != POINTS:
            raise MeetingError(f"The points add up to {total}; share out exactly {POINTS}.")
        return {value: float(points[value]) for value in values}
    if method == "swing":
        swings = body.get("swings")
        if not isinstance(swings, dict) or set(swings) != set(values):
            raise MeetingError("Rank and rate the swing of every value.")
        parsed = []
        for value, given in swings.items():
            if not isinstance(given, dict) or set(given) != {"rank", "rating"}:
                raise MeetingError(f"The swing of {value} needs its rank and its rating.")
            rank, rating = given["rank"], given["rating"]
            if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= len(values):
                raise MeetingError(f"The rank of {value} must be from 1 to {len(values)}.")
            if isinstance(rating, bool) or not isinstance(rating, int | float) or not math.isfinite(rating):
                raise MeetingError(f"The rating of {value} must be a number from 0 to 100.")
            parsed.append(Swing(value, rank, float(rating)))
        try:
            return swing_weights(values, parsed, decimals=1)
        except ValidationError as refusal:
            raise MeetingError(str(refusal.problems[0])) from None
    raise MeetingError("Choose a way to weight: swing weighting or 100 points.")


def group_weights(individual: Mapping[str, Mapping[str, float]], values: tuple[str, ...]) -> list[ValueWeights]:
    """The mean of everyone's weights for each value, rounded to sum to 100, with the range."""
    if not individual:
        return []
    means = {v: statistics.fmean(w.get(v, 0.0) for w in individual.values()) for v in values}
    total = sum(means.values()) or 1.0
    group = largest_remainder(list(values), {v: means[v] / total * 100 for v in values}, 1)
    return [
        ValueWeights(v, group[v], min(w.get(v, 0.0) for w in individual.values()),
                     max(w.get(v, 0.0) for w in individual.values()),
                     tuple(sorted(w.get(v, 0.0) for w in individual.values())))
        for v in values
    ]
