"""The facilitator's console while a meeting is open: how to join, who has joined, the agenda and
each round's state, the option in hand with how many have scored, the controls, and after a
reveal the spread and the agreed scores. It follows the room through the session's ``changed``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import meeting_reveal, theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_agree import AgreePanel
from placeplanner.gui.meeting_places import PlacesPanel
from placeplanner.gui.meeting_room import (
    AGREED,
    REVEALED_STATUS,
    SCORING,
    STATUS_WORDS,
    RoomState,
    scored_words,
)
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.meeting_weights import WeightsPanel
from placeplanner.gui.record_table import button, local_shortcut, section_title
from placeplanner.meeting.addresses import LOOPBACK
from placeplanner.meeting.live import CLOSED, LOBBY, REVEALED, WEIGHTING, WEIGHTS_CLOSED
from placeplanner.meeting.live import SCORING as SCORING_STAGE
from placeplanner.service.room_allocation import RoomAllocation

STATUS_COLOURS = {SCORING: theme.ACCENT, REVEALED_STATUS: theme.INK, AGREED: theme.FUNDED}
ACTIONS: dict[str, Callable[[MeetingSession], object]] = {
    "previous": lambda s: s.step(-1), "next": lambda s: s.step(1), "close": lambda s: s.close_round(),
    "reveal": lambda s: s.request_reveal(), "reopen": lambda s: s.reopen_round(),
    "allocate": lambda s: s.cancel_allocation() if s.allocating else s.run_allocation(),
}
SHORTCUTS = {
    "previous": "Ctrl+Left", "next": "Ctrl+Right", "close": "Ctrl+Shift+C", "reveal": "Ctrl+Shift+R",
    "reopen": "Ctrl+Shift+O", "allocate": "Ctrl+Shift+A", "enter": "Ctrl+Shift+E", "present": "F5",
}


class MeetingConsole(QWidget):
    present_requested = Signal()
    end_requested = Signal()
    enter_requested = Signal()

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self.session: MeetingSession | None = None
        self._state: RoomState | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._join_band())
        columns = QHBoxLayout()
        columns.setSpacing(20)
        left = QWidget()
        left.setFixedWidth(330)  # steady, whether or not the spread is showing beside it
        agenda = self._agenda_column()
        agenda.setContentsMargins(0, 0, 0, 0)
        left.setLayout(agenda)
        columns.addWidget(left)
        columns.addLayout(self._option_column(), 1)
        layout.addLayout(columns, 1)
        for key in ACTIONS:
            local_shortcut(QKeySequence(SHORTCUTS[key]), self, partial(self._run, key), Qt.ShortcutContext.WindowShortcut)
        for key, signal in (("enter", self.enter_requested), ("present", self.present_requested)):
            local_shortcut(QKeySequence(SHORTCUTS[key]), self, signal.emit, Qt.ShortcutContext.WindowShortcut)

    # -- building --------------------------------------------------------------------------------

    def _join_band(self) -> QFrame:
        band = QFrame()
        band.setObjectName("card")
        band.setAccessibleName("How to join")
        row = QHBoxLayout(band)
        row.setContentsMargins(18, 12, 18, 12)
        row.setSpacing(28)
        self.address = _figure("", "Join address")
        self.code = _figure("", "Join code")
        self.joined = _figure("", "Joined")
        self.address_note = QLabel()
        self.address_note.setObjectName("caption")
        for caption, figure in (("Participants open", self.address), ("and type the code", self.code),
                                ("Joined", self.joined)):
            box = QVBoxLayout()
            box.setSpacing(0)
            small = QLabel(caption)
            small.setObjectName("caption")
            box.addWidget(small)
            box.addWidget(figure)
            if figure is self.address:
                box.addWidget(self.address_note)
            else:
                box.addStretch(1)
            row.addLayout(box)
        row.addStretch(1)
        self.present_button = button("Present  (F5)", "Open the full-screen view for the projector; Esc leaves it",
                                     self.present_requested.emit)
        self.present_button.setObjectName("primary")
        self.end_button = button("End meeting", "Stop the meeting: nobody can join or score any more", self._ask_end)
        row.addWidget(self.present_button)
        row.addWidget(self.end_button)
        return band

    def _agenda_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.addWidget(section_title("Agenda"))
        self.agenda = QTableWidget(0, 2)
        self.agenda.setAccessibleName("Agenda: the options and their rounds")
        self.agenda.setHorizontalHeaderLabels(["Option", "Round"])
        self.agenda.verticalHeader().setVisible(False)
        self.agenda.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.agenda.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.setToolTip("Double-click an option (or press Enter) to go to it")
        self.agenda.setMinimumHeight(260)
        self.agenda.activated.connect(lambda index: self._go_to_row(index.row()))
        column.addWidget(self.agenda, 3)
        self.queue = QListWidget()
        self.queue.setAccessibleName("To discuss first: closed rounds, the widest disagreement first")
        self.queue.setToolTip("Closed rounds, the widest disagreement first; double-click one to go back to it")
        self.queue.setWordWrap(True)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue.itemActivated.connect(lambda item: self._go_to(item.data(Qt.ItemDataRole.UserRole)))
        self.room = QListWidget()
        self.room.setAccessibleName("The room: who has joined and scored")
        self.room.setToolTip("✓ scored this option · ○ joined, still to score · – not joined · ⊘ declared an interest")
        self.room.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.room, "The room")
        self.side_tabs.addTab(self.queue, "To discuss first")
        self.places = PlacesPanel()
        self.places.end_requested.connect(self._end_place)
        self.side_tabs.addTab(self.places, "Devices")
        self.side_tabs.setTabToolTip(self.side_tabs.indexOf(self.places), "Who is connected, and on which device since when")
        self.side_tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 8px 10px; }")  # three tabs in the column
        column.addWidget(self.side_tabs, 2)
        return column

    def _option_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(6)
        self.position = QLabel()
        self.position.setObjectName("caption")
        self.option_title = QLabel()
        self.option_title.setObjectName("title")
        self.option_title.setWordWrap(True)
        self.option_detail = QLabel()
        self.option_detail.setWordWrap(True)
        self.option_detail.setObjectName("subtitle")
        self.count = QLabel()
        self.count.setObjectName("figure")
        self.count.setAccessibleName("How many have scored")
        self.stage = QLabel()
        self.stage.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.waiting = QLabel()
        self.waiting.setObjectName("caption")
        self.waiting.setWordWrap(True)
        for widget in (self.position, self.option_title, self.option_detail):
            column.addWidget(widget)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count)
        count_row.addSpacing(16)
        count_row.addWidget(self.stage, 0, Qt.AlignmentFlag.AlignVCenter)
        count_row.addStretch(1)
        column.addLayout(count_row)
        column.addWidget(self.waiting)

        self.previous_button = self._control("◀ Previous", "previous", "Go back to the previous option")
        self.next_button = self._control("Next ▶", "next", "Go on to the next option")
        self.close_button = self._control("Stop waiting", "close", "Close this round: no more scores for this option")
        self.reveal_button = self._control("Reveal", "reveal", "Show the room's scores for this option")
        self.reopen_button = self._control("Re-open", "reopen",
                                           "Re-open for a re-vote: people score this option again; earlier scores stand until changed")
        self.enter_button = button("Enter scores for…", f"Enter scores someone gives aloud ({SHORTCUTS['enter']})",
                                   self.enter_requested.emit)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        for push in (self.previous_button, self.next_button, self.close_button, self.reveal_button, self.reopen_button,
                     self.enter_button):
            controls.addWidget(push)
        controls.addStretch(1)
        column.addLayout(controls)
        column.addLayout(self._allocation_row())
        keys = QLabel("Keys: Ctrl+→ next · Ctrl+← previous · Ctrl+Shift+C stop waiting · Ctrl+Shift+R reveal · "
                      "Ctrl+Shift+O re-open · Ctrl+Shift+E enter scores · Ctrl+Shift+A allocate · F5 present "
                      "(on the projector: A allocates, an arrow key goes back)")
        keys.setObjectName("caption")
        keys.setWordWrap(True)
        column.addWidget(keys)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setVisible(False)
        column.addWidget(self.message)
        self.weights = WeightsPanel(self._act)
        self.weights.setVisible(False)
        column.addWidget(self.weights)
        self.spread_title = section_title("The spread, and the agreed scores")
        column.addWidget(self.spread_title)
        self.hidden_note = QLabel("Scores stay hidden, here and on the projector, until you reveal them.")
        self.hidden_note.setObjectName("caption")
        column.addWidget(self.hidden_note)
        self.agree = AgreePanel(self._agree)
        column.addWidget(self.agree)
        column.addStretch(1)
        return column

    def _allocation_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.allocate_button = self._control("Run the allocation", "allocate",
                                             "Find the best portfolio on the scores so far and show it, with the "
                                             "frontier, on the projector")
        self.screen_button = button("Hide from the screen", "Show or hide the allocation on the projector",
                                    self._toggle_allocation)
        self.allocation_note = QLabel()
        self.allocation_note.setObjectName("caption")
        self.allocation_note.setWordWrap(True)
        self.allocation_note.setAccessibleName("The last allocation")
        row.addWidget(self.allocate_button)
        row.addWidget(self.screen_button)
        row.addWidget(self.allocation_note, 1)
        return row

    def _toggle_allocation(self) -> None:
        session = self.session
        if session is None:
            return
        if session.allocation_shown:
            session.hide_allocation()
        else:
            session.show_allocation()

    def _control(self, text: str, key: str, tip: str) -> QPushButton:
        shortcut = QKeySequence(SHORTCUTS[key]).toString(QKeySequence.SequenceFormat.NativeText)
        return button(text, f"{tip} ({shortcut})", lambda: self._run(key))

    # -- showing ---------------------------------------------------------------------------------

    def attach(self, session: MeetingSession) -> None:
        self.session = session
        session.changed.connect(self.refresh)
        # The console owns the question before a reveal that could expose someone, the projector's R too.
        session.confirm_reveal = lambda caution: meeting_reveal.ask_to_reveal(self, caution)
        self.agree.clear()
        self.message.setVisible(False)
        self.refresh()

    def detach(self) -> None:
        if self.session is not None:
            self.session.changed.disconnect(self.refresh)
            self.session.confirm_reveal = None
        self.session = None
        self._state = None
        self.agree.clear()

    def refresh(self) -> None:
        session = self.session
        if session is None:
            return
        state = session.state()
        self._state = state
        self.address.setText(session.url)
        self.code.setText(session.join_code)
        self.joined.setText(f"{state.joined} of {len(state.attendees)}")
        self.address_note.setText(
            "This address works on this computer only." if session.host == LOOPBACK else
            "Phones and laptops on this computer's network (the room's Wi-Fi)")
        self._show_agenda(state)
        self._show_queue(state)
        self._show_option(state)
        self._show_room(state)
        self._show_places(state)
        self._show_allocation(session)
        self.weights.setVisible(session.weighting_wanted)
        if session.weighting_wanted:
            self.weights.show_session(session)

    def _show_agenda(self, state: RoomState) -> None:
        table = self.agenda
        if table.rowCount() != len(state.agenda):
            table.setRowCount(len(state.agenda))
        for row, item in enumerate(state.agenda):
            here = item.option == state.option
            name = QTableWidgetItem(("▶ " if here else "") + item.option)
            name.setToolTip(item.option)
            status = QTableWidgetItem(STATUS_WORDS[item.status])
            colour = STATUS_COLOURS.get(item.status, theme.MUTED)
            status.setForeground(QBrush(QColor(colour)))
            if here:
                font = name.font()
                font.setBold(True)
                name.setFont(font)
                status.setFont(font)
            table.setItem(row, 0, name)
            table.setItem(row, 1, status)
        if state.position:
            table.selectRow(state.position - 1)

    def _show_queue(self, state: RoomState) -> None:
        self.queue.clear()
        if not state.queue:
            empty = QListWidgetItem("Nothing yet: rounds appear here once closed")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.queue.addItem(empty)
        for tally in state.queue:
            wide = [v.value for v in tally.values if v.wide]
            notes = [f"wide on {len(wide)} value{'s' * (len(wide) != 1)}" if wide else "agreement"]
            if tally.below_quorum:
                notes.append(f"below quorum ({tally.scorers} of {tally.quorum})")
            item = QListWidgetItem(f"{tally.option}\n    {' · '.join(notes)}")
            item.setData(Qt.ItemDataRole.UserRole, tally.option)
            item.setToolTip("Wide on: " + ", ".join(wide) if wide else "No value has a wide spread")
            if wide or tally.below_quorum:
                item.setForeground(QBrush(QColor(theme.PROBLEM)))
            self.queue.addItem(item)

    def _show_option(self, state: RoomState) -> None:
        stage, question = state.stage, state.question
        last = len(state.agenda)
        if question is None:
            self.position.setText(f"{last} options on the agenda")
            self.option_title.setText("Waiting to start")
            self.option_detail.setText("Put the join screen up (F5), let people join, then go to the first option (Next).")
            self.count.setText(f"{state.joined} of {len(state.attendees)} joined")
            self.stage.setText("")
            self.waiting.setText(_names("Not joined yet", [a.name for a in state.attendees if not a.joined]))
        else:
            self.position.setText(f"Option {state.position} of {last}")
            self.option_title.setText(question.option)
            needs = f" · Needs: {', '.join(question.needs)}" if question.needs else ""
            self.option_detail.setText(f"{question.cost} · led by {question.lead_partner}{needs}")
            self.count.setText(scored_words(state.scored, state.expected))
            self.stage.setText({SCORING_STAGE: "Scoring open", CLOSED: "Round closed: reveal when ready",
                                REVEALED: "Revealed", WEIGHTING: "Weighting open",
                                WEIGHTS_CLOSED: "Weighting closed"}.get(stage, ""))
            self.waiting.setText(_names("Still to score", list(state.waiting_for)) if stage == SCORING_STAGE else "")
        position = state.position
        self.previous_button.setEnabled(position > 1)
        self.next_button.setEnabled(position < last)
        self.next_button.setText("Start: first option ▶" if stage == LOBBY else "Next ▶")
        self.close_button.setEnabled(stage == SCORING_STAGE)
        self.reveal_button.setEnabled(stage in (SCORING_STAGE, CLOSED))
        self.reopen_button.setEnabled(stage in (CLOSED, REVEALED))
        self.enter_button.setEnabled(stage == SCORING_STAGE)
        revealed = state.tally is not None and question is not None
        self.hidden_note.setVisible(not revealed)
        self.agree.setVisible(revealed)
        if state.tally is not None and question is not None:
            scales = {v.name: (min(v.points), max(v.points)) for v in question.values if v.points}
            meeting = state.meeting
            agreed = {a.value: a for a in self._editor.service.read().agreed_scores
                      if a.option == question.option and a.meeting == meeting}
            self.agree.show_round(state.tally, scales, agreed)

    def _show_allocation(self, session: MeetingSession) -> None:
        running = session.allocating
        self.allocate_button.setText("Cancel the allocation" if running else "Run the allocation")
        result = session.allocation
        self.screen_button.setEnabled(result is not None and not running)
        self.screen_button.setText("Hide from the screen" if session.allocation_shown else "Show on the screen")
        if running:
            text, colour = f"{session.allocation_progress}…", theme.MUTED
        elif session.allocation_problem:
            text, colour = session.allocation_problem, theme.PROBLEM
        elif result is not None:
            where = "on the screen" if session.allocation_shown else "not on the screen"
            text = (f"At {result.ran_at:%H:%M}: {allocation_summary(result)} ({where})" if result.has_portfolio
                    else f"At {result.ran_at:%H:%M}: {result.explanation}")
            colour = theme.MUTED
            stale = session.allocation_staleness
            if stale is not None and stale.stale:
                # The facilitator reads what changed; the projector only says that something did.
                text += f". {stale.words()} Run the allocation again before the room relies on it."
                colour = theme.PROBLEM
        else:
            text, colour = "Not run in this meeting yet.", theme.MUTED
        self.allocation_note.setText(text)
        self.allocation_note.setStyleSheet(f"color: {colour};")

    def _show_room(self, state: RoomState) -> None:
        self.room.clear()
        for attendee in state.attendees:
            if attendee.conflicted and state.option is not None:
                mark, note = "⊘", "declared an interest" + ("" if state.policy == "flag" else ": does not score")
            elif attendee.scored:
                mark, note = "✓", "scored"
            elif attendee.joined:
                mark, note = "○", "joined" + (", still to score" if state.stage == SCORING_STAGE else "")
            else:
                mark, note = "–", "not joined"
            item = QListWidgetItem(f"{mark}  {attendee.name}")
            item.setToolTip(f"{attendee.name}: {note}")
            item.setForeground(QBrush(QColor(theme.MUTED if mark == "–" else theme.INK)))
            self.room.addItem(item)

    def _show_places(self, state: RoomState) -> None:
        moved = self.places.show_state(state)
        tab = self.side_tabs.indexOf(self.places)
        moved_now = any(a.moved for a in state.attendees)
        self.side_tabs.setTabText(tab, "Devices ⚠" if moved_now else "Devices")
        self.side_tabs.tabBar().setTabTextColor(tab, QColor(theme.PROBLEM) if moved_now else QColor())  # else the theme's
        if moved:  # as it happens: taking a colleague's place must not pass unseen
            self.say(f"{'; '.join(moved)}. If that was not them, end that place under Devices; they then join "
                     "again with the code.", problem=True)

    # -- doing -----------------------------------------------------------------------------------

    def act(self, key: str) -> bool:
        """Do one of ACTIONS; a refusal is shown under the controls."""
        return self._act(ACTIONS[key])

    def _run(self, key: str) -> None:
        self.act(key)

    def _act(self, action: Callable[[MeetingSession], object]) -> bool:
        if self.session is None:
            return False
        try:
            action(self.session)
        except PlanError as exc:
            self.say(str(exc), problem=True)
            return False
        self.message.setVisible(False)
        return True

    def _go_to_row(self, row: int) -> None:
        if self._state is not None and 0 <= row < len(self._state.agenda):
            self._go_to(self._state.agenda[row].option)

    def _go_to(self, option: object) -> None:
        if isinstance(option, str):
            self._act(lambda s: s.go_to(option))

    def _agree(self, value: str, score: float, rationale: str) -> None:
        if self.session is None:
            raise PlanError("The meeting is not open.")
        self.session.agree(value, score, rationale)

    def _end_place(self, name: str) -> None:
        if self._act(lambda s: s.end_place(name)):
            self.say(f"{name}'s place has ended; they can join again with the code.", problem=False)

    def _ask_end(self) -> None:
        answer = QMessageBox.question(
            self, "End the meeting",
            "End the meeting now? Nobody can join or score any more; every score sent so far is kept.")
        if answer == QMessageBox.StandardButton.Yes:
            self.end_requested.emit()

    def say(self, text: str, *, problem: bool) -> None:
        colour = theme.PROBLEM if problem else theme.MUTED
        self.message.setStyleSheet(f"color: {colour}; font-size: 14px;{' font-weight: 600;' if problem else ''}")
        self.message.setText(text)
        self.message.setVisible(True)


def allocation_summary(result: RoomAllocation) -> str:
    count = len(result.funded)
    value = f", weighted value {result.value:,.0f}" if result.value is not None else ""
    return f"{count} option{'s' * (count != 1)} funded{value}; {result.reconciliation.short_words()}"


def _figure(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("figure")
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _names(lead: str, names: list[str]) -> str:
    if not names:
        return ""
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"{lead}: {shown}"
