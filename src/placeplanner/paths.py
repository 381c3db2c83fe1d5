"""Where PlacePlanner keeps its own files. The one place that asks platformdirs.

``PLACEPLANNER_HOME`` overrides every location, for tests and portable installs.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "PlacePlanner"
HOME_ENV = "PLACEPLANNER_HOME"


def _override() -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else None


def data_dir() -> Path:
    """Per-user data: backups and anything the user would miss if it were deleted."""
    base = _override()
    path = base / "data" if base else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    base = _override()
    path = base / "config" if base else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
