"""The meeting server: the participant page and its small JSON API, over aiohttp in its own thread.

It is the one part of PlacePlanner that listens on a network, so it trusts nothing: requests are
bounded in size, time and rate (per participant once they have joined, per address before, so a
room behind one address is served); a join code admits a person, then only their token; state-changing
requests need the token in a header and JSON (which a cross-site form cannot send) and a matching
Origin; every input is checked by ``LiveMeeting`` against the round in hand; static files come from
a fixed list read from the package. Scores are committed by one writer thread, several together
when they arrive together, before the page is told they are saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import web

from placeplanner.meeting import codes
from placeplanner.meeting.guard import ConnectionGuards, ConnectionLimits
from placeplanner.meeting.limits import JoinGuard, RateLimiter
from placeplanner.meeting.live import ENDED, Accepted, LiveMeeting, NameInUseError
from placeplanner.meeting.submission import MeetingError
from placeplanner.storage.live import Submission

log = logging.getLogger(__name__)

STATIC_FILES = {"/": ("index.html", "text/html"), "/app.js": ("app.js", "text/javascript"),
                "/style.css": ("style.css", "text/css")}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
TOKEN_HEADER = "X-Meeting-Token"  # noqa: S105 (a header name, not a secret)
TOKEN_LIMIT = 100  # characters; a token is 32
DIGEST_KEY = web.RequestKey("digest", str)  # the digest of the request's token, "" without one


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """What one client may ask of the server. A request with a valid token counts against that
    token's limits only; the per-address limits are for requests without one (the page's files,
    the code, joining), and are sized for a room of 200 behind one address (guest Wi-Fi behind
    one NAT):

    - joining costs a phone about 6 requests without a token (the page, its script and style, the
      browser's icon, the code, the name): 200 people scanning the QR code within a few seconds
      make 1,200, within ``per_address_burst``; 60 a second after that lets a latecomer in at any
      time. Those requests are cheap (a file from memory, a code compared), so even the whole
      burst costs the server a fraction of a second.
    - a participant's own page sends a few requests a minute and a burst on each change (its
      state, its scores): 5 a second, bursts of 30, per token, whoever shares their address.
    - wrong join codes from one address are free up to ``wrong_codes_free`` (a room of 200 where
      a quarter mistype once needs 50), then each waits twice as long as the last, to a minute.
      A right code clears the address's record, so behind one address a guesser gains 60 tries
      per honest join: 200 joins give 12,000 tries at 29**6 (595 million) codes, a chance of 1 in
      50,000, and alone it is held to about one try a minute.
    - taking over a name from another device is rare, audited and shown to the facilitator: 20 at
      once from one address, then one every 5 seconds, so the audit log cannot be flooded with moves.
    """

    body_bytes: int = 32 * 1024
    body_seconds: float = 5.0
    per_address_rate: float = 60.0  # requests a second without a valid token, on average
    per_address_burst: float = 1200.0
    per_token_rate: float = 5.0
    per_token_burst: float = 30.0
    wrong_codes_free: int = 60
    take_over_rate: float = 0.2  # names taken over from another device, a second, per address
    take_over_burst: float = 20.0
    event_streams_per_token: int = 2
    event_stream_seconds: float = 300.0  # the page reconnects after this
    heartbeat_seconds: float = 15.0
    connections: ConnectionLimits = field(default_factory=ConnectionLimits)


class MeetingServer:
    """Serves one live meeting at ``url`` until ``stop()``."""

    def __init__(self, live: LiveMeeting, *, host: str = "127.0.0.1", port: int = 0,
                 limits: ServerLimits | None = None) -> None:
        self.live = live
        self.host = host
        self.port = port
        self.limits = limits or ServerLimits()
        self._files = {path: (resources.files("placeplanner.meeting").joinpath("web", name).read_bytes(), kind)
                       for path, (name, kind) in STATIC_FILES.items()}
        self._by_address = RateLimiter(self.limits.per_address_rate, self.limits.per_address_burst)
        self._by_token = RateLimiter(self.limits.per_token_rate, self.limits.per_token_burst)
        self._join_guard = JoinGuard(free=self.limits.wrong_codes_free)
        self._take_overs = RateLimiter(self.limits.take_over_rate, self.limits.take_over_burst)
        self._guards = ConnectionGuards(self.limits.connections)
        self._streams: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._writer: threading.Thread | None = None
        self._pending: queue.Queue[tuple[Submission, asyncio.Future[Accepted | MeetingError]] | None] = queue.Queue()
        self._changed: asyncio.Event | None = None
        self._stopping: asyncio.Event | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._runner: web.AppRunner | None = None

    # -- life --------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> str:
        """Listen, and return the address participants open. Raises OSError if it cannot bind."""
        self._thread = threading.Thread(target=self._serve, name="meeting-server", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._start_error is not None:
            raise self._start_error
        self._writer = threading.Thread(target=self._write_scores, name="meeting-writer", daemon=True)
        self._writer.start()
        self.live.subscribe(self._on_change)
        return self.url

    def stop(self) -> None:
        """Stop listening, end every stream, and wait for scores in hand to be committed."""
        self.live.unsubscribe(self._on_change)
        loop = self._loop
        if loop is not None and self._stopping is not None and loop.is_running():
            loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(30)
        self._pending.put(None)
        if self._writer is not None:
            self._writer.join(30)
        self._thread = self._writer = None

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run())
        except BaseException as error:  # bind failures reach start() through _start_error
            self._start_error = error
        finally:
            self._started.set()
            loop.close()

    async def _run(self) -> None:
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=self.limits.body_bytes,
                              middlewares=[self._headers_middleware, self._guard_middleware])
        app.router.add_get("/", self._static)
        app.router.add_get("/app.js", self._static)
        app.router.add_get("/style.css", self._static)
        app.router.add_get("/favicon.ico", self._no_icon)
        app.router.add_post("/api/names", self._names)
        app.router.add_post("/api/join", self._join)
        app.router.add_post("/api/leave", self._leave)
        app.router.add_get("/api/state", self._state)
        app.router.add_get("/api/events", self._events)
        app.router.add_post("/api/scores", self._scores)
        app.router.add_post("/api/declare", self._declare)
        app.router.add_post("/api/weights", self._weights)
        runner = web.AppRunner(app, access_log=None, keepalive_timeout=self.limits.connections.request_seconds)
        self._runner = runner
        await runner.setup()
        assert runner.server is not None
        loop = asyncio.get_running_loop()
        try:
            server = await loop.create_server(self._guards.factory(runner.server), self.host, self.port,
                                              backlog=128, reuse_address=True)
        except OSError:
            await runner.cleanup()
            raise
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        await self._stopping.wait()
        server.close()
        self._changed.set()  # wake every event stream so it ends
        self._guards.close_all()
        await runner.cleanup()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 5)

    def _on_change(self, _event: str) -> None:
        loop, changed = self._loop, self._changed
        if loop is not None and changed is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed between the check and the call
                loop.call_soon_threadsafe(self._wake_streams)

    def _wake_streams(self) -> None:
        assert self._changed is not None
        self._changed.set()
        self._changed = asyncio.Event()

    # -- the writer --------------------------------------------------------------------------

    def _write_scores(self) -> None:
        """Commit submissions as they come, together when several are waiting."""
        while True:
            first = self._pending.get()
            batch = [first]
            while True:
                try:
                    batch.append(self._pending.get_nowait())
                except queue.Empty:
                    break
            items = [item for item in batch if item is not None]
            if items:
                try:
                    results: list[Accepted | MeetingError] = self.live.commit([s for s, _ in items])
                except Exception:
                    log.exception("scores could not be saved")
                    results = [MeetingError("Your scores could not be saved; please try again.") for _ in items]
                for (_, future), result in zip(items, results, strict=True):
                    future.get_loop().call_soon_threadsafe(_settle, future, result)
            if None in batch:
                return

    # -- middleware ----------------------------------------------------------------------------

    @web.middleware
    async def _guard_middleware(self, request: web.Request,
                                handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        self._guards.request_started(request.transport)
        try:
            token = request.headers.get(TOKEN_HEADER) or (request.query.get("token") if request.path == "/api/events"
                                                           else None)
            digest = codes.token_digest(token) if token and len(token) <= TOKEN_LIMIT else ""
            if digest and self.live.participant_for_digest(digest) is not None:
                # One of the room: their own limits, whoever shares their address.
                if not self._by_token.allow(digest):
                    return _error(429, "Too many requests; wait a moment.", retry_after=2)
                self._guards.vouch(request.transport, digest)
            elif not self._by_address.allow(_address(request)):
                return _error(429, "Too many requests; wait a moment.", retry_after=2)
            request[DIGEST_KEY] = digest
            return await handler(request)
        except _RefusalError as refusal:
            return _error(refusal.status, str(refusal))
        except web.HTTPException as error:  # the router's own: no such page, wrong method
            return _error(error.status, error.reason)
        finally:
            self._guards.request_finished(request.transport)

    @web.middleware
    async def _headers_middleware(self, request: web.Request,
                                  handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["Server"] = "PlacePlanner"
        return response

    # -- handlers ----------------------------------------------------------------------------

    async def _static(self, request: web.Request) -> web.Response:
        body, kind = self._files[request.path]
        return web.Response(body=body, content_type=kind, charset="utf-8")

    async def _no_icon(self, _request: web.Request) -> web.Response:
        return web.Response(status=204)  # browsers ask; the page has none, and a 404 is noise

    async def _names(self, request: web.Request) -> web.Response:
        body = await self._json_body(request, token_needed=False)
        refusal = await self._check_code(request, body)
        if refusal is not None:
            return refusal
        return web.json_response({"meeting": self.live.settings.meeting, "names": list(self.live.settings.attendees)})

    async def _join(self, request: web.Request) -> web.Response:
        body = await self._json_body(request, token_needed=False)
        refusal = await self._check_code(request, body)
        if refusal is not None:
            return refusal
        name = body.get("name")
        take_over = body.get("take_over", False)
        if not isinstance(name, str) or not {"code", "name"} <= set(body) <= {"code", "name", "take_over"} \
                or not isinstance(take_over, bool):
            return _error(400, "Choose your name from the list.")
        if take_over and not self._take_overs.allow(_address(request)):
            return _error(429, "Too many names have changed device from here; wait a moment and try again.",
                          retry_after=1 / self.limits.take_over_rate)
        try:
            token = await asyncio.to_thread(self.live.join, name, take_over=take_over)
        except NameInUseError as in_use:
            # Not an error to show in red: the page asks whether to continue here.
            return web.json_response({"error": str(in_use), "in_use": True, "name": in_use.participant}, status=409)
        except MeetingError as refusal:
            return _error(403, str(refusal))
        return web.json_response({"token": token})

    async def _leave(self, request: web.Request) -> web.Response:
        """The page gives up its place ("Not you? Join again"), so the name is free to choose."""
        participant = self._caller(request)
        await self._json_body(request, token_needed=True)
        await asyncio.to_thread(self.live.leave, participant)
        return web.json_response({"left": True})

    async def _state(self, request: web.Request) -> web.Response:
        participant = self._caller(request)
        return web.json_response(self.live.view_for(participant))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: a version number whenever the meeting changes; the page then asks
        for its state. EventSource cannot send headers, so the token comes in the query."""
        token = request.query.get("token", "")
        participant = self._participant(request, token)
        if self._streams.get(token, 0) >= self.limits.event_streams_per_token:
            return _error(429, "This page is already listening for updates.")
        self._streams[token] = self._streams.get(token, 0) + 1
        try:
            response = web.StreamResponse(headers={**SECURITY_HEADERS, "Content-Type": "text/event-stream",
                                                   "Cache-Control": "no-store", "X-Accel-Buffering": "no"})
            await response.prepare(request)
            with contextlib.suppress(ConnectionResetError):  # the page closed or reloaded
                async for version in self._versions(codes.token_digest(token), participant):
                    await response.write(f"event: change\ndata: {version}\n\n".encode() if version >= 0 else b": ping\n\n")
            return response
        finally:
            self._streams[token] -= 1
            if not self._streams[token]:
                del self._streams[token]

    async def _versions(self, digest: str, participant: str) -> AsyncIterator[int]:
        """The meeting's version now and after each change; -1 for a heartbeat; ends on stop,
        after ``event_stream_seconds``, or when the participant's token is replaced."""
        assert self._stopping is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.event_stream_seconds
        yield self.live.version
        while (not self._stopping.is_set() and loop.time() < deadline and self.live.stage != ENDED
               and self.live.participant_for_digest(digest) == participant):
            assert self._changed is not None
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), self.limits.heartbeat_seconds)
            except TimeoutError:
                yield -1
                continue
            if self._stopping.is_set():
                return
            yield self.live.version

    async def _scores(self, request: web.Request) -> web.Response:
        participant = self._caller(request)
        body = await self._json_body(request, token_needed=True)
        try:
            submission = self.live.check_submission(participant, body)
        except MeetingError as refusal:
            return _error(422, str(refusal))
        future: asyncio.Future[Accepted | MeetingError] = asyncio.get_running_loop().create_future()
        self._pending.put((submission, future))
        result = await future
        if isinstance(result, MeetingError):
            return _error(409, str(result))
        return web.json_response({"saved": True, "option": result.option, "values": result.values})

    async def _declare(self, request: web.Request) -> web.Response:
        participant = self._caller(request)
        body = await self._json_body(request, token_needed=True)
        try:
            await asyncio.to_thread(self.live.declare, participant, body)
        except MeetingError as refusal:
            return _error(422, str(refusal))
        return web.json_response({"saved": True})

    async def _weights(self, request: web.Request) -> web.Response:
        participant = self._caller(request)
        body = await self._json_body(request, token_needed=True)
        try:
            weights = await asyncio.to_thread(self.live.submit_weights, participant, body)
        except MeetingError as refusal:
            return _error(422, str(refusal))
        return web.json_response({"saved": True, "weights": weights})

    # -- checks --------------------------------------------------------------------------------

    def _caller(self, request: web.Request) -> str:
        """The participant whose token came in the request's header."""
        return self._participant(request, request.headers.get(TOKEN_HEADER, ""))

    def _participant(self, request: web.Request, token: str) -> str:
        """Who holds ``token`` (its rate was counted by the middleware, against the token)."""
        if not token or len(token) > TOKEN_LIMIT:
            raise _RefusalError(401, "Join the meeting first.")
        if self.live.stage == ENDED:
            raise _RefusalError(410, "The meeting has ended.")
        digest = request.get(DIGEST_KEY) or codes.token_digest(token)
        participant = self.live.participant_for_digest(digest)
        if participant is None:
            raise _RefusalError(401, self.live.ended_words(digest))
        return participant

    async def _json_body(self, request: web.Request, *, token_needed: bool) -> dict[str, Any]:
        """A JSON object from a same-origin page, read within the size and time bounds."""
        if request.content_type != "application/json":
            raise _RefusalError(415, "Send JSON.")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise _RefusalError(403, "Requests must come from the meeting's own page.")
        if token_needed and TOKEN_HEADER not in request.headers:
            raise _RefusalError(401, "Join the meeting first.")
        if request.content_length is not None and request.content_length > self.limits.body_bytes:
            raise _RefusalError(413, "That request is too large.")
        try:
            raw = await asyncio.wait_for(request.read(), self.limits.body_seconds)
        except TimeoutError:
            raise _RefusalError(408, "The request took too long to arrive.") from None
        except web.HTTPRequestEntityTooLarge:
            raise _RefusalError(413, "That request is too large.") from None
        try:
            body = json.loads(raw, parse_constant=_no_constants)
        except (ValueError, RecursionError):
            raise _RefusalError(400, "That request is not valid JSON.") from None
        if not isinstance(body, dict):
            raise _RefusalError(400, "Send a JSON object.")
        return body

    async def _check_code(self, request: web.Request, body: dict[str, Any]) -> web.Response | None:
        address = _address(request)
        wait = self._join_guard.wait_left(address)
        if wait > 0:
            return _error(429, f"Too many wrong codes; try again in {wait:.0f} seconds.", retry_after=wait)
        typed = body.get("code")
        if not isinstance(typed, str) or len(typed) > 40 or not codes.code_matches(typed, self.live.join_code):
            wait = self._join_guard.failed(address)
            message = "That is not this meeting's code."
            if wait:
                message += f" Try again in {wait:.0f} seconds."
            return _error(403, message, retry_after=wait or None)
        self._join_guard.succeeded(address)
        if self.live.stage == ENDED:
            return _error(410, "The meeting has ended.")
        return None


def _settle(future: asyncio.Future[Accepted | MeetingError], result: Accepted | MeetingError) -> None:
    if not future.done():
        future.set_result(result)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _address(request: web.Request) -> str:
    peer = request.transport.get_extra_info("peername") if request.transport else None
    return str(peer[0]) if peer else "unknown"


class _RefusalError(Exception):
    """A request refused before its handler's own checks: the status, and words for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str, *, retry_after: float | None = None) -> web.Response:
    headers = {"Retry-After": str(max(1, round(retry_after)))} if retry_after else None
    return web.json_response({"error": message}, status=status, headers=headers)
