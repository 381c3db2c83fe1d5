"""The meeting server over real HTTP: the honest path, then hostile clients, each refused without
harm while honest participants go on being served."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from placeplanner.meeting.guard import ConnectionLimits
from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.server import MeetingServer, ServerLimits
from placeplanner.service import PlanService
from tests.meeting.client import call, from_address, join, score

HEALTH, FAIRNESS = "Improves population health", "Reduces inequalities"
OPTION = "Falls service"


@pytest.fixture
def tight(live: LiveMeeting) -> Iterator[MeetingServer]:
    """A server with small limits, so floods and slow clients show within a test's time."""
    limits = ServerLimits(per_address_rate=20, per_address_burst=40, per_token_rate=5, per_token_burst=10,
                          body_seconds=1.0, heartbeat_seconds=0.5, wrong_codes_free=3,
                          connections=ConnectionLimits(total=60, per_address=20, request_seconds=1.0))
    running = MeetingServer(live, limits=limits)
    running.start()
    yield running
    running.stop()


def honest_round_trip(server: MeetingServer, name: str = "Tom Reid", source: str = "127.0.0.1") -> None:
    """An honest participant from ``source`` can still join and score."""
    body = json.dumps({"code": server.live.join_code, "name": name}).encode()
    status, answer = from_address(server.url, source, "POST", "/api/join", body, {"Content-Type": "application/json"})
    assert status == 200, answer
    scores = json.dumps({"option": OPTION, "scores": {HEALTH: {"score": 6}}}).encode()
    status, answer = from_address(server.url, source, "POST", "/api/scores", scores,
                                  {"Content-Type": "application/json", "X-Meeting-Token": answer["token"]})
    assert status == 200, answer
    assert answer["saved"]


# -- the honest path ---------------------------------------------------------------------------

def test_a_participant_joins_with_the_code_scores_and_the_score_is_in_the_plan(server: MeetingServer, meeting_service: PlanService) -> None:
    status, names = call(server.url, "/api/names", {"code": server.live.join_code.lower()})
    assert status == 200
    assert "Asha Patel" in names["names"]
    token = join(server.url, server.live.join_code, "Asha Patel")
    status, state = call(server.url, "/api/state", token=token)
    assert status == 200
    assert state["question"]["option"] == OPTION
    assert state["stage"] == "scoring"
    status, answer = score(server.url, token, OPTION, {HEALTH: 7, FAIRNESS: None})
    assert (status, answer["saved"], answer["values"]) == (200, True, 2)
    frame = meeting_service.scores_frame("Testford workshop")
    assert sorted(zip(frame.value, frame.score.fillna(-1), strict=True)) == [(HEALTH, 7.0), (FAIRNESS, -1.0)]


def test_the_page_and_every_answer_carry_the_security_headers(server: MeetingServer) -> None:
    parts = urlsplit(server.url)
    for path in ("/", "/app.js", "/api/state", "/nowhere"):
        connection = socket.create_connection((parts.hostname, parts.port))
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head = connection.makefile("rb").read().split(b"\r\n\r\n")[0].decode().lower()
        connection.close()
        assert "content-security-policy: default-src 'none'" in head, path
        assert "x-content-type-options: nosniff" in head


def test_events_announce_each_change(server: MeetingServer) -> None:
    token = join(server.url, server.live.join_code, "Asha Patel")
    parts = urlsplit(server.url)
    stream = socket.create_connection((parts.hostname, parts.port), timeout=5)
    stream.sendall(f"GET /api/events?token={token} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    reader = stream.makefile("rb")
    seen = b""
    while b"event: change" not in seen:
        seen += reader.readline()
    server.live.close_round()
    later = b""
    deadline = time.monotonic() + 5
    while b"event: change" not in later and time.monotonic() < deadline:
        later += reader.readline()
    stream.close()
    assert b"event: change" in later


def test_the_server_stops_listening_when_the_meeting_ends(live: LiveMeeting) -> None:
    running = MeetingServer(live)
    url = running.start()
    running.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((urlsplit(url).hostname, urlsplit(url).port), timeout=2)


# -- hostile clients ---------------------------------------------------------------------------

def test_an_oversized_body_is_refused(tight: MeetingServer) -> None:
    status, answer = call(tight.url, "/api/names", raw=b'{"code": "' + b"A" * 100_000 + b'"}')
    assert status == 413
    assert "too large" in answer["error"]
    honest_round_trip(tight)


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"just a string"', b"[" * 20_000 + b"]" * 20_000,
                                 b'{"code": NaN}', b"\xff\xfe\x00"])
