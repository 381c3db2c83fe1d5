"""The board paper and workbook tests share one demo plan, one decision record and one paper:
building them solves, explains, traces the frontier and lays out twenty pages, so once is enough."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from placeplanner.reports.pdf import Paper
from placeplanner.reports.record import DecisionRecord, RecordRequest, gather_record
from placeplanner.service import PlanService

ACTOR = "Test Analyst"
WORKSHOP = "Scoring workshop, March 2027"
SAMPLES = 20  # robustness samples: enough to test, quick to run


@pytest.fixture(scope="package")
def package_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("reports-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLACEPLANNER_HOME", str(home))
        patch.setenv("PLACEPLANNER_USER", ACTOR)
        yield home


@pytest.fixture(scope="package")
def demo_file(package_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from placeplanner.demo import write_demo_plan

    path = tmp_path_factory.mktemp("reports") / "riverside.placeplan"
    write_demo_plan(path)
    return path


def open_plan(path: Path, *, write: bool = True) -> PlanService:
    return PlanService.open(path, write=write, auto_backup=False, actor=ACTOR)


@pytest.fixture(scope="package")
def decided(demo_file: Path) -> DecisionRecord:
    """The demo's decision, from the stored result it adopted."""
    with open_plan(demo_file) as service:
        return gather_record(service, RecordRequest(decision=1, robustness_samples=SAMPLES))


@pytest.fixture(scope="package")
def paper(decided: DecisionRecord, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Paper]:
    from placeplanner.reports.pdf import write_pdf

    target = tmp_path_factory.mktemp("paper") / "board paper.pdf"
    return target, write_pdf(decided, target)


@pytest.fixture(scope="package")
def paper_text(paper: tuple[Path, Paper]) -> str:
    """The paper's text as pdftotext reads it, one space between words (table cells wrap lines)."""
    # -raw keeps a hyphen at a line break ("hospital-" / "led"), which the default mode drops.
    return " ".join(pdf_tool("pdftotext", "-raw", str(paper[0]), "-").split()).replace("- ", "-")


def pdf_tool(name: str, *args: str) -> str:
    assert shutil.which(name), f"{name} is missing: bash scripts/setup.sh installs poppler-utils"
    return subprocess.run([name, *args], capture_output=True, text=True, check=True, timeout=120).stdout
