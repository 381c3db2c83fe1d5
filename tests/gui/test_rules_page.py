"""The allocation rules screen: inline edits commit to the file, refusals are shown inline and
change nothing, undo restores, and the selected rule reads back in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.rules_page import (
    ENABLED,
    MAXIMUM,
    MINIMUM,
    NAME,
    TARGET,
    WHICH,
    RulesPage,
    describe_rule,
    parse_bound,
)
from placeplanner.model import PlanData, Rule, RuleMeasure
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

PREVENTION = "At least £500k for prevention"
FRAILTY = "At least two options for frailty and falls"
FRAILTY_NEED = "Frailty and falls in over-65s"


@pytest.fixture
def page(qtbot, demo_plan: Path) -> RulesPage:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    built = RulesPage(editor)
    # As the main window does: refresh the screens whose tables an edit touched.
    editor.changed.connect(lambda tables: built.refresh() if tables & built.TABLES else None)
    qtbot.addWidget(built)
    built.resize(1440, 900)
    built.show()
    return built


def stored(page: RulesPage) -> PlanData:
    """The plan as a second connection to the file sees it: what was committed."""
    other = PlanService.open(page._service.path, write=False, auto_backup=False)
    try:
        return other.read()
    finally:
        other.close()


def rule_named(plan: PlanData, name: str) -> Rule:
    return next(r for r in plan.rules if r.name == name)


def cell(page: RulesPage, name: str, column: int):  # type: ignore[no-untyped-def]
    row = page.model.row_of(name)
    assert row is not None
    return page.model.index(row, column)


def test_an_inline_edit_commits_shows_money_and_undo_restores(page: RulesPage) -> None:
    assert page.model.data(cell(page, PREVENTION, MINIMUM)) == "£500k"
    assert page.model.setData(cell(page, PREVENTION, MINIMUM), "£650k")
    assert rule_named(stored(page), PREVENTION).minimum == 650_000
    assert page.model.data(cell(page, PREVENTION, MINIMUM)) == "£650k"
    assert not page.message.isVisible()

    page._editor.stack.undo()
    assert rule_named(stored(page), PREVENTION).minimum == 500_000
    assert page.model.data(cell(page, PREVENTION, MINIMUM)) == "£500k"


def test_a_minimum_above_the_maximum_is_refused_inline_and_changes_nothing(page: RulesPage) -> None:
    before = stored(page).rules
    assert not page.model.setData(cell(page, FRAILTY, MAXIMUM), "1")
    assert page.message.isVisible()
    text = page.message.text()
    assert FRAILTY in text
    assert "minimum (2) above its maximum (1)" in text
    assert stored(page).rules == before
    assert page._editor.stack.count() == 0
    assert page.model.data(cell(page, FRAILTY, MAXIMUM)) == "none"


def test_a_rule_naming_a_need_that_does_not_exist_is_refused(page: RulesPage) -> None:
    before = stored(page).rules
    assert not page.model.setData(cell(page, FRAILTY, WHICH), "Dragon bites")
    text = page.message.text()
    assert "need 'Dragon bites'" in text
    assert "names nothing in the plan" in text
    assert stored(page).rules == before


def test_text_that_is_not_money_or_a_whole_count_is_refused_with_the_reason(page: RulesPage) -> None:
    assert not page.model.setData(cell(page, PREVENTION, MINIMUM), "lots")
    assert "is not an amount of money" in page.message.text()
    assert not page.model.setData(cell(page, FRAILTY, MINIMUM), "2.5")
    assert "not a whole number of options" in page.message.text()
    assert page._editor.stack.count() == 0


def test_the_target_is_chosen_through_the_combo_delegates(page: RulesPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    # Changing the kind of target keeps the rule valid (first partner), then asks for the name.
    assert page.model.setData(cell(page, FRAILTY, TARGET), "partner")
    first_partner = stored(page).partners[0].name
    assert rule_named(stored(page), FRAILTY).applies_to == f"partner:{first_partner}"

    index = cell(page, FRAILTY, WHICH)
    qtbot.waitUntil(lambda: isinstance(page.table.indexWidget(index), QComboBox))
    combo = page.table.indexWidget(index)
    assert isinstance(combo, QComboBox)
    choices = [combo.itemText(i) for i in range(combo.count())]
    assert choices == [p.name for p in stored(page).partners]
    chosen = choices.index("Riverside Voluntary Action")
    combo.hidePopup()
    combo.setCurrentIndex(chosen)
    combo.activated.emit(chosen)  # as a click on the item does: commits and closes the editor
    assert rule_named(stored(page), FRAILTY).applies_to == "partner:Riverside Voluntary Action"
    assert "options led by 'Riverside Voluntary Action'" in page.sentence.text()


def test_switching_a_rule_off_with_its_checkbox(page: RulesPage) -> None:
    page.select(FRAILTY)
    assert page.model.setData(cell(page, FRAILTY, ENABLED), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert rule_named(stored(page), FRAILTY).enabled is False
    assert page.sentence.text().startswith("Switched off, so the allocation ignores it.")
    assert "2 in use" in page.count_label.text()


def test_renaming_refuses_blank_and_duplicate_names_and_scenarios_follow(page: RulesPage) -> None:
    assert not page.model.setData(cell(page, PREVENTION, NAME), "   ")
    assert "cannot be blank" in page.message.text()
    assert not page.model.setData(cell(page, PREVENTION, NAME), FRAILTY)
    assert "already taken" in page.message.text()
    assert page._editor.stack.count() == 0

    assert page.model.setData(cell(page, PREVENTION, NAME), "Prevention floor")
    plan = stored(page)
    assert "Prevention floor" in {r.name for r in plan.rules}
    ignoring = next(s for s in plan.scenarios if s.name == "Ignore fairness rules")
    assert "Prevention floor" in ignoring.settings["rules_off"]  # type: ignore[operator]
    page._editor.stack.undo()
    assert PREVENTION in {r.name for r in stored(page).rules}


def test_add_then_delete_a_rule_a_scenario_switches_off_in_one_undo_step(page: RulesPage) -> None:
    page.add_button.click()
    assert "New rule" in {r.name for r in stored(page).rules}
    assert page.selected_rule() is not None
    assert page.selected_rule().name == "New rule"  # type: ignore[union-attr]

    page.select(PREVENTION)
    steps = page._editor.stack.count()
    page.delete_button.click()
    plan = stored(page)
    assert PREVENTION not in {r.name for r in plan.rules}
    ignoring = next(s for s in plan.scenarios if s.name == "Ignore fairness rules")
    assert PREVENTION not in ignoring.settings["rules_off"]  # type: ignore[operator]
    assert "no longer switches it off" in page.message.text()
    assert page._editor.stack.count() == steps + 1

    page._editor.stack.undo()
    plan = stored(page)
    assert PREVENTION in {r.name for r in plan.rules}
    ignoring = next(s for s in plan.scenarios if s.name == "Ignore fairness rules")
    assert PREVENTION in ignoring.settings["rules_off"]  # type: ignore[operator]


def test_the_selected_rule_in_plain_words(page: RulesPage) -> None:
    plan = stored(page)
    page.select(FRAILTY)
    addressing = sum(FRAILTY_NEED in o.needs for o in plan.options)
    assert page.sentence.text() == f"At least 2 options for need '{FRAILTY_NEED}'; {addressing} options in the plan address it."
    page.select(PREVENTION)
    assert page.sentence.text().startswith("At least £500k spent over 2027/28 to 2028/29 on options tagged 'prevention';")
    impossible = Rule("Too many", f"need:{FRAILTY_NEED}", RuleMeasure.COUNT, minimum=addressing + 1, maximum=addressing + 1)
    assert describe_rule(impossible, plan).startswith(f"Exactly {addressing + 1} options for need")
    assert describe_rule(impossible, plan).endswith("so this rule cannot be met.")


def test_bounds_as_people_type_them() -> None:
    assert parse_bound("£1.2m", RuleMeasure.SPEND) == 1_200_000
    assert parse_bound("350k", RuleMeasure.SPEND) == 350_000
    assert parse_bound("", RuleMeasure.SPEND) is None
    assert parse_bound("3", RuleMeasure.COUNT) == 3
    with pytest.raises(ValueError, match="whole number"):
        parse_bound("1.5", RuleMeasure.COUNT)
