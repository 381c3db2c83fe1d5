"""Results that know the plan they came from: a stored result records the audit log's mark and its
inputs' digest, says whether the plan has changed since (decided by the inputs themselves) and what
changed, in words; a decision against a stale result needs it accepted, and records that it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from placeplanner.cli import main
from placeplanner.engine.progress import RunState
from placeplanner.errors import ValidationError
from placeplanner.model import AgreedScore, Participant, Scenario
from placeplanner.service import PlanService
from placeplanner.service.allocation import solve_plan
from placeplanner.service.decisions import adopt, reproduce
from placeplanner.service.staleness import staleness

FALLS, INEQUALITIES = "Falls response car", "Reduces inequalities"
CHANGE = "the agreed score of Falls response car on Reduces inequalities, 5 → 8"


def agree(service: PlanService, option: str, value: str, score: float) -> None:
    earlier = next(a for a in service.read().agreed_scores if (a.option, a.value) == (option, value))
    service.upsert(AgreedScore(option, value, score, "Discussed in the room", earlier.meeting))


def test_a_fresh_result_is_current_and_records_what_it_was_computed_on(demo_copy: Path) -> None:
    with PlanService.open(demo_copy) as service:
        mark = service.plan_mark()
        report = solve_plan(service)
        assert report.snapshot_id is not None
        now = staleness(service, report.snapshot_id)
        assert (now.stale, now.changes, now.count) == (False, (), 0)
        assert now.words() == "The plan has not changed since this run."
    with sqlite3.connect(demo_copy) as connection:
        plan_mark, digest, inputs = connection.execute(
            "SELECT plan_mark, input_digest, inputs FROM results WHERE id = ?", (report.snapshot_id,)).fetchone()
    assert plan_mark == mark
    import hashlib

    assert digest == hashlib.sha256(json.dumps(json.loads(inputs), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def test_agreeing_one_score_makes_the_result_stale_with_that_change_in_words(demo_copy: Path) -> None:
    """The issue's scenario: the demo plan, a run, one score agreed in the meeting."""
    with PlanService.open(demo_copy) as service:
        report = solve_plan(service)
        assert report.snapshot_id is not None
        agree(service, FALLS, INEQUALITIES, 8)
        now = staleness(service, report.snapshot_id)
        assert now.stale
        assert now.changes == (CHANGE,)
        assert now.count == 1
        assert now.words() == f"1 change since this run: {CHANGE}."
        assert now.as_json() == {"stale": True, "changes": [CHANGE]}
        # A second change comes after the first: newest last.
        service.upsert(Scenario("Another what-if", "", {"budget_factor": 0.9}))  # another scenario: not an input
        agree(service, "Frailty virtual ward", INEQUALITIES, 6)
        later = staleness(service, report.snapshot_id)
        assert later.count == 2
        assert later.changes[0] == CHANGE
        assert later.changes[1] == "the agreed score of Frailty virtual ward on Reduces inequalities, 4 → 6"
        assert later.words().startswith(f"2 changes since this run: {CHANGE}; the agreed score of Frailty")


def test_stale_is_decided_by_the_inputs_not_by_the_log(demo_copy: Path) -> None:
    with PlanService.open(demo_copy) as service:
        report = solve_plan(service)
        assert report.snapshot_id is not None
        # A change no allocation reads: still current.
        service.upsert(Participant("Owen Price", "Riverside ICB", "Head of finance"))
        assert not staleness(service, report.snapshot_id).stale
        # A score changed and put back: the inputs are what they were, so current.
        agree(service, FALLS, INEQUALITIES, 8)
        assert staleness(service, report.snapshot_id).stale
        agree(service, FALLS, INEQUALITIES, 5)
        assert staleness(service, report.snapshot_id) == staleness(service, report.snapshot_id)
        assert not staleness(service, report.snapshot_id).stale


def test_a_scenario_run_follows_its_own_scenario(demo_copy: Path) -> None:
    with PlanService.open(demo_copy) as service:
        service.upsert(Scenario("Tighter budget", "", {"budget_factor": 0.9}))
        report = solve_plan(service, "Tighter budget")
        assert report.snapshot_id is not None
        service.upsert(Scenario("Other", "", {"budget_factor": 0.8}))
        assert not staleness(service, report.snapshot_id).stale
        service.upsert(Scenario("Tighter budget", "", {"budget_factor": 0.85}))
        now = staleness(service, report.snapshot_id)
        assert now.stale
        assert now.count == 1
        assert "Tighter budget" in now.changes[0]
        service.delete("scenarios", "Tighter budget")
        gone = staleness(service, report.snapshot_id)
        assert gone.stale
        assert gone.changes[-1] == "the scenario “Tighter budget” is no longer in the plan"


