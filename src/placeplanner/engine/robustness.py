"""How robust is the portfolio to uncertain weights or scores? Solve many samples; count.

Each option's core index is the share of samples in which it is funded: core (always),
exterior (never), borderline (sometimes). Samples are independent, so they are spread over
the machine's cores; each worker builds the model once and changes only its objective.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pulp

from placeplanner.engine.model import build_model
from placeplanner.engine.progress import RunState
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solvers import SolverSettings, solve_problem

CHUNK = 10


@dataclass(frozen=True, slots=True)
class CoreIndex:
    name: str
    core_index: float
    label: str  # core, borderline, exterior


@dataclass(frozen=True, slots=True)
class Robustness:
    mode: str  # weights or scores
    samples: int
    infeasible_samples: int
    options: tuple[CoreIndex, ...]


def label(index: float) -> str:
    if index >= 1 - 1e-9:
        return "core"
    if index <= 1e-9:
        return "exterior"
    return "borderline"


def weight_samples(inp: EngineInput, count: int, seed: int, weight_sets: Sequence[Sequence[float]] = (), spread: float = 0.3) -> list[dict[str, float]]:
    """Option values under sampled weights: drawn from the partners' and participants' own
    weight sets where there are any, else each agreed weight varied by up to +/- ``spread``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not secrecy
    samples = []
    for _ in range(count):
        if weight_sets:
            raw = list(rng.choice(list(weight_sets)))
        else:
            raw = [w * rng.uniform(1 - spread, 1 + spread) for w in inp.weights]
        total = sum(raw) or 1.0
        weights = [100 * w / total for w in raw]
        samples.append({o.name: sum(w * p for w, p in zip(weights, o.value_parts, strict=True)) for o in inp.options})
    return samples


def score_samples(inp: EngineInput, count: int, seed: int, spreads: Mapping[tuple[str, int], Sequence[float]]) -> list[dict[str, float]]:
    """Option values with each agreed part replaced by one drawn from the individual scores'
    spread (``spreads[(option, value index)]``: candidate parts); parts without scores stay."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not secrecy
    samples = []
    for _ in range(count):
        values = {}
        for option in inp.options:
            parts = [
                rng.choice(list(spreads[(option.name, i)])) if spreads.get((option.name, i)) else part
                for i, part in enumerate(option.value_parts)
            ]
            values[option.name] = sum(w * p for w, p in zip(inp.weights, parts, strict=True))
        samples.append(values)
    return samples


def _solve_chunk(inp: EngineInput, values: list[dict[str, float]], settings: SolverSettings) -> tuple[list[set[str]], int]:
    built = build_model(inp)
    funded_sets = []
    infeasible = 0
    for sample in values:
        built.problem.setObjective(pulp.lpSum(sample[o.name] * built.value_share[o.name] for o in inp.options))
        outcome = solve_problem(built.problem, settings)
        if outcome.objective is None:
            infeasible += 1
            continue
        funded_sets.append({o.name for o in inp.options if (pulp.value(built.selected[o.name]) or 0) > 0.5})
    return funded_sets, infeasible


def robustness(
    inp: EngineInput,
    values: list[dict[str, float]],
    *,
    mode: str = "weights",
    settings: SolverSettings | None = None,
    state: RunState | None = None,
    workers: int | None = None,
) -> Robustness:
    settings = settings or SolverSettings()
    state = state or RunState()
    chunks = [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]
    counts = dict.fromkeys((o.name for o in inp.options), 0)
    solved = infeasible = 0
    workers = workers or min(2, os.cpu_count() or 1)
    state.step(0, len(values), "sampling")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_solve_chunk, inp, chunk, settings) for chunk in chunks]
        try:
            for done, future in enumerate(futures, start=1):
                funded_sets, failed = future.result()
                infeasible += failed
                for funded in funded_sets:
                    solved += 1
                    for name in funded:
                        counts[name] += 1
                state.step(min(done * CHUNK, len(values)), len(values), f"{min(done * CHUNK, len(values))} of {len(values)} samples")
        finally:
            for future in futures:
                future.cancel()
    options = tuple(
        CoreIndex(name, round(count / solved, 6) if solved else 0.0, label(count / solved if solved else 0.0))
        for name, count in counts.items()
    )
    return Robustness(mode, len(values), infeasible, options)
