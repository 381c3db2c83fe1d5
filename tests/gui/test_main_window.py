from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from placeplanner.engine.progress import RunState
from placeplanner.gui.allocation_page import PLAN_AS_IT_STANDS
from placeplanner.gui.main_window import MainWindow, select
from placeplanner.gui.tasks import TaskRunner
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_plan: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(PlanService.open(demo_plan, auto_backup=False))
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_overview_shows_the_budget_and_counts(window: MainWindow) -> None:
    from PySide6.QtWidgets import QFrame, QLabel

    names = {frame.accessibleName() for frame in window.overview.findChildren(QFrame) if frame.accessibleName()}
    assert "shared budget in 2027/28: £7.00m" in names
    sums = next(label for label in window.overview.findChildren(QLabel) if label.accessibleName() == "How the budget and the asks add up")
    assert sums.text() == ("If every option were funded: Budget £13.85m + £2.06m released by decommissions = £15.91m available; "
                           "£21.76m asked; £5.85m over.")
    assert "options: 37" in names
    assert "every change is saved" in window.windowTitle()


def test_options_table_sorts_and_filters(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    select(window, "Options")
    page = window.options
    assert page.proxy.rowCount() == 37
    qtbot.keyClicks(page.filter, "diabetes")
    names = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert names
    assert all("diabetes" in " ".join(page.proxy.index(r, c).data() or "" for c in range(7)).lower() for r in range(len(names)))
    page.filter.clear()
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    first = page.proxy.index(0, 0).data()
    costs = {o.name: sum(c.amount for c in o.costs) for o in window.service.read().options}
    assert costs[first] == max(costs.values())


def test_a_run_shows_the_portfolio_frontier_and_is_stored(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    select(window, "Allocation")
    page = window.allocation
    assert page.scenario.currentText() == PLAN_AS_IT_STANDS
    before = window.service.summary().counts["results"]
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
        assert not page.run_button.isEnabled()  # no double runs while working
    assert page.headline.text().startswith("Proven best: 32 of 37 options funded")
    assert page.portfolio.model().rowCount() == 37
    assert page.portfolio.model().index(0, 1).data().startswith("Funded")
    assert window.service.summary().counts["results"] == before + 1
    page.show_point(3)
    assert page.point_detail.text().startswith("At £")
    assert "Joins:" in page.point_detail.text()


def test_a_run_can_be_cancelled_and_the_window_stays_usable(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.allocation
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        page.start_run()
        page.runner.cancel()
    assert page.headline.text().startswith("Cancelled.")
    assert page.run_button.isEnabled()


def test_an_infeasible_scenario_explains_itself(window: MainWindow, qtbot, demo_plan: Path) -> None:  # type: ignore[no-untyped-def]
    from placeplanner.model import Scenario

    window.service.upsert(Scenario("Starved", "Almost no money", {"budget_factor": 0.05}))
    page = window.allocation
    page.refresh()
    page.scenario.setCurrentText("Starved")
    with qtbot.waitSignal(page.run_finished, timeout=120_000):
        page.start_run()
    assert page.headline.text().startswith("No portfolio keeps every rule. These rules cannot all hold:")


def test_task_runner_reports_failures_in_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()

    def broken(state: RunState) -> None:
        raise ValueError("the budget file is missing")

    with qtbot.waitSignal(runner.failed, timeout=10_000) as blocker:
        runner.start(broken)
    runner.wait()
    assert blocker.args == ["the budget file is missing"]


def test_screenshots_of_every_screen_are_not_blank(demo_plan: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from placeplanner.gui.app import render_screenshots, screenshot_name
    from placeplanner.gui.main_window import screen_names

    saved = render_screenshots(demo_plan, tmp_path / "shots")
    names = [p.name for p in saved]
    assert names[: len(screen_names())] == [f"{screenshot_name(s)}.png" for s in screen_names()]
    assert {"allocation-frontier.png", "allocation-value-for-money.png", "allocation-robustness.png", "allocation-compare.png"} <= set(names)
    assert "partners-and-funding.png" in {p.name for p in saved}
    for path in saved:
        image = QImage(str(path))
        assert image.width() >= 1200
        samples = [image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)]
        background = max(set(samples), key=samples.count)
        inked = sum(1 for p in samples if p != background) / len(samples)
        assert inked > 0.05, f"{path.name} looks blank ({inked:.1%} of it differs from the background)"
        assert len(set(samples)) > 20, f"{path.name} has almost no detail"
