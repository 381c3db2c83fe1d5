"""The same option's cost, and the same portfolio's money, read the same on every surface.

``surfaces`` collects (surface, text) pairs: each surface is rendered the way a user sees it (the
Options table's model, the option's detail pane, the question the console, the projector and the
phone show, the projector's funded list, the Allocation screen's portfolio table, ``solve``'s
text). A surface another part of the program adds (the board paper, the workbook) appends its
own pairs in ``collect``; the checks below then hold for it too.

Money and staff hours are never summed: each surface's money figure is the option's money
alone, written by the one formatter, and where hours are shown they are the hours alone. Every
negative figure takes the true minus sign ("−£240k"), never "-£".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FALLS_CAR, FRAILTY_WARD = "Falls response car", "Frailty virtual ward"
CLINIC = "End the duplicated community diabetes clinic"  # a decommission: releases money and hours
OPTIONS = (FALLS_CAR, FRAILTY_WARD, CLINIC)
# What the demo's costs come to, over 2027/28 to 2028/29 and a year on average.
EXPECTED = {
    FALLS_CAR: {"plan": ("£380k", "1,800 staff hours"), "year": ("£190k", "900 staff hours")},
    FRAILTY_WARD: {"plan": ("£1.85m", "7,000 staff hours"), "year": ("£925k", "3,500 staff hours")},
    CLINIC: {"plan": ("−£240k", "−1,600 staff hours"), "year": ("−£120k", "−800 staff hours")},
}
# Year by year, 2027/28 then 2028/29 (the virtual ward's set-up cost falls in the first year).
BY_YEAR = {
    FALLS_CAR: ["£190k", "£190k"], FRAILTY_WARD: ["£1.00m", "£850k"], CLINIC: ["−£120k", "−£120k"],
}
BY_YEAR_HOURS = {FALLS_CAR: ["900 staff hours"] * 2, FRAILTY_WARD: ["3,500 staff hours"] * 2, CLINIC: ["−800 staff hours"] * 2}
RECONCILED = ("£13.85m", "£2.06m", "£15.91m", "£14.87m", "£1.04m")  # budget, released, available, spent, left
MONEY = re.compile(r"(?:[−-])?£[\d,]+(?:\.\d+)?(?:k|m|bn)?")
HOURS = re.compile(r"(?:[−-] ?)?[\d,]+ staff hours")


@dataclass(frozen=True, slots=True)
class Surface:
    name: str  # where it is shown: "Options table", "phone", ...
    option: str
    text: str  # exactly what the surface shows
    per: str = "plan"  # "plan": over the plan's years; "year": a year on average; "years": each year in turn
    hours: bool = True  # whether the surface shows other resources beside money


def money_figures(text: str) -> list[str]:
    return MONEY.findall(text)


def hours_figures(text: str) -> list[str]:
    """'−£240k − 1,600 staff hours' releases 1,600 hours: the sign before them belongs to them."""
    return [h.replace("− ", "−").replace("- ", "-") for h in HOURS.findall(text)]


# --- collecting what each surface shows ------------------------------------------------------------


@pytest.fixture(scope="module")
def solved(demo_file: Path) -> dict[str, Any]:
    """One solve of the demo plan and one room allocation, shared by every surface."""
    from placeplanner.engine.progress import RunState
    from placeplanner.engine.solve import allocate
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import snapshot_plan
    from placeplanner.service.room_allocation import allocate_for_room

    with PlanService.open(demo_file, auto_backup=False) as service:
        plan = service.read()
        inp = snapshot_plan(service)
        allocation = allocate(inp)
        room = allocate_for_room(service, "Workshop", RunState(), points=2)
    return {"plan": plan, "inp": inp, "allocation": allocation, "room": room}


def options_table(solved: dict[str, Any], _qtbot: Any) -> list[Surface]:
    from PySide6.QtCore import Qt

    from placeplanner.gui.options_model import COST, OptionTableModel
    from placeplanner.model.costs import stream_units

    plan = solved["plan"]
    model = OptionTableModel()
    model.set_options(plan.options, plan.info.plan_years, stream_units(plan))
    out = []
    for name in OPTIONS:
        row = model.row_of(name)
        assert row is not None
        out.append(Surface("Options table", name, model.index(row, COST).data(), per="year"))
        tip = model.index(row, COST).data(Qt.ItemDataRole.ToolTipRole)
        out.append(Surface("Options table tooltip", name, " ".join(tip.splitlines()[1:]), per="years"))
    return out


def option_detail(solved: dict[str, Any], qtbot: Any, editor: Any) -> list[Surface]:
    from placeplanner.gui.option_detail import OptionDetail

    plan = solved["plan"]
    pane = OptionDetail(editor)
    qtbot.addWidget(pane)
    out = []
    for name in OPTIONS:
        pane.show_option(next(o for o in plan.options if o.name == name), plan)
        out.append(Surface("Option detail", name, next(f for f in pane.facts.text().split(" · ") if f.startswith("costs "))))
    return out


def question(solved: dict[str, Any], _qtbot: Any) -> list[Surface]:
    """What the phone page shows as given, and the console and the projector's round put up."""
    from placeplanner.meeting.question import question_for

    plan = solved["plan"]
    values = tuple(v.name for v in plan.values)
    return [Surface("phone, console and projector (question JSON)", name, question_for(plan, name, values).as_json()["cost"])
            for name in OPTIONS]


