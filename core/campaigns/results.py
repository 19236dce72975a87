"""A campaign's results: the funnel, conversions, revenue, cost and ROI per variant and channel, and the lift
against the control group with its 95 % confidence interval. Pure: storage reads the facts
(``ResultsRepository.facts``), this module counts them.

The funnel of each recipient (an execution that is not the control group) follows its message in the outbox:
sent (sent, delivered or read), delivered (delivered or read), read, failed (failed or dead), clicked (a
``clicked`` line in the message's status history: head office writes one on the first click of the
recipient's short link, sync.headoffice.links).

Converted: the customer bought (a sale) within ``conversion_days`` of the campaign's touch (the execution row's
time: when it was queued, or for the control group when it was held back), and that touch is the customer's last
campaign touch before the purchase: a later message of another campaign takes the purchase for itself. A
recipient converts at most once, with their first attributed purchase; the revenue is every attributed
purchase's amount before VAT, net of what came back (returns of it). A redemption of the offer is always a
conversion (its sale is such a purchase).

Cost: the messages' cost estimates (the outbox's ``cost_fils``) and the offers given (fils off the sales, and
bonus points at the program's value of a point). ROI is (revenue − cost) / cost, None without a cost.

Lift is intention to treat: every customer assigned a variant (queued, or refused because no channel could
carry it) against every customer of the control group, over the same window. The difference of the two
conversion proportions has a 95 % interval by Newcombe's hybrid score method (his method 10, from two Wilson
score intervals), which keeps within [−1, 1] and behaves at small counts and near 0 % where Wald does not.
Below ``MIN_ARM`` customers in either arm it says "not enough data" (None) instead.

The A/B comparison: with two variants or more, the leader is the variant best on the campaign's chosen metric —
the share of its recipients who read, clicked or converted, or its revenue per recipient. There is none with a
single variant, when any variant has fewer than ``MIN_ARM`` recipients (not enough data), or when the best two
are equal (a tie). For a rate the leader's lead over the runner-up is significant when the Newcombe interval of
the two rates' difference excludes 0; for revenue no significance is claimed (revenue per recipient is no
proportion, and its spread is not counted here).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Protocol

from core.campaigns.model import CONTROL, Metric

Z95 = 1.959963984540054
MIN_ARM = 30  # customers in each arm below which no lift is given
ALL = ""  # the variant / channel of a total row

# How the variants compare (CampaignResults.comparison).
SINGLE = "single"  # one variant or none: nothing to compare
NOT_ENOUGH_DATA = "not_enough_data"  # a variant has fewer than MIN_ARM recipients
TIE = "tie"  # the best two are equal on the metric
LEADING = "leading"  # ``leader`` is ahead

SENT = frozenset({"sent", "delivered", "read"})
DELIVERED = frozenset({"delivered", "read"})
FAILED = frozenset({"failed", "dead"})


@dataclass(frozen=True)
class Touch:
    """One execution row of the campaign, with its message's state."""

    execution_id: str
    customer_id: str
    variant: str
    outcome: str  # queued | refused | control
    at: datetime
    channel: str | None = None
    status: str | None = None  # the message's status in the outbox
    cost_fils: int = 0
    clicked: bool = False


@dataclass(frozen=True)
class Purchase:
    order_id: str
    customer_id: str
    at: datetime
    net_fils: int  # before VAT, net of its returns


@dataclass(frozen=True)
class OtherTouch:
    """A message of another campaign to one of these customers: it takes the purchases after it."""

    customer_id: str
    at: datetime


@dataclass(frozen=True)
class RedemptionFact:
    execution_id: str
    discount_fils: int
    points: int


@dataclass(frozen=True)
class ResultFacts:
    touches: Sequence[Touch]
    purchases: Sequence[Purchase] = ()
    others: Sequence[OtherTouch] = ()
    redemptions: Sequence[RedemptionFact] = ()
    point_value_fils: int = 0


class ResultsRepository(Protocol):
    def facts(self, campaign_id: str, conversion_days: int) -> ResultFacts:
        """Everything the results of a campaign are counted from: its executions with their messages, the
        sales of its customers after its first touch (within the window of its last), other campaigns'
        messages to them since, and its redemptions."""
        ...


@dataclass(frozen=True)
class Rate:
    """A count and what it is a share of: every percentage is shown with both."""

    count: int
    of: int

    @property
    def share(self) -> float | None:
        return None if self.of == 0 else self.count / self.of


