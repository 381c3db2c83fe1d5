"""The participant page in a real browser (Debian's Chromium through Playwright), against the real
meeting server on a copy of the demo plan: what people see and do, and what reaches the plan file."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Route, expect

from placeplanner.gui.meeting_room import move_words, room_state
from placeplanner.model import AgreedScore, Option, Participant, Partner
from placeplanner.service import PlanService
from tests.meeting.browser_support import (
    FALLS_CAR,
    FRAILTY_WARD,
    LAPTOP,
    Browsers,
    RunningMeeting,
    browsers,
    chromium,
    demo_template,
    open_meeting,
)

__all__ = ["browsers", "chromium", "demo_template", "open_meeting"]  # fixtures, imported to be found

HEALTH, EQUITY, QUALITY = "Improves population health", "Reduces inequalities", "Quality and safety"
DELIVERY, STRATEGY, VFM = "Deliverability", "Fit with system strategy", "Value for money"
VALUES = (HEALTH, EQUITY, QUALITY, DELIVERY, STRATEGY, VFM)
CONFIDENCE = {"Low": 0.5, "Medium": 0.7, "High": 0.9}

OpenMeeting = Callable[..., RunningMeeting]


def stored_scores(path: Path, meeting: str) -> dict[tuple[str, str], tuple[float | None, float | None, str]]:
    """(participant, value) -> (score, confidence, comment) as a fresh reader finds them in the file."""
    with PlanService.open(path, write=False) as reader:
        frame = reader.scores_frame(meeting)
    return {
        (str(row.participant), str(row.value)): (_number(row.score), _number(row.confidence), str(row.comment))
        for row in frame.itertuples()
    }


def _number(raw: Any) -> float | None:
    return None if raw is None or (isinstance(raw, float) and math.isnan(raw)) else float(raw)


# -- the meeting from the issue ------------------------------------------------------------------

def test_participants_join_score_change_a_score_recuse_and_the_plan_holds_exactly_what_they_sent(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting()
    helen, rajesh, bernard, joanne = (browsers.participant(meeting) for _ in range(4))
    rajesh_laptop_too = browsers.participant(meeting, viewport=LAPTOP)

    # Helen scores every value, one as "don't know", with a confidence and a comment that looks like HTML.
    helen.join("Helen Whitfield")
    helen.confirm_declarations()
    expect(helen.heading).to_have_text(FRAILTY_WARD)
    expect(helen.page.get_by_text("£1.85m + 7,000 staff hours over 2027/28 to 2028/29")).to_be_visible()
    helen_scores: dict[str, float | None] = {HEALTH: 8, EQUITY: 6, QUALITY: 7, DELIVERY: None, STRATEGY: 9, VFM: 5}
    helen.score(helen_scores)
    helen.add_detail(HEALTH, confidence="High", comment="Strong evidence from the pilot <b>not bold</b> & so on")
    helen.add_detail(VFM, confidence="Low")
    helen.submit()
    helen.expect_saved()

    # Rajesh scores, then changes his mind about one value and submits again.
    rajesh.join("Rajesh Patel")
    rajesh.confirm_declarations()
    rajesh_scores: dict[str, float | None] = {HEALTH: 3, EQUITY: 4, QUALITY: 5, DELIVERY: 6, STRATEGY: 7, VFM: 2}
    rajesh.score(rajesh_scores)
    rajesh.submit()
    rajesh.expect_saved()
    rajesh.choose(HEALTH, 9)
    expect(rajesh.save_status).to_have_text(re.compile(r"^Changes not saved yet"))
    rajesh.submit()
    rajesh.expect_saved()
    rajesh_scores[HEALTH] = 9

    # Bernard declares an interest on the page: under the recuse policy he then does not score it.
    bernard.join("Bernard Ellis")
    bernard.declare(FRAILTY_WARD, "My sister's company would supply the ward's monitoring kit.")
    expect(bernard.page.locator(".agenda-interest")).to_have_text(
        "You declared: My sister's company would supply the ward's monitoring kit.")
    bernard.confirm_declarations()
    expect(bernard.heading).to_have_text(FRAILTY_WARD)
    expect(bernard.page.get_by_text("You do not score this option")).to_be_visible()
    expect(bernard.page.get_by_role("button", name="Submit scores")).to_have_count(0)
    bernard.allow(422, "/api/scores")
    refused = bernard.post("/api/scores", {"option": FRAILTY_WARD, "scores": {HEALTH: {"score": 10}}})
    assert refused["status"] == 422
    assert "declared an interest" in refused["body"]["error"]

    # Joanne's interest was declared before the meeting: the page shows it and she is recused too.
    joanne.join("Joanne Kowalski")
    expect(joanne.page.locator(".agenda-interest")).to_contain_text("Her directorate would run the virtual ward.")
    joanne.confirm_declarations()
    expect(joanne.page.get_by_text("You do not score this option")).to_be_visible()

    # The same person on a second device is asked, continues there, and the first is told its place ended.
    rajesh.allow(401, "/api/state")
    rajesh.allow(401, "/api/events")
    rajesh_laptop_too.take_over("Rajesh Patel")
    rajesh_laptop_too.confirm_declarations()
    expect(rajesh_laptop_too.scale(HEALTH).get_by_role("radio", name="9", exact=True)).to_be_checked()
    expect(rajesh.heading).to_have_text("Join the meeting")
    expect(rajesh.page.get_by_text("Your place in the meeting has ended")).to_be_visible()

    assert meeting.live.scored(FRAILTY_WARD) == ["Helen Whitfield", "Rajesh Patel"]

    # The facilitator reveals: scoring stops, and each page shows its own scores read-only.
    meeting.live.reveal()
    for person in (helen, rajesh_laptop_too):
        expect(person.page.locator(".stage")).to_have_text("Scores revealed")
        expect(person.page.get_by_role("button", name="Submit scores")).to_have_count(0)
        expect(person.page.get_by_role("radio")).to_have_count(0)
    expect(helen.page.locator(".my-scores")).to_contain_text("Don't know")
    expect(helen.page.locator(".my-scores")).to_contain_text("Comment: Strong evidence from the pilot <b>not bold</b> & so on")
    expect(rajesh_laptop_too.page.locator(".my-scores .fact").first).to_contain_text(f"{HEALTH}9")
    expect(bernard.page.get_by_text("You did not score this option, because you declared an interest in it.")).to_be_visible()

    # ... and agrees a score for each value.
    agreed = {HEALTH: 7.0, EQUITY: 5.0, QUALITY: 6.0, DELIVERY: 6.0, STRATEGY: 8.0, VFM: 4.0}
    for value, score in agreed.items():
        meeting.service.upsert(AgreedScore(FRAILTY_WARD, value, score, "Agreed after discussion", meeting.name))

    browsers.close()
    meeting.close()

    expected: dict[tuple[str, str], tuple[float | None, float | None, str]] = {
        ("Helen Whitfield", v): (s, None, "") for v, s in helen_scores.items()}
    expected["Helen Whitfield", HEALTH] = (8.0, CONFIDENCE["High"], "Strong evidence from the pilot <b>not bold</b> & so on")
    expected["Helen Whitfield", VFM] = (5.0, CONFIDENCE["Low"], "")
    expected.update({("Rajesh Patel", v): (s, None, "") for v, s in rajesh_scores.items()})
    assert stored_scores(meeting.path, meeting.name) == expected

    with PlanService.open(meeting.path, write=False) as reader:
        plan = reader.read()
    assert {(a.value, a.score) for a in plan.agreed_scores
            if a.option == FRAILTY_WARD and a.meeting == meeting.name} == set(agreed.items())
    declared = {(d.participant, d.option): d for d in plan.declarations}
    assert declared["Bernard Ellis", FRAILTY_WARD].interest == "My sister's company would supply the ward's monitoring kit."
    assert declared["Bernard Ellis", FRAILTY_WARD].action.value == "recused"


# -- one voice each, in the open ----------------------------------------------------------------------

def test_a_second_device_choosing_a_joined_name_is_asked_and_the_first_is_told_and_the_console_sees_it(
        open_meeting: OpenMeeting, browsers: Browsers, tmp_path: Path) -> None:
    meeting = open_meeting()
    first = browsers.participant(meeting)
    first.join("Helen Whitfield")
    first.confirm_declarations()
    first.score({HEALTH: 7})
    first.submit()
    expect(first.save_status).to_have_text(re.compile(r"^Not sent"))  # the other values are still to score
    second = browsers.participant(meeting, viewport={"width": 360, "height": 740})
    second.allow(409, "/api/join")
    second.choose_name("Helen Whitfield")
    expect(second.heading).to_have_text("Already in the meeting")
    page = second.page
    expect(page.locator(".notice-warning")).to_have_text(
        "Helen Whitfield is already in the meeting on another device; continue here and end that one?")
    page.screenshot(path=str(tmp_path / "phone-confirm-360x740.png"), animations="disabled", caret="hide")
    assert meeting.live.moves() == ()  # asking ends nothing...
    first.page.reload()
    expect(first.heading).to_have_text(FRAILTY_WARD)  # ...and the first device keeps its place

    # Going back leaves things as they were; continuing takes the place over.
    page.get_by_role("button", name="Go back").click()
    expect(second.heading).to_have_text("Who are you?")
    page.get_by_label("Your name").select_option(label="Helen Whitfield")
    page.get_by_role("button", name="Join meeting").click()
    expect(second.heading).to_have_text("Already in the meeting")
    first.allow(401, "/api/state")
    first.allow(401, "/api/events")
    page.get_by_role("button", name="Continue here").click()
    expect(second.heading).to_have_text("Declare any interests")
    expect(first.heading).to_have_text("Join the meeting")
    expect(first.page.locator(".notice-warning")).to_contain_text(
        "Your place in the meeting has ended: your name was chosen on another device at ")
    expect(first.page.locator(".notice-warning")).to_contain_text("If that was not you, tell the facilitator.")

    # The console's model shows the move, with the person on their new device; the audit log has it.
    (move,) = meeting.live.moves()
    state = room_state(meeting.live, frozenset(), 4)
    helen = next(a for a in state.attendees if a.name == "Helen Whitfield")
    assert (helen.moved, helen.since) == (True, move.at)
    assert move_words(state.moves[0]) == f"Helen Whitfield moved to another device, {move.at:%H:%M}"
    assert [(e.actor, e.action) for e in meeting.service.audit_log() if e.entity == "meeting_tokens"] == [
        ("Helen Whitfield", "move device")]

    # One score per participant, option and value: the new device sees and replaces the one saved.
    second.confirm_declarations()
    expect(second.scale(HEALTH).get_by_role("radio", name="7", exact=True)).not_to_be_checked()  # never saved
    second.score(dict.fromkeys(VALUES, 5.0))
    second.submit()
    second.expect_saved()
    second.choose(HEALTH, 9)
    second.submit()
    second.expect_saved()
    scores = stored_scores(meeting.path, meeting.name)
    assert {k: v[0] for k, v in scores.items()} == {("Helen Whitfield", v): (9.0 if v == HEALTH else 5.0) for v in VALUES}

    # "Not you? Join again" gives the name up, so choosing it again asks nothing.
    page.get_by_role("button", name="Not you? Join again").click()
    expect(second.heading).to_have_text("Join the meeting")
    assert meeting.live.joined() == []
    second.join("Helen Whitfield")


# -- escaping --------------------------------------------------------------------------------------

HOSTILE_OPTION = '<img src=x onerror="alert(\'option\')"> Falls & <script>alert("o")</script>'
HOSTILE_DESCRIPTION = '<script>alert("description")</script><b>not bold</b> &amp; <img src=y onerror=alert(2)>'
HOSTILE_PARTNER = '<i onmouseover="alert(3)">Evil</i> & Co'
HOSTILE_PERSON = '<img src=z onerror=alert("person")> Eve'
HOSTILE_MEETING = 'Workshop <svg onload=alert("meeting")>'


def test_names_that_look_like_html_are_shown_as_text_and_run_nothing(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    def add_hostile_names(service: PlanService) -> None:
        service.upsert(Partner(HOSTILE_PARTNER, "council"))
        service.upsert(Option(HOSTILE_OPTION, HOSTILE_PARTNER, description=HOSTILE_DESCRIPTION,
                              needs=("Frailty and falls in over-65s",)))
        service.upsert(Participant(HOSTILE_PERSON, HOSTILE_PARTNER))

    meeting = open_meeting(meeting=HOSTILE_MEETING, attendees=(HOSTILE_PERSON, "Helen Whitfield"),
                           agenda=(HOSTILE_OPTION, FRAILTY_WARD), prepare=add_hostile_names, start_at=HOSTILE_OPTION)
    eve = browsers.participant(meeting, viewport=LAPTOP)
    page = eve.page
    eve.open()
    eve.enter_code()
    expect(page.locator("#meeting-name")).to_have_text(HOSTILE_MEETING)
    expect(page.get_by_label("Your name").locator("option").nth(1)).to_have_text(HOSTILE_PERSON)
    page.get_by_label("Your name").select_option(label=HOSTILE_PERSON)
    page.get_by_role("button", name="Join meeting").click()
    expect(page.locator(".agenda-option").first).to_have_text(HOSTILE_OPTION)
    eve.declare(HOSTILE_OPTION, '<img src=q onerror=alert("interest")>')
    expect(page.locator(".agenda-interest")).to_have_text('You declared: <img src=q onerror=alert("interest")>')
    eve.confirm_declarations()

    expect(eve.heading).to_have_text(HOSTILE_OPTION)
    expect(page.locator(".summary-description")).to_have_text(HOSTILE_DESCRIPTION)
    expect(page.locator(".summary")).to_contain_text(HOSTILE_PARTNER)
    expect(page.get_by_text("You do not score this option")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text('<img src=q onerror=alert("interest")>')
    assert page.title().startswith(HOSTILE_OPTION)
    page.locator(".summary").hover()
    assert page.locator("main img, main script, main svg, main i, main b").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onload], [onmouseover]').length") == 0
    eve.assert_quiet()


# -- saving --------------------------------------------------------------------------------------------

def test_saved_is_shown_only_after_the_server_took_the_scores(open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting()
    helen = browsers.participant(meeting)
    helen.join("Helen Whitfield")
    helen.confirm_declarations()

    # Nothing chosen for two values: nothing is sent, and the page says which, at the value itself.
    helen.score({HEALTH: 4, EQUITY: 5, QUALITY: 6, DELIVERY: 7})
    helen.submit()
    expect(helen.save_status).to_have_text(re.compile(rf"^Not sent.*{STRATEGY}, {VFM}\."))
    expect(helen.page.locator(".value-has-error")).to_have_count(2)
    expect(helen.scale(STRATEGY).get_by_role("radio").first).to_be_focused()
    helen.score({STRATEGY: 8, VFM: None})
    expect(helen.page.locator(".value-has-error")).to_have_count(0)

    # The server refuses: no "Saved", the person reads why.
    def refuse(route: Route) -> None:
        route.fulfill(status=409, json={"error": "Scoring closed before your scores arrived; they were not saved."})

    helen.allow(409, "/api/scores")
    helen.page.route("**/api/scores", refuse)
    helen.submit()
    expect(helen.save_status).to_have_text(re.compile(r"^Your scores were not saved.*Scoring closed before"))
    assert meeting.live.scored(FRAILTY_WARD) == []

    helen.page.unroute("**/api/scores")
    helen.submit()
    helen.expect_saved()
    assert meeting.live.scored(FRAILTY_WARD) == ["Helen Whitfield"]

    # A reload keeps the place and shows the saved scores.
    helen.page.reload()
    expect(helen.heading).to_have_text(FRAILTY_WARD)
    expect(helen.scale(HEALTH).get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(helen.scale(VFM).get_by_role("radio", name="Don't know", exact=True)).to_be_checked()
    helen.expect_saved()

    # Changing back to what was saved says so; a change not yet sent never claims to be saved.
    helen.choose(HEALTH, 5)
    expect(helen.save_status).to_have_text(re.compile(r"^Changes not saved yet"))
    helen.choose(HEALTH, 4)
    helen.expect_saved()


# -- following the meeting -----------------------------------------------------------------------------

def test_without_server_sent_events_the_page_polls_and_follows_the_facilitator(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting(start_at=None)
    helen = browsers.participant(meeting, init_script="window.EventSource = undefined;")
    helen.join("Helen Whitfield")
    helen.confirm_declarations()
    expect(helen.heading).to_have_text("Waiting for scoring to start")

    meeting.live.go_to(FALLS_CAR)
    expect(helen.heading).to_have_text(FALLS_CAR)
    helen.score(dict.fromkeys(VALUES, 6))
    helen.submit()
    helen.expect_saved()

    meeting.live.close_round()
    expect(helen.page.get_by_text("Scoring is closed", exact=True)).to_be_visible()
    expect(helen.page.get_by_role("button", name="Submit scores")).to_have_count(0)
    expect(helen.page.locator(".my-scores .fact")).to_have_count(len(VALUES))


def test_under_the_flag_policy_a_declared_interest_is_marked_but_scored(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting(policy="flag")
    bernard = browsers.participant(meeting)
    bernard.join("Bernard Ellis")
    expect(bernard.page.get_by_text("you can still score it")).to_be_visible()
    bernard.declare(FRAILTY_WARD, "I chair the trust's patient panel.")
    bernard.confirm_declarations()
    expect(bernard.page.get_by_text("You declared an interest in this option")).to_be_visible()
    bernard.score(dict.fromkeys(VALUES, 5))
    bernard.submit()
    bernard.expect_saved()
    assert meeting.live.scored(FRAILTY_WARD) == ["Bernard Ellis"]


def test_when_the_meeting_ends_the_page_says_so(open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting()
    helen = browsers.participant(meeting)
    helen.join("Helen Whitfield")
    helen.confirm_declarations()
    helen.allow(410, "/api/state")
    helen.allow(410, "/api/events")
    meeting.live.end()
    expect(helen.heading).to_have_text("The meeting has ended")
    expect(helen.page.get_by_text("Your scores are kept in the plan.")).to_be_visible()


# -- access ----------------------------------------------------------------------------------------------

def test_the_join_step_works_from_the_keyboard_and_a_wrong_code_is_explained(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting()
    helen = browsers.participant(meeting)
    page = helen.page
    # A link may carry the code (a QR code on the projected screen): it fills the field, then leaves the address.
    page.goto(f"{meeting.url}#code={meeting.code}")
    expect(page.get_by_label("Join code")).to_have_value(meeting.code)
    assert page.evaluate("location.hash") == ""

    helen.open()
    helen.allow(403, "/api/names")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Join code")).to_be_focused()
    page.keyboard.type("WRONG1")
    page.keyboard.press("Enter")
    expect(page.get_by_text("That is not this meeting's code.")).to_be_visible()
    expect(page.get_by_label("Join code")).to_be_focused()
    expect(page.get_by_label("Join code")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Join code").fill(meeting.code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your name")).to_be_visible()
    page.get_by_label("Your name").focus()
    page.get_by_label("Your name").select_option(label="Helen Whitfield")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Join meeting")).to_be_focused()
    page.keyboard.press("Enter")
    expect(helen.heading).to_have_text("Declare any interests")
    helen.confirm_declarations()

    # The scale is an ordinary radio group: Tab into it, arrows move along it.
    helen.scale(HEALTH).get_by_role("radio", name="0", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(helen.scale(HEALTH).get_by_role("radio", name="2", exact=True)).to_be_checked()
    outline = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert outline == "solid", "the focused point shows no focus ring"


_CONTRAST_SCRIPT = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const poor = [];
  for (const el of document.querySelectorAll('body *')) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
    if (!text || !el.getClientRects().length || el.closest('.visually-hidden')) continue;
    const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) poor.push(`${text.slice(0, 40)}: ${ratio.toFixed(2)}`);
  }
  return poor;
}"""

