"""What an import (or an undo) does to individual scores, as audit entries.

A live meeting logs each score as it arrives. Scores written in bulk are logged one entry per
meeting and option, holding what changed: each participant's score on each value, and their
confidence and comment where given, before and after. So an option's history shows who scored
it what even when the scores came from a spreadsheet, and 480,000 scores make 2,000 entries
rather than 480,000. Entries are made a batch of options at a time, to keep memory flat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from placeplanner.storage.audit import KEY_SEPARATOR, Change

if TYPE_CHECKING:
    import pandas as pd

ENTITY = "individual_scores"
BATCH = 250  # options a batch
Cell = tuple[float | None, float | None, str]  # score, confidence, comment
Round = dict[str, dict[str, Cell]]  # participant -> value -> cell


def score_changes(existing: pd.DataFrame, incoming: pd.DataFrame, action: str) -> Iterator[list[Change]]:
    """Batches of changes, one per (meeting, option) whose scores ``incoming`` adds or alters;
    a score written again unchanged makes none."""
    new_rows, new_cells = _rows_by_round(incoming), _Columns(incoming)
    old_rows, old_cells = (_rows_by_round(existing), _Columns(existing)) if not existing.empty else ({}, None)
    keys = list(new_rows)
    for start in range(0, len(keys), BATCH):
        batch = []
        for meeting, option in keys[start:start + BATCH]:
            rows, earlier = new_rows[(meeting, option)], old_rows.get((meeting, option))
            if old_cells is None or not earlier:  # a round imported afresh: all of it is new
                batch.append(Change(action, ENTITY, f"{meeting}{KEY_SEPARATOR}{option}", None, new_cells.plain(rows), plain=True))
            elif (change := _change(action, meeting, option, new_cells.round(rows), old_cells.round(earlier))) is not None:
                batch.append(change)
        yield batch


def _rows_by_round(frame: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    groups = frame.groupby(["meeting", "option"], sort=False, observed=True).indices
    return {(str(key[0]), str(key[1])): list(map(int, rows)) for key, rows in groups.items() if isinstance(key, tuple)}


class _Columns:
    """A score frame's columns as Python lists, read once (a missing number as None)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.who = frame["participant"].astype(str).tolist()
        self.value = frame["value"].astype(str).tolist()
        self.score = _numbers(frame["score"])
        self.confidence = _numbers(frame["confidence"])
        self.comment = [c if isinstance(c, str) else "" for c in frame["comment"].tolist()]

    def round(self, rows: list[int]) -> Round:
        cells: Round = {}
        for row in rows:
            cells.setdefault(self.who[row], {})[self.value[row]] = (self.score[row], self.confidence[row], self.comment[row])
        return cells

    def plain(self, rows: list[int]) -> dict[str, Any]:
        """What ``_plain(self.round(rows))`` gives, built straight from the columns."""
        scores: dict[str, dict[str, float | None]] = {}
        sure: dict[str, dict[str, float | None]] = {}
        said: dict[str, dict[str, str]] = {}
        who, value, score = self.who, self.value, self.score
        for row in rows:
            scores.setdefault(who[row], {})[value[row]] = score[row]
        for row in (r for r in rows if self.confidence[r] is not None):
            sure.setdefault(who[row], {})[value[row]] = self.confidence[row]
        for row in (r for r in rows if self.comment[r]):
            said.setdefault(who[row], {})[value[row]] = self.comment[row]
        return _parts(scores, sure, said)


def _change(action: str, meeting: str, option: str, after: Round, before: Round) -> Change | None:
    changed = {who: {value: cell for value, cell in values.items() if before.get(who, {}).get(value) != cell}
               for who, values in after.items()}
    changed = {who: values for who, values in changed.items() if values}
    if not changed:
        return None
    earlier = {who: {value: before[who][value] for value in values if value in before.get(who, {})}
               for who, values in changed.items()}
    earlier = {who: values for who, values in earlier.items() if values}
    return Change(action, ENTITY, f"{meeting}{KEY_SEPARATOR}{option}", _plain(earlier) if earlier else None, _plain(changed),
                  plain=True)


def _plain(cells: Round) -> dict[str, Any]:
    """{"scores": {participant: {value: score}}, "confidence": {...}, "comments": {...}}, the
    last two only where something was given."""
    scores: dict[str, dict[str, float | None]] = {}
    sure: dict[str, dict[str, float | None]] = {}
    said: dict[str, dict[str, str]] = {}
    for who, values in cells.items():
        scores[who] = {value: cell[0] for value, cell in values.items()}
        for value, (_, confidence, comment) in values.items():
            if confidence is not None:
                sure.setdefault(who, {})[value] = confidence
            if comment:
                said.setdefault(who, {})[value] = comment
    return _parts(scores, sure, said)


def _parts(scores: dict[str, Any], sure: dict[str, Any], said: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {"scores": scores}
    if sure:
        plain["confidence"] = sure
    if said:
        plain["comments"] = said
    return plain


def _numbers(column: pd.Series) -> list[float | None]:
    import numpy as np

    numbers = column.to_numpy(dtype=float)
    missing = np.isnan(numbers)
    if missing.all():
        return [None] * len(numbers)
    listed: list[float | None] = numbers.tolist()
    for row in np.flatnonzero(missing).tolist():
        listed[row] = None
    return listed
