"""Audit entries in plain words: what an entry is about, and what it changed ("field: old → new").

Entries hold records as the storage wrote them (``repository.as_plain``) or, from a live meeting,
smaller dicts; both read the same here. A value that is not what it should be (an old or a
hand-edited entry) is shown as it is rather than refused: this is a reader, not a validator.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

from placeplanner.model.plan_data import TABLE_OF_RECORD
from placeplanner.money import MINUS, format_money, year_label
from placeplanner.storage.audit import KEY_SEPARATOR, AuditEntry

ARROW = "→"
_MISSING = object()
_Line = tuple[str, str | None, str | None]  # what, old, new (None: there was none)

_ENTITY = {
    "partners": "partner", "funding_streams": "funding stream", "needs": "need",
    "indicators": "indicator", "population": "population figure", "values": "value",
    "options": "option", "participants": "participant", "meetings": "meeting",
    "weight_sets": "weight set", "rules": "rule", "scenarios": "scenario",
}
_ACTION = {
    "add": "Added", "update": "Changed", "edit": "Changed", "delete": "Deleted", "rename": "Renamed",
    "restore": "Put back", "import": "Imported", "demo": "Written by the demo:", "create": "Created",
    "score": "Scored", "rescore": "Changed the score of", "declare": "Declared", "weigh": "Weighted",
    "open": "Opened", "closed": "Closed", "close": "Closed", "solve": "Stored",
}
_SCORED = {"score": "scored", "rescore": "changed their score for"}
_PLACES = {  # a participant's place in a live meeting, held by one device at a time
    "move device": "{person} moved to another device, ending the place on the first ({meeting})",
    "end place": "Ended {person}'s place in the meeting; they join again with the code ({meeting})",
}
_QUOTED = 40
_COUNTS = frozenset({"people", "people_reached", "count", "denominator"})
_LABELS = {
    "lead_partner": "lead partner", "min_share": "part-funded down to", "people_reached": "people reached",
    "contract_form": "contract form", "scale_min": "scale from", "scale_max": "scale to",
    "ring_fenced_for": "ring-fenced for", "declared_on": "declared on", "applies_to": "applies to",
    "start_year": "first year", "area_code": "area code", "conflict_policy": "conflict policy",
    "held_on": "held on", "scale_points": "scale", "cost_share": "share of cost",
    "value_share": "share of value", "requires": "requires", "excludes": "excludes",
}


def subject(entry: AuditEntry) -> str:
    """What the entry is about: 'option “Falls service”', 'the agreed score for …'."""
    key, entity = entry.entity_key, entry.entity
    parts = key.split(KEY_SEPARATOR)
    if entity == "agreed_scores" and len(parts) == 2:
        return f"the agreed score for “{parts[0]}” on “{parts[1]}”"
    if entity == "declarations" and len(parts) == 2:
        if names_partner(entry):
            return f"{parts[0]}'s interest in partner “{parts[1]}” (every option it leads)"
        return f"{parts[0]}'s interest in “{parts[1]}”"
    if entity == "individual_scores" and len(parts) == 2:
        return f"the individual scores for “{parts[1]}” ({parts[0]})"
    if entity == "individual_scores" and len(parts) == 4:
        return f"{parts[1]}'s score for “{parts[2]}” on “{parts[3]}” ({parts[0]})"
    if entity == "individual_scores":
        return f"individual scores ({key})"
    if entity == "scoring_rounds" and len(parts) == 2:
        return f"the scoring round for “{parts[1]}” in “{parts[0]}”"
    if entity == "results":
        return f"result {key}"
    if entity == "plan":
        return f"the plan for {key}"
    return f"{_ENTITY.get(entity, entity.replace('_', ' ').removesuffix('s'))} “{key}”"


def names_partner(entry: AuditEntry) -> bool:
    """Whether a declaration's entry is about an interest in a partner rather than an option."""
    return any(isinstance(record, dict) and bool(record.get("partner")) for record in (entry.after, entry.before))


