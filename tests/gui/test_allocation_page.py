"""The allocation view on the real demo plan: portfolio, pictures, robustness, conflicts relaxed
as new scenarios, and two scenarios side by side. Every engine call runs in the worker."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.allocation_data import ON_DEMAND, WHY_COLUMN
from placeplanner.gui.allocation_page import PLAN_AS_IT_STANDS, AllocationPage
from placeplanner.model import Scenario

pytestmark = pytest.mark.gui
LONG = 120_000


@pytest.fixture
def page(allocation_page: AllocationPage) -> AllocationPage:
    return allocation_page


def run(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.run_finished, timeout=LONG):
        page.start_run()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=LONG)


def texts(page: AllocationPage, column: int) -> list[str]:
    model = page.portfolio.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_a_run_fills_the_portfolio_and_every_picture(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    run(qtbot, page)
    assert page.headline.text().startswith("Proven best: 32 of 37 options funded")
    assert page.portfolio.model().rowCount() == 37
    decisions = texts(page, 1)
    assert decisions.count("Funded") == 32
    assert decisions.count("Left out") == 5
    assert decisions[:32] == ["Funded"] * 32  # funded first
    assert all(texts(page, WHY_COLUMN)), "every option has its reason in words"
    assert all(cost.startswith(("£", "−£")) and "-" not in cost for cost in texts(page, 4))
    assert ("Budget £13.85m + £2.06m released by decommissions = £15.91m available; £14.87m spent; £1.04m left."
            in page.headline.text())

    page.portfolio.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    values = [float(v) for v in texts(page, 3)]
    assert values == sorted(values, reverse=True)

    page.portfolio_panel.select("Frailty virtual ward")
    assert "Frailty virtual ward" in page.portfolio_panel.detail.text()

    assert page.spend_chart.current is None, "each picture is drawn when its tab is first shown"
    page.tabs.setCurrentWidget(page.spend_chart)
    spend = page.spend_chart.current
    assert spend is not None
    assert spend.title == "By partner"
    assert spend.categories
    assert sum(spend.total(i) for i in range(len(spend.categories))) > 0
    page.spend_chart.buttons[2].click()
    assert page.spend_chart.current is not None
    assert page.spend_chart.current.title == "By need"
    assert "Frailty and falls in over-65s" in page.spend_chart.current.categories
    page.spend_chart.buttons[1].click()
    by_stream = page.spend_chart.current
    assert by_stream is not None
    assert by_stream.available
    assert len(by_stream.years) == 2

    page.tabs.setCurrentWidget(page.value_chart)
    assert page.value_chart.count() == 37
    assert "Frailty virtual ward" in page.value_chart.detail.text()  # the option chosen in the table is ringed
    page.value_chart.pick("Falls response car")
    assert page.value_chart.detail.text().startswith("<b>Falls response car</b>: funded")
    page.show_point(3)
    assert page.point_detail.text().startswith("At £")


def test_robustness_classes_every_option(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    page.robustness.samples.setValue(30)
    with qtbot.waitSignal(page.robustness_finished, timeout=LONG):
        page.start_robustness()
        assert not page.robustness.button.isEnabled()  # one job at a time
    model = page.robustness.model
    assert model.rowCount() == 37
    classes = [model.index(r, 2).data() for r in range(37)]
    assert set(classes) <= {"Core", "Borderline", "Exterior"}
    shares = [model.cell(r, 1).sort for r in range(37)]
    assert all(isinstance(s, float) and 0 <= s <= 1 for s in shares)
    for share, kind in zip(shares, classes, strict=True):
        assert isinstance(share, float)
        assert kind == ("Core" if share >= 0.9 else "Exterior" if share <= 0.1 else "Borderline")
    assert sum(int(c.figure.text()) for c in page.robustness.cards.values()) == 37
    assert page.robustness.summary.text().startswith("30 samples of the agreed weights")
    assert page.tabs.currentWidget() is page.robustness


def test_robustness_can_be_cancelled(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.robustness_finished, timeout=LONG):
        page.start_robustness()
        page.cancel()
    assert page.robustness.summary.text().startswith("Cancelled.")
    assert page.robustness.button.isEnabled()
    assert page.run_button.isEnabled()
    assert page.robustness.model.rowCount() == 0
    assert gc.get_threshold()[2] < 1_000, "full garbage collections are held only while a job runs"


def test_an_infeasible_scenario_offers_to_relax_each_rule(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    editor_service = page._service
    editor_service.upsert(Scenario("Starved", "Almost no money", {"budget_factor": 0.05}))
    page.refresh()
    page.scenario.setCurrentText("Starved")
    run(qtbot, page)
    assert page.headline.text().startswith("No portfolio keeps every rule.")
    assert page.portfolio_stack.currentWidget() is page.conflict_panel
    labels = [b.text() for b in page.conflict_panel.buttons]
    assert "Try without this rule" in labels
    rule_button = next(b for b in page.conflict_panel.buttons if b.text() == "Try without this rule")
    relaxed_rule = rule_button.accessibleName().split("'")[1]

    with qtbot.waitSignal(page.run_finished, timeout=LONG):
        qtbot.mouseClick(rule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.running, timeout=LONG)
    name = f"Starved without '{relaxed_rule}'"
    made = {s.name: s for s in editor_service.read().scenarios}
    assert name in made
    assert made[name].settings["rules_off"] == [relaxed_rule]
    assert made[name].settings["budget_factor"] == 0.05
    assert page.scenario.currentText() == name
    text = page.headline.text()
    assert text.startswith(("Proven best", "No portfolio keeps every rule."))
    if text.startswith("No portfolio"):  # the next conflict is named, without the relaxed rule
        assert page.conflict_panel.buttons
        assert all(relaxed_rule not in b.accessibleName() for b in page.conflict_panel.buttons)

    budget = next(b for b in page.conflict_panel.buttons if b.text() == "Try with the plan's full budget")
    with qtbot.waitSignal(page.run_finished, timeout=LONG):
        budget.click()
    qtbot.waitUntil(lambda: not page.runner.running, timeout=LONG)
    assert page.headline.text().startswith("Proven best"), page.headline.text()
    assert page.portfolio_stack.currentWidget() is page.portfolio_panel


def test_two_scenarios_side_by_side_list_what_enters_and_leaves(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    assert page.scenario.currentText() == PLAN_AS_IT_STANDS
    axis = page.compare.plot.getAxis("bottom")
    assert not axis.style["showValues"], "no money axis before anything is compared"
    page.compare.second.setCurrentText("Budget cut 10%")
    with qtbot.waitSignal(page.comparison_finished, timeout=LONG):
        page.start_comparison()
    assert axis.style["showValues"]
    model = page.compare.model
    rows = [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data(), model.index(r, 3).data())
            for r in range(model.rowCount())]
    assert rows, "a 10% cut drops something"
    assert {change for _, change, _, _ in rows} == {"Leaves"}
    assert all(value.startswith("−") and cost.startswith("−£") for _, _, value, cost in rows)
    first, second = page.compare.cards
    assert first.title.text() == PLAN_AS_IT_STANDS
    assert first.text.text().startswith("32 of 37 options funded")
    assert second.title.text() == "Budget cut 10%"
    assert "options funded" in second.text.text()
    assert f"{len(rows)} leave" in page.compare.summary.text()


def test_comparing_a_scenario_with_itself_is_refused_in_words(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    page.compare.second.setCurrentText(PLAN_AS_IT_STANDS)
    page.start_comparison()
    assert "different" in page.compare.summary.text()
    assert page.run_button.isEnabled()


def test_a_large_plan_explains_the_selected_option_on_demand(qtbot, page: AllocationPage, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import placeplanner.gui.allocation_run as allocation_run

    monkeypatch.setattr(allocation_run, "EXPLAIN_ALL_UP_TO", 10)
    run(qtbot, page)
    panel = page.portfolio_panel
    assert set(texts(page, WHY_COLUMN)) == {ON_DEMAND}
    panel.select("Frailty virtual ward")
    row = panel.model.row_of("Frailty virtual ward")
    qtbot.waitUntil(lambda: panel.model.cell(row, WHY_COLUMN).text.startswith("Leaving it out loses"), timeout=LONG)
    qtbot.waitUntil(lambda: not page.explainer.running, timeout=LONG)
    assert "Leaving Frailty virtual ward out would lose" in panel.detail.text()


def test_the_shortcuts_are_there(page: AllocationPage) -> None:
    from PySide6.QtGui import QShortcut

    keys = {s.key().toString() for s in page.findChildren(QShortcut)}
    assert {"Ctrl+R", "Ctrl+Shift+R", "Ctrl+Shift+C", "Esc"} <= keys
    for widget in (page.scenario, page.run_button, page.cancel_button, page.robustness.button, page.compare.second, page.portfolio):
        assert widget.accessibleName()


def test_robustness_of_a_scenario_with_no_portfolio_says_so(qtbot, page: AllocationPage) -> None:  # type: ignore[no-untyped-def]
    page._service.upsert(Scenario("Starved", "Almost no money", {"budget_factor": 0.05}))
    page.refresh()
    page.scenario.setCurrentText("Starved")
    page.robustness.samples.setValue(10)
    with qtbot.waitSignal(page.robustness_finished, timeout=LONG):
        page.start_robustness()
    assert page.robustness.summary.text().startswith("No portfolio keeps every rule in “Starved”")
    assert page.robustness.model.rowCount() == 0
