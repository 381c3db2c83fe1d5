"""One result per paper: with a decision on the record, the board paper and the results workbook
report that decision's result by default and cite the same result and decision; a fresh solve is
asked for (``--draft``, or a scenario) and is labelled a draft on every page and in the Summary;
both say whether the result still matches the plan."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from placeplanner.cli import main
from placeplanner.reports.record import RecordRequest, gather_record
from placeplanner.service import PlanService
from tests.reports.conftest import ACTOR, open_plan, pdf_tool

DRAFT = "DRAFT: not a decision of the board"


@pytest.fixture
def plan_copy(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.placeplan"
    shutil.copy(demo_file, copy)
    return copy


@pytest.fixture(scope="module")
def undecided(package_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plan as it was before the workshop's decision went on the record."""
    from placeplanner.demo import demo_plan

    path = tmp_path_factory.mktemp("undecided") / "undecided.placeplan"
    plan, scores = demo_plan()
    service = PlanService.create(path, plan.info, actor=ACTOR)
    try:
        service.apply(plan, take_info=True, scores_in=scores, action="demo", source="Riverside demo")
    finally:
        service.close()
    return path


def pages(path: Path) -> list[str]:
    """Each page's text, one space between words."""
    count = int(re.search(r"^Pages:\s+(\d+)$", pdf_tool("pdfinfo", str(path)), re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [" ".join(pdf_tool("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(path), "-").split())
            for n in range(1, count + 1)]


def summary(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Summary"]
    return {str(row[0].value): row[1].value for row in sheet.iter_rows() if row[0].value is not None and len(row) > 1}


def report(plan: Path, out: Path, *args: str) -> str:
    assert main(["report", str(plan), *args, "--samples", "0", "--out", str(out)]) == 0
    return str(out)


def cited(text: str) -> tuple[str, str]:
    """(result, decision) as a page's running footer cites them: 'Riverside · decision 1 · result 1 · …'."""
    found = re.search(r"Riverside · (?:decision (\d+) · )?result (\d+) ·", text)
    assert found, text[:300]
    return found.group(2), found.group(1) or ""


def test_by_default_the_paper_and_the_workbook_cite_the_latest_decision_and_its_result(
        plan_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_plan(plan_copy, write=False) as service:
        entries = len(service.audit_log())
        (decision,) = service.decisions()
    report(plan_copy, tmp_path / "paper.pdf")
    report(plan_copy, tmp_path / "results.xlsx")
    out = capsys.readouterr().out
    assert out.count(f"decision {decision.id}, result {decision.result_id})") == 2
    text = pages(tmp_path / "paper.pdf")
    assert cited(text[1]) == (str(decision.result_id), str(decision.id))
    assert f"Decision {decision.id}: {decision.title}" in text[0]
    assert not [n for n, page in enumerate(text, start=1) if DRAFT in page]
    facts = summary(tmp_path / "results.xlsx")
    assert facts["Stored result"] == decision.result_id
    assert facts["Decision"] == f"{decision.id}: {decision.title}"
    with open_plan(plan_copy, write=False) as service:
        assert len(service.audit_log()) == entries  # nothing was solved and stored for either


def test_a_draft_is_asked_for_solved_afresh_and_labelled_on_every_page(plan_copy: Path, tmp_path: Path) -> None:
    report(plan_copy, tmp_path / "draft.pdf", "--draft")
    report(plan_copy, tmp_path / "draft.xlsx", "--draft")
    text = pages(tmp_path / "draft.pdf")
    assert all(DRAFT in page for page in text), [n for n, page in enumerate(text, start=1) if DRAFT not in page]
    assert "The board is asked to note the portfolio" in text[0]
    result, decision = cited(text[1])
    assert decision == ""
    assert result != "1"  # a new result, not the decision's
    facts = summary(tmp_path / "draft.xlsx")
    assert facts["Stored result"] == int(result)  # the workbook made a moment later cites the same draft result
    assert facts["Decision"] == "None: a draft on a fresh solve, not a decision of the board"
    sheet_text = " ".join(str(v) for v in facts)
    assert DRAFT in sheet_text  # the Summary's own label, under its title
    assert facts["Stored result"] not in {None, 1}


def test_a_scenario_without_a_decision_is_a_draft(plan_copy: Path) -> None:
    with open_plan(plan_copy) as service:
        record = gather_record(service, RecordRequest(scenario="Budget cut 10%", robustness_samples=0))
    assert record.draft
    assert record.decision is None
    assert record.outcome.scenario == "Budget cut 10%"


def test_without_a_decision_on_the_record_the_default_is_a_draft(undecided: Path, tmp_path: Path) -> None:
    with open_plan(undecided) as service:
        assert service.decisions() == []
        record = gather_record(service, RecordRequest(robustness_samples=0))
        again = gather_record(service, RecordRequest(robustness_samples=0))
        entries = len(service.audit_log())
        plan = service.read()
        agreed = plan.agreed_scores[0]
        service.apply(replace(plan, agreed_scores=(replace(agreed, score=agreed.score - 1), *plan.agreed_scores[1:])))
        changed = gather_record(service, RecordRequest(robustness_samples=0))
        assert len(service.audit_log()) == entries + 2  # the edit, and the new result it needed
    assert record.draft
    assert record.decision is None
    assert record.outcome.result_id is not None
    assert again.outcome.result_id == record.outcome.result_id  # the same inputs: the same result, not another
    assert changed.outcome.result_id not in {None, record.outcome.result_id}


def test_draft_and_decision_together_are_refused(demo_file: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(demo_file), "--draft", "--decision", "1", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "choose one" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_result_the_plan_has_changed_since_says_so_in_the_paper_and_the_workbook(plan_copy: Path, tmp_path: Path) -> None:
    with open_plan(plan_copy) as service:
        plan = service.read()
        agreed = next(a for a in plan.agreed_scores if a.option == "Falls response car")
        service.apply(replace(plan, agreed_scores=tuple(
            replace(a, score=a.score + 1, rationale="Revisited after the workshop") if a == agreed else a
            for a in plan.agreed_scores)))
        record = gather_record(service, RecordRequest(robustness_samples=0))
    assert record.decision is not None  # still the decision's result, now stale
    assert record.currency is not None
    assert record.currency.stale
    from placeplanner.reports.pdf import write_pdf
    from placeplanner.reports.workbook import write_workbook

    write_pdf(record, tmp_path / "paper.pdf")
    write_workbook(record, tmp_path / "results.xlsx")
    text = " ".join(pages(tmp_path / "paper.pdf"))
    assert "the plan has changed since it was computed" in text
    assert "The plan has changed since this result was computed" in text  # in the recommendation
    facts = summary(tmp_path / "results.xlsx")
    assert facts["The result still matches the plan"] == "NO"
    change = record.currency.changes[-1]
    assert facts["What changed since the result"] == f"{record.currency.count} change since this result, listed below."
    assert facts["Change 1"] == change  # each change once, on its own row


def test_a_current_result_says_so(paper_text: str) -> None:
    assert "Does the result still match the plan? The plan has not changed since this run." in paper_text
