"""The tamper-evident audit log: each entry hashes its own content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from placeplanner.storage.orm import AuditRow

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    before: Any
    after: Any


def entry_hash(prev_hash: str, *, at: datetime, actor: str, action: str, entity: str,
               entity_key: str, before: Any, after: Any) -> str:
    content = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity, entity_key, before, after],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Change:
    """One entry to append: what was done to which record, with its content before and after."""

    action: str
    entity: str
    entity_key: str
    before: Any = None
    after: Any = None


def append(session: Session, *, actor: str, action: str, entity: str, entity_key: str,
           before: Any = None, after: Any = None) -> None:
    """Add one entry in the caller's transaction, so it commits or vanishes with the change."""
    append_many(session, actor, [Change(action, entity, entity_key, before, after)])


def append_many(session: Session, actor: str, changes: list[Change]) -> None:
    """Chain several entries at once (an import may log thousands)."""
    if not changes:
        return
    prev = session.execute(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)).scalar() or GENESIS
    at = datetime.now()
    rows = []
    for change in changes:
        # Round-trip through JSON so the hash covers exactly what is stored.
        before = json.loads(json.dumps(change.before, default=str))
        after = json.loads(json.dumps(change.after, default=str))
        digest = entry_hash(prev, at=at, actor=actor, action=change.action, entity=change.entity,
                            entity_key=change.entity_key, before=before, after=after)
        rows.append({"at": at, "actor": actor, "action": change.action, "entity": change.entity,
                     "entity_key": change.entity_key, "before": before, "after": after,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditRow), rows)


def read_log(session: Session) -> list[AuditEntry]:
    rows = session.execute(select(AuditRow).order_by(AuditRow.id)).scalars()
    return [AuditEntry(r.id, r.at, r.actor, r.action, r.entity, r.entity_key, r.before, r.after) for r in rows]


def first_broken_entry(session: Session) -> int | None:
    """The id of the first entry whose hash or link does not hold, or None if the chain is whole."""
    prev = GENESIS
    expected_id = None
    for row in session.execute(select(AuditRow).order_by(AuditRow.id)).scalars():
        if expected_id is not None and row.id != expected_id:
            return expected_id  # an entry was deleted
        recomputed = entry_hash(prev, at=row.at, actor=row.actor, action=row.action, entity=row.entity,
                                entity_key=row.entity_key, before=row.before, after=row.after)
        if row.prev_hash != prev or row.hash != recomputed:
            return row.id
        prev = row.hash
        expected_id = row.id + 1
    return None
