"""Installer benchmark: the build's time, the bundle's size, and the frozen app's cold starts.

Builds with packaging/build.sh (or measures a build already made, with --dist), then prints:
  - build time: packaging/build.sh end to end (PyInstaller, the self-check, the tarball);
  - bundle size: the one-folder app on disk, and the tarball a user downloads;
  - cold start of 'placeplanner --version' (a new process each time: the bootloader, Python
    and the command line; the first run after the build, then the median of five);
  - the main window: from starting 'placeplanner open PLAN' on a virtual X display (Xvfb) until
    its window is on screen (xdotool sees it), frozen and from source, and the self-check's
    'main window' step (building the window and rendering every screen offscreen).
Prints figures, asserts nothing. Needs scripts/packaging-tools.sh's tools.

    .venv/bin/python benchmarks/bundle.py [--dist DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["bash", "packaging/build.sh", "--dist", str(dist), "--work", str(work)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def seconds(command: Sequence[str | Path], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([str(c) for c in command], check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        return server, f":{pipe.readline().strip()}"


def time_to_window(program: Sequence[str], plan: Path, display: str, home: Path) -> float:
    """From starting the app on ``plan`` until a window titled '... PlacePlanner ...' is mapped."""
    env = {**os.environ, "DISPLAY": display, "PLACEPLANNER_HOME": str(home)}
    env.pop("QT_QPA_PLATFORM", None)
    started = time.perf_counter()
    app = subprocess.Popen([*program, "open", str(plan)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "PlacePlanner"],
                       env=env, check=True, stdout=subprocess.DEVNULL, timeout=60)
        return time.perf_counter() - started
    finally:
        app.terminate()
        app.wait(30)


def window_figures(app: Path, scratch: Path) -> dict[str, list[float]]:
    plan = scratch / "Riverside demo.placeplan"
    subprocess.run([str(app), "demo", str(plan)], check=True, stdout=subprocess.DEVNULL)
    server, display = start_xvfb()
    try:
        found: dict[str, list[float]] = {}
        for label, program in (("frozen", [str(app)]), ("source", [sys.executable, "-m", "placeplanner"])):
            found[label] = [time_to_window(program, plan, display, scratch / f"home-{label}-{i}") for i in range(3)]
        return found
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="measure this build (packaging/build.sh --dist) instead of building")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="placeplanner-bundle-bench-"))
    try:
        dist = args.dist or scratch / "dist"
        build_seconds = None if args.dist else build(dist, scratch / "work")
        app = dist / "PlacePlanner" / "placeplanner"
        versions = [seconds([app, "--version"]) for _ in range(6)]
        checked = subprocess.run([str(app), "--self-check"], check=True, capture_output=True, text=True,
                                 env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        step = re.search(r"main window ([\d.]+) s", checked.stdout)
        windows = window_figures(app, scratch) if shutil.which("Xvfb") and shutil.which("xdotool") else None
        tarballs = list(dist.glob("placeplanner-*.tar.gz"))

        print(f"build time:                 {build_seconds:.0f} s" if build_seconds else "build time:                 not measured (--dist)")
        print(f"bundle size:                {megabytes(dist / 'PlacePlanner'):.0f} MB on disk"
              + (f", {tarballs[0].stat().st_size / 1e6:.0f} MB as {tarballs[0].name}" if tarballs else ""))
        print(f"cold start, --version:      {versions[0]:.2f} s first, {statistics.median(versions[1:]):.2f} s median of 5")
        if windows:
            for label, times in windows.items():
                print(f"window on screen ({label}): {times[0]:.2f} s first, {statistics.median(times):.2f} s median of 3 (Xvfb)")
        else:
            print("window on screen:           not measured (needs Xvfb and xdotool: bash scripts/packaging-tools.sh)")
        print(f"self-check 'main window':   {step.group(1) if step else '?'} s (build the window, render all 10 screens offscreen)")
        print(checked.stdout.strip())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
