"""Connection limits in front of the HTTP server: how many, from where, and how slow.

aiohttp bounds what a request may hold but waits for ever on a client that sends its request a
byte at a time. Every connection here must deliver each request within a deadline, and one
address may hold only so many connections at once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    total: int = 600
    per_address: int = 40
    request_seconds: float = 10.0  # to send a request's head, and again between requests


class ConnectionGuards:
    """Shared book of open connections; the server's middleware marks requests starting and ending."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self._by_address: Counter[str] = Counter()
        self._by_transport: dict[int, _Guard] = {}
        self.refused = 0

    @property
    def open_count(self) -> int:
        return len(self._by_transport)

    def factory(self, inner_factory: Callable[[], asyncio.Protocol]) -> Callable[[], asyncio.Protocol]:
        return lambda: _Guard(inner_factory(), self)

    def request_started(self, transport: Any) -> None:
        guard = self._by_transport.get(id(transport))
        if guard is not None:
            guard.disarm()

    def request_finished(self, transport: Any) -> None:
        guard = self._by_transport.get(id(transport))
        if guard is not None:
            guard.arm()

    def _admit(self, guard: _Guard, transport: asyncio.BaseTransport, address: str) -> bool:
        if len(self._by_transport) >= self.limits.total or self._by_address[address] >= self.limits.per_address:
            self.refused += 1
            return False
        self._by_address[address] += 1
        self._by_transport[id(transport)] = guard
        return True

    def _release(self, transport: asyncio.BaseTransport, address: str) -> None:
        if self._by_transport.pop(id(transport), None) is not None:
            self._by_address[address] -= 1
            if self._by_address[address] <= 0:
                del self._by_address[address]

    def close_all(self) -> None:
        for guard in list(self._by_transport.values()):
            guard.abort()


class _Guard(asyncio.Protocol):
    """Stands between the event loop and aiohttp's protocol for one connection."""

    def __init__(self, inner: asyncio.Protocol, book: ConnectionGuards) -> None:
        self._inner = inner
        self._book = book
        self._transport: asyncio.Transport | None = None
        self._address = ""
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self._address = str(peer[0]) if peer else "unknown"
        if not self._book._admit(self, transport, self._address):
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
        self._book._release(self._transport, self._address)
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
