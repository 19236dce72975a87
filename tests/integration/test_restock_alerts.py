"""Restock alerts on a real store: a manager marks a product back in stock, and the restock campaign tells the
customers on its wait list, once per return, through the executor and the outbox (promotional consent
honoured, nobody held back as control), leaving them ``notified``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import select

from core.campaigns.executor import CampaignExecutor, RunReport
from core.campaigns.model import CampaignDefinition, CampaignKind, Message
from core.campaigns.schedule import Repeat, Schedule
from core.customers.model import draft_from
from core.kernel.errors import PermissionDenied, ValidationError, ValidationErrors
from core.kernel.events import ProductBackInStock
from core.messaging.templates import CAMPAIGN_BIRTHDAY, RESTOCK, template_id
from core.purchases.products import by_sku
from core.staff.auth import Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.schema import CampaignExecution, Communication, MessageTemplate, RestockInterest, SecurityEvent
from storage.uow import uow_factory
from tests.campaign_world import Person, add_people, empty_store, staff_actor, system_actor, utc
from tests.clock import TestClock

START = utc(2027, 3, 1, 6, 0)  # 10:00 in Dubai
SKU = "OUD-ROY-50"  # Royal Oud, العود الملكي
OTHER_SKU = "ROS-TAI-50"


EVENTS: list[ProductBackInStock] = []


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Store, TestClock, Services]]:
    clock = TestClock(START, tick=False)
    store = empty_store(tmp_path / "restock.sqlite", START)
    EVENTS.clear()
    listening = [{ProductBackInStock: [lambda e, _uow: EVENTS.append(e)]}]
    yield store, clock, build_services(store, clock, handlers=listening)
    store.close()


def _restock_campaign(**more: object) -> CampaignDefinition:
    values: dict[str, object] = {
        "name": "Back in stock",
        "kind": CampaignKind.RESTOCK,
        "message": Message(template_key=RESTOCK),
        "schedule": Schedule(Repeat.DAILY, time_of_day=time(10, 0)),
    }
    values.update(more)
    return CampaignDefinition(**values)  # type: ignore[arg-type]


def _run(store: Store, clock: TestClock) -> list[RunReport]:
    return CampaignExecutor(uow_factory(store, clock), clock, system_actor(store)).run_due()


def _waits(services: Services, store: Store, people: list[Person], sku: str = SKU) -> None:
    cashier = staff_actor(store, Role.CASHIER)
    for person in people:
        services.loyalty.add_to_wait_list(cashier, person.id, sku)


def _entries(store: Store) -> dict[tuple[str, str], RestockInterest]:
    with store.read_session() as session:
        return {(r.customer_id, r.sku): r for r in session.scalars(select(RestockInterest))}


def _ledger(store: Store) -> list[CampaignExecution]:
    with store.read_session() as session:
        return list(session.scalars(select(CampaignExecution)))


def _messages(store: Store) -> list[Communication]:
    with store.read_session() as session:
        return list(session.scalars(select(Communication)))


def test_a_product_back_in_stock_tells_its_wait_list_once_and_leaves_them_notified(
    world: tuple[Store, TestClock, Services],
) -> None:
    store, clock, services = world
    arabic = Person(language="ar")
    english = Person()
    no_consent = Person(promotional=False)
    other_product = Person()
    not_waiting = Person()
    add_people(store, START, [arabic, english, no_consent, other_product, not_waiting])
    _waits(services, store, [arabic, english, no_consent])
    _waits(services, store, [other_product], OTHER_SKU)
    manager = staff_actor(store, Role.MANAGER)
    # A control share is set, but nobody who asked to be told is held back.
    campaign = services.campaigns.create(manager, _restock_campaign(control_percent=50))
    services.campaigns.schedule(manager, campaign.id)

    clock.at = utc(2027, 3, 2, 6, 0)  # its schedule's time: a restock campaign does not run on it
    assert _run(store, clock) == []
    assert _ledger(store) == []

    clock.at = utc(2027, 3, 2, 7, 30)
    assert services.campaigns.back_in_stock(manager, " oud-roy-50 ") == 3
    with store.read_session() as session:
        audit = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "product_back_in_stock")).one()
    occurrence = str(audit.detail["occurrence"])
    assert audit.detail == {"sku": SKU, "occurrence": occurrence, "waiting": 3} and len(occurrence) <= 20
    assert audit.staff_id == manager.staff_id
    assert [ProductBackInStock(SKU, occurrence, 3)] == EVENTS

    reports = _run(store, clock)
    # Without promotional consent a customer is out of the audience (its exclusions), so never messaged.
    assert [(r.occurrence, r.queued, r.refused, r.control) for r in reports] == [(occurrence, 2, 0, 0)]
    ledger = {e.customer_id: e for e in _ledger(store)}
    assert set(ledger) == {arabic.id, english.id}
    assert {(e.occurrence, e.outcome) for e in ledger.values()} == {(occurrence, "queued")}
    texts = {m.customer_id: m.body for m in _messages(store)}
    assert set(texts) == {arabic.id, english.id}
    product = by_sku(SKU)
    assert product is not None
    assert product.name_en in texts[english.id] and product.name_ar in texts[arabic.id]
    # The restock template is an offer: its rows are promotional (quiet hours, the frequency cap).
    with store.read_session() as session:
        rows = session.scalars(select(MessageTemplate).where(MessageTemplate.id == template_id(RESTOCK, "sms", "en")))
        assert [t.promotional for t in rows] == [True]
    entries = _entries(store)
    assert entries[(arabic.id, SKU)].status == "notified" and entries[(english.id, SKU)].status == "notified"
    assert entries[(no_consent.id, SKU)].status == "waiting"  # no channel may carry it: staff still see them
    assert entries[(other_product.id, OTHER_SKU)].status == "waiting"
    assert entries[(other_product.id, OTHER_SKU)].back_in_stock is None

    # Another round reaches nobody again; a second return tries again whoever still waits: once they agree.
    assert _run(store, clock) == []
    clock.at = utc(2027, 3, 9, 7, 30)
    assert services.campaigns.back_in_stock(manager, SKU) == 1
    assert _run(store, clock) == []
    profile = services.customers.get(no_consent.id)
    services.customers.update(
        manager, no_consent.id, replace(draft_from(profile), consent=(("sms", "promotional", True),))
    )
    again = _run(store, clock)
    assert [(r.queued, r.refused) for r in again] == [(1, 0)]
    assert len(_ledger(store)) == 3 and len(_messages(store)) == 3
    assert _entries(store)[(no_consent.id, SKU)].status == "notified"


def test_marking_back_in_stock_is_for_managers_and_refuses_a_product_nobody_waits_for(
    world: tuple[Store, TestClock, Services],
) -> None:
    store, _clock, services = world
    waiting = Person()
    add_people(store, START, [waiting])
    _waits(services, store, [waiting])
    with pytest.raises(PermissionDenied):
        services.campaigns.back_in_stock(staff_actor(store, Role.CASHIER), SKU)
    manager = staff_actor(store, Role.MANAGER)
    with pytest.raises(ValidationError) as refused:
        services.campaigns.back_in_stock(manager, OTHER_SKU)
    assert refused.value.field == "sku"
    with pytest.raises(ValidationError):
        services.campaigns.back_in_stock(manager, "   ")
    with store.read_session() as session:
        assert session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "product_back_in_stock")).all() == []
    assert EVENTS == []
    assert _entries(store)[(waiting.id, SKU)].back_in_stock is None


def test_a_return_waits_for_a_scheduled_restock_campaign_and_a_paused_one_tells_nobody(
    world: tuple[Store, TestClock, Services],
) -> None:
    store, clock, services = world
    clock.at = utc(2027, 3, 2, 7, 30)
    waiting = Person()
    add_people(store, START, [waiting])
    _waits(services, store, [waiting])
    manager = staff_actor(store, Role.MANAGER)
    services.campaigns.back_in_stock(manager, SKU)
    assert _run(store, clock) == []  # no restock campaign yet: the return keeps its customers waiting
    campaign = services.campaigns.create(manager, _restock_campaign())
    services.campaigns.schedule(manager, campaign.id)
    services.campaigns.pause(manager, campaign.id)
    assert _run(store, clock) == []
    services.campaigns.schedule(manager, campaign.id)
    assert [r.queued for r in _run(store, clock)] == [1]
    assert _entries(store)[(waiting.id, SKU)].status == "notified"


def test_only_a_restock_campaign_may_use_the_restock_template_and_name_the_product() -> None:
    own = Message(texts={"en": "{first_name}, {product} is back", "ar": "{first_name}، عاد {product}"})
    assert _restock_campaign(message=own).validated().message.texts["en"] == "{first_name}, {product} is back"
    for message in (Message(template_key=RESTOCK), own):
        with pytest.raises(ValidationErrors):
            _restock_campaign(kind=CampaignKind.BIRTHDAY, message=message).validated()
    assert _restock_campaign(message=Message(template_key=CAMPAIGN_BIRTHDAY)).validated()
