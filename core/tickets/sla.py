"""When a ticket is due: its SLA hours counted in the branch's working hours only.

A branch works in shifts on the days it opens: Asia/Dubai time, the UAE weekend (Saturday and Sunday since
2022) and the public holidays of ``core.campaigns.calendar`` (announced overrides applied) are closed. In
Ramadan the opening hours may differ, and may be split (10:00–16:00 and 20:00–01:00). A shift whose end is not
after its start runs past midnight and belongs to the day it starts on: the 20:00–01:00 shift of the last
working day before a holiday is worked in full, and none starts on the holiday itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

from core.campaigns.calendar import OccasionCalendar
from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

SATURDAY, SUNDAY = 5, 6  # date.weekday()
UAE_WEEKEND = frozenset({SATURDAY, SUNDAY})
MAX_DAYS = 3 * 366  # a due time further than this means no working day was left: a misconfigured calendar


@dataclass(frozen=True)
class Shift:
    """Opening hours of one day: from ``start`` to ``end`` local time; an ``end`` not after ``start`` is
    the next day (a shift across midnight)."""

    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def on(self, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
        begin = datetime.combine(day, self.start, tzinfo=zone)
        finish = datetime.combine(day + timedelta(days=1) if self.crosses_midnight else day, self.end, tzinfo=zone)
        return begin, finish


DEFAULT_HOURS = (Shift(time(10), time(22)),)


def check_shifts(shifts: tuple[Shift, ...]) -> None:
    """Shifts of a day must not overlap one another (nor the next day's), and a day needs at least one."""
    if not shifts:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "A working day needs at least one shift."), "hours")
    day = date(2000, 1, 3)
    spans = sorted(s.on(day, UTC) for s in shifts)
    spans += [(a + timedelta(days=1), b + timedelta(days=1)) for a, b in spans[:1]]
    for (_, end), (start, _) in pairwise(spans):
        if start < end:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "The shifts of a day overlap."), "hours")


@dataclass(frozen=True)
class WorkingCalendar:
    """A branch's working time. ``ramadan_hours`` None: the usual ``hours`` in Ramadan too."""

    holidays: OccasionCalendar = field(default_factory=OccasionCalendar)
    hours: tuple[Shift, ...] = DEFAULT_HOURS
    ramadan_hours: tuple[Shift, ...] | None = None
    weekend: frozenset[int] = UAE_WEEKEND
    zone: ZoneInfo = DUBAI

    def __post_init__(self) -> None:
        check_shifts(self.hours)
        if self.ramadan_hours is not None:
            check_shifts(self.ramadan_hours)
        if len(self.weekend) >= 7 or any(not 0 <= d <= 6 for d in self.weekend):
            raise ValidationError(QT_TRANSLATE_NOOP("core", "A week needs at least one working day."), "weekend")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and not self.holidays.is_public_holiday(day)

    def shifts_of(self, day: date) -> tuple[Shift, ...]:
        if self.ramadan_hours is not None and day in self.holidays.ramadan_days(day.year):
            return self.ramadan_hours
        return self.hours

    def open_spans(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open periods that end after ``since``, in order (local times)."""
        first = since.astimezone(self.zone).date() - timedelta(days=1)  # yesterday's shift may run past midnight
        for n in range(MAX_DAYS):
            day = first + timedelta(days=n)
            if not self.is_working_day(day):
                continue
            for begin, end in sorted(s.on(day, self.zone) for s in self.shifts_of(day)):
                if end > since:
                    yield max(begin, since), end
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The branch calendar has no working time left."), "hours")


def due_at(opened_at: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
    """The moment (UTC) at which ``hours`` of working time have passed since ``opened_at`` (aware). A ticket
    opened while the branch is closed starts counting when it opens; one due exactly at closing is due then."""
    if opened_at.tzinfo is None:
        raise ValueError("opened_at must be timezone-aware")
    if hours <= 0:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "SLA hours must be more than zero."), "hours")
    left = timedelta(hours=hours)
    for begin, end in calendar.open_spans(opened_at):
        if end - begin >= left:
            return (begin + left).astimezone(UTC)
        left -= end - begin
    raise AssertionError("open_spans ends by raising")  # pragma: no cover


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """Working time from ``start`` to ``end`` (zero when ``end`` is not later)."""
    total = timedelta()
    if end <= start:
        return total
    for begin, finish in calendar.open_spans(start):
        if begin >= end:
            break
        total += min(finish, end) - begin
    return total


def resumed_due(due: datetime, paused_at: datetime, resumed_at: datetime, calendar: WorkingCalendar) -> datetime:
    """The deadline of a ticket that waited for the customer from ``paused_at`` to ``resumed_at``: the working
    time of the wait does not count, so the deadline moves on by that much working time (counted from the old
    deadline, which keeps a ticket already overdue when it paused exactly as overdue as it was). A wait wholly
    outside opening hours moves nothing."""
    paused = working_time_between(paused_at, resumed_at, calendar)
    if paused <= timedelta():
        return due
    return due_at(due, paused.total_seconds() / 3600, calendar)
