"""OR-Library multidimensional knapsack sets solved through our plan model, CBC against HiGHS.

Every problem is converted to a plan (benchmarks/orlib.py), solved by ``allocate`` with a time
limit and a zero gap, and compared with its proven optimum (mknap1, mknap2) or Chu & Beasley's
best known value (mknapcb*). Each portfolio is also checked against the raw problem, free of
the model: it must fit every capacity and earn the objective reported. Prints figures; asserts
nothing.

    .venv/bin/python benchmarks/orlib_solve.py [--sets mknap1,mknap2,mknapcb1,mknapcb4] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.orlib import SETS, Knapsack, evaluate, item_index, load_set, to_engine_input  # noqa: E402
from placeplanner.engine.solve import allocate  # noqa: E402
from placeplanner.engine.solvers import SOLVERS, SolverSettings  # noqa: E402

TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Run:
    """One solver on one problem."""

    solver: str
    status: str
    objective: float | None
    gap: float | None  # proven relative gap, where the solver reports a bound
    seconds: float  # build + solve
    verdict: str  # "yes" (target reached), "no", or "ABOVE" (beats a proven or best-known value)
    checked: bool  # the portfolio fits every capacity and earns the objective reported


def verdict(objective: float | None, target: float | None) -> str:
    """Did the objective reach the target? "ABOVE" flags a value no feasible answer should have."""
    if objective is None or target is None:
        return "no"
    if objective > target + TOLERANCE:
        return "ABOVE"
    return "yes" if objective >= target - TOLERANCE else "no"


def solve(k: Knapsack, solver: str, time_limit: float, threads: int) -> Run:
    """Solve one problem with one solver and check the portfolio against the raw data."""
    result = allocate(to_engine_input(k), SolverSettings(solver, time_limit=time_limit, gap=0.0, threads=threads))
    profit, fits = evaluate(k, [item_index(name) for name in result.selected_names])
    checked = result.objective is None or (fits and abs(profit - result.objective) <= TOLERANCE)
    return Run(solver, result.status, result.objective, result.gap,
               result.build_seconds + result.solve_seconds, verdict(result.objective, k.target), checked)


def _number(value: float | None) -> str:
    """An objective or target for the table: whole numbers without decimals."""
    if value is None:
        return "-"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _status(run: Run) -> str:
    """The status, with the proven gap when the solver stopped short of proving optimality."""
    if run.status != "optimal" and run.gap is not None:
        return f"{run.status} {100 * run.gap:.2f}%"
    return run.status


def header(solvers: tuple[str, ...]) -> str:
    """The table's column titles: the problem, then objective, status, hit and seconds per solver."""
    cells = [f"{'problem':<12} {'n':>4} {'m':>3} {'target':>10}"]
    cells += [f"{s + ' obj':>10} {s + ' status':<18} {'hit':<5} {'s':>6}" for s in solvers]
    return " | ".join(cells)


def row(k: Knapsack, runs: list[Run]) -> str:
    """One problem's line of the table."""
    cells = [f"{k.name:<12} {k.n_items:>4} {k.m_constraints:>3} {_number(k.target):>10}"]
    for run in runs:
        flag = "" if run.checked else " BAD"  # the portfolio does not fit, or earns another value
        cells.append(f"{_number(run.objective):>10} {_status(run) + flag:<18} {run.verdict:<5} {run.seconds:>6.2f}")
    return " | ".join(cells)


def summary(set_name: str, solver: str, runs: list[Run]) -> str:
    """One solver's totals over a set."""
    seconds = [r.seconds for r in runs]
    reached = sum(r.verdict == "yes" for r in runs)
    optimal = sum(r.status == "optimal" for r in runs)
    bad = sum(not r.checked for r in runs)
    return (f"{set_name} {solver}: reached {reached}/{len(runs)}, proven optimal {optimal}/{len(runs)}, "
            f"failed checks {bad}; seconds total {sum(seconds):.2f}, mean {sum(seconds) / len(runs):.3f}, "
            f"max {max(seconds):.2f}")


def run_set(set_name: str, solvers: tuple[str, ...], time_limit: float, threads: int) -> list[str]:
    """Solve and print one set; returns the lines naming problems that missed their target."""
    problems = load_set(set_name)
    target = "proven optimum" if set_name in ("mknap1", "mknap2") else "Chu & Beasley best known"
    print(f"\n== {set_name}: {len(problems)} problems, target = {target}, time limit {time_limit:g} s")
    print(header(solvers))
    by_solver: dict[str, list[Run]] = {s: [] for s in solvers}
    misses = []
    for k in problems:
        runs = [solve(k, s, time_limit, threads) for s in solvers]
        print(row(k, runs), flush=True)
        for run in runs:
            by_solver[run.solver].append(run)
            if run.verdict != "yes" or not run.checked:
                misses.append(f"{set_name} {k.name} {run.solver}: {_number(run.objective)} vs {_number(k.target)} "
                              f"({_status(run)}, {run.seconds:.1f} s{'' if run.checked else ', CHECK FAILED'})")
    for solver, runs in by_solver.items():
        print(summary(set_name, solver, runs))
    return misses


def main(argv: list[str] | None = None) -> None:
    """Solve the sets asked for and list every problem that missed its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per solve (default 10)")
    parser.add_argument("--threads", type=int, default=1, help="solver threads (default 1)")
    parser.add_argument("--solvers", default=",".join(SOLVERS), help="comma-separated: cbc, highs")
    args = parser.parse_args(argv)
    solvers = tuple(s.strip() for s in args.solvers.split(",") if s.strip())
    misses = []
    for set_name in (s.strip() for s in args.sets.split(",") if s.strip()):
        misses += run_set(set_name, solvers, args.time_limit, args.threads)
    print("\nmissed targets:" if misses else "\nevery problem reached its target with every solver")
    for line in misses:
        print("  " + line)


if __name__ == "__main__":
    main()
