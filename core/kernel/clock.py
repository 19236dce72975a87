"""Wall time: stored UTC, shown and dated in Asia/Dubai (UTC+4, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DUBAI = ZoneInfo("Asia/Dubai")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(DUBAI).date()


def local(moment: datetime) -> datetime:
    return moment.astimezone(DUBAI)
