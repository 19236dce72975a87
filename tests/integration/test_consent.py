"""Consent on a real store and across a chain: recorded at the till with its history, applied when a message is
queued, learned at head office from an inbound STOP and pulled by every branch."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from core.customers.model import CustomerDraft
from core.giftcards.service import IssueRequest
from core.kernel.bus import EventBus
from core.kernel.errors import ValidationErrors
from core.kernel.events import SaleCompleted
from core.messaging import handlers as messaging_handlers
from core.messaging.rules import NO_CHANNEL, NO_CONSENT, ConsentSendPolicy, Refuse, Send
from core.messaging.templates import GIFT_CARD_RECEIVED, RECEIPT, template_ids
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.purchases.service import PurchaseService
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.db import Store
from storage.uow import uow_factory
from sync.headoffice import consent as headoffice_consent
from sync.headoffice.store import HeadOfficeStore
from sync.messaging.webhooks import InboundKind, InboundMessage
from tests.faults.support import chain

HIND = CustomerDraft(
    first_name_en="Hind",
    first_name_ar="هند",
    mobile="050 765 4321",
    email="hind@example.ae",
    preferred_language="en",
    preferred_channel="whatsapp",
    consent_whatsapp=True,
    consent=(("whatsapp", "transactional", True), ("whatsapp", "promotional", True)),
)


def rows(store: Store, sql: str, **params: object) -> list[Any]:
    with store.read_engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def messages(store: Store, customer_id: str, key: str) -> list[Any]:
    ids = template_ids(key)
    found = rows(
        store,
        "SELECT channel, recipient, body, status, last_error, template_id FROM communications WHERE customer_id = :c",
        c=customer_id,
    )
    return [r for r in found if r[5] in ids]


def sale(customer_id: str) -> SaleDraft:
    musk = LineDraft("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, 1, 25_000)
    return SaleDraft(customer_id, (musk,), TenderDraft(cash_fils=100_000))


def test_the_till_records_consent_with_the_customer_and_keeps_every_change(services: Services, cashier: Actor) -> None:
    logged_before = rows(services.store, "SELECT count(*) FROM change_log WHERE entity = 'consent_changes'")[0][0]
    hind = services.customers.create(cashier, HIND)
    history = services.consents.history(cashier, hind.id)
    assert [(r.channel, r.purpose, r.action, r.source, r.staff_id) for r in history] == [
        ("whatsapp", "transactional", "grant", "till", cashier.staff_id),
        ("whatsapp", "promotional", "grant", "till", cashier.staff_id),
    ]
    logged = rows(services.store, "SELECT count(*) FROM change_log WHERE entity = 'consent_changes'")[0][0]
    assert logged - logged_before == 2, "each consent row carries its change-log row"
    # The same answers again write nothing; a withdrawal is one more row, and the grants stay as proof.
    assert services.customers.update(cashier, hind.id, HIND) == services.customers.get(hind.id)
    assert len(services.consents.history(cashier, hind.id)) == 2
    services.customers.update(cashier, hind.id, replace(HIND, consent=(("whatsapp", "promotional", False),)))
    history = services.consents.history(cashier, hind.id)
    assert [(r.purpose, r.action) for r in history] == [
        ("transactional", "grant"),
        ("promotional", "grant"),
        ("promotional", "withdraw"),
    ]
    state = services.consents.state(cashier, hind.id)
    assert state.allows("whatsapp", "transactional") and not state.allows("whatsapp", "promotional")
    with pytest.raises(DatabaseError, match="append-only"), services.store.write_engine.begin() as conn:
        conn.execute(text("UPDATE consent_changes SET action = 'grant'"))


def test_a_consent_answer_the_form_cannot_give_is_refused_and_nothing_is_saved(
    services: Services, cashier: Actor
) -> None:
    before = rows(services.store, "SELECT count(*) FROM customers")[0][0]
    consents = rows(services.store, "SELECT count(*) FROM consent_changes")[0][0]
    with pytest.raises(ValidationErrors) as refused:
        services.customers.create(cashier, replace(HIND, consent=(("pigeon", "promotional", True),)))
    assert refused.value.errors[0].field == "consent"
    assert rows(services.store, "SELECT count(*) FROM customers")[0][0] == before
    assert rows(services.store, "SELECT count(*) FROM consent_changes")[0][0] == consents


def test_a_sale_sends_its_receipt_on_the_agreed_channel_and_a_rolled_back_sale_queues_nothing(
    services: Services, cashier: Actor
) -> None:
    hind = services.customers.create(cashier, HIND)

    def drawer_jammed(_event: SaleCompleted, _uow: Any) -> None:
        raise RuntimeError("the cash drawer is jammed")

    bus = EventBus(messaging_handlers.HANDLERS, {SaleCompleted: [drawer_jammed]})
    purchases = PurchaseService(uow_factory(services.store, services.clock, bus), services.clock)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="jammed"):
        purchases.record_sale(cashier, sale(hind.id))
    assert rows(services.store, "SELECT count(*) FROM communications WHERE customer_id = :c", c=hind.id)[0][0] == 0
    done = services.purchases.record_sale(cashier, sale(hind.id))
    ((channel, recipient, body, status, error, _tid),) = messages(services.store, hind.id, RECEIPT)
    assert (channel, recipient, status, error) == ("whatsapp", "+971507654321", "queued", None)
    assert done.order.number in body and "Hind" in body


def test_a_customer_who_agreed_to_no_channel_gets_a_refused_row_that_is_never_sent(
    services: Services, cashier: Actor
) -> None:
    quiet = services.customers.create(cashier, replace(HIND, mobile="0501110000", consent_whatsapp=False, consent=()))
    services.purchases.record_sale(cashier, sale(quiet.id))
    ((channel, _recipient, _body, status, error, _tid),) = messages(services.store, quiet.id, RECEIPT)
    assert (channel, status, error) == ("whatsapp", "refused", NO_CHANNEL)


def test_a_gift_card_sold_to_a_known_recipient_tells_them_on_their_channel(services: Services, cashier: Actor) -> None:
    sms_only = replace(HIND, mobile="0502223333", preferred_channel="sms", consent_whatsapp=False, consent_sms=True)
    recipient = services.customers.create(cashier, replace(sms_only, consent=(("sms", "transactional", True),)))
    services.giftcards.issue(
        cashier,
        IssueRequest(30_000, "birthday", recipient_customer_id=recipient.id, from_name="Sara", message="Enjoy!"),
    )
    ((channel, to, body, status, _error, _tid),) = messages(services.store, recipient.id, GIFT_CARD_RECEIVED)
    assert (channel, to, status) == ("sms", "+971502223333", "queued")
    assert "Sara" in body and "300.00" in body and body.endswith("Enjoy!")


def test_an_inbound_stop_at_head_office_reaches_every_branch(tmp_path: Path) -> None:
    with chain(tmp_path) as (ho, _server, (a, b)):
        by_sms = (("sms", "transactional", True), ("sms", "promotional", True))
        hind = a.services.customers.create(a.actor, replace(HIND, consent=(*HIND.consent, *by_sms)))
        a.sync()
        b.sync()
        policy_b = ConsentSendPolicy(uow_factory(b.store, b.services.clock))  # type: ignore[arg-type]

        class Offer:
            customer_id = hind.id
            channel = "sms"
            recipient = "+971507654321"
            promotional = True

        noon = ho.now().replace(hour=8, minute=0)  # 12:00 in Dubai: inside the allowed hours
        assert policy_b.decide(Offer(), noon) == Send()
        stop = InboundMessage(
            "twilio", "SM0001", "+971507654321", ho.now() + timedelta(seconds=1), InboundKind.TEXT, text=" Stop! "
        )
        assert headoffice_consent.from_inbound(ho, stop) == 3, "SMS altogether, offers on WhatsApp and email"
        assert headoffice_consent.from_inbound(ho, stop) == 0, "the same webhook again records nothing"
        unknown = replace(stop, provider_message_id="SM0002", sender="+971509999999")
        assert headoffice_consent.from_inbound(ho, unknown) == 0, "no customer has that number"
        b.sync()
        a.sync()
        for branch in (a, b):
            state = branch.services.consents.state(branch.actor, hind.id)
            assert not state.allows("sms", "transactional") and not state.allows("whatsapp", "promotional")
            assert state.allows("whatsapp", "transactional"), "receipts on WhatsApp still go"
            proof = [r for r in branch.services.consents.history(branch.actor, hind.id) if r.source == "keyword"]
            assert {r.evidence["keyword"] for r in proof} == {"stop"} and len(proof) == 3
            assert all(r.branch_id == a.store.branch_id for r in proof), "the rows belong to her home branch"
        assert policy_b.decide(Offer(), noon) == Refuse(NO_CONSENT)


def test_head_office_finds_a_customer_by_her_current_mobile_and_email_exactly(tmp_path: Path) -> None:
    with chain(tmp_path) as (ho, _server, (a, _b)):
        hind = a.services.customers.create(a.actor, HIND)
        # Her number inside another customer's notes is not her number.
        a.services.customers.create(a.actor, replace(HIND, mobile="050 000 0001", email="", notes="+971507654321"))
        a.sync()

        def found(channel: str, address: str) -> list[str]:
            with ho.reader.connect() as conn:
                return [customer for customer, _branch in headoffice_consent.customers_at(conn, channel, address)]

        home = [(hind.id, a.store.branch_id)]
        with ho.reader.connect() as conn:
            assert headoffice_consent.customers_at(conn, "sms", "+971507654321") == home
        assert found("whatsapp", "971507654321") == [hind.id], "WhatsApp's digits name the same mobile"
        assert found("email", " HIND@example.ae ") == [hind.id]
        assert found("sms", "+97150765432") == [], "a prefix of her number is not her number"

        a.services.customers.update(a.actor, hind.id, replace(HIND, mobile="050 111 2222", email="h@example.ae"))
        a.sync()
        assert found("sms", "+971507654321") == [] and found("email", "hind@example.ae") == []
        assert found("sms", "+971501112222") == [hind.id] and found("email", "h@example.ae") == [hind.id]

        # A head office that kept customers before the address table fills it once, at start.
        with ho.writer.begin() as conn:
            conn.execute(text("DELETE FROM ho_contacts"))
            conn.execute(text("DELETE FROM ho_counters WHERE name = 'contacts_filled'"))
        assert found("sms", "+971501112222") == []
        again = HeadOfficeStore(ho.url)
        try:
            with again.reader.connect() as conn:
                assert [c for c, _ in headoffice_consent.customers_at(conn, "sms", "+971501112222")] == [hind.id]
        finally:
            again.close()
