"""Join codes that people type, and tokens that browsers keep."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L or 5/S: a code read off a projector is typed without doubt.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
JOIN_LENGTH = 6  # 29**6, about 595 million codes, against a guesser slowed to a few tries a minute
TOKEN_BYTES = 24  # 192 bits


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def normalise_code(typed: str) -> str:
    """What a participant typed, as the code is written: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def code_matches(typed: str, code: str) -> bool:
    return hmac.compare_digest(normalise_code(typed).encode(), code.encode())


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """Tokens are stored only as digests, so a copy of the plan file admits nobody."""
    return hashlib.sha256(token.encode()).hexdigest()
