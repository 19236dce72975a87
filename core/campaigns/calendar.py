"""The UAE's occasions and public holidays of a Gregorian year, from the Umm al-Qura calendar.

Seasonal campaigns are scheduled by these dates and the support-ticket SLA skips the holidays, so both read
one calendar. Islamic dates come from ``hijridate``, which ships the published Umm al-Qura tables (1343–1500
AH): no astronomy here. The UAE announces an Islamic month after its own moon sighting and has differed from
Umm al-Qura by a day (Rabi al-Awwal 1447 began a day later in the UAE, so the Prophet's Birthday of 2025 fell
on 5 September, not 4), and the Cabinet may move a holiday other than the Eids to the start or end of the week
(the Hijri New Year of 2025 was kept on Friday 27 June; National Day on 1–2 December). So an occurrence's
date can be overridden: the occasion itself (a sighting; its holidays move with it) or only its holiday (a
transfer). Either stays within ``MAX_SHIFT_DAYS`` of the calculated date, which catches a mistyped year.

Public holidays follow Cabinet Resolution 27/2024 (in force from 2025): 1 January; Eid al-Fitr 1–3 Shawwal,
and 30 Ramadan when Ramadan has 30 days; Arafat Day; Eid al-Adha 10–12 Dhu al-Hijjah; the Hijri New Year;
the Prophet's Birthday; National Day 2–3 December. Commemoration Day (30 November, a holiday observed on
1 December from 2019) is no longer listed from 2025: it is a holiday up to 2024 unless told otherwise. Earlier
years are given by the same rules; the resolutions before 2019 differed and are not modelled.

A Gregorian year can hold the same Hijri date twice (2030 begins and ends in a Ramadan), so an occurrence is
named by the occasion and its own year: the Hijri year for Islamic occasions, the Gregorian one for fixed
ones. Dates are days in Asia/Dubai: ``is_public_holiday_at`` takes a moment and asks about its Dubai date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hijridate import Gregorian, Hijri

from core.kernel.clock import local
from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

FIRST_YEAR, LAST_YEAR = 1925, 2076  # the Gregorian years the Umm al-Qura tables cover whole
MAX_SHIFT_DAYS = 3  # a sighting moves a date by a day, a transfer to Monday or Friday by up to two
RESOLUTION_27_2024 = 2025  # the first year without Commemoration Day as a separate holiday
EID_WEEK_DAYS = 7
Day = date  # the classes below have a field called ``date``, which hides the type in their bodies


class Occasion(StrEnum):
    RAMADAN_START = "ramadan_start"
    EID_AL_FITR = "eid_al_fitr"
    ARAFAT_DAY = "arafat_day"
    EID_AL_ADHA = "eid_al_adha"
    ISLAMIC_NEW_YEAR = "islamic_new_year"
    PROPHETS_BIRTHDAY = "prophets_birthday"
    COMMEMORATION_DAY = "commemoration_day"
    UAE_NATIONAL_DAY = "uae_national_day"


class Source(StrEnum):
    UMM_AL_QURA = "umm_al_qura"
    FIXED = "fixed"
    OVERRIDE = "override"


NEW_YEARS_DAY = "new_years_day"  # a holiday, not a campaign occasion

# (month, day) in the Hijri calendar, and in the Gregorian one for the fixed occasions.
HIJRI_DAY: dict[Occasion, tuple[int, int]] = {
    Occasion.RAMADAN_START: (9, 1),
    Occasion.EID_AL_FITR: (10, 1),
    Occasion.ARAFAT_DAY: (12, 9),
    Occasion.EID_AL_ADHA: (12, 10),
    Occasion.ISLAMIC_NEW_YEAR: (1, 1),
    Occasion.PROPHETS_BIRTHDAY: (3, 12),
}
FIXED_DAY: dict[Occasion, tuple[int, int]] = {
    Occasion.COMMEMORATION_DAY: (11, 30),
    Occasion.UAE_NATIONAL_DAY: (12, 2),
}

# English (translated in the UI from ar.ts, context "core") and the Arabic the JSON and head office give.
NAMES: dict[str, tuple[str, str]] = {
    Occasion.RAMADAN_START: (QT_TRANSLATE_NOOP("core", "Start of Ramadan"), "بداية شهر رمضان"),
    Occasion.EID_AL_FITR: (QT_TRANSLATE_NOOP("core", "Eid al-Fitr"), "عيد الفطر"),
    Occasion.ARAFAT_DAY: (QT_TRANSLATE_NOOP("core", "Arafat Day"), "يوم عرفة"),
    Occasion.EID_AL_ADHA: (QT_TRANSLATE_NOOP("core", "Eid al-Adha"), "عيد الأضحى"),
    Occasion.ISLAMIC_NEW_YEAR: (QT_TRANSLATE_NOOP("core", "Islamic New Year"), "رأس السنة الهجرية"),
    Occasion.PROPHETS_BIRTHDAY: (QT_TRANSLATE_NOOP("core", "Prophet's Birthday"), "المولد النبوي الشريف"),
    Occasion.COMMEMORATION_DAY: (QT_TRANSLATE_NOOP("core", "Commemoration Day"), "يوم الشهيد"),
    Occasion.UAE_NATIONAL_DAY: (QT_TRANSLATE_NOOP("core", "UAE National Day"), "عيد الاتحاد"),
    NEW_YEARS_DAY: (QT_TRANSLATE_NOOP("core", "New Year's Day"), "رأس السنة الميلادية"),
}

# Days off from the occasion's holiday start, and how long after the occasion that start falls by default.
HOLIDAY_DAYS: dict[Occasion, int] = {
    Occasion.EID_AL_FITR: 3,
    Occasion.ARAFAT_DAY: 1,
    Occasion.EID_AL_ADHA: 3,
    Occasion.ISLAMIC_NEW_YEAR: 1,
    Occasion.PROPHETS_BIRTHDAY: 1,
    Occasion.UAE_NATIONAL_DAY: 2,
    Occasion.COMMEMORATION_DAY: 1,
}
OBSERVED_AFTER: dict[Occasion, int] = {Occasion.COMMEMORATION_DAY: 1}
NOT_TRANSFERABLE = frozenset({Occasion.RAMADAN_START, Occasion.EID_AL_FITR, Occasion.EID_AL_ADHA})

_YEARS = QT_TRANSLATE_NOOP("core", "The calendar covers the years {first} to {last}.")


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_YEARS, "year", first=FIRST_YEAR, last=LAST_YEAR)


def occasion_named(name: str) -> Occasion:
    try:
        return Occasion(name.strip())
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "There is no occasion called {name}."), "occasion", name=name
        ) from None


def hijri_of(day: date) -> str:
    """The Umm al-Qura date of ``day`` as ``YYYY-MM-DD``."""
    return str(Gregorian.fromdate(day).to_hijri().isoformat())


def _gregorian(hijri: Hijri) -> date:
    day = hijri.to_gregorian()
    return date(day.year, day.month, day.day)


def is_hijri(occasion: Occasion) -> bool:
    return occasion in HIJRI_DAY


def calculated_date(occasion: Occasion, year: int) -> date:
    """The Umm al-Qura (or fixed) date of ``occasion`` in its own ``year``; refuses a year out of range."""
    if is_hijri(occasion):
        month, day = HIJRI_DAY[occasion]
        try:
            return _gregorian(Hijri(year, month, day))
        except (OverflowError, ValueError):
            raise ValidationError(_YEARS, "year", first=FIRST_YEAR, last=LAST_YEAR) from None
    check_year(year)
    month, day = FIXED_DAY[occasion]
    return date(year, month, day)


@dataclass(frozen=True)
class Override:
    """The date the UAE announced for one occurrence: ``year`` is its own year (Hijri for Islamic occasions,
    Gregorian for fixed ones). ``holiday_only``: the Cabinet moved the day off, the occasion keeps its date."""

    occasion: Occasion
    year: int
    date: Day
    holiday_only: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"occasion": self.occasion.value, "year": self.year, "date": self.date.isoformat()}
        if self.holiday_only:
            out["holiday_only"] = True
        return out

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Override:
        """Reads what ``to_json`` wrote, validated; a malformed value is refused."""
        try:
            year, day = value["year"], date.fromisoformat(str(value["date"]))
            holiday_only = value.get("holiday_only", False)
        except (KeyError, TypeError, ValueError):
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This announced date cannot be read."), "date") from None
        if not isinstance(year, int) or isinstance(year, bool) or not isinstance(holiday_only, bool):
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This announced date cannot be read."), "date")
        override = cls(occasion_named(str(value.get("occasion", ""))), year, day, holiday_only)
        override.check()
        return override

    @property
    def key(self) -> tuple[Occasion, int, bool]:
        return (self.occasion, self.year, self.holiday_only)

    def calculated(self) -> Day:
        """Where this occurrence (or its holiday) falls without the override."""
        return calculated_date(self.occasion, self.year) + timedelta(
            days=OBSERVED_AFTER.get(self.occasion, 0) if self.holiday_only else 0
        )

    def check(self) -> None:
        """Refuses a holiday transfer of an Eid or of the start of Ramadan, and a date more than
        ``MAX_SHIFT_DAYS`` from the calculated one (the message names the calculated date)."""
        if self.holiday_only and self.occasion in NOT_TRANSFERABLE:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Only a holiday other than the Eids can be moved to another day."),
                "occasion",
            )
        calculated = self.calculated()
        if abs((self.date - calculated).days) > MAX_SHIFT_DAYS:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "core", "An announced date is at most three days from the calculated one ({calculated})."
                ),
                "date",
                calculated=calculated.isoformat(),
            )


def override_for(occasion: Occasion, announced: date, *, holiday_only: bool = False) -> Override:
    """The override that moves the occurrence of ``occasion`` nearest to ``announced`` there: how a date typed
    as ``eid_al_fitr=2025-03-31`` finds its occurrence. Refuses a date too far from every occurrence."""
    check_year(announced.year)
    if is_hijri(occasion):
        around = Gregorian.fromdate(announced).to_hijri().year
        years = [y for y in (around - 1, around, around + 1) if 1343 <= y <= 1500]
    else:
        years = [y for y in (announced.year - 1, announced.year, announced.year + 1) if FIRST_YEAR <= y <= LAST_YEAR]
    candidates = [Override(occasion, y, announced, holiday_only) for y in years]
    nearest = min(candidates, key=lambda o: abs((announced - o.calculated()).days))
    nearest.check()
    return nearest


@dataclass(frozen=True)
class OccasionDate:
    """One occurrence of an occasion: the date in force, the calculated one and where its holiday starts."""

    occasion: Occasion
    year: int  # its own year: Hijri for Islamic occasions, Gregorian for fixed ones
    date: Day
    calculated: Day
    hijri: str  # the occasion's Hijri date (for a fixed one, the Umm al-Qura date of ``date``)
    source: Source
    holiday_start: Day

    @property
    def name_en(self) -> str:
        return NAMES[self.occasion][0]

    @property
    def name_ar(self) -> str:
        return NAMES[self.occasion][1]

    def to_json(self) -> dict[str, str]:
        return {
            "occasion": self.occasion.value,
            "date": self.date.isoformat(),
            "hijri": self.hijri,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "source": self.source.value,
        }


@dataclass(frozen=True)
class Holiday:
    date: Day
    occasion: str  # an Occasion's value, or NEW_YEARS_DAY

    @property
    def name_en(self) -> str:
        return NAMES[self.occasion][0]

    @property
    def name_ar(self) -> str:
        return NAMES[self.occasion][1]


@dataclass(frozen=True)
class Period:
    """A run of days for analytics: ``ramadan``, ``eid_al_fitr_week`` or ``eid_al_adha_week`` (the Eid day and
    the six after it) of Hijri ``year``; ``end`` is included."""

    kind: str
    year: int
    start: Day
    end: Day

    def days(self) -> list[Day]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass
class OccasionCalendar:
    """The occasions and holidays with ``overrides`` applied. ``commemoration_day``: whether Commemoration Day
    is a holiday (None: up to 2024 only). Refuses invalid or duplicate overrides."""

    overrides: Iterable[Override] = ()
    commemoration_day: bool | None = None
    _by_key: dict[tuple[Occasion, int, bool], Override] = field(init=False, repr=False)
    _holidays: dict[int, list[Holiday]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.overrides = tuple(self.overrides)
        self._by_key = {}
        for override in self.overrides:
            override.check()
            if override.key in self._by_key:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "This occurrence already has an announced date."), "occasion"
                )
            self._by_key[override.key] = override

    # -- occasions -------------------------------------------------------------------------------------------------
    def occurrence(self, occasion: Occasion, year: int) -> OccasionDate:
        calculated = calculated_date(occasion, year)
        moved = self._by_key.get((occasion, year, False))
        day = moved.date if moved else calculated
        if is_hijri(occasion):
            month, dom = HIJRI_DAY[occasion]
            hijri, source = f"{year:04d}-{month:02d}-{dom:02d}", Source.UMM_AL_QURA
        else:
            hijri, source = hijri_of(day), Source.FIXED
        transfer = self._by_key.get((occasion, year, True))
        start = transfer.date if transfer else day + timedelta(days=OBSERVED_AFTER.get(occasion, 0))
        return OccasionDate(occasion, year, day, calculated, hijri, Source.OVERRIDE if moved else source, start)

    def _near(self, year: int) -> list[OccasionDate]:
        """Every occurrence calculated within a few days of ``year`` (an override or a holiday can cross into
        it from the year before or after), of every occasion."""
        check_year(year)
        margin = timedelta(days=MAX_SHIFT_DAYS + max(HOLIDAY_DAYS.values()) + 1)
        first = Gregorian.fromdate(date(year, 1, 1) - margin).to_hijri().year
        last = Gregorian.fromdate(date(year, 12, 31) + margin).to_hijri().year
        found = [self.occurrence(o, h) for h in range(first, last + 1) for o in HIJRI_DAY]
        years = [y for y in (year - 1, year, year + 1) if FIRST_YEAR <= y <= LAST_YEAR]
        found += [self.occurrence(o, y) for y in years for o in FIXED_DAY]
        return found

    def occasions(self, year: int) -> list[OccasionDate]:
        """The occurrences whose date in force falls in Gregorian ``year``, by date."""
        return sorted((o for o in self._near(year) if o.date.year == year), key=lambda o: (o.date, o.occasion))

    # -- holidays --------------------------------------------------------------------------------------------------
    def _commemoration(self, year: int) -> bool:
        return self.commemoration_day if self.commemoration_day is not None else year < RESOLUTION_27_2024

    def public_holidays(self, year: int) -> list[Holiday]:
        """The UAE's public holidays of ``year`` (Resolution 27/2024), overrides applied, by date."""
        if year in self._holidays:
            return self._holidays[year]
        near = self._near(year)
        ramadan = {o.year: o.date for o in near if o.occasion is Occasion.RAMADAN_START}
        days: list[Holiday] = [Holiday(date(year, 1, 1), NEW_YEARS_DAY)]
        for o in near:
            if o.occasion not in HOLIDAY_DAYS:
                continue
            if o.occasion is Occasion.COMMEMORATION_DAY and not self._commemoration(o.holiday_start.year):
                continue
            days += [Holiday(o.holiday_start + timedelta(days=n), o.occasion) for n in range(HOLIDAY_DAYS[o.occasion])]
            start = ramadan.get(o.year) if o.occasion is Occasion.EID_AL_FITR else None
            if start is not None and (o.date - start).days >= 30:  # Ramadan had 30 days: its last is off too
                days.append(Holiday(o.date - timedelta(days=1), o.occasion))
        chosen = sorted((h for h in set(days) if h.date.year == year), key=lambda h: (h.date, h.occasion))
        self._holidays[year] = chosen
        return chosen

    def is_public_holiday(self, day: date) -> bool:
        return any(h.date == day for h in self.public_holidays(day.year))

    def is_public_holiday_at(self, moment: datetime) -> bool:
        """Whether ``moment`` (aware) falls on a public holiday in Asia/Dubai."""
        return self.is_public_holiday(local(moment).date())

    # -- periods for analytics -------------------------------------------------------------------------------------
    def periods(self, year: int) -> list[Period]:
        """Ramadan and the two Eid weeks of every Hijri year that touch Gregorian ``year``, by start."""
        near = {(o.occasion, o.year): o for o in self._near(year)}
        found: list[Period] = []
        for (occasion, hijri_year), o in near.items():
            if occasion is Occasion.RAMADAN_START and (Occasion.EID_AL_FITR, hijri_year) in near:
                eid = near[(Occasion.EID_AL_FITR, hijri_year)].date
                found.append(Period("ramadan", hijri_year, o.date, eid - timedelta(days=1)))
            elif occasion in (Occasion.EID_AL_FITR, Occasion.EID_AL_ADHA):
                end = o.date + timedelta(days=EID_WEEK_DAYS - 1)
                found.append(Period(f"{occasion.value}_week", hijri_year, o.date, end))
        return sorted((p for p in found if p.start.year <= year <= p.end.year), key=lambda p: (p.start, p.kind))

    def _days(self, year: int, kind: str) -> list[date]:
        return [d for p in self.periods(year) if p.kind == kind for d in p.days() if d.year == year]

    def ramadan_days(self, year: int) -> list[date]:
        """Every day of Ramadan that falls in ``year`` (two Ramadans' days in a year such as 2030)."""
        return self._days(year, "ramadan")

    def eid_al_fitr_week(self, year: int) -> list[date]:
        return self._days(year, "eid_al_fitr_week")

    def eid_al_adha_week(self, year: int) -> list[date]:
        return self._days(year, "eid_al_adha_week")


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_SHIFT_DAYS",
    "NAMES",
    "NEW_YEARS_DAY",
    "Holiday",
    "Occasion",
    "OccasionCalendar",
    "OccasionDate",
    "Override",
    "Period",
    "Source",
    "calculated_date",
    "check_year",
    "hijri_of",
    "occasion_named",
    "override_for",
]
