"""Swing weighting: ranks and ratings in, weights summing to exactly 100 out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeplanner.errors import ValidationError
from placeplanner.model.swing import Swing, swing_weights

VALUES = ["Health", "Equity", "Quality", "Deliverability"]


def test_ratings_scaled_to_sum_to_100() -> None:
    swings = [Swing("Health", 1, 100), Swing("Equity", 2, 80), Swing("Quality", 3, 60), Swing("Deliverability", 4, 60)]
    assert swing_weights(VALUES, swings) == {"Health": 33.0, "Equity": 27.0, "Quality": 20.0, "Deliverability": 20.0}


def test_largest_remainder_keeps_the_total_at_100() -> None:
    swings = [Swing(v, 1, 100) for v in VALUES[:3]]
    weights = swing_weights(VALUES[:3], swings)
    assert sum(weights.values()) == 100
    assert sorted(weights.values()) == [33.0, 33.0, 34.0]
    one_place = swing_weights(VALUES[:3], swings, decimals=1)
    assert sorted(one_place.values()) == [33.3, 33.3, 33.4]
    assert sum(one_place.values()) == pytest.approx(100)


def test_weights_come_back_in_the_order_of_the_values() -> None:
    swings = [Swing("Equity", 1, 100), Swing("Health", 2, 50)]
    assert list(swing_weights(["Health", "Equity"], swings)) == ["Health", "Equity"]


def test_ties_and_a_zero_rated_swing() -> None:
    swings = [Swing("Health", 1, 100), Swing("Equity", 1, 100), Swing("Quality", 2, 0), Swing("Deliverability", 2, 0)]
    assert swing_weights(VALUES, swings) == {"Health": 50.0, "Equity": 50.0, "Quality": 0.0, "Deliverability": 0.0}


def _refusal(values: list[str], swings: list[Swing]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        swing_weights(values, swings)
    return caught.value


def test_a_rating_outside_0_to_100_is_refused_naming_the_value() -> None:
    error = _refusal(VALUES[:2], [Swing("Health", 1, 100), Swing("Equity", 2, 120)])
    assert "value 'Equity'" in str(error)
    assert "from 0 to 100" in str(error)
    assert _refusal(VALUES[:2], [Swing("Health", 1, 100), Swing("Equity", 2, -5)]).problems[0].record == ("Equity",)
    assert _refusal(VALUES[:2], [Swing("Health", 1, 100), Swing("Equity", 2, float("nan"))]).problems[0].column == "rating"


def test_a_lower_ranked_swing_rated_above_a_higher_one_is_refused() -> None:
    error = _refusal(VALUES[:3], [Swing("Health", 1, 100), Swing("Equity", 2, 40), Swing("Quality", 3, 70)])
    assert "value 'Quality' is ranked below 'Equity' but rated higher (70 against 40)" in str(error)


def test_the_top_swing_must_be_rated_100() -> None:
    error = _refusal(VALUES[:2], [Swing("Health", 1, 90), Swing("Equity", 2, 50)])
    assert "value 'Health' has the top swing, so it is rated 100" in str(error)
    tied = _refusal(VALUES[:2], [Swing("Health", 1, 100), Swing("Equity", 1, 60)])
    assert tied.problems[0].record == ("Equity",)


def test_missing_unknown_and_repeated_values_are_refused() -> None:
    missing = _refusal(VALUES[:2], [Swing("Health", 1, 100)])
    assert "value 'Equity' has no swing" in str(missing)
    unknown = _refusal(VALUES[:1], [Swing("Health", 1, 100), Swing("Kindness", 2, 50)])
    assert "value 'Kindness' is not one of the values being weighted" in str(unknown)
    twice = _refusal(VALUES[:1], [Swing("Health", 1, 100), Swing("Health", 2, 50)])
    assert "has 2 swings" in str(twice)
    assert "ranks start at 1" in str(_refusal(VALUES[:1], [Swing("Health", 0, 100)]))


def test_every_problem_is_listed() -> None:
    error = _refusal(VALUES, [Swing("Health", 1, 100), Swing("Equity", 2, 150), Swing("Quality", 3, -1)])
    assert {p.record for p in error.problems} == {("Equity",), ("Quality",), ("Deliverability",)}


@st.composite
def _judgements(draw: st.DrawFn) -> tuple[list[str], list[Swing]]:
    """A consistent set of swings: ratings that never rise as the rank falls, the top at 100."""
    count = draw(st.integers(min_value=1, max_value=12))
    names = [f"Value {i}" for i in range(count)]
    ratings = sorted(draw(st.lists(st.integers(min_value=0, max_value=100), min_size=count - 1, max_size=count - 1)), reverse=True)
    ratings = [100, *ratings]
    ranks, rank = [], 1
    for i, rating in enumerate(ratings):
        if i and (rating != ratings[i - 1] or draw(st.booleans())):
            rank += 1
        ranks.append(rank)
    order = draw(st.permutations(range(count)))
    swings = [Swing(names[j], ranks[i], float(ratings[i])) for i, j in enumerate(order)]
    return names, draw(st.permutations(swings))


@given(_judgements(), st.integers(min_value=0, max_value=2))
def test_weights_sum_to_100_and_follow_the_ratings(judgement: tuple[list[str], list[Swing]], decimals: int) -> None:
    names, swings = judgement
    weights = swing_weights(names, swings, decimals=decimals)
    assert list(weights) == names
    assert sum(round(w * 10**decimals) for w in weights.values()) == 100 * 10**decimals
    assert all(w >= 0 for w in weights.values())
    rating = {s.value: s.rating for s in swings}
    for a in names:
        for b in names:
            if rating[a] > rating[b]:
                assert weights[a] >= weights[b]
    for name in names:
        exact = rating[name] / sum(rating.values()) * 100
        assert abs(weights[name] - exact) < 10**-decimals
