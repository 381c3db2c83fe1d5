"""Whether a stored result still matches the plan it came from, and what has changed since, in words.

A result records the audit log's mark when its plan was read and its inputs' digest (schema 0007).
Stale is decided by the truth: the inputs the same run would take from the plan as it is now (the
same scenario, conflict policy and solver settings) differ from the stored ones. The words come
from the audit entries written after the mark that touch the allocation's inputs. A result stored
before the mark existed is judged by its inputs alone, and cannot say what changed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from placeplanner.engine.snapshot import take_snapshot
from placeplanner.errors import PlanError, Problem, ValidationError
from placeplanner.service import audit_words
from placeplanner.service.plan_service import PlanService
from placeplanner.storage import orm
from placeplanner.storage.audit import KEY_SEPARATOR, AuditEntry
from placeplanner.storage.results import (
    ResultMark,
    entries_after,
    inputs_digest,
    last_entry_of,
    read_inputs,
    read_mark,
)

CHANGED = "The plan has changed since this run"
# What a word list shows at most: the newest changes (the count says how many there are).
SHOWN = 5

# The tables whose changes can reach an allocation's inputs. Meetings, rounds, participants,
# indicators, results and decisions cannot; scenarios only the run's own.
INPUT_ENTITIES = frozenset({
    "plan", "partners", "funding_streams", "needs", "values", "options", "agreed_scores",
    "individual_scores", "declarations", "weight_sets", "rules", "scenarios",
})
# The tables whose changes can move the mean of the individual scores (what counts, and under
# which names): a check after any other change reuses the means it worked out last.
MEANS_ENTITIES = ("individual_scores", "declarations", "participants", "partners", "options", "values", "plan", "meetings")
_means_known: dict[tuple[str, tuple[int, str], str | None], dict[tuple[str, str], float]] = {}
_VERBS = frozenset({"Added", "Changed", "Deleted", "Renamed", "Put", "Imported", "Written", "Created",
                    "Declared", "Weighted", "Opened", "Closed", "Stored"})


@dataclass(frozen=True, slots=True)
class Staleness:
    """``stale``: the plan as it is now would give this run other inputs. ``changes``: what changed
    since the run, in plain words, newest last (empty when current, or when an old result cannot
    say); ``count``: how many."""

    result_id: int
    stale: bool
    changes: tuple[str, ...] = ()
    count: int = 0

    def words(self, shown: int = SHOWN) -> str:
        """'2 changes since this run: the agreed score of Falls response car on Reduces
        inequalities, 6 → 8; …', or that the plan has (or has not) changed."""
        if not self.stale:
            return "The plan has not changed since this run."
        if not self.changes:
            return f"{CHANGED}."
        noun = "change" if self.count == 1 else "changes"
        if self.count <= shown:
            return f"{self.count} {noun} since this run: {'; '.join(self.changes)}."
        return f"{self.count:,} {noun} since this run; the latest {shown}: {'; '.join(self.changes[-shown:])}."

    def as_json(self) -> dict[str, Any]:
        """The fields ``solve --json`` and ``decisions`` print."""
        return {"stale": self.stale, "changes": list(self.changes)}


def staleness(service: PlanService, result_id: int) -> Staleness:
    """Whether stored result ``result_id`` still matches the plan, and what changed since it.
    ValidationError if there is no such result."""
    with service.plan_file.reading() as session:
        mark = read_mark(session, result_id)
        if mark is None:
            raise ValidationError([Problem("results", f"there is no stored result {result_id}")])
    return _judge(service, mark)


def run_staleness(service: PlanService, *, inputs: dict[str, Any], scenario: str, plan_mark: int | None,
                  policy: str | None = None) -> Staleness:
    """The same for a run that was not stored (the plan was open read-only, while someone else
    may be changing it): its ``inputs`` as a result would hold them, ``plan_mark`` read before
    its snapshot was taken. Its ``result_id`` is 0."""
    result: dict[str, Any] = {"scenario": scenario, **({"conflict_policy": policy} if policy else {})}
    with service.plan_file.reading() as session:
        known = not scenario or scenario in set(session.scalars(select(orm.ScenarioRow.name)))
    mark = ResultMark(0, plan_mark, inputs_digest(inputs), inputs, result, scenario if known else None)
    return _judge(service, mark)


