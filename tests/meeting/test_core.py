"""The meeting's plain functions: codes, limits, the question, submissions and the tally."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeplanner.meeting import codes
from placeplanner.meeting.limits import JoinGuard, RateLimiter
from placeplanner.meeting.question import question_for, scale_choices
from placeplanner.meeting.submission import MeetingError, parse_scores
from placeplanner.meeting.tally import FLAG, RECUSE, Mark, discussion_queue, tally_option
from placeplanner.model import ScalePoint, Value
from tests.conftest import small_plan

VALUES = ("Improves population health", "Reduces inequalities")


def test_join_codes_are_short_unambiguous_and_random() -> None:
    made = {codes.new_join_code() for _ in range(500)}
    assert len(made) == 500
    for code in made:
        assert len(code) == codes.JOIN_LENGTH
        assert not set(code) & set("0O1IL5S")


def test_a_typed_code_is_forgiven_case_spaces_and_dashes() -> None:
    assert codes.code_matches(" ab-c 234 ", "ABC234")
    assert not codes.code_matches("ABC235", "ABC234")
    assert not codes.code_matches("", "ABC234")


def test_tokens_carry_at_least_128_bits_and_are_stored_as_digests() -> None:
    token = codes.new_token()
    assert len(token) * 6 >= 128
    assert codes.token_digest(token) != token
    assert len(codes.token_digest(token)) == 64


def test_rate_limiter_allows_a_burst_then_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another key has its own bucket
    now[0] += 0.5
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_rate_limiter_forgets_keys_rather_than_growing_without_bound() -> None:
    limiter = RateLimiter(rate=1, burst=1, max_keys=100)
    for n in range(1000):
        limiter.allow(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._buckets) <= 100


def test_wrong_codes_are_slowed_down_doubling_and_a_right_code_clears() -> None:
    now = [0.0]
    guard = JoinGuard(free=3, first_wait=1, longest=8, clock=lambda: now[0])
    assert [guard.failed("x") for _ in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert guard.wait_left("x") == 8
    assert guard.wait_left("y") == 0
    guard.succeeded("x")
    assert guard.wait_left("x") == 0


def test_scale_choices_offer_each_whole_point_with_its_description() -> None:
    value = Value("V", 1, 0, 10, "", (ScalePoint(0, "None"), ScalePoint(10, "Large")))
    choices = scale_choices(value)
    assert [c.point for c in choices] == [float(p) for p in range(11)]
    assert choices[0].label == "None"
    assert choices[5].label == ""
    wide = Value("W", 1, 0, 100, "", (ScalePoint(0, "low"), ScalePoint(50, "mid"), ScalePoint(100, "high")))
    assert [c.point for c in scale_choices(wide)] == [0, 50, 100]


def test_the_question_shows_the_option_in_hand_and_no_other() -> None:
    question = question_for(small_plan(), "Falls service", VALUES)
    shown = str(question.as_json())
    assert question.cost == "£550k over 2027/28 to 2028/29"
    assert question.needs == ("Falls in older people",)
    assert "Healthy schools" not in shown
    assert "Testford Council" not in shown


def _question():  # type: ignore[no-untyped-def]
    return question_for(small_plan(), "Falls service", VALUES)


def test_a_good_submission_is_read_with_dont_know_confidence_and_comment() -> None:
    entries = parse_scores({"option": "Falls service", "scores": {
        VALUES[0]: {"score": 7, "confidence": "high", "comment": "  strong evidence "},
        VALUES[1]: {"score": None},
    }}, _question())
    assert [(e.value, e.score, e.confidence, e.comment) for e in entries] == [
        (VALUES[0], 7.0, 0.9, "strong evidence"), (VALUES[1], None, None, "")]


@pytest.mark.parametrize(("body", "message"), [
    ([], "JSON object"),
    ({"option": "Healthy schools", "scores": {VALUES[0]: {"score": 5}}}, "not being scored now"),
    ({"option": "Falls service", "scores": {}}, "no scores"),
    ({"option": "Falls service", "scores": {"Profit": {"score": 5}}}, "not a value scored"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 11}}}, "not a point on the scale"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 6.5}}}, "not a point on the scale"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": -1}}}, "not a point on the scale"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": "7"}}}, "must be a number"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": True}}}, "must be a number"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 10**400}}}, "on its scale"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": float("nan")}}}, "on its scale"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 5, "confidence": 0.9}}}, "confidence"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 5, "comment": "x" * 501}}}, "longer than 500"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 5, "comment": "a\x00b"}}}, "not allowed"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 5, "weight": 9}}}, "unexpected field"),
    ({"option": "Falls service", "scores": {VALUES[0]: 5}}, "must be an object"),
    ({"option": "Falls service", "scores": {VALUES[0]: {"score": 5}}, "admin": True}, "unexpected field"),
])
def test_a_bad_submission_is_refused_with_its_reason(body: object, message: str) -> None:
    with pytest.raises(MeetingError, match=message):
        parse_scores(body, _question())


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner, max_size=4),
                    max_leaves=20))
def test_any_json_is_either_accepted_within_the_scale_or_refused_in_words(body: object) -> None:
    question = _question()
    try:
        entries = parse_scores(body, question)
    except MeetingError as refusal:
        message = str(refusal)
        assert message
        return
    for entry in entries:
        value = question.value(entry.value)
        assert value is not None
        assert entry.score is None or entry.score in value.points


def _marks() -> list[Mark]:
    return [
        Mark("Asha", VALUES[0], 8), Mark("Tom", VALUES[0], 7), Mark("Liam", VALUES[0], 2),
        Mark("Mei", VALUES[0], 9), Mark("Grace", VALUES[0], 10), Mark("Mei", VALUES[1], None, comment="unsure"),
        Mark("Asha", VALUES[1], 5), Mark("Tom", VALUES[1], 5),
    ]


def test_a_recused_participants_scores_never_reach_the_tally() -> None:
    tally = tally_option("Falls service", _marks(), scales=dict.fromkeys(VALUES, (0, 10)),
                         conflicted=frozenset({"Grace"}), policy=RECUSE, quorum=3)
    health = tally.values[0]
    assert health.scores == (2, 7, 8, 9)
    assert health.excluded == 1
    assert health.flagged == ()
    assert health.median == 7.5
    assert tally.scorers == 4
    assert not tally.below_quorum


def test_under_the_permissive_policy_a_conflicted_score_counts_and_is_flagged() -> None:
    tally = tally_option("Falls service", _marks(), scales=dict.fromkeys(VALUES, (0, 10)),
                         conflicted=frozenset({"Grace"}), policy=FLAG, quorum=5)
    health = tally.values[0]
    assert health.scores == (2, 7, 8, 9, 10)
    assert health.flagged == (10,)
    assert health.excluded == 0
    assert tally.scorers == 4
    assert tally.below_quorum


def test_wide_spread_dont_knows_and_comments() -> None:
    tally = tally_option("Falls service", _marks(), scales=dict.fromkeys(VALUES, (0, 10)),
                         conflicted=frozenset(), policy=RECUSE, quorum=3)
    health, fairness = tally.values
    # 2, 7, 8, 9, 10: one person far from four who agree is not a divided room (the middle half
    # runs from 7 to 9); see tests/meeting/test_spread_rule.py for the rule
    assert not health.wide
    assert not fairness.wide
    split = tally_option("Falls service", [Mark(p, VALUES[0], s) for p, s in zip("abcdef", (2, 2, 3, 8, 9, 9), strict=True)],
                         scales=dict.fromkeys(VALUES, (0, 10)), conflicted=frozenset(), policy=RECUSE, quorum=3)
    assert split.values[0].wide
    assert fairness.dont_know == 1
    assert fairness.comments == ("unsure",)


def test_the_discussion_queue_puts_the_most_disagreement_first() -> None:
    scales = dict.fromkeys(VALUES, (0, 10))
    agreed = tally_option("A", [Mark(p, VALUES[0], 6) for p in "abc"], scales=scales,
                          conflicted=frozenset(), policy=RECUSE, quorum=3)
    split = tally_option("B", [Mark("a", VALUES[0], 0), Mark("b", VALUES[0], 10), Mark("c", VALUES[0], 5)],
                         scales=scales, conflicted=frozenset(), policy=RECUSE, quorum=3)
    assert [t.option for t in discussion_queue([agreed, split])] == ["B", "A"]
