"""Opening plan files: every way a file can be wrong gets a clear message and changes nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from placeplanner.errors import PlanFileError, PlanLockedError
from placeplanner.model import PlanInfo
from placeplanner.service import PlanService
from placeplanner.storage import schema
from placeplanner.storage.backup import list_backups
from placeplanner.storage.planfile import APPLICATION_ID, open_plan_file
from tests.conftest import content_of, small_plan


def test_a_new_plan_is_a_wal_sqlite_file_at_the_newest_schema(service: PlanService) -> None:
    service.close()
    connection = sqlite3.connect(service.path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.head_revision()
    connection.close()


def test_connections_enforce_foreign_keys_and_full_sync(service: PlanService) -> None:
    with service._file.reading() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_creating_over_an_existing_file_is_refused(service: PlanService) -> None:
    with pytest.raises(PlanFileError, match=r"already exists"):
        PlanService.create(service.path, PlanInfo(place="Elsewhere"))


def test_a_missing_plan_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match=r"there is no plan at .*nothing.placeplan"):
        PlanService.open(tmp_path / "nothing.placeplan")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.placeplan"
    path.write_text("Dear colleagues, please find the plan attached.")
    with pytest.raises(PlanFileError, match=r"notes.placeplan is not a PlacePlanner plan: it is not an SQLite database"):
        PlanService.open(path)
    assert path.read_text() == "Dear colleagues, please find the plan attached."


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.placeplan"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Jo')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(PlanFileError, match=r"is an SQLite database but not a PlacePlanner plan"):
        PlanService.open(path)
    assert path.read_bytes() == before


def test_a_corrupt_plan_is_refused_with_advice(service: PlanService) -> None:
    service.close()
    path = service.path
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")  # fold the WAL in so the bytes below are the data
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 12 * page), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises(PlanFileError, match=r"damaged.*placeplanner restore"):
        PlanService.open(path)


def test_a_plan_from_a_newer_version_is_refused_untouched(service: PlanService) -> None:
    service.close()
    connection = sqlite3.connect(service.path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = content_of(service.path)
    with pytest.raises(PlanFileError, match=r"saved by a newer version of PlacePlanner .schema 9999.; update PlacePlanner"):
        PlanService.open(service.path)
    assert content_of(service.path) == before


def test_an_older_plan_is_backed_up_then_migrated(plan_path: Path) -> None:
    PlanService.create(plan_path, small_plan().info).close()
    # Take the file back to the first schema, as an older PlacePlanner would have left it.
    connection = sqlite3.connect(plan_path)
    connection.execute("DROP INDEX ix_individual_scores_option_value")
    for trigger in ("results_are_immutable", "decided_results_are_kept"):
        connection.execute(f"DROP TRIGGER {trigger}")
    connection.execute("DROP TABLE decisions")
    connection.execute("ALTER TABLE declarations DROP COLUMN reason")
    for column in ("plan_mark", "input_digest"):  # schema 0007
        connection.execute(f"ALTER TABLE results DROP COLUMN {column}")
    connection.execute("DROP TABLE meeting_tokens")
    connection.execute("DROP TABLE live_meetings")
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()

    with PlanService.open(plan_path) as service:
        assert service.info().place == "Testford"
    backups = list_backups(plan_path)
    assert [b.reason for b in backups][-1] == "before upgrade from schema 0001"
    connection = sqlite3.connect(plan_path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.head_revision()
    indexes = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_individual_scores_option_value" in indexes
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"live_meetings", "meeting_tokens", "decisions"} <= tables
    connection.close()
    old = sqlite3.connect(backups[-1].path)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    old.close()


def test_an_older_plan_opened_read_only_asks_to_be_upgraded(plan_path: Path) -> None:
    PlanService.create(plan_path, small_plan().info).close()
    connection = sqlite3.connect(plan_path)
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    with pytest.raises(PlanFileError, match=r"older version of PlacePlanner; open it once for editing"):
        PlanService.open(plan_path, write=False)


def test_the_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from placeplanner.storage.orm import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    with engine.begin() as connection:
        schema.upgrade(connection)
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from placeplanner.service import PlanService
    service = PlanService.open(Path(sys.argv[1]))
    print("holding", flush=True)
    time.sleep(60)
    """
)


def test_a_plan_held_by_another_process_is_refused_with_who_holds_it(service: PlanService) -> None:
    service.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(service.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        before = content_of(service.path)
        with pytest.raises(PlanLockedError, match=rf"open for editing elsewhere \(by .+ on .+, process {holder.pid}, since .+\)"):
            PlanService.open(service.path)
        # Reading is still allowed while another process writes.
        with PlanService.open(service.path, write=False) as reader:
            assert reader.info().place == "Testford"
        assert content_of(service.path) == before
    finally:
        holder.kill()
        holder.wait()
    # Once the holder is gone (even killed), the plan opens again.
    PlanService.open(service.path).close()


def test_a_read_only_plan_refuses_changes(service: PlanService) -> None:
    service.close()
    with PlanService.open(service.path, write=False) as reader, pytest.raises(PlanFileError, match=r"read-only"):
        reader.update_info(small_plan().info)


def test_open_plan_file_releases_its_lock_when_refusing(tmp_path: Path) -> None:
    path = tmp_path / "bad.placeplan"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(PlanFileError):
        open_plan_file(path)
    with pytest.raises(PlanFileError):  # the same error again, not "held by another process"
        open_plan_file(path)
