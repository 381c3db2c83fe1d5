"""The board paper's charts as vector SVG, drawn with matplotlib from the decision record.

Text stays text (``svg.fonttype='none'``), so the PDF's charts are searchable, sharp at any zoom
and read by screen readers through their alternative text. Each chart comes with that text, in
words, from the same figures. Figures are built with matplotlib's object API, never pyplot,
so charts can be drawn in the app's worker thread.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from placeplanner.money import (
    column_in_millions,
    format_money,
    format_money_in_millions,
    year_label,
)
from placeplanner.reports.record import DecisionRecord, OptionScores, SpendTable, ValueEntry

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41b6e6"
NHS_PALE_GREY = "#e8edee"
NHS_MID_GREY = "#768692"
NHS_DARK_GREY = "#425563"
NHS_WARM_YELLOW = "#ffb81c"
NHS_ORANGE = "#ed8b00"
NHS_GREEN = "#007f3b"
TEXT = "#212b32"
YEAR_COLOURS = (NHS_BLUE, NHS_LIGHT_BLUE, NHS_DARK_BLUE, NHS_MID_GREY, NHS_WARM_YELLOW)
FONT = "DejaVu Sans"
WIDTH = 6.7  # inches: the text block of an A4 page with 18 mm margins
LABEL_CHARS = 34


@dataclass(frozen=True, slots=True)
class Chart:
    svg: str
    alt: str  # what the chart shows, in words: the PDF's alternative text


P = ParamSpec("P")
R = TypeVar("R")

STYLE: dict[str, Any] = {
    "svg.fonttype": "none", "svg.hashsalt": "placeplanner", "font.family": FONT, "font.size": 8,
    "text.color": TEXT, "axes.labelcolor": TEXT, "xtick.color": NHS_DARK_GREY, "ytick.color": TEXT,
    "axes.edgecolor": NHS_MID_GREY, "axes.linewidth": 0.6,
}


def _styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw with the paper's style for this chart only (matplotlib reads it as it draws and as it
    saves), leaving the process's own settings as they were."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib as mpl

        with mpl.rc_context(STYLE):  # type: ignore[arg-type]  # its stubs list every key as a literal
            return draw(*args, **kwargs)

    return styled


def _figure(height: float, width: float = WIDTH) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _svg(figure: Figure, alt: str) -> Chart:
    """The figure as SVG text with its alternative text as the SVG's title."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    # The title goes first inside the root element: where readers (and WeasyPrint) look for it.
    text = re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}<title>{escape(alt)}</title>", text, count=1)
    return Chart(text, alt)


def _tidy(axes: Axes, *, grid_axis: Literal["x", "y"] = "x") -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis=grid_axis, color=NHS_PALE_GREY, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(length=0 if grid_axis == "x" else 3)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _millions(amount: float, _position: object = None) -> str:
    return format_money(amount)


def _in_millions(amount: float, _position: object = None) -> str:
    return format_money_in_millions(amount)


# --- the frontier ------------------------------------------------------------------------------


@_styled
def frontier_chart(record: DecisionRecord) -> Chart | None:
    points = [p for p in record.frontier if p.optimal is not None]
    if len(points) < 2:
        return None
    from matplotlib.ticker import FuncFormatter

    figure = _figure(3.0)
    axes = figure.add_axes((0.09, 0.14, 0.88, 0.8))
    budgets = [p.budget for p in points]
    axes.plot(budgets, [p.optimal or 0.0 for p in points], color=NHS_BLUE, linewidth=2, marker="o", markersize=3.5,
              label="Best portfolio (optimised)")
    axes.plot(budgets, [p.ranking for p in points], color=NHS_ORANGE, linewidth=1.6, linestyle=(0, (5, 3)),
              marker="s", markersize=3, label="Value-per-pound ranking")
    plan = next((p for p in points if p.at_plan_budget), None)
    if plan is not None:
        axes.axvline(plan.budget, color=NHS_DARK_GREY, linewidth=0.9, linestyle=":")
        axes.annotate(f"The plan's budget, {format_money(plan.budget)}", (plan.budget, 1.0),
                      xycoords=("data", "axes fraction"), xytext=(-5, -10), textcoords="offset points",
                      ha="right", color=NHS_DARK_GREY, fontsize=7.5)
        axes.plot([plan.budget], [plan.optimal or 0.0], marker="o", markersize=7, markerfacecolor="white",
                  markeredgecolor=NHS_DARK_BLUE, markeredgewidth=1.6, linestyle="none", label="This portfolio")
    axes.xaxis.set_major_formatter(FuncFormatter(_millions))
    axes.set_xlabel("Money available over the plan's years")
    axes.set_ylabel("Weighted value (points)")
    _tidy(axes, grid_axis="y")
    axes.legend(frameon=False, loc="lower right")
    lowest, highest = points[0], points[-1]
    alt = (f"Line chart of the best value at each budget from {format_money(lowest.budget)} to "
           f"{format_money(highest.budget)}: from {lowest.optimal:.0f} to {highest.optimal:.0f} points, against "
           f"{lowest.ranking:.0f} to {highest.ranking:.0f} for a value-per-pound ranking.")
    if plan is not None:
        alt += (f" At the plan's budget of {format_money(plan.budget)} the best portfolio gives {plan.optimal:.0f} "
                f"points and the ranking {plan.ranking:.0f}.")
    return _svg(figure, alt)


