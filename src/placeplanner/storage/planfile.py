"""Opening, creating and checking a plan file: one SQLite database with the ``.placeplan`` suffix.

Opening refuses, in words a user can act on, a file that is missing, corrupt, not a plan,
written by a newer PlacePlanner, or held for writing by another process. An older plan
is backed up (and the backup verified) before it is migrated.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, create_engine, event, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from placeplanner.errors import PlanFileError
from placeplanner.model import PlanInfo
from placeplanner.storage import schema
from placeplanner.storage.locking import WriterLock
from placeplanner.storage.orm import PlanInfoRow

SUFFIX = ".placeplan"
# PRAGMA application_id marks a SQLite file as a plan ("PlPl").
APPLICATION_ID = 0x506C506C
_SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE_ADVICE = "restore a backup: 'placeplanner backup PLAN --list', then 'placeplanner restore PLAN BACKUP'"


def _sqlite_engine(path: Path, *, read_only: bool) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        # 64 MB of page cache: bulk imports touch index pages far beyond the 2 MB default.
        cursor.execute("PRAGMA cache_size = -65536")
        if not read_only:
            # WAL with FULL sync: a committed edit survives a power cut (local disks).
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    return engine


class Stamp(NamedTuple):
    writes: int  # transactions through this PlanFile, from any thread
    files: tuple[int, ...]  # modification time and size of the database and its WAL


class PlanFile:
    """An open plan: an engine, and the writer lock when opened for writing."""

    def __init__(self, path: Path, engine: Engine, lock: WriterLock | None) -> None:
        self.path = path
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = 0
        # One writer at a time within the process (the GUI and the meeting server's writer):
        # the audit chain reads the last hash before it appends, so writes must not interleave.
        self._write_turn = threading.RLock()

    def stamp(self) -> Stamp:
        """Changes whenever the plan may have changed: a write through this file, or a commit by
        another process (which grows the WAL or, after a checkpoint, rewrites the file)."""
        marks: list[int] = []
        for part in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                info = part.stat()
            except FileNotFoundError:
                marks += [0, 0]
            else:
                marks += [info.st_mtime_ns, info.st_size]
        return Stamp(self._writes, tuple(marks))

    @property
    def writable(self) -> bool:
        return self._lock is not None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole on success, rolled back whole on any error."""
        if not self.writable:
            raise PlanFileError(f"{self.path.name} is open read-only")
        with self._write_turn:
            try:
                with self._sessions.begin() as session:
                    yield session
            finally:
                self._writes += 1

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def create_plan_file(path: Path, info: PlanInfo) -> PlanFile:
    """A new, empty plan at ``path``; refuses to overwrite anything."""
    path = Path(path)
    if path.exists():
        raise PlanFileError(f"{path} already exists; choose another name or delete it first")
    if not path.parent.is_dir():
        raise PlanFileError(f"cannot create {path}: folder {path.parent} does not exist")
    lock = WriterLock(path)
    lock.acquire()
    engine = _sqlite_engine(path, read_only=False)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            schema.upgrade(connection)
            connection.execute(
                insert(PlanInfoRow).values(
                    id=1,
                    place=info.place,
                    title=info.title,
                    start_year=info.start_year,
                    years=info.years,
                    currency=info.currency,
                    area_code=info.area_code,
                    quorum=info.quorum,
                    conflict_policy=info.conflict_policy,
                    created_at=datetime.now(),
                )
            )
    except BaseException:
        engine.dispose()
        lock.release()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return PlanFile(path, engine, lock)


def open_plan_file(path: Path, *, write: bool = True, backup_before_migrate: bool = True) -> PlanFile:
    """Open an existing plan, checking it first. Read-only opens take no lock."""
    path = Path(path)
    check_is_sqlite(path)
    lock = WriterLock(path) if write else None
    if lock is not None:
        lock.acquire()
    try:
        check_plan_database(path)
        engine = _sqlite_engine(path, read_only=not write)
        _bring_schema_up_to_date(path, engine, write=write, backup=backup_before_migrate)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return PlanFile(path, engine, lock)


def check_is_sqlite(path: Path) -> None:
    if not path.exists():
        raise PlanFileError(f"there is no plan at {path}")
    if path.is_dir():
        raise PlanFileError(f"{path} is a folder, not a plan file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise PlanFileError(f"cannot read {path}: {exc.strerror}") from None
    if header != _SQLITE_MAGIC:
        raise PlanFileError(f"{path.name} is not a PlacePlanner plan: it is not an SQLite database (or its first page is damaged)")


def check_plan_database(path: Path) -> None:
    """Integrity and identity, through the plain sqlite3 module so nothing is created or migrated."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise PlanFileError(f"cannot open {path.name}: {exc}") from None
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID or "plan_info" not in tables:
            raise PlanFileError(f"{path.name} is an SQLite database but not a PlacePlanner plan")
        verdict = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
        if verdict != ["ok"]:
            lines = [line for row in verdict for line in str(row).splitlines() if not line.startswith("***")]
            raise PlanFileError(f"{path.name} is damaged ({lines[0] if lines else 'integrity check failed'}); {RESTORE_ADVICE}")
    except sqlite3.DatabaseError as exc:
        raise PlanFileError(f"{path.name} is damaged and cannot be read ({exc}); {RESTORE_ADVICE}") from None
    finally:
        connection.close()


def _bring_schema_up_to_date(path: Path, engine: Engine, *, write: bool, backup: bool) -> None:
    try:
        with engine.connect() as connection:
            current = schema.current_revision(connection)
    except DBAPIError as exc:
        raise PlanFileError(f"{path.name} cannot be read: {exc.orig}") from None
    head = schema.head_revision()
    if current == head:
        return
    if current not in schema.known_revisions():
        raise PlanFileError(f"{path.name} was saved by a newer version of PlacePlanner (schema {current}); update PlacePlanner to open it")
    if not write:
        raise PlanFileError(f"{path.name} was saved by an older version of PlacePlanner; open it once for editing to upgrade it (a backup is taken first)")
    if backup:
        from placeplanner.storage.backup import backup_plan

        backup_plan(path, reason=f"before upgrade from schema {current}")
    with engine.begin() as connection:
        schema.upgrade(connection)


def read_info_row(session: Session) -> PlanInfoRow:
    row = session.get(PlanInfoRow, 1)
    if row is None:
        raise PlanFileError("the plan has lost its details row; restore a backup")
    return row


def count_rows(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
