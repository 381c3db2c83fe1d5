"""The results workbook for finance teams: the decision record as formatted Excel sheets.

Money is in pounds with a £ number format (not text), totals are live formulas, header rows are
frozen and filtered, so the sheets can be checked, summed and pasted into a finance pack. It
prints the same record as the board paper, so the two never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeplanner.engine.progress import RunState
from placeplanner.money import ROUNDING_RULE, year_label
from placeplanner.reports import words
from placeplanner.reports.files import write_whole
from placeplanner.reports.record import Currency, DecisionRecord, SpendTable

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# Whole pounds, a loss or release with the true minus sign, as the paper writes it (−£80k).
POUNDS = '"£"#,##0;[Red]"\u2212£"#,##0'
QUANTITY = '#,##0;[Red]"\u2212"#,##0'
POINTS = "#,##0.0"
SCORE = "0.##"
SHARE = "0%"
WHEN = "dd/mm/yyyy hh:mm"
DAY = "dd/mm/yyyy"
NHS_BLUE = "005EB8"
PALE = "F0F4F5"
MOST_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    width: float
    number_format: str | None = None
    wrap: bool = False


# The only formulas this workbook writes: sums of a range, sums of the funded (or money) rows of
# a range, and IFs over cell references.
OWN_FORMULA = re.compile(r'=(SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)'
                         r'|SUMIF\(\$[A-Z]+\$[0-9]+:\$[A-Z]+\$[0-9]+,"(Yes|GBP)",[A-Z]+[0-9]+:[A-Z]+[0-9]+\)'
                         r'|IF\([A-Z0-9"=,/\-]+\))')


def _text_stays_text(book: Any) -> None:
    """openpyxl stores any text starting with '=' as a formula, so an interest typed on a phone
    or an option's name could run in Excel (formula injection): all but our own stay text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and not OWN_FORMULA.fullmatch(str(cell.value)):
                    cell.data_type = "s"


def write_workbook(record: DecisionRecord, target: Path, state: RunState | None = None) -> Path:
    """Write the results workbook to ``target`` (written whole, then moved into place)."""
    from openpyxl import Workbook

    state = state or RunState()
    book = Workbook()
    steps = (_summary, _portfolio, _spend_partner, _spend_stream, _spend_need, _options, _costs, _streams,
             _values, _scores, _agreed, _declarations, _decisions, _frontier)
    for index, step in enumerate(steps):
        state.step(index, len(steps), "Writing the workbook")
        step(book, record)
    del book[book.sheetnames[0]]  # the empty sheet a new workbook starts with
    _text_stays_text(book)
    write_whole(target, book.save)
    state.step(len(steps), len(steps), "Done")
    return target


# --- sheets ----------------------------------------------------------------------------------


