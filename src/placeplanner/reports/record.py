"""The decision record: everything a board paper or a results workbook prints, as plain values.

``gather_record`` reads a plan through its service once and works everything out, so the paper
and the workbook print the same figures and neither computes anything of its own. A decision's
record is built from the stored result snapshot it adopted (immutable), so it can always be
re-derived; otherwise the plan (or a scenario) is solved now and the result stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from placeplanner.engine.progress import RunState
from placeplanner.engine.snapshot import MONEY
from placeplanner.errors import Problem, ValidationError
from placeplanner.money import Reconciliation
from placeplanner.service.conflicts import RegisterLine
from placeplanner.service.plan_service import PlanService


@dataclass(frozen=True, slots=True)
class PlanFacts:
    place: str
    title: str  # the plan's title, or the place and its years
    years: tuple[int, ...]  # financial years, by their first calendar year
    path: str  # the plan file's name (not where it lives on the analyst's machine)


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    name: str
    held_on: date | None
    status: str
    notes: str


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    organisation: str
    role: str


@dataclass(frozen=True, slots=True)
class ValueEntry:
    name: str
    description: str
    scale_min: float
    scale_max: float
    scale_points: tuple[tuple[float, str], ...]
    points: float  # the agreed weight, scaled so the weights sum to 100: what the optimiser used


@dataclass(frozen=True, slots=True)
class ValueDistribution:
    """The room's scores of one option against one value, under the conflict policy.

    Anonymised by default: ``names`` is empty and scores are in ascending order, not by person."""

    value: str
    scores: tuple[float, ...]  # the scores that count
    flagged: tuple[float, ...]  # conflicted scores counted under the permissive policy
    dont_know: int
    excluded: int  # scores left out because their scorer is recused
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    wide: bool
    agreed: float | None
    scale_min: float
    scale_max: float
    names: tuple[str, ...] = ()  # each score's participant, only when not anonymised


@dataclass(frozen=True, slots=True)
class OptionScores:
    option: str
    values: tuple[ValueDistribution, ...]
    scorers: int  # unconflicted participants who scored it
    declared: int  # participants with a conflict of interest in it
    below_quorum: bool
    disagreement: float  # the widest spread, as a share of the scale
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgreedEntry:
    option: str
    value: str
    score: float
    rationale: str
    meeting: str


@dataclass(frozen=True, slots=True)
class PortfolioLine:
    option: str
    kind: str
    lead_partner: str
    funded: bool
    mandatory: bool
    excluded: bool  # out of consideration, or out by the scenario
    level: str  # "Full", "Half", "65%"; "" when left out
    share: float  # of the full cost funded (0 when left out)
    value: float  # delivered when funded; at the full level when left out
    cost: float  # money over the plan's years at that level (full when left out); negative: released
    costs: tuple[tuple[str, int, float], ...]  # (stream, year, amount) at that level
    value_per_million: float | None  # weighted value per £1m asked (None: asks no money)
    reason: str  # why in or out, in a sentence
    in_ranking: bool  # a value-per-pound ranking would fund it
    core_index: float | None  # share of robustness samples funding it
    note: str = ""  # the decision's note on this option


@dataclass(frozen=True, slots=True)
class SpendRow:
    name: str
    spend: tuple[float, ...]  # per year
    available: tuple[float, ...] | None  # per year, budget plus releases; None: no budget to compare

    @property
    def total(self) -> float:
        return sum(self.spend)

    @property
    def total_available(self) -> float | None:
        return None if self.available is None else sum(self.available)


@dataclass(frozen=True, slots=True)
class SpendTable:
    title: str
    category: str  # the first column's heading
    years: tuple[int, ...]
    rows: tuple[SpendRow, ...]

    def year_total(self, index: int) -> float:
        return sum(r.spend[index] for r in self.rows)

    @property
    def total(self) -> float:
        return sum(r.total for r in self.rows)


@dataclass(frozen=True, slots=True)
class FrontierLine:
    budget: float
    optimal: float | None
    ranking: float
    options: int
    at_plan_budget: bool


@dataclass(frozen=True, slots=True)
class RobustnessFacts:
    mode: str  # weights or scores
    samples: int
    infeasible: int
    source: str  # where the sampled weights came from, in words


@dataclass(frozen=True, slots=True)
class StreamFacts:
    """A funding stream as the result's snapshot had it (a scenario may have scaled it)."""

    name: str
    partner: str
    unit: str
    ring_fenced_for: tuple[str, ...]
    amounts: tuple[float, ...]  # per year of the plan