# --- spend -------------------------------------------------------------------------------------


@_styled
def spend_chart(table: SpendTable, *, against_available: bool = True) -> Chart | None:
    """Horizontal bars: each row's spend per year, with what was available marked."""
    rows = [r for r in table.rows if r.total > 0 or (r.total_available or 0) > 0][:14]
    if not rows:
        return None
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    years = table.years
    band = 0.8 / len(years)
    legend_room = 0.25  # inches under the axis for the key, so it never covers a bar
    height = 0.5 + legend_room + 0.15 * len(rows) * (len(years) + 0.6)
    figure = _figure(height)
    # 0.59 wide leaves room for the last tick's label at the right edge.
    axes = figure.add_axes((0.36, (0.3 + legend_room) / height, 0.59, 1 - (0.36 + legend_room) / height))
    for j, year in enumerate(years):
        positions = [i + (j - (len(years) - 1) / 2) * band for i in range(len(rows))]
        axes.barh(positions, [r.spend[j] for r in rows], height=band * 0.92, color=YEAR_COLOURS[j % len(YEAR_COLOURS)],
                  label=f"{year_label(year)} spent")
        if against_available:
            available = [(r.available or ())[j] if r.available else 0.0 for r in rows]
            axes.barh(positions, available, height=band * 0.92, fill=False, edgecolor=NHS_DARK_GREY,
                      linewidth=0.7, linestyle=(0, (2, 1.5)))
    axes.set_yticks(range(len(rows)), [_short(r.name) for r in rows])
    axes.invert_yaxis()
    # The axis keeps the table's one scale: £0.50m beside £1.00m, not £500k.
    in_millions = column_in_millions([a for r in rows for a in (*r.spend, *(r.available or ()))])
    axes.xaxis.set_major_formatter(FuncFormatter(_in_millions if in_millions else _millions))
    _tidy(axes)
    handles, _labels = axes.get_legend_handles_labels()
    if against_available:
        handles.append(Patch(fill=False, edgecolor=NHS_DARK_GREY, linestyle=(0, (2, 1.5)), label="Available"))
    figure.legend(handles=handles, frameon=False, loc="lower center", ncol=len(handles), fontsize=7,
                  bbox_to_anchor=(0.67, 0.0))
    spans = "; ".join(
        f"{r.name} {format_money(r.total)}" + (f" of {format_money(r.total_available)}" if r.total_available else "")
        for r in rows
    )
    alt = f"Bar chart, {table.title.lower()} ({', '.join(map(year_label, years))}): {spans}."
    return _svg(figure, alt)


# --- values and weights ------------------------------------------------------------------------


