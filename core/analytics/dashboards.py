"""The business dashboards' figures, computed over the chain's history (core.analytics.frame) with numpy.

Six dashboards: sales and seasonality, customers, loyalty, gift cards, personal shoppers, and campaigns with
feedback. Each is a plain JSON-able dict, so it is stored as it is computed (core.analytics.figures) and a
dashboard opens from one stored row:

    {"dashboard": "sales", "orders": 1234, "since": 1767225600, "until": 1798761600,
     "totals": {"net_fils": ...}, "tables": {"month": {"columns": [...], "rows": [[...], ...]}}}

Every percentage is stored as its two counts, ``[part, whole]``, never as a ratio: the page shows the
percentage with the count behind it, and a whole of 0 is "—", never NaN. Money is integer fils; an average is
an integer number of fils, or None where there is nothing to average.

Filters: a period (the last 30 days, 90 days, 12 months, or everything), a branch (the orders of that branch;
for customer counts, the customers registered there) and a segment (the customers of that segment and their
orders). A window ends at the moment of the recompute; months, weekdays and hours are Asia/Dubai (UTC+4 all
year, no DST), so a sale at 23:30 in Dubai on 31 December is December's, at hour 23.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from core.analytics.frame import (
    EXECUTION_OUTCOMES,
    GIFT_CARD_KINDS,
    LOYALTY_KINDS,
    SALE,
    Facts,
    OrdersFrame,
)
from core.analytics.seasons import DUBAI_OFFSET, SEASONS, dubai_days, seasons_between
from core.campaigns.results import MIN_ARM, newcombe
from core.feedback.nps import NpsCounts, nps
from core.loyalty.rules import TIER_ORDER, ProgramRules

DASHBOARDS = ("sales", "customers", "loyalty", "giftcards", "shoppers", "engagement")
PERIODS: dict[str, int | None] = {"30d": 30, "90d": 90, "12m": 365, "all": None}  # days back from now
DAY = 86400
CHURN_DAYS = 365  # a customer with no sale for a year has churned, in the month the year ran out
CONVERSION_DAYS = 30  # a campaign touch converts with a sale within this many days (core.campaigns.results)
CLV_EDGES_FILS = (0, 10_000, 50_000, 100_000, 500_000, 1_000_000)  # AED 0, 100, 500, 1,000, 5,000, 10,000
FIRST_USE_EDGES_DAYS = (1, 8, 31, 91, 366)  # same day, a week, a month, a quarter, a year, later
AGEING_EDGES_DAYS = (91, 181, 366)  # 0–90, 91–180, 181–365, over a year
VIP_SEGMENT = "vip"

Table = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """One filter combination: the period's window [since, until) in Unix seconds, and a branch and a segment
    (an index into the frame's branches / the facts' segments; -1 for all)."""

    period: str
    since: int
    until: int
    branch: int = -1
    segment: int = -1


def rate(part: int, whole: int) -> list[int]:
    return [int(part), int(whole)]


def average(total: int, count: int) -> int | None:
    return int(total) // int(count) if count else None


def _table(columns: Sequence[str], rows: list[list[Any]]) -> Table:
    return {"columns": list(columns), "rows": rows}


def _month_key(month: int) -> str:
    """A month number (months since 1970-01) as "YYYY-MM"."""
    return f"{1970 + month // 12:04d}-{month % 12 + 1:02d}"


def _months(at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Unix seconds → months since 1970-01 in Asia/Dubai."""
    days = dubai_days(at).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype(np.int64)


def _ints(values: npt.NDArray[Any]) -> list[int]:
    return [int(v) for v in values]


