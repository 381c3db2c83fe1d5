"""Participants and declarations: inline edits commit to the file, refused ones say why and change
nothing, a declaration moved to another option is one undo step, and the filter follows the
selected participant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QStyleOptionViewItem

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.people_page import CAPTION, PeoplePage, parse_action, parse_date
from placeplanner.gui.record_table import RecordTable
from placeplanner.model import DeclarationAction, PlanData, record_key
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

JOANNE = "Joanne Kowalski"
FRAILTY_WARD = "Frailty virtual ward"


@pytest.fixture
def page(qtbot: Any, demo_plan: Path) -> Iterator[PeoplePage]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = PeoplePage(editor)
    qtbot.addWidget(shown)
    editor.changed.connect(shown.refresh)  # as the main window does
    yield shown
    editor.service.close()


def editor_of(page: PeoplePage) -> PlanEditor:
    return page._editor


def on_disk(page: PeoplePage) -> PlanData:
    other = PlanService.open(editor_of(page).service.path, write=False, auto_backup=False)
    try:
        return other.read()
    finally:
        other.close()


def cell(table: RecordTable, key: tuple[str, ...], title: str) -> Any:
    model = table.source
    row = [record_key(r) for r in model.records].index(key)
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(title)
    return model.index(row, column)


def declaration(plan: PlanData, participant: str, option: str) -> Any:
    return next((d for d in plan.declarations if (d.participant, d.option) == (participant, option)), None)


def test_the_page_shows_participants_declarations_and_explains_the_action(page: PeoplePage) -> None:
    assert page.participants.source.rowCount() == 12
    assert page.declarations.source.rowCount() == 5
    assert cell(page.participants, (JOANNE,), "Declarations").data() == "1"
    assert cell(page.declarations, (JOANNE, FRAILTY_WARD, ""), "Action taken").data() == "Did not score (recused)"
    assert cell(page.declarations, (JOANNE, FRAILTY_WARD, ""), "Declared on").data() == "10 Mar 2027"
    assert page.declaration_count.text() == "5 declarations"
    assert "against a partner to cover every option it leads" in CAPTION
    assert page.declarations.accessibleName() == "Declarations of interest"


def test_a_role_typed_inline_commits_to_the_file(page: PeoplePage) -> None:
    assert page.participants.source.setData(cell(page.participants, (JOANNE,), "Role"), "Chief operating officer")
    person = next(p for p in on_disk(page).participants if p.name == JOANNE)
    assert person.role == "Chief operating officer"


def test_renaming_a_participant_takes_their_declarations_along_and_undo_returns_them(page: PeoplePage) -> None:
    assert page.participants.source.setData(cell(page.participants, (JOANNE,), "Name"), "Joanne Kowalska")
    assert declaration(on_disk(page), "Joanne Kowalska", FRAILTY_WARD) is not None
    assert cell(page.declarations, ("Joanne Kowalska", FRAILTY_WARD, ""), "Participant").data() == "Joanne Kowalska"
    editor_of(page).stack.undo()
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is not None
    assert cell(page.participants, (JOANNE,), "Name").data() == JOANNE


@pytest.mark.parametrize(("name", "reason"), [("", "cannot be blank"), ("david chen", "already taken")])
def test_a_blank_or_duplicate_name_is_refused_and_nothing_changes(page: PeoplePage, name: str, reason: str) -> None:
    assert not page.participants.source.setData(cell(page.participants, (JOANNE,), "Name"), name)
    assert page.participant_message.refused
    assert reason in page.participant_message.text() or "unique" in page.participant_message.text()
    assert JOANNE in {p.name for p in on_disk(page).participants}
    assert editor_of(page).stack.count() == 0


def test_add_a_participant_and_delete_them_with_their_declarations_then_undo(page: PeoplePage) -> None:
    page.add_participant_button.click()
    assert "New participant" in {p.name for p in on_disk(page).participants}
    assert page.participants.selected_record().name == "New participant"

    page.participants.select_key((JOANNE,))
    page.delete_participant_button.click()
    plan = on_disk(page)
    assert JOANNE not in {p.name for p in plan.participants}
    assert declaration(plan, JOANNE, FRAILTY_WARD) is None
    assert page.declarations.source.rowCount() == 4
    assert "1 declaration" in page.participant_message.text()
    editor_of(page).stack.undo()
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is not None
    assert page.declarations.source.rowCount() == 5


def test_record_a_declaration_with_the_form_and_a_duplicate_is_refused(page: PeoplePage) -> None:
    page.participants.select_key(("Helen Whitfield",))  # the form follows the selection
    assert page.new_participant.currentText() == "Helen Whitfield"
    page.new_option.setCurrentText(FRAILTY_WARD)
    page.new_action.setCurrentIndex(page.new_action.findData(DeclarationAction.LEFT_ROOM.value))
    page.new_interest.setText("Her husband works on the ward")
    page.record_button.click()
    recorded = declaration(on_disk(page), "Helen Whitfield", FRAILTY_WARD)
    assert recorded is not None
    assert recorded.action == DeclarationAction.LEFT_ROOM
    assert recorded.declared_on == date.today()
    assert page.new_interest.text() == ""
    assert page.declarations.selected_record() == recorded

    page.new_interest.setText("Again")
    page.record_button.click()
    assert "already declared an interest" in page.declaration_message.text()
    assert declaration(on_disk(page), "Helen Whitfield", FRAILTY_WARD).interest == "Her husband works on the ward"


def test_a_declaration_without_an_interest_is_refused(page: PeoplePage) -> None:
    page.new_participant.setCurrentText("Helen Whitfield")
    page.new_option.setCurrentText(FRAILTY_WARD)
    page.new_interest.setText("   ")
    page.record_button.click()
    assert "does not say what the interest is" in page.declaration_message.text()
    assert declaration(on_disk(page), "Helen Whitfield", FRAILTY_WARD) is None


def test_interest_action_and_date_are_edited_inline(page: PeoplePage) -> None:
    key = (JOANNE, FRAILTY_WARD, "")
    model = page.declarations.source
    assert model.setData(cell(page.declarations, key, "Interest"), "Her directorate runs the ward today")
    assert not model.setData(cell(page.declarations, key, "Interest"), " ")
    assert "does not say what the interest is" in page.declaration_message.text()

    # The action's drop-down, used as the view uses it.
    index = page.declarations.proxy.mapFromSource(cell(page.declarations, key, "Action taken"))
    delegate = page.declarations.itemDelegateForIndex(index)
    combo = delegate.createEditor(page.declarations.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(combo, QComboBox)
    delegate.setEditorData(combo, index)
    assert combo.currentText() == "Did not score (recused)"
    combo.setCurrentIndex(combo.findText("Left the room"))
    delegate.setModelData(combo, page.declarations.proxy, index)
    combo.deleteLater()

    index = page.declarations.proxy.mapFromSource(cell(page.declarations, key, "Declared on"))
    delegate = page.declarations.itemDelegateForIndex(index)
    dates = delegate.createEditor(page.declarations.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(dates, QDateEdit)
    delegate.setEditorData(dates, index)
    assert dates.date() == QDate(2027, 3, 10)
    dates.setDate(QDate(2027, 3, 3))
    delegate.setModelData(dates, page.declarations.proxy, index)
    dates.deleteLater()

    saved = declaration(on_disk(page), JOANNE, FRAILTY_WARD)
    assert saved.interest == "Her directorate runs the ward today"
    assert saved.action == DeclarationAction.LEFT_ROOM
    assert saved.declared_on == date(2027, 3, 3)
    assert cell(page.declarations, key, "Declared on").data() == "3 Mar 2027"
    assert not model.setData(cell(page.declarations, key, "Declared on"), "next Tuesday")
    assert "not a date" in page.declaration_message.text()


def test_moving_a_declaration_to_another_option_is_one_undo_step(page: PeoplePage) -> None:
    other = "Social prescribing link workers"
    assert page.declarations.source.setData(cell(page.declarations, (JOANNE, FRAILTY_WARD, ""), "Interest in"), other)
    plan = on_disk(page)
    assert declaration(plan, JOANNE, FRAILTY_WARD) is None
    moved = declaration(plan, JOANNE, other)
    assert moved is not None
    assert moved.action == DeclarationAction.RECUSED
    assert editor_of(page).stack.count() == 1
    editor_of(page).stack.undo()
    plan = on_disk(page)
    assert declaration(plan, JOANNE, FRAILTY_WARD) is not None
    assert declaration(plan, JOANNE, other) is None
    assert page.declarations.source.rowCount() == 5


def test_moving_a_declaration_onto_one_that_exists_is_refused(page: PeoplePage) -> None:
    model = page.declarations.source
    assert not model.setData(cell(page.declarations, ("Owen Price", "Social prescribing link workers", ""), "Participant"), "Nobody")
    assert "'Nobody', who is not in the plan" in page.declaration_message.text()
    assert model.setData(cell(page.declarations, (JOANNE, FRAILTY_WARD, ""), "Interest in"), "Social prescribing link workers")
    assert not model.setData(cell(page.declarations, ("Owen Price", "Social prescribing link workers", ""), "Participant"), JOANNE)
    assert "already declared an interest" in page.declaration_message.text()
    assert editor_of(page).stack.count() == 1


def test_delete_a_declaration_and_undo(page: PeoplePage) -> None:
    page.declarations.select_key((JOANNE, FRAILTY_WARD, ""))
    page.delete_declaration_button.click()
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is None
    assert cell(page.participants, (JOANNE,), "Declarations").data() == "0"
    editor_of(page).stack.undo()
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is not None
    assert cell(page.participants, (JOANNE,), "Declarations").data() == "1"


def test_the_filter_shows_the_selected_participants_declarations(page: PeoplePage) -> None:
    page.participants.select_key((JOANNE,))
    assert page.declarations.proxy.rowCount() == 5  # filter off: all shown
    page.only_selected.setChecked(True)
    assert page.declarations.proxy.rowCount() == 1
    assert page.declaration_count.text() == f"1 of 5, by {JOANNE}"
    page.participants.select_key(("Helen Whitfield",))
    assert page.declarations.proxy.rowCount() == 0
    page.only_selected.setChecked(False)
    assert page.declarations.proxy.rowCount() == 5


def test_renaming_an_option_elsewhere_follows_into_the_declarations(page: PeoplePage) -> None:
    option = next(o for o in editor_of(page).service.read().options if o.name == FRAILTY_WARD)
    editor_of(page).rename(option, "Frailty virtual ward (hospital at home)")
    assert cell(page.declarations, (JOANNE, "Frailty virtual ward (hospital at home)", ""), "Interest in").data() == \
        "Frailty virtual ward (hospital at home)"
    assert page.new_option.findText("Frailty virtual ward (hospital at home)") >= 0


def test_actions_and_dates_parse_as_people_type_them() -> None:
    assert parse_action("Left the room") == DeclarationAction.LEFT_ROOM
    assert parse_action("recused") == DeclarationAction.RECUSED
    assert parse_action("") == DeclarationAction.NONE
    with pytest.raises(ValueError, match="is not an action"):
        parse_action("went for coffee")
    assert parse_date("10/03/2027") == date(2027, 3, 10)
    assert parse_date("2027-03-10") == date(2027, 3, 10)
    assert parse_date("10 Mar 2027") == date(2027, 3, 10)
    assert parse_date(" ") is None


def test_choosing_another_option_in_the_cell_drop_down_moves_the_declaration(page: PeoplePage, qtbot: Any) -> None:
    page.show()
    other = "Social prescribing link workers"
    index = page.declarations.proxy.mapFromSource(cell(page.declarations, (JOANNE, FRAILTY_WARD, ""), "Interest in"))
    page.declarations.setCurrentIndex(index)
    page.declarations.edit(index)
    combo = page.declarations.indexWidget(index)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText(other))
    combo.activated.emit(combo.currentIndex())  # what choosing from the list does
    qtbot.waitUntil(lambda: declaration(editor_of(page).service.read(), JOANNE, other) is not None)
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is None
    assert {(r.participant, r.option) for r in page.declarations.source.records} >= {(JOANNE, other)}


def test_the_delete_key_deletes_the_selected_declaration(page: PeoplePage, qtbot: Any) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.declarations.select_key((JOANNE, FRAILTY_WARD, ""))
    page.declarations.setFocus()
    qtbot.waitUntil(page.declarations.hasFocus)
    qtbot.keyClick(page.declarations, Qt.Key.Key_Delete)
    assert declaration(on_disk(page), JOANNE, FRAILTY_WARD) is None


def test_an_interest_in_a_partner_is_recorded_with_the_form_and_moved_in_the_cell(page: PeoplePage) -> None:
    plan = on_disk(page)
    lead = next(o.lead_partner for o in plan.options if o.name == FRAILTY_WARD)
    label = f"All options led by {lead}"
    page.new_participant.setCurrentText("Helen Whitfield")
    page.new_option.setCurrentIndex(page.new_option.findText(label))
    page.new_interest.setText("Non-executive director of the trust")
    page.record_button.click()
    recorded = next(d for d in on_disk(page).declarations if d.participant == "Helen Whitfield")
    assert (recorded.option, recorded.partner) == ("", lead)
    key = ("Helen Whitfield", "", lead)
    assert cell(page.declarations, key, "Interest in").data() == label
    assert page.declarations.selected_record() == recorded
    assert page.new_option.findText(label) >= 0  # partners that lead no option are not offered
    assert page.new_option.count() == len(plan.options) + 1 + len({o.lead_partner for o in plan.options})  # and a separator

    # The cell's drop-down offers options and partners; choosing an option moves it, in one undo step.
    assert page.declarations.source.setData(cell(page.declarations, key, "Interest in"), f"option:{FRAILTY_WARD}")
    assert declaration(on_disk(page), "Helen Whitfield", FRAILTY_WARD) is not None
    editor_of(page).stack.undo()
    assert declaration(on_disk(page), "Helen Whitfield", FRAILTY_WARD) is None
    assert any(d.partner == lead for d in on_disk(page).declarations)
