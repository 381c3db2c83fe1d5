"""Scores given aloud (a room without a network, or someone without a phone): the facilitator
enters them for a participant, and they are checked and saved exactly as a browser's would be."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.meeting.question import ValueQuestion

NOT_GIVEN = "not given"  # the value is left out of the submission
DONT_KNOW = "don't know"


def choice_label(point: float, label: str) -> str:
    return f"{point:g} – {label}" if label else f"{point:g}"


class OfflineScoresDialog(QDialog):
    """Pick a participant, a score per value (or don't know), Save; the next person still to
    score is chosen, ready for their scores."""

    def __init__(self, session: MeetingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        state = session.state()
        if state.question is None:
            raise PlanError("No option is being scored.")
        self.option = state.question.option
        self.setWindowTitle(f"Enter scores for “{self.option}”")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Scores given aloud for <b>{escape(self.option)}</b>. They are checked and saved "
                       "as if sent from the participant's own phone, and replace any they sent before.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.participant = QComboBox()
        self.participant.setAccessibleName("Participant whose scores these are")
        expected = set(state.waiting_for)
        for attendee in state.attendees:
            if attendee.conflicted and state.policy != "flag":
                continue
            note = " (has scored)" if attendee.scored else ""
            self.participant.addItem(attendee.name + note, attendee.name)
        first = next((i for i in range(self.participant.count()) if self.participant.itemData(i) in expected), 0)
        self.participant.setCurrentIndex(first)
        form.addRow("Participant", self.participant)
        self.scores: dict[str, QComboBox] = {}
        for value in state.question.values:
            combo = _score_combo(value)
            form.addRow(value.name, combo)
            self.scores[value.name] = combo
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save scores", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setObjectName("primary")
        self.save_button.setDefault(True)
        buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_scores(self) -> dict[str, float | None]:
        given: dict[str, float | None] = {}
        for value, combo in self.scores.items():
            data = combo.currentData()
            if data == NOT_GIVEN:
                continue
            given[value] = None if data == DONT_KNOW else float(data)
        return given

    def save(self) -> bool:
        participant = str(self.participant.currentData())
        try:
            accepted = self._session.enter_scores(participant, self.chosen_scores())
        except PlanError as exc:
            self._say(f"Not saved: {exc}", problem=True)
            return False
        self._say(f"Saved {participant}'s scores on {accepted.values} value{'s' * (accepted.values != 1)}.", problem=False)
        self._next_participant(participant)
        return True

    def _next_participant(self, done: str) -> None:
        row = self.participant.findData(done)
        self.participant.setItemText(row, f"{done} (has scored)")
        waiting = set(self._session.state().waiting_for)
        following = [i for i in range(self.participant.count()) if self.participant.itemData(i) in waiting]
        if following:
            self.participant.setCurrentIndex(next((i for i in following if i > row), following[0]))
            for combo in self.scores.values():
                combo.setCurrentIndex(0)

    def _say(self, text: str, *, problem: bool) -> None:
        self.message.setStyleSheet(f"color: {theme.PROBLEM if problem else theme.FUNDED}; font-weight: 600;")
        self.message.setText(text)


def _score_combo(value: ValueQuestion) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(f"Score for {value.name}")
    combo.setToolTip(value.description)
    combo.addItem("Not given", NOT_GIVEN)
    combo.addItem("Don't know", DONT_KNOW)
    for choice in value.choices:
        combo.addItem(choice_label(choice.point, choice.label), choice.point)
    return combo
