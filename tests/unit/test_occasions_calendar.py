"""The occasions calendar against published dates: Umm al-Qura as Saudi Arabia's Supreme Court and the UAE
announced them for 1446–1447 AH, and the UAE's public holidays of 2025 as the government announced them
(Cabinet Resolution 27/2024, then the moon sightings and transfers of that year)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.campaigns.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    NAMES,
    Occasion,
    OccasionCalendar,
    Override,
    Source,
    check_year,
    hijri_of,
    occasion_named,
    override_for,
)
from core.kernel.errors import ValidationError
from tests.clock import INSTANTS, TestClock

OC = Occasion
BUILT_IN = OccasionCalendar()


def dates(calendar: OccasionCalendar, year: int) -> dict[tuple[Occasion, int], date]:
    return {(o.occasion, o.year): o.date for o in calendar.occasions(year)}


def test_umm_al_qura_dates_as_published_for_2025() -> None:
    """1 Ramadan 1446 = 1 March 2025; Eid al-Fitr (1 Shawwal) 30 March; Dhu al-Hijjah began 28 May, so Arafat
    Day 5 June and Eid al-Adha 6 June; 1 Muharram 1447 = Thursday 26 June (Saudi Supreme Court)."""
    found = {o.occasion: o for o in BUILT_IN.occasions(2025)}
    assert {k: (v.date, v.hijri, v.source) for k, v in found.items()} == {
        OC.RAMADAN_START: (date(2025, 3, 1), "1446-09-01", Source.UMM_AL_QURA),
        OC.EID_AL_FITR: (date(2025, 3, 30), "1446-10-01", Source.UMM_AL_QURA),
        OC.ARAFAT_DAY: (date(2025, 6, 5), "1446-12-09", Source.UMM_AL_QURA),
        OC.EID_AL_ADHA: (date(2025, 6, 6), "1446-12-10", Source.UMM_AL_QURA),
        OC.ISLAMIC_NEW_YEAR: (date(2025, 6, 26), "1447-01-01", Source.UMM_AL_QURA),
        OC.PROPHETS_BIRTHDAY: (date(2025, 9, 4), "1447-03-12", Source.UMM_AL_QURA),  # Saudi Arabia's; UAE's 5th
        OC.COMMEMORATION_DAY: (date(2025, 11, 30), hijri_of(date(2025, 11, 30)), Source.FIXED),
        OC.UAE_NATIONAL_DAY: (date(2025, 12, 2), hijri_of(date(2025, 12, 2)), Source.FIXED),
    }
    assert [o.date for o in BUILT_IN.occasions(2025)] == sorted(o.date for o in BUILT_IN.occasions(2025))


def test_2030_holds_two_starts_of_ramadan_and_both_ramadans_days() -> None:
    starts = [o for o in BUILT_IN.occasions(2030) if o.occasion is OC.RAMADAN_START]
    assert [(o.date, o.hijri) for o in starts] == [(date(2030, 1, 5), "1451-09-01"), (date(2030, 12, 26), "1452-09-01")]
    days = BUILT_IN.ramadan_days(2030)
    assert days[0] == date(2030, 1, 5) and date(2030, 2, 3) in days and date(2030, 2, 4) not in days
    assert days[-6:] == [date(2030, 12, 26) + timedelta(days=n) for n in range(6)]
    assert len(days) == 30 + 6 == len(set(days))


def test_an_override_moves_one_occurrence_only() -> None:
    later = override_for(OC.RAMADAN_START, date(2030, 12, 27))
    assert later == Override(OC.RAMADAN_START, 1452, date(2030, 12, 27))
    calendar = OccasionCalendar([later])
    starts = [(o.date, o.source) for o in calendar.occasions(2030) if o.occasion is OC.RAMADAN_START]
    assert starts == [(date(2030, 1, 5), Source.UMM_AL_QURA), (date(2030, 12, 27), Source.OVERRIDE)]
    assert len(calendar.ramadan_days(2030)) == 30 + 5
    everything_else = {k: v for k, v in dates(calendar, 2030).items() if k != (OC.RAMADAN_START, 1452)}
    assert everything_else == {k: v for k, v in dates(BUILT_IN, 2030).items() if k != (OC.RAMADAN_START, 1452)}
    assert dates(calendar, 2031) == dates(BUILT_IN, 2031)  # Ramadan 1453 keeps its date


def test_an_override_can_carry_an_occurrence_into_the_next_year() -> None:
    assert (OC.EID_AL_ADHA, 1494) in dates(BUILT_IN, 2071)  # 31 December 2071
    moved = OccasionCalendar([override_for(OC.EID_AL_ADHA, date(2072, 1, 1))])
    assert (OC.EID_AL_ADHA, 1494) not in dates(moved, 2071)
    assert dates(moved, 2072)[(OC.EID_AL_ADHA, 1494)] == date(2072, 1, 1)
    # Its three days off follow it across the new year, beside New Year's Day itself.
    assert [h.date for h in moved.public_holidays(2072) if h.occasion == OC.EID_AL_ADHA][:3] == [
        date(2072, 1, 1),
        date(2072, 1, 2),
        date(2072, 1, 3),
    ]
    assert {h.occasion for h in moved.public_holidays(2072) if h.date == date(2072, 1, 1)} == {
        "new_years_day",
        OC.EID_AL_ADHA,
    }


def test_overrides_are_checked_with_a_clear_message() -> None:
    with pytest.raises(ValidationError) as far:
        OccasionCalendar([Override(OC.EID_AL_FITR, 1446, date(2025, 4, 9))])
    assert far.value.field == "date" and far.value.params == {"calculated": "2025-03-30"}
    assert "2025-03-30" in far.value.english()
    with pytest.raises(ValidationError):
        override_for(OC.EID_AL_FITR, date(2025, 5, 15))  # no Eid al-Fitr within three days
    OccasionCalendar([Override(OC.EID_AL_FITR, 1446, date(2025, 4, 2))])  # three days: accepted
    with pytest.raises(ValidationError):  # one occurrence, two announced dates
        OccasionCalendar([Override(OC.EID_AL_FITR, 1446, date(2025, 3, 31))] * 2)
    with pytest.raises(ValidationError):  # the Eids are never transferred (Resolution 27/2024, article 2)
        OccasionCalendar([Override(OC.EID_AL_ADHA, 1446, date(2025, 6, 7), holiday_only=True)])
    with pytest.raises(ValidationError) as unknown:
        occasion_named("eid")
    assert unknown.value.params == {"name": "eid"}
    for year in (FIRST_YEAR - 1, LAST_YEAR + 1):
        with pytest.raises(ValidationError) as outside:
            check_year(year)
        assert outside.value.params == {"first": FIRST_YEAR, "last": LAST_YEAR}
        with pytest.raises(ValidationError):
            BUILT_IN.occasions(year)
    with pytest.raises(ValidationError):
        Override.from_json({"occasion": "eid_al_fitr", "year": 1501, "date": "2077-12-01"})
    for bad in ({"occasion": "eid_al_fitr", "year": "1446", "date": "2025-03-31"}, {"occasion": "eid_al_fitr"}, {}):
        with pytest.raises(ValidationError):
            Override.from_json(bad)
    moved = Override(OC.UAE_NATIONAL_DAY, 2025, date(2025, 12, 1), holiday_only=True)
    assert Override.from_json(moved.to_json()) == moved


BUILT_IN_2025 = [
    date(2025, 1, 1),
    date(2025, 3, 30),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 6, 5),
    date(2025, 6, 6),
    date(2025, 6, 7),
    date(2025, 6, 8),
    date(2025, 6, 26),
    date(2025, 9, 4),
    date(2025, 12, 2),
    date(2025, 12, 3),
]


def test_public_holidays_of_2025_by_the_calculated_dates() -> None:
    assert [h.date for h in BUILT_IN.public_holidays(2025)] == BUILT_IN_2025


def test_public_holidays_of_2025_as_the_uae_announced_them() -> None:
    """The official days off of 2025: Ramadan had 29 days (no 30 Ramadan off); Hijri New Year kept on Friday
    27 June; Rabi al-Awwal began a day later in the UAE, so the Prophet's Birthday was Friday 5 September;
    National Day's two days moved to Monday 1 and Tuesday 2 December; no Commemoration Day."""
    announced = OccasionCalendar(
        [
            override_for(OC.ISLAMIC_NEW_YEAR, date(2025, 6, 27), holiday_only=True),
            override_for(OC.PROPHETS_BIRTHDAY, date(2025, 9, 5)),
            override_for(OC.UAE_NATIONAL_DAY, date(2025, 12, 1), holiday_only=True),
        ]
    )
    assert [(h.date, h.occasion) for h in announced.public_holidays(2025)] == [
        (date(2025, 1, 1), "new_years_day"),
        (date(2025, 3, 30), OC.EID_AL_FITR),
        (date(2025, 3, 31), OC.EID_AL_FITR),
        (date(2025, 4, 1), OC.EID_AL_FITR),
        (date(2025, 6, 5), OC.ARAFAT_DAY),
        (date(2025, 6, 6), OC.EID_AL_ADHA),
        (date(2025, 6, 7), OC.EID_AL_ADHA),
        (date(2025, 6, 8), OC.EID_AL_ADHA),
        (date(2025, 6, 27), OC.ISLAMIC_NEW_YEAR),
        (date(2025, 9, 5), OC.PROPHETS_BIRTHDAY),
        (date(2025, 12, 1), OC.UAE_NATIONAL_DAY),
        (date(2025, 12, 2), OC.UAE_NATIONAL_DAY),
    ]
    # A transfer moves the day off, not the occasion a campaign celebrates; a sighting moves both.
    occasions = {o.occasion: o for o in announced.occasions(2025)}
    assert occasions[OC.UAE_NATIONAL_DAY].date == date(2025, 12, 2)
    assert occasions[OC.ISLAMIC_NEW_YEAR].date == date(2025, 6, 26)
    assert occasions[OC.ISLAMIC_NEW_YEAR].source is Source.UMM_AL_QURA
    assert (occasions[OC.PROPHETS_BIRTHDAY].date, occasions[OC.PROPHETS_BIRTHDAY].source) == (
        date(2025, 9, 5),
        Source.OVERRIDE,
    )
    assert announced.is_public_holiday(date(2025, 12, 1)) and not announced.is_public_holiday(date(2025, 12, 3))
    assert BUILT_IN.is_public_holiday(date(2025, 12, 3)) and not BUILT_IN.is_public_holiday(date(2025, 12, 1))


