"""The audit log for people and for auditors: a readable table, CSV, and the chain's verification.

The command line's ``placeplanner audit`` is a thin shell over these functions.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TextIO

from placeplanner.csv_cells import safe_cell
from placeplanner.errors import PlanError
from placeplanner.service import audit_words
from placeplanner.storage import audit
from placeplanner.storage.audit import AuditEntry, ChainReport
from placeplanner.storage.planfile import PlanFile

CSV_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_key", "before", "after", "hash")


def parse_since(text: str) -> datetime:
    """'2027-03-31' (from midnight) or an ISO date and time, as the log's local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise PlanError(f"--since takes a date such as 2027-03-31 or a date and time such as 2027-03-31T14:30, not {text!r}") from None
    if moment.tzinfo is not None:  # the log is written in local time, without a zone
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def read_entries(plan: PlanFile, since: datetime | None = None) -> list[AuditEntry]:
    with plan.reading() as session:
        return audit.read_log(session, since=since)


def verify(plan: PlanFile) -> ChainReport:
    with plan.reading() as session:
        return audit.verify_chain(session)


def verified_text(report: ChainReport) -> str:
    """The line ``audit --verify`` prints for an intact chain."""
    return f"Audit chain intact: {report.entries:,} entries, head {report.head_hash[:12]}"


def broken_text(report: ChainReport) -> str:
    assert report.broken is not None
    return f"the audit chain is broken: {report.broken.message}"


def table_lines(entries: Iterable[AuditEntry], units: Mapping[str, str] | None = None) -> list[str]:
    """The log as a plain-text table: id, when, who, action, what, and a short before → after."""
    rows = [
        (str(e.id), f"{e.at:%Y-%m-%d %H:%M}", _cut(e.actor, 20), e.action,
         _cut(audit_words.subject(e), 44), audit_words.summary(e, units, limit=60))
        for e in entries
    ]
    header = ("id", "when", "who", "action", "what", "change")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].rjust(widths[0]), *(cell.ljust(w) for cell, w in zip(row[1:5], widths[1:], strict=True)), row[5]]
        lines.append("  ".join(cells).rstrip())
    return lines


def write_csv(entries: Iterable[AuditEntry], out: TextIO) -> None:
    """One row an entry; before and after as JSON, exactly as hashed (names that Excel would
    take for a formula get a leading apostrophe)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([e.id, e.at.isoformat(), safe_cell(e.actor), e.action, e.entity, safe_cell(e.entity_key),
                         _json(e.before), _json(e.after), e.hash])


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
