"""What the projector shows: how to join, the option being scored, and the revealed spread.

Each view is sized from the window's height (``unit`` is 1 at 720 pixels), so the same screen
reads from the back of a room at 1280x720 and at 1920x1080. Black on white, bold, few words.
"""

from __future__ import annotations

import io
from collections import Counter

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from placeplanner.gui import theme
from placeplanner.gui.meeting_room import RoomState, clock_words, scored_words
from placeplanner.gui.presentation_dotplot import DotPlot
from placeplanner.meeting.live import CLOSED
from placeplanner.meeting.tally import FEWEST, FLAG, WIDE_SPREAD_ANY_SCALE, wide_spread_words

INK = "#000000"
SOFT = "#333d47"  # secondary text: still dark enough for a washed-out projector
BOLD = QFont.Weight.Bold
HEAVY = QFont.Weight.Black
DESCRIPTION_CHARS = 320


def qr_pixmap(url: str, side: int) -> QPixmap:
    """A QR code of ``url`` about ``side`` pixels square, in whole pixels per module so it scans."""
    import segno

    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, side // modules), border=2, dark=INK, light="#ffffff")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def text_label(name: str, *, wrap: bool = False, colour: str = INK) -> QLabel:
    """A label sized by the view, never by its text: a long name is fitted or wrapped, and never
    pushes the window past the screen."""
    label = QLabel()
    label.setObjectName(f"presentation_{name}")  # clear of the app's own label styles
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {colour}; background: transparent;")
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(1)  # or its text's width would be the least the window could be
    return label


