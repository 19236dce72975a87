"""What a cashier can type at the till, on a real store: the Sale page's gift-card payment goes through the
same look-up lock as the gift-card page, amounts and codes are stored in their one true form, and a service
called with the wrong types refuses at its door and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text

from core.customers.model import CustomerDraft
from core.customers.preferences import DeclaredDraft
from core.giftcards.codes import generate_code
from core.giftcards.service import GiftCardPolicy, IssueRequest, LookupLocked
from core.kernel.errors import DomainError, NotFound, ValidationError, ValidationErrors
from core.loyalty.rewards import RewardDraft
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.db import Store

MUSK = LineDraft("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, 1, 18_500)  # 19,425 with VAT


def log_size(store: Store) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def order_count(store: Store) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM orders")).scalar() or 0)


def security_kinds(store: Store) -> list[str]:
    with store.read_engine.connect() as conn:
        sql = "SELECT kind FROM security_events WHERE kind LIKE 'giftcard%' ORDER BY created_at"
        return [r[0] for r in conn.execute(text(sql))]


def pay_by_card(code: str, fils: int = 10_000) -> SaleDraft:
    return SaleDraft(None, (MUSK,), TenderDraft(cash_fils=19_425 - fils, gift_card_fils=fils, gift_card_code=code))


def test_the_sale_page_s_gift_card_payment_counts_unknown_codes_and_honours_the_lock(
    services: Services, cashier: Actor
) -> None:
    services.giftcards.policy = GiftCardPolicy(lookup_failures_allowed=3)
    real = services.giftcards.issue(cashier, IssueRequest(50_000))
    orders = order_count(services.store)
    for _ in range(3):
        with pytest.raises(NotFound):
            services.purchases.record_sale(cashier, pay_by_card(generate_code()))
    assert security_kinds(services.store) == ["giftcard_lookup_failed"] * 3
    with pytest.raises(LookupLocked):
        services.purchases.record_sale(cashier, pay_by_card(real.code))  # guessing at the Sale page locks it too
    with pytest.raises(LookupLocked):
        services.giftcards.find(cashier, real.code)  # one counter for the till, whichever page guessed
    assert security_kinds(services.store).count("giftcard_lookup_locked") == 2
    assert order_count(services.store) == orders and services.giftcards.get(real.id).balance_fils == 50_000


def test_a_sale_stores_the_gift_card_code_in_canonical_form(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    typed = " " + card.code.replace("-", "").lower()[2:] + " "
    sale = services.purchases.record_sale(cashier, pay_by_card(typed))
    assert sale.order.tenders["gift_card_code"] == card.code
    assert services.purchases.order(cashier, sale.order.id).tenders["gift_card_code"] == card.code
    services.purchases.record_return(cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(sale.order.lines[0].id, 1),)))
    assert services.giftcards.get(card.id).balance_fils == 50_000


@pytest.mark.parametrize("cash", [2**70, 10**12])
def test_cash_tendered_has_an_upper_bound(services: Services, cashier: Actor, cash: int) -> None:
    before = log_size(services.store)
    with pytest.raises(ValidationError) as refused:
        services.purchases.record_sale(cashier, SaleDraft(None, (MUSK,), TenderDraft(cash_fils=cash)))
    assert refused.value.field == "cash"
    assert log_size(services.store) == before


Call = Callable[[Services, Actor, str], object]

NAN = float("nan")
LONE = "Ali \ud800"

WRONG_TYPES: dict[str, Call] = {
    "gift card sold for 0.5 fils": lambda s, a, card: s.giftcards.issue(a, IssueRequest(10_000.5)),  # type: ignore[arg-type]
    "gift card sold for NaN": lambda s, a, card: s.giftcards.issue(a, IssueRequest(NAN)),  # type: ignore[arg-type]
    "gift card sold for a string": lambda s, a, card: s.giftcards.issue(a, IssueRequest("10000")),  # type: ignore[arg-type]
    "gift card validity of 1.5 months": lambda s, a, card: s.giftcards.issue(
        a,
        IssueRequest(10_000, validity_months=1.5),  # type: ignore[arg-type]
    ),
    "gift card to a lone surrogate": lambda s, a, card: s.giftcards.issue(a, IssueRequest(10_000, recipient_name=LONE)),
    "gift card message not text": lambda s, a, card: s.giftcards.issue(a, IssueRequest(10_000, message=5)),  # type: ignore[arg-type]
    "bulk count 2.0": lambda s, a, card: s.giftcards.issue_bulk(a, "x", 2.0, IssueRequest(10_000)),  # type: ignore[arg-type]
    "redeem 0.5": lambda s, a, card: s.giftcards.redeem(a, card, 0.5),  # type: ignore[arg-type]
    "redeem NaN": lambda s, a, card: s.giftcards.redeem(a, card, NAN),  # type: ignore[arg-type]
    "redeem True": lambda s, a, card: s.giftcards.redeem(a, card, True),
    "refund 0.5": lambda s, a, card: s.giftcards.refund(a, card, 0.5, "returned"),  # type: ignore[arg-type]
    "refund reason with a lone surrogate": lambda s, a, card: s.giftcards.refund(a, card, 100, LONE),
    "cancel reason not text": lambda s, a, card: s.giftcards.cancel(a, card, 42),  # type: ignore[arg-type]
    "find a code that is not text": lambda s, a, card: s.giftcards.find(a, 123456),  # type: ignore[arg-type]
    "cash 0.5": lambda s, a, card: s.purchases.record_sale(
        a,
        SaleDraft(None, (MUSK,), TenderDraft(cash_fils=19_425.5)),  # type: ignore[arg-type]
    ),
    "cash NaN": lambda s, a, card: s.purchases.record_sale(
        a,
        SaleDraft(None, (MUSK,), TenderDraft(cash_fils=NAN)),  # type: ignore[arg-type]
    ),
    "gift-card code not text": lambda s, a, card: s.purchases.record_sale(
        a,
        SaleDraft(None, (MUSK,), TenderDraft(cash_fils=9_425, gift_card_fils=10_000, gift_card_code=7)),  # type: ignore[arg-type]
    ),
    "product name with a lone surrogate": lambda s, a, card: s.purchases.record_sale(
        a, SaleDraft(None, (LineDraft("SKU", LONE, "", "", None, 1, 100),), TenderDraft(cash_fils=105))
    ),
    "customer birthday as a string": lambda s, a, card: s.customers.create(
        a,
        CustomerDraft(first_name_en="Ali", mobile="050 765 4321", birthday="2000-01-01"),  # type: ignore[arg-type]
    ),
    "customer birthday as a datetime-less number": lambda s, a, card: s.customers.create(
        a,
        CustomerDraft(first_name_en="Ali", mobile="050 765 4321", birthday=20000101),  # type: ignore[arg-type]
    ),
    "customer name with a lone surrogate": lambda s, a, card: s.customers.create(
        a, CustomerDraft(first_name_en=LONE, mobile="050 765 4321")
    ),
    "customer mobile not text": lambda s, a, card: s.customers.create(
        a,
        CustomerDraft(first_name_en="Ali", mobile=501234567),  # type: ignore[arg-type]
    ),
    "customer notes with a lone surrogate": lambda s, a, card: s.customers.create(
        a, CustomerDraft(first_name_en="Ali", mobile="050 765 4321", notes=LONE)
    ),
    "declared budget of 0.5 fils": lambda s, a, card: s.loyalty.save_declared(
        a,
        s.customers.search("moh")[0].id,
        DeclaredDraft(budget_min_fils=0.5),  # type: ignore[arg-type]
    ),
    "declared budget NaN": lambda s, a, card: s.loyalty.save_declared(
        a,
        s.customers.search("moh")[0].id,
        DeclaredDraft(budget_max_fils=NAN),  # type: ignore[arg-type]
    ),
    "manager: reward from a string date": lambda s, a, card: s.rewards.save(
        a,
        RewardDraft("R-1", "Mist", "رذاذ", 100, valid_from="2026-01-01"),  # type: ignore[arg-type]
    ),
    "manager: reward stock 2.5": lambda s, a, card: s.rewards.save(
        a,
        RewardDraft("R-1", "Mist", "رذاذ", 100, stock=2.5),  # type: ignore[arg-type]
    ),
}


@pytest.mark.parametrize(("case", "call"), WRONG_TYPES.items(), ids=WRONG_TYPES.keys())
def test_services_refuse_wrong_types_at_the_door_and_write_nothing(
    services: Services, cashier: Actor, manager: Actor, case: str, call: Call
) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    services.giftcards.redeem(cashier, card.id, 1_000)
    before = log_size(services.store)
    actor = manager if case.startswith(("cancel", "manager")) else cashier
    with pytest.raises(DomainError) as refused:
        call(services, actor, card.id)
    assert isinstance(refused.value, ValidationError | ValidationErrors), type(refused.value)
    assert refused.value.english()  # a message a cashier can read, not a TypeError's
    assert log_size(services.store) == before
    with services.store.read_engine.connect() as conn:
        kinds = {r[0] for r in conn.execute(text("SELECT DISTINCT typeof(amount_fils) FROM gift_card_transactions"))}
    assert kinds == {"integer"}


def test_a_birthday_is_still_taken_as_a_date(services: Services, cashier: Actor) -> None:
    draft = CustomerDraft(first_name_en="Ali", mobile="050 765 4321", birthday=date(1990, 5, 1))
    assert services.customers.create(cashier, draft).birthday == date(1990, 5, 1)


def test_a_locked_till_still_gives_a_gift_card_back_its_share_of_a_return(services: Services, cashier: Actor) -> None:
    """The code of a return comes from our own order, not from a keyboard: it is no guess to count or lock."""
    services.giftcards.policy = GiftCardPolicy(lookup_failures_allowed=2)
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    sale = services.purchases.record_sale(cashier, pay_by_card(card.code))
    for _ in range(2):
        with pytest.raises(NotFound):
            services.giftcards.find(cashier, generate_code())
    with pytest.raises(LookupLocked):
        services.giftcards.find(cashier, card.code)
    services.purchases.record_return(cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(sale.order.lines[0].id, 1),)))
    assert services.giftcards.get(card.id).balance_fils == 50_000
