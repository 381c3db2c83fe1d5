"""Every table goes out to CSV and to a workbook and comes back as the same plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeplanner.io.exporting import plan_frames, write_tables
from placeplanner.io.importing import import_files
from placeplanner.io.tables import TABLES
from placeplanner.model import (
    AgreedScore,
    Cost,
    Declaration,
    DeclarationAction,
    FundingStream,
    Level,
    Meeting,
    Need,
    Option,
    OptionKind,
    Participant,
    Partner,
    PlanData,
    PlanInfo,
    Rule,
    RuleMeasure,
    ScalePoint,
    Scenario,
    Value,
    WeightSet,
    WeightSetKind,
)
from placeplanner.service import PlanService
from tests.conftest import small_plan


def round_trip(plan: PlanData, scores: pd.DataFrame | None, out: Path, workdir: Path) -> tuple[PlanData, pd.DataFrame]:
    source = workdir / "source.placeplan"
    with PlanService.create(source, plan.info) as service:
        service.apply(plan, take_info=True, scores_in=scores)
        original = service.read()
        original_scores = service.scores_frame()
        write_tables(plan_frames(original, original_scores), out)
    copy = workdir / "copy.placeplan"
    with PlanService.create(copy, PlanInfo(place="Placeholder")) as service:
        import_files(service, [out])
        again, again_scores = service.read(), service.scores_frame()
    assert again == original
    pd.testing.assert_frame_equal(again_scores, original_scores, check_dtype=False)
    return again, again_scores


def test_demo_plan_round_trips_through_csv_and_workbook(tmp_path: Path) -> None:
    from placeplanner.demo import demo_plan

    plan, scores = demo_plan()
    for index, out in enumerate([tmp_path / "csv", tmp_path / "plan.xlsx"]):
        work = tmp_path / f"w{index}"
        work.mkdir()
        again, again_scores = round_trip(plan, scores, out, work)
        assert len(again.options) >= 25
        assert len(again_scores) == len(scores)


def test_every_table_of_the_contract_is_written(tmp_path: Path) -> None:
    out = write_tables(plan_frames(small_plan()), tmp_path / "out")
    assert sorted(p.stem for p in out.iterdir()) == sorted(TABLES)


names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 &'-()£é", min_size=1, max_size=20).map(str.strip).filter(bool)
amounts = st.floats(min_value=0, max_value=5e7, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def plans(draw: st.DrawFn) -> tuple[PlanData, pd.DataFrame]:
    unique = st.lists(names, min_size=1, max_size=4, unique_by=str.casefold)
    partner_names = draw(unique)
    stream_names = draw(unique)
    need_names = draw(st.lists(names, max_size=3, unique_by=str.casefold))
    value_names = draw(unique)
    option_names = draw(unique)
    people = draw(st.lists(names, min_size=1, max_size=3, unique_by=str.casefold))
    years = (2027, 2028)
    streams = tuple(
        FundingStream(n, draw(st.sampled_from(partner_names)), tuple((y, draw(amounts)) for y in years),
                      draw(st.sampled_from(["GBP", "staff hours"])), draw(st.sampled_from([(), ("kind:invest",)])))
        for n in stream_names
    )
    values = tuple(
        Value(n, draw(st.integers(0, 100)), 0, draw(st.sampled_from([5, 10])), draw(st.sampled_from(["", "Described"])),
              (ScalePoint(0, "None"), ScalePoint(5, "Some")))
        for n in value_names
    )
    options = []
    for i, name in enumerate(option_names):
        costs = tuple(
            Cost(s, y, draw(st.floats(-2e6, 2e6, allow_nan=False).map(lambda x: round(x, 2)).filter(lambda x: x != 0)))
            for s in draw(st.lists(st.sampled_from(stream_names), unique=True, max_size=2)) for y in years
        )
        earlier = option_names[:i]
        requires = tuple(draw(st.lists(st.sampled_from(earlier), unique=True, max_size=1))) if earlier else ()
        options.append(Option(
            name, draw(st.sampled_from(partner_names)), draw(st.sampled_from(list(OptionKind))), costs,
            draw(st.sampled_from([(), (Level("Half", 0.5, 0.6), Level("Full", 1.0, 1.0))])),
            needs=tuple(draw(st.lists(st.sampled_from(need_names), unique=True, max_size=2))) if need_names else (),
            tags=tuple(draw(st.lists(st.sampled_from(["prevention", "digital", "inequalities"]), unique=True, max_size=2))),
            requires=requires, mandatory=draw(st.booleans()), people_reached=draw(st.none() | st.integers(0, 10**6)),
        ))
    agreed = tuple(
        AgreedScore(o.name, v.name, draw(st.integers(0, int(v.scale_max))), draw(st.sampled_from(["", "Agreed after discussion"])))
        for o in options for v in values if draw(st.booleans())
    )
    plan = PlanData(
        info=PlanInfo(place=draw(names), start_year=2027, years=2),
        partners=tuple(Partner(n, draw(st.sampled_from(["", "ICB", "council"]))) for n in partner_names),
        funding_streams=streams,
        needs=tuple(Need(n, draw(st.none() | st.integers(0, 10**6)), draw(st.sampled_from([1.0, 2.5]))) for n in need_names),
        values=values,
        options=tuple(options),
        participants=tuple(Participant(n, draw(st.sampled_from(partner_names))) for n in people),
        declarations=(Declaration(people[0], options[0].name, "Leads the provider", DeclarationAction.RECUSED),
                      Declaration(people[0], "", "Sits on its board", DeclarationAction.RECUSED, partner=partner_names[0])),
        meetings=(Meeting("Workshop"),),
        agreed_scores=agreed,
        weight_sets=(WeightSet("Group", WeightSetKind.GROUP, tuple((v.name, 1.0) for v in values)),),
        rules=(Rule("Some prevention", "kind:invest", RuleMeasure.COUNT, minimum=0, maximum=draw(st.none() | st.integers(1, 5))),),
        scenarios=(Scenario("Cut", "Ten per cent less", {"budget_factor": 0.9}),),
    )
    scores = pd.DataFrame(
        [
            {"meeting": "Workshop", "participant": p, "option": o.name, "value": v.name,
             "score": draw(st.none() | st.integers(0, int(v.scale_max)).map(float)),
             "confidence": draw(st.none() | st.sampled_from([0.5, 1.0])), "comment": draw(st.sampled_from(["", "Unsure, <b>really</b>"])),
             "scored_at": pd.Timestamp("2027-03-10 10:15:00")}
            for p in people for o in options[:2] for v in values
        ]
    )
    return plan, scores


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=plans(), as_workbook=st.booleans())
def test_random_plans_round_trip(tmp_path_factory: pytest.TempPathFactory, data: tuple[PlanData, pd.DataFrame], as_workbook: bool) -> None:
    plan, scores = data
    work = tmp_path_factory.mktemp("rt")
    round_trip(plan, scores, work / ("plan.xlsx" if as_workbook else "csv"), work)


def test_the_documented_table_contract_is_current() -> None:
    from placeplanner.io.tables import markdown

    documented = (Path(__file__).parents[1] / "docs" / "tables.md").read_text(encoding="utf-8")
    assert documented == markdown(), "docs/tables.md is stale: run python -m placeplanner.io.tables > docs/tables.md"
