"""Loaded at start-up by any Python whose path begins with this folder (the tests set
PYTHONPATH): it refuses, and writes to $NETGUARD_LOG, every attempt to resolve a name other than
this machine's or to send to an address beyond loopback. A test then reads the log.

Two things that send nothing are allowed, as the meeting screen's list of this machine's
addresses uses them: resolving the machine's own name, and connecting a UDP socket (which only
asks the kernel which interface a route would use); sending on such a socket is checked.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_log = os.environ.get("NETGUARD_LOG", "")


def _record(what: str) -> None:
    if _log:
        with Path(_log).open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {what}\n")
    raise OSError(101, f"network use refused by the test's guard: {what}")


def _local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str) or host.lower() in LOCAL_NAMES or host == socket.gethostname():
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False  # a name: resolving it would ask DNS
    return address.is_loopback or address.is_unspecified


def _checked(address: object) -> None:
    # AF_UNIX addresses are paths (str or bytes); inet ones are tuples.
    if isinstance(address, tuple) and address and not _local(address[0]):
        _record(f"connect to {address!r}")


_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
_send = socket.socket.send
_getaddrinfo = socket.getaddrinfo


def connect(self: socket.socket, address: object) -> None:
    if self.type != socket.SOCK_DGRAM:
        _checked(address)
    return _connect(self, address)  # type: ignore[arg-type]


def connect_ex(self: socket.socket, address: object) -> int:
    if self.type != socket.SOCK_DGRAM:
        _checked(address)
    return _connect_ex(self, address)  # type: ignore[arg-type]


def send(self: socket.socket, data: bytes, *args: object) -> int:
    if self.type == socket.SOCK_DGRAM:
        _checked(self.getpeername())
    return _send(self, data, *args)  # type: ignore[arg-type]


def sendto(self: socket.socket, data: bytes, *args: object) -> int:
    _checked(args[-1])
    return _sendto(self, data, *args)  # type: ignore[arg-type]


def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
    if not _local(host):
        _record(f"resolve {host!r}")
    return _getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]


socket.socket.connect = connect  # type: ignore[method-assign]
socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
socket.socket.sendto = sendto  # type: ignore[method-assign]
socket.socket.send = send  # type: ignore[method-assign]
socket.getaddrinfo = getaddrinfo
