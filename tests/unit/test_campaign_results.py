"""A campaign's results counted by hand: the funnel, last-touch attribution within the window, revenue net of
returns, cost and ROI, and the lift's interval against published figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.campaigns.model import CONTROL
from core.campaigns.results import (
    ALL,
    OtherTouch,
    Purchase,
    Rate,
    RedemptionFact,
    ResultFacts,
    Touch,
    newcombe,
    results,
    wilson,
)

T0 = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_wilson_interval_of_newcombes_example() -> None:
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", 81/263: 0.2553 to 0.3662.
    interval = wilson(81, 263)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.2553, 0.3662)


def test_newcombe_hybrid_score_interval_of_his_example() -> None:
    # Newcombe (1998), "Interval estimation for the difference between independent proportions", 56/70 − 48/80:
    # difference 0.2000, method 10 gives 0.0524 to 0.3339.
    difference, interval = newcombe(56, 70, 48, 80)
    assert difference == pytest.approx(0.2)
    assert (round(interval.low, 4), round(interval.high, 4)) == (0.0524, 0.3339)


def facts() -> ResultFacts:
    touches = [
        Touch("eA", "A", "A", "queued", T0, "sms", "delivered", 20),
        Touch("eB", "B", "A", "queued", T0, "whatsapp", "read", 15, clicked=True),
        Touch("eC", "C", "B", "queued", T0, "sms", "failed", 0),
        Touch("eD", "D", "B", "queued", T0, "sms", "sent", 20),
        Touch("eE", "E", "A", "refused", T0),
        Touch("eF", "F", CONTROL, CONTROL, T0),
        Touch("eG", "G", CONTROL, CONTROL, T0),
    ]
    purchases = [
        Purchase("o0", "A", day(-1), 99_000),  # before the touch: not the campaign's
        Purchase("o1", "A", day(3), 8_000),  # 100.00 sold, 20.00 returned
        Purchase("o2", "B", day(8), 50_000),  # after the 7-day window
        Purchase("o3", "C", day(2), 40_000),  # another campaign touched C on day 1: it takes this one
        Purchase("o4", "D", day(1), 9_000),  # with the offer code
        Purchase("o5", "F", day(2), 7_000),  # the control group buys too
        Purchase("o6", "A", day(5), 1_000),  # a second purchase: revenue, not a second conversion
    ]
    return ResultFacts(
        touches,
        purchases,
        others=[OtherTouch("C", day(1))],
        redemptions=[RedemptionFact("eD", 500, 0)],
        point_value_fils=25,
    )


def test_the_funnel_conversions_revenue_cost_and_roi_per_variant_and_channel() -> None:
    found = results("c", facts(), conversion_days=7, min_arm=1)
    total = found.row()
    assert total is not None
    assert (total.recipients, total.refused) == (4, 1)
    assert total.sent == Rate(3, 4) and total.delivered == Rate(2, 4) and total.read == Rate(1, 4)
    assert total.failed == Rate(1, 4) and total.clicked == Rate(1, 4)
    assert total.converted == Rate(2, 4) and total.redeemed == Rate(1, 4)
    assert total.revenue_fils == 8_000 + 1_000 + 9_000
    assert (total.message_cost_fils, total.offer_cost_fils) == (55, 500)
    assert total.roi == pytest.approx((18_000 - 555) / 555)
    a, b = found.row("A"), found.row("B")
    assert a is not None and b is not None
    assert (a.recipients, a.converted, a.revenue_fils) == (2, Rate(1, 2), 9_000)
    assert (b.recipients, b.converted, b.revenue_fils, b.offer_cost_fils) == (2, Rate(1, 2), 9_000, 500)
    assert [(r.variant, r.channel) for r in found.rows] == [
        (ALL, ALL),
        ("A", ALL),
        ("B", ALL),
        ("A", "sms"),
        ("A", "whatsapp"),
        ("B", "sms"),
    ]
    assert found.control == 2


def test_lift_is_intention_to_treat_against_the_control_group() -> None:
    found = results("c", facts(), conversion_days=7, min_arm=1)
    lift = found.lift()
    assert lift is not None and lift.difference is not None and lift.interval is not None
    # Assigned a variant: A, B, C, D, E (E refused), of whom A and D converted; control F of F and G.
    assert (lift.treated, lift.control) == (Rate(2, 5), Rate(1, 2))
    assert lift.difference == pytest.approx(0.4 - 0.5)
    difference, interval = newcombe(2, 5, 1, 2)
    assert lift.interval == interval and difference == lift.difference
    assert lift.interval.low < lift.difference < lift.interval.high


def test_not_enough_data_below_the_minimum_arm() -> None:
    found = results("c", facts(), conversion_days=7)  # 30 a side by default
    lift = found.lift()
    assert lift is not None and lift.difference is None and lift.interval is None
    assert lift.treated == Rate(2, 5)  # the counts are still there


def test_a_wider_window_takes_the_later_purchase() -> None:
    found = results("c", facts(), conversion_days=10, min_arm=1)
    total = found.row()
    assert total is not None and total.converted == Rate(3, 4)
    assert total.revenue_fils == 18_000 + 50_000


def test_no_recipients_gives_empty_rows_and_no_lift() -> None:
    found = results("c", ResultFacts(()), conversion_days=7)
    assert found.rows == ()
    lift = found.lift()
    assert lift is not None and lift.difference is None and lift.treated == Rate(0, 0)
    assert Rate(0, 0).share is None
