"""Generated allocation problems of a given size, for the engine benchmark."""

from __future__ import annotations

import random

from placeplanner.engine.snapshot import EngineInput, LevelIn, OptionIn, RuleIn, StreamIn

YEARS = (2027, 2028, 2029)
FULL = (LevelIn("Full", 1.0, 1.0),)
HALVES = (LevelIn("Half", 0.5, 0.6), LevelIn("Full", 1.0, 1.0))


def generated_input(options: int, *, seed: int = 7) -> EngineInput:
    """6 streams over 3 years (one ring-fenced), 5% of options requiring another, a few excludes,
    levels and decommissions, and two rules; budgets hold about 40% of what is asked."""
    rng = random.Random(seed)
    names = [f"Option {i:05d}" for i in range(options)]
    streams_named = [f"Stream {i}" for i in range(1, 7)]
    built = []
    asked = dict.fromkeys(((s, y) for s in streams_named for y in YEARS), 0.0)
    for i, name in enumerate(names):
        kind = "decommission" if rng.random() < 0.05 else rng.choice(["invest", "expand", "redesign"])
        costs = []
        for stream in rng.sample(streams_named, rng.choice([1, 1, 2])):
            base = rng.randrange(50_000, 2_000_000, 1_000)
            setup = rng.random() < 0.3
            for year in YEARS:
                amount = float(base * (1.5 if setup and year == YEARS[0] else 1.0))
                if kind == "decommission":
                    amount = -amount / 2
                else:
                    asked[(stream, year)] += amount
                costs.append((stream, year, amount))
        requires = (names[rng.randrange(i)],) if i and rng.random() < 0.05 else ()
        excludes = (names[rng.randrange(i)],) if i and rng.random() < 0.01 else ()
        built.append(OptionIn(
            name=name, kind=kind, lead_partner=f"Partner {rng.randint(1, 6)}", value=round(rng.uniform(5, 100), 2),
            costs=tuple(costs), levels=HALVES if rng.random() < 0.1 else FULL, requires=requires,
            excludes=excludes if not set(excludes) & set(requires) else (),
            tags=tuple(t for t in ("prevention", "inequalities") if rng.random() < 0.3),
        ))
    streams = tuple(
        StreamIn(s, f"Partner {k}", "GBP", tuple((y, round(0.4 * asked[(s, y)], -3)) for y in YEARS),
                 ("tag:inequalities",) if k == 6 else ())
        for k, s in enumerate(streams_named, start=1)
    )
    rules = (
        RuleIn("Some prevention", "tag", "prevention", "count", options // 20, None),
        RuleIn("Cap on expansions", "kind", "expand", "count", None, options // 4),
    )
    return EngineInput("Generated", YEARS, tuple(built), streams, rules)
