"""The rules every plan obeys. Each broken rule is a Problem naming the thing and the reason.

Errors make an edit or an import refused; warnings are shown by ``check`` but allowed,
because a plan is built up in steps (a ring-fence may name a tag no option has yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from placeplanner.errors import Problem
from placeplanner.model.plan_data import PlanData, key_label, record_key
from placeplanner.model.records import (
    DeclarationAction,
    Option,
    OptionKind,
    OptionStatus,
    RuleTarget,
    WeightSetKind,
    split_target,
)
from placeplanner.money import MONEY, format_exact_money, format_quantity


@dataclass(slots=True)
class Findings:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, table: str, name: object, column: str, message: str) -> None:
        self.errors.append(_problem(table, name, column, message))

    def warn(self, table: str, name: object, column: str, message: str) -> None:
        self.warnings.append(_problem(table, name, column, message))


_SINGULAR = {
    "partners": "partner",
    "funding_streams": "funding stream",
    "needs": "need",
    "indicators": "indicator",
    "population": "population row",
    "values": "value",
    "options": "option",
    "participants": "participant",
    "declarations": "declaration",
    "meetings": "meeting",
    "agreed_scores": "agreed score",
    "weight_sets": "weight set",
    "rules": "rule",
    "scenarios": "scenario",
    "plan": "plan",
}


def _problem(table: str, name: object, column: str, message: str) -> Problem:
    key = name if isinstance(name, tuple) else (name,)
    label = key_label(key)
    where = f"{_SINGULAR.get(table, table)} '{label}'" if label else _SINGULAR.get(table, table)
    return Problem(where=where, message=message, table=table, record=key, column=column, inline=True)


def validate_plan(plan: PlanData) -> Findings:
    """Check the whole plan; cheap enough to run on every edit of a realistic plan."""
    found = Findings()
    _check_info(plan, found)
    for table in plan.table_names():
        _check_unique_names(table, plan.table(table), found)

    _check_name_characters(plan, found)
    partners = {p.name for p in plan.partners}
    streams = {s.name: s for s in plan.funding_streams}
    needs = {n.name for n in plan.needs}
    values = {v.name: v for v in plan.values}
    options = {o.name: o for o in plan.options}
    participants = {p.name for p in plan.participants}
    meetings = {m.name for m in plan.meetings}
    tags = {t for o in plan.options for t in o.tags}
    years = set(plan.info.plan_years)

    for stream in plan.funding_streams:
        if stream.partner not in partners:
            found.error("funding_streams", stream.name, "partner", f"names partner '{stream.partner}', which is not in the plan")
        if not stream.unit.strip():
            found.error("funding_streams", stream.name, "unit", "has no unit (GBP, staff hours, beds, ...)")
        for year, amount in stream.amounts:
            if amount < 0:
                found.error("funding_streams", stream.name, "amount", f"has a negative amount ({_amount(amount, stream.unit)}) in {_fy(year)}; a budget cannot be below zero")
            if year not in years:
                found.error("funding_streams", stream.name, "year", f"has an amount for {_fy(year)}, outside the plan's years ({_years(years)})")
        for token in stream.ring_fenced_for:
            _check_ring_fence(stream.name, token, tags, found)

    for need in plan.needs:
        if need.people is not None and need.people < 0:
            found.error("needs", need.name, "people", "cannot affect a negative number of people")
        if need.priority < 0:
            found.error("needs", need.name, "priority", "cannot have a negative priority")

    for value in plan.values:
        if value.weight < 0:
            found.error("values", value.name, "weight", f"has a negative weight ({value.weight:g})")
        if not value.scale_min < value.scale_max:
            found.error("values", value.name, "scale_max", f"has a scale from {value.scale_min:g} to {value.scale_max:g}; the maximum must be above the minimum")
        for point in value.scale_points:
            if not value.scale_min <= point.point <= value.scale_max:
                found.error("values", value.name, "scale", f"describes point {point.point:g}, outside its scale {value.scale_min:g} to {value.scale_max:g}")

    for option in plan.options:
        _check_option(option, partners=partners, streams=streams, needs=needs, options=options, years=years, found=found)
    _check_requires_cycles(plan.options, found)

    for score in plan.agreed_scores:
        key = (score.option, score.value)
        if score.option not in options:
            found.error("agreed_scores", key, "option", f"names option '{score.option}', which is not in the plan")
        scored = values.get(score.value)
        if scored is None:
            found.error("agreed_scores", key, "value", f"names value '{score.value}', which is not in the plan")
        elif not scored.scale_min <= score.score <= scored.scale_max:
            found.error("agreed_scores", key, "score", f"is {score.score:g}, outside the scale of '{scored.name}' ({scored.scale_min:g} to {scored.scale_max:g})")
        if score.meeting and score.meeting not in meetings:
            found.error("agreed_scores", key, "meeting", f"names meeting '{score.meeting}', which is not in the plan")

    for declaration in plan.declarations:
        key = record_key(declaration)
        if declaration.participant not in participants:
            found.error("declarations", key, "participant", f"names participant '{declaration.participant}', who is not in the plan")
        if bool(declaration.option) == bool(declaration.partner):
            found.error("declarations", key, "option", "must name either an option or a partner, not both or neither")
        elif declaration.option and declaration.option not in options:
            found.error("declarations", key, "option", f"names option '{declaration.option}', which is not in the plan")
        elif declaration.partner and declaration.partner not in partners:
            found.error("declarations", key, "partner", f"names partner '{declaration.partner}', which is not in the plan")
        if not declaration.interest.strip():
            found.error("declarations", key, "interest", "does not say what the interest is")
        if declaration.action == DeclarationAction.ALLOWED and not declaration.reason.strip():
            found.warn("declarations", key, "reason", "allows the person to take part but does not record why")

    for weight_set in plan.weight_sets:
        owners = {WeightSetKind.PARTICIPANT: participants, WeightSetKind.PARTNER: partners}.get(weight_set.kind)
        if owners is not None and weight_set.owner not in owners:
            found.error("weight_sets", weight_set.name, "owner", f"belongs to {weight_set.kind.value} '{weight_set.owner}', who is not in the plan")
        for value_name, weight in weight_set.weights:
            if value_name not in values:
                found.error("weight_sets", weight_set.name, "value", f"weights value '{value_name}', which is not in the plan")
            if weight < 0:
                found.error("weight_sets", weight_set.name, "weight", f"gives '{value_name}' a negative weight ({weight:g})")

    targets = {
        RuleTarget.TAG.value: tags,
        RuleTarget.NEED.value: needs,
        RuleTarget.PARTNER.value: partners,
        RuleTarget.KIND.value: {k.value for k in OptionKind},
    }
    for rule in plan.rules:
        try:
            prefix, target = split_target(rule.applies_to)
        except ValueError as exc:
            found.error("rules", rule.name, "applies_to", str(exc))
        else:
            if target not in targets[prefix]:
                found.error("rules", rule.name, "applies_to", f"applies to {prefix} '{target}', which names nothing in the plan")
        if rule.minimum is None and rule.maximum is None:
            found.error("rules", rule.name, "min", "sets neither a minimum nor a maximum")
        if rule.minimum is not None and rule.maximum is not None and rule.minimum > rule.maximum:
            found.error("rules", rule.name, "max", f"has a minimum ({rule.minimum:g}) above its maximum ({rule.maximum:g})")
        for bound in (rule.minimum, rule.maximum):
            if bound is not None and bound < 0:
                found.error("rules", rule.name, "min", f"has a negative bound ({bound:g})")
    return found


def _check_info(plan: PlanData, found: Findings) -> None:
    info = plan.info
    if not info.place.strip():
        found.error("plan", "", "place", "has no place name")
    if not 1 <= info.years <= 10:
        found.error("plan", info.place, "years", f"covers {info.years} years; a plan covers 1 to 10")
    if not 2000 <= info.start_year <= 2100:
        found.error("plan", info.place, "start_year", f"starts in {info.start_year}, which is not a plausible financial year")
    if info.quorum < 0:
        found.error("plan", info.place, "quorum", "cannot be negative")
    if info.conflict_policy not in {"recuse", "flag"}:
        found.error("plan", info.place, "conflict_policy", "must be 'recuse' or 'flag'")


def _check_unique_names(table: str, rows: Iterable[object], found: Findings) -> None:
    seen: Counter[tuple[object, ...]] = Counter()
    for row in rows:
        key = tuple(part.casefold().strip() if isinstance(part, str) else part for part in record_key(row))
        seen[key] += 1
        if seen[key] == 2:
            found.error(table, record_key(row), "name", "appears more than once; names must be unique")
        name = getattr(row, "name", None)
        if isinstance(name, str) and not name.strip():
            found.error(table, "", "name", "has a row with no name")


def _check_name_characters(plan: PlanData, found: Findings) -> None:
    """Names that spreadsheets list with ';' cannot hold one; stream names make 'cost:<stream>:<year>' columns."""
    listed = (("options", plan.options), ("needs", plan.needs), ("funding_streams", plan.funding_streams))
    for table, rows in listed:
        for row in rows:
            if ";" in row.name:
                found.error(table, row.name, "name", "contains ';', which separates names in lists; use another character")
    for stream in plan.funding_streams:
        if ":" in stream.name:
            found.error("funding_streams", stream.name, "name", "contains ':', which cost columns use to separate the stream from the year")
    for option in plan.options:
        for tag in option.tags:
            if ";" in tag or ":" in tag:
                found.error("options", option.name, "tags", f"has tag '{tag}' containing ';' or ':'; use another character")


def _check_ring_fence(stream: str, token: str, tags: set[str], found: Findings) -> None:
    prefix, _, name = token.partition(":")
    prefix = prefix.strip().lower()
    if prefix == "kind":
        if name.strip() not in {k.value for k in OptionKind}:
            found.error("funding_streams", stream, "ring_fenced_for", f"is ring-fenced for kind '{name}', which is not an option kind ({_kinds()})")
    elif prefix == "tag":
        if name.strip() not in tags:
            found.warn("funding_streams", stream, "ring_fenced_for", f"is ring-fenced for tag '{name}', which no option has yet")
    else:
        found.error("funding_streams", stream, "ring_fenced_for", f"{token!r} should be kind:<kind> or tag:<tag>")


def _check_option(
    option: Option,
    *,
    partners: set[str],
    streams: Mapping[str, object],
    needs: set[str],
    options: dict[str, Option],
    years: set[int],
    found: Findings,
) -> None:
    name = option.name
    if option.lead_partner not in partners:
        found.error("options", name, "lead_partner", f"is led by '{option.lead_partner}', which is not a partner in the plan")
    for stream in dict.fromkeys(c.stream for c in option.costs):
        if stream not in streams:
            found.error("options", name, f"cost:{stream}", f"draws on funding stream '{stream}', which is not in the plan")
    for cost in option.costs:
        if cost.year not in years:
            found.error("options", name, f"cost:{cost.stream}:{_fy(cost.year)}", f"has a cost in {_fy(cost.year)}, outside the plan's years ({_years(years)})")
    for need in option.needs:
        if need not in needs:
            found.error("options", name, "needs", f"addresses need '{need}', which is not in the plan")
    for column, targets in (("requires", option.requires), ("excludes", option.excludes)):
        for other in targets:
            if other == name:
                found.error("options", name, column, f"{column} itself")
            elif other not in options:
                found.error("options", name, column, f"{column} option '{other}', which is not in the plan")
    for other in sorted(set(option.requires) & set(option.excludes)):
        found.error("options", name, "excludes", f"both requires and excludes '{other}'")
    level_names = [level.name for level in option.levels]
    if len(set(level_names)) != len(level_names):
        found.error("options", name, "levels", "has two levels with the same name")
    for level in option.levels:
        if not 0 < level.cost_share <= 1 or not 0 < level.value_share <= 1:
            found.error("options", name, "levels", f"level '{level.name}' must have cost and value shares above 0 and at most 1")
    if option.min_share is not None:
        if not 0 < option.min_share <= 1:
            found.error("options", name, "min_share", f"minimum share {option.min_share:g} must be above 0 and at most 1")
        if option.levels:
            found.error("options", name, "min_share", "has both levels and a minimum share; choose one way to fund part of it")
    if option.mandatory and option.status == OptionStatus.OUT_OF_CONSIDERATION:
        found.error("options", name, "mandatory", "is mandatory but marked out of consideration")
    if option.people_reached is not None and option.people_reached < 0:
        found.error("options", name, "people_reached", "cannot reach a negative number of people")


def _check_requires_cycles(options: Iterable[Option], found: Findings) -> None:
    graph = {o.name: [r for r in o.requires if r != o.name] for o in options}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            successors = graph.get(node, [])
            if index < len(successors):
                stack.append((node, index + 1))
                nxt = successors[index]
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt):], nxt]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        found.error("options", cycle[0], "requires", "is in a cycle of requirements: " + " requires ".join(f"'{n}'" for n in cycle))
                elif not state.get(nxt) and nxt in graph:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()


def _fy(year: int) -> str:
    from placeplanner.money import year_label

    return year_label(year)


def _years(years: set[int]) -> str:
    ordered = sorted(years)
    return f"{_fy(ordered[0])} to {_fy(ordered[-1])}" if ordered else "none"


def _kinds() -> str:
    return ", ".join(k.value for k in OptionKind)


def _amount(amount: float, unit: str) -> str:
    """Exact, as it was typed, with the true minus: '−£80,000', '−12 beds'."""
    return format_exact_money(amount) if unit == MONEY else format_quantity(amount, unit)
