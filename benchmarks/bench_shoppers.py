"""VIP personal shoppers: matching against 200 shoppers, and a shopper's "My VIPs" page, beside bare sqlite3.

    .venv/bin/python benchmarks/bench_shoppers.py [--db PATH] [--repeat 60]

Builds (or reuses, with --db) a copy of the 2,000-customer demo store grown to 200 personal shoppers with
their VIP loads (0–16 customers each, some full), 2,000 VIP visits and their follow-ups; one shopper has
exactly 15 customers. Then measures, interleaved, after a warm-up:

* match — ``services.shoppers.match(manager, customer)``: the customer, their declared and learned tastes,
  every active shopper with their load, then the ranking; beside the bare sqlite3 queries reading the same
  rows, and beside the pure ranking alone on the same input (core.shoppers.matching.rank_shoppers);
* my vips — ``services.shoppers.my_vips(shopper)``: the 15 VIPs with last visit, occasions, open follow-ups
  and tastes, today's follow-ups, visits in 30 days; beside the bare sqlite3 queries reading the same rows.

Each side is printed as p5 / p50 / p95 of its runs. Targets: match p95 < 50 ms; My VIPs p95 < 100 ms. The exit
status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import percentiles, quantile
from benchmarks.stores import connect
from core.kernel.ids import new_id
from core.shoppers.matching import rank_shoppers
from core.staff.auth import Actor, Role, hash_pin
from storage.bootstrap import Services, build_services
from storage.db import open_store
from storage.schema import Staff
from storage.seed.demo import seed_demo
from storage.uow import SqlUnitOfWork

SHOPPERS = 200
VISITS = 2_000
TARGET_MATCH_MS = 50.0
TARGET_MY_VIPS_MS = 100.0
SEED = 2025

BARE_MATCH = [
    (
        "SELECT ps.id, ps.staff_id, ps.branch_id, ps.languages, ps.specialties, ps.experience_years, ps.capacity, "
        "ps.active, s.name_en, s.name_ar, b.name_en, b.name_ar, coalesce(l.n, 0) FROM personal_shoppers ps "
        "JOIN staff s ON s.id = ps.staff_id LEFT JOIN branches b ON b.id = ps.branch_id "
        "LEFT JOIN (SELECT shopper_id, count(*) AS n FROM personal_shopper_assignments "
        "WHERE ended_at IS NULL AND deleted = 0 GROUP BY shopper_id) l ON l.shopper_id = ps.id "
        "WHERE ps.deleted = 0 AND ps.active = 1 ORDER BY s.name_en, ps.id",
        False,
    ),
    ("SELECT * FROM customers WHERE id = :c", True),
    ("SELECT source, families, brands FROM customer_preferences WHERE customer_id = :c AND deleted = 0", True),
    (
        "SELECT l.family, l.brand, sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id "
        "WHERE o.customer_id = :c AND o.kind = 'sale' GROUP BY l.family, l.brand",
        True,
    ),
    (
        "SELECT a.*, s.name_en, s.name_ar FROM personal_shopper_assignments a "
        "JOIN personal_shoppers p ON p.id = a.shopper_id JOIN staff s ON s.id = p.staff_id "
        "WHERE a.customer_id = :c AND a.deleted = 0 AND a.ended_at IS NULL ORDER BY a.assigned_at DESC LIMIT 1",
        True,
    ),
    ("SELECT tier FROM loyalty_accounts WHERE customer_id = :c AND deleted = 0", True),
]

BARE_MY_VIPS = [
    (
        "SELECT ps.*, s.name_en, s.name_ar, b.name_en, b.name_ar, coalesce(l.n, 0) FROM personal_shoppers ps "
        "JOIN staff s ON s.id = ps.staff_id LEFT JOIN branches b ON b.id = ps.branch_id "
        "LEFT JOIN (SELECT shopper_id, count(*) AS n FROM personal_shopper_assignments "
        "WHERE ended_at IS NULL AND deleted = 0 GROUP BY shopper_id) l ON l.shopper_id = ps.id "
        "WHERE ps.deleted = 0 AND ps.staff_id = :staff"
    ),
    (
        "SELECT c.*, a.assigned_at FROM customers c JOIN personal_shopper_assignments a ON a.customer_id = c.id "
        "WHERE a.shopper_id = :s AND a.ended_at IS NULL AND a.deleted = 0 AND c.deleted = 0"
    ),
    "SELECT customer_id, max(visited_at) FROM vip_visits WHERE customer_id IN ({ids}) GROUP BY customer_id",
    (
        "SELECT customer_id, count(*), min(due_on) FROM follow_ups WHERE shopper_id = :s AND status = 'open' "
        "AND deleted = 0 AND customer_id IN ({ids}) GROUP BY customer_id"
    ),
    (
        "SELECT customer_id, source, families, brands FROM customer_preferences WHERE customer_id IN ({ids}) "
        "AND deleted = 0 ORDER BY source, created_at"
    ),
    (
        "SELECT o.customer_id, l.family, l.brand, sum(l.quantity) FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id WHERE o.customer_id IN ({ids}) AND o.kind = 'sale' "
        "GROUP BY o.customer_id, l.family, l.brand"
    ),
    (
        "SELECT f.*, c.*, s.name_en, s.name_ar FROM follow_ups f JOIN customers c ON c.id = f.customer_id "
        "JOIN personal_shoppers p ON p.id = f.shopper_id JOIN staff s ON s.id = p.staff_id "
        "WHERE f.deleted = 0 AND f.status = 'open' AND f.shopper_id = :s AND f.due_on <= :today "
        "ORDER BY f.due_on, c.first_name_en, f.id"
    ),
    "SELECT count(*) FROM vip_visits WHERE shopper_id = :s AND visited_at >= :since",
]
# The tiers of the VIPs on the page, as the app's tier lookup reads them.
BARE_TIERS = "SELECT customer_id, tier FROM loyalty_accounts WHERE customer_id IN ({ids}) AND deleted = 0"


def build(path: Path) -> None:
    """The demo store grown to 200 shoppers with loads, 2,000 visits; one shopper with exactly 15 VIPs."""
    print(f"building {path} (demo seed, then {SHOPPERS} shoppers and {VISITS:,} visits)…", flush=True)
    store = open_store(path)
    seed_demo(store)
    rng = random.Random(SEED)
    pin = hash_pin("2299")
    with store.write_session() as session, session.begin():
        for i in range(SHOPPERS):
            session.add(
                Staff(
                    id=new_id(),
                    branch_id=store.branch_id,
                    username=f"bench.shopper{i:03d}",
                    name_en=f"Bench Shopper {i:03d}",
                    name_ar=f"متسوق {i:03d}",
                    role="personal_shopper",
                    pin_hash=pin,
                )
            )
    services = build_services(store)
    admin = actor(services, "admin")
    now = datetime.now(UTC)
    with SqlUnitOfWork(store, services.clock, admin) as uow:
        conn = uow.session.connection()
        customers = [r[0] for r in conn.exec_driver_sql("SELECT id FROM customers ORDER BY number")]
        taken = {r[0] for r in conn.exec_driver_sql("SELECT customer_id FROM personal_shopper_assignments")}
        free = [c for c in customers if c not in taken]
        rng.shuffle(free)
        repo = uow.shoppers
        staff = [r[0] for r in conn.exec_driver_sql("SELECT id FROM staff WHERE username LIKE 'bench.shopper%'")]
        shopper_ids = []
        for i, staff_id in enumerate(sorted(staff)):
            shopper_id = repo.add_shopper(
                staff_id,
                store.branch_id,
                {
                    "languages": rng.sample(["ar", "en", "hi", "ur", "ru", "fr"], rng.randint(1, 3)),
                    "specialties": rng.sample(["oud", "oriental", "western", "niche"], rng.randint(0, 3)),
                    "experience_years": rng.randint(0, 25),
                    "capacity": 15,
                    "active": True,
                },
            )
            shopper_ids.append(shopper_id)
            load = 15 if i == 0 else rng.choice([0, 2, 4, 6, 8, 10, 12, 14, 15, 16])
            for _ in range(min(load, len(free))):
                repo.add_assignment(free.pop(), shopper_id, now - timedelta(days=rng.randint(1, 400)), None, False)
        target = shopper_ids[0]
        mine = [
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT customer_id FROM personal_shopper_assignments WHERE shopper_id = '{target}'"
            )
        ]
        assigned = conn.exec_driver_sql(
            "SELECT customer_id, shopper_id FROM personal_shopper_assignments WHERE ended_at IS NULL"
        ).fetchall()
        for n in range(VISITS):
            customer_id, shopper_id = (rng.choice(mine), target) if n < 150 else rng.choice(assigned)
            at = now - timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
            visit_id = repo.add_visit(
                {
                    "customer_id": customer_id,
                    "shopper_id": shopper_id,
                    "visited_at": at,
                    "duration_minutes": 30,
                    "products_tried": ["Royal Oud", "Amber Nights"],
                    "products_bought": [],
                    "order_id": None,
                    "mood": "happy",
                    "notes": "Benchmark visit",
                    "next_follow_up": None,
                    "customer_not_vip": False,
                }
            )
            if n % 10 == 0:
                repo.add_follow_up(
                    {
                        "customer_id": customer_id,
                        "shopper_id": shopper_id,
                        "visit_id": visit_id,
                        "due_on": (now + timedelta(days=rng.randint(-5, 20))).date(),
                        "note": "Call back",
                    }
                )
        uow.commit()
    store.close()


def actor(services: Services, username: str) -> Actor:
    with services.store.read_engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id, branch_id, role FROM staff WHERE username = ?", (username,)).one()
    return Actor(row[0], row[1], Role(row[2]))


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    return quantile(values, 0.95)  # the p95 printed beside it, so the verdict and the figure agree


def line(name: str, values: list[float]) -> str:
    return f"  {name:<38} {percentiles(values)}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="reuse a store built by an earlier run")
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-shoppers-"))
    try:
        path = scratch / "store.sqlite"
        if args.db and args.db.exists():
            shutil.copy(args.db, path)
        else:
            build(path)
            if args.db:
                shutil.copy(path, args.db)
        return measure(path, args.repeat)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(path: Path, repeat: int) -> int:
    store = open_store(path)
    services = build_services(store)
    manager = actor(services, "khalid.manager")
    bare = connect(path)
    bare.execute("PRAGMA journal_mode=WAL")
    shoppers = bare.execute("SELECT count(*), sum(active) FROM personal_shoppers").fetchone()
    loads = bare.execute(
        "SELECT count(*) FROM (SELECT shopper_id, count(*) n FROM personal_shopper_assignments "
        "WHERE ended_at IS NULL GROUP BY shopper_id HAVING n >= 15)"
    ).fetchone()[0]
    visits = bare.execute("SELECT count(*) FROM vip_visits").fetchone()[0]
    target_staff, target = bare.execute(
        "SELECT p.staff_id, p.id FROM personal_shoppers p JOIN staff s ON s.id = p.staff_id "
        "WHERE s.username = 'bench.shopper000'"
    ).fetchone()
    shopper = Actor(target_staff, store.branch_id, Role.PERSONAL_SHOPPER)
    rng = random.Random(SEED)
    vips = [r[0] for r in bare.execute("SELECT id FROM customers WHERE segment = 'vip' ORDER BY number")]
    sample = rng.sample(vips, min(len(vips), 30))
    print(f"store: {shoppers[0]} shoppers ({shoppers[1]} active, {loads} at or over capacity), {visits:,} visits")

    def bare_match(customer_id: str) -> None:
        for sql, per_customer in BARE_MATCH:
            bare.execute(sql, {"c": customer_id} if per_customer else {}).fetchall()

    def bare_my_vips() -> None:
        today = datetime.now(UTC).date().isoformat()
        since = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = []
        for n, sql in enumerate(BARE_MY_VIPS):
            if n == 0:
                bare.execute(sql, {"staff": target_staff}).fetchall()
            elif n == 1:
                rows = bare.execute(sql, {"s": target}).fetchall()
            else:
                ids = ",".join("'" + r[0] + "'" for r in rows)
                bare.execute(sql.format(ids=ids), {"s": target, "today": today, "since": since}).fetchall()
        ids = ",".join("'" + r[0] + "'" for r in rows)
        bare.execute(BARE_TIERS.format(ids=ids)).fetchall()

    result = services.shoppers.match(manager, sample[0])
    needs = None
    with SqlUnitOfWork(store, services.clock, None) as uow:
        needs = uow.shoppers.customer_needs(sample[0])
        pool = uow.shoppers.shoppers(False)
    assert needs is not None and len(result.candidates) == len(pool)
    page = services.shoppers.my_vips(shopper)
    assert len(page.customers) == 15, len(page.customers)

    app_match, bare_match_ms, rank_ms, app_vips, bare_vips = [], [], [], [], []
    for i in range(repeat):
        customer_id = sample[i % len(sample)]
        app_match.append(timed(lambda c=customer_id: services.shoppers.match(manager, c)))
        bare_match_ms.append(timed(lambda c=customer_id: bare_match(c)))
        rank_ms.append(timed(lambda: rank_shoppers(needs, pool)))
        app_vips.append(timed(lambda: services.shoppers.my_vips(shopper)))
        bare_vips.append(timed(bare_my_vips))
    warm = max(1, repeat // 10)
    app_match, bare_match_ms, rank_ms = app_match[warm:], bare_match_ms[warm:], rank_ms[warm:]
    app_vips, bare_vips = app_vips[warm:], bare_vips[warm:]

    print(f"\nmatch one VIP against {len(pool)} active shoppers ({len(app_match)} runs, {len(sample)} customers)")
    print(line("app  services.shoppers.match", app_match))
    print(line("bare sqlite3, the same reads", bare_match_ms))
    print(line("pure ranking (core.shoppers.matching)", rank_ms))
    match_ok = p95(app_match) < TARGET_MATCH_MS
    print(f"  target p95 < {TARGET_MATCH_MS:.0f} ms: {'PASS' if match_ok else 'FAIL'}")

    print(f"\nMy VIPs of a shopper with 15 VIPs, {visits:,} visits in the store ({len(app_vips)} runs)")
    print(line("app  services.shoppers.my_vips", app_vips))
    print(line("bare sqlite3, the same reads", bare_vips))
    vips_ok = p95(app_vips) < TARGET_MY_VIPS_MS
    print(f"  target p95 < {TARGET_MY_VIPS_MS:.0f} ms: {'PASS' if vips_ok else 'FAIL'}")
    bare.close()
    store.close()
    return 0 if match_ok and vips_ok else 1


if __name__ == "__main__":
    sys.exit(main())
