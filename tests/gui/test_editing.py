"""The app's edit path: each edit commits at once, refused edits change nothing, and undo and
redo walk the same service calls back and forth."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from placeplanner.errors import ValidationError
from placeplanner.gui.editing import PlanEditor
from placeplanner.model import Partner
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot, demo_plan: Path) -> PlanEditor:  # type: ignore[no-untyped-def]
    return PlanEditor(PlanService.open(demo_plan, auto_backup=False))


def test_an_edit_commits_at_once_and_undo_redo_walk_it(editor: PlanEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    option = editor.service.read().options[0]
    cheaper = replace(option, description="Revised after the finance check")
    with qtbot.waitSignal(editor.changed) as seen:
        editor.upsert(cheaper)
    assert seen.args == [frozenset({"options"})]
    # A second connection to the same file sees it: committed, not held in memory.
    other = PlanService.open(editor.service.path, write=False, auto_backup=False)
    assert other.read().options[0].description == "Revised after the finance check"
    other.close()
    assert editor.stack.undoText().startswith("Change option")
    editor.stack.undo()
    assert editor.service.read().options[0] == option
    editor.stack.redo()
    assert editor.service.read().options[0] == cheaper


def test_a_refused_edit_changes_nothing_and_is_not_on_the_stack(editor: PlanEditor) -> None:
    option = editor.service.read().options[0]
    with pytest.raises(ValidationError, match="requires and excludes"):
        editor.upsert(replace(option, requires=(editor.service.read().options[1].name,), excludes=(editor.service.read().options[1].name,)))
    assert editor.stack.count() == 0
    assert editor.service.read().options[0] == option


def test_adding_then_undoing_removes_and_delete_undo_restores_all(editor: PlanEditor) -> None:
    plan = editor.service.read()
    editor.upsert(Partner("Riverside Hospice", "voluntary"))
    assert "Riverside Hospice" in {p.name for p in editor.service.read().partners}
    editor.stack.undo()
    assert "Riverside Hospice" not in {p.name for p in editor.service.read().partners}

    scored = plan.agreed_scores[0].option
    option = next(o for o in plan.options if o.name == scored)
    editor.remove(option)
    assert scored not in {a.option for a in editor.service.read().agreed_scores}
    editor.stack.undo()
    after = editor.service.read()
    assert set(after.agreed_scores) == set(plan.agreed_scores)
    assert set(after.options) == set(plan.options)


def test_rename_undo_and_a_bulk_edit_is_one_step(editor: PlanEditor) -> None:
    plan = editor.service.read()
    editor.rename(plan.partners[0], "Renamed ICB")
    assert editor.service.read().partners[0].name == "Renamed ICB"
    editor.stack.undo()
    assert editor.service.read().partners[0].name == plan.partners[0].name
    edited = [replace(o, description="bulk") for o in plan.options[:5]]
    assert editor.upsert_many(edited, "Paste 5 options") == 5
    editor.stack.undo()
    assert set(editor.service.read().options) == set(plan.options)


def test_an_undo_the_plan_no_longer_allows_is_reported_and_clears_history(editor: PlanEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor.upsert(Partner("Short-lived partner"))
    # Outside the stack, an option comes to depend on the new partner.
    option = editor.service.read().options[0]
    editor.service.upsert(replace(option, lead_partner="Short-lived partner"))
    with qtbot.waitSignal(editor.undo_failed) as seen:
        editor.stack.undo()
    assert "cannot be deleted" in seen.args[0]
    qtbot.waitUntil(lambda: editor.stack.count() == 0)
