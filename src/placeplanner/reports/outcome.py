"""The result's part of the decision record: which stored snapshot, whether re-solving it gives
the same portfolio, the reason for each option in or out, spend by partner, stream and need,
the frontier beside the value-per-pound ranking, robustness, the decisions and the audit head."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from placeplanner.engine import spend
from placeplanner.engine.frontier import default_factors, frontier
from placeplanner.engine.progress import RunState
from placeplanner.engine.result import Allocation, Funded
from placeplanner.engine.snapshot import EngineInput, OptionIn, ScenarioSettings
from placeplanner.engine.solvers import SolverSettings
from placeplanner.model import PlanData
from placeplanner.money import costs_by_unit, parse_year
from placeplanner.reports.record import (
    AuditFacts,
    DecisionEntry,
    FrontierLine,
    OptionFacts,
    Outcome,
    PortfolioLine,
    RecordRequest,
    RobustnessFacts,
    SpendRow,
    SpendTable,
    StreamFacts,
)
from placeplanner.service.plan_service import PlanService

if TYPE_CHECKING:
    from placeplanner.engine.explain import OptionReason
    from placeplanner.service.decisions import Decision

FRONTIER_POINTS = 15  # as the Allocation screen traces it, plus the plan's own budget
# Explaining an option re-solves with it flipped; above this many options (as on the Allocation
# screen) the paper says where each option stands instead of re-solving for every one.
EXPLAIN_UP_TO = 200
# Robustness solves one model per sample: fewer samples on large plans keep the paper quick.
SAMPLES_FROM = 300
LARGE_PLAN_SAMPLES = 40
PROVE_UP_TO = 300  # options; the engine benchmark's sizes (README): proven to 300, within 0.1% beyond
LARGE_PLAN_GAP = 0.001
LARGE_PLAN_TIME_LIMIT = 120.0  # seconds: a report never waits on a proof for ever


@dataclass(frozen=True, slots=True)
class SettledRun:
    """The result the paper reports on, with the snapshot it was solved from."""

    inp: EngineInput
    result: dict[str, Any]  # as stored (``report_json``)
    allocation: Allocation
    settings: SolverSettings
    result_id: int | None
    digest: str
    reproduces: bool | None
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analysed:
    outcome: Outcome
    portfolio: tuple[PortfolioLine, ...]
    by_partner: SpendTable
    by_stream: SpendTable
    by_need: SpendTable
    frontier: tuple[FrontierLine, ...]
    robustness: RobustnessFacts | None


def reported_decision(service: PlanService, request: RecordRequest) -> Decision | None:
    """The decision a report is built on: the one asked for; else, unless a fresh solve is asked
    for (a draft, or a scenario), the latest on the record (of the meeting, when one is named), so
    the paper and the workbook made for a meeting cite the same result and decision."""
    if request.decision is not None:
        return chosen_decision(service, request.decision)
    if request.draft or request.scenario:
        return None
    candidates = [d for d in service.decisions() if request.meeting is None or d.meeting in {request.meeting, None}]
    return max(candidates, key=lambda d: (d.decided_at, d.id), default=None)


def people_reached(plan: PlanData, portfolio: tuple[PortfolioLine, ...]) -> tuple[int | None, int]:
    """The people the funded options reach by their own estimates (at the share funded), and how
    many funded options give an estimate; (None, 0) when none does."""
    reach = {o.name: o.people_reached for o in plan.options if o.people_reached}
    given = [(reach[line.option], line.share) for line in portfolio if line.funded and line.option in reach]
    if not given:
        return None, 0
    return round(sum(people * share for people, share in given)), len(given)


def chosen_decision(service: PlanService, decision_id: int | None) -> Decision | None:
    if decision_id is None:
        return None
    from placeplanner.service.decisions import decision

    return decision(service, decision_id)


def settle_result(service: PlanService, scenario: str | None, chosen: Decision | None, state: RunState) -> SettledRun:
    """A decision's stored snapshot (re-solved to prove it reproduces), or the plan solved now
    and stored when the file is open for writing."""
    from placeplanner.service.allocation import (
        report_json,
        resolve_stored,
        settings_json,
        solve_plan,
    )
    from placeplanner.service.decisions import portfolio

    if chosen is not None:
        state.step(1, 6, "Re-solving the decision's stored snapshot")
        inputs, stored, _ = service.stored_result(chosen.result_id)
        _, fresh = resolve_stored(service, chosen.result_id)
        inp = EngineInput.from_json(json.dumps(inputs["snapshot"]))
        return _settled(inp, stored, inputs, chosen.result_id, before=portfolio(stored), after=portfolio(fresh))
    settings = report_settings(len(service.read().options))
    same = stored_draft(service, scenario, settings)
    if same is not None:  # a draft a moment ago on the same inputs: the same result, cited again
        state.step(2, 6, "Re-solving the stored snapshot")
        inputs, stored, _ = service.stored_result(same)
        _, fresh = resolve_stored(service, same)
        inp = EngineInput.from_json(json.dumps(inputs["snapshot"]))
        return _settled(inp, stored, inputs, same, before=portfolio(stored), after=portfolio(fresh))
    state.step(1, 6, "Finding the best portfolio")
    report = solve_plan(service, scenario, settings, record=service.writable)
    result = report_json(report)
    inputs = {"snapshot": json.loads(report.snapshot.to_json()), "settings": settings_json(settings)}
    if report.snapshot_id is None:
        return _settled(report.snapshot, result, inputs, None, before=None, after=None)
    state.step(2, 6, "Re-solving the stored snapshot")
    inputs, stored, _ = service.stored_result(report.snapshot_id)  # exactly what was stored
    _, fresh = resolve_stored(service, report.snapshot_id)
    return _settled(report.snapshot, stored, inputs, report.snapshot_id, before=portfolio(stored), after=portfolio(fresh))


def stored_draft(service: PlanService, scenario: str | None, settings: SolverSettings) -> int | None:
    """The latest stored result solved from exactly the inputs the plan (or scenario) gives now,
    with these settings, that no decision adopted: a draft paper and a draft workbook made one
    after the other cite the same result rather than two. None when there is none."""
    from sqlalchemy import select

    from placeplanner.service.allocation import settings_json, snapshot_plan
    from placeplanner.storage import orm
    from placeplanner.storage.results import inputs_digest

    inp = snapshot_plan(service, scenario)
    digest = inputs_digest({"snapshot": json.loads(inp.to_json()), "settings": settings_json(settings)})
    adopted = {d.result_id for d in service.decisions()}
    with service.plan_file.reading() as session:
        rows = session.execute(select(orm.ResultRow.id, orm.ResultRow.result)
                               .where(orm.ResultRow.input_digest == digest).order_by(orm.ResultRow.id.desc())).all()
    return next((int(row.id) for row in rows
                 if row.id not in adopted and str(row.result.get("scenario") or "") == (scenario or "")), None)


def report_settings(options: int) -> SolverSettings:
    """Proven optimal on plans of the usual size; on large ones, within 0.1% (stated in the paper),
    as proving the last fraction of a point can take CBC many minutes on thousands of options."""
    if options <= PROVE_UP_TO:
        return SolverSettings()
    return SolverSettings(gap=LARGE_PLAN_GAP, time_limit=LARGE_PLAN_TIME_LIMIT)


def _settled(inp: EngineInput, result: dict[str, Any], inputs: dict[str, Any], result_id: int | None, *,
             before: dict[str, str] | None, after: dict[str, str] | None) -> SettledRun:
    differences: tuple[str, ...] = ()
    if before is not None and after is not None:
        differences = tuple(
            f"'{name}': {before.get(name, 'not funded')} on the record, {after.get(name, 'not funded')} re-solved"
            for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)
        )
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return SettledRun(
        inp=inp, result=result, allocation=allocation_from_result(result),
        settings=SolverSettings(**inputs["settings"]), result_id=result_id, digest=digest,
        reproduces=None if before is None else not differences, differences=differences,
    )


def allocation_from_result(result: dict[str, Any]) -> Allocation:
    """A stored result (``report_json``) back as the engine's Allocation."""

    def triples(table: dict[str, dict[str, float]]) -> tuple[tuple[str, int, float], ...]:
        return tuple(sorted((stream, parse_year(year), float(amount))
                            for stream, years in table.items() for year, amount in years.items()))

    return Allocation(
        status=str(result["status"]), objective=result.get("objective"), bound=result.get("bound"),
        funded=tuple(Funded(str(s["name"]), str(s["level"]), float(s["share"]), float(s["value"]))
                     for s in result.get("selected", [])),
        spend=triples(result.get("spend", {})), released=triples(result.get("released", {})),
        solver=str(result.get("solver", "")), notes=tuple(result.get("notes", [])),
    )


