"""What deleting or renaming a record does to the rest of the plan, worked out in memory.

Deleting an option also deletes its declarations and agreed scores and drops it from other
options' requires and excludes; deleting a partner deletes the interests declared in it.
Working it out here lets the service validate the plan that would remain, delete from the file
just what was taken (so the file holds the plan left), and keep everything taken, so an undo can
put it all back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from placeplanner.model.plan_data import PlanData, record_key
from placeplanner.model.records import Rule, Scenario, WeightSet


def without(plan: PlanData, table: str, key: tuple[Any, ...]) -> tuple[PlanData, PlanData]:
    """The plan without one record, and a PlanData of that record with all it took along
    (dependent records as they were before the change)."""
    records = plan.table(table)
    gone = tuple(r for r in records if record_key(r) == key)
    remaining = replace(plan, **{table: tuple(r for r in records if record_key(r) != key)})  # type: ignore[arg-type]
    taken: dict[str, tuple[Any, ...]] = {table: gone}
    name = key[0]

    def drop(dependent: str, keep: Any) -> None:
        nonlocal remaining
        kept = tuple(r for r in remaining.table(dependent) if keep(r))
        lost = tuple(r for r in remaining.table(dependent) if not keep(r))
        if lost:
            taken[dependent] = taken.get(dependent, ()) + lost
            remaining = replace(remaining, **{dependent: kept})  # type: ignore[arg-type]

    def edit_options(change: Any) -> None:
        nonlocal remaining
        before = {o.name: o for o in remaining.options}
        after = tuple(change(o) for o in remaining.options)
        changed = tuple(before[o.name] for o in after if o != before[o.name])
        if changed:
            taken["options"] = taken.get("options", ()) + changed
            remaining = replace(remaining, options=after)

    if table == "options":
        drop("declarations", lambda d: d.option != name)
        drop("agreed_scores", lambda a: a.option != name)
        edit_options(lambda o: replace(o, requires=_minus(o.requires, name), excludes=_minus(o.excludes, name)))
    elif table == "values":
        drop("agreed_scores", lambda a: a.value != name)
        drop("weight_sets", lambda w: all(v != name for v, _ in w.weights))
    elif table == "participants":
        drop("declarations", lambda d: d.participant != name)
    elif table == "partners":
        drop("declarations", lambda d: d.partner != name)
    elif table == "needs":
        edit_options(lambda o: replace(o, needs=_minus(o.needs, name)))
        drop("indicators", lambda i: i.need != name)
    elif table == "meetings":
        drop("agreed_scores", lambda a: a.meeting != name)
    return remaining, replace(PlanData(info=plan.info), **taken)  # type: ignore[arg-type]


def renamed(plan: PlanData, table: str, old: str, new: str) -> PlanData:
    """The plan with one named record renamed and every reference by name following it:
    costs, needs and links of options, rules' targets, scenarios' lists, declarations,
    agreed scores (their option, value and meeting) and weight sets."""
    def swap(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if n == old else n for n in names)

    records = tuple(replace(r, name=new) if r.name == old else r for r in plan.table(table))
    plan = replace(plan, **{table: records})  # type: ignore[arg-type]
    if table == "options":
        plan = replace(
            plan,
            options=tuple(replace(o, requires=swap(o.requires), excludes=swap(o.excludes)) for o in plan.options),
            declarations=tuple(replace(d, option=new) if d.option == old else d for d in plan.declarations),
            agreed_scores=tuple(replace(a, option=new) if a.option == old else a for a in plan.agreed_scores),
            scenarios=tuple(_rename_in_scenario(s, ("options_out", "options_in"), old, new) for s in plan.scenarios),
        )
    elif table == "partners":
        plan = replace(
            plan,
            options=tuple(replace(o, lead_partner=new) if o.lead_partner == old else o for o in plan.options),
            funding_streams=tuple(replace(s, partner=new) if s.partner == old else s for s in plan.funding_streams),
            declarations=tuple(replace(d, partner=new) if d.partner == old else d for d in plan.declarations),
            rules=_retarget(plan.rules, f"partner:{old}", f"partner:{new}"),
            weight_sets=_reowned(plan, old, new),
        )
    elif table == "funding_streams":
        plan = replace(
            plan,
            options=tuple(replace(o, costs=tuple(replace(c, stream=new) if c.stream == old else c for c in o.costs)) for o in plan.options),
            scenarios=tuple(_rename_in_scenario(s, ("stream_factors", "stream_extra"), old, new) for s in plan.scenarios),
        )
    elif table == "needs":
        plan = replace(
            plan,
            options=tuple(replace(o, needs=swap(o.needs)) for o in plan.options),
            indicators=tuple(replace(i, need=new) if i.need == old else i for i in plan.indicators),
            rules=_retarget(plan.rules, f"need:{old}", f"need:{new}"),
        )
    elif table == "values":
        plan = replace(
            plan,
            agreed_scores=tuple(replace(a, value=new) if a.value == old else a for a in plan.agreed_scores),
            weight_sets=tuple(replace(w, weights=tuple((new if v == old else v, x) for v, x in w.weights)) for w in plan.weight_sets),
        )
    elif table == "participants":
        plan = replace(plan, declarations=tuple(replace(d, participant=new) if d.participant == old else d for d in plan.declarations),
                       weight_sets=_reowned(plan, old, new))
    elif table == "meetings":
        plan = replace(plan, agreed_scores=tuple(replace(a, meeting=new) if a.meeting == old else a for a in plan.agreed_scores))
    elif table == "weight_sets":
        plan = replace(plan, scenarios=tuple(
            replace(s, settings={**s.settings, "weight_set": new}) if s.settings.get("weight_set") == old else s for s in plan.scenarios))
    elif table == "rules":
        plan = replace(plan, scenarios=tuple(_rename_in_scenario(s, ("rules_off",), old, new) for s in plan.scenarios))
    return plan


def _minus(names: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(n for n in names if n != name)


def _reowned(plan: PlanData, old: str, new: str) -> tuple[WeightSet, ...]:
    return tuple(replace(w, owner=new) if w.owner == old else w for w in plan.weight_sets)


def _retarget(rules: tuple[Rule, ...], old: str, new: str) -> tuple[Rule, ...]:
    return tuple(replace(r, applies_to=new) if r.applies_to == old else r for r in rules)


def _rename_in_scenario(scenario: Scenario, keys: tuple[str, ...], old: str, new: str) -> Scenario:
    settings = dict(scenario.settings)
    for key in keys:
        held = settings.get(key)
        if isinstance(held, list):
            settings[key] = [new if n == old else n for n in held]
        elif isinstance(held, dict):
            settings[key] = {(new if k == old else k): v for k, v in held.items()}
    return replace(scenario, settings=settings) if settings != scenario.settings else scenario

