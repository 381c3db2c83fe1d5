"""The scenarios screen: a scenario edited in the form and applied is exactly what the
allocation then uses; bad input is named and changes nothing; undo restores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.scenarios_page import (
    CAPTION,
    EXTRA_COLUMN,
    FACTOR_COLUMN,
    Draft,
    ScenariosPage,
    describe_draft,
    draft_from,
    settings_of,
)
from placeplanner.model import PlanData, Scenario
from placeplanner.service import PlanService
from placeplanner.service.allocation import snapshot_plan

pytestmark = pytest.mark.gui

CUT = "Budget cut 10%"
IGNORE = "Ignore fairness rules"


@pytest.fixture
def page(qtbot, demo_plan: Path) -> ScenariosPage:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    built = ScenariosPage(editor)
    # As the main window does: refresh the screens whose tables an edit touched.
    editor.changed.connect(lambda tables: built.refresh() if tables & built.TABLES else None)
    qtbot.addWidget(built)
    built.resize(1440, 900)
    built.show()
    return built


def stored(page: ScenariosPage) -> PlanData:
    other = PlanService.open(page._service.path, write=False, auto_backup=False)
    try:
        return other.read()
    finally:
        other.close()


def scenario(plan: PlanData, name: str) -> Scenario:
    return next(s for s in plan.scenarios if s.name == name)


def type_budget(page: ScenariosPage, qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    page.budget_factor.selectAll()
    qtbot.keyClicks(page.budget_factor, text)
    qtbot.keyClick(page.budget_factor, Qt.Key.Key_Return)


def stream_row(page: ScenariosPage, name: str) -> int:
    return [s.name for s in page._service.read().funding_streams].index(name)


def test_the_caption_says_the_plan_is_not_changed(page: ScenariosPage) -> None:
    assert CAPTION == "A scenario is a set of what-ifs laid over the plan; the plan itself is not changed."
    assert any(CAPTION in label.text() for label in page.findChildren(type(page.title)))


def test_a_budget_factor_typed_and_applied_is_what_the_allocation_uses(page: ScenariosPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.add_button.click()
    name = page._current
    assert name == "New scenario"
    assert scenario(stored(page), name).settings == {}

    type_budget(page, qtbot, "90%")
    assert "a 10% cut" in page.summary.text()
    assert "not applied" in page.state.text()
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    assert "Applied" in page.message.text()
    assert scenario(stored(page), name).settings == {"budget_factor": 0.9}

    plain = {s.name: s for s in snapshot_plan(page._service).streams}
    scenario_input = snapshot_plan(page._service, name)
    for stream in scenario_input.streams:
        factor = 0.9 if stream.is_money else 1.0
        for (year, amount), (same_year, planned) in zip(stream.amounts, plain[stream.name].amounts, strict=True):
            assert year == same_year
            assert amount == pytest.approx(planned * factor)

    page._editor.stack.undo()
    assert scenario(stored(page), name).settings == {}
    assert page.budget_factor.text() == "100%"


def test_every_part_of_the_form_reaches_the_snapshot(page: ScenariosPage) -> None:
    plan = page._service.read()
    page.select(IGNORE)
    stream = "Public health grant share"
    assert page.streams.setData(page.streams.index(stream_row(page, stream), FACTOR_COLUMN), "80%")
    assert page.streams.setData(page.streams.index(stream_row(page, stream), EXTRA_COLUMN), "£50k")
    page.weight_set.setCurrentIndex(page.weight_set.findData("ICB weights"))
    page.reach.setChecked(True)
    assert page.rules_off.set_checked("At least two options for frailty and falls", True)
    assert page.switches_off.set_checked("ring_fences", True)
    out, forced = plan.options[0].name, plan.options[1].name
    page.option_filter.setText(out[:8])
    assert page.options_out.proxy.rowCount() < len(plan.options)
    assert page.options_out.set_checked(out, True)
    assert page.options_in.set_checked(forced, True)
    page.description.setPlainText("Everything at once")

    assert page.apply_changes()
    saved = scenario(stored(page), IGNORE)
    assert saved.description == "Everything at once"
    assert saved.settings["stream_factors"] == {stream: 0.8}
    assert saved.settings["stream_extra"] == {stream: 50_000}
    assert saved.settings["switches"] == {"ring_fences": False}

    inp = snapshot_plan(page._service, IGNORE)
    base = next(s for s in plan.funding_streams if s.name == stream)
    assert dict(inp.stream(stream).amounts) == {y: a * 0.8 + 50_000 for y, a in base.amounts}
    assert inp.rules == ()  # the two switched off before, and the third now
    assert inp.switches.ring_fences is False
    assert inp.option(out).excluded
    assert inp.option(forced).mandatory
    assert inp.weights != snapshot_plan(page._service).weights


def test_a_negative_budget_factor_is_refused_by_name_and_changes_nothing(page: ScenariosPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.select(CUT)
    type_budget(page, qtbot, "-10")
    assert page.message.isVisible()
    assert "overall budget factor" in page.message.text()
    assert "below zero" in page.message.text()
    assert page.budget_factor.text() == "90%"  # the form shows what still holds
    assert page._current not in page._held

    row = stream_row(page, "ICB transformation fund")
    assert not page.streams.setData(page.streams.index(row, FACTOR_COLUMN), "-5%")
    assert "funding stream 'ICB transformation fund'" in page.message.text()
    assert "below zero" in page.message.text()
    assert not page.streams.setData(page.streams.index(row, EXTRA_COLUMN), "a lot")
    assert "is not an amount of money" in page.message.text()
    assert page._editor.stack.count() == 0
    assert scenario(stored(page), CUT).settings == {"budget_factor": 0.9}


def test_apply_names_every_problem_and_saves_nothing(page: ScenariosPage) -> None:
    plan = page._service.read()
    page.select(IGNORE)
    option = plan.options[2].name
    page.options_out.set_checked(option, True)
    page.options_in.set_checked(option, True)
    row = stream_row(page, "Better Care Fund pooled growth")
    assert page.streams.setData(page.streams.index(row, EXTRA_COLUMN), "-£9m")
    assert not page.apply_changes()
    text = page.message.text()
    assert "2 problems" in text or "3 problems" in text
    assert f"option '{option}' is both forced in and forced out" in text
    assert "funding stream 'Better Care Fund pooled growth' would hold" in text
    assert page._editor.stack.count() == 0
    assert scenario(stored(page), IGNORE) == scenario(plan, IGNORE)


def test_renaming_refuses_blank_and_duplicate_names_and_undo_restores(page: ScenariosPage) -> None:
    index = page.names.index(page.names.row_of(CUT) or 0)
    assert not page.names.setData(index, "  ")
    assert "cannot be blank" in page.message.text()
    assert not page.names.setData(index, IGNORE)
    assert "already taken" in page.message.text()
    assert page._editor.stack.count() == 0

    assert page.names.setData(index, "Council cut")
    assert {s.name for s in stored(page).scenarios} == {"Council cut", IGNORE}
    assert page._current == "Council cut"
    assert page.title.text() == "Council cut"
    page._editor.stack.undo()
    assert {s.name for s in stored(page).scenarios} == {CUT, IGNORE}
    assert page._current == CUT


def test_drafts_are_kept_per_scenario_until_applied_or_reverted(page: ScenariosPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.select(CUT)
    type_budget(page, qtbot, "80")
    page.select(IGNORE)
    assert page.budget_factor.text() == "100%"
    assert "(changed)" in page.names.data(page.names.index(page.names.row_of(CUT) or 0))
    page.select(CUT)
    assert page.budget_factor.text() == "80%"
    assert page.revert_button.isEnabled()
    page.revert_button.click()
    assert page.budget_factor.text() == "90%"
    assert not page.revert_button.isEnabled()
    assert not page.apply_button.isEnabled()
    assert scenario(stored(page), CUT).settings == {"budget_factor": 0.9}


def test_ctrl_s_applies(page: ScenariosPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.select(CUT)
    page.activateWindow()
    page.budget_factor.setFocus()
    type_budget(page, qtbot, "95")
    qtbot.keyClick(page.budget_factor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert scenario(stored(page), CUT).settings == {"budget_factor": 0.95}


def test_duplicate_and_delete_with_undo(page: ScenariosPage) -> None:
    page.select(CUT)
    page.duplicate_button.click()
    copy = scenario(stored(page), f"{CUT} (copy)")
    assert copy.settings == {"budget_factor": 0.9}
    assert page._current == copy.name

    page.delete_button.click()
    assert copy.name not in {s.name for s in stored(page).scenarios}
    assert "Undo brings it back" in page.message.text()
    page._editor.stack.undo()
    assert copy.name in {s.name for s in stored(page).scenarios}


def test_settings_are_stored_as_json_with_defaults_left_out() -> None:
    draft = Draft(budget_factor=0.9, rules_off=("b", "a"), switches_off=("rules",), stream_extra=(("x", 0.0),))
    settings = settings_of(draft)
    assert settings == {"budget_factor": 0.9, "rules_off": ["b", "a"], "switches": {"rules": False}}
    again = draft_from(Scenario("s", settings={**settings, "reach_factor": False, "colour": "blue"}))
    assert again.unknown == ("colour",)
    assert settings_of(again) == {"budget_factor": 0.9, "rules_off": ["a", "b"], "switches": {"rules": False}}


def test_a_draft_follows_its_scenario_when_renamed_and_is_set_aside_when_undo_changes_it(page: ScenariosPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    page.select(CUT)
    type_budget(page, qtbot, "80")
    assert page.names.setData(page.names.index(page.names.row_of(CUT) or 0), "Council cut")
    assert page._current == "Council cut"
    assert page.budget_factor.text() == "80%"
    assert "(changed)" in page.names.data(page.names.index(page.names.row_of("Council cut") or 0))
    assert not page.message.isVisible()

    page._editor.stack.undo()  # the rename: the scenario the draft was made on has gone
    assert "set aside" in page.message.text()
    assert page._held == {}
    page.select(CUT)
    assert page.budget_factor.text() == "90%"


def test_the_summary_writes_extra_staff_hours_as_hours_and_extra_money_as_money() -> None:
    draft = Draft(stream_extra=(("Community staff hours", 180.0), ("Better Care Fund", -80_000.0)))
    words = describe_draft(draft, {"Community staff hours": "staff hours", "Better Care Fund": "GBP"})
    assert "'Community staff hours' +180 staff hours a year" in words
    assert "'Better Care Fund' \u2212£80k a year" in words
