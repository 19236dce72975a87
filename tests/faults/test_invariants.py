"""The money-sense checks of tests/faults/invariants.py on ledgers written by hand: each finds what it is
for, names the offending id, passes a ledger that keeps the rule, and accepts head office's exception where
the rule says an exception is the answer. A check the scenario relies on must be able to fail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.loyalty.rules import ProgramRules
from sync.protocol import ExceptionRecord
from tests.faults.invariants import (
    bonus_paid_for_every_tier_reached,
    one_bonus_per_tier,
    one_expiry_per_card,
    refunds_within_redemptions,
    report,
    returns_within_sales,
)

RULES = ProgramRules()


def card_event(event_id: str, kind: str, amount: int, card: str = "card-1") -> dict[str, Any]:
    return {"id": event_id, "card_id": card, "kind": kind, "amount_fils": amount}


def exception_on(event_id: str, subject: str) -> ExceptionRecord:
    return ExceptionRecord(
        id=1,
        kind="gift_card",
        subject_id=subject,
        branch_id="b",
        event_id=event_id,
        amount=1,
        balance_after=0,
        detected_at=datetime(2026, 12, 3, tzinfo=UTC),
    )


def test_a_card_refunded_at_two_branches_beyond_its_redemptions_is_found() -> None:
    events = [
        card_event("i", "issue", 50_000),
        card_event("r", "redeem", -20_000),
        card_event("f1", "refund", 20_000),
        card_event("f2", "refund", 20_000),
    ]
    found = refunds_within_redemptions(events, [])
    assert [(v.invariant, v.subject) for v in found] == [("refunds exceed redemptions", "card-1")]
    assert "redeemed 20000 fils, refunded 40000 fils in 2 refunds" in found[0].detail
    assert refunds_within_redemptions(events[:3], []) == [], "one refund of what was taken is fine"
    assert refunds_within_redemptions(events, [exception_on("f2", "card-1")]) == [], "head office flagged it"
    unrelated = exception_on("r", "card-1")  # an overspend on the redemption is not the refund's exception
    assert refunds_within_redemptions(events, [unrelated]) != []


def sale_and_returns(second_quantity: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    orders = [
        {"id": "s", "kind": "sale", "original_order_id": None, "total_fils": 2_100},
        {"id": "r1", "kind": "return", "original_order_id": "s", "total_fils": -1_050},
        {"id": "r2", "kind": "return", "original_order_id": "s", "total_fils": -1_050 * second_quantity},
    ]
    lines = [
        {"id": "l", "order_id": "s", "sku": "OUD", "unit_price_fils": 1_000, "quantity": 2},
        {"id": "l1", "order_id": "r1", "sku": "OUD", "unit_price_fils": 1_000, "quantity": -1},
        {"id": "l2", "order_id": "r2", "sku": "OUD", "unit_price_fils": 1_000, "quantity": -second_quantity},
    ]
    return orders, lines


def test_a_receipt_returned_in_full_at_two_branches_is_found() -> None:
    orders, lines = sale_and_returns(second_quantity=2)
    found = returns_within_sales(orders, lines, [])
    assert [(v.invariant, v.subject) for v in found] == [("returns exceed the sale", "s")]
    assert "OUD@1000 sold 2 returned 3" in found[0].detail and "given back 3150 fils" in found[0].detail
    assert returns_within_sales(*sale_and_returns(second_quantity=1), []) == [], "two halves make the whole"
    assert returns_within_sales(orders, lines, [exception_on("l2", "s")]) == [], "head office flagged it"
    assert returns_within_sales(orders, lines, [exception_on("x", "s")]) == [], "an exception on the receipt"


def bonus(event_id: str, points: int, tier: str = "silver", account: str = "acc") -> dict[str, Any]:
    return {"id": event_id, "account_id": account, "kind": "bonus", "points": points, "reason": f"tier:{tier}"}


def test_an_upgrade_bonus_paid_at_two_branches_is_found_and_one_never_paid_too() -> None:
    twice = [bonus("b1", 100), bonus("b2", 100)]
    found = one_bonus_per_tier(twice, RULES)
    assert [(v.invariant, v.subject) for v in found] == [("upgrade bonus paid more than once", "acc")]
    assert one_bonus_per_tier(twice[:1], RULES) == []
    taken_back_and_paid_again = [bonus("b1", 100), bonus("t", -100), bonus("b2", 100)]
    assert one_bonus_per_tier(taken_back_and_paid_again, RULES) == []
    assert bonus_paid_for_every_tier_reached(twice[:1], {"acc": 1_200}, RULES) == []
    missing = bonus_paid_for_every_tier_reached(twice[:1], {"acc": 5_000}, RULES)
    assert [(v.invariant, v.subject, v.detail) for v in missing] == [
        ("upgrade bonus never paid", "acc", "gold: 5000 qualifying points")
    ]


def test_a_card_expired_at_two_branches_is_found() -> None:
    events = [
        card_event("i", "issue", 30_000),
        card_event("e1", "expire", -30_000),
        card_event("e2", "expire", -30_000),
    ]
    found = one_expiry_per_card(events)
    assert [(v.invariant, v.subject) for v in found] == [("card expired more than once", "card-1")]
    assert one_expiry_per_card(events[:2]) == []
    text = report(found)
    assert text.startswith("1 invariant(s) broken:") and "card-1 2 expiries: [-30000, -30000] fils" in text
