"""Head office's dispatcher applies the rules a standalone store applies: a customer who replied STOP at a
branch gets no offer, an offer at 23:00 in Dubai waits for the morning, free text on WhatsApp goes only in the
24 h window that an inbound message opens, and a template goes as the approved template with the values the
branch queued. A real chain on loopback (branch → push → head office), the fake WhatsApp, the test clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from core.customers.model import CustomerDraft
from core.kernel.clock import DUBAI
from core.kernel.ids import new_id
from core.messaging.consent import changes_for_reply
from core.messaging.dispatch import Dispatcher
from core.messaging.outbox import RetryPolicy
from core.messaging.ports import OutboundMessage, Refuse, Send
from core.messaging.rules import NO_CONSENT, WINDOW_CLOSED
from core.messaging.templates import RESTOCK, THANK_YOU
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.uow import uow_factory
from sync.headoffice import consent as headoffice_consent
from sync.headoffice.store import HeadOfficeStore, iso
from sync.messaging.headoffice_outbox import HeadOfficeOutbox, outbox
from sync.messaging.headoffice_policy import HeadOfficeSendPolicy, profile_of_document
from tests.clock import TestClock
from tests.dispatching import gateway
from tests.faults.support import Branch, chain
from tests.providers import FakeProviders


def dubai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=DUBAI).astimezone(UTC)


def draft(first_en: str, first_ar: str, mobile: str) -> CustomerDraft:
    return CustomerDraft(
        first_name_en=first_en,
        first_name_ar=first_ar,
        mobile=mobile,
        preferred_language="en",
        preferred_channel="whatsapp",
        consent_whatsapp=True,
        consent=(("whatsapp", "transactional", True), ("whatsapp", "promotional", True)),
    )


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def shopper_of(services: Services) -> Actor:
    staff = services.staff.staff_of_branch(services.store.branch_id)
    member = next(s for s in staff if s.role == Role.PERSONAL_SHOPPER)
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def documents(ho: HeadOfficeStore) -> dict[str, dict[str, Any]]:
    return ho.merged_rows("communications")


def run(ho: HeadOfficeStore, clock: TestClock, fake: FakeProviders) -> None:
    made = Dispatcher(
        HeadOfficeOutbox(ho),
        gateway(fake.url, clock),
        clock,
        policy=HeadOfficeSendPolicy(ho),
        retry=RetryPolicy(max_attempts=2),
        concurrency=2,
    )
    try:
        made.run_once()
    finally:
        made.close()


def inbound_at_head_office(ho: HeadOfficeStore, branch: Branch, customer_id: str, at: datetime) -> None:
    """A customer's WhatsApp message, as head office writes it from Meta's webhook."""
    message_id = new_id()
    fields = {
        "id": message_id,
        "branch_id": branch.store.branch_id,
        "created_at": iso(at),
        "customer_id": customer_id,
        "channel": "whatsapp",
        "direction": "inbound",
        "recipient": "",
        "body": "Do you have Oud Royal?",
        "status": "received",
    }
    with ho.writing() as (conn, head):
        ho.set_head(conn, ho.decide(conn, head, "communications", message_id, fields))


def test_head_office_applies_consent_the_window_and_quiet_hours(tmp_path: Path, fake: FakeProviders) -> None:
    clock = TestClock(dubai(3, 12, 0))  # noon in Dubai
    with chain(tmp_path, ("DXB1",)) as (ho, _server, (branch,)):
        services = build_services(branch.store, clock)  # the branch's own store, on the test's time
        shopper = shopper_of(services)
        hind = services.customers.create(branch.actor, draft("Hind", "هند", "050 765 4321"))
        sara = services.customers.create(branch.actor, draft("Sara", "سارة", "050 765 1111"))
        offer_hind = services.shopper_messages.send_template(shopper, hind.id, RESTOCK, {"product": "Oud Royal"})
        offer_sara = services.shopper_messages.send_template(shopper, sara.id, RESTOCK, {"product": "Oud Royal"})
        thanks = services.shopper_messages.send_template(shopper, sara.id, THANK_YOU, {"branch": "Dubai Mall"})
        with uow_factory(branch.store, clock)(branch.actor) as uow:
            # Sara replies STOP on WhatsApp after the offer was queued: the branch records it, and pushes it.
            for change in changes_for_reply(sara.id, "whatsapp", "STOP", clock.now(), sender="971507651111"):
                uow.consents.add(change)
            text_hind = uow.messages.queue(hind.id, "whatsapp", "+971507654321", "Your bottle is ready.", None)
            uow.commit()
        branch.sync()

        run(ho, clock, fake)
        docs = documents(ho)
        assert docs[offer_hind.message_id]["status"] == "sent"
        assert docs[offer_sara.message_id]["status"] == "dead"
        assert docs[offer_sara.message_id]["last_error"] == NO_CONSENT
        assert docs[thanks.message_id]["status"] == "dead", "STOP on WhatsApp stops service messages there too"
        assert docs[text_hind]["status"] == "dead" and docs[text_hind]["last_error"] == WINDOW_CLOSED
        [request] = [r.json for r in fake.of("whatsapp")]
        assert request["to"] == "971507654321" and request["template"]["name"] == "shopper_restock"
        assert [p["text"] for p in request["template"]["components"][0]["parameters"]] == ["Hind", "Oud Royal"]
        assert fake.violations == []

        # Hind writes on WhatsApp (head office takes it from the webhook): free text now goes, as text.
        inbound_at_head_office(ho, branch, hind.id, clock.now() - timedelta(hours=1))
        with uow_factory(branch.store, clock)(branch.actor) as uow:
            reply = uow.messages.queue(hind.id, "whatsapp", "+971507654321", "Yes, we hold one for you.", None)
            uow.commit()
        branch.sync()
        run(ho, clock, fake)
        assert documents(ho)[reply]["status"] == "sent"
        assert fake.of("whatsapp")[-1].json["text"]["body"] == "Yes, we hold one for you."

        # An offer queued at 23:00 in Dubai waits for 08:00, then goes.
        late = TestClock(dubai(3, 23, 0))
        night_offer = build_services(branch.store, late).shopper_messages.send_template(
            shopper, hind.id, RESTOCK, {"product": "Amber Musk"}
        )
        branch.sync()
        run(ho, late, fake)
        assert documents(ho)[night_offer.message_id]["status"] == "queued"
        with ho.reader.connect() as conn:
            due = conn.execute(select(outbox.c.due_at).where(outbox.c.message_id == night_offer.message_id)).scalar()
        assert due == iso(dubai(4, 8, 0)), "the next allowed minute: 08:00 in Dubai"
        sent_before = len(fake.of("whatsapp"))
        late.advance(hours=8, minutes=59)  # 07:59
        run(ho, late, fake)
        assert len(fake.of("whatsapp")) == sent_before
        late.advance(minutes=1)
        run(ho, late, fake)
        assert documents(ho)[night_offer.message_id]["status"] == "sent"
        assert fake.violations == []


def test_a_customer_document_head_office_cannot_read_is_no_customer() -> None:
    assert profile_of_document({"id": "c1", "preferred_channel": "pigeon"}) is None
    assert profile_of_document({"no": "id"}) is None
    found = profile_of_document(orjson.loads(b'{"id": "c1", "mobile": "+971501234567", "consent_whatsapp": true}'))
    assert found is not None and found.consent_whatsapp and found.mobile == "+971501234567"


def put(ho: HeadOfficeStore, entity: str, row_id: str, fields: dict[str, Any]) -> None:
    with ho.writing() as (conn, head):
        ho.set_head(conn, ho.decide(conn, head, entity, row_id, {"id": row_id, **fields}))


def test_a_change_after_the_indexes_counts_before_they_catch_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The policy reads its indexes and the changes written after their cursor: a STOP or an inbound message
    that landed a moment ago counts at once, and the same once the indexes have caught up."""
    ho = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    noon = dubai(3, 12, 0)
    customer = {
        "branch_id": "b1",
        "mobile": "+971501234567",
        "preferred_language": "ar",
        "preferred_channel": "whatsapp",
        "consent_whatsapp": True,
        "segment": "vip",
    }
    put(ho, "customers", "c1", customer)
    monkeypatch.setattr("sync.messaging.headoffice_policy.CATCH_UP_EVERY", 1e9)  # only explicit catch-ups
    policy = HeadOfficeSendPolicy(ho)
    thanks = OutboundMessage(
        "m1", "whatsapp", "+971501234567", "…", customer_id="c1", template_name="shopper_thank_you", params=("a", "b")
    )
    text = replace(thanks, id="m2", template_name=None, params=None)
    assert policy.decide(thanks, noon) == Send()
    assert policy.decide(text, noon) == Refuse(WINDOW_CLOSED)

    put(
        ho,
        "communications",
        "in1",
        {
            "customer_id": "c1",
            "channel": "whatsapp",
            "direction": "inbound",
            "created_at": iso(noon - timedelta(hours=23)),
            "body": "hi",
        },
    )
    assert policy.decide(text, noon) == Send(), "read from the changes after the cursor"
    policy.facts.catch_up()
    assert policy.decide(text, noon) == Send(), "read from the index"
    assert policy.decide(text, noon + timedelta(hours=1)) == Refuse(WINDOW_CLOSED), "24 hours after she wrote"

    stop = changes_for_reply("c1", "whatsapp", "إيقاف", noon, sender="971501234567", event_key="wamid.1")
    assert headoffice_consent.record(ho, stop, {"c1": "b1"}) == 3
    assert policy.decide(thanks, noon) == Refuse(NO_CONSENT), "a STOP that just landed"
    policy.facts.catch_up()
    assert policy.decide(thanks, noon) == Refuse(NO_CONSENT)
    ho.close()
