"""The one clock of the test suite, and the instants the date-sensitive tests run at.

No test reads the real date: services, seeds and subprocesses are all given a ``TestClock``. It starts at a
named instant and moves only with the time the test itself takes (so rows still get increasing times), or
when a test moves it on purpose. Tests marked ``instants`` run once at every instant below; the others run at
``DEFAULT``. The instants are the ones that once broke a date rule: a month whose next month is 31 days away,
a leap day, New Year's Eve in Dubai (already the next day in UTC+4, still the old year in UTC a few minutes
later), the last day of a month before a shorter one, and a day in Ramadan.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from core.kernel.clock import DUBAI

INSTANTS: dict[str, datetime] = {
    "before_31_day_month": datetime(2026, 12, 3, 7, 30, tzinfo=UTC),
    "leap_day": datetime(2028, 2, 29, 8, 0, tzinfo=UTC),
    "new_years_eve_dubai": datetime(2026, 12, 31, 19, 59, tzinfo=UTC),  # 23:59 in Asia/Dubai
    "month_end": datetime(2027, 1, 31, 12, 0, tzinfo=UTC),
    "ramadan": datetime(2027, 2, 20, 9, 0, tzinfo=UTC),  # 1448 AH: Ramadan runs 8 Feb – 9 Mar 2027
}
DEFAULT = INSTANTS["before_31_day_month"]


class TestClock:
    """A clock at ``at`` that runs with the test (``tick``) and that a test can move (``advance``) or copy
    at an offset (``shifted``). Satisfies ``core.kernel.ports.Clock``."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, at: datetime = DEFAULT, *, tick: bool = True) -> None:
        if at.tzinfo is None:
            raise ValueError("a test instant must be timezone-aware")
        self.at = at.astimezone(UTC)
        self._tick = tick
        self._started = time.monotonic()

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._started) if self._tick else timedelta()
        return self.at + elapsed

    def today(self) -> date:
        return self.now().astimezone(DUBAI).date()

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)

    def shifted(self, **delta: float) -> TestClock:
        """Another clock, ``delta`` away from this one's present moment."""
        return TestClock(self.now() + timedelta(**delta), tick=self._tick)
