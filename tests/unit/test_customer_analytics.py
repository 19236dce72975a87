"""Every customer's analytics from a purchase history: the figures, the "not enough data" answers, RFM, the next
likely family or brand, and the held-back validation that decides whether the figures may be called a prediction.
Times come from the test clock's instants (a leap day, month ends), never from the real date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from core.analytics import synthetic
from core.analytics.customers import (
    DeclaredPreferences,
    ErrorFigures,
    ModelStatus,
    Reason,
    Validation,
    compute_customer_analytics,
    months_before,
)
from core.analytics.figures import CustomerFigures
from core.analytics.frame import RETURN, SALE, OrdersFrame
from core.analytics.next_purchase import Why
from core.analytics.rfm import SEGMENTS, Segment, quintile_scores, segment_codes
from tests.clock import DEFAULT, INSTANTS

Order = tuple[int, datetime, int, int]  # customer, when, net fils, kind


def frame_of(customers: int, orders: list[Order], lines: list[tuple[int, str, str]] | None = None) -> OrdersFrame:
    """A frame by hand; ``lines``: (order index, family, brand)."""
    families: dict[str, int] = {}
    brands: dict[str, int] = {}
    line_rows = lines or []
    return OrdersFrame(
        customer_ids=[f"c{i}" for i in range(customers)],
        customer_created_at=np.zeros(customers, np.int64),
        branch_ids=["b"],
        order_ids=[f"o{i}" for i in range(len(orders))],
        order_customer=np.array([o[0] for o in orders], np.int32),
        order_branch=np.zeros(len(orders), np.int32),
        order_at=np.array([int(o[1].timestamp()) for o in orders], np.int64),
        order_net_fils=np.array([o[2] for o in orders], np.int64),
        order_kind=np.array([o[3] for o in orders], np.int8),
        line_order=np.array([r[0] for r in line_rows], np.int32),
        line_family=np.array([families.setdefault(r[1], len(families)) for r in line_rows], np.int32),
        line_brand=np.array([brands.setdefault(r[2], len(brands)) for r in line_rows], np.int32),
        line_net_fils=np.zeros(len(line_rows), np.int64),
        families=list(families),
        brands=list(brands),
    )


def with_customers(frame: OrdersFrame, extra: int, orders: list[Order]) -> OrdersFrame:
    """``frame`` and ``extra`` more customers (numbered after its own) with their ``orders``."""
    base = frame.customers
    return OrdersFrame(
        customer_ids=frame.customer_ids + [f"x{i}" for i in range(extra)],
        customer_created_at=np.concatenate([frame.customer_created_at, np.zeros(extra, np.int64)]),
        branch_ids=frame.branch_ids,
        order_ids=frame.order_ids + [""] * len(orders),
        order_customer=np.concatenate([frame.order_customer, np.array([base + o[0] for o in orders], np.int32)]),
        order_branch=np.concatenate([frame.order_branch, np.zeros(len(orders), np.int32)]),
        order_at=np.concatenate([frame.order_at, np.array([int(o[1].timestamp()) for o in orders], np.int64)]),
        order_net_fils=np.concatenate([frame.order_net_fils, np.array([o[2] for o in orders], np.int64)]),
        order_kind=np.concatenate([frame.order_kind, np.array([o[3] for o in orders], np.int8)]),
    )


@pytest.fixture(scope="module")
def population() -> OrdersFrame:
    return synthetic.history(3000, end=DEFAULT, years=2.0, seed=11, lines=False)


def test_a_store_with_no_orders_has_no_figures_and_says_why() -> None:
    for customers in (0, 3):
        result = compute_customer_analytics(frame_of(customers, []), DEFAULT)
        assert result.status is ModelStatus.NONE
        assert result.store_reason is Reason.SHORT_HISTORY
        assert result.validation is None
        assert list(result.reason) == [Reason.NO_PURCHASES] * customers
        assert np.isnan(result.p_alive).all() and np.isnan(result.lifetime_value_fils).all()
        assert (result.segment == -1).all() and (result.next_family.code == -1).all()


def test_a_week_of_history_is_not_enough() -> None:
    frame = synthetic.history(500, end=DEFAULT, years=7 / 365.25, seed=3, lines=False)
    assert frame.orders > 0
    result = compute_customer_analytics(frame, DEFAULT)
    assert result.store_reason is Reason.SHORT_HISTORY and result.status is ModelStatus.NONE
    assert np.isnan(result.p_alive).all() and np.isnan(result.expected_purchases).all()
    # What the history does say is still said: purchases, spend, RFM.
    assert result.purchases.sum() > 0 and (result.segment >= 0).any()


def test_too_few_returning_customers() -> None:
    orders = [(c, DEFAULT - timedelta(days=300 - 40 * k), 100_00, SALE) for c in range(5) for k in range(4)]
    result = compute_customer_analytics(frame_of(5, orders), DEFAULT)
    assert result.store_reason is Reason.FEW_CUSTOMERS and result.status is ModelStatus.NONE
    assert np.isnan(result.p_alive).all()
    assert list(result.purchases) == [4] * 5
    assert result.mean_gap_days[0] == pytest.approx(40.0)


def test_a_fit_that_does_not_converge_gives_no_figures() -> None:
    # Thirty customers buying every ten days right up to now: nobody ever leaves, the dropout runs to zero.
    orders = [(c, DEFAULT - timedelta(days=10 * k, hours=c % 5), 50_00, SALE) for c in range(30) for k in range(36)]
    result = compute_customer_analytics(frame_of(30, orders), DEFAULT)
    assert result.store_reason is Reason.NOT_CONVERGED and result.model is None
    assert (result.reason == Reason.NOT_CONVERGED).all() and np.isnan(result.lifetime_value_fils).all()


def test_customers_with_one_purchase_none_or_only_returns(population: OrdersFrame) -> None:
    now = DEFAULT
    frame = with_customers(
        population,
        4,
        [
            (0, now - timedelta(days=40), 300_00, SALE),  # one purchase
            (1, now - timedelta(days=20), -150_00, RETURN),  # returns only
            (3, now - timedelta(days=90), 200_00, SALE),  # two purchases the same Dubai day: one visit
            (3, now - timedelta(days=90, hours=-3), 100_00, SALE),
        ],
    )
    result = compute_customer_analytics(frame, now, validation=False)
    assert result.store_reason is Reason.OK and result.status is ModelStatus.UNVALIDATED
    one, returns, nothing, same_day = range(population.customers, population.customers + 4)
    assert result.reason[one] == Reason.ONE_PURCHASE
    assert result.reason[returns] == Reason.RETURNS_ONLY
    assert result.reason[nothing] == Reason.NO_PURCHASES
    assert result.reason[same_day] == Reason.ONE_PURCHASE and result.orders[same_day] == 2
    for i in (one, returns, nothing, same_day):
        assert np.isnan(result.p_alive[i]) and np.isnan(result.expected_purchases[i])
        assert np.isnan(result.lifetime_value_fils[i])
    assert result.segment[returns] == -1 and result.segment[nothing] == -1
    assert result.net_fils[returns] == -150_00 and result.average_order_fils[returns] == 0
    assert result.net_fils[same_day] == 300_00 and result.average_order_fils[same_day] == 150_00
    modelled = result.reason == Reason.OK
    assert modelled.sum() > 500
    assert ((result.p_alive[modelled] > 0) & (result.p_alive[modelled] <= 1)).all()
    assert (result.expected_purchases[modelled] >= 0).all() and (result.lifetime_value_fils[modelled] >= 0).all()


@pytest.mark.parametrize("name", sorted(INSTANTS))
def test_the_model_is_a_prediction_only_after_beating_the_baseline_on_held_back_months(name: str) -> None:
    now = INSTANTS[name]
    frame = synthetic.history(3000, end=now, years=2.0, seed=5, lines=False)
    result = compute_customer_analytics(frame, now)
    checked = result.validation
    assert checked is not None
    assert checked.cutoff == months_before(now, 6)
    assert checked.purchases.mae < checked.purchases_baseline.mae
    assert checked.spend_fils.mae < checked.spend_baseline_fils.mae
    assert abs(checked.purchases.aggregate) < 0.35
    assert result.status is ModelStatus.PREDICTION


def test_figures_that_do_not_beat_the_baseline_are_an_estimate() -> None:
    good, bad = ErrorFigures(1.0, 1.0, 0.0), ErrorFigures(2.0, 2.0, 0.0)
    cutoff = DEFAULT
    assert Validation(cutoff, 183, 10, good, bad, good, bad).beats_baseline
    assert not Validation(cutoff, 183, 10, bad, good, good, bad).beats_baseline
    assert not Validation(cutoff, 183, 10, good, bad, bad, good).beats_baseline


def test_too_short_a_history_to_hold_months_back_is_unvalidated() -> None:
    now = INSTANTS["leap_day"]
    frame = synthetic.history(3000, end=now, years=0.5, seed=5, lines=False)
    result = compute_customer_analytics(frame, now)
    assert result.model is not None and result.validation is None
    assert result.status is ModelStatus.UNVALIDATED


@pytest.mark.parametrize(
    ("at", "months", "expected"),
    [
        (datetime(2026, 8, 31, 8, 0, tzinfo=UTC), 6, datetime(2026, 2, 28, 8, 0, tzinfo=UTC)),
        (datetime(2028, 8, 31, 8, 0, tzinfo=UTC), 6, datetime(2028, 2, 29, 8, 0, tzinfo=UTC)),
        (INSTANTS["leap_day"], 12, datetime(2027, 2, 28, 8, 0, tzinfo=UTC)),
        (INSTANTS["month_end"], 6, datetime(2026, 7, 31, 12, 0, tzinfo=UTC)),
        # 23:59 on 31 December in Dubai: six months before is 30 June in Dubai, whatever the UTC date says.
        (INSTANTS["new_years_eve_dubai"], 6, datetime(2026, 6, 30, 19, 59, tzinfo=UTC)),
    ],
)
def test_months_before_keeps_to_the_calendar(at: datetime, months: int, expected: datetime) -> None:
    assert months_before(at, months) == expected


def test_rfm_quintiles_and_segments() -> None:
    assert list(quintile_scores(np.array([10.0, 20, 30, 40, 50]))) == [1, 2, 3, 4, 5]
    assert list(quintile_scores(np.array([10.0, 20, 30, 40, 50]), higher_is_better=False)) == [5, 4, 3, 2, 1]
    # Ties share the lowest score of their group: five of ten bought once, and all are F1.
    assert list(quintile_scores(np.array([1.0] * 5 + [2, 3, 4, 5, 6]))) == [1] * 5 + [3, 4, 4, 5, 5]

    def seg(r: int, f: int, m: int) -> Segment:
        code = segment_codes(np.array([r], np.int8), np.array([f], np.int8), np.array([m], np.int8))[0]
        return SEGMENTS[code]

    assert seg(5, 5, 5) is Segment.CHAMPIONS
    assert seg(5, 1, 1) is Segment.NEW
    assert seg(4, 1, 1) is Segment.PROMISING
    assert seg(1, 5, 4) is Segment.CANT_LOSE
    assert seg(2, 3, 3) is Segment.AT_RISK
    assert seg(1, 1, 2) is Segment.LOST
    assert seg(3, 2, 1) is Segment.NEED_ATTENTION
    assert {seg(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)} == set(Segment)


def test_rfm_of_customers_by_hand() -> None:
    now = DEFAULT
    orders = [
        (0, now - timedelta(days=2), 900_00, SALE),  # recent, often, much
        (0, now - timedelta(days=30), 900_00, SALE),
        (0, now - timedelta(days=60), 900_00, SALE),
        (1, now - timedelta(days=400), 50_00, SALE),  # long ago, once, little
    ]
    result = compute_customer_analytics(frame_of(3, orders), now)
    assert list(result.rfm[0]) == [5, 5, 5] and SEGMENTS[result.segment[0]] is Segment.CHAMPIONS
    # Of two buyers, the lower is rank 1 of 2: ceil(5 · 1 / 2) = 3 on each score.
    assert list(result.rfm[1]) == [3, 3, 3] and SEGMENTS[result.segment[1]] is Segment.NEED_ATTENTION
    assert list(result.rfm[2]) == [0, 0, 0] and result.segment[2] == -1


def test_next_likely_family_and_brand() -> None:
    now = DEFAULT
    orders = [
        (0, now - timedelta(days=720), 100_00, SALE),  # oud twice, two years ago
        (0, now - timedelta(days=700), 100_00, SALE),
        (0, now - timedelta(days=10), 100_00, SALE),  # floral once, ten days ago
        (1, now - timedelta(days=5), 100_00, SALE),  # woody, and declared woody
        (1, now - timedelta(days=3), -100_00, RETURN),  # a return of oud is no wish for oud
    ]
    lines = [(0, "oud", "A"), (1, "oud", "A"), (2, "floral", "B"), (3, "woody", "C"), (4, "oud", "A")]
    declared = DeclaredPreferences(
        family_customer=np.array([1, 2], np.int32),
        families=("woody", "musk"),  # customer 2 declared musk and bought nothing
        brand_customer=np.array([2], np.int32),
        brands=("Z",),
    )
    result = compute_customer_analytics(frame_of(4, orders, lines), now, declared=declared)
    family = [result.families[c] if c >= 0 else None for c in result.next_family.code]
    brand = [result.brands[c] if c >= 0 else None for c in result.next_brand.code]
    assert family == ["floral", "woody", "musk", None]
    assert brand == ["B", "C", "Z", None]
    assert list(result.next_family.why) == [Why.HISTORY, Why.BOTH, Why.DECLARED, Why.NONE]


def test_compute_labels_figures_from_the_validation_kept_with_the_fit(
    population: OrdersFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.analytics import customers

    good, bad = ErrorFigures(1.0, 1.0, 0.0), ErrorFigures(2.0, 2.0, 0.0)
    lost = Validation(months_before(DEFAULT, 6), 183, 100, bad, good, bad, good)
    monkeypatch.setattr(customers, "validate", lambda *_args, **_kw: lost)
    result = compute_customer_analytics(population, DEFAULT)
    assert result.validation is lost and result.status is ModelStatus.ESTIMATE
    assert np.isfinite(result.p_alive).any()  # still shown, as an estimate


def per_customer_basics(frame: OrdersFrame, now: int) -> CustomerFigures:
    """Orders, lifetime spend net of returns, average sale and last purchase of every customer, counted directly
    from the orders: what the chart shows where there is no model."""
    known = frame.order_customer >= 0
    who = frame.order_customer[known]
    sale = frame.order_kind[known] == SALE
    net = frame.order_net_fils[known]
    n = frame.customers
    count = np.bincount(who[sale], minlength=n).astype(np.int64)
    lifetime = np.bincount(who, weights=net, minlength=n).astype(np.int64)
    sales = np.bincount(who[sale], weights=net[sale], minlength=n).astype(np.int64)
    last = np.zeros(n, np.int64)
    np.maximum.at(last, who[sale], frame.order_at[known][sale])
    average = np.where(count > 0, sales // np.maximum(count, 1), 0)
    return CustomerFigures(count, lifetime, average, last)


def test_the_dashboards_chart_the_models_lifetime_value_and_the_spend_where_there_is_no_model() -> None:
    from core.analytics.figures import PER_CUSTOMER

    frame = synthetic.history(3000, end=DEFAULT, years=2.0, seed=11, lines=False)
    now = int(DEFAULT.timestamp())
    result = compute_customer_analytics(frame, DEFAULT, validation=False)
    charted, spend = PER_CUSTOMER(frame, now), per_customer_basics(frame, now)
    modelled = np.isfinite(result.lifetime_value_fils)
    assert 0 < modelled.sum() < frame.customers
    assert (charted.lifetime_fils[modelled] == np.rint(result.lifetime_value_fils[modelled])).all()
    assert (charted.lifetime_fils[~modelled] == spend.lifetime_fils[~modelled]).all()
    assert (charted.lifetime_fils[modelled] != spend.lifetime_fils[modelled]).any()
    assert (charted.orders_count == spend.orders_count).all()
    assert (charted.last_purchase_at == spend.last_purchase_at).all()
