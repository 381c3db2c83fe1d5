"""Writing a plan out as tables: one workbook with a sheet per table, or a folder of CSV files.

What is written imports back to the same plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeplanner.errors import PlanError
from placeplanner.io.tables import COST_PREFIX, LIST_SEPARATOR, TABLES
from placeplanner.model import Level, Option, PlanData
from placeplanner.money import year_label

if TYPE_CHECKING:
    import pandas as pd


def plan_frames(plan: PlanData, scores: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the contract as a DataFrame, in contract order."""
    import pandas as pd

    info = plan.info
    years = info.plan_years
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rows["plan"].append({
        "place": info.place, "title": info.title, "first_year": year_label(info.start_year), "years": info.years,
        "currency": info.currency, "area_code": info.area_code, "quorum": info.quorum,
        "conflict_policy": info.conflict_policy,
    })
    rows["partners"] = [{"name": p.name, "kind": p.kind} for p in plan.partners]
    for s in plan.funding_streams:
        amounts = dict(s.amounts)
        base = {"name": s.name, "partner": s.partner, "unit": s.unit, "ring_fenced_for": _join(s.ring_fenced_for)}
        if set(amounts) == set(years) and len(set(amounts.values())) == 1:
            rows["funding_streams"].append({**base, "amount": amounts[years[0]], "year": ""})
        else:
            rows["funding_streams"].extend({**base, "amount": a, "year": year_label(y)} for y, a in sorted(amounts.items()))
    rows["needs"] = [{"name": n.name, "people": n.people, "priority": n.priority, "description": n.description} for n in plan.needs]
    rows["indicators"] = [
        {"indicator": i.name, "area_code": i.area_code, "period": i.period, "value": i.value, "need": i.need,
         "area_name": i.area_name, "sex": i.sex, "age": i.age, "unit": i.unit, "lower_ci": i.lower_ci,
         "upper_ci": i.upper_ci, "count": i.count, "denominator": i.denominator, "compared": i.compared,
         "indicator_id": i.indicator_id, "source": i.source}
        for i in plan.indicators
    ]
    rows["population"] = [
        {"area_code": p.area_code, "year": p.year, "sex": p.sex, "age": p.age, "count": p.count, "area_name": p.area_name}
        for p in plan.population
    ]
    rows["values"] = [
        {"name": v.name, "weight": v.weight, "scale_min": v.scale_min, "scale_max": v.scale_max,
         "description": v.description, "scale": _join(f"{p.point:g}={p.label}" for p in v.scale_points)}
        for v in plan.values
    ]
    rows["options"] = [_option_row(o, years) for o in plan.options]
    rows["scores"] = [
        {"option": s.option, "value": s.value, "score": s.score, "rationale": s.rationale, "meeting": s.meeting}
        for s in plan.agreed_scores
    ]
    rows["rules"] = [
        {"name": r.name, "applies_to": r.applies_to, "measure": r.measure.value, "min": r.minimum,
         "max": r.maximum, "enabled": "yes" if r.enabled else "no"}
        for r in plan.rules
    ]
    rows["participants"] = [{"name": p.name, "organisation": p.organisation, "role": p.role} for p in plan.participants]
    rows["declarations"] = [
        {"participant": d.participant, "option": d.option, "interest": d.interest, "partner": d.partner,
         "action": d.action.value, "date": d.declared_on.isoformat() if d.declared_on else "", "reason": d.reason}
        for d in plan.declarations
    ]
    rows["meetings"] = [
        {"name": m.name, "date": m.held_on.isoformat() if m.held_on else "", "status": m.status, "notes": m.notes}
        for m in plan.meetings
    ]
    rows["weights"] = [
        {"weight_set": w.name, "kind": w.kind.value, "value": value, "weight": weight, "owner": w.owner}
        for w in plan.weight_sets for value, weight in w.weights
    ]
    rows["scenarios"] = [
        {"name": s.name, "description": s.description, "settings": json.dumps(s.settings) if s.settings else ""}
        for s in plan.scenarios
    ]

    frames = {}
    for name, spec in TABLES.items():
        if name == "individual_scores":
            continue
        columns = list(spec.columns)
        if name == "options":
            columns = _option_columns(plan)
        frames[name] = pd.DataFrame(rows[name], columns=columns)
    frames["individual_scores"] = _scores_frame(scores)
    return frames