def analyse(service: PlanService, run: SettledRun, request: RecordRequest, state: RunState,
            notes: dict[str, str] | None = None) -> Analysed:
    """Reasons, spend, frontier and robustness for the settled run."""
    inp, allocation = run.inp, run.allocation
    reasons: dict[str, OptionReason] = {}
    points: tuple[FrontierLine, ...] = ()
    robust: tuple[RobustnessFacts, dict[str, float]] | None = None
    solved = allocation.objective is not None and allocation.status in {"optimal", "feasible", "stopped"}
    explained = solved and len(inp.options) <= EXPLAIN_UP_TO
    if solved:
        from placeplanner.engine.explain import why

        if explained:
            reasons = {r.name: r for r in why(inp, allocation, run.settings, _phase(state, 2, "Explaining each option"))}
        points = frontier_lines(inp, run.settings, _phase(state, 3, "Tracing the frontier"))
        if request.robustness_samples > 0:
            robust = robustness_of(service, inp, run.settings, request, _phase(state, 4, "Testing robustness"))
    lines = portfolio_lines(inp, run.result, allocation, reasons=reasons, core=robust[1] if robust else {},
                            notes=notes or {})
    return Analysed(
        outcome=outcome_of(service, run, explained),
        portfolio=lines,
        by_partner=spend_by_partner(inp, allocation),
        by_stream=spend_by_stream(inp, allocation),
        by_need=spend_by_need(inp, allocation),
        frontier=points,
        robustness=robust[0] if robust else None,
    )


