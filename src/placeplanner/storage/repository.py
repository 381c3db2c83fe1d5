"""Moves plan data between the ORM rows and the plain domain records.

Reading returns a PlanData; writing takes records and upserts them by name, replacing
each record's own children (costs, levels, tags, ...) wholesale. Callers own the transaction.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from placeplanner.model import (
    AgreedScore,
    ContractForm,
    Cost,
    Declaration,
    DeclarationAction,
    FundingStream,
    Indicator,
    Level,
    Meeting,
    Need,
    Option,
    OptionKind,
    OptionStatus,
    Participant,
    Partner,
    PlanData,
    PlanInfo,
    Population,
    Rule,
    RuleMeasure,
    ScalePoint,
    Scenario,
    Value,
    WeightSet,
    WeightSetKind,
    record_key,
)
from placeplanner.storage import orm
from placeplanner.storage.planfile import read_info_row


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in text.split(";")) if part)


def read_info(session: Session) -> PlanInfo:
    row = read_info_row(session)
    return PlanInfo(
        place=row.place, title=row.title, start_year=row.start_year, years=row.years,
        currency=row.currency, area_code=row.area_code, quorum=row.quorum,
        conflict_policy=row.conflict_policy,
    )


def read_plan(session: Session) -> PlanData:
    """The whole plan except individual scores, as plain values, in order (``PlanData.in_order``):
    each table by its rows' ids, which is the order records were added in."""
    partners = {r.id: r.name for r in session.scalars(select(orm.PartnerRow))}
    needs_by_id = {r.id: r.name for r in session.scalars(select(orm.NeedRow))}
    meetings = {r.id: r.name for r in session.scalars(select(orm.MeetingRow))}
    streams = session.scalars(select(orm.FundingStreamRow).options(selectinload(orm.FundingStreamRow.amounts))).all()
    stream_names = {s.id: s.name for s in streams}
    values = session.scalars(select(orm.ValueRow).options(selectinload(orm.ValueRow.scale_points))).all()
    value_names = {v.id: v.name for v in values}
    options = session.scalars(
        select(orm.OptionRow).order_by(orm.OptionRow.id).options(
            selectinload(orm.OptionRow.costs), selectinload(orm.OptionRow.levels),
            selectinload(orm.OptionRow.tags), selectinload(orm.OptionRow.need_links),
            selectinload(orm.OptionRow.links),
        )
    ).all()
    option_names = {o.id: o.name for o in options}
    participant_names = {p.id: p.name for p in session.scalars(select(orm.ParticipantRow))}

    return PlanData(
        info=read_info(session),
        partners=tuple(Partner(r.name, r.kind) for r in session.scalars(select(orm.PartnerRow).order_by(orm.PartnerRow.id))),
        funding_streams=tuple(
            FundingStream(
                name=s.name, partner=partners[s.partner_id],
                amounts=tuple((a.year, a.amount) for a in s.amounts),
                unit=s.unit, ring_fenced_for=_split(s.ring_fenced_for),
            )
            for s in sorted(streams, key=lambda s: s.id)
        ),
        needs=tuple(
            Need(r.name, r.people, r.priority, r.description)
            for r in session.scalars(select(orm.NeedRow).order_by(orm.NeedRow.id))
        ),
        indicators=tuple(
            Indicator(
                name=r.name, area_code=r.area_code, period=r.period, value=r.value,
                need=needs_by_id.get(r.need_id, "") if r.need_id else "", area_name=r.area_name,
                sex=r.sex, age=r.age, unit=r.unit, lower_ci=r.lower_ci, upper_ci=r.upper_ci,
                count=r.count, denominator=r.denominator, compared=r.compared,
                indicator_id=r.indicator_id, source=r.source,
            )
            for r in session.scalars(select(orm.IndicatorRow).order_by(orm.IndicatorRow.id))
        ),
        population=tuple(
            Population(r.area_code, r.area_name, r.year, r.sex, r.age, r.count)
            for r in session.scalars(select(orm.PopulationRow).order_by(orm.PopulationRow.id))
        ),
        values=tuple(
            Value(
                name=v.name, weight=v.weight, scale_min=v.scale_min, scale_max=v.scale_max,
                description=v.description,
                scale_points=tuple(ScalePoint(p.point, p.label) for p in v.scale_points),
            )
            for v in sorted(values, key=lambda v: v.id)
        ),
        options=tuple(_option_record(o, partners, stream_names, needs_by_id, option_names) for o in options),
        participants=tuple(
            Participant(r.name, r.organisation, r.role)
            for r in session.scalars(select(orm.ParticipantRow).order_by(orm.ParticipantRow.id))
        ),
        declarations=tuple(
            Declaration(
                participant=participant_names[r.participant_id],
                option=option_names[r.option_id] if r.option_id is not None else "",
                interest=r.interest, action=DeclarationAction(r.action), declared_on=r.declared_on,
                reason=r.reason, partner=partners[r.partner_id] if r.partner_id is not None else "",
            )
            for r in session.scalars(select(orm.DeclarationRow).order_by(orm.DeclarationRow.id))
        ),
        meetings=tuple(
            Meeting(r.name, r.held_on, r.status, r.notes)
            for r in session.scalars(select(orm.MeetingRow).order_by(orm.MeetingRow.id))
        ),
        agreed_scores=tuple(
            AgreedScore(
                option=option_names[r.option_id], value=value_names[r.value_id], score=r.score,
                rationale=r.rationale, meeting=meetings.get(r.meeting_id, "") if r.meeting_id else "",
            )
            for r in session.scalars(
                select(orm.AgreedScoreRow).order_by(orm.AgreedScoreRow.option_id, orm.AgreedScoreRow.value_id)
            )
        ),
        weight_sets=tuple(
            WeightSet(
                name=r.name, kind=WeightSetKind(r.kind), owner=r.owner,
                weights=tuple((value_names[w.value_id], w.weight) for w in r.weights),
            )
            for r in session.scalars(select(orm.WeightSetRow).order_by(orm.WeightSetRow.id).options(selectinload(orm.WeightSetRow.weights)))
        ),
        rules=tuple(
            Rule(r.name, r.applies_to, RuleMeasure(r.measure), r.minimum, r.maximum, r.enabled)
            for r in session.scalars(select(orm.RuleRow).order_by(orm.RuleRow.id))
        ),
        scenarios=tuple(
            Scenario(r.name, r.description, dict(r.settings))
            for r in session.scalars(select(orm.ScenarioRow).order_by(orm.ScenarioRow.id))
        ),
    ).in_order()


