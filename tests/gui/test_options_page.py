"""The options screen: inline edits commit at once, refusals say why and change nothing,
undo and redo walk edits back, a block pasted from Excel is one step, the detail pane edits costs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.options_model import COLUMNS, KIND, MANDATORY, NAME, NEEDS
from placeplanner.gui.options_page import OptionsPage
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_plan: Path) -> OptionsPage:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    built = OptionsPage(editor)
    editor.changed.connect(lambda _tables: built.refresh())  # as the main window does
    qtbot.addWidget(built)
    built.resize(1440, 900)
    built.show()
    return built


def _index(page: OptionsPage, name: str, column: int):  # type: ignore[no-untyped-def]
    row = page.model.row_of(name)
    assert row is not None
    return page.model.index(row, column)


def _stored(page: OptionsPage):  # type: ignore[no-untyped-def]
    with PlanService.open(page.model._editor.service.path, write=False, auto_backup=False) as fresh:  # type: ignore[union-attr]
        return {o.name: o for o in fresh.read().options}


def test_an_inline_edit_commits_at_once_and_undoes(page: OptionsPage) -> None:
    name = page.model.option_at(0).name
    assert page.model.setData(_index(page, name, KIND), "redesign")
    assert _stored(page)[name].kind.value == "redesign"
    assert page.model.data(_index(page, name, KIND)) == "redesign"
    page.model._editor.stack.undo()  # type: ignore[union-attr]
    assert _stored(page)[name].kind.value != "redesign"


def test_a_bad_cell_is_refused_with_its_reason_and_nothing_changes(page: OptionsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    name = page.model.option_at(0).name
    before = _stored(page)
    assert not page.model.setData(_index(page, name, KIND), "buy a hospital")
    assert page.message.isVisible()
    assert "'buy a hospital' is not a kind" in page.message.text()
    assert not page.model.setData(_index(page, name, NEEDS), "A need nobody agreed")
    assert "A need nobody agreed" in page.message.text()
    other = page.model.option_at(1).name
    assert not page.model.setData(_index(page, name, NAME), other)
    assert "already taken" in page.message.text()
    assert _stored(page) == before


def test_rename_and_mandatory_tick(page: OptionsPage) -> None:
    name = page.model.option_at(2).name
    assert page.model.setData(_index(page, name, NAME), "Renamed in the table")
    assert "Renamed in the table" in _stored(page)
    assert page.model.setData(_index(page, "Renamed in the table", MANDATORY), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert _stored(page)["Renamed in the table"].mandatory


def test_pasting_a_block_from_excel_is_one_undo_step(page: OptionsPage) -> None:
    page.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    first = page.proxy.index(0, KIND)
    page.table.setCurrentIndex(first)
    names = [page.proxy.index(r, NAME).data() for r in range(3)]
    steps = page.model._editor.stack.count()  # type: ignore[union-attr]
    assert page.paste_text("expand\tRiverside Borough Council\nredesign\tRiverside Borough Council\ninvest\tRiverside Borough Council\n") == 3
    stored = _stored(page)
    assert [stored[n].kind.value for n in names] == ["expand", "redesign", "invest"]
    assert all(stored[n].lead_partner == "Riverside Borough Council" for n in names)
    assert page.model._editor.stack.count() == steps + 1  # type: ignore[union-attr]


def test_a_paste_with_one_bad_cell_changes_nothing_and_names_the_cell(page: OptionsPage) -> None:
    page.table.setCurrentIndex(page.proxy.index(0, KIND))
    before = _stored(page)
    assert page.paste_text("expand\ninvent\n") == 0
    assert "pasted row 2" in page.message.text()
    assert COLUMNS[KIND] in page.message.text()
    assert _stored(page) == before


def test_add_then_delete_then_undo(page: OptionsPage) -> None:
    count = page.model.rowCount()
    page.add_option()
    assert page.model.rowCount() == count + 1
    assert "New option 1" in _stored(page)
    page.select("New option 1")
    page.delete_selected()
    assert "New option 1" not in _stored(page)
    page.model._editor.stack.undo()  # type: ignore[union-attr]
    assert "New option 1" in _stored(page)


def test_the_detail_pane_edits_a_cost_and_refuses_text(page: OptionsPage) -> None:
    page.select(page.model.option_at(0).name)
    option = page.selected_option()
    assert option is not None
    assert page.detail.title.text() == option.name
    cell = page.detail.costs.item(0, 0)
    assert cell is not None
    cell.setText("£125k")
    stored = _stored(page)[option.name]
    stream = page.model._editor.service.read().funding_streams[0].name  # type: ignore[union-attr]
    assert stored.cost(stream, page.model._editor.service.info().start_year) == 125_000  # type: ignore[union-attr]
    cell = page.detail.costs.item(0, 0)
    assert cell is not None
    cell.setText("lots")
    assert "is not an amount of money" in page.message.text()
    assert _stored(page)[option.name] == stored


def test_the_detail_pane_shows_money_and_staff_hours_apart_and_edits_hours_as_hours(page: OptionsPage) -> None:
    page.select("Falls response car")
    assert "costs £380k + 1,800 staff hours over 2027/28 to 2028/29" in page.detail.facts.text()
    streams = [s.name for s in page.model._editor.service.read().funding_streams]  # type: ignore[union-attr]
    row = streams.index("Community trust staff hours")
    cell = page.detail.costs.item(row, 0)
    assert cell is not None
    assert cell.text() == "900 staff hours"
    cell.setText("1,000 staff hours")
    assert _stored(page)["Falls response car"].cost("Community trust staff hours", 2027) == 1_000
    assert "costs £380k + 1,900 staff hours" in page.detail.facts.text()
    cell = page.detail.costs.item(row, 0)
    assert cell is not None
    cell.setText("£5k")
    assert "is not a number of staff hours" in page.message.text()


def test_the_detail_pane_lists_interests_declared_in_the_option_or_its_lead_partner(page: OptionsPage) -> None:
    page.select("Strength and balance classes")  # led by Riverside Voluntary Action
    record = page.detail.record.text()
    assert "Nadia Hussain (an interest in Riverside Voluntary Action, which leads it)" in record
    page.select("Frailty virtual ward")
    record = page.detail.record.text()
    assert "Joanne Kowalski: Her directorate would run the virtual ward. (recused)" in record
    assert "Nadia Hussain" not in record
