"""SLA due times in branch working hours: weekends, holidays, Ramadan split shifts, shifts across midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.campaigns.calendar import Occasion, OccasionCalendar, override_for
from core.kernel.clock import DUBAI
from core.kernel.errors import ValidationError
from core.tickets.sla import Shift, WorkingCalendar, due_at, resumed_due, working_time_between

RAMADAN_HOURS = (Shift(time(10), time(16)), Shift(time(20), time(1)))
CAL = WorkingCalendar()


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


# -- the pause while waiting for the customer ------------------------------------------------------------------


def test_a_wait_inside_one_day_moves_the_deadline_by_the_wait() -> None:
    # Due Tuesday 8 December 2026 18:00; waited 11:00–13:30 the same day: due 20:30.
    moved = resumed_due(dubai(2026, 12, 8, 18, 0), dubai(2026, 12, 8, 11, 0), dubai(2026, 12, 8, 13, 30), CAL)
    assert moved == dubai(2026, 12, 8, 20, 30)


def test_a_wait_across_the_weekend_counts_only_the_working_hours_of_the_wait() -> None:
    # Paused Friday 11 December 2026 20:00, resumed Monday 14 December 11:00: two hours Friday, one hour Monday.
    # Due was Friday 21:00 (an hour left at the pause), so it moves three working hours: Monday 12:00.
    moved = resumed_due(dubai(2026, 12, 11, 21, 0), dubai(2026, 12, 11, 20, 0), dubai(2026, 12, 14, 11, 0), CAL)
    assert moved == dubai(2026, 12, 14, 12, 0)
    # The same wait without counting: an hour left when it paused, an hour left when it resumed.
    assert working_time_between(dubai(2026, 12, 14, 11, 0), moved, CAL) == timedelta(hours=1)


def test_a_wait_over_a_holiday_does_not_count_the_holiday() -> None:
    # Tuesday 1 December 2026 21:00 to Friday 4 December 10:30; 2–3 December are National Day. One working
    # hour Tuesday, half an hour Friday: a deadline of Friday 12:00 becomes 13:30.
    moved = resumed_due(dubai(2026, 12, 4, 12, 0), dubai(2026, 12, 1, 21, 0), dubai(2026, 12, 4, 10, 30), CAL)
    assert moved == dubai(2026, 12, 4, 13, 30)


def test_a_wait_at_month_end_moves_the_deadline_into_the_next_month() -> None:
    # Paused Friday 29 January 2027 at 16:00 with four hours left (due 20:00), resumed Monday 1 February at 10:00:
    # six working hours Friday; four left from Monday 10:00.
    moved = resumed_due(dubai(2027, 1, 29, 20, 0), dubai(2027, 1, 29, 16, 0), dubai(2027, 2, 1, 10, 0), CAL)
    assert moved == dubai(2027, 2, 1, 14, 0)


def test_a_wait_over_the_leap_day() -> None:
    # Friday 25 February 2028 12:00 to Tuesday 29 February 15:00: the weekend and the end of Eid al-Fitr 1449
    # close 26–28 February, so the wait is ten hours Friday and five on the 29th. Two hours left at the pause
    # are two hours left at 15:00.
    moved = resumed_due(dubai(2028, 2, 25, 14, 0), dubai(2028, 2, 25, 12, 0), dubai(2028, 2, 29, 15, 0), CAL)
    assert moved == dubai(2028, 2, 29, 17, 0)
    # Three hours left, resumed at 19:00 on the 29th: due at its closing; four run into Wednesday 1 March.
    moved = resumed_due(dubai(2028, 2, 25, 15, 0), dubai(2028, 2, 25, 12, 0), dubai(2028, 2, 29, 19, 0), CAL)
    assert moved == dubai(2028, 2, 29, 22, 0)
    moved = resumed_due(dubai(2028, 2, 25, 16, 0), dubai(2028, 2, 25, 12, 0), dubai(2028, 2, 29, 19, 0), CAL)
    assert moved == dubai(2028, 3, 1, 11, 0)


def test_a_wait_while_closed_moves_nothing() -> None:
    due = dubai(2026, 12, 14, 12, 0)
    assert resumed_due(due, dubai(2026, 12, 12, 9, 0), dubai(2026, 12, 13, 20, 0), CAL) == due  # the weekend


def test_an_overdue_ticket_stays_as_overdue_as_it_was() -> None:
    # Due Tuesday 8 December 12:00, paused 14:00 (two working hours late), resumed Wednesday 11:00 (nine hours
    # of wait): due Tuesday 21:00, still two working hours before the moment it resumed.
    moved = resumed_due(dubai(2026, 12, 8, 12, 0), dubai(2026, 12, 8, 14, 0), dubai(2026, 12, 9, 11, 0), CAL)
    assert moved == dubai(2026, 12, 8, 21, 0)
    assert working_time_between(moved, dubai(2026, 12, 9, 11, 0), CAL) == timedelta(hours=2)
