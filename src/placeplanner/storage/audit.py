"""The tamper-evident audit log: each entry hashes its own content and the previous hash, and the
chain's head (entry count, last id, last hash) is kept beside it, updated in the same transaction,
so removing the last entries shows as plainly as changing one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, insert, or_, select
from sqlalchemy.orm import Session

from placeplanner.storage.orm import AuditHeadRow, AuditRow

GENESIS = "0" * 64
KEY_SEPARATOR = " / "  # a record's key parts, as entity_key joins them


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
    hash: str = ""


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
    plain: bool = False  # before and after hold only JSON's own types already: no round trip needed


@dataclass(frozen=True, slots=True)
class Head:
    entries: int
    last_id: int
    last_hash: str


def append(session: Session, *, actor: str, action: str, entity: str, entity_key: str,
           before: Any = None, after: Any = None) -> None:
    """Add one entry in the caller's transaction, so it commits or vanishes with the change."""
    append_many(session, actor, [Change(action, entity, entity_key, before, after)])


def append_many(session: Session, actor: str, changes: list[Change]) -> None:
    """Chain several entries at once (an import may log thousands), continuing from the head."""
    if not changes:
        return
    head = session.get(AuditHeadRow, 1)
    last_id = int(session.scalar(select(func.max(AuditRow.id))) or 0)
    if head is not None:
        prev = head.last_hash
        # Past any entries added behind the head's back, so an edit never fails on them.
        last_id = max(last_id, head.last_id)
    else:  # removed by hand: carry on from the last entry, and leave the gap for verify to name
        prev = session.scalar(select(AuditRow.hash).where(AuditRow.id == last_id)) or GENESIS
    at = datetime.now()
    rows = []
    for change in changes:
        # Round-trip through JSON so the hash covers exactly what is stored.
        before, after = change.before, change.after
        if not change.plain:
            before = json.loads(json.dumps(before, default=str))
            after = json.loads(json.dumps(after, default=str))
        digest = entry_hash(prev, at=at, actor=actor, action=change.action, entity=change.entity,
                            entity_key=change.entity_key, before=before, after=after)
        last_id += 1
        rows.append({"id": last_id, "at": at, "actor": actor, "action": change.action,
                     "entity": change.entity, "entity_key": change.entity_key, "before": before,
                     "after": after, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditRow), rows)
    if head is not None:
        head.entries += len(rows)
        head.last_id, head.last_hash = last_id, prev
        session.flush()


def read_head(session: Session) -> Head | None:
    row = session.get(AuditHeadRow, 1)
    return None if row is None else Head(row.entries, row.last_id, row.last_hash)


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyPattern:
    """Entries of ``entity`` whose key holds ``name`` as the whole key, its first part, its
    last part, or an inner part (``KEY_SEPARATOR`` joins the parts of a record's key)."""

    entity: str
    name: str
    where: Literal["whole", "first", "last", "inner"] = "whole"

    def matches(self, entity: str, key: str) -> bool:
        if entity != self.entity:
            return False
        sep, name = KEY_SEPARATOR, self.name
        return {
            "whole": key == name,
            "first": key.startswith(name + sep),
            "last": key.endswith(sep + name),
            "inner": f"{sep}{name}{sep}" in key,
        }[self.where]

    def clause(self) -> ColumnElement[bool]:
        """A superset in SQL (LIKE ignores case), narrowed by ``matches``."""
        key, sep = AuditRow.entity_key, KEY_SEPARATOR
        test = {
            "whole": key == self.name,
            "first": key.startswith(self.name + sep, autoescape=True),
            "last": key.endswith(sep + self.name, autoescape=True),
            "inner": key.contains(f"{sep}{self.name}{sep}", autoescape=True),
        }[self.where]
        return (AuditRow.entity == self.entity) & test


def read_log(session: Session, *, since: datetime | None = None,
             entities: Collection[str] | None = None,
             actions: Collection[str] | None = None) -> list[AuditEntry]:
    """The log in order, or the entries since a time, of some entities, or of some actions."""
    query = select(AuditRow).order_by(AuditRow.id)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if entities is not None:
        query = query.where(AuditRow.entity.in_(list(entities)))
    if actions is not None:
        query = query.where(AuditRow.action.in_(list(actions)))
    return [_entry(r) for r in session.execute(query).scalars()]


