"""Offline allowance rules on fakes (DESIGN.md, "Offline gift cards and points"): a decrease offline is
refused without an allowance, after too long out of touch or with stale balances; with one, it is capped per
card and per branch across the whole outage, recorded as pending in the same unit of work (and released with
it when the use case rolls back); online, head office's answer decides. A property test drives random
redemptions and checks that no approval ever exceeds a cap or a balance."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.giftcards.service import GiftCardService, IssueRequest, TxKind
from core.kernel.errors import PermissionDenied, ValidationError
from core.offline.allowances import (
    DecreaseKind,
    LinkState,
    OfflineAllowance,
    OfflineAllowanceService,
    OnlineAuthorization,
)
from core.staff.auth import Actor, Role
from tests.clock import DEFAULT, TestClock
from tests.fakes import FakeLink, FakeStore

CARD = DecreaseKind.GIFT_CARD
ALLOWANCE = OfflineAllowance(
    CARD, per_subject_cap=20_000, branch_total=50_000, max_offline_hours=24, max_snapshot_age_hours=48
)


def offline_store(fake: FakeStore, allowance: OfflineAllowance | None = ALLOWANCE) -> None:
    """Head office last seen and balances pulled an hour ago; ``allowance`` granted (or none)."""
    an_hour_ago = fake.clock.now() - timedelta(hours=1)
    fake.data.last_contact_at = fake.data.balances_at = an_hour_ago
    if allowance is not None:
        fake.data.allowances[allowance.kind] = allowance


def services(fake: FakeStore, link: FakeLink) -> tuple[OfflineAllowanceService, GiftCardService]:
    allowances = OfflineAllowanceService(fake.uow, fake.clock, link)
    return allowances, GiftCardService(fake.uow, fake.clock, connectivity=link, offline=allowances)


@pytest.fixture
def link() -> FakeLink:
    return FakeLink(LinkState.OFFLINE)


def sell(cards: GiftCardService, actor: Actor, fils: int) -> str:
    return cards.issue(actor, IssueRequest(fils)).id


def test_offline_without_an_allowance_nothing_is_taken(fake: FakeStore, link: FakeLink, cashier: Actor) -> None:
    offline_store(fake, None)
    allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card, 1_000)
    assert allowances.pending_total(CARD) == 0
    assert [e.kind for e in fake.card_events(card)] == [TxKind.ISSUE]


def test_an_offline_redemption_is_pending_and_carries_its_hold_id(
    fake: FakeStore, link: FakeLink, cashier: Actor
) -> None:
    offline_store(fake)
    allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    view = cards.redeem(cashier, card, 12_000)
    assert view.balance_fils == 18_000
    redeem = [e for e in fake.card_events(card) if e.kind == TxKind.REDEEM]
    assert [(e.amount_fils, e.offline_pending) for e in redeem] == [(-12_000, True)]
    assert [a.hold_id for a in fake.data.approvals] == [redeem[0].id]
    assert allowances.pending_total(CARD, card) == 12_000
    assert link.asked == [], "offline, head office is not asked"


def test_the_per_card_cap_counts_what_is_already_pending_on_the_card(
    fake: FakeStore, link: FakeLink, cashier: Actor
) -> None:
    offline_store(fake)
    _, cards = services(fake, link)
    card = sell(cards, cashier, 90_000)
    cards.redeem(cashier, card, 15_000)
    with pytest.raises(ValidationError) as refused:
        cards.redeem(cashier, card, 5_001)
    assert refused.value.params == {"limit": "AED 50.00"}
    cards.redeem(cashier, card, 5_000)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card, 1)


def test_the_branch_total_caps_the_whole_outage_across_cards(fake: FakeStore, link: FakeLink, cashier: Actor) -> None:
    offline_store(fake)
    allowances, cards = services(fake, link)
    ids = [sell(cards, cashier, 30_000) for _ in range(3)]
    cards.redeem(cashier, ids[0], 20_000)
    cards.redeem(cashier, ids[1], 20_000)
    with pytest.raises(ValidationError) as refused:
        cards.redeem(cashier, ids[2], 10_001)
    assert "used its offline allowance" in refused.value.message
    cards.redeem(cashier, ids[2], 10_000)
    assert allowances.pending_total(CARD) == ALLOWANCE.branch_total


def test_a_card_is_never_taken_below_its_local_balance(fake: FakeStore, link: FakeLink, cashier: Actor) -> None:
    offline_store(fake)
    _, cards = services(fake, link)
    card = sell(cards, cashier, 8_000)
    rules = OfflineAllowanceService(fake.uow, fake.clock, link)
    with fake.uow(cashier) as uow:
        refused = rules.authorize_decrease(CARD, card, 8_001, uow)
    assert (refused.allowed, refused.limit) == (False, 8_000)


@pytest.mark.parametrize(
    ("contact_hours_ago", "balances_hours_ago"),
    [(24.01, 1), (1, 48.01), (None, 1), (1, None)],
    ids=["out of touch too long", "balances too old", "never in touch", "never pulled"],
)
def test_decreases_stop_when_the_branch_has_been_apart_too_long(
    fake: FakeStore, link: FakeLink, cashier: Actor, contact_hours_ago: float | None, balances_hours_ago: float | None
) -> None:
    offline_store(fake)
    now = fake.clock.now()
    fake.data.last_contact_at = None if contact_hours_ago is None else now - timedelta(hours=contact_hours_ago)
    fake.data.balances_at = None if balances_hours_ago is None else now - timedelta(hours=balances_hours_ago)
    allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card, 1_000)
    assert allowances.pending_total(CARD) == 0


def test_a_hold_taken_by_a_use_case_that_rolls_back_is_released(
    fake: FakeStore, link: FakeLink, cashier: Actor
) -> None:
    offline_store(fake)
    allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    with pytest.raises(RuntimeError), fake.uow(cashier) as uow:  # a sale paying with the card, then failing
        cards.redeem_in(uow, cashier, card, 20_000, order_id="order-1")
        raise RuntimeError("the till lost power")
    assert allowances.pending_total(CARD) == 0
    assert cards.redeem(cashier, card, 20_000).balance_fils == 10_000


def test_a_hold_head_office_took_for_a_use_case_that_rolls_back_is_released_there(
    fake: FakeStore, cashier: Actor
) -> None:
    link = FakeLink(LinkState.ONLINE, OnlineAuthorization(approved=True, balance=30_000))
    _allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    with pytest.raises(RuntimeError), fake.uow(cashier) as uow:  # a sale paying with the card, then refused
        cards.redeem_in(uow, cashier, card, 20_000, order_id="order-1")
        raise RuntimeError("the points were refused")
    assert len(link.released) == 1, "head office is told at once, not left holding it for a day"
    cards.redeem(cashier, card, 5_000)
    assert len(link.released) == 1, "a committed redemption keeps its hold until its event arrives"


def test_online_head_office_decides_and_nothing_is_pending(fake: FakeStore, cashier: Actor) -> None:
    offline_store(fake)
    link = FakeLink(LinkState.ONLINE, OnlineAuthorization(approved=True, balance=30_000))
    allowances, cards = services(fake, link)
    card = sell(cards, cashier, 30_000)
    cards.redeem(cashier, card, 25_000)  # above the offline cap: online, the cap does not apply
    assert link.asked == [(CARD, card, 25_000)]
    assert allowances.pending_total(CARD) == 0
    assert [e.offline_pending for e in fake.card_events(card)] == [False, False]
    link.answer = OnlineAuthorization(approved=False, balance=0, known=False)
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card, 1_000)


def test_online_but_unreachable_falls_back_to_the_offline_rules(fake: FakeStore, cashier: Actor) -> None:
    offline_store(fake)
    allowances, cards = services(fake, FakeLink(LinkState.ONLINE, answer=None))
    card = sell(cards, cashier, 30_000)
    cards.redeem(cashier, card, 20_000)
    assert allowances.pending_total(CARD, card) == 20_000
    with pytest.raises(ValidationError):
        cards.redeem(cashier, card, 1)


def test_a_standalone_store_takes_up_to_the_balance_with_nothing_pending(fake: FakeStore, cashier: Actor) -> None:
    allowances, cards = services(fake, FakeLink(LinkState.STANDALONE))
    card = sell(cards, cashier, 30_000)
    assert cards.redeem(cashier, card, 30_000).balance_fils == 0
    assert allowances.pending_total(CARD) == 0 and not fake.data.approvals


def test_only_a_manager_sees_the_sync_exceptions(
    fake: FakeStore, link: FakeLink, cashier: Actor, manager: Actor
) -> None:
    allowances, _ = services(fake, link)
    with pytest.raises(PermissionDenied):
        allowances.exceptions(cashier)
    assert allowances.exceptions(manager) == []


@settings(max_examples=60, deadline=None)
@given(
    balances=st.lists(st.integers(min_value=5_000, max_value=60_000), min_size=1, max_size=4),
    attempts=st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.integers(1, 30_000)), max_size=25),
)
def test_no_offline_approval_ever_exceeds_a_cap_or_a_balance(
    balances: list[int], attempts: list[tuple[int, int]]
) -> None:
    fake = FakeStore(TestClock(DEFAULT, tick=False))
    cashier = Actor("staff-1", fake.branch_id, Role.CASHIER)
    offline_store(fake)
    allowances, cards = services(fake, FakeLink(LinkState.OFFLINE))
    ids = [sell(cards, cashier, fils) for fils in balances]
    for index, fils in attempts:
        card = ids[index % len(ids)]
        with contextlib.suppress(ValidationError):  # refusals are part of the stream
            cards.redeem(cashier, card, fils)
    for card, issued in zip(ids, balances, strict=True):
        pending = allowances.pending_total(CARD, card)
        assert pending <= ALLOWANCE.per_subject_cap
        assert sum(e.amount_fils for e in fake.card_events(card)) == issued - pending >= 0
    assert allowances.pending_total(CARD) <= ALLOWANCE.branch_total
