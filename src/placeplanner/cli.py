"""The ``placeplanner`` command line. It uses the same services as the GUI.

Exit codes: 0 success; 1 a user error, with a one-line message; 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from placeplanner import __version__
from placeplanner.build import build_label
from placeplanner.errors import PlanError, ValidationError
from placeplanner.money import Reconciliation, format_costs, format_money, parse_money, year_label

if TYPE_CHECKING:
    from placeplanner.service.allocation import SolveReport

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code for usage is 2, as we want
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="placeplanner",
        description="Plan a place's shared health and care budget together. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"PlacePlanner {__version__} ({build_label()})")
    parser.add_argument("--self-check", action="store_true",
                        help="check this installation end to end (demo plan, window, solvers, meeting server) and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every problem, not just the first")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("new", _new, "Create an empty plan.")
    sub.add_argument("plan", type=Path, help="the new plan file (.placeplan)")
    sub.add_argument("--place", required=True, help="the place, e.g. 'Riverside'")
    sub.add_argument("--title", default="", help="e.g. 'Riverside place, 2027/28 to 2028/29'")
    sub.add_argument("--first-year", default="2027/28", help="first financial year (default 2027/28)")
    sub.add_argument("--years", type=int, default=2, help="financial years covered (default 2)")

    sub = command("demo", _demo, "Write the Riverside demo plan: a fictional place with a past meeting.")
    sub.add_argument("plan", type=Path, help="the plan file to create")

    sub = command("import", _import, "Import CSV files named after their table, workbooks, Fingertips or ONS files. All or nothing.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("files", type=Path, nargs="+", help="CSV files, folders of them, or .xlsx workbooks")
    sub.add_argument("--area", help="for Fingertips and ONS files: keep only this area (code or name)")
    sub.add_argument("--need", default="", help="for Fingertips files: the need these indicators show")
    sub.add_argument("--year", type=int, help="for ONS files: the mid-year of the estimates")

    sub = command("export", _export, "Export every table: a workbook (.xlsx) or a folder of CSV files.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("out", type=Path, help="a .xlsx file, or a folder")

    sub = command("template", _template, "Write blank import templates, with a README sheet describing each column.")
    sub.add_argument("out", type=Path, help="a .xlsx file, or a folder")
    sub.add_argument("--plan", type=Path, help="take cost columns from this plan's funding streams")

    sub = command("info", _info, "Show the plan's counts and totals.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = command("check", _check, "Check the plan file's integrity and the plan's rules.")
    sub.add_argument("plan", type=Path)

    sub = command("audit", _audit, "Print the audit log (who changed what, when, before and after), or verify its hash chain.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--since", metavar="DATE", help="only entries from this date (2027-03-31) or time (2027-03-31T14:30)")
    shown = sub.add_mutually_exclusive_group()
    shown.add_argument("--verify", action="store_true", help="check every entry's hash and the chain's head; exit 1 naming the first bad entry")
    shown.add_argument("--csv", action="store_true", help="CSV on standard output, before and after as JSON")

    sub = command("backup", _backup, "Take a verified backup now, or list the backups.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--list", action="store_true", help="list backups, newest first")

    sub = command("restore", _restore, "Bring a backup back as the plan (the current plan is kept first).")
    sub.add_argument("plan", type=Path)
    sub.add_argument("backup", type=Path, help="a backup file (see 'backup PLAN --list')")

    sub = command("solve", _solve, "Allocate the shared budget: the portfolio with the most weighted value within the rules.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--scenario", help="a named scenario stored in the plan")
    sub.add_argument("--solver", choices=["cbc", "highs"], default="cbc", help="default cbc (measured faster here)")
    sub.add_argument("--time-limit", type=float, metavar="S", help="stop after S seconds with the best portfolio so far")
    sub.add_argument("--gap", type=float, default=0.0, metavar="G", help="stop within this relative gap (default 0: prove optimal)")
    sub.add_argument("--threads", type=int, default=1, help="solver threads (default 1, which keeps results reproducible)")
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = command("frontier", _frontier, "The efficient frontier: the best value at each budget, beside a value-per-pound ranking.")
    sub.add_argument("plan", type=Path)
    group = sub.add_mutually_exclusive_group()
    group.add_argument("--budgets", help="total money budgets over the plan's years, e.g. 8000000,10000000 or £8m,£10m")
    group.add_argument("--points", type=int, default=20, help="points from a quarter of the budget to 1.5 times it (default 20)")
    sub.add_argument("--stream", help="vary only this funding stream")
    sub.add_argument("--scenario")
    sub.add_argument("--solver", choices=["cbc", "highs"], default="cbc")
    output = sub.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument("--csv", action="store_true")

    sub = command("robustness", _robustness, "How often each option is funded when the weights (or scores) are uncertain.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--samples", type=int, default=200)
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--mode", choices=["weights", "scores"], default="weights",
                     help="weights: partners' and participants' own weight sets, or agreed weights varied by 30%%; scores: the spread of individual scores")
    sub.add_argument("--scenario")
    sub.add_argument("--solver", choices=["cbc", "highs"], default="cbc")
    sub.add_argument("--json", action="store_true")

    sub = command("explain", _explain, "Why each option is in or out, and what more money would buy, in words.")
    sub.add_argument("plan", type=Path)
    sub.add_argument("--option", help="explain only this option")
    sub.add_argument("--scenario")
    sub.add_argument("--solver", choices=["cbc", "highs"], default="cbc")

    from placeplanner.cli_governance import add_commands as add_governance_commands

    add_governance_commands(command)

    from placeplanner.reports.command import add_commands as add_report_commands

    add_report_commands(command)

    sub = command("open", _open, "Open a plan in the app (the last plan, or the demo plan on first start).")
    sub.add_argument("plan", type=Path, nargs="?")

    sub = command("meeting", _meeting, "Run a live meeting's scoring round without the app.")
    actions = sub.add_subparsers(dest="meeting_command", metavar="ACTION", required=True, parser_class=_Parser)
    serve = actions.add_parser("serve", help="Serve one option's scoring round to participants' browsers until SIGTERM or Ctrl+C.")
    serve.add_argument("plan", type=Path)
    serve.add_argument("--option", required=True, help="the option to score")
    serve.add_argument("--meeting", help="the meeting's name (default 'Scoring round: OPTION'; the same name resumes it)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=0, help="default: a free port the system chooses")

    sub = command("screenshots", _screenshots, "Render each main screen of a plan to PNG files (works without a display).")
    sub.add_argument("plan", type=Path)
    sub.add_argument("outdir", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        from placeplanner.selfcheck import run_self_check

        return run_self_check()
    handler = getattr(args, "handler", None)
    if handler is None:
        args.plan = None
        handler = _open
    try:
        return int(handler(args))
    except ValidationError as exc:
        print(f"placeplanner: {exc}", file=sys.stderr)
        if args.verbose and len(exc.problems) > 1:
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    except PlanError as exc:
        print(f"placeplanner: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("placeplanner: stopped", file=sys.stderr)
        return EXIT_USER_ERROR


# --- commands ----------------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from placeplanner.model import PlanInfo
    from placeplanner.money import parse_year
    from placeplanner.service import PlanService

    try:
        first = parse_year(args.first_year)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    plan = _plan_path(args.plan)
    PlanService.create(plan, PlanInfo(place=args.place, title=args.title, start_year=first, years=args.years)).close()
    print(f"Created {plan}")
    return EXIT_OK


def _meeting(args: argparse.Namespace) -> int:
    from placeplanner.meeting.headless import serve_round

    return serve_round(args.plan, args.option, host=args.host, port=args.port, meeting=args.meeting)


def _demo(args: argparse.Namespace) -> int:
    from placeplanner.demo import write_demo_plan

    plan = _plan_path(args.plan)
    write_demo_plan(plan)
    print(f"Wrote the Riverside demo plan to {plan}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from placeplanner.io.importing import ImportOptions, import_files
    from placeplanner.service import PlanService

    with PlanService.open(args.plan) as service:
        change = import_files(service, args.files, ImportOptions(area=args.area, need=args.need, year=args.year))
    if change.empty:
        print("Nothing changed: the plan already holds everything in these files.")
    else:
        parts = [f"{change.records:,} records"] + ([f"{change.scores:,} individual scores"] if change.scores else [])
        print(f"Imported {' and '.join(parts)} into {args.plan.name} ({', '.join(sorted(change.tables))}).")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from placeplanner.io.exporting import plan_frames, write_tables
    from placeplanner.service import PlanService

    with PlanService.open(args.plan, write=False) as service:
        frames = plan_frames(service.read(), service.scores_frame())
    out = write_tables(frames, args.out)
    print(f"Exported {args.plan.name} to {out}")
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from placeplanner.io.exporting import plan_frames, write_tables
    from placeplanner.model import PlanData, PlanInfo
    from placeplanner.service import PlanService

    if args.plan:
        with PlanService.open(args.plan, write=False) as service:
            plan = service.read()
        frames = plan_frames(plan)
        # Keep the cost columns the plan's streams give, but no rows.
        frames = {name: frame.iloc[0:0] for name, frame in frames.items()}
    else:
        frames = {n: f.iloc[0:0] for n, f in plan_frames(replace(PlanData(info=PlanInfo(place="")))).items()}
        frames["options"] = frames["options"].reindex(columns=["name", "lead_partner", "cost:<funding stream name>", *frames["options"].columns[2:]])
    out = write_tables(frames, args.out, readme=True)
    print(f"Wrote blank templates to {out}")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from placeplanner.service import PlanService

    with PlanService.open(args.plan, write=False) as service:
        summary = service.summary()
    info = summary.info
    if args.json:
        print(json.dumps({
            "path": str(args.plan), "place": info.place, "title": info.title,
            "years": [year_label(y) for y in info.plan_years], "counts": summary.counts,
            "budget_by_year": {year_label(y): a for y, a in sorted(summary.budget_by_year.items())},
            "cost_by_year": {year_label(y): a for y, a in sorted(summary.cost_by_year.items())},
            "savings_by_year": {year_label(y): a for y, a in sorted(summary.savings_by_year.items())},
            "mandatory_options": summary.mandatory_options,
        }, indent=2))
        return EXIT_OK
    years = info.plan_years
    span = f"{year_label(years[0])} to {year_label(years[-1])}"
    print(info.title if span in info.title else f"{info.title or info.place} ({span})")
    shown = {k: v for k, v in summary.counts.items() if k not in {"audit_log", "results"}}
    print("  " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in shown.items()))
    for year in years:
        budget = summary.budget_by_year.get(year, 0.0)
        cost = summary.cost_by_year.get(year, 0.0)
        savings = summary.savings_by_year.get(year, 0.0)
        print(f"  {year_label(year)}: shared budget {format_money(budget)}; options ask {format_money(cost)}"
              + (f", decommissions release {format_money(savings)}" if savings else ""))
    if years:
        budget = sum(summary.budget_by_year.values())
        released = sum(summary.savings_by_year.values())
        asked = sum(summary.cost_by_year.values())
        print(f"  Over {span}, if every option were funded: {Reconciliation(budget, released, asked).words('asked')}")
    if summary.mandatory_options:
        print(f"  {summary.mandatory_options} mandatory option{'s' * (summary.mandatory_options != 1)}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from placeplanner.service import PlanService, audit_report

    with PlanService.open(args.plan, write=False) as service:
        findings = service.check()
        broken = audit_report.verify(service.plan_file).broken
    for warning in findings.warnings:
        print(f"warning: {warning}")
    if broken is not None:
        findings.errors.append(_audit_problem(broken.message))
    if findings.errors:
        raise ValidationError(findings.errors)
    print(f"{args.plan.name}: file intact, {len(findings.warnings)} warning{'s' * (len(findings.warnings) != 1)}, no errors")
    return EXIT_OK


def _audit_problem(message: str) -> Any:
    from placeplanner.errors import Problem

    return Problem("audit log", message)


def _audit(args: argparse.Namespace) -> int:
    from placeplanner.service import PlanService, audit_report

    if args.verify and args.since:
        raise PlanError("--verify checks the whole chain; leave out --since")
    since = audit_report.parse_since(args.since) if args.since else None
    with PlanService.open(args.plan, write=False) as service:
        if args.verify:
            report = audit_report.verify(service.plan_file)
            if report.broken is not None:
                raise PlanError(audit_report.broken_text(report))
            print(audit_report.verified_text(report))
            return EXIT_OK
        try:
            entries = audit_report.read_entries(service.plan_file, since)
        except ValueError:  # a JSON column edited outside PlacePlanner into something unreadable
            raise PlanError("An entry of the audit log cannot be read: it was edited outside PlacePlanner. "
                            f"'placeplanner audit {args.plan} --verify' names it.") from None
        units = {s.name: s.unit for s in service.read().funding_streams}
    try:
        if args.csv:
            audit_report.write_csv(entries, sys.stdout)
        elif not entries:
            print("No audit entries" + (f" since {args.since}." if args.since else "."))
        else:
            print("\n".join(audit_report.table_lines(entries, units)))
        sys.stdout.flush()
    except BrokenPipeError:  # piped into head or less and closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from placeplanner.storage.backup import backup_plan, list_backups

    if args.list:
        backups = list_backups(args.plan)
        if not backups:
            print(f"No backups of {args.plan.name} yet.")
        for backup in backups:
            print(f"{backup.taken_at:%d %b %Y %H:%M:%S}  {backup.reason:<32} {backup.path}")
        return EXIT_OK
    print(f"Backed up to {backup_plan(args.plan, reason='manual')}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from placeplanner.storage.backup import restore_plan

    kept = restore_plan(args.plan, args.backup)
    print(f"Restored {args.plan.name} from {args.backup.name}." + (f" The plan as it was is kept at {kept}." if kept else ""))
    return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    from placeplanner.engine.solvers import SolverSettings
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import report_json, solve_plan
    from placeplanner.service.staleness import staleness

    if args.gap < 0 or (args.time_limit is not None and args.time_limit <= 0):
        raise PlanError("--gap must be 0 or more, and --time-limit above 0")
    if args.threads < 1:
        raise PlanError("--threads must be at least 1")
    settings = SolverSettings(args.solver, args.time_limit, args.gap, args.threads)
    with PlanService.open(args.plan, auto_backup=False) as service:
        report = solve_plan(service, args.scenario, settings)
        current = staleness(service, report.snapshot_id) if report.snapshot_id is not None else None
    data = report_json(report)
    # Whether the stored result still matches the plan (just solved, it does), in the fields
    # 'decisions' and the reports use too.
    data.update(current.as_json() if current is not None else {"stale": False, "changes": []})
    data["money"] = _money_json(report)
    if args.json:
        print(json.dumps(data, indent=2))
        return EXIT_OK
    _print_solve(data, report)
    return EXIT_OK


def _money_json(report: SolveReport) -> dict[str, Any]:
    """How the portfolio's money reconciles, in pounds and in the words every surface uses."""
    from placeplanner.engine.spend import reconcile

    money = reconcile(report.snapshot, report.allocation)
    return {"budget": money.budget, "released": money.released, "available": money.available,
            "spent": money.spent, "left": money.left, "words": money.words()}


