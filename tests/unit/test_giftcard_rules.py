"""Gift-card rules on fakes: the amounts a card may be sold for, its validity, and every decrease checked
against the balance its ledger sums to — redeem at most the balance, refund at most what was paid with the
card, nothing off a card that expired or was cancelled, one expiry per card, and a till that tries too many
unknown codes paused. Every refusal leaves the ledger as it was."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.giftcards.codes import generate_code
from core.giftcards.service import CardStatus, GiftCardService, IssueRequest, LookupLocked, TxKind
from core.kernel.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.offline.allowances import Connectivity
from core.staff.auth import Actor
from tests.clock import INSTANTS, TestClock
from tests.fakes import FakeStore


class Offline:
    def is_offline(self) -> bool:
        return True


def service(fake: FakeStore, clock: TestClock, connectivity: Connectivity | None = None) -> GiftCardService:
    return GiftCardService(fake.uow, clock, connectivity=connectivity)


@pytest.fixture
def cards(fake: FakeStore, still_clock: TestClock) -> GiftCardService:
    return service(fake, still_clock)


def kinds(fake: FakeStore, card_id: str) -> list[tuple[TxKind, int]]:
    return [(e.kind, e.amount_fils) for e in fake.card_events(card_id)]


@pytest.mark.parametrize("fils", [0, -100, 4_999, 1_000_001])
def test_a_card_is_sold_only_between_the_policy_s_bounds(
    cards: GiftCardService, cashier: Actor, fake: FakeStore, fils: int
) -> None:
    with pytest.raises(ValidationError) as refused:
        cards.issue(cashier, IssueRequest(fils))
    assert refused.value.field == "amount"
    assert fake.commits == 0 and not fake.data.cards


def test_a_sold_card_holds_its_amount_as_one_issue_event(
    cards: GiftCardService, cashier: Actor, fake: FakeStore
) -> None:
    view = cards.issue(cashier, IssueRequest(5_000))
    assert (view.balance_fils, view.status) == (5_000, CardStatus.ACTIVE)
    assert kinds(fake, view.id) == [(TxKind.ISSUE, 5_000)]


@pytest.mark.parametrize("instant", [INSTANTS["month_end"]])
def test_validity_ends_on_the_last_day_of_a_shorter_month(
    cards: GiftCardService, cashier: Actor, instant: datetime
) -> None:
    view = cards.issue(cashier, IssueRequest(10_000, validity_months=1))
    assert view.expires_on == date(2027, 2, 28)
    with pytest.raises(ValidationError):
        cards.issue(cashier, IssueRequest(10_000, validity_months=61))


def test_selling_works_offline_but_redeeming_without_an_allowance_does_not(
    fake: FakeStore, still_clock: TestClock, cashier: Actor
) -> None:
    cards = service(fake, still_clock, Offline())
    view = cards.issue(cashier, IssueRequest(20_000))
    with pytest.raises(DomainError):
        cards.redeem(cashier, view.id, 1_000)
    assert kinds(fake, view.id) == [(TxKind.ISSUE, 20_000)]


def test_a_redemption_takes_at_most_the_balance(cards: GiftCardService, cashier: Actor, fake: FakeStore) -> None:
    card = cards.issue(cashier, IssueRequest(25_000))
    with pytest.raises(ValidationError) as refused:
        cards.redeem(cashier, card.id, 25_001)
    assert refused.value.params == {"balance": "AED 250.00"}
    assert cards.redeem(cashier, card.id, 10_000).balance_fils == 15_000
    emptied = cards.redeem(cashier, card.id, 15_000)
    assert (emptied.balance_fils, emptied.status) == (0, CardStatus.DEPLETED)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card.id, 1)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card.id, 0)
    assert kinds(fake, card.id) == [(TxKind.ISSUE, 25_000), (TxKind.REDEEM, -10_000), (TxKind.REDEEM, -15_000)]


def test_a_refund_gives_back_at_most_what_was_paid_with_the_card(
    cards: GiftCardService, cashier: Actor, fake: FakeStore
) -> None:
    card = cards.issue(cashier, IssueRequest(50_000))
    cards.redeem(cashier, card.id, 30_000)
    assert cards.refund(cashier, card.id, 20_000, "returned the oud").balance_fils == 40_000
    with pytest.raises(ValidationError) as refused:
        cards.refund(cashier, card.id, 10_001, "returned the musk")
    assert refused.value.params == {"refundable": "AED 100.00"}
    with pytest.raises(ValidationError) as no_reason:
        cards.refund(cashier, card.id, 5_000, "  ")
    assert no_reason.value.field == "reason"
    assert cards.refund(cashier, card.id, 10_000, "returned the musk").balance_fils == 50_000
    assert sum(amount for _kind, amount in kinds(fake, card.id)) == 50_000


def test_an_expired_card_is_refused_and_its_balance_expires_once(
    cards: GiftCardService, cashier: Actor, fake: FakeStore, still_clock: TestClock
) -> None:
    card = cards.issue(cashier, IssueRequest(30_000, validity_months=1))
    cards.redeem(cashier, card.id, 5_000)
    still_clock.at = datetime.combine(card.expires_on + timedelta(days=1), datetime.min.time(), still_clock.at.tzinfo)
    with pytest.raises(ValidationError) as refused:
        cards.redeem(cashier, card.id, 1_000)
    assert refused.value.params == {"date": card.expires_on.isoformat()}
    with pytest.raises(ValidationError):
        cards.refund(cashier, card.id, 1_000, "returned")
    for _ in range(2):  # a look-up finds it expired and writes the expiry; the second finds it written
        found = cards.find(cashier, card.code)
        assert (found.status, found.balance_fils) == (CardStatus.EXPIRED, 0)
    assert cards.expire_due(cashier) == 0
    assert kinds(fake, card.id)[-1] == (TxKind.EXPIRE, -25_000)
    assert [k for k, _ in kinds(fake, card.id)].count(TxKind.EXPIRE) == 1


def test_the_expiry_run_expires_each_lapsed_card_once_and_skips_cancelled_and_empty_ones(
    cards: GiftCardService, cashier: Actor, manager: Actor, fake: FakeStore, still_clock: TestClock
) -> None:
    lapsing = cards.issue(cashier, IssueRequest(10_000, validity_months=1))
    emptied = cards.issue(cashier, IssueRequest(10_000, validity_months=1))
    cancelled = cards.issue(cashier, IssueRequest(10_000, validity_months=1))
    lasting = cards.issue(cashier, IssueRequest(10_000, validity_months=12))
    cards.redeem(cashier, emptied.id, 10_000)
    cards.cancel(manager, cancelled.id, "lost by the customer")
    still_clock.advance(days=40)
    assert cards.expire_due(manager) == 1
    assert cards.expire_due(manager) == 0
    assert kinds(fake, lapsing.id)[-1] == (TxKind.EXPIRE, -10_000)
    for other in (emptied, cancelled, lasting):
        assert TxKind.EXPIRE not in [k for k, _ in kinds(fake, other.id)]
    assert cards.get(lasting.id).status == CardStatus.ACTIVE


def test_only_a_manager_cancels_and_a_cancelled_card_takes_nothing(
    cards: GiftCardService, cashier: Actor, manager: Actor, fake: FakeStore
) -> None:
    card = cards.issue(cashier, IssueRequest(40_000))
    with pytest.raises(PermissionDenied):
        cards.cancel(cashier, card.id, "customer asked")
    with pytest.raises(ValidationError):
        cards.cancel(manager, card.id, "")
    cancelled = cards.cancel(manager, card.id, "customer asked")
    assert (cancelled.status, cancelled.balance_fils) == (CardStatus.CANCELLED, 0)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card.id, 1_000)
    with pytest.raises(ValidationError):
        cards.cancel(manager, card.id, "again")
    assert kinds(fake, card.id) == [(TxKind.ISSUE, 40_000), (TxKind.CANCEL, -40_000)]


def test_too_many_unknown_codes_pause_look_ups_on_this_till(
    cards: GiftCardService, cashier: Actor, fake: FakeStore, still_clock: TestClock
) -> None:
    real = cards.issue(cashier, IssueRequest(10_000))
    allowed = cards.policy.lookup_failures_allowed
    for _ in range(allowed):
        with pytest.raises(NotFound):
            cards.find(cashier, generate_code())
    with pytest.raises(LookupLocked):
        cards.find(cashier, real.code)  # even a real card waits: guessing must not pay
    assert fake.security_kinds() == ["giftcard_lookup_failed"] * allowed + ["giftcard_lookup_locked"]
    still_clock.advance(seconds=cards.policy.lookup_window.total_seconds() + 1)
    assert cards.find(cashier, real.code).id == real.id


def test_bulk_cards_are_for_corporate_customers_only_and_all_or_none(
    cards: GiftCardService, cashier: Actor, fake: FakeStore
) -> None:
    from core.customers.model import CustomerDraft
    from core.customers.service import CustomerService

    people = CustomerService(fake.uow, fake.clock)
    shop = people.create(cashier, CustomerDraft(first_name_en="Shop", mobile="050 000 0001"))
    firm = people.create(cashier, CustomerDraft(first_name_en="Firm", mobile="050 000 0002", segment="corporate"))
    with pytest.raises(ValidationError) as refused:
        cards.issue_bulk(cashier, shop.id, 3, IssueRequest(10_000))
    assert refused.value.field == "customer" and not fake.data.cards
    with pytest.raises(ValidationError):
        cards.issue_bulk(cashier, firm.id, cards.policy.bulk_max + 1, IssueRequest(10_000))
    views = cards.issue_bulk(cashier, firm.id, 3, IssueRequest(10_000))
    assert len({v.code for v in views}) == 3
    assert all(v.purchaser_customer_id == firm.id and v.balance_fils == 10_000 for v in views)


def test_a_personal_shopper_neither_sells_nor_redeems(
    cards: GiftCardService, cashier: Actor, shopper_staff: Actor
) -> None:
    card = cards.issue(cashier, IssueRequest(10_000))
    with pytest.raises(PermissionDenied):
        cards.issue(shopper_staff, IssueRequest(10_000))
    with pytest.raises(PermissionDenied):
        cards.redeem(shopper_staff, card.id, 1_000)


def test_a_refused_role_hears_it_is_refused_even_offline(
    fake: FakeStore, still_clock: TestClock, cashier: Actor, shopper_staff: Actor
) -> None:
    cards = service(fake, still_clock, Offline())
    card = cards.issue(cashier, IssueRequest(10_000))
    with pytest.raises(PermissionDenied):  # not "head office cannot be reached": the role comes first
        cards.refund(shopper_staff, card.id, 1_000, "returned")
    with pytest.raises(DomainError) as offline:
        cards.refund(cashier, card.id, 1_000, "returned")
    assert not isinstance(offline.value, PermissionDenied)
