"""The Plan and Edit menus: imports (refused ones list their problems and change nothing),
export, save a copy, restore, recent plans, undo and redo, the high-contrast theme, and
screens that refresh when an edit touches what they show."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from placeplanner.errors import ValidationError
from placeplanner.gui import main_window as main_window_module
from placeplanner.gui.main_window import MainWindow, select
from placeplanner.recent import recent_plans
from placeplanner.service import PlanService
from placeplanner.storage.backup import list_backups

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Exception]]:
    """Problems the window would show in a dialog, captured instead of blocking the test."""
    seen: list[tuple[str, Exception]] = []
    monkeypatch.setattr(main_window_module, "show_problem", lambda _parent, title, exc: seen.append((title, exc)))
    return seen


@pytest.fixture
def window(qtbot, demo_plan: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(PlanService.open(demo_plan, auto_backup=False))
    qtbot.addWidget(win)
    win.show()
    return win


def _import(window: MainWindow, qtbot, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window._tasks.finished, timeout=60_000):
        window.import_files(files)
    qtbot.waitUntil(lambda: not window._tasks.running)


def test_a_refused_import_lists_file_row_and_column_and_changes_nothing(window: MainWindow, qtbot, tmp_path: Path,
                                                                        shown: list[tuple[str, Exception]]) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "partners.csv"
    bad.write_text("name,kind\n,council\nRiverside Hospice,voluntary\n", encoding="utf-8")
    before = window.service.read()
    _import(window, qtbot, [bad])
    assert len(shown) == 1
    title, error = shown[0]
    assert title == "The import was refused"
    assert isinstance(error, ValidationError)
    assert "partners.csv" in str(error.problems[0])
    assert "row 2" in str(error.problems[0])
    assert window.service.read() == before


def test_a_good_import_refreshes_the_screens_and_keeps_a_backup(window: MainWindow, qtbot, tmp_path: Path,
                                                                shown: list[tuple[str, Exception]]) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "partners.csv"
    good.write_text("name,kind\nRiverside Hospice,voluntary\n", encoding="utf-8")
    backups = len(list_backups(window.service.path))
    _import(window, qtbot, [good])
    assert not shown
    assert "Riverside Hospice" in {p.name for p in window.service.read().partners}
    assert len(list_backups(window.service.path)) == backups + 1
    assert window.editor.stack.count() == 0
    assert "Imported 1 records" in window.statusBar().currentMessage()


def test_undo_and_redo_from_the_edit_menu_and_screens_refresh(window: MainWindow) -> None:
    options = window.options  # built on first use
    first = options.model.option_at(0)
    window.editor.upsert(replace(first, description="Edited from a test"))
    assert window.undo_action.isEnabled()
    assert "Change option" in window.undo_action.text()
    window.undo_action.trigger()
    assert window.service.read().options[0].description == first.description
    window.redo_action.trigger()
    assert window.service.read().options[0].description == "Edited from a test"
    # A hidden screen is marked and refreshed when next shown.
    select(window, "Overview")
    window.editor.upsert(replace(first, description="Again"))
    assert "Options" in window._stale
    select(window, "Options")
    assert "Options" not in window._stale


def test_save_a_copy_then_switch_to_it_and_it_is_recent(window: MainWindow, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from placeplanner.gui import plan_actions

    copy = tmp_path / "copy.placeplan"
    assert plan_actions.save_copy(None, window.service, copy)
    with PlanService.open(copy, write=False, auto_backup=False) as opened:
        assert opened.read() == window.service.read()
    replacement = window.switch_to(copy)
    assert replacement is not None
    qtbot.addWidget(replacement)
    assert recent_plans()[0] == copy.resolve()


def test_restore_brings_a_backup_back(window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from placeplanner.gui import plan_actions
    from placeplanner.storage.backup import backup_plan

    path = window.service.path
    backup_plan(path, reason="test")
    window.editor.upsert(replace(window.service.read().options[0], description="after the backup"))
    backup = list_backups(path)[0]
    monkeypatch.setattr(plan_actions.QMessageBox, "information", lambda *args: None)
    window.service.close()
    assert plan_actions.restore(window, path, backup)
    with PlanService.open(path, write=False, auto_backup=False) as restored:
        assert restored.read().options[0].description != "after the backup"


def test_the_high_contrast_theme_switches_on_and_off(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.contrast_action.trigger()
    assert "#ffeb3b" in app.styleSheet()
    window.contrast_action.trigger()
    assert "#ffeb3b" not in app.styleSheet()


def test_about_names_version_and_build() -> None:
    from placeplanner import __version__

    text = main_window_module.about_text()
    assert __version__ in text
    assert "Build" in text
