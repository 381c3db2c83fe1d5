"""Who is using PlacePlanner: asked on first start, changeable from Edit ▸ Who is using
PlacePlanner…. The name goes on the record (the audit log) with every change this person makes."""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from placeplanner.service import identity


class UserDialog(QDialog):
    """Asks for the user's name, prefilled with the name in use (the login name at first).
    ``chosen`` carries the name once saved. Open it with ``open()``: it never blocks."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, first_start: bool = False) -> None:
        super().__init__(parent)
        self._first_start = first_start
        self.setWindowTitle("Who is using PlacePlanner?")
        layout = QVBoxLayout(self)
        intro = QLabel(
            ("Welcome to PlacePlanner. " if first_start else "")
            + "Your name goes on the record with every change you make, so the plan's history shows who "
            "changed what. Use the name colleagues and the board will recognise.")
        intro.setWordWrap(True)
        self.name = QLineEdit(identity.current_user())
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("e.g. Asha Patel")
        self.name.selectAll()
        later = QLabel("You can change it at any time: Edit ▸ Who is using PlacePlanner…")
        later.setObjectName("caption")
        later.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.name)
        layout.addWidget(later)
        forced = os.environ.get(identity.USER_ENV)
        if forced:
            note = QLabel(f"This computer sets the name to “{forced}” ({identity.USER_ENV}) each time PlacePlanner "
                          "starts; a name given here is used until then.")
            note.setObjectName("caption")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            return
        identity.set_current_user(name)
        super().accept()
        self.chosen.emit(name)

    def reject(self) -> None:
        """On first start, closing the dialog keeps the name it offered, so it is not asked again."""
        if self._first_start:
            if not self.name.text().strip():
                self.name.setText(identity.login_name())
            self.accept()
            return
        super().reject()


def needs_asking() -> bool:
    """True on first start: no name saved, and none set for this computer."""
    return identity.saved_user() is None and not os.environ.get(identity.USER_ENV)
