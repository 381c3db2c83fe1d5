"""Does a chosen set of options fit the budgets? Arithmetic, no solver: for the greedy ranking.

With pooled money an option's money need may be met by any stream it is eligible for; whether
a set of needs fits is then a transportation problem, decided exactly by Hall's condition over
the groups of options that share the same eligible streams (few, since fences are few).
"""

from __future__ import annotations

import itertools

from placeplanner.engine.model import eligible
from placeplanner.engine.snapshot import EngineInput, LevelIn

TOLERANCE = 1e-6


def fits(inp: EngineInput, choice: dict[str, LevelIn]) -> bool:
    streams = {s.name: s for s in inp.streams}
    switches = inp.switches
    for year in inp.years:
        capacity = {s.name: dict(s.amounts).get(year, 0.0) for s in inp.streams}
        charged = dict.fromkeys(capacity, 0.0)
        pooled: dict[frozenset[str], float] = {}
        for name, level in choice.items():
            option = inp.option(name)
            need = 0.0
            for stream, cost_year, amount in option.costs:
                if cost_year != year or stream not in streams:
                    continue
                if amount < 0:
                    capacity[stream] -= amount * level.cost_share
                elif switches.pool_money and streams[stream].is_money:
                    need += amount * level.cost_share
                else:
                    if switches.ring_fences and not eligible(option, streams[stream]):
                        return False
                    charged[stream] += amount * level.cost_share
            if need > 0:
                sources = frozenset(s.name for s in inp.streams if s.is_money and eligible(option, s, switches.ring_fences))
                if not sources:
                    return False
                pooled[sources] = pooled.get(sources, 0.0) + need
        if not switches.budgets:
            continue
        left = {s: capacity[s] - charged[s] for s in capacity}
        if any(v < -TOLERANCE for v in left.values()):
            return False
        groups = list(pooled.items())
        for size in range(1, len(groups) + 1):
            for subset in itertools.combinations(groups, size):
                reachable = frozenset().union(*(sources for sources, _ in subset))
                if sum(d for _, d in subset) > sum(max(left[s], 0.0) for s in reachable) + TOLERANCE:
                    return False
    return True
