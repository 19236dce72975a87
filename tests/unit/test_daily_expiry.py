"""The standalone store's daily expiry job: who starts it, and once per day in Dubai, whatever UTC says."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from core.kernel.clock import DUBAI
from core.loyalty.daily_expiry import DailyExpiry
from core.loyalty.service import ExpiryRun
from core.offline.allowances import LinkState
from core.staff.auth import Actor, Role
from tests.clock import TestClock

pytestmark = pytest.mark.instants

ADMIN = Actor("s1", "b1", Role.ADMIN, "Admin")
MANAGER = Actor("s2", "b1", Role.MANAGER, "Manager")
CASHIER = Actor("s3", "b1", Role.CASHIER, "Cashier")
SHOPPER = Actor("s4", "b1", Role.PERSONAL_SHOPPER, "Shopper")


class Link:
    def __init__(self, state: LinkState = LinkState.STANDALONE) -> None:
        self.state = state

    def link_state(self) -> LinkState:
        return self.state


class Runs:
    """Stands in for the two services' expiry runs and notes who ran what."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Role]] = []

    def gift_cards(self, actor: Actor) -> int:
        self.calls.append(("gift_cards", actor.role))
        return 2

    def points(self, actor: Actor) -> ExpiryRun:
        self.calls.append(("points", actor.role))
        return ExpiryRun(1, 790, 1)


def job(clock: TestClock, link: Link | None = None) -> tuple[DailyExpiry, Runs]:
    runs = Runs()
    return DailyExpiry(clock, link or Link(), runs.gift_cards, runs.points), runs


def next_dubai_midnight(clock: TestClock) -> datetime:
    tomorrow = clock.today() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), DUBAI).astimezone(UTC)


def test_an_administrator_runs_both_a_manager_gift_cards_only(instant: datetime) -> None:
    clock = TestClock(instant, tick=False)
    daily, runs = job(clock)
    claimed = daily.claim(ADMIN)
    assert claimed is not None and runs.calls == [], "claiming decides; the run happens off the main thread"
    done = claimed.run()
    assert (done.day, done.gift_cards_expired, done.points) == (clock.today(), 2, ExpiryRun(1, 790, 1))
    assert runs.calls == [("gift_cards", Role.ADMIN), ("points", Role.ADMIN)]
    clock.advance(days=1)
    manager_run = daily.claim(MANAGER)
    assert manager_run is not None and manager_run.run().points is None
    assert runs.calls[2:] == [("gift_cards", Role.MANAGER)]


@pytest.mark.parametrize("actor", [None, CASHIER, SHOPPER])
def test_cashiers_shoppers_and_signing_out_start_nothing(instant: datetime, actor: Actor | None) -> None:
    daily, _runs = job(TestClock(instant, tick=False))
    assert daily.claim(actor) is None
    assert daily.claim(ADMIN) is not None, "and they do not use up the day"


@pytest.mark.parametrize("state", [LinkState.ONLINE, LinkState.OFFLINE, LinkState.SYNCING])
def test_with_a_head_office_the_branch_never_runs_expiry(instant: datetime, state: LinkState) -> None:
    daily, _runs = job(TestClock(instant, tick=False), Link(state))
    assert daily.claim(ADMIN) is None


def test_once_per_dubai_day_the_next_starting_at_dubai_midnight(instant: datetime) -> None:
    clock = TestClock(instant, tick=False)
    daily, _runs = job(clock)
    first = daily.claim(MANAGER)
    assert first is not None and first.day == instant.astimezone(DUBAI).date()
    assert daily.claim(ADMIN) is None
    midnight = next_dubai_midnight(clock)
    clock.at = midnight - timedelta(seconds=1)
    assert daily.claim(ADMIN) is None, "23:59:59 in Dubai is still the same day"
    clock.at = midnight
    second = daily.claim(ADMIN)
    assert second is not None and second.day == first.day + timedelta(days=1)


def test_new_years_eve_in_dubai_is_new_years_day_before_utc_knows() -> None:
    clock = TestClock(datetime(2026, 12, 31, 19, 59, tzinfo=UTC), tick=False)  # 23:59 in Dubai
    daily, _runs = job(clock)
    first = daily.claim(ADMIN)
    assert first is not None and str(first.day) == "2026-12-31"
    clock.advance(minutes=1)  # still 31 December in UTC
    second = daily.claim(ADMIN)
    assert second is not None and str(second.day) == "2027-01-01"


def test_a_month_end_then_the_first_of_a_shorter_month() -> None:
    clock = TestClock(datetime(2027, 1, 31, 12, 0, tzinfo=UTC), tick=False)
    daily, _runs = job(clock)
    assert daily.claim(ADMIN) is not None
    clock.advance(hours=12)  # 04:00 on 1 February in Dubai
    claimed = daily.claim(ADMIN)
    assert claimed is not None and str(claimed.day) == "2027-02-01"
    clock.advance(days=28)
    claimed = daily.claim(ADMIN)
    assert claimed is not None and str(claimed.day) == "2027-03-01"


def test_a_failed_run_gives_the_day_back_but_not_a_later_day(instant: datetime) -> None:
    clock = TestClock(instant, tick=False)
    daily, _runs = job(clock)
    failed = daily.claim(ADMIN)
    assert failed is not None
    daily.release(failed.day)
    retried = daily.claim(ADMIN)
    assert retried is not None and retried.day == failed.day
    clock.at = next_dubai_midnight(clock)
    tomorrow = daily.claim(ADMIN)
    assert tomorrow is not None
    daily.release(failed.day)  # yesterday's failure reported late
    assert daily.claim(ADMIN) is None
