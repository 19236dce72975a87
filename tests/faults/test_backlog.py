"""DESIGN.md fault 12: a week offline with thousands of events; a cursor older than head office keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.offline.allowances import SyncStatus
from storage.schema import Customer, GiftCard, GiftCardTransaction
from tests.faults.support import Branch, chain, chain_template, open_branch

LEDGERS = ("gift_card_transactions", "customer_history")


def busy_week(
    branch: Branch, days: int = 7, customers_per_day: int = 110, cards_per_day: int = 50, first_day: int = 0
) -> None:
    """What a branch writes in a week: customers (each with its audit row) and gift cards sold."""
    for day in range(first_day, first_day + days):
        with branch.uow() as uow:
            for i in range(customers_per_day):
                uow.session.add(
                    Customer(
                        number=f"{branch.code}-W{day}{i:04d}",
                        first_name_en=f"Guest {day}-{i}",
                        mobile=f"+9715{day}{i:07d}",
                        segment="regular",
                        preferred_language="ar",
                        preferred_channel="whatsapp",
                    )
                )
            uow.commit()
        with branch.uow() as uow:
            for i in range(cards_per_day):
                card = GiftCard(
                    code=f"W{branch.code}{day}{i:05d}", initial_fils=10_000 + i, expires_on=date(2030, 1, 1)
                )
                uow.session.add(card)
                uow.session.flush()
                uow.session.add(GiftCardTransaction(card_id=card.id, kind="issue", amount_fils=10_000 + i))
            uow.commit()


def same(x: Branch, y: Branch) -> None:
    for table in LEDGERS:
        assert x.ledger(table) == y.ledger(table), table
    for table in ("customers", "gift_cards"):
        assert x.registers(table) == y.registers(table), table


@pytest.mark.heavy
def test_12_a_week_offline_then_paging_and_full_resync(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), proxies=True, push_batch=500, pull_page=400, snapshot_page=300) as (
        ho,
        server,
        (a, b),
    ):
        a.sync()
        a.go_offline()
        busy_week(a)
        backlog = a.replica.unsynced()
        assert backlog > 2_000
        seen: list[SyncStatus] = []
        a.worker.subscribe(seen.append)
        b.worker.subscribe(seen.append)
        a.go_online()
        a.sync()
        assert a.replica.unsynced() == 0 and ho.acked_seq(a.store.branch_id) == backlog
        assert {s.progress.phase for s in seen if s.progress} >= {"push"}, "long syncs show their progress"
        b.sync()
        assert {s.progress.phase for s in seen if s.progress} >= {"push", "pull"}
        same(a, b)
        assert len(b.registers("customers")) == 7 * 110

        # Head office keeps only the newest changes; DXB2 falls behind them and must resync in full.
        busy_week(a, days=2, first_day=7)
        a.sync()
        assert ho.prune(keep=100) > 0
        b.sync()
        assert b.replica.pull_cursor() == ho.head()
        same(a, b)
        assert {s.progress.phase for s in seen if s.progress} >= {"resync"}

        # A branch that never pulled at all also starts from the snapshot.
        c = open_branch(chain_template(tmp_path), tmp_path, "AUH1", ho, server.url, snapshot_page=500)
        try:
            c.sync()
            same(a, c)
            assert c.replica.pull_cursor() == ho.head()
        finally:
            c.close()
