"""The decision record: reproducible from its snapshot, anonymised, and true to the conflict policy."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from placeplanner.errors import ValidationError
from placeplanner.reports.record import DecisionRecord, RecordRequest, gather_record
from placeplanner.service.allocation import resolve_stored
from placeplanner.service.decisions import portfolio
from tests.reports.conftest import WORKSHOP, open_plan

RECUSED = ("Joanne Kowalski", "Frailty virtual ward")  # recused in the demo: she did not score it
MARKED = "a score she should not have given"


@pytest.fixture
def plan_copy(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.placeplan"
    shutil.copy(demo_file, copy)
    return copy


def test_a_decision_is_reported_from_its_snapshot_which_re_solves_to_the_same_portfolio(
        decided: DecisionRecord, demo_file: Path) -> None:
    assert decided.decision is not None
    assert decided.decision.id == 1
    assert decided.outcome.result_id == decided.decision.result_id
    assert decided.outcome.reproduces is True
    assert decided.outcome.differences == ()
    with open_plan(demo_file, write=False) as service:
        stored, fresh = resolve_stored(service, decided.decision.result_id)
    assert portfolio(stored) == portfolio(fresh)
    assert {line.option: line.level for line in decided.funded} == portfolio(stored)
    assert decided.decisions[0].reproduces is True


def test_a_draft_is_solved_stored_and_re_solved(plan_copy: Path) -> None:
    with open_plan(plan_copy) as service:
        before = len(service.audit_log())
        record = gather_record(service, RecordRequest(meeting=WORKSHOP, draft=True, robustness_samples=0))
        assert record.outcome.result_id is not None  # stored, so the paper can be re-derived
        assert record.audit.entries == before + 1  # the head printed is after the solve was logged
    assert record.outcome.reproduces is True
    assert record.robustness is None
    assert record.meeting is not None
    assert record.meeting.name == WORKSHOP
    assert record.outcome.objective == pytest.approx(sum(line.value for line in record.funded))


def test_a_read_only_plan_is_solved_but_not_stored(demo_file: Path) -> None:
    with open_plan(demo_file, write=False) as service:
        record = gather_record(service, RecordRequest(draft=True, robustness_samples=0))
    assert record.outcome.result_id is None
    assert record.outcome.reproduces is None
    assert record.funded


def test_distributions_are_anonymised_by_default(decided: DecisionRecord) -> None:
    names = [a.name for a in decided.attendees]
    assert len(names) == 12
    shown = repr(decided.scores)
    assert not [name for name in names if name in shown]
    assert all(v.names == () for s in decided.scores for v in s.values)


def test_named_distributions_say_who_gave_each_score(plan_copy: Path) -> None:
    with open_plan(plan_copy) as service:
        record = gather_record(service, RecordRequest(meeting=WORKSHOP, anonymise=False, robustness_samples=0))
    value = record.scores[0].values[0]
    assert len(value.names) == len(value.scores)
    assert set(value.names) <= {a.name for a in record.attendees}


def _score_while_recused(path: Path) -> None:
    """The recused member scores the option anyway (say, typed in by mistake): 0 on every value."""
    with open_plan(path) as service:
        plan = service.read()
        frame = pd.DataFrame({
            "meeting": WORKSHOP, "participant": RECUSED[0], "option": RECUSED[1], "value": [v.name for v in plan.values],
            "score": 0.0, "confidence": float("nan"), "comment": MARKED, "scored_at": pd.Timestamp("2027-03-10 12:00"),
        })
        service.apply(replace(plan, options=()), scores_in=frame)


def test_recused_scores_never_reach_a_distribution_under_the_strict_policy(plan_copy: Path) -> None:
    _score_while_recused(plan_copy)
    with open_plan(plan_copy) as service:
        assert service.info().conflict_policy == "recuse"
        record = gather_record(service, RecordRequest(meeting=WORKSHOP, robustness_samples=0))
    ward = next(s for s in record.scores if s.option == RECUSED[1])
    assert ward.declared == 1
    for value in ward.values:
        assert value.excluded == 1
        assert 0.0 not in value.scores  # nobody else gave the ward a 0
        assert value.flagged == ()
    assert MARKED not in ward.comments
    assert ward.scorers == 11  # unconflicted scorers only


def test_under_the_permissive_policy_they_count_and_are_flagged(plan_copy: Path) -> None:
    _score_while_recused(plan_copy)
    with open_plan(plan_copy) as service:
        service.update_info(replace(service.info(), conflict_policy="flag"))
        record = gather_record(service, RecordRequest(meeting=WORKSHOP, robustness_samples=0))
    assert record.policy == "flag"
    ward = next(s for s in record.scores if s.option == RECUSED[1])
    for value in ward.values:
        assert value.excluded == 0
        assert value.flagged == (0.0,)
        assert 0.0 in value.scores
    assert ward.scorers == 11  # a flagged scorer is still not an unconflicted one


def test_options_below_quorum_are_warned_about(plan_copy: Path) -> None:
    from placeplanner.reports import words

    with open_plan(plan_copy) as service:
        service.update_info(replace(service.info(), quorum=12))
        record = gather_record(service, RecordRequest(meeting=WORKSHOP, robustness_samples=0))
    short = {s.option for s in record.below_quorum}
    assert "Frailty virtual ward" in short  # 11 unconflicted scorers
    assert all(s.scorers < 12 for s in record.below_quorum)
    assert any("fewer than 12 unconflicted scorers" in p for p in words.summary(record))


def test_unknown_meeting_scenario_and_decision_are_named(demo_file: Path) -> None:
    with open_plan(demo_file, write=False) as service:
        with pytest.raises(ValidationError, match=r"'Nope' is not a meeting in the plan \(meetings: 'Scoring workshop"):
            gather_record(service, RecordRequest(meeting="Nope"))
        with pytest.raises(ValidationError, match="scenarios: Budget cut 10%"):
            gather_record(service, RecordRequest(scenario="Nope"))
        with pytest.raises(ValidationError, match=r"no decision 7 \(decisions: 1\)"):
            gather_record(service, RecordRequest(decision=7))
        with pytest.raises(ValidationError, match="is not the scenario of decision 1"):
            gather_record(service, RecordRequest(decision=1, scenario="Budget cut 10%"))


def test_spend_tables_add_up_to_the_result(decided: DecisionRecord) -> None:
    out = decided.outcome
    for table in (decided.spend_by_partner, decided.spend_by_stream, decided.spend_by_need):
        assert table.total == pytest.approx(out.spent)
    assert sum(line.cost for line in decided.funded) == pytest.approx(out.spent - out.released)
    assert out.budget == pytest.approx(sum(sum(s.amounts) for s in decided.money_streams))
    plan_point = [p for p in decided.frontier if p.at_plan_budget]
    assert len(plan_point) == 1
    assert plan_point[0].optimal == pytest.approx(out.objective)
