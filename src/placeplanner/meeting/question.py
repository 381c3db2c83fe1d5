"""What a participant is shown for the option in hand, and nothing more of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placeplanner.model import PlanData, Value
from placeplanner.model.costs import option_cost_over_plan, stream_units

# Confidence as participants choose it; stored as the number (0 to 1, as scores files hold it).
CONFIDENCE = {"low": 0.5, "medium": 0.7, "high": 0.9}
COMMENT_LIMIT = 500
# Scales wider than this many steps are scored on their described points only.
MAX_STEPS = 20


@dataclass(frozen=True, slots=True)
class ScaleChoice:
    point: float
    label: str  # the scale's description of this point, or ""


@dataclass(frozen=True, slots=True)
class ValueQuestion:
    name: str
    description: str
    choices: tuple[ScaleChoice, ...]

    @property
    def points(self) -> frozenset[float]:
        return frozenset(c.point for c in self.choices)


@dataclass(frozen=True, slots=True)
class OptionQuestion:
    option: str
    description: str
    lead_partner: str
    # Money and other resources side by side over the plan, never summed:
    # "£380k + 1,800 staff hours over 2027/28 to 2028/29".
    cost: str
    needs: tuple[str, ...]
    values: tuple[ValueQuestion, ...]

    def value(self, name: str) -> ValueQuestion | None:
        return next((v for v in self.values if v.name == name), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "option": self.option,
            "description": self.description,
            "lead_partner": self.lead_partner,
            "cost": self.cost,
            "needs": list(self.needs),
            "values": [
                {"name": v.name, "description": v.description,
                 "choices": [{"point": c.point, "label": c.label} for c in v.choices]}
                for v in self.values
            ],
        }


def scale_choices(value: Value) -> tuple[ScaleChoice, ...]:
    """Each whole point of the scale with its description where the scale gives one; a scale of
    more than ``MAX_STEPS`` steps offers its described points only."""
    labels = {p.point: p.label for p in value.scale_points}
    low, high = value.scale_min, value.scale_max
    if high - low <= MAX_STEPS and float(low).is_integer() and float(high).is_integer():
        points = [float(p) for p in range(int(low), int(high) + 1)]
    else:
        points = sorted(labels) or [low, high]
    return tuple(ScaleChoice(p, labels.get(p, "")) for p in points)


def question_for(plan: PlanData, option_name: str, value_names: tuple[str, ...]) -> OptionQuestion:
    option = next(o for o in plan.options if o.name == option_name)
    values = {v.name: v for v in plan.values}
    return OptionQuestion(
        option=option.name,
        description=option.description,
        lead_partner=option.lead_partner,
        cost=option_cost_over_plan(option, stream_units(plan), plan.info.plan_years),
        needs=option.needs,
        values=tuple(
            ValueQuestion(name, values[name].description, scale_choices(values[name]))
            for name in value_names if name in values
        ),
    )
