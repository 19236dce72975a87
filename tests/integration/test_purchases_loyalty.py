"""Purchases, returns, points, tiers, expiry, rewards and preferences on real SQLite files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core.customers.preferences import DeclaredDraft
from core.giftcards.service import IssueRequest, TxKind
from core.kernel.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.loyalty.ledger import account_totals, load_rules
from core.loyalty.rewards import CatalogFilter, RewardDraft, RewardService
from core.loyalty.rules import DowngradePolicy, EventKind, ProgramRules, Tier, add_months, totals_of
from core.messaging.rules import choose_route
from core.messaging.templates import EXPIRY_WARNING, TIER_UPGRADE, template_ids
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, Tender, TenderDraft
from core.purchases.service import PurchaseService
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store, open_store
from storage.uow import uow_factory
from tests.clock import TestClock
from tests.conftest import actor_for

pytestmark = pytest.mark.instants


class Offline:
    def is_offline(self) -> bool:
        return True


class LedgerGiftCards:
    """What the lead's adapter will do: the card's event in the sale's own unit of work."""

    def __init__(self, fail_after: bool = False) -> None:
        self.fail_after = fail_after

    def resolve(self, actor: Actor, code: str) -> str:
        return code

    def redeem(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None:
        repo = uow.giftcards  # type: ignore[attr-defined]
        card = repo.by_code(code)
        if card is None:
            raise NotFound("No gift card has this code. Check it with the customer.", "code")
        if repo.totals(card.id).balance_fils < amount_fils:
            raise ValidationError("The card holds only {balance}; enter at most that.", "amount", balance="?")
        repo.add_event(card.id, TxKind.REDEEM, -amount_fils, order_id=order_id)
        if self.fail_after:
            raise RuntimeError("the till lost power")

    def refund(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None:
        repo = uow.giftcards  # type: ignore[attr-defined]
        card = repo.by_code(code)
        repo.add_event(card.id, TxKind.REFUND, amount_fils, reason="purchase returned", order_id=order_id)


def back(order_id: str, lines: tuple[tuple[str, int], ...], reason: str = "") -> ReturnDraft:
    return ReturnDraft(order_id, tuple(ReturnLineDraft(line_id, quantity) for line_id, quantity in lines), reason)


def log_size(store: Store) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def scalar(store: Store, sql: str, **params: object) -> object:
    with store.read_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _all(store: Store, sql: str, **params: object) -> list[object]:
    with store.read_engine.connect() as conn:
        return [row[0] for row in conn.execute(text(sql), params)]


def customer_id(services: Services, query: str = "moh", index: int = 0) -> str:
    return services.customers.search(query)[index].id


def oud(quantity: int = 1, price: int = 89_000) -> LineDraft:
    return LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, quantity, price)


def musk(quantity: int = 1) -> LineDraft:
    return LineDraft("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, quantity, 18_500)


def pay_cash(*lines: LineDraft, points: int = 0, customer: str | None = None) -> SaleDraft:
    return SaleDraft(customer, tuple(lines), TenderDraft(cash_fils=100_000_000, points=points))


@contextmanager
def demo_copy(tmp_path: Path, demo_template: Path) -> Iterator[tuple[Store, Services]]:
    """A fresh copy of the demo store for one Hypothesis example: function-scoped fixtures are shared by all the
    examples of a test, so each example opens its own file and closes it however the example ends."""
    path = tmp_path / f"demo-{len(list(tmp_path.iterdir()))}.sqlite"
    shutil.copy(demo_template, path)
    store = open_store(path)
    try:
        yield store, build_services(store, TestClock())
    finally:
        store.close()


def ledger_sum(store: Store, customer: str) -> int:
    value = scalar(
        store,
        "SELECT coalesce(sum(t.points), 0) FROM loyalty_transactions t JOIN loyalty_accounts a ON a.id = t.account_id"
        " WHERE a.customer_id = :c",
        c=customer,
    )
    return int(value or 0)


@pytest.fixture
def admin(services: Services) -> Actor:
    return actor_for(services, Role.ADMIN)


# -- recording a sale --------------------------------------------------------------------------------------------


def test_a_sale_writes_order_lines_points_and_change_log_in_one_transaction(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    before = log_size(services.store)
    result = services.purchases.record_sale(cashier, pay_cash(oud(2), musk(), customer=who))
    order = result.order
    assert (order.net_fils, order.vat_fils, order.total_fils) == (196_500, 8_900 + 925, 206_325)
    assert order.tender(Tender.CASH) == 206_325
    assert result.change_fils == 100_000_000 - 206_325
    assert result.points_earned == 1_965 and result.tier_before == "bronze" and result.tier_after == "silver"
    assert result.bonus_points == 100 and result.balance_after == 2_065
    # order, 2 lines, the new account, earn, bonus, the congratulation and the receipt with their templates,
    # the account's tier, the survey's invitation with its message and template: each with its change-log row,
    # all in this one transaction
    assert log_size(services.store) == before + 14
    card = services.loyalty.card(cashier, who)
    assert card.balance == ledger_sum(services.store, who) == 2_065
    assert card.tier == Tier.SILVER and card.cached_tier == "silver" and card.points_to_next == 5_000 - 1_965
    assert card.card_number and card.card_number.startswith("L-")
    again = services.purchases.order(cashier, order.id)
    assert (
        again.points_earned == 1_965 and again.bonus_points == 100 and [ln.returnable for ln in again.lines] == [2, 1]
    )
    assert services.purchases.find_order(cashier, order.number.lower()).id == order.id
    assert services.purchases.orders_of(cashier, who)[0].id == order.id


def test_the_upgrade_message_is_queued_in_the_customers_language_and_channel(
    services: Services, cashier: Actor
) -> None:
    who = customer_id(services)
    profile = services.customers.get(who)
    result = services.purchases.record_sale(cashier, pay_cash(oud(6), customer=who))  # 5,340 points: Gold
    assert result.tier_after == "gold" and result.bonus_points == 100 + 250
    with services.store.read_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT channel, recipient, body, status, template_id FROM communications WHERE customer_id = :c"),
            {"c": who},
        ).all()
    upgrades = [row[:4] for row in rows if row[4] in template_ids(TIER_UPGRADE)]
    assert len(upgrades) == 1 and len(rows) == 3, "the congratulation, the sale's receipt and its survey"
    channel, recipient, body, status = upgrades[0]
    route = choose_route(profile, services.consents.state(cashier, who), "transactional")
    if route is None:
        assert status == "refused"
    else:
        assert status == "queued" and (channel, recipient) == (route.channel, route.recipient)
    if profile.preferred_language.value == "ar":
        assert "الذهبية" in body and "مبروك" in body
    else:
        assert "Gold" in body and "Congratulations" in body
    assert "5690" in body  # the balance after the bonus


def test_a_walk_in_sale_earns_nothing_and_cannot_use_points(services: Services, cashier: Actor) -> None:
    result = services.purchases.record_sale(cashier, pay_cash(musk()))
    assert result.points_earned == 0 and result.balance_after is None and result.order.customer_id is None
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="Choose the customer first"):
        services.purchases.record_sale(cashier, pay_cash(musk(), points=100))
    assert log_size(services.store) == before


def test_points_pay_part_of_a_sale_and_are_not_earned_on(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))  # 890 points
    quote = services.purchases.quote(cashier, SaleDraft(who, (musk(),), TenderDraft(cash_fils=10_000, points=800)))
    assert quote.balance == 890 and quote.points_fils == 4_000 and quote.due_fils == 19_425 - 14_000
    result = services.purchases.record_sale(
        cashier, SaleDraft(who, (musk(),), TenderDraft(cash_fils=15_425, points=800))
    )
    assert result.points_redeemed == 800 and result.points_earned == 18_500 * 15_425 // 19_425 // 100
    assert result.bonus_points == 100  # 890 + 146 earned crosses Silver; spending never counts against it
    expected = 890 - 800 + result.points_earned + 100
    assert result.balance_after == expected == services.loyalty.card(cashier, who).balance
    kinds = [(e.kind, e.points) for e in services.loyalty.ledger(cashier, who)]
    assert kinds == [
        (EventKind.EARN, 890),
        (EventKind.REDEEM, -800),
        (EventKind.EARN, result.points_earned),
        (EventKind.BONUS, 100),
    ]
    assert [e.running for e in services.loyalty.ledger(cashier, who)][-1] == result.balance_after