@_styled
def weights_chart(values: Sequence[ValueEntry]) -> Chart | None:
    if not values:
        return None
    figure = _figure(0.45 + 0.3 * len(values))
    axes = figure.add_axes((0.3, 0.08, 0.66, 0.9))
    names = [_short(v.name) for v in values]
    bars = axes.barh(range(len(values)), [v.points for v in values], height=0.62, color=NHS_BLUE)
    axes.bar_label(bars, labels=[f"{v.points:.1f}" for v in values], padding=3, fontsize=7.5, color=TEXT)
    axes.set_yticks(range(len(values)), names)
    axes.invert_yaxis()
    axes.set_xlim(0, max(v.points for v in values) * 1.15 or 1)
    axes.set_xlabel("Weight (points of 100)")
    _tidy(axes)
    alt = "Bar chart of the agreed weights, in points of 100: " + "; ".join(f"{v.name} {v.points:.1f}" for v in values) + "."
    return _svg(figure, alt)


# --- the room's scores -------------------------------------------------------------------------


@_styled
def distribution_chart(scores: OptionScores) -> Chart | None:
    """A dot plot per value: each score a dot (equal scores stacked), the middle half as a band,
    the median as a bar and the agreed score as a diamond."""
    rows = list(scores.values)
    if not rows:
        return None
    height = 0.3 + 0.3 * len(rows)
    figure = _figure(height)
    axes = figure.add_axes((0.33, 0.24 / height, 0.64, 1 - 0.28 / height))
    ties = max((v.scores.count(s) for v in rows for s in set(v.scores)), default=1)
    step = min(0.14, 0.74 / max(ties - 1, 1))  # the tallest stack spans at most 0.74 of a row
    low = min(v.scale_min for v in rows)
    high = max(v.scale_max for v in rows)
    for i, value in enumerate(rows):
        if value.lower_quartile is not None and value.upper_quartile is not None:
            axes.barh(i, max(value.upper_quartile - value.lower_quartile, 0.08), left=value.lower_quartile,
                      height=0.7, color=NHS_PALE_GREY, zorder=1)
        if value.median is not None:
            axes.plot([value.median, value.median], [i - 0.42, i + 0.42], color=NHS_DARK_BLUE, linewidth=1.3, zorder=2)
        for dots, colour in ((_stacked(value.scores, value.flagged, step, conflicted=False), NHS_BLUE),
                             (_stacked(value.scores, value.flagged, step, conflicted=True), NHS_ORANGE)):
            if dots:
                # One line of markers per row and colour keeps the SVG (and the PDF) small.
                axes.plot([x for x, _ in dots], [i + dy for _, dy in dots], marker="o", markersize=3.3,
                          linestyle="none", color=colour, markeredgecolor="white", markeredgewidth=0.3, zorder=3)
        if value.agreed is not None:
            axes.plot(value.agreed, i - 0.5, marker="D", markersize=4, color=NHS_GREEN, linestyle="none",
                      markeredgecolor="white", markeredgewidth=0.6, zorder=4)
    axes.set_yticks(range(len(rows)), [_short(v.value, 28) + (" (wide)" if v.wide else "") for v in rows])
    for tick, value in zip(axes.get_yticklabels(), rows, strict=True):
        if value.wide:
            tick.set_color(NHS_ORANGE)
    axes.set_ylim(len(rows) - 0.5, -0.68)
    axes.set_xlim(low - 0.3, high + 0.3)
    axes.set_xticks(list(range(int(low), int(high) + 1)))
    _tidy(axes)
    parts = []
    for value in rows:
        text = f"{value.value}: {len(value.scores)} score{'s' * (len(value.scores) != 1)}"
        if value.median is not None:
            text += f", from {value.scores[0]:g} to {value.scores[-1]:g}, median {value.median:g}"
        if value.agreed is not None:
            text += f", agreed {value.agreed:g}"
        parts.append(text + (" (a wide spread)" if value.wide else ""))
    alt = f"Dot plot of the room's scores for {scores.option}, by value. " + "; ".join(parts) + "."
    return _svg(figure, alt)


def _stacked(scores: Sequence[float], flagged: Sequence[float], step: float, *, conflicted: bool) -> list[tuple[float, float]]:
    """(score, vertical offset) for the dots of one row: equal scores fan out above and below."""
    left_flagged = list(flagged)
    seen: dict[float, int] = {}
    dots = []
    for score in scores:
        n = seen.get(score, 0)
        seen[score] = n + 1
        is_flagged = score in left_flagged
        if is_flagged:
            left_flagged.remove(score)
        if is_flagged == conflicted:
            dots.append((score, (n + 1) // 2 * step * (1 if n % 2 else -1)))
    return dots
