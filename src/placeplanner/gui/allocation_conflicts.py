"""When no portfolio keeps every rule: the conflicting rules in words, each with a button that
relaxes it as a new scenario (the plan itself is never changed from here)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from placeplanner.gui.allocation_relax import Relaxation


class ConflictPanel(QScrollArea):
    """The conflicting rules, one a line, each with its relax button."""

    relax = Signal(object)  # Relaxation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Why no portfolio keeps every rule")
        self.buttons: list[QPushButton] = []
        self._body = QWidget()
        self.setWidget(self._body)

    def show_conflict(self, items: Sequence[Relaxation]) -> None:
        self.buttons = []
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 12, 12, 12)
        title = QLabel("No portfolio keeps every rule")
        title.setObjectName("problem")
        title.setStyleSheet("font-size: 18px; font-weight: 600; color: #b3261e;")
        layout.addWidget(title)
        intro = QLabel("These rules cannot all hold together; drop any one of them and a portfolio may exist. "
                       "Each button makes a new scenario with that one change and runs it; the plan itself stays as it is.")
        intro.setObjectName("caption")
        intro.setStyleSheet("font-size: 14px;")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        middle = Qt.AlignmentFlag.AlignVCenter
        for row, item in enumerate(items):
            number = QLabel(f"{row + 1}.")
            number.setStyleSheet("font-size: 15px; font-weight: 600;")
            text = QLabel(item.sentence[:1].upper() + item.sentence[1:])
            text.setWordWrap(True)
            text.setStyleSheet("font-size: 15px;")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(number, row, 0, middle)
            grid.addWidget(text, row, 1, middle)
            if item.button:
                button = QPushButton(item.button)
                button.setToolTip(item.tip)
                button.setAccessibleName(f"{item.button}: {item.sentence}")
                button.clicked.connect(lambda _=False, chosen=item: self.relax.emit(chosen))
                grid.addWidget(button, row, 2, middle)
                self.buttons.append(button)
            else:
                note = QLabel("Change it in the plan")
                note.setObjectName("caption")
                note.setToolTip(item.tip)
                grid.addWidget(note, row, 2, middle)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setWidget(body)  # the old body is deleted with it
        self._body = body
