"""Decisions on the record, and the proof that each can be re-derived: re-solving the stored
snapshot it adopted gives the same portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placeplanner.errors import Problem, ValidationError
from placeplanner.service.allocation import resolve_stored
from placeplanner.service.plan_service import PlanService
from placeplanner.service.staleness import staleness
from placeplanner.storage.decisions import Decision

__all__ = ["Decision", "Reproduction", "adopt", "decision", "portfolio", "reproduce"]


@dataclass(frozen=True, slots=True)
class Reproduction:
    decision: Decision
    stored: dict[str, Any]
    fresh: dict[str, Any]

    @property
    def same_portfolio(self) -> bool:
        return portfolio(self.stored) == portfolio(self.fresh)

    @property
    def differences(self) -> list[str]:
        """In words: the options funded at another level, or only in one of the two."""
        before, after = portfolio(self.stored), portfolio(self.fresh)
        words = []
        for name in sorted(before.keys() | after.keys()):
            if before.get(name) != after.get(name):
                words.append(f"'{name}': {before.get(name, 'not funded')} on the record, {after.get(name, 'not funded')} re-solved")
        return words


def portfolio(result: dict[str, Any]) -> dict[str, str]:
    """A stored result's funded options and their levels."""
    return {str(s["name"]): str(s["level"]) for s in result.get("selected", [])}


def decision(service: PlanService, decision_id: int) -> Decision:
    found = next((d for d in service.decisions() if d.id == decision_id), None)
    if found is None:
        known = ", ".join(str(d.id) for d in service.decisions()) or "none yet"
        raise ValidationError([Problem("decision", f"there is no decision {decision_id} (decisions: {known})")])
    return found


def reproduce(service: PlanService, decision_id: int) -> Reproduction:
    """Re-solve the snapshot a decision adopted, from its own stored inputs."""
    chosen = decision(service, decision_id)
    stored, fresh = resolve_stored(service, chosen.result_id)
    return Reproduction(chosen, stored, fresh)


def adopt(service: PlanService, *, result_id: int, title: str, rationale: str, meeting: str | None = None,
          option_notes: dict[str, str] | None = None, accept_stale: bool = False,
          how_to_accept: str = "accept it as stale explicitly") -> int:
    """Put a decision on the record against stored result ``result_id``, saying whether the plan
    had changed since it and what had. A stale result is refused (ValidationError naming the
    changes, and ``how_to_accept``) unless ``accept_stale``: the partners adopt it knowing the
    plan has moved on."""
    current = staleness(service, result_id)
    if current.stale and not accept_stale:
        raise ValidationError([Problem(
            "decision", f"result {result_id} no longer matches the plan. {current.words()} "
                      f"Run the allocation again, or {how_to_accept}")])
    return service.record_decision(result_id=result_id, title=title, rationale=rationale, meeting=meeting,
                                   option_notes=option_notes, stale=current.stale, changes=current.changes)
