"""After a reveal: each value's spread, and the score the group agrees for it with a one-line
rationale. Agreeing is an edit through the plan editor, so it can be undone.

The agreed score starts empty, not at the median: the room's median is offered beside it (one
click puts it in), so a score on the record is one the group chose. A rationale of a few words
is required (``rationale_problem``): the record says why, not only what."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.presentation_dotplot import DotPlot
from placeplanner.meeting.tally import WIDE_SPREAD_RULE, OptionTally, ValueTally
from placeplanner.model import AgreedScore

Agree = Callable[[str, float, str], None]
FEWEST_WORDS = 3
FEWEST_CHARACTERS = 15
STEP = 0.5  # the agreed score's step; one step below the scale is "not chosen yet"


@dataclass(slots=True)
class _Row:
    value: str
    median: QLabel
    status: QLabel
    plot: DotPlot
    score: QDoubleSpinBox
    suggestion: QPushButton  # "Room's median: 7", which puts it in the score
    rationale: QLineEdit
    agree: QPushButton
    room_median: float | None

    @property
    def chosen(self) -> float | None:
        """The agreed score typed or chosen, None while it is still empty."""
        box = self.score
        return None if box.value() <= box.minimum() else box.value()


def spread_words(tally: ValueTally) -> str:
    """'median 7 · middle half 6 to 8 · 9 scores, 1 don't know'."""
    if tally.median is None:
        parts = ["no scores yet"]
    else:
        parts = [f"median {tally.median:g}"]
        if tally.lower_quartile is not None and tally.upper_quartile is not None and len(tally.scores) > 1:
            parts.append(f"middle half {tally.lower_quartile:g} to {tally.upper_quartile:g}")
        parts.append(f"{len(tally.scores)} score{'s' * (len(tally.scores) != 1)}")
    if tally.dont_know:
        parts.append(f"{tally.dont_know} don't know")
    if tally.flagged:
        parts.append(f"{len(tally.flagged)} flagged (declared interest)")
    return " · ".join(parts)


def rationale_problem(text: str) -> str:
    """What is missing from a rationale for the record; empty when it will do (at least three
    words and fifteen characters: "Strong pilot evidence", not "ok" or "agreed")."""
    words = text.split()
    if not words:
        return "say why the group settled on it, in a few words, for the record"
    if len(words) < FEWEST_WORDS or len(" ".join(words)) < FEWEST_CHARACTERS:
        return (f"“{' '.join(words)}” is too short a reason for the record: say in at least {FEWEST_WORDS} words "
                "what settled it")
    return ""


