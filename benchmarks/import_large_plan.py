"""Import benchmark: 2,000 options on 6 streams and 40 participants' scores on 6 values
(480,000 individual scores) from CSV, then open the plan and summarise it.

Targets (issue 2): import under 10 s; open and summarise under 1 s; peak memory under 400 MB.
Each step runs in a fresh process so its peak memory is its own. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/import_large_plan.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_plan import write_large_plan_csvs  # noqa: E402

STEP = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from placeplanner.service import PlanService
step, plan, folder = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
if step == "import":
    from placeplanner.io.importing import import_files
    with PlanService.open(plan, auto_backup=False) as service:
        change = import_files(service, [Path(folder)])
    detail = {"records": change.records, "scores": change.scores}
else:
    imported_at = time.perf_counter()
    with PlanService.open(plan, write=False) as service:
        summary = service.summary()
        summarised_at = time.perf_counter()
        plan_data = service.read()
    detail = {"options": summary.counts["options"], "individual_scores": summary.counts["individual_scores"],
              "read_options": len(plan_data.options), "imports": imported_at - started,
              "open_summary": summarised_at - imported_at, "read": time.perf_counter() - summarised_at}
elapsed = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, **detail}))
"""


def run_step(step: str, plan: Path, folder: Path, env: dict[str, str]) -> dict[str, float]:
    wall = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STEP, step, str(plan), str(folder)], capture_output=True, text=True, env=env, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    result["wall_seconds"] = time.perf_counter() - wall
    return result


def main() -> None:
    from placeplanner.model import PlanInfo
    from placeplanner.service import PlanService

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "PLACEPLANNER_HOME": str(work / "home")}
        os.environ["PLACEPLANNER_HOME"] = env["PLACEPLANNER_HOME"]
        started = time.perf_counter()
        counts = write_large_plan_csvs(work / "csv")
        print(f"generated CSVs: {counts['options']:,} options, {counts['individual_scores']:,} individual scores "
              f"({sum(f.stat().st_size for f in (work / 'csv').iterdir()) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        plan = work / "large.placeplan"
        PlanService.create(plan, PlanInfo(place="Synthetic")).close()

        imported = run_step("import", plan, work / "csv", env)
        print(f"import:             {imported['seconds']:.2f} s in process ({imported['wall_seconds']:.2f} s wall, "
              f"interpreter start included), peak {imported['peak_mb']:.0f} MB; "
              f"{imported['records']:,.0f} records, {imported['scores']:,.0f} scores   [target < 10 s, < 400 MB]")
        opened = run_step("open", plan, work / "csv", env)
        print(f"open and summarise: {opened['open_summary']:.2f} s (checks, schema, counts and totals: "
              f"{opened['options']:,.0f} options, {opened['individual_scores']:,.0f} scores)   [target < 1 s]")
        print(f"  then read the whole plan as values: {opened['read']:.2f} s ({opened['read_options']:,.0f} options); "
              f"library imports {opened['imports']:.2f} s; whole process {opened['wall_seconds']:.2f} s wall, "
              f"peak {opened['peak_mb']:.0f} MB")
        print(f"plan file: {plan.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