def _option_record(
    row: orm.OptionRow,
    partners: dict[int, str],
    streams: dict[int, str],
    needs: dict[int, str],
    options: dict[int, str],
) -> Option:
    return Option(
        name=row.name,
        lead_partner=partners[row.lead_partner_id],
        kind=OptionKind(row.kind),
        costs=tuple(Cost(streams[c.stream_id], c.year, c.amount) for c in row.costs),
        levels=tuple(Level(lv.name, lv.cost_share, lv.value_share) for lv in row.levels),
        min_share=row.min_share,
        needs=tuple(needs[n.need_id] for n in row.need_links),
        tags=tuple(t.tag for t in row.tags),
        requires=tuple(options[link.other_id] for link in row.links if link.relation == "requires"),
        excludes=tuple(options[link.other_id] for link in row.links if link.relation == "excludes"),
        mandatory=row.mandatory,
        status=OptionStatus(row.status),
        contract_form=ContractForm(row.contract_form),
        people_reached=row.people_reached,
        description=row.description,
    )


# --- writing -----------------------------------------------------------------------------

# Tables in the order that satisfies their references.
WRITE_ORDER = (
    "partners", "funding_streams", "needs", "indicators", "population", "values",
    "participants", "meetings", "options", "declarations", "agreed_scores",
    "weight_sets", "rules", "scenarios",
)