def outcome_of(service: PlanService, run: SettledRun, explained: bool) -> Outcome:
    inp, result, allocation = run.inp, run.result, run.allocation
    scenario = str(result.get("scenario") or "")
    stored = next((s for s in service.read().scenarios if s.name == scenario), None) if scenario else None
    weight_set = ScenarioSettings.parse(stored).weight_set if stored else ""
    funded = set(allocation.selected_names)
    ranking = result.get("greedy", {})
    ranked = tuple(str(n) for n in ranking.get("selected", []))
    money = {s.name for s in inp.streams if s.is_money}
    units = {s.name: s.unit for s in inp.streams}
    resources = costs_by_unit(((s, a) for s, _, a in allocation.spend if s not in money), units)
    return Outcome(
        result_id=run.result_id, scenario=scenario, scenario_description=stored.description if stored else "",
        weight_set=f"the weight set '{weight_set}'" if weight_set else "the values' agreed weights",
        status=allocation.status, objective=allocation.objective, bound=allocation.bound,
        gap=result.get("gap"), solver=allocation.solver or run.settings.name,
        budget=sum(a for s in inp.streams if s.is_money for _, a in s.amounts),
        released=sum(a for s, _, a in allocation.released if s in money),
        spent=sum(a for s, _, a in allocation.spend if s in money),
        ranking_objective=float(ranking.get("objective", 0.0)),
        ranking_options=ranked,
        added_by_optimiser=tuple(o.name for o in inp.options if o.name in funded and o.name not in ranked),
        dropped_by_optimiser=tuple(o.name for o in inp.options if o.name in ranked and o.name not in funded),
        ranking_broken_rules=tuple(str(r) for r in ranking.get("broken_rules", [])),
        notes=tuple(str(n) for n in result.get("notes", [])),
        explanation=result.get("explanation"),
        snapshot_digest=run.digest, reproduces=run.reproduces, differences=run.differences,
        reasons_explained=explained,
        resources=tuple(sorted((u, a) for u, a in resources.items() if abs(a) > 1e-9)),
    )


# --- the portfolio ---------------------------------------------------------------------------


def stream_facts(inp: EngineInput) -> tuple[StreamFacts, ...]:
    return tuple(
        StreamFacts(s.name, s.partner, s.unit, s.ring_fenced_for, tuple(dict(s.amounts).get(y, 0.0) for y in inp.years))
        for s in inp.streams
    )


