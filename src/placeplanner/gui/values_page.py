"""Shared values: what each means, the scale it is scored on and how much it counts, with
swing weighting to set the weights in the room."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from placeplanner.errors import PlanError
from placeplanner.gui import theme
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.history_view import HistoryDialog
from placeplanner.gui.needs_page import (
    InlineMessage,
    check_new_name,
    format_number,
    make_table,
    parse_number,
    refusal,
    unique_name,
)
from placeplanner.gui.record_table import NamedRowsModel, delete_key
from placeplanner.gui.widgets import heading
from placeplanner.model import PlanData, ScalePoint, Value, WeightSet, WeightSetKind
from placeplanner.model.swing import Swing, swing_weights
from placeplanner.service.history import HistoryItem, value_history, weight_set_history

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

SWING_TEXT_WIDTH = 500
WEIGHT_TIP = (
    "Weight: how much the group cares about this value. Weights are relative: a value weighted 20 "
    "counts twice one weighted 10. Set them together with Swing weighting…"
)


class ValueTableModel(NamedRowsModel):
    COLUMNS = ("Value", "Weight", "From", "To", "Description")
    NAME, WEIGHT, LOW, HIGH, DESCRIPTION = range(5)
    HEADER_TIPS = {  # noqa: RUF012 - read-only class data
        WEIGHT: WEIGHT_TIP,
        LOW: "Scale from: the lowest score on this value's scale",
        HIGH: "Scale to: the highest score on this value's scale",
    }
    RIGHT_ALIGNED = frozenset({WEIGHT, LOW, HIGH})

    @property
    def _values(self) -> tuple[Value, ...]:
        return self._rows

    def set_values(self, values: tuple[Value, ...]) -> None:
        self.replace_rows(values)

    def value(self, row: int) -> Value:
        return self._values[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable if index.isValid() else super().flags(index)

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value, column = self._values[index.row()], index.column()
        if role in (Role.DisplayRole, Role.EditRole):
            return (value.name, format_number(value.weight), format_number(value.scale_min),
                    format_number(value.scale_max), value.description)[column]
        if role == Role.ToolTipRole:
            return WEIGHT_TIP if column == self.WEIGHT else value.description or None
        if role == Role.TextAlignmentRole and column in (self.WEIGHT, self.LOW, self.HIGH):
            return RIGHT
        if role == Role.ForegroundRole and column == self.DESCRIPTION:
            return QColor(theme.MUTED)
        return None

    def _commit(self, value: Value, column: int, text: str) -> None:
        where = f"value '{value.name}'"
        if column == self.NAME:
            check_new_name("value", value.name, text, [v.name for v in self._values])
            self._editor.rename(value, text)
            return
        if column == self.DESCRIPTION:
            self._editor.upsert(replace(value, description=text.strip()))
            return
        label = {self.WEIGHT: "weight", self.LOW: "scale minimum", self.HIGH: "scale maximum"}[column]
        number = parse_number(text, where, label)
        assert number is not None
        if column == self.WEIGHT:
            self._editor.upsert(replace(value, weight=number))
        elif column == self.LOW:
            self._editor.upsert(replace(value, scale_min=number))
        else:
            self._editor.upsert(replace(value, scale_max=number))


class ScalePointModel(QAbstractTableModel):
    """What the points on one value's scale mean; each edit saves the value with its new scale."""

    COLUMNS = ("Score", "What it means")
    refused = Signal(object)
    committed = Signal()

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._value: Value | None = None

    @property
    def points(self) -> tuple[ScalePoint, ...]:
        return self._value.scale_points if self._value is not None else ()

    def set_value(self, value: Value | None) -> None:
        self.beginResetModel()
        self._value = value if value is None else replace(value, scale_points=tuple(sorted(value.scale_points, key=lambda p: p.point)))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.points)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if role == Role.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        if role == Role.TextAlignmentRole and orientation == Qt.Orientation.Horizontal and section == 0:
            return RIGHT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable if index.isValid() else super().flags(index)

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        point = self.points[index.row()]
        if role in (Role.DisplayRole, Role.EditRole):
            return format_number(point.point) if index.column() == 0 else point.label
        if role == Role.TextAlignmentRole and index.column() == 0:
            return RIGHT
        if role == Role.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: Index, value: Any, role: int = Role.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Role.EditRole or self._value is None:
            return False
        points = list(self.points)
        old = points[index.row()]
        text = "" if value is None else str(value)
        try:
            if index.column() == 0:
                number = parse_number(text, f"value '{self._value.name}'", "point")
                assert number is not None
                points[index.row()] = replace(old, point=number)
            else:
                if not text.strip():
                    raise refusal(f"value '{self._value.name}'", "scale", f"needs a description for point {format_number(old.point)}; say what a score of {format_number(old.point)} means")
                points[index.row()] = replace(old, label=text.strip())
            self.save(points)
        except PlanError as exc:
            self.refused.emit(exc)
            return False
        self.committed.emit()
        return True

    def add_point(self) -> float:
        """Describe the lowest whole point not yet described; returns it."""
        value = self._value
        if value is None:
            raise refusal("scale", "point", "has no value chosen; choose a value first")
        described = {p.point for p in self.points}
        low, high = int(value.scale_min), int(value.scale_max)
        free = next((float(p) for p in range(low, high + 1) if value.scale_min <= p <= value.scale_max and float(p) not in described), None)
        if free is None:
            raise refusal(f"value '{value.name}'", "scale", "already describes every whole point of its scale")
        self.save([*self.points, ScalePoint(free, "Describe what this score means")])
        return free

    def remove_point(self, row: int) -> None:
        points = list(self.points)
        del points[row]
        self.save(points)

    def save(self, points: Sequence[ScalePoint]) -> None:
        value = self._value
        assert value is not None
        seen: set[float] = set()
        for point in points:
            if point.point in seen:
                raise refusal(f"value '{value.name}'", "scale", f"already describes point {format_number(point.point)}; each point is described once")
            seen.add(point.point)
        ordered = tuple(sorted(points, key=lambda p: p.point))
        self._editor.upsert(replace(value, scale_points=ordered), text=f"Describe the scale of value “{value.name}”")


