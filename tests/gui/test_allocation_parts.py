"""The allocation view's parts without a run in a worker: relaxing a conflict as scenario
settings, where the money goes, and the table model on thousands of rows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from placeplanner.engine.conflicts import Conflict
from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, StreamIn
from placeplanner.engine.spend import reconcile
from placeplanner.gui.allocation_data import (
    MOST_BARS,
    Cell,
    fold,
    portfolio_rows,
    spend_breakdowns,
)
from placeplanner.gui.allocation_relax import relaxations
from placeplanner.gui.allocation_tables import CellTableModel, cell_table

pytestmark = pytest.mark.gui


def _inp() -> EngineInput:
    full = (LevelIn("Full", 1.0, 1.0),)
    return EngineInput(
        "Test", (2027, 2028),
        (OptionIn("A", "invest", "ICB", 10.0, (("Pot", 2027, 100.0),), full),),
        (StreamIn("Pot", "ICB", "GBP", ((2027, 1_000_000.0), (2028, 2_000_000.0))),
         StreamIn("Fenced", "Council", "GBP", ((2027, 50_000.0),), ("tag:prevention",))),
        (),
    )


def test_each_conflicting_rule_is_relaxed_by_one_scenario_setting() -> None:
    conflict = Conflict(
        (("rule", "Two for frailty", "min"), ("mandatory", "A"), ("requires", "A", "B"), ("excluded", "X"),
         ("ring_fence", "Fenced"), ("budget", "Pot", "2027")),
        ("rule", "mandatory", "requires", "excluded", "fence", "budget"),
    )
    base = {"budget_factor": 0.5, "rules_off": ["Older rule"]}
    found = relaxations(conflict, _inp(), "Lean year", base)
    by_sentence = {r.sentence: r for r in found}

    rule = by_sentence["rule"]
    assert rule.scenario == "Lean year without 'Two for frailty'"
    assert rule.settings["rules_off"] == ["Older rule", "Two for frailty"]
    assert rule.settings["budget_factor"] == 0.5
    assert by_sentence["mandatory"].settings["switches"] == {"mandatory": False}
    assert by_sentence["requires"].settings["switches"] == {"requires": False}
    assert by_sentence["fence"].settings["switches"] == {"ring_fences": False}
    assert by_sentence["excluded"].button == "", "out of consideration in the plan itself: no scenario lifts it"
    assert by_sentence["budget"].settings["budget_factor"] == 1.0
    assert by_sentence["budget"].button == "Try with the plan's full budget"
    assert base == {"budget_factor": 0.5, "rules_off": ["Older rule"]}, "the scenario's own settings are untouched"
    assert all("plan itself is not changed" in r.tip for r in found if r.button)


def test_a_budget_at_its_full_size_is_relaxed_by_ten_percent_more() -> None:
    conflict = Conflict((("budget", "Pot", "2027"), ("excluded", "A")), ("budget", "excluded"))
    found = relaxations(conflict, _inp(), "The plan", {"options_out": ["A"], "stream_extra": {"Pot": 5_000.0}})
    budget, excluded = found
    assert budget.settings["stream_extra"] == {"Pot": 205_000.0}  # 10% of its largest year, on top
    assert budget.scenario == "The plan with 10% more money"
    assert excluded.settings["options_out"] == []
    assert excluded.button == "Try with it back in"


def test_a_short_staff_hours_budget_is_relaxed_in_hours_not_money() -> None:
    inp = _inp()
    hours = StreamIn("Staff hours", "ICB", "staff hours", ((2027, 15.0), (2028, 12.0)))
    inp = EngineInput(inp.place, inp.years, inp.options, (*inp.streams, hours), inp.rules)
    (budget,) = relaxations(Conflict((("budget", "Staff hours", "2027"),), ("budget",)), inp, "The plan", {})
    assert budget.scenario == "The plan with 10% more staff hours"
    assert budget.settings["stream_extra"] == {"Staff hours": 2}  # whole hours, not thousands of pounds


def test_where_the_money_goes_adds_up_three_ways(demo_plan: Path) -> None:
    from placeplanner.engine.solve import allocate
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import snapshot_plan

    with PlanService.open(demo_plan, auto_backup=False) as service:
        inp = snapshot_plan(service)
    allocation = allocate(inp)
    partner, stream, need = spend_breakdowns(inp, allocation)
    spent = reconcile(inp, allocation).spent
    for breakdown in (partner, stream, need):
        total = sum(breakdown.total(i) for i in range(len(breakdown.categories)))
        assert total == pytest.approx(spent, abs=1.0), breakdown.title
        assert breakdown.years == (2027, 2028)
    assert stream.available
    assert partner.available
    assert not need.available
    assert all(stream.total(i) <= stream.available[i] + 1 for i in range(len(stream.categories)))
    rows = portfolio_rows(inp, allocation)
    assert [r.funded for r in rows] == sorted((r.funded for r in rows), reverse=True)
    assert sum(r.cost for r in rows if r.funded and r.cost > 0) == pytest.approx(spent, abs=1.0)


def test_the_stored_snapshot_is_what_its_json_gives_back() -> None:
    import json

    from benchmarks.synthetic_engine import generated_input

    from placeplanner.gui.allocation_run import plain

    inp = generated_input(60)
    assert plain(inp) == json.loads(inp.to_json())


def test_many_categories_fold_into_other() -> None:
    rows = [(f"Need {i:02d}", [float(i), 1.0], None) for i in range(20)]
    folded = fold("By need", rows, (2027, 2028))
    assert len(folded.categories) == MOST_BARS
    assert folded.categories[0] == "Need 19"
    assert folded.categories[-1] == f"Other ({20 - MOST_BARS + 1})"
    assert sum(folded.total(i) for i in range(MOST_BARS)) == pytest.approx(sum(i + 1.0 for i in range(20)))


def test_the_table_sorts_five_thousand_rows_at_once_and_keeps_the_selection(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = CellTableModel(("Option", "Value"))
    view = cell_table(model, "Portfolio", "test")
    qtbot.addWidget(view)
    rows = [(Cell(f"Option {i:04d}"), Cell(f"{(i * 37) % 5000:.1f}", float((i * 37) % 5000), number=True)) for i in range(5000)]
    started = time.perf_counter()
    model.set_rows(rows)
    view.show()
    view.selectionModel().select(model.index(model.row_of("Option 0123"), 0),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    elapsed = time.perf_counter() - started
    values = [model.cell(r, 1).sort for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)
    selected = {i.row() for i in view.selectionModel().selectedRows()}
    assert [model.key(r) for r in selected] == ["Option 0123"], "the selection follows its row"
    assert elapsed < 1.0, f"filling and sorting 5,000 rows took {elapsed:.2f} s"
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert model.key(0) == "Option 0000", "no sort column: the order the rows came in"
