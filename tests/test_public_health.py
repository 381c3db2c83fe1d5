"""Real Fingertips and ONS downloads (samples in tests/data, sources in tests/data/SOURCES.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from placeplanner.errors import ValidationError
from placeplanner.io import public_health
from placeplanner.io.importing import ImportOptions, import_files
from placeplanner.service import PlanService
from tests.conftest import content_of

DATA = Path(__file__).parent / "data"
FINGERTIPS_27 = DATA / "fingertips_sample_90362_from_fingertipsR_README.csv"
FINGERTIPS_26_HEADER = DATA / "fingertips_export_header_2020_26cols.csv"
ONS_WIDE = DATA / "ons_mye_mid2020_ltla21_persons_single_year_of_age_EW_demographr.csv"
ONS_LONG = DATA / "ons_mye_mid2023_uk_countries_by_sex_age_NHSRdatasets.csv"


def test_shapes_are_recognised_by_their_columns() -> None:
    assert public_health.detect(public_health.read_header(FINGERTIPS_27)) == "fingertips"
    assert public_health.detect(public_health.read_header(FINGERTIPS_26_HEADER)) == "fingertips"
    assert public_health.detect(public_health.read_header(ONS_WIDE)) == "ons-wide"
    assert public_health.detect(public_health.read_header(ONS_LONG)) == "ons-long"


def test_a_27_column_fingertips_export_imports_with_its_comparison(service: PlanService) -> None:
    import_files(service, [FINGERTIPS_27], ImportOptions(need="Falls in older people"))
    indicators = service.read().indicators
    assert len(indicators) == 6
    north_east = next(i for i in indicators if i.area_code == "E12000001")
    assert north_east.name == "Healthy life expectancy at birth"
    assert north_east.value == pytest.approx(59.71114)
    assert (north_east.lower_ci, north_east.upper_ci) == (pytest.approx(59.19049), pytest.approx(60.23179))
    assert north_east.compared == "Worse"
    assert (north_east.period, north_east.sex, north_east.need) == ("2009 - 11", "Male", "Falls in older people")
    assert north_east.source == "OHID Fingertips"


def test_a_26_column_export_matches_columns_by_name(service: PlanService, tmp_path: Path) -> None:
    header = FINGERTIPS_26_HEADER.read_text().strip().split(",")
    row = dict.fromkeys(header, "")
    row.update({"Indicator ID": "93014", "Indicator Name": "Emergency hospital admissions due to falls",
                "Area Code": "E06000047", "Area Name": "County Durham", "Time period": "2022/23", "Value": "2302.5",
                "Sex": "Persons", "Age": "65+ yrs", "Compared to Region value or percentiles": "Similar"})
    path = tmp_path / "falls.csv"
    pd.DataFrame([row], columns=header).to_csv(path, index=False)
    import_files(service, [path], ImportOptions(area="County Durham"))
    (indicator,) = service.read().indicators
    assert (indicator.value, indicator.compared, indicator.area_code) == (2302.5, "Similar", "E06000047")


def test_fingertips_area_filter_by_code(service: PlanService) -> None:
    import_files(service, [FINGERTIPS_27], ImportOptions(area="E92000001"))
    assert {i.sex for i in service.read().indicators} == {"Male", "Female"}


def test_a_bad_value_in_a_fingertips_file_is_named(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    shutil.copy(FINGERTIPS_27, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "Value"] = "sixty"
    frame.to_csv(path, index=False)
    before = content_of(service.path)
    with pytest.raises(ValidationError, match=r"^export.csv, row 4, column 'Value': 'sixty' is not a number$"):
        import_files(service, [path])
    assert content_of(service.path) == before


def test_ons_wide_table_for_one_area(service: PlanService) -> None:
    import_files(service, [ONS_WIDE], ImportOptions(area="Hartlepool"))
    rows = service.read().population
    assert len(rows) == 92  # all ages, 0 to 89, and 90+
    total = next(r for r in rows if r.age == "all")
    assert (total.area_code, total.year, total.count) == ("E06000001", 2020, 93836.0)
    assert sum(r.count for r in rows if r.age != "all") == total.count


def test_ons_wide_table_for_every_area_sums_to_the_published_total(service: PlanService) -> None:
    import_files(service, [ONS_WIDE])
    rows = service.read().population
    assert len({r.area_code for r in rows}) == 331
    assert sum(r.count for r in rows if r.age == "all") == 59_719_724


def test_ons_long_table(service: PlanService) -> None:
    import_files(service, [ONS_LONG], ImportOptions(area="ENGLAND"))
    rows = service.read().population
    assert {r.sex for r in rows} == {"females", "males"}
    assert {r.year for r in rows} == {2023}


def test_an_ons_file_without_a_year_asks_for_one(service: PlanService, tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    shutil.copy(ONS_WIDE, path)
    with pytest.raises(ValidationError, match=r"does not say which mid-year it estimates; give the year"):
        import_files(service, [path])
    import_files(service, [path], ImportOptions(area="Darlington", year=2020))
    assert len(service.read().population) == 92


def test_an_area_with_no_rows_is_named(service: PlanService) -> None:
    with pytest.raises(ValidationError, match=r"has no rows for area 'Atlantis'"):
        import_files(service, [ONS_WIDE], ImportOptions(area="Atlantis"))
