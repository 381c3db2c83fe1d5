"""Deleting with what a record takes along, putting it back exactly, and renaming with every
reference following: the service calls behind the app's undo and redo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from placeplanner.errors import ValidationError
from placeplanner.model import PlanData, Scenario
from placeplanner.model.plan_data import TABLE_OF_RECORD
from placeplanner.service import PlanService


@pytest.fixture
def demo(demo_copy: Path) -> Iterator[PlanService]:
    with PlanService.open(demo_copy, auto_backup=False) as service:
        yield service


def _same(a: PlanData, b: PlanData) -> bool:
    """Equal content, whatever the order rows come back in."""
    return a.info == b.info and all(set(a.table(t)) == set(b.table(t)) for t in TABLE_OF_RECORD.values())


def _scored_option(plan_service: PlanService) -> str:
    frame = plan_service.scores_frame()
    declared = {d.option for d in plan_service.read().declarations}
    return str(next(name for name in frame["option"].unique() if name in declared))


def test_removing_an_option_takes_its_scores_and_declarations_and_restore_puts_back_all(demo: PlanService) -> None:
    before_plan, before_scores = demo.read(), demo.scores_frame()
    name = _scored_option(demo)
    removed = demo.remove("options", (name,))
    after = demo.read()
    assert name not in {o.name for o in after.options}
    assert all(d.option != name for d in after.declarations)
    assert all(a.option != name for a in after.agreed_scores)
    assert name not in set(demo.scores_frame()["option"])
    assert removed.scores is not None
    assert len(removed.scores) > 0
    assert removed.records.declarations
    assert removed.records.agreed_scores

    demo.restore(removed)
    assert _same(demo.read(), before_plan)
    restored = demo.scores_frame().sort_values(["meeting", "participant", "option", "value"]).reset_index(drop=True)
    original = before_scores.sort_values(["meeting", "participant", "option", "value"]).reset_index(drop=True)
    assert restored.drop(columns="scored_at").equals(original.drop(columns="scored_at"))


def test_removing_a_need_drops_it_from_options_and_restore_relinks(demo: PlanService) -> None:
    plan = demo.read()
    ruled = {r.applies_to for r in plan.rules}
    need = next(n.name for n in plan.needs if any(n.name in o.needs for o in plan.options) and f"need:{n.name}" not in ruled)
    removed = demo.remove("needs", (need,))
    assert all(need not in o.needs for o in demo.read().options)
    demo.restore(removed)
    assert _same(demo.read(), plan)


def test_a_need_a_rule_names_cannot_be_removed(demo: PlanService) -> None:
    plan = demo.read()
    rule = next(r for r in plan.rules if r.applies_to.startswith("need:"))
    with pytest.raises(ValidationError, match=f"rule '{rule.name}' applies to need"):
        demo.remove("needs", (rule.applies_to.split(":", 1)[1],))
    assert _same(demo.read(), plan)


def test_a_partner_that_leads_options_cannot_be_removed_and_nothing_changes(demo: PlanService) -> None:
    plan = demo.read()
    partner = plan.options[0].lead_partner
    with pytest.raises(ValidationError, match=f"'{partner}' cannot be deleted"):
        demo.remove("partners", (partner,))
    assert _same(demo.read(), plan)


def test_removing_a_declaration_by_its_key(demo: PlanService) -> None:
    plan = demo.read()
    declaration = plan.declarations[0]
    removed = demo.remove("declarations", (declaration.participant, declaration.option, ""))
    assert declaration not in demo.read().declarations
    demo.restore(removed)
    assert _same(demo.read(), plan)


def test_renaming_an_option_carries_links_scores_and_scenarios(demo: PlanService) -> None:
    plan = demo.read()
    target = next(o for o in plan.options if any(target_name in (x.requires + x.excludes) for x in plan.options for target_name in [o.name]))
    demo.upsert(Scenario("Without it", settings={"options_out": [target.name]}))
    plan = demo.read()
    scores_before = (demo.scores_frame()["option"] == target.name).sum()
    demo.rename("options", target.name, "Renamed option")
    after = demo.read()
    names = {o.name for o in after.options}
    assert "Renamed option" in names
    assert target.name not in names
    assert any("Renamed option" in (o.requires + o.excludes) for o in after.options)
    assert (demo.scores_frame()["option"] == "Renamed option").sum() == scores_before
    assert next(s for s in after.scenarios if s.name == "Without it").settings["options_out"] == ["Renamed option"]
    demo.rename("options", "Renamed option", target.name)
    assert _same(demo.read(), plan)


def test_renaming_a_partner_retargets_rules_and_refuses_a_taken_name(demo: PlanService) -> None:
    from placeplanner.model import Rule, RuleMeasure

    plan = demo.read()
    partner = plan.options[0].lead_partner
    demo.upsert(Rule("Partner floor", f"partner:{partner}", RuleMeasure.COUNT, minimum=1))
    with pytest.raises(ValidationError, match="already taken"):
        demo.rename("partners", partner, plan.partners[-1].name if plan.partners[-1].name != partner else plan.partners[0].name)
    demo.rename("partners", partner, "Renamed partner")
    after = demo.read()
    assert next(r for r in after.rules if r.name == "Partner floor").applies_to == "partner:Renamed partner"
    assert all(o.lead_partner != partner for o in after.options)
    assert demo.audit_log()[-1].action == "rename"
