"""Record a decision: the partners adopt a stored allocation result, with a title, the meeting that
decided it and the rationale, for the record. A decision can never be changed or deleted, so the
dialog says so and checks everything before it writes; a refusal is shown in the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError, ValidationError
from placeplanner.gui import theme
from placeplanner.money import year_label
from placeplanner.service import PlanService

NO_MEETING = "(not decided in a meeting)"


class DecisionDialog(QDialog):
    def __init__(self, service: PlanService, result_id: int, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record the decision")
        self.setMinimumWidth(620)
        self._service = service
        self._result_id = result_id
        self.decision_id: int | None = None
        plan = service.read()
        years = plan.info.plan_years
        intro = QLabel(f"<b>{summary}</b><br>The partners adopt this result (stored as result {result_id}). "
                       "A decision on the record cannot be changed or deleted; a later decision can supersede it.")
        intro.setWordWrap(True)
        self.title = QLineEdit(f"Portfolio for {year_label(years[0])} to {year_label(years[-1])}" if years else "Portfolio")
        self.title.setAccessibleName("Decision title")
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting that decided it")
        self.meeting.addItem(NO_MEETING)
        meetings = [m.name for m in plan.meetings]
        self.meeting.addItems(meetings)
        # Offered only when the run was made in a meeting (the projector's); else the analyst says.
        _, stored, _ = service.stored_result(result_id)
        if stored.get("meeting") in meetings:
            self.meeting.setCurrentText(str(stored["meeting"]))
        self.rationale = QPlainTextEdit()
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setPlaceholderText("Why the partners adopted this portfolio: what weighed, what was traded off, "
                                          "what is to be reviewed and when.")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.PROBLEM}; font-weight: 600;")
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Decided at", self.meeting)
        form.addRow("Rationale", self.rationale)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = self.buttons.addButton("Record the decision", QDialogButtonBox.ButtonRole.AcceptRole)
        self.record_button.setObjectName("primary")
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def record(self) -> None:
        meeting = self.meeting.currentText()
        try:
            self.decision_id = self._service.record_decision(
                result_id=self._result_id, title=self.title.text(), rationale=self.rationale.toPlainText(),
                meeting=None if meeting == NO_MEETING else meeting)
        except ValidationError as refused:
            self._say("Not recorded: " + "; ".join(str(p) for p in refused.problems))
            return
        except PlanError as refused:
            self._say(f"Not recorded: {refused}")
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