@dataclass(frozen=True)
class Row:
    variant: str  # ALL for the campaign's total
    channel: str  # ALL for every channel
    recipients: int  # messages queued (the funnel's start)
    refused: int
    sent: Rate
    delivered: Rate
    read: Rate
    failed: Rate
    clicked: Rate
    converted: Rate  # of the recipients
    redeemed: Rate
    revenue_fils: int
    message_cost_fils: int
    offer_cost_fils: int

    @property
    def cost_fils(self) -> int:
        return self.message_cost_fils + self.offer_cost_fils

    @property
    def roi(self) -> float | None:
        return None if self.cost_fils == 0 else (self.revenue_fils - self.cost_fils) / self.cost_fils


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Lift:
    variant: str  # ALL: every variant together
    treated: Rate  # converted of the customers assigned the variant (intention to treat)
    control: Rate  # converted of the control group
    difference: float | None  # None: not enough data
    interval: Interval | None


@dataclass(frozen=True)
class CampaignResults:
    campaign_id: str
    conversion_days: int
    control: int  # customers held back
    rows: tuple[Row, ...]  # the total first, then per variant, then per variant and channel
    lifts: tuple[Lift, ...]  # the total first, then per variant
    min_arm: int = MIN_ARM
    variants: tuple[str, ...] = field(default=())
    metric: str = Metric.CONVERTED.value  # what the variants are compared on
    comparison: str = SINGLE  # SINGLE, NOT_ENOUGH_DATA, TIE or LEADING
    leader: str | None = None  # the variant best on the metric, when ``comparison`` is LEADING
    significant: bool | None = None  # the leader's lead over the runner-up; None: no claim (revenue, no leader)

    def row(self, variant: str = ALL, channel: str = ALL) -> Row | None:
        return next((r for r in self.rows if r.variant == variant and r.channel == channel), None)

    def lift(self, variant: str = ALL) -> Lift | None:
        return next((lift for lift in self.lifts if lift.variant == variant), None)


# -- statistics -----------------------------------------------------------------------------------------------------


def wilson(count: int, n: int, z: float = Z95) -> Interval:
    """Wilson's score interval for a proportion ``count / n`` (n > 0)."""
    p = count / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return Interval((centre - spread) / denominator, (centre + spread) / denominator)


def newcombe(count1: int, n1: int, count2: int, n2: int, z: float = Z95) -> tuple[float, Interval]:
    """The difference p1 − p2 and its interval by Newcombe's hybrid score method (1998, method 10)."""
    p1, p2 = count1 / n1, count2 / n2
    a, b = wilson(count1, n1, z), wilson(count2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2)
    high = d + math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2)
    return d, Interval(low, high)


# -- counting -------------------------------------------------------------------------------------------------------


def attributed(facts: ResultFacts, conversion_days: int) -> dict[str, list[Purchase]]:
    """Each execution's attributed purchases: of its customer, after its touch and within the window, with no
    later touch (of this campaign or another) before the purchase."""
    window = timedelta(days=conversion_days)
    touches_of: dict[str, list[tuple[datetime, str | None]]] = defaultdict(list)  # customer → (at, execution)
    for t in facts.touches:
        touches_of[t.customer_id].append((t.at, t.execution_id))
    for o in facts.others:
        touches_of[o.customer_id].append((o.at, None))
    for found in touches_of.values():
        found.sort(key=lambda pair: pair[0])
    out: dict[str, list[Purchase]] = defaultdict(list)
    for purchase in facts.purchases:
        last: tuple[datetime, str | None] | None = None
        for pair in touches_of.get(purchase.customer_id, ()):
            if pair[0] > purchase.at:
                break
            last = pair
        if last is None or last[1] is None or purchase.at - last[0] > window:
            continue
        out[last[1]].append(purchase)
    return out


