"""The needs screen: inline edits that commit at once, refusals shown in words, undo, and the
indicator chart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.needs_page import PRIORITY_TIP, NeedsPage, NeedTableModel
from placeplanner.model import Indicator, Need
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_plan: Path) -> Iterator[NeedsPage]:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = NeedsPage(editor)
    editor.changed.connect(lambda _tables: shown.refresh())  # as the main window does
    qtbot.addWidget(shown)
    shown.resize(1440, 900)
    shown.show()
    yield shown
    editor.service.close()


def _editor(page: NeedsPage) -> PlanEditor:
    return page._editor


def _cell(page: NeedsPage, name: str, column: int):  # type: ignore[no-untyped-def]
    return page.proxy.mapFromSource(page.model.index(page.model.row_of(name), column))


def _on_file(page: NeedsPage) -> dict[str, Need]:
    """The needs as a second connection to the file sees them: committed, not held in memory."""
    other = PlanService.open(_editor(page).service.path, write=False, auto_backup=False)
    try:
        return {n.name: n for n in other.read().needs}
    finally:
        other.close()


def test_every_need_is_listed_with_the_options_that_address_it(page: NeedsPage) -> None:
    plan = _editor(page).service.read()
    assert page.proxy.rowCount() == len(plan.needs) == 8
    for need in plan.needs:
        addressing = sum(1 for o in plan.options if need.name in o.needs)
        assert _cell(page, need.name, NeedTableModel.OPTIONS).data() == str(addressing)
    frailty = plan.needs[0]
    assert _cell(page, frailty.name, NeedTableModel.PEOPLE).data() == "9,600"
    assert _cell(page, frailty.name, NeedTableModel.PRIORITY).data() == "3"
    assert not page.proxy.flags(_cell(page, frailty.name, NeedTableModel.OPTIONS)) & Qt.ItemFlag.ItemIsEditable
    # Sorted by priority, highest first: the room sees what matters most at the top.
    assert page.proxy.index(0, 0).data() == max(plan.needs, key=lambda n: n.priority).name


def test_priority_explains_itself(page: NeedsPage) -> None:
    header = page.model.headerData(NeedTableModel.PRIORITY, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert header == PRIORITY_TIP
    assert "multiplies the value of options that address it" in header
    name = _editor(page).service.read().needs[0].name
    assert _cell(page, name, NeedTableModel.PRIORITY).data(Qt.ItemDataRole.ToolTipRole) == PRIORITY_TIP


def test_an_inline_edit_commits_to_the_file_and_undo_restores_it(page: NeedsPage) -> None:
    need = _editor(page).service.read().needs[1]
    assert page.proxy.setData(_cell(page, need.name, NeedTableModel.PRIORITY), "4.5")
    assert _on_file(page)[need.name].priority == 4.5
    assert _cell(page, need.name, NeedTableModel.PRIORITY).data() == "4.5"
    assert page.proxy.setData(_cell(page, need.name, NeedTableModel.PEOPLE), "12,000")
    assert _on_file(page)[need.name].people == 12_000
    assert page.message.text() == ""

    editor = _editor(page)
    assert editor.stack.count() == 2
    editor.stack.undo()
    editor.stack.undo()
    assert _on_file(page)[need.name] == need
    assert _cell(page, need.name, NeedTableModel.PRIORITY).data() == f"{need.priority:g}"
    assert _cell(page, need.name, NeedTableModel.PEOPLE).data() == f"{need.people:,}"


def test_a_blank_people_count_means_not_known(page: NeedsPage) -> None:
    need = _editor(page).service.read().needs[0]
    assert page.proxy.setData(_cell(page, need.name, NeedTableModel.PEOPLE), "  ")
    assert _on_file(page)[need.name].people is None


@pytest.mark.parametrize(
    ("column", "typed", "reason"),
    [
        (NeedTableModel.PRIORITY, "-1", "cannot have a negative priority"),
        (NeedTableModel.PRIORITY, "very high", "needs a number for priority, not 'very high'"),
        (NeedTableModel.PRIORITY, "", "needs a priority; it cannot be blank"),
        (NeedTableModel.PEOPLE, "-40", "cannot affect a negative number of people"),
        (NeedTableModel.PEOPLE, "12.5", "needs a whole number for people affected"),
        (NeedTableModel.NAME, "   ", "needs a name; it cannot be blank"),
        (NeedTableModel.NAME, "type 2 DIABETES", "already exists"),
        (NeedTableModel.NAME, "Falls; frailty", "contains ';'"),
    ],
)
def test_a_refused_edit_names_what_and_why_and_changes_nothing(page: NeedsPage, column: int, typed: str, reason: str) -> None:
    editor = _editor(page)
    before = editor.service.read()
    need = before.needs[0]
    assert not page.proxy.setData(_cell(page, need.name, column), typed)
    assert page.message.isVisible()
    assert page.message.text().startswith("Not changed: need '")
    assert reason in page.message.text()
    assert "color: #b3261e" in page.message.styleSheet()  # red: a refusal, not a note
    assert editor.service.read() == before
    assert editor.stack.count() == 0
    assert _on_file(page)[need.name] == need
    # The next good edit clears the refusal.
    assert page.proxy.setData(_cell(page, need.name, NeedTableModel.DESCRIPTION), "Revised")
    assert page.message.text() == ""


def test_a_rename_follows_into_options_and_indicators_and_undoes(page: NeedsPage) -> None:
    editor = _editor(page)
    plan = editor.service.read()
    old = plan.needs[0].name
    page.select_need(old)
    assert page.proxy.setData(_cell(page, old, NeedTableModel.NAME), "Frailty and falls")
    after = editor.service.read()
    assert "Frailty and falls" in {n.name for n in after.needs}
    assert all(old not in o.needs for o in after.options)
    assert {i.need for i in after.indicators if i.name.startswith("Hip fractures")} == {"Frailty and falls"}
    selected = page.selected_need()
    assert selected is not None
    assert selected.name == "Frailty and falls"
    editor.stack.undo()
    assert editor.service.read().needs[0].name == old
    assert page.model.row_of(old) >= 0


def test_add_then_delete_a_need_and_undo_brings_back_its_indicators(page: NeedsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "New need" in _on_file(page)
    selected = page.selected_need()
    assert selected is not None
    assert selected.name == "New need"
    assert page.proxy.rowCount() == 9
    editor.stack.undo()
    assert "New need" not in _on_file(page)
    assert page.proxy.rowCount() == 8

    plan = editor.service.read()
    ruled = {r.applies_to.removeprefix("need:") for r in plan.rules}
    gone = next(n for n in plan.needs if n.name not in ruled and any(i.need == n.name for i in plan.indicators))
    indicators = {i for i in plan.indicators if i.need == gone.name}
    page.select_need(gone.name)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert gone.name not in _on_file(page), page.message.text()
    assert page.model.row_of(gone.name) == -1
    assert f"Deleted “{gone.name}” with {len(indicators)} indicators" in page.message.text()
    editor.stack.undo()
    after = editor.service.read()
    assert gone in after.needs
    assert indicators <= set(after.indicators)
    assert set(after.options) == set(plan.options)


def test_deleting_a_need_a_rule_names_is_refused_in_words(page: NeedsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    plan = _editor(page).service.read()
    rule = next(r for r in plan.rules if r.applies_to.startswith("need:"))
    need = rule.applies_to.removeprefix("need:")
    page.select_need(need)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert need in _on_file(page)
    assert f"rule '{rule.name}' applies to need '{need}'" in page.message.text()
    assert page.message.text().startswith("Not changed")
    assert _editor(page).stack.count() == 0


def test_the_first_need_shows_its_indicators_and_a_chart(page: NeedsPage) -> None:
    plan = _editor(page).service.read()
    first = plan.needs[0]
    page.select_need(first.name)
    rows = [i for i in plan.indicators if i.need == first.name and i.area_name != "England"]
    assert page.indicator_model.rowCount() == len(rows) == 2
    assert page.indicators_title.text().startswith(f"Indicators for {first.name}")
    assert page.need_description.text() == first.description  # in full; the table shows one line
    shown = {page.indicator_model.index(r, 0).data() for r in range(page.indicator_model.rowCount())}
    assert shown == {i.name for i in rows}
    chosen = page.indicator_model.indicator(page.indicator_table.selectionModel().selectedRows()[0].row())

    chart = page.chart
    assert chart.series, "the chart draws the selected indicator"
    place, england = chart.series.items()
    assert place[0].startswith("Riverside")
    assert place[1] == [(chosen.period, chosen.value)]
    comparator = next(i for i in plan.indicators if i.name == chosen.name and i.area_name == "England")
    assert england == ("England", [(comparator.period, comparator.value)])
    assert chart.plot.plotItem.legend is not None
    assert chart.plot.getAxis("left").labelText == chosen.unit
    assert chart.plot.getAxis("bottom").labelText == "Period"
    assert "No comparator" not in chart.caption.text()

    page.select_indicator(1)
    other = page.indicator_model.indicator(1)
    assert next(iter(chart.series.values())) == [(other.period, other.value)]


def test_the_chart_compares_with_england_and_shows_confidence_intervals(page: NeedsPage) -> None:
    editor = _editor(page)
    plan = editor.service.read()
    first = plan.needs[0]
    falls = next(i for i in plan.indicators if i.need == first.name)
    earlier = replace(falls, period="2021/22", value=2_210.0, lower_ci=2_100.0, upper_ci=2_330.0)
    england = [
        Indicator(falls.name, "E92000001", period, value, need=first.name, area_name="England", sex=falls.sex,
                  age=falls.age, unit=falls.unit)
        for period, value in (("2021/22", 2_033.0), ("2022/23", 1_933.0))
    ]
    editor.upsert_many([earlier, *england], "Import England figures")
    page.select_need(first.name)
    keys = [page.indicator_model.indicator(r).key for r in range(page.indicator_model.rowCount())]
    page.select_indicator(keys.index(falls.key))

    series = page.chart.series
    assert series["England"] == [("2021/22", 2_033.0), ("2022/23", 1_933.0)]
    place = [points for name, points in series.items() if name.startswith("Riverside")]
    assert sorted(p for points in place for p in points) == [("2021/22", 2_210.0), ("2022/23", 2_364.0)]
    assert any(isinstance(item, pg.ErrorBarItem) for item in page.chart.plot.plotItem.items)
    assert "against England" in page.chart.caption.text()
    # The list gives each indicator once, at its latest period; England's figures are in the chart.
    listed = [page.indicator_model.indicator(r) for r in range(page.indicator_model.rowCount())]
    assert len(listed) == 2
    assert {(i.area_name, i.period) for i in listed} == {("Riverside", "2022/23")}


def test_a_need_without_indicators_says_so(page: NeedsPage) -> None:
    _editor(page).upsert(Need("Housing and health", 1_000, 1.0))
    page.select_need("Housing and health")
    assert page.indicator_model.rowCount() == 0
    assert not page.chart.series
    assert "No indicators for Housing and health" in page.chart.caption.text()


def test_an_edit_made_elsewhere_shows_on_the_page(page: NeedsPage) -> None:
    editor = _editor(page)
    option = next(o for o in editor.service.read().options if "Smoking in pregnancy" not in o.needs)
    before = _cell(page, "Smoking in pregnancy", NeedTableModel.OPTIONS).data()
    editor.upsert(replace(option, needs=(*option.needs, "Smoking in pregnancy")))
    assert _cell(page, "Smoking in pregnancy", NeedTableModel.OPTIONS).data() == str(int(before) + 1)