def test_30_ramadan_is_a_day_off_only_when_ramadan_has_30_days() -> None:
    assert not BUILT_IN.is_public_holiday(date(2025, 3, 29))  # Ramadan 1446 had 29 days
    # Had the crescent not been seen on 29 March, Eid would have been 31 March and 30 Ramadan a day off.
    unseen = OccasionCalendar([override_for(OC.EID_AL_FITR, date(2025, 3, 31))])
    assert [h.date for h in unseen.public_holidays(2025) if h.occasion == OC.EID_AL_FITR] == [
        date(2025, 3, 30),
        date(2025, 3, 31),
        date(2025, 4, 1),
        date(2025, 4, 2),
    ]
    assert BUILT_IN.is_public_holiday(date(2030, 2, 3))  # Ramadan 1451: 5 January to 3 February, 30 days


def test_commemoration_day_is_a_holiday_up_to_2024_unless_told_otherwise() -> None:
    assert BUILT_IN.is_public_holiday(date(2024, 12, 1))  # observed on 1 December
    assert not BUILT_IN.is_public_holiday(date(2025, 12, 1))
    assert OccasionCalendar(commemoration_day=True).is_public_holiday(date(2025, 12, 1))
    assert not OccasionCalendar(commemoration_day=False).is_public_holiday(date(2024, 12, 1))