# -- bad input writes nothing --------------------------------------------------------------------------------------


def _reward(services: Services, manager: Actor, **kw: object) -> str:
    values: dict[str, object] = {"code": "R1", "name_en": "Gift", "name_ar": "هدية", "points_cost": 100}
    values.update(kw)
    return services.rewards.save(manager, RewardDraft(**values)).id  # type: ignore[arg-type]


def _claim(s: Services, c: Actor, who: str, reward_id: str) -> Callable[[], object]:
    return lambda: s.rewards.claim(c, who, reward_id)


def _return_last(s: Services, c: Actor, who: str, quantity: int) -> Callable[[], object]:
    order = s.purchases.orders_of(c, who)[0]
    return lambda: s.purchases.record_return(c, back(order.id, ((order.lines[0].id, quantity),)))


Prepare = Callable[[Services, Actor, Actor, str], Callable[[], object]]


def _soon(s: Services) -> date:
    return s.clock.today() + timedelta(days=5)


# Each case prepares what it needs (those writes are allowed), then returns the refused action.
BAD: dict[str, tuple[Prepare, str]] = {
    "negative quantity": (
        lambda s, c, m, who: lambda: s.purchases.record_sale(c, pay_cash(oud(-1), customer=who)),
        "quantity must be 1 or more",
    ),
    "negative price": (
        lambda s, c, m, who: lambda: s.purchases.record_sale(c, pay_cash(oud(1, -100), customer=who)),
        "price cannot be negative",
    ),
    "tenders short": (
        lambda s, c, m, who: lambda: s.purchases.record_sale(c, SaleDraft(who, (oud(),), TenderDraft(card_fils=1_000))),
        "still to pay",
    ),
    "more points than held": (
        lambda s, c, m, who: lambda: s.purchases.record_sale(c, pay_cash(oud(), points=5_000, customer=who)),
        "holds 890 points",
    ),
    "points below the minimum": (
        lambda s, c, m, who: lambda: s.purchases.record_sale(c, pay_cash(oud(), points=50, customer=who)),
        "at least 100 points",
    ),
    "gift card with a mistyped code": (
        lambda s, c, m, who: (
            lambda: s.purchases.record_sale(
                c, SaleDraft(who, (musk(),), TenderDraft(gift_card_fils=19_425, gift_card_code="ABCD"))
            )
        ),
        "12 characters after PO-",
    ),
    "return larger than the purchase": (
        lambda s, c, m, who: _return_last(s, c, who, 2),
        "Only 1 of Royal Oud",
    ),
    "return of nothing": (
        lambda s, c, m, who: _return_last(s, c, who, 0),
        "at least one item",
    ),
    "reward out of stock": (
        lambda s, c, m, who: _claim(s, c, who, _reward(s, m, stock=0)),
        "out of stock",
    ),
    "reward outside its window": (
        lambda s, c, m, who: _claim(s, c, who, _reward(s, m, valid_from=_soon(s), valid_until=_soon(s))),
        "can be claimed only from",
    ),
    "reward for another tier": (
        lambda s, c, m, who: _claim(s, c, who, _reward(s, m, tiers=("gold", "platinum"))),
        "customer's tier",
    ),
    "reward for another segment": (
        lambda s, c, m, who: _claim(s, c, who, _reward(s, m, segments=("wholesale",))),
        "customer's segment",
    ),
    "reward beyond the balance": (
        lambda s, c, m, who: _claim(s, c, who, _reward(s, m, points_cost=5_000)),
        "needs 5000",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_in_plain_words_and_writes_nothing(
    services: Services, cashier: Actor, manager: Actor, case: str
) -> None:
    who = next(c.id for c in services.customers.search("moh") if services.customers.get(c.id).segment == "regular")
    services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))  # 890 points, Bronze
    prepare, words = BAD[case]
    action = prepare(services, cashier, manager, who)
    before = log_size(services.store)
    with pytest.raises(DomainError) as caught:
        action()
    messages = [caught.value.english()] + [e.english() for e in getattr(caught.value, "errors", [])]
    assert any(words in m for m in messages), messages
    assert log_size(services.store) == before