def _scores_frame(scores: pd.DataFrame | None) -> pd.DataFrame:
    import pandas as pd

    columns = list(TABLES["individual_scores"].columns)
    if scores is None or scores.empty:
        return pd.DataFrame(columns=columns)
    out = scores.rename(columns={"scored_at": "time"})
    out["time"] = pd.to_datetime(out["time"]).dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
    return out[columns]


def _option_columns(plan: PlanData) -> list[str]:
    spec = TABLES["options"]
    years = plan.info.plan_years
    yearly_needed: set[tuple[str, int]] = set()
    for option in plan.options:
        for drawn in {c.stream for c in option.costs}:
            if _constant_cost(option, drawn, years) is None:
                yearly_needed.update((drawn, y) for y in years)
    columns = ["name", "lead_partner"]
    for stream in plan.funding_streams:
        columns.append(f"{COST_PREFIX}{stream.name}")
        columns.extend(f"{COST_PREFIX}{stream.name}:{year_label(y)}" for y in years if (stream.name, y) in yearly_needed)
    return columns + list(spec.optional)


def _constant_cost(option: Option, stream: str, years: tuple[int, ...]) -> float | None:
    amounts = {option.cost(stream, y) for y in years}
    return amounts.pop() if len(amounts) == 1 else None


def _option_row(option: Option, years: tuple[int, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": option.name, "lead_partner": option.lead_partner, "kind": option.kind.value,
        "mandatory": "yes" if option.mandatory else "no", "requires": _join(option.requires),
        "excludes": _join(option.excludes), "needs": _join(option.needs), "tags": _join(option.tags),
        "levels": _join(_level_text(lv) for lv in option.levels), "min_share": option.min_share,
        "status": option.status.value, "contract_form": option.contract_form.value,
        "people_reached": option.people_reached, "description": option.description,
    }
    for stream in sorted({c.stream for c in option.costs}):
        constant = _constant_cost(option, stream, years)
        if constant is not None:
            row[f"{COST_PREFIX}{stream}"] = constant
        else:
            for year in years:
                row[f"{COST_PREFIX}{stream}:{year_label(year)}"] = option.cost(stream, year)
    return row


def _level_text(level: Level) -> str:
    if level.cost_share == level.value_share:
        return f"{level.name}:{level.cost_share:g}"
    return f"{level.name}:{level.cost_share:g}:{level.value_share:g}"


def _join(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def write_tables(frames: dict[str, pd.DataFrame], out: Path, *, readme: bool = False) -> Path:
    """A workbook when ``out`` ends in .xlsx, else a folder of CSV files (created if needed)."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        _write_workbook(frames, out, readme=readme)
    elif out.suffix:
        raise PlanError(f"cannot export to {out.name}: give a .xlsx file or a folder")
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            frame.to_csv(out / f"{name}.csv", index=False)
    return out


def _write_workbook(frames: dict[str, pd.DataFrame], out: Path, *, readme: bool) -> None:
    import pandas as pd
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    partial = out.with_name(out.name + ".partial")
    with pd.ExcelWriter(partial, engine="openpyxl") as writer:
        if readme:
            readme_frame(frames).to_excel(writer, sheet_name="README", index=False)
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        for sheet in writer.book.worksheets:
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 200)), start=1):
                width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    partial.replace(out)


def readme_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    lines = []
    for name, spec in TABLES.items():
        lines.append({"sheet": name, "column": "", "required": "", "meaning": spec.about})
        helps = dict(spec.help)
        columns = list(frames[name].columns) if name in frames else list(spec.columns)
        for column in columns:
            lines.append({
                "sheet": "", "column": column, "required": "yes" if column in spec.required else "",
                "meaning": helps.get(column, helps.get(f"{COST_PREFIX}<stream>", "") if column.startswith(COST_PREFIX) else ""),
            })
    return pd.DataFrame(lines)
