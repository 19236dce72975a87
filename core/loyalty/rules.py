"""Loyalty program rules and the arithmetic of the points ledger. Pure functions: no storage, no clock.

A balance is the sum of an account's events. A tier is decided by points *earned* on purchases (earn and
its reversal on a return), never by the spendable balance, so redeeming never demotes anyone. Points live in
lots (every increase is a lot with an expiry date); every decrease consumes the lots that expire first.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from math import floor
from typing import Any

from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

RULES_SETTING_KEY = "loyalty_program_rules"


class Tier(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"
    DIAMOND = "diamond"


TIER_ORDER: tuple[Tier, ...] = (Tier.BRONZE, Tier.SILVER, Tier.GOLD, Tier.PLATINUM, Tier.DIAMOND)


def tier_rank(tier: Tier | str) -> int:
    return TIER_ORDER.index(Tier(tier))


class DowngradePolicy(StrEnum):
    NONE = "none"  # a tier, once earned, is kept (only a return of the goods that earned it takes it back)
    ANNUAL_REVIEW = "annual_review"  # each review year re-qualifies on the points earned in the year before


class EventKind(StrEnum):
    EARN = "earn"  # + points for a purchase
    REVERSE = "reverse"  # − points earned on goods that came back
    REDEEM = "redeem"  # − points spent as a tender or on a reward
    RESTORE = "restore"  # + points given back: a return of goods paid with points, a cancelled reward claim
    EXPIRE = "expire"  # − the remainder of lots past their expiry date
    BONUS = "bonus"  # + tier-upgrade bonus
    ADJUST = "adjust"  # ± head office's correction


# Points that count towards a tier: those earned on purchases, net of returns.
QUALIFYING_KINDS = frozenset({EventKind.EARN.value, EventKind.REVERSE.value})

_DEFAULT_SEGMENT_PERCENT = {"vip": 150, "regular": 100, "wholesale": 50, "export": 100, "corporate": 100}
_DEFAULT_THRESHOLDS = {"bronze": 0, "silver": 1_000, "gold": 5_000, "platinum": 15_000, "diamond": 50_000}
_DEFAULT_TIER_BONUS = {"bronze": 0, "silver": 5, "gold": 10, "platinum": 15, "diamond": 20}
_DEFAULT_UPGRADE_BONUS = {"bronze": 0, "silver": 100, "gold": 250, "platinum": 500, "diamond": 1_000}


@dataclass(frozen=True)
class ProgramRules:
    """Head office decides these; a branch stores them as JSON in store_settings[RULES_SETTING_KEY]."""

    points_per_aed: Decimal = Decimal(1)  # base rate on the net amount (before VAT)
    segment_multiplier_percent: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_SEGMENT_PERCENT))
    tier_thresholds: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_THRESHOLDS))
    tier_bonus_percent: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_TIER_BONUS))
    upgrade_bonus_points: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_UPGRADE_BONUS))
    expiry_months: int = 12
    expiry_warning_days: int = 30
    point_value_fils: int = 5  # redemption rate: 100 points pay AED 5
    min_redeem_points: int = 100
    downgrade_policy: DowngradePolicy = DowngradePolicy.NONE
    review_month: int = 1  # the annual review year starts on the 1st of this month

    def threshold(self, tier: Tier) -> int:
        return int(self.tier_thresholds.get(tier.value, _DEFAULT_THRESHOLDS[tier.value]))

    def to_json(self) -> str:
        data = asdict(self)
        data["points_per_aed"] = str(self.points_per_aed)
        data["downgrade_policy"] = self.downgrade_policy.value
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ProgramRules:
        """Missing keys take their defaults (a newer head office may add rules an older till ignores)."""
        return _parse_rules(text or "")

    @classmethod
    def _from_json(cls, text: str) -> ProgramRules:
        if not text:
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _invalid("rules") from exc
        if not isinstance(data, dict):
            raise _invalid("rules")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProgramRules:
        base = cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                continue
            try:
                if name == "points_per_aed":
                    values[name] = Decimal(str(value))
                elif name == "downgrade_policy":
                    values[name] = DowngradePolicy(value)
                elif isinstance(getattr(base, name), dict):
                    values[name] = {**getattr(base, name), **{str(k): int(v) for k, v in dict(value).items()}}
                else:
                    values[name] = int(value)
            except (ValueError, TypeError, InvalidOperation) as exc:
                raise _invalid(name) from exc
        rules = replace(base, **values)
        rules.validate()
        return rules

    def validate(self) -> None:
        if self.points_per_aed < 0:
            raise _invalid("points_per_aed")
        if any(v < 0 for v in self.segment_multiplier_percent.values()):
            raise _invalid("segment_multiplier_percent")
        limits = [self.threshold(t) for t in TIER_ORDER]
        if limits[0] != 0 or any(b <= a for a, b in itertools.pairwise(limits)):
            raise _invalid("tier_thresholds")
        if any(v < 0 for v in (*self.tier_bonus_percent.values(), *self.upgrade_bonus_points.values())):
            raise _invalid("tier_bonus_percent")
        if not 1 <= self.expiry_months <= 120:
            raise _invalid("expiry_months")
        if not 0 <= self.expiry_warning_days <= 365:
            raise _invalid("expiry_warning_days")
        if self.point_value_fils <= 0:
            raise _invalid("point_value_fils")
        if self.min_redeem_points < 0:
            raise _invalid("min_redeem_points")
        if not 1 <= self.review_month <= 12:
            raise _invalid("review_month")


@functools.lru_cache(maxsize=8)
def _parse_rules(text: str) -> ProgramRules:
    # Every sale reads the rules; the stored text rarely changes, so its parse is kept (rules are frozen).
    return ProgramRules._from_json(text)


def _invalid(name: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("core", "The loyalty program rule '{rule}' is not valid. Ask head office."), name, rule=name
    )


# -- events and lots -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsEvent:
    kind: str
    points: int
    at: datetime  # aware UTC
    expires_on: date | None = None


@dataclass
class Lot:
    """An increase of points and how much of it is left after the decreases that followed it."""

    expires_on: date | None
    points: int
    remaining: int


def balance(events: Iterable[PointsEvent]) -> int:
    return sum(e.points for e in events)


def lots(events: Iterable[PointsEvent]) -> list[Lot]:
    """Every increase is a lot; all the decreases together consume the lots in order of expiry, oldest
    first (a lot that never expires comes last). Because a lot's expiry is its date plus the program's
    expiry period, this is also the order the lots were earned in. Decreases beyond every lot (an offline
    overspend head office accepted) leave the balance negative and every lot empty."""
    items = list(events)
    consumed = -sum(e.points for e in items if e.points < 0)
    positive = sorted(
        ((e.expires_on or date.max, index, e) for index, e in enumerate(items) if e.points > 0),
        key=lambda t: (t[0], t[1]),
    )
    out: list[Lot] = []
    for _key, _index, event in positive:
        take = min(consumed, event.points)
        consumed -= take
        out.append(Lot(event.expires_on, event.points, event.points - take))
    return out


def due_expiries(events: Iterable[PointsEvent], today: date) -> list[tuple[date, int]]:
    """(expiry date, points) still held in lots whose date has come, oldest first, one entry per date."""
    due: dict[date, int] = {}
    for lot in lots(events):
        if lot.remaining and lot.expires_on is not None and lot.expires_on <= today:
            due[lot.expires_on] = due.get(lot.expires_on, 0) + lot.remaining
    return sorted(due.items())


def expiring_within(events: Iterable[PointsEvent], today: date, days: int) -> list[tuple[date, int]]:
    """(expiry date, points) of lots that expire after today and within ``days``, oldest first."""
    horizon = today + timedelta(days=days)
    soon: dict[date, int] = {}
    for lot in lots(events):
        if lot.remaining and lot.expires_on is not None and today < lot.expires_on <= horizon:
            soon[lot.expires_on] = soon.get(lot.expires_on, 0) + lot.remaining
    return sorted(soon.items())


@dataclass(frozen=True)
class AccountTotals:
    """An account's ledger summed up (what SQL gives without reading each event)."""

    balance: int = 0
    qualifying_all: int = 0  # earn + reverse, ever
    qualifying_current: int = 0  # ... since the current review year started
    qualifying_previous: int = 0  # ... in the review year before
    consumed: int = 0  # every decrease, as a positive number
    lots_due: int = 0  # points in lots whose expiry date has come (expired or not yet written off)
    lots_to_horizon: int = 0  # points in lots expiring by the end of the warning period
    pending_offline: int = 0  # decreases made offline that head office has not accepted yet

    def after(self, kind: str, points: int) -> AccountTotals:
        """The totals once a new event (dated today, expiring in the future) is added."""
        qualifies = kind in QUALIFYING_KINDS
        return replace(
            self,
            balance=self.balance + points,
            qualifying_all=self.qualifying_all + (points if qualifies else 0),
            qualifying_current=self.qualifying_current + (points if qualifies else 0),
            consumed=self.consumed + max(0, -points),
        )


