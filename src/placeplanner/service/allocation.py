"""Allocating a plan's budget: snapshot, solve, compare with greedy, explain, and store the result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from placeplanner.engine.conflicts import Conflict, find_conflict
from placeplanner.engine.greedy import GreedyResult, greedy
from placeplanner.engine.result import Allocation
from placeplanner.engine.snapshot import EngineInput, take_snapshot
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings
from placeplanner.errors import Problem, ValidationError
from placeplanner.money import year_label
from placeplanner.service.conflicts import counted_scores
from placeplanner.service.plan_service import PlanService


@dataclass(frozen=True, slots=True)
class SolveReport:
    scenario: str
    snapshot: EngineInput
    allocation: Allocation
    greedy: GreedyResult
    conflict: Conflict | None
    snapshot_id: int | None = None


def snapshot_plan(service: PlanService, scenario: str | None = None) -> EngineInput:
    plan = service.read()
    chosen = None
    if scenario:
        chosen = next((s for s in plan.scenarios if s.name == scenario), None)
        if chosen is None:
            names = ", ".join(s.name for s in plan.scenarios) or "none yet"
            raise ValidationError([Problem(f"scenario '{scenario}'", f"is not in the plan (scenarios: {names})", inline=True)])
    return take_snapshot(plan, chosen, individual_means(service))


def individual_means(service: PlanService, policy: str | None = None) -> dict[tuple[str, str], float]:
    """Mean individual score per option and value, for options the group has not agreed yet;
    under the strict conflict policy (the plan's, unless a meeting sets its own) without the
    scores of those who declared an interest."""
    frame = counted_scores(service.scores_frame(), service.read(), policy)
    if frame.empty:
        return {}
    means = frame.dropna(subset=["score"]).groupby(["option", "value"], observed=True)["score"].mean()
    return {(str(key[0]), str(key[1])): float(mean) for key, mean in means.items() if isinstance(key, tuple)}


def solve_plan(service: PlanService, scenario: str | None = None, settings: SolverSettings | None = None, *, record: bool = True) -> SolveReport:
    settings = settings or SolverSettings()
    mark = service.plan_mark()  # before the plan is read: any change after it is after the run
    inp = snapshot_plan(service, scenario)
    report = solve_snapshot(inp, settings, scenario or "")
    if record and service.writable:
        snapshot_id = service.record_result(
            scenario=scenario or "", solver=settings.name,
            inputs={"snapshot": json.loads(inp.to_json()), "settings": settings_json(settings)},
            result=report_json(report), mark=mark,
        )
        report = SolveReport(report.scenario, inp, report.allocation, report.greedy, report.conflict, snapshot_id)
    return report


def solve_snapshot(inp: EngineInput, settings: SolverSettings, scenario: str = "") -> SolveReport:
    allocation = allocate(inp, settings)
    conflict = find_conflict(inp, settings) if allocation.status == "infeasible" else None
    return SolveReport(scenario, inp, allocation, greedy(inp), conflict)


def resolve_stored(service: PlanService, result_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Re-solve a stored snapshot from its own inputs: the stored and the fresh answer."""
    inputs, stored, _ = service.stored_result(result_id)
    inp = EngineInput.from_json(json.dumps(inputs["snapshot"]))
    settings = SolverSettings(**inputs["settings"])
    fresh = report_json(solve_snapshot(inp, settings, stored.get("scenario", "")))
    return stored, fresh


def settings_json(settings: SolverSettings) -> dict[str, Any]:
    return {"name": settings.name, "time_limit": settings.time_limit, "gap": settings.gap, "threads": settings.threads}


def report_json(report: SolveReport) -> dict[str, Any]:
    allocation = report.allocation
    spend: dict[str, dict[str, float]] = {}
    for stream, year, amount in allocation.spend:
        spend.setdefault(stream, {})[year_label(year)] = amount
    released: dict[str, dict[str, float]] = {}
    for stream, year, amount in allocation.released:
        released.setdefault(stream, {})[year_label(year)] = amount
    return {
        "scenario": report.scenario,
        "status": allocation.status,
        "objective": allocation.objective,
        "bound": allocation.bound,
        "gap": 0.0 if allocation.status == "optimal" else allocation.gap,
        "selected": [{"name": f.name, "level": f.level, "share": f.share, "value": f.value} for f in allocation.funded],
        "spend": spend,
        "released": released,
        "budget": {s.name: {year_label(y): a for y, a in s.amounts} for s in report.snapshot.streams},
        **breakdowns(report.snapshot, allocation),
        "units": {s.name: s.unit for s in report.snapshot.streams},
        "greedy": {
            "selected": list(report.greedy.selected),
            "objective": report.greedy.objective,
            "broken_rules": list(report.greedy.broken_rules),
            "gap_to_optimum": None if allocation.objective is None else round(allocation.objective - report.greedy.objective, 9),
        },
        "explanation": report.conflict.summary if report.conflict else None,
        "conflicting_rules": [list(g) for g in report.conflict.groups] if report.conflict else [],
        "solver": allocation.solver,
        "seconds": {"build": round(allocation.build_seconds, 4), "solve": round(allocation.solve_seconds, 4)},
        "notes": list(allocation.notes),
        "snapshot_id": report.snapshot_id,
    }


def weight_set_vectors(service: PlanService, inp: EngineInput) -> list[tuple[float, ...]]:
    """The partners' and participants' own weight sets, in the snapshot's value order."""
    plan = service.read()
    vectors = []
    for weight_set in plan.weight_sets:
        if weight_set.kind.value == "group":
            continue
        weights = dict(weight_set.weights)
        vectors.append(tuple(weights.get(name, 0.0) for name in inp.value_names))
    return [v for v in vectors if sum(v) > 0]


def score_spreads(service: PlanService, inp: EngineInput) -> dict[tuple[str, int], list[float]]:
    """Each option's individual scores as candidate value parts (normalised, times its need factor)."""
    plan = service.read()
    frame = counted_scores(service.scores_frame(), plan).dropna(subset=["score"])
    values = {v.name: (i, v) for i, v in enumerate(plan.values)}
    spreads: dict[tuple[str, int], list[float]] = {}
    parts = {o.name: o.value_parts for o in inp.options}
    agreed = {(s.option, s.value): s.score for s in plan.agreed_scores}
    for key, scores in frame.groupby(["option", "value"], observed=True)["score"]:
        option, value_name = str(key[0]), str(key[1])
        if option not in parts or value_name not in values:
            continue
        index, value = values[value_name]
        span = value.scale_max - value.scale_min
        base = (agreed.get((option, value_name), float(scores.mean())) - value.scale_min) / span
        factor = parts[option][index] / base if base else 1.0
        spreads[(option, index)] = [factor * (float(s) - value.scale_min) / span for s in scores]
    return spreads


def breakdowns(inp: EngineInput, allocation: Allocation) -> dict[str, Any]:
    """The portfolio by partner, need and kind: money spent and value delivered.

    A partner pays what is drawn from the streams it holds; it receives the value of the funded
    options addressing the needs its own led options address (the needs it cares about)."""
    by_need: dict[str, dict[str, float]] = {}
    by_kind: dict[str, dict[str, float]] = {}
    funded = {f.name: f for f in allocation.funded}
    for name, item in funded.items():
        option = inp.option(name)
        spend = sum(a * item.share for s, _, a in option.costs if a > 0 and inp.stream(s).is_money)
        for need in option.needs or ("(no need recorded)",):
            row = by_need.setdefault(need, {"spend": 0.0, "value": 0.0, "options": 0})
            row["spend"] += spend / max(len(option.needs), 1)
            row["value"] += item.value / max(len(option.needs), 1)
            row["options"] += 1
        row = by_kind.setdefault(option.kind, {"spend": 0.0, "value": 0.0, "options": 0})
        row["spend"] += spend
        row["value"] += item.value
        row["options"] += 1
    by_partner: dict[str, dict[str, float]] = {}
    for stream, _, amount in allocation.spend:
        source = inp.stream(stream)
        if source.is_money:
            row = by_partner.setdefault(source.partner, {"pays": 0.0, "value_to_its_needs": 0.0, "leads": 0})
            row["pays"] += amount
    partners = {s.partner for s in inp.streams} | {o.lead_partner for o in inp.options}
    for partner in sorted(partners):
        row = by_partner.setdefault(partner, {"pays": 0.0, "value_to_its_needs": 0.0, "leads": 0})
        cares = {n for o in inp.options if o.lead_partner == partner for n in o.needs}
        row["leads"] = sum(1 for n in funded if inp.option(n).lead_partner == partner)
        row["value_to_its_needs"] = sum(
            f.value for n, f in funded.items() if cares & set(inp.option(n).needs)
        )
    return {
        key: {k: {m: round(v, 2) for m, v in row.items()} for k, row in table.items()}
        for key, table in (("by_partner", by_partner), ("by_need", by_need), ("by_kind", by_kind))
    }