def test_a_room_run_is_judged_on_the_means_it_used(demo_copy: Path) -> None:
    from placeplanner.service.room_allocation import allocate_for_room

    with PlanService.open(demo_copy) as service:
        room = allocate_for_room(service, "Scoring workshop, March 2027", RunState(), policy="flag", points=2)
        assert room.result_id is not None
        assert not staleness(service, room.result_id).stale
        agree(service, FALLS, INEQUALITIES, 8)
        assert staleness(service, room.result_id).changes == (CHANGE,)


def test_a_stale_result_is_adopted_only_when_accepted_and_the_record_says_so(demo_copy: Path) -> None:
    with PlanService.open(demo_copy) as service:
        report = solve_plan(service)
        assert report.snapshot_id is not None
        fresh_id = adopt(service, result_id=report.snapshot_id, title="On the current plan", rationale="Current")
        agree(service, FALLS, INEQUALITIES, 8)
        entries = len(service.audit_log())
        with pytest.raises(ValidationError) as refused:
            adopt(service, result_id=report.snapshot_id, title="Adopted", rationale="Because")
        assert CHANGE in str(refused.value)
        assert "no longer matches the plan" in str(refused.value)
        assert len(service.audit_log()) == entries  # nothing written
        stale_id = adopt(service, result_id=report.snapshot_id, title="Adopted", rationale="Because", accept_stale=True)
        by_id = {d.id: d for d in service.decisions()}
        assert (by_id[fresh_id].stale_when_adopted, by_id[fresh_id].changes_when_adopted) == (False, ())
        assert by_id[stale_id].stale_when_adopted is True
        assert by_id[stale_id].changes_when_adopted == (CHANGE,)
        assert service.audit_log()[-1].after["changes_when_adopted"] == [CHANGE]
        # Still reproduces from its own snapshot, as every decision does.
        assert reproduce(service, stale_id).same_portfolio
    with sqlite3.connect(demo_copy) as connection, pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        connection.execute("UPDATE decisions SET stale_when_adopted = 0 WHERE id = ?", (stale_id,))
    with sqlite3.connect(demo_copy) as connection, pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        connection.execute("UPDATE results SET plan_mark = 0 WHERE id = ?", (report.snapshot_id,))


def test_a_result_stored_before_the_mark_is_judged_by_its_inputs(demo_copy: Path) -> None:
    """The demo's decided result, as a plan from before schema 0007 holds it (no mark, no digest)."""
    with sqlite3.connect(demo_copy) as connection:
        connection.execute("DROP TRIGGER results_are_immutable")
        connection.execute("DROP TRIGGER decisions_are_immutable")
        connection.execute("UPDATE results SET plan_mark = NULL, input_digest = NULL")
        connection.execute("UPDATE decisions SET stale_when_adopted = NULL")
    with PlanService.open(demo_copy) as service:
        (decision,) = service.decisions()
        assert decision.stale_when_adopted is None  # not known for a decision this old
        assert not staleness(service, decision.result_id).stale
        agree(service, FALLS, INEQUALITIES, 8)
        now = staleness(service, decision.result_id)
        assert (now.stale, now.changes) == (True, ())
        assert now.words() == "The plan has changed since this run."


def test_the_demo_decision_matched_the_plan_when_adopted(demo_copy: Path) -> None:
    with PlanService.open(demo_copy, write=False) as service:
        (decision,) = service.decisions()
        assert (decision.stale_when_adopted, decision.changes_when_adopted) == (False, ())
        assert not staleness(service, decision.result_id).stale


def test_solve_json_says_whether_the_result_is_current(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(demo_copy), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["stale"], data["changes"]) == (False, [])
    with PlanService.open(demo_copy, write=False) as service:
        assert not staleness(service, data["snapshot_id"]).stale


