"""A participant's calls to the meeting server, over real HTTP (urllib), for tests and benchmarks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from placeplanner.meeting.server import TOKEN_HEADER


def call(url: str, path: str, body: Any = None, *, token: str | None = None,
         headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, Any]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header(TOKEN_HEADER, token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _decode(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _decode(error.read())


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def join(url: str, code: str, name: str, *, take_over: bool = False) -> str:
    """A token for ``name``; ``take_over`` confirms continuing here while another device holds it."""
    status, answer = call(url, "/api/join", {"code": code, "name": name, **({"take_over": True} if take_over else {})})
    assert status == 200, answer
    return str(answer["token"])


def score(url: str, token: str, option: str, scores: dict[str, float | None]) -> tuple[int, Any]:
    return call(url, "/api/scores", {"option": option, "scores": {v: {"score": s} for v, s in scores.items()}},
                token=token)


def from_address(url: str, source: str, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """One request from a chosen loopback address (127.0.0.2 ...), to stand for another device."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, _decode(response.read())
    finally:
        connection.close()