# -- returns -------------------------------------------------------------------------------------------------------


def test_partial_then_full_return_gives_back_money_and_points_in_proportion(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))  # 890 points
    sale = services.purchases.record_sale(
        cashier, SaleDraft(who, (musk(2),), TenderDraft(card_fils=38_850 - 2_500, points=500))
    )
    balance_before_sale = 890
    assert sale.balance_after == balance_before_sale - 500 + sale.points_earned + sale.bonus_points
    first = services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),), "too strong"))
    assert first.order.total_fils == -19_425 and first.order.tenders["reason"] == "too strong"
    assert first.refunds["card"] + first.refunds["points"] == 19_425
    assert first.points_restored == 250 and first.points_reversed == sale.points_earned // 2
    view = services.purchases.order(cashier, sale.order.id)
    assert view.lines[0].returnable == 1 and view.return_numbers == (first.order.number,)
    last = services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert first.refunds["card"] + last.refunds["card"] == 36_350
    assert first.points_restored + last.points_restored == 500
    assert first.points_reversed + last.points_reversed == sale.points_earned
    assert services.loyalty.card(cashier, who).balance == balance_before_sale == ledger_sum(services.store, who)
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="Only 0 of White Musk"):
        services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert log_size(services.store) == before


def test_a_return_of_goods_whose_points_were_spent_is_deducted_never_negative(
    services: Services, cashier: Actor
) -> None:
    who = customer_id(services)
    sale = services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))  # 890 points
    services.purchases.record_sale(cashier, pay_cash(musk(), points=800, customer=who))
    spent_balance = services.loyalty.card(cashier, who).balance
    assert spent_balance < 890
    ret = services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert ret.points_reversed == spent_balance and ret.balance_after == 0
    shortfall = 890 - spent_balance
    assert ret.deducted_fils == shortfall * 5 and ret.refunds["cash"] == 93_450 - shortfall * 5
    assert services.loyalty.card(cashier, who).balance == 0 == ledger_sum(services.store, who)


