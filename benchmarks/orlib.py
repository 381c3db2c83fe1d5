"""OR-Library multidimensional knapsack problems, read and turned into PlacePlanner plans.

The files (J.E. Beasley's OR-Library; provenance in the shared folder's SOURCES.md) come in two
layouts:

* ``mknap1.txt`` and ``mknapcb*.txt``: the number of problems, then for each problem
  ``n m optimum`` (optimum 0 when unknown), n profits, m rows of n weights, m capacities.
* ``mknap2.txt``: free text in which each problem follows a line ``problem NAME.DAT`` and
  reads ``m n``, n profits, m capacities, m rows of n weights, optimum. Note the other order:
  constraints before items in the header, capacities before the weights.

Numbers are whitespace-separated and wrap across lines anywhere, so both are read as a stream
of tokens. A problem becomes a plan with one all-or-nothing option per item (its value the
profit) and one non-money stream per constraint (its amount the capacity), every weight a
cost charged to that named stream in one year.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, StreamIn, Switches

YEAR = 2027
PARTNER = "OR-Library"
UNIT = "units"  # not money: each cost is charged to the stream it names, never pooled
SETS = ("mknap1", "mknap2", "mknapcb1", "mknapcb4")
ENV_DIR = "PLACEPLANNER_ORLIB_DIR"
_PROBLEM_LINE = re.compile(r"^[ \t]*problem[ \t]+(\S+)[ \t]*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Knapsack:
    """One 0/1 multidimensional knapsack problem: maximise profit within every capacity."""

    name: str
    profits: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # m rows (constraints) of n weights (items)
    capacities: tuple[float, ...]
    known_optimum: float | None = None  # proven optimum stated in the file
    best_known: float | None = None  # Chu & Beasley (1998) best feasible value, for the cb sets

    @property
    def n_items(self) -> int:
        return len(self.profits)

    @property
    def m_constraints(self) -> int:
        return len(self.capacities)

    @property
    def target(self) -> float | None:
        """The value to reach: the proven optimum, else the best known."""
        return self.known_optimum if self.known_optimum is not None else self.best_known


# --- reading -------------------------------------------------------------------------------


def data_dir() -> Path:
    """The folder holding the files: $PLACEPLANNER_ORLIB_DIR, else the copy in tests/data (the
    sets are small, 344 KB, and kept with the repo so the tests never depend on a folder beside it)."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "tests" / "data" / "orlib-mknap"


def numbers(text: str, where: str) -> list[float]:
    """Every whitespace-separated number in ``text``, ``//`` comments dropped."""
    values = []
    for line in text.splitlines():
        for token in line.split("//", 1)[0].split():
            try:
                values.append(float(token))
            except ValueError:
                raise ValueError(f"{where}: {token!r} is not a number") from None
    return values


def _take(stream: Iterator[float], count: int, where: str) -> tuple[float, ...]:
    """The next ``count`` numbers, or a clear error if the data runs out."""
    taken = tuple(value for _, value in zip(range(count), stream, strict=False))
    if len(taken) != count:
        raise ValueError(f"{where}: expected {count} more numbers, found {len(taken)}")
    return taken


def _rows(values: tuple[float, ...], m: int, n: int) -> tuple[tuple[float, ...], ...]:
    """A flat run of m*n numbers as m rows of n."""
    return tuple(values[i * n:(i + 1) * n] for i in range(m))


def _count(value: float, where: str) -> int:
    """A number that must be a non-negative whole count (of problems, items, constraints)."""
    if value != int(value) or value < 0:
        raise ValueError(f"{where}: {value} is not a count")
    return int(value)


def parse_beasley(text: str, prefix: str) -> list[Knapsack]:
    """Problems in the mknap1/mknapcb layout, named ``{prefix}-{1-based index}``."""
    stream = iter(numbers(text, prefix))
    total = _count(_take(stream, 1, prefix)[0], f"{prefix} problem count")
    problems = []
    for index in range(1, total + 1):
        name = f"{prefix}-{index}"
        n, m = (_count(v, name) for v in _take(stream, 2, name))
        optimum = _take(stream, 1, name)[0]
        profits = _take(stream, n, name)
        weights = _rows(_take(stream, m * n, name), m, n)
        capacities = _take(stream, m, name)
        problems.append(Knapsack(name, profits, weights, capacities, optimum or None))
    if next(stream, None) is not None:
        raise ValueError(f"{prefix}: numbers left over after {total} problems")
    return problems


