from __future__ import annotations

import sqlite3

import pytest

from placeplanner.errors import ValidationError
from placeplanner.model import Option, Partner
from placeplanner.service import PlanService


def test_every_change_is_logged_with_before_and_after(service: PlanService) -> None:
    service.upsert(Partner("Testford ICB", "integrated care board"))
    entry = service.audit_log()[-1]
    assert (entry.action, entry.entity, entry.entity_key, entry.actor) == ("update", "partners", "Testford ICB", "Test Analyst")
    assert entry.before == {"name": "Testford ICB", "kind": "ICB"}
    assert entry.after == {"name": "Testford ICB", "kind": "integrated care board"}


def test_a_refused_change_leaves_no_entry(service: PlanService) -> None:
    count = len(service.audit_log())
    with pytest.raises(ValidationError):
        service.upsert(Option("Nowhere", "No such partner"))
    assert len(service.audit_log()) == count


def test_deleting_a_record_is_logged(service: PlanService) -> None:
    service.upsert(Partner("Riverside Hospice"))
    service.delete("partners", "Riverside Hospice")
    entry = service.audit_log()[-1]
    assert (entry.action, entry.entity_key, entry.after) == ("delete", "Riverside Hospice", None)


def test_deleting_what_others_depend_on_is_refused(service: PlanService) -> None:
    with pytest.raises(ValidationError, match=r"^funding stream 'Better Care Fund' names partner 'Testford ICB', which is not in the plan, so 'Testford ICB' cannot be deleted"):
        service.delete("partners", "Testford ICB")


def test_the_chain_is_whole_after_ordinary_use(service: PlanService) -> None:
    assert service.verify_audit() is None


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_log SET actor = 'Someone else' WHERE id = 2",
    "UPDATE audit_log SET after = '{\"name\": \"Forged\"}' WHERE id = 3",
    "DELETE FROM audit_log WHERE id = 2",
])
def test_editing_or_deleting_an_entry_breaks_the_chain_at_that_entry(service: PlanService, tamper: str) -> None:
    connection = sqlite3.connect(service.path)
    connection.execute(tamper)
    connection.commit()
    connection.close()
    assert service.verify_audit() in {2, 3}
