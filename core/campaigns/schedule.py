"""When a campaign runs, and the name of each run (its occurrence).

A schedule is once at a moment, daily at HH:MM, weekly on a weekday at HH:MM, or yearly on its occasion's
date at HH:MM (a seasonal campaign: Eid al-Fitr as the calendar gives it, announced dates applied). Times are
local to Asia/Dubai, which keeps no daylight saving, so 10:00 is 06:00 UTC every day of the year.

Each run has an occurrence key that every executor derives alike: "once", the local date for a daily run
("2027-03-14": that day's birthdays), the ISO week for a weekly one ("2027-W11"), the occasion's date for a
yearly one. The executor keys its ledger rows by it, so the same run is never made twice.

Only the latest occurrence at or before now is due: a store that was closed for three days sends today's
birthday wishes, not three days of late ones. A yearly run more than ``OCCASION_LATE`` after its moment is not
due any more (an Eid greeting a week late is worse than none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP

OCCASION_LATE = timedelta(days=1)
ONCE = "once"


class Repeat(StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    YEARLY = "yearly"  # on the campaign's occasion


NOT_A_REPEAT = QT_TRANSLATE_NOOP("core", "“{value}” is not a way a campaign repeats.")
NO_MOMENT = QT_TRANSLATE_NOOP("core", "Choose the date and time the campaign is sent.")
NO_WEEKDAY = QT_TRANSLATE_NOOP("core", "Choose the day of the week the campaign is sent.")
BAD_TIME = QT_TRANSLATE_NOOP("core", "The time of day reads like 10:00.")


@dataclass(frozen=True)
class Occurrence:
    key: str
    moment: datetime  # aware UTC
    day: date  # the local (Asia/Dubai) day it stands for: a birthday run's birthdays

    @property
    def local(self) -> datetime:
        return self.moment.astimezone(DUBAI)


@dataclass(frozen=True)
class Schedule:
    repeat: str = Repeat.ONCE
    at: datetime | None = None  # once: the moment (aware)
    time_of_day: time = time(10, 0)  # daily, weekly, yearly: Asia/Dubai
    weekday: int | None = None  # weekly: 0 Monday … 6 Sunday

    def validated(self) -> Schedule:
        errors: list[ValidationError] = []
        if self.repeat not in {r.value for r in Repeat}:
            errors.append(ValidationError(NOT_A_REPEAT, "schedule.repeat", value=str(self.repeat)))
        if self.repeat == Repeat.ONCE and (self.at is None or self.at.tzinfo is None):
            errors.append(ValidationError(NO_MOMENT, "schedule.at"))
        if self.repeat == Repeat.WEEKLY and (
            isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6
        ):
            errors.append(ValidationError(NO_WEEKDAY, "schedule.weekday"))
        if not isinstance(self.time_of_day, time) or self.time_of_day.tzinfo is not None:
            errors.append(ValidationError(BAD_TIME, "schedule.time"))
        if errors:
            raise ValidationErrors(errors)
        at = None if self.at is None else self.at.astimezone(UTC)
        return Schedule(self.repeat, at, self.time_of_day.replace(second=0, microsecond=0), self.weekday)

    def to_json(self) -> dict[str, Any]:
        return {
            "repeat": str(self.repeat),
            "at": None if self.at is None else self.at.isoformat(),
            "time": self.time_of_day.strftime("%H:%M"),
            "weekday": self.weekday,
        }

    @classmethod
    def from_json(cls, value: object) -> Schedule:
        if not isinstance(value, Mapping):
            raise ValidationError(BAD_TIME, "schedule")
        unknown = set(value) - {"repeat", "at", "time", "weekday"}
        if unknown:
            raise ValidationError(NOT_A_REPEAT, "schedule", value=", ".join(sorted(map(str, unknown)))[:60])
        try:
            at = None if value.get("at") is None else datetime.fromisoformat(str(value["at"]))
            moment = time.fromisoformat(str(value.get("time", "10:00")))
        except ValueError as error:
            raise ValidationError(BAD_TIME, "schedule") from error
        return cls(str(value.get("repeat", Repeat.ONCE)), at, moment, value.get("weekday")).validated()

    def with_time(self, moment: time) -> Schedule:
        if self.repeat == Repeat.ONCE and self.at is not None:
            day = self.at.astimezone(DUBAI).date()
            return Schedule(self.repeat, datetime.combine(day, moment, DUBAI).astimezone(UTC), moment, self.weekday)
        return Schedule(self.repeat, self.at, moment, self.weekday)

    @property
    def local_time(self) -> time:
        """The local time of day it sends at."""
        if self.repeat == Repeat.ONCE and self.at is not None:
            return self.at.astimezone(DUBAI).time()
        return self.time_of_day


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, DUBAI).astimezone(UTC)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def latest(schedule: Schedule, now: datetime, occasion_days: Iterable[date] = ()) -> Occurrence | None:
    """The newest occurrence at or before ``now``; None when none has come yet. ``occasion_days``: the dates of
    a yearly schedule's occasion around now (the calendar's, announced dates applied)."""
    today = now.astimezone(DUBAI).date()
    if schedule.repeat == Repeat.ONCE:
        if schedule.at is None or schedule.at > now:
            return None
        return Occurrence(ONCE, schedule.at.astimezone(UTC), schedule.at.astimezone(DUBAI).date())
    if schedule.repeat == Repeat.DAILY:
        day = today if _at(today, schedule.time_of_day) <= now else today - timedelta(days=1)
        return Occurrence(day.isoformat(), _at(day, schedule.time_of_day), day)
    if schedule.repeat == Repeat.WEEKLY:
        assert schedule.weekday is not None
        day = today - timedelta(days=(today.weekday() - schedule.weekday) % 7)
        if _at(day, schedule.time_of_day) > now:
            day -= timedelta(days=7)
        return Occurrence(iso_week(day), _at(day, schedule.time_of_day), day)
    past = [d for d in occasion_days if _at(d, schedule.time_of_day) <= now]
    if not past:
        return None
    day = max(past)
    return Occurrence(day.isoformat(), _at(day, schedule.time_of_day), day)


def latest_in_zone(schedule: Schedule, now: datetime, zone: str) -> Occurrence | None:
    """A daily schedule's newest occurrence at or before ``now`` by the clocks of ``zone`` (an IANA name): its
    time of day there, on that zone's date, keyed by that date. None for any other kind of schedule."""
    if schedule.repeat != Repeat.DAILY:
        return None
    where = ZoneInfo(zone)
    day = now.astimezone(where).date()
    moment = datetime.combine(day, schedule.time_of_day, where).astimezone(UTC)
    if moment > now:
        day -= timedelta(days=1)
        moment = datetime.combine(day, schedule.time_of_day, where).astimezone(UTC)
    return Occurrence(day.isoformat(), moment, day)


