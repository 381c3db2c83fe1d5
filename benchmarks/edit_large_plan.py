"""One edit on a 5,000-option plan, as the app makes it: the service's validated, audited
write, and the full read a screen then does to refresh. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/edit_large_plan.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from benchmarks.gui_start import write_large_plan
    from placeplanner.service import PlanService

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLACEPLANNER_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "big.placeplan"
        write_large_plan(path)
        with PlanService.open(path, auto_backup=False) as service:
            writes, reads = [], []
            for round_ in range(5):
                option = service.read().options[round_]
                started = time.perf_counter()
                service.upsert(replace(option, description=f"edited {round_}"))
                writes.append(time.perf_counter() - started)
                started = time.perf_counter()
                service.read()
                reads.append(time.perf_counter() - started)
        print(f"edit one option of 5,000 (validate, write, audit): median {statistics.median(writes):.2f} s "
              f"(of {', '.join(f'{w:.2f}' for w in writes)})")
        print(f"then the full read a screen refreshes from: median {statistics.median(reads):.2f} s "
              f"(of {', '.join(f'{r:.2f}' for r in reads)})")


if __name__ == "__main__":
    main()
