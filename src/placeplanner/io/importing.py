"""Importing files into a plan, all or nothing: one bad cell and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from placeplanner.errors import Problem, ValidationError
from placeplanner.io import public_health
from placeplanner.io.parsing import parse_sources
from placeplanner.io.sources import SourceTable, read_csv_table, read_workbook, table_for_csv
from placeplanner.io.tables import TABLES
from placeplanner.model import Indicator, Population
from placeplanner.service import ChangeSet, PlanService

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True, slots=True)
class ImportOptions:
    area: str | None = None  # area code or name, for public-health files
    need: str = ""  # the need Fingertips indicators show
    year: int | None = None  # mid-year of an ONS table, when its file name does not say


def import_files(service: PlanService, files: list[Path], options: ImportOptions | None = None) -> ChangeSet:
    """Read every file, check the plan that would result, and write it in one transaction."""
    options = options or ImportOptions()
    sources: list[SourceTable] = []
    indicators: list[Indicator] = []
    population: list[Population] = []
    problems: list[Problem] = []
    area = options.area or service.info().area_code or None
    for path in _expand(files, problems):
        try:
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                sources.extend(read_workbook(path))
                continue
            if path.suffix.lower() != ".csv":
                problems.append(Problem(path.name, "is neither a CSV file nor an Excel workbook (.xlsx)"))
                continue
            shape = public_health.detect(public_health.read_header(path))
            if shape == "fingertips":
                indicators.extend(public_health.read_fingertips(path, area=area, need=options.need))
            elif shape in {"ons-wide", "ons-long"}:
                population.extend(public_health.read_ons_population(path, area=area, year=options.year))
            elif (table := table_for_csv(path)) is not None:
                sources.append(read_csv_table(path, table))
            else:
                problems.append(Problem(path.name, f"is not named after a PlacePlanner table; name it one of {', '.join(t + '.csv' for t in TABLES)}"))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)

    parsed = parse_sources(sources, service.info())
    if parsed.problems:
        raise ValidationError(parsed.problems)
    plan = parsed.plan
    if indicators:
        plan = replace(plan, indicators=plan.indicators + tuple(indicators))
    if population:
        plan = replace(plan, population=plan.population + tuple(population))
    return service.apply(
        plan, take_info=parsed.has_info, scores_in=parsed.scores, action="import",
        source=", ".join(p.name for p in files), problem_locator=parsed.locate,
    )


def _expand(files: list[Path], problems: list[Problem]) -> list[Path]:
    out = []
    for path in map(Path, files):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
            if not found:
                problems.append(Problem(str(path), "is a folder with no CSV files in it"))
            out.extend(found)
        elif not path.exists():
            problems.append(Problem(str(path), "does not exist"))
        else:
            out.append(path)
    return out
