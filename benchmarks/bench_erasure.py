"""What an erasure costs a branch store, and what ``PRAGMA secure_delete`` would cost if it were always on.

    python benchmarks/bench_erasure.py [--customers 100000] [--runs 5]

The fixture (built on first use under benchmarks/data, never committed) is a ``make_store.build`` store. Each run,
on customers it has not touched before:

* scrub — ``storage.erasure.scrub_customers`` of one customer in one transaction (what a pull that brings head
  office's tombstone adds, timed apart), committed, then ``after_scrub``: the full-text index merged into one
  segment so no term of the old text survives (before SQLite 3.42), and the WAL truncated;
* edits, secure_delete off / on — 300 profile edits through units of work (the till's own write path), run as
  pairs back to back, the side that goes first alternating, with the pooled write connection's
  ``secure_delete`` off or on;
* probe — ``scrub_acknowledged`` on an acknowledged batch of 300 changes, with no erased customer and with one
  (what every push acknowledgement pays).

* head office — ``sync.headoffice.erasure.scrub_head_office`` of one customer on a SQLite head office holding
  ``--ho-changes`` logged changes (a tenth of them customers, the rest their messages and audit history, each
  a merged row where it is a register), committed: what an approval adds to its transaction.

Targets: a scrub with its merge under 3 s at 100,000 customers (the merge holds the write lock that long);
the acknowledgement probe under 1 ms with no erased customer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.make_store import build
from benchmarks.spread import spread
from core.kernel.clock import SystemClock
from core.staff.auth import Actor, Role
from storage import erasure
from storage.db import Store, open_store
from storage.schema import Customer
from storage.uow import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[1]


def customers(store: Store, count: int, offset: int) -> list[str]:
    with store.read_engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM customers ORDER BY rowid LIMIT :n OFFSET :o"), {"n": count, "o": offset}
            )
        ]


def edits(store: Store, ids: list[str], secure: bool) -> float:
    store.write_engine.dispose()

    def pragma(dbapi: object, _record: object) -> None:
        dbapi.execute(f"PRAGMA secure_delete = {'ON' if secure else 'OFF'}")  # type: ignore[attr-defined]

    event.listen(store.write_engine, "connect", pragma)
    actor = Actor("", store.branch_id, Role.ADMIN, "bench")
    started = time.perf_counter()
    for n, customer_id in enumerate(ids):
        with SqlUnitOfWork(store, SystemClock(), actor) as uow:
            row = uow.session.get(Customer, customer_id)
            assert row is not None
            row.notes = f"note {n} {'x' * 200}"
            row.area = f"area {n}"
            uow.commit()
    elapsed = time.perf_counter() - started
    event.remove(store.write_engine, "connect", pragma)
    store.write_engine.dispose()
    return elapsed


def forced(conn: object, sql: str, *params: object) -> None:
    """A bare UPDATE of customers, let through the logged-update trigger the way a scrub is (a fixture's
    tombstone, not an app write)."""
    run = conn.exec_driver_sql  # type: ignore[attr-defined]
    run("INSERT INTO erasure_scrubbing (customer_id) VALUES ('bench')")
    run(sql, params)
    run("DELETE FROM erasure_scrubbing")


def head_office(changes: int, runs: int) -> None:
    import tempfile

    import orjson

    from core.kernel.ids import new_id
    from sync.headoffice import models as m
    from sync.headoffice.erasure import scrub_head_office
    from sync.headoffice.store import HeadOfficeStore

    directory = Path(tempfile.mkdtemp(prefix="ho-erasure-"))
    ho = HeadOfficeStore(f"sqlite:///{directory / 'ho.sqlite'}")
    people = [new_id() for _ in range(changes // 10)]
    now = "2026-12-04T00:00:00+00:00"
    log, rows = [], []
    for n in range(changes):
        who = people[n % len(people)]
        if n < len(people):
            data = {"id": who, "first_name_en": f"Name {n}", "mobile": f"+9715{n:08d}"}
            entity, row_id = "customers", who
        elif n % 2:
            row_id = new_id()
            entity, data = "communications", {"id": row_id, "customer_id": who, "body": f"Dear Name {n}"}
        else:
            row_id = new_id()
            entity, data = "customer_history", {"id": row_id, "customer_id": who, "changes": {"notes": [None, "x"]}}
        payload = orjson.dumps(data).decode()
        log.append((n + 1, new_id(), "b", n + 1, entity, row_id, "insert", payload, "h", None, None, now, now))
        if entity != "customer_history":
            rows.append((entity, row_id, "b", payload, "{}", n + 1))
    with ho.writer.begin() as conn:
        marks = ", ".join("?" for _ in m.changes.columns)
        conn.exec_driver_sql(f"INSERT INTO {m.changes.name} VALUES ({marks})", log)
        conn.exec_driver_sql(f"INSERT INTO {m.rows.name} VALUES (?, ?, ?, ?, ?, ?)", rows)
    took = []
    for victim in people[:runs]:
        started = time.perf_counter()
        with ho.writing() as (conn, _head):
            scrub_head_office(conn, [victim])
        took.append(time.perf_counter() - started)
    ho.close()
    print(f"head office of {changes:,} changes, {len(people):,} customers: scrub of one customer")
    print(f"  {spread(took, 's', 3)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ho-changes", type=int, default=500_000)
    args = parser.parse_args(argv)
    head_office(args.ho_changes, args.runs)
    path = ROOT / "benchmarks" / "data" / f"store-erasure-{args.customers}.sqlite"
    if not path.exists():
        build(path, args.customers)
    store = open_store(path)
    scrub, optimize, off, on, probe_none, probe_one = [], [], [], [], [], []
    offset = 0
    for run in range(args.runs):
        (victim,) = customers(store, 1, offset)
        offset += 1
        with store.write_engine.begin() as conn:
            forced(conn, "UPDATE customers SET erased_at = '2026-12-04 00:00:00.000000' WHERE id = ?", victim)
        started = time.perf_counter()
        with store.write_engine.begin() as conn:
            erasure.scrub_customers(conn, [victim], 0)
        optimize.append(time.perf_counter() - started)
        erasure.after_scrub(store)
        scrub.append(time.perf_counter() - started)
        ids = customers(store, 300, offset)
        offset += 300
        half = ids[:150], ids[150:]
        first, second = (False, True) if run % 2 == 0 else (True, False)
        timed = {first: edits(store, half[0], first), second: edits(store, half[1], second)}
        off.append(timed[False] / 150 * 1000)
        on.append(timed[True] / 150 * 1000)
        with store.read_engine.connect() as conn:
            top = int(conn.exec_driver_sql("SELECT max(branch_seq) FROM change_log").scalar() or 0)
        for erased, into in ((False, probe_none), (True, probe_one)):
            with store.write_engine.begin() as conn:
                if not erased:
                    forced(conn, "UPDATE customers SET erased_at = NULL WHERE erased_at IS NOT NULL")
                started = time.perf_counter()
                erasure.scrub_acknowledged(conn, top - 300, top)
                into.append((time.perf_counter() - started) * 1000)
                conn.rollback()
    store.close()
    print(f"store of {args.customers:,} customers, {args.runs} runs")
    print(f"scrub of one customer, with its index merge and WAL truncation: {spread(scrub, 's', 3)}")
    print(f"  of which the pull's own transaction:                      {spread(optimize, 's', 3)}")
    print(f"profile edit, secure_delete off: {spread(off, 'ms')}")
    print(f"profile edit, secure_delete on:  {spread(on, 'ms')}")
    ratios = [b / a for a, b in zip(off, on, strict=True)]
    print(f"on / off, paired: {spread(ratios, '', 3)}")
    print(f"acknowledgement probe, no erased customer: {spread(probe_none, 'ms', 3)}")
    print(f"acknowledgement probe, erased customers:   {spread(probe_one, 'ms', 3)}")
    missed = statistics.median(scrub) > 3.0 or statistics.median(probe_none) > 1.0
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
