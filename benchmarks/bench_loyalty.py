"""Recording a purchase with points, and the loyalty card of a customer with a long ledger.

    python benchmarks/bench_loyalty.py [--sales 200] [--events 5000] [--customers 300]

Both on copies of one freshly seeded demo store (WAL, synchronous=FULL, as the app runs it):

1. **Purchase.** ``services.purchases.record_sale`` of a 5-line sale paid partly with points: the order, its
   lines, the redeem and earn events, the tier check, the learned-preferences row, the change log, one
   durable commit. Beside it, in the same run and interleaved, the bare engine: a plain sqlite3 connection on
   a copy of the same store inserting, in one ``BEGIN IMMEDIATE`` transaction, as many rows into the same
   tables (orders, order_lines, loyalty_transactions, change_log) as the app's sale adds, then committing.
   Target: app median ≤ 3 × bare median.
2. **Loyalty card.** ``services.loyalty.card`` (tier, progress, balance, expiring soon) for a customer whose
   account holds 5,000 ledger events, beside the bare engine reading the same events with sqlite3.
   Target: app p95 < 20 ms.

Each side is printed as p5 / p50 / p95 of its runs; the purchase ratio also block by block (the interleaved
run cut into five consecutive parts), whose spread says how far one run's ratio moves with the machine's load.
The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import block_ratios, percentiles, quantile, spread
from benchmarks.stores import add_plain_option, connect, copy_store, use_plain
from core.kernel.ids import new_id
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.purchases.products import CATALOG
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import open_store
from storage.repositories.loyalty import TOTALS_SQL
from storage.seed.demo import seed_demo
from storage.uow import SqlUnitOfWork, uow_factory

PURCHASE_RATIO = 3.0
CARD_P95_MS = 20.0
TABLES = ("orders", "order_lines", "loyalty_transactions", "change_log", "customer_preferences", "communications")


def ms(seconds: float) -> float:
    return seconds * 1000


def p95(values: list[float]) -> float:
    return quantile(values, 0.95)  # the p95 printed beside it, so the verdict and the figure agree


def cashier_of(services: Services) -> Actor:
    staff = services.staff.staff_of_branch(services.store.branch_id)
    member = next(s for s in staff if s.role == Role.CASHIER)
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def five_lines(rng: random.Random) -> tuple[LineDraft, ...]:
    return tuple(
        LineDraft(p.sku, p.name_en, p.brand, p.family.value, p.size_ml, rng.randint(1, 2), p.price_fils)
        for p in rng.sample(CATALOG, 5)
    )


def counts(path: Path) -> dict[str, int]:
    with connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def bare_connection(path: Path) -> sqlite3.Connection:
    conn = connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def bare_sale(conn: sqlite3.Connection, rows: dict[str, int], branch_id: str, customer_id: str, seq: list[int]) -> None:
    """The same number of rows the app's sale adds, into the same tables, in one durable transaction."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    order_id = new_id()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO orders (id, created_at, branch_id, number, customer_id, kind, net_fils, vat_fils, total_fils,"
        " tenders) VALUES (?, ?, ?, ?, ?, 'sale', 100, 5, 105, '{}')",
        (order_id, now, branch_id, f"BARE-{order_id[-12:]}", customer_id),
    )
    for _ in range(rows["order_lines"]):
        conn.execute(
            "INSERT INTO order_lines (id, created_at, branch_id, order_id, sku, product_name, brand, family, size_ml,"
            " quantity, unit_price_fils, net_fils, vat_fils) VALUES (?, ?, ?, ?, 'SKU', 'Name', 'B', 'oud', 50, 1,"
            " 100, 100, 5)",
            (new_id(), now, branch_id, order_id),
        )
    account = conn.execute("SELECT id FROM loyalty_accounts LIMIT 1").fetchone()[0]
    for _ in range(rows["loyalty_transactions"]):
        conn.execute(
            "INSERT INTO loyalty_transactions (id, created_at, branch_id, account_id, kind, points, order_id,"
            " offline_pending) VALUES (?, ?, ?, ?, 'earn', 10, ?, 0)",
            (new_id(), now, branch_id, account, order_id),
        )
    for _ in range(rows["change_log"]):
        seq[0] += 1
        conn.execute(
            "INSERT INTO change_log (branch_seq, event_id, branch_id, entity, row_id, op, payload, hlc, created_at)"
            " VALUES (?, ?, ?, 'orders', ?, 'insert', ?, '0', ?)",
            (seq[0], new_id(), branch_id, order_id, json.dumps({"id": order_id, "net_fils": 100}), now),
        )
    conn.execute("COMMIT")


