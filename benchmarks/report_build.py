"""Report benchmark: the board paper (PDF) and the results workbook (Excel) for the demo plan and
for a large synthetic plan (benchmarks/synthetic_plan.py: 2,000 options, 40 participants scoring
6 values, 480,000 individual scores). For each: gathering the decision record (solve, reasons,
frontier, robustness, the room's scores, the audit chain), then writing each file. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/report_build.py [--options 2000] [--samples 200] [--skip-large]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_plan import write_large_plan_csvs  # noqa: E402


def measure(label: str, plan: Path, out: Path, request: object) -> None:
    from placeplanner.reports.pdf import write_pdf
    from placeplanner.reports.record import RecordRequest, gather_record
    from placeplanner.reports.workbook import write_workbook
    from placeplanner.service import PlanService

    assert isinstance(request, RecordRequest)
    with PlanService.open(plan, auto_backup=False, actor="Benchmark") as service:
        started = time.perf_counter()
        record = gather_record(service, request)
        gathered = time.perf_counter() - started
    started = time.perf_counter()
    paper = write_pdf(record, out / f"{label}.pdf")
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    write_workbook(record, out / f"{label}.xlsx")
    workbook_seconds = time.perf_counter() - started
    pdf_mb = (out / f"{label}.pdf").stat().st_size / 1e6
    xlsx_mb = (out / f"{label}.xlsx").stat().st_size / 1e6
    samples = record.robustness.samples if record.robustness else 0
    print(f"{label}: {len(record.portfolio):,} options ({len(record.funded):,} funded), {len(record.scores):,} scored "
          f"individually, {samples} robustness samples, reasons {'re-solved' if record.outcome.reasons_explained else 'in brief'}")
    print(f"  decision record:  {gathered:6.2f} s")
    print(f"  board paper:      {pdf_seconds:6.2f} s  ({paper.pages} pages, {pdf_mb:.1f} MB)   -> PDF in all {gathered + pdf_seconds:.2f} s")
    print(f"  results workbook: {workbook_seconds:6.2f} s  ({xlsx_mb:.1f} MB)   -> workbook in all {gathered + workbook_seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--options", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures as they come

    from placeplanner.demo import write_demo_plan
    from placeplanner.io.importing import import_files
    from placeplanner.model import PlanInfo
    from placeplanner.reports.record import RecordRequest
    from placeplanner.service import PlanService

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["PLACEPLANNER_HOME"] = str(work / "home")
        demo = work / "riverside.placeplan"
        write_demo_plan(demo)
        measure("demo plan, decision 1", demo, work, RecordRequest(decision=1, robustness_samples=args.samples))
        if args.skip_large:
            return
        started = time.perf_counter()
        write_large_plan_csvs(work / "csv", options=args.options)
        large = work / "large.placeplan"
        PlanService.create(large, PlanInfo(place="Synthetic")).close()
        with PlanService.open(large, auto_backup=False, actor="Benchmark") as service:
            import_files(service, [work / "csv"])
        print(f"(large plan of {args.options:,} options generated and imported in {time.perf_counter() - started:.1f} s)")
        measure(f"synthetic plan, {args.options:,} options", large, work,
                RecordRequest(meeting="Scoring workshop", robustness_samples=args.samples))


if __name__ == "__main__":
    main()