class _Ids:
    """Name -> primary key lookups, refreshed as rows are added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[type[Any], dict[str, int]] = {}

    def of(self, model: type[Any], name: str) -> int:
        table = self._cache.get(model)
        if table is None:
            table = {n: i for i, n in self.session.execute(select(model.id, model.name))}
            self._cache[model] = table
        return table[name]

    def forget(self, model: type[Any]) -> None:
        self._cache.pop(model, None)


def write_info(session: Session, info: PlanInfo) -> None:
    row = read_info_row(session)
    for field in dataclasses.fields(info):
        setattr(row, field.name, getattr(info, field.name))


def write_records(session: Session, incoming: PlanData, current: PlanData | None = None) -> list[tuple[str, Any, Any]]:
    """Upsert every record in ``incoming`` (not its info); return (table, before, after) per change.

    ``current`` is the plan as it stands, when the caller already holds it (read under the writer
    lock, so nothing has changed since); otherwise it is read here."""
    ids = _Ids(session)
    current = current if current is not None else read_plan(session)
    session.info["row_cache"] = {}
    changes: list[tuple[str, Any, Any]] = []
    # Options first without their links, then links, so options may require each other in any order.
    with session.no_autoflush:
        for table in WRITE_ORDER:
            records = incoming.table(table)
            if not records:
                continue
            existing = {record_key(r): r for r in current.table(table)}
            changed = [(before, r) for r in records if (before := existing.get(record_key(r))) != r]
            session.info["rows_one_by_one"] = len(changed) <= _ONE_BY_ONE
            writer = _WRITERS[table]
            for before, record in changed:
                writer(session, ids, record)
                changes.append((table, before, record))
            session.flush()
            if table in _MODELS:
                ids.forget(_MODELS[table])
            if table == "options":
                _write_option_links(session, ids, [c[2] for c in changes if c[0] == "options"])
    session.info.pop("row_cache", None)
    session.info.pop("rows_one_by_one", None)
    session.expire_all()  # links were written with Core, behind the identity map's back
    return changes


# Up to this many changed records of a table are looked up by key one by one; more, and the
# table's rows are loaded once (loading 5,000 options to change one took a tenth of a second).
_ONE_BY_ONE = 50


def _get_or_new(session: Session, model: type[Any], **key: Any) -> Any:
    """The row with this key, or a new one; each row is met once per session."""
    cache: dict[type[Any], dict[tuple[Any, ...], Any]] = session.info.setdefault("row_cache", {})
    one_by_one = session.info.get("rows_one_by_one", False)
    fields = tuple(sorted(key))
    rows = cache.get(model)
    if rows is None:
        rows = {} if one_by_one else {tuple(getattr(r, f) for f in fields): r for r in session.scalars(select(model))}
        cache[model] = rows
    wanted = tuple(key[f] for f in fields)
    row = rows.get(wanted)
    if row is None and one_by_one:
        row = session.scalars(select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key)
        session.add(row)
    rows[wanted] = row
    return row


def as_stored(incoming: PlanData) -> PlanData:
    """``incoming`` as it reads back once written, bar order (``PlanData.in_order``): a stream's
    ring-fences pass through their ';'-separated text, a scenario's settings through JSON."""
    streams = tuple(
        s if (fences := _split(";".join(s.ring_fenced_for))) == s.ring_fenced_for else dataclasses.replace(s, ring_fenced_for=fences)
        for s in incoming.funding_streams
    )
    scenarios = tuple(
        s if (settings := json.loads(json.dumps(s.settings))) == s.settings else dataclasses.replace(s, settings=settings)
        for s in incoming.scenarios
    )
    return dataclasses.replace(incoming, funding_streams=streams, scenarios=scenarios)


def _write_partner(session: Session, ids: _Ids, r: Partner) -> None:
    row = _get_or_new(session, orm.PartnerRow, name=r.name)
    row.kind = r.kind


def _write_stream(session: Session, ids: _Ids, r: FundingStream) -> None:
    row = _get_or_new(session, orm.FundingStreamRow, name=r.name)
    row.partner_id = ids.of(orm.PartnerRow, r.partner)
    row.unit = r.unit
    row.ring_fenced_for = ";".join(r.ring_fenced_for)
    row.amounts = [orm.StreamAmountRow(year=y, amount=a) for y, a in r.amounts]


def _write_need(session: Session, ids: _Ids, r: Need) -> None:
    row = _get_or_new(session, orm.NeedRow, name=r.name)
    row.people, row.priority, row.description = r.people, r.priority, r.description


def _write_indicator(session: Session, ids: _Ids, r: Indicator) -> None:
    row = _get_or_new(session, orm.IndicatorRow, name=r.name, area_code=r.area_code, sex=r.sex, age=r.age, period=r.period)
    row.need_id = ids.of(orm.NeedRow, r.need) if r.need else None
    for field in ("area_name", "value", "unit", "lower_ci", "upper_ci", "count", "denominator", "compared", "indicator_id", "source"):
        setattr(row, field, getattr(r, field))


