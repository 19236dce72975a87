"""The sensitive fields leave the customer service masked; a reveal gives one in full and audits it, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.customers.model import CustomerDraft, draft_from
from core.kernel.errors import ValidationError
from core.privacy.audit import SENSITIVE_READ, TrailFilter
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from storage.schema import SecurityEvent
from tests.clock import TestClock
from tests.conftest import actor_for
from tests.faults.support import chain

EID = "784-1990-1234567-6"


@pytest.fixture
def mariam(services: Services, cashier: Actor):  # type: ignore[no-untyped-def]
    return services.customers.create(
        cashier,
        CustomerDraft(
            first_name_en="Mariam",
            mobile="+971 50 111 2233",
            emirates_id=EID,
            birthday=date(1990, 4, 2),
            notes="Allergic to musk",
        ),
    )


def reads(services: Services) -> list[SecurityEvent]:
    with services.store.read_session() as session:
        return list(session.scalars(select(SecurityEvent).where(SecurityEvent.kind == SENSITIVE_READ)))


def test_the_profile_is_masked_and_a_reveal_is_audited_once(
    services: Services,
    cashier: Actor,
    mariam,
    clock: TestClock,  # type: ignore[no-untyped-def]
) -> None:
    profile = services.customers.get(mariam.id)
    assert profile.emirates_id is None and profile.birthday is None and profile.notes is None
    assert profile.mask_of("emirates_id") == "784-••••-•••••••-6"
    assert profile.mask_of("notes") and "musk" not in str(profile.masked)
    assert profile.mobile == "+971501112233"  # shown for service, not masked
    assert reads(services) == []

    assert services.customers.reveal(cashier, mariam.id, "emirates_id") == EID
    assert services.customers.reveal(cashier, mariam.id, "birthday") == date(1990, 4, 2)
    events = reads(services)
    assert len(events) == 2
    first = next(e for e in events if e.detail["field"] == "emirates_id")
    assert first.staff_id == cashier.staff_id and first.branch_id == cashier.branch_id
    assert first.detail == {"customer_id": mariam.id, "field": "emirates_id"}
    assert first.terminal == services.store.terminal_id
    assert abs((first.created_at - clock.now()).total_seconds()) < 60


def test_history_masks_sensitive_changes(services: Services, cashier: Actor, mariam) -> None:  # type: ignore[no-untyped-def]
    shown = draft_from(services.customers.get(mariam.id))
    draft = replace(shown, withheld=shown.withheld - {"emirates_id"}, emirates_id="784-1990-7654321-6")
    services.customers.update(cashier, mariam.id, draft)
    text = str([e.changes for e in services.customers.history(cashier, mariam.id)])
    assert "1234567" not in text and "7654321" not in text and "musk" not in text
    assert "784-••••-•••••••-6" in text


def test_an_edit_keeps_what_it_did_not_reveal(services: Services, cashier: Actor, mariam) -> None:  # type: ignore[no-untyped-def]
    draft = replace(draft_from(services.customers.get(mariam.id)), first_name_en="Maryam")
    assert draft.withheld == {"emirates_id", "birthday", "notes"}
    saved = services.customers.update(cashier, mariam.id, draft)
    assert saved.first_name_en == "Maryam" and saved.emirates_id is None and saved.mask_of("emirates_id")
    assert services.customers.reveal(cashier, mariam.id, "notes") == "Allergic to musk"
    assert services.customers.reveal(cashier, mariam.id, "emirates_id") == EID


def test_only_sensitive_fields_are_revealed(services: Services, cashier: Actor, mariam) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.customers.reveal(cashier, mariam.id, "mobile")
    assert reads(services) == []


def test_the_trail_lists_reads_for_an_admin(services: Services, cashier: Actor, mariam) -> None:  # type: ignore[no-untyped-def]
    services.customers.reveal(cashier, mariam.id, "notes")
    admin = actor_for(services, Role.ADMIN)
    rows = services.audit_trail.entries(admin, TrailFilter(customer=mariam.id))
    assert [r.kind for r in rows] == ["sensitive_read", "history"]  # newest first
    assert rows[0].fields == ("notes",) and rows[0].staff_id == cashier.staff_id
    assert rows[0].customer_name == "Mariam"
    assert "musk" not in str(rows[1].detail) and "1234567" not in str(rows[1].detail)
    only = services.audit_trail.entries(admin, TrailFilter(kind="sensitive_read", field="emirates_id"))
    assert only == []
    by_field = services.audit_trail.entries(admin, TrailFilter(kind="history", field="emirates_id"))
    assert [r.customer_id for r in by_field] == [mariam.id]
    by_number = services.audit_trail.entries(admin, TrailFilter(customer=mariam.number))
    assert [r.id for r in by_number] == [r.id for r in rows]
    assert services.audit_trail.entries(admin, TrailFilter(customer=mariam.number, staff_id=admin.staff_id)) == []


def test_a_read_at_one_branch_reaches_head_office_and_the_other_branch(tmp_path: Path) -> None:
    with chain(tmp_path) as (_ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        a.services.customers.reveal(a.actor, customer, "notes")
        a.sync()
        assert a.replica.unsynced() == 0, "head office took the read"
        b.sync()
        reads = {row for row in b.ledger("security_events") if SENSITIVE_READ in row}
        assert len(reads) == 1 and reads == {row for row in a.ledger("security_events") if SENSITIVE_READ in row}


def test_the_trail_pages_on_without_gaps_or_repeats(services: Services, cashier: Actor, mariam) -> None:  # type: ignore[no-untyped-def]
    for field in ("notes", "birthday", "emirates_id", "notes", "birthday"):
        services.customers.reveal(cashier, mariam.id, field)
    admin = actor_for(services, Role.ADMIN)
    everything = services.audit_trail.entries(admin, TrailFilter(), 5000)
    walked: list[str] = []
    page = services.audit_trail.entries(admin, TrailFilter(), 3)
    while page:
        walked += [e.id for e in page]
        page = services.audit_trail.entries(admin, TrailFilter(), 3, page[-1].cursor)
    assert walked == [e.id for e in everything] and len(walked) > 60  # the demo's history and the reads
