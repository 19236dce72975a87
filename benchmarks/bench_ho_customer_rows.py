"""Head office's write of the chain's customer analytics rows (sync.headoffice.analytics.HeadOfficeCustomerRows)
for 100,000 customers: the first run (every row new) and a rerun with nothing changed, beside the bare SQL
insert of the same rows, interleaved round by round.

    .venv/bin/python benchmarks/bench_ho_customer_rows.py [--customers 100000] [--rounds 5]

The customers' figures are computed once, outside the timings, from a seeded synthetic history
(core.analytics.synthetic, three years, three branches). Each round, on fresh SQLite files in a temporary
directory:

- first run: ``save`` into an empty head office: read the rows it holds (none), compare, build each row's fields
  and write them as head office's changes (``ho_changes`` and ``ho_rows``), 5,000 per transaction;
- rerun: ``save`` again with the same figures: every row read back from ``ho_rows`` and compared, none written;
- bare: the same rows (the same JSON payloads) inserted by ``executemany`` into one plain table
  (id, customer_id, data), 5,000 per transaction, under head office's pragmas (WAL, synchronous=FULL).

The ratio first run / bare is taken pair by pair (benchmarks/spread.py). In the first round, the peak resident
memory after the first run less the resident memory before it: at most what the write added (an earlier peak,
the models', may hide it). No target: the figure is what a
nightly run costs head office and how long its other writers may wait (one batch's transaction).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import spread
from core.analytics.customers import compute_customer_analytics
from core.analytics.synthetic import history
from sync.headoffice.analytics import ROW_BATCH, HeadOfficeCustomerRows
from sync.headoffice.store import HeadOfficeStore

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def bare(directory: Path, rows: list[tuple[str, dict[str, object]]]) -> float:
    conn = sqlite3.connect(directory / "bare.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE customer_analytics (id TEXT PRIMARY KEY, customer_id TEXT UNIQUE, data TEXT)")
    started = time.perf_counter()
    for start in range(0, len(rows), ROW_BATCH):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO customer_analytics VALUES (?, ?, ?)",
            [(i, f["customer_id"], orjson.dumps(f).decode()) for i, f in rows[start : start + ROW_BATCH]],
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _resident_kib() -> int:
    """This process's resident memory now (ru_maxrss is the peak so far)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    logging.getLogger("sync.headoffice.crypto").setLevel(logging.ERROR)  # the keys file of a throwaway store

    frame = history(args.customers, end=NOW, seed=11)
    result = compute_customer_analytics(frame, NOW, validation=False)
    print(f"{args.customers:,} customers, {len(frame.order_ids):,} orders; load {os.getloadavg()[0]:.2f}")
    first: list[float] = []
    rerun: list[float] = []
    plain: list[float] = []
    written = 0
    grown = 0.0
    for _ in range(args.rounds):
        directory = Path(tempfile.mkdtemp(prefix="ho-customer-rows-"))
        try:
            ho = HeadOfficeStore(f"sqlite:///{directory / 'ho.sqlite'}")
            rows = HeadOfficeCustomerRows(ho)
            before = _resident_kib()
            started = time.perf_counter()
            written = rows.save(result, frame, NOW)
            first.append(time.perf_counter() - started)
            if not first[1:]:
                grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
            started = time.perf_counter()
            again = rows.save(result, frame, NOW)
            rerun.append(time.perf_counter() - started)
            assert again == 0, again
            ho.close()
            # What the first run wrote, for the bare side: the same rows planned against an empty head office.
            empty = HeadOfficeStore(f"sqlite:///{directory / 'empty.sqlite'}")
            same = HeadOfficeCustomerRows(empty).changes(result, frame, NOW)
            empty.close()
            plain.append(bare(directory, same))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    ratios = [a / b for a, b in zip(first, plain, strict=True)]
    print(f"rows written: {written:,}; peak resident memory over the first run's start: {grown:.0f} MiB or less")
    print(f"first run:      {spread(first, 's')}")
    print(f"unchanged rerun: {spread(rerun, 's')}")
    print(f"bare insert:    {spread(plain, 's')}")
    print(f"first run / bare, pair by pair: {spread(ratios, '×', 1)}")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