def _print_solve(data: dict[str, Any], report: SolveReport) -> None:
    from placeplanner.engine import spend as money_of
    status = data["status"]
    headline = {
        "optimal": "Proven optimal",
        "feasible": f"Feasible, within {100 * (data['gap'] or 0):.2f}% of the best possible",
        "stopped": "Stopped before proving optimality; the best portfolio found so far",
        "infeasible": "No portfolio keeps every rule",
    }.get(status, status)
    scenario = f" (scenario {data['scenario']})" if data["scenario"] else ""
    print(f"{headline}{scenario}.")
    if data["explanation"]:
        print(data["explanation"])
        return
    if data["objective"] is None:
        return
    inp = report.snapshot
    print(data["money"]["words"])
    print(f"Total weighted value {data['objective']:.1f}, from {len(data['selected'])} options:")
    for item in data["selected"]:
        level = "" if item["level"] == "Full" else f" ({item['level']})"
        cost = format_costs(money_of.option_costs(inp, inp.option(item["name"]), item["share"]))
        print(f"  {item['name']}{level}: value {item['value']:.1f}, {cost}")
    print("Spend by stream (of what each holds, plus what decommissions release into it):")
    for stream, years in data["spend"].items():
        unit, budget, freed = data["units"][stream], data["budget"][stream], data["released"].get(stream, {})
        print(f"  {stream}: " + ", ".join(
            f"{y} {format_money(a, unit)} of {format_money(budget.get(y, 0.0), unit)}"
            + (f" + {format_money(freed[y], unit)}" if freed.get(y) else "")
            for y, a in years.items()
        ))
    greedy = data["greedy"]
    print(f"A value-per-pound ranking would fund {len(greedy['selected'])} options for value {greedy['objective']:.1f}"
          f" ({data['objective'] - greedy['objective']:.1f} less than the optimum).")
    for note in data["notes"]:
        print(f"Note: {note}")
    if data["snapshot_id"] is not None:
        print(f"Stored as result {data['snapshot_id']}.")


