"""The audit log: every change writes its entries in the change's own transaction, a refused
change writes none, and the chain with its head names the first entry changed or removed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from placeplanner.errors import PlanError, ValidationError
from placeplanner.io.importing import import_files
from placeplanner.model import (
    AgreedScore,
    Cost,
    Declaration,
    DeclarationAction,
    FundingStream,
    Indicator,
    Meeting,
    Need,
    Option,
    Participant,
    Partner,
    PlanData,
    Population,
    Rule,
    RuleMeasure,
    Scenario,
    Value,
    WeightSet,
    WeightSetKind,
    record_key,
)
from placeplanner.model.plan_data import TABLE_OF_RECORD
from placeplanner.service import PlanService
from placeplanner.storage import audit
from placeplanner.storage import live as store
from tests.conftest import content_of, small_plan


def test_every_change_is_logged_with_before_and_after(service: PlanService) -> None:
    service.upsert(Partner("Testford ICB", "integrated care board"))
    entry = service.audit_log()[-1]
    assert (entry.action, entry.entity, entry.entity_key, entry.actor) == ("update", "partners", "Testford ICB", "Test Analyst")
    assert entry.before == {"name": "Testford ICB", "kind": "ICB"}
    assert entry.after == {"name": "Testford ICB", "kind": "integrated care board"}


def test_a_refused_change_leaves_no_entry(service: PlanService) -> None:
    count = len(service.audit_log())
    with pytest.raises(ValidationError):
        service.upsert(Option("Nowhere", "No such partner"))
    assert len(service.audit_log()) == count


def test_deleting_a_record_is_logged(service: PlanService) -> None:
    service.upsert(Partner("Riverside Hospice"))
    service.delete("partners", "Riverside Hospice")
    entry = service.audit_log()[-1]
    assert (entry.action, entry.entity_key, entry.after) == ("delete", "Riverside Hospice", None)


def test_deleting_what_others_depend_on_is_refused(service: PlanService) -> None:
    with pytest.raises(ValidationError, match=r"^funding stream 'Better Care Fund' names partner 'Testford ICB', which is not in the plan, so 'Testford ICB' cannot be deleted"):
        service.delete("partners", "Testford ICB")


def test_the_chain_is_whole_after_ordinary_use(service: PlanService) -> None:
    assert service.verify_audit() is None


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_log SET actor = 'Someone else' WHERE id = 2",
    "UPDATE audit_log SET after = '{\"name\": \"Forged\"}' WHERE id = 3",
    "DELETE FROM audit_log WHERE id = 2",
])
def test_editing_or_deleting_an_entry_breaks_the_chain_at_that_entry(service: PlanService, tamper: str) -> None:
    _sql(service.path, tamper)
    assert service.verify_audit() in {2, 3}


# --- the head ------------------------------------------------------------------------------


def _sql(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _report(service: PlanService) -> audit.ChainReport:
    with service.plan_file.reading() as session:
        return audit.verify_chain(session)


def test_the_head_follows_every_append_in_the_same_transaction(service: PlanService) -> None:
    service.upsert(Partner("Riverside Hospice"))
    log = service.audit_log()
    with service.plan_file.reading() as session:
        head = audit.read_head(session)
    assert head == audit.Head(len(log), log[-1].id, log[-1].hash)
    report = _report(service)
    assert (report.entries, report.head_hash, report.broken) == (len(log), log[-1].hash, None)


def test_removing_the_last_entry_is_caught_by_the_head(service: PlanService) -> None:
    last = service.audit_log()[-1].id
    _sql(service.path, f"DELETE FROM audit_log WHERE id = {last}")
    broken = _report(service).broken
    assert broken is not None
    assert (broken.kind, broken.entry) == ("truncated", last)
    assert broken.message == f"the last entries were removed: the log ends at entry {last - 1} but its head says {last} (entry {last} was removed)"


def test_a_gap_left_at_the_end_is_not_healed_by_the_next_edit(service: PlanService) -> None:
    last = service.audit_log()[-1].id
    _sql(service.path, f"DELETE FROM audit_log WHERE id >= {last - 1}")
    service.upsert(Partner("Riverside Hospice"))  # the app carries on; the evidence stays
    broken = _report(service).broken
    assert broken is not None
    assert (broken.kind, broken.entry) == ("missing", last - 1)
    assert broken.message == f"entries {last - 1} to {last} were removed (the log goes from entry {last - 2} to entry {last + 1})"


def test_entries_added_behind_the_heads_back_are_named_and_do_not_stop_edits(service: PlanService) -> None:
    last = service.audit_log()[-1]
    forged = audit.entry_hash(last.hash, at=last.at, actor="Forger", action="add", entity="rules",
                              entity_key="Forged rule", before=None, after=None)
    _sql(service.path, "INSERT INTO audit_log (id, at, actor, action, entity, entity_key, before, after, prev_hash, hash) "
         f"VALUES ({last.id + 1}, '{last.at:%Y-%m-%d %H:%M:%S.%f}', 'Forger', 'add', 'rules', 'Forged rule', NULL, NULL, '{last.hash}', '{forged}')")
    broken = _report(service).broken
    assert broken is not None
    assert (broken.kind, broken.entry) == ("extra", last.id + 1)
    service.upsert(Partner("Riverside Hospice"))  # no clash with the forged entry's id
    assert _report(service).broken is not None


def test_a_removed_or_altered_head_is_named(service: PlanService) -> None:
    _sql(service.path, "UPDATE audit_head SET entries = entries + 1")
    broken = _report(service).broken
    assert broken is not None
    assert broken.kind == "head"
    _sql(service.path, "DELETE FROM audit_head")
    broken = _report(service).broken
    assert broken is not None
    assert broken.message == "the log's head (its entry count and last hash) was removed"
    service.upsert(Partner("Riverside Hospice"))  # still works, and does not put a head back
    after = _report(service).broken
    assert after is not None
    assert after.message == broken.message


def test_an_existing_plan_gets_its_head_from_its_log_when_upgraded(service: PlanService) -> None:
    path = service.path
    log = service.audit_log()
    service.close()
    _downgrade(path, "0003")  # as PlacePlanner before the head left it
    assert "audit_head" not in _tables(path)
    with PlanService.open(path) as upgraded:
        with upgraded.plan_file.reading() as session:
            assert audit.read_head(session) == audit.Head(len(log), log[-1].id, log[-1].hash)
        assert _report(upgraded).broken is None
        upgraded.upsert(Partner("Riverside Hospice"))
        assert _report(upgraded).broken is None
    _sql(path, f"DELETE FROM audit_log WHERE id = {log[-1].id + 1}")
    with PlanService.open(path, write=False) as reopened:
        broken = _report(reopened).broken
        assert broken is not None
        assert broken.kind == "truncated"


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from placeplanner.storage import schema

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), revision)
    engine.dispose()


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()


def test_a_new_plan_starts_with_a_head_of_its_first_entry(plan_path: Path) -> None:
    with PlanService.create(plan_path, small_plan().info) as created:
        report = _report(created)
        assert (report.entries, report.broken) == (1, None)
        assert report.head_hash == created.audit_log()[0].hash


# --- every kind of change writes its entries in its own transaction --------------------------


@pytest.fixture
def demo(demo_copy: Path) -> Iterator[PlanService]:
    with PlanService.open(demo_copy, auto_backup=False) as service:
        yield service


Operation = Callable[[PlanService], object]


@dataclass(frozen=True)
class Case:
    """A change to make (``run``, given what ``prepare`` returned) and the entities it must log.
    ``prepare`` runs first and is not what is measured (a record to delete is added, say)."""

    run: Callable[[PlanService, Any], object]
    entities: frozenset[str]
    prepare: Callable[[PlanService], Any] = lambda _s: None


def case(run: Operation, *entities: str) -> Case:
    return Case(lambda s, _prepared: run(s), frozenset(entities))


def _first(service: PlanService, table: str) -> Any:
    return service.read().table(table)[0]


def _added(make: Callable[[PlanService], Any]) -> Callable[[PlanService], Any]:
    def prepare(service: PlanService) -> Any:
        record = make(service)
        service.upsert(record)
        return record
    return prepare


def _partner(s: PlanService) -> Partner:
    return Partner("Riverside Hospice", "voluntary sector")


def _stream(s: PlanService) -> FundingStream:
    return FundingStream("Hospice fund", _first(s, "partners").name, ((2027, 50_000.0), (2028, 50_000.0)))


def _need(s: PlanService) -> Need:
    return Need("Dementia", 2_100, 1.5, "People living with dementia")


def _indicator(s: PlanService) -> Indicator:
    return Indicator("Dementia diagnosis rate", "E99999001", "2023", 61.2, need=_first(s, "needs").name)


def _population(s: PlanService) -> Population:
    return Population("E99999001", "Riverside", 2030, "persons", "all", 300_000.0)


def _value(s: PlanService) -> Value:
    return Value("Sustainability", 5.0)


def _option(s: PlanService) -> Option:
    stream = _first(s, "funding_streams").name
    return Option("Dementia navigators", _first(s, "partners").name, costs=(Cost(stream, 2027, 80_000.0),))


def _participant(s: PlanService) -> Participant:
    return Participant("Nia Jones", "Riverside Borough Council", "Head of commissioning")


def _declaration(s: PlanService) -> Declaration:
    plan = s.read()
    taken = {(d.participant, d.option) for d in plan.declarations}
    person, option = next((p.name, o.name) for p in plan.participants for o in plan.options if (p.name, o.name) not in taken)
    return Declaration(person, option, "Sits on the provider's board", DeclarationAction.ALLOWED, date(2027, 3, 1))


def _meeting(s: PlanService) -> Meeting:
    return Meeting("Second workshop", date(2027, 6, 1))


def _agreed(s: PlanService) -> AgreedScore:
    plan = s.read()
    taken = {(a.option, a.value) for a in plan.agreed_scores}
    option, value = next((o.name, v.name) for o in plan.options for v in plan.values if (o.name, v.name) not in taken)
    return AgreedScore(option, value, 6, "Agreed after discussion")


def _weight_set(s: PlanService) -> WeightSet:
    return WeightSet("Board weights", WeightSetKind.GROUP, tuple((v.name, 10.0) for v in s.read().values))


def _rule(s: PlanService) -> Rule:
    return Rule("At most twelve options", "tag:prevention", RuleMeasure.COUNT, None, 12)


def _scenario(s: PlanService) -> Scenario:
    return Scenario("Stretch", "Budgets 5% larger", {"budget_factor": 1.05})


MAKERS: dict[str, Callable[[PlanService], Any]] = {
    "partners": _partner, "funding_streams": _stream, "needs": _need, "indicators": _indicator,
    "population": _population, "values": _value, "options": _option, "participants": _participant,
    "declarations": _declaration, "meetings": _meeting, "agreed_scores": _agreed,
    "weight_sets": _weight_set, "rules": _rule, "scenarios": _scenario,
}
EDITS: dict[str, Callable[[Any], Any]] = {
    "partners": lambda r: replace(r, kind="changed"),
    "funding_streams": lambda r: replace(r, amounts=tuple((y, a + 1_000) for y, a in r.amounts)),
    "needs": lambda r: replace(r, priority=r.priority + 1),
    "indicators": lambda r: replace(r, value=(r.value or 0) + 1),
    "population": lambda r: replace(r, count=r.count + 1),
    "values": lambda r: replace(r, weight=r.weight + 5),
    "options": lambda r: replace(r, costs=tuple(replace(c, amount=c.amount + 1_000) for c in r.costs), tags=(*r.tags, "audited")),
    "participants": lambda r: replace(r, role="Chair"),
    "declarations": lambda r: replace(r, action=DeclarationAction.LEFT_ROOM),
    "meetings": lambda r: replace(r, notes="Minutes agreed"),
    "agreed_scores": lambda r: replace(r, score=r.score - 1 if r.score > 0 else 1, rationale="Revisited"),
    "weight_sets": lambda r: replace(r, weights=tuple((v, w + 1) for v, w in r.weights)),
    "rules": lambda r: replace(r, enabled=not r.enabled),
    "scenarios": lambda r: replace(r, description="Changed"),
}
NAMED = ("partners", "funding_streams", "needs", "values", "options", "participants", "meetings",
         "weight_sets", "rules", "scenarios")


def _score_frame(s: PlanService) -> pd.DataFrame:
    plan = s.read()
    return pd.DataFrame([{"meeting": plan.meetings[0].name, "participant": plan.participants[0].name,
                          "option": plan.options[-1].name, "value": plan.values[-1].name, "score": 3.0,
                          "confidence": None, "comment": "typed in later", "scored_at": pd.Timestamp("2027-03-01 10:00")}])


def _import(s: PlanService) -> object:
    path = s.path.with_name("partners.csv")
    pd.DataFrame({"name": ["Riverside Hospice"], "kind": ["voluntary sector"]}).to_csv(path, index=False)
    return import_files(s, [path])


def _live_scores(s: PlanService) -> None:
    plan = s.read()
    meeting, option = plan.meetings[0].name, plan.options[1].name
    store.save_submissions(s.plan_file, meeting, [store.Submission(
        plan.participants[0].name, option, [(v.name, 7.0, 0.9, "") for v in plan.values[:2]])])


# The demo has agreed a score for every option and value: one is taken away to add it back.
ROOM: dict[str, Callable[[PlanService], Any]] = {
    "agreed_scores": lambda s: s.remove("agreed_scores", record_key(_first(s, "agreed_scores"))),
}


def _remove(service: PlanService, record: Any) -> object:
    return service.remove(TABLE_OF_RECORD[type(record)], record_key(record))


CASES: dict[str, Case] = {
    **{f"add {t}": Case(lambda s, _p, t=t: s.upsert(MAKERS[t](s)), frozenset({t}), ROOM.get(t, lambda _s: None)) for t in MAKERS},
    **{f"edit {t}": case(lambda s, t=t: s.upsert(EDITS[t](_first(s, t))), t) for t in EDITS},
    **{f"remove {t}": Case(_remove, frozenset({t}), _added(MAKERS[t]) if t not in ROOM else lambda s, t=t: _first(s, t)) for t in MAKERS},
    **{f"rename {t}": case(lambda s, t=t: s.rename(t, _first(s, t).name, _first(s, t).name + " (renamed)"), t) for t in NAMED},
    "remove an option with its scores and declarations": case(lambda s: s.remove("options", (_first(s, "options").name,)), "options"),
    "the plan's details": case(lambda s: s.update_info(replace(s.info(), title="Riverside place, revised")), "plan"),
    "a bulk edit": case(lambda s: s.apply(PlanData(info=s.info(), options=tuple(replace(o, description="bulk") for o in s.read().options[:3]))), "options"),
    "an import": case(_import, "partners"),
    "individual scores written with records": case(lambda s: s.apply(PlanData(info=s.info()), scores_in=_score_frame(s), action="import", source="scores.csv"), "individual_scores"),
    "an undo of a delete": Case(lambda s, removed: s.restore(removed), frozenset({"options", "individual_scores"}),
                                lambda s: s.remove("options", (_first(s, "options").name,))),
    "a stored result": case(lambda s: s.record_result(scenario="", solver="cbc", inputs={}, result={"status": "optimal", "objective": 1.0}), "results"),
    "a decision on the record": Case(lambda s, result: s.record_decision(result_id=result, title="Portfolio agreed", rationale="Best value within the rules"),
                                     frozenset({"decisions"}),
                                     lambda s: s.record_result(scenario="", solver="cbc", inputs={}, result={"status": "optimal", "objective": 1.0})),
    "a live meeting opened": case(lambda s: store.open_live(s.plan_file, "Live workshop", join_code="ABC234", settings={"values": []}, actor="Facilitator"), "meetings"),
    "a round opened": case(lambda s: store.set_round(s.plan_file, s.read().meetings[0].name, _first(s, "options").name, "open", actor="Facilitator"), "scoring_rounds"),
    "a meeting ended": case(lambda s: store.end_live(s.plan_file, s.read().meetings[0].name, actor="Facilitator"), "meetings"),
    "scores from a meeting": case(_live_scores, "individual_scores"),
    "a declaration in a meeting": case(lambda s: store.declare(s.plan_file, s.read().participants[-1].name, s.read().options[-1].name, "Trustee", DeclarationAction.RECUSED), "declarations"),
    "weights from a meeting": case(lambda s: store.save_weights(s.plan_file, s.read().meetings[0].name, s.read().participants[0].name, {v.name: 10.0 for v in s.read().values}), "weight_sets"),
}


@pytest.mark.parametrize("name", CASES)
def test_every_kind_of_change_writes_its_entries(demo: PlanService, name: str) -> None:
    change = CASES[name]
    prepared = change.prepare(demo)
    before = demo.audit_log()
    change.run(demo, prepared)
    new = demo.audit_log()[len(before):]
    assert new, f"{name} wrote no audit entry"
    assert change.entities <= {e.entity for e in new}
    assert all(e.actor for e in new)
    assert _report(demo).broken is None


@pytest.mark.parametrize("name", CASES)
def test_a_change_and_its_entries_commit_together_or_not_at_all(demo: PlanService, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entries are written in the change's own transaction: when writing them fails, the
    change itself is rolled back, and the file is as it was."""
    change = CASES[name]
    prepared = change.prepare(demo)
    unchanged = content_of(demo.path)
    real = audit.append_many

    def append_then_fail(session: Any, actor: str, changes: list[audit.Change]) -> None:
        real(session, actor, changes)
        session.flush()
        raise RuntimeError("the disk filled just after the audit entries were written")

    monkeypatch.setattr(audit, "append_many", append_then_fail)
    with pytest.raises(RuntimeError, match="disk filled"):
        change.run(demo, prepared)
    assert content_of(demo.path) == unchanged


