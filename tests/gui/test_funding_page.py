"""Partners and funding: inline edits commit to the file through the editor, refused edits say why
under the table and change nothing, and undo walks them back with the page following."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QStyleOptionViewItem

from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.funding_page import FundingPage, parse_ring_fence, totals_caption
from placeplanner.gui.record_table import RecordTable
from placeplanner.model import PlanData
from placeplanner.service import PlanService

pytestmark = pytest.mark.gui

BCF = "Better Care Fund pooled growth"
ICB = "NHS Riverside Integrated Care Board"
COUNCIL = "Riverside Borough Council"


@pytest.fixture
def page(qtbot: Any, demo_plan: Path) -> Iterator[FundingPage]:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    shown = FundingPage(editor)
    qtbot.addWidget(shown)
    editor.changed.connect(shown.refresh)  # as the main window does
    yield shown
    editor.service.close()


def on_disk(path: Path) -> PlanData:
    other = PlanService.open(path, write=False, auto_backup=False)
    try:
        return other.read()
    finally:
        other.close()


def cell(table: RecordTable, name: str, title: str) -> Any:
    """The source-model index of one record's cell, found by name and column heading."""
    model = table.source
    row = [r.name for r in model.records].index(name)
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(title)
    return model.index(row, column)


def editor_of(page: FundingPage) -> PlanEditor:
    return page._editor


def test_the_page_shows_partners_streams_a_column_per_year_and_the_totals(page: FundingPage) -> None:
    assert page.partners.source.rowCount() == 6
    assert page.streams.source.rowCount() == 6
    assert cell(page.streams, BCF, "2027/28").data() == "£2.50m"
    assert cell(page.streams, BCF, "2028/29").data() == "£2.60m"
    assert page.totals.text() == "Shared budget 2027/28: £7.00m · 2028/29: £6.85m"
    assert "10,000 staff hours" in page.other_resources.text()
    assert cell(page.streams, "Health inequalities fund", "Ring-fenced for").data() == "tag:inequalities"
    assert cell(page.streams, BCF, "Ring-fenced for").data() == "any option"
    # The chart: one stacked bar series per partner that brings money (the ICB and the council).
    assert len(page.chart.bars) == 2
    assert "£4.90m" in page.chart.legend.text()


def test_the_screen_speaks_the_domain_words(page: FundingPage) -> None:
    header = cell(page.streams, BCF, "Ring-fenced for")
    tip = page.streams.source.headerData(header.column(), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "ring-fenced: this money may only fund options of these kinds or tags" in tip.lower()
    assert page.streams.accessibleName() == "Funding streams"
    assert page.partners.accessibleName() == "Partners"
    assert page.totals.accessibleName() == "Shared budget per year"
    assert "£2,500,000" in cell(page.streams, BCF, "2027/28").data(Qt.ItemDataRole.ToolTipRole)


def test_an_amount_typed_inline_commits_to_the_file_and_updates_the_totals(page: FundingPage) -> None:
    index = cell(page.streams, BCF, "2027/28")
    assert index.data(Qt.ItemDataRole.EditRole) == "2,500,000"
    assert page.streams.source.setData(index, "£2.75m")
    stream = next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == BCF)
    assert stream.amount_in(2027) == 2_750_000
    assert stream.amount_in(2028) == 2_600_000
    assert cell(page.streams, BCF, "2027/28").data() == "£2.75m"
    assert page.totals.text() == "Shared budget 2027/28: £7.25m · 2028/29: £6.85m"
    assert not page.stream_message.isVisibleTo(page)


def test_a_negative_amount_is_refused_with_the_reason_and_nothing_changes(page: FundingPage) -> None:
    before = on_disk(editor_of(page).service.path)
    assert not page.streams.source.setData(cell(page.streams, BCF, "2027/28"), "-80k")
    assert page.stream_message.isVisibleTo(page)
    assert page.stream_message.refused
    text = page.stream_message.text()
    assert "negative" in text
    assert BCF in text
    assert "Nothing was changed" in text
    assert on_disk(editor_of(page).service.path).funding_streams == before.funding_streams
    assert editor_of(page).stack.count() == 0
    assert cell(page.streams, BCF, "2027/28").data() == "£2.50m"


def test_text_that_is_not_money_is_refused_naming_the_cell(page: FundingPage) -> None:
    assert not page.streams.source.setData(cell(page.streams, BCF, "2028/29"), "lots")
    text = page.stream_message.text()
    assert "2028/29" in text
    assert BCF in text
    assert "not an amount of money" in text
    assert editor_of(page).stack.count() == 0


def test_a_later_good_edit_clears_the_message(page: FundingPage) -> None:
    page.streams.source.setData(cell(page.streams, BCF, "2027/28"), "-1")
    assert page.stream_message.refused
    assert page.streams.source.setData(cell(page.streams, BCF, "2027/28"), "350k")
    assert not page.stream_message.isVisibleTo(page)


