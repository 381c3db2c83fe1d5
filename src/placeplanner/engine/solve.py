"""Solving a snapshot: build, solve, read back. The one entry point the rest of the program uses."""

from __future__ import annotations

import time
from collections.abc import Collection

from placeplanner.engine.model import BuiltModel, Group, build_model
from placeplanner.engine.result import Allocation, read_allocation
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solvers import SolverSettings, solve_problem


def allocate(
    inp: EngineInput,
    settings: SolverSettings | None = None,
    *,
    without: Collection[Group] = (),
    fixed: dict[str, bool] | None = None,
) -> Allocation:
    """The portfolio with the most weighted value that keeps every rule (less ``without``)."""
    settings = settings or SolverSettings()
    started = time.perf_counter()
    built = build_model(inp, without=without, fixed=fixed)
    return solve_built(built, settings, build_seconds=time.perf_counter() - started)


def solve_built(built: BuiltModel, settings: SolverSettings, *, build_seconds: float = 0.0) -> Allocation:
    """Solve a model already built (perhaps with its budgets moved) and read the answer back."""
    inp = built.inp
    outcome = solve_problem(built.problem, settings)
    funded, spend, released = read_allocation(built, outcome.status, outcome.objective, outcome.bound)
    objective = None if outcome.objective is None else round(outcome.objective, 9)
    return Allocation(
        status=outcome.status, objective=objective, bound=outcome.bound, funded=funded, spend=spend,
        released=released, solver=settings.name, build_seconds=build_seconds, solve_seconds=outcome.seconds,
        solver_seconds=outcome.solver_seconds,
        notes=inp.notes,
    )