class WeightSetModel(QAbstractTableModel):
    """Every weight set, read-only: the group's, and each participant's or partner's own."""

    def __init__(self) -> None:
        super().__init__()
        self._sets: tuple[WeightSet, ...] = ()
        self._values: tuple[str, ...] = ()
        self._shown: list[str] = []

    def set_plan(self, plan: PlanData) -> None:
        self.beginResetModel()
        self._sets = tuple(sorted(plan.weight_sets, key=lambda w: (w.kind != WeightSetKind.GROUP, w.kind.value, w.name)))
        self._values = tuple(v.name for v in plan.values)
        # "ICB weights", "Council weights": the column says they are weights; the names need not.
        names = [w.name for w in self._sets]
        common = " weights"
        self._shown = [n.removesuffix(common) if all(x.casefold().endswith(common) for x in names) else n for n in names]
        self.endResetModel()

    def weight_set(self, row: int) -> WeightSet:
        return self._sets[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._sets)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 1 + len(self._values)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Role.DisplayRole:
            return "Weights of" if section == 0 else _wrap(self._values[section - 1])
        if role == Role.ToolTipRole and section:
            return self._values[section - 1]
        if role == Role.TextAlignmentRole and section:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        if role == Role.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        return None

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        weight_set, column = self._sets[index.row()], index.column()
        if role == Role.DisplayRole:
            if column == 0:
                return self._shown[index.row()]
            weight = dict(weight_set.weights).get(self._values[column - 1])
            return "–" if weight is None else format_number(weight)
        if role == Role.ToolTipRole and column == 0:
            owner = f"the {weight_set.kind.value} {weight_set.owner}" if weight_set.owner else "the group"
            return f"{weight_set.name}: the weights of {owner}"
        if role == Role.TextAlignmentRole and column:
            return RIGHT
        if role == Role.FontRole and weight_set.kind == WeightSetKind.GROUP:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _wrap(name: str, width: int = 10) -> str:
    """Value names as header text over two or three short lines."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class WeightsChart(QWidget):
    """The agreed weights as bars (shares of the total), with each partner's or participant's own
    weights as dots: where the room agrees and where it does not."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(220)
        self.plot.setAccessibleName("Weights chart")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, alpha=0.15)
        self.plot.invertY(True)
        self._tick_font = QFont(self.font().family(), 10)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setTextPen(theme.INK)
            axis.setPen(theme.MUTED)
            axis.setStyle(tickFont=self._tick_font)
            axis.enableAutoSIPrefix(False)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self.shares: dict[str, float] = {}  # what the bars show

    def show_weights(self, values: Sequence[Value], weight_sets: Sequence[WeightSet]) -> None:
        plot = self.plot
        plot.clear()
        total = sum(v.weight for v in values)
        self.shares = {v.name: v.weight / total * 100 for v in values} if total > 0 else {}
        if not self.shares:
            self.caption.setText("No weights yet: set them with Swing weighting…" if values else "No values yet.")
            return
        ys = list(range(len(values)))
        plot.addItem(pg.BarGraphItem(x0=0, y=ys, height=0.62, width=[self.shares[v.name] for v in values],
                                     brush=pg.mkBrush(theme.ACCENT), pen=pg.mkPen(None)))
        widest = max(self.shares.values())
        own = [w for w in weight_sets if w.kind != WeightSetKind.GROUP and sum(x for _, x in w.weights) > 0]
        if own:
            xs, dot_ys = [], []
            for k, weight_set in enumerate(own):
                weights, set_total = dict(weight_set.weights), sum(x for _, x in weight_set.weights)
                offset = (k - (len(own) - 1) / 2) * min(0.4 / max(len(own) - 1, 1), 0.08)
                for y, value in zip(ys, values, strict=True):
                    if value.name in weights:
                        xs.append(weights[value.name] / set_total * 100)
                        dot_ys.append(y + offset)
            widest = max(widest, *xs)
            plot.addItem(pg.ScatterPlotItem(xs, dot_ys, size=9, brush=pg.mkBrush(255, 255, 255, 220),
                                            pen=pg.mkPen(theme.INK, width=1.5)))
        for y, value in zip(ys, values, strict=True):
            share = self.shares[value.name]
            # Inside the bar's start, clear of the dots (which sit near its end); after a stub of a bar.
            inside = share >= 0.18 * widest
            label = pg.TextItem(f"{share:.0f}%", color="w" if inside else theme.INK, anchor=(0, 0.5))
            label.setFont(QFont(self.font().family(), 11, QFont.Weight.DemiBold))
            label.setPos(0 if inside else share, y)
            plot.addItem(label)
        axis = plot.getAxis("left")
        axis.setTicks([[(y, v.name) for y, v in zip(ys, values, strict=True)]])
        axis.setWidth(QFontMetrics(self._tick_font).horizontalAdvance(max((v.name for v in values), key=len)) + 16)
        plot.setLabel("bottom", "Share of the weight (%)", color=theme.INK, size="10pt")
        plot.setXRange(0, widest * 1.18 + 2, padding=0)
        plot.setYRange(-0.6, len(values) - 0.4, padding=0)
        # The legend is the caption: it wraps rather than clips, and never covers a bar or a dot.
        key = f'<span style="color:{theme.ACCENT}; font-size: 16px;">■</span>&nbsp;Agreed weight'
        if own:
            key += (f'&nbsp;&nbsp;&nbsp; <span style="font-size: 15px;">○</span>&nbsp;the own weights of each of '
                    f"{len(own)} partners or participants (as shares of their total)")
        self.caption.setText(f"{key}. The agreed weights add up to {format_number(total)}.")


