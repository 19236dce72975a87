"""A pulled row whose parent has not reached the replica (a customer's insert that a restored head office lost,
a branch opened after the till was enrolled) never stops the feed: it waits for its parent, the rest of its
page is applied with the cursor, and it takes its place when the parent comes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clock import TestClock
from tests.faults.support import chain, ids_of


def test_a_row_waits_for_its_parent_and_the_page_goes_on(tmp_path: Path) -> None:
    now = TestClock().now()
    with chain(tmp_path) as (ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        other = a.new_customer("Salma", "+971501234568")
        a.sync()
        changes = json.loads(ho.pull_json(b.store.branch_id, 0, 1000))["changes"]
        first = next(c for c in changes if c["entity"] == "customers" and c["row_id"] == customer)
        rest = [c for c in changes if c is not first]
        history = {c["row_id"] for c in rest if c["entity"] == "customer_history"}
        assert len(history) == 2

        b.replica.apply_pulled(rest, 7, now)  # Hamad's insert is missing: his history row must wait
        assert b.replica.pull_cursor() == 7, "the page and its cursor were applied"
        assert other in ids_of(b.store, "customers")
        waiting = history - ids_of(b.store, "customer_history")
        assert len(waiting) == 1

        b.replica.apply_pulled([first], 8, now)  # the parent comes: the row that waited takes its place
        assert history <= ids_of(b.store, "customer_history")
        assert b.registers("customers") == a.registers("customers")
        assert b.ledger("customer_history") == a.ledger("customer_history")
        with b.store.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM waiting_rows").scalar() == 0