def set_px(label: QLabel, px: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
    font = QFont(label.font())
    font.setPixelSize(max(8, round(px)))
    font.setWeight(weight)
    label.setFont(font)


def fit_px(label: QLabel, text: str, px: float, width: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
    """Set ``text`` at ``px`` or smaller, so it fits ``width`` on one line (down to 40%)."""
    size = px
    while size > px * 0.4:
        set_px(label, size, weight)
        if QFontMetrics(label.font()).horizontalAdvance(text) <= width:
            break
        size *= 0.92
    label.setText(text)


def flag_label() -> QLabel:
    label = text_label("flag")
    label.setStyleSheet(f"color: #ffffff; background: {theme.PROBLEM}; border-radius: 6px; padding: 2px 10px;")
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a short chip, never cut
    return label


def spaced_code(code: str) -> str:
    """'HCVW7G' as 'HCV W7G': two groups read aloud and typed without doubt (spaces are ignored)."""
    return f"{code[:3]} {code[3:]}" if len(code) > 4 else code


class JoinView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self._url = ""
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName("QR code of the join address")
        self.headline = text_label("headline")
        self.headline.setText("Join the meeting")
        self.step_one = text_label("body", colour=SOFT)
        self.step_one.setText("Scan this with your phone's camera, or open")
        self.address = text_label("address", colour=theme.ACCENT)
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_two = text_label("body", colour=SOFT)
        self.step_two.setText("and type the code")
        self.code = text_label("code")
        self.code.setAccessibleName("Join code")
        self.note = text_label("note", wrap=True, colour=SOFT)
        self.footer = text_label("footer", colour=SOFT)
        self._layout = QHBoxLayout(self)
        self._layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        words = self._words = QVBoxLayout()
        words.addStretch(2)
        for widget in (self.headline, self.step_one, self.address, self.step_two, self.code, self.note):
            words.addWidget(widget)
        words.addStretch(3)
        words.addWidget(self.footer)
        self._layout.addLayout(words, 1)

    def show_room(self, state: RoomState, url: str, code: str, local_only: bool) -> None:
        # The participant's page fills the code in from the fragment, which never reaches the server.
        self._url = f"{url}#code={code}"
        self.address.setText(url.rstrip("/"))  # with http://, or a browser may try https first
        self.code.setText(spaced_code(code))
        self.note.setText("This address works on this computer only: choose the room's network when opening the meeting."
                          if local_only else "Use the same Wi-Fi as this computer.")
        self.note.setStyleSheet(f"color: {theme.PROBLEM if local_only else SOFT}; background: transparent;")
        self.footer.setText(f"{state.meeting}  ·  {state.joined} of {len(state.attendees)} have joined")

    def rescale(self, unit: float, size: QSize) -> None:
        margin, gap = round(48 * unit), round(56 * unit)
        self._layout.setContentsMargins(margin, margin, margin, round(32 * unit))
        self._layout.setSpacing(gap)
        self._words.setSpacing(round(10 * unit))  # or it takes the row's wide spacing
        side = min(round(size.height() * 0.7), round(size.width() * 0.42))
        if self._url:
            self.qr.setPixmap(qr_pixmap(self._url, side))
        self.qr.setFixedSize(side, side)
        width = size.width() - side - 2 * margin - gap
        fit_px(self.headline, self.headline.text(), 52 * unit, width, BOLD)
        for label in (self.step_one, self.step_two):
            fit_px(label, label.text(), 28 * unit, width)
        fit_px(self.address, self.address.text(), 50 * unit, width, BOLD)
        fit_px(self.code, self.code.text(), 150 * unit, width, HEAVY)
        set_px(self.note, 22 * unit)
        fit_px(self.footer, self.footer.text(), 24 * unit, width)


class ProgressDots(QWidget):
    """One circle per person expected to score, filled as scores arrive (in no particular order)."""

    def __init__(self) -> None:
        super().__init__()
        self._done, self._total = 0, 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_count(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        self.setAccessibleName(scored_words(done, total))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self._total:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self.height()
        step = min(height * 1.25, self.width() / self._total)
        radius = min(height, step) * 0.4
        line = max(2.0, radius / 5)
        for index in range(self._total):
            centre = QPointF(step * (index + 0.5), height / 2)
            filled = index < self._done
            painter.setPen(QPen(QColor(theme.ACCENT if filled else "#8a95a3"), line))
            painter.setBrush(QColor(theme.ACCENT) if filled else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
        painter.end()


class RoundView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.kicker = text_label("kicker", colour=SOFT)
        self.headline = text_label("headline", wrap=True)
        self.description = text_label("body", wrap=True, colour=SOFT)
        self.cost = text_label("cost")
        self.facts = text_label("facts", wrap=True)
        self.count = text_label("count", colour=theme.ACCENT)
        self.count.setAccessibleName("How many have scored")
        self.dots = ProgressDots()
        self.clock = text_label("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.clock_caption = text_label("caption", colour=SOFT)
        self.clock_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._layout = QVBoxLayout(self)
        for widget in (self.kicker, self.headline, self.description, self.cost, self.facts):
            self._layout.addWidget(widget)
        self._layout.addStretch(1)
        bottom = QHBoxLayout()
        counting = QVBoxLayout()
        counting.addWidget(self.count)
        counting.addWidget(self.dots)
        bottom.addLayout(counting, 3)
        timing = QVBoxLayout()
        timing.addStretch(1)
        timing.addWidget(self.clock)
        timing.addWidget(self.clock_caption)
        bottom.addLayout(timing, 1)
        self._layout.addLayout(bottom)
        self._unit, self._size = 1.0, QSize(1280, 720)

    def show_room(self, state: RoomState) -> None:
        question = state.question
        if question is None:
            return
        closed = state.stage == CLOSED
        self.kicker.setText(f"Option {state.position} of {len(state.agenda)}  ·  "
                            + ("scoring closed" if closed else "scoring open"))
        self.headline.setText(question.option)
        description = " ".join(question.description.split())
        if len(description) > DESCRIPTION_CHARS:
            description = description[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.cost.setText(question.cost)
        facts = [f"Led by {question.lead_partner}"]
        if question.needs:
            facts.append(f"Needs: {', '.join(question.needs)}")
        self.facts.setText("\n".join(facts))
        self.count.setText(scored_words(state.scored, state.expected))
        self.dots.show_count(state.scored, state.expected)
        self.rescale(self._unit, self._size)
        self.clock_caption.setText("scoring closed" if closed else "since the round opened")

    def show_clock(self, seconds: float | None) -> None:
        self.clock.setText("" if seconds is None else clock_words(seconds))
        self.clock_caption.setVisible(seconds is not None)

    def rescale(self, unit: float, size: QSize) -> None:
        self._unit, self._size = unit, size
        margin = round(56 * unit)
        self._layout.setContentsMargins(margin, round(40 * unit), margin, round(40 * unit))
        self._layout.setSpacing(round(14 * unit))
        set_px(self.kicker, 24 * unit, BOLD)
        set_px(self.headline, 56 * unit, BOLD)
        set_px(self.description, 28 * unit)
        set_px(self.cost, 32 * unit, BOLD)
        set_px(self.facts, 26 * unit)
        clock_width = round(260 * unit)
        self.clock.setFixedWidth(clock_width)
        self.clock_caption.setFixedWidth(clock_width)
        fit_px(self.count, self.count.text(), 84 * unit, size.width() - 2 * margin - clock_width - 24 * unit, HEAVY)
        self.dots.setFixedHeight(round(36 * unit))
        set_px(self.clock, 64 * unit, BOLD)
        set_px(self.clock_caption, 22 * unit)


class RevealView(QWidget):
    """Each value on a row: its name, a dot plot of the room's scores, the median and a flag
    where the spread is wide. Values on one scale share one axis, below the last row, so the
    rows keep their height for the dots. A reveal the facilitator confirmed with few scorers
    (``OptionTally.recognisable``) shows each value's median, middle half and count, no dots."""

    def __init__(self) -> None:
        super().__init__()
        self.kicker = text_label("kicker", colour=SOFT)
        self.headline = text_label("headline")
        self.grid = QGridLayout()
        self.footer = text_label("footer", wrap=True, colour=SOFT)
        self.warning = text_label("warning", wrap=True, colour=theme.PROBLEM)
        self._rows: list[tuple[QLabel, DotPlot, QLabel, QLabel, QLabel]] = []
        self._holders: list[QWidget] = []  # each row's flag and notes
        self._headers = [text_label("header", colour=SOFT) for _ in range(3)]
        for column, (label, text) in enumerate(zip(self._headers, ("", "Scores", "Median"), strict=True)):
            label.setText(text)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter if column else Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(label, 0, column)
        self.axis = DotPlot(labels="only")
        self._shared_axis = True
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.kicker)
        self._layout.addWidget(self.headline)
        self._layout.addLayout(self.grid, 1)
        self._layout.addWidget(self.warning)
        self._layout.addWidget(self.footer)
        self._unit, self._size = 1.0, QSize(1280, 720)
        self.spread_only = False  # the room's scores shown without dots (few have scored)

    def show_room(self, state: RoomState) -> None:
        tally, question = state.tally, state.question
        if tally is None or question is None:
            return
        self.kicker.setText("  ·  ".join([f"Option {state.position} of {len(state.agenda)}",
                                          f"{tally.scorers} scored", *recusal_words(state)]))
        self.headline.setText(question.option)
        scales = {v.name: (min(v.points), max(v.points)) for v in question.values if v.points}
        self._shared_axis = len(set(scales.values())) <= 1
        self._ensure_rows(len(tally.values))
        most = max((max(Counter(v.scores).values(), default=0) for v in tally.values), default=1)
        self.spread_only = tally.recognisable
        for (name, plot, median, flag, extra), value in zip(self._rows, tally.values, strict=True):
            name.setText(value.value)
            low, high = scales.get(value.value, (0.0, 10.0))
            plot.labels = "none" if self._shared_axis else "below"
            plot.show_tally(value, low, high, most=most, dots=not self.spread_only)
            median.setText("–" if value.median is None else f"{value.median:g}")
            flag.setText("Wide spread" if value.wide else "")
            flag.setVisible(value.wide)
            notes = []
            if self.spread_only:
                notes.append(f"{len(value.scores)} score{'s' * (len(value.scores) != 1)}")
            if value.dont_know:
                notes.append(f"{value.dont_know} don't know")
            if value.flagged:
                notes.append(f"{len(value.flagged)} ringed")
            extra.setText("  ·  ".join(notes))
            extra.setVisible(bool(notes))
        low, high = next(iter(scales.values()), (0.0, 10.0))
        self.axis.show_tally(None, low, high)
        self.axis.setVisible(self._shared_axis)
        if self.spread_only:
            key = f"Too few scores to show each one  ·  the black line is the median  ·  shaded: the middle half, from {FEWEST} scores"
        else:
            key = "Each dot is one person's score  ·  the black line is the median  ·  shaded: the middle half of the room"
        if not self.spread_only and state.policy == FLAG and any(v.flagged for v in tally.values):
            key += "  ·  ringed: a score from someone who declared an interest"
        rule = wide_spread_words(low, high) if self._shared_axis else WIDE_SPREAD_ANY_SCALE
        self.footer.setText(f"{key}\n{rule[0].upper()}{rule[1:]}.")
        self.warning.setText(" ".join(reveal_warnings(state)))
        self.warning.setVisible(bool(self.warning.text()))
        self.rescale(self._unit, self._size)

    def _ensure_rows(self, count: int) -> None:
        while len(self._rows) > count:
            name, plot, median, flag, _ = self._rows.pop()
            for widget in (name, plot, median, self._holders.pop()):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        while len(self._rows) < count:
            place = len(self._rows) + 1  # below the headers
            name = text_label("value", wrap=True)
            plot = DotPlot()
            median = text_label("median", colour=INK)
            median.setAlignment(Qt.AlignmentFlag.AlignCenter)
            flag = flag_label()
            extra = text_label("extra", colour=SOFT)
            holder = QWidget()
            side = QVBoxLayout(holder)
            side.setContentsMargins(0, 0, 0, 0)
            side.setSpacing(2)
            side.addStretch(1)
            side.addWidget(flag, 0, Qt.AlignmentFlag.AlignLeft)
            side.addWidget(extra, 0, Qt.AlignmentFlag.AlignLeft)
            side.addStretch(1)
            for column, widget in enumerate((name, plot, median, holder)):
                self.grid.addWidget(widget, place, column)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self._rows.append((name, plot, median, flag, extra))
            self._holders.append(holder)
        self.grid.addWidget(self.axis, count + 1, 1)
        self.grid.setColumnStretch(1, 1)
        for row in range(1, count + 1):
            self.grid.setRowStretch(row, 1)  # equal rows, so every plot's dots are one size
        self.grid.setRowStretch(count + 1, 0)

    def rescale(self, unit: float, size: QSize) -> None:
        self._unit, self._size = unit, size
        margin = round(48 * unit)
        self._layout.setContentsMargins(margin, round(32 * unit), margin, round(28 * unit))
        self._layout.setSpacing(round(10 * unit))
        self.grid.setHorizontalSpacing(round(24 * unit))
        self.grid.setVerticalSpacing(round(4 * unit))
        set_px(self.kicker, 24 * unit, BOLD)
        fit_px(self.headline, self.headline.text(), 46 * unit, size.width() - 2 * margin, BOLD)
        set_px(self.footer, 20 * unit)
        set_px(self.warning, 26 * unit, BOLD)
        for header in self._headers:
            set_px(header, 20 * unit, BOLD)
        label_px = round(20 * unit)
        self.axis.label_px = label_px
        self.axis.setFixedHeight(round(label_px * 1.5))
        # Share out the height left by the title and the notes, so every value fits on one screen.
        fixed = (60 + 24 * 1.4 + 46 * 1.3 + 20 * 1.4 + 2 * 20 * 1.4 + 20 * 1.5 + 10 * 6) * unit
        if self.warning.isVisibleTo(self):
            fixed += 26 * 1.5 * unit
        rows = max(len(self._rows), 1)
        per_row = max(30.0, (size.height() - fixed) / rows - 4 * unit)
        self.grid.setColumnMinimumWidth(0, round(300 * unit))
        self.grid.setColumnMinimumWidth(2, round(90 * unit))
        self.grid.setColumnMinimumWidth(3, round(180 * unit))
        for name, plot, median, flag, extra in self._rows:
            name.setMaximumWidth(round(320 * unit))
            set_px(name, min(26 * unit, per_row * 0.36), BOLD)
            set_px(median, min(44 * unit, per_row * 0.6), HEAVY)
            set_px(flag, min(22 * unit, per_row * 0.3), BOLD)
            set_px(extra, min(20 * unit, per_row * 0.26))
            plot.label_px = label_px
            plot.largest_dot = 30 * unit
            plot.pad = 20 * unit
            plot.setMinimumHeight(0)
            plot.update()
        self.axis.pad = 20 * unit


def reveal_warnings(state: RoomState) -> list[str]:
    """What the room should know before trusting a revealed tally."""
    tally = state.tally
    if tally is None or not tally.recognisable:
        return []
    hidden = "No score is shown on its own."
    if not tally.below_quorum:
        return [f"Fewer than {FEWEST} people gave some of these scores. {hidden}"]
    return [f"Only {tally.scorers} {'person' if tally.scorers == 1 else 'people'} scored: below the quorum of "
            f"{tally.quorum}. {hidden}"]


def recusal_words(state: RoomState) -> list[str]:
    """'1 declared an interest and did not score': the policy at work, said plainly, no names."""
    recused = 0 if state.policy == FLAG else sum(a.conflicted for a in state.attendees)
    return [f"{recused} declared an interest and did not score"] if recused else []
