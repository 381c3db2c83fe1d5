"""Robustness: how often each option is funded when the weights or scores are uncertain.

Each option's core index is the share of sampled perturbations in which the optimiser funds
it: core (0.9 or more), exterior (0.1 or less), borderline between. The sampling and solving
run in the worker (``run_robustness``); the panel only asks for it and shows the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.progress import RunState
from placeplanner.engine.robustness import robustness, score_samples, weight_samples
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.gui.allocation_data import Cell, Row
from placeplanner.gui.allocation_tables import TONES, CellTableModel, cell_table, set_widths
from placeplanner.service import PlanService
from placeplanner.service.allocation import score_spreads, weight_set_vectors

CORE_FROM = 0.9
EXTERIOR_UP_TO = 0.1
SAMPLES = 60
SEED = 2027  # fixed, so the same plan gives the same answer: decisions must be reproducible
MODES = (
    ("weights", "Agreed weights, each varied by up to ±30%"),
    ("partners", "Each partner's own weights"),
    ("scores", "The spread of individual scores"),
)
CLASSES = (  # kind, label, what it means, what it tells the room
    ("core", "Core", "funded in 90% or more of samples", "Safe whatever the weights"),
    ("borderline", "Borderline", "funded in some samples, not in others", "Depends on the weights: worth discussing"),
    ("exterior", "Exterior", "funded in 10% or fewer of samples", "Out whatever the weights"),
)
COLUMNS = ("Option", "Funded in", "Class", "In this portfolio")
TIPS = (
    "A proposed change",
    "Core index: the share of sampled weights or scores in which the optimiser funds it",
    "Core (90% or more), borderline, or exterior (10% or less)",
    "Whether the portfolio on the agreed weights and scores funds it",
)


def robustness_class(index: float) -> str:
    if index >= CORE_FROM:
        return "core"
    if index <= EXTERIOR_UP_TO:
        return "exterior"
    return "borderline"


@dataclass(frozen=True, slots=True)
class Sampling:
    """What to vary, read from the plan on the GUI thread before the worker starts."""

    mode: str  # weights, partners or scores
    samples: int
    weight_sets: tuple[tuple[float, ...], ...] = ()
    spreads: Mapping[tuple[str, int], Sequence[float]] | None = None

    @property
    def description(self) -> str:
        if self.mode == "partners" and not self.weight_sets:
            return "the agreed weights, each varied by up to ±30% (the plan has no partners' own weights)"
        if self.mode == "scores" and not self.spreads:
            return "the agreed scores (no individual scores are recorded, so nothing varies)"
        return {"weights": "the agreed weights, each varied by up to ±30%", "partners": "each partner's own weights",
                "scores": "the spread of individual scores"}[self.mode]


def sampling_from(service: PlanService, inp: EngineInput, mode: str, samples: int) -> Sampling:
    """Read what the mode varies from the plan (in the worker: a large plan takes a while)."""
    return Sampling(
        mode, samples,
        weight_sets=tuple(weight_set_vectors(service, inp)) if mode == "partners" else (),
        spreads=score_spreads(service, inp) if mode == "scores" else None,
    )


@dataclass(frozen=True, slots=True)
class RobustnessRun:
    scenario: str
    description: str
    samples: int
    infeasible: int
    counts: tuple[int, int, int]  # core, borderline, exterior
    rows: tuple[Row, ...]
    keys: tuple[str, ...]


def run_robustness(inp: EngineInput, scenario: str, sampling: Sampling, settings: SolverSettings, state: RunState) -> RobustnessRun:
    """The worker's job: draw the samples, solve each, count, class. No Qt."""
    state.step(0, sampling.samples, "Drawing samples")
    if sampling.mode == "scores":
        values = score_samples(inp, sampling.samples, SEED, sampling.spreads or {})
    else:
        sets = sampling.weight_sets if sampling.mode == "partners" else ()
        values = weight_samples(inp, sampling.samples, SEED, sets)
    base = set(allocate(inp, settings).selected_names)
    result = robustness(inp, values, mode="scores" if sampling.mode == "scores" else "weights", settings=settings, state=state)
    # Borderline first: they are the ones the room should discuss.
    first = {"borderline": 0, "core": 1, "exterior": 2}
    ordered = sorted(result.options, key=lambda c: (first[robustness_class(c.core_index)], -c.core_index, c.name))
    rows = []
    counts = dict.fromkeys(("core", "borderline", "exterior"), 0)
    names = {key: (label, f"{label}: {meaning}. {tip}.") for key, label, meaning, tip in CLASSES}
    for option in ordered:
        kind = robustness_class(option.core_index)
        counts[kind] += 1
        label, tip = names[kind]
        funded = option.name in base
        rows.append((
            Cell(option.name, option.name.casefold(), tip=option.name),
            Cell(f"{option.core_index:.0%} of samples", option.core_index, number=True),
            Cell(label, option.core_index, kind, tip),
            Cell("Funded" if funded else "Left out", 0 if funded else 1, "funded" if funded else "left_out"),
        ))
    return RobustnessRun(
        scenario, sampling.description, result.samples, result.infeasible_samples,
        (counts["core"], counts["borderline"], counts["exterior"]), tuple(rows), tuple(o.name for o in ordered),
    )