def parse_mknap2_problem(name: str, body: str) -> Knapsack:
    """One problem of mknap2.txt: the text after its ``problem NAME`` line.

    Lines of ``+`` only separate problems; everything else must be exactly the problem's numbers.
    """
    kept = "\n".join(line for line in body.splitlines() if line.strip().strip("+"))
    values = numbers(kept, name)
    if len(values) < 2:
        raise ValueError(f"{name}: no 'm n' header")
    m, n = _count(values[0], name), _count(values[1], name)
    expected = 2 + n + m + m * n + 1
    if len(values) != expected:
        raise ValueError(f"{name}: {m} constraints x {n} items need {expected} numbers, found {len(values)}")
    profits = tuple(values[2:2 + n])
    capacities = tuple(values[2 + n:2 + n + m])
    weights = _rows(tuple(values[2 + n + m:-1]), m, n)
    return Knapsack(name, profits, weights, capacities, values[-1])


def parse_mknap2(text: str) -> list[Knapsack]:
    """Every named problem of mknap2.txt; the introduction and its worked example are skipped."""
    parts = _PROBLEM_LINE.split(text)  # [preamble, name1, body1, name2, body2, ...]
    return [parse_mknap2_problem(name, body) for name, body in zip(parts[1::2], parts[2::2], strict=True)]


def read_csv(filename: str) -> list[dict[str, str]]:
    """A derived table from the data folder (optima, Chu-Beasley results) as dictionaries."""
    with (data_dir() / filename).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _with_best_known(problems: list[Knapsack], set_name: str) -> list[Knapsack]:
    """Name the cb problems as Chu & Beasley do (e.g. 5.100-00) and attach their best values."""
    rows = {int(r["problem_index_1based"]): r for r in read_csv("mkcbres_parsed.csv") if r["file"] == set_name}
    named = []
    for index, problem in enumerate(problems, start=1):
        row = rows.get(index)
        if row is None:
            named.append(problem)
            continue
        if (int(row["n"]), int(row["m"])) != (problem.n_items, problem.m_constraints):
            raise ValueError(f"{problem.name}: size {problem.n_items}x{problem.m_constraints} differs from {row['cb_name']} in mkcbres_parsed.csv")
        named.append(Knapsack(row["cb_name"], problem.profits, problem.weights, problem.capacities,
                              problem.known_optimum, float(row["chu_beasley_1998_best_feasible"])))
    return named


def load_set(name: str) -> list[Knapsack]:
    """The problems of one file: "mknap1", "mknap2" or "mknapcbN" (N = 1..9, where present)."""
    path = data_dir() / f"{name}.txt"
    text = path.read_text(encoding="ascii")
    if name == "mknap2":
        return parse_mknap2(text)
    if name == "mknap1":
        return parse_beasley(text, name)
    if re.fullmatch(r"mknapcb[1-9]", name):
        return _with_best_known(parse_beasley(text, name), name)
    raise ValueError(f"unknown OR-Library set {name!r}; known: {', '.join(SETS)}")


# --- converting and checking -----------------------------------------------------------------


def item_name(index: int) -> str:
    """The option standing for item ``index`` (0-based)."""
    return f"item{index + 1:03d}"


def item_index(name: str) -> int:
    """The 0-based item an option name stands for."""
    return int(name.removeprefix("item")) - 1


def to_engine_input(k: Knapsack) -> EngineInput:
    """The problem as a plan: items are all-or-nothing options, constraints non-money streams."""
    full = (LevelIn("Full", 1.0, 1.0),)
    options = tuple(
        OptionIn(
            name=item_name(j), kind="invest", lead_partner=PARTNER, value=profit, levels=full,
            costs=tuple((f"c{i}", YEAR, float(row[j])) for i, row in enumerate(k.weights) if row[j] != 0),
        )
        for j, profit in enumerate(k.profits)
    )
    streams = tuple(StreamIn(f"c{i}", PARTNER, UNIT, ((YEAR, capacity),)) for i, capacity in enumerate(k.capacities))
    return EngineInput(place=k.name, years=(YEAR,), options=options, streams=streams, rules=(), switches=Switches())


def evaluate(k: Knapsack, chosen: Collection[int], tolerance: float = 1e-6) -> tuple[float, bool]:
    """Profit of the chosen items and whether they fit every capacity: a check free of the model."""
    profit = sum(k.profits[j] for j in chosen)
    fits = all(sum(row[j] for j in chosen) <= capacity + tolerance for row, capacity in zip(k.weights, k.capacities, strict=True))
    return profit, fits