def totals_of(events: Iterable[PointsEvent], today: date, rules: ProgramRules) -> AccountTotals:
    """What the repository sums in SQL, from the events themselves (the definition the SQL must match)."""
    current, previous = period_starts(today, rules)
    horizon = today + timedelta(days=rules.expiry_warning_days)
    values = dict.fromkeys(
        (
            "balance",
            "qualifying_all",
            "qualifying_current",
            "qualifying_previous",
            "consumed",
            "lots_due",
            "lots_to_horizon",
            "pending_offline",
        ),
        0,
    )
    for e in events:
        values["balance"] += e.points
        if e.kind in QUALIFYING_KINDS:
            values["qualifying_all"] += e.points
            if e.at >= current:
                values["qualifying_current"] += e.points
            elif e.at >= previous:
                values["qualifying_previous"] += e.points
        if e.points < 0:
            values["consumed"] -= e.points
        if e.points > 0 and e.expires_on is not None:
            if e.expires_on <= today:
                values["lots_due"] += e.points
            if e.expires_on <= horizon:
                values["lots_to_horizon"] += e.points
    return AccountTotals(**values)


def qualifying_of(totals: AccountTotals, rules: ProgramRules) -> Qualifying:
    if rules.downgrade_policy == DowngradePolicy.NONE:
        return Qualifying(totals.qualifying_all)
    return Qualifying(totals.qualifying_current, totals.qualifying_previous)


