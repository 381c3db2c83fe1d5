"""Checks of individual scores in bulk, column by column, so half a million rows take a second."""

from __future__ import annotations

from typing import TYPE_CHECKING

from placeplanner.errors import Problem
from placeplanner.model.plan_data import PlanData

if TYPE_CHECKING:
    import pandas as pd

MAX_REPORTED = 20


def check_score_frame(frame: pd.DataFrame, plan: PlanData) -> list[Problem]:
    """Unknown names, scores outside the value's scale, and repeated keys.

    Each problem's ``record`` is the frame's index label, so an importer can name the row.
    """
    import pandas as pd

    problems: list[Problem] = []
    if frame.empty:
        return problems
    known = {
        "meeting": {m.name for m in plan.meetings},
        "participant": {p.name for p in plan.participants},
        "option": {o.name for o in plan.options},
        "value": {v.name for v in plan.values},
    }
    for column, names in known.items():
        bad = frame.index[~frame[column].isin(names)]
        for label in bad[:MAX_REPORTED]:
            name = frame.at[label, column]
            problems.append(_problem(label, column, f"names {column} '{name!s}', which is not in the plan"))

    # astype(float): mapping a categorical column gives a categorical, which cannot be compared.
    lows = frame["value"].map({v.name: v.scale_min for v in plan.values}).astype(float)
    highs = frame["value"].map({v.name: v.scale_max for v in plan.values}).astype(float)
    score = pd.to_numeric(frame["score"], errors="coerce")
    outside = frame.index[score.notna() & lows.notna() & ((score < lows) | (score > highs))]
    for label in outside[:MAX_REPORTED]:
        value = frame.at[label, "value"]
        problems.append(_problem(label, "score", f"is {score[label]:g}, outside the scale of '{value!s}' ({lows[label]:g} to {highs[label]:g})"))

    if "confidence" in frame:
        confidence = pd.to_numeric(frame["confidence"], errors="coerce")
        bad_confidence = frame.index[confidence.notna() & ((confidence < 0) | (confidence > 1))]
        for label in bad_confidence[:MAX_REPORTED]:
            problems.append(_problem(label, "confidence", f"is {confidence[label]:g}; confidence runs from 0 to 1"))

    key = ["meeting", "participant", "option", "value"]
    repeated = frame.index[frame.duplicated(subset=key, keep="first")]
    for label in repeated[:MAX_REPORTED]:
        who = " / ".join(str(frame.at[label, c]) for c in key)
        problems.append(_problem(label, "participant", f"repeats the score of {who}; one score per participant, option and value"))
    return problems


def _problem(label: object, column: str, message: str) -> Problem:
    return Problem(where=f"individual score {label}", message=message, table="individual_scores", record=(label,), column=column)
