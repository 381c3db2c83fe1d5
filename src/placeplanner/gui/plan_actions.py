"""The Plan menu's work: new, open, recent, save a copy, back up, restore, import and export.

Imports and exports run in a worker; a refused import lists every problem (file, sheet, row,
column) and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from placeplanner.engine.progress import RunState
from placeplanner.errors import PlanError, ValidationError
from placeplanner.gui.widgets import show_problem
from placeplanner.model import PlanInfo
from placeplanner.service import PlanService
from placeplanner.storage.backup import (
    BackupInfo,
    backup_plan,
    copy_database,
    list_backups,
    restore_plan,
)

if TYPE_CHECKING:
    from placeplanner.service.plan_service import ChangeSet

PLAN_FILTER = "Plans (*.placeplan)"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    change: ChangeSet | None = None
    refused: ValidationError | None = None
    backup: Path | None = None


def import_in_worker(service: PlanService, files: list[Path], state: RunState) -> ImportOutcome:
    """The worker's job: back the plan up, then import all or nothing. The window holds a modal
    progress dialog meanwhile, so nothing else writes."""
    from placeplanner.io.importing import import_files

    state.step(0, 2, "Backing up the plan first")
    backup = backup_plan(service.path, reason="before import")
    state.step(1, 2, f"Reading {len(files)} file{'s' * (len(files) > 1)}")
    try:
        change = import_files(service, files)
    except ValidationError as exc:
        return ImportOutcome(refused=exc, backup=backup)
    return ImportOutcome(change=change, backup=backup)


def export_in_worker(service: PlanService, target: Path, state: RunState) -> Path:
    from placeplanner.io.exporting import plan_frames, write_tables

    state.step(0, 2, "Gathering the plan")
    frames = plan_frames(service.read(), service.scores_frame())
    state.step(1, 2, f"Writing {target.name}")
    return write_tables(frames, target, readme=True)


def ask_new_plan(parent: QWidget, folder: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "New plan", str(folder / "New plan.placeplan"), PLAN_FILTER)
    if not path:
        return None
    target = Path(path).with_suffix(".placeplan")
    place, ok = QInputDialog.getText(parent, "New plan", "Which place is this plan for?", text=target.stem)
    if not ok or not place.strip():
        return None
    return create_plan(parent, target, place.strip())


def create_plan(parent: QWidget | None, target: Path, place: str) -> Path | None:
    try:
        PlanService.create(target, PlanInfo(place=place)).close()
    except (PlanError, OSError) as exc:
        show_problem(parent, f"Cannot create {target.name}", exc)
        return None
    return target


def ask_open_plan(parent: QWidget, folder: Path) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open a plan", str(folder), PLAN_FILTER)
    return Path(path) if path else None


def save_copy(parent: QWidget | None, service: PlanService, target: Path) -> bool:
    """A consistent copy of the open plan under another name (SQLite's online backup)."""
    if target.resolve() == service.path.resolve():
        show_problem(parent, "Cannot save a copy", PlanError("choose another name: this is the plan itself"))
        return False
    try:
        target.unlink(missing_ok=True)
        copy_database(service.path, target)
    except (OSError, PlanError) as exc:
        show_problem(parent, f"Cannot save a copy as {target.name}", exc)
        return False
    return True


class RestoreDialog(QDialog):
    """The plan's backups, newest first; the chosen one replaces the plan (which is itself
    backed up first, so a restore can be undone by restoring again)."""

    def __init__(self, plan: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Backups of {plan.name}, newest first. The plan as it is now is backed up before it is replaced."))
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups")
        self._found: list[BackupInfo] = list_backups(plan)
        for backup in self._found:
            QListWidgetItem(f"{backup.taken_at:%a %d %b %Y, %H:%M:%S}  ·  {backup.reason or 'backup'}", self.backups)
        if self._found:
            self.backups.setCurrentRow(0)
        layout.addWidget(self.backups, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self._found))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> BackupInfo | None:
        row = self.backups.currentRow()
        return self._found[row] if 0 <= row < len(self._found) else None


def restore(parent: QWidget | None, plan: Path, backup: BackupInfo) -> bool:
    """Restore with the plan closed; the caller reopens it."""
    try:
        kept = restore_plan(plan, backup.path)
    except PlanError as exc:
        show_problem(parent, "Cannot restore the backup", exc)
        return False
    if parent is not None:
        QMessageBox.information(parent, "Restored", f"{plan.name} is as it was on {backup.taken_at:%d %b %Y at %H:%M}."
                                + (f"\nThe plan as it was just now is kept as a backup ({Path(kept).name})." if kept else ""))
    return True