def _bad_import(s: PlanService) -> object:
    path = s.path.with_name("options.csv")
    pd.DataFrame({"name": ["Bad option"], "lead_partner": ["Testford Hospital"]}).to_csv(path, index=False)
    return import_files(s, [path])


REFUSED: dict[str, Operation] = {
    "an option led by no partner": lambda s: s.upsert(Option("Nowhere", "No such partner")),
    "deleting a partner that leads options": lambda s: s.remove("partners", (_first(s, "partners").name,)),
    "a name already taken": lambda s: s.rename("options", s.read().options[0].name, s.read().options[1].name),
    "a blank name": lambda s: s.rename("values", _first(s, "values").name, "  "),
    "a weight set naming no value": lambda s: s.upsert(WeightSet("Odd", WeightSetKind.GROUP, (("No such value", 1.0),))),
    "an agreed score for no option": lambda s: s.upsert(AgreedScore("No such option", _first(s, "values").name, 5)),
    "a plan of no years": lambda s: s.update_info(replace(s.info(), years=0)),
    "an import with one bad cell": _bad_import,
    "scores from someone not in the plan": lambda s: store.save_submissions(
        s.plan_file, s.read().meetings[0].name, [store.Submission("Nobody", _first(s, "options").name, [(_first(s, "values").name, 5.0, None, "")])]),
    "a declaration about no option": lambda s: store.declare(s.plan_file, _first(s, "participants").name, "No such option", "x", DeclarationAction.NONE),
    "weights for a value that is not there": lambda s: store.save_weights(s.plan_file, s.read().meetings[0].name, _first(s, "participants").name, {"No such value": 10.0}),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_change_writes_no_entry_and_changes_nothing(demo: PlanService, name: str) -> None:
    unchanged = content_of(demo.path)
    with pytest.raises((PlanError, KeyError)):
        REFUSED[name](demo)
    assert content_of(demo.path) == unchanged
