"""Asking the facilitator before a reveal that could let the room recognise someone's scores:
below the plan's quorum, or fewer than three scores. The console asks, for itself and for the
projector's R, so the question comes up on the facilitator's screen and never on the room's."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

TITLE = "Reveal with few scores"
QUESTION = ("Reveal anyway? The projector will show each value's median, middle half and how many scored, "
            "without a dot for each person's score.")


def reveal_question(parent: QWidget | None, caution: str) -> tuple[QMessageBox, QPushButton]:
    """The question, and its button that reveals; "Not yet" is the default and Esc."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(TITLE)
    box.setText(caution)
    box.setInformativeText(QUESTION)
    reveal = box.addButton("Reveal without the dots", QMessageBox.ButtonRole.AcceptRole)
    not_yet = box.addButton("Not yet", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(not_yet)
    box.setEscapeButton(not_yet)
    return box, reveal


def ask_to_reveal(parent: QWidget | None, caution: str) -> bool:
    """Whether the facilitator confirms the reveal ``caution`` warns about."""
    box, reveal = reveal_question(parent, caution)
    box.exec()
    return box.clickedButton() is reveal
