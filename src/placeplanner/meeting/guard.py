"""Connection limits in front of the HTTP server: how many, from where, and how slow.

aiohttp bounds what a request may hold but waits for ever on a client that sends its request a
byte at a time. Every connection here must deliver each request within a deadline, and the
connections one address may hold are capped, except those a participant's token vouches for.

A whole room may reach the laptop through one address (guest Wi-Fi behind one NAT), so the
address cap cannot be what keeps the room going. The numbers, for a room of 200 behind one
address:

- A phone in the meeting holds one event stream and, now and then, one or two keep-alive
  connections for its requests: about 3, at most ``per_token`` (8: more than a browser opens
  to one site at once, 6). Once a request on a connection carries a valid token, the connection
  counts against that token and no longer against its address; 200 phones need about 600.
- Connections without a valid token are the page's files, the join code and joining. Loading the
  page takes a phone 1 to 3 connections for well under a second, so 200 people scanning the QR
  code in the same few seconds hold a few dozen at once, 250 (``per_address``) with room to spare.
- ``total`` (1000) is 200 phones' 600, one address's 250 and room for a few more; each idle
  connection costs the server a few kilobytes, and the process a file descriptor.
- A slow or abusive client has no valid token, so it holds at most ``per_address`` connections,
  each cut off ``request_seconds`` after it last started a request. When its address (or the
  total) is full, a newcomer is not refused: the oldest connection without a token that is not
  in the middle of a request (a slow client's, or an idle keep-alive), or failing that one whose
  request has run longer than ``busy_seconds`` (a body sent a byte at a time; an honest request
  without a token, a file or a join, takes milliseconds), is dropped to make room. So
  60, or 250, or any number of slow connections from the room's own address cannot keep an honest
  phone from connecting, and never touch a connection that carries a token or a request being
  served; to starve the room, a client would have to open connections faster than honest phones
  send a request head (a few milliseconds), and each of those attempts costs it its oldest one.
- Requests without a token share their address's rate limit (see ``ServerLimits``), so a flood
  from the room's own address can slow newcomers' joining; it cannot slow anyone already in the
  meeting, whose requests count against their own token.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    total: int = 1000
    per_address: int = 250  # connections without a valid token, from one address
    per_token: int = 8  # connections a participant's token vouches for
    request_seconds: float = 10.0  # to send a request's head, and again between requests
    busy_seconds: float = 1.0  # a request without a token running longer may be dropped for a newcomer


class ConnectionGuards:
    """Shared book of open connections; the server's middleware marks requests starting and ending,
    and vouches for a connection when a request on it carries a valid token."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self._unvouched: dict[str, dict[int, _Guard]] = {}  # address -> its connections, oldest first
        self._by_token: Counter[str] = Counter()
        self._by_transport: dict[int, _Guard] = {}
        self.refused = 0
        self.dropped = 0  # idle connections without a token, dropped to make room for a newcomer

    @property
    def open_count(self) -> int:
        return len(self._by_transport)

    def unvouched_count(self, address: str) -> int:
        return len(self._unvouched.get(address, {}))

    def factory(self, inner_factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        return lambda: _Guard(inner_factory(), self)

    def request_started(self, transport: Any) -> None:
        guard = self._by_transport.get(id(transport))
        if guard is not None:
            guard.in_request = True
            guard.started = asyncio.get_running_loop().time()
            guard.disarm()

    def request_finished(self, transport: Any) -> None:
        guard = self._by_transport.get(id(transport))
        if guard is not None:
            guard.in_request = False
            guard.arm()

    def vouch(self, transport: Any, digest: str) -> None:
        """A request on this connection carried a valid token (``digest``): the connection counts
        against the token from now on, not its address, unless the token holds its share already."""
        guard = self._by_transport.get(id(transport))
        if guard is None or guard.token is not None or self._by_token[digest] >= self.limits.per_token:
            return
        waiting = self._unvouched.get(guard.address, {})
        if waiting.pop(id(transport), None) is None:
            return
        if not waiting:
            self._unvouched.pop(guard.address, None)
        guard.token = digest
        self._by_token[digest] += 1

    def _admit(self, guard: _Guard, transport: asyncio.BaseTransport, address: str) -> bool:
        limits = self.limits
        if (len(self._by_transport) >= limits.total and not self._drop_idle(None)) or (
                self.unvouched_count(address) >= limits.per_address and not self._drop_idle(address)):
            self.refused += 1
            return False
        self._unvouched.setdefault(address, {})[id(transport)] = guard
        self._by_transport[id(transport)] = guard
        return True

    def _drop_idle(self, address: str | None) -> bool:
        """Make room: drop the oldest connection without a token, and not in a request, from
        ``address`` (or, for the total, from the addresses holding most first). False if none."""
        addresses = [address] if address is not None else sorted(
            self._unvouched, key=lambda a: len(self._unvouched[a]), reverse=True)
        since = asyncio.get_running_loop().time() - self.limits.busy_seconds
        for droppable in (lambda g: not g.in_request, lambda g: g.started < since):
            for where in addresses:
                for guard in list(self._unvouched.get(where, {}).values()):
                    if droppable(guard):
                        self._release(guard)
                        guard.abort()
                        self.dropped += 1
                        return True
        return False

    def _release(self, guard: _Guard) -> None:
        key = guard.key
        if self._by_transport.pop(key, None) is None:
            return
        if guard.token is not None:
            self._by_token[guard.token] -= 1
            if self._by_token[guard.token] <= 0:
                del self._by_token[guard.token]
            return
        waiting = self._unvouched.get(guard.address)
        if waiting is not None:
            waiting.pop(key, None)
            if not waiting:
                del self._unvouched[guard.address]

    def close_all(self) -> None:
        for guard in list(self._by_transport.values()):
            guard.abort()


class _Guard(asyncio.Protocol):
    """Stands between the event loop and aiohttp's protocol for one connection."""

    def __init__(self, inner: asyncio.Protocol, book: ConnectionGuards) -> None:
        self._inner = inner
        self._book = book
        self._transport: asyncio.Transport | None = None
        self.address = ""
        self.key = 0
        self.token: str | None = None  # the digest of the token that vouches for this connection
        self.in_request = False
        self.started = 0.0  # when its request in hand started, on the loop's clock
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "unknown"
        self.key = id(transport)
        if not self._book._admit(self, transport, self.address):
            transport.close()
            return
        self._transport = transport  # type: ignore[assignment]
        self.arm()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._transport is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._transport is not None else None

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        if self._transport is None:
            return
        self._book._release(self)
        self._transport = None
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def arm(self) -> None:
        self.disarm()
        if self._transport is not None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self._book.limits.request_seconds, self.abort)

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()