def headline(entry: AuditEntry) -> str:
    """One line: the action and its subject, e.g. 'Changed option “Falls service”'; what a
    participant did in a meeting reads as theirs ('Tom Reid scored “Falls service” on …')."""
    parts = entry.entity_key.split(KEY_SEPARATOR)
    if entry.entity == "individual_scores" and len(parts) == 4 and entry.action in _SCORED:
        meeting, person, option, value = parts
        return f"{person} {_SCORED[entry.action]} “{option}” on “{value}” ({meeting})"
    if entry.entity == "declarations" and len(parts) == 2 and entry.action == "declare":
        return f"{parts[0]} declared an interest in “{parts[1]}”"
    if entry.entity == "meeting_tokens" and len(parts) == 2 and entry.action in _PLACES:
        return _PLACES[entry.action].format(meeting=parts[0], person=parts[1])
    return f"{_ACTION.get(entry.action, entry.action.capitalize())} {subject(entry)}"


def changes(entry: AuditEntry, units: Mapping[str, str] | None = None, limit: int = 80) -> list[str]:
    """What the entry changed, one line a field ('status: proposed → funded'), texts cut at ``limit``."""
    before, after = _normal(entry, entry.before), _normal(entry, entry.after)
    # A funding stream's amounts are in its own unit (staff hours, beds, or pounds).
    unit = next((d["unit"] for d in (after, before) if isinstance(d, dict) and isinstance(d.get("unit"), str)), "GBP")
    words = _Words(units or {}, limit, unit)
    if entry.action == "delete":
        taken = after.get("taken along") if isinstance(after, dict) else None
        return [f"taken along: {_counts(taken)}"] if isinstance(taken, dict) and taken else []
    if isinstance(after, dict) and "scores written" in after:
        return [f"{after['scores written']:,} individual scores written"]
    if entry.entity == "individual_scores" and isinstance(after, dict) and isinstance(after.get("scores"), dict):
        return words.round_scores(before if isinstance(before, dict) else {}, after)
    if isinstance(before, dict) and isinstance(after, dict):
        return words.diff(before, after)
    if isinstance(after, dict):  # added: the fields that say something beyond its key and defaults
        defaults = _defaults(entry.entity) if entry.action != "create" else {}
        shown = {k: v for k, v in after.items() if k not in defaults or defaults[k] != v}
        return words.new(shown, skip=frozenset(entry.entity_key.split(KEY_SEPARATOR)))
    if after is None:
        return []
    return [f"{words.value('', before)} {ARROW} {words.value('', after)}" if before is not None else words.value("", after)]


def summary(entry: AuditEntry, units: Mapping[str, str] | None = None, limit: int = 70) -> str:
    """The first change on one line within ``limit`` characters, for the command line's table:
    the field's name gives way before its old and new values do."""
    lines = changes(entry, units, limit)
    if not lines:
        return ""
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return _fit(lines[0], limit - len(more)) + more


def _fit(line: str, room: int) -> str:
    if len(line) <= room:
        return line
    field, _, body = line.partition(": ")
    old, arrow, new = body.partition(f" {ARROW} ")
    if not arrow:
        return _cut(line, room)
    each = max(8, (room - min(len(field), 20) - 5) // 2)
    body = f"{_cut(old, each)} {ARROW} {_cut(new, each)}"
    return _cut(f"{_cut(field, max(10, room - len(body) - 2))}: {body}", room)


@cache
def _defaults(entity: str) -> dict[str, Any]:
    """The fields a record of this table has by default, as the log holds them."""
    record = next((r for r, table in TABLE_OF_RECORD.items() if table == entity), None)
    if record is None:
        return {}
    return {f.name: f.default.value if isinstance(f.default, Enum) else f.default
            for f in dataclasses.fields(record) if f.default is not dataclasses.MISSING}


def _normal(entry: AuditEntry, data: Any) -> Any:
    """A live meeting logs a participant's weights as {value: weight}; read it as a weight set."""
    if entry.entity == "weight_sets" and isinstance(data, dict) and "weights" not in data and "name" not in data:
        return {"weights": [[value, weight] for value, weight in data.items()]}
    return data


def _counts(taken: dict[str, Any]) -> str:
    return ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in taken.items())


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_ROUND_PARTS = (("scores", "score"), ("confidence", "confidence"), ("comments", "comment"))


