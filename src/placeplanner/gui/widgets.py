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
