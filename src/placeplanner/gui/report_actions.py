"""The Plan menu's board paper and results workbook: what to report on, where to save it, and the
work itself (run by the window's worker, behind a progress dialog that can cancel it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.progress import RunState
from placeplanner.reports.record import RecordRequest
from placeplanner.service import PlanService

if TYPE_CHECKING:
    from placeplanner.reports.build import Written

KINDS = {
    ".pdf": ("Board paper", "PDF document (*.pdf)", "board paper"),
    ".xlsx": ("Results workbook", "Excel workbook (*.xlsx)", "results"),
}


DRAFT_CHOICE = "None: a draft on the plan as it is now (not a decision of the board)"


class ReportDialog(QDialog):
    """What the report covers: a meeting, a scenario, or a decision on the record (whose own
    meeting and scenario it then takes)."""

    def __init__(self, service: PlanService, suffix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = KINDS[suffix][0]
        self.setWindowTitle(title)
        plan = service.read()
        self._decisions = service.decisions()
        layout = QVBoxLayout(self)
        about = QLabel(f"The {title.lower()} reports a decision on the record from the result it adopted, re-solved to "
                       "show it reproduces, and says whether the plan has changed since. A draft solves the plan (or the "
                       "chosen scenario) afresh instead, and is labelled as not a decision of the board.")
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        self.decision.addItem(DRAFT_CHOICE, None)
        for item in self._decisions:
            self.decision.addItem(f"{item.id}. {item.title} ({item.decided_at:%d %b %Y})", item.id)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.meeting.addItem("All meetings", None)
        for meeting in plan.meetings:
            self.meeting.addItem(meeting.name, meeting.name)
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario")
        self.scenario.addItem("The plan as it stands", None)
        for scenario in plan.scenarios:
            self.scenario.addItem(scenario.name, scenario.name)
        self.named = QCheckBox("Name who gave each score (anonymised otherwise)")
        form.addRow("&Decision", self.decision)
        form.addRow("&Meeting", self.meeting)
        form.addRow("&Scenario", self.scenario)
        form.addRow("", self.named)
        layout.addLayout(form)
        self.standing = QLabel()
        self.standing.setObjectName("reportStanding")
        self.standing.setWordWrap(True)
        layout.addWidget(self.standing)
        self._service = service
        self._staleness: dict[int, str] = {}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Choose where to save…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        if self._decisions:  # the latest decision is usually what the board is asked about
            self.decision.setCurrentIndex(len(self._decisions))
        else:
            self._decision_changed()
        if len(plan.meetings) == 1 and not self._decisions:
            self.meeting.setCurrentIndex(1)

    def _decision_changed(self) -> None:
        chosen = next((d for d in self._decisions if d.id == self.decision.currentData()), None)
        if chosen is not None:
            self.meeting.setCurrentIndex(max(self.meeting.findData(chosen.meeting), 0))
            self.scenario.setCurrentIndex(max(self.scenario.findData(chosen.scenario or None), 0))
        self.meeting.setEnabled(chosen is None or chosen.meeting is None)
        self.scenario.setEnabled(chosen is None)
        self.standing.setText(self._standing(chosen.id, chosen.result_id) if chosen is not None else
                              "A draft: the plan (or the scenario) is solved afresh, and every page is labelled "
                              "“DRAFT: not a decision of the board”.")

    def _standing(self, decision_id: int, result_id: int) -> str:
        """Whether the decision's result still matches the plan, in words (asked once a result)."""
        if result_id not in self._staleness:
            from placeplanner.service.staleness import staleness

            found = staleness(self._service, result_id)
            self._staleness[result_id] = (
                f"Decision {decision_id}'s result {result_id}: {found.words()} The report says so; to report the plan "
                "as it is now, run the allocation again and record a new decision, or choose a draft."
                if found.stale else f"Decision {decision_id}'s result {result_id}: {found.words()}")
        return self._staleness[result_id]

    def request(self) -> RecordRequest:
        decision = self.decision.currentData()
        return RecordRequest(
            meeting=self.meeting.currentData(), scenario=None if decision is not None else self.scenario.currentData(),
            decision=decision, draft=decision is None, anonymise=not self.named.isChecked(),
        )


def ask_report(parent: QWidget, service: PlanService, suffix: str) -> tuple[Path, RecordRequest] | None:
    """Ask what to report on and where to save it; None if the user cancels either."""
    dialog = ReportDialog(service, suffix, parent)
    if not dialog.exec():
        return None
    request = dialog.request()
    title, file_filter, stem = KINDS[suffix]
    suggested = service.path.with_name(f"{service.path.stem} {stem}{suffix}")
    path, _ = QFileDialog.getSaveFileName(parent, f"Save the {title.lower()}", str(suggested), file_filter)
    if not path:
        return None
    target = Path(path)
    return (target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)), request


def build_in_worker(service: PlanService, target: Path, request: RecordRequest, state: RunState) -> Written:
    """The worker's job: gather the decision record and write the file (no widgets touched)."""
    from placeplanner.reports.build import write_report

    return write_report(service, target, request, state)


def saved_text(written: Written) -> str:
    record = written.record
    pages = f", {written.pages} pages" if written.pages else ""
    cites = (f"decision {record.decision.id}" if record.decision is not None else "a draft, not a decision of the board")
    result = f", result {record.outcome.result_id}" if record.outcome.result_id is not None else ""
    stale = "; the plan has changed since that result" if record.currency is not None and record.currency.stale else ""
    return f"The {written.kind} is saved as {written.path}{pages} ({cites}{result}){stale}."
