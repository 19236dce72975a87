"""When campaigns run and who gets which arm: occurrences across month and year ends, and the A/B/control
split by hash."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, time

import pytest

from core.campaigns.model import CONTROL, CampaignDefinition, Message, Variant, assign
from core.campaigns.schedule import Repeat, Schedule, due, latest, latest_in_zone, upcoming
from core.kernel.errors import ValidationError, ValidationErrors

REFUSED = (ValidationError, ValidationErrors)

DAILY_10 = Schedule(Repeat.DAILY, time_of_day=time(10, 0))
MONDAY_10 = Schedule(Repeat.WEEKLY, time_of_day=time(10, 0), weekday=0)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_daily_10_dubai_across_a_month_end() -> None:
    before = latest(DAILY_10, utc(2027, 1, 31, 5, 59))  # 09:59 in Dubai on 31 January
    at = latest(DAILY_10, utc(2027, 1, 31, 6, 0))  # 10:00 sharp
    assert before is not None and before.key == "2027-01-30"
    assert at is not None and (at.key, at.moment, at.day) == ("2027-01-31", utc(2027, 1, 31, 6, 0), date(2027, 1, 31))
    nxt = upcoming(DAILY_10, utc(2027, 1, 31, 6, 0), 3)
    assert [o.key for o in nxt] == ["2027-02-01", "2027-02-02", "2027-02-03"]
    assert [o.moment.hour for o in nxt] == [6, 6, 6]  # Dubai keeps no daylight saving
    assert due(DAILY_10, utc(2027, 2, 1, 7, 0), "2027-01-31") is not None
    assert due(DAILY_10, utc(2027, 2, 1, 5, 0), "2027-01-31") is None  # before 10:00: yesterday's is done


def test_a_daily_run_is_named_by_the_dubai_date_at_new_years_eve() -> None:
    eve = latest(DAILY_10, utc(2026, 12, 31, 19, 59))  # 23:59 in Dubai
    after_midnight = latest(DAILY_10, utc(2026, 12, 31, 20, 1))  # 00:01 on 1 January in Dubai, UTC still 2026
    assert eve is not None and eve.key == "2026-12-31"
    assert after_midnight is not None and after_midnight.key == "2026-12-31"  # 1 January's run is at 10:00
    new_year = latest(DAILY_10, utc(2027, 1, 1, 6, 0))
    assert new_year is not None and new_year.day == date(2027, 1, 1)


def test_a_zone_abroad_runs_at_10_by_its_own_clock_on_its_own_date() -> None:
    # London keeps GMT in winter and BST in summer: 10:00 there is 10:00 or 09:00 UTC.
    winter = latest_in_zone(DAILY_10, utc(2027, 1, 15, 10, 0), "Europe/London")
    assert winter is not None and (winter.key, winter.moment) == ("2027-01-15", utc(2027, 1, 15, 10, 0))
    summer = latest_in_zone(DAILY_10, utc(2027, 7, 15, 8, 59), "Europe/London")
    assert summer is not None and summer.key == "2027-07-14"
    summer = latest_in_zone(DAILY_10, utc(2027, 7, 15, 9, 0), "Europe/London")
    assert summer is not None and (summer.key, summer.moment) == ("2027-07-15", utc(2027, 7, 15, 9, 0))
    # Across a month end and the year end: Los Angeles is still on 31 December when Dubai has New Year.
    la = latest_in_zone(DAILY_10, utc(2027, 1, 1, 6, 0), "America/Los_Angeles")  # 22:00 on 31 December there
    assert la is not None and (la.key, la.day) == ("2026-12-31", date(2026, 12, 31))
    tokyo = latest_in_zone(DAILY_10, utc(2027, 4, 30, 1, 0), "Asia/Tokyo")  # 10:00 on 30 April in Tokyo
    assert tokyo is not None and tokyo.key == "2027-04-30"
    assert latest_in_zone(MONDAY_10, utc(2027, 4, 30, 1, 0), "Asia/Tokyo") is None  # only a daily run has zones


def test_weekly_monday_runs_are_named_by_iso_week_across_the_year_end() -> None:
    friday = latest(MONDAY_10, utc(2027, 1, 1, 8, 0))
    assert friday is not None and (friday.key, friday.day) == ("2026-W53", date(2026, 12, 28))
    monday_early = latest(MONDAY_10, utc(2027, 1, 4, 5, 0))  # Monday 09:00 in Dubai: last week's still
    monday = latest(MONDAY_10, utc(2027, 1, 4, 6, 0))
    assert monday_early is not None and monday_early.key == "2026-W53"
    assert monday is not None and monday.key == "2027-W01"
    assert [o.key for o in upcoming(MONDAY_10, utc(2027, 1, 4, 6, 0), 2)] == ["2027-W02", "2027-W03"]


def test_once_and_yearly() -> None:
    once = Schedule(Repeat.ONCE, at=utc(2027, 3, 1, 8, 0))
    assert latest(once, utc(2027, 3, 1, 7, 59)) is None
    found = due(once, utc(2027, 3, 1, 8, 0), None)
    assert found is not None and found.key == "once"
    assert due(once, utc(2027, 3, 9, 8, 0), "once") is None
    eid = Schedule(Repeat.YEARLY, time_of_day=time(9, 0))
    days = [date(2027, 3, 10), date(2028, 2, 27)]
    on_eid = due(eid, utc(2027, 3, 10, 5, 0), None, days)
    assert on_eid is not None and on_eid.key == "2027-03-10"
    assert due(eid, utc(2027, 3, 13, 5, 0), None, days) is None  # an Eid greeting days late is not sent


def test_a_schedule_is_checked() -> None:
    with pytest.raises(REFUSED):
        Schedule(Repeat.WEEKLY, weekday=7).validated()
    with pytest.raises(REFUSED):
        Schedule(Repeat.ONCE, at=datetime(2027, 1, 1, 10, 0)).validated()
    with pytest.raises(REFUSED):
        Schedule.from_json({"repeat": "daily", "time": "25:00"})
    assert Schedule.from_json(MONDAY_10.to_json()) == MONDAY_10


def _ids(n: int) -> list[str]:
    return [str(uuid.UUID(int=i * 7919 + 1)) for i in range(n)]


def test_the_split_is_deterministic_and_in_proportion() -> None:
    arms = (Variant("A", 3, Message("campaign.birthday")), Variant("B", 1, Message("campaign.birthday")))
    campaign = "0190f0e0-0000-7000-8000-000000000001"
    ids = _ids(20_000)
    first = [assign(campaign, c, 10, arms) for c in ids]
    assert first == [assign(campaign, c, 10, arms) for c in ids]  # a rerun assigns the same
    counts = Counter(first)
    assert abs(counts[CONTROL] / 20_000 - 0.10) < 0.01
    treated = counts["A"] + counts["B"]
    assert abs(counts["A"] / treated - 0.75) < 0.02
    assert set(counts) == {CONTROL, "A", "B"}
    other = Counter(assign("another-campaign", c, 10, arms) for c in ids)
    assert other != counts  # another campaign draws its own groups
    assert Counter(assign(campaign, c, 0, arms) for c in ids)[CONTROL] == 0


def test_a_stored_campaign_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(REFUSED):
        CampaignDefinition.from_json("X", "birthday", {}, {"version": 1, "surprise": 1}, [], DAILY_10.to_json())
    with pytest.raises(REFUSED):
        CampaignDefinition.from_json("X", "birthday", {}, {"version": 2}, [], DAILY_10.to_json())


def test_the_winning_metric_is_checked_stored_and_read_back() -> None:
    ab = (
        Variant("A", 1, Message(None, {"en": "Hi", "ar": "مرحبا"})),
        Variant("B", 1, Message(None, {"en": "Hello", "ar": "أهلاً"})),
    )
    chosen = CampaignDefinition("X", "birthday", variants=ab, schedule=DAILY_10, metric="revenue").validated()
    stored = chosen.definition_json()
    assert stored["metric"] == "revenue"
    back = CampaignDefinition.from_json("X", "birthday", {}, stored, chosen.variants_json(), DAILY_10.to_json())
    assert back == chosen and back.metric == "revenue"
    assert (
        CampaignDefinition("X", "birthday", variants=ab, schedule=DAILY_10).validated().definition_json()["metric"]
        == "converted"
    )  # written even when it is the default
    before = {k: v for k, v in stored.items() if k != "metric"}  # a campaign stored before the metric was chosen
    old = CampaignDefinition.from_json("X", "birthday", {}, before, chosen.variants_json(), DAILY_10.to_json())
    assert old.metric == "converted"
    with pytest.raises(ValidationErrors) as refused:
        CampaignDefinition("X", "birthday", variants=ab, schedule=DAILY_10, metric="opened").validated()
    assert [(e.field, e.english()) for e in refused.value.errors] == [
        ("metric", "Compare the variants on read, clicked, converted or revenue.")
    ]
