from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from placeplanner.model import (
    AgreedScore,
    Cost,
    FundingStream,
    Meeting,
    Need,
    Option,
    Participant,
    Partner,
    PlanData,
    PlanInfo,
    ScalePoint,
    Value,
)
from placeplanner.service import PlanService


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Riverside demo plan, written once per test module; a test that changes it takes
    ``demo_copy`` instead."""
    from placeplanner.demo import write_demo_plan

    path = tmp_path_factory.mktemp("demo") / "riverside.placeplan"
    write_demo_plan(path)
    return path


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """A test's own copy of the demo plan (SQLite's backup: quicker than writing it again)."""
    from placeplanner.storage.backup import copy_database

    copy = tmp_path / demo_file.name
    copy_database(demo_file, copy)
    return copy


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups and settings go to a fresh folder for every test, never the user's own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PLACEPLANNER_HOME", str(home))
    monkeypatch.setenv("PLACEPLANNER_USER", "Test Analyst")
    return home


def small_plan() -> PlanData:
    """A tiny plan that exercises every reference, for tests that need not load the demo."""
    return PlanData(
        info=PlanInfo(place="Testford", title="Testford place", start_year=2027, years=2),
        partners=(Partner("Testford ICB", "ICB"), Partner("Testford Council", "council")),
        funding_streams=(
            FundingStream("Better Care Fund", "Testford ICB", ((2027, 1_000_000.0), (2028, 1_000_000.0))),
            FundingStream("Inequalities fund", "Testford Council", ((2027, 200_000.0), (2028, 250_000.0)),
                          ring_fenced_for=("tag:inequalities",)),
        ),
        needs=(Need("Falls in older people", 12_000, 2.0, "Falls admissions"), Need("Childhood obesity", 4_000)),
        values=(
            Value("Improves population health", 30, 0, 10, "Health gain", (ScalePoint(0, "None"), ScalePoint(10, "Large"))),
            Value("Reduces inequalities", 20, 0, 10),
        ),
        options=(
            Option("Falls service", "Testford ICB", costs=(Cost("Better Care Fund", 2027, 300_000.0), Cost("Better Care Fund", 2028, 250_000.0)),
                   needs=("Falls in older people",), tags=("prevention",), mandatory=True),
            Option("Healthy schools", "Testford Council", costs=(Cost("Inequalities fund", 2027, 150_000.0), Cost("Inequalities fund", 2028, 150_000.0)),
                   needs=("Childhood obesity",), tags=("inequalities", "prevention"), requires=("Falls service",)),
        ),
        participants=(Participant("Asha Patel", "Testford ICB", "Director of Finance"), Participant("Tom Reid", "Testford Council")),
        meetings=(Meeting("Workshop"),),
        agreed_scores=(AgreedScore("Falls service", "Improves population health", 7, "Strong evidence", "Workshop"),),
    )


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    return tmp_path / "testford.placeplan"


@pytest.fixture
def service(plan_path: Path) -> Iterator[PlanService]:
    created = PlanService.create(plan_path, small_plan().info)
    created.apply(small_plan())
    yield created
    created.close()


def content_of(path: Path) -> list[str]:
    """The plan's content as SQL, to prove a refused change changed nothing."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()
