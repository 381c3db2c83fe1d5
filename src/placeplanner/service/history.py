"""The history of one option, value or weight set, read from the audit log, newest first.

Entries name records by name, so a record's history follows its renames back: before the entry
that renamed it, it went by its old name. An option's history takes in everything keyed by it
(its costs, levels, links, tags and needs are part of its own entries; its declarations, agreed
and individual scores and scoring rounds have entries of their own); a value's takes in its
weight in every weight set.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from placeplanner.service import audit_words
from placeplanner.storage import audit
from placeplanner.storage.audit import AuditEntry, KeyPattern
from placeplanner.storage.planfile import PlanFile

Where = Literal["whole", "first", "last", "inner"]

# Where an option's name sits in the keys of the entries about it.
OPTION_KEYS: tuple[tuple[str, Where], ...] = (
    ("options", "whole"),
    ("declarations", "last"),  # participant / option
    ("agreed_scores", "first"),  # option / value
    ("individual_scores", "inner"),  # meeting / participant / option / value, as scored live
    ("individual_scores", "last"),  # meeting / option, as imported (score_audit)
    ("scoring_rounds", "last"),  # meeting / option
)
PARTNER_DECLARATION_KEYS: tuple[tuple[str, Where], ...] = (("declarations", "last"),)  # participant / partner
VALUE_KEYS: tuple[tuple[str, Where], ...] = (("values", "whole"),)
WEIGHT_SET_KEYS: tuple[tuple[str, Where], ...] = (("weight_sets", "whole"),)


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One entry as a person reads it: when, who, what, and each change in words."""

    id: int
    at: datetime
    who: str
    what: str
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A name a record went by, and the entries (by id, inclusive) written while it did."""

    name: str
    first: int
    last: int


def name_spans(renames: Iterable[AuditEntry], name: str) -> list[Span]:
    """The names a record now called ``name`` has had, walking its renames back from the newest.

    A rename *away* from the name (``name`` to something else) means an earlier record had the
    name: the walk stops there, so that record's entries are not taken for this one's."""
    spans: list[Span] = []
    last = sys.maxsize
    for entry in sorted(renames, key=lambda e: e.id, reverse=True):
        old, new = _renamed(entry)
        if new == name and old is not None:
            spans.append(Span(name, entry.id, last))
            name, last = old, entry.id - 1
        elif old == name:
            spans.append(Span(name, entry.id + 1, last))
            return spans
    spans.append(Span(name, 0, last))
    return spans


def entries_within(entries: Iterable[AuditEntry], spans: Sequence[Span],
                   keys: Sequence[tuple[str, Where]]) -> list[AuditEntry]:
    """The entries that name the record by the name it had when each was written."""
    return [e for e in entries if any(
        span.first <= e.id <= span.last and KeyPattern(entity, span.name, where).matches(e.entity, e.entity_key)
        for span in spans for entity, where in keys)]


# An imported round's scores are one entry of hundreds of lines; a history shows the first ones.
SHOWN_CHANGES = 30


def describe(entry: AuditEntry, units: Mapping[str, str] | None = None) -> HistoryItem:
    lines = audit_words.changes(entry, units, limit=160)
    if len(lines) > SHOWN_CHANGES:
        rest = len(lines) - SHOWN_CHANGES + 1
        lines = [*lines[:SHOWN_CHANGES - 1], f"… and {rest:,} more (placeplanner audit --csv lists every one)"]
    return HistoryItem(entry.id, entry.at, entry.actor, audit_words.headline(entry), tuple(lines))


def option_history(plan: PlanFile, option: str, units: Mapping[str, str] | None = None,
                   lead_partner: str = "") -> list[HistoryItem]:
    """Every entry about ``option``, newest first, with the interests declared in its
    ``lead_partner`` (they cover the option too). ``units`` (stream -> unit) shows costs in the
    stream's own unit."""
    found = _about(plan, "options", option, OPTION_KEYS)
    if lead_partner:
        in_partner = _about(plan, "partners", lead_partner, PARTNER_DECLARATION_KEYS)
        found = sorted({e.id: e for e in [*found, *filter(audit_words.names_partner, in_partner)]}.values(), key=lambda e: e.id)
    return [describe(e, units) for e in reversed(found)]


def weight_set_history(plan: PlanFile, weight_set: str) -> list[HistoryItem]:
    return [describe(e) for e in reversed(_about(plan, "weight_sets", weight_set, WEIGHT_SET_KEYS))]


def value_history(plan: PlanFile, value: str) -> list[HistoryItem]:
    """Every entry about the value (its weight, scale and description), and every change to its
    weight in a weight set (the group's, a partner's, a participant's), newest first."""
    with plan.reading() as session:
        spans = name_spans(audit.read_log(session, entities={"values"}, actions={"rename"}), value)
        own = audit.read_about(session, _patterns(spans, VALUE_KEYS))
        sets = audit.read_log(session, entities={"weight_sets"})
    weights = [w for e in sets if (w := _weight_of(e, spans)) is not None]
    merged = sorted([*own, *weights], key=lambda e: e.id, reverse=True)
    return [describe(e) for e in merged]


def _about(plan: PlanFile, table: str, name: str, keys: Sequence[tuple[str, Where]]) -> list[AuditEntry]:
    with plan.reading() as session:
        spans = name_spans(audit.read_log(session, entities={table}, actions={"rename"}), name)
        return entries_within(audit.read_about(session, _patterns(spans, keys)), spans, keys)


def _patterns(spans: Sequence[Span], keys: Sequence[tuple[str, Where]]) -> list[KeyPattern]:
    return [KeyPattern(entity, span.name, where) for span in spans for entity, where in keys]


def _renamed(entry: AuditEntry) -> tuple[str | None, str | None]:
    before, after = entry.before, entry.after
    old = before.get("name") if isinstance(before, dict) else None
    new = after.get("name") if isinstance(after, dict) else None
    return (old if isinstance(old, str) else None), (new if isinstance(new, str) else None)


def _weight_of(entry: AuditEntry, spans: Sequence[Span]) -> AuditEntry | None:
    """A weight-set entry cut down to the one value's weight, or None if that did not change."""
    name = next((s.name for s in spans if s.first <= entry.id <= s.last), None)
    if name is None or entry.action == "rename":
        return None
    before, after = (_weights(data).get(name) for data in (entry.before, entry.after))
    if before == after:
        return None

    def cut(data: Any, weight: Any) -> dict[str, Any] | None:
        return None if data is None else {"weights": [] if weight is None else [[name, weight]]}

    return replace(entry, before=cut(entry.before, before), after=cut(entry.after, after))


def _weights(data: Any) -> dict[str, Any]:
    """A weight set's weights as a dict, from a stored record or a live meeting's {value: weight}."""
    if not isinstance(data, dict):
        return {}
    if isinstance(data.get("weights"), list):
        return {w[0]: w[1] for w in data["weights"] if isinstance(w, list) and len(w) == 2}
    return {} if "name" in data else dict(data)
