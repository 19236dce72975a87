"""DESIGN.md faults 8 and 9: offline redemptions within allowances; overspends recorded, bounded, never refused."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.offline.allowances import DecreaseKind, OfflineAllowance, decide_offline
from core.staff.auth import Role
from tests.conftest import actor_for
from tests.faults.support import chain, grant


def test_8_two_branches_offline_overspend_one_card(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), proxies=True) as (ho, _server, (a, b)):
        for branch in (a, b):
            grant(ho, branch.store.branch_id, "gift_card", cap=8_000, total=20_000)
        card = a.issue_card(10_000)
        a.sync()
        b.sync()
        a.go_offline()
        b.go_offline()

        at_a = a.redeem(DecreaseKind.GIFT_CARD, card, 8_000)
        assert at_a.allowed and at_a.pending
        more = a.redeem(DecreaseKind.GIFT_CARD, card, 1_000)
        assert not more.allowed and more.limit == 0, "the per-card cap is reached at this branch"
        at_b = b.redeem(DecreaseKind.GIFT_CARD, card, 8_000)
        assert at_b.allowed and at_b.pending, "branch B cannot know what A did: its own cap allows it"
        assert a.services.offline.pending_total("gift_card") == 8_000

        a.go_online()
        b.go_online()
        a.sync()
        b.sync()
        a.sync()
        assert ho.balances("gift_card")[card] == -6_000, "both redemptions kept: the goods have left"
        assert a.balance(DecreaseKind.GIFT_CARD, card) == b.balance(DecreaseKind.GIFT_CARD, card) == -6_000
        overspends = [e for e in ho.exceptions() if e.kind == "gift_card"]
        assert len(overspends) == 1 and overspends[0].subject_id == card and overspends[0].amount == 6_000
        assert overspends[0].detail == "offline"
        manager = actor_for(b.services, Role.MANAGER)
        seen = b.services.offline.exceptions(manager)
        assert [(e.subject_id, e.amount, e.balance_after) for e in seen] == [(card, 6_000, -6_000)]
        assert a.services.offline.pending_total("gift_card") == b.services.offline.pending_total("gift_card") == 0
        loss = max(0, -ho.balances("gift_card")[card])
        assert loss <= 8_000 + 8_000, "loss is bounded by the allowances granted"
        for branch in (a, b):
            with branch.store.read_engine.connect() as conn:
                flags = conn.exec_driver_sql(
                    "SELECT DISTINCT offline_pending FROM gift_card_transactions WHERE kind = 'redeem'"
                ).all()
            assert flags == [(1,)], "each offline decrease carries offline_pending"


NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    cap=st.integers(0, 5_000),
    total=st.integers(0, 12_000),
    balances=st.lists(st.integers(-500, 8_000), min_size=1, max_size=4),
    requests=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4_000)), max_size=40),
    offline_for=st.floats(0, 30),
    snapshot_age=st.floats(0, 40),
)
def test_9_no_offline_approval_ever_exceeds_a_cap(
    cap: int,
    total: int,
    balances: list[int],
    requests: list[tuple[int, int]],
    offline_for: float,
    snapshot_age: float,
) -> None:
    allowance = OfflineAllowance(DecreaseKind.GIFT_CARD, cap, total, 12.0, 24.0)
    balance = list(balances)
    pending = [0] * len(balances)
    for subject, amount in requests:
        subject %= len(balances)
        decision = decide_offline(
            DecreaseKind.GIFT_CARD,
            amount,
            allowance,
            balance=balance[subject],
            subject_pending=pending[subject],
            branch_pending=sum(pending),
            last_contact=NOW - timedelta(hours=offline_for),
            balances_at=NOW - timedelta(hours=snapshot_age),
            now=NOW,
            hold_id="h",
        )
        if decision.allowed:
            assert decision.pending
            assert amount <= balance[subject], "never more than the last-known balance after local pending"
            balance[subject] -= amount
            pending[subject] += amount
        assert pending[subject] <= cap, "per-card cap"
        assert sum(pending) <= total, "per-branch total per outage"
        assert decision.allowed or decision.reason
    if offline_for > 12 or snapshot_age > 24:
        assert sum(pending) == 0, "outside the time limits nothing is approved"


def test_9_the_same_holds_through_the_service_on_a_real_store(tmp_path: Path) -> None:
    rng = random.Random(9)
    with chain(tmp_path, ("DXB1",), proxies=True) as (ho, _server, (a,)):
        grant(ho, a.store.branch_id, "gift_card", cap=3_000, total=7_000)
        cards = [a.issue_card(rng.randrange(1_000, 6_000)) for _ in range(4)]
        a.sync()
        a.go_offline()
        approvals = 0
        for _ in range(40):
            card = rng.choice(cards)
            approvals += a.redeem(DecreaseKind.GIFT_CARD, card, rng.randrange(1, 2_500)).allowed
            assert a.services.offline.pending_total("gift_card", card) <= 3_000
            assert a.services.offline.pending_total("gift_card") <= 7_000
            assert a.balance(DecreaseKind.GIFT_CARD, card) >= 0, "offline never takes a card below zero"
        assert approvals > 0


def test_gift_card_service_redeems_offline_within_the_allowance(tmp_path: Path) -> None:
    """The till's own redeem use case goes through the allowance rules once a head office is configured."""
    import pytest

    from core.giftcards.service import IssueRequest
    from core.kernel.errors import ValidationError

    with chain(tmp_path, ("DXB1",), proxies=True) as (ho, _server, (a,)):
        grant(ho, a.store.branch_id, "gift_card", cap=5_000, total=9_000)
        card = a.services.giftcards.issue(a.actor, IssueRequest(amount_fils=20_000))
        a.sync()
        a.go_offline()
        after = a.services.giftcards.redeem(a.actor, card.id, 4_000)
        assert after.balance_fils == 16_000
        with pytest.raises(ValidationError) as refused:
            a.services.giftcards.redeem(a.actor, card.id, 2_000)
        assert "at most" in refused.value.english()
        assert a.services.offline.pending_total("gift_card", card.id) == 4_000
        a.go_online()
        a.sync()
        assert a.services.offline.pending_total("gift_card", card.id) == 0, "accepted by head office"
        assert ho.balances("gift_card")[card.id] == 16_000


