"""`placeplanner audit`: the log as a table or CSV, and --verify naming the first entry changed or
removed when the plan file is edited behind PlacePlanner's back with the sqlite3 module."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from placeplanner.cli import main


@pytest.fixture
def plan(demo_copy: Path) -> Path:
    return demo_copy


def _sql(path: Path, statement: str, *params: object) -> None:
    connection = sqlite3.connect(path)
    connection.execute(statement, params)
    connection.commit()
    connection.close()


def _count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        connection.close()


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["audit", str(path), "--verify"])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


# --- verifying ---------------------------------------------------------------------------------


def test_an_untouched_plan_verifies_with_its_count_and_head(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(plan)
    last = connection.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    connection.close()
    assert _verify(plan, capsys) == (0, f"Audit chain intact: {_count(plan):,} entries, head {last[:12]}", "")


def test_the_command_line_exits_1_naming_the_entry(plan: Path) -> None:
    _sql(plan, "UPDATE audit_log SET actor = 'Someone else' WHERE id = 7")
    run = subprocess.run([sys.executable, "-m", "placeplanner", "audit", str(plan), "--verify"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == ("placeplanner: the audit chain is broken: entry 7 was changed after it was written: "
                          "its content no longer matches its hash\n")


# Each column the hash covers, changed in a way that keeps it readable, and in ways that do not.
EDITS = {
    "at": "'2020-01-01 09:00:00.000000'",
    "actor": "'Someone else'",
    "action": "'delete'",
    "entity": "'rules'",
    "entity_key": "entity_key || ' (forged)'",
    "before": "'{\"forged\": true}'",
    "after": "'{\"name\": \"Forged\"}'",
    "hash": "'" + "f" * 64 + "'",
}
UNREADABLE = {"at": "'yesterday'", "before": "'not json'", "after": "'{'", "actor": "NULL"}


def _positions(path: Path) -> dict[str, int]:
    last = _count(path)
    return {"first": 1, "middle": last // 2, "last": last}


@pytest.mark.parametrize("column", EDITS)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_editing_any_hashed_column_of_any_entry_names_that_entry(plan: Path, column: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    entry = _positions(plan)[where]
    _sql(plan, f"UPDATE audit_log SET {column} = {EDITS[column]} WHERE id = ?", entry)
    code, out, err = _verify(plan, capsys)
    assert (code, out) == (1, "")
    assert err == f"placeplanner: the audit chain is broken: entry {entry} was changed after it was written: its content no longer matches its hash"


@pytest.mark.parametrize("column", UNREADABLE)
def test_an_entry_edited_into_nonsense_is_named_not_a_traceback(plan: Path, column: str, capsys: pytest.CaptureFixture[str]) -> None:
    if column == "actor":  # the column is NOT NULL: a blank stands in for a wiped value
        _sql(plan, "UPDATE audit_log SET actor = '' WHERE id = 5")
    else:
        _sql(plan, f"UPDATE audit_log SET {column} = {UNREADABLE[column]} WHERE id = 5")
    code, _, err = _verify(plan, capsys)
    assert code == 1
    assert "entry 5 was changed after it was written" in err


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_editing_the_link_to_the_previous_entry_names_the_entry(plan: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    entry = _positions(plan)[where]
    _sql(plan, "UPDATE audit_log SET prev_hash = ? WHERE id = ?", "1" * 64, entry)
    code, _, err = _verify(plan, capsys)
    previous = "the start of the log" if entry == 1 else f"entry {entry - 1}"
    assert (code, err) == (1, f"placeplanner: the audit chain is broken: entry {entry} no longer links to {previous}: the chain is broken there")


def test_two_entries_swapped_break_the_link(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(plan)
    connection.execute("UPDATE audit_log SET id = -1 WHERE id = 10")
    connection.execute("UPDATE audit_log SET id = 10 WHERE id = 11")
    connection.execute("UPDATE audit_log SET id = 11 WHERE id = -1")
    connection.commit()
    connection.close()
    code, _, err = _verify(plan, capsys)
    assert (code, err) == (1, "placeplanner: the audit chain is broken: entry 10 no longer links to entry 9: the chain is broken there")


@pytest.mark.parametrize(("deleted", "message"), [
    ("id = 1", "entry 1 was removed (the log starts at entry 2)"),
    ("id = 100", "entry 100 was removed (the log goes from entry 99 to entry 101)"),
    ("id BETWEEN 100 AND 104", "entries 100 to 104 were removed (the log goes from entry 99 to entry 105)"),
])
def test_deleting_entries_names_the_first_missing(plan: Path, deleted: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(plan, f"DELETE FROM audit_log WHERE {deleted}")
    assert _verify(plan, capsys) == (1, "", f"placeplanner: the audit chain is broken: {message}")


@pytest.mark.parametrize("how_many", [1, 2, 5])
def test_deleting_the_last_entries_is_caught(plan: Path, how_many: int, capsys: pytest.CaptureFixture[str]) -> None:
    last = _count(plan)
    _sql(plan, "DELETE FROM audit_log WHERE id > ?", last - how_many)
    gone = f"entry {last} was" if how_many == 1 else f"entries {last - how_many + 1} to {last} were"
    assert _verify(plan, capsys) == (1, "", f"placeplanner: the audit chain is broken: the last entries were removed: "
                                            f"the log ends at entry {last - how_many} but its head says {last} ({gone} removed)")


def test_deleting_every_entry_is_caught(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = _count(plan)
    _sql(plan, "DELETE FROM audit_log")
    code, _, err = _verify(plan, capsys)
    assert (code, err) == (1, f"placeplanner: the audit chain is broken: the last entries were removed: the log is empty but its head says {last} (entries 1 to {last} were removed)")


@pytest.mark.parametrize("statement", ["DELETE FROM audit_head", "UPDATE audit_head SET last_hash = '" + "0" * 64 + "'",
                                       "UPDATE audit_head SET entries = entries - 1"])
def test_tampering_with_the_head_is_caught(plan: Path, statement: str, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(plan, statement)
    code, _, err = _verify(plan, capsys)
    assert code == 1
    assert "head" in err


def test_check_names_the_same_problem(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = _count(plan)
    _sql(plan, "DELETE FROM audit_log WHERE id = ?", last)
    assert main(["check", str(plan)]) == 1
    assert f"audit log: the last entries were removed: the log ends at entry {last - 1}" in capsys.readouterr().err


# --- reading -----------------------------------------------------------------------------------


def test_the_log_reads_as_a_table(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(plan)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "when", "who", "action", "what", "change"]
    assert len(lines) == 1 + _count(plan)
    assert "PlacePlanner demo  create  the plan for Riverside" in lines[1]
    assert any("option “Frailty virtual ward”" in line for line in lines)
    assert any(line.endswith("846 individual scores written") for line in lines)


def test_an_edit_reads_as_before_and_after(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import replace

    from placeplanner.model import OptionStatus
    from placeplanner.service import PlanService

    with PlanService.open(plan, actor="Asha Patel") as service:
        option = service.read().options[0]
        service.upsert(replace(option, status=OptionStatus.FUNDED, costs=tuple(replace(c, amount=c.amount + 50_000) for c in option.costs[:1])))
    main(["audit", str(plan)])
    last = capsys.readouterr().out.splitlines()[-1]
    assert "Asha Patel" in last
    assert "update  option “" in last
    assert "cost from " in last
    assert "→" in last


def test_since_keeps_the_entries_from_that_day_on(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(plan), "--since", "2000-01-01"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + _count(plan)
    assert main(["audit", str(plan), "--since", "2999-01-01T12:00"]) == 0
    assert capsys.readouterr().out == "No audit entries since 2999-01-01T12:00.\n"
    _sql(plan, "UPDATE audit_log SET at = '2099-01-02 10:00:00.000000' WHERE id > 10")
    main(["audit", str(plan), "--since", "2099-01-02", "--csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["id"]) for r in rows] == list(range(11, _count(plan) + 1))


def test_a_since_that_is_not_a_date_is_a_user_error(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(plan), "--since", "last tuesday"]) == 1
    assert capsys.readouterr().err == ("placeplanner: --since takes a date such as 2027-03-31 or a date and time such as "
                                       "2027-03-31T14:30, not 'last tuesday'\n")
    assert main(["audit", str(plan), "--verify", "--since", "2027-01-01"]) == 1
    assert "leave out --since" in capsys.readouterr().err


def test_verify_and_csv_together_is_a_usage_error(plan: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(plan), "--verify", "--csv"])
    assert exited.value.code == 2


def test_csv_carries_before_and_after_as_json(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(plan), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["id", "at", "actor", "action", "entity", "entity_key", "before", "after", "hash"]
    assert len(rows) == _count(plan)
    first = rows[0]
    assert (first["id"], first["action"], first["entity"], json.loads(first["before"])) == ("1", "create", "plan", None)
    assert json.loads(first["after"])["place"] == "Riverside"
    assert all(len(r["hash"]) == 64 for r in rows)


def test_a_missing_plan_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path / "nowhere.placeplan")]) == 1
    assert capsys.readouterr().err.startswith("placeplanner: there is no plan at ")


def test_audit_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--help"])
    assert exited.value.code == 0
    assert "--verify" in capsys.readouterr().out


def test_printing_a_log_with_an_unreadable_entry_says_so(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(plan) as connection:
        connection.execute("UPDATE audit_log SET after = '{not json' WHERE id = 2")
    assert main(["audit", str(plan)]) == 1
    assert "cannot be read: it was edited outside PlacePlanner" in capsys.readouterr().err
    assert main(["audit", str(plan), "--verify"]) == 1
    assert "entry 2" in capsys.readouterr().err
