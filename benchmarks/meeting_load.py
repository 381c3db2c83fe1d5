"""200 participants scoring over loopback, several rounds: latency and lost or duplicated scores.

Each simulated participant has its own browser-like session from its own loopback address
(127.0.x.y), or with ``--one-address`` all from 127.0.0.1 as a room behind one NAT; the limits are
as shipped either way. Each keeps a server-sent event stream open,
scores 6 values at a random moment in each round, and a third of them change their minds once.
Prints figures, asserts nothing.

    .venv/bin/python benchmarks/meeting_load.py [--participants 200] [--rounds 4] [--one-address]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp

from placeplanner.meeting.server import TOKEN_HEADER

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VALUES = ("Health gain", "Fairness", "Prevention", "Value for money", "Deliverability", "Integration")


def write_plan(path: Path, participants: int, options: int) -> list[str]:
    from placeplanner.model import (
        Cost,
        FundingStream,
        Option,
        Participant,
        Partner,
        PlanData,
        PlanInfo,
        Value,
    )
    from placeplanner.service import PlanService

    people = [f"Participant {n:03d}" for n in range(participants)]
    plan = PlanData(
        info=PlanInfo(place="Loadford", start_year=2027, years=1),
        partners=(Partner("Loadford ICB"),),
        funding_streams=(FundingStream("Pooled fund", "Loadford ICB", ((2027, 5_000_000.0),)),),
        values=tuple(Value(name, 1.0, 0, 10) for name in VALUES),
        options=tuple(Option(f"Option {n}", "Loadford ICB", costs=(Cost("Pooled fund", 2027, 100_000.0 * (n + 1)),))
                      for n in range(options)),
        participants=tuple(Participant(name, "Loadford ICB") for name in people),
    )
    with PlanService.create(path, plan.info, actor="Benchmark") as service:
        service.apply(plan)
    return people


class ModelWatch:
    """Stands for the facilitator's model: notes when each participant's scores reach it."""

    def __init__(self, live: object) -> None:
        self.live = live
        self.seen: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()

    def __call__(self, event: str) -> None:
        if event != "scored":
            return
        now = time.perf_counter()
        option = self.live.current_option  # type: ignore[attr-defined]
        with self.lock:
            for who in self.live.scored(option):  # type: ignore[attr-defined]
                self.seen.setdefault((option, who), now)


async def participant(index: int, name: str, url: str, code: str, *, rounds: asyncio.Queue[str | None],
                      results: dict[str, list], one_address: bool = False) -> None:
    local = ("127.0.0.1", 0) if one_address else (f"127.0.{1 + index // 250}.{1 + index % 250}", 0)
    connector = aiohttp.TCPConnector(local_addr=local, limit=4)
    rng = random.Random(index)
    async with aiohttp.ClientSession(url, connector=connector) as session:
        async with session.post("/api/join", json={"code": code, "name": name}) as reply:
            token = (await reply.json())["token"]
        headers = {TOKEN_HEADER: token}
        events = asyncio.create_task(_listen(session, token))
        try:
            while (option := await rounds.get()) is not None:
                await asyncio.sleep(rng.uniform(0, 2.0))  # reading the option, thinking
                times = 2 if rng.random() < 1 / 3 else 1
                for attempt in range(times):
                    scores = {v: {"score": rng.randint(0, 10), "confidence": None, "comment": ""} for v in VALUES}
                    sent = time.perf_counter()
                    async with session.post("/api/scores", json={"option": option, "scores": scores},
                                            headers=headers) as reply:
                        ok = reply.status == 200
                        await reply.read()
                    done = time.perf_counter()
                    results["round_trip"].append(done - sent)
                    if attempt == 0:
                        results["first_sent"].append((option, name, sent))
                    if ok:
                        results["acknowledged"].append((option, name, {v: float(s["score"]) for v, s in scores.items()}, done))
                    else:
                        results["refused"].append((option, name))
                    if attempt + 1 < times:
                        await asyncio.sleep(rng.uniform(0.2, 1.0))
        finally:
            events.cancel()


async def _listen(session: aiohttp.ClientSession, token: str) -> None:
    async with session.get("/api/events", params={"token": token}, timeout=aiohttp.ClientTimeout(total=None)) as reply:
        async for _line in reply.content:
            pass


async def run(url: str, code: str, people: list[str], live: object, options: list[str], *,
              one_address: bool = False) -> dict[str, list]:
    results: dict[str, list] = {"round_trip": [], "first_sent": [], "acknowledged": [], "refused": []}
    queues: list[asyncio.Queue[str | None]] = [asyncio.Queue() for _ in people]
    tasks = [asyncio.create_task(participant(i, name, url, code, rounds=queues[i], results=results,
                                             one_address=one_address))
             for i, name in enumerate(people)]
    await asyncio.sleep(1.0)  # everyone joined and listening
    for option in options:
        await asyncio.to_thread(live.go_to, option)  # type: ignore[attr-defined]
        for queue in queues:
            queue.put_nowait(option)
        expected = len(results["acknowledged"]) + len(results["refused"])
        target = expected + sum(1 for _ in people)  # at least one submission each
        while len(results["acknowledged"]) + len(results["refused"]) < target:
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # second thoughts; any later are refused as after the close
        await asyncio.to_thread(live.close_round)  # type: ignore[attr-defined]
    for queue in queues:
        queue.put_nowait(None)
    await asyncio.gather(*tasks)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--one-address", action="store_true", help="every participant from 127.0.0.1")
    args = parser.parse_args()

    from placeplanner.meeting.live import LiveMeeting
    from placeplanner.meeting.server import MeetingServer
    from placeplanner.meeting.settings import MeetingSettings
    from placeplanner.service import PlanService

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PLACEPLANNER_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "load.placeplan"
        people = write_plan(path, args.participants, args.rounds)
        options = [f"Option {n}" for n in range(args.rounds)]
        with PlanService.open(path, auto_backup=False, actor="Benchmark") as service:
            settings = MeetingSettings("Load test", tuple(people), tuple(options), VALUES)
            live = LiveMeeting.open(service.plan_file, service.read(), settings, actor="Benchmark")
            watch = ModelWatch(live)
            live.subscribe(watch)
            server = MeetingServer(live)
            url = server.start()
            started = time.perf_counter()
            try:
                results = asyncio.run(run(url, live.join_code, people, live, options, one_address=args.one_address))
            finally:
                server.stop()
            wall = time.perf_counter() - started
            frame = service.scores_frame("Load test")

    to_model = [watch.seen[(o, n)] - sent for o, n, sent in results["first_sent"] if (o, n) in watch.seen]
    last: dict[tuple[str, str], dict[str, float]] = {}
    for option, name, scores, _ in sorted(results["acknowledged"], key=lambda r: r[3]):
        last[(option, name)] = scores
    stored: dict[tuple[str, str, str], list[float]] = {}
    for option, name, value, score in zip(frame.option, frame.participant, frame.value, frame.score, strict=True):
        stored.setdefault((option, name, value), []).append(float(score))
    lost = sum(1 for (o, n), scores in last.items() for v, s in scores.items() if stored.get((o, n, v), [None])[-1] != s)
    duplicated = sum(len(rows) - 1 for rows in stored.values())

    def figures(samples: list[float]) -> str:
        ordered = sorted(samples)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"

    submissions = len(results["acknowledged"]) + len(results["refused"])
    where = "one address" if args.one_address else "an address each"
    print(f"{len(people)} participants ({where}), {args.rounds} rounds, {len(VALUES)} values, "
          f"{submissions} submissions ({len(results['refused'])} refused), {wall:.1f} s wall")
    print(f"submit to the facilitator's model: {figures(to_model)} (first submission of each participant and round)")
    print(f"submit to 'saved' on the page:    {figures(results['round_trip'])} (every submission)")
    print(f"scores stored {len(frame)}; lost {lost}; duplicated {duplicated}")


if __name__ == "__main__":
    main()