def test_malformed_json_is_refused(tight: MeetingServer, raw: bytes) -> None:
    status, answer = call(tight.url, "/api/names", raw=raw)
    assert status in (400, 403, 413)
    assert answer["error"]
    honest_round_trip(tight)


def test_json_must_be_declared_and_come_from_the_meetings_own_page(tight: MeetingServer) -> None:
    status, _ = from_address(tight.url, "127.0.0.1", "POST", "/api/names",
                             json.dumps({"code": tight.live.join_code}).encode(),
                             {"Content-Type": "text/plain"})
    assert status == 415  # what a cross-site form could send
    status, answer = call(tight.url, "/api/names", {"code": tight.live.join_code},
                          headers={"Origin": "http://evil.example"})
    assert status == 403
    assert "own page" in answer["error"]


def test_wrong_or_replayed_tokens_are_refused(tight: MeetingServer) -> None:
    assert call(tight.url, "/api/state")[0] == 401
    assert call(tight.url, "/api/state", token="x" * 43)[0] == 401
    assert call(tight.url, "/api/state", token="y" * 5000)[0] in (400, 401, 431)
    old = join(tight.url, tight.live.join_code, "Mei Wong")
    new = join(tight.url, tight.live.join_code, "Mei Wong", take_over=True)
    assert score(tight.url, old, OPTION, {HEALTH: 9})[0] == 401
    assert score(tight.url, new, OPTION, {HEALTH: 9})[0] == 200
    assert call(tight.url, "/api/scores", {"option": OPTION, "scores": {HEALTH: {"score": 1}}})[0] == 401


def test_wrong_join_codes_in_a_loop_are_slowed_down_for_that_address_only(tight: MeetingServer) -> None:
    statuses = [call(tight.url, "/api/names", {"code": f"WRONG{n}"})[0] for n in range(8)]
    assert statuses[:4] == [403] * 4
    assert 429 in statuses
    # Even the right code waits now, from that address...
    assert call(tight.url, "/api/names", {"code": tight.live.join_code})[0] == 429
    # ...while someone else in the room joins at once.
    honest_round_trip(tight, source="127.0.0.2")


def test_scores_out_of_scale_or_for_another_option_are_refused_and_nothing_is_stored(tight: MeetingServer, meeting_service: PlanService) -> None:
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    for option, scores in ((OPTION, {HEALTH: 11}), (OPTION, {HEALTH: -3}), ("Healthy schools", {HEALTH: 5}),
                           (OPTION, {"Shareholder value": 5})):
        status, answer = score(tight.url, token, option, scores)
        assert status == 422
        assert answer["error"]
    assert meeting_service.scores_frame("Testford workshop").empty


def test_a_recused_participant_is_refused_through_the_server(tight: MeetingServer, meeting_service: PlanService) -> None:
    token = join(tight.url, tight.live.join_code, "Grace Obi")
    status, answer = score(tight.url, token, OPTION, {HEALTH: 10})
    assert status == 422
    assert "declared an interest" in answer["error"]
    assert meeting_service.scores_frame("Testford workshop").empty


def test_script_in_names_and_comments_is_kept_as_text_and_served_as_json(tight: MeetingServer, meeting_service: PlanService) -> None:
    status, _answer = call(tight.url, "/api/join", {"code": tight.live.join_code, "name": "<script>alert(1)</script>"})
    assert status == 403
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    comment = '<img src=x onerror="alert(1)">'
    status, _ = call(tight.url, "/api/scores", {"option": OPTION, "scores": {HEALTH: {"score": 5, "comment": comment}}}, token=token)
    assert status == 200
    assert list(meeting_service.scores_frame("Testford workshop").comment) == [comment]  # stored as typed
    parts = urlsplit(tight.url)
    connection = socket.create_connection((parts.hostname, parts.port))
    connection.sendall(f"GET /api/state HTTP/1.1\r\nHost: x\r\nX-Meeting-Token: {token}\r\nConnection: close\r\n\r\n".encode())
    head = connection.makefile("rb").read().split(b"\r\n\r\n")[0].decode().lower()
    connection.close()
    assert "content-type: application/json" in head


def test_the_state_reveals_nothing_beyond_the_option_in_hand(tight: MeetingServer, meeting_service: PlanService) -> None:
    other = join(tight.url, tight.live.join_code, "Tom Reid")
    score(tight.url, other, OPTION, {HEALTH: 3})
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    _, state = call(tight.url, "/api/state", token=token)
    shown = json.dumps(state)
    plan = meeting_service.read()
    schools = next(o for o in plan.options if o.name == "Healthy schools")
    for secret in ("Tom Reid", "Testford Council", "Childhood obesity", "Better Care Fund", "Strong evidence"):
        assert secret not in shown
    assert schools.lead_partner not in shown
    assert state["my_scores"] == {}


