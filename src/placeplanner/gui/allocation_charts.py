"""The allocation view's pictures: the efficient frontier, where the money goes, and value for
money. Each is a small widget that draws plain values handed to it; none computes anything."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from placeplanner.engine.frontier import FrontierPoint
from placeplanner.gui import theme
from placeplanner.gui.allocation_data import PortfolioRow, SpendBreakdown
from placeplanner.money import format_money, year_label

# NHS identity colours, one per financial year (a plan rarely runs past five).
YEAR_COLOURS = ("#005eb8", "#41b6e6", "#003087", "#00a499", "#768692")
AVAILABLE = "#e8edf3"
LABEL_CHARS = 46
FEWEST_SLOTS = 5  # with fewer bars than this, keep them this thick rather than filling the chart  # category names longer than this are shortened on the axis (in full on hover)


# A checkable button that looks chosen when it is: the app's theme styles only plain buttons.
CHOICE = (f"QPushButton:checked {{ background: {theme.ACCENT}; color: white; border-color: {theme.ACCENT}; }}")


class MoneyAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """An axis in pounds as finance people write them: £500k, £1.5m."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph's name
        return [format_money(v * scale) for v in values]


def styled_plot(bottom: pg.AxisItem | None = None, left: pg.AxisItem | None = None) -> pg.PlotWidget:
    """A white plot with large ticks that reads at the back of a room; no pan or zoom to knock."""
    axes = {k: v for k, v in (("bottom", bottom), ("left", left)) if v is not None}
    plot = pg.PlotWidget(background="w", axisItems=axes)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.getPlotItem().getViewBox().setDefaultPadding(0.04)  # no dot or bar touches the frame
    font = QFont()
    font.setPointSize(11)
    for name in ("bottom", "left"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.MUTED))
        axis.setTextPen(pg.mkPen(theme.INK))
        axis.setTickFont(font)
    return plot


def _label(plot: pg.PlotWidget, side: str, text: str) -> None:
    plot.setLabel(side, text, **{"color": theme.INK, "font-size": "12pt"})
    if side == "left":
        plot.getAxis("left").setWidth(84)  # pyqtgraph sizes it for its own smaller tick font


def caption(text: str, size: int = 13) -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    label.setWordWrap(True)
    if size != 13:
        label.setStyleSheet(f"font-size: {size}px;")
    return label


def legend_html(entries: Sequence[tuple[str, str]], outline: str = "") -> str:
    swatches = [f"<span style='color:{colour}; font-size:18px'>■</span>&nbsp;{text}" for colour, text in entries]
    if outline:
        swatches.append(f"<span style='color:#9aa5b1; font-size:18px'>□</span>&nbsp;{outline}")
    return "&nbsp;&nbsp;&nbsp;&nbsp;".join(swatches)


def legend(entries: Sequence[tuple[str, str]], outline: str = "") -> QLabel:
    """A legend as a line of text above a chart, so it can never sit on top of a bar."""
    label = QLabel(legend_html(entries, outline))
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class FrontierChart(QWidget):
    """Best value at each budget, with the value-per-pound ranking beside it; click a point."""

    point_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = styled_plot(bottom=MoneyAxis("bottom"))
        self.plot.setAccessibleName("Efficient frontier")
        self.plot.setToolTip("Each point is the best portfolio at that budget; click one to see what joins and leaves")
        _label(self.plot, "bottom", "Total budget over the plan's years")
        _label(self.plot, "left", "Weighted value")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.detail = caption("Click a point on the frontier to see that portfolio.", 15)
        self.detail.setAccessibleName("The portfolio at the chosen budget")
        self.detail.setMinimumHeight(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(legend([(theme.ACCENT, "Optimal portfolio (proven best at each budget)"),
                                 (theme.LEFT_OUT, "Value-per-pound ranking"), (theme.FUNDED, "This plan's budget")]))
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.detail)
        self._marker = pg.ScatterPlotItem(size=20, pen=pg.mkPen(theme.INK, width=2), brush=pg.mkBrush(None))

    def draw(self, points: Sequence[FrontierPoint], budget: float) -> None:
        plot = self.plot
        plot.clear()
        xs = [p.budget for p in points]
        optimal = plot.plot(xs, [p.objective for p in points], pen=pg.mkPen(theme.ACCENT, width=3), symbol="o",
                            symbolSize=11, symbolBrush=theme.ACCENT, symbolPen=pg.mkPen("w", width=1.5))
        optimal.scatter.opts["hoverable"] = True
        optimal.scatter.opts["tip"] = _frontier_tip
        plot.plot(xs, [p.greedy_objective for p in points], pen=pg.mkPen(theme.LEFT_OUT, width=2.5, style=Qt.PenStyle.DashLine))
        plot.addItem(pg.InfiniteLine(budget, angle=90, pen=pg.mkPen(theme.FUNDED, width=2)))
        self._marker.setData([], [])
        plot.addItem(self._marker)
        optimal.sigPointsClicked.connect(self._clicked)
        self._points = list(points)

    def mark(self, index: int) -> None:
        point = self._points[index]
        self._marker.setData([point.budget], [point.objective])

    def clear(self) -> None:
        self.plot.clear()
        self._points = []
        self.detail.setText("Click a point on the frontier to see that portfolio.")

    def _clicked(self, _item: Any, spots: Any, *_: Any) -> None:
        if len(spots):
            self.point_clicked.emit(int(spots[0].index()))