class Prepared:
    """What every scope reuses, computed once per recompute: per order its Dubai day, month, weekday and hour,
    and its customer's segment; per customer the first and last sale and lifetime spend (the per-customer
    step's figures when it gave them)."""

    def __init__(self, frame: OrdersFrame, now: int, rules: ProgramRules | None = None) -> None:
        self.frame = frame
        self.facts: Facts = frame.facts
        self.now = now
        self.rules = rules or ProgramRules()
        at = frame.order_at
        self.day = dubai_days(at)
        self.month = _months(at)
        local = at + DUBAI_OFFSET
        self.hour = (local // 3600) % 24
        self.weekday = (self.day + 3) % 7  # 1970-01-01 was a Thursday; 0 is Monday
        segment = self.facts.customer_segment
        who = frame.order_customer
        self.order_segment = np.where(who >= 0, segment[np.maximum(who, 0)] if segment.size else -1, -1)
        self.is_sale = frame.order_kind == SALE
        # The sales ordered by (month, customer), once: a scope counts its active customers per month by
        # comparing neighbours in this order, with no sort of its own.
        sold = self.is_sale & (who >= 0)
        key = np.where(sold, self.month * np.int64(frame.customers + 1) + who, -1)
        self.by_month_customer = np.argsort(key, kind="stable")
        self.month_customer_key = key[self.by_month_customer]
        self.customer_lifetime: npt.NDArray[np.int64] = self._lifetime()

    def _lifetime(self) -> npt.NDArray[np.int64]:
        frame = self.frame
        known = frame.order_customer >= 0
        return np.bincount(
            frame.order_customer[known], weights=frame.order_net_fils[known], minlength=frame.customers
        ).astype(np.int64)

    def scopes(self, branches: bool = True, segments: bool = True) -> list[Scope]:
        """The filter combinations stored: each period × (the chain, each branch, each segment of the chain).

        A branch and a segment together are not stored: with four branches and five segments that is 120
        scopes instead of 40, and the full recompute over five million orders went from within to past five
        minutes (benchmarks/README.md); the page offers a segment for the whole chain only."""
        first = int(self.frame.order_at.min()) if self.frame.orders else self.now
        out = []
        for period, days in PERIODS.items():
            since = self.now - days * DAY if days is not None else min(first, self.now)
            out.append(Scope(period, since, self.now + 1))
            for branch in range(len(self.frame.branch_ids)) if branches else []:
                out.append(Scope(period, since, self.now + 1, branch, -1))
            for segment in range(len(self.facts.segments)) if segments else []:
                out.append(Scope(period, since, self.now + 1, -1, segment))
        return out


def compute(prepared: Prepared, scope: Scope) -> dict[str, dict[str, Any]]:
    """Every dashboard's figures for one scope."""
    orders = _order_mask(prepared, scope)
    customers = _customer_mask(prepared, scope)
    head = {
        "since": scope.since,
        "until": scope.until,
        "orders": int(orders.sum()),
        "customers": int(customers.sum()),
    }
    out = {
        "sales": sales(prepared, scope, orders),
        "customers": customer_figures(prepared, scope, orders, customers),
        "loyalty": loyalty(prepared, scope, customers),
        "giftcards": gift_cards(prepared, scope),
        "shoppers": shoppers(prepared, scope, orders, customers),
        "engagement": engagement(prepared, scope, orders, customers),
    }
    for name, figures in out.items():
        figures.update(head, dashboard=name)
    return out


def _order_mask(p: Prepared, scope: Scope) -> npt.NDArray[np.bool_]:
    frame = p.frame
    mask = (frame.order_at >= scope.since) & (frame.order_at < scope.until)
    if scope.branch >= 0:
        mask &= frame.order_branch == scope.branch
    if scope.segment >= 0:
        mask &= p.order_segment == scope.segment
    return mask


def _customer_mask(p: Prepared, scope: Scope, *, by_branch: bool = True) -> npt.NDArray[np.bool_]:
    mask = np.ones(p.frame.customers, np.bool_)
    if scope.branch >= 0 and by_branch:
        mask &= p.facts.customer_branch == scope.branch
    if scope.segment >= 0:
        mask &= p.facts.customer_segment == scope.segment
    return mask


# -- sales and seasonality


def sales(p: Prepared, scope: Scope, orders: npt.NDArray[np.bool_]) -> dict[str, Any]:
    frame = p.frame
    net = frame.order_net_fils[orders]
    sale = p.is_sale[orders]
    month = p.month[orders]
    tables: dict[str, Table] = {}
    if net.size:
        first, last = int(month.min()), int(month.max())
        span = last - first + 1
        index = month - first
        count = np.bincount(index[sale], minlength=span)
        gross = np.bincount(index[sale], weights=net[sale], minlength=span)
        back = np.bincount(index[~sale], weights=net[~sale], minlength=span)
        tables["month"] = _table(
            ("month", "orders", "sales_fils", "returns_fils", "net_fils", "average_order_fils"),
            [
                [
                    _month_key(first + i),
                    int(count[i]),
                    int(gross[i]),
                    int(-back[i]),
                    int(gross[i] + back[i]),
                    average(int(gross[i]), int(count[i])),
                ]
                for i in range(span)
            ],
        )
    else:
        tables["month"] = _table(("month",), [])
    tables["season"] = _seasons(p, scope, orders)
    hours = p.weekday[orders] * 24 + p.hour[orders]
    per_hour = np.bincount(hours[sale], minlength=7 * 24)
    fils_per_hour = np.bincount(hours[sale], weights=net[sale], minlength=7 * 24)
    tables["weekday_hour"] = _table(
        ("weekday", "hour", "orders", "sales_fils"),
        [[h // 24, h % 24, int(per_hour[h]), int(fils_per_hour[h])] for h in range(7 * 24) if per_hour[h]],
    )
    return {
        "totals": {
            "orders": int(sale.sum()),
            "returns": int((~sale).sum()),
            "sales_fils": int(net[sale].sum()),
            "returns_fils": int(-net[~sale].sum()),
            "net_fils": int(net.sum()),
            "average_order_fils": average(int(net[sale].sum()), int(sale.sum())),
        },
        "tables": tables,
    }


def _seasons(p: Prepared, scope: Scope, orders: npt.NDArray[np.bool_]) -> Table:
    """Sales per day in each season against ordinary days, over the days of the window that the history
    covers (a window before the first sale does not dilute the average with days the store did not trade)."""
    frame = p.frame
    if not frame.orders:
        return _table(("season",), [])
    first_day = max(int(dubai_days(np.array([scope.since]))[0]), int(p.day.min()))
    last_day = min(int(dubai_days(np.array([scope.until - 1]))[0]), int(dubai_days(np.array([p.now]))[0]))
    if last_day < first_day:
        return _table(("season",), [])
    season_of_day = seasons_between(first_day, last_day)
    days = np.bincount(season_of_day, minlength=len(SEASONS))
    day = p.day[orders]
    keep = (day >= first_day) & (day <= last_day)
    season = season_of_day[day[keep] - first_day]
    sale = p.is_sale[orders][keep]
    net = frame.order_net_fils[orders][keep]
    count = np.bincount(season[sale], minlength=len(SEASONS))
    fils = np.bincount(season, weights=net, minlength=len(SEASONS))
    ordinary = average(int(fils[0]), int(days[0]))
    rows = []
    for i, name in enumerate(SEASONS):
        if not days[i]:
            continue
        per_day = average(int(fils[i]), int(days[i]))
        rows.append(
            [
                name,
                int(days[i]),
                int(count[i]),
                int(fils[i]),
                per_day,
                rate(per_day, ordinary) if per_day is not None and ordinary else None,
            ]
        )
    return _table(("season", "days", "orders", "net_fils", "per_day_fils", "against_ordinary"), rows)


# -- customers


def customer_figures(
    p: Prepared, scope: Scope, orders: npt.NDArray[np.bool_], customers: npt.NDArray[np.bool_]
) -> dict[str, Any]:
    frame = p.frame
    facts = p.facts
    sold = orders & p.is_sale & (frame.order_customer >= 0)
    buyer = frame.order_customer[sold]
    tables: dict[str, Table] = {}
    created = frame.customer_created_at
    in_window = customers & (created >= scope.since) & (created < scope.until)
    # Churned: the last sale (over the whole history) plus a year falls in the window.
    last_sale = _last_sale(p)
    churn_at = np.where(last_sale > 0, last_sale + CHURN_DAYS * DAY, -1)
    churned = customers & (churn_at >= scope.since) & (churn_at < min(scope.until, p.now + 1))
    months: set[int] = set()
    new_by_month = _count_by(_months(created[in_window]))
    churn_by_month = _count_by(_months(churn_at[churned]))
    active_by_month: dict[int, int] = {}
    if buyer.size:
        keys = p.month_customer_key[sold[p.by_month_customer]]
        first = np.ones(keys.size, np.bool_)
        first[1:] = keys[1:] != keys[:-1]
        active_by_month = _count_by(keys[first] // np.int64(frame.customers + 1))
    months.update(new_by_month, churn_by_month, active_by_month)
    tables["month"] = _table(
        ("month", "new", "active", "churned"),
        [
            [_month_key(m), new_by_month.get(m, 0), active_by_month.get(m, 0), churn_by_month.get(m, 0)]
            for m in sorted(months)
        ],
    )
    # Lifetime value: the per-customer step's figure (lifetime spend until the models come), of the customers
    # in scope who bought at least once.
    lifetime = p.customer_lifetime[customers & (last_sale > 0)]
    edges = np.array(CLV_EDGES_FILS, np.int64)
    bucket = np.searchsorted(edges, lifetime, side="right")  # 0: below 0 (returns only), 1..: from each edge
    counts = np.bincount(bucket, minlength=len(edges) + 1)
    tables["clv"] = _table(
        ("from_fils", "customers", "share"),
        [
            [None if i == 0 else int(edges[i - 1]), int(counts[i]), rate(counts[i], lifetime.size)]
            for i in range(len(edges) + 1)
            if counts[i]
        ],
    )
    # Segments: customers, buyers in the window, orders and spend.
    segment_rows = []
    all_customers = _customer_mask(p, Scope(scope.period, scope.since, scope.until, scope.branch, -1))
    bought = np.zeros(frame.customers, np.bool_)
    bought[buyer] = True
    codes = len(facts.segments)
    segment_of = facts.customer_segment.astype(np.int64)
    members = np.bincount(segment_of[all_customers & (segment_of >= 0)], minlength=codes)
    buyers = np.bincount(segment_of[bought & (segment_of >= 0)], minlength=codes)
    seg_of_order = segment_of[buyer] if buyer.size else np.zeros(0, np.int64)
    known = seg_of_order >= 0
    orders_of = np.bincount(seg_of_order[known], minlength=codes)
    spend_of = np.bincount(seg_of_order[known], weights=frame.order_net_fils[sold][known], minlength=codes)
    for code, name in enumerate(facts.segments):
        if scope.segment >= 0 and code != scope.segment:
            continue
        spend, n = int(spend_of[code]), int(orders_of[code])
        segment_rows.append(
            [
                name,
                int(members[code]),
                rate(buyers[code], members[code]),
                n,
                spend,
                average(spend, n),
                average(spend, int(buyers[code])),
            ]
        )
    tables["segment"] = _table(
        ("segment", "customers", "active", "orders", "sales_fils", "average_order_fils", "per_buyer_fils"),
        segment_rows,
    )
    tables["tier_migration"] = _tier_migration(p, scope, customers)
    return {
        "totals": {
            "new": int(in_window.sum()),
            "active": int(bought.sum()),
            "churned": int(churned.sum()),
            "with_purchase": int(lifetime.size),
        },
        "tables": tables,
    }


def _count_by(values: npt.NDArray[np.int64]) -> dict[int, int]:
    keys, counts = np.unique(values, return_counts=True)
    return {int(k): int(c) for k, c in zip(keys, counts, strict=True)}


def _last_sale(p: Prepared) -> npt.NDArray[np.int64]:
    cached = getattr(p, "_last", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    frame = p.frame
    last = np.zeros(frame.customers, np.int64)
    sold = p.is_sale & (frame.order_customer >= 0)
    np.maximum.at(last, frame.order_customer[sold], frame.order_at[sold])
    p._last = last  # type: ignore[attr-defined]
    return last


def _tier_migration(p: Prepared, scope: Scope, customers: npt.NDArray[np.bool_]) -> Table:
    """Each customer's tier at the window's start and at its end, from the points that qualify (earned net of
    reversals) over the twelve months before each moment, at the program's thresholds."""
    facts = p.facts
    if not facts.loyalty_kind.size:
        return _table(("from", "to", "customers"), [])
    qualifying = np.isin(facts.loyalty_kind, [LOYALTY_KINDS.index("earn"), LOYALTY_KINDS.index("reverse")])
    known = qualifying & (facts.loyalty_customer >= 0)
    thresholds = np.array([p.rules.threshold(tier) for tier in TIER_ORDER[1:]], np.int64)
    end = min(scope.until, p.now + 1)
    tiers = []
    for moment in (scope.since, end):
        inside = known & (facts.loyalty_at < moment) & (facts.loyalty_at >= moment - 365 * DAY)
        points = np.bincount(
            facts.loyalty_customer[inside], weights=facts.loyalty_points[inside], minlength=p.frame.customers
        )
        tiers.append(np.searchsorted(thresholds, points, side="right"))
    members = customers & (facts.customer_tier >= 0)
    size = len(TIER_ORDER)
    moves = np.bincount(tiers[0][members] * size + tiers[1][members], minlength=size * size)
    return _table(
        ("from", "to", "customers"),
        [
            [TIER_ORDER[i // size].value, TIER_ORDER[i % size].value, int(moves[i])]
            for i in range(size * size)
            if moves[i]
        ],
    )


# -- loyalty


def loyalty(p: Prepared, scope: Scope, customers: npt.NDArray[np.bool_]) -> dict[str, Any]:
    facts = p.facts
    who = facts.loyalty_customer
    mask = (facts.loyalty_at >= scope.since) & (facts.loyalty_at < scope.until) & (who >= 0)
    mask &= customers[np.maximum(who, 0)] if who.size else mask
    kind = facts.loyalty_kind[mask].astype(np.int64)
    points = np.abs(facts.loyalty_points[mask])
    kinds = len(LOYALTY_KINDS)
    by_kind = np.bincount(kind, weights=points, minlength=kinds)

    def total(row: npt.NDArray[Any], *names: str) -> int:
        return int(sum(row[LOYALTY_KINDS.index(n)] for n in names))

    issued, redeemed, expired = total(by_kind, "earn", "bonus"), total(by_kind, "redeem"), total(by_kind, "expire")
    value = p.rules.point_value_fils
    tiers = len(TIER_ORDER)
    tier_of = facts.customer_tier[who[mask]].astype(np.int64) if mask.any() else np.zeros(0, np.int64)
    has_tier = tier_of >= 0
    by_tier = np.bincount(
        tier_of[has_tier] * kinds + kind[has_tier], weights=points[has_tier], minlength=tiers * kinds
    ).reshape(tiers, kinds)
    members = np.bincount(facts.customer_tier[customers & (facts.customer_tier >= 0)].astype(np.int64), minlength=tiers)
    tier_rows = []
    for code, tier in enumerate(TIER_ORDER):
        earned, spent = total(by_tier[code], "earn", "bonus"), total(by_tier[code], "redeem")
        if members[code] or earned or spent:
            tier_rows.append([tier.value, int(members[code]), earned, spent, rate(spent, earned)])
    month_rows = []
    if kind.size:
        month = _months(facts.loyalty_at[mask])
        first = int(month.min())
        span = int(month.max()) - first + 1
        by_month = np.bincount((month - first) * kinds + kind, weights=points, minlength=span * kinds).reshape(
            span, kinds
        )
        month_rows = [
            [_month_key(first + i), total(row, "earn", "bonus"), total(row, "redeem"), total(row, "expire")]
            for i, row in enumerate(by_month)
        ]
    outstanding_mask = (who >= 0) & (facts.loyalty_at < scope.until)
    outstanding_mask &= customers[np.maximum(who, 0)] if who.size else outstanding_mask
    outstanding = int(facts.loyalty_points[outstanding_mask].sum())
    return {
        "totals": {
            "issued": issued,
            "redeemed": redeemed,
            "expired": expired,
            "breakage": rate(expired, issued),
            "redemption": rate(redeemed, issued),
            "cost_fils": redeemed * value,
            "outstanding_points": outstanding,
            "liability_fils": max(0, outstanding) * value,
        },
        "tables": {
            "tier": _table(("tier", "members", "issued", "redeemed", "redemption"), tier_rows),
            "month": _table(("month", "issued", "redeemed", "expired"), month_rows),
        },
    }


# -- gift cards


def gift_cards(p: Prepared, scope: Scope) -> dict[str, Any]:
    facts = p.facts
    cards = (facts.card_at >= scope.since) & (facts.card_at < scope.until)
    if scope.branch >= 0:
        cards &= facts.card_branch == scope.branch
    txn_card = facts.card_txn_card
    valid = txn_card >= 0
    of_cards = np.zeros(txn_card.size, np.bool_)
    of_cards[valid] = cards[txn_card[valid]]
    kind = facts.card_txn_kind
    redeem = kind == GIFT_CARD_KINDS.index("redeem")
    expire = kind == GIFT_CARD_KINDS.index("expire")
    sold_fils = int(facts.card_initial_fils[cards].sum())
    redeemed_fils = int(-facts.card_txn_fils[of_cards & redeem].sum())
    expired_fils = int(-facts.card_txn_fils[of_cards & expire].sum())
    balance = np.bincount(txn_card[valid], weights=facts.card_txn_fils[valid], minlength=facts.card_at.size).astype(
        np.int64
    )
    # Time to first use: from the sale to the card's first redemption.
    first_use = np.full(facts.card_at.size, np.iinfo(np.int64).max, np.int64)
    used = valid & redeem
    np.minimum.at(first_use, txn_card[used], facts.card_txn_at[used])
    was_used = cards & (first_use < np.iinfo(np.int64).max)
    waited = (first_use[was_used] - facts.card_at[was_used]) // DAY
    edges = np.array(FIRST_USE_EDGES_DAYS, np.int64)
    bucket = np.bincount(np.searchsorted(edges, waited, side="right"), minlength=len(edges) + 1)
    never = int((cards & ~(first_use < np.iinfo(np.int64).max)).sum())
    first_rows = [[i, int(bucket[i]), rate(bucket[i], int(cards.sum()))] for i in range(len(edges) + 1)]
    first_rows.append([-1, never, rate(never, int(cards.sum()))])
    # Liability ageing: the balance still on cards, by the card's age now.
    live = cards & (balance > 0) & (facts.card_expires_at > p.now)
    age = (p.now - facts.card_at[live]) // DAY
    age_bucket = np.searchsorted(np.array(AGEING_EDGES_DAYS, np.int64), age, side="right")
    per_bucket = np.bincount(age_bucket, minlength=len(AGEING_EDGES_DAYS) + 1)
    fils_bucket = np.bincount(age_bucket, weights=balance[live], minlength=len(AGEING_EDGES_DAYS) + 1)
    month = _months(facts.card_at[cards])
    month_rows = []
    if month.size:
        first = int(month.min())
        sold_per = np.bincount(month - first)
        fils_per = np.bincount(month - first, weights=facts.card_initial_fils[cards])
        month_rows = [[_month_key(first + i), int(sold_per[i]), int(fils_per[i])] for i in range(sold_per.size)]
    return {
        "totals": {
            "sold": int(cards.sum()),
            "sold_fils": sold_fils,
            "redeemed_fils": redeemed_fils,
            "expired_fils": expired_fils,
            "breakage": rate(expired_fils, sold_fils),
            "redeemed": rate(redeemed_fils, sold_fils),
            "liability_fils": int(balance[live].sum()),
        },
        "tables": {
            "first_use": _table(("bucket", "cards", "share"), first_rows),
            "ageing": _table(
                ("bucket", "cards", "balance_fils"),
                [[i, int(per_bucket[i]), int(fils_bucket[i])] for i in range(len(AGEING_EDGES_DAYS) + 1)],
            ),
            "month": _table(("month", "sold", "sold_fils"), month_rows),
        },
    }


# -- personal shoppers


def shoppers(
    p: Prepared, scope: Scope, orders: npt.NDArray[np.bool_], customers: npt.NDArray[np.bool_]
) -> dict[str, Any]:
    """Per personal shopper: their customers (assigned now), those customers' sales in the window, visits,
    VIP retention (of their VIPs who bought in the window before, those who bought again in this one) and NPS
    of the answers given while the customer was theirs."""
    frame, facts = p.frame, p.facts
    count = len(facts.shopper_ids)
    if not count:
        return {"totals": {"shoppers": 0}, "tables": {"shopper": _table(("shopper",), [])}}
    shopper_of = facts.customer_shopper
    sold = orders & p.is_sale & (frame.order_customer >= 0)
    mine = shopper_of[frame.order_customer[sold]]
    has = mine >= 0
    sales_fils = np.bincount(mine[has], weights=frame.order_net_fils[sold][has], minlength=count)
    order_count = np.bincount(mine[has], minlength=count)
    assigned = np.bincount(shopper_of[customers & (shopper_of >= 0)], minlength=count)
    visits_in = (facts.visit_at >= scope.since) & (facts.visit_at < scope.until) & (facts.visit_shopper >= 0)
    if scope.branch >= 0 or scope.segment >= 0:
        visits_in &= customers[np.maximum(facts.visit_customer, 0)] & (facts.visit_customer >= 0)
    visits = np.bincount(facts.visit_shopper[visits_in], minlength=count)
    # Retention: VIPs of the shopper who bought in the window of the same length before this one.
    length = scope.until - scope.since
    before = p.is_sale & (frame.order_customer >= 0)
    before &= (frame.order_at >= scope.since - length) & (frame.order_at < scope.since)
    vip = VIP_SEGMENT in facts.segments
    vip_code = facts.segments.index(VIP_SEGMENT) if vip else -2
    is_vip = (facts.customer_segment == vip_code) & customers & (shopper_of >= 0)
    bought_before = np.zeros(frame.customers, np.bool_)
    bought_before[frame.order_customer[before]] = True
    bought_now = np.zeros(frame.customers, np.bool_)
    bought_now[frame.order_customer[sold]] = True
    base = np.bincount(shopper_of[is_vip & bought_before], minlength=count)
    kept = np.bincount(shopper_of[is_vip & bought_before & bought_now], minlength=count)
    answers = (facts.answer_at >= scope.since) & (facts.answer_at < scope.until) & (facts.answer_shopper >= 0)
    if scope.branch >= 0:
        answers &= facts.answer_branch == scope.branch
    classes = np.zeros((count, 4), np.int64)
    np.add.at(classes, (facts.answer_shopper[answers], facts.answer_class[answers]), 1)
    rows = []
    for i, shopper_id in enumerate(facts.shopper_ids):
        figure = nps(NpsCounts(shopper_id, int(classes[i, 3]), int(classes[i, 2]), int(classes[i, 1])))
        rows.append(
            [
                shopper_id,
                int(assigned[i]),
                int(order_count[i]),
                int(sales_fils[i]),
                int(visits[i]),
                rate(kept[i], base[i]),
                figure.score,
                figure.counts.answers,
            ]
        )
    return {
        "totals": {"shoppers": count, "visits": int(visits.sum()), "sales_fils": int(sales_fils.sum())},
        "tables": {
            "shopper": _table(
                ("shopper", "customers", "orders", "sales_fils", "visits", "vip_retention", "nps", "answers"), rows
            )
        },
    }


# -- campaigns and feedback


def engagement(
    p: Prepared, scope: Scope, orders: npt.NDArray[np.bool_], customers: npt.NDArray[np.bool_]
) -> dict[str, Any]:
    """Campaigns: recipients and the control group touched in the window, who bought within
    ``CONVERSION_DAYS`` of the touch (any sale, not the last-touch attribution of core.campaigns.results, which
    the campaign's own results page keeps), the lift with its Newcombe interval from ``MIN_ARM`` customers per
    arm, and the offers redeemed. Feedback: NPS by month and by branch, from the feedback dashboard's facts."""
    frame, facts = p.frame, p.facts
    ex = (facts.execution_at >= scope.since) & (facts.execution_at < scope.until) & (facts.execution_campaign >= 0)
    ex &= facts.execution_customer >= 0
    ex &= customers[np.maximum(facts.execution_customer, 0)]
    converted = _converted(p, facts.execution_customer[ex], facts.execution_at[ex])
    campaign = facts.execution_campaign[ex]
    outcome = facts.execution_outcome[ex]
    control = outcome == EXECUTION_OUTCOMES.index("control")
    count = len(facts.campaign_ids)
    treated_n = np.bincount(campaign[~control], minlength=count)
    treated_c = np.bincount(campaign[~control & converted], minlength=count)
    control_n = np.bincount(campaign[control], minlength=count)
    control_c = np.bincount(campaign[control & converted], minlength=count)
    redeemed = facts.redemption_campaign >= 0
    redemptions = np.bincount(facts.redemption_campaign[redeemed], minlength=count)
    discount = np.bincount(
        facts.redemption_campaign[redeemed], weights=facts.redemption_discount_fils[redeemed], minlength=count
    )
    rows = []
    for i, campaign_id in enumerate(facts.campaign_ids):
        if not treated_n[i] and not control_n[i]:
            continue
        lift: list[float] | None = None
        if treated_n[i] >= MIN_ARM and control_n[i] >= MIN_ARM:
            diff, interval = newcombe(int(treated_c[i]), int(treated_n[i]), int(control_c[i]), int(control_n[i]))
            lift = [100 * diff, 100 * interval.low, 100 * interval.high]
        rows.append(
            [
                campaign_id,
                int(treated_n[i]),
                rate(treated_c[i], treated_n[i]),
                int(control_n[i]),
                rate(control_c[i], control_n[i]),
                lift,
                int(redemptions[i]),
                int(discount[i]),
            ]
        )
    answers = (facts.answer_at >= scope.since) & (facts.answer_at < scope.until)
    if scope.branch >= 0:
        answers &= facts.answer_branch == scope.branch
    return {
        "totals": {"campaigns": len(rows), "answers": int(answers.sum()), **_nps_cell(facts.answer_class[answers])},
        "tables": {
            "campaign": _table(
                (
                    "campaign",
                    "recipients",
                    "converted",
                    "control",
                    "control_converted",
                    "lift",
                    "redemptions",
                    "discount_fils",
                ),
                rows,
            ),
            "nps_month": _nps_table("month", _months(facts.answer_at[answers]), facts.answer_class[answers], True),
            "nps_branch": _nps_table(
                "branch",
                facts.answer_branch[answers].astype(np.int64),
                facts.answer_class[answers],
                False,
                frame.branch_ids,
            ),
        },
    }


def _nps_cell(classes: npt.NDArray[np.int8]) -> dict[str, Any]:
    counts = np.bincount(classes, minlength=4)
    figure = nps(NpsCounts("", int(counts[3]), int(counts[2]), int(counts[1])))
    return {"nps": figure.score, "nps_answers": figure.counts.answers}


def _nps_table(
    key: str, groups: npt.NDArray[np.int64], classes: npt.NDArray[np.int8], months: bool, names: list[str] | None = None
) -> Table:
    rows = []
    for group in np.unique(groups):
        here = classes[groups == group]
        counts = np.bincount(here, minlength=4)
        figure = nps(NpsCounts("", int(counts[3]), int(counts[2]), int(counts[1])))
        label = _month_key(int(group)) if months else (names[int(group)] if names and group >= 0 else "")
        rows.append([label, figure.counts.answers, int(counts[3]), int(counts[2]), int(counts[1]), figure.score])
    return _table((key, "answers", "promoters", "passives", "detractors", "nps"), rows)


def _converted(p: Prepared, who: npt.NDArray[np.int32], at: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For each touch (customer, time): did the customer buy within ``CONVERSION_DAYS`` after it? One sorted
    search over the sales ordered by (customer, time)."""
    if not who.size:
        return np.zeros(0, np.bool_)
    frame = p.frame
    keys = getattr(p, "_sale_keys", None)
    if keys is None:
        sold = p.is_sale & (frame.order_customer >= 0)
        keys = np.sort(frame.order_customer[sold].astype(np.int64) * (1 << 34) + frame.order_at[sold])
        p._sale_keys = keys  # type: ignore[attr-defined]
    start = who.astype(np.int64) * (1 << 34) + at
    end = start + CONVERSION_DAYS * DAY
    return np.searchsorted(keys, end, side="right") > np.searchsorted(keys, start, side="left")


def compute_all(prepared: Prepared, scopes: list[Scope]) -> list[tuple[Scope, dict[str, dict[str, Any]]]]:
    return [(scope, compute(prepared, scope)) for scope in scopes]
