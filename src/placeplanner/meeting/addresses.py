"""The machine's network addresses, for the facilitator to choose where the meeting listens."""

from __future__ import annotations

import contextlib
import socket

LOOPBACK = "127.0.0.1"


def local_addresses() -> list[str]:
    """IPv4 addresses of this machine, the one a default route would use first, loopback last."""
    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe, contextlib.suppress(OSError):
        # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        for *_, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(address[0]))
    unique = [a for i, a in enumerate(found) if a not in found[:i] and not a.startswith("127.")]
    return [*unique, LOOPBACK]
