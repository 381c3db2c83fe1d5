"""The console's Weights card: open and close weighting, how many have given weights (never
what), and once some have, the group's weights per value with their range, to agree as the
plan's weights in one undoable edit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.presentation_weights import given_words
from placeplanner.gui.record_table import button, section_title
from placeplanner.meeting.live import WEIGHTING, WEIGHTS_CLOSED
from placeplanner.meeting.weighting import ValueWeights


class WeightsPanel(QFrame):
    """``act`` runs one of the session's actions and shows a refusal (the console's)."""

    def __init__(self, act: Callable[[Callable[[MeetingSession], object]], bool]) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setAccessibleName("Weights")
        self._act = act
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(section_title("Weights"))
        self.count = QLabel()
        self.count.setObjectName("caption")
        self.count.setAccessibleName("How many have given weights")
        top.addWidget(self.count, 1)
        self.toggle_button = button("Open weighting", "Ask everyone to weigh the values on their phones",
                                    self._toggle)
        self.agree_button = button("Agree these weights",
                                   "Make the group's weights the plan's values' weights (Edit ▸ Undo takes them back)",
                                   self._agree)
        top.addWidget(self.toggle_button)
        top.addWidget(self.agree_button)
        layout.addLayout(top)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("The group's weights per value")
        self.table.setHorizontalHeaderLabels(["Value", "Group", "Lowest – highest"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.table)
        self._open = False

    def show_session(self, session: MeetingSession) -> None:
        stage = session.live.stage
        self._open = stage == WEIGHTING
        given, total = session.weights_given()
        state = {WEIGHTING: "weighting open", WEIGHTS_CLOSED: "weighting closed"}.get(stage, "not open")
        self.count.setText(f"{given_words(given, total)}  ·  {state}")
        self.toggle_button.setText("Close weighting" if self._open else "Open weighting")
        self.toggle_button.setToolTip("Stop taking weights; they show on the projector" if self._open
                                      else "Ask everyone to weigh the values on their phones")
        weights = session.group_weights()
        self.agree_button.setEnabled(bool(weights) and not self._open)  # once nobody can change theirs
        self._show_weights(weights)

    def _show_weights(self, weights: list[ValueWeights]) -> None:
        table = self.table
        table.setRowCount(len(weights))
        for row, weight in enumerate(weights):
            cells = (weight.value, f"{weight.group:g}", f"{weight.lowest:g} – {weight.highest:g}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
        table.setVisible(bool(weights))
        rows = sum(table.rowHeight(r) for r in range(len(weights)))
        table.setFixedHeight(rows + table.horizontalHeader().height() + 4)

    def _agree(self) -> None:
        self._act(lambda s: s.agree_weights())

    def _toggle(self) -> None:
        if self._open:
            self._act(lambda s: s.close_weighting())
        else:
            self._act(lambda s: s.open_weighting())
