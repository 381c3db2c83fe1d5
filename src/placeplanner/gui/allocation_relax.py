"""When no portfolio keeps every rule, a way to relax each conflicting rule as a new scenario:
the scenario settings that lift it, worked out as plain values (no Qt) in the worker."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from placeplanner.engine.conflicts import Conflict
from placeplanner.engine.snapshot import EngineInput

MORE_MONEY = 0.1  # a budget in conflict is relaxed by this share of its largest year


@dataclass(frozen=True, slots=True)
class Relaxation:
    """One conflicting rule and, where a scenario setting can relax it, the scenario that would."""

    sentence: str
    button: str = ""  # empty: no scenario setting relaxes it
    tip: str = ""
    scenario: str = ""
    settings: Mapping[str, object] = field(default_factory=dict)


def relaxations(conflict: Conflict, inp: EngineInput, base: str, settings: Mapping[str, object]) -> list[Relaxation]:
    """For each conflicting rule, the smallest scenario change that lifts it."""
    out = []
    for group, sentence in zip(conflict.groups, conflict.sentences, strict=True):
        found = _relax(group, inp, base, settings)
        if found is None:
            out.append(Relaxation(sentence, tip="No scenario setting relaxes this; change it in the plan itself."))
            continue
        button, name, changed, what = found
        tip = f"Makes the scenario “{name}”, {what}, and runs it. The plan itself is not changed."
        out.append(Relaxation(sentence, button, tip, name, changed))
    return out


def _relax(group: Sequence[str], inp: EngineInput, base: str, settings: Mapping[str, object]) -> tuple[str, str, dict[str, object], str] | None:
    changed = copy.deepcopy(dict(settings))
    kind = group[0]
    if kind == "rule":
        rule = group[1]
        changed["rules_off"] = [*_names(changed.get("rules_off")), rule]
        return "Try without this rule", f"{base} without '{rule}'", changed, f"which switches off the rule ‘{rule}’"
    family = {"mandatory": ("mandatory", "Try with no option mandatory", "with no option mandatory", "in which mandatory options may be left out"),
              "requires": ("requires", "Try ignoring ‘requires’ links", "ignoring 'requires' links", "in which no option needs another"),
              "excludes": ("excludes", "Try ignoring ‘excludes’ links", "ignoring 'excludes' links", "in which options that exclude each other may both be funded"),
              "ring_fence": ("ring_fences", "Try without ring-fences", "without ring-fences", "in which ring-fenced money may fund any option")}.get(kind)
    if family is not None:
        switch, button, suffix, what = family
        switches = dict(_mapping(changed.get("switches")))
        switches[switch] = False
        changed["switches"] = switches
        return button, f"{base} {suffix}", changed, what
    if kind == "excluded":
        option = group[1]
        out = _names(changed.get("options_out"))
        if option not in out:
            return None  # out of consideration in the plan itself
        changed["options_out"] = [o for o in out if o != option]
        return "Try with it back in", f"{base} with '{option}' back in", changed, f"which puts ‘{option}’ back into consideration"
    if kind == "budget":
        return _more_money(group[1:-1], inp, base, changed)
    return None


def _more_money(streams: Sequence[str], inp: EngineInput, base: str, changed: dict[str, object]) -> tuple[str, str, dict[str, object], str]:
    factors = dict(_mapping(changed.get("stream_factors")))
    budget_factor = _number(changed.get("budget_factor"), 1.0)
    cut = budget_factor < 1 or any(_number(factors.get(s), 1.0) < 1 for s in streams)
    if cut:  # the scenario cut the budget: first try without the cut
        if budget_factor < 1:
            changed["budget_factor"] = 1.0
        changed["stream_factors"] = {s: f for s, f in factors.items() if not (s in streams and _number(f, 1.0) < 1)}
        return "Try with the plan's full budget", f"{base} with the full budget", changed, "with the plan's budgets as they stand"
    extra = dict(_mapping(changed.get("stream_extra")))
    for name in streams:
        stream = inp.stream(name)
        largest = max((a for _, a in stream.amounts), default=0.0)
        # Money in whole thousands; staff hours, beds and the like in whole units, at least one.
        more = round(MORE_MONEY * largest, -3) if stream.is_money else max(round(MORE_MONEY * largest), 1)
        extra[name] = _number(extra.get(name), 0.0) + more
    changed["stream_extra"] = extra
    which = "this stream" if len(streams) == 1 else "these streams"
    units = {inp.stream(name).unit for name in streams}
    what = "money" if all(inp.stream(n).is_money for n in streams) else units.pop() if len(units) == 1 else "resources"
    return f"Try with 10% more in {which}", f"{base} with 10% more {what}", changed, f"with 10% more a year in {', '.join(streams)}"


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _number(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) else default
