"""The product review after a sale, the general satisfaction survey a manager sends to an audience, and the
link to head office's survey page that an SMS or email survey carries, on a real store."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from core.campaigns.audience import AudienceDefinition, Exclusions
from core.customers.model import CustomerDraft
from core.feedback import service as feedback_service
from core.kernel.errors import PermissionDenied, ValidationError
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.uow import uow_factory
from tests.clock import TestClock
from tests.integration.test_inbound import person, received

LINK_BASE = "https://ho.example.ae"
SMS_ONLY = CustomerDraft(
    first_name_en="Salma",
    mobile="050 444 9900",
    preferred_channel="sms",
    preferred_language="en",
    consent_sms=True,
    consent=(("sms", "transactional", True),),
)


def rows(store: Store, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def setting(services: Services, actor: Actor, key: str, value: str) -> None:
    with uow_factory(services.store, services.clock)(actor) as uow:
        uow.settings.save_setting(key, value)
        uow.commit()


def two_line_sale(customer_id: str) -> SaleDraft:
    sample = LineDraft("MUSK-5", "White Musk sample", "Perfume & Oud", "musk", 5, 2, 9_000)
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    return SaleDraft(customer_id, (sample, oud), TenderDraft(cash_fils=120_000))


def invitations(store: Store, order_id: str) -> dict[str, tuple[object, ...]]:
    found = rows(
        store,
        "SELECT i.kind, i.token, i.sent_at, c.channel, c.body FROM survey_invitations AS i "
        "JOIN communications AS c ON c.id = i.communication_id WHERE i.order_id = :o",
        o=order_id,
    )
    return {str(r[0]): r[1:] for r in found}


def test_a_product_review_asks_for_a_rating_of_the_main_product_with_a_link_by_sms(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock
) -> None:
    salma = services.customers.create(cashier, SMS_ONLY)
    off = services.purchases.record_sale(cashier, two_line_sale(salma.id))
    assert set(invitations(services.store, off.order.id)) == {"post_purchase"}, "off by default"

    setting(services, manager, "feedback.product_review", "on")
    setting(services, manager, "feedback.link_base", LINK_BASE + "/")
    sale = services.purchases.record_sale(cashier, two_line_sale(salma.id))
    found = invitations(services.store, sale.order.id)
    code, sent_at, channel, body = found["product_review"]
    assert channel == "sms"
    assert "Royal Oud" in str(body) and "White Musk" not in str(body), "the line paid most for"
    assert str(body).endswith(f"Or answer here: {LINK_BASE}/s/{code}")
    due = datetime.fromisoformat(str(sent_at)).replace(tzinfo=UTC)
    assert abs(due - clock.now() - timedelta(days=7)) < timedelta(minutes=1)
    post_code, _sent, _channel, post_body = found["post_purchase"]
    assert str(post_body).endswith(f"{LINK_BASE}/s/{post_code}"), "every SMS survey carries its link"

    # A typed number answers the product review as a rating 1–5, about the product.
    later = build_services(services.store, clock.shifted(days=7, hours=1))
    with pytest.raises(ValidationError) as refused:
        later.feedback.answer_reply(cashier, salma.id, "7 lovely")
    assert refused.value.field == "rating"
    result = later.feedback.answer_reply(cashier, salma.id, "4 lovely, lasts all day")
    assert rows(
        services.store, "SELECT nps, rating, kind, comment FROM customer_feedback WHERE id = :f", f=result.feedback_id
    ) == [(None, 4, "product", "lovely, lasts all day")]


def test_whatsapp_keeps_its_approved_template_without_the_link(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    setting(services, manager, "feedback.link_base", LINK_BASE)
    who = services.customers.search("moh")[0].id
    sale = services.purchases.record_sale(cashier, two_line_sale(who))
    ((code, _sent, channel, body),) = invitations(services.store, sale.order.id).values()
    assert channel == "whatsapp" and code in str(body) and "/s/" not in str(body)


def test_a_manager_sends_the_general_survey_to_customers_or_an_audience(
    services: Services, cashier: Actor, manager: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    salma = services.customers.create(cashier, SMS_ONLY)
    amal = services.customers.create(cashier, CustomerDraft(first_name_en="Amal", mobile="+971501112233"))
    with pytest.raises(PermissionDenied):
        services.feedback.send_general(cashier, [salma.id])
    with pytest.raises(ValidationError, match="No customer"):
        services.feedback.send_general(manager, [" "])
    with pytest.raises(ValidationError, match="either"):
        services.feedback.send_general(manager)

    sent = services.feedback.send_general(manager, [salma.id, amal.id, "no-such-customer", salma.id])
    assert (sent.invited, sent.already, sent.unreachable, sent.unknown) == (1, 0, 1, 1)
    assert rows(services.store, "SELECT kind, customer_id FROM survey_invitations") == [("general", salma.id)]
    again = services.feedback.send_general(manager, [salma.id], send_id=sent.send_id)
    assert (again.invited, again.already) == (0, 1), "a send finished twice asks nobody twice"

    everyone = AudienceDefinition(exclude=Exclusions(opted_out=False, capped=False))
    setting(services, manager, "feedback.general_confirm_over", "5")
    with pytest.raises(ValidationError) as large:
        services.feedback.send_general(manager, audience=everyone)
    assert large.value.field == "confirm_large"
    assert rows(services.store, "SELECT count(*) FROM survey_invitations") == [(1,)], "nothing written"

    monkeypatch.setattr(feedback_service, "BATCH_GENERAL", 7)
    before = rows(services.store, "SELECT count(*) FROM change_log WHERE entity = 'survey_invitations'")[0][0]
    wide = services.feedback.send_general(manager, audience=everyone, confirm_large=True)
    reachable = wide.invited
    assert reachable > 7 and wide.unreachable >= 1 and wide.unknown == 0
    assert rows(services.store, "SELECT count(*) FROM change_log WHERE entity = 'survey_invitations'") == [
        (int(str(before)) + reachable,)
    ]
    queued = rows(
        services.store,
        "SELECT count(*) FROM survey_invitations AS i JOIN communications AS c ON c.id = i.communication_id "
        "WHERE i.kind = 'general' AND c.status = 'queued'",
    )
    assert queued == [(reachable + 1,)]


def test_the_general_survey_waits_for_the_allowed_hours_at_night(store: Store, manager: Actor, cashier: Actor) -> None:
    night = datetime(2027, 3, 10, 19, 30, tzinfo=UTC)  # 23:30 in Dubai
    services = build_services(store, TestClock(night, tick=False))
    salma = services.customers.create(replace(cashier), SMS_ONLY)
    services.feedback.send_general(manager, [salma.id])
    ((sent_at,),) = rows(store, "SELECT sent_at FROM survey_invitations")
    assert datetime.fromisoformat(str(sent_at)).replace(tzinfo=UTC) == datetime(2027, 3, 11, 4, 0, tzinfo=UTC)


def test_inside_the_window_the_product_review_is_a_list_naming_the_product_and_a_tap_answers_it(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock
) -> None:
    noor = services.customers.create(cashier, person("Noor", "050 444 5566"))
    setting(services, manager, "feedback.product_review", "on")
    setting(services, manager, "feedback.product_review_delay_days", "0.5")  # due inside her 24 h window
    received(services, cashier, noor, "Do you have Royal Oud in 100 ml?")
    sale = services.purchases.record_sale(cashier, two_line_sale(noor.id))
    ((token, body, interactive),) = rows(
        services.store,
        "SELECT i.token, c.body, c.interactive FROM survey_invitations AS i JOIN communications AS c "
        "ON c.id = i.communication_id WHERE i.order_id = :o AND i.kind = 'product_review'",
        o=sale.order.id,
    )
    listed = json.loads(str(interactive))
    assert listed["type"] == "list" and str(body).startswith("How do you like Royal Oud?")
    assert [r[0] for r in listed["sections"][0]["rows"]] == [f"rating:{token}:{n}" for n in range(5, 0, -1)]

    later = build_services(services.store, clock.shifted(hours=13))
    received(later, cashier, noor, "2 · Poor", reply=f"rating:{token}:2")
    assert later.inbound.run().outcomes["answered"] == 1  # and her question opened a ticket
    assert rows(
        services.store,
        "SELECT f.rating, f.kind, f.comment, f.low_score FROM customer_feedback AS f "
        "JOIN survey_invitations AS i ON i.id = f.invitation_id WHERE i.token = :t",
        t=token,
    ) == [(2, "product", None, 1)], "the row's title is not a comment"
