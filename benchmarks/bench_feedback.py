"""What a sale's survey invitation costs the sale: ``record_sale`` of the app as it is, whose SaleCompleted
handlers queue the receipt and, for a known customer, write the survey invitation with its message held until
it is due (core.feedback.handlers), against the same app with the survey's handlers left out, sale by sale in
turn on one store. Reported at the wall clock and in the thread's CPU time (the steadier figure on a loaded
machine), as p5 / p50 / p95 of each side and the p50 difference per run.

    .venv/bin/python benchmarks/bench_feedback.py [--sales 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import percentiles, quantile, spread

ROOT = Path(__file__).resolve().parents[1]


def run(sales: int, work: Path) -> tuple[float, float]:
    from core.feedback import handlers as feedback_handlers
    from core.purchases.model import LineDraft, SaleDraft, TenderDraft
    from core.staff.auth import Actor, Role
    from storage.bootstrap import build_services
    from storage.db import open_store
    from storage.seed.demo import seed_demo
    from tests.clock import TestClock

    store = open_store(work / "sale.sqlite")
    seed_demo(store, customers=200)
    clock = TestClock()
    with_survey = build_services(store, clock)
    with mock.patch.dict(feedback_handlers.HANDLERS, {}, clear=True):
        plain = build_services(store, clock)
    staff = next(s for s in plain.staff.staff_of_branch(store.branch_id) if s.role == Role.CASHIER)
    actor = Actor(staff.id, staff.branch_id, staff.role, staff.name_en)
    customers = [c.id for c in plain.customers.search("moh", limit=50)]
    rng = random.Random(3)

    def sale() -> SaleDraft:
        line = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 1_000)
        return SaleDraft(rng.choice(customers), (line,), TenderDraft(cash_fils=1_050))

    for _ in range(20):
        plain.purchases.record_sale(actor, sale())
        with_survey.purchases.record_sale(actor, sale())
    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for n in range(sales):
        pair = [("without", plain), ("with", with_survey)]
        if n % 2:
            pair.reverse()
        for side, services in pair:
            started, cpu_started = time.perf_counter(), time.thread_time()
            services.purchases.record_sale(actor, sale())
            wall[side].append((time.perf_counter() - started) * 1000)
            cpu[side].append((time.thread_time() - cpu_started) * 1000)
    store.close()
    for side in ("with", "without"):
        print(f"  {side:8} {percentiles(wall[side])}; CPU time {percentiles(cpu[side])}")
    added_wall = quantile(wall["with"], 0.5) - quantile(wall["without"], 0.5)
    added_cpu = quantile(cpu["with"], 0.5) - quantile(cpu["without"], 0.5)
    print(f"  the survey adds p50 {added_wall:.2f} ms at the wall clock, {added_cpu:.2f} ms CPU time")
    return added_wall, added_cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    walls, cpus = [], []
    for n in range(args.runs):
        work = Path(tempfile.mkdtemp(dir=ROOT / "benchmarks"))
        try:
            print(f"run {n + 1}: a sale with its survey vs without, {args.sales} each, interleaved")
            wall, cpu = run(args.sales, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        walls.append(wall)
        cpus.append(cpu)
    print(f"added per run: wall clock {spread(walls, 'ms')}; CPU time {spread(cpus, 'ms')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