class AgreePanel(QWidget):
    def __init__(self, agree: Agree) -> None:
        super().__init__()
        self._agree = agree
        self._key: object = None
        self._rows: list[_Row] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 5)
        self.grid.setColumnStretch(4, 3)
        layout.addLayout(self.grid)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setVisible(False)
        layout.addWidget(self.message)

    def row(self, value: str) -> _Row:
        return next(r for r in self._rows if r.value == value)

    def show_round(self, tally: OptionTally, scales: dict[str, tuple[float, float]],
                   agreed: dict[str, AgreedScore]) -> None:
        """The revealed tally and the agreed scores so far; what the facilitator typed is kept
        unless the scores themselves changed (a re-vote)."""
        if _key_of(tally) != self._key:
            self._build(tally, scales, agreed)
        for row in self._rows:
            done = agreed.get(row.value)
            value_tally = next(v for v in tally.values if v.value == row.value)
            if done is not None:
                row.status.setText(f"agreed {done.score:g} ✓")
                row.status.setStyleSheet(f"color: {theme.FUNDED}; font-weight: 600;")
            else:
                row.status.setText(f"{len(value_tally.scores)} score{'s' * (len(value_tally.scores) != 1)}"
                                   + (f", {value_tally.dont_know} ?" if value_tally.dont_know else ""))
                row.status.setStyleSheet(f"color: {theme.MUTED};")
            words = spread_words(value_tally)
            for widget in (row.plot, row.median, row.status):
                widget.setToolTip(words)
            row.agree.setText("Agree again" if done is not None else "Agree")

    def clear(self) -> None:
        self._key = None
        self._rows = []
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.message.setVisible(False)

    def _build(self, tally: OptionTally, scales: dict[str, tuple[float, float]], agreed: dict[str, AgreedScore]) -> None:
        self.clear()
        self._key = _key_of(tally)
        for header, column in (("Value", 0), ("The room's scores", 1), ("Median", 2), ("Agreed", 3),
                               ("Why, for the record", 4)):
            label = QLabel(header)
            label.setStyleSheet("font-weight: 600;")
            self.grid.addWidget(label, 0, column)
        most = max((max(Counter(v.scores).values(), default=0) for v in tally.values), default=1)
        for index, value_tally in enumerate(tally.values):
            low, high = scales.get(value_tally.value, (0.0, 10.0))
            name = QLabel(value_tally.value + ("\n⚠ wide spread" if value_tally.wide else ""))
            name.setWordWrap(True)
            name.setMinimumWidth(130)
            if value_tally.wide:
                name.setToolTip(WIDE_SPREAD_RULE)
            name.setStyleSheet(f"font-weight: 600;{f' color: {theme.PROBLEM};' if value_tally.wide else ''}")
            plot = DotPlot(labels="none")
            plot.largest_dot = 14
            plot.pad = 8
            plot.setMinimumWidth(180)
            plot.setFixedHeight(44)
            # As on the projector (a laptop's screen is often mirrored to the room's): no dots when few scored.
            plot.show_tally(value_tally, low, high, most=most, dots=not tally.recognisable)
            median = QLabel("–" if value_tally.median is None else f"{value_tally.median:g}")
            median.setStyleSheet("font-size: 20px; font-weight: 700;")
            median.setAlignment(Qt.AlignmentFlag.AlignCenter)
            status = QLabel()
            status.setAlignment(Qt.AlignmentFlag.AlignCenter)
            middle = QWidget()
            inner = QVBoxLayout(middle)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(0)
            inner.addWidget(median)
            inner.addWidget(status)
            score = QDoubleSpinBox()
            score.setRange(low - STEP, high)  # the step below the scale reads "–": not chosen yet
            score.setSpecialValueText("–")
            score.setDecimals(1)
            score.setSingleStep(STEP)
            score.setAccessibleName(f"Agreed score for {value_tally.value}")
            score.setToolTip("The score the group agrees after discussion; empty until you choose it")
            done = agreed.get(value_tally.value)
            score.setValue(done.score if done is not None else low - STEP)
            median_words = "" if value_tally.median is None else f"Room's median: {value_tally.median:g}"
            suggestion = QPushButton(median_words)
            suggestion.setFlat(True)
            suggestion.setVisible(bool(median_words))
            suggestion.setStyleSheet(f"color: {theme.ACCENT}; text-align: left; padding: 0;")
            suggestion.setToolTip("Put the room's median in the agreed score")
            suggestion.setAccessibleName(f"Use the room's median for {value_tally.value}")
            if value_tally.median is not None:
                suggestion.clicked.connect(lambda _=False, box=score, m=value_tally.median: box.setValue(m))
            choice = QWidget()
            stacked = QVBoxLayout(choice)
            stacked.setContentsMargins(0, 0, 0, 0)
            stacked.setSpacing(0)
            stacked.addWidget(score)
            stacked.addWidget(suggestion)
            rationale = QLineEdit(done.rationale if done is not None else "")
            rationale.setMinimumWidth(120)
            rationale.setToolTip("One line on what settled the score; it goes on the record with it")
            rationale.setPlaceholderText("What settled it, in a few words")
            rationale.setAccessibleName(f"Why the group agreed this score for {value_tally.value}")
            agree = QPushButton("Agree")
            agree.setAccessibleName(f"Agree the score for {value_tally.value}")
            agree.setToolTip("Record this agreed score (Edit ▸ Undo takes it back)")
            row = _Row(value_tally.value, median, status, plot, score, suggestion, rationale, agree, value_tally.median)
            agree.clicked.connect(lambda _=False, r=row: self.agree(r.value))
            rationale.returnPressed.connect(lambda r=row: self.agree(r.value))
            for column, widget in enumerate((name, plot, middle, choice, rationale, agree)):
                self.grid.addWidget(widget, index + 1, column)
            self._rows.append(row)

    def agree(self, value: str) -> bool:
        """Record the agreed score for ``value``; refused, with what is missing and nothing changed,
        without a chosen score or a rationale of a few words."""
        row = self.row(value)
        score, problem = row.chosen, rationale_problem(row.rationale.text())
        if score is None:
            median = "" if row.room_median is None else f" (the room's median is {row.room_median:g})"
            why = f" and {problem}" if problem else ""
            self._say(f"Not agreed: choose the agreed score for {value}{median}{why}.", problem=True)
            return False
        if problem:
            self._say(f"Not agreed: {problem}.", problem=True)
            return False
        try:
            self._agree(value, score, row.rationale.text())
        except PlanError as exc:
            self._say(f"Not agreed: {exc}", problem=True)
            return False
        self._say(f"Agreed {score:g} for {value}. Edit ▸ Undo takes it back.", problem=False)
        return True

    def _say(self, text: str, *, problem: bool) -> None:
        colour = theme.PROBLEM if problem else theme.MUTED
        self.message.setStyleSheet(f"color: {colour}; font-size: 14px;{' font-weight: 600;' if problem else ''}")
        self.message.setText(text)
        self.message.setVisible(True)


def _key_of(tally: OptionTally) -> object:
    return tally.option, tuple((v.value, v.scores, v.flagged, v.dont_know) for v in tally.values)