def projector_funded(solved: dict[str, Any], _qtbot: Any) -> list[Surface]:
    from placeplanner.gui.presentation_allocation import cost_words

    room = solved["room"]
    lines = {line.name: line for line in room.funded}
    # The projector says a release in words ("frees £240k"): it is the same figure, negative.
    return [Surface("projector funded list", name, cost_words(lines[name]).replace("frees ", "−"), hours=False)
            for name in OPTIONS]


def allocation_table(solved: dict[str, Any], _qtbot: Any) -> list[Surface]:
    from placeplanner.gui.allocation_data import PORTFOLIO_COLUMNS, portfolio_cells, portfolio_rows

    rows = {r.name: r for r in portfolio_rows(solved["inp"], solved["allocation"])}
    column = PORTFOLIO_COLUMNS.index("Cost")
    return [Surface("Allocation table", name, portfolio_cells(rows[name], False)[column].text) for name in OPTIONS]


def solve_text(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> list[Surface]:
    from placeplanner.cli import main

    assert main(["solve", str(demo_file)]) == 0
    out = capsys.readouterr().out
    found = []
    for name in OPTIONS:
        line = next(line for line in out.splitlines() if line.startswith(f"  {name}: value "))
        found.append(Surface("placeplanner solve", name, line.split(", ", 1)[1]))
    return found


def paper_and_workbook(demo_file: Path, tmp_path: Path) -> list[Surface]:
    """The board paper's portfolio table (its cost cell: the money, and beneath it the hours) and
    the results workbook's Portfolio sheet (the total cost cell, through the one formatter, and
    the other resources cell beside it), for the decision the demo has on the record."""
    from html import unescape

    from openpyxl import load_workbook

    from placeplanner.money import format_money
    from placeplanner.reports.pdf import render_html
    from placeplanner.reports.record import RecordRequest, gather_record
    from placeplanner.reports.workbook import write_workbook
    from placeplanner.service import PlanService

    with PlanService.open(demo_file, write=False) as service:
        record = gather_record(service, RecordRequest(robustness_samples=0))
    html = render_html(record)
    write_workbook(record, tmp_path / "results.xlsx")
    sheet = load_workbook(tmp_path / "results.xlsx")["Portfolio"]
    header = [c.value for c in sheet[1]]
    first, total = header.index(next(h for h in header if str(h).endswith("2027/28"))), header.index("Total cost")
    found = []
    for name in (FALLS_CAR, FRAILTY_WARD, CLINIC):
        row = re.search(rf'<td class="name">{re.escape(name)}<span.*?</td>\s*<td>[^<]*</td>\s*<td class="num">(.*?)</td>', html, re.DOTALL)
        assert row, name
        found.append(Surface("board paper", name, " ".join(unescape(re.sub(r"<[^>]+>", " ", row.group(1))).split())))
        cells = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == name)
        money = sum(float(c.value or 0) for c in cells[first:total])  # the money streams' cells; the total is their SUM
        assert cells[total].value == f"=SUM({cells[first].coordinate}:{cells[total - 1].coordinate})"
        found.append(Surface("results workbook", name, f"{format_money(money)}; {cells[total + 1].value}"))
    return found


@pytest.fixture
def collect(solved: dict[str, Any], qtbot: Any, demo_file: Path, capsys: pytest.CaptureFixture[str],
            tmp_path: Path) -> Iterator[list[Surface]]:
    """Every surface's text for the three options. Extend with another surface's pairs here."""
    from placeplanner.gui.editing import PlanEditor
    from placeplanner.service import PlanService

    renderers: list[Callable[[dict[str, Any], Any], list[Surface]]] = [options_table, question, projector_funded, allocation_table]
    found = [surface for render in renderers for surface in render(solved, qtbot)]
    found += solve_text(demo_file, capsys)
    found += paper_and_workbook(demo_file, tmp_path)
    with PlanService.open(demo_file, write=False) as service:
        found += option_detail(solved, qtbot, PlanEditor(service))
        yield found


