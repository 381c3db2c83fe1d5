"""Record a decision: the partners adopt a stored allocation result, with a title, the meeting that
decided it and the rationale, for the record. A decision can never be changed or deleted, so the
dialog says so and checks everything before it writes; a refusal is shown in the dialog. A result
the plan has moved on from says what changed, and is recorded only when that is confirmed; the
record then says it was stale when adopted."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
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
from placeplanner.service.decisions import adopt
from placeplanner.service.staleness import Staleness, staleness

NO_MEETING = "(not decided in a meeting)"


class DecisionDialog(QDialog):
    def __init__(self, service: PlanService, result_id: int, summary: str, parent: QWidget | None = None,
                 known: Staleness | None = None) -> None:
        """``known``: whether the result still matches the plan, if the screen knows it now (it
        is worked out here otherwise)."""
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
        self.staleness = known if known is not None and known.result_id == result_id else staleness(service, result_id)
        self.stale_warning = QLabel(
            f"<b>This result no longer matches the plan.</b> {html.escape(self.staleness.words())} "
            "Cancel and run the allocation again to decide on the plan as it is now, or record it as it is: "
            "the record will say it was stale when adopted, and what had changed.")
        self.stale_warning.setTextFormat(Qt.TextFormat.RichText)
        self.stale_warning.setWordWrap(True)
        self.stale_warning.setStyleSheet(f"color: {theme.PROBLEM};")
        self.stale_warning.setAccessibleName("The result is stale")
        self.accept_stale = QCheckBox("Record it against this earlier result, knowing the plan has changed since")
        self.accept_stale.setAccessibleName("Record against the stale result")
        for widget in (self.stale_warning, self.accept_stale):
            widget.setVisible(self.staleness.stale)
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
        self.record_button.setEnabled(not self.staleness.stale)  # until the stale result is accepted
        self.accept_stale.toggled.connect(lambda on: self.record_button.setEnabled(on or not self.staleness.stale))
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.stale_warning)
        layout.addWidget(self.accept_stale)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def record(self) -> None:
        meeting = self.meeting.currentText()
        try:
            self.decision_id = adopt(
                self._service, result_id=self._result_id, title=self.title.text(), rationale=self.rationale.toPlainText(),
                meeting=None if meeting == NO_MEETING else meeting, accept_stale=self.accept_stale.isChecked(),
                how_to_accept="tick the box to record it as it is")
        except ValidationError as refused:
            self._say("Not recorded: " + "; ".join(str(p) for p in refused.problems))
            self._recheck()
            return
        except PlanError as refused:
            self._say(f"Not recorded: {refused}")
            return
        self.accept()

    def _recheck(self) -> None:
        """The plan may have changed while the dialog was open: say so, and ask again."""
        now = staleness(self._service, self._result_id)
        if now.stale and now != self.staleness:
            self.staleness = now
            self.stale_warning.setText(
                f"<b>This result no longer matches the plan.</b> {html.escape(now.words())} "
                "Cancel and run the allocation again to decide on the plan as it is now, or record it as it is: "
                "the record will say it was stale when adopted, and what had changed.")
            self.accept_stale.setChecked(False)
            for widget in (self.stale_warning, self.accept_stale):
                widget.setVisible(True)
            self.record_button.setEnabled(False)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
