"""What the projector shows while the room weighs the values: how many have given weights (never
what), and once weighting closes the group's weights as bars, each with the room's range."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from placeplanner.gui import theme
from placeplanner.gui.presentation_views import (
    BOLD,
    HEAVY,
    INK,
    SOFT,
    ProgressDots,
    fit_px,
    set_px,
    text_label,
)
from placeplanner.meeting.weighting import ValueWeights

RANGE = "#333d47"


def given_words(given: int, total: int) -> str:
    return f"{given} of {total} {'has' if given == 1 else 'have'} given weights"


class WeightBars(QWidget):
    """One row per value: its name, a bar to the group's weight with the figure, and a line across
    the lowest to the highest weight anyone gave."""

    def __init__(self) -> None:
        super().__init__()
        self.weights: list[ValueWeights] = []
        self.unit = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_weights(self, weights: Sequence[ValueWeights]) -> None:
        self.weights = sorted(weights, key=lambda w: -w.group)
        self.setAccessibleName("The group's weights: " + ", ".join(f"{w.value} {w.group:g}" for w in self.weights))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self.weights:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit, rows = self.unit, len(self.weights)
        axis_h = 30 * unit
        row_h = (self.height() - axis_h) / rows
        name_font = QFont(self.font())
        name_font.setPixelSize(max(8, round(min(26 * unit, row_h * 0.42))))
        name_font.setWeight(BOLD)
        figure_font = QFont(name_font)
        figure_font.setPixelSize(max(8, round(min(34 * unit, row_h * 0.55))))
        figure_font.setWeight(HEAVY)
        names_w = min(self.width() * 0.45, max(QFontMetrics(name_font).horizontalAdvance(w.value) for w in self.weights)
                      + 24 * unit)
        figure_w = QFontMetrics(figure_font).horizontalAdvance("100") + 20 * unit
        left, right = names_w, self.width() - figure_w
        top_value = max(10.0, math.ceil(max(max(w.highest, w.group) for w in self.weights) / 10) * 10)

        def x_of(weight: float) -> float:
            return left + (right - left) * weight / top_value

        for index, weight in enumerate(self.weights):
            top = index * row_h
            middle = top + row_h / 2
            painter.setFont(name_font)
            painter.setPen(QColor(INK))
            metrics = QFontMetrics(name_font)
            name = metrics.elidedText(weight.value, Qt.TextElideMode.ElideRight, round(names_w - 16 * unit))
            painter.drawText(QRectF(0, top, names_w - 16 * unit, row_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), name)
            bar_h = row_h * 0.5
            painter.fillRect(QRectF(QPointF(left, middle - bar_h / 2), QPointF(x_of(weight.group), middle + bar_h / 2)),
                             QColor(theme.ACCENT))
            pen = QPen(QColor(RANGE), max(2.0, 3 * unit))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            low, high = x_of(weight.lowest), x_of(weight.highest)
            tick = bar_h * 0.45
            painter.drawLine(QPointF(low, middle), QPointF(high, middle))
            for x in (low, high):
                painter.drawLine(QPointF(x, middle - tick), QPointF(x, middle + tick))
            painter.setFont(figure_font)
            painter.setPen(QColor(INK))
            painter.drawText(QRectF(right + 8 * unit, top, figure_w, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), f"{weight.group:g}")
        axis_font = QFont(self.font())
        axis_font.setPixelSize(max(8, round(18 * unit)))
        painter.setFont(axis_font)
        painter.setPen(QPen(QColor(SOFT), 1))
        base = rows * row_h
        painter.drawLine(QPointF(left, base), QPointF(right, base))
        for step in range(0, int(top_value) + 1, 10 if top_value <= 60 else 20):
            x = x_of(step)
            painter.drawLine(QPointF(x, base), QPointF(x, base + 5 * unit))
            painter.drawText(QRectF(x - 30 * unit, base + 4 * unit, 60 * unit, axis_h - 4 * unit),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), f"{step}")
        painter.end()


class WeightsView(QWidget):
    """While weighting: 'Weigh the values' and how many have given weights. After it closes: the
    group's weights, each with the lowest to highest anyone gave."""

    def __init__(self) -> None:
        super().__init__()
        self.kicker = text_label("kicker", colour=SOFT)
        self.headline = text_label("headline")
        self.count = text_label("count", colour=theme.ACCENT)
        self.count.setAccessibleName("How many have given weights")
        self.dots = ProgressDots()
        self.bars = WeightBars()
        self.footer = text_label("footer", wrap=True, colour=SOFT)
        self._layout = QVBoxLayout(self)
        for widget in (self.kicker, self.headline):
            self._layout.addWidget(widget)
        self._layout.addWidget(self.bars, 1)
        self._gap = self._layout.count()
        self._layout.addStretch(1)
        self._layout.addWidget(self.count)
        self._layout.addWidget(self.dots)
        self._layout.addWidget(self.footer)
        self.closed = False
        self._unit, self._size = 1.0, QSize(1280, 720)

    def show_weights(self, meeting: str, given: int, total: int, weights: Sequence[ValueWeights], *,
                     closed: bool) -> None:
        self.closed = closed
        self.kicker.setText(f"{meeting}  ·  " + ("weighting closed" if closed else "weighting open"))
        self.headline.setText("The group's weights" if closed else "Weigh the values")
        self.count.setText(given_words(given, total))
        self.dots.show_count(given, total)
        self.bars.show_weights(weights if closed else [])
        self.bars.setVisible(closed and bool(weights))
        self.count.setVisible(not closed)
        self.dots.setVisible(not closed)
        self._layout.setStretch(self._gap, 0 if closed and weights else 1)
        self.footer.setText(
            f"Bars: the group's weight (out of 100)  ·  line: the lowest to the highest anyone gave  ·  "
            f"{given_words(given, total)}" if closed else
            "On your phone: share 100 points among the values, by how much each should count.")
        self.rescale(self._unit, self._size)

    def rescale(self, unit: float, size: QSize) -> None:
        self._unit, self._size = unit, size
        margin = round(56 * unit)
        self._layout.setContentsMargins(margin, round(40 * unit), margin, round(36 * unit))
        self._layout.setSpacing(round(14 * unit))
        set_px(self.kicker, 24 * unit, BOLD)
        fit_px(self.headline, self.headline.text(), (48 if self.closed else 72) * unit, size.width() - 2 * margin, BOLD)
        fit_px(self.count, self.count.text(), 84 * unit, size.width() - 2 * margin, HEAVY)
        self.dots.setFixedHeight(round(36 * unit))
        set_px(self.footer, (20 if self.closed else 26) * unit)
        self.bars.unit = unit
        self.bars.update()
