"""Customer analytics on a real store: the recompute writes each customer who bought once, with its change-log
row; a recompute that finds nothing changed writes nothing; a sale changes its customer's row; and only a manager
or the customer's own personal shopper sees the figures."""

from __future__ import annotations

import pytest

from core.analytics.customers import Settings
from core.analytics.service import CustomerAnalyticsService
from core.kernel.errors import PermissionDenied
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from storage.uow import uow_factory
from tests.clock import TestClock

pytestmark = pytest.mark.integration


def scalar(services: Services, sql: str, *params: object) -> object:
    with services.store.raw() as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def analytics(services: Services, clock: TestClock) -> CustomerAnalyticsService:
    # The demo store is small: a handful of returning customers is allowed to make a model.
    return CustomerAnalyticsService(uow_factory(services.store, clock), clock, Settings(min_repeat_customers=5))


def test_recompute_writes_changed_rows_only_each_with_its_change_log_row(
    services: Services, analytics: CustomerAnalyticsService, manager: Actor, cashier: Actor, clock: TestClock
) -> None:
    buyers = scalar(services, "SELECT count(DISTINCT customer_id) FROM orders WHERE customer_id IS NOT NULL")
    assert isinstance(buyers, int) and buyers > 10
    logged_before = scalar(services, "SELECT count(*) FROM change_log WHERE entity = 'customer_analytics'")
    first = analytics.recompute(manager)
    assert first.written == buyers
    assert scalar(services, "SELECT count(*) FROM customer_analytics") == buyers
    logged = scalar(services, "SELECT count(*) FROM change_log WHERE entity = 'customer_analytics'")
    assert logged == logged_before + buyers  # type: ignore[operator]

    again = analytics.recompute(manager)
    assert again.written == 0
    assert scalar(services, "SELECT count(*) FROM change_log WHERE entity = 'customer_analytics'") == logged

    customer_id = str(scalar(services, "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL LIMIT 1"))
    before = analytics.insight(manager, customer_id)
    assert before is not None
    orders = scalar(services, "SELECT count(*) FROM orders WHERE customer_id = ? AND kind = 'sale'", customer_id)
    assert before.orders == orders
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    services.purchases.record_sale(cashier, SaleDraft(customer_id, (oud,), TenderDraft(cash_fils=100_000)))
    after_sale = analytics.recompute(manager)
    assert after_sale.written >= 1
    after = analytics.insight(manager, customer_id)
    assert after is not None and after.orders == before.orders + 1
    assert after.last_purchase_at is not None and after.last_purchase_at >= clock.at.replace(microsecond=0)
    assert after.next_family == "oud" or after.next_family is not None
    assert after.computed_at is not None


def test_a_day_later_only_material_changes_are_written(
    services: Services, analytics: CustomerAnalyticsService, manager: Actor, clock: TestClock
) -> None:
    first = analytics.recompute(manager)
    clock.advance(days=1)
    nightly = analytics.recompute(manager)
    assert nightly.written < first.written / 4


def test_who_sees_a_customers_figures(
    services: Services, analytics: CustomerAnalyticsService, manager: Actor, cashier: Actor
) -> None:
    analytics.recompute(manager)
    with services.store.raw() as conn:
        customer_id, staff_id, branch_id = conn.execute(
            "SELECT a.customer_id, s.staff_id, st.branch_id FROM personal_shopper_assignments AS a "
            "JOIN personal_shoppers AS s ON s.id = a.shopper_id JOIN staff AS st ON st.id = s.staff_id "
            "WHERE a.ended_at IS NULL AND a.deleted = 0 LIMIT 1"
        ).fetchone()
        other = conn.execute("SELECT id FROM customers WHERE id != ? LIMIT 1", (customer_id,)).fetchone()[0]
    shopper = Actor(staff_id, branch_id, Role.PERSONAL_SHOPPER, "shopper")
    assert analytics.may_view(shopper) and analytics.may_view(manager) and not analytics.may_view(cashier)
    analytics.insight(shopper, customer_id)  # their own VIP
    with pytest.raises(PermissionDenied):
        analytics.insight(shopper, other)
    with pytest.raises(PermissionDenied):
        analytics.insight(cashier, customer_id)
    with pytest.raises(PermissionDenied):
        analytics.recompute(cashier)


def test_a_standalone_stores_recompute_writes_the_customer_rows_too(
    services: Services, manager: Actor, clock: TestClock
) -> None:
    """The dashboards' recompute of a standalone store (the page's "Recompute now", the day's background run,
    unattended) saves the customer rows from the same reading of the history, each with its change-log row."""
    assert services.analytics.computes_here
    steps: list[str] = []
    services.analytics.recompute(manager, lambda step, done, of: steps.append(step))
    once = [s for i, s in enumerate(steps) if s not in steps[:i]]
    assert once == ["read", "customers", "customer rows", "aggregates", "save"]  # one reading of the history
    buyers = scalar(services, "SELECT count(DISTINCT customer_id) FROM orders WHERE customer_id IS NOT NULL")
    assert scalar(services, "SELECT count(*) FROM customer_analytics") == buyers
    assert scalar(services, "SELECT count(*) FROM change_log WHERE entity = 'customer_analytics'") == buyers

    clock.advance(days=40)  # a day's background run, nobody signed in: the drifted figures are written
    services.analytics.recompute_in_background()
    written = scalar(
        services, "SELECT count(*) FROM change_log WHERE entity = 'customer_analytics' AND staff_id IS NULL"
    )
    assert isinstance(written, int) and written > 0


def test_the_reader_matches_every_line_to_its_order(services: Services, cashier: Actor) -> None:
    """Lines are matched to their orders by walking both in id order; every line lands on its own order."""
    from core.analytics.reader import read_orders_frame

    customer_id = str(scalar(services, "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL LIMIT 1"))
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    rose = LineDraft("ROSE-TAIF-100", "Rose Taifi", "Ajmal", "floral", 100, 2, 45_000)
    services.purchases.record_sale(cashier, SaleDraft(customer_id, (oud, rose), TenderDraft(cash_fils=200_000)))
    with services.store.raw() as conn:
        frame = read_orders_frame(conn, lines=True)
        expected = sorted(conn.execute("SELECT order_id, family, brand, net_fils FROM order_lines").fetchall())
    assert len(expected) > 1
    found = sorted(
        (
            frame.order_ids[int(order)],
            frame.families[int(family)] or None,
            frame.brands[int(brand)] or None,
            int(net),
        )
        for order, family, brand, net in zip(
            frame.line_order, frame.line_family, frame.line_brand, frame.line_net_fils, strict=True
        )
    )
    assert found == [(o, f or None, b or None, n) for o, f, b, n in expected]