def _judge(service: PlanService, mark: ResultMark) -> Staleness:
    result_id = mark.result_id
    with service.plan_file.reading() as session:
        entries = entries_after(session, mark.plan_mark) if mark.plan_mark is not None else []
    relevant = [e for e in entries if _touches(e, mark)]
    if mark.plan_mark is not None and not relevant and mark.scenario is not None:
        # Every change to a plan is an audit entry in the same transaction, so with none after
        # the mark that could reach the inputs, the inputs are what they were.
        return Staleness(result_id, stale=False)
    if _current(service, mark):
        return Staleness(result_id, stale=False)
    # Individual scores on a value whose score was agreed before the run and still is do not count.
    agreed_since = {tuple(e.entity_key.split(KEY_SEPARATOR)) for e in relevant if e.entity == "agreed_scores"}
    settled = {(a.option, a.value) for a in service.read().agreed_scores} - agreed_since
    words = change_words(relevant, settled)
    if mark.scenario is None:
        words = (*words, f"the scenario “{mark.result.get('scenario')}” is no longer in the plan")
    return Staleness(result_id, stale=True, changes=words, count=len(words))


def stale_results(service: PlanService, result_ids: Sequence[int]) -> dict[int, Staleness]:
    """Each result's staleness (a listing of decisions asks about several at once)."""
    return {result_id: staleness(service, result_id) for result_id in dict.fromkeys(result_ids)}


def _current(service: PlanService, mark: ResultMark) -> bool:
    """Whether the plan as it is now gives the run the inputs it had."""
    if mark.scenario is None:
        return False
    plan = service.read()
    chosen = next((s for s in plan.scenarios if s.name == mark.scenario), None) if mark.scenario else None
    policy = mark.result.get("conflict_policy")
    try:
        inp = take_snapshot(plan, chosen, _means(service, policy if isinstance(policy, str) else None))
    except PlanError:  # the scenario no longer fits the plan (it names something removed)
        return False
    stored = mark.inputs
    if stored is None:
        with service.plan_file.reading() as session:
            stored = read_inputs(session, mark.result_id)
    now = {"snapshot": json.loads(inp.to_json()), "settings": stored.get("settings")}
    if inputs_digest(now) == mark.input_digest:
        return True
    # A mean of individual scores summed in another order may differ in its last bit.
    return _same(now["snapshot"], stored.get("snapshot"))


def _means(service: PlanService, policy: str | None) -> dict[tuple[str, str], float]:
    """``individual_means``, remembered until a change that could move them: reading every
    individual score is most of a check's time on a large plan (3.6 s of 4 for 480,000)."""
    from placeplanner.service.allocation import individual_means

    with service.plan_file.reading() as session:
        key = (str(service.path), last_entry_of(session, MEANS_ENTITIES), policy)
    known = _means_known.get(key)
    if known is None:
        known = individual_means(service, policy)
        _means_known.clear()  # one plan's at a time: a screen asks about one plan
        _means_known[key] = known
    return known


def _log_end(service: PlanService) -> tuple[int, str]:
    with service.plan_file.reading() as session:
        return last_entry_of(session)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _touches(entry: AuditEntry, mark: ResultMark) -> bool:
    if entry.entity not in INPUT_ENTITIES:
        return False
    if entry.entity == "scenarios":
        names = {mark.scenario, mark.result.get("scenario")} - {None, ""}
        return entry.entity_key in names or any(
            isinstance(r, dict) and r.get("name") in names for r in (entry.before, entry.after))
    return True


