"""Frontier, robustness, why in and out, and the value of more money."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from placeplanner.cli import main
from placeplanner.engine.explain import more_money, why
from placeplanner.engine.frontier import frontier, scaled, total_budget
from placeplanner.engine.progress import RunCancelledError, RunState
from placeplanner.engine.robustness import label, robustness, weight_samples
from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, StreamIn, reweighted
from placeplanner.engine.solve import allocate

FULL = (LevelIn("Full", 1.0, 1.0),)


def lumpy() -> EngineInput:
    """At 60 the best buy is A alone; at 100, B and C, and A leaves the portfolio."""
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 100.0),)),)
    options = (
        OptionIn("A", "invest", "ICB", 60.0, (("Pot", 2027, 51.0),), FULL, value_parts=(0.6, 0.0)),
        OptionIn("B", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL, value_parts=(0.0, 1.0)),
        OptionIn("C", "invest", "ICB", 50.0, (("Pot", 2027, 50.0),), FULL, value_parts=(0.0, 1.0)),
    )
    return EngineInput("T", (2027,), options, streams, (), value_names=("Health", "Equity"), weights=(100.0, 50.0))


def test_the_frontier_shows_an_option_leaving_as_the_budget_rises() -> None:
    points = frontier(lumpy(), budgets=[55.0, 100.0])
    assert [p.selected for p in points] == [("A",), ("B", "C")]
    assert [p.objective for p in points] == [60.0, 100.0]
    assert [p.greedy_objective for p in points] == [60.0, 60.0]
    assert [p.budget for p in points] == [55.0, 100.0]


def test_frontier_objectives_never_fall_as_budgets_rise() -> None:
    inp = lumpy()
    points = frontier(inp, factors=[0.2, 0.5, 0.6, 1.0, 1.5])
    values = [p.objective or 0.0 for p in points]
    assert values == sorted(values)
    assert total_budget(scaled(inp, 0.5)) == 50.0


def test_a_long_run_reports_progress_and_can_be_cancelled() -> None:
    seen: list[tuple[int, int]] = []
    state = RunState(on_progress=lambda done, total, _: seen.append((done, total)))
    frontier(lumpy(), factors=[0.5, 1.0], state=state)
    assert seen == [(0, 2), (1, 2), (2, 2)]
    many = frontier(lumpy(), factors=[0.1 * k for k in range(1, 11)], workers=2)
    assert [p.objective for p in many] == [p.objective for p in frontier(lumpy(), factors=[0.1 * k for k in range(1, 11)], workers=1)]

    def stop_after_first(done: int, total: int, message: str) -> None:
        if done >= 1:
            state.cancel()

    state = RunState(on_progress=stop_after_first)
    with pytest.raises(RunCancelledError):
        frontier(lumpy(), factors=[0.5, 1.0, 1.5], state=state)
    state = RunState(on_progress=stop_after_first)
    with pytest.raises(RunCancelledError):
        frontier(lumpy(), factors=[0.1 * k for k in range(1, 11)], state=state, workers=2)


def test_why_in_and_why_out_are_measured_by_re_solving() -> None:
    inp = lumpy()
    base = allocate(inp)
    reasons = {r.name: r for r in why(inp, base)}
    assert reasons["B"].funded
    assert reasons["B"].change_if_flipped == pytest.approx(40.0)
    assert not reasons["A"].funded
    assert reasons["A"].change_if_flipped == pytest.approx(40.0)
    assert "it needs £51 in 2027/28 and only £0 is left" in reasons["A"].reason


def test_an_option_short_of_staff_hours_says_so_in_hours_not_pounds() -> None:
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 100.0),)), StreamIn("Hours", "Trust", "staff hours", ((2027, 1_000.0),)))
    options = (
        OptionIn("A", "invest", "ICB", 60.0, (("Pot", 2027, 10.0), ("Hours", 2027, 900.0)), FULL, value_parts=(0.6, 0.0)),
        OptionIn("B", "invest", "ICB", 50.0, (("Pot", 2027, 10.0), ("Hours", 2027, 800.0)), FULL, value_parts=(0.0, 1.0)),
    )
    inp = EngineInput("T", (2027,), options, streams, (), value_names=("Health", "Equity"), weights=(100.0, 50.0))
    reasons = {r.name: r for r in why(inp, allocate(inp))}
    assert not reasons["B"].funded
    assert "it needs 800 staff hours from Hours in 2027/28 and only 100 staff hours are left" in reasons["B"].reason
    assert "£" not in reasons["B"].reason.split(":", 1)[1]


def test_more_money_is_re_solved_not_estimated() -> None:
    inp = lumpy()
    runs = more_money(inp, allocate(inp), share=0.6)
    pot = runs[0]
    assert (pot.stream, pot.extra_per_year, pot.gain, pot.newly_funded) == ("Pot", 60.0, 60.0, ("A",))


def test_reweighting_changes_values_and_labels_read_right() -> None:
    inp = reweighted(lumpy(), (0.0, 1.0))
    assert [o.value for o in inp.options] == [0.0, 100.0, 100.0]
    assert (label(1.0), label(0.0), label(0.4)) == ("core", "exterior", "borderline")


def test_robustness_counts_core_borderline_and_exterior() -> None:
    inp = lumpy()
    # Half the samples value only health (A wins), half only equity (B and C win).
    values = [{"A": 60.0, "B": 0.0, "C": 0.0}] * 10 + [{"A": 0.0, "B": 50.0, "C": 50.0}] * 10
    result = robustness(inp, values, workers=2)
    assert {c.name: c.core_index for c in result.options} == {"A": 0.5, "B": 0.5, "C": 0.5}
    assert result.samples == 20
    assert result.infeasible_samples == 0
    samples = weight_samples(inp, 5, seed=3, weight_sets=[(1.0, 0.0)])
    assert samples[0] == {"A": pytest.approx(60.0), "B": 0.0, "C": 0.0}


@pytest.fixture(scope="module")
def demo(demo_file: Path) -> Path:
    return demo_file


def test_frontier_command_csv_and_json(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frontier", str(demo), "--points", "4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4
    assert {"budget", "objective", "greedy_objective", "selected"} <= set(rows[0])
    assert all(r["greedy_objective"] <= r["objective"] + 1e-9 for r in rows if r["objective"] is not None)
    assert main(["frontier", str(demo), "--budgets", "8000000,12000000", "--csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "budget,objective,greedy_objective,status,selected"
    assert lines[1].startswith("8000000.0,")


def test_robustness_command(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robustness", str(demo), "--samples", "20", "--mode", "scores", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["samples"] == 20
    assert {o["label"] for o in data["options"]} <= {"core", "borderline", "exterior"}
    mandatory = next(o for o in data["options"] if o["name"] == "Carers' assessments backlog")
    assert mandatory["label"] == "core"


def test_explain_command(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "Funded:" in out
    assert "Left out:" in out
    assert "Carers' assessments backlog is mandatory." in out
    assert "What 10% more money would buy (re-solved, not estimated):" in out
    assert main(["explain", str(demo), "--option", "Nothing"]) == 1


def test_why_out_names_a_rule_at_its_limit() -> None:
    from dataclasses import replace

    from placeplanner.engine.snapshot import RuleIn

    inp = replace(lumpy(), rules=(RuleIn("One at most", "kind", "invest", "count", None, 2),))
    streams = (StreamIn("Pot", "ICB", "GBP", ((2027, 1000.0),)),)
    inp = replace(inp, streams=streams)
    base = allocate(inp)
    left = [r for r in why(inp, base) if not r.funded]
    assert len(left) == 1
    assert "the rule 'One at most' allows at most 2 options and is already at 2" in left[0].reason
