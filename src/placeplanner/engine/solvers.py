"""Our one small interface over the solvers PuLP drives, so the choice can change.

The default is CBC (bundled with PuLP 3, run as a subprocess), chosen on figures measured here
(benchmarks/engine_solve.py, benchmarks/orlib_solve.py; quoted in the README): it was faster
than HiGHS on generated plans of 300 and 1,000 options and on a 50-point frontier, and proved
optimality on 46 of the 60 OR-Library mknapcb problems in 10 s against HiGHS's 22. HiGHS (in
process through highspy) stays fully supported and is what PuLP 4 will leave us.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any

import pulp

SOLVERS = ("cbc", "highs")
DEFAULT_SOLVER = "cbc"


@dataclass(frozen=True, slots=True)
class SolverSettings:
    name: str = DEFAULT_SOLVER
    time_limit: float | None = None  # seconds
    gap: float = 0.0  # relative gap at which to stop; 0 proves optimality
    threads: int = 1  # one thread keeps results reproducible


@dataclass(frozen=True, slots=True)
class SolveOutcome:
    status: str  # optimal, feasible, infeasible, stopped, error
    objective: float | None
    bound: float | None
    seconds: float  # the whole solve call: handing the model over, solving, reading the answer
    solver_seconds: float | None = None  # the solver's own time, where it says


def make_solver(settings: SolverSettings) -> Any:
    if settings.name == "cbc":
        return pulp.COIN_CMD(
            path=bundled_cbc(), msg=False, timeLimit=settings.time_limit, gapRel=settings.gap, threads=settings.threads
        )
    if settings.name == "highs":
        return pulp.HiGHS(msg=False, timeLimit=settings.time_limit, gapRel=settings.gap, threads=settings.threads)
    raise ValueError(f"unknown solver {settings.name!r}; choose one of {', '.join(SOLVERS)}")


def bundled_cbc() -> str:
    """The CBC program PuLP 3 ships (we pin < 4, which drops it). PuLP names it
    'pulp/apis/../solverdir/cbc/OS/ARCH/cbc'; a frozen app has no 'pulp/apis' folder on disk
    for the '..' to climb out of, so we resolve the name first. The installers' spec collects the
    program at the resolved place; from a checkout or a wheel it is the same file PuLP would run."""
    from pulp.apis import coin_api

    return os.path.normpath(str(coin_api.PULP_CBC_CMD.pulp_cbc_path))


def solve_problem(problem: Any, settings: SolverSettings) -> SolveOutcome:
    """Solve and say honestly what happened. PuLP's status says "Optimal" even when a time
    limit stopped the solver; its ``sol_status`` tells the truth."""
    import time

    solver = make_solver(settings)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            problem.solve(solver)
        except pulp.PulpSolverError as exc:
            return SolveOutcome(f"error: {exc}", None, None, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    own = _solver_seconds(problem, settings)
    status, sol_status = problem.status, problem.sol_status
    objective = pulp.value(problem.objective)
    if objective is None and sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        objective = 0.0  # an objective with no terms left (every value zero) is worth nothing
    bound = _bound(problem, settings)
    if sol_status == pulp.LpSolutionOptimal and status == pulp.LpStatusOptimal:
        if bound is None and settings.gap > 0 and objective is not None:
            # CBC stopped within the relative gap but does not tell us its bound: this one is proven.
            return SolveOutcome("feasible", objective, objective * (1 + settings.gap), seconds, own)
        gap = _relative_gap(objective, bound)
        if settings.gap == 0 or gap is None or gap <= 1e-9:
            return SolveOutcome("optimal", objective, objective if bound is None else bound, seconds, own)
        return SolveOutcome("feasible", objective, bound, seconds, own)
    if sol_status == pulp.LpSolutionIntegerFeasible:
        return SolveOutcome("stopped", objective, bound, seconds, own)
    if status == pulp.LpStatusInfeasible or sol_status == pulp.LpSolutionInfeasible:
        return SolveOutcome("infeasible", None, None, seconds, own)
    if sol_status == pulp.LpSolutionNoSolutionFound:
        return SolveOutcome("stopped", None, bound, seconds, own)
    return SolveOutcome(f"error: solver said {pulp.LpStatus.get(status, status)}", None, None, seconds, own)


def _solver_seconds(problem: Any, settings: SolverSettings) -> float | None:
    """HiGHS reports its own run time; for CBC, PuLP times the subprocess (file hand-over included)."""
    if settings.name == "highs" and getattr(problem, "solverModel", None) is not None:
        try:
            return float(problem.solverModel.getRunTime())
        except (AttributeError, TypeError, ValueError):
            return None
    seconds = getattr(problem, "solutionTime", None)
    return float(seconds) if seconds is not None else None


def _bound(problem: Any, settings: SolverSettings) -> float | None:
    """The best bound the solver proved, where it tells us (HiGHS does; CBC through PuLP does not)."""
    if settings.name != "highs" or getattr(problem, "solverModel", None) is None:
        return None
    try:
        model = problem.solverModel
        bound = float(model.getInfo().mip_dual_bound)
        minimising = str(model.getObjectiveSense()[1]).endswith("kMinimize")
    except (AttributeError, TypeError, ValueError, IndexError):
        return None
    if abs(bound) >= 1e300:
        return None
    # PuLP hands HiGHS a maximisation as the minimisation of its negative.
    return -bound if minimising and problem.sense == pulp.LpMaximize else bound


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)