def test_a_return_reverses_the_tier_bonus_it_takes_away_and_it_is_not_farmed(
    services: Services, cashier: Actor
) -> None:
    who = customer_id(services)
    sale = services.purchases.record_sale(cashier, pay_cash(oud(2), customer=who))  # 1,780: Silver +100
    assert sale.bonus_points == 100
    services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 2),)))
    card = services.loyalty.card(cashier, who)
    assert card.tier == Tier.BRONZE and card.balance == 0 and card.cached_tier == "bronze"
    again = services.purchases.record_sale(cashier, pay_cash(oud(2), customer=who))
    assert again.bonus_points == 100 and again.balance_after == 1_880
    bonuses = [e.points for e in services.loyalty.ledger(cashier, who) if e.kind == EventKind.BONUS]
    assert bonuses == [100, -100, 100]


def test_a_gift_card_tender_redeems_and_refunds_in_the_same_transaction(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    uow = uow_factory(services.store, services.clock)
    who = customer_id(services)
    broken = PurchaseService(uow, services.clock, gift_cards=LedgerGiftCards(fail_after=True))  # type: ignore[arg-type]
    before = log_size(services.store)
    draft = SaleDraft(who, (musk(),), TenderDraft(cash_fils=9_425, gift_card_fils=10_000, gift_card_code=card.code))
    with pytest.raises(RuntimeError):
        broken.record_sale(cashier, draft)
    assert log_size(services.store) == before and services.giftcards.get(card.id).balance_fils == 50_000
    purchases = PurchaseService(uow, services.clock, gift_cards=LedgerGiftCards())  # type: ignore[arg-type]
    sale = purchases.record_sale(cashier, draft)
    assert sale.order.tenders["gift_card"] == 10_000 and sale.order.tenders["gift_card_code"] == card.code
    assert services.giftcards.get(card.id).balance_fils == 40_000
    ret = purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert ret.refunds["gift_card"] == 10_000 and ret.refunds["cash"] == 9_425
    assert services.giftcards.get(card.id).balance_fils == 50_000
    plain = PurchaseService(uow, services.clock)  # no gift-card tender: the refund cannot be made, nothing written
    second = purchases.record_sale(cashier, draft)
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="paid with a gift card"):
        plain.record_return(cashier, back(second.order.id, ((second.order.lines[0].id, 1),)))
    assert log_size(services.store) == before


