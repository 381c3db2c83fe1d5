"""Rotating, verified backups of plan files, through SQLite's online backup API.

Backups live under the user's data folder (platformdirs), one folder per plan, so a
plan on a shared drive is never cluttered. Each is verified by opening it before it counts, and
each is one self-contained file in rollback-journal mode: a copy left in WAL mode grows "-wal"
and "-shm" files beside it whenever it is opened, even read-only to be checked.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from placeplanner import paths
from placeplanner.errors import PlanFileError
from placeplanner.storage.locking import WriterLock
from placeplanner.storage.planfile import SUFFIX, check_is_sqlite, check_plan_database

KEEP_NEWEST = 10
KEEP_DAILY_DAYS = 14
KEEP_WEEKLY_WEEKS = 8
_STAMP = "%Y%m%dT%H%M%S_%f"
_DEBRIS_AGE = timedelta(minutes=10)
_NAME = re.compile(r"^(?P<stem>.+)__(?P<stamp>\d{8}T\d{6}_\d{6})__(?P<reason>[a-z0-9-]*)\.placeplan$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str


def plan_backup_dir(plan: Path) -> Path:
    resolved = Path(plan).resolve()
    digest = hashlib.sha1(str(resolved).encode(), usedforsecurity=False).hexdigest()[:10]
    folder = paths.backups_dir() / f"{resolved.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def list_backups(plan: Path) -> list[BackupInfo]:
    """The plan's backups, newest first."""
    found = []
    for candidate in plan_backup_dir(plan).glob(f"*{SUFFIX}"):
        match = _NAME.match(candidate.name)
        if match:
            taken = datetime.strptime(match["stamp"], _STAMP)
            found.append(BackupInfo(candidate, taken, match["reason"].replace("-", " ")))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def backup_plan(plan: Path, reason: str = "manual", *, prune: bool = True) -> Path:
    """Copy a consistent snapshot of the plan, verify it, then apply the retention policy."""
    plan = Path(plan)
    check_is_sqlite(plan)
    now = datetime.now()
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:60]
    final = plan_backup_dir(plan) / f"{plan.stem}__{now.strftime(_STAMP)}__{slug}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    copy_database(plan, partial)
    try:
        check_plan_database(partial)
    except PlanFileError as exc:
        partial.unlink(missing_ok=True)
        raise PlanFileError(f"the backup of {plan.name} failed its check and was discarded: {exc}") from None
    partial.replace(final)
    sweep_debris(final.parent, now=now)
    if prune:
        prune_backups(plan, now=now)
    return final


def sweep_debris(folder: Path, *, now: datetime | None = None) -> list[Path]:
    """Remove what is not a backup from a plan's backup folder: copies that never finished
    (``*.partial``) and the "-wal" and "-shm" files that older versions left beside copies.
    Only files untouched for ``_DEBRIS_AGE`` go, so another process's backup still being written
    is left alone. Returns what was removed."""
    removed = []
    cutoff = (now or datetime.now()) - _DEBRIS_AGE
    for candidate in folder.iterdir():
        name = candidate.name
        unfinished = name.endswith(".partial") or ".partial-" in name
        stray = name.endswith(("-wal", "-shm", "-journal"))
        if not candidate.is_file() or not (unfinished or stray):
            continue
        if datetime.fromtimestamp(candidate.stat().st_mtime) < cutoff:
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def latest_backup_age(plan: Path, now: datetime | None = None) -> timedelta | None:
    backups = list_backups(plan)
    if not backups:
        return None
    return (now or datetime.now()) - backups[0].taken_at


def prune_backups(plan: Path, *, now: datetime | None = None) -> list[Path]:
    backups = list_backups(plan)
    doomed = backups_to_delete([b.taken_at for b in backups], now or datetime.now())
    removed = []
    for backup in backups:
        if backup.taken_at in doomed:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def backups_to_delete(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """Retention: the newest ten, the newest of each of the last 14 days, and of each of the last 8 weeks."""
    ordered = sorted(taken, reverse=True)
    keep = set(ordered[:KEEP_NEWEST])
    days_seen: set[object] = set()
    weeks_seen: set[object] = set()
    for stamp in ordered:
        age = now - stamp
        if age <= timedelta(days=KEEP_DAILY_DAYS) and stamp.date() not in days_seen:
            days_seen.add(stamp.date())
            keep.add(stamp)
        week = stamp.isocalendar()[:2]
        if age <= timedelta(weeks=KEEP_WEEKLY_WEEKS) and week not in weeks_seen:
            weeks_seen.add(week)
            keep.add(stamp)
    return set(ordered) - keep


def restore_plan(plan: Path, backup: Path) -> Path | None:
    """Bring a backup back as the plan. The plan as it was is kept: backed up if healthy,
    moved aside if damaged. Returns where the old plan was kept (None if there was none)."""
    plan, backup = Path(plan), Path(backup)
    check_is_sqlite(backup)
    check_plan_database(backup)
    lock = WriterLock(plan)
    lock.acquire()
    try:
        if not plan.exists():
            copy_database(backup, plan)
            return None
        try:
            check_is_sqlite(plan)
            check_plan_database(plan)
        except PlanFileError:
            stamp = datetime.now().strftime(_STAMP)
            aside = plan.with_name(f"{plan.name}.damaged-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                source = plan.with_name(plan.name + suffix)
                if source.exists():
                    shutil.move(source, aside.with_name(aside.name + suffix))
            copy_database(backup, plan)
            return aside
        kept = backup_plan(plan, reason="before restore", prune=False)
        copy_database(backup, plan)
        return kept
    finally:
        lock.release()


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another connection writes. The copy
    is one self-contained file (rollback-journal mode; a plan opened for use goes back to WAL)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.commit()
            # The backup copies the source's header, WAL mode with it; without this the copy
            # keeps a "-wal" and a "-shm" beside it from the first time anything opens it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
