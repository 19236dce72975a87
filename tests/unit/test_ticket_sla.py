"""SLA due times in branch working hours: weekends, holidays, Ramadan split shifts, shifts across midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.campaigns.calendar import Occasion, OccasionCalendar, override_for
from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError
from core.tickets.sla import Shift, WorkingCalendar, due_at, working_time_between

RAMADAN_HOURS = (Shift(time(10), time(16)), Shift(time(20), time(1)))


def dubai(*args: int) -> datetime:
    return datetime(*args, tzinfo=DUBAI)  # type: ignore[misc]


def test_counts_only_opening_hours_of_the_same_day() -> None:
    due = due_at(dubai(2026, 12, 8, 11, 0), 4, WorkingCalendar())  # a Tuesday
    assert due == dubai(2026, 12, 8, 15, 0)
    assert due.tzinfo is UTC


def test_opened_before_opening_starts_counting_at_opening() -> None:
    assert due_at(dubai(2026, 12, 8, 7, 15), 1.5, WorkingCalendar()) == dubai(2026, 12, 8, 11, 30)


def test_month_end_over_the_weekend() -> None:
    # Friday 29 January 2027, 20:00: two hours that day, then Saturday and Sunday (31 January) are the weekend.
    assert due_at(dubai(2027, 1, 29, 20, 0), 6, WorkingCalendar()) == dubai(2027, 2, 1, 14, 0)


def test_leap_day_due_exactly_at_closing() -> None:
    # Monday 28 February 2028 is the last day of Eid al-Fitr 1449: closed. All twelve hours of Tuesday 29
    # February count, and the ticket is due at closing, not at the next opening.
    assert due_at(dubai(2028, 2, 28, 21, 0), 12, WorkingCalendar()) == dubai(2028, 2, 29, 22, 0)
    assert due_at(dubai(2028, 2, 28, 21, 0), 13, WorkingCalendar()) == dubai(2028, 3, 1, 11, 0)


def test_new_years_eve_skips_the_holiday_and_the_weekend() -> None:
    # Thursday 31 December 2026 23:59: closed; 1 January (Friday) is a holiday, then the weekend.
    opened = datetime(2026, 12, 31, 19, 59, tzinfo=UTC)
    assert due_at(opened, 4, WorkingCalendar()) == dubai(2027, 1, 4, 14, 0)


def test_ramadan_split_shift_across_midnight_then_eid_al_fitr() -> None:
    calendar = WorkingCalendar(ramadan_hours=RAMADAN_HOURS)
    # Monday 8 March 2027 is the 29th of Ramadan 1448 (30 days, so 9 March is a holiday with Eid on 10–11 March).
    # 15:00–16:00 and 20:00–01:00 give six hours; the two left fall on Friday 12 March, in the usual hours.
    assert due_at(dubai(2027, 3, 8, 15, 0), 8, calendar) == dubai(2027, 3, 12, 12, 0)
    # Without Ramadan hours the same ticket counts 15:00–22:00, then Friday.
    assert due_at(dubai(2027, 3, 8, 15, 0), 8, WorkingCalendar()) == dubai(2027, 3, 12, 11, 0)


def test_opened_in_the_part_of_a_night_shift_after_midnight() -> None:
    calendar = WorkingCalendar(ramadan_hours=RAMADAN_HOURS)
    # Thursday 18 February 2027 00:30 belongs to Wednesday's 20:00–01:00 shift: half an hour, then Thursday 10:00.
    assert due_at(dubai(2027, 2, 18, 0, 30), 1, calendar) == dubai(2027, 2, 18, 10, 30)
    # Opened late on a Friday in Ramadan: 23:30–01:00, then Monday (the weekend has no shift to run into).
    assert due_at(dubai(2027, 2, 19, 23, 30), 3, calendar) == dubai(2027, 2, 22, 11, 30)


def test_announced_holiday_transfer_is_followed() -> None:
    opened = dubai(2027, 12, 2, 10, 0)  # Thursday, National Day by the calculation: closed 2–3 December
    assert due_at(opened, 2, WorkingCalendar()) == dubai(2027, 12, 6, 12, 0)
    moved = OccasionCalendar([override_for(Occasion.UAE_NATIONAL_DAY, date(2027, 12, 3), holiday_only=True)])
    assert due_at(opened, 2, WorkingCalendar(holidays=moved)) == dubai(2027, 12, 2, 12, 0)


def test_configurable_weekend() -> None:
    old_weekend = WorkingCalendar(weekend=frozenset({4, 5}))  # Friday–Saturday, as before 2022
    # Friday 29 January 2027 20:00 is then closed; Sunday 31 January is a working day.
    assert due_at(dubai(2027, 1, 29, 20, 0), 6, old_weekend) == dubai(2027, 1, 31, 16, 0)


def test_working_time_between_matches_due_at() -> None:
    calendar = WorkingCalendar(ramadan_hours=RAMADAN_HOURS)
    opened = dubai(2027, 3, 8, 15, 0)
    due = due_at(opened, 8, calendar)
    assert working_time_between(opened, due, calendar) == timedelta(hours=8)
    assert working_time_between(due, opened, calendar) == timedelta()


@pytest.mark.parametrize(
    ("shifts", "hours"),
    [
        ((), 4),
        ((Shift(time(10), time(16)), Shift(time(15), time(18))), 4),
        ((Shift(time(9), time(23)), Shift(time(23), time(10))), 4),  # runs into the next day's first shift
    ],
)
def test_bad_calendars_are_refused(shifts: tuple[Shift, ...], hours: int) -> None:
    with pytest.raises(ValidationError):
        WorkingCalendar(hours=shifts)


def test_non_positive_hours_and_naive_times_are_refused() -> None:
    with pytest.raises(ValidationError):
        due_at(dubai(2026, 12, 3, 11, 0), 0, WorkingCalendar())
    with pytest.raises(ValueError, match="aware"):
        due_at(datetime(2026, 12, 3, 11, 0), 1, WorkingCalendar())
    with pytest.raises(ValidationError):
        WorkingCalendar(weekend=frozenset(range(7)))
