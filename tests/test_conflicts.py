"""Conflicts of interest applied wherever a judgement is made: a recused participant's scores never
reach a mean, a spread or the optimiser's values under the strict policy; they count, marked, under
the permissive one; each option's unconflicted scorers are counted against the quorum; the
register is printed and exported as a board expects it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from placeplanner.cli import main
from placeplanner.model import Declaration, DeclarationAction, Participant
from placeplanner.model.validation import validate_plan
from placeplanner.service import PlanService
from placeplanner.service.allocation import individual_means, score_spreads, snapshot_plan
from placeplanner.service.conflicts import REGISTER_COLUMNS, counted_scores, register, scorer_counts
from tests.conftest import small_plan

OPTION, VALUE = "Healthy schools", "Reduces inequalities"


@pytest.fixture
def scored(service: PlanService) -> PlanService:
    """Healthy schools scored 2 by three unconflicted people and 10 by Grace, who declared an interest."""
    service.apply(small_plan())
    for name in ("Grace Obi", "Liam Hart"):
        service.upsert(Participant(name, "Testford Council"))
    service.upsert(Declaration("Grace Obi", OPTION, "Chairs a school governing body", DeclarationAction.RECUSED))
    rows = [("Asha Patel", 2.0), ("Tom Reid", 2.0), ("Liam Hart", 2.0), ("Grace Obi", 10.0)]
    frame = pd.DataFrame({"meeting": "Workshop", "participant": [r[0] for r in rows], "option": OPTION,
                          "value": VALUE, "score": [r[1] for r in rows], "confidence": float("nan"),
                          "comment": "", "scored_at": pd.Timestamp("2027-03-10 10:00")})
    service.apply(replace(small_plan(), participants=()), scores_in=frame)
    return service


def test_under_recuse_a_conflicted_score_reaches_no_mean_nor_spread(scored: PlanService) -> None:
    assert scored.read().info.conflict_policy == "recuse"
    assert individual_means(scored)[(OPTION, VALUE)] == pytest.approx(2.0)
    inp = snapshot_plan(scored)
    index = inp.value_names.index(VALUE)
    assert len(score_spreads(scored, inp)[(OPTION, index)]) == 3
    assert "Grace Obi" not in set(counted_scores(scored.scores_frame(), scored.read())["participant"])


def test_under_flag_it_counts(scored: PlanService) -> None:
    plan = scored.read()
    scored.update_info(replace(plan.info, conflict_policy="flag"))
    assert individual_means(scored)[(OPTION, VALUE)] == pytest.approx(4.0)


def test_an_allowed_interest_is_not_a_conflict(scored: PlanService) -> None:
    declaration = next(d for d in scored.read().declarations if d.participant == "Grace Obi")
    scored.upsert(replace(declaration, action=DeclarationAction.ALLOWED, reason="Governor of a school outside the programme"))
    assert individual_means(scored)[(OPTION, VALUE)] == pytest.approx(4.0)


def test_unconflicted_scorers_are_counted_against_the_quorum(scored: PlanService) -> None:
    plan = scored.read()
    frame = scored.scores_frame()
    counts = scorer_counts(plan, zip(frame["participant"], frame["option"], strict=True))
    assert (counts[OPTION].unconflicted, counts[OPTION].conflicted) == (3, 1)
    assert counts[OPTION].below_quorum is False  # quorum 3
    scored.update_info(replace(plan.info, quorum=4))
    counts = scorer_counts(scored.read(), zip(frame["participant"], frame["option"], strict=True))
    assert counts[OPTION].below_quorum
    assert counts[OPTION].words() == "3 unconflicted scorers: below the quorum of 4"
    assert sorted(scored.scorers_of(OPTION)) == ["Asha Patel", "Grace Obi", "Liam Hart", "Tom Reid"]


def test_allowing_without_a_reason_is_warned(scored: PlanService) -> None:
    plan = scored.read()
    declaration = next(d for d in plan.declarations if d.participant == "Grace Obi")
    allowed = replace(plan, declarations=(replace(declaration, action=DeclarationAction.ALLOWED),))
    assert any("does not record why" in str(w) for w in validate_plan(allowed).warnings)


def test_the_register_prints_and_exports(scored: PlanService, plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = register(scored.read())
    assert (line.participant, line.organisation, line.about, line.action) == (
        "Grace Obi", "Testford Council", OPTION, "recused: did not score")
    scored.close()
    assert main(["conflicts", str(plan_path)]) == 0
    out = capsys.readouterr().out
    assert "1 declared interest; policy: recuse" in out
    assert "Grace Obi (Testford Council) in 'Healthy schools'" in out
    assert main(["conflicts", str(plan_path), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == REGISTER_COLUMNS
    assert rows[1][:4] == ["Grace Obi", "Testford Council", "", OPTION]
