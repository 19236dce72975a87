"""A seeded, realistic purchase history for validating the customer models and measuring them at scale.

Not the models' own assumptions played back: customers join over the whole span; each buys at a rate of their
own (gamma-distributed, so a few buy monthly and most rarely), more in the last ten days of Ramadan and the ten
days before Eid al-Adha (gifting; dates from the Umm al-Qura calendar), and stops for good either after a
purchase (a coin of their own) or, independently, on a quiet date of its own (moved away, found another shop).
Spend per visit varies around a customer's own mean; 2 % are big spenders (ten times the mean); one visit in 30
is followed by a return of part of it. Each order has one to three lines, mostly of the customer's favourite
family and brand.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
from hijridate import Gregorian, Hijri

from core.analytics.frame import RETURN, SALE, OrdersFrame

DAY = 86_400
FAMILIES = ("oud", "floral", "oriental", "woody", "fresh", "musk", "citrus", "gourmand")
BRANDS = tuple(f"Brand {i:02d}" for i in range(40))


def _busy_days(start: int, end: int) -> list[tuple[int, int]]:
    """The gifting weeks around ``start``–``end`` (seconds): Ramadan's last ten days, the ten before Eid al-Adha."""
    first = Gregorian.fromdate(datetime.fromtimestamp(start, UTC).date()).to_hijri().year - 1
    last = Gregorian.fromdate(datetime.fromtimestamp(end, UTC).date()).to_hijri().year + 1
    spans = []
    for year in range(first, last + 1):
        eid_fitr = Hijri(year, 10, 1).to_gregorian()
        eid_adha = Hijri(year, 12, 10).to_gregorian()
        for day in (eid_fitr, eid_adha):
            at = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            spans.append((at - 10 * DAY, at))
    return spans


def history(
    customers: int,
    *,
    end: datetime,
    years: float = 3.0,
    seed: int = 7,
    mean_gap_days: float = 120.0,
    mean_spend_fils: int = 450_00,
    lines: bool = True,
) -> OrdersFrame:
    rng = np.random.default_rng(seed)
    end_s = int(end.timestamp())
    start_s = end_s - int(years * 365.25 * DAY)
    joined = rng.uniform(start_s, end_s, customers).astype(np.int64)
    # Purchase rate per day: gamma with shape 0.9 (heterogeneous), mean 1/mean_gap_days.
    rate = rng.gamma(0.9, 1.0 / (0.9 * mean_gap_days), customers)
    rate = np.minimum(rate, 1 / 5.0)
    drop = rng.beta(1.0, 6.0, customers)  # chance of never coming back after a purchase
    quit_at = joined + rng.exponential(2.5 * 365.25 * DAY, customers).astype(np.int64)
    own_mean = rng.gamma(4.0, mean_spend_fils / 4.0, customers)
    own_mean[rng.random(customers) < 0.02] *= 10
    busy = _busy_days(start_s, end_s)
    boost = 1.8

    # The first purchase is the day they join; after each purchase, a customer may stop for good.
    who_parts: list[npt.NDArray[np.int64]] = [np.arange(customers)]
    when_parts: list[npt.NDArray[np.int64]] = [joined]
    at = joined.astype(np.float64)
    active = np.flatnonzero(rng.random(customers) >= drop)
    while len(active):
        # Candidates at the busiest rate, kept with probability (this day's rate / busiest rate).
        t = at[active] + rng.exponential(1.0 / (rate[active] * boost)) * DAY
        alive = (t < end_s) & (t < quit_at[active])
        active, t = active[alive], t[alive]
        at[active] = t
        seconds = t.astype(np.int64)
        in_busy = np.zeros(len(t), bool)
        for lo, hi in busy:
            in_busy |= (seconds >= lo) & (seconds < hi)
        kept = in_busy | (rng.random(len(t)) < 1.0 / boost)
        who_parts.append(active[kept])
        when_parts.append(seconds[kept])
        stays = np.ones(len(active), bool)
        stays[kept] = rng.random(int(np.count_nonzero(kept))) >= drop[active[kept]]
        active = active[stays]

    who = np.concatenate(who_parts)
    when = np.concatenate(when_parts)
    # Shop hours: 10:00–22:00 Dubai.
    when = (when // DAY) * DAY + rng.integers(6 * 3600, 18 * 3600, len(when))
    keep = when < end_s
    who, when = who[keep], when[keep]
    spend = np.maximum(rng.gamma(6.0, own_mean[who] / 6.0), 10_00).astype(np.int64)
    kind = np.full(len(who), SALE, np.int8)
    returned = rng.random(len(who)) < 1 / 30
    ret_who, ret_when = (
        who[returned],
        np.minimum(when[returned] + rng.integers(DAY, 14 * DAY, int(returned.sum())), end_s - 1),
    )
    ret_net = -(spend[returned] * rng.uniform(0.2, 1.0, int(returned.sum()))).astype(np.int64)
    who = np.concatenate([who, ret_who])
    when = np.concatenate([when, ret_when])
    net = np.concatenate([spend, ret_net])
    kind = np.concatenate([kind, np.full(len(ret_who), RETURN, np.int8)])
    order = np.argsort(when, kind="stable")
    who, when, net, kind = who[order], when[order], net[order], kind[order]
    n_orders = len(who)
    frame = OrdersFrame(
        customer_ids=[f"c{i}" for i in range(customers)],
        customer_created_at=joined,
        branch_ids=["b0", "b1", "b2"],
        order_ids=[""] * n_orders,
        order_customer=who.astype(np.int32),
        order_branch=rng.integers(0, 3, n_orders).astype(np.int32),
        order_at=when,
        order_net_fils=net,
        order_kind=kind,
    )
    if lines:
        favourite_family = rng.zipf(1.6, customers) % len(FAMILIES)
        favourite_brand = rng.zipf(1.3, customers) % len(BRANDS)
        per_order = rng.integers(1, 4, n_orders)
        line_order = np.repeat(np.arange(n_orders), per_order).astype(np.int32)
        owner = who[line_order]
        usual = rng.random(len(line_order)) < 0.7
        frame.line_order = line_order
        frame.line_family = np.where(
            usual, favourite_family[owner], rng.integers(0, len(FAMILIES), len(line_order))
        ).astype(np.int32)
        frame.line_brand = np.where(
            usual, favourite_brand[owner], rng.integers(0, len(BRANDS), len(line_order))
        ).astype(np.int32)
        frame.line_net_fils = (net[line_order] // per_order[line_order]).astype(np.int64)
        frame.families = list(FAMILIES)
        frame.brands = list(BRANDS)
    return frame
