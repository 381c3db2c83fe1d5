"""One writer per plan: an OS file lock beside the plan, released even if the process dies.

The lock file itself is truncated by every contender, so the holder's details live in a
second small file that the refused process reads to say who holds the plan.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from placeplanner.errors import PlanLockedError


def _lock_path(plan: Path) -> Path:
    return plan.with_name(plan.name + "-lock")


def _holder_path(plan: Path) -> Path:
    return plan.with_name(plan.name + "-lock.json")


class WriterLock:
    """Held while a process may write to a plan."""

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self._lock = FileLock(_lock_path(plan), timeout=0, thread_local=False)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise PlanLockedError(f"{self.plan.name} is open for editing elsewhere ({describe_holder(self.plan)}); close it there first, or open it read-only") from None
        holder = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "user": _user(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        _holder_path(self.plan).write_text(json.dumps(holder), encoding="utf-8")

    def release(self) -> None:
        if self._lock.is_locked:
            _holder_path(self.plan).unlink(missing_ok=True)
            self._lock.release()


def describe_holder(plan: Path) -> str:
    try:
        holder = json.loads(_holder_path(plan).read_text(encoding="utf-8"))
        since = datetime.fromisoformat(holder["since"]).strftime("%d %b %Y %H:%M")
        return f"by {holder['user']} on {holder['host']}, process {holder['pid']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "by another process"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"
