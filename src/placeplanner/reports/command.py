"""The command line's ``report``: the board paper or the results workbook for a plan."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from placeplanner.engine.progress import RunState
    from placeplanner.reports.build import Written

EXIT_OK = 0

Handler = Callable[[argparse.Namespace], int]


def add_commands(command: Callable[[str, Handler, str], argparse.ArgumentParser]) -> None:
    """``command(name, handler, help)`` is the parser's own helper (see cli.build_parser)."""
    sub = command("report", report, "Write the board paper (.pdf) or the results workbook (.xlsx): the portfolio, "
                  "its reasons, spend, frontier, robustness, values and weights, scores, declarations and decisions.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--out", type=Path, required=True, metavar="FILE",
                     help="FILE.pdf for the board paper, FILE.xlsx for the results workbook")
    sub.add_argument("--meeting", help="the meeting whose attendance, declarations and scores to report (default: all)")
    sub.add_argument("--decision", type=int, metavar="ID",
                     help="report this decision, from the stored result it adopted (default: the latest decision on "
                          "the record, of the meeting when one is named; see 'placeplanner decisions')")
    sub.add_argument("--draft", action="store_true",
                     help="solve the plan as it is now instead, for a draft labelled 'not a decision of the board' "
                          "(the default when no decision is on the record)")
    sub.add_argument("--scenario", help="solve this scenario now, for a draft (implies --draft)")
    sub.add_argument("--named", action="store_true", help="name who gave each score (default: anonymised)")
    sub.add_argument("--samples", type=int, default=200, help="robustness samples (default 200; 0 leaves robustness out)")


def report(args: argparse.Namespace) -> int:
    from placeplanner.errors import PlanError, PlanLockedError
    from placeplanner.reports.build import report_kind, write_report
    from placeplanner.reports.record import RecordRequest
    from placeplanner.service import PlanService

    out: Path = args.out
    report_kind(out)  # a wrong name fails before any solving
    if args.samples < 0:
        raise PlanError("--samples must be 0 or more")
    if args.scenario and args.decision is not None:
        raise PlanError("--decision reports the scenario it was decided on; leave out --scenario")
    if args.draft and args.decision is not None:
        raise PlanError("--draft solves the plan afresh and --decision reports a decision's own result; choose one")
    request = RecordRequest(meeting=args.meeting, scenario=args.scenario, decision=args.decision,
                            draft=args.draft or bool(args.scenario), anonymise=not args.named,
                            robustness_samples=args.samples)
    try:
        service = PlanService.open(args.plan, auto_backup=False)
    except PlanLockedError:
        # Open in the app: report from a read-only view; a draft's solve is then not stored.
        service = PlanService.open(args.plan, write=False)
    with service:
        written = write_report(service, out, request, _progress())
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    if written.record.outcome.result_id is None:
        print(f"{args.plan.name} is open for editing elsewhere: the draft's result was solved but not stored.",
              file=sys.stderr)
    print(written_text(written, out))
    for problem in written.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return EXIT_OK


def written_text(written: Written, out: Path) -> str:
    """'Wrote the board paper to X (21 pages, 32 of 37 options funded, decision 1, result 1).'"""
    record = written.record
    result = record.outcome.result_id
    size = f"{written.pages} pages, " if written.pages else ""
    cites = f", decision {record.decision.id}" if record.decision is not None else ", a DRAFT: not a decision of the board"
    stale = ("; the plan has changed since this result was computed"
             if record.currency is not None and record.currency.stale else "")
    return (f"Wrote the {written.kind} to {out} ({size}{len(record.funded)} of {len(record.portfolio)} options funded"
            + cites + (f", result {result}" if result is not None else "") + f"){stale}.")


def _progress() -> RunState:
    from placeplanner.engine.progress import RunState

    if not sys.stderr.isatty():
        return RunState()

    def show(done: int, total: int, message: str) -> None:
        print(f"\r{message}\033[K", end="", file=sys.stderr, flush=True)

    return RunState(on_progress=show)
