"""Two scenarios side by side: both headlines, what enters and leaves the portfolio, and how the
spend moves. Both are solved in the worker (``run_comparison``); the panel only shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.progress import RunState
from placeplanner.engine.result import Allocation, Funded
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.engine.spend import reconcile
from placeplanner.gui import theme
from placeplanner.gui.allocation_charts import MoneyAxis, caption, nice_step, styled_plot
from placeplanner.gui.allocation_data import Cell, Row, net_cost
from placeplanner.gui.allocation_tables import TONES, CellTableModel, cell_table, set_widths
from placeplanner.money import Reconciliation, format_signed_money, format_signed_number

COLUMNS = ("Option", "Change", "Value", "Cost")
TIPS = (
    "An option funded in one scenario and not the other, or at another level",
    "Enters: funded only in the second scenario; leaves: funded only in the first",
    "Weighted value gained (+) or lost (−) going from the first scenario to the second",
    "Money over the plan's years added (+) or saved (−) going from the first scenario to the second",
)


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    solved: bool
    funded: int
    options: int
    value: float
    money: Reconciliation

    @property
    def spent(self) -> float:
        return self.money.spent

    @property
    def headline(self) -> str:
        if not self.solved:
            return "No portfolio keeps every rule. Run this scenario on its own to see which rules conflict."
        return f"{self.funded} of {self.options} options funded, total value {self.value:,.0f}. {self.money.words()}"


@dataclass(frozen=True, slots=True)
class Comparison:
    first: Outcome
    second: Outcome
    rows: tuple[Row, ...]
    keys: tuple[str, ...]
    spend: tuple[tuple[str, float], ...]  # money stream, second less first over the plan's years

    @property
    def summary(self) -> str:
        if not (self.first.solved and self.second.solved):
            return "One of the scenarios has no portfolio, so there is nothing to set side by side."
        enters = sum(1 for r in self.rows if r[1].text == "Enters")
        leaves = sum(1 for r in self.rows if r[1].text == "Leaves")
        others = len(self.rows) - enters - leaves
        moved = f", {others} change level" if others else ""
        return (f"Going from “{self.first.name}” to “{self.second.name}”: {enters} option{'s' * (enters != 1)} enter, "
                f"{leaves} leave{moved}; value {format_signed_number(self.second.value - self.first.value)}, "
                f"spend {format_signed_money(self.second.spent - self.first.spent)}.")


def run_comparison(first: tuple[str, EngineInput], second: tuple[str, EngineInput], settings: SolverSettings, state: RunState) -> Comparison:
    """The worker's job: solve both scenarios and set them side by side. No Qt."""
    (name_a, inp_a), (name_b, inp_b) = first, second
    state.step(0, 2, f"Solving “{name_a}”")
    a = allocate(inp_a, settings)
    state.step(1, 2, f"Solving “{name_b}”")
    b = allocate(inp_b, settings)
    state.step(2, 2, "Setting them side by side")
    both = a.has_portfolio and b.has_portfolio
    rows, keys = _changes(inp_a, a, inp_b, b) if both else ((), ())
    spent_a, spent_b = _by_stream(a), _by_stream(b)
    streams = [s.name for s in inp_a.streams if s.is_money]
    spend = tuple((s, spent_b.get(s, 0.0) - spent_a.get(s, 0.0)) for s in streams) if both else ()
    return Comparison(_outcome(name_a, inp_a, a), _outcome(name_b, inp_b, b), rows, keys, spend)


def _outcome(name: str, inp: EngineInput, allocation: Allocation) -> Outcome:
    return Outcome(name, allocation.has_portfolio, len(allocation.funded), len(inp.options), allocation.objective or 0.0,
                   reconcile(inp, allocation))


def _by_stream(allocation: Allocation) -> dict[str, float]:
    out: dict[str, float] = {}
    for stream, _, amount in allocation.spend:
        out[stream] = out.get(stream, 0.0) + amount
    return out


