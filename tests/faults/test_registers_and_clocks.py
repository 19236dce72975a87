"""DESIGN.md faults 10 and 11: concurrent profile edits merge per field; wrong clocks never reorder money and
never let a far-future stamp win."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.kernel.hlc import Timestamp
from core.kernel.replication import stamp_key
from core.offline.allowances import DecreaseKind
from tests.faults.support import chain

DAY_MS = 86_400_000


def real_ms() -> int:
    return time.time_ns() // 1_000_000


def sync_all(*branches: object) -> None:
    for _ in range(2):
        for branch in branches:
            branch.sync()  # type: ignore[attr-defined]


def test_10_concurrent_edits_of_one_customer(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, (a, b)):
        customer = a.new_customer("Mariam", "+971501112233")
        sync_all(a, b)
        # Different fields, edited while neither branch has heard of the other's edit: both survive.
        a.edit_customer(customer, email="mariam@example.ae")
        b.edit_customer(customer, area="Jumeirah")
        sync_all(a, b)
        for seen in (a.customer(customer), b.customer(customer), ho.merged_rows("customers")[customer]):
            assert seen["email"] == "mariam@example.ae" and seen["area"] == "Jumeirah"

        # The same field: the later stamp wins everywhere, whatever order the changes travel in.
        b.store.clock._wall = lambda: real_ms() + 1_000
        a.edit_customer(customer, notes="from DXB1")
        b.edit_customer(customer, notes="from DXB2 a second later")
        b.sync()
        a.sync()
        b.sync()
        assert a.customer(customer)["notes"] == b.customer(customer)["notes"] == "from DXB2 a second later"
        assert ho.merged_rows("customers")[customer]["notes"] == "from DXB2 a second later"

        # A perfect tie of wall time and counter: the branch id decides, the same way everywhere.
        tie = real_ms() + 5_000
        for branch in (a, b):
            branch.store.clock._wall = lambda: tie
            branch.store.clock._last = Timestamp(tie - 1, 0, branch.store.clock.node)
        a.edit_customer(customer, last_name_en="Tie DXB1")
        b.edit_customer(customer, last_name_en="Tie DXB2")
        sync_all(a, b)
        winner = "Tie DXB1" if a.store.branch_id > b.store.branch_id else "Tie DXB2"
        assert a.customer(customer)["last_name_en"] == b.customer(customer)["last_name_en"] == winner
        assert ho.merged_rows("customers")[customer]["last_name_en"] == winner
        assert a.registers("customers") == b.registers("customers")


def test_11_shifted_and_jumping_clocks(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, (a, b)):
        customer = a.new_customer("Saeed", "+971502223344")
        sync_all(a, b)

        # DXB1's clock runs two days ahead: its profile stamps are corrected, its money is taken as it is.
        a.store.clock._wall = lambda: real_ms() + 2 * DAY_MS
        a.worker._now = lambda: datetime.now(UTC) + timedelta(days=2)
        a.edit_customer(customer, notes="written two days in the future")
        card = a.issue_card(30_000)
        a.sync()
        assert a.redeem(DecreaseKind.GIFT_CARD, card, 12_000).allowed
        a.sync()
        assert a.worker.status().clock_ahead_s > 1.9 * 86_400, "the till's clock is reported as ahead"
        clock_exceptions = [e for e in ho.exceptions(a.store.branch_id) if e.kind == "clock"]
        assert clock_exceptions, "head office recorded the corrected stamps"
        with a.store.read_engine.connect() as conn:
            raw = conn.exec_driver_sql("SELECT field_hlc FROM customers WHERE id = ?", (customer,)).scalar()
        import json

        notes_stamp = json.loads(raw)["notes"]
        assert "|" in notes_stamp and stamp_key(notes_stamp).wall_ms < real_ms() + 60_000, "head office's stamp"

        b.sync()
        b.edit_customer(customer, notes="written now at DXB2")  # later in real time: it must win
        sync_all(b, a)
        assert a.customer(customer)["notes"] == b.customer(customer)["notes"] == "written now at DXB2"
        assert ho.merged_rows("customers")[customer]["notes"] == "written now at DXB2"

        # DXB2 one day behind: its writes are accepted, and its clock moves past every stamp it has seen.
        seen = b.store.clock.last
        b.store.clock._wall = lambda: real_ms() - DAY_MS
        b.edit_customer(customer, email="saeed@example.ae")
        assert b.store.clock.last > seen, "HLC monotonic though the wall clock went back a day"
        sync_all(b, a)
        assert a.customer(customer)["email"] == "saeed@example.ae"

        # DXB1's clock jumps back to true time: its HLC never goes backwards.
        before = a.store.clock.now()
        a.store.clock._wall = real_ms
        after = a.store.clock.now()
        assert after > before

        # Money never depended on any of it.
        assert ho.balances("gift_card")[card] == 18_000
        assert a.balance(DecreaseKind.GIFT_CARD, card) == b.balance(DecreaseKind.GIFT_CARD, card) == 18_000
        assert a.ledger("gift_card_transactions") == b.ledger("gift_card_transactions")
