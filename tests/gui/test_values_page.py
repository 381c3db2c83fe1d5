"""The values screen: inline edits of values and their scales, refusals shown in words, undo,
the weights chart, and swing weighting applied in one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.values_page import SwingDialog, ValuesPage, ValueTableModel
from placeplanner.model import ScalePoint, Value, WeightSetKind
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_plan: Path) -> Iterator[ValuesPage]:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = ValuesPage(editor)
    editor.changed.connect(lambda _tables: shown.refresh())  # as the main window does
    qtbot.addWidget(shown)
    shown.resize(1440, 900)
    shown.show()
    yield shown
    editor.service.close()


def _editor(page: ValuesPage) -> PlanEditor:
    return page._editor


def _cell(page: ValuesPage, name: str, column: int):  # type: ignore[no-untyped-def]
    return page.model.index(page.model.row_of(name), column)


def _on_file(page: ValuesPage) -> dict[str, Value]:
    other = PlanService.open(_editor(page).service.path, write=False, auto_backup=False)
    try:
        return {v.name: v for v in other.read().values}
    finally:
        other.close()


def test_values_weights_and_weight_sets_are_shown(page: ValuesPage) -> None:
    plan = _editor(page).service.read()
    assert page.model.rowCount() == len(plan.values) == 6
    health = plan.values[0]
    assert _cell(page, health.name, ValueTableModel.WEIGHT).data() == "25"
    assert _cell(page, health.name, ValueTableModel.HIGH).data() == "10"
    assert page.chart.shares == {v.name: v.weight / sum(w.weight for w in plan.values) * 100 for v in plan.values}
    assert page.chart.plot.getAxis("bottom").labelText == "Share of the weight (%)"
    assert "Agreed weight" in page.chart.caption.text()  # the key, beneath the chart
    assert "6 partners or participants" in page.chart.caption.text()
    # Weight sets: read-only, the group's first, a column per value.
    sets = page.weight_set_model
    assert sets.rowCount() == len(plan.weight_sets) == 7
    assert sets.columnCount() == 1 + len(plan.values)
    group = next(w for w in plan.weight_sets if w.kind == WeightSetKind.GROUP)
    assert sets.index(0, 0).data() == group.name.removesuffix(" weights")
    assert group.name in sets.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert sets.index(0, 1).data() == f"{dict(group.weights)[health.name]:g}"
    assert not sets.flags(sets.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_an_inline_weight_edit_commits_to_the_file_and_undo_restores_it(page: ValuesPage) -> None:
    value = _editor(page).service.read().values[3]
    assert page.model.setData(_cell(page, value.name, ValueTableModel.WEIGHT), "12.5")
    assert _on_file(page)[value.name].weight == 12.5
    assert _cell(page, value.name, ValueTableModel.WEIGHT).data() == "12.5"
    assert page.chart.shares[value.name] == pytest.approx(12.5 / 102.5 * 100)
    assert page.message.text() == ""
    _editor(page).stack.undo()
    assert _on_file(page)[value.name] == value
    assert _cell(page, value.name, ValueTableModel.WEIGHT).data() == f"{value.weight:g}"


@pytest.mark.parametrize(
    ("column", "typed", "reason"),
    [
        (ValueTableModel.WEIGHT, "-5", "has a negative weight (-5)"),
        (ValueTableModel.WEIGHT, "heavy", "needs a number for weight, not 'heavy'"),
        (ValueTableModel.HIGH, "-1", "the maximum must be above the minimum"),
        (ValueTableModel.LOW, "10", "the maximum must be above the minimum"),
        (ValueTableModel.LOW, "2", "describes point 0, outside its scale 2 to 10"),
        (ValueTableModel.NAME, "", "needs a name; it cannot be blank"),
        (ValueTableModel.NAME, "reduces inequalities", "already exists"),
    ],
)
def test_a_refused_edit_names_what_and_why_and_changes_nothing(page: ValuesPage, column: int, typed: str, reason: str) -> None:
    editor = _editor(page)
    before = editor.service.read()
    value = before.values[0]
    assert not page.model.setData(_cell(page, value.name, column), typed)
    assert page.message.isVisible()
    assert page.message.text().startswith("Not changed: value '")
    assert reason in page.message.text()
    assert "color: #b3261e" in page.message.styleSheet()
    assert editor.service.read() == before
    assert editor.stack.count() == 0
    assert _on_file(page)[value.name] == value


def test_a_rename_follows_into_weight_sets_and_agreed_scores(page: ValuesPage) -> None:
    editor = _editor(page)
    old = editor.service.read().values[1].name
    assert page.model.setData(_cell(page, old, ValueTableModel.NAME), "Narrows inequalities")
    after = editor.service.read()
    assert all(old not in dict(w.weights) for w in after.weight_sets)
    assert any(a.value == "Narrows inequalities" for a in after.agreed_scores)
    editor.stack.undo()
    assert old in _on_file(page)


def test_the_scale_descriptions_of_the_selected_value_are_edited_in_place(page: ValuesPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(page)
    value = editor.service.read().values[2]
    page.select_value(value.name)
    assert value.name in page.scale_title.text()
    assert page.value_description.text() == value.description
    scale = page.scale_model
    assert [scale.index(r, 0).data() for r in range(scale.rowCount())] == ["0", "5", "10"]

    assert scale.setData(scale.index(1, 1), "Meets the national standard")
    assert _on_file(page)[value.name].scale_points[1] == ScalePoint(5.0, "Meets the national standard")
    assert scale.index(1, 1).data() == "Meets the national standard"

    qtbot.mouseClick(page.add_point_button, Qt.MouseButton.LeftButton)
    assert [p.point for p in _on_file(page)[value.name].scale_points] == [0.0, 1.0, 5.0, 10.0]

    # A point outside the scale, twice the same point, or no description: refused, nothing changed.
    saved = _on_file(page)[value.name]
    for row, column, typed, reason in ((1, 0, "11", "outside its scale 0 to 10"), (1, 0, "5", "already describes point 5"),
                                       (1, 1, " ", "needs a description for point 1")):
        assert not scale.setData(scale.index(row, column), typed)
        assert reason in page.message.text()
        assert _on_file(page)[value.name] == saved

    page.scale_table.selectRow(1)
    qtbot.mouseClick(page.remove_point_button, Qt.MouseButton.LeftButton)
    assert [p.point for p in _on_file(page)[value.name].scale_points] == [0.0, 5.0, 10.0]
    for _ in range(3):
        editor.stack.undo()
    assert _on_file(page)[value.name] == value


def test_swing_weighting_applies_weights_summing_to_100_in_one_undo_step(page: ValuesPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(page)
    before = editor.service.read().values
    qtbot.mouseClick(page.swing_button, Qt.MouseButton.LeftButton)
    dialog = page.swing_dialog
    assert isinstance(dialog, SwingDialog)
    assert dialog.isVisible()
    # It opens on the current judgement: the present weights, in order.
    assert dialog.preview() == {v.name: v.weight for v in before}
    assert dialog.order()[0] == "Improves population health"

    # Step 1: the room moves Deliverability to the top.
    for _ in range(dialog.order().index("Deliverability")):
        position = dialog.order().index("Deliverability")
        qtbot.mouseClick(dialog.up_buttons[position], Qt.MouseButton.LeftButton)
    assert dialog.order()[0] == "Deliverability"
    assert dialog.spins[0].value() == 100
    assert not dialog.spins[0].isEnabled()
    # Step 2: rate the rest against it, through the spin boxes, untying any ties.
    ratings = [100, 90, 70, 70, 50, 30]
    for position, rating in enumerate(ratings[1:], start=1):
        dialog.tie_boxes[position].setChecked(False)
        dialog.spins[position].setValue(rating)
    assert [s.rating for s in dialog.swings()] == ratings
    preview = dialog.preview()
    assert sum(preview.values()) == 100
    assert [dialog.weight_labels[i].text() for i in range(6)] == [f"{preview[n]:g}" for n in dialog.order()]

    steps = editor.stack.count()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert editor.stack.count() == steps + 1
    saved = _on_file(page)
    assert {n: v.weight for n, v in saved.items()} == preview
    assert sum(v.weight for v in saved.values()) == 100
    assert saved["Deliverability"].weight == max(preview.values())
    assert "Swing weighting set 6 weights" in page.message.text()
    assert page.chart.shares["Deliverability"] == pytest.approx(preview["Deliverability"])

    editor.stack.undo()
    assert {n: v.weight for n, v in _on_file(page).items()} == {v.name: v.weight for v in before}


def test_an_inconsistent_swing_judgement_cannot_be_applied(page: ValuesPage) -> None:
    editor = _editor(page)
    dialog = page.open_swing_weighting()
    names = dialog.order()
    dialog.set_tied(names[2], False)
    dialog.set_rating(names[1], 40)
    dialog.set_rating(names[2], 70)  # ranked below names[1] yet rated higher
    assert not dialog.apply_button.isEnabled()
    assert f"Value '{names[2]}' is ranked below '{names[1]}' but rated higher (70 against 40)" in dialog.message.text()
    assert not dialog.apply()
    assert editor.stack.count() == 0
    # Tied to the swing above, it takes that swing's rating; rated back up, all is consistent.
    dialog.set_tied(names[2], True)
    assert dialog.swings()[2].rating == 40
    dialog.set_rating(names[1], 80)
    assert dialog.apply_button.isEnabled()
    assert dialog.message.text() == ""
    dialog.reject()


def test_swing_ties_share_a_rank_and_the_top_swing_is_always_100(qtbot, demo_plan: Path) -> None:  # type: ignore[no-untyped-def]
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    dialog = SwingDialog(editor)
    qtbot.addWidget(dialog)
    names = dialog.order()
    dialog.set_rating(names[0], 30)  # ignored: the top swing is the yardstick
    dialog.set_tied(names[1], True)
    swings = dialog.swings()
    assert swings[0].rating == swings[1].rating == 100
    assert swings[0].rank == swings[1].rank == 1
    assert dialog.rank_labels[1].text() == "=1"
    assert not dialog.spins[0].isEnabled()
    assert not dialog.spins[1].isEnabled()  # tied: rated as the swing above
    dialog.move_swing(names[5], -10)
    assert dialog.order()[0] == names[5]
    assert dialog.swings()[0].rating == 100
    assert not dialog.up_buttons[0].isEnabled()
    assert not dialog.down_buttons[5].isEnabled()
    editor.service.close()


def test_add_and_delete_a_value(page: ValuesPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert _on_file(page)["New value"].weight == 0
    selected = page.selected_value()
    assert selected is not None
    assert selected.name == "New value"
    editor.stack.undo()
    assert "New value" not in _on_file(page)

    plan = editor.service.read()
    gone = plan.values[-1]
    page.select_value(gone.name)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert gone.name not in _on_file(page)
    assert f"Deleted “{gone.name}” with" in page.message.text()
    editor.stack.undo()
    after = editor.service.read()
    assert gone in after.values
    assert set(after.weight_sets) == set(plan.weight_sets)
    assert set(after.agreed_scores) == set(plan.agreed_scores)
