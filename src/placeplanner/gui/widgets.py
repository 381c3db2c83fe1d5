"""Small building blocks shared by the pages."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


def heading(text: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    title = QLabel(text)
    title.setObjectName("title")
    layout.addWidget(title)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("subtitle")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return box


def card(figure: str, caption: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    big = QLabel(figure)
    big.setObjectName("figure")
    small = QLabel(caption)
    small.setObjectName("caption")
    small.setWordWrap(True)
    layout.addWidget(big)
    layout.addWidget(small)
    frame.setAccessibleName(f"{caption}: {figure}")
    return frame


def show_problem(parent: QWidget | None, title: str, error: Exception) -> None:
    """A refused edit or import, in a dialog that lists every problem (file, row, column and
    reason) and says that nothing was changed."""
    from PySide6.QtWidgets import QMessageBox

    from placeplanner.errors import ValidationError

    problems = [str(p) for p in error.problems] if isinstance(error, ValidationError) else [str(error)]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    count = len(problems)
    box.setText(f"<b>{title}</b><br>Nothing was changed." if count == 1 else f"<b>{title}</b><br>{count} problems; nothing was changed.")
    shown = problems[:12]
    box.setInformativeText("\n".join(f"• {p}" for p in shown) + (f"\n… and {count - len(shown)} more (see details)" if count > len(shown) else ""))
    if count > len(shown):
        box.setDetailedText("\n".join(problems))
    box.setAccessibleName(title)
    box.exec()
