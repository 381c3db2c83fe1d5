"""Who is using PlacePlanner, for the audit log: asked on first start, changeable, else the login name."""

from __future__ import annotations

import getpass
import json
import os

from placeplanner import paths

USER_ENV = "PLACEPLANNER_USER"  # set by IT for a shared or kiosk install, or by tests; wins over the saved name


def current_user() -> str:
    return os.environ.get(USER_ENV) or saved_user() or login_name()


def saved_user() -> str | None:
    """The name this person gave PlacePlanner, or None if they have not been asked yet."""
    try:
        saved = json.loads((paths.config_dir() / "user.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = saved.get("name") if isinstance(saved, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


def set_current_user(name: str) -> None:
    if not name.strip():
        raise ValueError("a name is needed: it goes on the record with every change")
    (paths.config_dir() / "user.json").write_text(json.dumps({"name": name.strip()}), encoding="utf-8")