@dataclass(slots=True)
class _SwingRow:
    value: Value
    rating: int  # its own rating; a tied row shows the one above
    tied: bool


class SwingDialog(QDialog):
    """Swing weighting in two steps: order the swings, then rate each against the top one.

    Usable without ``exec``: ``move_swing``, ``set_rating`` and ``set_tied`` change the judgement,
    ``preview`` gives the weights, ``apply`` writes them in one undo step."""

    applied = Signal(str)  # what changed, to show on the page

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.setWindowTitle("Swing weighting")
        # The theme's primary button stays blue when disabled; here it must look unavailable.
        self.setStyleSheet("QPushButton#primary:disabled { background: #c5ccd6; color: white; }")
        self.setAccessibleName("Swing weighting")
        values = editor.service.read().values
        top = max((v.weight for v in values), default=0.0)
        ordered = sorted(values, key=lambda v: -v.weight)
        self._rows = [
            _SwingRow(v, round(v.weight / top * 100) if top > 0 else 100,
                      tied=i > 0 and (top <= 0 or v.weight == ordered[i - 1].weight))
            for i, v in enumerate(ordered)
        ]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.addWidget(heading("Swing weighting", "Picture every option at the bottom of every scale. Which value would you most want to move to the top?"))
        steps = QLabel(
            "<b>1. Order the swings.</b> Put the swing that matters most at the top; tie swings that matter equally.<br>"
            "<b>2. Rate each swing against the top one.</b> 100 means as important, 50 half as important, 0 not at all."
        )
        steps.setWordWrap(True)
        steps.setStyleSheet("font-size: 14px;")
        layout.addWidget(steps)
        layout.addSpacing(10)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for column, text in enumerate(("Rank", "Swing from the bottom to the top of the scale", "", "Tie", "Rating against the top swing", "", "New weight", "Now")):
            label = QLabel(text)
            label.setStyleSheet(f"color: {theme.MUTED}; font-weight: 600;")
            grid.addWidget(label, 0, column)
        self.rank_labels: list[QLabel] = []
        self.name_labels: list[QLabel] = []
        self.swing_labels: list[QLabel] = []
        self.up_buttons: list[QPushButton] = []
        self.down_buttons: list[QPushButton] = []
        self.tie_boxes: list[QCheckBox] = []
        self.sliders: list[QSlider] = []
        self.spins: list[QSpinBox] = []
        self.weight_labels: list[QLabel] = []
        self.now_labels: list[QLabel] = []
        for position in range(len(self._rows)):
            self._add_row(grid, position)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(4, 2)
        layout.addLayout(grid)
        layout.addSpacing(6)

        self.message = InlineMessage()
        self.apply_button = QPushButton("Apply weights")
        self.apply_button.setObjectName("primary")
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("Set every value's weight to its new weight, in one step you can undo")
        cancel = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        self.apply_button.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)
        self._render()

    def _add_row(self, grid: QGridLayout, position: int) -> None:
        row = position + 1
        rank = QLabel()
        rank.setStyleSheet(f"font-size: 20px; font-weight: 600; color: {theme.ACCENT};")
        rank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        rank.setMinimumWidth(44)
        name, swing = QLabel(), QLabel()
        name.setStyleSheet("font-size: 15px; font-weight: 600;")
        swing.setObjectName("caption")
        swing.setMinimumWidth(SWING_TEXT_WIDTH)
        swing.ensurePolished()
        swing.setMinimumHeight(2 * swing.fontMetrics().lineSpacing() + 6)
        described = QWidget()
        box = QVBoxLayout(described)
        box.setContentsMargins(0, 4, 0, 4)
        box.setSpacing(2)
        box.addWidget(name)
        box.addWidget(swing)
        up, down = QPushButton(), QPushButton()
        for button, arrow in ((up, QStyle.StandardPixmap.SP_ArrowUp), (down, QStyle.StandardPixmap.SP_ArrowDown)):
            button.setIcon(self.style().standardIcon(arrow))
            button.setFixedWidth(44)
        moves = QHBoxLayout()
        moves.setSpacing(4)
        moves.addWidget(up)
        moves.addWidget(down)
        tie = QCheckBox()
        tie.setToolTip("This swing matters as much as the one above: same rank, same rating")
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, 100)
        slider.setPageStep(10)
        slider.setMinimumWidth(140)
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setMinimumWidth(76)
        # No arrows (the slider beside it does that job), hidden by style: NoButtons under the
        # app's style sheet leaves the text field 1 px wide.
        spin.setStyleSheet("QSpinBox { padding: 4px 8px; border: 1px solid #c5ccd6; border-radius: 6px; font-size: 15px; }"
                           "QSpinBox:disabled { color: #52606d; background: #f3f5f8; }"
                           "QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }")
        weight, now = QLabel(), QLabel()
        weight.setStyleSheet(f"font-size: 20px; font-weight: 600; color: {theme.ACCENT};")
        weight.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        weight.setMinimumWidth(70)
        now.setObjectName("caption")
        now.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(rank, row, 0)
        grid.addWidget(described, row, 1)
        grid.addLayout(moves, row, 2)
        grid.addWidget(tie, row, 3, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(slider, row, 4)
        grid.addWidget(spin, row, 5)
        grid.addWidget(weight, row, 6)
        grid.addWidget(now, row, 7)
        up.clicked.connect(lambda: self.move_swing(self._rows[position].value.name, -1))
        down.clicked.connect(lambda: self.move_swing(self._rows[position].value.name, 1))
        tie.toggled.connect(lambda on: self.set_tied(self._rows[position].value.name, on))
        slider.valueChanged.connect(lambda v: self.set_rating(self._rows[position].value.name, v))
        spin.valueChanged.connect(lambda v: self.set_rating(self._rows[position].value.name, v))
        self.rank_labels.append(rank)
        self.name_labels.append(name)
        self.swing_labels.append(swing)
        self.up_buttons.append(up)
        self.down_buttons.append(down)
        self.tie_boxes.append(tie)
        self.sliders.append(slider)
        self.spins.append(spin)
        self.weight_labels.append(weight)
        self.now_labels.append(now)

    # --- the judgement

    def order(self) -> list[str]:
        return [r.value.name for r in self._rows]

    def move_swing(self, name: str, steps: int) -> None:
        """Move a swing up (negative) or down the order."""
        here = self.order().index(name)
        there = max(0, min(len(self._rows) - 1, here + steps))
        self._rows.insert(there, self._rows.pop(here))
        self._render()

    def set_rating(self, name: str, rating: int) -> None:
        self._rows[self.order().index(name)].rating = int(rating)
        self._render()

    def set_tied(self, name: str, tied: bool) -> None:
        self._rows[self.order().index(name)].tied = bool(tied)
        self._render()

    def swings(self) -> list[Swing]:
        """Ranks from the order and the ties; the top rank is rated 100, a tied swing as the one above."""
        swings: list[Swing] = []
        rank, rating = 1, 100
        for position, row in enumerate(self._rows):
            if position and not row.tied:
                rank += 1
                rating = row.rating
            swings.append(Swing(row.value.name, rank, float(rating)))
        return swings

    def preview(self) -> dict[str, float]:
        """The weights the judgement gives; raises ValidationError when it is not consistent."""
        return swing_weights(self.order(), self.swings())

    def apply(self) -> bool:
        """Write every value's new weight in one undo step; False (with the reason shown) if refused."""
        try:
            weights = self.preview()
            current = {v.name: v for v in self._editor.service.read().values}
            if set(current) != set(weights):
                raise refusal("values", "name", "changed while the swings were being weighted; close this and start again")
            changed = self._editor.upsert_many(
                [replace(current[name], weight=weight) for name, weight in weights.items()],
                "Set the weights by swing weighting",
            )
        except PlanError as exc:
            self.message.refuse(exc)
            return False
        self.applied.emit(
            f"Swing weighting set {changed} weight{'s' * (changed != 1)}: "
            + ", ".join(f"{n} {format_number(w)}" for n, w in weights.items()) + ". Undo puts the old weights back."
            if changed else "Swing weighting gave the weights the values already have; nothing changed."
        )
        self.accept()
        return True

    def _render(self) -> None:
        swings = self.swings()
        try:
            weights: dict[str, float] | None = self.preview()
            self.message.clear()
        except PlanError as exc:
            weights = None
            reason = str(exc).rstrip(".")
            self.message.warn(f"{reason[:1].upper()}{reason[1:]}.")
        self.apply_button.setEnabled(weights is not None)
        ranks = [s.rank for s in swings]
        for position, (row, swing) in enumerate(zip(self._rows, swings, strict=True)):
            value = row.value
            fixed = position == 0 or row.tied
            shared = ranks.count(swing.rank) > 1
            self.rank_labels[position].setText(f"={swing.rank}" if shared else str(swing.rank))
            self.name_labels[position].setText(value.name)
            low, high = _swing_ends(value)
            swing_label = self.swing_labels[position]
            swing_label.ensurePolished()
            metrics = swing_label.fontMetrics()
            swing_label.setText("\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, SWING_TEXT_WIDTH) for line in (low, high)))
            swing_label.setToolTip(f"{low}\n{high}")
            self.up_buttons[position].setEnabled(position > 0)
            self.down_buttons[position].setEnabled(position < len(self._rows) - 1)
            self.up_buttons[position].setAccessibleName(f"Move {value.name} up")
            self.down_buttons[position].setAccessibleName(f"Move {value.name} down")
            tie, slider, spin = self.tie_boxes[position], self.sliders[position], self.spins[position]
            for widget in (tie, slider, spin):
                widget.blockSignals(True)
            tie.setChecked(row.tied and position > 0)
            slider.setValue(int(swing.rating))
            spin.setValue(int(swing.rating))
            for widget in (tie, slider, spin):
                widget.blockSignals(False)
            self.tie_boxes[position].setEnabled(position > 0)
            self.tie_boxes[position].setAccessibleName(f"Tie {value.name} with the swing above")
            self.sliders[position].setEnabled(not fixed)
            self.spins[position].setEnabled(not fixed)
            self.spins[position].setAccessibleName(f"Rating of {value.name}")
            self.spins[position].setToolTip("The top swing is 100; the others are rated against it" if position == 0
                                            else "Tied: rated as the swing above" if row.tied else "0 to 100 against the top swing")
            self.weight_labels[position].setText(format_number(weights[value.name]) if weights else "–")
            self.now_labels[position].setText(f"now {format_number(value.weight)}")


def _swing_ends(value: Value) -> tuple[str, str]:
    """The bottom and the top of a value's scale, with what they mean when described."""
    points = {p.point: p.label for p in value.scale_points}
    ends = []
    for word, point in (("from", value.scale_min), ("to", value.scale_max)):
        label = points.get(point)
        ends.append(f"{word} {format_number(point)}" + (f": {label}" if label else ""))
    return ends[0], ends[1]


class ValuesPage(QWidget):
    """The shared values: edit them in the table; set the weights by swing weighting."""

    TABLES = frozenset({"values", "weight_sets"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self._plan: PlanData | None = None
        self.swing_dialog: SwingDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.addWidget(heading(
            "Shared values",
            "The criteria every option is scored against: what each means, the scale it is scored on and how much it "
            "counts. Double-click a cell to change it; every change is saved as you make it.",
        ))
        bar = QHBoxLayout()
        self.add_button = QPushButton("Add value")
        self.delete_button = QPushButton("Delete value")
        self.delete_button.setToolTip("Delete the selected value with its agreed scores (Delete key); undo puts them back")
        self.swing_button = QPushButton("Swing weighting…")
        self.swing_button.setObjectName("primary")
        self.swing_button.setToolTip("Set every weight together: order the swings from the bottom to the top of each scale, then rate them")
        self.message = InlineMessage()
        bar.addWidget(self.swing_button)
        bar.addWidget(self.add_button)
        bar.addWidget(self.delete_button)
        self.history_button = QPushButton("Value history…")
        self.history_button.setToolTip("Every recorded change to the selected value, and to its weight in each weight set")
        bar.addWidget(self.history_button)
        bar.addSpacing(16)
        bar.addWidget(self.message, 1)
        layout.addLayout(bar)

        self.model = ValueTableModel(editor)
        self.table = make_table(self.model, "Values table", fitted=True)
        # One line a value; the selected value's description is in full beside its scale.
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(ValueTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.value_description = QLabel()
        self.value_description.setObjectName("subtitle")
        self.value_description.setWordWrap(True)
        self.scale_title = _section("What the scores mean")
        self.scale_model = ScalePointModel(editor)
        self.scale_table = make_table(self.scale_model, "Scale descriptions of the selected value", fitted=True)
        self.scale_table.setWordWrap(True)
        self.scale_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.scale_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.scale_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # the chart gives way
        self.add_point_button = QPushButton("Describe another score")
        self.remove_point_button = QPushButton("Remove description")
        point_bar = QHBoxLayout()
        point_bar.addWidget(self.add_point_button)
        point_bar.addWidget(self.remove_point_button)
        point_bar.addStretch(1)

        self.chart = WeightsChart()
        self.weight_set_model = WeightSetModel()
        self.weight_set_table = make_table(self.weight_set_model, "Weight sets", fitted=True)
        sets_header = self.weight_set_table.horizontalHeader()
        sets_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sets_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weight_set_table.setWordWrap(True)
        # A matrix of six or more values: smaller headers keep every column and the names in view.
        sets_header.setStyleSheet("QHeaderView::section { font-size: 12px; padding: 4px 6px; }")
        self.weight_set_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.weight_set_history_button = QPushButton("Weight set history…")
        self.weight_set_history_button.setToolTip("Every recorded change to the weight set selected in the table above")
        set_bar = QHBoxLayout()
        set_bar.addWidget(self.weight_set_history_button)
        set_bar.addStretch(1)
        left = _column(self.table, _section("Weight sets: the group's, and each partner's or participant's own"), self.weight_set_table, set_bar)
        right = _column(_section("Weights"), self.chart, self.scale_title, self.value_description, self.scale_table, point_bar)
        right.layout().setStretch(1, 1)  # type: ignore[union-attr]

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([820, 540])
        layout.addWidget(split, 1)

        self.add_button.clicked.connect(self.add_value)
        self.delete_button.clicked.connect(self.delete_selected)
        self.history_button.clicked.connect(self.open_value_history)
        self.weight_set_history_button.clicked.connect(self.open_weight_set_history)
        self.weight_set_table.selectionModel().selectionChanged.connect(self._show_weight_set)
        self.swing_button.clicked.connect(self.open_swing_weighting)
        self.add_point_button.clicked.connect(self.add_point)
        self.remove_point_button.clicked.connect(self.remove_point)
        delete_key(self.table, self.delete_selected)
        for model in (self.model, self.scale_model):
            model.refused.connect(self.message.refuse)
            model.committed.connect(self.message.clear)
        self.table.selectionModel().selectionChanged.connect(self._show_value)
        self.refresh()

    def refresh(self) -> None:
        plan = self._editor.service.read()
        if plan is self._plan:
            return
        chosen = self.selected_value()
        self._plan = plan
        self.model.set_values(plan.values)
        self.table.resizeColumnToContents(ValueTableModel.NAME)
        for column in (ValueTableModel.WEIGHT, ValueTableModel.LOW, ValueTableModel.HIGH):
            self.table.resizeColumnToContents(column)
        if chosen is not None and self.model.row_of(chosen.name) >= 0:
            self.select_value(chosen.name)
        elif self.selected_value() is None and self.model.rowCount():
            self.table.selectRow(0)
        self.chart.show_weights(plan.values, plan.weight_sets)
        self.weight_set_model.set_plan(plan)
        self._fit_weight_set_columns()
        self._show_weight_set()
        self.swing_button.setEnabled(bool(plan.values))
        self._show_value()

    def _fit_weight_set_columns(self) -> None:
        """Value columns as wide as their wrapped heading, no wider, so the names keep their room."""
        header = self.weight_set_table.horizontalHeader()
        header.ensurePolished()
        metrics = QFontMetrics(header.font())
        for column in range(1, self.weight_set_model.columnCount()):
            text = str(self.weight_set_model.headerData(column, Qt.Orientation.Horizontal) or "")
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 18)

    def selected_value(self) -> Value | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.value(rows[0].row())

    def select_value(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)

    def open_swing_weighting(self) -> SwingDialog:
        """Open the swing-weighting dialog (window-modal, without blocking) and return it."""
        if self.swing_dialog is not None:
            self.swing_dialog.deleteLater()
        dialog = SwingDialog(self._editor, self)
        dialog.applied.connect(self.message.note)
        self.swing_dialog = dialog
        dialog.open()
        return dialog

    def selected_weight_set(self) -> WeightSet | None:
        rows = self.weight_set_table.selectionModel().selectedRows()
        return self.weight_set_model.weight_set(rows[0].row()) if rows else None

    def open_value_history(self) -> HistoryDialog | None:
        """The selected value's history and its weights', in a window beside this screen."""
        value = self.selected_value()
        if value is None:
            return None
        return self._open_history(f"History of the value “{value.name}” and its weights", f"“{value.name}” and its weights",
                                  value_history(self._editor.service.plan_file, value.name))

    def open_weight_set_history(self) -> HistoryDialog | None:
        weight_set = self.selected_weight_set()
        if weight_set is None:
            return None
        return self._open_history(f"History of the weight set “{weight_set.name}”", f"“{weight_set.name}”",
                                  weight_set_history(self._editor.service.plan_file, weight_set.name))

    def _open_history(self, title: str, subject: str, items: Sequence[HistoryItem]) -> HistoryDialog:
        if self.history_dialog is not None:
            self.history_dialog.close()
            self.history_dialog.deleteLater()
        self.history_dialog = HistoryDialog(title, subject, items, self)
        self.history_dialog.show()  # not modal: the screen stays in use beside it
        return self.history_dialog

    def _show_weight_set(self) -> None:
        self.weight_set_history_button.setEnabled(self.selected_weight_set() is not None)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # arrow keys move through the rows at once

    def _show_value(self) -> None:
        value = self.selected_value()
        self.delete_button.setEnabled(value is not None)
        self.history_button.setEnabled(value is not None)
        self.add_point_button.setEnabled(value is not None)
        self.remove_point_button.setEnabled(value is not None and bool(value.scale_points))
        self.scale_title.setText(f"What the scores on “{value.name}” mean" if value else "What the scores mean")
        self.value_description.setText(value.description if value else "")
        self.value_description.setVisible(bool(value and value.description))
        self.scale_model.set_value(value)

    # --- edits

    def add_value(self) -> None:
        plan = self._editor.service.read()
        name = unique_name("New value", [v.name for v in plan.values])
        if not self._attempt(lambda: self._editor.upsert(Value(name, 0.0), text=f"Add value “{name}”")):
            return
        self.refresh()
        self.select_value(name)
        self.message.note(f"Added “{name}” with weight 0: name it, describe its scale, then weight it.")
        self.table.edit(self.model.index(self.model.row_of(name), ValueTableModel.NAME))

    def delete_selected(self) -> None:
        value = self.selected_value()
        if value is None:
            return
        plan = self._editor.service.read()
        scores = sum(1 for a in plan.agreed_scores if a.value == value.name)
        sets = sum(1 for w in plan.weight_sets if any(v == value.name for v, _ in w.weights))
        if not self._attempt(lambda: self._editor.remove(value)):
            return
        along = [f"{n} {what}{'s' * (n != 1)}" for n, what in ((scores, "agreed score"), (sets, "weight set")) if n]
        self.message.note(f"Deleted “{value.name}”" + (f" with {' and '.join(along)}" if along else "") + ". Undo puts it back.")

    def add_point(self) -> None:
        point: list[float] = []
        if self._attempt(lambda: point.append(self.scale_model.add_point())):
            row = next(i for i, p in enumerate(self.scale_model.points) if p.point == point[0])
            self.scale_table.selectRow(row)
            self.scale_table.edit(self.scale_model.index(row, 1))

    def remove_point(self) -> None:
        rows = self.scale_table.selectionModel().selectedRows()
        if rows:
            row = rows[0].row()
            self._attempt(lambda: self.scale_model.remove_point(row))

    def _attempt(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except PlanError as exc:
            self.message.refuse(exc)
            return False
        self.message.clear()
        return True


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 16px; font-weight: 600; padding-top: 6px;")
    label.setWordWrap(True)
    return label


def _column(*parts: QWidget | QHBoxLayout) -> QWidget:
    box = QFrame()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 8, 0)
    for part in parts:
        if isinstance(part, QHBoxLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addStretch(0)
    return box
