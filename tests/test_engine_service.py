"""Solving whole plans: the demo, scenarios, conflicts in plain words, greedy, and stored snapshots."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from placeplanner.cli import main
from placeplanner.engine.conflicts import find_conflict
from placeplanner.engine.greedy import greedy
from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, StreamIn, take_snapshot
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.engine.valuation import option_values
from placeplanner.errors import ValidationError
from placeplanner.model import Option, Scenario
from placeplanner.service import PlanService
from placeplanner.service.allocation import resolve_stored, solve_plan
from tests.conftest import small_plan

FULL = (LevelIn("Full", 1.0, 1.0),)


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> Path:
    return demo_file


def test_the_demo_solves_to_proven_optimality_with_both_solvers(demo: Path) -> None:
    with PlanService.open(demo, write=False) as service:
        reports = {name: solve_plan(service, settings=SolverSettings(name), record=False) for name in ("highs", "cbc")}
    highs, cbc = reports["highs"].allocation, reports["cbc"].allocation
    assert highs.status == cbc.status == "optimal"
    assert highs.objective == pytest.approx(cbc.objective)
    assert set(highs.selected_names) == set(cbc.selected_names)
    # Mandatory options are in; the optimiser beats or equals the ranking.
    assert {"Carers' assessments backlog", "Deprivation of Liberty Safeguards assessments"} <= set(highs.selected_names)
    assert reports["highs"].greedy.objective <= highs.objective + 1e-9


def test_a_stored_snapshot_re_solves_to_the_same_portfolio(demo: Path) -> None:
    with PlanService.open(demo, auto_backup=False) as service:
        report = solve_plan(service, "Budget cut 10%")
        assert report.snapshot_id is not None
        stored, fresh = resolve_stored(service, report.snapshot_id)
        assert service.audit_log()[-1].action == "solve"
    assert fresh["selected"] == stored["selected"]
    assert fresh["objective"] == stored["objective"]
    assert stored["scenario"] == "Budget cut 10%"


def test_a_smaller_budget_never_buys_more_value(demo: Path) -> None:
    with PlanService.open(demo, write=False) as service:
        full = solve_plan(service, record=False).allocation
        cut = solve_plan(service, "Budget cut 10%", record=False).allocation
    assert cut.objective is not None
    assert full.objective is not None
    assert cut.objective <= full.objective


def test_snapshots_survive_json_exactly(demo: Path) -> None:
    with PlanService.open(demo, write=False) as service:
        inp = take_snapshot(service.read())
    assert EngineInput.from_json(inp.to_json()) == inp


def test_an_unknown_scenario_or_setting_is_refused_by_name(service: PlanService) -> None:
    with pytest.raises(ValidationError, match="scenario 'Nope' is not in the plan"):
        solve_plan(service, "Nope")
    plan = replace(small_plan(), scenarios=(Scenario("Odd", settings={"budget_factr": 0.9}),))
    with pytest.raises(ValidationError, match="has settings PlacePlanner does not know: budget_factr"):
        take_snapshot(plan, plan.scenarios[0])


def test_values_follow_the_documented_formula() -> None:
    plan = small_plan()
    values, notes = option_values(plan)
    # Falls service: 7/10 on a value weighted 30 of 50 -> 100 * 0.6 * 0.7 = 42, times the need factor
    # (its need's priority 2 over the plan's mean priority 1.5).
    assert values["Falls service"] == pytest.approx(42 * 2 / 1.5)
    assert values["Healthy schools"] == 0
    assert any("has no score at all" in n for n in notes)
    values, notes = option_values(plan, individual_means={("Healthy schools", "Reduces inequalities"): 5.0})
    assert values["Healthy schools"] == pytest.approx(100 * 0.4 * 0.5 * 1 / 1.5)
    assert any("mean of the individual scores (5.0) was used" in n for n in notes)


def test_conflicting_mandatory_options_are_explained_in_words() -> None:
    streams = (StreamIn("Better Care Fund", "ICB", "GBP", ((2027, 2_000_000.0),)),)
    options = (
        OptionIn("Stroke rehabilitation", "invest", "ICB", 5, (("Better Care Fund", 2027, 1_400_000.0),), FULL, mandatory=True),
        OptionIn("Falls service", "invest", "ICB", 5, (("Better Care Fund", 2027, 1_000_000.0),), FULL, mandatory=True),
        OptionIn("Unrelated", "invest", "ICB", 5, (("Better Care Fund", 2027, 10.0),), FULL, requires=("Falls service",)),
    )
    inp = EngineInput("T", (2027,), options, streams, ())
    assert allocate(inp).status == "infeasible"
    conflict = find_conflict(inp)
    assert conflict is not None
    assert conflict.summary == (
        "These rules cannot all hold: the mandatory option Stroke rehabilitation must be funded, needing £1.40m from "
        "Better Care Fund in 2027/28; the mandatory option Falls service must be funded, needing £1.00m from "
        "Better Care Fund in 2027/28; Better Care Fund holds £2.00m in 2027/28."
    )
    # Irreducible: drop any one of the three and a portfolio exists.
    for group in conflict.groups:
        assert allocate(inp, without=[group]).status == "optimal"


def test_an_impossible_rule_is_named(service: PlanService) -> None:
    from placeplanner.model import Rule, RuleMeasure

    service.upsert(Rule("Lots of prevention", "tag:prevention", RuleMeasure.SPEND, minimum=5_000_000))
    report = solve_plan(service, record=False)
    assert report.allocation.status == "infeasible"
    assert report.conflict is not None
    assert "the rule 'Lots of prevention' asks for at least £5.00m for tag 'prevention'" in report.conflict.summary


def test_greedy_takes_the_best_ratio_and_misses_the_better_pair() -> None:
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 100.0),)),)
    options = (
        OptionIn("Small but efficient", "invest", "ICB", 60.0, (("Pot", 2027, 51.0),), FULL),
        OptionIn("Half A", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL),
        OptionIn("Half B", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL),
    )
    inp = EngineInput("T", (2027,), options, streams, ())
    result = greedy(inp)
    assert result.selected == ("Small but efficient",)
    assert result.objective == 60.0
    assert allocate(inp).objective == 100.0


def test_greedy_funds_requirements_with_the_option_and_respects_excludes() -> None:
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 100.0),)),)
    options = (
        OptionIn("Base", "invest", "ICB", 1.0, (("Pot", 2027, 40.0),), FULL),
        OptionIn("Add-on", "invest", "ICB", 90.0, (("Pot", 2027, 10.0),), FULL, requires=("Base",)),
        OptionIn("Rival", "invest", "ICB", 80.0, (("Pot", 2027, 10.0),), FULL, excludes=("Add-on",)),
    )
    result = greedy(EngineInput("T", (2027,), options, streams, ()))
    assert set(result.selected) == {"Base", "Add-on"}


def test_solve_command_json(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(demo), "--json", "--solver", "cbc"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal"
    assert data["gap"] == 0.0
    assert {"name", "level"} <= set(data["selected"][0])
    assert set(data["spend"]) <= set(data["budget"])
    assert data["greedy"]["objective"] <= data["objective"]
    assert data["explanation"] is None
    assert isinstance(data["snapshot_id"], int)


def test_solve_command_explains_an_infeasible_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tight.placeplan"
    plan = small_plan()
    expensive = replace(plan.options[0], costs=tuple(replace(c, amount=5_000_000.0) for c in plan.options[0].costs))
    with PlanService.create(path, plan.info) as service:
        service.apply(replace(plan, options=(expensive, *plan.options[1:])))
    assert main(["solve", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No portfolio keeps every rule.")
    assert ("the mandatory option Falls service must be funded, needing £5.00m from Better Care Fund in 2027/28 "
            "and £5.00m from Better Care Fund in 2028/29") in out
    assert "Better Care Fund holds £1.00m in 2027/28" in out or "Better Care Fund holds £1.00m in 2028/29" in out


def test_an_option_out_of_consideration_is_never_funded(service: PlanService) -> None:
    from placeplanner.model import OptionStatus

    falls = next(o for o in service.read().options if o.name == "Healthy schools")
    service.upsert(replace(falls, status=OptionStatus.OUT_OF_CONSIDERATION))
    assert "Healthy schools" not in solve_plan(service, record=False).allocation.selected_names
    assert isinstance(falls, Option)


def test_the_portfolio_is_broken_down_by_partner_need_and_kind(demo: Path) -> None:
    from placeplanner.service.allocation import report_json

    with PlanService.open(demo, write=False) as service:
        data = report_json(solve_plan(service, record=False))
    money_spent = sum(a for stream, years in data["spend"].items() if data["units"][stream] == "GBP" for a in years.values())
    assert sum(p["pays"] for p in data["by_partner"].values()) == pytest.approx(money_spent, abs=1)
    assert sum(k["options"] for k in data["by_kind"].values()) == len(data["selected"])
    assert sum(k["value"] for k in data["by_kind"].values()) == pytest.approx(data["objective"], abs=0.05)
    assert data["by_need"]["Frailty and falls in over-65s"]["options"] >= 3


def test_the_reach_factor_is_a_scenario_switch() -> None:
    plan = small_plan()
    options = (replace(plan.options[0], people_reached=3000), replace(plan.options[1], people_reached=1000))
    plan = replace(plan, options=options, scenarios=(Scenario("Reach", settings={"reach_factor": True}),))
    plain = take_snapshot(plan)
    reach = take_snapshot(plan, plan.scenarios[0])
    assert reach.option("Falls service").value == pytest.approx(plain.option("Falls service").value * 1.5)
