"""Reading a solved model back into a plain result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulp

from placeplanner.engine.model import BuiltModel
from placeplanner.engine.snapshot import EngineInput

EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Funded:
    name: str
    level: str  # the level's name, or "Full", or a share such as "65%"
    share: float  # share of the full cost funded
    value: float  # weighted value delivered


@dataclass(frozen=True, slots=True)
class Allocation:
    """An answer: what is funded, how it is paid for, and how sure we are that it is the best."""

    status: str  # optimal, feasible, stopped, infeasible, error
    objective: float | None
    bound: float | None
    funded: tuple[Funded, ...] = ()
    spend: tuple[tuple[str, int, float], ...] = ()  # (stream, year, amount drawn)
    released: tuple[tuple[str, int, float], ...] = ()  # (stream, year, amount decommissions free)
    solver: str = ""
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, abs(self.bound - self.objective) / max(abs(self.objective), 1e-9))

    @property
    def selected_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.funded)

    @property
    def has_portfolio(self) -> bool:
        return self.status in {"optimal", "feasible", "stopped"} and self.objective is not None


def read_allocation(built: BuiltModel, status: str, objective: float | None, bound: float | None) -> tuple[tuple[Funded, ...], tuple[tuple[str, int, float], ...], tuple[tuple[str, int, float], ...]]:
    inp: EngineInput = built.inp
    if objective is None:
        return (), (), ()
    funded = []
    for option in inp.options:
        share = _value(built.cost_share[option.name])
        if _value(built.selected[option.name]) < 0.5:
            continue
        if option.name in built.share_vars:
            level = "Full" if share > 1 - EPSILON else f"{share:.0%}"
        else:
            level = next(
                (lv.name for i, lv in enumerate(option.levels) if _value(built.level_vars[(option.name, i)]) > 0.5),
                "Full",
            )
        funded.append(Funded(option.name, level, round(share, 9), round(option.value * _value(built.value_share[option.name]), 9)))
    spend: dict[tuple[str, int], float] = {}
    released: dict[tuple[str, int], float] = {}
    chosen = {f.name: f.share for f in funded}
    for (option_name, stream, year), var in built.allocation.items():
        if option_name in chosen:
            spend[(stream, year)] = spend.get((stream, year), 0.0) + _value(var)
    for option in inp.options:
        if option.name not in chosen:
            continue
        for stream, year, amount in option.costs:
            if amount < 0:
                released[(stream, year)] = released.get((stream, year), 0.0) - amount * chosen[option.name]
            elif (option.name, stream, year) not in built.allocation and not (inp.switches.pool_money and inp.stream(stream).is_money):
                spend[(stream, year)] = spend.get((stream, year), 0.0) + amount * chosen[option.name]
    return (
        tuple(funded),
        tuple((s, y, round(a, 2)) for (s, y), a in sorted(spend.items()) if abs(a) > 0.005),
        tuple((s, y, round(a, 2)) for (s, y), a in sorted(released.items()) if abs(a) > 0.005),
    )


def _value(expression: Any) -> float:
    result = pulp.value(expression)
    return float(result) if result is not None else 0.0