def results(
    campaign_id: str,
    facts: ResultFacts,
    conversion_days: int,
    min_arm: int = MIN_ARM,
    metric: str = Metric.CONVERTED.value,
) -> CampaignResults:
    bought = attributed(facts, conversion_days)
    redeemed: dict[str, list[RedemptionFact]] = defaultdict(list)
    for r in facts.redemptions:
        redeemed[r.execution_id].append(r)
    treated = [t for t in facts.touches if t.outcome != CONTROL]
    control = [t for t in facts.touches if t.outcome == CONTROL]
    variants = tuple(sorted({t.variant for t in treated}))
    groups: dict[tuple[str, str], list[Touch]] = defaultdict(list)
    for t in treated:
        groups[(ALL, ALL)].append(t)
        groups[(t.variant, ALL)].append(t)
        if t.outcome != "refused" and t.channel:
            groups[(t.variant, t.channel)].append(t)
    order = [(ALL, ALL)] + [(v, ALL) for v in variants]
    order += sorted(k for k in groups if k[1] != ALL)
    rows = tuple(_row(k, groups[k], bought, redeemed, facts.point_value_fils) for k in order if k in groups)
    converted = {e for e, found in bought.items() if found} | {e for e, r in redeemed.items() if r}
    control_rate = Rate(sum(1 for t in control if t.execution_id in converted), len(control))
    lifts = [_lift(ALL, treated, control_rate, converted, min_arm)]
    lifts += [_lift(v, [t for t in treated if t.variant == v], control_rate, converted, min_arm) for v in variants]
    comparison, leader, significant = compare(
        [r for r in rows if r.channel == ALL and r.variant != ALL], metric, min_arm
    )
    return CampaignResults(
        campaign_id,
        conversion_days,
        len(control),
        rows,
        tuple(lifts),
        min_arm=min_arm,
        variants=variants,
        metric=metric,
        comparison=comparison,
        leader=leader,
        significant=significant,
    )


def score(row: Row, metric: str) -> Fraction:
    """The variant's figure on ``metric``, exact: a share of its recipients, or fils of revenue per recipient."""
    if row.recipients == 0:
        return Fraction(0)
    if metric == Metric.REVENUE:
        return Fraction(row.revenue_fils, row.recipients)
    rate: Rate = getattr(row, metric)
    return Fraction(rate.count, rate.of)


def compare(rows: Sequence[Row], metric: str, min_arm: int = MIN_ARM) -> tuple[str, str | None, bool | None]:
    """How the variants' rows compare on ``metric``: (comparison, leader, significant)."""
    if len(rows) < 2:
        return SINGLE, None, None
    if any(r.recipients < min_arm for r in rows):
        return NOT_ENOUGH_DATA, None, None
    ranked = sorted(rows, key=lambda r: score(r, metric), reverse=True)
    first, second = ranked[0], ranked[1]
    if score(first, metric) == score(second, metric):
        return TIE, None, None
    if metric == Metric.REVENUE:
        return LEADING, first.variant, None
    a: Rate = getattr(first, metric)
    b: Rate = getattr(second, metric)
    _difference, interval = newcombe(a.count, a.of, b.count, b.of)
    return LEADING, first.variant, interval.low > 0


def _row(
    key: tuple[str, str],
    touches: Iterable[Touch],
    bought: dict[str, list[Purchase]],
    redeemed: dict[str, list[RedemptionFact]],
    point_value_fils: int,
) -> Row:
    queued = [t for t in touches if t.outcome != "refused"]
    refused = sum(1 for t in touches if t.outcome == "refused")
    n = len(queued)
    statuses = [t.status or "" for t in queued]
    converted = [t for t in queued if bought.get(t.execution_id) or redeemed.get(t.execution_id)]
    used = [t for t in queued if redeemed.get(t.execution_id)]
    revenue = sum(p.net_fils for t in queued for p in bought.get(t.execution_id, ()))
    offers = sum(
        r.discount_fils + r.points * point_value_fils for t in queued for r in redeemed.get(t.execution_id, ())
    )
    return Row(
        variant=key[0],
        channel=key[1],
        recipients=n,
        refused=refused,
        sent=Rate(sum(1 for s in statuses if s in SENT), n),
        delivered=Rate(sum(1 for s in statuses if s in DELIVERED), n),
        read=Rate(sum(1 for s in statuses if s == "read"), n),
        failed=Rate(sum(1 for s in statuses if s in FAILED), n),
        clicked=Rate(sum(1 for t in queued if t.clicked), n),
        converted=Rate(len(converted), n),
        redeemed=Rate(len(used), n),
        revenue_fils=revenue,
        message_cost_fils=sum(t.cost_fils for t in queued),
        offer_cost_fils=offers,
    )


def _lift(variant: str, treated: Sequence[Touch], control: Rate, converted: set[str], min_arm: int) -> Lift:
    rate = Rate(sum(1 for t in treated if t.execution_id in converted), len(treated))
    if rate.of < min_arm or control.of < min_arm:
        return Lift(variant, rate, control, None, None)
    difference, interval = newcombe(rate.count, rate.of, control.count, control.of)
    return Lift(variant, rate, control, difference, interval)
