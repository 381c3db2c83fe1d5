"""Writing a report file whole, or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from placeplanner.errors import PlanError


def write_whole(target: Path, write: Callable[[Path], object]) -> None:
    """``write`` into a hidden partial file beside ``target``, then move it into place, so a
    failure never leaves half a paper where the last good one was; an OS error names the file."""
    partial = target.with_name(f".{target.name}.part")
    try:
        write(partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise PlanError(f"{target} could not be written: {error.strerror or error}") from None
