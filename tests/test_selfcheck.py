"""``placeplanner --self-check`` from the source tree, with and without a network.

The installed app runs the same command (tests/test_packaging.py); here it proves the check itself
and that PlacePlanner never reaches beyond this machine: once in a network namespace that has
nothing but loopback, and once under a guard that refuses and records any attempt to resolve a
name or reach an address beyond loopback (an attempt that fails quietly still shows there).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from placeplanner.selfcheck import StepResult, verdict
from tests.offline import offline

ROOT = Path(__file__).resolve().parents[1]
SELF_CHECK = [sys.executable, "-m", "placeplanner", "--self-check"]
PASSED = re.compile(r"^PlacePlanner \S+ \(.+\): self-check passed in [\d.]+ s \(demo plan [\d.]+ s, main window [\d.]+ s, solvers [\d.]+ s, meeting server [\d.]+ s\)$")


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, **env}, cwd=ROOT)


@pytest.mark.slow
def test_the_self_check_passes_from_source() -> None:
    result = run(SELF_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert PASSED.match(lines[0]), result.stdout
    assert "(from source)" in lines[0]


@pytest.mark.slow
def test_the_self_check_passes_with_no_network_but_loopback() -> None:
    result = run(offline(SELF_CHECK))
    assert result.returncode == 0, f"unshare could not make a network namespace, or the check failed:\n{result.stdout}{result.stderr}"
    assert PASSED.match(result.stdout.strip()), result.stdout


@pytest.mark.slow
def test_nothing_tries_to_reach_beyond_this_machine(tmp_path: Path) -> None:
    log = tmp_path / "network.log"
    guard = str(ROOT / "tests" / "netguard")
    result = run(SELF_CHECK, PYTHONPATH=os.pathsep.join([guard, os.environ.get("PYTHONPATH", "")]), NETGUARD_LOG=str(log))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not log.exists(), f"PlacePlanner tried to use the network:\n{log.read_text()}"


def test_the_guard_would_have_seen_an_attempt(tmp_path: Path) -> None:
    """The guard is live in the child: a name lookup is refused and recorded."""
    log = tmp_path / "network.log"
    probe = "import socket\ntry:\n    socket.getaddrinfo('pypi.org', 443)\nexcept OSError:\n    pass\n"
    run([sys.executable, "-c", probe], PYTHONPATH=str(ROOT / "tests" / "netguard"), NETGUARD_LOG=str(log))
    assert "resolve 'pypi.org'" in log.read_text()


def test_the_participant_page_loads_nothing_from_elsewhere() -> None:
    """No fonts, scripts or styles from a CDN: the page must work in a room without internet."""
    web = ROOT / "src" / "placeplanner" / "meeting" / "web"
    for page in web.iterdir():
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), page.name


@pytest.mark.parametrize(("problem", "expected"), [
    (None, "self-check passed in 2.5 s (demo plan 1.0 s, solvers 0.5 s)"),
    ("CheckFailed: cbc says error", "self-check FAILED: solvers: CheckFailed: cbc says error (passed: demo plan)"),
])
def test_the_verdict_is_one_line_naming_what_failed(problem: str | None, expected: str) -> None:
    line = verdict([StepResult("demo plan", 1.0), StepResult("solvers", 0.5, problem)], 2.5)
    assert "\n" not in line
    assert line.endswith(expected)


def test_a_failing_step_fails_the_check_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from placeplanner import selfcheck

    ran: list[str] = []

    def broken(_plan: Path) -> None:
        raise selfcheck.CheckError("cbc says error")

    for name in ("_demo_plan", "_main_window", "_meeting_server"):
        monkeypatch.setattr(selfcheck, name, lambda _plan, name=name: ran.append(name))
    monkeypatch.setattr(selfcheck, "_solvers", broken)
    out, err = io.StringIO(), io.StringIO()
    assert selfcheck.run_self_check(out, err) == 1
    assert ran == ["_demo_plan", "_main_window", "_meeting_server"]
    assert out.getvalue().strip().endswith(
        "self-check FAILED: solvers: CheckError: cbc says error (passed: demo plan, main window, meeting server)")
    assert "Traceback" in err.getvalue()