def _changes(inp_a: EngineInput, a: Allocation, inp_b: EngineInput, b: Allocation) -> tuple[tuple[Row, ...], tuple[str, ...]]:
    in_a = {f.name: f for f in a.funded}
    in_b = {f.name: f for f in b.funded}
    found: list[tuple[int, float, str, Row]] = []
    for option in inp_a.options:
        name = option.name
        fa, fb = in_a.get(name), in_b.get(name)
        if fa is None and fb is None:
            continue
        value = _value(fb) - _value(fa)
        cost = _cost(inp_b, name, fb) - _cost(inp_a, name, fa)
        if fa is None:
            change, tone, rank = "Enters", "gain", 0
        elif fb is None:
            change, tone, rank = "Leaves", "loss", 1
        elif fa.level != fb.level:
            change, tone, rank = f"{fa.level} → {fb.level}", "gain" if value > 0 else "loss", 2
        else:
            continue
        found.append((rank, -abs(value), name, (
            Cell(name, name.casefold(), tip=name),
            Cell(change, rank, tone),
            Cell(format_signed_number(value, 1), value, number=True),
            Cell(format_signed_money(cost), cost, number=True),
        )))
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    return tuple(f[3] for f in found), tuple(f[2] for f in found)


def _value(item: Funded | None) -> float:
    return item.value if item is not None else 0.0


def _cost(inp: EngineInput, name: str, item: Funded | None) -> float:
    return net_cost(inp, inp.option(name), item.share) if item is not None else 0.0


class _Card(QFrame):
    def __init__(self, which: str) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        self.title = QLabel(which)
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.title.setWordWrap(True)
        self.text = QLabel("Not run yet.")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-size: 14px;")
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)

    def set_outcome(self, outcome: Outcome) -> None:
        self.title.setText(outcome.name)
        self.text.setText(outcome.headline)
        self.setAccessibleName(f"{outcome.name}: {outcome.headline}")


