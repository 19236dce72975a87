"""An audience definition at a moment: the instants its day counts stand for, what storage compiles to SQL.

A definition says "bought within 180 days" or "messaged in the last 3 days"; counting it needs instants. Days
of a purchase window are local days (Asia/Dubai unless the rules say otherwise): ``to_days`` 0 starts at the
last local midnight, whatever the date in UTC. Rolling periods (messaged, other campaigns, the frequency cap)
are counted back from the moment itself, as the messaging rules count the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.campaigns.audience import AudienceDefinition, LastPurchase
from core.kernel.clock import DUBAI
from core.messaging.consent import MESSAGE_CHANNELS
from core.messaging.rules import DEFAULT_RULES, RulesConfig


@dataclass(frozen=True)
class Between:
    """Instants (aware UTC), ``start`` included and ``end`` excluded; None leaves that end open."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class AudienceQuery:
    """A validated definition with its moments worked out, what storage compiles to SQL. ``purchase_window``
    is when the last sale must fall (None: no window); ``cap_since`` … ``now`` is the frequency cap's period."""

    definition: AudienceDefinition
    now: datetime
    purchase_window: Between | None
    cap: int
    cap_since: datetime
    messaged_since: datetime | None
    executions_since: datetime | None
    campaign_id: str | None
    consent_channels: tuple[str, ...]  # promotional consent on one of these, when opted_out is excluded


def local_midnight(day: date, zone: ZoneInfo = DUBAI) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def purchase_window(last: LastPurchase, now: datetime, zone: ZoneInfo = DUBAI) -> Between | None:
    """The instants a last sale must fall between to be ``from_days`` … ``to_days`` local days ago."""
    if not last.has_window:
        return None
    today = now.astimezone(zone).date()
    start = None if last.to_days is None else local_midnight(today - timedelta(days=last.to_days), zone)
    end = None
    if last.from_days is not None:
        end = local_midnight(today - timedelta(days=last.from_days - 1), zone)
    return Between(start, end)


def days_ago(moment: datetime, now: datetime, zone: ZoneInfo = DUBAI) -> int:
    """Whole local days between ``moment`` and ``now`` (0: today), the measure of ``LastPurchase``."""
    return (now.astimezone(zone).date() - moment.astimezone(zone).date()).days


def resolve(
    definition: AudienceDefinition,
    now: datetime,
    *,
    rules: RulesConfig = DEFAULT_RULES,
    campaign_id: str | None = None,
) -> AudienceQuery:
    """``definition`` (validated here) at ``now``: the instants its day counts stand for."""
    checked = definition.validated()
    ex = checked.exclude
    lp = checked.last_purchase
    return AudienceQuery(
        definition=checked,
        now=now,
        purchase_window=None if lp is None else purchase_window(lp, now, rules.zone),
        cap=rules.cap,
        cap_since=now - timedelta(days=rules.cap_days),
        messaged_since=None if ex.messaged_within_days is None else now - timedelta(days=ex.messaged_within_days),
        executions_since=None
        if ex.other_campaigns_within_days is None
        else now - timedelta(days=ex.other_campaigns_within_days),
        campaign_id=campaign_id,
        consent_channels=(ex.channel,) if ex.channel else MESSAGE_CHANNELS,
    )
