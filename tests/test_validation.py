from dataclasses import replace

import pytest

from placeplanner.model import AgreedScore, Cost, FundingStream, Option, Rule, RuleMeasure, Value
from placeplanner.model.validation import validate_plan
from tests.conftest import small_plan


def errors_of(plan: object) -> list[str]:
    return [str(p) for p in validate_plan(plan).errors]  # type: ignore[arg-type]


def test_the_small_plan_is_valid() -> None:
    findings = validate_plan(small_plan())
    assert findings.errors == []


def test_score_outside_its_scale_is_refused() -> None:
    plan = small_plan()
    plan = replace(plan, agreed_scores=(AgreedScore("Falls service", "Reduces inequalities", 11),))
    assert errors_of(plan) == [
        "agreed score 'Falls service / Reduces inequalities' is 11, outside the scale of 'Reduces inequalities' (0 to 10)"
    ]


def test_negative_budget_is_refused() -> None:
    plan = small_plan()
    stream = replace(plan.funding_streams[0], amounts=((2027, -5.0), (2028, 10.0)))
    plan = replace(plan, funding_streams=(stream, plan.funding_streams[1]))
    assert errors_of(plan) == [
        "funding stream 'Better Care Fund' has a negative amount (\u2212£5) in 2027/28; a budget cannot be below zero"
    ]


def test_requiring_and_excluding_the_same_option_is_refused() -> None:
    plan = small_plan()
    option = replace(plan.options[1], excludes=("Falls service",))
    plan = replace(plan, options=(plan.options[0], option))
    assert errors_of(plan) == ["option 'Healthy schools' both requires and excludes 'Falls service'"]


def test_a_cycle_of_requires_is_refused_and_named() -> None:
    plan = small_plan()
    a = Option("A", "Testford ICB", requires=("B",))
    b = Option("B", "Testford ICB", requires=("C",))
    c = Option("C", "Testford ICB", requires=("A",))
    plan = replace(plan, options=(*plan.options, a, b, c))
    assert errors_of(plan) == ["option 'A' is in a cycle of requirements: 'A' requires 'B' requires 'C' requires 'A'"]


def test_an_option_requiring_itself_is_refused() -> None:
    plan = small_plan()
    plan = replace(plan, options=(*plan.options, Option("Loop", "Testford ICB", requires=("Loop",))))
    assert errors_of(plan) == ["option 'Loop' requires itself"]


def test_a_rule_that_names_nothing_is_refused() -> None:
    plan = replace(small_plan(), rules=(Rule("Digital cap", "tag:digital", RuleMeasure.COUNT, maximum=2),))
    assert errors_of(plan) == ["rule 'Digital cap' applies to tag 'digital', which names nothing in the plan"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("R", "colour:blue", RuleMeasure.COUNT, 1), "should be tag:<tag>, need:<need>, partner:<partner> or kind:<kind>"),
        (Rule("R", "kind:invest", RuleMeasure.COUNT), "sets neither a minimum nor a maximum"),
        (Rule("R", "kind:invest", RuleMeasure.SPEND, 5, 1), "has a minimum (5) above its maximum (1)"),
    ],
)
def test_malformed_rules_are_refused(rule: Rule, message: str) -> None:
    assert any(message in e for e in errors_of(replace(small_plan(), rules=(rule,))))


def test_duplicate_names_are_refused_whatever_their_case() -> None:
    plan = small_plan()
    plan = replace(plan, values=(*plan.values, Value("reduces inequalities ", 5)))
    assert "value 'reduces inequalities ' appears more than once; names must be unique" in errors_of(plan)


def test_unknown_references_are_named() -> None:
    plan = small_plan()
    option = Option("Orphan", "Nobody", costs=(Cost("No such stream", 2027, 1.0), Cost("Better Care Fund", 2031, 1.0)), needs=("Nothing",))
    found = errors_of(replace(plan, options=(*plan.options, option)))
    assert found == [
        "option 'Orphan' is led by 'Nobody', which is not a partner in the plan",
        "option 'Orphan' draws on funding stream 'No such stream', which is not in the plan",
        "option 'Orphan' has a cost in 2031/32, outside the plan's years (2027/28 to 2028/29)",
        "option 'Orphan' addresses need 'Nothing', which is not in the plan",
    ]


def test_a_ring_fence_for_a_missing_tag_is_only_a_warning() -> None:
    plan = small_plan()
    stream = FundingStream("Digital fund", "Testford ICB", ((2027, 1.0),), ring_fenced_for=("tag:digital",))
    findings = validate_plan(replace(plan, funding_streams=(*plan.funding_streams, stream)))
    assert findings.errors == []
    assert [str(w) for w in findings.warnings] == ["funding stream 'Digital fund' is ring-fenced for tag 'digital', which no option has yet"]
