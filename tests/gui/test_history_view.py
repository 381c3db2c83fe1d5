"""The history the app shows: an option's (on the options screen's History tab), a value's and a
weight set's (from the values screen), newest first, in words, following what the plan records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.history_view import HistoryDialog
from placeplanner.gui.options_page import OptionsPage
from placeplanner.gui.values_page import ValuesPage
from placeplanner.model import Cost, Declaration, DeclarationAction
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(demo_plan: Path) -> Iterator[PlanEditor]:
    made = PlanEditor(PlanService.open(demo_plan, auto_backup=False, actor="Asha Patel"))
    yield made
    made.service.close()


@pytest.fixture
def options(qtbot, editor: PlanEditor) -> OptionsPage:  # type: ignore[no-untyped-def]
    page = OptionsPage(editor)
    editor.changed.connect(lambda _tables: page.refresh())  # as the main window does
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    return page


@pytest.fixture
def values(qtbot, editor: PlanEditor) -> ValuesPage:  # type: ignore[no-untyped-def]
    page = ValuesPage(editor)
    editor.changed.connect(lambda _tables: page.refresh())
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    return page


def test_the_history_tab_shows_an_options_changes_newest_first(options: OptionsPage, editor: PlanEditor) -> None:
    option = editor.service.read().options[0]
    options.select(option.name)
    detail = options.detail
    assert [detail.tabs.tabText(i) for i in range(detail.tabs.count())] == ["Details", "History"]
    assert detail.history.items == ()  # read only when the tab is opened
    stream = option.costs[0].stream
    editor.upsert(replace(option, costs=(replace(option.costs[0], amount=option.costs[0].amount + 50_000), *option.costs[1:])),
                  f"Change the cost of “{option.name}”")
    detail.tabs.setCurrentWidget(detail.history)
    items = detail.history.items
    assert items[0].who == "Asha Patel"
    assert items[0].what == f"Changed option “{option.name}”"
    assert items[0].changes[0].startswith(f"cost from {stream} in 2027/28: ")
    assert "→" in items[0].changes[0]
    assert items[-1].what.startswith("Written by the demo:")
    assert [i.id for i in items] == sorted((i.id for i in items), reverse=True)
    text = detail.history.text()
    assert "Asha Patel" in text
    assert f"Changed option “{option.name}”" in text
    assert f"newest first: {len(items)} entries" in detail.history.caption.text()


def test_the_history_follows_the_selection_and_new_edits(options: OptionsPage, editor: PlanEditor) -> None:
    plan = editor.service.read()
    first, second = plan.options[0], plan.options[1]
    options.select(first.name)
    options.detail.tabs.setCurrentWidget(options.detail.history)
    options.select(second.name)
    assert all(second.name in i.what or second.name in " ".join(i.changes) for i in options.detail.history.items)
    person = next(p.name for p in plan.participants if not any(d.participant == p.name and d.option == second.name for d in plan.declarations))
    editor.upsert(Declaration(person, second.name, "Chairs the provider's board", DeclarationAction.RECUSED))
    assert options.detail.history.items[0].what == f"Added {person}'s interest in “{second.name}”"
    editor.rename(second, "Renamed option")
    options.select("Renamed option")
    assert options.detail.history.items[0].changes == (f"name: {second.name} → Renamed option",)
    assert any(f"interest in “{second.name}”" in i.what for i in options.detail.history.items)  # before the rename too


def test_a_new_option_has_a_history_of_one(options: OptionsPage, editor: PlanEditor) -> None:
    options.add_option()
    options.detail.tabs.setCurrentWidget(options.detail.history)
    items = options.detail.history.items
    assert len(items) == 1
    assert items[0].what.startswith("Added option “New option")


def test_a_values_history_opens_beside_the_values_screen(values: ValuesPage, editor: PlanEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    value = editor.service.read().values[0]
    values.select_value(value.name)
    editor.upsert(replace(value, weight=value.weight + 5))
    assert values.history_button.isEnabled()
    qtbot.mouseClick(values.history_button, Qt.MouseButton.LeftButton)
    dialog = values.history_dialog
    assert isinstance(dialog, HistoryDialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.windowTitle() == f"History of the value “{value.name}” and its weights"
    items = dialog.view.items
    assert items[0].changes == (f"weight: {value.weight:g} → {value.weight + 5:g}",)
    assert any(i.what.startswith("Written by the demo: weight set") for i in items)  # its weight in each set
    dialog.close()


def test_a_weight_sets_history_opens_from_its_row(values: ValuesPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert not values.weight_set_history_button.isEnabled()
    values.weight_set_table.selectRow(0)
    assert values.weight_set_history_button.isEnabled()
    qtbot.mouseClick(values.weight_set_history_button, Qt.MouseButton.LeftButton)
    dialog = values.history_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "History of the weight set “Agreed group weights”"
    assert dialog.view.items[0].what == "Written by the demo: weight set “Agreed group weights”"
    dialog.close()


def test_the_history_shows_costs_in_a_streams_own_unit(options: OptionsPage, editor: PlanEditor) -> None:
    plan = editor.service.read()
    hours = next(s for s in plan.funding_streams if s.unit != "GBP")
    option = next(o for o in plan.options if all(c.stream != hours.name for c in o.costs))
    editor.upsert(replace(option, costs=(*option.costs, Cost(hours.name, plan.info.start_year, 250.0))))
    options.select(option.name)
    options.detail.tabs.setCurrentWidget(options.detail.history)
    assert options.detail.history.items[0].changes[-1] == f"cost from {hours.name} in 2027/28: none → 250 {hours.unit}"
