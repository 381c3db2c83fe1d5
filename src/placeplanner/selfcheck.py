"""``placeplanner --self-check``: does this installation work, end to end, on this machine?

It writes the demo plan in a temporary folder, renders the main window without showing it, solves
the plan with each solver, serves the participant page on loopback and fetches it, and prints one
line: the verdict, with each step's time. The same command checks a source checkout and an
installed bundle; the installers' build runs it on every fresh build. It reaches no address but
127.0.0.1, and leaves the user's own plans, settings and backups alone (``PLACEPLANNER_HOME``
points into the temporary folder while it runs).

Qt is imported inside the window step only, so the command line stays free of it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from placeplanner import __version__, paths
from placeplanner.build import build_label

PAGE_MARKER = b"<html"  # the participant page's start, whatever its wording


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    seconds: float
    problem: str | None = None  # None when the step passed


def run_self_check(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step; print the one-line verdict to ``out`` (standard output) and any traceback
    to ``err`` (standard error). Returns 0 when all passed, else 1."""
    out, err = out or sys.stdout, err or sys.stderr
    started = time.perf_counter()
    results: list[StepResult] = []
    # Windows may still hold a just-closed file for a moment; a leftover temporary folder must
    # not fail the check.
    with (tempfile.TemporaryDirectory(prefix="placeplanner-self-check-", ignore_cleanup_errors=True) as folder,
          _private_home(Path(folder) / "home")):
        plan = Path(folder) / "Riverside demo.placeplan"
        steps: list[tuple[str, Callable[[Path], None]]] = [
            ("demo plan", _demo_plan), ("main window", _main_window),
            ("solvers", _solvers), ("meeting server", _meeting_server),
        ]
        for name, step in steps:
            if results and results[0].problem is not None:
                results.append(StepResult(name, 0.0, "not run: the demo plan could not be written"))
                continue
            results.append(_timed(name, step, plan, err))
    print(verdict(results, time.perf_counter() - started), file=out, flush=True)
    return 0 if all(r.problem is None for r in results) else 1


def verdict(results: list[StepResult], seconds: float) -> str:
    """One line: what this is, passed or failed, and each step's time or problem."""
    head = f"PlacePlanner {__version__} ({build_label()})"
    failed = [r for r in results if r.problem is not None]
    if failed:
        passed = ", ".join(r.name for r in results if r.problem is None) or "none"
        problems = "; ".join(f"{r.name}: {r.problem}" for r in failed)
        return f"{head}: self-check FAILED: {problems} (passed: {passed})"
    steps = ", ".join(f"{r.name} {r.seconds:.1f} s" for r in results)
    return f"{head}: self-check passed in {seconds:.1f} s ({steps})"


def _timed(name: str, step: Callable[[Path], None], plan: Path, err: TextIO) -> StepResult:
    started = time.perf_counter()
    try:
        step(plan)
    except Exception as exc:  # every failure is reported, and the next step still runs
        traceback.print_exc(file=err)
        text = " ".join(str(exc).split()) or "no message"
        return StepResult(name, time.perf_counter() - started, f"{type(exc).__name__}: {text[:300]}")
    return StepResult(name, time.perf_counter() - started)


@contextmanager
def _private_home(home: Path) -> Iterator[None]:
    before = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = before


class CheckError(Exception):
    """A step ran but did not give what it should."""


def _demo_plan(plan: Path) -> None:
    from placeplanner.demo import write_demo_plan
    from placeplanner.service import PlanService

    write_demo_plan(plan)  # the schema through every migration, the demo's records, its audit log
    with PlanService.open(plan, write=False) as service:
        counts = service.summary().counts
        errors = service.check().errors
        broken = service.verify_audit()
    if not counts.get("options"):
        raise CheckError("the demo plan has no options")
    if errors or broken is not None:
        raise CheckError(f"the demo plan does not check out: {errors[:1]} audit entry {broken}")


def _main_window(plan: Path) -> None:
    """Build the main window on the plan and render each screen to an image, never showing it:
    every screen's modules load (pyqtgraph's charts among them), as a bundle must hold them."""
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from placeplanner.gui.app import dispose
    from placeplanner.gui.main_window import MainWindow, about_text, screen_names, select
    from placeplanner.gui.theme import apply_theme
    from placeplanner.service import PlanService

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_theme(app)
    window = MainWindow(PlanService.open(plan, auto_backup=False))
    try:
        window.resize(1280, 800)
        for name in reversed(screen_names()):  # ending on the first, the screen a user sees first
            select(window, name)
            app.processEvents()
            image = window.grab().toImage()
        title = window.windowTitle()
    finally:
        window.close()  # closes the plan too
        dispose(window)
    if image.isNull() or image.width() < 1280:
        raise CheckError(f"the window rendered as a {image.width()}x{image.height()} image")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 40) for y in range(0, image.height(), 40)}
    if len(colours) < 3:
        raise CheckError("the window rendered blank")
    if "Riverside" not in title or __version__ not in about_text():
        raise CheckError(f"unexpected window title {title!r} or About box")


def _solvers(plan: Path) -> None:
    """Each solver proves the same optimum: CBC runs as a bundled program, HiGHS in process."""
    from placeplanner.engine.solvers import SOLVERS, SolverSettings
    from placeplanner.service import PlanService
    from placeplanner.service.allocation import snapshot_plan, solve_snapshot

    with PlanService.open(plan, write=False) as service:
        snapshot = snapshot_plan(service)
    found: dict[str, float] = {}
    for name in SOLVERS:
        allocation = solve_snapshot(snapshot, SolverSettings(name)).allocation
        if allocation.status != "optimal" or allocation.objective is None:
            raise CheckError(f"{name} says {allocation.status}")
        found[name] = allocation.objective
    low, high = min(found.values()), max(found.values())
    if high - low > 1e-6 * max(1.0, abs(high)):
        raise CheckError(f"the solvers disagree: {found}")


def _meeting_server(plan: Path) -> None:
    """Open a scoring round on the demo's first option, serve it on loopback, fetch the page."""
    from placeplanner.meeting.live import LiveMeeting
    from placeplanner.meeting.server import MeetingServer
    from placeplanner.meeting.settings import MeetingSettings
    from placeplanner.service import PlanService

    with PlanService.open(plan, auto_backup=False) as service:
        data = service.read()
        option = data.options[0].name
        settings = MeetingSettings(
            meeting="Self-check", attendees=tuple(p.name for p in data.participants),
            agenda=(option,), values=tuple(v.name for v in data.values),
        )
        live = LiveMeeting.open(service.plan_file, data, settings, actor="self-check")
        live.go_to(option)
        server = MeetingServer(live, host="127.0.0.1", port=0)
        url = server.start()
        try:
            page = _fetch(url)
            script = _fetch(url + "app.js")
        finally:
            server.stop()
            live.end()
    if PAGE_MARKER not in page.lower() or not script:
        raise CheckError(f"the participant page at {url} is not what the package ships")


def _fetch(url: str) -> bytes:
    # No proxy: a proxy set in the environment must not see (or break) a loopback fetch.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        if response.status != 200:
            raise CheckError(f"{url} answered {response.status}")
        body: bytes = response.read()
        return body
