"""Decisions on the record: taken against an immutable stored result, refused whole when wrong,
audited, kept unchanged by the file itself, and re-derivable by re-solving their snapshot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from placeplanner.cli import main
from placeplanner.demo import DECISION_TITLE, WORKSHOP
from placeplanner.errors import ValidationError
from placeplanner.service import PlanService
from placeplanner.service.allocation import solve_plan
from placeplanner.service.decisions import portfolio, reproduce


@pytest.fixture
def demo(demo_copy: Path) -> Path:
    return demo_copy


def test_the_demo_carries_the_workshops_decision_and_it_re_derives(demo: Path) -> None:
    with PlanService.open(demo) as service:
        (decision,) = service.decisions()
        assert decision.title == DECISION_TITLE
        assert decision.meeting == WORKSHOP
        assert "Frailty virtual ward" in decision.option_notes
        again = reproduce(service, decision.id)
        assert again.same_portfolio
        assert again.differences == []
        assert portfolio(again.stored)["Reablement at home"] == "Half"


def test_a_refused_decision_writes_nothing(demo: Path) -> None:
    with PlanService.open(demo) as service:
        entries = len(service.audit_log())
        with pytest.raises(ValidationError) as refused:
            service.record_decision(result_id=999, title=" ", rationale="", meeting="No such meeting",
                                    option_notes={"Not an option": "x"})
        words = " ".join(str(problem) for problem in refused.value.problems)
        for part in ("no stored result 999", "title", "rationale", "'No such meeting' is not in the plan"):
            assert part in words
        assert len(service.decisions()) == 1
        assert len(service.audit_log()) == entries


def test_a_decision_is_audited_in_its_own_transaction(demo: Path) -> None:
    with PlanService.open(demo) as service:
        report = solve_plan(service, "Ignore fairness rules")
        assert report.snapshot_id is not None
        decision_id = service.record_decision(result_id=report.snapshot_id, title="Without the minimums",
                                              rationale="For comparison only", option_notes={"Falls response car": "kept"})
        last = service.audit_log()[-1]
        assert (last.action, last.entity, last.entity_key) == ("decide", "decisions", str(decision_id))
        assert last.after["rationale"] == "For comparison only"
        assert service.decisions()[-1].scenario == "Ignore fairness rules"


@pytest.mark.parametrize("sql", [
    "UPDATE results SET result = '{}'",
    "UPDATE results SET inputs = '{}'",
    "UPDATE decisions SET rationale = 'rewritten'",
    "UPDATE decisions SET result_id = 1",
    "DELETE FROM decisions",
    "DELETE FROM results",
])
def test_the_file_refuses_to_change_a_decision_or_its_result(demo: Path, sql: str) -> None:
    with sqlite3.connect(demo) as connection, pytest.raises(sqlite3.IntegrityError, match="cannot be"):
        connection.execute(sql)


def test_a_meeting_a_decision_names_cannot_be_removed(demo: Path) -> None:
    with PlanService.open(demo) as service:
        entries = len(service.audit_log())
        with pytest.raises(ValidationError, match="is named by decision 1 on the record"):
            service.remove("meetings", (WORKSHOP,))
        (decision,) = service.decisions()
        assert decision.meeting == WORKSHOP
        assert len(service.audit_log()) == entries


def test_a_result_stopped_by_its_time_limit_cannot_be_adopted(demo: Path) -> None:
    with PlanService.open(demo) as service:
        stopped = {"status": "stopped", "selected": [], "scenario": ""}
        result_id = service.record_result(scenario="", solver="cbc", inputs={"snapshot": {}}, result=stopped)
        with pytest.raises(ValidationError, match="not optimal or within its gap"):
            service.record_decision(result_id=result_id, title="t", rationale="r")


def test_the_command_line_decides_and_verifies(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["decide", str(demo), "--title", "Second look", "--rationale", "After the September board",
                 "--meeting", WORKSHOP, "--note", "Falls response car=Cheap and effective"])
    assert code == 0
    assert "Decision 2 recorded: 'Second look', adopting result 2" in capsys.readouterr().out
    assert main(["decisions", str(demo), "--verify"]) == 0
    out = capsys.readouterr().out
    assert out.count("Re-solved from its snapshot: the same portfolio.") == 2
    assert main(["decide", str(demo), "--title", "x", "--rationale", "y", "--note", "no equals sign"]) == 1
    assert "write it as OPTION=TEXT" in capsys.readouterr().err
    with PlanService.open(demo) as service:
        results = service.summary().counts["results"]
    assert main(["decide", str(demo), "--title", "x", "--rationale", " ", "--meeting", WORKSHOP]) == 1
    assert "rationale: is empty" in capsys.readouterr().err
    with PlanService.open(demo) as service:
        assert service.summary().counts["results"] == results  # refused before anything was solved
