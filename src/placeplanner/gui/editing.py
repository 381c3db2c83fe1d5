"""Every edit made in the app goes through here: the same service calls the command line uses,
each pushed on Qt's undo stack so it can be undone and redone.

An edit is applied first and pushed only once it succeeded, so a refused edit (with its
message) leaves both the plan and the stack untouched. Each call commits at once: there is
no "save".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from placeplanner.errors import PlanError
from placeplanner.model import PlanData, PlanInfo, record_key
from placeplanner.model.plan_data import TABLE_OF_RECORD
from placeplanner.service import PlanService
from placeplanner.service.plan_service import Removed


def table_of(record: Any) -> str:
    return TABLE_OF_RECORD[type(record)]


class PlanEditor(QObject):
    """The one way pages change the plan. ``changed`` names the tables touched ("info" for the
    plan's own details); ``undo_failed`` carries the reason when an undo or redo is refused
    because the plan has moved on (the stack is then cleared)."""

    changed = Signal(object)  # frozenset[str]
    undo_failed = Signal(str)

    def __init__(self, service: PlanService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.stack = QUndoStack(self)

    # --- edits: each raises PlanError (with the message to show) and changes nothing if refused

    def upsert(self, record: Any, text: str = "") -> None:
        """Add a record, or replace the one with the same key."""
        before = _current(self.service, record)
        if before == record:
            return
        self.service.upsert(record)
        label = text or f"{'Change' if before is not None else 'Add'} {_label(record)}"
        self._push(_Upsert(self, before, record, label))

    def upsert_many(self, records: Iterable[Any], text: str) -> int:
        """Several records in one transaction and one undo step (a bulk paste, say)."""
        records = list(records)
        plan = self.service.read()
        befores = [_find(plan, r) for r in records]
        changed = [(b, r) for b, r in zip(befores, records, strict=True) if b != r]
        if not changed:
            return 0
        self.service.apply(_bundle(plan.info, [r for _, r in changed]))
        self._push(_UpsertMany(self, changed, text))
        return len(changed)

    def remove(self, record: Any, text: str = "") -> None:
        table = table_of(record)
        removed = self.service.remove(table, record_key(record))
        self._push(_Remove(self, removed, text or f"Delete {_label(record)}"))

    def rename(self, record: Any, new: str, text: str = "") -> None:
        table = table_of(record)
        old = record.name
        if new.strip() == old:
            return
        self.service.rename(table, old, new)
        self._push(_Rename(self, table, old, new.strip(), text or f"Rename {old} to {new.strip()}"))

    def update_info(self, info: PlanInfo, text: str = "Change the plan's details") -> None:
        before = self.service.info()
        if before == info:
            return
        self.service.update_info(info)
        self._push(_Info(self, before, info, text))

    def after_outside_change(self, tables: Iterable[str]) -> None:
        """An import or restore changed the plan outside the stack: earlier steps may no longer
        apply, so the history starts again here."""
        self.stack.clear()
        self.changed.emit(frozenset(tables))

    # --- plumbing

    def _push(self, command: _Done) -> None:
        self.stack.push(command)
        self.changed.emit(command.tables)

    def _guarded(self, action: Callable[[], None], tables: frozenset[str], what: str) -> None:
        try:
            action()
        except PlanError as exc:
            self.undo_failed.emit(f"Could not {what}: {exc}. The plan has changed since; the undo history was cleared.")
            # Not now: the failing command is still running inside the stack.
            QTimer.singleShot(0, self.stack.clear)
            return
        self.changed.emit(tables)


class _Done(QUndoCommand):
    """A command whose first redo already happened (the edit itself)."""

    def __init__(self, editor: PlanEditor, text: str, tables: frozenset[str]) -> None:
        super().__init__(text)
        self.editor = editor
        self.tables = tables
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.editor._guarded(self._redo, self.tables, f"redo “{self.text()}”")

    def undo(self) -> None:
        self.editor._guarded(self._undo, self.tables, f"undo “{self.text()}”")

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class _Upsert(_Done):
    def __init__(self, editor: PlanEditor, before: Any, after: Any, text: str) -> None:
        super().__init__(editor, text, frozenset({table_of(after)}))
        self.before, self.after = before, after

    def _redo(self) -> None:
        self.editor.service.upsert(self.after)

    def _undo(self) -> None:
        if self.before is None:
            self.editor.service.remove(table_of(self.after), record_key(self.after))
        else:
            self.editor.service.upsert(self.before)


class _UpsertMany(_Done):
    def __init__(self, editor: PlanEditor, changed: list[tuple[Any, Any]], text: str) -> None:
        super().__init__(editor, text, frozenset(table_of(r) for _, r in changed))
        self.changed = changed

    def _redo(self) -> None:
        service = self.editor.service
        service.apply(_bundle(service.info(), [r for _, r in self.changed]))

    def _undo(self) -> None:
        service = self.editor.service
        replaced = [b for b, _ in self.changed if b is not None]
        if replaced:
            service.apply(_bundle(service.info(), replaced))
        for before, after in reversed(self.changed):
            if before is None:
                service.remove(table_of(after), record_key(after))


class _Remove(_Done):
    def __init__(self, editor: PlanEditor, removed: Removed, text: str) -> None:
        tables = frozenset(t for t in TABLE_OF_RECORD.values() if removed.records.table(t)) | {removed.table}
        super().__init__(editor, text, tables)
        self.removed = removed

    def _redo(self) -> None:
        self.removed = self.editor.service.remove(self.removed.table, self.removed.key)

    def _undo(self) -> None:
        self.editor.service.restore(self.removed)


class _Rename(_Done):
    def __init__(self, editor: PlanEditor, table: str, old: str, new: str, text: str) -> None:
        super().__init__(editor, text, frozenset(TABLE_OF_RECORD.values()))
        self.table, self.old, self.new = table, old, new

    def _redo(self) -> None:
        self.editor.service.rename(self.table, self.old, self.new)

    def _undo(self) -> None:
        self.editor.service.rename(self.table, self.new, self.old)


class _Info(_Done):
    def __init__(self, editor: PlanEditor, before: PlanInfo, after: PlanInfo, text: str) -> None:
        super().__init__(editor, text, frozenset({"info"}))
        self.before, self.after = before, after

    def _redo(self) -> None:
        self.editor.service.update_info(self.after)

    def _undo(self) -> None:
        self.editor.service.update_info(self.before)


def _current(service: PlanService, record: Any) -> Any:
    return _find(service.read(), record)


def _find(plan: PlanData, record: Any) -> Any:
    key = record_key(record)
    return next((r for r in plan.table(table_of(record)) if record_key(r) == key), None)


def _bundle(info: PlanInfo, records: list[Any]) -> PlanData:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        grouped.setdefault(table_of(record), []).append(record)
    return PlanData(info=info, **{t: tuple(rs) for t, rs in grouped.items()})


def _label(record: Any) -> str:
    kind = table_of(record).replace("_", " ").rstrip("s")
    return f"{kind} “{' / '.join(map(str, record_key(record)))}”"