class ComparePanel(QWidget):
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        controls = QHBoxLayout()
        self.first = QLabel()
        self.first.setStyleSheet("font-weight: 600;")
        self.first.setAccessibleName("First scenario")
        self.first.setToolTip("The scenario chosen at the top of the screen")
        controls.addWidget(QLabel("Compare"))
        controls.addWidget(self.first)
        controls.addWidget(QLabel("with"))
        self.second = QComboBox()
        self.second.setAccessibleName("Second scenario")
        self.second.setToolTip("The scenario to set beside the one chosen at the top of the screen")
        self.second.setMinimumContentsLength(24)
        controls.addWidget(self.second, 1)
        self.button = QPushButton("Compare")
        self.button.setObjectName("primary")
        self.button.setAccessibleName("Compare the two scenarios")
        self.button.setToolTip("Solve both scenarios and show what enters and leaves the portfolio (Ctrl+Shift+C)")
        controls.addWidget(self.button)
        cards = QHBoxLayout()
        self.cards = (_Card("First scenario"), _Card("Second scenario"))
        for card in self.cards:
            cards.addWidget(card, 1)
        self.summary = caption("Choose a second scenario and compare: both are solved, and what enters and leaves the portfolio is listed.")
        # When the run on the other tabs no longer matches the plan, Compare (solved now) says why it differs.
        self.stale_note = caption("")
        self.stale_note.setStyleSheet(f"color: {theme.PROBLEM}; font-weight: 600;")
        self.stale_note.setAccessibleName("Why Compare may differ from the result shown")
        self.stale_note.setVisible(False)
        self.model = CellTableModel(COLUMNS, TIPS, self)
        self.view = cell_table(self.model, "What enters and leaves", "Options funded in one scenario and not the other", self)
        set_widths(self.view, {1: 110, 2: 90, 3: 110}, stretch=0)
        self.plot = styled_plot(bottom=MoneyAxis("bottom"))
        self.plot.setAccessibleName("Spend difference by funding stream")
        self.plot.invertY(True)
        self.plot.hideAxis("left")
        self.plot.setLabel("bottom", "Change in spend", **{"color": theme.INK, "font-size": "12pt"})
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        # No money to show until a comparison has run: an axis of '£0 £0 £1 £1' would be noise.
        self.plot.getAxis("bottom").setStyle(showValues=False)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(_section("What enters and leaves"))
        left.addWidget(self.view, 1)
        right = QVBoxLayout()
        right.addWidget(_section("Spend by funding stream: second less first"))
        right.addWidget(self.plot, 1)
        body.addLayout(left, 3)
        body.addSpacing(16)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(cards)
        layout.addWidget(self.summary)
        layout.addWidget(self.stale_note)
        layout.addLayout(body, 1)
        self.button.clicked.connect(self.compare_requested)

    def set_scenarios(self, first: str, names: list[str]) -> None:
        """The first scenario (from the top of the screen) and every choice for the second."""
        self.first.setText(f"“{first}”")
        current = self.second.currentText()
        self.second.blockSignals(True)
        self.second.clear()
        self.second.addItems(names)
        self.second.blockSignals(False)
        if current in names and current != first:
            self.second.setCurrentText(current)
        else:
            self.second.setCurrentIndex(next((i for i, n in enumerate(names) if n != first), 0))

    def set_stale_note(self, text: str) -> None:
        """Say (or stop saying) that the result on the other tabs is older than the plan Compare solves."""
        self.stale_note.setText(text)
        self.stale_note.setVisible(bool(text))

    def show_comparison(self, comparison: Comparison) -> None:
        for card, outcome in zip(self.cards, (comparison.first, comparison.second), strict=True):
            card.set_outcome(outcome)
        self.summary.setText(comparison.summary)
        self.model.set_rows(comparison.rows, comparison.keys)
        self._draw_spend(comparison.spend)

    def _draw_spend(self, spend: tuple[tuple[str, float], ...]) -> None:
        """One bar per money stream, its name written above it (an axis of long names would
        leave the bars no room in half the screen)."""
        plot = self.plot
        plot.clear()
        amounts = [amount for _, amount in spend]
        widest = max([abs(a) for a in amounts] + [1.0])
        # Room beyond the longest bar on each side that has bars, for its figure.
        low = -widest * 1.4 if min(amounts, default=0.0) < 0 else -widest * 0.25
        high = widest * 1.4 if max(amounts, default=0.0) > 0 else widest * 0.25
        brushes = [pg.mkBrush(TONES["gain"] if a >= 0 else TONES["loss"]) for a in amounts]
        plot.addItem(pg.BarGraphItem(x0=0, y=[y + 0.15 for y in range(len(spend))], height=0.42, width=amounts,
                                     brushes=brushes, pen=pg.mkPen(None)))
        plot.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen(theme.MUTED, width=1)))
        for y, (name, amount) in enumerate(spend):
            title = pg.TextItem(name, color=theme.INK, anchor=(0, 1))
            title.setPos(low, y - 0.02)
            figure = pg.TextItem(format_signed_money(amount), color=theme.INK, anchor=(0, 0.5) if amount >= 0 else (1, 0.5))
            figure.setPos(amount + (widest * 0.03 if amount >= 0 else -widest * 0.03), y + 0.15)
            plot.addItem(title)
            plot.addItem(figure)
        plot.setXRange(low, high, padding=0)
        plot.getAxis("bottom").setStyle(showValues=bool(spend))
        step = nice_step(high - low, 4)
        plot.getAxis("bottom").setTickSpacing(step, step / 2)
        plot.setYRange(-0.45, max(len(spend), 1) - 0.3, padding=0)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("section")
    label.setStyleSheet("font-size: 15px; font-weight: 600; padding-top: 6px;")
    return label
