"""Verifying the audit chain of a plan whose log holds 50,000 entries, as `placeplanner audit
--verify` does; and the history of one option in that log. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/audit_verify.py [ENTRIES]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fill_log(path: Path, entries: int) -> None:
    """The demo plan, then edits of its options and scores until the log holds ``entries``:
    option entries carry a whole option before and after, as the app's edits do."""
    from placeplanner.demo import write_demo_plan
    from placeplanner.service import PlanService
    from placeplanner.storage import audit, repository

    write_demo_plan(path)
    with PlanService.open(path, auto_backup=False) as service:
        plan = service.read()
        options = [repository.as_plain(o) for o in plan.options]
        values = [v.name for v in plan.values]
        people = [p.name for p in plan.participants]
        have = len(service.audit_log())
        batch: list[audit.Change] = []
        for n in range(entries - have):
            option = options[n % len(options)]
            if n % 2:
                key = f"Workshop / {people[n % len(people)]} / {option['name']} / {values[n % len(values)]}"
                batch.append(audit.Change("rescore", "individual_scores", key, {"score": 5, "confidence": None, "comment": ""},
                                          {"score": 6, "confidence": 0.8, "comment": "after the discussion"}))
            else:
                batch.append(audit.Change("update", "options", option["name"], option, {**option, "description": f"edit {n}"}))
            if len(batch) == 5_000:
                with service.plan_file.transaction() as session:
                    audit.append_many(session, "Benchmark", batch)
                batch = []
        if batch:
            with service.plan_file.transaction() as session:
                audit.append_many(session, "Benchmark", batch)


def main() -> None:
    from placeplanner.service import PlanService
    from placeplanner.service.audit_report import verified_text, verify
    from placeplanner.service.history import option_history

    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLACEPLANNER_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "audited.placeplan"
        started = time.perf_counter()
        fill_log(path, entries)
        print(f"wrote a log of {entries:,} entries in {time.perf_counter() - started:.1f} s "
              f"(file {path.stat().st_size / 1e6:.0f} MB)")

        with PlanService.open(path, write=False) as service:
            times = []
            for _ in range(3):
                started = time.perf_counter()
                report = verify(service.plan_file)
                times.append(time.perf_counter() - started)
            print(f"verify the chain in process: best {min(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)} ({verified_text(report)})")
            option = service.read().options[0].name
            started = time.perf_counter()
            items = option_history(service.plan_file, option)
            print(f"history of one option: {len(items):,} entries in {time.perf_counter() - started:.2f} s")

        for flags in ([], ["--csv"]):
            started = time.perf_counter()
            shown = subprocess.run([sys.executable, "-m", "placeplanner", "audit", str(path), *flags],
                                   capture_output=True, text=True, check=False)
            print(f"`placeplanner audit {' '.join(flags)}`: {len(shown.stdout.splitlines()):,} lines in "
                  f"{time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "placeplanner", "audit", str(path), "--verify"],
                             capture_output=True, text=True, check=False)
        print(f"`placeplanner audit --verify`, start to exit: {time.perf_counter() - started:.2f} s "
              f"(exit {run.returncode}: {run.stdout.strip() or run.stderr.strip()})")


if __name__ == "__main__":
    main()