def read_about(session: Session, patterns: Sequence[KeyPattern]) -> list[AuditEntry]:
    """The entries, in order, whose entity and key match any of ``patterns``."""
    if not patterns:
        return []
    query = select(AuditRow).where(or_(*(p.clause() for p in patterns))).order_by(AuditRow.id)
    return [_entry(r) for r in session.execute(query).scalars()
            if any(p.matches(r.entity, r.entity_key) for p in patterns)]


def _entry(r: AuditRow) -> AuditEntry:
    return AuditEntry(r.id, r.at, r.actor, r.action, r.entity, r.entity_key, r.before, r.after, r.hash)


# --- verifying --------------------------------------------------------------------------

BreakKind = Literal["changed", "link", "missing", "truncated", "extra", "head"]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first thing wrong with the chain: ``entry`` is the entry named (the changed one, or the
    first missing one) and ``message`` says what is wrong in words."""

    kind: BreakKind
    entry: int
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    head_hash: str  # the last entry's hash (GENESIS for an empty log)
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


_COLUMNS = "id, at, actor, action, entity, entity_key, before, after, prev_hash, hash"


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole log, recomputing each hash from the stored text, then check the head.

    Reads the raw column text, not the ORM's values, so an entry edited into something the ORM
    cannot even parse is reported as changed rather than raising."""
    prev_hash, prev_id, count = GENESIS, 0, 0
    rows = session.connection().exec_driver_sql(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id")
    for row in rows:
        entry_id, stored_prev, stored_hash = int(row[0]), row[8], row[9]
        if entry_id != prev_id + 1:
            return ChainReport(count, prev_hash, _missing(prev_id, entry_id))
        content = _content(row)
        if content is None or entry_hash(prev_hash, **content) != stored_hash:
            relinked = content is not None and entry_hash(stored_prev, **content) == stored_hash
            return ChainReport(count, prev_hash, _link_broken(entry_id) if relinked else ChainBreak(
                "changed", entry_id, f"entry {entry_id} was changed after it was written: its content no longer matches its hash"))
        if stored_prev != prev_hash:
            return ChainReport(count, prev_hash, _link_broken(entry_id))
        prev_hash, prev_id, count = stored_hash, entry_id, count + 1
    return ChainReport(count, prev_hash, _head_problem(read_head(session), count, prev_id, prev_hash))


def first_broken_entry(session: Session) -> int | None:
    """The number of the first entry changed or missing, or None if the chain is whole."""
    broken = verify_chain(session).broken
    return None if broken is None else broken.entry


def _content(row: Sequence[Any]) -> dict[str, Any] | None:
    try:
        return {"at": datetime.fromisoformat(row[1]), "actor": row[2], "action": row[3], "entity": row[4],
                "entity_key": row[5], "before": _json(row[6]), "after": _json(row[7])}
    except (TypeError, ValueError):
        return None


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _link_broken(entry_id: int) -> ChainBreak:
    previous = "the start of the log" if entry_id == 1 else f"entry {entry_id - 1}"
    return ChainBreak("link", entry_id, f"entry {entry_id} no longer links to {previous}: the chain is broken there")


def _missing(prev_id: int, entry_id: int) -> ChainBreak:
    first, last = prev_id + 1, entry_id - 1
    gone = f"entry {first} was" if first == last else f"entries {first} to {last} were"
    where = f"the log starts at entry {entry_id}" if prev_id == 0 else f"the log goes from entry {prev_id} to entry {entry_id}"
    return ChainBreak("missing", first, f"{gone} removed ({where})")


def _head_problem(head: Head | None, count: int, last_id: int, last_hash: str) -> ChainBreak | None:
    if head is None:
        return ChainBreak("head", last_id, "the log's head (its entry count and last hash) was removed")
    if head.last_id > last_id:
        gone = f"entry {head.last_id} was" if head.last_id == last_id + 1 else f"entries {last_id + 1} to {head.last_id} were"
        ends = "the log is empty" if last_id == 0 else f"the log ends at entry {last_id}"
        return ChainBreak("truncated", last_id + 1, f"the last entries were removed: {ends} but its head says {head.last_id} ({gone} removed)")
    if head.last_id < last_id:
        return ChainBreak("extra", head.last_id + 1,
                          f"entries after {head.last_id} were added outside PlacePlanner: the head says the log ends at entry {head.last_id}, but it goes on to {last_id}")
    if head.last_hash != last_hash or head.entries != count:
        return ChainBreak("head", last_id, f"the log's head was changed: it no longer matches entry {last_id}, the last entry")
    return None
