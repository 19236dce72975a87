"""Retention periods counted in calendar months, as a person counts them: back to the same day of the month, or to
that month's last day when it has no such day (DESIGN.md: dates are the branch's, Asia/Dubai)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), on the same day of the month or that month's last day
    (31 March less one month is 28 or 29 February; 29 February less twelve months is 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
