"""Points on a sale, on fakes: a member earns on the net amount by segment and tier, crossing a tier posts
its upgrade bonus once (also when another branch already posted it), queues one congratulation in the
customer's language and moves the cached tier; points are spent only by a member, at least the minimum,
never beyond the balance, and not offline without an allowance. A refused sale writes nothing at all."""

from __future__ import annotations

import pytest

from core.customers.model import CustomerDraft
from core.customers.service import CustomerService
from core.kernel.errors import ValidationError
from core.kernel.events import TierUpgraded
from core.loyalty.ledger import account_id_for
from core.loyalty.rules import EventKind, ProgramRules
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.purchases.service import PurchaseService
from core.staff.auth import Actor
from tests.clock import TestClock
from tests.fakes import FakeStore

RULES = ProgramRules()


class Offline:
    def is_offline(self) -> bool:
        return True


def oud(quantity: int = 1) -> LineDraft:
    return LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, quantity, 89_000)


def sale(*lines: LineDraft, customer: str | None = None, points: int = 0) -> SaleDraft:
    return SaleDraft(customer, lines, TenderDraft(cash_fils=10_000_000, points=points))


@pytest.fixture
def purchases(fake: FakeStore, still_clock: TestClock) -> PurchaseService:
    return PurchaseService(fake.uow, still_clock)


def member(fake: FakeStore, actor: Actor, segment: str = "regular", language: str = "ar") -> str:
    draft = CustomerDraft(
        first_name_en="Amal", first_name_ar="أمل", mobile="050 123 4567", segment=segment, preferred_language=language
    )
    return CustomerService(fake.uow, fake.clock).create(actor, draft).id


def events(fake: FakeStore, customer: str) -> list[tuple[str, int]]:
    account = account_id_for(customer)
    return [(e.kind, e.points) for e in fake.data.points_events if e.account_id == account]


def test_a_walk_in_sale_earns_nothing_and_opens_no_account(
    purchases: PurchaseService, fake: FakeStore, cashier: Actor
) -> None:
    result = purchases.record_sale(cashier, sale(oud(2)))
    assert (result.order.net_fils, result.order.vat_fils, result.order.total_fils) == (178_000, 8_900, 186_900)
    assert result.points_earned == 0 and result.balance_after is None
    assert not fake.data.accounts and not fake.data.points_events
    assert len(fake.data.order_lines[result.order.id]) == 1


def test_crossing_silver_earns_its_bonus_once_a_message_and_the_cached_tier(
    purchases: PurchaseService, fake: FakeStore, cashier: Actor
) -> None:
    amal = member(fake, cashier)
    first = purchases.record_sale(cashier, sale(oud(2), customer=amal))  # AED 1,780 net: 1,780 points
    assert (first.points_earned, first.bonus_points, first.balance_after) == (1_780, 100, 1_880)
    assert (first.tier_before, first.tier_after) == ("bronze", "silver")
    assert fake.data.accounts[account_id_for(amal)].tier == "silver"
    upgrades = [e for e in fake.published if isinstance(e, TierUpgraded)]
    assert [(e.customer_id, e.previous_tier, e.tier, e.bonus_points) for e in upgrades] == [
        (amal, "bronze", "silver", 100)
    ]

    second = purchases.record_sale(cashier, sale(oud(1), customer=amal))  # 890 × 1.05 for Silver
    assert (second.points_earned, second.bonus_points) == (934, 0)
    assert len([e for e in fake.published if isinstance(e, TierUpgraded)]) == 1, "one upgrade, one message"
    assert events(fake, amal) == [
        (EventKind.EARN.value, 1_780),
        (EventKind.BONUS.value, 100),
        (EventKind.EARN.value, 934),
    ]


def test_a_bonus_already_posted_by_another_branch_is_not_posted_again(
    purchases: PurchaseService, fake: FakeStore, cashier: Actor
) -> None:
    amal = member(fake, cashier)
    purchases.record_sale(cashier, sale(oud(1), customer=amal))  # 890 points: still Bronze
    with fake.uow(cashier) as uow:  # the Silver bonus arrived from another branch's sale
        uow.loyalty.add_event(account_id_for(amal), EventKind.BONUS.value, 100, reason="tier:silver")
        uow.commit()
    crossing = purchases.record_sale(cashier, sale(oud(1), customer=amal))
    assert crossing.tier_after == "silver" and crossing.bonus_points == 0
    assert [p for k, p in events(fake, amal) if k == EventKind.BONUS.value] == [100]


def test_a_vip_earns_half_as_much_again(purchases: PurchaseService, fake: FakeStore, cashier: Actor) -> None:
    amal = member(fake, cashier, segment="vip")
    assert purchases.record_sale(cashier, sale(oud(1), customer=amal)).points_earned == 1_335


def test_points_are_spent_within_the_rules_or_the_sale_writes_nothing(
    purchases: PurchaseService, fake: FakeStore, cashier: Actor
) -> None:
    amal = member(fake, cashier)
    purchases.record_sale(cashier, sale(oud(1), customer=amal))  # 890 points
    before = (len(fake.data.orders), len(fake.data.points_events), fake.commits)
    refusals = [
        sale(oud(1), points=RULES.min_redeem_points),  # no customer: points belong to one
        sale(oud(1), customer=amal, points=RULES.min_redeem_points - 1),
        sale(oud(1), customer=amal, points=891),
    ]
    for draft in refusals:
        with pytest.raises(ValidationError) as refused:
            purchases.record_sale(cashier, draft)
        assert refused.value.field == "points"
    assert (len(fake.data.orders), len(fake.data.points_events), fake.commits) == before
    spent = purchases.record_sale(cashier, sale(oud(1), customer=amal, points=890))
    # AED 44.50 paid with points earns nothing: 890 − 42.38 net paid by points, rounded down
    assert (spent.points_redeemed, spent.points_earned, spent.bonus_points) == (890, 847, 100)
    assert spent.balance_after == 847 + 100


def test_offline_without_an_allowance_points_are_earned_but_not_spent(
    fake: FakeStore, still_clock: TestClock, cashier: Actor
) -> None:
    purchases = PurchaseService(fake.uow, still_clock, connectivity=Offline())
    amal = member(fake, cashier)
    assert purchases.record_sale(cashier, sale(oud(1), customer=amal)).points_earned == 890
    with pytest.raises(ValidationError):
        purchases.record_sale(cashier, sale(oud(1), customer=amal, points=RULES.min_redeem_points))
    assert len(fake.data.orders) == 1
