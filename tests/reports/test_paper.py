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


def test_the_cover_recommends_in_pounds_options_and_people(decided: DecisionRecord, paper: tuple[Path, Paper]) -> None:
    from placeplanner.money import format_money

    cover = " ".join(pdf_tool("pdftotext", "-f", "1", "-l", "1", "-raw", str(paper[0]), "-").split())
    out = decided.outcome
    assert (f"The board is asked to approve the portfolio of {len(decided.funded)} options costing "
            f"{format_money(out.spent)}") in cover
    assert "over 2027/28 to 2028/29" in cover
    assert f"decision {decided.decision.id}" in cover  # type: ignore[union-attr]
    for figure in (format_money(out.reconciliation.available), format_money(out.spent),
                   f"{len(decided.funded)} of {len(decided.portfolio)}", f"{decided.people_reached:,}"):
        assert figure in cover
    # Points of value are supporting detail, not the headline.
    assert "points of value" not in cover
    assert "Supporting detail: a weighted value of" in cover


def test_the_decision_comes_early_and_the_distributions_go_to_an_appendix(paper: tuple[Path, Paper]) -> None:
    text = pdf_tool("pdftotext", "-raw", str(paper[0]), "-").split("\f")
    first = {heading: next(n for n, page in enumerate(text, start=1) if heading in page)
             for heading in ("2 The decision and its rationale", "3 The portfolio", "4 Where the money goes",
                             "5 The frontier and the ranking", "8 The register of interests",
                             "Appendix A: the room's scores", "Appendix B: the method")}
    assert first["2 The decision and its rationale"] <= 3
    assert list(first.values()) == sorted(first.values())
    appendix = "\n".join(text[first["Appendix A: the room's scores"] - 1:])
    assert "Score distributions" in appendix


def test_money_reconciles_and_is_written_one_way(decided: DecisionRecord, paper_text: str) -> None:
    from placeplanner.money import ROUNDING_RULE

    assert decided.outcome.reconciliation.words() in paper_text
    assert "£13.85m + £2.06m released by decommissions = £15.91m available; £14.87m spent; £1.04m left." in paper_text
    assert " ".join(ROUNDING_RULE.split()) in paper_text
    assert "-£" not in paper_text  # a release is written with the true minus sign
    assert "−£750k" in paper_text  # Reduce spot-purchased intermediate care beds releases £750k
    assert "£1.85m" in paper_text  # Frailty virtual ward over the two years
    assert "£380k" in paper_text  # Falls response car's money, with its staff hours beside it, never added


def test_headings_keep_with_their_tables(paper: tuple[Path, Paper]) -> None:
    """No page ends with a heading or a table's title: each is followed on its page by what it heads."""
    text = pdf_tool("pdftotext", "-raw", str(paper[0]), "-").split("\f")
    for number, page in enumerate(text, start=1):
        body = [line for line in page.splitlines() if line.strip() and not line.startswith(("Riverside ·", "Page "))]
        if not body:
            continue
        last = body[-1]
        assert not re.fullmatch(r"(\d|Appendix [AB]:) .*|Funded: \d+ options|Left out: \d+ options|Spend by .*", last), \
            f"page {number} ends with the heading {last!r}"


def test_the_appendix_writes_the_meetings_wide_spread_rule(paper_text: str) -> None:
    from placeplanner.meeting.tally import WIDE_SPREAD_RULE

    appendix = paper_text[paper_text.index("Appendix A: the room's scores Who took part"):]
    assert f"Wide spread: {' '.join(WIDE_SPREAD_RULE.split())}" in appendix


def test_a_plan_with_no_portfolio_still_gives_a_paper_that_says_so(decided: DecisionRecord) -> None:
    from dataclasses import replace

    from placeplanner.reports.pdf import render_html

    out = replace(decided.outcome, status="infeasible", objective=None, explanation="The rules 'A' and 'B' conflict.")
    html = render_html(replace(decided, outcome=out, frontier=(), robustness=None, draft=True, decision=None))
    assert "The board is asked to note that no portfolio of the 37 options keeps every agreed rule" in html
    assert "The rules &#39;A&#39; and &#39;B&#39; conflict." in html
    assert "DRAFT: not a decision of the board" in html
