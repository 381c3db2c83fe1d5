"""A record's history from the audit log, as a facilitator would show it to a board: newest first,
each entry with when, who, and what changed in words ("cost from … in 2027/28: £300k → £350k").

The entries come from ``placeplanner.service.history``; this module only shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from placeplanner.gui import theme
from placeplanner.service.history import HistoryItem


class HistoryView(QWidget):
    """The history of one record: a caption and the entries, selectable so they can be copied."""

    def __init__(self, empty: str = "Nothing has been recorded yet.", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = empty
        self.items: tuple[HistoryItem, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        self.caption = QLabel("")
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.entries = QTextBrowser()
        self.entries.setAccessibleName("History")
        self.entries.setOpenLinks(False)
        self.entries.document().setDocumentMargin(10)
        layout.addWidget(self.caption)
        layout.addWidget(self.entries, 1)

    def show_items(self, subject: str, items: Sequence[HistoryItem]) -> None:
        """Show ``items`` (newest first) as the history of ``subject`` ("“Falls service”")."""
        self.items = tuple(items)
        count = len(self.items)
        self.caption.setText(
            f"Every recorded change to {subject}, newest first: {count} entr{'y' if count == 1 else 'ies'} "
            "from the plan's tamper-evident audit log." if count else f"{self._empty}")
        self.entries.setHtml("".join(_entry_html(item) for item in self.items))

    def clear(self) -> None:
        self.items = ()
        self.caption.setText("")
        self.entries.clear()

    def text(self) -> str:
        """What the view shows, as plain text (for tests and for copying)."""
        return self.entries.toPlainText()


def _entry_html(item: HistoryItem) -> str:
    when = f"{item.at.day} {item.at:%b %Y, %H:%M}"  # no %-d: Windows has none
    changes = "".join(
        f'<tr><td style="color:{theme.MUTED}; padding-right:6px;">•</td><td>{escape(line)}</td></tr>'
        for line in item.changes)
    return (
        f'<p style="margin-top:12px; margin-bottom:2px; color:{theme.MUTED};">{escape(when)} · {escape(item.who)}</p>'
        f'<p style="margin:0; font-weight:600;">{escape(item.what)}</p>'
        + (f'<table style="margin-left:8px;" cellspacing="0" cellpadding="1">{changes}</table>' if changes else "")
    )


class HistoryDialog(QDialog):
    """A history in its own window, beside the screen it was opened from (it does not block)."""

    def __init__(self, title: str, subject: str, items: Sequence[HistoryItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 640)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("section")
        heading.setWordWrap(True)
        self.view = HistoryView(parent=self)
        self.view.show_items(subject, items)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
