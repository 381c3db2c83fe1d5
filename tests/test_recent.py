from __future__ import annotations

from pathlib import Path

from placeplanner import paths
from placeplanner.recent import KEEP, recent_plans, remember


def test_recent_plans_are_newest_first_unique_and_bounded(tmp_path: Path) -> None:
    plans = [tmp_path / f"plan{i}.placeplan" for i in range(KEEP + 3)]
    for plan in plans:
        plan.write_bytes(b"")
        remember(plan)
    remember(plans[2])
    found = recent_plans()
    assert found[0] == plans[2].resolve()
    assert len(found) == KEEP
    assert len(set(found)) == KEEP


def test_missing_plans_drop_out_and_a_damaged_list_is_empty(tmp_path: Path) -> None:
    plan = tmp_path / "gone.placeplan"
    plan.write_bytes(b"")
    remember(plan)
    plan.unlink()
    assert recent_plans() == []
    (paths.config_dir() / "recent-plans.json").write_text("{not json", encoding="utf-8")
    assert recent_plans() == []