def option_facts(inp: EngineInput) -> tuple[OptionFacts, ...]:
    return tuple(
        OptionFacts(
            name=o.name, kind=o.kind, lead_partner=o.lead_partner, mandatory=o.mandatory, excluded=o.excluded,
            value=o.value, costs=o.costs, levels=tuple((lv.name, lv.cost_share, lv.value_share) for lv in o.levels),
            needs=o.needs, tags=o.tags, requires=o.requires, excludes=o.excludes,
        )
        for o in inp.options
    )


def portfolio_lines(inp: EngineInput, result: dict[str, Any], allocation: Allocation, *, reasons: dict[str, OptionReason],
                    core: dict[str, float], notes: dict[str, str]) -> tuple[PortfolioLine, ...]:
    """Every option, funded first, each group by value (highest first)."""
    funded = {f.name: f for f in allocation.funded}
    ranked = set(result.get("greedy", {}).get("selected", []))
    lines = []
    for option in inp.options:
        item = funded.get(option.name)
        share = item.share if item else max(level.cost_share for level in option.levels)
        value = item.value if item else option.value
        costs = tuple((s, y, a * share) for s, y, a in option.costs)
        asked = sum(a for s, _, a in costs if a > 0 and inp.stream(s).is_money)
        reason = reasons.get(option.name)
        lines.append(PortfolioLine(
            option=option.name, kind=option.kind, lead_partner=option.lead_partner, funded=item is not None,
            mandatory=option.mandatory, excluded=option.excluded, level=item.level if item else "",
            share=item.share if item else 0.0, value=value,
            cost=sum(a for s, _, a in costs if inp.stream(s).is_money), costs=costs,
            value_per_million=value / asked * 1e6 if asked > 0 else None,
            reason=reason.reason if reason else plain_reason(option, item, allocation),
            in_ranking=option.name in ranked, core_index=core.get(option.name), note=notes.get(option.name, ""),
        ))
    lines.sort(key=lambda line: (not line.funded, -line.value, line.option))
    return tuple(lines)


def plain_reason(option: OptionIn, item: Funded | None, allocation: Allocation) -> str:
    """Where an option stands when it was not explained by re-solving (large plans, no portfolio)."""
    if allocation.objective is None:
        return "No portfolio keeps every rule, so nothing is funded (see the rules that conflict)."
    if item is not None:
        return f"{option.name} is mandatory." if option.mandatory else f"{option.name} is in the best portfolio."
    if option.excluded:
        return f"{option.name} is out of consideration."
    return f"{option.name} is not in the best portfolio: other uses of the money give more value."


# --- where the money goes --------------------------------------------------------------------


def spend_by_stream(inp: EngineInput, allocation: Allocation) -> SpendTable:
    released = spend.per_year(allocation.released, inp.years)
    spent = spend.per_year(allocation.spend, inp.years)
    rows = []
    for stream in (s for s in inp.streams if s.is_money):
        budget = dict(stream.amounts)
        freed = released.get(stream.name, spend.zeros(inp.years))
        rows.append(SpendRow(stream.name, tuple(spent.get(stream.name, spend.zeros(inp.years))),
                             tuple(budget.get(y, 0.0) + freed[i] for i, y in enumerate(inp.years))))
    return SpendTable("Spend by funding stream and year", "Funding stream", inp.years, tuple(rows))


def spend_by_partner(inp: EngineInput, allocation: Allocation) -> SpendTable:
    """What is drawn from the streams each partner brings, against what they bring."""
    by_stream = spend_by_stream(inp, allocation)
    partner_of = {s.name: s.partner for s in inp.streams}
    spent: dict[str, list[float]] = {}
    available: dict[str, list[float]] = {}
    for row in by_stream.rows:
        partner = partner_of[row.name]
        totals = spent.setdefault(partner, spend.zeros(inp.years))
        budget = available.setdefault(partner, spend.zeros(inp.years))
        for i in range(len(inp.years)):
            totals[i] += row.spend[i]
            budget[i] += (row.available or ())[i]
    rows = tuple(SpendRow(p, tuple(spent[p]), tuple(available[p])) for p in spent)
    return SpendTable("Spend by partner and year", "Partner", inp.years, rows)


