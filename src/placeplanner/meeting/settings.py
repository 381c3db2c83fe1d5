"""What the facilitator sets when opening a meeting: who is present, what is scored, the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placeplanner.meeting.tally import POLICIES, RECUSE
from placeplanner.model import PlanData


@dataclass(frozen=True, slots=True)
class MeetingSettings:
    meeting: str
    attendees: tuple[str, ...]  # participants present, from the plan's participants
    agenda: tuple[str, ...]  # options to score, in order
    values: tuple[str, ...]  # values scored
    policy: str = RECUSE  # what a declared interest does: recuse, or score but flag
    weighting: bool = False  # whether weights are set in this meeting

    def as_json(self) -> dict[str, Any]:
        return {"attendees": list(self.attendees), "agenda": list(self.agenda),
                "values": list(self.values), "policy": self.policy, "weighting": self.weighting}

    @classmethod
    def from_json(cls, meeting: str, data: dict[str, Any]) -> MeetingSettings:
        return cls(meeting, tuple(data["attendees"]), tuple(data["agenda"]), tuple(data["values"]),
                   data.get("policy", RECUSE), bool(data.get("weighting", False)))

    def problems(self, plan: PlanData) -> list[str]:
        """What stops this meeting being held on ``plan``, in words for the facilitator."""
        found = []
        if not self.meeting.strip():
            found.append("The meeting needs a name.")
        for label, chosen, known in (
            ("participant", self.attendees, {p.name for p in plan.participants}),
            ("option", self.agenda, {o.name for o in plan.options}),
            ("value", self.values, {v.name for v in plan.values}),
        ):
            if not chosen:
                found.append(f"Choose at least one {label}.")
            unknown = [name for name in chosen if name not in known]
            if unknown:
                found.append(f"No {label} named {', '.join(map(repr, unknown))} in the plan.")
            if len(set(chosen)) != len(chosen):
                found.append(f"A {label} is chosen twice.")
        if self.policy not in POLICIES:
            found.append(f"The conflict policy must be one of {', '.join(POLICIES)}.")
        return found
