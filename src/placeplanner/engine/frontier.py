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
from placeplanner.engine.progress import RunState
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings


PARALLEL_FROM = 8  # fewer points than this are not worth starting worker processes for


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
    if len(factors) < PARALLEL_FROM or (workers or 2) < 2:
        points = []
        for index, factor in enumerate(factors):
            points.append(_point(inp, factor, stream, settings))
            state.step(index + 1, len(factors), f"budget {index + 1} of {len(factors)}")
        return points
    # Points are independent: spread them over the cores, in order, cancelling between points.
    with ProcessPoolExecutor(max_workers=workers or min(2, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(_point, inp, factor, stream, settings) for factor in factors]
        try:
            points = []
            for index, future in enumerate(futures):
                points.append(future.result())
                state.step(index + 1, len(factors), f"budget {index + 1} of {len(factors)}")
            return points
        finally:
            for future in futures:
                future.cancel()


def _point(inp: EngineInput, factor: float, stream: str | None, settings: SolverSettings) -> FrontierPoint:
    at = scaled(inp, factor, stream)
    result = allocate(at, settings)
    ranked = greedy(at)
    return FrontierPoint(
        factor=factor, budget=round(total_budget(at), 2), status=result.status, objective=result.objective,
        greedy_objective=ranked.objective, selected=result.selected_names, greedy_selected=ranked.selected,
    )
