"""Rate limits for the meeting server: token buckets by key, and slowing down wrong join codes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """A token bucket per key (an address or a participant's token): ``rate`` requests a second
    on average, bursts of up to ``burst``. Old keys are forgotten so a flood of addresses cannot
    grow it without bound."""

    def __init__(self, rate: float, burst: float, *, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def _forget_full(self, now: float) -> None:
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.burst]
        for key in full or list(self._buckets)[: self.max_keys // 2]:
            del self._buckets[key]


class JoinGuard:
    """Slows down repeated wrong join codes from one address.

    The first ``free`` wrong codes cost nothing (people mistype); after that each wrong code makes
    the address wait twice as long as the last, up to ``longest`` seconds, before it may try again.
    A right code clears the address's record.
    """

    def __init__(self, *, free: int = 3, first_wait: float = 1.0, longest: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free = free
        self.first_wait = first_wait
        self.longest = longest
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # address -> (wrong codes, may try at)
        self._lock = threading.Lock()

    def wait_left(self, address: str) -> float:
        """Seconds before this address may try a code again (0 when it may now)."""
        with self._lock:
            _, may_try_at = self._failures.get(address, (0, 0.0))
        return max(0.0, may_try_at - self._clock())

    def failed(self, address: str) -> float:
        """Record a wrong code; returns the wait now imposed."""
        with self._lock:
            count, _ = self._failures.get(address, (0, 0.0))
            count += 1
            over = count - self.free
            wait = 0.0 if over <= 0 else min(self.longest, self.first_wait * 2 ** (over - 1))
            self._failures[address] = (count, self._clock() + wait)
            return wait

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