def test_the_wired_gift_card_tender_checks_the_card_and_commits_with_the_order(
    services: Services, cashier: Actor
) -> None:
    """services.purchases pays with the gift-card service's own tender: same checks as at the gift-card page."""
    card = services.giftcards.issue(cashier, IssueRequest(10_000))
    who = customer_id(services)
    too_much = SaleDraft(who, (musk(),), TenderDraft(cash_fils=0, gift_card_fils=19_425, gift_card_code=card.code))
    before = log_size(services.store)
    with pytest.raises(ValidationError):
        services.purchases.record_sale(cashier, too_much)
    assert log_size(services.store) == before and services.giftcards.get(card.id).balance_fils == 10_000
    typo = SaleDraft(who, (musk(),), TenderDraft(cash_fils=9_425, gift_card_fils=10_000, gift_card_code="PO-2222"))
    with pytest.raises(ValidationError):
        services.purchases.record_sale(cashier, typo)
    draft = SaleDraft(who, (musk(),), TenderDraft(cash_fils=9_425, gift_card_fils=10_000, gift_card_code=card.code))
    sale = services.purchases.record_sale(cashier, draft)
    assert services.giftcards.get(card.id).balance_fils == 0
    ledger = services.giftcards.ledger(cashier, card.id)
    assert [line.kind for line in ledger] == [TxKind.ISSUE, TxKind.REDEEM]
    services.purchases.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert services.giftcards.get(card.id).balance_fils == 10_000


# -- offline -------------------------------------------------------------------------------------------------------


def test_offline_earning_and_returns_work_redeeming_is_refused(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))
    uow = uow_factory(services.store, services.clock)
    offline = PurchaseService(uow, services.clock, Offline())  # type: ignore[arg-type]
    sale = offline.record_sale(cashier, pay_cash(musk(), customer=who))
    assert sale.points_earned == 185
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="offline, so points cannot be redeemed"):
        offline.record_sale(cashier, pay_cash(musk(), points=200, customer=who))
    rewards = RewardService(uow, services.clock, Offline())  # type: ignore[arg-type]
    manager = actor_for(services, Role.MANAGER)
    reward = services.rewards.save(manager, RewardDraft("MINI", "Mini oud", "عود صغير", 100))
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="offline"):
        rewards.claim(cashier, who, reward.id)
    assert log_size(services.store) == before
    ret = offline.record_return(cashier, back(sale.order.id, ((sale.order.lines[0].id, 1),)))
    assert ret.points_reversed == 185
    assert services.loyalty.card(cashier, who).pending_offline_points == 185  # marked for head office


# -- expiry ------------------------------------------------------------------------------------------------------