def test_undo_restores_the_amount_and_the_page_follows(page: FundingPage) -> None:
    page.streams.source.setData(cell(page.streams, BCF, "2028/29"), "3,000,000")
    assert page.totals.text().endswith("2028/29: £7.25m")
    editor_of(page).stack.undo()
    assert cell(page.streams, BCF, "2028/29").data() == "£2.60m"
    assert page.totals.text() == "Shared budget 2027/28: £7.00m · 2028/29: £6.85m"
    editor_of(page).stack.redo()
    assert cell(page.streams, BCF, "2028/29").data() == "£3.00m"


def test_renaming_a_partner_inline_renames_it_everywhere_and_undo_puts_it_back(page: FundingPage) -> None:
    assert page.partners.source.setData(cell(page.partners, ICB, "Partner"), "Riverside ICB")
    plan = on_disk(editor_of(page).service.path)
    assert "Riverside ICB" in {p.name for p in plan.partners}
    assert next(s for s in plan.funding_streams if s.name == BCF).partner == "Riverside ICB"
    assert cell(page.streams, BCF, "Partner").data() == "Riverside ICB"
    assert "Riverside ICB" in page.chart.legend.text()
    editor_of(page).stack.undo()
    assert cell(page.streams, BCF, "Partner").data() == ICB
    assert ICB in {p.name for p in on_disk(editor_of(page).service.path).partners}


@pytest.mark.parametrize(("name", "reason"), [("  ", "cannot be blank"), (COUNCIL, "already taken")])
def test_a_blank_or_duplicate_partner_name_is_refused(page: FundingPage, name: str, reason: str) -> None:
    assert not page.partners.source.setData(cell(page.partners, ICB, "Partner"), name)
    assert reason in page.partner_message.text()
    assert ICB in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert editor_of(page).stack.count() == 0


def test_a_duplicate_stream_name_is_refused(page: FundingPage) -> None:
    assert not page.streams.source.setData(cell(page.streams, BCF, "Funding stream"), "icb transformation fund")
    assert "already" in page.stream_message.text() or "unique" in page.stream_message.text()
    assert BCF in {s.name for s in on_disk(editor_of(page).service.path).funding_streams}


def test_a_partner_that_still_leads_options_cannot_be_deleted(page: FundingPage) -> None:
    partner = "Riverside Primary Care Networks"
    page.partners.select_key((partner,))
    page.delete_partner_button.click()
    text = page.partner_message.text()
    assert "leads" in text
    assert "option" in text
    assert "Nothing was changed" in text
    assert partner in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert editor_of(page).stack.count() == 0


def test_add_a_partner_name_it_inline_delete_it_and_undo(page: FundingPage, qtbot: Any) -> None:
    page.show()
    page.add_partner_button.click()
    assert "New partner" in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert page.partners.selected_record().name == "New partner"
    page.partners.closePersistentEditor(page.partners.currentIndex())
    assert page.partners.source.setData(cell(page.partners, "New partner", "Partner"), "Riverside Hospice")
    assert page.partners.source.setData(cell(page.partners, "Riverside Hospice", "Kind"), "voluntary sector")
    hospice = next(p for p in on_disk(editor_of(page).service.path).partners if p.name == "Riverside Hospice")
    assert hospice.kind == "voluntary sector"
    page.partners.select_key(("Riverside Hospice",))
    page.delete_partner_button.click()
    assert "Riverside Hospice" not in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert page.partners.source.rowCount() == 6
    assert "Undo puts it back" in page.partner_message.text()
    editor_of(page).stack.undo()
    assert "Riverside Hospice" in {r.name for r in page.partners.source.records}


def test_add_a_stream_set_its_partner_with_the_drop_down_and_delete_it(page: FundingPage) -> None:
    page.partners.select_key((COUNCIL,))
    page.add_stream_button.click()
    stream = next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == "New funding stream")
    assert stream.partner == COUNCIL
    assert stream.amounts == ((2027, 0.0), (2028, 0.0))
    assert page.streams.selected_record().name == "New funding stream"

    # The partner column's drop-down, used as the view uses it.
    index = page.streams.proxy.mapFromSource(cell(page.streams, "New funding stream", "Partner"))
    delegate = page.streams.itemDelegateForIndex(index)
    combo = delegate.createEditor(page.streams.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(combo, QComboBox)
    delegate.setEditorData(combo, index)
    assert combo.currentText() == COUNCIL
    combo.setCurrentIndex(combo.findText(ICB))
    delegate.setModelData(combo, page.streams.proxy, index)
    combo.deleteLater()
    assert next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == "New funding stream").partner == ICB

    page.streams.select_key(("New funding stream",))
    page.delete_stream_button.click()
    assert "New funding stream" not in {s.name for s in on_disk(editor_of(page).service.path).funding_streams}
    assert page.streams.source.rowCount() == 6


