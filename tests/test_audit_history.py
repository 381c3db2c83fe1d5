"""The history of an option, a value or a weight set, read from the audit log without Qt, and
each entry in plain words."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from placeplanner.model import (
    AgreedScore,
    Cost,
    Declaration,
    DeclarationAction,
    Level,
    Option,
    Participant,
    PlanData,
    ScalePoint,
    WeightSet,
    WeightSetKind,
)
from placeplanner.service import PlanService
from placeplanner.service.audit_words import changes, headline, summary
from placeplanner.service.history import (
    SHOWN_CHANGES,
    Span,
    name_spans,
    option_history,
    value_history,
    weight_set_history,
)
from placeplanner.storage import audit
from placeplanner.storage import live as store
from placeplanner.storage.audit import AuditEntry

HEALTH, FAIRNESS = "Improves population health", "Reduces inequalities"


def entry(id_: int, action: str, entity: str, key: str, before: Any = None, after: Any = None) -> AuditEntry:
    return AuditEntry(id_, datetime(2027, 3, 1, 10, id_ % 60), "Test Analyst", action, entity, key, before, after)


# --- following renames ---------------------------------------------------------------------------


def test_a_name_is_followed_back_through_its_renames() -> None:
    renames = [entry(10, "rename", "options", "B", {"name": "A"}, {"name": "B"}),
               entry(20, "rename", "options", "C", {"name": "B"}, {"name": "C"})]
    assert name_spans(renames, "C") == [Span("C", 20, name_spans([], "x")[0].last), Span("B", 10, 19), Span("A", 0, 9)]


def test_a_name_once_held_by_another_record_is_not_followed_past_its_rename() -> None:
    renames = [entry(10, "rename", "options", "B", {"name": "A"}, {"name": "B"})]  # then a new "A" was added
    assert [(s.name, s.first) for s in name_spans(renames, "A")] == [("A", 11)]
    assert [(s.name, s.first, s.last) for s in name_spans(renames, "B")][1] == ("A", 0, 9)


# --- the history of an option --------------------------------------------------------------------


def _texts(items: list[Any]) -> list[str]:
    return [f"{i.what} | {'; '.join(i.changes)}" for i in items]


def test_an_options_history_gathers_everything_about_it_newest_first(service: PlanService) -> None:
    option = next(o for o in service.read().options if o.name == "Falls service")
    service.upsert(replace(option, costs=(Cost("Better Care Fund", 2027, 350_000.0), *option.costs[1:]),
                           tags=("prevention", "frailty"), levels=(Level("Half", 0.5, 0.6), Level("Full", 1.0, 1.0))))
    service.upsert(Declaration("Asha Patel", "Falls service", "Her team would run it", DeclarationAction.RECUSED))
    service.upsert(AgreedScore("Falls service", FAIRNESS, 6, "The group agreed after seeing the spread", "Workshop"))
    store.set_round(service.plan_file, "Workshop", "Falls service", "open", actor="Facilitator")
    store.save_submissions(service.plan_file, "Workshop", [store.Submission("Tom Reid", "Falls service", [(HEALTH, 7.0, None, "")])])
    service.rename("options", "Falls service", "Community falls service")
    service.upsert(Option("Falls service", "Testford Council"))  # a new option takes the old name

    items = option_history(service.plan_file, "Community falls service")
    assert [i.id for i in items] == sorted((i.id for i in items), reverse=True)
    texts = _texts(items)
    assert texts[0] == "Renamed option “Community falls service” | name: Falls service → Community falls service"
    assert texts[1] == "Tom Reid scored “Falls service” on “Improves population health” (Workshop) | score: 7"
    assert texts[2] == "Opened the scoring round for “Falls service” in “Workshop” | status: open"
    assert texts[3].startswith("Added the agreed score for “Falls service” on “Reduces inequalities” | score: 6; "
                               "rationale: The group agreed after seeing the spread")
    assert texts[4].startswith("Added Asha Patel's interest in “Falls service” | interest: Her team would run it; action: recused")
    assert texts[5] == ("Changed option “Falls service” | cost from Better Care Fund in 2027/28: £300k → £350k; "
                        "levels: none → Half (50% of cost, 60% of value), Full (100% of cost, 100% of value); "
                        "tags: prevention → prevention, frailty")
    assert texts[-1] == ("Added option “Falls service” | lead partner: Testford ICB; cost from Better Care Fund in 2027/28: £300k; "
                         "cost from Better Care Fund in 2028/29: £250k; needs: Falls in older people; tags: prevention; mandatory: yes")
    assert all(i.who for i in items)

    fresh = option_history(service.plan_file, "Falls service")
    assert _texts(fresh) == ["Added option “Falls service” | lead partner: Testford Council"]


def test_deleting_and_putting_back_an_option_stays_in_its_history(service: PlanService) -> None:
    removed = service.remove("options", ("Healthy schools",))
    service.restore(removed)
    first, second = option_history(service.plan_file, "Healthy schools")[:2]
    assert first.what == "Put back option “Healthy schools”"
    assert (second.what, second.changes) == ("Deleted option “Healthy schools”", ())


def test_a_stream_in_staff_hours_shows_in_its_own_unit(service: PlanService) -> None:
    option = service.read().options[0]
    service.upsert(replace(option, costs=(*option.costs, Cost("Inequalities fund", 2028, 120.0))))
    item = option_history(service.plan_file, option.name, units={"Inequalities fund": "hours"})[0]
    assert item.changes == ("cost from Inequalities fund in 2028/29: none → 120 hours",)


# --- the history of a value and its weights -------------------------------------------------------


def test_a_values_history_holds_its_weight_in_every_weight_set(service: PlanService) -> None:
    value = next(v for v in service.read().values if v.name == HEALTH)
    service.upsert(replace(value, weight=35.0, scale_points=(ScalePoint(0, "None"), ScalePoint(5, "Some"), ScalePoint(10, "Large"))))
    service.upsert(WeightSet("ICB weights", WeightSetKind.PARTNER, ((HEALTH, 30.0), (FAIRNESS, 20.0)), "Testford ICB"))
    service.upsert(WeightSet("ICB weights", WeightSetKind.PARTNER, ((HEALTH, 30.0), (FAIRNESS, 25.0)), "Testford ICB"))
    store.save_weights(service.plan_file, "Workshop", "Asha Patel", {HEALTH: 40.0, FAIRNESS: 60.0})
    service.rename("values", HEALTH, "Better health")
    service.upsert(WeightSet("ICB weights", WeightSetKind.PARTNER, (("Better health", 32.0), (FAIRNESS, 25.0)), "Testford ICB"))

    texts = _texts(value_history(service.plan_file, "Better health"))
    assert texts[:3] == [
        "Changed weight set “ICB weights” | weight for Better health: 30 → 32",
        "Renamed value “Better health” | name: Improves population health → Better health",
        "Weighted weight set “Workshop: Asha Patel” | weight for Improves population health: 40",
    ]
    # The second change to ICB weights left this value's weight alone: it is not in its history.
    assert texts[3] == "Added weight set “ICB weights” | weight for Improves population health: 30"
    assert texts[4] == "Changed value “Improves population health” | weight: 30 → 35; scale point 5: none → Some"


def test_a_weight_sets_history(service: PlanService) -> None:
    service.upsert(WeightSet("Group", WeightSetKind.GROUP, ((HEALTH, 30.0), (FAIRNESS, 20.0))))
    service.upsert(WeightSet("Group", WeightSetKind.GROUP, ((HEALTH, 25.0), (FAIRNESS, 25.0))))
    texts = _texts(weight_set_history(service.plan_file, "Group"))
    assert texts == ["Changed weight set “Group” | weight for Improves population health: 30 → 25; weight for Reduces inequalities: 20 → 25",
                     "Added weight set “Group” | kind: group; weight for Improves population health: 30; weight for Reduces inequalities: 20"]


# --- plain words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("made", "said"), [
    (entry(1, "update", "options", "X", {"mandatory": False, "min_share": None}, {"mandatory": True, "min_share": 0.5}),
     ["mandatory: no → yes", "part-funded down to: none → 50%"]),
    (entry(2, "rescore", "individual_scores", "M / P / X / V", {"score": 4, "confidence": None, "comment": ""},
           {"score": None, "confidence": None, "comment": "not sure now"}),
     ["score: 4 → don't know", "comment: blank → not sure now"]),
    (entry(3, "delete", "options", "X", {"name": "X"}, {"taken along": {"declarations": 2, "individual_scores": 40}}),
     ["taken along: 2 declarations, 40 individual scores"]),
    (entry(4, "update", "scenarios", "S", {"name": "S", "settings": {"budget_factor": 1.0, "rules_off": []}},
           {"name": "S", "settings": {"budget_factor": 0.9, "rules_off": ["Fairness"]}}),
     ["settings, budget factor: 1 → 0.9", "settings, rules off: none → Fairness"]),
    (entry(5, "update", "funding_streams", "F", {"amounts": [[2027, 1_000_000.0]]}, {"amounts": [[2027, 1_200_000.0]]}),
     ["amount in 2027/28: £1.00m → £1.20m"]),
    (entry(5, "update", "funding_streams", "Hours", {"amounts": [[2027, 3500.0]], "unit": "staff hours"},
           {"amounts": [[2027, 4000.0]], "unit": "staff hours"}), ["amount in 2027/28: 3,500 staff hours → 4,000 staff hours"]),
    (entry(6, "import", "individual_scores", "scores.csv", None, {"scores written": 1200}), ["1,200 individual scores written"]),
    (entry(7, "update", "plan", "Riverside", {"start_year": 2027, "quorum": 3}, {"start_year": 2028, "quorum": 3}),
     ["first year: 2027/28 → 2028/29"]),
    (entry(8, "update", "values", "V", {"description": "a" * 300}, {"description": "b"}),
     ["description: “" + "a" * 79 + "…” → b"]),
    (entry(9, "update", "rules", "R", {"measure": "spend", "minimum": 500_000, "maximum": None},
           {"measure": "spend", "minimum": 650_000, "maximum": 1_200_000}),
     ["minimum: £500k → £650k", "maximum: none → £1.20m"]),
    (entry(10, "update", "rules", "R", {"measure": "count", "minimum": 2}, {"measure": "count", "minimum": 3}),
     ["minimum: 2 → 3"]),
    (entry(11, "update", "values", "V", {"weight": 5.0}, {"weight": -5.0}), ["weight: 5 → \u22125"]),
])
def test_changes_read_as_plain_words(made: AuditEntry, said: list[str]) -> None:
    assert changes(made) == said


def test_headlines_name_the_action_and_what_it_was_about() -> None:
    assert headline(entry(1, "solve", "results", "4")) == "Stored result 4"
    assert headline(entry(1, "open", "meetings", "Workshop")) == "Opened meeting “Workshop”"
    assert headline(entry(1, "declare", "declarations", "Asha Patel / X")) == "Asha Patel declared an interest in “X”"
    assert headline(entry(1, "rescore", "individual_scores", "M / P / X / V")) == "P changed their score for “X” on “V” (M)"
    assert headline(entry(1, "mystery", "things", "Y")) == "Mystery thing “Y”"


def test_a_summary_keeps_old_and_new_in_view() -> None:
    made = entry(1, "update", "options", "X",
                 {"costs": [{"stream": "Better Care Fund pooled growth", "year": 2027, "amount": 850_000.0}], "status": "proposed"},
                 {"costs": [{"stream": "Better Care Fund pooled growth", "year": 2027, "amount": 900_000.0}], "status": "funded"})
    line = summary(made, limit=60)
    assert len(line) <= 60
    assert line.endswith("£850k → £900k (+1 more)")


def test_an_entry_edited_into_odd_shapes_is_still_shown() -> None:
    assert changes(entry(1, "update", "options", "X", [1, 2], "text")) == ["[1, 2] → text"]
    assert changes(entry(1, "update", "options", "X", {"costs": "odd"}, {"costs": [{"stream": "S", "year": 2027, "amount": 1}]})) == [
        'costs: odd → [{"stream": "S", "year": 2027, "amount": 1}]']


def _imported(service: PlanService, rows: list[tuple[str, str, float | None, str]]) -> None:
    """Import individual scores for the Workshop: (participant, option, score on HEALTH, comment)."""
    import pandas as pd

    frame = pd.DataFrame({"meeting": "Workshop", "participant": [r[0] for r in rows], "option": [r[1] for r in rows],
                          "value": HEALTH, "score": [r[2] for r in rows], "confidence": float("nan"),
                          "comment": [r[3] for r in rows], "scored_at": pd.Timestamp("2027-03-10 10:00")})
    service.apply(PlanData(info=service.info()), scores_in=frame, action="import", source="scores.csv")


def test_imported_scores_are_in_each_options_history_with_before_and_after(service: PlanService) -> None:
    _imported(service, [("Asha Patel", "Falls service", 7.0, ""), ("Tom Reid", "Falls service", None, "Not my area"),
                        ("Asha Patel", "Healthy schools", 4.0, "")])
    (first,) = option_history(service.plan_file, "Falls service")[:1]
    assert first.what == "Imported the individual scores for “Falls service” (Workshop)"
    assert first.changes == (f"Asha Patel on {HEALTH}: 7", f"Tom Reid on {HEALTH}: don't know",
                             f"Tom Reid's comment on {HEALTH}: Not my area")
    assert option_history(service.plan_file, "Healthy schools")[0].changes == (f"Asha Patel on {HEALTH}: 4",)

    # Again, with one score changed: only that option gains an entry, and it holds just the change.
    _imported(service, [("Asha Patel", "Falls service", 5.0, ""), ("Tom Reid", "Falls service", None, "Not my area"),
                        ("Asha Patel", "Healthy schools", 4.0, "")])
    first = option_history(service.plan_file, "Falls service")[0]
    assert first.changes == (f"Asha Patel on {HEALTH}: 7 → 5",)

    # A comment added to an unchanged score shows as just that.
    _imported(service, [("Tom Reid", "Falls service", None, "Not my area; ask the falls lead")])
    assert option_history(service.plan_file, "Falls service")[0].changes == (
        f"Tom Reid's comment on {HEALTH}: Not my area → Not my area; ask the falls lead",)
    assert len([i for i in option_history(service.plan_file, "Healthy schools") if i.what.startswith("Imported")]) == 1
    with service.plan_file.reading() as session:
        sources = [e for e in audit.read_log(session) if e.entity == "individual_scores" and e.entity_key == "scores.csv"]
    assert [e.after for e in sources] == [{"scores written": 3}, {"scores written": 3}, {"scores written": 1}]
    with service.plan_file.reading() as session:
        assert audit.verify_chain(session).intact  # the entries hash as they are stored


def test_a_long_list_of_changes_is_cut_in_the_history(service: PlanService) -> None:
    people = [f"Person {n}" for n in range(40)]
    service.apply(replace(PlanData(info=service.info()), participants=tuple(Participant(p, "Testford ICB") for p in people)))
    _imported(service, [(p, "Healthy schools", 5.0, "") for p in people])
    (latest,) = option_history(service.plan_file, "Healthy schools")[:1]
    assert len(latest.changes) == SHOWN_CHANGES
    assert latest.changes[-1] == "… and 11 more (placeplanner audit --csv lists every one)"


def test_an_options_history_holds_the_interests_declared_in_its_lead_partner(service: PlanService) -> None:
    service.upsert(Declaration("Asha Patel", "", "Director at the ICB", DeclarationAction.RECUSED, partner="Testford ICB"))
    service.upsert(Declaration("Tom Reid", "", "Councillor", DeclarationAction.RECUSED, partner="Testford Council"))
    service.rename("partners", "Testford ICB", "NHS Testford ICB")
    texts = _texts(option_history(service.plan_file, "Falls service", lead_partner="NHS Testford ICB"))
    assert texts[0].startswith("Added Asha Patel's interest in partner “Testford ICB” (every option it leads) | "
                               "interest: Director at the ICB")
    assert not any("Tom Reid" in t for t in texts)  # the council leads Healthy schools, not this
    assert not any("interest in partner" in t for t in _texts(option_history(service.plan_file, "Falls service")))
