"""A large synthetic plan written as CSV files, for the import benchmark and the crash test."""

from __future__ import annotations

import csv
import random
from pathlib import Path

VALUES = ["Population health", "Inequalities", "Quality and safety", "Deliverability", "Strategic fit", "Prevention"]


def write_large_plan_csvs(
    folder: Path, *, options: int = 2000, streams: int = 6, participants: int = 40, seed: int = 1
) -> dict[str, int]:
    """Write plan, partners, funding_streams, values, options, participants, meetings and
    individual_scores CSVs; return the row count of each table."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    partners = [f"Partner {i}" for i in range(1, 7)]
    stream_names = [f"Stream {i}" for i in range(1, streams + 1)]
    option_names = [f"Option {i:04d}" for i in range(1, options + 1)]
    people = [f"Participant {i:02d}" for i in range(1, participants + 1)]

    def write(name: str, header: list[str], rows: list[list[object]]) -> int:
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(header)
            out.writerows(rows)
        return len(rows)

    counts = {
        "plan": write("plan", ["place", "first_year", "years"], [["Synthetic", "2027/28", 2]]),
        "partners": write("partners", ["name"], [[p] for p in partners]),
        "funding_streams": write(
            "funding_streams", ["name", "partner", "amount"],
            [[s, partners[i % len(partners)], 5_000_000 + 250_000 * i] for i, s in enumerate(stream_names)],
        ),
        "values": write("values", ["name", "weight", "scale_min", "scale_max"], [[v, 10 + 5 * i, 0, 10] for i, v in enumerate(VALUES)]),
        "options": write(
            "options", ["name", "lead_partner", "kind", *(f"cost:{s}" for s in stream_names)],
            [
                [o, rng.choice(partners), rng.choice(["invest", "expand", "redesign"]),
                 *(rng.choice([0, 0, rng.randrange(50_000, 2_000_000, 1_000)]) for _ in stream_names)]
                for o in option_names
            ],
        ),
        "participants": write("participants", ["name", "organisation"], [[p, rng.choice(partners)] for p in people]),
        "meetings": write("meetings", ["name", "date"], [["Scoring workshop", "2027-03-10"]]),
    }
    with (folder / "individual_scores.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["meeting", "participant", "option", "value", "score", "confidence", "comment"])
        rows = 0
        for option in option_names:
            for person in people:
                for value in VALUES:
                    out.writerow(["Scoring workshop", person, option, value, rng.randint(0, 10), "", ""])
                    rows += 1
    counts["individual_scores"] = rows
    return counts
