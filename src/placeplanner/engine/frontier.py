"""The efficient frontier: the best value at each budget, with the greedy ranking beside it.

Budgets scale every money stream together, or one stream alone. Each point is solved afresh,
so a portfolio may lose an option as the budget rises (a bigger budget can make a better
combination affordable): the points show that honestly rather than forcing them to nest.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from placeplanner.engine.greedy import greedy
from placeplanner.engine.model import BuiltModel, build_model
from placeplanner.engine.progress import RunState
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import solve_built
from placeplanner.engine.solvers import SolverSettings

PARALLEL_FROM = 8  # fewer points than this are not worth starting worker processes for
STEP = 5  # points per task: small enough to report progress and cancel promptly


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    factor: float  # of the plan's own budget
    budget: float  # total money over the plan's years at this point
    status: str
    objective: float | None
    greedy_objective: float
    selected: tuple[str, ...]
    greedy_selected: tuple[str, ...]


def total_budget(inp: EngineInput, stream: str | None = None) -> float:
    return sum(a for s in inp.streams if s.is_money and (stream is None or s.name == stream) for _, a in s.amounts)


def scaled(inp: EngineInput, factor: float, stream: str | None = None) -> EngineInput:
    streams = tuple(
        replace(s, amounts=tuple((y, a * factor) for y, a in s.amounts))
        if s.is_money and (stream is None or s.name == stream) else s
        for s in inp.streams
    )
    return replace(inp, streams=streams)


def default_factors(points: int) -> list[float]:
    """From a quarter of the budget to half as much again."""
    if points < 2:
        return [1.0]
    return [round(0.25 + 1.25 * i / (points - 1), 6) for i in range(points)]


def frontier(
    inp: EngineInput,
    *,
    factors: list[float] | None = None,
    budgets: list[float] | None = None,
    stream: str | None = None,
    settings: SolverSettings | None = None,
    state: RunState | None = None,
    workers: int | None = None,
) -> list[FrontierPoint]:
    settings = settings or SolverSettings()
    state = state or RunState()
    base = total_budget(inp, stream)
    if budgets is not None:
        others = total_budget(inp) - base if stream else 0.0
        factors = [max(b - others, 0.0) / base if base else 0.0 for b in budgets]
    factors = factors if factors is not None else default_factors(20)
    state.step(0, len(factors), "solving")
    workers = workers or min(2, os.cpu_count() or 1)
    if len(factors) < PARALLEL_FROM or workers < 2:
        chunks = [list(enumerate(factors))]
    else:
        # Points are independent: deal them out to the cores; each worker builds the model once.
        chunks = [list(enumerate(factors))[i::workers] for i in range(workers)]
    points: dict[int, FrontierPoint] = {}
    if len(chunks) == 1:
        built = build_model(inp)
        for index, factor in chunks[0]:
            points[index] = _point(inp, built, factor, stream, settings)
            state.step(len(points), len(factors), f"budget {len(points)} of {len(factors)}")
        return [points[i] for i in range(len(factors))]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_solve_points, inp, [chunk[i:i + STEP] for i in range(0, len(chunk), STEP)][k], stream, settings)
            for chunk in chunks for k in range((len(chunk) + STEP - 1) // STEP)
        ]
        try:
            for future in futures:
                points.update(future.result())
                state.step(len(points), len(factors), f"budget {len(points)} of {len(factors)}")
        finally:
            for future in futures:
                future.cancel()
    return [points[i] for i in range(len(factors))]


def _solve_points(inp: EngineInput, batch: list[tuple[int, float]], stream: str | None, settings: SolverSettings) -> dict[int, FrontierPoint]:
    built = build_model(inp)
    return {index: _point(inp, built, factor, stream, settings) for index, factor in batch}


def _point(inp: EngineInput, built: BuiltModel, factor: float, stream: str | None, settings: SolverSettings) -> FrontierPoint:
    at = scaled(inp, factor, stream)
    built.set_budgets(at.streams)
    built.inp = at
    result = solve_built(built, settings)
    ranked = greedy(at)
    return FrontierPoint(
        factor=factor, budget=round(total_budget(at), 2), status=result.status, objective=result.objective,
        greedy_objective=ranked.objective, selected=result.selected_names, greedy_selected=ranked.selected,
    )
