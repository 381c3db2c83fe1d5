"""The whole plan (all but the bulky individual scores) as one immutable value."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from typing import Any, TypeVar

from placeplanner.model.records import (
    AgreedScore,
    Cost,
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
    ScalePoint,
    Scenario,
    Value,
    WeightSet,
)

Record = TypeVar("Record")
Item = TypeVar("Item")


def record_key(record: Any) -> tuple[Any, ...]:
    """The identity of a record within its table: what an import replaces rather than adds."""
    if isinstance(record, Indicator | Population):
        return record.key
    if isinstance(record, AgreedScore):
        return (record.option, record.value)
    if isinstance(record, Declaration):
        return (record.participant, record.option, record.partner)
    return (record.name,)


def key_label(key: tuple[Any, ...]) -> str:
    """A record's key as people read it: 'Ann Lee / Falls service' (empty parts left out)."""
    return " / ".join(str(part) for part in key if part != "")


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
        """This plan with ``incoming`` laid over it: same-key records replaced, new ones appended,
        in order (see ``in_order``)."""
        changes: dict[str, Any] = {
            name: merge_records(self.table(name), incoming.table(name))
            for name in self.table_names()
        }
        if take_info:
            changes["info"] = incoming.info
        return replace(self, **changes).in_order()

    def in_order(self) -> PlanData:
        """This plan in the one order storage reads it back in, so a plan worked out in memory
        equals the same plan read from its file.

        Records keep their place in their table (a new one goes last, as its row does). Within
        them, a stream's amounts go by year, a value's scale points by point, an option's costs by
        their stream's place in the plan then year, a weight set's weights by their value's place;
        agreed scores go by their option's place then their value's. The orders people choose (an
        option's levels, needs, tags, requires and excludes) stay as given."""
        streams = _places(self.funding_streams)
        values = _places(self.values)
        options = _places(self.options)

        def cost_key(cost: Cost) -> tuple[int, int]:
            return streams.get(cost.stream, len(streams)), cost.year

        def weight_key(weight: tuple[str, float]) -> int:
            return values.get(weight[0], len(values))

        def agreed_key(score: AgreedScore) -> tuple[int, int]:
            return options.get(score.option, len(options)), values.get(score.value, len(values))

        return replace(
            self,
            funding_streams=_each(self.funding_streams, "amounts", _first),
            values=_each(self.values, "scale_points", _point),
            options=_each(self.options, "costs", cost_key),
            weight_sets=_each(self.weight_sets, "weights", weight_key),
            agreed_scores=_sorted(self.agreed_scores, agreed_key),
        )

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


def _places(records: Iterable[Any]) -> dict[str, int]:
    return {r.name: i for i, r in enumerate(records)}


def _first(pair: tuple[int, float]) -> int:
    return pair[0]


def _point(point: ScalePoint) -> float:
    return point.point


def _sorted(items: tuple[Item, ...], key: Callable[[Item], Any]) -> tuple[Item, ...]:
    """``items`` sorted stably by ``key``; the same tuple when already in order (the usual case)."""
    if len(items) < 2:
        return items
    keys = [key(i) for i in items]
    if all(a <= b for a, b in pairwise(keys)):
        return items
    return tuple(sorted(items, key=key))


def _each(records: tuple[Record, ...], inner: str, key: Callable[[Any], Any]) -> tuple[Record, ...]:
    """``records`` with the tuple each holds in field ``inner`` sorted by ``key``."""
    ordered = []
    for record in records:
        held = getattr(record, inner)
        in_order = _sorted(held, key)
        ordered.append(record if in_order is held else replace(record, **{inner: in_order}))  # type: ignore[type-var]
    return tuple(ordered)


def merge_records(existing: Iterable[Record], incoming: Iterable[Record]) -> tuple[Record, ...]:
    merged: dict[tuple[Any, ...], Record] = {record_key(r): r for r in existing}
    for record in incoming:
        merged[record_key(record)] = record
    return tuple(merged.values())