def change_words(entries: Sequence[AuditEntry], settled: Collection[tuple[str, ...]] = ()) -> tuple[str, ...]:
    """One phrase a change, oldest first: an agreed score as 'the agreed score of Falls response
    car on Reduces inequalities, 6 → 8'; the individual scores given or changed for one option
    since, as one phrase at the place of the latest ('3 individual scores for Falls response car
    given or changed, by 2 people'; none for an option and value in ``settled``, agreed
    throughout, where they do not count); anything else as the audit log says it."""
    phrases: list[tuple[int, str]] = []
    scored: dict[str, tuple[int, set[tuple[str, str]]]] = {}  # option -> (latest, {(person, value)})
    summaries: list[tuple[int, AuditEntry]] = []
    for index, entry in enumerate(entries):
        if entry.entity != "individual_scores":
            phrases.append((index, _phrase(entry)))
            continue
        cells = _score_cells(entry)
        if cells is None:  # an import's summary entry: said by its entries per option, if any
            summaries.append((index, entry))
            continue
        option, given = cells
        given = {(who, value) for who, value in given if (option, value) not in settled}
        if given:
            scored[option] = (index, scored.get(option, (index, set()))[1] | given)
    for option, (last, given) in scored.items():
        people = len({who for who, _ in given})
        phrases.append((last, f"{len(given):,} individual score{'s' * (len(given) != 1)} for {option} given or "
                              f"changed, by {people:,} {'person' if people == 1 else 'people'}"))
    if not scored:
        phrases += [(index, _phrase(entry)) for index, entry in summaries]
    phrases.sort()
    return tuple(text for _, text in phrases)


def _score_cells(entry: AuditEntry) -> tuple[str, set[tuple[str, str]]] | None:
    """An individual scores entry's option and the (participant, value) cells it touched: a live
    score ('meeting / person / option / value') or an option's imported scores ('meeting /
    option', with each participant's scores before and after)."""
    parts = entry.entity_key.split(KEY_SEPARATOR)
    if len(parts) == 4:
        return parts[2], {(parts[1], parts[3])}
    if len(parts) != 2:
        return None
    cells: set[tuple[str, str]] = set()
    for record in (entry.before, entry.after):
        block = record.get("scores") if isinstance(record, dict) else None
        for who, values in (block.items() if isinstance(block, dict) else ()):
            cells |= {(str(who), str(value)) for value in (values if isinstance(values, dict) else ())}
    return parts[1], cells


def _phrase(entry: AuditEntry) -> str:
    parts = entry.entity_key.split(KEY_SEPARATOR)
    if entry.entity == "agreed_scores" and len(parts) == 2:
        old, new = _score(entry.before), _score(entry.after)
        return f"the agreed score of {parts[0]} on {parts[1]}, {old} → {new}"
    text = audit_words.headline(entry)
    first = text.split(" ", 1)[0]
    if first in _VERBS:
        text = text[0].lower() + text[1:]
    lines = audit_words.changes(entry, limit=60)
    if lines:
        more = f" (and {len(lines) - 2} more)" if len(lines) > 2 else ""
        text += ": " + ", ".join(lines[:2]) + more
    return text


def _score(record: Any) -> str:
    score = record.get("score") if isinstance(record, dict) else None
    if isinstance(score, int | float) and not isinstance(score, bool):
        return f"{score:g}"
    return "none"


class StalenessWatch:
    """A screen's memory of each result's staleness, asked again only when the audit log has moved
    on (one small query), so a screen may check on every refresh."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, Hashable], tuple[tuple[int, str], Staleness]] = {}

    def known(self, service: PlanService, key: Hashable) -> Staleness | None:
        """The answer remembered for ``key`` (a result's id, or a screen's own key for a run not
        stored), if the log has not moved since: a screen's quick look."""
        known = self._known.get((str(service.path), key))
        return known[1] if known is not None and known[0] == _log_end(service) else None

    def check(self, service: PlanService, key: Hashable, work: Callable[[], Staleness] | None = None) -> Staleness:
        """The answer, worked out again (by ``work``; for a result's id, ``staleness``) only if
        the log has moved. Safe from a worker thread."""
        mark = _log_end(service)
        known = self._known.get((str(service.path), key))
        if known is not None and known[0] == mark:
            return known[1]
        if work is None:
            if not isinstance(key, int):
                raise TypeError("a run not stored needs its own work")
            result_id = key

            def work() -> Staleness:
                return staleness(service, result_id)
        now = work()
        self._known[(str(service.path), key)] = (mark, now)
        return now
