"""Who is using PlacePlanner, for the audit log: set once, changeable, else the login name."""

from __future__ import annotations

import getpass
import json
import os

from placeplanner import paths

USER_ENV = "PLACEPLANNER_USER"


def current_user() -> str:
    if os.environ.get(USER_ENV):
        return os.environ[USER_ENV]
    try:
        saved = json.loads((paths.config_dir() / "user.json").read_text(encoding="utf-8"))
        if isinstance(saved.get("name"), str) and saved["name"].strip():
            return str(saved["name"])
    except (OSError, ValueError):
        pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


def set_current_user(name: str) -> None:
    (paths.config_dir() / "user.json").write_text(json.dumps({"name": name.strip()}), encoding="utf-8")
