"""Turning tables of text cells into plan records, naming the file, row and column of every bad cell."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from placeplanner.errors import Problem
from placeplanner.io.sources import SourceTable
from placeplanner.io.tables import COST_PREFIX, LIST_SEPARATOR, TABLES, is_cost_column
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
from placeplanner.money import MINUS, parse_year, year_label

if TYPE_CHECKING:
    import pandas as pd

E = TypeVar("E", bound=StrEnum)

_TRUE = {"yes", "y", "true", "1", "mandatory"}
_FALSE = {"no", "n", "false", "0", ""}
DONT_KNOW = {"", "don't know", "dont know", "dk", "?", "n/a"}


@dataclass(slots=True)
class ParsedImport:
    """What the files hold, ready to lay over the plan, and where each record came from."""

    plan: PlanData
    has_info: bool = False
    scores: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    origins: dict[tuple[str, tuple[Any, ...]], tuple[SourceTable, int]] = field(default_factory=dict)
    score_sources: list[tuple[int, SourceTable]] = field(default_factory=list)  # (first position, source)

    def locate(self, problem: Problem) -> Problem:
        """Point a validation problem at the file, row and column its record came from."""
        if problem.table == "individual_scores" and self.score_sources:
            position = int(problem.record[0])  # type: ignore[call-overload]
            starts = [start for start, _ in self.score_sources]
            start, source = self.score_sources[bisect_right(starts, position) - 1]
            row = source.frame.index[position - start]
            return Problem(source.where(int(row), problem.column), f"{problem.message}", problem.table, problem.record, problem.column)
        origin = self.origins.get((problem.table, problem.record))
        if origin is None:
            return problem
        source, row = origin
        column = _column_name(problem.table, problem.column)
        return Problem(source.where(row, column), f"{problem.where} {problem.message}", problem.table, problem.record, problem.column)


def _column_name(table: str, column: str) -> str:
    renames = {("scores", "score"): "score", ("rules", "minimum"): "min", ("rules", "maximum"): "max"}
    table = "scores" if table == "agreed_scores" else table
    if table == "plan" and column == "start_year":
        return "first_year"
    if table == "indicators" and column == "name":
        return "indicator"
    return renames.get((table, column), column)


class Row:
    """One row's cells, read with messages that say where a bad cell is."""

    def __init__(self, source: SourceTable, number: int, cells: dict[str, str], problems: list[Problem]) -> None:
        self.source = source
        self.line = number
        self.cells = cells
        self.problems = problems

    def fail(self, column: str, message: str) -> None:
        value = self.cells.get(column, "")
        shown = f"'{value}' " if value else ""
        self.problems.append(Problem(self.source.where(self.line, column), f"{shown}{message}", self.source.table, (), column))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.fail(column, "is blank, but this column must be filled in")
        return value

    def number(self, column: str, *, required: bool = False) -> float | None:
        raw = self.text(column, required=required)
        if not raw:
            return None
        # The true minus sign, as the board paper writes it and a spreadsheet may keep it when pasted.
        cleaned = raw.replace(",", "").replace("£", "").replace(MINUS, "-").strip()
        try:
            value = float(cleaned)
        except ValueError:
            self.fail(column, "is not a number")
            return None
        if not math.isfinite(value):
            self.fail(column, "is not a finite number")
            return None
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.number(column, required=required)
        if value is None:
            return None
        if not value.is_integer():
            self.fail(column, "must be a whole number")
            return None
        return int(value)

    def share(self, raw: str, column: str) -> float | None:
        text = raw.strip()
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            self.fail(column, f"has '{text}', which is not a share such as 0.5 or 50%")
            return None

    def boolean(self, column: str, *, default: bool = False) -> bool:
        raw = self.text(column).lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return default if raw == "" else False
        self.fail(column, "should be yes or no")
        return default

    def choice(self, column: str, kind: type[E], default: E) -> E:
        raw = self.text(column).lower()
        if not raw:
            return default
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in kind if k.value)
            self.fail(column, f"is not one of {allowed}")
            return default

    def names(self, column: str) -> tuple[str, ...]:
        return tuple(p for p in (part.strip() for part in self.text(column).split(LIST_SEPARATOR)) if p)

    def year(self, column: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return parse_year(raw)
        except ValueError as exc:
            self.fail(column, str(exc).split(" is ", 1)[-1].replace(repr(raw) + " ", ""))
            return None

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            try:
                day, month, year = (int(p) for p in raw.replace("-", "/").split("/"))
                return date(year, month, day)
            except ValueError:
                self.fail(column, "is not a date (use 2027-04-01 or 01/04/2027)")
                return None


def _rows(source: SourceTable, problems: list[Problem]) -> Iterator[Row]:
    columns = list(source.frame.columns)
    for number, values in zip(source.frame.index, source.frame.itertuples(index=False, name=None), strict=True):
        yield Row(source, int(number), dict(zip(columns, values, strict=True)), problems)


def check_columns(source: SourceTable, problems: list[Problem]) -> bool:
    spec = TABLES[source.table]
    columns = list(source.frame.columns)
    ok = True
    for column in spec.required:
        if column not in columns:
            problems.append(Problem(source.label, f"has no column '{column}'; {source.table} needs {', '.join(spec.required)}", source.table, (), column))
            ok = False
    if source.table == "options" and not any(is_cost_column(c) for c in columns):
        problems.append(Problem(source.label, f"has no cost column; add one '{COST_PREFIX}<funding stream name>' column per stream", source.table))
        ok = False
    allowed = set(spec.columns)
    for column in columns:
        if column not in allowed and not (source.table == "options" and is_cost_column(column)):
            problems.append(Problem(source.label, f"has a column '{column}' that {source.table} does not have; its columns are {', '.join(spec.columns)}", source.table, (), column))
            ok = False
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            problems.append(Problem(source.label, f"has the column '{column}' twice", source.table, (), column))
            ok = False
        seen.add(column)
    return ok


def parse_sources(sources: list[SourceTable], base_info: PlanInfo) -> ParsedImport:
    """All tables read into one PlanData; problems collected rather than raised."""
    parsed = ParsedImport(plan=PlanData(info=base_info))
    problems = parsed.problems
    by_table: dict[str, list[SourceTable]] = {}
    for source in sources:
        if check_columns(source, problems):
            by_table.setdefault(source.table, []).append(source)

    info = base_info
    if "plan" in by_table:
        info = _parse_info(by_table["plan"], base_info, problems)
        parsed.has_info = True
    tables: dict[str, list[Any]] = {}

    def collect(table: str, record: Any, row: Row) -> None:
        tables.setdefault(table, []).append(record)
        parsed.origins.setdefault((table, record_key(record)), (row.source, row.line))

    for table, parser in _SIMPLE_PARSERS.items():
        for source in by_table.get(table, []):
            for row in _rows(source, problems):
                record = parser(row)
                if record is not None:
                    collect(_TARGET.get(table, table), record, row)
    for record, row in _parse_streams(by_table.get("funding_streams", []), info, problems):
        collect("funding_streams", record, row)
    for source in by_table.get("options", []):
        for row in _rows(source, problems):
            option = _parse_option(row, info)
            if option is not None:
                collect("options", option, row)
    for record, row in _parse_weights(by_table.get("weights", []), problems):
        collect("weight_sets", record, row)

    plan = PlanData(info=info)
    parsed.plan = replace(plan, **{t: tuple(records) for t, records in tables.items()})  # type: ignore[arg-type]
    if "individual_scores" in by_table:
        parsed.scores = _parse_scores(by_table["individual_scores"], parsed, problems)
    return parsed


def _parse_info(sources: list[SourceTable], base: PlanInfo, problems: list[Problem]) -> PlanInfo:
    rows = [row for source in sources for row in _rows(source, problems)]
    if len(rows) != 1:
        problems.append(Problem(sources[0].label, f"has {len(rows)} rows; the plan table has exactly one"))
        return base
    row = rows[0]
    return PlanInfo(
        place=row.text("place", required=True) or base.place,
        title=row.text("title"),
        start_year=row.year("first_year") or base.start_year,
        years=row.integer("years") or base.years,
        currency=row.text("currency") or base.currency,
        area_code=row.text("area_code"),
        quorum=row.integer("quorum") if row.text("quorum") else base.quorum,  # type: ignore[arg-type]
        conflict_policy=row.text("conflict_policy").lower() or base.conflict_policy,
    )


def _partner(row: Row) -> Partner | None:
    name = row.text("name", required=True)
    return Partner(name, row.text("kind")) if name else None


def _need(row: Row) -> Need | None:
    name = row.text("name", required=True)
    priority = row.number("priority")
    return Need(name, row.integer("people"), 1.0 if priority is None else priority, row.text("description")) if name else None


def _indicator(row: Row) -> Indicator | None:
    name = row.text("indicator", required=True)
    area = row.text("area_code", required=True)
    period = row.text("period", required=True)
    if not (name and area and period):
        return None
    return Indicator(
        name=name, area_code=area, period=period, value=row.number("value"), need=row.text("need"),
        area_name=row.text("area_name"), sex=row.text("sex"), age=row.text("age"), unit=row.text("unit"),
        lower_ci=row.number("lower_ci"), upper_ci=row.number("upper_ci"), count=row.number("count"),
        denominator=row.number("denominator"), compared=row.text("compared"),
        indicator_id=row.text("indicator_id"), source=row.text("source"),
    )


def _population(row: Row) -> Population | None:
    area = row.text("area_code", required=True)
    year = row.integer("year", required=True)
    count = row.number("count", required=True)
    if not area or year is None or count is None:
        return None
    return Population(area, row.text("area_name"), year, row.text("sex", required=True), row.text("age", required=True), count)


def _value(row: Row) -> Value | None:
    name = row.text("name", required=True)
    weight = row.number("weight", required=True)
    low = row.number("scale_min", required=True)
    high = row.number("scale_max", required=True)
    points = []
    for part in row.names("scale"):
        point, sep, label = part.partition("=")
        try:
            points.append(ScalePoint(float(point.strip()), label.strip()))
        except ValueError:
            row.fail("scale", f"has '{part}', which is not 'point=description' such as '5=Some benefit'")
        if not sep:
            row.fail("scale", f"has '{part}' without '=': write 'point=description'")
    if not name or weight is None or low is None or high is None:
        return None
    return Value(name, weight, low, high, row.text("description"), tuple(points))


def _agreed(row: Row) -> AgreedScore | None:
    option, value = row.text("option", required=True), row.text("value", required=True)
    score = row.number("score", required=True)
    if not option or not value or score is None:
        return None
    return AgreedScore(option, value, score, row.text("rationale"), row.text("meeting"))


def _rule(row: Row) -> Rule | None:
    name = row.text("name", required=True)
    applies = row.text("applies_to", required=True)
    measure = row.choice("measure", RuleMeasure, RuleMeasure.COUNT)
    if not row.text("measure"):
        row.fail("measure", "is blank; write count or spend")
    if not name or not applies:
        return None
    return Rule(name, applies, measure, row.number("min"), row.number("max"), row.boolean("enabled", default=True))


def _participant(row: Row) -> Participant | None:
    name = row.text("name", required=True)
    organisation = row.text("organisation", required=True)
    return Participant(name, organisation, row.text("role")) if name and organisation else None


def _declaration(row: Row) -> Declaration | None:
    """An interest in an option, or in a partner (every option it leads): one of the two cells."""
    who, option, partner = row.text("participant", required=True), row.text("option"), row.text("partner")
    interest = row.text("interest", required=True)
    action = row.choice("action", DeclarationAction, DeclarationAction.NONE)
    if option and partner:
        row.fail("partner", f"is given as well as option '{option}'; a declaration is about an option or a partner, not both")
        return None
    if not option and not partner:
        row.fail("option", "is blank, and so is partner; say which option, or which partner, the interest is in")
        return None
    if not who:
        return None
    return Declaration(who, option, interest, action, row.date("date"), row.text("reason"), partner)


def _meeting(row: Row) -> Meeting | None:
    name = row.text("name", required=True)
    return Meeting(name, row.date("date"), row.text("status") or "planned", row.text("notes")) if name else None


def _scenario(row: Row) -> Scenario | None:
    name = row.text("name", required=True)
    raw = row.text("settings")
    settings: dict[str, object] = {}
    if raw:
        try:
            loaded = json.loads(raw)
        except json.JSONDecodeError as exc:
            row.fail("settings", f"is not valid JSON ({exc.msg})")
        else:
            if isinstance(loaded, dict):
                settings = loaded
            else:
                row.fail("settings", "must be a JSON object such as {\"budget_factor\": 0.9}")
    return Scenario(name, row.text("description"), settings) if name else None


_SIMPLE_PARSERS: dict[str, Callable[[Row], Any]] = {
    "partners": _partner,
    "needs": _need,
    "indicators": _indicator,
    "population": _population,
    "values": _value,
    "scores": _agreed,
    "rules": _rule,
    "participants": _participant,
    "declarations": _declaration,
    "meetings": _meeting,
    "scenarios": _scenario,
}
# File table names that differ from PlanData's.
_TARGET = {"scores": "agreed_scores"}


def _parse_streams(sources: list[SourceTable], info: PlanInfo, problems: list[Problem]) -> Iterator[tuple[FundingStream, Row]]:
    grouped: dict[str, list[Row]] = {}
    for source in sources:
        for row in _rows(source, problems):
            name = row.text("name", required=True)
            if name:
                grouped.setdefault(name, []).append(row)
    for name, rows in grouped.items():
        first = rows[0]
        partner = first.text("partner", required=True)
        unit = first.text("unit") or "GBP"
        ring = first.names("ring_fenced_for")
        amounts: dict[int, float] = {}
        for row in rows:
            for column, expected in (("partner", partner), ("unit", unit)):
                got = row.text(column) or ("GBP" if column == "unit" else "")
                if got != expected:
                    row.fail(column, f"differs from row {first.line} for the same stream ('{expected}')")
            amount = row.number("amount", required=True)
            year = row.year("year")
            years = [year] if year is not None else list(info.plan_years)
            for each in years:
                if each in amounts:
                    row.fail("year", f"gives stream '{name}' a second amount for {year_label(each)}")
                if amount is not None:
                    amounts[each] = amount
        yield FundingStream(name, partner, tuple(sorted(amounts.items())), unit, ring), first


def _parse_option(row: Row, info: PlanInfo) -> Option | None:
    name = row.text("name", required=True)
    lead = row.text("lead_partner", required=True)
    yearly: dict[tuple[str, int], float] = {}
    overrides: dict[tuple[str, int], float] = {}
    for column, raw in row.cells.items():
        if not is_cost_column(column) or not raw.strip():
            continue
        stream, _, year_text = column[len(COST_PREFIX):].partition(":")
        amount = row.number(column)
        if amount is None:
            continue
        if year_text:
            try:
                overrides[(stream.strip(), parse_year(year_text))] = amount
            except ValueError:
                row.fail(column, f"is in a column whose year '{year_text}' is not a financial year such as 2027/28")
        else:
            for year in info.plan_years:
                yearly[(stream.strip(), year)] = amount
    yearly.update(overrides)
    costs = tuple(Cost(stream, year, amount) for (stream, year), amount in sorted(yearly.items()) if amount != 0)

    levels = []
    for token in row.names("levels"):
        parts = [p.strip() for p in token.split(":")]
        if len(parts) == 1:
            share = row.share(parts[0], "levels")
            if share is not None:
                levels.append(Level(f"{share:.0%}", share, share))
        elif len(parts) in (2, 3):
            cost_share = row.share(parts[1], "levels")
            value_share = row.share(parts[2], "levels") if len(parts) == 3 else cost_share
            if cost_share is not None and value_share is not None:
                levels.append(Level(parts[0], cost_share, value_share))
        else:
            row.fail("levels", f"has '{token}'; write name:cost share[:value share], e.g. Half:0.5")
    min_share_raw = row.text("min_share")
    min_share = row.share(min_share_raw, "min_share") if min_share_raw else None
    if not name or not lead:
        return None
    return Option(
        name=name, lead_partner=lead,
        kind=row.choice("kind", OptionKind, OptionKind.INVEST),
        costs=costs, levels=tuple(levels), min_share=min_share,
        needs=row.names("needs"), tags=row.names("tags"),
        requires=row.names("requires"), excludes=row.names("excludes"),
        mandatory=row.boolean("mandatory"),
        status=row.choice("status", OptionStatus, OptionStatus.PROPOSED),
        contract_form=row.choice("contract_form", ContractForm, ContractForm.NONE),
        people_reached=row.integer("people_reached"),
        description=row.text("description"),
    )


def _parse_weights(sources: list[SourceTable], problems: list[Problem]) -> Iterator[tuple[WeightSet, Row]]:
    grouped: dict[str, list[Row]] = {}
    for source in sources:
        for row in _rows(source, problems):
            name = row.text("weight_set", required=True)
            if name:
                grouped.setdefault(name, []).append(row)
    for name, rows in grouped.items():
        first = rows[0]
        kind = first.choice("kind", WeightSetKind, WeightSetKind.GROUP)
        owner = first.text("owner")
        weights: dict[str, float] = {}
        for row in rows:
            value = row.text("value", required=True)
            weight = row.number("weight", required=True)
            if value in weights:
                row.fail("value", f"is weighted twice in weight set '{name}'")
            if value and weight is not None:
                weights[value] = weight
        yield WeightSet(name, kind, tuple(weights.items()), owner), first


def _parse_scores(sources: list[SourceTable], parsed: ParsedImport, problems: list[Problem]) -> pd.DataFrame:
    """Individual scores, column by column: half a million rows cannot afford a Row each."""
    import pandas as pd

    frames = []
    position = 0
    for source in sources:
        frame = source.frame
        parsed.score_sources.append((position, source))
        out = pd.DataFrame(index=pd.RangeIndex(position, position + len(frame)))
        for column in ("meeting", "participant", "option", "value"):
            # Categories first: a few hundred distinct names are stripped once, not 480,000 times.
            names = frame[column].astype("category").map(str.strip)
            out[column] = names.to_numpy()
            for row in frame.index[(names == "").to_numpy()][:20]:
                problems.append(Problem(source.where(int(row), column), "is blank, but this column must be filled in"))
        raw = frame["score"].astype("category").map(lambda text: text.strip().lower())
        dont_know = raw.isin(DONT_KNOW).to_numpy()
        score = pd.to_numeric(pd.Series(raw.astype(str).to_numpy()).where(~dont_know, None), errors="coerce").to_numpy()
        for row in frame.index[pd.isna(score) & ~dont_know][:20]:
            problems.append(Problem(source.where(int(row), "score"), f"'{frame.at[row, 'score']!s}' is not a number (leave it blank for don't know)"))
        out["score"] = score
        if "confidence" in frame:
            raw_conf = frame["confidence"].astype("category").map(str.strip)
            given = (raw_conf != "").to_numpy()
            confidence = pd.to_numeric(pd.Series(raw_conf.astype(str).to_numpy()).where(given, None), errors="coerce").to_numpy()
            for row in frame.index[pd.isna(confidence) & given][:20]:
                problems.append(Problem(source.where(int(row), "confidence"), f"'{frame.at[row, 'confidence']!s}' is not a number from 0 to 1"))
            out["confidence"] = confidence
        else:
            out["confidence"] = float("nan")
        out["comment"] = frame["comment"].to_numpy() if "comment" in frame else ""
        if "time" in frame:
            raw_time = frame["time"].str.strip()
            when = pd.to_datetime(raw_time.where(raw_time != "", None), errors="coerce", format="mixed")
            for row in frame.index[when.isna() & (raw_time != "")][:20]:
                problems.append(Problem(source.where(int(row), "time"), f"'{frame.at[row, 'time']!s}' is not a date and time"))
            out["scored_at"] = when.to_numpy()
        else:
            out["scored_at"] = pd.NaT
        frames.append(out)
        position += len(frame)
    # Names stay categorical: 480,000 rows share a few hundred distinct strings.
    return pd.concat(frames) if len(frames) > 1 else frames[0]