def _write_population(session: Session, ids: _Ids, r: Population) -> None:
    row = _get_or_new(session, orm.PopulationRow, area_code=r.area_code, year=r.year, sex=r.sex, age=r.age)
    row.area_name, row.count = r.area_name, r.count


def _write_value(session: Session, ids: _Ids, r: Value) -> None:
    row = _get_or_new(session, orm.ValueRow, name=r.name)
    row.weight, row.scale_min, row.scale_max, row.description = r.weight, r.scale_min, r.scale_max, r.description
    row.scale_points = [orm.ScalePointRow(point=p.point, label=p.label) for p in r.scale_points]


def _write_option(session: Session, ids: _Ids, r: Option) -> None:
    row = _get_or_new(session, orm.OptionRow, name=r.name)
    row.lead_partner_id = ids.of(orm.PartnerRow, r.lead_partner)
    row.kind, row.min_share, row.mandatory = r.kind.value, r.min_share, r.mandatory
    row.status, row.contract_form = r.status.value, r.contract_form.value
    row.people_reached, row.description = r.people_reached, r.description
    row.costs = [orm.OptionCostRow(stream_id=ids.of(orm.FundingStreamRow, c.stream), year=c.year, amount=c.amount) for c in r.costs]
    row.levels = [orm.OptionLevelRow(position=i, name=lv.name, cost_share=lv.cost_share, value_share=lv.value_share) for i, lv in enumerate(r.levels)]
    row.tags = [orm.OptionTagRow(tag=t, position=i) for i, t in enumerate(r.tags)]
    row.need_links = [orm.OptionNeedRow(need_id=ids.of(orm.NeedRow, n), position=i) for i, n in enumerate(r.needs)]


def _write_option_links(session: Session, ids: _Ids, records: list[Option]) -> None:
    """Replace the requires/excludes links of these options in two statements, not one per option."""
    if not records:
        return
    option_ids = [ids.of(orm.OptionRow, r.name) for r in records]
    for start in range(0, len(option_ids), 500):
        chunk = option_ids[start:start + 500]
        session.execute(delete(orm.OptionLinkRow).where(orm.OptionLinkRow.option_id.in_(chunk)))
    rows = [
        {"option_id": option_id, "other_id": ids.of(orm.OptionRow, other), "relation": relation, "position": position}
        for option_id, record in zip(option_ids, records, strict=True)
        for position, (relation, other) in enumerate(
            [("requires", o) for o in record.requires] + [("excludes", o) for o in record.excludes]
        )
    ]
    if rows:
        session.execute(insert(orm.OptionLinkRow), rows)


def _write_participant(session: Session, ids: _Ids, r: Participant) -> None:
    row = _get_or_new(session, orm.ParticipantRow, name=r.name)
    row.organisation, row.role = r.organisation, r.role


def _write_declaration(session: Session, ids: _Ids, r: Declaration) -> None:
    row = _get_or_new(session, orm.DeclarationRow, **_declaration_key(ids, (r.participant, r.option, r.partner)))
    row.interest, row.action, row.declared_on, row.reason = r.interest, r.action.value, r.declared_on, r.reason


def _declaration_key(ids: _Ids, key: tuple[Any, ...]) -> dict[str, int | None]:
    participant, option, partner = key
    return {
        "participant_id": ids.of(orm.ParticipantRow, participant),
        "option_id": ids.of(orm.OptionRow, option) if option else None,
        "partner_id": ids.of(orm.PartnerRow, partner) if partner else None,
    }


def _write_meeting(session: Session, ids: _Ids, r: Meeting) -> None:
    row = _get_or_new(session, orm.MeetingRow, name=r.name)
    row.held_on, row.status, row.notes = r.held_on, r.status, r.notes


def _write_agreed(session: Session, ids: _Ids, r: AgreedScore) -> None:
    row = _get_or_new(
        session, orm.AgreedScoreRow,
        option_id=ids.of(orm.OptionRow, r.option), value_id=ids.of(orm.ValueRow, r.value),
    )
    row.score, row.rationale = r.score, r.rationale
    row.meeting_id = ids.of(orm.MeetingRow, r.meeting) if r.meeting else None


