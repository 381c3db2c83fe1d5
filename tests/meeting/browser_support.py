"""The participant page in a real browser: Debian's Chromium driven by Playwright, over a meeting
served in-process on a copy of the demo plan. Shared by the browser tests and the screenshot script.

Chromium is never downloaded: ``scripts/browser.sh`` installs Debian's package, and a missing
browser fails the tests with a message saying so rather than skipping them.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    expect,
)

from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.server import MeetingServer
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.service import PlanService

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
FRAILTY_WARD = "Frailty virtual ward"
FALLS_CAR = "Falls response car"
TIMEOUT_MS = 5000


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; a clear failure when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}, so the participant page cannot be tested in a "
                    "real browser. Run scripts/browser.sh (as root it installs Debian's chromium package).",
                    pytrace=False)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def write_template(folder: Path) -> Path:
    """The demo plan, written once per module; each meeting runs on a copy."""
    from placeplanner.demo import write_demo_plan

    path = folder / "riverside-template.placeplan"
    write_demo_plan(path)
    return path


@dataclass
class RunningMeeting:
    """A live meeting served at ``url``; ``close()`` stops it and closes the plan (idempotent)."""

    path: Path
    service: PlanService
    live: LiveMeeting
    server: MeetingServer
    url: str
    _stack: ExitStack

    @property
    def code(self) -> str:
        return self.live.join_code

    @property
    def name(self) -> str:
        return self.live.settings.meeting

    def close(self) -> None:
        self._stack.close()


@contextmanager
def running_meeting(template: Path, folder: Path, *, meeting: str = "Scoring workshop, May 2027",
                    attendees: tuple[str, ...] = ("Helen Whitfield", "Rajesh Patel", "Bernard Ellis",
                                                  "Joanne Kowalski"),
                    agenda: tuple[str, ...] = (FRAILTY_WARD, FALLS_CAR), policy: str = "recuse",
                    prepare: Callable[[PlanService], None] | None = None,
                    start_at: str | None = FRAILTY_WARD) -> Iterator[RunningMeeting]:
    """Serve a meeting on a copy of ``template``: every value of the plan scored, the first option
    (or ``start_at``) open for scoring. ``prepare`` may change the plan before the meeting opens."""
    path = folder / "riverside.placeplan"
    shutil.copyfile(template, path)
    with ExitStack() as stack:
        service = PlanService.open(path)
        stack.callback(service.close)
        if prepare is not None:
            prepare(service)
        plan = service.read()
        settings = MeetingSettings(meeting=meeting, attendees=attendees, agenda=agenda,
                                   values=tuple(v.name for v in plan.values), policy=policy)
        live = LiveMeeting.open(service.plan_file, plan, settings, actor="Facilitator")
        if start_at is not None:
            live.go_to(start_at)
        server = MeetingServer(live)
        url = server.start()
        stack.callback(server.stop)
        running = RunningMeeting(path, service, live, server, url, stack.pop_all())
    try:
        yield running
    finally:
        running.close()


# Chrome reports every 4xx answer as a console error; a test that provokes one says so.
_HTTP_ERROR = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")
ALWAYS_ALLOWED: frozenset[tuple[int, str]] = frozenset()


@dataclass
class Participant:
    """One person's browser (its own context, so its own sessionStorage) on the participant page."""

    meeting: RunningMeeting
    context: BrowserContext
    page: Page
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allowed: set[tuple[int, str]] = field(default_factory=lambda: set(ALWAYS_ALLOWED))

    def allow(self, status: int, path: str) -> None:
        """Expect the server to answer ``path`` with ``status`` (Chrome logs it as an error)."""
        self.allowed.add((status, path))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        found = _HTTP_ERROR.search(message.text)
        path = urlsplit(message.location.get("url", "")).path
        if found is None or (int(found.group(1)), path) not in self.allowed:
            self.console_errors.append(f"{message.text} ({path})")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    # -- the steps, as a person takes them -------------------------------------------------------

    def open(self) -> Participant:
        self.page.goto(self.meeting.url)
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Join the meeting")
        return self

    def enter_code(self, code: str | None = None) -> None:
        self.page.get_by_label("Join code").fill(code if code is not None else self.meeting.code)
        self.page.get_by_role("button", name="Continue").click()

    def join(self, name: str) -> Participant:
        """Open the page, type the code, choose the name: lands on the declarations."""
        self.choose_name(name)
        expect(self.heading).to_have_text("Declare any interests")
        return self

    def choose_name(self, name: str) -> None:
        """Open the page, type the code, choose the name and ask to join."""
        self.open()
        self.enter_code()
        self.page.get_by_label("Your name").select_option(label=name)
        self.page.get_by_role("button", name="Join meeting").click()

    def take_over(self, name: str) -> Participant:
        """Choose a name another device holds: the page asks, and this device continues here."""
        self.allow(409, "/api/join")
        self.choose_name(name)
        expect(self.heading).to_have_text("Already in the meeting")
        self.page.get_by_role("button", name="Continue here").click()
        expect(self.heading).to_have_text("Declare any interests")
        return self

    def confirm_declarations(self) -> None:
        self.page.get_by_role("button", name=re.compile(r"^I have no (other )?interests to declare$")).click()

    def declare(self, option: str, interest: str) -> None:
        page = self.page
        page.get_by_text(re.compile(r"^I have (an|another) interest to declare$")).click()
        page.get_by_label("Option", exact=True).select_option(label=option)
        page.get_by_label("Your interest").fill(interest)
        page.get_by_role("button", name="Declare interest").click()
        expect(page.locator(".notice-success")).to_contain_text("is recorded")

    @property
    def heading(self) -> Any:
        return self.page.get_by_role("heading", level=1)

    def scale(self, value: str) -> Any:
        return self.page.get_by_role("radiogroup", name=value, exact=True)

    def choose(self, value: str, score: float | None) -> None:
        """Pick a point of ``value``'s scale, or "Don't know" for None."""
        label = "Don't know" if score is None else f"{score:g}"
        self.scale(value).get_by_role("radio", name=label, exact=True).check()

    def add_detail(self, value: str, *, confidence: str | None = None, comment: str | None = None) -> None:
        section = self.page.locator("section.value").filter(has=self.scale(value))
        details = section.locator("details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        if confidence is not None:
            section.get_by_label(f"Confidence in your score for {value}").select_option(label=confidence)
        if comment is not None:
            section.get_by_label(f"Comment on {value}").fill(comment)

    def score(self, scores: dict[str, float | None]) -> None:
        for value, score in scores.items():
            self.choose(value, score)

    def submit(self) -> None:
        self.page.get_by_role("button", name="Submit scores").click()

    @property
    def save_status(self) -> Any:
        return self.page.locator("#save-status")

    def expect_saved(self) -> None:
        expect(self.save_status).to_have_text(re.compile(r"^Saved"))

    def token(self) -> str:
        return str(self.page.evaluate("sessionStorage.getItem('placeplanner.meeting.token')"))

    def post(self, path: str, body: object) -> dict[str, Any]:
        """A request as the page would send it, with this participant's token: {status, body}."""
        result: dict[str, Any] = self.page.evaluate(
            """async ([path, body, token]) => {
                const response = await fetch(path, {method: 'POST', body: JSON.stringify(body),
                    headers: {'Content-Type': 'application/json', 'X-Meeting-Token': token}});
                return {status: response.status, body: await response.json()};
            }""", [path, body, self.token()])
        return result

    def assert_quiet(self) -> None:
        """No JavaScript error, no console error the test did not provoke, no dialog."""
        assert self.console_errors == [], self.console_errors
        assert self.dialogs == [], self.dialogs


class Browsers:
    """Opens participants on one shared browser, and checks each stayed quiet when the test ends."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.opened: list[Participant] = []

    def participant(self, meeting: RunningMeeting, *, viewport: dict[str, int] | None = None,
                    init_script: str | None = None, **context_options: Any) -> Participant:
        context = self.browser.new_context(viewport=viewport or PHONE, **context_options)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        person = Participant(meeting, context, page)
        page.on("console", person.on_console)
        page.on("pageerror", lambda error: person.console_errors.append(f"page error: {error}"))
        page.on("dialog", person.on_dialog)
        self.opened.append(person)
        return person

    def close(self) -> None:
        for person in self.opened:
            person.context.close()
        quiet = [(p.console_errors, p.dialogs) for p in self.opened]
        self.opened.clear()
        for errors, dialogs in quiet:
            assert errors == [], f"the page logged errors: {errors}"
            assert dialogs == [], f"the page opened dialogs: {dialogs}"


# -- fixtures (imported by the browser tests' modules) ---------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One browser for the whole module: starting Chromium costs about a second."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:  # module scope runs before the per-test private home
        patch.setenv("PLACEPLANNER_HOME", str(tmp_path_factory.mktemp("home")))
        return write_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def open_meeting(demo_template: Path, tmp_path: Path) -> Iterator[Callable[..., RunningMeeting]]:
    """``open_meeting(**options)`` serves a meeting (see ``running_meeting``) until the test ends."""
    numbers = itertools.count(1)
    with ExitStack() as stack:
        def start(**options: Any) -> RunningMeeting:
            folder = tmp_path / f"meeting-{next(numbers)}"
            folder.mkdir()
            return stack.enter_context(running_meeting(demo_template, folder, **options))

        yield start


@pytest.fixture
def browsers(chromium: Browser, open_meeting: Callable[..., RunningMeeting]) -> Iterator[Browsers]:
    """Participants' browsers, closed (and checked for errors) before the meetings stop."""
    opened = Browsers(chromium)
    yield opened
    opened.close()