def test_points_expire_oldest_first_as_ledger_events_with_one_warning(
    services: Services, cashier: Actor, clock: TestClock
) -> None:
    who = customer_id(services)
    old = build_services(services.store, clock.shifted(days=-400))
    recent = build_services(services.store, clock.shifted(days=-200))
    old.purchases.record_sale(cashier, pay_cash(oud(), customer=who))  # 890, expired 35 days ago
    recent.purchases.record_sale(cashier, pay_cash(musk(), customer=who))  # 185 + Silver bonus 100
    services.purchases.record_sale(cashier, pay_cash(musk(), points=100, customer=who))  # takes from the oldest
    admin = actor_for(services, Role.ADMIN)
    run = services.loyalty.run_expiry(admin)
    assert (run.accounts, run.points_expired, run.warnings_queued) == (1, 790, 0)
    expired = [e for e in services.loyalty.ledger(cashier, who) if e.kind == EventKind.EXPIRE]
    assert [(e.points, e.expires_on) for e in expired] == [(-790, add_months(old.clock.today(), 12))]
    earned_today = services.purchases.orders_of(cashier, who)[0].points_earned
    assert services.loyalty.card(cashier, who).balance == 185 + 100 + earned_today == ledger_sum(services.store, who)
    assert services.loyalty.run_expiry(admin).points_expired == 0  # a second run finds nothing
    # 10 days before the recent lots expire: one warning, and only one
    soon = build_services(services.store, clock.shifted(days=155))
    card = soon.loyalty.card(cashier, who)
    assert card.expiring_points == 285 and card.expiring_on == add_months(recent.clock.today(), 12)
    assert soon.loyalty.run_expiry(admin).warnings_queued == 1
    assert soon.loyalty.run_expiry(admin).warnings_queued == 0
    loyalty = template_ids(TIER_UPGRADE) + template_ids(EXPIRY_WARNING)
    sql = "SELECT body, template_id FROM communications WHERE customer_id = :c"
    with services.store.read_engine.connect() as conn:
        bodies = [str(b) for b, tid in conn.execute(text(sql), {"c": who}) if tid in loyalty]
    assert any("285" in b for b in bodies) and len(bodies) == 2  # the Silver congratulation and the warning
    later = build_services(services.store, clock.shifted(days=170))
    assert later.loyalty.run_expiry(admin).points_expired == 285
    assert later.loyalty.card(cashier, who).balance == earned_today
    with pytest.raises(PermissionDenied):
        services.loyalty.run_expiry(cashier)


# -- tiers from the ledger ----------------------------------------------------------------------------------------


def test_the_cached_tier_is_rebuilt_and_checked_against_the_ledger(services: Services, cashier: Actor) -> None:
    admin = actor_for(services, Role.ADMIN)
    for index, quantity in enumerate((1, 2, 6, 20)):
        services.purchases.record_sale(cashier, pay_cash(oud(quantity), customer=customer_id(services, "a", index)))
    assert services.loyalty.check_tiers() == []
    with services.store.raw() as conn:  # a stale tier pulled from elsewhere: another replica's stamp
        conn.execute(
            "UPDATE loyalty_accounts SET tier = 'diamond', "
            "field_hlc = json_set(field_hlc, '$.tier', json_extract(field_hlc, '$.tier') || '|elsewhere')"
        )
        conn.commit()
    stale = services.loyalty.check_tiers()
    assert len(stale) == 4 and all(c.cached == "diamond" for c in stale)
    assert {c.derived for c in services.loyalty.rebuild_tier_cache(admin)} == {"bronze", "silver", "gold", "platinum"}
    assert services.loyalty.check_tiers() == []


def test_annual_review_demotes_at_the_review_and_head_office_rules_load_with_defaults(
    services: Services, cashier: Actor
) -> None:
    admin = actor_for(services, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.loyalty.save_rules(cashier, ProgramRules())
    services.loyalty.save_rules(admin, ProgramRules(downgrade_policy=DowngradePolicy.ANNUAL_REVIEW))
    stored = json.loads(
        str(scalar(services.store, "SELECT value FROM store_settings WHERE key = 'loyalty_program_rules'"))
    )
    assert stored["downgrade_policy"] == "annual_review" and stored["expiry_months"] == 12
    with services.store.raw() as conn:  # head office sends only what it changes
        conn.execute(
            'UPDATE store_settings SET value = \'{"downgrade_policy": "annual_review"}\' '
            "WHERE key = 'loyalty_program_rules'"
        )
        conn.commit()
    assert services.loyalty.rules() == ProgramRules(downgrade_policy=DowngradePolicy.ANNUAL_REVIEW)
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(6), customer=who))
    assert services.loyalty.card(cashier, who).tier == Tier.GOLD
    two_years = build_services(services.store, services.clock.shifted(days=800))  # type: ignore[attr-defined]
    assert two_years.loyalty.card(cashier, who).tier == Tier.BRONZE
    assert [c.derived for c in two_years.loyalty.rebuild_tier_cache(admin)] == ["bronze"]