def _round_cells(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(participant, value) -> {"scores": .., "confidence": .., "comments": ..}, as far as given."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for part, _ in _ROUND_PARTS:
        block = data.get(part)
        for who, values in (block.items() if isinstance(block, dict) else ()):
            for value, given in (values.items() if isinstance(values, dict) else ()):
                cells.setdefault((str(who), str(value)), {})[part] = given
    return cells


def _money_fields(record: dict[str, Any]) -> frozenset[str]:
    """A spend rule's bounds are pounds; a count rule's are numbers of options."""
    return frozenset({"minimum", "maximum"}) if record.get("measure") == "spend" else frozenset()


def label(field: str) -> str:
    return _LABELS.get(field, field.replace("_", " "))


class _Words:
    def __init__(self, units: Mapping[str, str], limit: int, unit: str = "GBP") -> None:
        self.units = units  # stream -> unit, for an option's costs
        self.limit = limit
        self.unit = unit  # the record's own unit, for a stream's amounts
        # Lists read item by item: (what, old, new) with None for absent.
        self._lists: dict[str, Callable[[list[Any], list[Any]], list[_Line]]] = {
            "costs": self._costs, "amounts": self._amounts, "weights": self._weights,
            "scale_points": self._scale, "levels": self._levels,
        }

    def diff(self, before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[str]:
        lines: list[str] = []
        was_pounds, now_pounds = _money_fields(before), _money_fields(after)
        for field in [*after, *(k for k in before if k not in after)]:
            old, new = before.get(field, _MISSING), after.get(field, _MISSING)
            if old == new:
                continue
            old, new = (None if v is _MISSING else v for v in (old, new))
            special = self._lists.get(field)
            if special is not None and isinstance(old, list | None) and isinstance(new, list | None):
                lines += [f"{prefix}{what}: {o or 'none'} {ARROW} {n or 'none'}" for what, o, n in special(old or [], new or [])]
            elif isinstance(old, dict | None) and isinstance(new, dict | None):  # one may be absent
                lines += self.diff(old or {}, new or {}, f"{prefix}{label(field)}, ")
            elif field in was_pounds | now_pounds:
                shown = [self._bound(v) if field in pounds else self.value(field, v)
                         for v, pounds in ((old, was_pounds), (new, now_pounds))]
                lines.append(f"{prefix}{label(field)}: {shown[0]} {ARROW} {shown[1]}")
            else:
                lines.append(f"{prefix}{label(field)}: {self.value(field, old)} {ARROW} {self.value(field, new)}")
        return lines

    def new(self, after: dict[str, Any], prefix: str = "", skip: frozenset[str] = frozenset()) -> list[str]:
        """A record as added: its fields that say something (not blank, not none, not off, not
        a part of its key, which the entry names already)."""
        lines: list[str] = []
        pounds = _money_fields(after)
        for field, value in after.items():
            if field == "name" or (value in (None, "", [], {}, False) and field != "score") or (isinstance(value, str) and value in skip):
                continue
            if field in pounds:
                lines.append(f"{prefix}{label(field)}: {self._bound(value)}")
                continue
            special = self._lists.get(field)
            if special is not None and isinstance(value, list):
                lines += [f"{prefix}{what}: {n}" for what, _o, n in special([], value) if n]
            elif isinstance(value, dict):
                lines += self.new(value, f"{prefix}{label(field)}, ")
            else:
                lines.append(f"{prefix}{label(field)}: {self.value(field, value)}")
        return lines

    def round_scores(self, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
        """An option's imported scores (see ``service.score_audit``): 'Asha Patel on Health: 7 → 5'."""
        old_cells, new_cells = _round_cells(before), _round_cells(after)
        lines: list[str] = []
        for (who, value), new in new_cells.items():
            old = old_cells.get((who, value))
            for part, says in _ROUND_PARTS:
                what = f"{who} on {value}" if part == "scores" else f"{who}'s {says} on {value}"
                if old is None and part in new:
                    lines.append(f"{what}: {self.value(says, new[part])}")
                elif old is not None and old.get(part) != new.get(part):
                    lines.append(f"{what}: {self.value(says, old.get(part))} {ARROW} {self.value(says, new.get(part))}")
        return lines

    def value(self, field: str, value: Any) -> str:
        if value is None:
            return "don't know" if field == "score" else "none"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if field == "start_year" and isinstance(value, int):
            return year_label(value)
        if field in {"min_share", "cost_share", "value_share"} and isinstance(value, int | float):
            return f"{value:.0%}"
        if isinstance(value, float):
            text = f"{value:,.0f}" if value.is_integer() and abs(value) >= 10_000 else f"{value:g}"
            return text.replace("-", MINUS)
        if isinstance(value, int):  # years stay as they are written; counts of people get commas
            return (f"{value:,}" if abs(value) >= 10_000 or field in _COUNTS else str(value)).replace("-", MINUS)
        if isinstance(value, str):  # a sentence or more is quoted, so "old → new" reads clearly
            text = _cut(value, self.limit)
            return "blank" if not value else f"“{text}”" if len(value) > _QUOTED else text
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return _cut(", ".join(value), self.limit) if value else "none"
        return _cut(json.dumps(value, ensure_ascii=False, default=str), self.limit)

    def _money(self, amount: Any, unit: str) -> str:
        return format_money(float(amount), unit) if isinstance(amount, int | float) else str(amount)

    def _bound(self, amount: Any) -> str:
        """A spend rule's minimum or maximum: money, or none."""
        return "none" if amount is None else self._money(amount, "GBP")

    def _keyed(self, old: dict[Any, Any], new: dict[Any, Any], name: Callable[[Any], str],
               show: Callable[[Any, Any], str]) -> list[_Line]:
        return [(name(key), None if key not in old else show(key, old[key]), None if key not in new else show(key, new[key]))
                for key in [*new, *(k for k in old if k not in new)] if old.get(key, _MISSING) != new.get(key, _MISSING)]

    def _costs(self, old: list[Any], new: list[Any]) -> list[_Line]:
        def by_key(rows: list[Any]) -> dict[tuple[Any, Any], Any]:
            return {(r.get("stream"), r.get("year")): r.get("amount") for r in rows if isinstance(r, dict)}

        return self._keyed(by_key(old), by_key(new),
                           lambda k: f"cost from {k[0]} in {_year(k[1])}",
                           lambda k, a: self._money(a, self.units.get(k[0], "GBP")))

    def _amounts(self, old: list[Any], new: list[Any]) -> list[_Line]:
        def by_year(rows: list[Any]) -> dict[Any, Any]:
            return {r[0]: r[1] for r in rows if isinstance(r, list) and len(r) == 2}

        return self._keyed(by_year(old), by_year(new), lambda y: f"amount in {_year(y)}",
                           lambda _y, a: self._money(a, self.unit))

    def _weights(self, old: list[Any], new: list[Any]) -> list[_Line]:
        def by_value(rows: list[Any]) -> dict[Any, Any]:
            return {r[0]: r[1] for r in rows if isinstance(r, list) and len(r) == 2}

        return self._keyed(by_value(old), by_value(new), lambda v: f"weight for {v}",
                           lambda _v, w: self.value("weight", w))

    def _scale(self, old: list[Any], new: list[Any]) -> list[_Line]:
        def by_point(rows: list[Any]) -> dict[Any, Any]:
            return {r.get("point"): r.get("label") for r in rows if isinstance(r, dict)}

        return self._keyed(by_point(old), by_point(new), lambda p: f"scale point {self.value('point', p)}",
                           lambda _p, text: self.value("label", text))

    def _levels(self, old: list[Any], new: list[Any]) -> list[_Line]:
        def shown(rows: list[Any]) -> str | None:
            return ", ".join(
                f"{r.get('name')} ({self.value('cost_share', r.get('cost_share'))} of cost, "
                f"{self.value('value_share', r.get('value_share'))} of value)"
                for r in rows if isinstance(r, dict)) or None

        return [("levels", shown(old), shown(new))]


def _year(year: Any) -> str:
    return year_label(year) if isinstance(year, int) else str(year)
