"""What an option is worth: the formula users read in the method appendix.

    value(option) = need factor x reach factor x sum over values of weight x normalised score

- normalised score = (agreed score - scale minimum) / (scale maximum - scale minimum), so 0 to 1;
  where the group has not agreed a score yet, the mean of the individual scores is used (and
  the result says so); where there is neither, the score is the scale's minimum (no credit).
- weights are the group's agreed weights (the values table), or a named weight set, scaled to
  sum to 100 so values read as "points out of 100" for an option scoring top marks everywhere.
- need factor: the agreed priorities of the needs an option addresses enter as a multiplier,
  the mean priority of those needs divided by the mean priority of all the plan's needs. An
  option for the highest-priority needs is worth more; one that addresses no recorded need
  counts as average (factor 1). A multiplier rather than an extra value keeps the room's
  scores and weights as they were agreed and makes the priority's effect easy to state.
- reach factor: off by default (1). Reach is already part of how people score population
  health; counting it again would double-count. A scenario may switch it on
  (``"reach_factor": true``): then the factor is the people an option reaches divided by the
  mean reach of the options that record one; options that record none count as average (1).
"""

from __future__ import annotations

from statistics import fmean

from placeplanner.model import PlanData


def group_weights(plan: PlanData, weight_set: str = "") -> dict[str, float]:
    raw = {v.name: v.weight for v in plan.values}
    if weight_set:
        chosen = next(w for w in plan.weight_sets if w.name == weight_set)
        raw = {name: dict(chosen.weights).get(name, 0.0) for name in raw}
    total = sum(raw.values())
    return {name: (100 * w / total if total else 0.0) for name, w in raw.items()}


def option_values(
    plan: PlanData, weight_set: str = "", individual_means: dict[tuple[str, str], float] | None = None
) -> tuple[dict[str, float], list[str]]:
    """Each option's weighted value, and notes on any score that was not an agreed one."""
    weights = group_weights(plan, weight_set)
    parts, notes = value_parts(plan, individual_means)
    values = {
        name: round(sum(weights[v] * part for v, part in zip(weights, option_parts, strict=True)), 9)
        for name, option_parts in parts.items()
    }
    return values, notes


def value_parts(
    plan: PlanData, individual_means: dict[tuple[str, str], float] | None = None, *, reach: bool = False
) -> tuple[dict[str, tuple[float, ...]], list[str]]:
    """Per option, one part per value (in the plan's value order): normalised score x need factor.

    An option's value is the weighted sum of its parts, so new weights need no new scores.
    """
    agreed = {(s.option, s.value): s.score for s in plan.agreed_scores}
    means = individual_means or {}
    priorities = {n.name: n.priority for n in plan.needs}
    average_priority = fmean(priorities.values()) if priorities else 1.0
    notes: list[str] = []
    reached = [o.people_reached for o in plan.options if o.people_reached]
    average_reach = fmean(reached) if reached else 0.0
    parts: dict[str, tuple[float, ...]] = {}
    for option in plan.options:
        normalised = []
        for value in plan.values:
            key = (option.name, value.name)
            if key in agreed:
                score = agreed[key]
            elif key in means:
                score = means[key]
                notes.append(f"'{option.name}' against '{value.name}' has no agreed score yet: the mean of the individual scores ({score:.1f}) was used")
            else:
                score = value.scale_min
                notes.append(f"'{option.name}' against '{value.name}' has no score at all: it was given no credit")
            normalised.append((score - value.scale_min) / (value.scale_max - value.scale_min))
        addressed = [priorities[n] for n in option.needs if n in priorities]
        factor = fmean(addressed) / average_priority if addressed and average_priority else 1.0
        if reach and option.people_reached and average_reach:
            factor *= option.people_reached / average_reach
        parts[option.name] = tuple(part * factor for part in normalised)
    return parts, notes
