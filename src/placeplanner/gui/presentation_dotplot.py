"""One value's scores as a dot plot: a dot per score (whose, never shown), equal scores packed
together, the middle half of the room shaded and the median marked. Drawn with QPainter so it
stays crisp and bold at any size, from the console's strip to a projector. When so few have
scored that a dot could be recognised as someone's, it is drawn without dots: the median, and the
middle half once three or more have scored."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from placeplanner.gui import theme
from placeplanner.meeting.tally import FEWEST, ValueTally

DOT = QColor(theme.ACCENT)
BAND = QColor("#c8dcf0")
INK = QColor("#000000")
AXIS = QColor("#52606d")
GRID = QColor("#e1e6ec")
MOST_TICKS = 11


def dot_layout(most: int, gap: float, room: float, largest: float) -> tuple[float, int]:
    """The dot diameter, and how many dots side by side, that fit ``most`` equal scores into a
    block ``gap`` wide (the distance between neighbouring scale points) and ``room`` high.
    One column while the dots stay a fair size, so each sits on its score; more when a pile
    would otherwise shrink them to specks."""
    single = min(gap * 0.9, room / max(most, 1), largest)
    if single >= min(largest * 0.4, gap * 0.25):
        return single, 1
    best = (single, 1)
    for columns in range(2, max(most, 1) + 1):
        rows = math.ceil(most / columns)
        diameter = min(gap * 0.9 / columns, room / max(rows, 1))
        if diameter > best[0]:
            best = (min(diameter, largest), columns)
    return best


class DotPlot(QWidget):
    """``labels``: "below" each plot its own scale, "none" (plots sharing an axis drawn apart),
    or "only": the shared axis itself, the scale's numbers and nothing else."""

    def __init__(self, *, label_px: int = 11, labels: str = "below", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tally: ValueTally | None = None
        self._low, self._high = 0.0, 10.0
        self._most = 1  # the tallest pile of equal scores across the plots shown together
        self._dots_shown = True  # False: the spread only, no dot for anyone's score
        self.label_px = label_px
        self.labels = labels
        self.pad = 14.0  # left and right, so the end points' dots and numbers are whole
        self.largest_dot = 40.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(24 if labels != "only" else 12)

    @property
    def dots_shown(self) -> bool:
        return self._dots_shown

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(240, 44 if self.labels != "only" else round(self.label_px * 1.5))

    def show_tally(self, tally: ValueTally | None, low: float, high: float, *, most: int = 0,
                   dots: bool = True) -> None:
        """``most``: the tallest pile to leave room for, so plots shown together share a dot size;
        ``dots`` False draws the spread alone (a reveal with few scorers)."""
        self._tally, self._low, self._high = tally, low, max(high, low + 1e-9)
        self._dots_shown = dots
        piles = Counter(tally.scores) if tally is not None else Counter()
        self._most = max(most, max(piles.values(), default=1))
        words = (f"{len(tally.scores)} scores, median {tally.median:g}" if tally is not None and tally.median is not None
                 else "no scores")
        self.setAccessibleName(f"{tally.value if tally is not None else 'Scores'}: {words}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, right = self.pad, self.width() - self.pad

        def x_of(score: float) -> float:
            return left + (score - self._low) / (self._high - self._low) * (right - left)

        if self.labels == "only":
            self._ticks(painter, x_of, 0.0, 0.0, labels=True)
            painter.end()
            return
        label_height = self.label_px * 1.4 + 4 if self.labels == "below" else 0.0
        base = self.height() - label_height - 2
        top = 2.0
        tally = self._tally
        banded = self._dots_shown or (tally is not None and len(tally.scores) >= FEWEST)
        if tally is not None and banded and tally.lower_quartile is not None and tally.upper_quartile is not None:
            painter.fillRect(QRectF(QPointF(x_of(tally.lower_quartile) - 3, top), QPointF(x_of(tally.upper_quartile) + 3, base)), BAND)
        step = self._ticks(painter, x_of, top, base, labels=self.labels == "below")
        painter.setPen(QPen(AXIS, 1.5))
        painter.drawLine(QPointF(left, base), QPointF(right, base))
        if tally is not None and self._dots_shown:
            gap = (right - left) * step / (self._high - self._low)
            diameter, columns = dot_layout(self._most, gap, base - top - 2, self.largest_dot)
            self._dots(painter, tally, x_of, base, diameter=diameter, columns=columns)
        if tally is not None and tally.median is not None:
            x = x_of(tally.median)
            painter.setPen(QPen(INK, max(2.5, self.largest_dot / 10)))
            painter.drawLine(QPointF(x, top), QPointF(x, base + 3))
        painter.end()

    def _dots(self, painter: QPainter, tally: ValueTally, x_of: Callable[[float], float], base: float, *,
              diameter: float, columns: int) -> None:
        plain = Counter(tally.scores) - Counter(tally.flagged)
        radius = diameter * 0.42
        for score, total in Counter(tally.scores).items():
            across = min(columns, total)
            x0 = x_of(score) - diameter * (across - 1) / 2
            for place in range(total):
                row, column = divmod(place, across)
                centre = QPointF(x0 + column * diameter, base - diameter * (row + 0.5) - 1)
                ringed = place >= plain[score]  # a conflicted scorer's dot, under the permissive policy
                painter.setPen(QPen(DOT, max(2.0, diameter / 7)) if ringed else Qt.PenStyle.NoPen)
                painter.setBrush(Qt.BrushStyle.NoBrush if ringed else DOT)
                painter.drawEllipse(centre, radius, radius)

    def _ticks(self, painter: QPainter, x_of: Callable[[float], float], top: float, base: float, *,
               labels: bool) -> float:
        """Light lines up from each scale point, its number below if ``labels``; returns the step
        between points."""
        span = self._high - self._low
        step = 1.0 if span <= MOST_TICKS - 1 else span / (MOST_TICKS - 1)
        font = QFont(self.font())
        font.setPixelSize(max(self.label_px, 8))
        painter.setFont(font)
        for index in range(round(span / step) + 1):
            score = self._low + index * step
            x = x_of(score)
            if base > top:
                painter.setPen(QPen(GRID, 1.0))
                painter.drawLine(QPointF(x, top), QPointF(x, base))
            if labels:
                painter.setPen(INK)
                box = QRectF(x - 40, base + 3, 80, self.label_px * 1.4)
                painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{score:g}")
        return step
