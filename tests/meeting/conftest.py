from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from placeplanner.meeting.live import LiveMeeting
from placeplanner.meeting.server import MeetingServer, ServerLimits
from placeplanner.meeting.settings import MeetingSettings
from placeplanner.model import Declaration, DeclarationAction, Participant
from placeplanner.service import PlanService
from tests.conftest import small_plan

PEOPLE = ("Asha Patel", "Tom Reid", "Grace Obi", "Liam Hart", "Mei Wong")


@pytest.fixture
def meeting_service(plan_path: Path) -> Iterator[PlanService]:
    """The small plan with five participants; Grace Obi has declared an interest in Falls service."""
    service = PlanService.create(plan_path, small_plan().info)
    service.apply(small_plan())
    for name in PEOPLE[2:]:
        service.upsert(Participant(name, "Testford Council"))
    service.upsert(Declaration("Grace Obi", "Falls service", "Her charity provides falls classes",
                               DeclarationAction.RECUSED))
    yield service
    service.close()


def settings(**overrides: object) -> MeetingSettings:
    values: dict[str, object] = {
        "meeting": "Testford workshop", "attendees": PEOPLE,
        "agenda": ("Falls service", "Healthy schools"),
        "values": ("Improves population health", "Reduces inequalities"),
    }
    values.update(overrides)
    return MeetingSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def live(meeting_service: PlanService) -> LiveMeeting:
    meeting = LiveMeeting.open(meeting_service.plan_file, meeting_service.read(), settings(), actor="Facilitator")
    meeting.go_to("Falls service")
    return meeting


@pytest.fixture
def server(live: LiveMeeting) -> Iterator[MeetingServer]:
    running = MeetingServer(live, limits=ServerLimits())
    running.start()
    yield running
    running.stop()
