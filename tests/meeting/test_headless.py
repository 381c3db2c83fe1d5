"""`placeplanner meeting serve`: a round without the app, stopped cleanly, or killed and resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from placeplanner.model import Participant
from placeplanner.service import PlanService
from tests.conftest import small_plan
from tests.meeting.client import call, join, score

HEALTH, FAIRNESS = "Improves population health", "Reduces inequalities"
OPTION = "Falls service"
PEOPLE = ("Asha Patel", "Tom Reid", "Grace Obi", "Liam Hart")


@pytest.fixture
def closed_plan(plan_path: Path) -> Path:
    """A plan on disk that no process holds open, as the command finds it."""
    with PlanService.create(plan_path, small_plan().info) as service:
        service.apply(small_plan())
        for name in PEOPLE[2:]:
            service.upsert(Participant(name, "Testford Council"))
    return plan_path


class Round:
    def __init__(self, plan: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "placeplanner", "meeting", "serve", str(plan), "--option", OPTION],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read() if self.process.stderr else ""
        self.announced = json.loads(line)
        self.url: str = self.announced["url"]
        self.code: str = self.announced["code"]

    def stop(self, sig: int) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=30)


@pytest.fixture
def rounds() -> Iterator[list[Round]]:
    started: list[Round] = []
    yield started
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def stored(plan: Path) -> dict[tuple[str, str], float | None]:
    with PlanService.open(plan, write=False) as service:
        frame = service.scores_frame()
    return {(p, v): (None if s != s else s) for p, v, s in zip(frame.participant, frame.value, frame.score, strict=True)}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_closes_the_round_commits_and_exits_0(closed_plan: Path, rounds: list[Round], sig: int) -> None:
    running = Round(closed_plan)
    rounds.append(running)
    assert running.url.startswith("http://127.0.0.1:")
    assert len(running.code) == 6
    token = join(running.url, running.code, "Asha Patel")
    assert score(running.url, token, OPTION, {HEALTH: 8, FAIRNESS: None})[0] == 200
    assert running.stop(sig) == 0
    assert stored(closed_plan) == {("Asha Patel", HEALTH): 8.0, ("Asha Patel", FAIRNESS): None}
    with PlanService.open(closed_plan, write=False) as service:
        plan = service.read()
    assert {m.name: m.status for m in plan.meetings}[running.announced["meeting"]] == "open"


def test_killed_mid_round_every_acknowledged_score_is_there_and_the_round_resumes(closed_plan: Path, rounds: list[Round]) -> None:
    first = Round(closed_plan)
    rounds.append(first)
    acknowledged: dict[tuple[str, str], float | None] = {}
    tokens = {name: join(first.url, first.code, name) for name in PEOPLE if name != "Grace Obi"}
    for point, (name, token) in enumerate(tokens.items()):
        status, _ = score(first.url, token, OPTION, {HEALTH: point, FAIRNESS: 10 - point})
        if status == 200:
            acknowledged |= {(name, HEALTH): float(point), (name, FAIRNESS): float(10 - point)}
    status, _ = score(first.url, tokens["Tom Reid"], OPTION, {HEALTH: 9})
    assert status == 200
    acknowledged[("Tom Reid", HEALTH)] = 9.0
    first.process.kill()  # no chance to close or commit anything more
    first.process.wait()
    assert stored(closed_plan) == acknowledged

    second = Round(closed_plan)
    rounds.append(second)
    assert second.announced["resumed"]
    assert second.code == first.code
    # The pages keep their places: the tokens issued before the crash still work.
    status, state = call(second.url, "/api/state", token=tokens["Asha Patel"])
    assert status == 200
    assert state["stage"] == "scoring"
    assert state["my_scores"][HEALTH]["score"] == 0
    assert score(second.url, tokens["Liam Hart"], OPTION, {HEALTH: 4})[0] == 200
    assert second.stop(signal.SIGTERM) == 0
    assert stored(closed_plan) == acknowledged | {("Liam Hart", HEALTH): 4.0}


def test_an_unknown_option_is_a_one_line_error(closed_plan: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "placeplanner", "meeting", "serve", str(closed_plan),
                           "--option", "Nope"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "No option named 'Nope'" in done.stderr
