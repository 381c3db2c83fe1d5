"""What the projector shows after the facilitator runs the allocation mid-meeting: the portfolio
funded on the scores so far, and the frontier (the best value at each budget beside funding in
order of value per pound). Drawn large, black on white, like the other presentation views."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from placeplanner.engine.frontier import FrontierPoint
from placeplanner.gui import theme
from placeplanner.gui.allocation_charts import nice_step
from placeplanner.gui.presentation_views import BOLD, INK, SOFT, fit_px, set_px, text_label
from placeplanner.money import format_money
from placeplanner.service.room_allocation import FundedLine, RoomAllocation
from placeplanner.service.staleness import CHANGED, Staleness

GRID = "#c8d0d9"
RANKING = "#4c6272"  # the value-per-pound line: dark enough to read, clearly not the optimum


def headline_words(result: RoomAllocation) -> str:
    count = len(result.funded)
    money = result.reconciliation
    within = (f"the {format_money(money.available)} available" if abs(money.released) >= 0.5
              else f"the {format_money(money.budget)} budget")
    return f"{count} option{'s' * (count != 1)} funded within {within}"


def money_words(result: RoomAllocation) -> str:
    """'£13.85m budget + £2.06m released = £15.91m available · £14.87m spent · £1.04m left'."""
    return result.reconciliation.short_words()


def value_words(result: RoomAllocation) -> str:
    if result.value is None:
        return ""
    ranking = result.greedy_value
    if ranking <= 0 or result.value <= ranking + 1e-6:
        return f"Weighted value {result.value:,.0f}: the same as funding in order of value per pound"
    more = (result.value - ranking) / ranking
    return (f"Weighted value {result.value:,.0f}: {more:.0%} more than funding in order of value per pound "
            f"({ranking:,.0f})")


def basis_words(result: RoomAllocation) -> str:
    basis = result.basis
    parts = [f"{basis.agreed} option{'s' * (basis.agreed != 1)} on agreed scores"]
    if basis.provisional:
        parts.append(f"{basis.provisional} on the room's scores so far")
    if basis.unscored:
        parts.append(f"{basis.unscored} not scored yet (no credit)")
    return "  ·  ".join(parts)


def left_out_words(names: Sequence[str], most: int = 4) -> str:
    if not names:
        return "Every option in consideration is funded."
    shown = " · ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")
    return f"Not funded ({len(names)}): {shown}"


def cost_words(line: FundedLine) -> str:
    if line.cost < 0:
        return f"frees {format_money(-line.cost)}"
    return format_money(line.cost)


class FundedList(QWidget):
    """The funded options, the most valuable first, one to a line and in full where the width
    allows; what does not fit is counted on the last line, never cut off unseen."""

    ROW = 36  # pixels at 720 high

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[FundedLine] = []
        self.unit = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_lines(self, lines: Sequence[FundedLine]) -> None:
        self.lines = sorted(lines, key=lambda line: -line.value)
        self.setAccessibleName("Funded: " + "; ".join(f"{line.name} {cost_words(line)}" for line in self.lines))
        self.update()

    def shown(self) -> int:
        """How many lines are shown by name; the rest are counted on the last line."""
        rows = max(1, int(self.height() // (self.ROW * self.unit)))
        return len(self.lines) if len(self.lines) <= rows else rows - 1

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self.lines:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit, width = self.unit, self.width()
        row_h = self.ROW * unit
        name_font = QFont(self.font())
        name_font.setPixelSize(max(8, round(22 * unit)))
        name_font.setWeight(BOLD)
        cost_font = QFont(name_font)
        cost_font.setWeight(QFont.Weight.Normal)
        cost_w = QFontMetrics(cost_font).horizontalAdvance("frees £99.99m") + 12 * unit
        shown = self.shown()
        for row, line in enumerate(self.lines[:shown]):
            top = row * row_h
            painter.setPen(QPen(QColor(GRID), 1))
            painter.drawLine(QPointF(0, top + row_h - 1), QPointF(width, top + row_h - 1))
            name = line.name if line.level == "Full" else f"{line.name} ({line.level})"
            painter.setFont(name_font)
            painter.setPen(QColor(INK))
            text = QFontMetrics(name_font).elidedText(name, Qt.TextElideMode.ElideRight, round(width - cost_w))
            painter.drawText(QRectF(0, top, width - cost_w, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            painter.setFont(cost_font)
            painter.setPen(QColor(theme.FUNDED if line.cost < 0 else SOFT))
            painter.drawText(QRectF(width - cost_w, top, cost_w, row_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), cost_words(line))
        rest = self.lines[shown:]
        if rest:
            painter.setFont(cost_font)
            painter.setPen(QColor(SOFT))
            painter.drawText(QRectF(0, shown * row_h, width, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             f"and {len(rest)} more, {format_money(sum(line.cost for line in rest))} net in all")
        painter.end()


class FrontierPlot(QWidget):
    """The best value at each budget (solid, with dots), funding by value per pound (dashed), the
    plan's budget (a vertical line) and the portfolio funded there (a ring)."""

    def __init__(self) -> None:
        super().__init__()
        self.points: list[FrontierPoint] = []
        self.budget = 0.0
        self.value: float | None = None
        self.unit = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_frontier(self, points: Sequence[FrontierPoint], budget: float, value: float | None) -> None:
        self.points = [p for p in points if p.objective is not None]
        self.budget, self.value = budget, value
        self.setAccessibleName("The frontier: " + "; ".join(
            f"{format_money(p.budget)} buys {p.objective:,.0f}" for p in self.points if p.objective is not None))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if len(self.points) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = self.unit
        font = QFont(self.font())
        font.setPixelSize(max(8, round(17 * unit)))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        line_h = metrics.height()
        # At least 1: before anyone has scored every value is 0, and the scale must not collapse.
        top_y = max(1.0, *(max(p.objective or 0.0, p.greedy_objective) for p in self.points))
        y_step = nice_step(top_y, 4)
        y_max = math.ceil(top_y / y_step) * y_step
        budgets = [p.budget for p in self.points]
        x_lo, x_hi = min(budgets), max(budgets)
        x_step = nice_step(x_hi - x_lo, 4)
        left = line_h * 1.4 + metrics.horizontalAdvance(f"{y_max:,.0f}") + 12 * unit
        legend_top = self.height() - line_h * 2.6
        bottom = legend_top - line_h * 2.9
        top, right = line_h / 2, self.width() - 18 * unit

        def at(budget: float, value: float) -> QPointF:
            x = left + (right - left) * (budget - x_lo) / max(x_hi - x_lo, 1.0)
            return QPointF(x, bottom - (bottom - top) * value / y_max)

        for index in range(round(y_max / y_step) + 1):
            value = index * y_step
            y = at(x_lo, value).y()
            painter.setPen(QPen(QColor(GRID), 1))
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            painter.setPen(QColor(SOFT))
            painter.drawText(QRectF(0, y - line_h, left - 8 * unit, line_h * 2),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{value:,.0f}")
        tick = math.ceil(x_lo / x_step) * x_step
        while tick <= x_hi + 1e-6:
            x = at(tick, 0).x()
            painter.drawLine(QPointF(x, bottom), QPointF(x, bottom + 5 * unit))
            painter.drawText(QRectF(x - 60 * unit, bottom + 6 * unit, 120 * unit, line_h),
                             int(Qt.AlignmentFlag.AlignHCenter), format_money(tick))
            tick += x_step
        painter.drawText(QRectF(left, bottom + 8 * unit + line_h, right - left, line_h * 1.3),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), "Budget over the plan's years")
        painter.save()
        painter.translate(0, (top + bottom) / 2)
        painter.rotate(-90)
        painter.drawText(QRectF(-(bottom - top) / 2, 0, bottom - top, line_h * 1.2),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), "Weighted value")
        painter.restore()
        if x_lo <= self.budget <= x_hi:
            x = at(self.budget, 0).x()
            painter.setPen(self._budget_pen())
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._ranking_pen())
        painter.drawPath(self._path([at(p.budget, p.greedy_objective) for p in self.points]))
        painter.setPen(self._best_pen())
        painter.drawPath(self._path([at(p.budget, p.objective or 0.0) for p in self.points]))
        for point in self.points:
            self._dot(painter, at(point.budget, point.objective or 0.0))
        if self.value is not None:
            self._ring(painter, at(self.budget, self.value))
        self._legend(painter, QRectF(0, legend_top, self.width(), line_h * 2.6), line_h)
        painter.end()

    def _best_pen(self) -> QPen:
        return QPen(QColor(theme.ACCENT), max(3.0, 5 * self.unit))

    def _ranking_pen(self) -> QPen:
        return QPen(QColor(RANKING), max(2.0, 3 * self.unit), Qt.PenStyle.DashLine)

    def _budget_pen(self) -> QPen:
        return QPen(QColor(theme.FUNDED), max(2.0, 3 * self.unit))

    def _dot(self, painter: QPainter, centre: QPointF) -> None:
        painter.setBrush(QColor(theme.ACCENT))
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, 2 * self.unit)))
        painter.drawEllipse(centre, 6 * self.unit, 6 * self.unit)

    def _ring(self, painter: QPainter, centre: QPointF) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(INK), max(2.0, 3 * self.unit)))
        painter.drawEllipse(centre, 13 * self.unit, 13 * self.unit)

    @staticmethod
    def _path(points: list[QPointF]) -> QPainterPath:
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        return path

    def _legend(self, painter: QPainter, area: QRectF, line_h: float) -> None:
        """Four keys in two rows, each drawn with the mark it explains."""
        sample = 34 * self.unit
        half = area.width() / 2
        for index, words in enumerate(("best at each budget", "by value per pound",
                                       "the plan's budget", "today's portfolio")):
            x = area.left() + (index % 2) * half
            y = area.top() + (index // 2) * line_h * 1.3 + line_h * 0.65
            middle = QPointF(x + sample / 2, y)
            if index == 0:
                painter.setPen(self._best_pen())
                painter.drawLine(QPointF(x, y), QPointF(x + sample, y))
                self._dot(painter, middle)
            elif index == 1:
                painter.setPen(self._ranking_pen())
                painter.drawLine(QPointF(x, y), QPointF(x + sample, y))
            elif index == 2:
                painter.setPen(self._budget_pen())
                painter.drawLine(QPointF(middle.x(), y - line_h * 0.45), QPointF(middle.x(), y + line_h * 0.45))
            else:
                painter.save()
                painter.translate(middle)
                painter.scale(0.6, 0.6)
                self._ring(painter, QPointF(0, 0))
                painter.restore()
            painter.setPen(QColor(SOFT))
            painter.drawText(QRectF(x + sample + 8 * self.unit, y - line_h * 0.65, half - sample - 8 * self.unit, line_h * 1.3),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), words)