def _frontier_tip(x: float, y: float, data: Any) -> str:
    return f"Budget {format_money(x)}: best value {y:,.0f}"


class SpendChart(QWidget):
    """Where the money goes, by partner, by stream and year, or by need: bars stacked by year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._breakdowns: tuple[SpendBreakdown, ...] = ()
        self.current: SpendBreakdown | None = None
        switch = QHBoxLayout()
        switch.setSpacing(6)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        for index, (text, tip) in enumerate((
            ("By partner", "Money drawn from the funding streams each partner brings"),
            ("By stream and year", "Money drawn from each funding stream, per financial year"),
            ("By need", "Money spent on options addressing each need (shared equally when an option addresses several)"),
        )):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setStyleSheet(CHOICE)
            button.setToolTip(tip)
            button.setAccessibleName(f"Spend {text.lower()}")
            self._group.addButton(button, index)
            self.buttons.append(button)
            switch.addWidget(button)
        self.buttons[0].setChecked(True)
        switch.addSpacing(18)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        switch.addWidget(self.legend, 1)
        self.plot = styled_plot(bottom=MoneyAxis("bottom"))
        self.plot.setAccessibleName("Where the money goes")
        self.plot.invertY(True)
        _label(self.plot, "bottom", "Spend over the plan's years")
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.note = caption("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(switch)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self._group.idClicked.connect(self._choose)

    def show_breakdowns(self, breakdowns: Sequence[SpendBreakdown]) -> None:
        self._breakdowns = tuple(breakdowns)
        self._choose(max(self._group.checkedId(), 0))

    def clear(self) -> None:
        self._breakdowns = ()
        self.current = None
        self.plot.clear()
        self.legend.setText("")
        self.note.setText("")

    def _choose(self, index: int) -> None:
        self.buttons[index].setChecked(True)
        if index < len(self._breakdowns):
            self._draw(self._breakdowns[index])

    def _draw(self, data: SpendBreakdown) -> None:
        self.current = data
        plot = self.plot
        plot.clear()
        count = len(data.categories)
        ys = list(range(count))
        colours = [YEAR_COLOURS[i % len(YEAR_COLOURS)] for i in range(len(data.years))]
        if data.available:
            plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.78, width=list(data.available),
                                         brush=pg.mkBrush(AVAILABLE), pen=pg.mkPen("#9aa5b1", width=1)))
        left = [0.0] * count
        for year_index, colour in enumerate(colours):
            widths = [row[year_index] for row in data.spend]
            plot.addItem(pg.BarGraphItem(x0=list(left), y=ys, height=0.5, width=widths, brush=pg.mkBrush(colour), pen=pg.mkPen(None)))
            left = [a + b for a, b in zip(left, widths, strict=True)]
        widest = max([*left, *data.available, 1.0])
        for y, total in enumerate(left):
            text = format_money(total) + (f" of {format_money(data.available[y])}" if data.available else "")
            label = pg.TextItem(text, color=theme.INK, anchor=(0, 0.5))
            label.setFont(_font(11))
            label.setPos(max(total, data.available[y] if data.available else 0.0) + widest * 0.015, y)
            plot.addItem(label)
        axis = plot.getAxis("left")
        names = [_short(c) for c in data.categories]
        axis.setTicks([list(enumerate(names))])
        axis.setStyle(hideOverlappingLabels=False)
        axis.setWidth(min(max(QFontMetrics(_font(11)).horizontalAdvance(n) for n in names) + 24, 380) if names else 60)
        plot.setXRange(0, widest * 1.3, padding=0)  # room for the figures at the bars' ends
        spare = max(FEWEST_SLOTS - count, 0) / 2  # few bars sit in the middle, not at the top
        plot.setYRange(-0.6 - spare, count - 0.4 + spare, padding=0)
        self.legend.setText(legend_html([(c, year_label(y)) for c, y in zip(colours, data.years, strict=True)],
                                        "available" if data.available else ""))
        spent = sum(left)
        self.note.setText(
            f"{format_money(spent)} spent in all. " + (
                "The pale bar behind each is what was available: its budget plus money decommissions release."
                if data.available else "An option addressing several needs counts an equal share against each.")
        )
        self.plot.setToolTip("\n".join(f"{c}: {format_money(sum(s))}" for c, s in zip(data.categories, data.spend, strict=True)))


class ValueForMoneyChart(QWidget):
    """Each option's value against its cost: funded in green, left out in grey."""

    option_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = styled_plot(bottom=MoneyAxis("bottom"))
        self.plot.setAccessibleName("Value for money")
        self.plot.setToolTip("Each dot is an option; hover or click one to see which")
        _label(self.plot, "bottom", "Cost over the plan's years (at the funded level)")
        _label(self.plot, "left", "Weighted value")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        common = {"hoverable": True, "tip": self._tip, "hoverSize": 18, "hoverPen": pg.mkPen(theme.INK, width=2)}
        self.funded = pg.ScatterPlotItem(size=13, brush=pg.mkBrush(theme.FUNDED), pen=pg.mkPen("w", width=1.5), **common)
        self.left_out = pg.ScatterPlotItem(size=13, brush=pg.mkBrush(theme.LEFT_OUT), pen=pg.mkPen("w", width=1.5), **common)
        self.ring = pg.ScatterPlotItem(size=26, brush=pg.mkBrush(None), pen=pg.mkPen(theme.ACCENT, width=3))
        self.zero = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(theme.MUTED, width=1, style=Qt.PenStyle.DotLine))
        for item in (self.zero, self.left_out, self.funded, self.ring):
            self.plot.addItem(item)
        for scatter in (self.funded, self.left_out):
            scatter.sigClicked.connect(self._clicked)
        self.detail = caption("Hover over or click a dot to see the option. Higher is more value; further right costs more.", 15)
        self.detail.setAccessibleName("The chosen option's value and cost")
        self.detail.setMinimumHeight(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(legend([(theme.FUNDED, "Funded"), (theme.LEFT_OUT, "Left out")]))
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.detail)
        self._rows: dict[str, PortfolioRow] = {}

    def show_rows(self, rows: Sequence[PortfolioRow]) -> None:
        self._rows = {r.name: r for r in rows}
        for scatter, funded in ((self.funded, True), (self.left_out, False)):
            chosen = [r for r in rows if r.funded == funded]
            scatter.setData(x=[r.cost for r in chosen], y=[r.value for r in chosen], data=[r.name for r in chosen])
        self.ring.setData([], [])
        self.zero.setVisible(any(r.cost < 0 for r in rows))
        self.plot.enableAutoRange()

    def clear(self) -> None:
        self.show_rows(())

    def count(self) -> int:
        return len(self.funded.data) + len(self.left_out.data)

    def pick(self, name: str) -> None:
        """Ring an option and describe it (what a click on its dot does)."""
        row = self._rows.get(name)
        if row is None:
            return
        self.ring.setData([row.cost], [row.value])
        state = (f"funded ({row.level.lower()})" if row.level not in ("", "Full") else "funded") if row.funded else "left out"
        per = f"; {row.value / (row.cost / 1e6):,.0f} points per £1m" if row.cost > 0 else ""
        self.detail.setText(f"<b>{_html(name)}</b>: {state}, value {row.value:.1f}, cost {_html(row.cost_words)}{per}.")

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            name = str(points[0].data())
            self.pick(name)
            self.option_picked.emit(name)

    def _tip(self, x: float, y: float, data: Any) -> str:
        row = self._rows.get(str(data))
        state = "Funded" if row is not None and row.funded else "Left out"
        cost = row.cost_words if row is not None else format_money(x)
        return f"{data}\n{state} · value {y:.1f} · cost {cost}"


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks over ``span``."""
    raw = max(span, 1.0) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _font(points: int) -> QFont:
    font = QFont()
    font.setPointSize(points)
    return font


def _short(name: str, width: int = LABEL_CHARS) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