# -- rewards ---------------------------------------------------------------------------------------------------------


def test_reward_claims_go_pending_to_fulfilled_or_cancelled_with_points_back(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        services.rewards.save(cashier, RewardDraft("X", "X", "س", 10))
    reward = services.rewards.save(
        manager, RewardDraft("oud-sample", "Oud sample", "عينة عود", 300, stock=2, per_customer_limit=1)
    )
    assert reward.code == "OUD-SAMPLE"
    with pytest.raises(DomainError, match="already has this code"):
        services.rewards.save(manager, RewardDraft("OUD-SAMPLE", "Other", "آخر", 10))
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(), customer=who))
    offers = services.rewards.offers(cashier, who)
    assert [o.reward.code for o in offers if o.claimable] == ["OUD-SAMPLE"]
    claim = services.rewards.claim(cashier, who, reward.id)
    assert claim.status == "pending" and claim.points == 300
    assert services.loyalty.card(cashier, who).balance == 590
    assert services.rewards.catalog(manager, "oud")[0].stock == 1
    with pytest.raises(ValidationError, match="1 time"):
        services.rewards.claim(cashier, who, reward.id)
    with pytest.raises(PermissionDenied):
        services.rewards.fulfil(cashier, claim.id)
    assert services.rewards.cancel(manager, claim.id).status == "cancelled"
    assert services.loyalty.card(cashier, who).balance == 890
    assert services.rewards.catalog(manager, "", CatalogFilter.ACTIVE)[0].stock == 2
    again = services.rewards.claim(cashier, who, reward.id)
    assert services.rewards.fulfil(manager, again.id).status == "fulfilled"
    with pytest.raises(ValidationError, match="Only a pending claim"):
        services.rewards.cancel(manager, again.id)
    assert [c.status for c in services.rewards.claims(cashier, who)] == ["fulfilled", "cancelled"]
    edited = services.rewards.save(
        manager, RewardDraft("OUD-SAMPLE", "Oud sample", "عينة عود", 300, stock=0, active=False), reward.id
    )
    assert not edited.active and services.rewards.catalog(manager, "", CatalogFilter.OUT_OF_STOCK)[0].id == reward.id
    assert services.rewards.offers(cashier, who) == []


# -- preferences and the wait list ------------------------------------------------------------------------------------


def test_declared_and_learned_preferences(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    services.purchases.record_sale(cashier, pay_cash(oud(2), musk(), customer=who))
    prefs = services.loyalty.preferences(cashier, who)
    assert prefs.declared is None and prefs.learned.families[0][0] == "oud"
    draft = DeclaredDraft(
        favourite_notes=("rose", "oud"),
        intensity="strong",
        occasions=("evening",),
        budget_min_fils=20_000,
        budget_max_fils=90_000,
        dislikes=("vanilla",),
    )
    saved = services.loyalty.save_declared(cashier, who, draft)
    assert saved.declared is not None and saved.declared.favourite_notes == ("rose", "oud")
    before = log_size(services.store)
    services.loyalty.save_declared(cashier, who, draft)
    assert log_size(services.store) == before  # unchanged form, nothing written
    admin = actor_for(services, Role.ADMIN)
    assert services.loyalty.refresh_learned(admin, [who]) == 1
    learned = scalar(
        services.store, "SELECT families FROM customer_preferences WHERE customer_id = :c AND source = 'learned'", c=who
    )
    assert json.loads(str(learned))[0] == "oud"


def test_restock_wait_list(services: Services, cashier: Actor) -> None:
    who = customer_id(services)
    entry = services.loyalty.add_to_wait_list(cashier, who, "oud-cam-100")
    assert (entry.sku, entry.product_name, entry.status) == ("OUD-CAM-100", "Cambodian Oud Oil", "waiting")
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="already on the wait list"):
        services.loyalty.add_to_wait_list(cashier, who, "OUD-CAM-100")
    assert log_size(services.store) == before
    services.loyalty.leave_wait_list(cashier, entry.id)
    assert [e.status for e in services.loyalty.wait_list(cashier, who)] == ["cancelled"]


