"""Which season a day in Asia/Dubai belongs to, for the sales dashboard: Ramadan, Eid al-Fitr, Eid al-Adha, the
National Day week, or an ordinary day.

The Islamic dates are the calendar's (core.campaigns.calendar: Umm al-Qura, from ``hijridate``), the same the
campaigns and the ticket SLA read: Ramadan runs from 1 Ramadan to the day before 1 Shawwal (29 or 30 days);
Eid al-Fitr is 1–3 Shawwal and Eid al-Adha 10–13 Dhu al-Hijjah (the days shops feel, Arafat Day before them
belongs to neither); the National Day week is the seven days 28 November – 4 December around the holiday of 2–3
December. A day is in at most one season; the Eids come first where two could meet. Days are counted as
"days since 1970-01-01 in Dubai", so a whole history is classified with one array lookup.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
from hijridate import Gregorian

from core.campaigns.calendar import FIRST_YEAR, LAST_YEAR, Occasion, calculated_date
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

ORDINARY = 0
RAMADAN = 1
EID_AL_FITR = 2
EID_AL_ADHA = 3
NATIONAL_DAY_WEEK = 4
SEASONS = ("ordinary", "ramadan", "eid_al_fitr", "eid_al_adha", "national_day_week")
# English (translated in the UI from ar.ts, context "core") and the Arabic beside it in exports.
SEASON_NAMES: dict[str, tuple[str, str]] = {
    "ordinary": (QT_TRANSLATE_NOOP("core", "Ordinary weeks"), "الأسابيع العادية"),
    "ramadan": (QT_TRANSLATE_NOOP("core", "Ramadan"), "رمضان"),
    "eid_al_fitr": (QT_TRANSLATE_NOOP("core", "Eid al-Fitr"), "عيد الفطر"),
    "eid_al_adha": (QT_TRANSLATE_NOOP("core", "Eid al-Adha"), "عيد الأضحى"),
    "national_day_week": (QT_TRANSLATE_NOOP("core", "National Day week"), "أسبوع عيد الاتحاد"),
}
EPOCH = date(1970, 1, 1)
DUBAI_OFFSET = 4 * 3600  # Asia/Dubai is UTC+4 all year


def day_number(day: date) -> int:
    return (day - EPOCH).days


def dubai_days(at: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Unix seconds → days since 1970-01-01 in Asia/Dubai."""
    return (at + DUBAI_OFFSET) // 86400


def _hijri_years(first: date, last: date) -> range:
    low = Gregorian(first.year, 1, 1).to_hijri().year - 1
    high = Gregorian(last.year, 12, 31).to_hijri().year + 1
    return range(low, high + 1)


def seasons_between(first: int, last: int) -> npt.NDArray[np.int8]:
    """The season of every Dubai day number from ``first`` to ``last`` inclusive (index 0 is ``first``)."""
    out = np.zeros(max(0, last - first + 1), np.int8)
    if out.size == 0:
        return out
    start = EPOCH + timedelta(days=first)
    end = EPOCH + timedelta(days=last)
    lo_year, hi_year = max(FIRST_YEAR, start.year), min(LAST_YEAR, end.year)
    if lo_year > hi_year:
        return out

    def mark(begin: date, days: int, season: int) -> None:
        a = max(day_number(begin) - first, 0)
        b = min(day_number(begin) + days - first, out.size)
        if a < b:
            out[a:b] = season

    for year in range(lo_year, hi_year + 1):
        mark(date(year, 11, 28), 7, NATIONAL_DAY_WEEK)
    for hijri_year in _hijri_years(date(lo_year, 1, 1), date(hi_year, 12, 31)):
        try:
            ramadan = calculated_date(Occasion.RAMADAN_START, hijri_year)
            fitr = calculated_date(Occasion.EID_AL_FITR, hijri_year)
            adha = calculated_date(Occasion.EID_AL_ADHA, hijri_year)
        except (ValueError, ValidationError):  # a year outside the Umm al-Qura tables: its days stay ordinary
            continue
        mark(ramadan, (fitr - ramadan).days, RAMADAN)
        mark(fitr, 3, EID_AL_FITR)
        mark(adha, 4, EID_AL_ADHA)
    return out