def test_decide_refuses_a_stale_result_unless_accepted_and_decisions_says_so(
        demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(demo_copy), "--json"]) == 0
    result_id = json.loads(capsys.readouterr().out)["snapshot_id"]
    with PlanService.open(demo_copy) as service:
        agree(service, FALLS, INEQUALITIES, 8)
    decide = ["decide", str(demo_copy), "--result", str(result_id), "--title", "Second look", "--rationale", "Because"]
    assert main(decide) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()  # one line, naming the change and the way out
    assert f"result {result_id} no longer matches the plan" in line
    assert CHANGE in line
    assert "--accept-stale" in line
    assert captured.out == ""
    with PlanService.open(demo_copy, write=False) as service:
        assert len(service.decisions()) == 1
    assert main([*decide, "--accept-stale"]) == 0
    out = capsys.readouterr().out
    assert f"stale when adopted, and the record says so: 1 change since the run: {CHANGE}." in out
    assert main(["decisions", str(demo_copy)]) == 0
    listing = capsys.readouterr().out
    first, second = listing.split("\n2. ")
    assert "When adopted: the result matched the plan." in first
    assert f"Now: result 1 no longer matches the plan. 1 change since this run: {CHANGE}." in first
    assert f"When adopted: the result was stale, and adopted as such. 1 change since the run: {CHANGE}." in second
    assert f"Now: result {result_id} no longer matches the plan." in second
    # Solving now and adopting that needs no acceptance: it matches the plan.
    assert main(["decide", str(demo_copy), "--title", "Third look", "--rationale", "On the plan as it is"]) == 0
    assert "stale" not in capsys.readouterr().out
    assert main(["decisions", str(demo_copy), "--verify"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("Re-solved from its snapshot: the same portfolio.") == 3
    assert listing.split("\n3. ")[1].count("still matches the plan") == 1


def _scored(service: PlanService, rows: list[tuple[str, str, str, float]]) -> None:
    """Import individual scores for the Workshop: (participant, option, value, score)."""
    import pandas as pd

    from placeplanner.model import PlanData

    frame = pd.DataFrame({"meeting": "Workshop", "participant": [r[0] for r in rows], "option": [r[1] for r in rows],
                          "value": [r[2] for r in rows], "score": [r[3] for r in rows], "confidence": float("nan"),
                          "comment": "", "scored_at": pd.Timestamp("2027-03-10 10:00")})
    service.apply(PlanData(info=service.info()), scores_in=frame, action="import", source="scores.csv")


def test_individual_scores_count_where_no_score_is_agreed(tmp_path: Path) -> None:
    from tests.conftest import small_plan

    health = "Improves population health"
    with PlanService.create(tmp_path / "t.placeplan", small_plan().info) as service:
        service.apply(small_plan(), take_info=True)
        report = solve_plan(service)
        assert report.snapshot_id is not None
        # Falls service is agreed on health: the room's scores there do not move its value.
        _scored(service, [("Asha Patel", "Falls service", health, 2.0)])
        assert not staleness(service, report.snapshot_id).stale
        _scored(service, [("Asha Patel", "Healthy schools", health, 6.0), ("Tom Reid", "Healthy schools", health, 8.0)])
        now = staleness(service, report.snapshot_id)
        assert now.stale
        assert now.changes == ("2 individual scores for Healthy schools given or changed, by 2 people",)
        # The means are worked out again after another score (they are remembered between checks).
        _scored(service, [("Tom Reid", "Healthy schools", health, 4.0)])
        again = solve_plan(service)
        assert again.snapshot_id is not None
        assert not staleness(service, again.snapshot_id).stale
        _scored(service, [("Tom Reid", "Healthy schools", health, 9.0)])
        assert staleness(service, again.snapshot_id).changes == (
            "1 individual score for Healthy schools given or changed, by 1 person",)


def test_a_plan_from_schema_0006_opens_and_its_results_are_judged_by_their_inputs(demo_copy: Path) -> None:
    """Taken back to 0006 by the migration's own downgrade, then opened: upgraded again, its old
    result and decision carry no mark, and are still told apart from the plan by their inputs."""
    from alembic import command
    from sqlalchemy import create_engine

    from placeplanner.storage import schema

    engine = create_engine(f"sqlite:///{demo_copy}")
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0006")
        columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(results)")}
        assert not {"plan_mark", "input_digest"} & columns
    engine.dispose()
    with PlanService.open(demo_copy) as service:
        (decision,) = service.decisions()
        assert decision.stale_when_adopted is None
        assert not staleness(service, decision.result_id).stale
        agree(service, FALLS, INEQUALITIES, 8)
        assert staleness(service, decision.result_id).stale
    with sqlite3.connect(demo_copy) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.head_revision()
        assert connection.execute("SELECT plan_mark, input_digest FROM results WHERE id = 1").fetchone() == (None, None)
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            connection.execute("UPDATE results SET input_digest = 'x' WHERE id = 1")


def test_a_run_not_stored_is_judged_by_its_own_inputs(demo_copy: Path) -> None:
    from placeplanner.engine.solvers import SolverSettings
    from placeplanner.service.allocation import settings_json
    from placeplanner.service.staleness import run_staleness

    with PlanService.open(demo_copy) as service:
        mark = service.plan_mark()
        report = solve_plan(service, record=False)
        inputs = {"snapshot": json.loads(report.snapshot.to_json()), "settings": settings_json(SolverSettings())}
        assert not run_staleness(service, inputs=inputs, scenario="", plan_mark=mark).stale
        agree(service, FALLS, INEQUALITIES, 8)
        now = run_staleness(service, inputs=inputs, scenario="", plan_mark=mark)
        assert (now.result_id, now.stale, now.changes) == (0, True, (CHANGE,))
        gone = run_staleness(service, inputs=inputs, scenario="No such scenario", plan_mark=mark)
        assert gone.changes[-1] == "the scenario “No such scenario” is no longer in the plan"
