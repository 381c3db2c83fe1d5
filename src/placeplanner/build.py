"""Which build this is: the installers write ``_build.txt`` (date and commit) beside this file;
a run from source says so."""

from __future__ import annotations

from pathlib import Path


def build_label() -> str:
    stamp = Path(__file__).with_name("_build.txt")
    try:
        return stamp.read_text(encoding="utf-8").strip() or "from source"
    except OSError:
        return "from source"
