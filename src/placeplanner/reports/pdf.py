"""The board paper as an accessible PDF: the decision record through an autoescaped Jinja2
template into HTML and CSS paged media, laid out by WeasyPrint as tagged PDF/UA-1 on A4.

The text is real, tagged text (headings, tables with header cells, figures with alternative text),
so a screen reader can read the paper and pdftotext can search it. The font is matplotlib's own
copy of DejaVu Sans, so the paper looks the same on every machine and fetches nothing.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeplanner.engine.progress import RunState
from placeplanner.errors import PlanError
from placeplanner.money import (
    ROUNDING_RULE,
    column_in_millions,
    format_money_in_millions,
    format_quantity,
    year_label,
)
from placeplanner.reports import charts, words
from placeplanner.reports.files import write_whole
from placeplanner.reports.record import DecisionRecord, OptionScores, PortfolioLine, SpendTable

if TYPE_CHECKING:
    import jinja2

# Charts of distributions beyond this many options go to the workbook only: a paper of hundreds
# of dot plots helps no board.
MOST_DISTRIBUTIONS = 40
PDF_VARIANT = "pdf/ua-1"
CONTENTS = (
    ("summary", "1", "Summary"),
    ("decisions", "2", "The decision and its rationale"),
    ("portfolio", "3", "The portfolio"),
    ("money", "4", "Where the money goes"),
    ("frontier", "5", "The frontier and the ranking"),
    ("robustness", "6", "How robust the choice is"),
    ("values", "7", "The values and their weights"),
    ("declarations", "8", "The register of interests"),
    ("scores", "A", "Appendix: the room's scores"),
    ("method", "B", "Appendix: the method"),
)
FONT_FILES = {  # (weight, style) -> matplotlib's bundled file
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}
MONO_FONT_FILE = "DejaVuSansMono.ttf"


@dataclass(frozen=True, slots=True)
class Paper:
    pages: int
    problems: tuple[str, ...]  # what WeasyPrint said was wrong as PDF/UA (a missing alternative text, say)


def render_html(record: DecisionRecord, state: RunState | None = None) -> str:
    """The board paper as one HTML document (charts inline as SVG data)."""
    state = state or RunState()
    state.step(0, 3, "Drawing the charts")
    drawn = {"frontier": charts.frontier_chart(record), "weights": charts.weights_chart(record.values)}
    spend = [(t, charts.spend_chart(t, against_available=t.rows[0].available is not None if t.rows else False))
             for t in (record.spend_by_partner, record.spend_by_stream, record.spend_by_need)]
    shown = record.scores[:MOST_DISTRIBUTIONS]
    distributions: list[tuple[OptionScores, charts.Chart | None]] = []
    for index, scores in enumerate(shown):
        state.step(0, 3, f"Drawing the score distributions ({index + 1} of {len(shown)})")
        distributions.append((scores, charts.distribution_chart(scores)))
    state.step(1, 3, "Writing the paper")
    portfolio = record.portfolio
    units = {stream.name: stream.unit for stream in record.streams}
    template = _environment().get_template("board_paper.html")
    return template.render(
        record=record,
        document_title=f"Board paper: {record.plan.title}",
        summary=words.summary(record),
        other_costs={line.option: other_costs(line, units) for line in portfolio},
        recommendation=words.recommendation(record),
        reconciliation=record.outcome.reconciliation.words(),
        draft_words=words.DRAFT_WORDS,
        paper_date=paper_date(record),
        rounding_rule=ROUNDING_RULE,
        wide_rule=wide_spread_rule(),
        contents=CONTENTS,
        left_out=tuple(line for line in portfolio if not line.funded),
        spend=spend,
        charts=drawn,
        distributions=distributions,
        more_distributions=max(len(record.scores) - MOST_DISTRIBUTIONS, 0),
        robust=_robustness_groups(portfolio),
        agreed_rows=words.agreed_matrix(record),
        rationales=[a for a in record.agreed if a.rationale],
    )


def other_costs(line: PortfolioLine, units: dict[str, str]) -> str:
    """What an option draws besides money, at the level shown, to stand beneath its money and
    never be added to it: '+ 1,800 staff hours', '− 1,600 staff hours' for a release; '' when it
    draws money alone."""
    from placeplanner.money import MONEY, costs_by_unit, format_besides

    by_unit = costs_by_unit(((s, a) for s, _, a in line.costs), units)
    by_unit.pop(MONEY, None)
    return format_besides(by_unit)


def paper_date(record: DecisionRecord) -> date:
    """The date the paper carries: the meeting's, else the decision's, else the day it was made."""
    if record.meeting is not None and record.meeting.held_on is not None:
        return record.meeting.held_on
    if record.decision is not None:
        return record.decision.decided_at.date()
    return record.generated_at.date()


def wide_spread_rule() -> str:
    """The live meeting's rule for flagging a wide spread, in the words the projector uses."""
    from placeplanner.meeting.tally import WIDE_SPREAD_RULE

    return WIDE_SPREAD_RULE


