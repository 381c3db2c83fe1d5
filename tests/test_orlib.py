"""OR-Library multidimensional knapsack problems solved through our plan model.

Published optima are an outside check on the whole path: snapshot to model to solver and back.
The data sit in shared/benchmarks/orlib-mknap beside the repo (or $PLACEPLANNER_ORLIB_DIR);
without them these tests skip. ``benchmarks/orlib_solve.py`` solves every problem, with timings.
"""

from __future__ import annotations

from functools import cache

import pytest
from benchmarks.orlib import (
    Knapsack,
    data_dir,
    evaluate,
    item_index,
    load_set,
    parse_beasley,
    parse_mknap2,
    read_csv,
    to_engine_input,
)

from placeplanner.engine.greedy import greedy
from placeplanner.engine.solve import allocate
from placeplanner.engine.solvers import SolverSettings

SOLVERS = ("highs", "cbc")
MKNAP1_COUNT = 7
# mknap2 problems each solved in under 0.15 s by both solvers here (SENTO1/2 and PB5-7 take
# up to 0.5 s and are left to the benchmark script).
MKNAP2_FAST = (
    *(f"WEING{i}.DAT" for i in range(1, 9)),
    *(f"WEISH{i:02d}.DAT" for i in range(1, 31)),
    "PB1.DAT", "PB2.DAT", "PB4.DAT", "HP1.DAT", "HP2.DAT",
)
MKNAP2_CBC = ("WEING1.DAT", "WEING7.DAT", "WEISH01.DAT", "WEISH30.DAT", "PB1.DAT", "HP2.DAT")


@cache
def _problems(set_name: str) -> tuple[Knapsack, ...]:
    """Each set is parsed once per session."""
    return tuple(load_set(set_name))


def problems(set_name: str) -> tuple[Knapsack, ...]:
    """The set's problems; the data lives in tests/data, so a missing folder is a failure."""
    assert data_dir().is_dir(), f"OR-Library data folder not found at {data_dir()}"
    return _problems(set_name)


def table(filename: str) -> list[dict[str, str]]:
    """A derived CSV from the data folder."""
    assert (data_dir() / filename).is_file(), f"OR-Library table {filename} not found in {data_dir()}"
    return read_csv(filename)


def by_name(set_name: str, name: str) -> Knapsack:
    """One problem of a set by its name in the file."""
    return next(k for k in problems(set_name) if k.name == name)


def assert_solves_to_optimum(k: Knapsack, solver: str) -> None:
    """Optimal status, the published optimum, and a portfolio that really fits and earns it."""
    assert k.known_optimum is not None
    result = allocate(to_engine_input(k), SolverSettings(solver, time_limit=60, gap=0))
    assert result.status == "optimal", (k.name, solver, result.status)
    assert result.objective == pytest.approx(k.known_optimum, abs=1e-6), (k.name, solver)
    profit, fits = evaluate(k, [item_index(name) for name in result.selected_names])
    assert fits, (k.name, solver, "portfolio breaks a capacity")
    assert profit == pytest.approx(k.known_optimum, abs=1e-6), (k.name, solver)


# --- (a) mknap1 with both solvers ----------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("index", range(MKNAP1_COUNT))
def test_mknap1_reaches_published_optimum(index: int, solver: str) -> None:
    assert_solves_to_optimum(problems("mknap1")[index], solver)


def test_mknap1_optima_match_table() -> None:
    rows = table("mknap1_optima.csv")
    found = [(k.n_items, k.m_constraints) for k in problems("mknap1")]
    assert found == [(int(r["n_items"]), int(r["m_constraints"])) for r in rows]
    optima = [k.known_optimum for k in problems("mknap1")]
    assert optima == pytest.approx([float(r["optimum_in_file"]) for r in rows], abs=1e-6)


# --- (b) fast mknap2 problems --------------------------------------------------------------


@pytest.mark.parametrize("name", MKNAP2_FAST)
def test_mknap2_reaches_optimum_with_highs(name: str) -> None:
    assert_solves_to_optimum(by_name("mknap2", name), "highs")


@pytest.mark.parametrize("name", MKNAP2_CBC)
def test_mknap2_reaches_optimum_with_cbc(name: str) -> None:
    assert_solves_to_optimum(by_name("mknap2", name), "cbc")


