"""Support tickets on a real store: numbers, deadlines, the lifecycle, responses and replies, escalation."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft, CustomerProfile
from core.kernel.errors import NotFound, PermissionDenied, ValidationError
from core.messaging.shopper_messages import ChannelRefused
from core.staff.auth import Actor, Role
from core.tickets.model import DEFAULT_SLA_HOURS, Priority, Status, TicketDraft, TicketFilter
from core.tickets.service import TicketService
from core.tickets.settings import TicketSettings
from core.tickets.sla import Shift
from storage.bootstrap import Services
from storage.db import Store
from storage.schema import Communication
from storage.uow import uow_factory
from tests.clock import TestClock
from tests.conftest import actor_for

NOOR = CustomerDraft(
    first_name_en="Noor",
    last_name_en="Haddad",
    mobile="050 444 5566",
    preferred_language="en",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True),),
)


def count(store: Store, sql: str) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar() or 0)


def writes(store: Store) -> tuple[int, int, int]:
    return (
        count(store, "SELECT count(*) FROM change_log"),
        count(store, "SELECT count(*) FROM ticket_responses"),
        count(store, "SELECT count(*) FROM communications"),
    )


@pytest.fixture
def noor(services: Services, cashier: Actor) -> CustomerProfile:
    return services.customers.create(cashier, NOOR)


@pytest.fixture
def shopper(services: Services) -> Actor:
    return actor_for(services, Role.PERSONAL_SHOPPER)


def inbound(services: Services, actor: Actor, customer_id: str, at: datetime) -> None:
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.session.add(  # type: ignore[attr-defined]
            Communication(
                customer_id=customer_id,
                channel="whatsapp",
                direction="inbound",
                recipient="",
                body="The bottle I bought leaks",
                status="received",
                created_at=at,
            )
        )
        uow.commit()


def test_a_ticket_gets_a_chain_unique_number_and_a_deadline_in_working_hours(
    services: Services, cashier: Actor, noor: CustomerProfile
) -> None:
    # The test clock starts on Thursday 3 December 2026, National Day: closed. 24 working hours of a medium
    # ticket are Friday 10:00–22:00 and, after the weekend, Monday 10:00–22:00 (18:00 UTC).
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks", "Bought last week"))
    other = services.tickets.open(cashier, TicketDraft(noor.id, "Wrong gift wrap", priority="low"))
    code = services.branch().code  # type: ignore[union-attr]
    assert ticket.number.startswith(f"{code}-T000001-") and other.number.startswith(f"{code}-T000002-")
    assert ticket.status is Status.OPEN and ticket.priority is Priority.MEDIUM
    assert ticket.due_at == datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    assert services.tickets.get(cashier, ticket.id)[0] == ticket


def test_the_lifecycle_refuses_bad_moves_and_leaves_the_ticket_untouched(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    for status in ("in_progress", "waiting", "resolved", "closed"):
        ticket = services.tickets.move(cashier, ticket.id, status)
    before = writes(services.store)
    with pytest.raises(ValidationError, match="already closed"):
        services.tickets.move(manager, ticket.id, "closed")  # closed twice
    with pytest.raises(ValidationError, match="Unknown ticket status: done"):
        services.tickets.move(cashier, ticket.id, "done")
    with pytest.raises(NotFound, match="does not exist in this chain"):
        services.tickets.move(cashier, "a-ticket-of-another-chain", "open")
    assert writes(services.store) == before
    assert services.tickets.get(cashier, ticket.id)[0] == ticket

    clock.advance(days=10)
    reopened = services.tickets.move(cashier, ticket.id, "open")
    assert reopened.status is Status.OPEN
    assert reopened.due_at is not None and ticket.due_at is not None and reopened.due_at > ticket.due_at


def test_assignment_and_priority_need_a_manager(
    services: Services, cashier: Actor, manager: Actor, shopper: Actor, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    with pytest.raises(PermissionDenied):
        services.tickets.assign(cashier, ticket.id, shopper.staff_id)
    with pytest.raises(ValidationError, match="active staff member"):
        services.tickets.assign(manager, ticket.id, "nobody")
    assigned = services.tickets.assign(manager, ticket.id, shopper.staff_id)
    assert assigned.assigned_staff_id == shopper.staff_id
    urgent = services.tickets.set_priority(manager, ticket.id, "urgent")
    # Two working hours from the opening, which was on a holiday: Friday 12:00 in Dubai.
    assert urgent.due_at == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="Unknown ticket priority"):
        services.tickets.set_priority(manager, ticket.id, "critical")

    assert [t.id for t in services.tickets.find(cashier, TicketFilter(assignee=shopper.staff_id))] == [ticket.id]
    assert services.tickets.find(cashier, TicketFilter(priority="low")) == []
    assert [t.id for t in services.tickets.find(cashier, TicketFilter(text="LEAKS"))] == [ticket.id]
    with pytest.raises(ValidationError):
        services.tickets.find(cashier, TicketFilter(status="finished"))


def test_notes_are_kept_in_order_and_bad_ones_refused(
    services: Services, cashier: Actor, shopper: Actor, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    first = services.tickets.note(cashier, ticket.id, "Customer brought the bottle back.")
    second = services.tickets.note(shopper, ticket.id, "Replacement ordered.")
    before = writes(services.store)
    with pytest.raises(ValidationError, match="at most 4000"):
        services.tickets.note(cashier, ticket.id, "x" * 20_000)
    with pytest.raises(ValidationError) as bidi:
        services.tickets.note(cashier, ticket.id, "refund \u202e0001")
    assert bidi.value.field == "body"
    assert writes(services.store) == before
    _ticket, responses = services.tickets.get(cashier, ticket.id)
    assert [r.id for r in responses] == [first.id, second.id]
    assert all(r.internal for r in responses)


def sent(services: Services, response_id: str) -> tuple[str, str, str, str | None]:
    with services.store.read_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT c.body, c.direction, c.status, c.template_id FROM ticket_responses r "
                "JOIN communications c ON c.id = r.communication_id WHERE r.id = :id"
            ),
            {"id": response_id},
        ).one()
    return row[0], row[1], row[2], row[3]


def test_a_reply_goes_as_free_text_inside_the_window_and_as_the_template_outside(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    before = writes(services.store)
    with pytest.raises(ValidationError, match="Too long for WhatsApp"):
        services.tickets.reply(cashier, ticket.id, "x" * 1001)
    assert writes(services.store) == before

    outside = services.tickets.reply(cashier, ticket.id, "We have a replacement.\nCome by any time.")
    body, direction, status, template = sent(services, outside.id)
    assert (
        body
        == f"Dear Noor, about your request {ticket.number} at Perfume & Oud: We have a replacement. Come by any time."
    )
    assert (direction, status) == ("outbound", "queued") and template is not None
    assert outside.body == "We have a replacement.\nCome by any time.", "the response keeps the reply as written"

    inbound(services, cashier, noor.id, clock.now() - timedelta(hours=2))
    inside = services.tickets.reply(cashier, ticket.id, "Your bottle is ready.")
    assert not inside.internal
    assert sent(services, inside.id) == ("Your bottle is ready.", "outbound", "queued", None)

    no_whatsapp = services.customers.create(
        cashier, CustomerDraft(first_name_en="Omar", mobile="050 444 9900", preferred_channel="sms")
    )
    other = services.tickets.open(cashier, TicketDraft(no_whatsapp.id, "Points missing"))
    before = writes(services.store)
    with pytest.raises(ChannelRefused, match="agreed to no channel"):
        services.tickets.reply(cashier, other.id, "We added them.")
    assert writes(services.store) == before


def test_overdue_tickets_go_to_the_branch_manager_once(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    urgent = services.tickets.open(cashier, TicketDraft(noor.id, "Wrong perfume sold", priority="urgent"))
    services.tickets.open(cashier, TicketDraft(noor.id, "Question about points", priority="low"))
    assert urgent.due_at is not None
    assert services.tickets.overdue(cashier, urgent.due_at) == []
    later = urgent.due_at + timedelta(minutes=1)
    assert [t.id for t in services.tickets.overdue(cashier, later)] == [urgent.id]
    with pytest.raises(PermissionDenied):
        services.tickets.escalate(cashier, later)
    sent = services.tickets.escalate(manager, later)
    assert [(e.ticket_id, e.manager_id) for e in sent] == [(urgent.id, manager.staff_id)]
    assert services.tickets.escalate(manager, later + timedelta(hours=1)) == []
    assert services.tickets.get(cashier, urgent.id)[0].escalated_to == manager.staff_id


def test_branch_hours_and_sla_hours_are_settings(store: Store, cashier: Actor, noor: CustomerProfile) -> None:
    # Friday 19 February 2027 21:00 in Ramadan, with split Ramadan hours: 21:00–01:00 counts four hours, then the
    # weekend; a high ticket with 6 SLA hours is due Monday 12:00 (08:00 UTC).
    ramadan = TestClock(datetime(2027, 2, 19, 17, 0, tzinfo=UTC), tick=False)
    settings = TicketSettings(
        sla_hours={**DEFAULT_SLA_HOURS, Priority.HIGH: 6},
        ramadan_hours=(Shift(time(10), time(16)), Shift(time(20), time(1))),
    )
    tickets = TicketService(uow_factory(store, ramadan), ramadan, settings)
    ticket = tickets.open(cashier, TicketDraft(noor.id, "Gift set missing a bottle", priority="high"))
    assert ticket.due_at == datetime(2027, 2, 22, 8, 0, tzinfo=UTC)


def test_a_ticket_needs_a_customer_of_this_chain_and_its_source(
    services: Services, cashier: Actor, noor: CustomerProfile
) -> None:
    before = writes(services.store)
    with pytest.raises(NotFound, match="customer"):
        services.tickets.open(cashier, TicketDraft("a-customer-of-another-chain", "Leak"))
    with pytest.raises(ValidationError) as missing:
        services.tickets.open(cashier, TicketDraft(noor.id, "Leak", source="whatsapp"))
    assert missing.value.field == "source_id"
    assert writes(services.store) == before
    from_whatsapp = services.tickets.open(
        cashier, TicketDraft(noor.id, "Asked about a refund", source="whatsapp", source_id="message-1")
    )
    assert (from_whatsapp.source.value, from_whatsapp.source_id) == ("whatsapp", "message-1")
