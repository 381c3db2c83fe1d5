"""The board paper for the demo plan: what it says, and that it is an accessible A4 PDF."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from placeplanner.demo import DECLARATIONS
from placeplanner.reports.pdf import Paper
from placeplanner.reports.record import DecisionRecord
from tests.reports.conftest import pdf_tool


def test_the_paper_names_every_funded_option_with_its_reason(decided: DecisionRecord, paper_text: str) -> None:
    assert len(decided.funded) >= 20
    for line in decided.funded:
        assert line.option in paper_text
    assert "Leaving it out would lose" in paper_text
    assert "Funding it would lose" in paper_text  # a left-out option's reason


def test_the_paper_lists_every_declaration_and_its_action(paper_text: str) -> None:
    register = paper_text[paper_text.index("Register of declared interests"):]
    for declaration in DECLARATIONS:
        assert declaration.participant in register
        assert declaration.about in register  # the option, or "All options led by" the partner
        assert declaration.interest in register
    assert "Recused: did not score" in register
    assert "Allowed to take part" in register


def test_the_paper_gives_the_weights(decided: DecisionRecord, paper_text: str) -> None:
    weights = paper_text[paper_text.index("Values, scales and weights"):]
    for value in decided.values:
        assert value.name in weights
        assert f"{value.points:,.1f}" in weights
    assert abs(sum(v.points for v in decided.values) - 100) < 1e-6


def test_the_paper_summarises_the_decision_ranking_and_audit_head(decided: DecisionRecord, paper_text: str) -> None:
    assert decided.decision is not None
    assert decided.decision.rationale in paper_text
    assert "A value-per-pound ranking" in paper_text
    assert "re-solving its stored snapshot gives the same portfolio" in paper_text
    assert decided.audit.head_hash in paper_text
    assert f"{decided.audit.entries:,}" in paper_text


def test_chart_text_is_text_not_pictures(paper_text: str) -> None:
    assert "Weighted value (points)" in paper_text  # the frontier's axis label
    assert "Money available over the plan's years" in paper_text


def test_the_paper_is_tagged_a4_with_sane_pages(paper: tuple[Path, Paper]) -> None:
    path, written = paper
    assert written.problems == ()  # WeasyPrint found nothing missing for PDF/UA (alternative texts, language)
    info = pdf_tool("pdfinfo", str(path))
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert "595.276 x 841.89 pts (A4)" in info
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages == written.pages
    assert 10 <= pages <= 40
    assert "Title:           Board paper: Riverside place" in info
    objects = _pdf_objects(path.read_bytes())
    assert b"/StructTreeRoot" in objects
    assert b"/MarkInfo" in objects
    assert b"/Marked true" in objects
    assert b"/Lang (en-GB)" in objects
    assert b"pdfuaid" in objects  # the PDF/UA-1 identification in its metadata


def test_every_page_is_numbered_page_n_of_m(paper: tuple[Path, Paper]) -> None:
    path, written = paper
    text = pdf_tool("pdftotext", str(path), "-")
    for page in range(2, written.pages + 1):  # the cover has no running header or footer
        assert f"Page {page} of {written.pages}" in text


def _pdf_objects(data: bytes) -> bytes:
    """The file with every Flate stream inflated: WeasyPrint packs objects into compressed streams."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