# --- (c) the converter reads every problem at the published size ----------------------------


def test_mknap2_parses_every_listed_problem() -> None:
    rows = table("mknap2_optima.csv")
    found = [(k.name, k.n_items, k.m_constraints) for k in problems("mknap2")]
    assert len(found) == len(rows) == 48
    assert found == [(r["problem_name"], int(r["n_items"]), int(r["m_constraints"])) for r in rows]
    optima = [k.known_optimum for k in problems("mknap2")]
    assert optima == pytest.approx([float(r["optimum_in_file"]) for r in rows], abs=1e-6)


@pytest.mark.parametrize("set_name", ["mknapcb1", "mknapcb4"])
def test_chu_beasley_sets_parse_at_published_sizes(set_name: str) -> None:
    rows = [r for r in table("mkcbres_parsed.csv") if r["file"] == set_name]
    found = [(k.name, k.n_items, k.m_constraints, k.best_known) for k in problems(set_name)]
    expected = [(r["cb_name"], int(r["n"]), int(r["m"]), float(r["chu_beasley_1998_best_feasible"])) for r in rows]
    assert len(found) == len(rows) == 30
    assert found == expected
    assert all(k.known_optimum is None for k in problems(set_name))  # the files say 0: unknown


def test_every_problem_is_well_formed() -> None:
    for set_name in ("mknap1", "mknap2", "mknapcb1", "mknapcb4"):
        for k in problems(set_name):
            assert len(k.weights) == k.m_constraints, k.name
            assert all(len(row) == k.n_items for row in k.weights), k.name
            assert k.target is not None, k.name
            assert k.target > 0, k.name


def test_converter_makes_one_option_per_item_and_one_unit_stream_per_constraint() -> None:
    k = problems("mknap1")[0]
    inp = to_engine_input(k)
    assert [o.value for o in inp.options] == list(k.profits)
    assert all(o.kind == "invest" and o.lead_partner == "OR-Library" and len(o.levels) == 1 for o in inp.options)
    assert [(s.name, s.unit, s.amounts) for s in inp.streams] == [(f"c{i}", "units", ((2027, c),)) for i, c in enumerate(k.capacities)]
    assert not any(s.is_money for s in inp.streams)
    charged = {(o.name, stream): amount for o in inp.options for stream, _, amount in o.costs}
    assert all(amount != 0 for amount in charged.values())
    assert sum(charged.values()) == pytest.approx(sum(map(sum, k.weights)))
    assert inp.rules == ()
    assert inp.years == (2027,)


def test_parsers_read_wrapped_lines_and_comments_and_refuse_short_data() -> None:
    text = "junk\n problem TINY.DAT\n +++\n 1 3 // 1 knapsack, 3 objects\n 5 4\n 3\n 10\n 2 3 4.5\n\n 9\n +++\n"
    (tiny,) = parse_mknap2(text)
    assert (tiny.name, tiny.profits, tiny.capacities, tiny.weights, tiny.known_optimum) == ("TINY.DAT", (5.0, 4.0, 3.0), (10.0,), ((2.0, 3.0, 4.5),), 9.0)
    with pytest.raises(ValueError, match=r"TINY\.DAT"):
        parse_mknap2(text.replace(" 9\n", ""))
    (same,) = parse_beasley("1\n3 1 9\n5 4 3\n2 3\n4.5 10", "x")
    assert (same.profits, same.weights, same.capacities, same.known_optimum) == (tiny.profits, tiny.weights, tiny.capacities, 9.0)
    with pytest.raises(ValueError, match="expected"):
        parse_beasley("1\n3 1 0\n5 4 3\n2 3", "x")


# --- (d) the ranking never beats the optimum -----------------------------------------------


@pytest.mark.parametrize("index", range(MKNAP1_COUNT))
def test_greedy_stays_at_or_below_optimum(index: int) -> None:
    k = problems("mknap1")[index]
    result = greedy(to_engine_input(k))
    assert k.known_optimum is not None
    assert result.objective <= k.known_optimum + 1e-6
    profit, fits = evaluate(k, [item_index(name) for name in result.selected])
    assert fits
    assert profit == pytest.approx(result.objective, abs=1e-6)
