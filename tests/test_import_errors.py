"""Bad input, class by class: the message names file, row, column and value, and the plan is unchanged."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from placeplanner.errors import ValidationError
from placeplanner.io.exporting import plan_frames, write_tables
from placeplanner.io.importing import import_files
from placeplanner.service import PlanService
from tests.conftest import content_of, small_plan


@pytest.fixture
def exported(tmp_path: Path, service: PlanService) -> Path:
    """The small plan written out as CSV files, ready to be spoiled one cell at a time."""
    return write_tables(plan_frames(service.read(), service.scores_frame()), tmp_path / "tables")


def spoil(folder: Path, table: str, row: int, column: str, value: str) -> Path:
    """Set one cell; ``row`` counts as a spreadsheet does (row 2 is the first data row)."""
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)
    return path


def refused(service: PlanService, files: list[Path]) -> str:
    before = content_of(service.path)
    with pytest.raises(ValidationError) as caught:
        import_files(service, files)
    assert content_of(service.path) == before, "a refused import changed the plan"
    return str(caught.value)


def test_a_missing_required_column(service: PlanService, exported: Path) -> None:
    frame = pd.read_csv(exported / "partners.csv").drop(columns=["name"])
    frame.to_csv(exported / "partners.csv", index=False)
    message = refused(service, [exported / "partners.csv"])
    assert message == "partners.csv: has no column 'name'; partners needs name"


def test_an_unknown_column_is_named(service: PlanService, exported: Path) -> None:
    frame = pd.read_csv(exported / "needs.csv", dtype=str, keep_default_na=False)
    frame["poeple"] = "3"
    frame.to_csv(exported / "needs.csv", index=False)
    message = refused(service, [exported / "needs.csv"])
    assert message.startswith("needs.csv: has a column 'poeple' that needs does not have; its columns are name, people")


def test_a_wrong_type_names_file_row_column_and_value(service: PlanService, exported: Path) -> None:
    path = spoil(exported, "funding_streams", 3, "amount", "about a million")
    message = refused(service, [path])
    assert message == "funding_streams.csv, row 3, column 'amount': 'about a million' is not a number"


def test_a_wrong_type_in_a_workbook_names_the_sheet(service: PlanService, tmp_path: Path) -> None:
    book = write_tables(plan_frames(service.read()), tmp_path / "plan.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["values"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("weight") + 1, value="heavy")
    workbook.save(book)
    message = refused(service, [book])
    assert message == "plan.xlsx, sheet 'values', row 2, column 'weight': 'heavy' is not a number"


def test_an_out_of_scale_agreed_score(service: PlanService, exported: Path) -> None:
    path = spoil(exported, "scores", 2, "score", "12")
    message = refused(service, [path])
    assert message == (
        "scores.csv, row 2, column 'score': agreed score 'Falls service / Improves population health' "
        "is 12, outside the scale of 'Improves population health' (0 to 10)"
    )


def test_an_out_of_scale_individual_score(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "individual_scores.csv"
    pd.DataFrame([
        {"meeting": "Workshop", "participant": "Asha Patel", "option": "Falls service", "value": "Reduces inequalities", "score": "7"},
        {"meeting": "Workshop", "participant": "Tom Reid", "option": "Falls service", "value": "Reduces inequalities", "score": "-1"},
    ]).to_csv(path, index=False)
    message = refused(service, [path])
    assert message == "individual_scores.csv, row 3, column 'score': is -1, outside the scale of 'Reduces inequalities' (0 to 10)"


def test_an_unknown_reference(service: PlanService, exported: Path) -> None:
    path = spoil(exported, "options", 3, "lead_partner", "Testford Hospital")
    message = refused(service, [path])
    assert message == (
        "options.csv, row 3, column 'lead_partner': option 'Healthy schools' is led by 'Testford Hospital', "
        "which is not a partner in the plan"
    )


def test_an_unknown_funding_stream_in_a_cost_column(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "options.csv"
    pd.DataFrame([{"name": "New clinic", "lead_partner": "Testford ICB", "cost:Lottery": "5000"}]).to_csv(path, index=False)
    message = refused(service, [path])
    assert message == (
        "options.csv, row 2, column 'cost:Lottery': option 'New clinic' draws on funding stream 'Lottery', "
        "which is not in the plan"
    )


def test_a_duplicate_name(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    pd.DataFrame({"name": ["Riverside Hospice", "Riverside hospice"]}).to_csv(path, index=False)
    message = refused(service, [path])
    assert message == "partners.csv, row 3, column 'name': partner 'Riverside hospice' appears more than once; names must be unique"


def test_cyclic_requires(service: PlanService, exported: Path) -> None:
    path = spoil(exported, "options", 2, "requires", "Healthy schools")
    message = refused(service, [path])
    assert "option 'Falls service' is in a cycle of requirements: 'Falls service' requires 'Healthy schools' requires 'Falls service'" in message
    assert message.startswith("options.csv, row 2, column 'requires'")


def test_every_problem_is_reported_not_just_the_first(service: PlanService, exported: Path) -> None:
    spoil(exported, "needs", 2, "people", "lots")
    spoil(exported, "needs", 3, "priority", "high")
    before = content_of(service.path)
    with pytest.raises(ValidationError) as caught:
        import_files(service, [exported])
    assert [str(p) for p in caught.value.problems] == [
        "needs.csv, row 2, column 'people': 'lots' is not a number",
        "needs.csv, row 3, column 'priority': 'high' is not a number",
    ]
    assert content_of(service.path) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("partners.csv", "", "partners.csv: is empty: it needs at least a header row"),
        ("budget.csv", "name\nx\n", "budget.csv: is not named after a PlacePlanner table"),
        ("notes.txt", "hello", "notes.txt: is neither a CSV file nor an Excel workbook (.xlsx)"),
        ("plan.xlsx", "this is not a zip file", "plan.xlsx: cannot be read as an Excel workbook"),
        ("options.csv", 'name,lead_partner\n"unterminated,x\n', "options.csv: cannot be read as CSV"),
        ("options.csv", "name,lead_partner\nClinic,Testford ICB\n", "options.csv: has no cost column"),
    ],
)
def test_malformed_files(service: PlanService, tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert refused(service, [path]).startswith(message)


def test_a_good_import_changes_the_plan_and_is_audited(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    pd.DataFrame({"name": ["Riverside Hospice"], "kind": ["voluntary sector"]}).to_csv(path, index=False)
    change = import_files(service, [path])
    assert change.tables == {"partners"}
    assert [p.name for p in service.read().partners][-1] == "Riverside Hospice"
    last = service.audit_log()[-1]
    assert (last.actor, last.action, last.entity, last.entity_key) == ("Test Analyst", "import", "partners", "Riverside Hospice")


def test_importing_the_same_files_twice_changes_nothing(service: PlanService, exported: Path) -> None:
    change = import_files(service, [exported])
    assert change.empty
    assert service.read() == PlanService.open(service.path, write=False).read()
    assert service.read().options == small_plan().options


def test_a_saving_written_with_the_true_minus_sign_imports(service: PlanService, exported: Path) -> None:
    """As the board paper writes it ('−£80,000'), and as a spreadsheet keeps it when pasted."""
    spoil(exported, "options", 2, "cost:Better Care Fund:2027/28", "\u2212£80,000")
    import_files(service, [exported])
    falls = next(o for o in service.read().options if o.name == "Falls service")
    assert falls.cost("Better Care Fund", 2027) == -80_000