def floor_sale(uow: Callable[[Actor | None], SqlUnitOfWork], actor: Actor, customer_id: str, account_id: str) -> None:
    """The least any write through the app's unit of work costs for this sale: the same rows (order, five
    lines, two events) written by the repositories the sale uses, with their change-log rows, one durable
    commit; no look-ups, no rules."""
    with uow(actor) as work:
        order_id, _lines = work.orders.add(
            {
                "number": f"F-{new_id()[-16:]}",
                "customer_id": customer_id,
                "kind": "sale",
                "net_fils": 100,
                "vat_fils": 5,
                "total_fils": 105,
                "tenders": {"cash": 105},
            },
            [
                {
                    "sku": "SKU",
                    "product_name": "Name",
                    "brand": "B",
                    "family": "oud",
                    "size_ml": 50,
                    "quantity": 1,
                    "unit_price_fils": 100,
                    "net_fils": 100,
                    "vat_fils": 5,
                }
                for _ in range(5)
            ],
        )
        for kind, points in (("redeem", -1), ("earn", 1)):
            work.loyalty.add_event(account_id, kind, points, order_id=order_id)
        work.commit()


def bench_purchase(template: Path, work: Path, sales: int) -> bool:
    app_path, bare_path = work / "app.sqlite", work / "bare.sqlite"
    shutil.copy(template, app_path)
    store = open_store(app_path)
    services = build_services(store)
    actor = cashier_of(services)
    rng = random.Random(7)
    customers = [c.id for c in services.customers.search("moh", limit=50)] + [
        c.id for c in services.customers.search("fatima", limit=50)
    ]
    for customer_id in customers:  # a first purchase each: an account and points to spend
        lines = five_lines(rng)
        services.purchases.record_sale(actor, SaleDraft(customer_id, lines, TenderDraft(cash_fils=10_000_000)))

    def sale_draft() -> SaleDraft:
        lines = five_lines(rng)
        total = sum(round(x.unit_price_fils * x.quantity * 1.05) + 1 for x in lines)
        return SaleDraft(rng.choice(customers), lines, TenderDraft(cash_fils=total, points=100))

    before = counts(app_path)
    services.purchases.record_sale(actor, sale_draft())
    after = counts(app_path)
    rows = {t: after[t] - before[t] for t in TABLES}
    inserted = sum(rows.values())

    copy_store(app_path, bare_path)  # the bare engine works on a copy of the very same store
    bare = bare_connection(bare_path)
    branch_id = store.branch_id
    seq = [bare.execute("SELECT coalesce(max(branch_seq), 0) FROM change_log").fetchone()[0]]
    bare_customer = customers[0]
    bare_rows = dict(rows)
    bare_rows["change_log"] += rows["customer_preferences"] + rows["communications"]  # same row count in all
    account_id = bare.execute("SELECT id FROM loyalty_accounts LIMIT 1").fetchone()[0]
    uow = uow_factory(store, services.clock)
    app_times: list[float] = []
    bare_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(5):  # warm-up all three
        services.purchases.record_sale(actor, sale_draft())
        bare_sale(bare, bare_rows, branch_id, bare_customer, seq)
        floor_sale(uow, actor, customers[0], account_id)
    for _ in range(sales):
        draft = sale_draft()
        t0 = time.perf_counter()
        services.purchases.record_sale(actor, draft)
        app_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        bare_sale(bare, bare_rows, branch_id, bare_customer, seq)
        bare_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        floor_sale(uow, actor, customers[0], account_id)
        floor_times.append(time.perf_counter() - t0)
    bare.close()
    store.close()
    app_med, bare_med = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_med / bare_med
    print(f"1. Record a 5-line purchase with points ({sales} sales, interleaved)")
    print(f"   rows the app adds per sale: {inserted} ({', '.join(f'{k} {v}' for k, v in rows.items() if v)})")
    print(f"   app  {percentiles([ms(t) for t in app_times])}")
    print(f"   bare {percentiles([ms(t) for t in bare_times])}   (sqlite3, same rows, fsynced)")
    print(
        f"   uow  {percentiles([ms(t) for t in floor_times])}"
        "   (the shared unit of work writing the same order, lines and events, nothing else)"
    )
    ok = ratio <= PURCHASE_RATIO
    per_block = spread(block_ratios(app_times, bare_times, 5), "x")
    print(f"   ratio {ratio:.2f} x (target <= {PURCHASE_RATIO:g} x): {'PASS' if ok else 'FAIL'}; by block {per_block}")
    return ok


