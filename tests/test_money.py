import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeplanner.money import format_money, parse_money, parse_year, year_label


@pytest.mark.parametrize(
    ("amount", "text"),
    [(350_000, "£350k"), (1_200_000, "£1.2m"), (-80_000, "-£80k"), (999, "£999"), (2_000_000, "£2m"), (12_500, "£12.5k"), (8_610_960_000, "£8.61bn")],
)
def test_money_reads_as_finance_teams_write_it(amount: float, text: str) -> None:
    assert format_money(amount) == text


def test_other_units_are_not_pounds() -> None:
    assert format_money(1200, "staff hours") == "1,200 staff hours"


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
    [("£1.2m", 1_200_000), ("350k", 350_000), ("1,200,000", 1_200_000), ("-£80k", -80_000), ("£-80k", -80_000), ("12.5", 12.5), ("£2bn", 2e9)],
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
