"""The Meeting screen: set a scoring meeting up, open it, and run it from the facilitator's console,
with a presentation window for the projector.

The meeting server runs while the meeting is open here; closing the window or the plan stops it
(``stop_work``) and leaves the meeting live, so opening it again resumes it where it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from placeplanner.errors import PlanError
from placeplanner.gui.editing import PlanEditor
from placeplanner.gui.meeting_console import MeetingConsole
from placeplanner.gui.meeting_offline import OfflineScoresDialog
from placeplanner.gui.meeting_session import MeetingSession
from placeplanner.gui.meeting_setup import MeetingSetup
from placeplanner.gui.presentation import PresentationWindow
from placeplanner.meeting.addresses import local_addresses
from placeplanner.meeting.settings import MeetingSettings

SETUP_TEXT = ("Score options together: everyone scores from their own phone or laptop (or aloud, and you enter it), "
              "the spread is revealed, and the group agrees a score. Choose who is here and what is on the agenda.")
CONSOLE_TEXT = "The meeting is open. Put the join screen on the projector (F5), then take the options in turn."


class MeetingPage(QWidget):
    TABLES = frozenset({"participants", "options", "values", "declarations", "agreed_scores", "meetings", "info"})

    def __init__(self, editor: PlanEditor) -> None:
        super().__init__()
        self._editor = editor
        self.session: MeetingSession | None = None
        self.presentation: PresentationWindow | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(8)
        self.title = QLabel("Meeting")
        self.title.setObjectName("title")
        self.subtitle = QLabel(SETUP_TEXT)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.setup = MeetingSetup(local_addresses())
        self.console = MeetingConsole(editor)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.setup)
        self.stack.addWidget(self.console)
        layout.addWidget(self.stack, 1)
        self.setup.open_requested.connect(self.open_meeting)
        self.console.present_requested.connect(self.present)
        self.console.enter_requested.connect(self.enter_scores)
        self.console.end_requested.connect(self.end_meeting)
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            self.setup.fill(self._editor.service.read())
        else:
            self.console.refresh()

    # -- opening and ending ----------------------------------------------------------------------

    def open_meeting(self, settings: MeetingSettings, host: str, port: int) -> bool:
        """Open (or resume) the meeting and show the console; a refusal is shown on the form."""
        if self.session is not None:
            return False
        try:
            session = MeetingSession.open(self._editor, settings, host=host, port=port)
        except PlanError as exc:
            self.setup.show_problem(f"The meeting did not open: {exc}")
            return False
        self.session = session
        self.title.setText(f"Meeting: {session.live.settings.meeting}")
        self.subtitle.setText(CONSOLE_TEXT)
        self.console.attach(session)
        self.stack.setCurrentWidget(self.console)
        if session.live.resumed:
            self.console.say("Resumed where it was left: the same join code, people, agenda and scores. "
                             "Anyone who had joined can carry on from their own page.", problem=False)
        return True

    def end_meeting(self) -> None:
        session = self.session
        if session is None:
            return
        self._close_presentation()
        self.console.detach()
        self.session = None
        try:
            session.end()
        finally:
            session.deleteLater()
            self.title.setText("Meeting")
            self.subtitle.setText(SETUP_TEXT)
            self.stack.setCurrentWidget(self.setup)
            self.refresh()

    def stop_work(self) -> None:
        """The window or the plan is closing: stop listening; the meeting stays live to resume."""
        self._close_presentation()
        if self.session is not None:
            self.session.stop()

    # -- the console's requests --------------------------------------------------------------------

    def present(self) -> PresentationWindow | None:
        if self.session is None:
            return None
        if self.presentation is None:
            self.presentation = PresentationWindow(self.session)
        self.presentation.present(self.window())
        return self.presentation

    def enter_scores(self) -> OfflineScoresDialog | None:
        if self.session is None:
            return None
        try:
            dialog = OfflineScoresDialog(self.session, self)
        except PlanError as exc:
            self.console.say(str(exc), problem=True)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _close_presentation(self) -> None:
        if self.presentation is not None:
            self.presentation.close()
            self.presentation.deleteLater()
            self.presentation = None
