"""Setting up a meeting: its name, who is present, the options on the agenda (in order), the values
scored, the conflict policy, and where the meeting listens on the network."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from placeplanner.gui import theme
from placeplanner.gui.record_table import InlineMessage, button, section_title
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.meeting.tally import FLAG, RECUSE
from placeplanner.model import PlanData

POLICY_LABELS = {
    RECUSE: "Recuse: someone with a declared interest does not score that option",
    FLAG: "Score but flag: they score it, and their scores are marked",
}
LOOPBACK_NOTE = ("127.0.0.1 is this computer only: phones and laptops in the room cannot reach it. "
                 "Use it to try the meeting out.")
NETWORK_NOTE = "Phones and laptops must be on the same network as this computer (the room's Wi-Fi)."


def default_name(today: date | None = None) -> str:
    day = today or date.today()
    return f"Scoring meeting, {day.day} {day:%B %Y}"


class CheckList(QListWidget):
    """Names with a tick each; ``movable`` lets them be dragged (or moved by buttons) into order."""

    def __init__(self, name: str, *, movable: bool = False) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        if movable:
            self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def set_names(self, names: list[str]) -> None:
        """Show ``names``; ticks (and order) already chosen are kept, new names come ticked."""
        held = [self.item(i) for i in range(self.count())]
        ticked = {item.text(): item.checkState() for item in held}
        if set(ticked) == set(names):
            return
        self.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setToolTip(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(ticked.get(name, Qt.CheckState.Checked))
            self.addItem(item)

    def chosen(self) -> tuple[str, ...]:
        items = (self.item(i) for i in range(self.count()))
        return tuple(item.text() for item in items if item.checkState() == Qt.CheckState.Checked)

    def tick_all(self, on: bool) -> None:
        for index in range(self.count()):
            self.item(index).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def move_current(self, offset: int) -> None:
        row = self.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)


class MeetingSetup(QWidget):
    """``open_requested(settings, host, port)`` when the facilitator opens the meeting."""

    open_requested = Signal(object, str, int)

    def __init__(self, addresses: list[str]) -> None:
        super().__init__()
        self._past: dict[str, str] = {}  # meeting name -> status, from the plan
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.resume_note = QLabel()
        self.resume_note.setObjectName("caption")
        self.resume_note.setWordWrap(True)
        self.resume_note.setVisible(False)

        self.name = QLineEdit(default_name())
        self.name.setAccessibleName("Meeting name")
        self.name.setToolTip("The meeting's name goes on the record, with who was there and what was agreed")
        self.name.textChanged.connect(self._name_changed)
        self.present = CheckList("Who is present")
        self.agenda = CheckList("Options on the agenda, in order", movable=True)
        self.values = CheckList("Values scored")
        self.policy = QComboBox()
        self.policy.setAccessibleName("Conflict policy")
        for key, label in POLICY_LABELS.items():
            self.policy.addItem(label, key)
        self.weighting = QCheckBox("Set the values' weights in this meeting too")
        self.address = QComboBox()
        self.address.setAccessibleName("Network address the meeting listens on")
        self.address.addItems(addresses)
        self.address.currentTextChanged.connect(self._address_changed)
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("0 (automatic)")
        self.port.setAccessibleName("Port")
        self.port.setToolTip("0 lets the computer choose a free port; set one only if your IT team opened it for you")
        self.network_note = QLabel()
        self.network_note.setObjectName("caption")
        self.network_note.setWordWrap(True)
        self.problem = InlineMessage("Why the meeting did not open")
        self.open_button = button("Open meeting", "Start the meeting: participants can join with the code shown", self._open)
        self.open_button.setObjectName("primary")

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        self.name.setMaximumWidth(620)
        self.policy.setMaximumWidth(620)
        form = QFormLayout()
        form.addRow("Meeting name", self.name)
        form.addRow("Conflicts of interest", self.policy)
        form.addRow("", self.weighting)
        grid.addLayout(form, 0, 0, 1, 3)
        grid.addWidget(self.resume_note, 1, 0, 1, 3)
        self.present_count = QLabel()
        self.present_count.setObjectName("caption")
        self.agenda_count = QLabel()
        self.agenda_count.setObjectName("caption")
        self.values_count = QLabel()
        self.values_count.setObjectName("caption")
        for column, (title, checklist, count) in enumerate((
            ("Who is present", self.present, self.present_count),
            ("Options on the agenda", self.agenda, self.agenda_count),
            ("Values scored", self.values, self.values_count),
        )):
            head = QHBoxLayout()
            head.addWidget(section_title(title))
            head.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
            head.addStretch(1)
            grid.addLayout(head, 2, column)
            grid.addWidget(checklist, 3, column)
            grid.addLayout(self._list_buttons(checklist, movable=checklist is self.agenda), 4, column)
            checklist.itemChanged.connect(self._count)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 5)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(3, 1)
        layout.addLayout(grid, 1)

        layout.addWidget(section_title("Network"))
        network = QHBoxLayout()
        network.addWidget(QLabel("Listen on"))
        network.addWidget(self.address, 2)
        network.addSpacing(16)
        network.addWidget(QLabel("Port"))
        network.addWidget(self.port, 1)
        network.addStretch(3)
        layout.addLayout(network)
        layout.addWidget(self.network_note)
        layout.addWidget(self.problem)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self._address_changed(self.address.currentText())

    def _list_buttons(self, checklist: CheckList, *, movable: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        what = checklist.accessibleName().lower()
        row.addWidget(_small(button("Tick all", f"Tick every one: {what}", lambda: checklist.tick_all(True))))
        row.addWidget(_small(button("Untick all", f"Untick every one: {what}", lambda: checklist.tick_all(False))))
        if movable:
            row.addSpacing(12)
            row.addWidget(_small(button("Move up", "Move the selected option earlier (or drag it)", lambda: checklist.move_current(-1))))
            row.addWidget(_small(button("Move down", "Move the selected option later (or drag it)", lambda: checklist.move_current(1))))
        row.addStretch(1)
        return row

    # -- showing the plan ------------------------------------------------------------------------

    def fill(self, plan: PlanData) -> None:
        self.present.set_names([p.name for p in plan.participants])
        self.agenda.set_names([o.name for o in plan.options])
        self.values.set_names([v.name for v in plan.values])
        if not self._past:  # first fill: the plan's own policy, and a meeting left live to resume
            policy = plan.info.conflict_policy if plan.info.conflict_policy in POLICY_LABELS else RECUSE
            self.policy.setCurrentIndex(self.policy.findData(policy))
            left_open = next((m.name for m in plan.meetings if m.status == "open"), None)
            if left_open is not None:
                self.name.setText(left_open)
        self._past = {m.name: m.status for m in plan.meetings}
        self._name_changed(self.name.text())
        self._count()
        self.open_button.setEnabled(bool(plan.participants and plan.options and plan.values))

    def _name_changed(self, text: str) -> None:
        status = self._past.get(text.strip())
        if status == "open":
            note = (f"“{text.strip()}” was left open when the app last closed. Opening it resumes it where it was: "
                    "the same join code, people, agenda and scores (the choices below are not applied).")
        elif status is not None:
            note = f"A meeting called “{text.strip()}” is already in the plan; opening it again carries on with its scores."
        else:
            note = ""
        self.resume_note.setText(note)
        self.resume_note.setVisible(bool(note))

    def _count(self) -> None:
        for checklist, count, noun in ((self.present, self.present_count, "present"),
                                       (self.agenda, self.agenda_count, "chosen; drag to reorder"),
                                       (self.values, self.values_count, "chosen")):
            count.setText(f"{len(checklist.chosen())} of {checklist.count()} {noun}")

    def _address_changed(self, address: str) -> None:
        self.network_note.setText(LOOPBACK_NOTE if address.startswith("127.") else NETWORK_NOTE)

    # -- opening ---------------------------------------------------------------------------------

    def settings(self) -> MeetingSettings:
        return MeetingSettings(
            meeting=self.name.text().strip(), attendees=self.present.chosen(), agenda=self.agenda.chosen(),
            values=self.values.chosen(), policy=str(self.policy.currentData()), weighting=self.weighting.isChecked(),
        )

    def show_problem(self, text: str) -> None:
        self.problem.setStyleSheet(f"color: {theme.PROBLEM}; font-size: 14px; font-weight: 600;")
        self.problem.setText(text)
        self.problem.setVisible(True)

    def _open(self) -> None:
        self.problem.clear()
        self.open_requested.emit(self.settings(), self.address.currentText() or LOOPBACK, self.port.value())


def _small(push: QPushButton) -> QPushButton:
    push.setStyleSheet("padding: 3px 10px;")
    return push
