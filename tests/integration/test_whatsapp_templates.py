"""WhatsApp on the wire, in a standalone store: a templated message goes as the approved template with its
values in order, free text only inside the customer's 24 h window, and a shopper's message from the customer
screen is one outbox row with its change-log row. Real store file, the fake WhatsApp on loopback, test clock."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.customers.model import CustomerDraft, CustomerProfile
from core.kernel.errors import DomainError, PermissionDenied, ValidationError
from core.messaging.dispatch import Dispatcher
from core.messaging.handlers import queue_customer_message
from core.messaging.outbox import RetryPolicy
from core.messaging.ports import SendEverything, SendPolicy
from core.messaging.rules import WINDOW_CLOSED, ConsentSendPolicy
from core.messaging.shopper_messages import ChannelRefused, date_words
from core.messaging.templates import APPOINTMENT, RESTOCK, THANK_YOU, TIER_UPGRADE
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from storage.outbox import SqlOutbox
from storage.repositories.messaging import LAST_INBOUND
from storage.schema import Communication
from storage.uow import uow_factory
from tests.clock import TestClock
from tests.conftest import actor_for
from tests.dispatching import gateway, rows
from tests.providers import FakeProviders

NOOR = CustomerDraft(
    first_name_en="Noor",
    first_name_ar="نور",
    last_name_en="Haddad",
    mobile="050 444 5566",
    preferred_language="ar",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True), ("whatsapp", "promotional", True)),
)
NOOR_WA = "971504445566"


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


@pytest.fixture
def shopper(services: Services) -> Actor:
    return actor_for(services, Role.PERSONAL_SHOPPER)


@pytest.fixture
def noor(services: Services, cashier: Actor) -> CustomerProfile:
    return services.customers.create(cashier, NOOR)


def dispatch(services: Services, clock: TestClock, fake: FakeProviders, policy: SendPolicy | None = None) -> None:
    made = Dispatcher(
        SqlOutbox(services.store),
        gateway(fake.url, clock),
        clock,
        policy=policy or ConsentSendPolicy(uow_factory(services.store, clock)),
        retry=RetryPolicy(max_attempts=2),
        rng=random.Random(3),
        concurrency=2,
    )
    try:
        made.run_once()
    finally:
        made.close()


def message(services: Services, message_id: str) -> dict[str, object]:
    return dict(rows(services.store, "SELECT * FROM communications WHERE id = :m", m=message_id)[0]._mapping)


def inbound(services: Services, actor: Actor, customer_id: str, at_hours_ago: float) -> None:
    """A WhatsApp message from the customer, as head office writes it from a webhook and a branch pulls it."""
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.session.add(  # type: ignore[attr-defined]
            Communication(
                customer_id=customer_id,
                channel="whatsapp",
                direction="inbound",
                recipient="",
                body="Is the Oud Royal back?",
                status="received",
                created_at=services.clock.now() - timedelta(hours=at_hours_ago),
            )
        )
        uow.commit()


def test_a_tier_message_goes_as_the_approved_template_with_its_values_in_order(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders, noor: CustomerProfile
) -> None:
    with uow_factory(services.store, clock)(cashier) as uow:
        sent = queue_customer_message(uow, noor, TIER_UPGRADE, {"tier": "gold", "bonus": 500, "balance": 1750})
        uow.commit()
    row = message(services, sent)
    assert row["channel"] == "whatsapp" and "الذهبية" in str(row["body"])
    # The Arabic template's variables are name, tier, bonus and balance: its {{1}}…{{4}} at Meta.
    assert json.loads(str(row["params"])) == ["نور", "الذهبية", "500", "1750"]
    dispatch(services, clock, fake)
    assert fake.violations == []
    [request] = [r.json for r in fake.of("whatsapp")]
    assert request["type"] == "template" and request["to"] == NOOR_WA
    template = request["template"]
    assert template["name"] == "loyalty_tier_upgrade" and template["language"] == {"code": "ar"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["نور", "الذهبية", "500", "1750"]
    assert message(services, sent)["status"] == "sent"


def test_free_text_waits_for_the_window_and_the_fake_refuses_it_outside(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders, noor: CustomerProfile
) -> None:
    fake.open_whatsapp_window()  # nobody's window is open at the fake until a number is named
    with uow_factory(services.store, clock)(cashier) as uow:
        closed = uow.messages.queue(noor.id, "whatsapp", str(noor.mobile), "We have it in stock.", None)
        uow.commit()
    dispatch(services, clock, fake)
    refused = message(services, closed)
    assert refused["status"] == "dead" and refused["last_error"] == WINDOW_CLOSED
    assert fake.of("whatsapp") == [], "refused before any request"

    # Without the rules, WhatsApp itself refuses it: 131047, dead with the provider's code.
    with uow_factory(services.store, clock)(cashier) as uow:
        raw = uow.messages.queue(noor.id, "whatsapp", str(noor.mobile), "We have it in stock.", None)
        uow.commit()
    dispatch(services, clock, fake, SendEverything())
    assert message(services, raw)["status"] == "dead" and str(message(services, raw)["last_error"]).startswith("131047")

    # She writes; within 24 hours free text goes, as text.
    inbound(services, cashier, noor.id, at_hours_ago=23)
    fake.open_whatsapp_window(NOOR_WA)
    with uow_factory(services.store, clock)(cashier) as uow:
        assert uow.messages.last_inbound(noor.id, "whatsapp") is not None
        assert uow.messages.last_inbound(noor.id, "sms") is None
        reply = uow.messages.queue(noor.id, "whatsapp", str(noor.mobile), "Yes, we hold one for you.", None)
        uow.commit()
    dispatch(services, clock, fake)
    assert message(services, reply)["status"] == "sent"
    assert fake.of("whatsapp")[-1].json["text"]["body"] == "Yes, we hold one for you."
    assert fake.violations == []


def test_the_last_inbound_query_uses_its_index(services: Services) -> None:
    plan = rows(services.store, f"EXPLAIN QUERY PLAN {LAST_INBOUND.sql}", c="x", ch="whatsapp")
    details = [str(r[-1]) for r in plan]
    assert any("COVERING INDEX ix_communications_inbound" in d for d in details), details
    assert not any("TEMP B-TREE" in d for d in details), details  # the index gives the newest first: no sort


def test_a_shopper_sends_a_restock_template_queued_with_its_change_log_row(
    services: Services, shopper: Actor, clock: TestClock, fake: FakeProviders, noor: CustomerProfile
) -> None:
    context = services.shopper_messages.context(shopper, noor.id)
    assert context.language == "ar" and context.first_name == "نور" and not context.window_open
    queued = services.shopper_messages.send_template(shopper, noor.id, RESTOCK, {"product": "  Oud   Royal 50ml "})
    assert queued.text.startswith("خبر سار يا نور: عاد Oud Royal 50ml متوفراً")
    row = message(services, queued.message_id)
    assert row["status"] == "queued" and row["recipient"] == "+971504445566"
    logged = rows(services.store, "SELECT entity, op FROM change_log WHERE row_id = :m", m=queued.message_id)
    assert [tuple(r) for r in logged] == [("communications", "insert")]
    clock.advance(hours=2)  # 13:30 in Dubai: inside the allowed hours for an offer
    dispatch(services, clock, fake)
    template = fake.of("whatsapp")[-1].json["template"]
    assert template["name"] == "shopper_restock" and template["language"]["code"] == "ar"
    assert [p["text"] for p in template["components"][0]["parameters"]] == ["نور", "Oud Royal 50ml"]
    assert fake.violations == [] and message(services, queued.message_id)["status"] == "sent"


def test_an_appointment_in_english_and_the_refusals(
    services: Services, shopper: Actor, cashier: Actor, noor: CustomerProfile
) -> None:
    english = services.customers.create(cashier, replace(NOOR, mobile="050 444 7788", preferred_language="en"))
    values = {"date": "5 December 2026", "time": "16:30", "branch": "Dubai Mall"}
    queued = services.shopper_messages.send_template(shopper, english.id, APPOINTMENT, values)
    assert queued.text == (
        "Dear Noor, this is a reminder of your appointment at Perfume & Oud Dubai Mall on 5 December 2026 at 16:30. "
        "We look forward to seeing you."
    )
    assert json.loads(str(message(services, queued.message_id)["params"])) == [
        "Noor",
        "5 December 2026",
        "16:30",
        "Dubai Mall",
    ]
    assert date_words(date(2026, 12, 5), "ar") == "5 ديسمبر 2026"

    with pytest.raises(PermissionDenied):
        services.shopper_messages.send_template(cashier, noor.id, THANK_YOU, {"branch": "Dubai Mall"})
    before = rows(services.store, "SELECT count(*) FROM communications")[0][0]
    with pytest.raises(ValidationError) as empty:
        services.shopper_messages.send_template(shopper, noor.id, THANK_YOU, {"branch": "  "})
    assert empty.value.field == "branch"
    with pytest.raises(DomainError) as closed:
        services.shopper_messages.send_text(shopper, noor.id, "Hello")
    assert not isinstance(closed.value, ChannelRefused) and "last 24 hours" in str(closed.value)

    sms_only = services.customers.create(
        cashier,
        replace(
            NOOR,
            mobile="050 444 9900",
            preferred_channel="sms",
            consent_whatsapp=False,
            consent_sms=True,
            consent=(("sms", "transactional", True),),
        ),
    )
    with pytest.raises(ChannelRefused) as refused:
        services.shopper_messages.send_template(shopper, sms_only.id, THANK_YOU, {"branch": "Dubai Mall"})
    assert refused.value.agreed == ("sms",)
    with pytest.raises(ChannelRefused) as offers:
        services.shopper_messages.send_template(shopper, sms_only.id, RESTOCK, {"product": "Oud Royal"})
    assert offers.value.agreed == ()
    assert rows(services.store, "SELECT count(*) FROM communications")[0][0] == before, "nothing refused is written"
