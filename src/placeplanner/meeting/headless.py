"""One scoring round without the app: ``placeplanner meeting serve PLAN --option NAME``.

For an asynchronous round, a spare machine, and tests. It prints one JSON line with the address
and the join code once it listens, stores scores as they arrive, and on SIGTERM or SIGINT closes
the round, commits and exits 0. Run again on the same plan and option, it resumes the round
with the same code.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

from placeplanner.errors import PlanError
from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.server import MeetingServer
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.meeting.tally import POLICIES, RECUSE


def serve_round(plan_path: Path, option: str, *, host: str = "127.0.0.1", port: int = 0,
                meeting: str | None = None, out: TextIO = sys.stdout,
                stop: threading.Event | None = None) -> int:
    from placeplanner.service import PlanService

    stop = stop or threading.Event()
    with PlanService.open(plan_path) as service:
        plan = service.read()
        if option not in {o.name for o in plan.options}:
            raise PlanError(f"No option named {option!r} in {plan_path.name}.")
        settings = MeetingSettings(
            meeting=meeting or f"Scoring round: {option}",
            attendees=tuple(p.name for p in plan.participants),
            agenda=(option,),
            values=tuple(v.name for v in plan.values),
            policy=plan.info.conflict_policy if plan.info.conflict_policy in POLICIES else RECUSE,
        )
        live = LiveMeeting.open(service.plan_file, plan, settings, actor=service.actor)
        if live.current_option != option or live.round_status(option) != "open":
            live.go_to(option)
            if live.round_status(option) != "open":
                live.reopen_round()
        server = MeetingServer(live, host=host, port=port)
        try:
            url = server.start()
        except OSError as error:
            raise PlanError(f"Cannot listen on {host}:{port}: {error.strerror or error}.") from None
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            print(json.dumps({"url": url, "code": live.join_code, "meeting": settings.meeting,
                              "option": option, "resumed": live.resumed}), file=out, flush=True)
            while not stop.wait(0.2):
                pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            server.stop()
            live.close_round()
        scored = len(live.scored(option))
        print(f"Round closed: {scored} of {len(settings.attendees)} participants scored {option}.",
              file=sys.stderr)
    return 0
