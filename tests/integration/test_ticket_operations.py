"""Support tickets on a real store, operated: the SLA clock standing still while the customer is waited for, the
branch's own opening hours, the satisfaction survey a resolve queues, the escalation run and the manager's
alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft, CustomerProfile
from core.feedback.service import Answer
from core.kernel.errors import PermissionDenied, ValidationError
from core.messaging.ports import OutboundMessage, Refuse, Send
from core.messaging.rules import NO_CUSTOMER, ConsentSendPolicy
from core.messaging.templates import SURVEY_TICKET, template_id
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor
from core.tickets.model import Status, TicketDraft
from core.tickets.service import system_actor
from core.tickets.settings import ALERT_EMAIL_KEY, HOURS_KEY, SURVEY_AGAIN_KEY
from core.tickets.sla import DEFAULT_HOURS, Shift
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.uow import uow_factory
from tests.clock import TestClock

NOOR = CustomerDraft(
    first_name_en="Noor",
    last_name_en="Haddad",
    mobile="050 444 5566",
    preferred_language="en",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True),),
)
MANAGER_EMAIL = "manager.dubai-mall@example.com"
# Tuesday 8 December 2026, 11:00 in Dubai: a working day, the branch open.
TUESDAY_11 = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)


def rows(store: Store, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def setting(services: Services, key: str, value: str) -> None:
    with uow_factory(services.store, services.clock)(system_actor(services.store.branch_id)) as uow:
        uow.settings.save_setting(key, value)
        uow.commit()


@pytest.fixture
def clock() -> TestClock:
    return TestClock(TUESDAY_11, tick=False)


@pytest.fixture
def noor(services: Services, cashier: Actor) -> CustomerProfile:
    return services.customers.create(cashier, NOOR)


def test_waiting_for_the_customer_stops_the_sla_clock(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    # 24 working hours from Tuesday 11:00: Tuesday 11, Wednesday 12, Thursday 10:00–11:00.
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Which size was the gift set?"))
    assert ticket.due_at == datetime(2026, 12, 10, 7, 0, tzinfo=UTC)
    clock.advance(hours=1)
    waiting = services.tickets.move(cashier, ticket.id, "waiting")
    assert waiting.waiting_since == clock.now() and waiting.due_at == ticket.due_at
    # Long past the deadline, the waiting ticket is neither overdue nor escalated.
    far = datetime(2026, 12, 20, tzinfo=UTC)
    assert services.tickets.overdue(cashier, far) == []
    assert services.tickets.escalate(manager, far) == []
    # The customer answers on Wednesday at 12:00: ten hours Tuesday and two Wednesday were waited. The twelve
    # hours go on the deadline: Thursday 11:00 to 22:00 and Friday 10:00–11:00.
    clock.advance(hours=24)
    working = services.tickets.move(cashier, ticket.id, "in_progress")
    assert working.status is Status.IN_PROGRESS and working.waiting_since is None
    assert working.due_at == datetime(2026, 12, 11, 7, 0, tzinfo=UTC)
    # Resolved straight from waiting: the pause ends, the deadline no longer matters.
    services.tickets.move(cashier, ticket.id, "waiting")
    resolved = services.tickets.move(cashier, ticket.id, "resolved")
    assert resolved.waiting_since is None and resolved.due_at == working.due_at


def test_the_branch_sets_its_own_opening_hours_and_weekend(
    services: Services, cashier: Actor, manager: Actor, noor: CustomerProfile
) -> None:
    with pytest.raises(PermissionDenied):
        services.tickets.save_branch_settings(cashier, (Shift(time(9), time(21)),), None, frozenset({4, 5}), None)
    with pytest.raises(ValidationError, match="overlap"):
        services.tickets.save_branch_settings(
            manager, (Shift(time(9), time(15)), Shift(time(14), time(21))), None, frozenset({4, 5}), None
        )
    with pytest.raises(ValidationError, match="at least one working day"):
        services.tickets.save_branch_settings(manager, (Shift(time(9), time(21)),), None, frozenset(range(7)), None)
    with pytest.raises(ValidationError, match="email address"):
        services.tickets.save_branch_settings(manager, (Shift(time(9), time(21)),), None, frozenset(), "manager@")
    assert rows(services.store, "SELECT value FROM store_settings WHERE key = :k", k=HOURS_KEY) == []

    # 09:00–21:00, Friday and Saturday off: 24 hours from Tuesday 11:00 are Tuesday 10, Wednesday 12 and
    # Thursday 09:00–11:00 (2 December's National Day is over).
    saved = services.tickets.save_branch_settings(
        manager,
        (Shift(time(9), time(21)),),
        (Shift(time(10), time(16)), Shift(time(20), time(1))),
        frozenset({4, 5}),
        "",
    )
    assert saved.hours == (Shift(time(9), time(21)),) and saved.weekend == frozenset({4, 5})
    assert saved.alert_email is None
    assert services.tickets.branch_settings(manager) == saved
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Engraving spelt wrong"))
    assert ticket.due_at == datetime(2026, 12, 10, 7, 0, tzinfo=UTC)
    # A high ticket (8 hours) opened Thursday 20:00 runs one hour, skips Friday and Saturday: Sunday 16:00.
    setting(services, HOURS_KEY, '{"hours": [["09:00", "21:00"]], "ramadan_hours": null, "weekend": [4, 5]}')
    later = build_services(services.store, TestClock(datetime(2026, 12, 10, 16, 0, tzinfo=UTC), tick=False))
    high = later.tickets.open(cashier, TicketDraft(noor.id, "Broken cap", priority="high"))
    assert high.due_at == datetime(2026, 12, 13, 12, 0, tzinfo=UTC)
    # A stored value that no longer reads: the default hours, and the ticket still gets its deadline.
    setting(services, HOURS_KEY, '{"hours": [["25:00", "xx"]]}')
    assert services.tickets.open(cashier, TicketDraft(noor.id, "Box dented")).due_at == datetime(
        2026, 12, 10, 7, 0, tzinfo=UTC
    )


def surveys(store: Store) -> list[tuple[object, ...]]:
    return rows(
        store,
        "SELECT i.kind, c.template_id, c.recipient, c.body, c.status FROM survey_invitations AS i "
        "JOIN communications AS c ON c.id = i.communication_id ORDER BY i.sent_at",
    )


def test_resolving_asks_the_customer_once_how_it_went(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    resolved = services.tickets.move(cashier, ticket.id, "resolved")
    assert resolved.survey_sent_at == clock.now()
    ((kind, template, recipient, body, status),) = surveys(services.store)
    assert (kind, template, recipient, status) == (
        "ticket_service",
        template_id(SURVEY_TICKET, "whatsapp", "en"),
        "+971504445566",
        "queued",
    )
    assert ticket.number in str(body) and "Noor" in str(body)
    # Reopened and resolved again the same week: no second question.
    clock.advance(days=2)
    services.tickets.move(cashier, ticket.id, "open")
    services.tickets.move(cashier, ticket.id, "resolved")
    assert len(surveys(services.store)) == 1
    # The customer's reply answers it, as a Service answer.
    answer = services.feedback.answer_reply(cashier, noor.id, "9 quick and kind")
    assert rows(services.store, "SELECT kind, nps FROM customer_feedback WHERE id = :f", f=answer.feedback_id) == [
        ("service", 9)
    ]
    # A month later the customer is back about it: resolving it again asks again.
    clock.advance(days=31)
    services.tickets.move(cashier, ticket.id, "open")
    services.tickets.move(cashier, ticket.id, "resolved")
    assert len(surveys(services.store)) == 2


def test_a_failed_resolve_writes_no_survey(services: Services, cashier: Actor, noor: CustomerProfile) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    services.tickets.move(cashier, ticket.id, "resolved")
    services.tickets.move(cashier, ticket.id, "closed")
    with pytest.raises(ValidationError, match="closed ticket can only be reopened"):
        services.tickets.move(cashier, ticket.id, "resolved")
    assert len(surveys(services.store)) == 1


def alerts(store: Store) -> list[tuple[object, ...]]:
    return rows(
        store,
        "SELECT customer_id, channel, recipient, body, status, params, template_id FROM communications "
        "WHERE customer_id IS NULL ORDER BY channel",
    )


def test_the_escalation_run_sends_an_overdue_ticket_to_the_manager_once_and_alerts_them(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    with pytest.raises(ValidationError, match="UAE mobile"):
        services.tickets.save_branch_settings(
            manager, DEFAULT_HOURS, None, frozenset({5, 6}), MANAGER_EMAIL, alert_whatsapp="04 345 6789"
        )
    services.tickets.save_branch_settings(
        manager, DEFAULT_HOURS, None, frozenset({5, 6}), MANAGER_EMAIL, alert_whatsapp="050 111 2233"
    )
    urgent = services.tickets.open(cashier, TicketDraft(noor.id, "Wrong perfume sold", priority="urgent"))
    system = system_actor(manager.branch_id)
    assert services.tickets.escalate(system) == []
    assert services.tickets.manager_alerts(manager).count == 0
    clock.advance(hours=2, minutes=1)
    (sent,) = services.tickets.escalate(system)
    assert (sent.ticket_id, sent.manager_id) == (urgent.id, manager.staff_id)
    assert services.tickets.escalate(system) == []
    found = alerts(services.store)
    assert [(r[0], r[1], r[2], r[4]) for r in found] == [
        (None, "email", MANAGER_EMAIL, "queued"),
        (None, "whatsapp", "+971501112233", "queued"),
    ]
    email, whatsapp = found
    assert email[3] == f"Ticket {urgent.number} is overdue and has been escalated to you (Wrong perfume sold)."
    assert json.loads(str(whatsapp[5])) == ["Wrong perfume sold", urgent.number]  # in the template's variable order
    # The send rules let an alert to the branch's own staff go, and nothing else that is for no customer.
    policy = ConsentSendPolicy(uow_factory(services.store, clock))
    for _customer, channel, recipient, body, _status, _params, template in found:
        message = OutboundMessage("m", str(channel), str(recipient), str(body), None, str(template))
        assert policy.decide(message, clock.now()) == Send()
    stray = OutboundMessage("m", "email", MANAGER_EMAIL, "hello", None, template_id(SURVEY_TICKET, "email", "en"))
    assert policy.decide(stray, clock.now()) == Refuse(NO_CUSTOMER)
    found_alerts = services.tickets.manager_alerts(manager)
    assert (found_alerts.low_scores, found_alerts.overdue, found_alerts.numbers) == (0, 1, [urgent.number])
    with pytest.raises(PermissionDenied):
        services.tickets.manager_alerts(cashier)
    with pytest.raises(PermissionDenied):
        services.tickets.escalate(cashier)


def test_without_an_alert_address_the_alert_is_in_the_app_only(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    urgent = services.tickets.open(cashier, TicketDraft(noor.id, "Wrong perfume sold", priority="urgent"))
    clock.advance(hours=3)
    assert len(services.tickets.escalate(system_actor(manager.branch_id))) == 1
    assert alerts(services.store) == []
    assert services.tickets.manager_alerts(manager).numbers == [urgent.number]


def test_a_low_score_alerts_the_manager_at_once(
    services: Services, cashier: Actor, manager: Actor, noor: CustomerProfile
) -> None:
    setting(services, ALERT_EMAIL_KEY, MANAGER_EMAIL)
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    sale = services.purchases.record_sale(cashier, SaleDraft(noor.id, (oud,), TenderDraft(cash_fils=100_000)))
    services.feedback.answer_at_till(cashier, sale.order.id, Answer(nps=2, comment="Nobody helped me"))
    (ticket,) = services.tickets.find(manager)
    ((_customer, channel, _recipient, body, _status, _params, _template),) = alerts(services.store)
    assert channel == "email" and ticket.number in str(body) and "Low score" in str(body)
    found = services.tickets.manager_alerts(manager)
    assert (found.low_scores, found.overdue) == (1, 0)
    # Once someone takes it, it no longer waits for the manager.
    services.tickets.assign(manager, ticket.id, manager.staff_id)
    assert services.tickets.manager_alerts(manager).count == 0


def test_the_customers_tickets_carry_their_last_response(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    first = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    clock.advance(hours=1)
    second = services.tickets.open(cashier, TicketDraft(noor.id, "Points missing"))
    clock.advance(minutes=5)
    services.tickets.note(cashier, first.id, "Called her, no answer")
    found = services.tickets.of_customer(cashier, noor.id)
    assert [t.id for t in found] == [second.id, first.id]
    assert [t.last_response_at for t in found] == [None, clock.now()]


def test_how_soon_a_resolve_asks_again_is_a_setting(
    services: Services, cashier: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    setting(services, SURVEY_AGAIN_KEY, "1")
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Bottle leaks"))
    services.tickets.move(cashier, ticket.id, "resolved")
    clock.advance(hours=23)
    services.tickets.move(cashier, ticket.id, "open")
    services.tickets.move(cashier, ticket.id, "resolved")
    assert len(surveys(services.store)) == 1
    clock.advance(hours=2)
    services.tickets.move(cashier, ticket.id, "open")
    services.tickets.move(cashier, ticket.id, "resolved")
    assert len(surveys(services.store)) == 2


def test_a_new_priority_keeps_the_time_used_and_the_wait_credited(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock, noor: CustomerProfile
) -> None:
    ticket = services.tickets.open(cashier, TicketDraft(noor.id, "Which size was the gift set?"))
    clock.advance(hours=1)
    services.tickets.move(cashier, ticket.id, "waiting")  # Tuesday 12:00
    clock.advance(hours=24)
    services.tickets.move(cashier, ticket.id, "in_progress")  # Wednesday 12:00: due Friday 11:00
    # One working hour was used (Tuesday 11:00–12:00): a high ticket's eight leave seven, Wednesday 19:00.
    high = services.tickets.set_priority(manager, ticket.id, "high")
    assert high.due_at == datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    urgent = services.tickets.set_priority(manager, ticket.id, "urgent")  # two hours: one left, 13:00
    assert urgent.due_at == datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    clock.advance(hours=3)  # Wednesday 15:00, two hours late: back to high leaves four, 19:00
    assert services.tickets.set_priority(manager, ticket.id, "high").due_at == datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    # Urgent again now: its two hours are used up twice over, so it is due at once, and overdue.
    again = services.tickets.set_priority(manager, ticket.id, "urgent")
    assert again.due_at == clock.now()
    assert [t.id for t in services.tickets.overdue(cashier, clock.now() + timedelta(minutes=1))] == [ticket.id]
