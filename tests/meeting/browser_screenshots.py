"""Screenshots of the participant page for docs/screenshots, taken by hand:

    .venv/bin/python -m tests.meeting.browser_screenshots [OUTDIR]

A meeting on a copy of the demo plan, served in-process, seen through Debian's Chromium at phone
(390x844) and laptop (1366x768) sizes: the join step on the phone, and the scoring step on both;
then a second phone (360x740) choosing a name already in the meeting, and the first phone told.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.meeting.browser_support import (
    FRAILTY_WARD,
    LAPTOP,
    PHONE,
    Browsers,
    launch_chromium,
    running_meeting,
    write_template,
)

HEALTH, EQUITY = "Improves population health", "Reduces inequalities"
# The scoring form's heading (which names the option) at the top, the first values under it.
_SCROLL_TO_SCORES = "window.scrollTo(0, document.getElementById('scores-heading').offsetTop - 16)"


def take(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        os.environ.setdefault("PLACEPLANNER_HOME", folder)
        template = write_template(Path(folder))
        browser = launch_chromium(playwright)
        browsers = Browsers(browser)
        try:
            with running_meeting(template, Path(folder)) as meeting:
                phone = browsers.participant(meeting, viewport=PHONE, is_mobile=True,
                                             has_touch=True)
                phone.open()
                phone.page.get_by_label("Join code").fill(meeting.code)
                written.append(_shot(phone.page, outdir / "participant-phone-join.png"))

                phone.enter_code()
                phone.page.get_by_label("Your name").select_option(label="Helen Whitfield")
                phone.page.get_by_role("button", name="Join meeting").click()
                phone.confirm_declarations()
                expect(phone.heading).to_have_text(FRAILTY_WARD)
                phone.choose(HEALTH, 7)
                phone.page.evaluate("document.activeElement.blur()")
                phone.page.evaluate(_SCROLL_TO_SCORES)
                written.append(_shot(phone.page, outdir / "participant-phone-scoring.png"))

                laptop = browsers.participant(meeting, viewport=LAPTOP)
                laptop.join("Rajesh Patel")
                laptop.confirm_declarations()
                laptop.choose(HEALTH, 8)
                laptop.choose(EQUITY, None)
                laptop.page.evaluate("document.activeElement.blur()")
                laptop.page.evaluate(_SCROLL_TO_SCORES)
                written.append(_shot(laptop.page, outdir / "participant-laptop-scoring.png"))

                # Helen's name chosen again on a second phone: it asks first; her first phone is told.
                second = browsers.participant(meeting, viewport={"width": 360, "height": 740}, is_mobile=True,
                                              has_touch=True)
                second.allow(409, "/api/join")
                second.choose_name("Helen Whitfield")
                expect(second.heading).to_have_text("Already in the meeting")
                written.append(_shot(second.page, outdir / "participant-phone-name-in-use.png"))
                phone.allow(401, "/api/state")
                phone.allow(401, "/api/events")
                second.page.get_by_role("button", name="Continue here").click()
                expect(phone.heading).to_have_text("Join the meeting")
                written.append(_shot(phone.page, outdir / "participant-phone-place-ended.png"))
                browsers.close()
        finally:
            browser.close()
    return written


def _shot(page: Page, path: Path) -> Path:
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def main() -> int:
    outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    for path in take(outdir):
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
