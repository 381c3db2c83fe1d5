"""Runs a command with no network but loopback: ``unshare -rn python tests/offline.py CMD...``.

A new network namespace starts with only its own loopback interface, and that one down; this
brings it up (the ioctl ``ip link set lo up`` makes, so iproute2 is not needed) and then
becomes the command. Used by the tests that prove PlacePlanner works with networking off.
"""

from __future__ import annotations

import fcntl
import os
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def offline(command: list[str]) -> list[str]:
    """``command`` in a fresh network namespace (unprivileged, as a mapped root) with only
    loopback, up."""
    return ["unshare", "--map-root-user", "--net", sys.executable, __file__, *command]


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH", b"lo", 0)
        flags = struct.unpack("16sH", fcntl.ioctl(probe, SIOCGIFFLAGS, request)[:18])[1]
        fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


if __name__ == "__main__":
    interfaces = [name for _, name in socket.if_nameindex()]
    if interfaces != ["lo"]:
        sys.exit(f"offline.py: expected a fresh network namespace with only 'lo', found {interfaces}")
    loopback_up()
    os.execvp(sys.argv[1], sys.argv[1:])
