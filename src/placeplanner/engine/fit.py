"""Does a set of options fit the budgets? Arithmetic, no solver: for the greedy ranking.

A running ledger of what the chosen options ask of each stream and year, so trying one more
option costs a few additions, not a pass over everything chosen. Pooled money is checked by the
same Hall's condition the model uses: for every union of eligible-stream sets, what options that
can draw only on it ask is at most what it holds plus what decommissions release into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from placeplanner.engine.model import eligible, pool_unions
from placeplanner.engine.snapshot import EngineInput, LevelIn

TOLERANCE = 1e-6


@dataclass(slots=True)
class _Ask:
    charged: dict[tuple[str, int], float] = field(default_factory=dict)
    released: dict[tuple[str, int], float] = field(default_factory=dict)
    pooled: dict[tuple[int, frozenset[str]], float] = field(default_factory=dict)
    impossible: bool = False  # needs pooled money but no money stream may pay for it


class Ledger:
    def __init__(self, inp: EngineInput) -> None:
        self.inp = inp
        self.charged: dict[tuple[str, int], float] = {}
        self.released: dict[tuple[str, int], float] = {}
        self.pooled: dict[tuple[int, frozenset[str]], float] = {}
        self._asks = {o.name: self._ask(o.name) for o in inp.options}
        classes = {key[1] for ask in self._asks.values() for key in ask.pooled}
        self._unions = pool_unions(list(classes)) if classes else []
        self._amounts = {(s.name, y): a for s in inp.streams for y, a in s.amounts}

    def _ask(self, name: str) -> _Ask:
        inp = self.inp
        option = inp.option(name)
        ask = _Ask()
        money = [s for s in inp.streams if s.is_money]
        need_by_year: dict[int, float] = {}
        for stream_name, year, amount in option.costs:
            stream = inp.stream(stream_name)
            if amount < 0:
                ask.released[(stream_name, year)] = ask.released.get((stream_name, year), 0.0) - amount
            elif inp.switches.pool_money and stream.is_money:
                need_by_year[year] = need_by_year.get(year, 0.0) + amount
            else:
                if inp.switches.ring_fences and not eligible(option, stream):
                    ask.impossible = True
                ask.charged[(stream_name, year)] = ask.charged.get((stream_name, year), 0.0) + amount
        for year, need in need_by_year.items():
            sources = frozenset(s.name for s in money if eligible(option, s, inp.switches.ring_fences))
            if not sources:
                ask.impossible = True
            ask.pooled[(year, sources)] = ask.pooled.get((year, sources), 0.0) + need
        return ask

    def fits_with(self, names: Iterable[str], levels: dict[str, LevelIn]) -> bool:
        """Would the budgets still hold with these options added at these levels?"""
        charged, released, pooled = dict(self.charged), dict(self.released), dict(self.pooled)
        years: set[int] = set()
        for name in names:
            ask, share = self._asks[name], levels[name].cost_share
            if ask.impossible:
                return False
            for key, amount in ask.charged.items():
                charged[key] = charged.get(key, 0.0) + amount * share
                years.add(key[1])
            for key, amount in ask.released.items():
                released[key] = released.get(key, 0.0) + amount * share
            for pool_key, amount in ask.pooled.items():
                pooled[pool_key] = pooled.get(pool_key, 0.0) + amount * share
                years.add(pool_key[0])
        if not self.inp.switches.budgets:
            return True
        for key, amount in charged.items():
            if key[1] in years and amount > self._amounts.get(key, 0.0) + released.get(key, 0.0) + TOLERANCE:
                return False
        for year in years:
            for union in self._unions:
                demand = sum(a for (y, sources), a in pooled.items() if y == year and sources <= union)
                demand += sum(charged.get((s, year), 0.0) for s in union)
                holds = sum(self._amounts.get((s, year), 0.0) + released.get((s, year), 0.0) for s in union)
                if demand > holds + TOLERANCE:
                    return False
        return True

    def add(self, names: Iterable[str], levels: dict[str, LevelIn]) -> None:
        for name in names:
            ask, share = self._asks[name], levels[name].cost_share
            for key, amount in ask.charged.items():
                self.charged[key] = self.charged.get(key, 0.0) + amount * share
            for key, amount in ask.released.items():
                self.released[key] = self.released.get(key, 0.0) + amount * share
            for pool_key, amount in ask.pooled.items():
                self.pooled[pool_key] = self.pooled.get(pool_key, 0.0) + amount * share
