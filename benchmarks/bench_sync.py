"""Sync on loopback: a branch pushes 100,000 changes to head office and another branch pulls them, against the
bare engine storing the same rows; then the round trip of a small incremental sync.

    python benchmarks/bench_sync.py [--changes 100000] [--keep DIR]

Head office runs as its own process (``main.py headoffice``, SQLite file, WAL, synchronous=FULL) on 127.0.0.1.
The sending branch's change log is written beforehand through the app's units of work (customers with their
audit rows, gift cards with their issue events, and redemptions). Measured:

* sync  — the sending branch's worker pushes everything (signed HTTP, batches of the worker's default size,
  2,000 changes, each applied at head office in one transaction), then the receiving branch's worker pulls
  and applies everything (pages of 5,000, each page with its cursor in one transaction). With a backlog the
  worker reads the next batch, or fetches the next page, while the current one is in flight;
* bare  — what must be stored at the least, with plain sqlite3 ``executemany`` in one fsynced transaction
  each (WAL, synchronous=FULL): the same 100,000 change rows into a head-office change table, and the same
  rows into the receiving branch's own tables (a copy of the same empty store); the median of three runs;
* incremental — 10 new changes at one branch: its push, then the other branch's pull that applies them
  (each with its transaction and fsync at both ends), median of 30.

Targets: sync throughput >= 30 % of bare; incremental round trip < 100 ms. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PERFUME_OUD_NO_KEYRING", "1")

from storage.schema import Customer, GiftCard, GiftCardTransaction
from sync.headoffice.store import HeadOfficeStore
from tests.faults.support import ServerProcess, chain_template, open_branch

TARGET_RATIO = 0.30
TARGET_ROUND_TRIP_MS = 100.0
BARE_RUNS = 3


def fill(branch, changes: int) -> None:  # type: ignore[no-untyped-def]
    """Customers (2 changes each), gift cards with an issue event (2 each), redemptions (1 each)."""
    customers = changes // 5
    cards = changes // 10
    redemptions = changes - 2 * customers - 2 * cards
    step = 2_000
    for start in range(0, customers, step):
        with branch.uow() as uow:
            for i in range(start, min(customers, start + step)):
                uow.session.add(
                    Customer(
                        number=f"B-{i:07d}",
                        first_name_en=f"Guest {i}",
                        mobile=f"+9715{i:08d}",
                        segment="regular",
                        preferred_language="ar",
                        preferred_channel="whatsapp",
                    )
                )
            uow.commit()
    card_ids: list[str] = []
    for start in range(0, cards, step):
        with branch.uow() as uow:
            for i in range(start, min(cards, start + step)):
                card = GiftCard(code=f"BENCH{i:07d}", initial_fils=50_000, expires_on=date(2030, 1, 1))
                uow.session.add(card)
                uow.session.flush()
                card_ids.append(card.id)
                uow.session.add(GiftCardTransaction(card_id=card.id, kind="issue", amount_fils=50_000))
            uow.commit()
    for start in range(0, redemptions, step):
        with branch.uow() as uow:
            for i in range(start, min(redemptions, start + step)):
                uow.session.add(
                    GiftCardTransaction(card_id=card_ids[i % len(card_ids)], kind="redeem", amount_fils=-10)
                )
            uow.commit()


def bare(sender_path: Path, empty_store: Path, scratch: Path) -> float:
    """Plain executemany of the same rows: head office's change table, then the receiving branch's tables."""
    source = sqlite3.connect(sender_path)
    changes = source.execute(
        "SELECT branch_seq, event_id, branch_id, entity, row_id, op, payload, hlc, staff_id, created_at "
        "FROM change_log ORDER BY branch_seq"
    ).fetchall()
    tables = {}
    for table in ("customers", "customer_history", "gift_cards", "gift_card_transactions"):
        cursor = source.execute(f"SELECT * FROM {table}")
        tables[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    source.close()
    target = scratch / "bare-branch.sqlite"
    office = scratch / "bare-ho.sqlite"
    for path in (target, office):
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    shutil.copy(empty_store, target)
    started = time.perf_counter()
    ho = sqlite3.connect(office, isolation_level=None)
    ho.execute("PRAGMA journal_mode=WAL")
    ho.execute("PRAGMA synchronous=FULL")
    ho.execute(
        "CREATE TABLE changes (change_seq INTEGER PRIMARY KEY, branch_seq INTEGER, event_id TEXT UNIQUE, "
        "origin TEXT, entity TEXT, row_id TEXT, op TEXT, payload TEXT, hlc TEXT, staff_id TEXT, created_at TEXT)"
    )
    ho.execute("BEGIN")
    ho.executemany(
        "INSERT INTO changes (branch_seq, event_id, origin, entity, row_id, op, payload, hlc, staff_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        changes,
    )
    ho.execute("COMMIT")
    ho.close()
    branch = sqlite3.connect(target, isolation_level=None)
    branch.execute("PRAGMA journal_mode=WAL")
    branch.execute("PRAGMA synchronous=FULL")
    branch.execute("BEGIN")
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" for _ in columns)
        branch.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    branch.execute("COMMIT")
    branch.close()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-sync-"))
    scratch.mkdir(parents=True, exist_ok=True)
    template = chain_template(scratch)
    db = f"sqlite:///{scratch / 'ho.sqlite'}"
    ho = HeadOfficeStore(db)
    server = ServerProcess(db).start()
    sender = open_branch(template, scratch, "DXB1", ho, server.url)  # the worker's own batch and page sizes
    receiver = open_branch(template, scratch, "DXB2", ho, server.url)
    try:
        empty = scratch / "empty-copy.sqlite"
        shutil.copy(receiver.store.path, empty)
        t0 = time.perf_counter()
        fill(sender, args.changes)
        total = sender.replica.unsynced()
        print(f"prepared {total:,} changes in {time.perf_counter() - t0:.1f} s (not measured)")

        started = time.perf_counter()
        sender.sync()
        pushed = time.perf_counter() - started
        receiver.sync()
        synced = time.perf_counter() - started
        assert sender.replica.unsynced() == 0 and receiver.replica.pull_cursor() == ho.head()
        # The bare figure is the median of three runs: alone, it moved by half from one run to the next.
        bare_runs = [bare(sender.store.path, empty, scratch) for _ in range(BARE_RUNS)]
        bare_s = statistics.median(bare_runs)
        ratio = bare_s / synced
        print(f"push   {total:,} changes: {pushed:6.2f} s  ({total / pushed:,.0f} changes/s)")
        print(f"pull   {total:,} changes: {synced - pushed:6.2f} s  ({total / (synced - pushed):,.0f} changes/s)")
        print(f"sync   push + pull:        {synced:6.2f} s  ({total / synced:,.0f} changes/s)")
        print(
            f"bare   executemany, same rows (head office + branch): {bare_s:6.2f} s ({total / bare_s:,.0f} rows/s), "
            f"median of {', '.join(f'{b:.2f}' for b in bare_runs)} s"
        )
        ok_bulk = ratio >= TARGET_RATIO
        print(
            f"ratio  sync / bare throughput = {ratio:.0%}  target >= {TARGET_RATIO:.0%}  "
            f"{'PASS' if ok_bulk else 'FAIL'}"
        )

        trips = []
        for i in range(30):
            for j in range(5):
                sender.new_customer(f"Inc {i}-{j}", f"+97158{i:03d}{j:04d}")  # 10 changes
            t = time.perf_counter()
            sender.worker._push_all()  # the sending branch's push ...
            receiver.worker._pull_all()  # ... and the receiving branch's pull: one round trip of the change
            trips.append((time.perf_counter() - t) * 1000)
        median = statistics.median(trips)
        ok_trip = median < TARGET_ROUND_TRIP_MS
        print(
            f"incremental 10 changes, push + pull: median {median:.1f} ms, p95 "
            f"{sorted(trips)[int(len(trips) * 0.95) - 1]:.1f} ms  target < {TARGET_ROUND_TRIP_MS:.0f} ms  "
            f"{'PASS' if ok_trip else 'FAIL'}"
        )
        print(
            json.dumps(
                {
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                    "changes": total,
                    "sync_s": round(synced, 2),
                    "bare_s": round(bare_s, 2),
                    "bare_runs_s": [round(b, 2) for b in bare_runs],
                    "ratio": round(ratio, 3),
                    "incremental_median_ms": round(median, 1),
                }
            )
        )
        return 0 if ok_bulk and ok_trip else 1
    finally:
        sender.close()
        receiver.close()
        server.stop()
        ho.close()
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
