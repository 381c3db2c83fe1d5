"""Who the history names: the app asks on first start (prefilled with the login name), the name
can be changed from the Edit menu, and every change after is recorded as that person's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from placeplanner.gui.main_window import MainWindow
from placeplanner.gui.user_dialog import UserDialog
from placeplanner.service import PlanService, identity

pytestmark = pytest.mark.gui


@pytest.fixture
def first_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """No name saved and none set for the computer: the login name is all there is."""
    monkeypatch.delenv(identity.USER_ENV, raising=False)
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "apatel")


@pytest.fixture
def window(qtbot, demo_plan: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    shown = MainWindow(PlanService.open(demo_plan, auto_backup=False))
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.close()


def _ok(dialog: UserDialog) -> object:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _last_actor(window: MainWindow) -> str:
    return window.service.audit_log()[-1].actor


@pytest.mark.usefixtures("first_start")
def test_the_first_start_asks_who_with_the_login_name_offered(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = window.ask_who_on_first_start()
    assert isinstance(dialog, UserDialog)
    assert dialog.isVisible()
    assert dialog.name.text() == "apatel"
    assert any("Welcome to PlacePlanner" in label.text() for label in dialog.findChildren(QLabel))
    dialog.name.clear()
    assert not _ok(dialog).isEnabled()  # a blank name is not a name
    qtbot.keyClicks(dialog.name, "Asha Patel")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert identity.saved_user() == "Asha Patel"
    assert window.service.actor == "Asha Patel"
    option = window.service.read().options[0]
    window.editor.upsert(replace(option, description="Recorded as Asha's"))
    assert _last_actor(window) == "Asha Patel"
    assert window.ask_who_on_first_start() is None  # asked once


@pytest.mark.usefixtures("first_start")
def test_closing_the_first_start_question_keeps_the_name_offered(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = window.ask_who_on_first_start()
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert identity.saved_user() == "apatel"
    assert window.ask_who_on_first_start() is None


def test_a_name_set_for_the_computer_is_not_asked_for(window: MainWindow) -> None:
    assert identity.current_user() == "Test Analyst"  # PLACEPLANNER_USER, as IT or the tests set it
    assert window.ask_who_on_first_start() is None


@pytest.mark.usefixtures("first_start")
def test_the_edit_menu_changes_who_is_recorded(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    identity.set_current_user("Asha Patel")
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.who_action in edit.actions()
    window.who_action.trigger()
    dialog = window.findChild(UserDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.name.text() == "Asha Patel"
    dialog.name.setText("Tom Reid")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert identity.current_user() == "Tom Reid"
    assert window.statusBar().currentMessage() == "Changes from now on are recorded as made by Tom Reid."
    option = window.service.read().options[1]
    window.editor.upsert(replace(option, description="Recorded as Tom's"))
    assert _last_actor(window) == "Tom Reid"


@pytest.mark.usefixtures("first_start")
def test_cancelling_a_change_of_name_keeps_the_name(window: MainWindow) -> None:
    identity.set_current_user("Asha Patel")
    actor = window.service.actor
    dialog = window.ask_who()
    assert isinstance(dialog, UserDialog)
    dialog.name.setText("Someone else")
    dialog.reject()
    assert identity.current_user() == "Asha Patel"
    assert window.service.actor == actor
    assert not dialog.isVisible()