def due(
    schedule: Schedule, now: datetime, last_done: str | None, occasion_days: Iterable[date] = ()
) -> Occurrence | None:
    """The occurrence to run now: the latest one, unless it is the one finished last (``last_done``) or a
    yearly run already too late."""
    found = latest(schedule, now, occasion_days)
    if found is None or found.key == last_done:
        return None
    if schedule.repeat == Repeat.YEARLY and now - found.moment > OCCASION_LATE:
        return None
    return found


def upcoming(schedule: Schedule, after: datetime, count: int, occasion_days: Iterable[date] = ()) -> list[Occurrence]:
    """The next ``count`` occurrences after ``after`` (what a manager's calendar shows)."""
    found: list[Occurrence] = []
    if schedule.repeat == Repeat.ONCE:
        if schedule.at is not None and schedule.at > after:
            found.append(Occurrence(ONCE, schedule.at, schedule.at.astimezone(DUBAI).date()))
        return found
    if schedule.repeat == Repeat.YEARLY:
        days = sorted(d for d in occasion_days if _at(d, schedule.time_of_day) > after)
        return [Occurrence(d.isoformat(), _at(d, schedule.time_of_day), d) for d in days[:count]]
    day = after.astimezone(DUBAI).date()
    while len(found) < count:
        if schedule.repeat == Repeat.DAILY or day.weekday() == schedule.weekday:
            moment = _at(day, schedule.time_of_day)
            if moment > after:
                key = day.isoformat() if schedule.repeat == Repeat.DAILY else iso_week(day)
                found.append(Occurrence(key, moment, day))
        day += timedelta(days=1)
    return found