def bench_card(template: Path, work: Path, events: int) -> bool:
    path = work / "card.sqlite"
    shutil.copy(template, path)
    store = open_store(path)
    services = build_services(store)
    actor = cashier_of(services)
    customer = services.customers.search("ali", limit=1)[0]
    lines = (LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89000),)
    services.purchases.record_sale(actor, SaleDraft(customer.id, lines, TenderDraft(cash_fils=100_000)))
    account = services.loyalty.card(actor, customer.id)
    assert account.card_number
    # The long history is loaded directly (bench set-up, not the app's path): two years of earn, redeem,
    # bonus and expire events with their lots' expiry dates.
    rng = random.Random(11)
    start = datetime.now(UTC) - timedelta(days=730)
    with connect(path) as conn:
        account_id = conn.execute("SELECT id FROM loyalty_accounts WHERE customer_id = ?", (customer.id,)).fetchone()[0]
        rows = []
        held = 0
        for i in range(events - 1):
            at = start + timedelta(minutes=i * (730 * 24 * 60) // events)
            if held > 500 and rng.random() < 0.3:
                kind, points, expires = "redeem", -rng.randint(100, 400), None
            else:
                kind, points, expires = "earn", rng.randint(10, 400), (at + timedelta(days=365)).date().isoformat()
            held += points
            rows.append(
                (
                    new_id(),
                    at.replace(tzinfo=None).isoformat(sep=" "),
                    store.branch_id,
                    account_id,
                    kind,
                    points,
                    expires,
                )
            )
        conn.executemany(
            "INSERT INTO loyalty_transactions (id, created_at, branch_id, account_id, kind, points, expires_on,"
            " offline_pending) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            rows,
        )
    card = services.loyalty.card(actor, customer.id)
    bare = connect(path)
    every_event = (
        "SELECT kind, points, created_at, expires_on FROM loyalty_transactions WHERE account_id = ? "
        "ORDER BY created_at, id"
    )
    today = datetime.now(UTC).date()
    sums = {  # the app's own aggregate, with the bounds the card uses under the default rules
        "a": account_id,
        "cur": "1969-12-31 20:00:00.000000",
        "prev": "1969-12-31 20:00:00.000000",
        "today": today.isoformat(),
        "horizon": (today + timedelta(days=30)).isoformat(),
    }
    app_times: list[float] = []
    same_sql: list[float] = []
    read_all: list[float] = []
    for round_ in range(60):
        t0 = time.perf_counter()
        card = services.loyalty.card(actor, customer.id)
        t1 = time.perf_counter()
        totals = bare.execute(str(TOTALS_SQL), sums).fetchone()
        t2 = time.perf_counter()
        total = sum(r[1] for r in bare.execute(every_event, (account_id,)).fetchall())
        t3 = time.perf_counter()
        if round_ >= 10:
            app_times.append(t1 - t0)
            same_sql.append(t2 - t1)
            read_all.append(t3 - t2)
    bare.close()
    store.close()
    assert total == card.balance == totals[0], (total, card.balance, totals[0])
    ok = p95(app_times) < CARD_P95_MS / 1000
    print(f"2. Loyalty card of a customer with {events:,} ledger events (balance {card.balance:,}, {card.tier.value})")
    print(f"   app  {percentiles([ms(t) for t in app_times])}")
    print(
        f"   bare {percentiles([ms(t) for t in same_sql])}   (sqlite3 running the card's aggregate on the same events)"
    )
    print(
        f"   bare {percentiles([ms(t) for t in read_all])}   (sqlite3 reading every event into Python, the naive way)"
    )
    print(f"   target p95 < {CARD_P95_MS:g} ms: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=200)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=300)
    add_plain_option(parser)
    args = parser.parse_args()
    print(use_plain(args))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "template.sqlite"
        store = open_store(template)
        seed_demo(store, customers=args.customers)
        store.close()
        ok = bench_purchase(template, work, args.sales)
        ok = bench_card(template, work, args.events) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