@pytest.mark.instants
def test_today_is_the_dubai_date(instant: datetime) -> None:
    """The clock's "today" and a moment's holiday are Dubai's: 23:59 on New Year's Eve is still the old year,
    a minute later it is New Year's Day."""
    clock = TestClock(instant, tick=False)
    today = clock.today()
    assert BUILT_IN.is_public_holiday_at(clock.now()) == BUILT_IN.is_public_holiday(today)
    if instant == INSTANTS["new_years_eve_dubai"]:
        assert today == date(2026, 12, 31) and clock.now().date() == date(2026, 12, 31)
        assert not BUILT_IN.is_public_holiday_at(clock.now())
        clock.advance(minutes=1)  # 00:00 in Dubai, still 20:00 on 31 December in UTC
        assert clock.now().date() == date(2026, 12, 31)
        assert clock.today() == date(2027, 1, 1) and BUILT_IN.is_public_holiday_at(clock.now())
    if instant == INSTANTS["ramadan"]:
        assert today in BUILT_IN.ramadan_days(today.year)


def test_eid_weeks_and_periods() -> None:
    assert BUILT_IN.eid_al_fitr_week(2025) == [date(2025, 3, 30) + timedelta(days=n) for n in range(7)]
    assert BUILT_IN.eid_al_adha_week(2025) == [date(2025, 6, 6) + timedelta(days=n) for n in range(7)]
    assert [(p.kind, p.year) for p in BUILT_IN.periods(2025)] == [
        ("ramadan", 1446),
        ("eid_al_fitr_week", 1446),
        ("eid_al_adha_week", 1446),
    ]
    assert BUILT_IN.ramadan_days(2025) == [date(2025, 3, 1) + timedelta(days=n) for n in range(29)]


def test_every_covered_year_has_each_occasion_in_order() -> None:
    previous: dict[Occasion, date] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        found = BUILT_IN.occasions(year)
        assert {o.occasion for o in found} == set(Occasion), year
        for o in found:
            gap = (o.date - previous[o.occasion]).days if o.occasion in previous else None
            assert gap is None or 353 <= gap <= 356 or gap in (365, 366), (o, gap)  # early tables: 353-day years
            previous[o.occasion] = o.date
            assert o.date.year == year
        holidays = BUILT_IN.public_holidays(year)
        assert holidays[0].date == date(year, 1, 1) and len(holidays) >= 12


def test_names_match_the_arabic_translation() -> None:
    ts = Path(__file__).resolve().parents[2] / "translations" / "ar.ts"
    core = next(c for c in ET.parse(ts).getroot().findall("context") if c.findtext("name") == "core")
    arabic = {m.findtext("source"): m.findtext("translation") for m in core.findall("message")}
    assert {english: arabic.get(english) for english, _ in NAMES.values()} == dict(NAMES.values())