# -- properties on the real store -------------------------------------------------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.integers(1, 4), st.integers(0, 1_500)),
        st.tuples(st.just("return"), st.integers(0, 3), st.integers(1, 3)),
        st.tuples(st.just("claim"), st.integers(0, 0), st.integers(0, 0)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_balance_is_the_ledger_sum_never_negative_and_the_tier_is_the_ledgers(
    tmp_path: Path, demo_template: Path, ops: list[tuple[str, int, int]]
) -> None:
    with demo_copy(tmp_path, demo_template) as (store, services):
        cashier, manager = actor_for(services, Role.CASHIER), actor_for(services, Role.MANAGER)
        who = services.customers.search("moh")[0].id
        reward = services.rewards.save(manager, RewardDraft("P", "Perk", "ميزة", 400))
        sales: list[str] = []
        for op, a, b in ops:
            try:
                if op == "sale":
                    sales.append(
                        services.purchases.record_sale(cashier, pay_cash(oud(a), points=b, customer=who)).order.id
                    )
                elif op == "return" and sales:
                    order = services.purchases.order(cashier, sales[a % len(sales)])
                    line = order.lines[0]
                    services.purchases.record_return(cashier, back(order.id, ((line.id, min(b, line.returnable)),)))
                elif op == "claim":
                    services.rewards.claim(cashier, who, reward.id)
            except DomainError:
                pass  # refused: nothing written (checked elsewhere)
            card = services.loyalty.card(cashier, who)
            assert card.balance == ledger_sum(store, who) >= 0
            assert services.loyalty.check_tiers() == []
        with uow_factory(store, services.clock)(None) as uow:
            rules = load_rules(uow)
            account = uow.loyalty.account(who)
            if account is not None:
                today = services.clock.today()
                assert account_totals(uow, account.id, today, rules) == totals_of(
                    uow.loyalty.events(account.id), today, rules
                )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 5), st.integers(0, 3), st.lists(st.integers(1, 3), min_size=1, max_size=5))
def test_a_return_after_a_redemption_balances_out(
    tmp_path: Path, demo_template: Path, quantity: int, spend_hundreds: int, parts: list[int]
) -> None:
    with demo_copy(tmp_path, demo_template) as (store, services):
        cashier = actor_for(services, Role.CASHIER)
        who = services.customers.search("moh")[0].id
        services.purchases.record_sale(cashier, pay_cash(musk(6), customer=who))  # 1,110 points + Silver bonus
        before = services.loyalty.card(cashier, who).balance
        points = spend_hundreds * 100 if spend_hundreds else 0
        sale = services.purchases.record_sale(cashier, pay_cash(oud(quantity), musk(), points=points, customer=who))
        for part in [*parts, 99]:  # the last goes back with whatever is left
            order = services.purchases.order(cashier, sale.order.id)
            lines = tuple((ln.id, min(part, ln.returnable)) for ln in order.lines if ln.returnable)
            if not lines:
                break
            services.purchases.record_return(cashier, back(order.id, lines))
        assert services.loyalty.card(cashier, who).balance == before == ledger_sum(store, who)
        refunded = -sum(r.total_fils for r in services.purchases.orders_of(cashier, who) if r.kind == "return")
        assert refunded == sale.order.total_fils


def test_the_demo_loyalty_seed_follows_the_programs_rules(services: Services, clock: TestClock) -> None:
    from storage.changelog import WRITE_KEY, WriteContext
    from storage.seed.loyalty import seed_loyalty

    admin = actor_for(services, Role.ADMIN)
    store = services.store
    now = clock.now()
    with store.write_session() as session, session.begin():
        session.info[WRITE_KEY] = WriteContext(store.branch_id, admin.staff_id, store.clock, now)
        seed_loyalty(session, now)
    assert services.loyalty.check_tiers() == []
    cashier = actor_for(services, Role.CASHIER)
    seeded = [c for c in services.customers.search("a") if services.loyalty.card(cashier, c.id).card_number]
    assert seeded
    for customer in seeded:
        card = services.loyalty.card(cashier, customer.id)
        assert card.balance == ledger_sum(store, customer.id) >= 0
    assert len(services.rewards.catalog(admin)) == 6
