"""``placeplanner report``: the paper or the workbook from the command line, and its refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from placeplanner.cli import main


def test_report_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "--help"])
    assert exited.value.code == 0
    assert "--decision ID" in capsys.readouterr().out


def test_report_writes_the_workbook(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.xlsx"
    assert main(["report", str(demo_file), "--decision", "1", "--samples", "0", "--out", str(out)]) == 0
    assert out.exists()
    assert "Wrote the results workbook to" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--meeting", "Nope"], "'Nope' is not a meeting in the plan (meetings: 'Scoring workshop, March 2027')"),
    (["--decision", "9"], "there is no decision 9 (decisions: 1)"),
    (["--scenario", "Nope"], "scenario 'Nope' is not in the plan (scenarios: Budget cut 10%, Ignore fairness rules)"),
])
def test_report_names_what_is_wrong(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    args: list[str], message: str) -> None:
    assert main(["report", str(demo_file), *args, "--samples", "0", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_wrong_file_type_is_refused_before_any_work(demo_file: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(demo_file), "--out", str(tmp_path / "paper.docx")]) == 1
    assert "must end in .pdf (the board paper) or .xlsx (the results workbook)" in capsys.readouterr().err


def test_the_reports_load_no_qt_and_the_command_line_starts_without_them() -> None:
    code = ("import sys, placeplanner.reports.build, placeplanner.reports.pdf, placeplanner.reports.workbook, "
            "placeplanner.reports.charts, placeplanner.reports.command\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6', 'pyqtgraph'})))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == ""
    code = ("import sys, placeplanner.cli\nplaceplanner.cli.build_parser()\n"
            "print(','.join(m for m in ('weasyprint', 'matplotlib', 'jinja2', 'openpyxl') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == ""