def _summary(book: Workbook, record: DecisionRecord) -> None:
    out = record.outcome
    sheet = book.create_sheet("Summary")
    sheet.append([record.plan.title])
    sheet["A1"].font = _font(bold=True, size=14, colour=NHS_BLUE)
    sheet.append(["The results of the allocation, and the decision record behind it. Every figure is computed from the plan file."])
    if record.draft:
        sheet.append([f"{words.DRAFT_WORDS}: this workbook reports the plan solved afresh, which no decision adopts."])
        sheet.cell(sheet.max_row, 1).font = _font(bold=True, size=12, colour="D5281B")
    sheet.append([])
    currency = record.currency
    rows: list[tuple[str, Any, str | None]] = [
        ("Place", record.plan.place, None),
        ("Financial years", words.years_span(record.plan.years), None),
        ("Meeting", record.meeting.name if record.meeting else "All meetings", None),
        ("Scenario", out.scenario or "The plan as it stands", None),
        ("Decision", f"{record.decision.id}: {record.decision.title}" if record.decision
         else "None: a draft on a fresh solve, not a decision of the board", None),
        ("Stored result", out.result_id if out.result_id is not None else "Not stored (read-only)", None),
        ("Recommendation", words.recommendation(record), None),
        ("Status", words.status_words(out), None),
        ("The result still matches the plan", "Not checked" if currency is None else ("NO" if currency.stale else "Yes"), None),
        # The changes are listed one a row below; the sentence says how many, not them again.
        ("What changed since the result", _changes_heading(currency), None),
        *((f"Change {i}", change, None) for i, change in enumerate(currency.changes if currency else (), start=1)),
        ("How the money adds up", out.reconciliation.words(), None),
        ("Money pooled (budget)", out.budget, POUNDS),
        ("Released by decommissions", out.released, POUNDS),
        ("Available", out.reconciliation.available, POUNDS),
        ("Spent", out.spent, POUNDS),
        ("Left", out.reconciliation.left, POUNDS),
        *((f"Also drawn: {unit}", amount, QUANTITY) for unit, amount in out.resources),
        ("People reached (the funded options' estimates)", record.people_reached, "#,##0"),
        ("Options funded", len(record.funded), "0"),
        ("Options considered", len(record.portfolio), "0"),
        ("Weighted value", out.objective, POINTS),
        ("Value-per-pound ranking: value", out.ranking_objective, POINTS),
        ("Value-per-pound ranking: options", len(out.ranking_options), "0"),
        ("Weights", out.weight_set, None),
        ("Conflict policy", record.policy, None),
        ("Quorum", record.quorum, "0"),
        ("Re-solving the snapshot gives the same portfolio", {True: "Yes", False: "NO", None: "Not checked"}[out.reproduces], None),
        ("Snapshot inputs (SHA-256)", out.snapshot_digest, None),
        ("Audit log entries", record.audit.entries, "#,##0"),
        ("Audit head (last entry's hash)", record.audit.head_hash, None),
        ("Audit chain", "Intact" if record.audit.intact else f"BROKEN: {record.audit.problem}", None),
        ("Generated", record.generated_at.replace(microsecond=0), WHEN),
        ("PlacePlanner", record.app_version, None),
        ("How money is written", ROUNDING_RULE, None),
    ]
    for label, value, number_format in rows:
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = _font(bold=True)
        if number_format:
            sheet.cell(sheet.max_row, 2).number_format = number_format
        sheet.cell(sheet.max_row, 2).alignment = _align(horizontal="left", wrap=isinstance(value, str) and len(value) > 90)
    sheet.append([])
    for paragraph in words.summary(record):
        sheet.append([paragraph])
        sheet.cell(sheet.max_row, 1).alignment = _align(wrap=True, vertical="top")
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2)
        sheet.row_dimensions[sheet.max_row].height = 15 * (1 + len(paragraph) // 120)
    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 90


def _portfolio(book: Workbook, record: DecisionRecord) -> None:
    """One row an option, funded first; its cost in each money stream and year at the level
    funded (in full when left out); totals of the funded options by formula."""
    sheet = book.create_sheet("Portfolio")
    money = record.money_streams
    years = record.plan.years
    columns = [
        Column("Option", 44), Column("Funded", 9), Column("Level", 9), Column("Share of cost", 10, SHARE),
        Column("Kind", 13), Column("Lead partner", 34), Column("Mandatory", 10), Column("Value", 10, POINTS),
        Column("Value per £1m", 12, POINTS), Column("Robustness", 11, SHARE),
        Column("Why in or out", 70, wrap=True), Column("Decision note", 40, wrap=True),
        *(Column(f"{s.name} {year_label(y)}", 16, POUNDS) for s in money for y in years),
        Column("Total cost", 14, POUNDS),
        Column("Other resources (beside the money, never added to it)", 30, wrap=True),
    ]
    units = {s.name: s.unit for s in record.streams}
    _header(sheet, columns)
    first_cost = 13  # column M
    # Rows counted here: openpyxl's max_row scans every cell, so asking it per row is quadratic.
    for row, line in enumerate(record.portfolio, start=2):
        cost = {(s, y): a for s, y, a in line.costs}
        amounts = [cost.get((s.name, y), 0.0) for s in money for y in years]
        last = first_cost + len(amounts) - 1
        sheet.append([
            line.option, "Yes" if line.funded else "No", line.level or "", line.share if line.funded else None,
            line.kind, line.lead_partner, "Yes" if line.mandatory else "", line.value, line.value_per_million,
            line.core_index, line.reason, line.note, *amounts,
            f"=SUM({_ref(first_cost, row)}:{_ref(last, row)})" if amounts else 0,
            _other_resources(line.costs, units),
        ])
    _body(sheet, columns)
    end = sheet.max_row
    total = ["Total funded", None, None, None, None, None, None,
             _sumif("B", 2, end, "H"), None, None, None, None]
    total += [_sumif("B", 2, end, _letter(c)) for c in range(first_cost, first_cost + len(money) * len(years) + 1)]
    sheet.append(total)
    _total_row(sheet, columns)
    sheet.freeze_panes = "B2"


def _other_resources(costs: Iterable[tuple[str, int, float]], units: dict[str, str]) -> str:
    """'1,800 staff hours', '−1,600 staff hours' for a release; '' when an option draws money alone."""
    from placeplanner.money import MONEY, costs_by_unit, format_quantity

    by_unit = costs_by_unit(((s, a) for s, _, a in costs), units)
    return "; ".join(format_quantity(amount, unit) for unit, amount in sorted(by_unit.items())
                     if unit != MONEY and abs(amount) > 1e-9)


def _changes_heading(currency: Currency | None) -> str:
    if currency is None:
        return ""
    if not currency.changes:
        return currency.words
    listed = len(currency.changes)
    noun = "change" if currency.count == 1 else "changes"
    shown = "listed below" if listed == currency.count else f"the latest {listed} listed below"
    return f"{currency.count:,} {noun} since this result, {shown}."


def _spend(book: Workbook, name: str, table: SpendTable) -> None:
    sheet = book.create_sheet(name)
    years = table.years
    budgeted = bool(table.rows) and table.rows[0].available is not None
    columns = [Column(table.category, 48), *(Column(f"Spent {year_label(y)}", 15, POUNDS) for y in years),
               Column("Spent in total", 15, POUNDS)]
    if budgeted:
        columns += [*(Column(f"Available {year_label(y)}", 15, POUNDS) for y in years),
                    Column("Available in total", 16, POUNDS), Column("Share used", 11, SHARE)]
    _header(sheet, columns)
    n = len(years)
    for row, line in enumerate(table.rows, start=2):
        cells: list[Any] = [line.name, *line.spend, f"=SUM({_ref(2, row)}:{_ref(1 + n, row)})"]
        if budgeted:
            cells += [*(line.available or ()), f"=SUM({_ref(3 + n, row)}:{_ref(2 + 2 * n, row)})",
                      f"=IF({_ref(3 + 2 * n, row)}=0,\"\",{_ref(2 + n, row)}/{_ref(3 + 2 * n, row)})"]
        sheet.append(cells)
    _body(sheet, columns)
    end = sheet.max_row
    total_row = end + 1
    totals: list[Any] = ["Total"] + [f"=SUM({_letter(c)}2:{_letter(c)}{end})" for c in range(2, 3 + n)]
    if budgeted:
        totals += [f"=SUM({_letter(c)}2:{_letter(c)}{end})" for c in range(3 + n, 4 + 2 * n)]
        totals.append(f"=IF({_ref(3 + 2 * n, total_row)}=0,\"\",{_ref(2 + n, total_row)}/{_ref(3 + 2 * n, total_row)})")
    sheet.append(totals)
    _total_row(sheet, columns)


def _spend_partner(book: Workbook, record: DecisionRecord) -> None:
    _spend(book, "Spend by partner", record.spend_by_partner)


def _spend_stream(book: Workbook, record: DecisionRecord) -> None:
    _spend(book, "Spend by stream", record.spend_by_stream)


def _spend_need(book: Workbook, record: DecisionRecord) -> None:
    _spend(book, "Spend by need", record.spend_by_need)


def _options(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Inputs - options")
    columns = [Column("Option", 44), Column("Kind", 13), Column("Lead partner", 34), Column("Mandatory", 10),
               Column("Out of consideration", 12), Column("Value in full", 12, POINTS), Column("Levels", 30, wrap=True),
               Column("Needs", 40, wrap=True), Column("Tags", 20, wrap=True), Column("Requires", 30, wrap=True),
               Column("Excludes", 30, wrap=True)]
    _header(sheet, columns)
    for o in record.options:
        levels = "; ".join(f"{name} ({cost:.0%} of cost, {value:.0%} of value)" for name, cost, value in o.levels)
        sheet.append([o.name, o.kind, o.lead_partner, "Yes" if o.mandatory else "", "Yes" if o.excluded else "", o.value,
                      levels, "; ".join(o.needs), "; ".join(o.tags), "; ".join(o.requires), "; ".join(o.excludes)])
    _body(sheet, columns)


def _costs(book: Workbook, record: DecisionRecord) -> None:
    """Each option's full cost in each stream and year (negative: money a decommission releases)."""
    sheet = book.create_sheet("Inputs - costs")
    units = {s.name: s.unit for s in record.streams}
    columns = [Column("Option", 44), Column("Funding stream", 34), Column("Unit", 8), Column("Year", 10),
               Column("Amount", 15, QUANTITY)]
    _header(sheet, columns)
    row = 1
    for o in record.options:
        for stream, year, amount in o.costs:
            sheet.append([o.name, stream, units.get(stream, ""), year_label(year), amount])
            row += 1
            if units.get(stream) == "GBP":
                sheet.cell(row, 5).number_format = POUNDS
    _body(sheet, columns, skip_formats=True)


def _streams(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Inputs - budgets")
    years = record.plan.years
    columns = [Column("Funding stream", 36), Column("Partner", 36), Column("Unit", 8), Column("Ring-fenced for", 24),
               *(Column(year_label(y), 15, POUNDS) for y in years), Column("Total", 15, POUNDS)]
    _header(sheet, columns)
    for row, s in enumerate(record.streams, start=2):
        sheet.append([s.name, s.partner, s.unit, ", ".join(s.ring_fenced_for) or "any option", *s.amounts,
                      f"=SUM({_ref(5, row)}:{_ref(4 + len(years), row)})"])
        if s.unit != "GBP":
            for column in range(5, 6 + len(years)):
                sheet.cell(row, column).number_format = QUANTITY
    _body(sheet, columns, skip_formats=True)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 3).value == "GBP":
            for column in range(5, 6 + len(years)):
                sheet.cell(row, column).number_format = POUNDS
    end = sheet.max_row
    sheet.append(["Total money", None, "GBP", None,
                  *(f'=SUMIF($C$2:$C${end},"GBP",{_letter(c)}2:{_letter(c)}{end})' for c in range(5, 6 + len(years)))])
    _total_row(sheet, columns)


def _values(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Inputs - values")
    columns = [Column("Value", 30), Column("What it means", 60, wrap=True), Column("Scale minimum", 10, SCORE),
               Column("Scale maximum", 10, SCORE), Column("Scale", 60, wrap=True), Column("Weight (points of 100)", 14, POINTS)]
    _header(sheet, columns)
    for v in record.values:
        scale = "; ".join(f"{point:g}: {label}" for point, label in v.scale_points)
        sheet.append([v.name, v.description, v.scale_min, v.scale_max, scale, v.points])
    _body(sheet, columns)
    end = sheet.max_row
    sheet.append(["Total", None, None, None, f"Weights: {record.outcome.weight_set}", f"=SUM(F2:F{end})"])
    _total_row(sheet, columns)


def _scores(book: Workbook, record: DecisionRecord) -> None:
    """Each option's distribution per value, anonymised: counts and quartiles, and the scores
    themselves in ascending order (never by person)."""
    sheet = book.create_sheet("Scores")
    columns = [Column("Option", 44), Column("Value", 28), Column("Scores counted", 10, "0"), Column("Scores", 34),
               Column("Median", 9, SCORE), Column("Lower quartile", 10, SCORE), Column("Upper quartile", 10, SCORE),
               Column("Don't know", 9, "0"), Column("Left out (recused)", 11, "0"), Column("Flagged (conflicted)", 11, "0"),
               Column("Wide spread", 9), Column("Agreed", 9, SCORE), Column("Unconflicted scorers", 12, "0"),
               Column("Below quorum", 10)]
    if not record.anonymised:
        columns.append(Column("Scorers (lowest score first)", 60, wrap=True))
    _header(sheet, columns)
    for option in record.scores:
        for v in option.values:
            cells: list[Any] = [
                option.option, v.value, len(v.scores), ", ".join(f"{s:g}" for s in v.scores), v.median,
                v.lower_quartile, v.upper_quartile, v.dont_know, v.excluded, len(v.flagged), "Yes" if v.wide else "",
                v.agreed, option.scorers, "Yes" if option.below_quorum else ""]
            if not record.anonymised:
                cells.append(", ".join(v.names))
            sheet.append(cells)
    _body(sheet, columns)


def _agreed(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Agreed scores")
    columns = [Column("Option", 44), Column("Value", 28), Column("Agreed score", 10, SCORE),
               Column("Rationale", 80, wrap=True), Column("Meeting", 30)]
    _header(sheet, columns)
    for a in record.agreed:
        sheet.append([a.option, a.value, a.score, a.rationale, a.meeting])
    _body(sheet, columns)


def _declarations(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Declarations")
    columns = [Column("Participant", 24), Column("Organisation", 40), Column("Role", 30), Column("Interest in", 40),
               Column("Interest", 60, wrap=True), Column("Declared", 12, DAY), Column("Action", 24),
               Column("Reason allowed", 40, wrap=True), Column("Counts as a conflict", 12),
               Column("Options covered", 60, wrap=True)]
    _header(sheet, columns)
    for d in record.declarations:
        sheet.append([d.participant, d.organisation, d.role, d.about, d.interest, d.declared_on, d.action.capitalize(), d.reason,
                      "Yes" if d.conflict else "No", "; ".join(d.covers)])
    _body(sheet, columns)


def _decisions(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Decisions")
    columns = [Column("Decision", 10, "0"), Column("Title", 40, wrap=True), Column("Decided", 17, WHEN),
               Column("By", 24), Column("Meeting", 30), Column("Scenario", 20), Column("Stored result", 10, "0"),
               Column("Re-solves to the same portfolio", 14), Column("Rationale", 80, wrap=True),
               Column("Notes on options", 80, wrap=True), Column("Plan changed since the result when adopted", 14),
               Column("What had changed", 80, wrap=True)]
    _header(sheet, columns)
    for d in record.decisions:
        sheet.append([d.id, d.title, d.decided_at.replace(microsecond=0), d.decided_by, d.meeting or "",
                      d.scenario or "The plan as it stood", d.result_id,
                      {True: "Yes", False: "NO", None: "Not checked"}[d.reproduces], d.rationale,
                      "\n".join(f"{option}: {note}" for option, note in d.option_notes),
                      {True: "YES", False: "No", None: "Not recorded"}[d.stale_when_adopted],
                      "; ".join(d.changes_when_adopted)])
    _body(sheet, columns)


def _frontier(book: Workbook, record: DecisionRecord) -> None:
    sheet = book.create_sheet("Frontier")
    columns = [Column("Money available", 16, POUNDS), Column("Best value", 12, POINTS),
               Column("Value-per-pound ranking", 14, POINTS), Column("Difference", 12, POINTS),
               Column("Options funded", 10, "0"), Column("The plan's budget", 12)]
    _header(sheet, columns)
    for row, p in enumerate(record.frontier, start=2):
        sheet.append([p.budget, p.optimal, p.ranking, f"=IF(B{row}=\"\",\"\",B{row}-C{row})", p.options,
                      "Yes" if p.at_plan_budget else ""])
    _body(sheet, columns)


# --- formatting --------------------------------------------------------------------------------


def _header(sheet: Worksheet, columns: Sequence[Column]) -> None:
    from openpyxl.styles import PatternFill

    sheet.append([c.heading for c in columns])
    fill = PatternFill("solid", fgColor=NHS_BLUE)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        cell.font = _font(bold=True, colour="FFFFFF")
        cell.fill = fill
        cell.alignment = _align(wrap=True, vertical="center")
        sheet.column_dimensions[_letter(index)].width = min(column.width, MOST_WIDTH + 20)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"


def _body(sheet: Worksheet, columns: Sequence[Column], *, skip_formats: bool = False) -> None:
    """Number formats and wrapping for the rows written so far, zebra rows and a filter on them."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    last = sheet.max_row
    wrapped = _align(wrap=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        number_format = None if skip_formats else column.number_format
        if not (number_format or column.wrap):
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
            if number_format:
                cell.number_format = number_format
            if column.wrap:
                cell.alignment = wrapped
    if last > 1:
        cells = f"A2:{_letter(len(columns))}{last}"
        # One rule rather than a fill on every other row: styling cells one by one is what makes
        # openpyxl slow on a large plan's sheets.
        sheet.conditional_formatting.add(cells, FormulaRule(formula=["MOD(ROW(),2)=1"],
                                                            fill=PatternFill("solid", bgColor=PALE)))
        sheet.auto_filter.ref = f"A1:{_letter(len(columns))}{last}"


def _total_row(sheet: Worksheet, columns: Sequence[Column]) -> None:
    from openpyxl.styles import Border, Side

    row = sheet.max_row
    line = Side(style="medium", color="003087")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row, index)
        cell.font = _font(bold=True)
        cell.border = Border(top=line)
        if column.number_format and index > 1:
            cell.number_format = column.number_format


def _sumif(criteria_column: str, first: int, last: int, column: str) -> str:
    return f'=SUMIF(${criteria_column}${first}:${criteria_column}${last},"Yes",{column}{first}:{column}{last})'


def _ref(column: int, row: int) -> str:
    return f"{_letter(column)}{row}"


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _font(*, bold: bool = False, size: float = 11, colour: str = "212B32") -> Any:
    from openpyxl.styles import Font

    return Font(bold=bold, size=size, color=colour)


def _align(*, wrap: bool = False, vertical: str = "bottom", horizontal: str | None = None) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=wrap, vertical=vertical, horizontal=horizontal)


def sheet_names() -> Iterable[str]:
    """The sheets a results workbook holds, in order (for tests and the README)."""
    return ("Summary", "Portfolio", "Spend by partner", "Spend by stream", "Spend by need", "Inputs - options",
            "Inputs - costs", "Inputs - budgets", "Inputs - values", "Scores", "Agreed scores", "Declarations",
            "Decisions", "Frontier")
