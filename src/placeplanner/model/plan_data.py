"""The whole plan (all but the bulky individual scores) as one immutable value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

from placeplanner.model.records import (
    AgreedScore,
    Declaration,
    FundingStream,
    Indicator,
    Meeting,
    Need,
    Option,
    Participant,
    Partner,
    PlanInfo,
    Population,
    Rule,
    Scenario,
    Value,
    WeightSet,
)

Record = TypeVar("Record")


def record_key(record: Any) -> tuple[Any, ...]:
    """The identity of a record within its table: what an import replaces rather than adds."""
    if isinstance(record, Indicator | Population):
        return record.key
    if isinstance(record, AgreedScore):
        return (record.option, record.value)
    if isinstance(record, Declaration):
        return (record.participant, record.option)
    return (record.name,)


@dataclass(frozen=True, slots=True)
class PlanData:
    info: PlanInfo
    partners: tuple[Partner, ...] = ()
    funding_streams: tuple[FundingStream, ...] = ()
    needs: tuple[Need, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    population: tuple[Population, ...] = ()
    values: tuple[Value, ...] = ()
    options: tuple[Option, ...] = ()
    participants: tuple[Participant, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    agreed_scores: tuple[AgreedScore, ...] = ()
    weight_sets: tuple[WeightSet, ...] = ()
    rules: tuple[Rule, ...] = ()
    scenarios: tuple[Scenario, ...] = ()

    @staticmethod
    def table_names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(PlanData) if f.name != "info")

    def table(self, name: str) -> tuple[Any, ...]:
        rows: tuple[Any, ...] = getattr(self, name)
        return rows

    def merged_with(self, incoming: PlanData, *, take_info: bool) -> PlanData:
        """This plan with ``incoming`` laid over it: same-key records replaced, new ones appended."""
        changes: dict[str, Any] = {
            name: merge_records(self.table(name), incoming.table(name))
            for name in self.table_names()
        }
        if take_info:
            changes["info"] = incoming.info
        return replace(self, **changes)

    def counts(self) -> dict[str, int]:
        return {name: len(self.table(name)) for name in self.table_names()}


TABLE_OF_RECORD: dict[type, str] = {
    Partner: "partners",
    FundingStream: "funding_streams",
    Need: "needs",
    Indicator: "indicators",
    Population: "population",
    Value: "values",
    Option: "options",
    Participant: "participants",
    Declaration: "declarations",
    Meeting: "meetings",
    AgreedScore: "agreed_scores",
    WeightSet: "weight_sets",
    Rule: "rules",
    Scenario: "scenarios",
}


def merge_records(existing: Iterable[Record], incoming: Iterable[Record]) -> tuple[Record, ...]:
    merged: dict[tuple[Any, ...], Record] = {record_key(r): r for r in existing}
    for record in incoming:
        merged[record_key(record)] = record
    return tuple(merged.values())
