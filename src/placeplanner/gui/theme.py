"""A calm, light theme that reads on a projector: large type, strong contrast, no clutter."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

INK = "#1d2733"
MUTED = "#52606d"
ACCENT = "#005eb8"  # NHS blue
FUNDED = "#007f3b"  # NHS green
LEFT_OUT = "#8a95a3"
PAPER = "#ffffff"
PANEL = "#f3f5f8"

STYLE = f"""
QWidget {{ color: {INK}; background: {PAPER}; }}
QListWidget#sidebar {{ background: {PANEL}; border: none; padding-top: 12px; font-size: 15px; }}
QListWidget#sidebar::item {{ padding: 10px 18px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
QLabel#title {{ font-size: 24px; font-weight: 600; }}
QLabel#subtitle {{ color: {MUTED}; font-size: 14px; }}
QLabel#figure {{ font-size: 28px; font-weight: 600; color: {ACCENT}; }}
QLabel#caption {{ color: {MUTED}; font-size: 13px; }}
QFrame#card {{ background: {PANEL}; border-radius: 10px; }}
QFrame#card QLabel {{ background: {PANEL}; }}
QPushButton {{ padding: 7px 16px; border-radius: 6px; border: 1px solid #c5ccd6; background: {PAPER}; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; font-weight: 600; }}
QPushButton:disabled {{ color: #9aa5b1; }}
QTableView {{ gridline-color: #e3e7ed; selection-background-color: #d6e6f7; selection-color: {INK}; }}
QHeaderView::section {{ background: {PANEL}; padding: 6px; border: none; border-bottom: 1px solid #d5dbe3; font-weight: 600; }}
QLineEdit, QComboBox {{ padding: 5px 8px; border: 1px solid #c5ccd6; border-radius: 6px; }}
"""


def apply_theme(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(11)
    app.setFont(font)
    app.setStyleSheet(STYLE)