class AllocationView(QWidget):
    """While the solver runs: what it is doing. After: the portfolio and the frontier."""

    def __init__(self) -> None:
        super().__init__()
        self.kicker = text_label("kicker", colour=SOFT)
        self.headline = text_label("headline")
        self.money = text_label("money", wrap=True)
        self.money.setAccessibleName("How the money adds up")
        self.subline = text_label("subline", wrap=True)
        self.funded_title = text_label("header", colour=SOFT)
        self.funded_title.setText("Funded, the most valuable first, with its net cost")
        self.funded = FundedList()
        self.frontier_title = text_label("header", colour=SOFT)
        self.frontier_title.setText("What each budget would buy")
        self.frontier = FrontierPlot()
        self.left_out = text_label("left_out", wrap=True, colour=SOFT)
        self.footer = text_label("footer", wrap=True, colour=SOFT)
        self._layout = QVBoxLayout(self)
        for widget in (self.kicker, self.headline, self.money, self.subline):
            self._layout.addWidget(widget)
        self._body = QHBoxLayout()
        for title, body, extra, stretch in ((self.funded_title, self.funded, self.left_out, 3),
                                            (self.frontier_title, self.frontier, None, 2)):
            column = QVBoxLayout()
            column.setSpacing(6)
            column.addWidget(title)
            column.addWidget(body, 1)
            if extra is not None:
                column.addWidget(extra)
            self._body.addLayout(column, stretch)
        self._layout.addLayout(self._body, 1)
        self._layout.addWidget(self.footer)
        # Under the kicker when the plan has moved on since this run (see ``show_staleness``).
        self.plan_changed = text_label("plan_changed", wrap=True, colour=theme.PROBLEM)
        self.plan_changed.setAccessibleName(CHANGED)
        self.plan_changed.setVisible(False)
        self._layout.insertWidget(1, self.plan_changed)
        self._unit, self._size = 1.0, QSize(1280, 720)

    def show_running(self, meeting: str, message: str) -> None:
        self.kicker.setText(f"{meeting}  ·  allocation")
        self.headline.setText("Finding the best portfolio…")
        self.subline.setText(message or "On the scores agreed so far")
        self.money.setText("")
        self.money.setVisible(False)
        self._show_body(False)
        self.footer.setText("")
        self.rescale(self._unit, self._size)

    def show_result(self, result: RoomAllocation) -> None:
        self.kicker.setText(f"{result.meeting}  ·  allocation on the scores so far  ·  {result.ran_at:%H:%M}")
        if result.has_portfolio:
            self.headline.setText(headline_words(result))
            self.money.setText(money_words(result))
            self.subline.setText(value_words(result))
            self.funded.show_lines(result.funded)
            self.left_out.setText(left_out_words(result.left_out))
            self.frontier.show_frontier(result.frontier, result.budget, result.value)
            self.footer.setText(basis_words(result))
        else:
            self.headline.setText("No portfolio fits")
            self.money.setText("")
            self.subline.setText(result.explanation)
            self.footer.setText("")
        self._show_body(result.has_portfolio)
        self.money.setVisible(result.has_portfolio)
        self.rescale(self._unit, self._size)

    def show_staleness(self, stale: Staleness | None) -> None:
        """Say when the plan has changed since the run shown (not what: the room sees it)."""
        changed = stale is not None and stale.stale
        count = f" ({stale.count:,} change{'s' * (stale.count != 1)})" if stale is not None and stale.count else ""
        self.plan_changed.setText(f"{CHANGED}{count}: press A to run it again" if changed else "")
        self.plan_changed.setVisible(changed)

    def _show_body(self, visible: bool) -> None:
        for widget in (self.funded_title, self.funded, self.left_out, self.frontier_title, self.frontier):
            widget.setVisible(visible)
        self._layout.setStretch(self._layout.indexOf(self.subline), 0 if visible else 1)

    def rescale(self, unit: float, size: QSize) -> None:
        self._unit, self._size = unit, size
        margin = round(48 * unit)
        self._layout.setContentsMargins(margin, round(32 * unit), margin, round(28 * unit))
        self._layout.setSpacing(round(10 * unit))
        self._body.setSpacing(round(40 * unit))
        width = size.width() - 2 * margin
        set_px(self.kicker, 22 * unit, BOLD)
        set_px(self.plan_changed, 24 * unit, BOLD)
        fit_px(self.headline, self.headline.text(), 46 * unit, width, BOLD)
        fit_px(self.money, self.money.text(), 26 * unit, width, BOLD)  # one line, however long the figures
        set_px(self.subline, 26 * unit)
        for title in (self.funded_title, self.frontier_title):
            set_px(title, 20 * unit, BOLD)
        set_px(self.left_out, 20 * unit)
        set_px(self.footer, 19 * unit)
        self.funded.unit = self.frontier.unit = unit
        self.funded.update()
        self.frontier.update()