def write_pdf(record: DecisionRecord, target: Path, state: RunState | None = None) -> Paper:
    """Write the board paper to ``target`` (written whole, then moved into place)."""
    state = state or RunState()
    html = render_html(record, state)
    state.step(2, 3, "Laying out the pages")
    document = _layout(html)
    state.step(2, 3, "Writing the PDF")
    with _weasyprint_errors() as seen:
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    write_whole(target, lambda partial: partial.write_bytes(data))
    state.step(3, 3, "Done")
    return Paper(len(document.pages), tuple(seen))


def _layout(html: str) -> Any:
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # WeasyPrint loads Pango and its kin when imported
        raise PlanError(
            f"The board paper needs the Pango text library, which this computer lacks ({exc}); "
            "the results workbook does not need it."
        ) from None

    fonts_uri = _font_folder().as_uri() + "/"

    class _OwnFilesOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        """Nothing from a network, and of the disk only the bundled fonts: the charts are data
        URIs, and no text in the plan can make the paper read another file."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("data:") or url.startswith(fonts_uri)):
                raise ValueError(f"the board paper fetches only its own fonts, not {url[:80]}")
            return super().fetch(url, headers)

    fetcher = _OwnFilesOnly(allowed_protocols={"data", "file"})
    fonts = FontConfiguration()
    stylesheets = [CSS(string=_font_faces(), font_config=fonts, url_fetcher=fetcher),
                   CSS(string=_read_template("board_paper.css"), font_config=fonts, url_fetcher=fetcher)]
    return HTML(string=html, base_url=None, url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=fonts)


def _font_faces() -> str:
    """@font-face rules for matplotlib's own DejaVu Sans (the charts' font too), so the paper
    never depends on the fonts a machine happens to have."""
    folder = _font_folder()
    rules = [
        f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(folder / name).as_uri()}"); }}'
        for (weight, style), name in FONT_FILES.items()
    ]
    rules.append(f'@font-face {{ font-family: "DejaVu Sans Mono"; src: url("{(folder / MONO_FONT_FILE).as_uri()}"); }}')
    return "\n".join(rules)


def _font_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@contextmanager
def _weasyprint_errors() -> Iterator[list[str]]:
    """Collect WeasyPrint's logged errors (its PDF/UA checks log rather than raise)."""
    seen: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = _Collect(level=logging.ERROR)
    logger.addHandler(handler)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)


def _read_template(name: str) -> str:
    from importlib.resources import files

    return (files("placeplanner.reports") / "templates" / name).read_text(encoding="utf-8")


def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("placeplanner.reports", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False, lstrip_blocks=False,
    )
    environment.filters.update({
        "money": words.money,
        "money_in": _money_in,
        "in_millions": _spend_in_millions,
        "quantity": format_quantity,
        "points": words.points,
        "day": words.day,
        "span": words.years_span,
        "year": year_label,
        "percent": _percent,
        "number": _number,
        "core_label": _core_label,
        "status_words": words.status_words,
        "short_reason": words.short_reason,
        "data_uri": _data_uri,
    })
    return environment


@dataclass(frozen=True, slots=True)
class _RobustnessGroups:
    core_funded: tuple[PortfolioLine, ...]  # funded in every sample
    borderline: tuple[PortfolioLine, ...]  # funded in some samples, most often first
    exterior_out: tuple[PortfolioLine, ...]  # left out here and in every sample
    funded_other: tuple[PortfolioLine, ...]  # funded here, in no sample


def _robustness_groups(portfolio: tuple[PortfolioLine, ...]) -> _RobustnessGroups:
    tested = [line for line in portfolio if line.core_index is not None]
    return _RobustnessGroups(
        core_funded=tuple(line for line in tested if line.funded and line.core_index == 1.0),
        borderline=tuple(sorted((line for line in tested if 0.0 < (line.core_index or 0.0) < 1.0),
                                key=lambda line: (-(line.core_index or 0.0), line.option))),
        exterior_out=tuple(line for line in tested if not line.funded and line.core_index == 0.0),
        funded_other=tuple(line for line in tested if line.funded and line.core_index == 0.0),
    )


def _spend_in_millions(table: SpendTable) -> bool:
    """A spend table keeps one scale: in millions throughout when any figure in it reaches £1m."""
    amounts = [a for row in table.rows for a in (*row.spend, row.total, row.total_available or 0.0)]
    return column_in_millions(amounts)


def _money_in(amount: float, in_millions: bool) -> str:
    return format_money_in_millions(amount) if in_millions else words.money(amount)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.0f}%"


def _number(value: float) -> str:
    return f"{value:g}"


def _core_label(index: float | None) -> str:
    from placeplanner.engine.robustness import label

    return "—" if index is None else label(index).capitalize()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
