"""DESIGN.md fault 17: head office restored from an older backup. Branches re-send what it lost, even with
nothing new to push, and a branch whose cursor is past what head office now holds misses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.kernel.ids import new_id
from core.offline.allowances import DecreaseKind
from core.staff.auth import Role
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.protocol import StaffAccount
from tests.faults.support import Branch, ServerThread, chain, generous, ids_of

LEDGERS = ("gift_card_transactions", "customer_history")


def back_up(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite head office (its WAL included), as an operator's backup makes."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    live.close()
    copy.close()


def restore(backup: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.write_bytes(backup.read_bytes())


def converged(ho: HeadOfficeStore, branches: list[Branch]) -> None:
    first = branches[0]
    for b in branches:
        assert b.replica.unsynced() == 0
        assert ho.acked_seq(b.store.branch_id) == b.replica.top_seq(), "head office holds every change again"
        for table in LEDGERS:
            assert b.ledger(table) == first.ledger(table), table
            assert set(ho.merged_rows(table)) == ids_of(b.store, table), table
        assert b.registers("customers") == first.registers("customers")
        assert set(ho.merged_rows("customers")) == set(first.registers("customers"))


def test_17_head_office_restored_from_an_older_backup_loses_nothing(tmp_path: Path) -> None:
    config = HeadOfficeConfig(default_allowances=generous())
    with chain(tmp_path, ("DXB1", "DXB2"), config=config) as (ho, server, (a, b)):
        card = a.issue_card(70_000)
        a.new_customer("Before", "+971501000001")
        a.sync()
        b.sync()
        backup = tmp_path / "ho-backup.sqlite"
        back_up(tmp_path / "ho.sqlite", backup)

        # After the backup: both branches write, push and pull; head office acknowledges all of it.
        assert a.redeem(DecreaseKind.GIFT_CARD, card, 20_000).allowed
        a.new_customer("After A", "+971501000002")
        a.sync()
        b.new_customer("After B", "+971501000003")
        b.sync()
        a.sync()
        assert a.replica.unsynced() == 0 and b.replica.unsynced() == 0

        # Head office comes back from the backup, on the same address.
        server.stop()
        ho.close()
        restore(backup, tmp_path / "ho.sqlite")
        restored = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}", config)
        epochs: list[int] = []
        new_epoch = restored.new_epoch
        restored.new_epoch = lambda: epochs.append(new_epoch()) or epochs[-1]  # type: ignore[method-assign]
        again = ServerThread(restored, port=server.port).start()
        try:
            late = b.new_customer("Restored", "+971501000004")  # head office grows back under A's cursor
            for _ in range(2):
                b.sync()
                a.sync()  # A has nothing new to push
            converged(restored, [a, b])
            assert len(epochs) == 1, "both branches lost changes; one new epoch, one resync each"
            assert a.replica.epoch() == b.replica.epoch() == epochs[0]
            assert a.customer(late)["first_name_en"] == "Restored", "no row past the restored head is missed"
            assert restored.balances("gift_card")[card] == 50_000, "the redemption is back, once"
            assert a.balance(DecreaseKind.GIFT_CARD, card) == b.balance(DecreaseKind.GIFT_CARD, card) == 50_000
        finally:
            again.stop()
            restored.close()


def test_17_a_branch_whose_cursor_is_past_the_restored_head_resyncs(tmp_path: Path) -> None:
    """Head office lost only another branch's rows: B re-sends nothing, but its cursor is past what head office
    holds, and B is the first to call."""
    config = HeadOfficeConfig(default_allowances=generous())
    with chain(tmp_path, ("DXB1", "DXB2"), config=config) as (ho, server, (a, b)):
        a.new_customer("Before", "+971501000001")
        a.sync()
        b.sync()
        backup = tmp_path / "ho-backup.sqlite"
        back_up(tmp_path / "ho.sqlite", backup)
        for i in range(3):
            a.new_customer(f"Lost {i}", f"+97150200000{i}")
        a.sync()
        b.sync()  # B's cursor is now past what the backup holds

        server.stop()
        ho.close()
        restore(backup, tmp_path / "ho.sqlite")
        restored = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}", config)
        again = ServerThread(restored, port=server.port).start()
        try:
            b.sync()  # B first: head office does not yet know it lost anything of A's
            a.sync()
            b.sync()
            converged(restored, [a, b])
        finally:
            again.stop()
            restored.close()


def test_17_a_cursor_into_a_history_head_office_no_longer_has_resyncs(tmp_path: Path) -> None:
    """Head office lost only a decision of its own (a staff account) that A had pulled; B's next change takes
    its change_seq, under A's cursor. A pushed nothing that was lost and its cursor is not past the head: the
    event A saw at its cursor is what tells head office that A's history is not its own any more."""
    config = HeadOfficeConfig(default_allowances=generous())
    with chain(tmp_path, ("DXB1", "DXB2"), config=config) as (ho, server, (a, b)):
        a.sync()
        b.sync()
        backup = tmp_path / "ho-backup.sqlite"
        back_up(tmp_path / "ho.sqlite", backup)
        manager = next(s for s in a.services.staff.staff_of_branch(a.store.branch_id) if s.role == Role.MANAGER)
        ho.put_staff(
            StaffAccount(
                id=new_id(),
                branch_id=a.store.branch_id,
                username="dxb1.night",
                name_en="Night shift",
                name_ar="",
                role="cashier",
                pin_hash=manager.pin_hash,
            )
        )
        a.sync()

        server.stop()
        ho.close()
        restore(backup, tmp_path / "ho.sqlite")
        restored = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}", config)
        again = ServerThread(restored, port=server.port).start()
        try:
            late = b.new_customer("Restored", "+971501000004")
            b.sync()
            assert restored.head() > a.replica.pull_cursor(), "head office has grown past A's cursor again"
            a.sync()
            converged(restored, [a, b])
            assert a.customer(late)["first_name_en"] == "Restored"
        finally:
            again.stop()
            restored.close()