def expiring_of(totals: AccountTotals, window: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    """(date, points left) for lots expiring after today within the warning period, given the totals and the
    points added per expiry date in that window: the same oldest-first consumption as ``lots``."""
    through = totals.lots_due
    out = []
    for day, points in sorted(window):
        before = max(0, through - totals.consumed)
        through += points
        left = max(0, through - totals.consumed) - before
        if left > 0:
            out.append((day, left))
    return out


def period_starts(today: date, rules: ProgramRules) -> tuple[datetime, datetime]:
    """The UTC moments the current and the previous review years began (Dubai midnight)."""
    if rules.downgrade_policy == DowngradePolicy.NONE:
        epoch = datetime(1970, 1, 1, tzinfo=DUBAI)
        return epoch, epoch
    start = review_year_start(today, rules)
    previous = date(start.year - 1, start.month, 1)
    return datetime.combine(start, datetime.min.time(), DUBAI), datetime.combine(previous, datetime.min.time(), DUBAI)


def add_months(day: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- tiers -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualifying:
    """Points earned that count for the tier: in the current review year (or ever, without reviews) and, with
    annual review, in the year before, which keeps the tier it earned until the next review."""

    current: int
    retained: int = 0

    @property
    def points(self) -> int:
        return max(self.current, self.retained)


def review_year_start(today: date, rules: ProgramRules) -> date:
    start = date(today.year, rules.review_month, 1)
    return start if start <= today else date(today.year - 1, rules.review_month, 1)


def qualifying(events: Iterable[PointsEvent], today: date, rules: ProgramRules) -> Qualifying:
    return qualifying_of(totals_of(events, today, rules), rules)


def tier_for(points: int, rules: ProgramRules) -> Tier:
    """The highest tier whose threshold the points reach; monotonic in the points."""
    reached = Tier.BRONZE
    for tier in TIER_ORDER:
        if points >= rules.threshold(tier):
            reached = tier
    return reached


def next_tier(tier: Tier) -> Tier | None:
    rank = tier_rank(tier)
    return TIER_ORDER[rank + 1] if rank + 1 < len(TIER_ORDER) else None


def tiers_crossed(before: Tier, after: Tier) -> list[Tier]:
    """The tiers entered when moving up from ``before`` to ``after`` (empty when not moving up)."""
    return list(TIER_ORDER[tier_rank(before) + 1 : tier_rank(after) + 1])


@dataclass(frozen=True)
class TierProgress:
    tier: Tier
    next_tier: Tier | None
    points_to_next: int  # 0 at the top tier
    fraction: float  # 0..1 of the way from this tier's threshold to the next


def progress(q: Qualifying, rules: ProgramRules) -> TierProgress:
    tier = tier_for(q.points, rules)
    following = next_tier(tier)
    if following is None:
        return TierProgress(tier, None, 0, 1.0)
    low, high = rules.threshold(tier), rules.threshold(following)
    # With annual review the tier may be held by last year's points: progress counts this year's.
    to_next = max(0, high - q.current)
    fraction = min(1.0, max(0.0, (q.current - low) / (high - low)))
    return TierProgress(tier, following, to_next, fraction)


# -- earning ---------------------------------------------------------------------------------------------------


def earn_points(net_fils: int, segment: str, tier: Tier, rules: ProgramRules) -> int:
    """Base rate on the net amount × the segment's multiplier × (1 + the tier's bonus), rounded down."""
    if net_fils <= 0:
        return 0
    segment_percent = rules.segment_multiplier_percent.get(segment, 100)
    tier_percent = rules.tier_bonus_percent.get(tier.value, 0)
    exact = (
        Fraction(net_fils, 100)
        * Fraction(str(rules.points_per_aed))
        * Fraction(segment_percent, 100)
        * Fraction(100 + tier_percent, 100)
    )
    return floor(exact)
