"""Build a report file from a plan: the board paper (.pdf) or the results workbook (.xlsx).

The one entry point the command line and the app's worker share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from placeplanner.engine.progress import RunState
from placeplanner.errors import PlanError
from placeplanner.reports.record import DecisionRecord, RecordRequest, gather_record
from placeplanner.service.plan_service import PlanService

KINDS = {".pdf": "board paper", ".xlsx": "results workbook"}


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    kind: str  # "board paper" or "results workbook"
    record: DecisionRecord
    pages: int | None = None  # the board paper's
    problems: tuple[str, ...] = ()  # accessibility problems WeasyPrint reported, if any


def report_kind(target: Path) -> str:
    """What a file name asks for; refused, naming the choices, when it is neither."""
    kind = KINDS.get(target.suffix.lower())
    if kind is None:
        raise PlanError(f"--out '{target.name}' must end in .pdf (the board paper) or .xlsx (the results workbook)")
    if not target.parent.exists():
        raise PlanError(f"--out '{target}': the folder {target.parent} does not exist")
    return kind


def write_report(service: PlanService, target: Path, request: RecordRequest | None = None,
                 state: RunState | None = None) -> Written:
    """Gather the decision record and write it as ``target`` asks (by its suffix)."""
    kind = report_kind(target)
    state = state or RunState()
    record = gather_record(service, request, state)
    if kind == "board paper":
        from placeplanner.reports.pdf import write_pdf

        paper = write_pdf(record, target, state)
        return Written(target, kind, record, paper.pages, paper.problems)
    from placeplanner.reports.workbook import write_workbook

    write_workbook(record, target, state)
    return Written(target, kind, record)
