"""One allocation run, start to finish, as the worker does it: freeze the plan and scenario,
solve, explain, trace the frontier, prepare what the view shows, and store the result.
Plain Python: no Qt, so it can be tested and timed on its own."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from placeplanner.engine.conflicts import Conflict, find_conflict
from placeplanner.engine.explain import OptionReason, why
from placeplanner.engine.frontier import FrontierPoint, default_factors, frontier
from placeplanner.engine.greedy import GreedyResult, greedy
from placeplanner.engine.progress import RunState
from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.gui.allocation_data import (
    PortfolioRow,
    Row,
    SpendBreakdown,
    portfolio_cells,
    portfolio_rows,
    spend_breakdowns,
)
from placeplanner.gui.allocation_relax import Relaxation, relaxations
from placeplanner.service import PlanService
from placeplanner.service.allocation import SolveReport, report_json, settings_json, snapshot_plan

FRONTIER_POINTS = 15
# Explaining an option re-solves with it flipped; above this many options the view explains
# the selected option on demand instead of all of them up front.
EXPLAIN_ALL_UP_TO = 200


@dataclass(frozen=True, slots=True)
class AllocationRun:
    """Everything the view shows, computed in the worker from a frozen snapshot."""

    inp: EngineInput
    allocation: Allocation
    greedy: GreedyResult
    conflict: Conflict | None
    reasons: tuple[OptionReason, ...]
    frontier: tuple[FrontierPoint, ...]
    rows: tuple[PortfolioRow, ...] = ()
    cells: tuple[Row, ...] = ()
    spend: tuple[SpendBreakdown, ...] = ()
    not_stored: str = ""  # why the run could not be stored, if it could not
    relaxations: tuple[Relaxation, ...] = ()  # when rules conflict: a way to relax each
    scenario: str = ""  # "" for the plan as it stands
    result_id: int | None = None  # the stored, immutable result a decision can adopt
    plan_mark: int | None = None  # the audit log's last entry when the plan was read (see service.staleness)


def run_allocation(inp: EngineInput, settings: SolverSettings, state: RunState, scenario: str = "") -> AllocationRun:
    """Solve, explain, trace the frontier and prepare what the view shows: plain engine calls."""
    state.step(0, 1, "Finding the best portfolio")
    result = allocate(inp, settings)
    ranked = greedy(inp)
    conflict = None
    reasons: tuple[OptionReason, ...] = ()
    points: tuple[FrontierPoint, ...] = ()
    if result.objective is None:
        state.step(0, 1, "Finding which rules conflict")
        conflict = find_conflict(inp, settings)
    else:
        if len(inp.options) <= EXPLAIN_ALL_UP_TO:
            reasons = tuple(why(inp, result, settings, relabel(state, "Explaining each option")))
        points = tuple(frontier(inp, factors=default_factors(FRONTIER_POINTS), settings=settings,
                                state=relabel(state, "Tracing the frontier"), workers=1))
    state.step(0, 1, "Preparing the pictures")
    rows = portfolio_rows(inp, result, reasons) if result.objective is not None else ()
    return AllocationRun(
        inp, result, ranked, conflict, reasons, points, rows,
        tuple(portfolio_cells(r, explain_on_demand=not reasons) for r in rows),
        spend_breakdowns(inp, result) if result.objective is not None else (), scenario=scenario,
    )


def allocate_scenario(service: PlanService, scenario: str, settings: SolverSettings, state: RunState) -> AllocationRun:
    """The worker's whole job for one run: freeze the plan and scenario, solve, and store the result
    (reading and writing a large plan take longer than the window may pause)."""
    state.step(0, 1, "Reading the plan")
    mark = service.plan_mark()  # any change after it is after the run
    inp = snapshot_plan(service, scenario or None)
    run = replace(run_allocation(inp, settings, state, scenario), plan_mark=mark)
    if run.conflict is not None:
        stored = next((s for s in service.read().scenarios if s.name == scenario), None)
        base = scenario or "The plan"
        run = replace(run, relaxations=tuple(relaxations(run.conflict, run.inp, base, stored.settings if stored else {})))
    if not service.writable:
        return run
    state.step(0, 1, "Storing the result")
    try:
        result_id = service.record_result(
            scenario=scenario, solver=settings.name,
            inputs={"snapshot": plain(inp), "settings": settings_json(settings)},
            result=report_json(SolveReport(scenario, inp, run.allocation, run.greedy, run.conflict)), mark=mark,
        )
    except Exception as exc:  # the answer is still worth showing; say it was not kept
        return replace(run, not_stored=f"The result could not be stored in the plan: {exc}")
    return replace(run, result_id=result_id)


def plain(value: Any) -> Any:
    """A snapshot as ``json.loads(inp.to_json())`` gives it (dataclasses as dicts, tuples as
    lists), built in Python: that one C call holds the interpreter, and so the window, ~40 ms
    on a 5,000-option plan."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value) if not f.name.startswith("_")}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def relabel(state: RunState, label: str) -> RunState:
    """The same cancel switch, with progress reported under a label the user understands."""
    outer = state

    class _Labelled(RunState):
        def step(self, done: int, total: int, message: str = "") -> None:
            outer.step(done, total, label)

    return _Labelled()