def test_points_spent_at_the_till_follow_the_allowance_online_and_offline(tmp_path: Path) -> None:
    """Sales paid with points and reward claims: confirmed by head office online, within the branch's points
    allowance offline (marked pending until head office accepts them), refused beyond it with nothing written."""
    import pytest

    from core.kernel.errors import ValidationError
    from core.loyalty.ledger import account_id_for
    from core.loyalty.rewards import RewardDraft
    from core.purchases.model import LineDraft, SaleDraft, TenderDraft

    def pay_with_points(branch, customer: str, points: int):  # type: ignore[no-untyped-def]
        line = LineDraft("SMP-5", "Oud sample", "Perfume & Oud", "oud", 5, 1, 20_000)  # AED 210 with VAT
        tenders = TenderDraft(cash_fils=21_000 - points * 5, points=points)  # 100 points pay AED 5
        return branch.services.purchases.record_sale(branch.actor, SaleDraft(customer, (line,), tenders))

    def redeemed(branch) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
        with branch.store.read_engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.exec_driver_sql(
                    "SELECT -points, offline_pending FROM loyalty_transactions WHERE kind = 'redeem' "
                    "ORDER BY created_at, id"
                )
            ]

    with chain(tmp_path, ("DXB1",), proxies=True) as (ho, _server, (a,)):
        grant(ho, a.store.branch_id, "points", cap=600, total=1_000)
        manager = actor_for(a.services, Role.MANAGER)
        reward = a.services.rewards.save(manager, RewardDraft("MINI-OUD", "Mini oud", "عود صغير", points_cost=200))
        customer = a.new_customer("Mariam", "+971501112233")
        oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 89_000)
        a.services.purchases.record_sale(a.actor, SaleDraft(customer, (oud,), TenderDraft(cash_fils=186_900)))
        a.sync()
        account = account_id_for(customer)

        pay_with_points(a, customer, 300)  # online: head office confirms it
        assert redeemed(a) == [(300, 0)]
        assert a.services.offline.pending_total("points") == 0

        a.go_offline()
        pay_with_points(a, customer, 400)
        a.services.rewards.claim(a.actor, customer, reward.id)  # 400 + 200 = the per-account cap of 600
        assert redeemed(a) == [(300, 0), (400, 1), (200, 1)]
        assert a.services.offline.pending_total("points", account) == 600
        orders = a.ledger("orders")
        with pytest.raises(ValidationError) as refused:
            pay_with_points(a, customer, 100)
        assert refused.value.field == "points" and "at most 0" in refused.value.english()
        with pytest.raises(ValidationError):
            a.services.rewards.claim(a.actor, customer, reward.id)
        assert a.ledger("orders") == orders and len(redeemed(a)) == 3, "a refusal writes nothing"

        a.go_online()
        a.sync()
        assert a.services.offline.pending_total("points") == 0, "accepted by head office"
        assert ho.balances("points")[account] == a.balance(DecreaseKind.POINTS, account) > 0
        assert not [e for e in ho.exceptions() if e.kind == "points"], "within the allowance: no overspend"