def test_static_files_are_served_only_from_the_fixed_list(tight: MeetingServer) -> None:
    parts = urlsplit(tight.url)
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/web/index.html", "/meeting/server.py",
                 "/app.js/../../server.py", "/__init__.py"):
        connection = socket.create_connection((parts.hostname, parts.port))
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = connection.makefile("rb").read()
        connection.close()
        assert reply.split(b" ")[1] in (b"404", b"400"), (path, reply[:100])
        assert b"root:" not in reply
        assert b"import" not in reply
    assert call(tight.url, "/api/scores", raw=b"{}", headers={"X-HTTP-Method-Override": "DELETE"})[0] == 401


def test_a_slow_client_is_cut_off_and_honest_ones_are_served_meanwhile(tight: MeetingServer) -> None:
    parts = urlsplit(tight.url)
    slow = [socket.create_connection((parts.hostname, parts.port)) for _ in range(5)]
    for connection in slow:
        connection.sendall(b"POST /api/names HTTP/1.1\r\nHost: x\r\n")
    honest_round_trip(tight, source="127.0.0.2")
    time.sleep(0.5)
    for connection in slow:
        connection.sendall(b"X-Slow: 1\r\n")  # a byte now and then must not keep it alive
    time.sleep(1.2)
    for connection in slow:
        connection.settimeout(2)
        assert connection.recv(100) == b""  # closed by the server
        connection.close()


def test_a_slow_body_is_cut_off(tight: MeetingServer) -> None:
    parts = urlsplit(tight.url)
    connection = socket.create_connection((parts.hostname, parts.port), timeout=5)
    connection.sendall(b"POST /api/names HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{")
    reply = connection.recv(1000)
    connection.close()
    assert b" 408 " in reply.split(b"\r\n")[0] + b" "


def test_a_flood_from_one_address_is_limited_and_others_are_served(tight: MeetingServer) -> None:
    statuses = [call(tight.url, "/api/state", token="flood")[0] for _ in range(80)]
    assert 429 in statuses
    honest_round_trip(tight, source="127.0.0.2")


def test_a_flood_of_connections_is_capped_per_address(tight: MeetingServer) -> None:
    parts = urlsplit(tight.url)
    held = [socket.create_connection((parts.hostname, parts.port)) for _ in range(30)]
    time.sleep(0.2)
    assert tight._guards.open_count <= tight.limits.connections.per_address
    honest_round_trip(tight, source="127.0.0.2")
    for connection in held:
        connection.close()


def test_a_flood_of_scores_from_one_token_is_limited_and_keeps_one_score(tight: MeetingServer, meeting_service: PlanService) -> None:
    token = join(tight.url, tight.live.join_code, "Liam Hart")
    results: list[int] = []

    def hammer(point: int) -> None:
        try:
            results.append(score(tight.url, token, OPTION, {HEALTH: point % 11})[0])
        except ConnectionError:  # over the connections one address may hold: dropped at once
            results.append(0)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 429 in results
    assert 200 in results
    frame = meeting_service.scores_frame("Testford workshop")
    assert len(frame[(frame.participant == "Liam Hart") & (frame.value == HEALTH)]) == 1
    honest_round_trip(tight, source="127.0.0.2")


