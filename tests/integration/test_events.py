"""Domain events on a real store: handlers run once, inside the use case's transaction, or not at all."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft
from core.giftcards.service import IssueRequest
from core.kernel.bus import EventBus
from core.kernel.events import (
    CustomerRegistered,
    DomainEvent,
    GiftCardSold,
    PointsExpired,
    PointsExpiring,
    ReturnRecorded,
    SaleCompleted,
    TierUpgraded,
    VisitLogged,
)
from core.messaging import handlers as messaging_handlers
from core.messaging.templates import EXPIRY_WARNING, RECEIPT, TIER_UPGRADE, template_ids
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.purchases.service import PurchaseService
from core.shoppers.model import VisitDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.repositories.people import SqlCustomerRepository
from storage.uow import uow_factory
from tests.clock import TestClock
from tests.conftest import actor_for


def count(store: Store, sql: str, **params: object) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def messages_to(store: Store, customer_id: str, keys: tuple[str, ...] = (TIER_UPGRADE, EXPIRY_WARNING)) -> int:
    """The customer's messages of these templates (loyalty's, by default: a sale also queues its receipt)."""
    ids = [tid for key in keys for tid in template_ids(key)]
    with store.read_engine.connect() as conn:
        rows = conn.execute(text("SELECT template_id FROM communications WHERE customer_id = :c"), {"c": customer_id})
        return sum(1 for (tid,) in rows if tid in ids)


def silver_sale(customer_id: str) -> SaleDraft:
    """1,780 points from Bronze: crosses Silver, so loyalty raises TierUpgraded."""
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 89_000)
    return SaleDraft(customer_id, (oud,), TenderDraft(cash_fils=200_000))


def test_handlers_see_each_event_once_per_commit_and_none_after_a_rollback(services: Services, cashier: Actor) -> None:
    seen: list[DomainEvent] = []
    make = uow_factory(services.store, services.clock, EventBus({DomainEvent: [lambda e, _uow: seen.append(e)]}))
    with make(cashier) as uow:
        uow.raise_event(CustomerRegistered("left without commit"))
    assert seen == []
    with pytest.raises(RuntimeError), make(cashier) as uow:
        uow.raise_event(CustomerRegistered("failed before commit"))
        raise RuntimeError("the use case refused")
    assert seen == []
    with make(cashier) as uow:
        uow.raise_event(CustomerRegistered("first"))
        uow.commit()
        uow.raise_event(CustomerRegistered("second"))
        uow.commit()
        uow.commit()
    assert seen == [CustomerRegistered("first"), CustomerRegistered("second")]
    with make(None) as reader, pytest.raises(RuntimeError, match="read-only"):
        reader.raise_event(CustomerRegistered("a reader states no facts"))


def test_a_tier_upgrade_queues_its_message_with_its_change_log_row(services: Services, cashier: Actor) -> None:
    who = services.customers.search("moh")[0].id
    sale = services.purchases.record_sale(cashier, silver_sale(who))
    assert sale.tier_after == "silver" and messages_to(services.store, who) == 1
    assert messages_to(services.store, who, (RECEIPT,)) == 1
    logged = count(
        services.store,
        "SELECT count(*) FROM change_log l JOIN communications c ON c.id = l.row_id"
        " WHERE l.entity = 'communications' AND c.customer_id = :c",
        c=who,
    )
    assert logged == 3, "the congratulation, the receipt and the survey, each with its change-log row"


def test_a_sales_receipt_uses_the_profile_the_sale_read(services: Services, cashier: Actor) -> None:
    """SaleCompleted carries the customer's profile as the sale read it (no part of the event's equality), so
    the receipt does not read it again; an event without it still gets its receipt."""
    who = services.customers.search("moh")[0].id
    completed: list[SaleCompleted] = []
    read: list[str] = []
    real_get = SqlCustomerRepository.get

    def get(repository: SqlCustomerRepository, customer_id: str) -> Any:
        read.append(customer_id)
        return real_get(repository, customer_id)

    bus = EventBus(messaging_handlers.HANDLERS, {SaleCompleted: [lambda event, _uow: completed.append(event)]})
    purchases = PurchaseService(uow_factory(services.store, services.clock, bus), services.clock)  # type: ignore[arg-type]
    line = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 1_000)
    with mock.patch.object(SqlCustomerRepository, "get", get):
        sale = purchases.record_sale(cashier, SaleDraft(who, (line,), TenderDraft(cash_fils=1_050)))
    assert read == [who], "read once, by the sale"
    [event] = completed
    assert event.customer is not None and event.customer.id == who
    assert event == replace(event, customer=None)
    assert messages_to(services.store, who, (RECEIPT,)) == 1
    with uow_factory(services.store, services.clock)(cashier) as uow:
        messaging_handlers.on_sale_completed(replace(event, customer=None), uow)
        uow.commit()
    assert messages_to(services.store, who, (RECEIPT,)) == 2
    assert sale.order.customer_id == who


def test_a_sale_that_fails_after_raising_its_event_queues_no_message(services: Services, cashier: Actor) -> None:
    """The congratulation is queued by messaging's handler, then a later handler fails: the sale and the
    message roll back together."""
    who = services.customers.search("moh")[0].id

    def printer_on_fire(_event: TierUpgraded, _uow: Any) -> None:
        raise RuntimeError("the receipt printer is on fire")

    bus = EventBus(messaging_handlers.HANDLERS, {TierUpgraded: [printer_on_fire]})
    purchases = PurchaseService(uow_factory(services.store, services.clock, bus), services.clock)  # type: ignore[arg-type]
    orders = "SELECT count(*) FROM orders WHERE customer_id = :c"
    orders_before, log_before = (
        count(services.store, orders, c=who),
        count(services.store, "SELECT count(*) FROM change_log"),
    )
    with pytest.raises(RuntimeError, match="on fire"):
        purchases.record_sale(cashier, silver_sale(who))
    assert messages_to(services.store, who) == 0
    assert count(services.store, orders, c=who) == orders_before
    assert count(services.store, "SELECT count(*) FROM change_log") == log_before
    services.purchases.record_sale(cashier, silver_sale(who))
    assert messages_to(services.store, who) == 1


# -- which use case raises what -------------------------------------------------------------------------------------


class Heard:
    """The app's services with one more handler that notes every event, after the app's own handlers."""

    def __init__(self, store: Store, clock: TestClock) -> None:
        self.events: list[DomainEvent] = []
        self.clock = clock
        self.store = store
        self.services = self.at(clock)

    def at(self, clock: TestClock) -> Services:
        return build_services(self.store, clock, handlers=[{DomainEvent: [lambda e, _uow: self.events.append(e)]}])

    def take(self) -> list[DomainEvent]:
        taken, self.events = self.events, []
        return taken


@pytest.fixture
def heard(store: Store, clock: TestClock) -> Heard:
    return Heard(store, clock)


def test_registering_a_customer_and_selling_a_gift_card(heard: Heard, cashier: Actor) -> None:
    services = heard.services
    amal = services.customers.create(cashier, CustomerDraft(first_name_en="Amal", mobile="+971501112233"))
    assert heard.take() == [CustomerRegistered(amal.id)]
    card = services.giftcards.issue(
        cashier,
        IssueRequest(25_000, "birthday", recipient_customer_id=amal.id, recipient_name="Amal", from_name="Sara"),
    )
    sold = heard.take()
    assert sold == [GiftCardSold(card.id, 25_000, "birthday", card.expires_on, None, amal.id, "Amal", "Sara", None)]


def test_a_sale_and_its_return(heard: Heard, cashier: Actor) -> None:
    services = heard.services
    who = services.customers.search("moh")[0].id
    sale = services.purchases.record_sale(cashier, silver_sale(who))
    upgraded, completed = heard.take()
    assert upgraded == TierUpgraded(who, "bronze", "silver", 100, sale.balance_after or 0, sale.order.id)
    assert completed == SaleCompleted(sale.order.id, sale.order.number, who, sale.order.total_fils, 1_780, 0)
    line = sale.order.lines[0].id
    ret = services.purchases.record_return(cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(line, 1),)))
    assert heard.take() == [ReturnRecorded(ret.order.id, sale.order.id, who, -ret.order.total_fils, 890)]


def test_logging_a_visit(heard: Heard, cashier: Actor) -> None:
    services = heard.services
    noura = next(s for s in services.staff.staff_of_branch(services.store.branch_id) if s.role == Role.PERSONAL_SHOPPER)
    shopper = Actor(noura.id, noura.branch_id, noura.role, noura.name_en)
    guest = services.customers.create(cashier, CustomerDraft(first_name_en="Guest", mobile="+971501112244"))
    heard.take()
    at = heard.clock.now()
    record = services.shoppers.log_visit(shopper, VisitDraft(customer_id=guest.id, visited_at=at))
    assert heard.take() == [VisitLogged(record.id, guest.id, record.shopper_id, at, None, None)]


def test_the_expiry_run_warns_then_expires(heard: Heard, clock: TestClock) -> None:
    services = heard.services
    cashier, admin = actor_for(services, Role.CASHIER), actor_for(services, Role.ADMIN)
    who = services.customers.search("moh")[0].id
    heard.at(clock.shifted(days=-350)).purchases.record_sale(cashier, silver_sale(who))
    heard.take()
    run = services.loyalty.run_expiry(admin)
    (warning,) = heard.take()
    assert run.warnings_queued == 1 and isinstance(warning, PointsExpiring)
    assert warning.customer_id == who and warning.points == 1_880
    assert messages_to(heard.store, who) == 2  # the Silver congratulation, then the warning
    services.loyalty.run_expiry(admin)
    assert heard.take() == [], "one warning per warning period"
    heard.at(clock.shifted(days=30)).loyalty.run_expiry(admin)
    assert heard.take() == [PointsExpired(who, 1_880, warning.expires_on)]