_SMALL_TARGETS_SCRIPT = """() => [...document.querySelectorAll('input:not([type=radio]), select, textarea, button, summary, .point')]
  .filter((el) => el.getClientRects().length)
  .map((el) => [el.textContent.trim().slice(0, 30) || el.id, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < 44 || box.height < 44)
  .map(([name, box]) => `${name}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def test_the_scoring_page_is_labelled_reflows_and_has_large_targets_and_enough_contrast(
        open_meeting: OpenMeeting, browsers: Browsers) -> None:
    meeting = open_meeting()
    # 320 CSS pixels wide: a 1280-pixel laptop at 400% zoom, or a small phone at 200%.
    narrow = browsers.participant(meeting, viewport={"width": 320, "height": 640})
    narrow.join("Helen Whitfield")
    narrow.confirm_declarations()
    page = narrow.page
    for value in VALUES:
        expect(narrow.scale(value).get_by_role("radio")).to_have_count(12)  # 0 to 10, and "Don't know"
        expect(narrow.scale(value).get_by_role("radio", name="Don't know", exact=True)).to_have_count(1)
    expect(narrow.scale(HEALTH).get_by_role("radio", name="5", exact=True)).to_have_accessible_description(
        "A real gain for a defined group, such as fewer admissions or better control of a condition")
    narrow.choose(HEALTH, 6)
    narrow.add_detail(HEALTH, confidence="Medium", comment="A comment")
    narrow.submit()
    expect(narrow.save_status).to_have_text(re.compile(r"^Not sent"))

    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.outerHTML)""")
    assert unlabelled == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        "the page scrolls sideways at 320 CSS pixels"
    assert page.evaluate(_SMALL_TARGETS_SCRIPT) == []
    page.keyboard.press("Tab")  # a focused button turns yellow: its text must still read
    assert page.evaluate(_CONTRAST_SCRIPT) == []
