import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeplanner.money import (
    Reconciliation,
    column_in_millions,
    format_besides,
    format_costs,
    format_exact_money,
    format_money,
    format_money_in_millions,
    format_signed_money,
    format_signed_number,
    over_years,
    parse_money,
    parse_year,
    year_label,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(350_000, "£350k"), (1_200_000, "£1.20m"), (-80_000, "\u2212£80k"), (999, "£999"), (2_000_000, "£2.00m"), (12_500, "£13k"),
     (9_500, "£9.5k"), (1_855_000, "£1.86m"), (1_845_000, "£1.85m"), (999_600, "£1.00m"), (999.6, "£1.0k"), (9_960, "£10k"),
     (0.4, "£0"), (-0.4, "£0"), (8_610_960_000, "£8.61bn")],
)
def test_money_reads_as_finance_teams_write_it(amount: float, text: str) -> None:
    assert format_money(amount) == text


def test_other_units_are_not_pounds() -> None:
    assert format_money(1200, "staff hours") == "1,200 staff hours"
    assert format_money(-12.5, "beds") == "\u221213 beds"


def test_money_and_other_resources_are_written_side_by_side_never_summed() -> None:
    assert format_costs({"staff hours": 1800, "GBP": 380_000}) == "£380k + 1,800 staff hours"
    assert format_costs({"GBP": 0.0, "beds": 0.0}) == "£0"


def test_a_reconciliation_adds_up_in_words() -> None:
    words = Reconciliation(budget=13_850_000, released=2_060_000, spent=14_870_000).words()
    assert words == ("Budget £13.85m + £2.06m released by decommissions = £15.91m available; £14.87m spent; "
                     "£1.04m left.")
    assert Reconciliation(1_000_000, 0, 1_200_000).words() == "Budget £1.00m; £1.20m spent; £200k over."


def test_a_change_of_money_carries_its_sign() -> None:
    assert [format_signed_money(a) for a in (80_000, -80_000, 0.0)] == ["+£80k", "\u2212£80k", "£0"]


@pytest.mark.parametrize("text", ["2027/28", "2027-28", "2027", "FY2027", "2027/2028", " 2027 / 28 "])
def test_financial_years_parse(text: str) -> None:
    assert parse_year(text) == 2027


@pytest.mark.parametrize("text", ["2027/29", "next year", "27/28", ""])
def test_bad_financial_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"financial year"):
        parse_year(text)


def test_year_label_crosses_the_century() -> None:
    assert year_label(2099) == "2099/00"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("£1.2m", 1_200_000), ("\u2212£80k", -80_000), ("350k", 350_000), ("1,200,000", 1_200_000), ("-£80k", -80_000), ("£-80k", -80_000), ("12.5", 12.5), ("£2bn", 2e9)],
)
def test_money_parses_as_people_type_it(text: str, amount: float) -> None:
    assert parse_money(text) == amount


@pytest.mark.parametrize("text", ["abc", "1.2.3m", "£", "", "1m2"])
def test_text_that_is_not_money_is_refused_by_name(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount of money"):
        parse_money(text)


@given(st.integers(min_value=-10**10, max_value=10**10))
def test_formatted_whole_pounds_parse_back(amount: float) -> None:
    assert parse_money(f"{amount:,.0f}") == amount


def test_a_release_of_money_and_hours_reads_as_one_release() -> None:
    assert format_costs({"GBP": -240_000, "staff hours": -1_600}) == "\u2212£240k \u2212 1,600 staff hours"
    assert format_costs({"GBP": 0.0, "staff hours": 900}) == "900 staff hours"


def test_exact_money_is_to_the_pound_with_the_true_minus() -> None:
    assert format_exact_money(2_500_000) == "£2,500,000"
    assert format_exact_money(-80_000) == "\u2212£80,000"
    assert parse_money(format_exact_money(-80_000)) == -80_000


def test_the_plan_span_in_words() -> None:
    assert over_years((2027, 2028)) == "over 2027/28 to 2028/29"
    assert over_years((2027,)) == "in 2027/28"


def test_a_reconciliation_fits_a_projector_line_and_names_asks() -> None:
    money = Reconciliation(budget=13_850_000, released=2_060_000, spent=14_870_000)
    assert money.short_words() == "£13.85m budget + £2.06m released = £15.91m available · £14.87m spent · £1.04m left"
    assert Reconciliation(1_000_000, 0, 1_200_000).words("asked") == "Budget £1.00m; £1.20m asked; £200k over."


def test_a_change_of_points_carries_its_sign_too() -> None:
    assert [format_signed_number(n, 1) for n in (71.25, -34.7, 0.04)] == ["+71.3", "\u221234.7", "0.0"]
    assert format_signed_number(-1_206.4) == "\u22121,206"


def test_a_table_column_of_millions_keeps_one_scale() -> None:
    column = [95_000, 1_010_000, 2_180_000, 600_000, 0.0, 1_000]
    assert column_in_millions(column)
    assert [format_money_in_millions(a) for a in column] == ["£0.10m", "£1.01m", "£2.18m", "£0.60m", "£0", "£0.00m"]
    assert format_money_in_millions(-240_000) == "\u2212£0.24m"
    assert not column_in_millions([95_000, 600_000])


def test_other_resources_beneath_money_carry_their_own_sign() -> None:
    assert format_besides({"staff hours": 1800}) == "+ 1,800 staff hours"
    assert format_besides({"staff hours": -1600, "beds": -12}) == "\u2212 12 beds \u2212 1,600 staff hours"
    assert format_besides({"beds": 0.0}) == ""
