"""Domain events on a real store: handlers run once, inside the use case's transaction, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from core.kernel.bus import EventBus
from core.kernel.events import CustomerRegistered, DomainEvent, TierUpgraded
from core.messaging import handlers as messaging_handlers
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.purchases.service import PurchaseService
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.db import Store
from storage.uow import uow_factory


def count(store: Store, sql: str, **params: object) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def messages_to(store: Store, customer_id: str) -> int:
    return count(store, "SELECT count(*) FROM communications WHERE customer_id = :c", c=customer_id)


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
    logged = count(
        services.store,
        "SELECT count(*) FROM change_log l JOIN communications c ON c.id = l.row_id"
        " WHERE l.entity = 'communications' AND c.customer_id = :c",
        c=who,
    )
    assert logged == 1


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
