"""A campaign's offer at the till, on a real store: each recipient's code, checked in the sale, the discount
with its VAT, bonus points on the loyalty ledger, the redemption in the sale's transaction, and a return."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from core.campaigns.model import CampaignDefinition, CampaignKind, Message, Offer
from core.campaigns.offers import ALREADY, CAPPED, EXPIRED, NO_CUSTOMER, OTHER_CUSTOMER, UNKNOWN, offer_code
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.errors import DomainError
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.schema import CampaignExecution, ChangeLog, Communication, LoyaltyTransaction, OfferRedemption, Order
from storage.uow import uow_factory
from tests.campaign_world import Person, add_people, empty_store, staff_actor, system_actor, utc
from tests.clock import TestClock

START = utc(2027, 1, 31, 12, 0)
SEND = utc(2027, 2, 1, 6, 0)  # 10:00 on 1 February in Dubai


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Store, TestClock]]:
    clock = TestClock(START, tick=False)
    store = empty_store(tmp_path / "offers.sqlite", START)
    yield store, clock
    store.close()


def _sent(store: Store, clock: TestClock, offer: Offer, people: int = 3) -> tuple[Services, list[CampaignExecution]]:
    """A birthday campaign with ``offer`` run on 1 February for ``people`` customers born that day."""
    from core.campaigns.executor import CampaignExecutor

    add_people(store, START, [Person(birthday=date(1990, 2, 1)) for _ in range(people)])
    services = build_services(store, clock)
    manager = staff_actor(store, Role.MANAGER)
    definition = CampaignDefinition(
        name="Birthdays",
        kind=CampaignKind.BIRTHDAY,
        message=Message(texts={"en": "Hi {first_name}: {offer} until {valid_until}", "ar": "مرحباً {offer}"}),
        schedule=Schedule(Repeat.DAILY, time_of_day=time(10, 0)),
        offer=offer,
    )
    record = services.campaigns.create(manager, definition)
    services.campaigns.schedule(manager, record.id)
    clock.at = SEND
    CampaignExecutor(uow_factory(store, clock), clock, system_actor(store)).run_due()
    with store.read_session() as session:
        rows = list(session.scalars(select(CampaignExecution).order_by(CampaignExecution.customer_id)))
    return services, rows


def _lines() -> tuple[LineDraft, ...]:
    return (
        LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 12_345),
        LineDraft("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, 1, 18_500),
    )


def _sale(customer: str | None, code: str) -> SaleDraft:
    return SaleDraft(customer, _lines(), TenderDraft(cash_fils=100_000_000), offer_code=code)


def _refused(call: object, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        call()  # type: ignore[operator]
    assert refused.value.message == message


def _cashier(store: Store) -> Actor:
    return staff_actor(store, Role.CASHIER)


def test_each_recipient_gets_a_code_in_the_message_and_the_same_one_on_a_rerun(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    _, rows = _sent(store, clock, Offer("discount_code", 15, 7, 100))
    assert len(rows) == 3
    with store.read_session() as session:
        bodies = {m.id: m.body for m in session.scalars(select(Communication))}
    for row in rows:
        assert row.offer_code == offer_code(row.id)  # derived from the ledger row's id: a rerun writes the same
        assert row.offer_expires_on == date(2027, 2, 8)
        assert f"15% off with the code {row.offer_code}" in bodies[row.communication_id or ""]
        assert "until 2027-02-08" in bodies[row.communication_id or ""]
    assert len({r.offer_code for r in rows}) == 3


def test_a_discount_code_takes_15_percent_off_before_vat_and_a_return_gives_back_the_discounted_amount(
    world: tuple[Store, TestClock],
) -> None:
    store, clock = world
    services, rows = _sent(store, clock, Offer("discount_code", 15, 7, 2))
    cashier = _cashier(store)
    first, second, third = rows
    code = first.offer_code or ""
    # Typed with Arabic-Indic digits, lower case and no dash: the same code.
    typed = code.replace("-", " ").lower().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    quote = services.purchases.quote(cashier, _sale(first.customer_id, typed))
    # Net 2 × 123.45 + 185.00 = 431.90; 15 % = 64.785 → 64.79 (half up), shared 37.04 / 27.75 by the
    # largest remainder; VAT on each discounted net: 209.86 → 10.49, 157.25 → 7.86.
    assert quote.discount_fils == 6_479
    assert [(line.net_fils, line.vat_fils) for line in quote.lines] == [(20_986, 1_049), (15_725, 786)]
    assert (quote.totals.net_fils, quote.totals.vat_fils, quote.totals.total_fils) == (36_711, 1_835, 38_546)

    sale = services.purchases.record_sale(cashier, _sale(first.customer_id, typed))
    assert sale.discount_fils == 6_479 and sale.order.total_fils == 38_546
    assert sale.order.tenders["offer"] == {
        "code": code,
        "campaign_id": first.campaign_id,
        "kind": "discount_code",
        "discount": 6_479,
        "points": 0,
    }
    with store.read_session() as session:
        redemption = session.scalars(select(OfferRedemption)).one()
        logged = session.scalar(select(ChangeLog).where(ChangeLog.row_id == redemption.id))
    assert (redemption.order_id, redemption.execution_id, redemption.code) == (sale.order.id, first.id, code)
    assert (redemption.discount_fils, redemption.points) == (6_479, 0)
    assert logged is not None

    # The receipt shows what the code took off each line, and the offer above the totals.
    from core.receipts.documents import SellerDetails, tax_invoice
    from ui.receipts.render import render_document

    document = tax_invoice(sale.order, SellerDetails(name_en="Perfume & Oud", trn="100123456700003"))
    assert (document.offer_code, document.discount_fils) == (code, 6_479)
    printed = [text for text, _top, _height in render_document(document, "en").lines]
    assert any(f"Offer {code}" in t for t in printed) and any("-64.79" in t for t in printed)
    assert any("-37.04" in t for t in printed) and any("-27.75" in t for t in printed)  # each line's share

    # Every refusal, each with its own message, and nothing written.
    _refused(lambda: services.purchases.record_sale(cashier, _sale(first.customer_id, code)), ALREADY)
    _refused(lambda: services.purchases.record_sale(cashier, _sale(first.customer_id, "2345-6789")), UNKNOWN)
    _refused(
        lambda: services.purchases.record_sale(cashier, _sale(first.customer_id, second.offer_code or "")),
        OTHER_CUSTOMER,
    )
    _refused(lambda: services.purchases.check_offer(cashier, second.offer_code or "", None), NO_CUSTOMER)
    services.purchases.record_sale(cashier, _sale(second.customer_id, second.offer_code or ""))
    clock.at = utc(2027, 2, 8, 19, 59)  # 23:59 on 8 February in Dubai: the last day, but the cap is reached
    _refused(lambda: services.purchases.check_offer(cashier, third.offer_code or "", third.customer_id), CAPPED)
    clock.at = utc(2027, 2, 8, 20, 0)  # 00:00 on 9 February in Dubai
    _refused(lambda: services.purchases.check_offer(cashier, third.offer_code or "", third.customer_id), EXPIRED)
    with store.read_session() as session:
        assert len(list(session.scalars(select(OfferRedemption)))) == 2
        assert len(list(session.scalars(select(Order)))) == 2

    # Returning one of the two oud gives back half the oud line's discounted net and VAT, cumulatively.
    oud = sale.order.lines[0]
    manager = staff_actor(store, Role.MANAGER)
    back = services.purchases.record_return(manager, ReturnDraft(sale.order.id, (ReturnLineDraft(oud.id, 1),)))
    assert (back.order.net_fils, back.order.vat_fils) == (-10_493, -524)
    back = services.purchases.record_return(manager, ReturnDraft(sale.order.id, (ReturnLineDraft(oud.id, 1),)))
    assert (back.order.net_fils, back.order.vat_fils) == (-10_493, -525)

    # The results count each redemption as its recipient's conversion, with the revenue net of the returns.
    campaign = first.campaign_id
    _refused(lambda: services.campaigns.results(cashier, campaign), "Your role does not allow this. Ask a manager.")
    found = services.campaigns.results(manager, campaign)
    total = found.row()
    assert total is not None
    assert (total.recipients, total.converted.count, total.redeemed.count) == (3, 2, 2)
    assert total.revenue_fils == (36_711 - 20_986) + 36_711
    assert total.offer_cost_fils == 2 * 6_479


def test_bonus_points_land_on_the_loyalty_ledger_with_the_sale(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    services, rows = _sent(store, clock, Offer("bonus_points", 200, 30, 10), people=1)
    row = rows[0]
    sale = services.purchases.record_sale(_cashier(store), _sale(row.customer_id, row.offer_code or ""))
    assert sale.offer_points == 200 and sale.discount_fils == 0
    assert sale.order.total_fils == 2 * 12_345 + 18_500 + 2_160  # no discount: VAT 1,234.50 → 1,235 + 925
    with store.read_session() as session:
        bonus = session.scalars(
            select(LoyaltyTransaction).where(
                LoyaltyTransaction.order_id == sale.order.id, LoyaltyTransaction.kind == "bonus"
            )
        ).one()
        redemption = session.scalars(select(OfferRedemption)).one()
    assert bonus.points == 200 and bonus.reason == f"campaign:{row.campaign_id}"
    assert (redemption.points, redemption.discount_fils) == (200, 0)


def test_a_voucher_takes_its_value_off_before_vat(world: tuple[Store, TestClock]) -> None:
    store, clock = world
    services, rows = _sent(store, clock, Offer("voucher", 5_000, 7, 10), people=1)
    row = rows[0]
    sale = services.purchases.record_sale(_cashier(store), _sale(row.customer_id, row.offer_code or ""))
    # 431.90 − 50.00 = 381.90 net, shared 28.58 / 21.42: 218.32 + 5 % 10.92, 163.58 + 8.18.
    assert sale.discount_fils == 5_000
    assert [(line.net_fils, line.vat_fils) for line in sale.order.lines] == [(21_832, 1_092), (16_358, 818)]
    assert sale.order.total_fils == 38_190 + 1_910
