"""A manager's wording of a template on a real store: saved with its change-log rows, sent by the next sale,
refused whole when any channel could not carry it (what was stored stays), and refused to a cashier."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from core.kernel.errors import PermissionDenied, ValidationErrors
from core.kernel.money import fils_to_text
from core.messaging.service import MessagingService
from core.messaging.sms import PartsLimit
from core.messaging.templates import RECEIPT, TIER_UPGRADE, template_id
from core.messaging.wording import CHANNELS
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.db import Store
from storage.uow import uow_factory
from tests.integration.test_events import silver_sale

EN = "Thanks {first_name}! Order {order_number} at {branch}: AED {total}, {points} points earned."
AR = "شكراً {first_name}! طلبك {order_number} في {branch}: {total} درهم، وكسبت {points} نقطة."


def rows(store: Store, sql: str, **params: object) -> list[Any]:
    with store.read_engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def stored(store: Store) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in rows(store, "SELECT id, body FROM message_templates ORDER BY id")]


def test_a_sale_sends_the_wording_a_manager_saved(services: Services, manager: Actor, cashier: Actor) -> None:
    services.messages.save_wording(manager, RECEIPT, {"en": EN, "ar": AR}, CHANNELS)
    saved = {w.channel: w for w in services.messages.wordings(manager) if w.key == RECEIPT and w.language == "en"}
    assert set(saved) == set(CHANNELS) and all(w.reworded and w.body == EN for w in saved.values())
    logged = rows(
        services.store,
        "SELECT count(*) FROM change_log WHERE entity = 'message_templates' AND staff_id = :s",
        s=manager.staff_id,
    )[0][0]
    assert logged == 6, "each template row written with its change-log row"

    who = services.customers.search("moh")[0]
    sale = services.purchases.record_sale(cashier, silver_sale(who.id))
    [(body, tid)] = rows(
        services.store,
        "SELECT c.body, c.template_id FROM communications c JOIN message_templates t ON t.id = c.template_id "
        "WHERE c.customer_id = :c AND t.key = :k",
        c=who.id,
        k=RECEIPT,
    )
    profile = services.customers.get(who.id)
    language = "ar" if profile.preferred_language.value == "ar" else "en"
    branch = services.branch()
    assert branch is not None
    first = profile.first_name_ar if language == "ar" else profile.first_name_en
    expected = (AR if language == "ar" else EN).format(
        first_name=first,
        order_number=sale.order.number,
        branch=branch.name_ar if language == "ar" else branch.name_en,
        total=fils_to_text(sale.order.total_fils),
        points=sale.points_earned,
    )
    assert body == expected
    assert tid in {template_id(RECEIPT, c, language) for c in CHANNELS}
    # The tier congratulation nobody reworded still goes in its built-in wording.
    [(upgrade,)] = rows(
        services.store,
        "SELECT c.body FROM communications c JOIN message_templates t ON t.id = c.template_id "
        "WHERE c.customer_id = :c AND t.key = :k",
        c=who.id,
        k=TIER_UPGRADE,
    )
    assert "{" not in upgrade and upgrade


@pytest.mark.parametrize(
    ("wording", "channels", "says"),
    [
        ("Hello {first_name", CHANNELS, "brace"),
        ("Hello first_name}", CHANNELS, "brace"),
        ("   ", CHANNELS, "cannot be empty"),
        ("Hello {nickname}", CHANNELS, "is not a variable"),
        ("Hello {first_name!r}", CHANNELS, "plain name"),
        ("Your card of AED {amount} is ready", CHANNELS, "does not supply"),  # a gift card's, not a receipt's
        ("يا {first_name} " + "ع" * 700, ("sms",), "at most 4 are allowed"),  # 11 parts of UCS-2
        ("{first_name} " + "x" * 4100, ("whatsapp",), "Too long for WhatsApp"),
        ("Hello {first_name}", ("fax",), "Choose the channels"),
    ],
)
def test_a_wording_that_cannot_go_is_refused_and_nothing_changes(
    services: Services, manager: Actor, wording: str, channels: tuple[str, ...], says: str
) -> None:
    strict = MessagingService(uow_factory(services.store, services.clock), limit=PartsLimit(max_parts=4, warn_parts=2))
    strict.save_wording(manager, RECEIPT, {"en": EN, "ar": AR}, CHANNELS)
    before = stored(services.store)
    log_before = rows(services.store, "SELECT count(*) FROM change_log")[0][0]
    with pytest.raises(ValidationErrors) as refused:
        strict.save_wording(manager, RECEIPT, {"ar": AR, "en": wording}, channels)
    assert says in " ".join(e.english() for e in refused.value.errors)
    assert stored(services.store) == before
    assert rows(services.store, "SELECT count(*) FROM change_log")[0][0] == log_before


def test_a_cashier_may_not_reword_a_template(services: Services, cashier: Actor) -> None:
    before = stored(services.store)
    with pytest.raises(PermissionDenied):
        services.messages.save_wording(cashier, RECEIPT, {"en": EN}, CHANNELS)
    with pytest.raises(PermissionDenied):
        services.messages.wordings(cashier)
    assert stored(services.store) == before


def test_a_wording_this_version_cannot_fill_falls_back_to_the_built_in(
    services: Services, manager: Actor, cashier: Actor
) -> None:
    """A row pulled from a newer head office may name a variable this till does not know: the sale goes on,
    with the built-in receipt."""
    who = services.customers.search("moh")[0]
    with uow_factory(services.store, services.clock)(manager) as uow:
        for language in ("ar", "en"):
            for channel in CHANNELS:
                tid = template_id(RECEIPT, channel, language)
                uow.messages.save_wording(tid, RECEIPT, channel, language, "Hi {loyalty_card_art}", [])
        uow.commit()
    services.purchases.record_sale(cashier, silver_sale(who.id))
    bodies = [r[0] for r in rows(services.store, "SELECT body FROM communications WHERE customer_id = :c", c=who.id)]
    assert bodies and not any("loyalty_card_art" in b or b.startswith("Hi ") for b in bodies)
