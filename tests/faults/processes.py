"""Processes the fault tests kill with SIGKILL: head office dying inside a batch, a branch dying inside a pull,
a till dying in a stream of sales.

python -m tests.faults.processes headoffice --db URL --port N --crash-after K
python -m tests.faults.processes branch --store PATH --die-at POINT
python -m tests.faults.processes sales --store PATH --at ISO-INSTANT --acks PATH --seed N
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def headoffice(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.headoffice.app import create_app
    from sync.headoffice.store import HeadOfficeStore

    def hook(written: int) -> None:
        if written >= args.crash_after:
            die()

    store = HeadOfficeStore(args.db, on_change=hook)
    uvicorn.run(create_app(store), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0


def branch(args: argparse.Namespace) -> int:
    from main import build_worker
    from storage.db import open_store

    store = open_store(args.store)
    worker = build_worker(store, pull_page=args.pull_page)
    assert worker is not None

    def hook(point: str) -> None:
        if point == args.die_at:
            die()

    worker.replica.fault_point = hook  # type: ignore[attr-defined]
    worker.run_cycle()
    return 0


def sales(args: argparse.Namespace) -> int:
    """Records sales until killed. A sale is acknowledged (a line in ``--acks``, flushed and fsynced) only
    after ``record_sale`` has returned, as a till prints the receipt only then: every acknowledged sale must
    survive the kill. Sales alternate between walk-ins and loyalty members, with 1 to 4 lines, so the kill
    lands in the order and line executemany, the points ledger and the ORM flush of a tier change alike."""
    import random
    from datetime import datetime

    from sqlalchemy import text

    from core.purchases.model import LineDraft, SaleDraft, TenderDraft
    from core.staff.auth import Actor, Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from tests.clock import TestClock

    store = open_store(args.store)
    services = build_services(store, TestClock(datetime.fromisoformat(args.at)))
    with store.read_engine.connect() as conn:
        staff_id, branch_id = conn.execute(
            text("SELECT id, branch_id FROM staff WHERE role = :role AND branch_id = :branch ORDER BY id LIMIT 1"),
            {"role": Role.CASHIER.value, "branch": store.branch_id},
        ).one()
        members = [str(row[0]) for row in conn.execute(text("SELECT id FROM customers ORDER BY id LIMIT 8"))]
    cashier = Actor(str(staff_id), str(branch_id), Role.CASHIER)
    shelf = (
        LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000),
        LineDraft("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, 1, 18_500),
        LineDraft("AMB-NGT-100", "Amber Night", "Perfume & Oud", "amber", 100, 2, 42_000),
        LineDraft("BKH-MUB-40", "Mubakhar", "Perfume & Oud", "oud", None, 3, 6_500),
    )
    if args.die_in_append:
        # Killed between a ledger append's two executemany calls (the rows written, their change-log rows
        # not yet): the sale in flight is uncommitted and must leave nothing behind.
        from storage import ledger
        from storage.schema import ChangeLog

        plan = ledger.insert_plan
        logged = 0

        def plan_then_die(model: Any, dialect: Any) -> Any:
            nonlocal logged
            if model is ChangeLog:
                logged += 1
                if logged >= args.die_in_append:
                    die()
            return plan(model, dialect)

        ledger.insert_plan = plan_then_die  # type: ignore[assignment]
    rng = random.Random(args.seed)
    fd = os.open(args.acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    while True:
        customer = rng.choice(members) if rng.random() < 0.6 else None
        lines = tuple(rng.sample(shelf, rng.randint(1, len(shelf))))
        draft = SaleDraft(customer, lines, TenderDraft(cash_fils=100_000_000))
        result = services.purchases.record_sale(cashier, draft)
        os.write(fd, f"{result.order.id} {customer or '-'} {len(lines)}\n".encode())
        os.fsync(fd)


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    ho = sub.add_parser("headoffice")
    ho.add_argument("--db", required=True)
    ho.add_argument("--port", type=int, required=True)
    ho.add_argument("--crash-after", type=int, required=True)
    br = sub.add_parser("branch")
    br.add_argument("--store", required=True)
    br.add_argument("--die-at", required=True)
    br.add_argument("--pull-page", type=int, default=2000)
    sa = sub.add_parser("sales")
    sa.add_argument("--store", required=True)
    sa.add_argument("--at", required=True, help="the test clock's starting instant, ISO 8601 with its offset")
    sa.add_argument("--acks", required=True)
    sa.add_argument("--seed", type=int, default=0)
    sa.add_argument("--die-in-append", type=int, default=0, help="die inside the Nth ledger append (0: never)")
    args = parser.parse_args()
    runs = {"headoffice": headoffice, "branch": branch, "sales": sales}
    return runs[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
