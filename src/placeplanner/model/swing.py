"""Swing weighting (the SWING step of SMARTS, as decision analysts use it).

With every value at the bottom of its scale, the group ranks the swings to the top by how much
each matters; the first is rated 100 and each other is rated against it (50: worth half as
much). The ratings, scaled to sum to 100, are the weights, so each weight reflects the range its
scale covers rather than the value in the abstract.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from placeplanner.errors import Problem, ValidationError

TOP_RATING = 100.0


@dataclass(frozen=True, slots=True)
class Swing:
    """One value's swing from the bottom to the top of its scale: its rank (1 = the swing that
    matters most; equal ranks are ties) and its rating against the top swing (0 to 100)."""

    value: str
    rank: int
    rating: float


def swing_weights(values: Iterable[str], swings: Iterable[Swing], *, decimals: int = 0) -> dict[str, float]:
    """Weights summing to exactly 100, in the order of ``values``, each rounded to ``decimals``
    places by the largest remainder (the rounding that keeps the total).

    Raises ValidationError naming every value whose swing is missing, unknown, repeated, out of
    range or out of order."""
    names = list(values)
    given = list(swings)
    problems = _problems(names, given)
    if problems:
        raise ValidationError(problems)
    total = sum(s.rating for s in given)
    shares = {s.value: s.rating / total * 100 for s in given}
    return largest_remainder(names, shares, decimals)


def _problems(names: list[str], swings: list[Swing]) -> list[Problem]:
    problems: list[Problem] = []

    def refuse(value: str, column: str, message: str) -> None:
        problems.append(Problem(f"value '{value}'", message, table="values", record=(value,), column=column, inline=True))

    known = set(names)
    counted = Counter(s.value for s in swings)
    for name in names:
        if name not in counted:
            refuse(name, "swing", "has no swing: rank and rate every value")
    for name, count in counted.items():
        if name not in known:
            refuse(name, "swing", "is not one of the values being weighted")
        elif count > 1:
            refuse(name, "swing", f"has {count} swings; give each value one")
    for swing in swings:
        if swing.rank < 1:
            refuse(swing.value, "rank", f"is ranked {swing.rank}; ranks start at 1 for the swing that matters most")
        if not (math.isfinite(swing.rating) and 0 <= swing.rating <= TOP_RATING):
            refuse(swing.value, "rating", f"is rated {swing.rating:g}; a rating is from 0 to 100")
    if problems or not swings:
        return problems

    top = min(s.rank for s in swings)
    for swing in swings:
        if swing.rank == top and swing.rating != TOP_RATING:
            refuse(swing.value, "rating", f"has the top swing, so it is rated 100, not {swing.rating:g}; the others are rated against it")
    for swing in swings:
        above = [s for s in swings if s.rank < swing.rank and s.rating < swing.rating]
        if above:
            lowest = min(above, key=lambda s: (s.rating, s.rank))
            refuse(swing.value, "rating", f"is ranked below '{lowest.value}' but rated higher ({swing.rating:g} against {lowest.rating:g}); move it up or lower its rating")
    return problems


def largest_remainder(names: list[str], shares: dict[str, float], decimals: int) -> dict[str, float]:
    """``shares`` (summing to 100) rounded to ``decimals`` places so they still sum to 100."""
    unit = 10**decimals
    exact = {n: shares[n] * unit for n in names}
    floors = {n: math.floor(exact[n] + 1e-9) for n in names}  # 1e-9: 33.999999... is 34
    short = 100 * unit - sum(floors.values())
    # The biggest remainders get the missing units; a tie goes to the larger share, then to order.
    position = {n: i for i, n in enumerate(names)}
    order = sorted(names, key=lambda n: (-(exact[n] - floors[n]), -exact[n], position[n]))
    for name in order[: max(short, 0)]:
        floors[name] += 1
    return {n: floors[n] / unit for n in names}