def test_event_streams_per_token_are_capped(tight: MeetingServer) -> None:
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    parts = urlsplit(tight.url)
    streams = []
    for _ in range(2):
        stream = socket.create_connection((parts.hostname, parts.port), timeout=5)
        stream.sendall(f"GET /api/events?token={token} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert b"200" in stream.recv(200).split(b"\r\n")[0]
        streams.append(stream)
    status, _answer = call(tight.url, f"/api/events?token={token}")
    assert status == 429
    for stream in streams:
        stream.close()


def test_weights_go_through_the_server_only_while_weighting_is_open(tight: MeetingServer) -> None:
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    points = {"method": "points", "points": {HEALTH: 55, FAIRNESS: 45}}
    assert call(tight.url, "/api/weights", points, token=token)[0] == 422
    tight.live.open_weighting()
    _, state = call(tight.url, "/api/state", token=token)
    assert state["stage"] == "weighting"
    assert state["question"] is None
    assert [v["name"] for v in state["weighting"]["values"]] == [HEALTH, FAIRNESS]
    status, answer = call(tight.url, "/api/weights", points, token=token)
    assert status == 200
    assert answer["weights"] == {HEALTH: 55, FAIRNESS: 45}
    status, answer = call(tight.url, "/api/weights", {"method": "points", "points": {HEALTH: 99, FAIRNESS: 45}}, token=token)
    assert status == 422
    assert "add up to 144" in answer["error"]


def test_after_the_meeting_ends_every_page_is_told_so(tight: MeetingServer) -> None:
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    tight.live.end()
    status, answer = call(tight.url, "/api/state", token=token)
    assert status == 410
    assert answer["error"] == "The meeting has ended."
    assert call(tight.url, "/api/names", {"code": tight.live.join_code})[0] == 410


# -- one voice each, in the open ---------------------------------------------------------------

def test_a_name_already_in_the_meeting_is_asked_about_and_only_a_confirmed_join_takes_it_over(
        tight: MeetingServer, meeting_service: PlanService) -> None:
    first = join(tight.url, tight.live.join_code, "Asha Patel")
    status, answer = call(tight.url, "/api/join", {"code": tight.live.join_code, "name": "Asha Patel"})
    assert status == 409
    assert answer == {"in_use": True, "name": "Asha Patel", "error": (
        "Asha Patel is already in the meeting on another device; continue here and end that one?")}
    assert score(tight.url, first, OPTION, {HEALTH: 4})[0] == 200  # asking ended nothing
    for wrong in ({"take_over": "yes"}, {"take_over": 1}, {"extra": True}):
        assert call(tight.url, "/api/join", {"code": tight.live.join_code, "name": "Asha Patel", **wrong})[0] == 400
    second = join(tight.url, tight.live.join_code, "Asha Patel", take_over=True)
    status, answer = call(tight.url, "/api/state", token=first)
    assert status == 401
    assert answer["error"].startswith("Your place in the meeting has ended: your name was chosen on another device at ")
    assert score(tight.url, second, OPTION, {HEALTH: 8})[0] == 200
    frame = meeting_service.scores_frame("Testford workshop")
    assert list(frame[frame.participant == "Asha Patel"].score) == [8]  # one score, from the new device
    assert [(e.actor, e.action) for e in meeting_service.audit_log() if e.entity == "meeting_tokens"] == [
        ("Asha Patel", "move device")]
    assert [m.participant for m in tight.live.moves()] == ["Asha Patel"]


def test_taking_names_over_again_and_again_is_slowed_down(live: LiveMeeting) -> None:
    running = MeetingServer(live, limits=ServerLimits(take_over_rate=0.01, take_over_burst=3))
    running.start()
    try:
        statuses = [call(running.url, "/api/join", {"code": live.join_code, "name": "Tom Reid", "take_over": True})[0]
                    for _ in range(5)]
    finally:
        running.stop()
    assert statuses == [200, 200, 200, 429, 429]
    assert len(live.moves()) == 2  # the first of them was a plain join


def test_the_shipped_limits_let_a_room_behind_one_address_mistype_the_code(server: MeetingServer) -> None:
    """A quarter of a room of 200 mistyping once, all from one address, then joining at once."""
    assert [call(server.url, "/api/names", {"code": f"WRONG{n}"})[0] for n in range(50)] == [403] * 50
    honest_round_trip(server)


def test_a_page_that_leaves_frees_its_name(tight: MeetingServer) -> None:
    token = join(tight.url, tight.live.join_code, "Tom Reid")
    assert call(tight.url, "/api/leave", {}, token=token) == (200, {"left": True})
    assert call(tight.url, "/api/state", token=token)[0] == 401
    join(tight.url, tight.live.join_code, "Tom Reid")  # no question asked
    assert tight.live.moves() == ()


# -- rooms behind one address --------------------------------------------------------------------

def test_slow_connections_filling_an_address_cannot_keep_its_honest_phones_out(tight: MeetingServer) -> None:
    """More slow connections from the room's own address than it may hold: the oldest are dropped
    for newcomers, and requests with a token, and new joins, from that address go through."""
    token = join(tight.url, tight.live.join_code, "Mei Wong")
    parts = urlsplit(tight.url)
    slow = []
    for _ in range(tight.limits.connections.per_address + 10):
        connection = socket.create_connection((parts.hostname, parts.port))
        connection.sendall(b"POST /api/names HTTP/1.1\r\nHost: x\r\n")
        slow.append(connection)
    time.sleep(0.2)
    assert tight._guards.unvouched_count("127.0.0.1") <= tight.limits.connections.per_address
    assert score(tight.url, token, OPTION, {HEALTH: 3})[0] == 200
    honest_round_trip(tight, "Tom Reid", source="127.0.0.1")
    assert tight._guards.dropped >= 10
    for connection in slow:
        connection.close()


def test_a_full_server_drops_idle_connections_without_a_token_never_a_participants(tight: MeetingServer) -> None:
    token = join(tight.url, tight.live.join_code, "Asha Patel")
    parts = urlsplit(tight.url)
    stream = socket.create_connection((parts.hostname, parts.port), timeout=5)
    stream.sendall(f"GET /api/events?token={token} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    reader = stream.makefile("rb")
    seen = b""
    while b"event: change" not in seen:
        seen += reader.readline()
    slow = []
    for source in ("127.0.0.2", "127.0.0.3", "127.0.0.4"):  # the total, 60, filled
        for _ in range(tight.limits.connections.per_address):
            connection = socket.create_connection((parts.hostname, parts.port), source_address=(source, 0))
            connection.sendall(b"POST /api/names HTTP/1.1\r\nHost: x\r\n")
            slow.append(connection)
    time.sleep(0.2)
    assert tight._guards.open_count <= tight.limits.connections.total
    honest_round_trip(tight, "Tom Reid", source="127.0.0.5")
    assert tight._guards.dropped >= 1
    later = b""
    while b"event: change" not in later:  # the participant's stream was kept, and hears of the score
        later += reader.readline()
    stream.close()
    for connection in slow:
        connection.close()


def test_a_room_of_200_behind_one_address_joins_listens_and_scores_with_nothing_lost_or_doubled(
        meeting_service: PlanService) -> None:
    """The shipped limits: 200 phones from 127.0.0.1, each with its own token and event stream,
    while 60 slow connections from the same address hold on; every score arrives once."""
    import asyncio
    from dataclasses import replace

    import aiohttp

    from placeplanner.meeting.server import TOKEN_HEADER
    from placeplanner.model import Participant
    from tests.meeting.conftest import settings

    room = tuple(f"Participant {n:03d}" for n in range(200))
    meeting_service.apply(replace(meeting_service.read(),
                                  participants=tuple(Participant(name, "Testford Council") for name in room)))
    live = LiveMeeting.open(meeting_service.plan_file, meeting_service.read(),
                            settings(meeting="Room of 200", attendees=room), actor="Facilitator")
    live.go_to(OPTION)
    server = MeetingServer(live)
    url = server.start()
    parts = urlsplit(url)
    slow = [socket.create_connection((parts.hostname, parts.port)) for _ in range(60)]
    for connection in slow:
        connection.sendall(b"POST /api/names HTTP/1.1\r\nHost: x\r\n")

    async def phone(index: int, name: str, scored: asyncio.Event) -> tuple[int, int, int]:
        async with aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=60)) as http:
            for path in ("/", "/app.js", "/style.css"):
                async with http.get(path) as page:
                    assert page.status == 200
            async with http.post("/api/join", json={"code": live.join_code, "name": name}) as answer:
                assert answer.status == 200, await answer.text()
                token = (await answer.json())["token"]
            events = await http.get("/api/events", params={"token": token})
            assert events.status == 200
            changes = 0
            while changes == 0:
                changes += (await events.content.readline()).startswith(b"event: change")
            async with http.post("/api/scores", headers={TOKEN_HEADER: token}, json={
                    "option": OPTION, "scores": {HEALTH: {"score": index % 11}, FAIRNESS: {"score": 10 - index % 11}}}) as sent:
                saved = sent.status
            await scored.wait()
            async with http.get("/api/state", headers={TOKEN_HEADER: token}) as state:
                mine = (await state.json())["my_scores"][HEALTH]["score"]
            while changes < 2:  # the stream told this phone of the room's later scores
                changes += (await events.content.readline()).startswith(b"event: change")
            events.close()
            return saved, int(mine), changes

    async def the_room() -> list[tuple[int, int, int]]:
        scored = asyncio.Event()
        phones = [asyncio.create_task(phone(n, name, scored)) for n, name in enumerate(room)]
        while len(live.scored(OPTION)) < len(room) and not any(p.done() for p in phones):
            await asyncio.sleep(0.05)
        scored.set()
        return await asyncio.gather(*phones)

    try:
        results = asyncio.run(asyncio.wait_for(the_room(), 120))
        assert server._guards.refused == 0
    finally:
        for connection in slow:
            connection.close()
        server.stop()
    assert [saved for saved, _, _ in results] == [200] * len(room)
    assert [mine for _, mine, _ in results] == [n % 11 for n in range(len(room))]
    frame = meeting_service.scores_frame("Room of 200")
    assert len(frame) == 2 * len(room)
    assert not frame.duplicated(["participant", "value"]).any()
    health = frame[frame.value == HEALTH].set_index("participant").score
    assert {name: int(health[name]) for name in room} == {name: n % 11 for n, name in enumerate(room)}
