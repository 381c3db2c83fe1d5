"""Whether the result a report cites still matches the plan, in words, for the paper and the
workbook alike. The finding itself is the service's (``service.staleness``); this is the one place
the reports ask for it."""

from __future__ import annotations

from placeplanner.reports.record import Currency
from placeplanner.service.plan_service import PlanService

MOST_CHANGES = 12  # listed in the paper and the workbook; the count says how many there are


def result_currency(service: PlanService, result_id: int | None) -> Currency:
    """The plan's changes since stored result ``result_id``; a result solved for the report and
    not stored (a read-only plan) is current by construction."""
    if result_id is None:
        return Currency(False, (), "The result was solved from the plan as it is now, for this report.")
    from placeplanner.service.staleness import staleness

    found = staleness(service, result_id)
    return Currency(found.stale, found.changes[-MOST_CHANGES:], found.words(), found.count)
