"""The allocation a facilitator runs in the middle of a meeting, on the scores agreed so far, to put
the portfolio and the frontier in front of the room. Plain Python: the worker runs it, the
projector shows what it returns, and the run is stored like any other, on the record."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from placeplanner.engine import spend
from placeplanner.engine.frontier import FrontierPoint, default_factors, frontier
from placeplanner.engine.greedy import greedy
from placeplanner.engine.progress import RunState
from placeplanner.engine.snapshot import EngineInput, take_snapshot
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.model import PlanData
from placeplanner.model.records import OptionStatus
from placeplanner.money import MONEY, Reconciliation
from placeplanner.service.allocation import (
    SolveReport,
    individual_means,
    report_json,
    settings_json,
)
from placeplanner.service.plan_service import PlanService

# Few enough points to trace in seconds on a meeting's laptop, enough to show the curve's bend.
ROOM_FRONTIER_POINTS = 11
# A room is waiting: each solve stops within 0.1% of the best or after 20 s (a CBC solve cannot be
# interrupted, so this is also how long closing the window may wait for it).
ROOM_SOLVER = SolverSettings(time_limit=20, gap=0.001)
ROOM_SOLVE_LIMIT_MS = 25_000


@dataclass(frozen=True, slots=True)
class FundedLine:
    name: str
    level: str  # "Full", a level's name, or a share such as "65%"
    cost: float  # money over the plan's years at the funded share
    value: float


@dataclass(frozen=True, slots=True)
class ScoreBasis:
    """What the options' values rest on: how many options in consideration have an agreed score for
    every value, how many lean on the mean of individual scores so far, and how many have none."""

    agreed: int
    provisional: int
    unscored: int


@dataclass(frozen=True, slots=True)
class RoomAllocation:
    meeting: str
    ran_at: datetime
    status: str  # optimal, feasible, stopped, infeasible, error
    budget: float  # money over the plan's years
    spend: float
    released: float  # money that funded decommissions free for other options
    value: float | None
    greedy_value: float
    funded: tuple[FundedLine, ...]
    left_out: tuple[str, ...]  # in consideration but not funded, the most valuable first
    considered: int
    basis: ScoreBasis
    frontier: tuple[FrontierPoint, ...]
    explanation: str = ""  # why there is no portfolio, when there is none
    result_id: int | None = None

    @property
    def has_portfolio(self) -> bool:
        return self.value is not None

    @property
    def reconciliation(self) -> Reconciliation:
        """Budget, plus what decommissions release, is what is available; the spend; what is left."""
        return Reconciliation(self.budget, self.released, self.spend)


def score_basis(plan: PlanData, scored: Collection[tuple[str, str]]) -> ScoreBasis:
    """``scored``: the (option, value) pairs with at least one individual score."""
    agreed = {(s.option, s.value) for s in plan.agreed_scores}
    values = [v.name for v in plan.values]
    counts = {"agreed": 0, "provisional": 0, "unscored": 0}
    for option in plan.options:
        if option.status == OptionStatus.OUT_OF_CONSIDERATION:
            continue
        keys = [(option.name, v) for v in values]
        if all(k in agreed for k in keys):
            counts["agreed"] += 1
        elif any(k in agreed or k in scored for k in keys):
            counts["provisional"] += 1
        else:
            counts["unscored"] += 1
    return ScoreBasis(**counts)


def allocate_for_room(service: PlanService, meeting: str, state: RunState, *, policy: str | None = None,
                      settings: SolverSettings | None = None, points: int = ROOM_FRONTIER_POINTS) -> RoomAllocation:
    """Solve the plan as it stands (agreed scores, else the room's mean so far under the meeting's
    conflict ``policy``), trace the frontier, and store the run with the meeting's name (the
    decision dialog offers that meeting when the result is adopted)."""
    settings = settings or ROOM_SOLVER
    state.step(0, 1, "Reading the plan")
    mark = service.plan_mark()  # before the plan is read: any change after it is after the run
    plan = service.read()
    means = individual_means(service, policy)
    inp = take_snapshot(plan, None, means)
    state.step(0, 1, "Finding the best portfolio")
    result = allocate(inp, settings)
    ranked = greedy(inp)
    points_traced: tuple[FrontierPoint, ...] = ()
    if result.has_portfolio:
        state.step(0, points, "Tracing the frontier")
        points_traced = tuple(frontier(inp, factors=default_factors(points), settings=settings, state=state, workers=1))
    result_id = None
    if service.writable:
        state.step(0, 1, "Storing the result")
        stored = report_json(SolveReport("", inp, result, ranked, None))
        stored["meeting"] = meeting
        if policy is not None:  # the means it rests on, so whether it is still current can be told
            stored["conflict_policy"] = policy
        result_id = service.record_result(
            scenario="", solver=settings.name,
            inputs={"snapshot": _plain(inp), "settings": settings_json(settings)}, result=stored, mark=mark,
        )
    explanation = "" if result.has_portfolio else _no_portfolio(result.status)
    money = spend.reconcile(inp, result)
    return RoomAllocation(
        meeting=meeting, ran_at=datetime.now(), status=result.status, budget=money.budget,
        spend=money.spent, released=money.released,
        value=result.objective if result.has_portfolio else None, greedy_value=ranked.objective,
        funded=tuple(FundedLine(f.name, f.level, _cost(inp, f.name, f.share), f.value) for f in result.funded),
        left_out=tuple(o.name for o in sorted(inp.options, key=lambda o: -o.value)
                       if not o.excluded and o.name not in result.selected_names),
        considered=sum(1 for o in inp.options if not o.excluded), basis=score_basis(plan, means.keys()),
        frontier=points_traced, explanation=explanation, result_id=result_id,
    )


def _cost(inp: EngineInput, name: str, share: float) -> float:
    """Net money over the plan's years: negative for a decommission, which frees money."""
    return spend.option_costs(inp, inp.option(name), share).get(MONEY, 0.0)


def _no_portfolio(status: str) -> str:
    if status == "infeasible":
        return "No portfolio meets every rule within the budget. The Allocation screen shows which rules conflict."
    return "The solver found no portfolio in the time allowed."


def _plain(inp: EngineInput) -> object:
    import json

    return json.loads(inp.to_json())
