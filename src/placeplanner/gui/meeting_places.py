"""Who is in the meeting, on which device since when, and every name taken over from another
device: the facilitator sees each move as it happens and can end the new place (the person whose
name it is then joins again with the code)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from placeplanner.gui import theme
from placeplanner.gui.meeting_room import RoomState, move_words, place_words
from placeplanner.gui.record_table import button
from placeplanner.meeting.live import Move


class PlacesPanel(QWidget):
    """``end_requested(name)`` when the facilitator asks to end that participant's place."""

    end_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.moves = QLabel()
        self.moves.setAccessibleName("Names taken over from another device")
        self.moves.setWordWrap(True)
        self.moves.setTextFormat(Qt.TextFormat.PlainText)
        self.moves.setStyleSheet(f"color: {theme.PROBLEM}; font-weight: 600;")
        self.moves.setVisible(False)
        layout.addWidget(self.moves)
        self.list = QListWidget()
        self.list.setAccessibleName("Who is in the meeting, and since when")
        self.list.setToolTip("Each person in the meeting and since when on the device that holds their place")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.end_button = button("End this place", "End the selected person's place in the meeting: the device "
                                 "holding it goes back to the join screen, and they join again with the code",
                                 self._end)
        self.end_button.setEnabled(False)
        # Above the list: the tab is short beside the agenda, and the button must stay in sight.
        layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.list, 1)
        self._seen: tuple[Move, ...] = ()

    def show_state(self, state: RoomState) -> list[str]:
        """Show ``state``; returns the words for moves not shown before, for the console to say."""
        self.moves.setText("\n".join(move_words(m) for m in reversed(state.moves)))
        self.moves.setVisible(bool(state.moves))
        chosen = self.selected()
        self.list.clear()
        for attendee in sorted((a for a in state.attendees if a.since is not None),
                               key=lambda a: (not a.moved, a.since)):
            item = QListWidgetItem(place_words(attendee))
            item.setData(Qt.ItemDataRole.UserRole, attendee.name)
            if attendee.moved:
                item.setForeground(QBrush(QColor(theme.PROBLEM)))
                item.setToolTip(f"{attendee.name} moved to another device; if that was not them, end this place")
            self.list.addItem(item)
            if attendee.name == chosen:
                item.setSelected(True)
        if not self.list.count():
            empty = QListWidgetItem("Nobody has joined yet")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        earlier = {(m.participant, m.at) for m in self._seen}
        fresh = [m for m in state.moves if (m.participant, m.at) not in earlier]
        self._seen = state.moves
        if fresh and chosen is None:  # the undo one click away
            self.select(fresh[-1].participant)
        self._selection_changed()
        return [move_words(m) for m in fresh]

    def selected(self) -> str | None:
        items = self.list.selectedItems()
        name = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return name if isinstance(name, str) else None

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentItem(item)
                return

    def _selection_changed(self) -> None:
        self.end_button.setEnabled(self.selected() is not None)

    def _end(self) -> None:
        name = self.selected()
        if name is not None:
            self.end_requested.emit(name)
