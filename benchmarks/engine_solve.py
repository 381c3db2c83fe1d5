"""Engine benchmark: generated plans of 300, 1,000 and 5,000 options (6 streams x 3 years),
with CBC and HiGHS side by side; a 50-point frontier on 1,000 options; 200 robustness
samples on 300 options; and the demo plan. Prints figures; asserts nothing.

Targets (issue 3): demo-sized and published cases proven optimal in < 1 s end to end; 300
options optimal or within 0.1% in < 10 s; 1,000 and 5,000 within 0.1% in < 10 s; never slower
than a naive PuLP model; time outside the solver < 25%; 50-point frontier on 1,000 options
< 10 s; 200 robustness samples on 300 options < 30 s.

    .venv/bin/python benchmarks/engine_solve.py [--sizes 300,1000,5000] [--solvers cbc,highs] [--skip-runs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.naive_model import naive_problem  # noqa: E402
from benchmarks.synthetic_engine import generated_input  # noqa: E402
from placeplanner.engine.frontier import default_factors, frontier  # noqa: E402
from placeplanner.engine.robustness import robustness, weight_samples  # noqa: E402
from placeplanner.engine.solve import allocate  # noqa: E402
from placeplanner.engine.solvers import SolverSettings, solve_problem  # noqa: E402

TIME_LIMIT = 10.0


def size_row(size: int, solver: str) -> None:
    inp = generated_input(size)
    gap = 0.0 if size <= 300 else 0.001
    started = time.perf_counter()
    result = allocate(inp, SolverSettings(solver, time_limit=TIME_LIMIT, gap=gap))
    total = time.perf_counter() - started
    inside = result.solver_seconds if result.solver_seconds is not None else result.solve_seconds
    outside = max(total - inside, 0.0)
    naive_started = time.perf_counter()
    naive = naive_problem(inp)
    naive_outcome = solve_problem(naive, SolverSettings(solver, time_limit=TIME_LIMIT, gap=gap))
    naive_total = time.perf_counter() - naive_started
    shown_gap = "n/a" if result.gap is None else f"{100 * result.gap:.3f}%"
    print(f"{size:>6} {solver:<6} {result.status:<9} gap {shown_gap:>7}  build {result.build_seconds:6.2f} s  "
          f"solver {inside:6.2f} s  end to end {total:6.2f} s  outside solver {100 * outside / total:4.1f}%  "
          f"| naive: {naive_outcome.status:<9} {naive_total:6.2f} s (objective {naive_outcome.objective or 0:,.1f} vs ours {result.objective or 0:,.1f})")


def frontier_run(solver: str) -> None:
    inp = generated_input(1000)
    started = time.perf_counter()
    points = frontier(inp, factors=default_factors(50), settings=SolverSettings(solver, time_limit=TIME_LIMIT, gap=0.001))
    seconds = time.perf_counter() - started
    print(f"frontier, 50 points on 1,000 options, {solver}: {seconds:.1f} s "
          f"({sum(p.status == 'optimal' for p in points)} proven optimal, others within 0.1%)   [target < 10 s]")


def robustness_run(solver: str) -> None:
    inp = generated_input(300)
    started = time.perf_counter()
    values = weight_samples(inp, 200, seed=1) if inp.weights else [
        {o.name: o.value * (0.7 + 0.6 * ((hash((o.name, k)) % 1000) / 1000)) for o in inp.options} for k in range(200)
    ]
    result = robustness(inp, values, settings=SolverSettings(solver, gap=0.001))
    seconds = time.perf_counter() - started
    labels = {label: sum(c.label == label for c in result.options) for label in ("core", "borderline", "exterior")}
    print(f"robustness, 200 samples on 300 options, 2 workers, {solver}: {seconds:.1f} s; {labels}   [target < 30 s]")


def demo_run(solver: str) -> None:
    import os

    from placeplanner.demo import write_demo_plan
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import solve_plan

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLACEPLANNER_HOME"] = tmp
        path = Path(tmp) / "demo.placeplan"
        write_demo_plan(path)
        with PlanService.open(path, write=False) as service:
            started = time.perf_counter()
            report = solve_plan(service, settings=SolverSettings(solver), record=False)
            seconds = time.perf_counter() - started
    print(f"demo plan ({len(report.snapshot.options)} options), {solver}: {report.allocation.status} in {seconds:.2f} s "
          f"end to end (read, snapshot, build, solve, greedy)   [target < 1 s]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="300,1000,5000")
    parser.add_argument("--solvers", default="cbc,highs")
    parser.add_argument("--skip-runs", action="store_true", help="skip the frontier and robustness runs")
    args = parser.parse_args()
    solvers = args.solvers.split(",")
    for solver in solvers:
        demo_run(solver)
    for size in (int(s) for s in args.sizes.split(",")):
        for solver in solvers:
            size_row(size, solver)
    if not args.skip_runs:
        for solver in solvers:
            frontier_run(solver)
            robustness_run(solver)


if __name__ == "__main__":
    main()