def _frontier(args: argparse.Namespace) -> int:
    from placeplanner.engine.frontier import default_factors, frontier
    from placeplanner.engine.solvers import SolverSettings
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import snapshot_plan

    budgets = None
    if args.budgets:
        try:
            budgets = [parse_money(b) for b in args.budgets.split(",") if b.strip()]
        except ValueError:
            raise PlanError(f"--budgets must be numbers separated by commas, not {args.budgets!r}") from None
    elif args.points < 2:
        raise PlanError("--points must be at least 2")
    with PlanService.open(args.plan, write=False) as service:
        inp = snapshot_plan(service, args.scenario)
    if args.stream and args.stream not in {s.name for s in inp.streams if s.is_money}:
        raise PlanError(f"--stream '{args.stream}' is not a money stream in the plan")
    points = frontier(inp, budgets=budgets, factors=None if budgets else default_factors(args.points),
                      stream=args.stream, settings=SolverSettings(args.solver), state=_cli_progress())
    rows: list[dict[str, Any]] = [
        {"budget": p.budget, "objective": p.objective, "greedy_objective": p.greedy_objective,
         "status": p.status, "selected": list(p.selected)}
        for p in points
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    elif args.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(["budget", "objective", "greedy_objective", "status", "selected"])
        for row in rows:
            writer.writerow([row["budget"], row["objective"], row["greedy_objective"], row["status"], ";".join(row["selected"])])
    else:
        print(f"{'budget':>10}  {'optimal':>8}  {'ranking':>8}  options")
        previous: set[str] = set()
        for p in points:
            value = "   none " if p.objective is None else f"{p.objective:8.1f}"
            left = sorted(previous - set(p.selected))
            note = f"  (leaves: {', '.join(left)})" if left and p.objective is not None else ""
            print(f"{format_money(p.budget):>10}  {value}  {p.greedy_objective:8.1f}  {len(p.selected)}{note}")
            previous = set(p.selected)
    return EXIT_OK


def _robustness(args: argparse.Namespace) -> int:
    from placeplanner.engine.robustness import robustness, score_samples, weight_samples
    from placeplanner.engine.solvers import SolverSettings
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import score_spreads, snapshot_plan, weight_set_vectors

    if args.samples < 1:
        raise PlanError("--samples must be at least 1")
    with PlanService.open(args.plan, write=False) as service:
        inp = snapshot_plan(service, args.scenario)
        if args.mode == "weights":
            values = weight_samples(inp, args.samples, args.seed, weight_set_vectors(service, inp))
        else:
            values = score_samples(inp, args.samples, args.seed, score_spreads(service, inp))
    result = robustness(inp, values, mode=args.mode, settings=SolverSettings(args.solver), state=_cli_progress())
    rows = [{"name": c.name, "core_index": c.core_index, "label": c.label} for c in result.options]
    if args.json:
        print(json.dumps({"mode": result.mode, "samples": result.samples, "infeasible_samples": result.infeasible_samples, "options": rows}, indent=2))
        return EXIT_OK
    print(f"{result.samples} samples of {result.mode}; core index = share of samples in which an option is funded.")
    for c in sorted(result.options, key=lambda c: (-c.core_index, c.name)):
        print(f"  {c.core_index:6.0%}  {c.label:<10}  {c.name}")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from placeplanner.engine.explain import more_money, why
    from placeplanner.engine.solve import allocate
    from placeplanner.engine.solvers import SolverSettings
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import snapshot_plan

    settings = SolverSettings(args.solver)
    with PlanService.open(args.plan, write=False) as service:
        inp = snapshot_plan(service, args.scenario)
    if args.option and args.option not in {o.name for o in inp.options}:
        raise PlanError(f"--option '{args.option}' is not an option in the plan")
    base = allocate(inp, settings)
    if base.objective is None:
        from placeplanner.engine.conflicts import find_conflict

        conflict = find_conflict(inp, settings)
        print(conflict.summary if conflict else f"The solver could not finish ({base.status}).")
        return EXIT_OK
    reasons = why(inp, base, settings, _cli_progress(), only=args.option)
    funded = [r for r in reasons if r.funded]
    left = [r for r in reasons if not r.funded]
    if funded:
        print("Funded:")
        for r in funded:
            print(f"  - {r.reason}")
    if left:
        print("Left out:")
        for r in left:
            print(f"  - {r.reason}")
    if not args.option:
        print("What 10% more money would buy (re-solved, not estimated):")
        for m in more_money(inp, base, settings=settings, state=_cli_progress()):
            change = "no better portfolio exists" if not m.gain else f"{m.gain:+.1f} points of value"
            swaps = (f"; adds {', '.join(m.newly_funded)}" if m.newly_funded else "") + (f"; drops {', '.join(m.dropped)}" if m.dropped else "")
            print(f"  - {format_money(m.extra_per_year)} a year more in {m.stream}: {change}{swaps}")
    return EXIT_OK


def _cli_progress() -> Any:
    """Progress on standard error for long runs, only when someone is watching a terminal."""
    from placeplanner.engine.progress import RunState

    if not sys.stderr.isatty():
        return RunState()

    def show(done: int, total: int, message: str) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{done}/{total} {message}\033[K", end=end, file=sys.stderr, flush=True)

    return RunState(on_progress=show)


def _open(args: argparse.Namespace) -> int:
    from placeplanner.gui.app import run_app

    return run_app(args.plan)


def _screenshots(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from placeplanner.gui.app import render_screenshots
    from placeplanner.storage.planfile import check_is_sqlite

    check_is_sqlite(args.plan)
    for path in render_screenshots(args.plan, args.outdir):
        print(path)
    return EXIT_OK


def _plan_path(path: Path) -> Path:
    from placeplanner.storage.planfile import SUFFIX

    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


if __name__ == "__main__":
    raise SystemExit(main())