def spend_by_need(inp: EngineInput, allocation: Allocation) -> SpendTable:
    """An option addressing several needs counts an equal share of its spend against each."""
    spent = spend.spend_by_need(inp, allocation)
    rows = sorted((SpendRow(n, tuple(v), None) for n, v in spent.items()), key=lambda r: (-r.total, r.name))
    return SpendTable("Spend by need and year", "Need", inp.years, tuple(rows))


# --- the frontier and robustness -----------------------------------------------------------------


def frontier_lines(inp: EngineInput, settings: SolverSettings, state: RunState) -> tuple[FrontierLine, ...]:
    """The screen's points, plus the plan's own budget so the paper marks the portfolio itself."""
    factors = sorted({*default_factors(FRONTIER_POINTS), 1.0})
    points = frontier(inp, factors=factors, settings=settings, state=state, workers=1)
    return tuple(
        FrontierLine(p.budget, p.objective, p.greedy_objective, len(p.selected), p.factor == 1.0) for p in points
    )


def robustness_of(service: PlanService, inp: EngineInput, settings: SolverSettings, request: RecordRequest,
                  state: RunState) -> tuple[RobustnessFacts, dict[str, float]]:
    """As ``placeplanner robustness`` does it: the partners' and participants' own weight sets,
    or the agreed weights varied by 30%."""
    from placeplanner.engine.robustness import robustness, weight_samples
    from placeplanner.service.allocation import weight_set_vectors

    vectors = weight_set_vectors(service, inp)
    samples = request.robustness_samples if len(inp.options) <= SAMPLES_FROM else min(request.robustness_samples, LARGE_PLAN_SAMPLES)
    values = weight_samples(inp, samples, request.seed, vectors)
    result = robustness(inp, values, mode="weights", settings=settings, state=state)
    plural = "s" * (len(vectors) != 1)
    source = (f"drawn from the {len(vectors)} weight set{plural} the partners and participants gave" if vectors
              else "the agreed weights, each varied at random by up to 30% either way")
    facts = RobustnessFacts("weights", result.samples, result.infeasible_samples, source)
    return facts, {c.name: c.core_index for c in result.options}


def _phase(state: RunState, index: int, label: str) -> RunState:
    """The same cancel switch, reporting the paper's step rather than the engine's."""
    outer = state

    class _Phase(RunState):
        def step(self, done: int, total: int, message: str = "") -> None:
            outer.step(index, 6, f"{label} ({done} of {total})" if total > 1 else label)

    return _Phase()


# --- decisions and the audit chain --------------------------------------------------------------


def decision_entry(chosen: Decision, run: SettledRun | None) -> DecisionEntry:
    reproduces, differences = (run.reproduces, run.differences) if run is not None else (None, ())
    return DecisionEntry(
        id=chosen.id, title=chosen.title, result_id=chosen.result_id, meeting=chosen.meeting, scenario=chosen.scenario,
        decided_at=chosen.decided_at, decided_by=chosen.decided_by, rationale=chosen.rationale,
        option_notes=tuple(chosen.option_notes.items()), reproduces=reproduces, differences=differences,
        stale_when_adopted=chosen.stale_when_adopted, changes_when_adopted=tuple(chosen.changes_when_adopted),
    )


def decision_entries(service: PlanService, meeting: str | None, chosen: Decision | None,
                     run: SettledRun) -> tuple[DecisionEntry, ...]:
    """The decisions on the record for the meeting (or all), each re-solved to show it reproduces."""
    from placeplanner.service.decisions import reproduce

    entries = []
    for item in service.decisions():
        if meeting is not None and item.meeting != meeting and (chosen is None or item.id != chosen.id):
            continue
        if chosen is not None and item.id == chosen.id:
            entries.append(decision_entry(item, run))
            continue
        again = reproduce(service, item.id)
        entries.append(replace(decision_entry(item, None), reproduces=again.same_portfolio,
                               differences=tuple(again.differences)))
    return tuple(entries)


def audit_facts(service: PlanService) -> AuditFacts:
    """The audit chain's head as the paper prints it, so a later truncation of the log shows."""
    from placeplanner.service import audit_report

    report = audit_report.verify(service.plan_file)
    return AuditFacts(report.entries, report.head_hash, report.intact,
                      report.broken.message if report.broken is not None else "")
