from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from placeplanner.errors import PlanFileError
from placeplanner.model import Partner
from placeplanner.service import PlanService
from placeplanner.storage.backup import (
    KEEP_NEWEST,
    backup_plan,
    backups_to_delete,
    list_backups,
    plan_backup_dir,
    restore_plan,
)
from placeplanner.storage.planfile import check_plan_database


def test_a_backup_is_a_verified_plan_under_the_data_folder(service: PlanService, private_home: Path) -> None:
    path = backup_plan(service.path, reason="manual")
    assert path.is_relative_to(private_home)
    check_plan_database(path)
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT name FROM options ORDER BY id").fetchall() == [("Falls service",), ("Healthy schools",)]
    copy.close()
    assert list_backups(service.path)[0].reason == "manual"


def test_opening_for_editing_takes_an_automatic_backup_at_most_hourly(service: PlanService) -> None:
    service.close()
    PlanService.open(service.path).close()
    PlanService.open(service.path).close()
    assert [b.reason for b in list_backups(service.path)] == ["automatic"]


def test_backups_of_plans_with_the_same_name_do_not_mix(tmp_path: Path, service: PlanService) -> None:
    other = tmp_path / "elsewhere" / service.path.name
    other.parent.mkdir()
    assert plan_backup_dir(other) != plan_backup_dir(service.path)


def test_retention_keeps_recent_daily_and_weekly_backups() -> None:
    now = datetime(2027, 3, 31, 12, 0)
    hourly_today = [now - timedelta(hours=h) for h in range(12)]
    daily = [now - timedelta(days=d, hours=1) for d in range(1, 30)]
    doomed = backups_to_delete(hourly_today + daily, now)
    kept = set(hourly_today + daily) - doomed
    assert set(hourly_today[:KEEP_NEWEST]) <= kept
    assert all(now - t > timedelta(days=14) for t in doomed if t in daily)
    for days_ago in range(1, 14):
        assert now - timedelta(days=days_ago, hours=1) in kept
    # Older than a fortnight: one a week survives.
    old_kept = [t for t in kept if now - t > timedelta(days=15)]
    assert 1 <= len(old_kept) <= 3
    assert len({t.isocalendar()[:2] for t in old_kept}) == len(old_kept)


def test_restore_brings_a_backup_back_and_keeps_the_plan_as_it_was(service: PlanService) -> None:
    backup = backup_plan(service.path)
    service.upsert(Partner("Riverside Hospice"))
    service.close()
    kept = restore_plan(service.path, backup)
    with PlanService.open(service.path, write=False) as reopened:
        assert "Riverside Hospice" not in [p.name for p in reopened.read().partners]
    assert kept is not None
    connection = sqlite3.connect(kept)
    assert ("Riverside Hospice",) in connection.execute("SELECT name FROM partners").fetchall()
    connection.close()


def test_restore_replaces_a_damaged_plan_and_moves_it_aside(service: PlanService) -> None:
    backup = backup_plan(service.path)
    service.close()
    service.path.write_bytes(b"garbage" * 1000)
    aside = restore_plan(service.path, backup)
    assert aside is not None
    assert aside.read_bytes().startswith(b"garbage")
    with PlanService.open(service.path, write=False) as reopened:
        assert reopened.info().place == "Testford"


def test_restore_refuses_a_backup_that_is_not_a_plan(service: PlanService, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.placeplan"
    bogus.write_text("nope")
    service.close()
    with pytest.raises(PlanFileError, match=r"not a PlacePlanner plan"):
        restore_plan(service.path, bogus)


def test_restore_refuses_while_another_process_edits(service: PlanService) -> None:
    backup = backup_plan(service.path)
    with pytest.raises(PlanFileError, match=r"open for editing elsewhere"):
        restore_plan(service.path, backup)


def _backup_folder_holds_only_backups(plan: Path) -> list[str]:
    folder = plan_backup_dir(plan)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(b.path.name for b in list_backups(plan)), names
    return names


def test_each_kind_of_backup_leaves_one_file_and_nothing_else(service: PlanService) -> None:
    service.close()
    PlanService.open(service.path).close()  # the automatic backup on opening for editing
    assert len(_backup_folder_holds_only_backups(service.path)) == 1
    backup_plan(service.path, reason="manual")
    assert len(_backup_folder_holds_only_backups(service.path)) == 2
    _downgrade_to_0005(service.path)
    PlanService.open(service.path).close()  # the verified backup before an upgrade
    assert len(_backup_folder_holds_only_backups(service.path)) == 3
    restore_plan(service.path, list_backups(service.path)[-1].path)  # keeps the plan as it was first
    assert len(_backup_folder_holds_only_backups(service.path)) == 4
    with PlanService.open(service.path, write=False) as reopened:
        assert reopened.info().place == "Testford"
    # Opening a backup to look at it, as the restore and the check do, adds nothing beside it.
    for info in list_backups(service.path):
        check_plan_database(info.path)
    _backup_folder_holds_only_backups(service.path)


def test_debris_that_older_versions_left_is_swept_once_it_is_old(service: PlanService) -> None:
    import os

    made = backup_plan(service.path)
    folder = made.parent
    old = [folder / f"{made.name}-wal", folder / f"{made.name}-shm", folder / "x.placeplan.partial",
           folder / "x.placeplan.partial-wal"]
    fresh = folder / "y.placeplan.partial"  # another process's backup, still being written
    for path in [*old, fresh]:
        path.write_bytes(b"")
    hour_ago = (datetime.now() - timedelta(hours=1)).timestamp()
    for path in old:
        os.utime(path, (hour_ago, hour_ago))
    backup_plan(service.path)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(b.path.name for b in list_backups(service.path)), fresh.name])


def _downgrade_to_0005(path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from placeplanner.storage import schema

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0005")
    engine.dispose()