def test_a_stream_options_draw_on_cannot_be_deleted(page: FundingPage) -> None:
    page.streams.select_key((BCF,))
    page.delete_stream_button.click()
    assert "draw on" in page.stream_message.text()
    assert BCF in {s.name for s in on_disk(editor_of(page).service.path).funding_streams}


def test_a_ring_fence_is_edited_inline_and_a_bad_kind_is_refused(page: FundingPage) -> None:
    index = cell(page.streams, BCF, "Ring-fenced for")
    assert page.streams.source.setData(index, "Kind: invest, tag:prevention")
    stream = next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == BCF)
    assert stream.ring_fenced_for == ("kind:invest", "tag:prevention")
    assert cell(page.streams, BCF, "Ring-fenced for").data() == "kind:invest, tag:prevention"

    assert not page.streams.source.setData(index, "kind:buildings")
    assert "not an option kind" in page.stream_message.text()
    assert page.streams.source.setData(index, "")
    assert next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == BCF).ring_fenced_for == ()


def test_a_ring_fence_on_a_tag_no_option_has_is_saved_with_a_warning(page: FundingPage) -> None:
    assert page.streams.source.setData(cell(page.streams, BCF, "Ring-fenced for"), "tag:dentistry")
    assert not page.stream_message.refused
    assert "No option has the tag 'dentistry'" in page.stream_message.text()


def test_the_page_catches_up_on_its_own_when_nothing_is_connected(demo_plan: Path, qtbot: Any) -> None:
    editor = PlanEditor(PlanService.open(demo_plan, auto_backup=False))
    page = FundingPage(editor)
    qtbot.addWidget(page)
    page.add_partner_button.click()
    assert page.partners.source.rowCount() == 7
    editor.service.close()


def test_parse_ring_fence_reads_tokens_as_people_type_them() -> None:
    assert parse_ring_fence(" KIND : Invest ; tag:Prevention, tag:Prevention") == ("kind:Invest", "tag:Prevention")
    assert parse_ring_fence("") == ()


def test_totals_caption_counts_money_only(page: FundingPage) -> None:
    caption = totals_caption(editor_of(page).service.read())
    assert caption.splitlines()[0] == "Shared budget 2027/28: £7.00m · 2028/29: £6.85m"


def test_typing_in_the_cell_editor_commits_through_the_view(page: FundingPage, qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    page.show()
    page.add_partner_button.click()  # opens the new partner's name for typing
    index = page.partners.currentIndex()
    line = page.partners.indexWidget(index)
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "Riverside Hospice")
    qtbot.keyClick(line, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: "Riverside Hospice" in {p.name for p in editor_of(page).service.read().partners})
    assert "Riverside Hospice" in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert page.partners.selected_record().name == "Riverside Hospice"

    amount = page.streams.proxy.mapFromSource(cell(page.streams, BCF, "2027/28"))
    page.streams.setCurrentIndex(amount)
    page.streams.edit(amount)
    line = page.streams.indexWidget(amount)
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "-5k")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.stream_message.refused)
    assert next(s for s in on_disk(editor_of(page).service.path).funding_streams if s.name == BCF).amount_in(2027) == 2_500_000


def test_the_delete_key_deletes_the_selected_partner_only_from_its_table(page: FundingPage, qtbot: Any) -> None:
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.add_partner_button.click()
    page.partners.closeEditor(page.partners.indexWidget(page.partners.currentIndex()), QAbstractItemDelegate.EndEditHint.NoHint)
    page.partners.select_key(("New partner",))
    page.partners.setFocus()
    qtbot.waitUntil(page.partners.hasFocus)
    qtbot.keyClick(page.partners, Qt.Key.Key_Delete)
    assert "New partner" not in {p.name for p in on_disk(editor_of(page).service.path).partners}
    assert page.streams.source.rowCount() == 6


def test_a_longer_plan_gets_a_column_for_the_new_year(page: FundingPage) -> None:
    from dataclasses import replace

    editor = editor_of(page)
    editor.update_info(replace(editor.service.info(), years=3))
    titles = [page.streams.source.headerData(c, Qt.Orientation.Horizontal) for c in range(page.streams.source.columnCount())]
    assert titles[-3:] == ["2027/28", "2028/29", "2029/30"]
    assert page.streams.source.setData(cell(page.streams, BCF, "2029/30"), "2.7m")
    assert next(s for s in on_disk(editor.service.path).funding_streams if s.name == BCF).amount_in(2029) == 2_700_000
    assert page.totals.text().endswith("2029/30: £2.70m")
