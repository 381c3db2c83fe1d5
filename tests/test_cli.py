from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from placeplanner.cli import build_parser, main
from tests.conftest import content_of

COMMANDS = ["new", "demo", "import", "export", "template", "info", "check", "backup", "restore", "solve", "frontier", "robustness", "explain", "open", "screenshots", "audit", "decide", "decisions", "conflicts", "meeting", "report"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "placeplanner", *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "usage: placeplanner" in capsys.readouterr().out


def test_the_parser_knows_every_command() -> None:
    assert set(COMMANDS) <= set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_new_info_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "north"
    assert main(["new", str(plan), "--place", "Northgate", "--first-year", "2026/27", "--years", "3"]) == 0
    assert (tmp_path / "north.placeplan").exists()
    capsys.readouterr()
    assert main(["info", str(tmp_path / "north.placeplan"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["place"] == "Northgate"
    assert info["years"] == ["2026/27", "2027/28", "2028/29"]
    assert info["counts"]["options"] == 0


def test_demo_then_info_check_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "riverside.placeplan"
    assert main(["demo", str(plan)]) == 0
    assert main(["info", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "Riverside place" in out
    assert "shared budget £" in out
    assert main(["check", str(plan)]) == 0
    assert "file intact" in capsys.readouterr().out
    assert main(["export", str(plan), str(tmp_path / "out.xlsx")]) == 0
    assert main(["new", str(tmp_path / "copy.placeplan"), "--place", "Copy"]) == 0
    assert main(["import", str(tmp_path / "copy.placeplan"), str(tmp_path / "out.xlsx")]) == 0
    capsys.readouterr()
    main(["info", str(plan), "--json"])
    original = json.loads(capsys.readouterr().out)
    main(["info", str(tmp_path / "copy.placeplan"), "--json"])
    copy = json.loads(capsys.readouterr().out)
    for key in ("place", "years", "budget_by_year", "cost_by_year", "savings_by_year"):
        assert copy[key] == original[key]
    # Stored results, decisions and the log are the plan's record, not its data: an export leaves them.
    record = {"audit_log", "results", "decisions"}
    assert {k: v for k, v in copy["counts"].items() if k not in record} == {k: v for k, v in original["counts"].items() if k not in record}
    assert original["counts"]["decisions"] == 1


def test_backup_list_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "p.placeplan"
    main(["new", str(plan), "--place", "P"])
    capsys.readouterr()
    assert main(["backup", str(plan)]) == 0
    backup = capsys.readouterr().out.strip().removeprefix("Backed up to ")
    assert main(["backup", str(plan), "--list"]) == 0
    assert "manual" in capsys.readouterr().out
    assert main(["restore", str(plan), backup]) == 0
    assert "Restored p.placeplan" in capsys.readouterr().out


def test_template_workbook_has_a_readme_and_every_table(tmp_path: Path) -> None:
    assert main(["template", str(tmp_path / "template.xlsx")]) == 0
    sheets = pd.read_excel(tmp_path / "template.xlsx", sheet_name=None)
    assert next(iter(sheets)) == "README"
    assert "cost:<funding stream name>" in sheets["options"].columns


def test_a_user_error_exits_1_with_one_line(tmp_path: Path) -> None:
    result = run("info", str(tmp_path / "missing.placeplan"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"placeplanner: there is no plan at {tmp_path / 'missing.placeplan'}"]


def test_a_bad_import_exits_1_names_the_cell_and_changes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "p.placeplan"
    assert run("new", str(plan), "--place", "P").returncode == 0
    bad = tmp_path / "partners.csv"
    bad.write_text("name,kind\nRiverside ICB,ICB\n,council\n")
    before = content_of(plan)
    result = run("import", str(plan), str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == "placeplanner: partners.csv, row 3, column 'name': is blank, but this column must be filled in"
    assert content_of(plan) == before


def test_verbose_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "p.placeplan"
    main(["new", str(plan), "--place", "P"])
    bad = tmp_path / "values.csv"
    bad.write_text("name,weight,scale_min,scale_max\nHealth,x,0,10\nEquity,5,low,10\n")
    assert main(["-v", "import", str(plan), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "placeplanner: values.csv, row 2, column 'weight': 'x' is not a number (and 1 more problem)"
    assert err[1:] == [
        "  - values.csv, row 2, column 'weight': 'x' is not a number",
        "  - values.csv, row 3, column 'scale_min': 'low' is not a number",
    ]


def test_a_usage_error_exits_2() -> None:
    result = run("import")
    assert result.returncode == 2
    assert "usage: placeplanner import" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("PlacePlanner ")


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_solve_json_is_only_json(tmp_path: Path, solver: str) -> None:
    """Nothing else reaches standard output (a solver library's banner once did)."""
    plan = tmp_path / "demo.placeplan"
    assert main(["demo", str(plan)]) == 0
    result = run("solve", str(plan), "--solver", solver, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "optimal"
