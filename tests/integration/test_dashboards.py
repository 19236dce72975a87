"""The business dashboards' figures against hand-computed ones, on a small real store: months and hours in
Asia/Dubai (New Year's Eve, a month end, 29 February), Ramadan 2026 per the Umm al-Qura tables, returns-only
customers, and stores with nothing or a week of history. Figures go through the recompute and the stored table,
as the page reads them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hijridate import Hijri

from core.analytics.dashboards import Prepared, Scope, compute
from core.analytics.figures import AnalyticsService, FigureKey
from core.kernel.errors import PermissionDenied, ValidationError
from core.staff.auth import Actor, Role
from storage.db import Store, open_store
from storage.repositories.figures import SqlFigures, SqlHistory
from storage.seed.demo import seed_demo
from tests.clock import TestClock

NOW = datetime(2028, 3, 10, 8, 0, tzinfo=UTC)


def _db(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class World:
    def __init__(self, path: Path) -> None:
        self.store: Store = open_store(path)
        seed_demo(self.store, customers=0, now=NOW)
        with self.store.raw() as conn:
            self.branch = conn.execute("SELECT value FROM store_settings WHERE key = 'branch_id'").fetchone()[0]
        self.orders = 0

    def customer(self, key: str, segment: str = "regular", created: datetime = NOW - timedelta(days=900)) -> str:
        with self.store.raw() as conn:
            conn.execute(
                "INSERT INTO customers (id, branch_id, created_at, updated_at, field_hlc, deleted, number, segment,"
                " preferred_language, preferred_channel, consent_whatsapp, consent_sms, consent_email, search_doc)"
                " VALUES (?, ?, ?, ?, '{}', 0, ?, ?, 'ar', 'whatsapp', 0, 0, 0, '')",
                (key, self.branch, _db(created), _db(created), f"T-{key}", segment),
            )
        return key

    def order(self, customer: str | None, at: datetime, net_fils: int, kind: str = "sale") -> None:
        self.orders += 1
        with self.store.raw() as conn:
            conn.execute(
                "INSERT INTO orders (id, created_at, branch_id, number, customer_id, kind, net_fils, vat_fils,"
                " total_fils, tenders) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, '{}')",
                (f"o{self.orders:04d}", _db(at), self.branch, f"N{self.orders}", customer, kind, net_fils, net_fils),
            )


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = World(tmp_path / "store.sqlite")
    yield w
    w.store.close()


def _figures(world: World, since: datetime, until: datetime = NOW) -> dict[str, dict]:
    frame = SqlHistory(world.store).read()
    prepared = Prepared(frame, int(NOW.timestamp()))
    out = compute(prepared, Scope("custom", int(since.timestamp()), int(until.timestamp()) + 1))
    json.dumps(out, allow_nan=False)  # never a NaN or an infinity in what is stored
    return out


def _rows(table: dict) -> list[dict]:
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


def test_months_and_hours_are_dubai_ones(world: World) -> None:
    a = world.customer("a")
    world.order(a, datetime(2026, 12, 31, 19, 30, tzinfo=UTC), 10_000)  # 23:30 on 31 Dec in Dubai
    world.order(a, datetime(2026, 12, 31, 20, 30, tzinfo=UTC), 20_000)  # 00:30 on 1 Jan 2027 in Dubai
    world.order(a, datetime(2027, 1, 31, 20, 30, tzinfo=UTC), 40_000)  # 00:30 on 1 Feb in Dubai
    world.order(a, datetime(2028, 2, 29, 12, 0, tzinfo=UTC), 80_000)  # a leap day
    world.order(a, datetime(2028, 2, 29, 13, 0, tzinfo=UTC), 5_000, kind="return")
    sales = _figures(world, datetime(2026, 1, 1, tzinfo=UTC))["sales"]
    months = {r["month"]: r for r in _rows(sales["tables"]["month"])}
    assert months["2026-12"]["sales_fils"] == 10_000
    assert months["2027-01"]["sales_fils"] == 20_000
    assert months["2027-02"]["sales_fils"] == 40_000
    assert months["2027-01"]["orders"] == 1
    assert months["2028-02"]["sales_fils"] == 80_000
    assert months["2028-02"]["returns_fils"] == 5_000
    assert months["2028-02"]["net_fils"] == 75_000
    assert len(months) == 15  # every month from December 2026 to February 2028, the quiet ones too
    hours = {(r["weekday"], r["hour"]): r["orders"] for r in _rows(sales["tables"]["weekday_hour"])}
    assert hours[(3, 23)] == 1  # Thursday 31 December 2026, 23:00 in Dubai
    assert hours[(4, 0)] == 1  # Friday 1 January 2027
    assert hours[(1, 16)] == 1  # Tuesday 29 February 2028, 16:00 in Dubai
    assert sales["totals"] == {
        "orders": 4,
        "returns": 1,
        "sales_fils": 150_000,
        "returns_fils": 5_000,
        "net_fils": 145_000,
        "average_order_fils": 37_500,
    }


def test_ramadan_2026_against_ordinary_days_per_day(world: World) -> None:
    first = Hijri(1447, 9, 1).to_gregorian()
    after = Hijri(1447, 10, 1).to_gregorian()
    assert (first.isoformat(), after.isoformat()) == ("2026-02-18", "2026-03-20")  # Umm al-Qura
    ramadan_days = (date(after.year, after.month, after.day) - date(first.year, first.month, first.day)).days
    assert ramadan_days == 30
    a = world.customer("a")
    # The first sale of the history opens the window: 1 February 2026, Dubai.
    world.order(a, datetime(2026, 1, 31, 21, 0, tzinfo=UTC), 17_000)  # 01:00 on 1 Feb in Dubai: ordinary
    world.order(a, datetime(2026, 2, 17, 20, 30, tzinfo=UTC), 60_000)  # 00:30 on 18 Feb in Dubai: Ramadan
    world.order(a, datetime(2026, 3, 19, 19, 0, tzinfo=UTC), 30_000)  # 23:00 on 19 Mar: last day of Ramadan
    world.order(a, datetime(2026, 3, 19, 21, 0, tzinfo=UTC), 9_000)  # 01:00 on 20 Mar: Eid al-Fitr
    until = datetime(2026, 3, 31, 19, 59, tzinfo=UTC)  # the last minute of 31 March in Dubai
    season = _rows(_figures(world, datetime(2026, 1, 1, tzinfo=UTC), until)["sales"]["tables"]["season"])
    by = {r["season"]: r for r in season}
    assert by["ramadan"]["days"] == 30
    assert by["ramadan"]["net_fils"] == 90_000
    assert by["ramadan"]["per_day_fils"] == 3_000
    assert by["eid_al_fitr"]["days"] == 3 and by["eid_al_fitr"]["per_day_fils"] == 3_000
    # February 1–17 (17 days) and 23–31 March (9 days) are ordinary: 17,000 over 26 days.
    assert by["ordinary"]["days"] == 26
    assert by["ordinary"]["per_day_fils"] == 17_000 // 26
    assert by["ramadan"]["against_ordinary"] == [3_000, 17_000 // 26]
    assert "national_day_week" not in by


def test_customers_with_returns_only_and_churn(world: World) -> None:
    a, b, c = world.customer("a"), world.customer("b", "vip"), world.customer("c")
    world.order(a, NOW - timedelta(days=10), 200_000)
    world.order(b, NOW - timedelta(days=400), 30_000)  # bought 400 days ago: churned 35 days ago
    world.order(c, NOW - timedelta(days=5), 7_000, kind="return")  # returns only
    world.order(None, NOW - timedelta(days=3), 1_000)  # an anonymous sale
    figures = _figures(world, NOW - timedelta(days=90))
    people = figures["customers"]
    assert people["totals"]["active"] == 1
    assert people["totals"]["churned"] == 1
    clv = {r["from_fils"]: r["customers"] for r in _rows(people["tables"]["clv"])}
    assert clv == {100_000: 1, 10_000: 1}  # c bought nothing: not in the distribution
    segments = {r["segment"]: r for r in _rows(people["tables"]["segment"])}
    assert segments["regular"]["customers"] == 2 and segments["regular"]["active"] == [1, 2]
    assert segments["vip"]["active"] == [0, 1]
    assert segments["vip"]["average_order_fils"] is None


def test_nothing_and_a_week_never_crash_nor_divide_by_zero(world: World) -> None:
    empty = _figures(world, NOW - timedelta(days=365))
    assert empty["sales"]["totals"]["orders"] == 0
    assert empty["sales"]["tables"]["month"]["rows"] == []
    assert empty["loyalty"]["totals"]["breakage"] == [0, 0]
    assert empty["engagement"]["totals"]["nps"] is None
    a = world.customer("a")
    for day in range(7):
        world.order(a, NOW - timedelta(days=day, hours=1), 1_000)
    week = _figures(world, NOW - timedelta(days=365))
    season = {r["season"]: r for r in _rows(week["sales"]["tables"]["season"])}
    assert season["ordinary"]["days"] == 7 and season["ordinary"]["per_day_fils"] == 1_000


def test_recompute_stores_figures_the_page_reads(world: World) -> None:
    a = world.customer("a")
    world.order(a, NOW - timedelta(days=2), 50_000)
    clock = TestClock(NOW, tick=False)
    service = AnalyticsService(SqlFigures(world.store), clock, reader=lambda: SqlHistory(world.store))
    manager = Actor("m", world.branch, Role.MANAGER)
    assert service.dashboard(manager, FigureKey("sales", "30d")) is None  # before the first run
    steps: list[str] = []
    run = service.recompute(manager, lambda step, done, of: steps.append(step))
    assert [s for i, s in enumerate(steps) if s not in steps[:i]] == ["read", "customers", "aggregates", "save"]
    assert run.customers is not None and int(run.customers.orders_count.sum()) == 1
    found = service.dashboard(manager, FigureKey("sales", "30d"))
    assert found is not None and found.payload["totals"]["sales_fils"] == 50_000
    assert found.computed_at == NOW
    branch = service.dashboard(manager, FigureKey("sales", "30d", world.branch))
    assert branch is not None and branch.payload["totals"]["orders"] == 1
    segment = service.dashboard(manager, FigureKey("sales", "30d", "", "regular"))
    assert segment is not None and segment.payload["totals"]["orders"] == 1
    assert service.dashboard(manager, FigureKey("sales", "30d", world.branch, "regular")) is None  # not stored
    options = service.options(manager)
    assert world.branch in [b[0] for b in options.branches] and "regular" in options.segments
    with pytest.raises(PermissionDenied):
        service.dashboard(Actor("c", world.branch, Role.CASHIER), FigureKey("sales", "30d"))
    with pytest.raises(ValidationError):
        service.dashboard(manager, FigureKey("nonsense", "30d"))
    chain = AnalyticsService(SqlFigures(world.store), clock)  # a branch of a chain: head office computes
    with pytest.raises(ValidationError):
        chain.recompute(manager)