# --- the checks ------------------------------------------------------------------------------------


def test_every_surface_shows_the_same_money_and_never_adds_hours_to_it(collect: list[Surface]) -> None:
    names = {s.name for s in collect}
    assert len(names) >= 7, names
    for surface in collect:
        said = f"{surface.name}, {surface.option}: {surface.text!r}"
        if surface.per == "years":
            assert money_figures(surface.text) == BY_YEAR[surface.option], said
            assert hours_figures(surface.text) == BY_YEAR_HOURS[surface.option], said
            continue
        money, hours = EXPECTED[surface.option][surface.per]
        assert money_figures(surface.text) == [money], said
        assert hours_figures(surface.text) == ([hours] if surface.hours else []), said


def test_one_minus_sign_everywhere(collect: list[Surface]) -> None:
    for surface in collect:
        assert "-£" not in surface.text, surface
        assert "-" not in "".join(money_figures(surface.text) + hours_figures(surface.text)), surface
    releases = [s for s in collect if s.option == CLINIC]
    assert releases
    assert all("−£" in s.text for s in releases)


def test_the_surfaces_named_in_the_issue_agree_on_falls_response_car(collect: list[Surface]) -> None:
    """The figures a finance director compared: £190.9k, £381.8k and £380k were one cost."""
    texts = {s.name: s.text for s in collect if s.option == FALLS_CAR}
    assert texts["Options table"] == "£190k + 900 staff hours"
    assert texts["phone, console and projector (question JSON)"] == "£380k + 1,800 staff hours over 2027/28 to 2028/29"
    assert texts["Allocation table"] == "£380k + 1,800 staff hours"
    assert texts["projector funded list"] == "£380k"
    frailty = {s.name: s.text for s in collect if s.option == FRAILTY_WARD}
    assert frailty["phone, console and projector (question JSON)"].startswith("£1.85m + ")
    assert frailty["projector funded list"] == "£1.85m"


def test_the_headline_money_reconciles_the_same_everywhere(solved: dict[str, Any], demo_file: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from placeplanner.cli import main
    from placeplanner.engine.spend import reconcile as reconciliation
    from placeplanner.gui.meeting_console import allocation_summary
    from placeplanner.gui.presentation_allocation import headline_words, money_words

    room = solved["room"]
    assert main(["solve", str(demo_file)]) == 0
    solve_out = capsys.readouterr().out
    assert main(["info", str(demo_file)]) == 0
    info_out = capsys.readouterr().out
    assert main(["solve", str(demo_file), "--json"]) == 0
    solve_json = json.loads(capsys.readouterr().out)["money"]
    said = {
        "Allocation screen and Compare": reconciliation(solved["inp"], solved["allocation"]).words(),
        "projector": money_words(room),
        "console": allocation_summary(room),
        "placeplanner solve": next(line for line in solve_out.splitlines() if line.startswith("Budget ")),
        "placeplanner solve --json": solve_json["words"],
    }
    for surface, text in said.items():
        assert money_figures(text) == list(RECONCILED), f"{surface}: {text!r}"
    assert solve_json["available"] == pytest.approx(solve_json["budget"] + solve_json["released"])
    assert solve_json["left"] == pytest.approx(solve_json["available"] - solve_json["spent"])
    assert headline_words(room) == f"{len(room.funded)} options funded within the £15.91m available"
    # Before a run, 'info' reconciles the budget with what every option asks.
    asks = next(line for line in info_out.splitlines() if "if every option were funded" in line)
    assert money_figures(asks)[:3] == list(RECONCILED[:3])
    assert asks.rstrip().endswith("over.")


def test_one_core_place_works_out_the_reconciliation(solved: dict[str, Any]) -> None:
    from placeplanner.engine.frontier import total_budget
    from placeplanner.engine.spend import option_costs, reconcile

    inp, allocation, room = solved["inp"], solved["allocation"], solved["room"]
    money = reconcile(inp, allocation)
    assert money.budget == room.reconciliation.budget  # the room may fund otherwise on provisional scores; the pot is the same
    assert money.budget == pytest.approx(total_budget(inp))
    assert money.available == pytest.approx(money.budget + money.released)
    funded = {f.name: f.share for f in allocation.funded}
    # What the funded options cost in money, net of what the decommissions release, is what is spent less released.
    net = sum(option_costs(inp, inp.option(name), share).get("GBP", 0.0) for name, share in funded.items())
    assert net == pytest.approx(money.spent - money.released, abs=1.0)
