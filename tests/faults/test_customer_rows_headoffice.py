"""In a chain, head office computes every customer's analytics row from the whole chain's history and writes it
as its own change; each branch pulls it, so a customer who shops at two branches has one row, the same at both,
counting both branches' orders. A recompute with nothing new writes nothing; a new sale moves that customer's
row. A branch's own push of such rows is acknowledged and dropped, and head office's row replaces it there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.analytics.ports import CustomerInsight
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import build_services
from storage.schema import CustomerPreference
from sync.headoffice.analytics import ChainRecompute
from tests.clock import DEFAULT, TestClock
from tests.faults.support import Branch, chain

OUD = LineDraft("OUD-ROY-100", "Royal Oud", "Perfume & Oud", "oud", 100, 1, 120_000)
MUSK = LineDraft("MSK-WHT-50", "White Musk", "Perfume & Oud", "musk", 50, 1, 40_000)


def sell(branch: Branch, clock: TestClock, customer_id: str, line: LineDraft = OUD) -> None:
    services = build_services(branch.store, clock, link=branch.worker)
    paid = line.unit_price_fils * 105 // 100
    services.purchases.record_sale(branch.actor, SaleDraft(customer_id, (line,), TenderDraft(cash_fils=paid)))


def manager(branch: Branch) -> Actor:
    return Actor("", branch.store.branch_id, Role.MANAGER, "Manager")


def insight(branch: Branch, customer_id: str) -> CustomerInsight | None:
    return branch.services.customer_analytics.insight(manager(branch), customer_id)


def rows_at(branch: Branch) -> list[tuple[str, str]]:
    with branch.store.read_engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT customer_id, id FROM customer_analytics ORDER BY customer_id")
        return [(r[0], r[1]) for r in found]


def test_head_office_writes_each_customers_row_once_for_the_chain_and_branches_pull_it(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, (a, b)):
        shared = a.new_customer("Mariam", "+971501234567")
        own = b.new_customer("Hessa", "+971507654321")
        a.sync()
        b.sync()  # b knows Mariam
        clock = TestClock(DEFAULT - timedelta(days=200))
        sell(a, clock, shared)
        clock.advance(days=60)
        sell(b, clock, shared)
        sell(b, clock, own, MUSK)
        with b.uow() as uow:  # what Hessa told b she likes: head office reads it with the orders
            uow.session.add(CustomerPreference(customer_id=own, source="declared", families=["musk"], brands=[]))
            uow.commit()
        clock.advance(days=60)
        sell(a, clock, shared)
        for branch in (a, b, a):
            branch.sync()

        now = TestClock(DEFAULT)
        job = ChainRecompute(ho, now.now)
        steps: list[tuple[str, int, int]] = []
        job.run(lambda step, done, of: steps.append((step, done, of)))
        assert job.rows_written == 2
        assert ("customer rows", 2, 2) in steps and steps[-1] == ("save", 1, 1)
        for branch in (a, b):
            branch.sync()

        at_a, at_b = insight(a, shared), insight(b, shared)
        assert at_a is not None and at_a == at_b
        assert at_a.orders == 3 and at_a.purchases == 3  # both branches' sales
        assert at_a.net_spend_fils == 3 * 120_000
        assert at_a.next_family == "oud" and at_a.next_why == "history"  # from the order lines
        hessa = insight(a, own)
        assert hessa is not None and hessa == insight(b, own)
        assert hessa.next_family == "musk" and hessa.next_why == "both"  # bought and declared
        assert rows_at(a) == rows_at(b) and len(rows_at(a)) == 2

        # Nothing new: nothing written, no change for the branches to pull.
        head = ho.head()
        now.advance(hours=1)
        job.run()
        assert job.rows_written == 0 and ho.head() == head

        # A new sale at b moves the customer's row; a pulls it.
        clock.advance(days=70)
        sell(b, clock, shared, MUSK)
        b.sync()
        now.advance(days=1)
        job.run()
        assert job.rows_written == 1
        a.sync()
        moved = insight(a, shared)
        assert moved is not None and moved.orders == 4 and moved.net_spend_fils == 3 * 120_000 + 40_000
        assert rows_at(a) == rows_at(b) == sorted(ho_rows(ho).items())


def ho_rows(ho: object) -> dict[str, str]:
    from sync.headoffice.store import HeadOfficeStore

    assert isinstance(ho, HeadOfficeStore)
    return {row["customer_id"]: row_id for row_id, row in ho.merged_rows("customer_analytics").items()}


def test_a_branchs_own_customer_rows_are_dropped_and_head_offices_take_their_place(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, (a, b)):
        customer = a.new_customer("Noura", "+971501112233")
        clock = TestClock(DEFAULT - timedelta(days=30))
        sell(a, clock, customer)
        # As a standalone store that joined the chain would have: rows it computed for itself, in its log.
        a.services.customer_analytics.recompute(manager(a))
        mine = rows_at(a)
        assert [c for c, _ in mine] == [customer]
        a.sync()
        assert a.replica.pushed_seq() == a.replica.top_seq()  # acknowledged, not refused
        assert ho_rows(ho) == {}  # not kept
        b.sync()
        assert rows_at(b) == []  # not served

        job = ChainRecompute(ho, TestClock(DEFAULT).now)
        job.run()
        assert job.rows_written == 1
        a.sync()
        b.sync()
        theirs = ho_rows(ho)[customer]
        assert rows_at(a) == rows_at(b) == [(customer, theirs)] and theirs != mine[0][1]
        assert insight(a, customer) == insight(b, customer) is not None