@dataclass(frozen=True, slots=True)
class OptionFacts:
    """An option as the result's snapshot had it: what the optimiser was given."""

    name: str
    kind: str
    lead_partner: str
    mandatory: bool
    excluded: bool
    value: float  # weighted value funded in full
    costs: tuple[tuple[str, int, float], ...]  # (stream, year, amount) in full; negative releases money
    levels: tuple[tuple[str, float, float], ...]  # (name, share of cost, share of value)
    needs: tuple[str, ...]
    tags: tuple[str, ...]
    requires: tuple[str, ...]
    excludes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The run the paper reports: which snapshot, how good, and what a ranking would have done."""

    result_id: int | None  # the stored result, when stored
    scenario: str
    scenario_description: str
    weight_set: str  # in words
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    budget: float  # money over the plan's years
    released: float  # money decommissions release
    spent: float
    ranking_objective: float
    ranking_options: tuple[str, ...]
    added_by_optimiser: tuple[str, ...]  # funded, but not by the ranking
    dropped_by_optimiser: tuple[str, ...]  # funded by the ranking, not by the optimiser
    ranking_broken_rules: tuple[str, ...]
    notes: tuple[str, ...]  # e.g. scores taken from individual means
    explanation: str | None  # when no portfolio keeps every rule: which rules conflict
    snapshot_digest: str  # SHA-256 of the stored inputs: what the result was solved from
    reproduces: bool | None  # re-solving the stored snapshot gives the same portfolio
    differences: tuple[str, ...]
    reasons_explained: bool  # reasons worked out by re-solving (plans up to a size)
    # Other resources the funded options draw (staff hours, beds), by unit: beside the money, never
    # added to it.
    resources: tuple[tuple[str, float], ...] = ()

    @property
    def reconciliation(self) -> Reconciliation:
        """Budget, plus what decommissions release, is what is available; spent; left."""
        return Reconciliation(self.budget, self.released, self.spent)

    @property
    def has_portfolio(self) -> bool:
        return self.objective is not None and self.status in {"optimal", "feasible", "stopped"}


@dataclass(frozen=True, slots=True)
class Currency:
    """Whether the reported result still matches the plan: what changed since it was computed."""

    stale: bool
    changes: tuple[str, ...]  # each change in words, oldest first
    words: str  # the whole finding in a sentence or two
    count: int = 0  # changes since the result (``changes`` may hold fewer)


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    id: int
    title: str
    result_id: int
    meeting: str | None
    scenario: str
    decided_at: datetime
    decided_by: str
    rationale: str
    option_notes: tuple[tuple[str, str], ...]
    reproduces: bool | None
    differences: tuple[str, ...]
    # Whether the plan had changed since the adopted result when the decision was taken (None: not
    # recorded, as before PlacePlanner kept it), and what had changed.
    stale_when_adopted: bool | None = None
    changes_when_adopted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditFacts:
    entries: int
    head_hash: str
    intact: bool
    problem: str  # what is wrong with the chain, in words; "" when intact


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    plan: PlanFacts
    meeting: MeetingFacts | None
    decision: DecisionEntry | None  # the decision the paper is built on, if any
    outcome: Outcome
    attendees: tuple[Attendee, ...]
    attendance_source: str  # how the list was drawn up, in words
    policy: str  # recuse or flag
    quorum: int
    declarations: tuple[RegisterLine, ...]  # the register of interests, as `placeplanner conflicts` prints it
    values: tuple[ValueEntry, ...]
    scores: tuple[OptionScores, ...]  # options scored individually, most disagreement first
    agreed: tuple[AgreedEntry, ...]
    portfolio: tuple[PortfolioLine, ...]  # funded first, each group by value
    streams: tuple[StreamFacts, ...]  # in the plan's order, as the snapshot had them
    options: tuple[OptionFacts, ...]  # in the plan's order, as the snapshot had them
    spend_by_partner: SpendTable
    spend_by_stream: SpendTable
    spend_by_need: SpendTable
    frontier: tuple[FrontierLine, ...]
    robustness: RobustnessFacts | None
    decisions: tuple[DecisionEntry, ...]  # on the record for this meeting (or all)
    audit: AuditFacts
    anonymised: bool
    generated_at: datetime
    app_version: str
    # A paper on a fresh solve rather than a decision on the record: labelled a draft on every page.
    draft: bool = False
    currency: Currency | None = None  # whether the result still matches the plan
    people_reached: int | None = None  # by the options funded, by their own estimates (None: none given)
    reach_given: int = 0  # funded options that give an estimate of the people they reach

    @property
    def funded(self) -> tuple[PortfolioLine, ...]:
        return tuple(line for line in self.portfolio if line.funded)

    @property
    def below_quorum(self) -> tuple[OptionScores, ...]:
        return tuple(s for s in self.scores if s.below_quorum)

    @property
    def money_streams(self) -> tuple[StreamFacts, ...]:
        return tuple(s for s in self.streams if s.unit == MONEY)


@dataclass(frozen=True, slots=True)
class RecordRequest:
    """What to report on: a meeting, a scenario, a decision (each optional).

    With a decision on the record and none named, the latest decision (of the meeting, when one
    is named) is reported. A fresh solve is asked for: ``draft``, or a ``scenario`` without a
    decision; its paper is labelled a draft, not a decision of the board."""

    meeting: str | None = None
    scenario: str | None = None
    decision: int | None = None
    draft: bool = False
    anonymise: bool = True
    robustness_samples: int = 200
    seed: int = 1


def gather_record(service: PlanService, request: RecordRequest | None = None, state: RunState | None = None) -> DecisionRecord:
    """Read the plan, take or solve the result, and work out every figure the paper prints.

    Raises ValidationError naming an unknown meeting, scenario or decision (and listing those
    there are); RunCancelledError if ``state`` is cancelled between steps."""
    from placeplanner import __version__
    from placeplanner.reports import currency, outcome, room

    request = request or RecordRequest()
    state = state or RunState()
    plan = service.read()
    chosen = outcome.reported_decision(service, request)
    meeting_name = request.meeting
    scenario = request.scenario
    if chosen is not None:
        meeting_name = _agree(meeting_name, chosen.meeting, "meeting", chosen.id)
        _agree(scenario, chosen.scenario, "scenario", chosen.id)
        scenario = chosen.scenario or None
    meeting = room.meeting_facts(plan, meeting_name)
    state.step(0, 6, "Reading the room's scores")
    people = room.read_room(service, plan, meeting_name, anonymise=request.anonymise)
    run = outcome.settle_result(service, scenario, chosen, state)
    state.step(3, 6, "Tracing the frontier")
    analysed = outcome.analyse(service, run, request, state, chosen.option_notes if chosen else None)
    state.step(5, 6, "Checking the audit chain")
    title = plan.info.title or f"{plan.info.place} place"
    reached, given = outcome.people_reached(plan, analysed.portfolio)
    return DecisionRecord(
        plan=PlanFacts(plan.info.place, title, tuple(run.inp.years) or plan.info.plan_years, service.path.name),
        meeting=meeting,
        decision=outcome.decision_entry(chosen, run) if chosen is not None else None,
        outcome=analysed.outcome,
        attendees=people.attendees,
        attendance_source=people.attendance_source,
        policy=people.policy,
        quorum=plan.info.quorum,
        declarations=people.declarations,
        values=room.value_entries(plan, run.inp),
        scores=people.scores,
        agreed=room.agreed_entries(plan, meeting_name),
        portfolio=analysed.portfolio,
        streams=outcome.stream_facts(run.inp),
        options=outcome.option_facts(run.inp),
        spend_by_partner=analysed.by_partner,
        spend_by_stream=analysed.by_stream,
        spend_by_need=analysed.by_need,
        frontier=analysed.frontier,
        robustness=analysed.robustness,
        decisions=outcome.decision_entries(service, meeting_name, chosen, run),
        audit=outcome.audit_facts(service),
        anonymised=request.anonymise,
        generated_at=datetime.now(),
        app_version=__version__,
        draft=chosen is None,
        currency=currency.result_currency(service, run.result_id),
        people_reached=reached,
        reach_given=given,
    )


def _agree(asked: str | None, recorded: str | None, what: str, decision_id: int) -> str | None:
    """A decision fixes its scenario (and its meeting, when it names one): asking for another is
    a mistake to name rather than a paper that mixes two runs."""
    if asked and recorded is not None and asked != recorded:
        theirs = f"'{recorded}'" if recorded else "the plan as it stood"
        raise ValidationError([Problem(f"--{what}", f"'{asked}' is not the {what} of decision {decision_id} ({theirs}); leave it out")])
    return asked or recorded
