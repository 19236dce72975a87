"""Redeem latency: look-up + balance check + ledger event + change log, durable — beside one bare fsynced
SQLite insert transaction on the same disk.

    .venv/bin/python benchmarks/bench_redeem.py [--n 300]

Both sides use the same SQLite settings (WAL, synchronous=FULL, foreign keys on) in the same directory, and
run interleaved (one redemption, then one bare insert of each kind, in turn) so that they see the same disk
and the same machine load. Two bare figures are printed: the event row itself (the same
gift_card_transactions row, into the same table of a copy of the same store, with its indexes and foreign
keys) and a one-row insert into a two-column table in an empty file. Each side is printed as p5 / p50 / p95
of its redemptions, and the ratio also block by block (the run cut into ``--blocks`` consecutive parts), whose
spread says how much one run's ratio can be trusted on a loaded machine.

Target: app p50 ≤ 3× the bare insert of the same row, over the whole run. The exit status is 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import block_ratios, percentiles, spread, verdict
from benchmarks.stores import add_plain_option, connect, copy_store, use_plain

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 3.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--blocks", type=int, default=5, help="consecutive parts whose ratios give the spread")
    add_plain_option(parser)
    args = parser.parse_args()
    print(use_plain(args))
    from core.giftcards.service import IssueRequest
    from core.staff.auth import Actor, Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from storage.seed.demo import seed_demo

    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        store = open_store(Path(tmp) / "store.sqlite")
        seed_demo(store, customers=200)
        services = build_services(store)
        staff = next(s for s in services.staff.staff_of_branch(store.branch_id) if s.role == Role.CASHIER)
        cashier = Actor(staff.id, staff.branch_id, staff.role, staff.name_en)
        cards = [services.giftcards.issue(cashier, IssueRequest(1_000_000)) for _ in range(20)]
        card_ids = [c.id for c in cards]

        copy = Path(tmp) / "copy.sqlite"
        copy_store(Path(tmp) / "store.sqlite", copy)
        same = connect(copy, isolation_level=None)
        same.execute("PRAGMA journal_mode=WAL")
        same.execute("PRAGMA synchronous=FULL")
        same.execute("PRAGMA foreign_keys=ON")
        branch = same.execute("SELECT branch_id FROM gift_cards LIMIT 1").fetchone()[0]

        bare_db = connect(Path(tmp) / "bare.sqlite", isolation_level=None)
        bare_db.execute("PRAGMA journal_mode=WAL")
        bare_db.execute("PRAGMA synchronous=FULL")
        bare_db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, amount INTEGER)")

        def bare_same(i: int) -> None:
            same.execute("BEGIN IMMEDIATE")
            same.execute(
                "INSERT INTO gift_card_transactions (id, created_at, branch_id, card_id, kind, amount_fils, "
                "staff_id, offline_pending) VALUES (?, ?, ?, ?, 'redeem', -100, ?, 0)",
                (f"bare-{i:08d}", "2026-11-25 12:00:00.000000", branch, card_ids[i % len(card_ids)], staff.id),
            )
            same.execute("COMMIT")

        def bare_toy(i: int) -> None:
            bare_db.execute("BEGIN IMMEDIATE")
            bare_db.execute("INSERT INTO t VALUES (?, ?)", (f"row-{i}", -100))
            bare_db.execute("COMMIT")

        def app_redeem(i: int) -> None:
            services.giftcards.redeem(cashier, card_ids[i % len(card_ids)], 100)

        # Interleaved, one of each in turn, so the three sides see the same disk and the same machine load.
        app: list[float] = []
        same_row: list[float] = []
        bare: list[float] = []
        for i in range(-20, args.n):  # the first 20 rounds warm up
            for side, times in ((app_redeem, app), (bare_same, same_row), (bare_toy, bare)):
                start = time.perf_counter()
                side(i + 20)
                if i >= 0:
                    times.append((time.perf_counter() - start) * 1000)
        same.close()
        bare_db.close()
        store.close()

    a50, s50, b50 = statistics.median(app), statistics.median(same_row), statistics.median(bare)
    print(f"redeem through the app              {percentiles(app)}   (n={args.n})")
    print(f"bare insert of the same event row   {percentiles(same_row)}   (same table, copy of the store)")
    print(f"bare insert into a toy table        {percentiles(bare)}   (two columns, empty file)")
    ratio = a50 / s50
    ok = ratio <= TARGET_RATIO
    per_block = block_ratios(app, same_row, args.blocks)
    print(
        f"ratio p50 vs the same row {ratio:.2f}x  (target <= {TARGET_RATIO:g}x): {verdict(ok)}; "
        f"block by block ({len(per_block)} blocks of about {args.n // len(per_block)}): {spread(per_block, 'x')}"
    )
    toy_blocks = block_ratios(app, bare, args.blocks)
    print(f"ratio p50 vs the toy table {a50 / b50:.2f}x; block by block: {spread(toy_blocks, 'x')}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