class _Count(QFrame):
    def __init__(self, kind: str, label: str, meaning: str, tip: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setToolTip(f"{tip}.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 10)
        layout.setSpacing(0)
        self.figure = QLabel("–")
        self.figure.setObjectName("figure")
        self.figure.setStyleSheet(f"color: {TONES[kind]};")
        words = QLabel(f"{label}: {meaning}")
        words.setObjectName("caption")
        words.setWordWrap(True)
        layout.addWidget(self.figure)
        layout.addWidget(words)
        self._label = label

    def set_count(self, count: int | None) -> None:
        self.figure.setText("–" if count is None else f"{count:,}")
        self.setAccessibleName(f"{self._label}: {'not tested' if count is None else count}")


class RobustnessPanel(QWidget):
    test_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Vary"))
        self.mode = QComboBox()
        for key, text in MODES:
            self.mode.addItem(text, key)
        self.mode.setAccessibleName("What to vary")
        self.mode.setToolTip("The uncertainty to sample: the agreed weights, the partners' own weights, or the spread of the room's scores")
        controls.addWidget(self.mode, 2)
        controls.addWidget(QLabel("Samples"))
        self.samples = QSpinBox()
        self.samples.setRange(10, 1000)
        self.samples.setSingleStep(10)
        self.samples.setValue(SAMPLES)
        self.samples.setAccessibleName("Number of samples")
        self.samples.setToolTip("How many perturbed weightings or scorings to solve; more is steadier and slower")
        controls.addWidget(self.samples)
        self.button = QPushButton("Test robustness")
        self.button.setObjectName("primary")
        self.button.setToolTip("Solve the allocation for each sample and count how often each option is funded (Ctrl+Shift+R)")
        self.button.setAccessibleName("Test robustness")
        controls.addWidget(self.button)
        controls.addStretch(1)
        cards = QHBoxLayout()
        self.cards = {kind: _Count(kind, label, meaning, tip) for kind, label, meaning, tip in CLASSES}
        for count in self.cards.values():
            count.set_count(None)
            cards.addWidget(count, 1)
        self.summary = QLabel("Test how robust the portfolio is: which options are funded whatever the weights, and which depend on them.")
        self.summary.setObjectName("caption")
        self.summary.setWordWrap(True)
        self.model = CellTableModel(COLUMNS, TIPS, self)
        self.view = cell_table(self.model, "Robustness by option", "How often each option is funded across the samples", self)
        set_widths(self.view, {1: 170, 2: 150, 3: 170}, stretch=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(cards)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.button.clicked.connect(self.test_requested)

    def chosen_mode(self) -> str:
        return str(self.mode.currentData())

    def show_run(self, run: RobustnessRun) -> None:
        if run.infeasible == run.samples:
            self.clear(f"No portfolio keeps every rule in “{run.scenario}” in any sample, so there is nothing to count. "
                       "Run the allocation to see which rules conflict.")
            return
        self.model.set_rows(run.rows, run.keys)
        for kind, count in zip(("core", "borderline", "exterior"), run.counts, strict=True):
            self.cards[kind].set_count(count)
        solved = run.samples - run.infeasible
        failed = f" In {run.infeasible} samples no portfolio kept every rule; they are left out of the count." if run.infeasible else ""
        self.summary.setText(f"{run.samples} samples of {run.description}, scenario “{run.scenario}”: each option's share of "
                             f"the {solved} solved samples in which it is funded, borderline options first.{failed}")

    def clear(self, message: str = "") -> None:
        self.model.clear()
        for count in self.cards.values():
            count.set_count(None)
        if message:
            self.summary.setText(message)