def _write_weight_set(session: Session, ids: _Ids, r: WeightSet) -> None:
    row = _get_or_new(session, orm.WeightSetRow, name=r.name)
    row.kind, row.owner = r.kind.value, r.owner
    row.weights = [orm.WeightRow(value_id=ids.of(orm.ValueRow, v), weight=w) for v, w in r.weights]


def _write_rule(session: Session, ids: _Ids, r: Rule) -> None:
    row = _get_or_new(session, orm.RuleRow, name=r.name)
    row.applies_to, row.measure = r.applies_to, r.measure.value
    row.minimum, row.maximum, row.enabled = r.minimum, r.maximum, r.enabled


def _write_scenario(session: Session, ids: _Ids, r: Scenario) -> None:
    row = _get_or_new(session, orm.ScenarioRow, name=r.name)
    row.description, row.settings = r.description, dict(r.settings)


_WRITERS: dict[str, Callable[[Session, _Ids, Any], None]] = {
    "partners": _write_partner,
    "funding_streams": _write_stream,
    "needs": _write_need,
    "indicators": _write_indicator,
    "population": _write_population,
    "values": _write_value,
    "options": _write_option,
    "participants": _write_participant,
    "declarations": _write_declaration,
    "meetings": _write_meeting,
    "agreed_scores": _write_agreed,
    "weight_sets": _write_weight_set,
    "rules": _write_rule,
    "scenarios": _write_scenario,
}

_MODELS: dict[str, type[Any]] = {
    "partners": orm.PartnerRow,
    "funding_streams": orm.FundingStreamRow,
    "needs": orm.NeedRow,
    "values": orm.ValueRow,
    "options": orm.OptionRow,
    "participants": orm.ParticipantRow,
    "meetings": orm.MeetingRow,
}

# Every table whose records are known by a name of their own.
_NAMED_MODELS: dict[str, type[Any]] = {
    **_MODELS,
    "weight_sets": orm.WeightSetRow,
    "rules": orm.RuleRow,
    "scenarios": orm.ScenarioRow,
}


def as_plain(record: Any) -> Any:
    """A record as JSON-ready data, for the audit log."""
    if record is None:
        return None
    return _plain(dataclasses.asdict(record))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def delete_record(session: Session, table: str, key: Iterable[Any]) -> None:
    """Delete one record by its key; the database cascades to what hangs off it."""
    delete_records(session, table, [tuple(key)])


def delete_records(session: Session, table: str, keys: Iterable[tuple[Any, ...]]) -> None:
    """Delete records of one table by their keys, as ``delete_record`` does each."""
    ids = _Ids(session)
    for key in keys:
        session.delete(_row_by_key(session, table, key, ids))
    session.flush()


def rename_record(session: Session, table: str, old: str, new: str) -> None:
    """Rename a named record in place: references held by id follow it."""
    model = _NAMED_MODELS.get(table)
    if model is None:
        raise ValueError(f"records of {table} have no name of their own")
    session.execute(select(model).filter_by(name=old)).scalar_one().name = new
    session.flush()


def _row_by_key(session: Session, table: str, key: tuple[Any, ...], ids: _Ids) -> Any:
    if table in _NAMED_MODELS:
        return session.execute(select(_NAMED_MODELS[table]).filter_by(name=key[0])).scalar_one()
    if table == "declarations":
        return session.execute(select(orm.DeclarationRow).filter_by(**_declaration_key(ids, key))).scalar_one()
    if table == "agreed_scores":
        return session.execute(select(orm.AgreedScoreRow).filter_by(
            option_id=ids.of(orm.OptionRow, key[0]), value_id=ids.of(orm.ValueRow, key[1]))).scalar_one()
    if table == "indicators":
        name, area_code, sex, age, period = key
        return session.execute(select(orm.IndicatorRow).filter_by(
            name=name, area_code=area_code, sex=sex, age=age, period=period)).scalar_one()
    if table == "population":
        area_code, year, sex, age = key
        return session.execute(select(orm.PopulationRow).filter_by(area_code=area_code, year=year, sex=sex, age=age)).scalar_one()
    raise ValueError(f"cannot delete records of {table} one by one")
