"""Declarations of interest in a partner: an interest in an organisation covers every option it
leads (including options added after the declaration), in the optimiser's means, the quorum
counts, the live meeting and the register; a declaration about the option itself decides over it.
They are stored, renamed and deleted with their partner, imported and exported, and audited."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from placeplanner.errors import ValidationError
from placeplanner.io.exporting import plan_frames, write_tables
from placeplanner.io.importing import import_files
from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.submission import MeetingError
from placeplanner.model import (
    Cost,
    Declaration,
    DeclarationAction,
    Option,
    Participant,
    Partner,
    PlanInfo,
    record_key,
)
from placeplanner.model.interests import conflicted_pairs, covered_options
from placeplanner.model.validation import validate_plan
from placeplanner.service import PlanService
from placeplanner.service.allocation import individual_means
from placeplanner.service.audit_words import headline
from placeplanner.service.conflicts import register, scorer_counts
from placeplanner.storage import audit
from tests.conftest import small_plan
from tests.meeting.conftest import settings

COUNCIL = "Testford Council"
SCHOOLS, FALLS = "Healthy schools", "Falls service"  # led by the council and the ICB
HEALTH = "Improves population health"
IN_COUNCIL = Declaration("Grace Obi", "", "Councillor on the cabinet that would commission it", DeclarationAction.RECUSED,
                         partner=COUNCIL)


@pytest.fixture
def declared(service: PlanService) -> PlanService:
    """The small plan; Grace Obi has an interest in the council, and four people scored both options."""
    service.apply(small_plan())
    for name in ("Grace Obi", "Liam Hart"):
        service.upsert(Participant(name, COUNCIL))
    service.upsert(IN_COUNCIL)
    rows = [(who, option, 2.0 if who != "Grace Obi" else 10.0)
            for who in ("Asha Patel", "Tom Reid", "Liam Hart", "Grace Obi") for option in (SCHOOLS, FALLS)]
    frame = pd.DataFrame({"meeting": "Workshop", "participant": [r[0] for r in rows], "option": [r[1] for r in rows],
                          "value": HEALTH, "score": [r[2] for r in rows], "confidence": float("nan"),
                          "comment": "", "scored_at": pd.Timestamp("2027-03-10 10:00")})
    service.apply(replace(small_plan(), participants=()), scores_in=frame)
    return service


def test_an_interest_in_a_partner_covers_the_options_it_leads_and_no_others() -> None:
    leads = {SCHOOLS: COUNCIL, FALLS: "Testford ICB", "Youth hub": COUNCIL}
    assert conflicted_pairs([IN_COUNCIL], leads) == {("Grace Obi", SCHOOLS), ("Grace Obi", "Youth hub")}
    assert covered_options(IN_COUNCIL, leads) == (SCHOOLS, "Youth hub")


def test_a_declaration_about_the_option_itself_decides_over_the_partner() -> None:
    allowed_here = Declaration("Grace Obi", SCHOOLS, "Network-wide payment", DeclarationAction.ALLOWED, reason="No gain")
    leads = {SCHOOLS: COUNCIL, "Youth hub": COUNCIL}
    assert conflicted_pairs([IN_COUNCIL, allowed_here], leads) == {("Grace Obi", "Youth hub")}
    allowed_partner = replace(IN_COUNCIL, action=DeclarationAction.ALLOWED, reason="Not on the cabinet any more")
    recused_here = replace(allowed_here, action=DeclarationAction.RECUSED)
    assert conflicted_pairs([allowed_partner, recused_here], leads) == {("Grace Obi", SCHOOLS)}


def test_under_recuse_the_partners_options_lose_the_conflicted_scores(declared: PlanService) -> None:
    means = individual_means(declared)
    assert means[(SCHOOLS, HEALTH)] == pytest.approx(2.0)  # Grace's 10 left out: the council leads it
    assert means[(FALLS, HEALTH)] == pytest.approx(4.0)  # the ICB's option: her 10 counts
    frame = declared.scores_frame()
    counts = scorer_counts(declared.read(), zip(frame["participant"], frame["option"], strict=True))
    assert (counts[SCHOOLS].unconflicted, counts[SCHOOLS].conflicted) == (3, 1)
    assert (counts[FALLS].unconflicted, counts[FALLS].conflicted) == (4, 0)


def test_an_option_the_partner_takes_on_later_is_covered_too(declared: PlanService) -> None:
    declared.upsert(Option("Youth hub", COUNCIL, costs=(Cost("Inequalities fund", 2027, 50_000.0),)))
    frame = declared.scores_frame()
    counts = scorer_counts(declared.read(), [*zip(frame["participant"], frame["option"], strict=True), ("Grace Obi", "Youth hub")])
    assert counts["Youth hub"].conflicted == 1
    falls = next(o for o in declared.read().options if o.name == FALLS)
    declared.upsert(replace(falls, lead_partner=COUNCIL))
    assert individual_means(declared)[(FALLS, HEALTH)] == pytest.approx(2.0)


def test_the_register_names_the_partner(declared: PlanService) -> None:
    (line,) = register(declared.read())
    assert (line.about, line.lead_partner, line.conflict) == (f"All options led by {COUNCIL}", COUNCIL, True)
    assert (line.covers, line.in_partner) == ((SCHOOLS,), True)


def test_a_declaration_names_an_option_or_a_partner_that_exists(declared: PlanService) -> None:
    plan = declared.read()
    for wrong, column in ((replace(IN_COUNCIL, option=SCHOOLS), "option"), (replace(IN_COUNCIL, partner=""), "option"),
                          (replace(IN_COUNCIL, partner="Nowhere Trust"), "partner")):
        errors = validate_plan(replace(plan, declarations=(wrong,))).errors
        assert [e.column for e in errors] == [column], wrong
    with pytest.raises(ValidationError, match="Nowhere Trust"):
        declared.upsert(replace(IN_COUNCIL, participant="Liam Hart", partner="Nowhere Trust"))


def test_the_database_holds_one_subject_per_declaration(declared: PlanService) -> None:
    connection = sqlite3.connect(declared.path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        connection.execute("UPDATE declarations SET option_id = (SELECT min(id) FROM options)")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        connection.execute("UPDATE declarations SET partner_id = NULL")
    connection.close()


def test_renaming_the_partner_carries_the_declaration_and_deleting_it_takes_it_along(declared: PlanService) -> None:
    declared.rename("partners", COUNCIL, "Testford City Council")
    (declaration,) = declared.read().declarations
    assert declaration.partner == "Testford City Council"
    assert individual_means(declared)[(SCHOOLS, HEALTH)] == pytest.approx(2.0)
    declared.upsert(Partner("Riverside Trust", "NHS trust"))
    declared.upsert(replace(IN_COUNCIL, partner="Riverside Trust", participant="Liam Hart"))
    removed = declared.remove("partners", ("Riverside Trust",))
    assert [d.partner for d in removed.records.declarations] == ["Riverside Trust"]
    assert [d.participant for d in declared.read().declarations] == ["Grace Obi"]
    declared.restore(removed)
    assert len(declared.read().declarations) == 2


def test_removing_it_by_its_key_is_audited_in_words(declared: PlanService) -> None:
    declared.remove("declarations", record_key(IN_COUNCIL))
    assert declared.read().declarations == ()
    with declared.plan_file.reading() as session:
        entries = [e for e in audit.read_log(session) if e.entity == "declarations"]
    assert [headline(e) for e in entries] == [
        f"Added Grace Obi's interest in partner “{COUNCIL}” (every option it leads)",
        f"Deleted Grace Obi's interest in partner “{COUNCIL}” (every option it leads)",
    ]


def test_it_exports_and_imports_and_a_bad_row_is_named(declared: PlanService, tmp_path: Path) -> None:
    folder = write_tables(plan_frames(declared.read()), tmp_path / "tables")
    text = (folder / "declarations.csv").read_text()
    assert f",{COUNCIL}," in text
    with PlanService.create(tmp_path / "copy.placeplan", PlanInfo(place="Placeholder")) as copy:
        import_files(copy, [folder])
        assert copy.read().declarations == declared.read().declarations
        (folder / "declarations.csv").write_text(text.replace(",,Councillor", f",{SCHOOLS},Councillor"))
        with pytest.raises(ValidationError) as caught:
            import_files(copy, [folder])
        assert any("declarations.csv" in p.where and "not both" in p.message for p in caught.value.problems)
        (folder / "declarations.csv").write_text(text.replace(f",{COUNCIL},", ",,"))
        with pytest.raises(ValidationError, match="say which option, or which partner"):
            import_files(copy, [folder])
        assert copy.read().declarations == declared.read().declarations


def test_in_the_meeting_the_partners_options_are_recused(declared: PlanService) -> None:
    attendees = ("Asha Patel", "Tom Reid", "Grace Obi", "Liam Hart")
    live = LiveMeeting.open(declared.plan_file, declared.read(), settings(attendees=attendees), actor="Facilitator")
    live.go_to(SCHOOLS)
    assert live.conflicted(SCHOOLS) == {"Grace Obi"}
    assert live.conflicted(FALLS) == frozenset()
    with pytest.raises(MeetingError, match="declared an interest"):
        live.check_submission("Grace Obi", {"option": SCHOOLS, "scores": {HEALTH: {"score": 9}}})
    view = live.view_for("Grace Obi")
    assert view["recused"]
    assert view["declared"] == {SCHOOLS: f"{IN_COUNCIL.interest} (an interest in {COUNCIL})"}


def test_a_plan_from_schema_0005_keeps_its_declarations_on_upgrade(declared: PlanService) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from placeplanner.storage import schema

    path = declared.path
    declared.remove("declarations", record_key(IN_COUNCIL))
    declared.upsert(Declaration("Grace Obi", SCHOOLS, "Chairs a school governing body", DeclarationAction.RECUSED))
    before = declared.read().declarations
    declared.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0005")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        assert "partner_id" not in {r[1] for r in connection.execute("PRAGMA table_info(declarations)")}
    with PlanService.open(path) as upgraded:
        assert upgraded.read().declarations == before
        upgraded.upsert(replace(IN_COUNCIL, participant="Liam Hart"))
        assert len(upgraded.read().declarations) == 2


def test_the_register_and_the_audit_csv_keep_formulas_as_text(declared: PlanService, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from placeplanner.cli import main

    hostile = '=HYPERLINK("http://example.invalid","Click")'
    declared.upsert(replace(IN_COUNCIL, interest=hostile))
    declared.upsert(Participant("@Mallory", "-Acme"))
    path = declared.path
    declared.close()
    assert main(["conflicts", str(path), "--csv"]) == 0
    (row,) = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert row[5] == "'" + hostile
    assert main(["audit", str(path), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert any(r[5] == "'@Mallory" for r in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_a_live_meeting_takes_declarations_made_in_the_app_and_says_so_once(declared: PlanService) -> None:
    attendees = ("Asha Patel", "Tom Reid", "Grace Obi", "Liam Hart")
    live = LiveMeeting.open(declared.plan_file, declared.read(), settings(attendees=attendees), actor="Facilitator")
    heard: list[str] = []
    live.subscribe(heard.append)
    declared.upsert(Declaration("Liam Hart", FALLS, "Runs the falls clinic", DeclarationAction.RECUSED))
    live.use_declarations(declared.read())
    assert live.conflicted(FALLS) == {"Liam Hart"}
    live.use_declarations(declared.read())  # nothing new: nothing announced
    assert heard == ["declared"]
    declared.rename("partners", COUNCIL, "Testford City Council")
    live.use_declarations(declared.read())
    assert live.conflicted(SCHOOLS) == {"Grace Obi"}
