"""Two themes: a calm light one that reads on a projector, and a high-contrast one (black on
white, heavy borders, yellow focus) for low vision and washed-out projectors."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

INK = "#1d2733"
MUTED = "#52606d"
ACCENT = "#005eb8"  # NHS blue
FUNDED = "#007f3b"  # NHS green
LEFT_OUT = "#8a95a3"
PROBLEM = "#b3261e"
PAPER = "#ffffff"
PANEL = "#f3f5f8"


@dataclass(frozen=True, slots=True)
class Palette:
    ink: str
    muted: str
    accent: str
    paper: str
    panel: str
    line: str
    selection: str
    focus: str
    border_width: int


LIGHT = Palette(INK, MUTED, ACCENT, PAPER, PANEL, "#c5ccd6", "#d6e6f7", ACCENT, 1)
HIGH_CONTRAST = Palette("#000000", "#000000", "#003087", "#ffffff", "#ffffff", "#000000", "#ffeb3b", "#ffb81c", 2)


def style_sheet(p: Palette) -> str:
    return f"""
QWidget {{ color: {p.ink}; background: {p.paper}; }}
QListWidget#sidebar {{ background: {p.panel}; border: none; border-right: {p.border_width}px solid {p.line}; padding-top: 12px; font-size: 15px; }}
QListWidget#sidebar::item {{ padding: 9px 18px; border-radius: 6px; margin: 2px 8px; }}
QListWidget#sidebar::item:selected {{ background: {p.accent}; color: white; }}
QLabel#title {{ font-size: 24px; font-weight: 600; }}
QLabel#subtitle {{ color: {p.muted}; font-size: 14px; }}
QLabel#section {{ font-size: 15px; font-weight: 600; padding-top: 6px; }}
QLabel#figure {{ font-size: 28px; font-weight: 600; color: {p.accent}; }}
QLabel#caption {{ color: {p.muted}; font-size: 13px; }}
QLabel#problem {{ color: {PROBLEM}; font-weight: 600; padding: 4px 0; }}
QFrame#card {{ background: {p.panel}; border-radius: 10px; border: {p.border_width - 1}px solid {p.line}; }}
QFrame#card QLabel {{ background: {p.panel}; }}
QPushButton {{ padding: 7px 16px; border-radius: 6px; border: {p.border_width}px solid {p.line}; background: {p.paper}; }}
QPushButton#primary {{ background: {p.accent}; color: white; border: none; font-weight: 600; }}
QPushButton:disabled {{ color: #9aa5b1; }}
QPushButton#primary:disabled {{ background: #c9d6e6; color: #ffffff; }}
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QTableView:focus, QListWidget:focus {{ outline: none; border: 2px solid {p.focus}; }}
QTableView {{ gridline-color: {"#e3e7ed" if p.border_width == 1 else p.line}; selection-background-color: {p.selection}; selection-color: {p.ink}; }}
QHeaderView::section {{ background: {p.panel}; padding: 6px; border: none; border-bottom: {p.border_width}px solid {p.line}; font-weight: 600; }}
QLineEdit, QComboBox, QPlainTextEdit, QSpinBox, QDoubleSpinBox {{ padding: 5px 8px; border: {p.border_width}px solid {p.line}; border-radius: 6px; }}
QTabBar::tab {{ padding: 8px 16px; }}
QTabBar::tab:selected {{ color: {p.accent}; border-bottom: 3px solid {p.accent}; font-weight: 600; }}
"""


def apply_theme(app: QApplication, *, high_contrast: bool = False) -> None:
    font = QFont(app.font())
    font.setPointSize(12 if high_contrast else 11)
    app.setFont(font)
    app.setStyleSheet(style_sheet(HIGH_CONTRAST if high_contrast else LIGHT))
