"""The command line's governance: ``decide`` puts a decision on the record against a stored result
(solving now if none is named), ``decisions`` lists them and proves each can be re-derived, and
``conflicts`` prints the register of interests and the options scored by too few."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from placeplanner.errors import PlanError

EXIT_OK, EXIT_USER_ERROR = 0, 1

Handler = Callable[[argparse.Namespace], int]


def add_commands(command: Callable[[str, Handler, str], argparse.ArgumentParser]) -> None:
    """``command(name, handler, help)`` is the parser's own helper (see cli.build_parser)."""
    sub = command("decide", decide, "Record a decision against a stored result (or solve now and record against that).")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--title", required=True, help="what was decided, e.g. 'Portfolio for 2027/28'")
    sub.add_argument("--rationale", required=True, help="why, in a sentence or a paragraph, for the record")
    source = sub.add_mutually_exclusive_group()
    source.add_argument("--result", type=int, help="the stored result adopted (default: solve now)")
    source.add_argument("--scenario", help="solve this scenario now and adopt the result")
    sub.add_argument("--meeting", help="the meeting that decided it")
    sub.add_argument("--note", action="append", default=[], metavar="OPTION=TEXT",
                     help="why one option is in or out (repeatable)")
    sub.add_argument("--accept-stale", action="store_true",
                     help="adopt --result even though the plan has changed since it (the record says so)")
    sub = command("conflicts", conflicts, "The register of declared interests, and each option's unconflicted scorers against the quorum.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--csv", action="store_true", help="the register as CSV on standard output, for the board's papers")
    sub = command("decisions", decisions, "List the decisions on the record; --verify re-solves each one's snapshot.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--verify", action="store_true",
                     help="re-solve each decision's stored snapshot; exit 1 if any gives another portfolio")


def decide(args: argparse.Namespace) -> int:
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import solve_plan
    from placeplanner.service.decisions import adopt, decision, portfolio

    notes: dict[str, str] = {}
    for note in args.note:
        option, sep, text = note.partition("=")
        if not sep or not option.strip():
            raise PlanError(f"--note '{note}': write it as OPTION=TEXT")
        notes[option.strip()] = text
    with PlanService.open(args.plan, auto_backup=False) as service:
        service.check_decision(title=args.title, rationale=args.rationale, meeting=args.meeting)
        result_id = args.result
        if result_id is None:
            report = solve_plan(service, args.scenario)
            if not report.allocation.has_portfolio or report.snapshot_id is None:
                raise PlanError("The solve found no portfolio to decide on; see 'placeplanner explain'.")
            result_id = report.snapshot_id
        decision_id = adopt(service, result_id=result_id, title=args.title, rationale=args.rationale,
                            meeting=args.meeting, option_notes=notes, accept_stale=args.accept_stale,
                            how_to_accept="add --accept-stale to adopt it as it is")
        recorded = decision(service, decision_id)
        _, stored, _ = service.stored_result(result_id)
    funded = portfolio(stored)
    print(f"Decision {decision_id} recorded: '{recorded.title}', adopting result {result_id} "
          f"({len(funded)} options funded), by {recorded.decided_by} at {recorded.decided_at:%Y-%m-%d %H:%M}.")
    if recorded.stale_when_adopted:
        print("The result was stale when adopted, and the record says so: " + _changes(recorded.changes_when_adopted))
    return EXIT_OK


def decisions(args: argparse.Namespace) -> int:
    from placeplanner.service import PlanService
    from placeplanner.service.decisions import reproduce
    from placeplanner.service.staleness import stale_results

    failed = 0
    with PlanService.open(args.plan, write=False) as service:
        recorded = service.decisions()
        if not recorded:
            print("No decisions on the record yet.")
            return EXIT_OK
        now = stale_results(service, [item.result_id for item in recorded])
        for item in recorded:
            where = f", meeting '{item.meeting}'" if item.meeting else ""
            print(f"{item.id}. {item.title} — {item.decided_at:%Y-%m-%d %H:%M} by {item.decided_by}"
                  f"{where}; result {item.result_id}")
            print(f"   {_adopted(item.stale_when_adopted, item.changes_when_adopted)}")
            current = now[item.result_id]
            print(f"   Now: result {item.result_id} " + (
                f"no longer matches the plan. {current.words()}" if current.stale else "still matches the plan."))
            print(f"   {item.rationale}")
            if args.verify:
                again = reproduce(service, item.id)
                if again.same_portfolio:
                    print("   Re-solved from its snapshot: the same portfolio.")
                else:
                    failed += 1
                    print("   Re-solved from its snapshot: ANOTHER portfolio: " + "; ".join(again.differences))
    return EXIT_USER_ERROR if failed else EXIT_OK


def _adopted(stale: bool | None, changes: tuple[str, ...]) -> str:
    if stale is None:
        return "When adopted: not recorded whether the result matched the plan (decided before PlacePlanner recorded it)."
    if not stale:
        return "When adopted: the result matched the plan."
    return "When adopted: the result was stale, and adopted as such. " + _changes(changes)


def _changes(changes: tuple[str, ...]) -> str:
    if not changes:
        return "The plan had changed since the run."
    noun = "change" if len(changes) == 1 else "changes"
    return f"{len(changes)} {noun} since the run: {'; '.join(changes)}."


def conflicts(args: argparse.Namespace) -> int:
    import csv
    import sys

    from placeplanner.csv_cells import safe_cell
    from placeplanner.service import PlanService
    from placeplanner.service.conflicts import (
        REGISTER_COLUMNS,
        register,
        register_rows,
        scorer_counts,
    )

    with PlanService.open(args.plan, write=False) as service:
        plan = service.read()
        frame = service.scores_frame()
    lines = register(plan)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(REGISTER_COLUMNS)
        writer.writerows([safe_cell(cell) for cell in row] for row in register_rows(lines))
        return EXIT_OK
    policy = {"recuse": "recuse (a conflicted person's scores do not count)",
              "flag": "flag (a conflicted person's scores count, marked)"}.get(plan.info.conflict_policy, plan.info.conflict_policy)
    print(f"{len(lines)} declared interest{'s' * (len(lines) != 1)}; policy: {policy}; quorum {plan.info.quorum}.")
    for line in lines:
        when = f" on {line.declared_on:%d %b %Y}" if line.declared_on else ""
        print(f"  {line.participant} ({line.organisation or 'no organisation'}) in '{line.about}'{when}: "
              f"{line.interest} Action: {line.action}{'. ' + line.reason if line.reason else ''}")
    scored = scorer_counts(plan, zip(frame["participant"].astype(str), frame["option"].astype(str), strict=True))
    short = [count for count in scored.values() if count.below_quorum and (count.unconflicted or count.conflicted)]
    unscored = sum(1 for count in scored.values() if not (count.unconflicted or count.conflicted))
    if short:
        print(f"Scored by fewer unconflicted participants than the quorum of {plan.info.quorum}:")
        for count in short:
            print(f"  {count.option}: {count.words()}")
    else:
        print(f"Every scored option had at least {plan.info.quorum} unconflicted scorers.")
    if unscored:
        print(f"{unscored} option{'s have' if unscored != 1 else ' has'} no individual scores.")
    return EXIT_OK
