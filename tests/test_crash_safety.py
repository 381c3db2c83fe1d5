"""Kill (SIGKILL) an import at random moments: the plan is always intact, and either fully
imported or untouched."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.synthetic_plan import write_large_plan_csvs

from placeplanner.model import PlanInfo
from placeplanner.service import PlanService

KILLS = 10


def counts(plan: Path) -> tuple[int, int]:
    connection = sqlite3.connect(plan)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        options = connection.execute("SELECT count(*) FROM options").fetchone()[0]
        scores = connection.execute("SELECT count(*) FROM individual_scores").fetchone()[0]
        return options, scores
    finally:
        connection.close()


def start_import(plan: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "placeplanner", "import", str(plan), str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_killing_an_import_never_leaves_half_a_plan(tmp_path: Path) -> None:
    folder = tmp_path / "large"
    expected = write_large_plan_csvs(folder, options=300, participants=40)
    full = (expected["options"], expected["individual_scores"])

    timed = tmp_path / "timed.placeplan"
    PlanService.create(timed, PlanInfo(place="Timed")).close()
    started = time.monotonic()
    assert start_import(timed, folder).wait(timeout=300) == 0
    duration = time.monotonic() - started
    assert counts(timed) == full

    rng = random.Random(20270401)
    outcomes = []
    for attempt in range(KILLS):
        plan = tmp_path / f"victim{attempt}.placeplan"
        PlanService.create(plan, PlanInfo(place="Victim")).close()
        process = start_import(plan, folder)
        time.sleep(rng.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        found = counts(plan)
        assert found in {(0, 0), full}, f"kill {attempt} left a partial import: {found}"
        outcomes.append(found == full)
        # The dead process's lock went with it: the plan opens for editing again.
        PlanService.open(plan, auto_backup=False).close()
    # The kills must land inside the import for the test to prove anything.
    assert outcomes.count(False) >= KILLS // 2
