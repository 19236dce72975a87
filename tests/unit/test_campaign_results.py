"""A campaign's results counted by hand: the funnel, last-touch attribution within the window, revenue net of
returns, cost and ROI, and the lift's interval against published figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.campaigns.model import CONTROL
from core.campaigns.results import (
    ALL,
    LEADING,
    NOT_ENOUGH_DATA,
    SINGLE,
    TIE,
    OtherTouch,
    Purchase,
    Rate,
    RedemptionFact,
    ResultFacts,
    Touch,
    compare,
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


# -- the A/B comparison on the chosen metric --------------------------------------------------------------------


def ab_facts() -> ResultFacts:
    """Variant A: 70 recipients, 56 read, 10 clicked, 2 bought 100.00 each; variant B: 80 recipients, 48 read, 9
    clicked, 1 bought 300.00 (Newcombe's 56/70 against 48/80 on the read rate)."""
    touches = []
    purchases = []
    for variant, n, read, clicked, buyers, amount in (("A", 70, 56, 10, 2, 10_000), ("B", 80, 48, 9, 1, 30_000)):
        for i in range(n):
            customer = f"{variant}{i}"
            status = "read" if i < read else "delivered"
            touches.append(Touch(f"e{customer}", customer, variant, "queued", T0, "sms", status, clicked=i < clicked))
            if i < buyers:
                purchases.append(Purchase(f"o{customer}", customer, day(2), amount))
    touches.append(Touch("eR", "R", "B", "refused", T0))  # refused: assigned, but no recipient
    return ResultFacts(touches, purchases)


def test_the_read_rate_leader_is_significant_by_newcombes_interval() -> None:
    found = results("c", ab_facts(), conversion_days=7, metric="read")
    # 56/70 = 80 % against 48/80 = 60 %: difference 0.2000, interval 0.0524 to 0.3339 (Newcombe 1998), above 0.
    assert (found.metric, found.comparison, found.leader, found.significant) == ("read", LEADING, "A", True)


def test_a_small_lead_in_clicks_is_not_yet_significant() -> None:
    found = results("c", ab_facts(), conversion_days=7, metric="clicked")
    # 10/70 = 14.3 % against 9/80 = 11.25 %: A leads, but the interval of the difference holds 0.
    _difference, interval = newcombe(10, 70, 9, 80)
    assert interval.low < 0 < interval.high
    assert (found.comparison, found.leader, found.significant) == (LEADING, "A", False)


def test_the_leader_depends_on_the_chosen_metric() -> None:
    converted = results("c", ab_facts(), conversion_days=7)  # converted by default
    assert (converted.metric, converted.leader) == ("converted", "A")  # 2/70 = 2.9 % against 1/80 = 1.25 %
    revenue = results("c", ab_facts(), conversion_days=7, metric="revenue")
    # 20_000 fils / 70 = 285.7 fils a recipient against 30_000 / 80 = 375: B leads, with no significance claimed.
    assert (revenue.comparison, revenue.leader, revenue.significant) == (LEADING, "B", None)


def test_no_leader_with_one_variant_too_few_recipients_or_a_tie() -> None:
    small = results("c", facts(), conversion_days=7, metric="read")  # 2 recipients a variant, 30 needed
    assert (small.comparison, small.leader, small.significant) == (NOT_ENOUGH_DATA, None, None)
    only_a = ResultFacts([t for t in ab_facts().touches if t.variant == "A"])
    single = results("c", only_a, conversion_days=7, metric="read")
    assert (single.comparison, single.leader) == (SINGLE, None)
    row_a = results("c", ab_facts(), conversion_days=7).row("A")
    assert row_a is not None
    tied = replace(row_a, variant="B", read=Rate(40, 50), recipients=50)  # 40/50 = 56/70 = 80 %
    assert compare([row_a, tied], "read") == (TIE, None, None)
    assert compare([row_a, replace(tied, recipients=29, read=Rate(23, 29))], "read") == (NOT_ENOUGH_DATA, None, None)
