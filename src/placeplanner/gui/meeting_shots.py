"""Screenshots of a meeting as it runs: the console, and the projector's join screen, a round in
progress, a revealed spread, a reveal of too few scores to show dots and the allocation at 1280x720 and
1920x1080. Participants are played by direct calls
to the live meeting (the same checks and commits the server makes), so it needs no network."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from placeplanner.gui.meeting_page import MeetingPage
from placeplanner.gui.presentation import PresentationWindow
from placeplanner.meeting.addresses import local_addresses
from placeplanner.meeting.live import LiveMeeting

PROJECTORS = ((1280, 720), (1920, 1080))
# Each scorer's scores, one a value, in the order the plan lists its values: most of the room near
# agreement, with one value (the second) split, so the reveal has something to discuss.
SCORES = (
    (8, 3, 7, 6, 7, 6), (7, 8, 8, 5, 6, 7), (8, 2, 7, 6, 8, 6), (9, 9, 8, 7, 7, 7),
    (7, 4, 6, 5, 6, 5), (8, 8, 7, 6, 7, 6), (6, 3, 7, 4, 6, 6), (8, 9, 8, 6, 7, 7),
)


def render_meeting_screenshots(page: MeetingPage, window: QWidget, out: Path) -> list[Path]:
    """Open a meeting on ``page`` (the Meeting screen of ``window``), play a round and save the
    pictures; the meeting is stopped again, left live in the (scratch) plan."""
    for address in local_addresses():  # the room's network if there is one; this computer if not
        page.setup.address.setCurrentText(address)
        page.setup.open_button.click()
        if page.session is not None:
            break
    session = page.session
    if session is None:
        raise RuntimeError(f"the meeting did not open for the screenshots: {page.setup.problem.text()}")
    saved: list[Path] = []
    live = session.live
    presentation = PresentationWindow(session)
    try:
        for name in live.settings.attendees[:10]:
            live.join(name)
        saved += _projector(presentation, "join", out, joining=True)
        session.step(1)
        scorers = [name for name in live.eligible() if name in live.joined()][: len(SCORES)]
        _score(live, scorers[:6])
        _settle()
        saved.append(_grab(window, out / "meeting-console.png"))
        saved += _projector(presentation, "round", out)
        _score(live, scorers[6:], first=6)
        session.reveal()
        _settle()
        saved.append(_grab(window, out / "meeting-console-revealed.png"))
        saved += _projector(presentation, "revealed", out)
        session.run_allocation()
        if not session.wait_for_allocation(120_000):
            raise RuntimeError("the allocation for the screenshots did not finish in two minutes")
        _settle()
        saved.append(_grab(window, out / "meeting-console-allocation.png"))
        saved += _projector(presentation, "allocation", out)
        session.hide_allocation()
        # One of the room chooses their name again on a second device: the console says so.
        live.join(live.settings.attendees[1], take_over=True)
        _settle()
        console = page.console
        console.side_tabs.setCurrentWidget(console.places)
        _settle()
        saved.append(_grab(window, out / "meeting-console-devices.png"))
        # The next option, scored by two of the room: the reveal the facilitator confirmed shows
        # each value's median and count, and no one's own score.
        session.step(1)
        _score(live, [name for name in live.eligible() if name in live.joined()][:2])
        session.reveal(confirmed=True)
        _settle()
        saved += _projector(presentation, "revealed-few", out)
    finally:
        presentation.close()
        presentation.deleteLater()
        page.stop_work()
    return saved


def _score(live: LiveMeeting, names: list[str], first: int = 0) -> None:
    values = live.settings.values
    for offset, name in enumerate(names):
        row = SCORES[(first + offset) % len(SCORES)]
        body = {"option": live.current_option,
                "scores": {value: {"score": float(row[i % len(row)])} for i, value in enumerate(values)}}
        live.commit([live.check_submission(name, body)])


def _projector(presentation: PresentationWindow, what: str, out: Path, *, joining: bool = False) -> list[Path]:
    saved = []
    for width, height in PROJECTORS:
        presentation.resize(width, height)
        presentation.show()
        presentation.joining = joining
        _settle()
        presentation.refresh()
        presentation.rescale()
        _settle()
        saved.append(_grab(presentation, out / f"presentation-{what}-{width}x{height}.png"))
    presentation.joining = False
    return saved


def _settle() -> None:
    for _ in range(3):  # queued news from the meeting, then the layouts it changes
        QCoreApplication.processEvents()


def _grab(widget: QWidget, target: Path) -> Path:
    widget.grab().save(str(target))
    return target
