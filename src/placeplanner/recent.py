"""The plans a user opened lately, newest first, kept in the user's config folder."""

from __future__ import annotations

import json
from pathlib import Path

from placeplanner import paths

KEEP = 8


def _store() -> Path:
    return paths.config_dir() / "recent-plans.json"


def recent_plans() -> list[Path]:
    """Recent plans that still exist; a damaged list is treated as empty, never as an error."""
    try:
        entries = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    return [Path(e) for e in entries if isinstance(e, str) and Path(e).exists()]


def remember(plan: Path) -> None:
    resolved = str(Path(plan).resolve())
    entries = [resolved] + [str(p) for p in recent_plans() if str(p) != resolved]
    store = _store()
    partial = store.with_suffix(".partial")
    partial.write_text(json.dumps(entries[:KEEP], indent=1), encoding="utf-8")
    partial.replace(store)
