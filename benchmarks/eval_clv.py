"""The customer models on held-back months, beside the naive baseline; then their cost at the chain's scale.

    .venv/bin/python benchmarks/eval_clv.py validate [--customers 20000] [--seeds 5]
    .venv/bin/python benchmarks/eval_clv.py scale [--customers 1000000] [--runs 3]

validate: for each seed, a synthetic three-year history (core.analytics.synthetic: heterogeneous rates, churn,
big spenders, Ramadan and Eid gifting); BG/NBD + Gamma-Gamma fitted on all but the last six months, and each
customer's purchases and spend in those six months predicted, against the baseline of each customer's own
average rate continued (core.analytics.customers.validate). MAE, RMSE and the aggregate error (predicted total
over actual, minus one), model and baseline, over the seeds.

scale: ``compute_customer_analytics`` (both fits, the held-back fit included, P(alive), expected purchases,
twelve months of value, RFM, next family and brand) on a history of about five orders a customer, from arrays;
wall time of each run and the process's peak memory (ru_maxrss: the arrays of the history included).
Each run is a fresh process, so one run's peak is not another's.

    .venv/bin/python benchmarks/eval_clv.py writes [--customers 200000]

writes: the recompute's writes on a real store (benchmarks/make_store.py's customers, built once under
benchmarks/data/): the first save (every customer with a purchase inserted, each with its change-log row), the same
figures saved again (nothing changed: nothing written), and the figures a day and a month later with no new sale
(only material changes).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.spread import spread  # noqa: E402
from core.analytics import synthetic  # noqa: E402
from core.analytics.customers import compute_customer_analytics, validate  # noqa: E402

NOW = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)  # a fixed instant: the figures do not depend on the day run


def run_validation(customers: int, seeds: int) -> None:
    rows: dict[str, list[float]] = {}
    for seed in range(1, seeds + 1):
        frame = synthetic.history(customers, end=NOW, years=3.0, seed=seed, lines=False)
        checked = validate(frame, NOW)
        if checked is None:
            print(f"seed {seed}: no validation (fit failed or history too short)")
            continue
        figures = {
            "purchases MAE model": checked.purchases.mae,
            "purchases MAE baseline": checked.purchases_baseline.mae,
            "purchases RMSE model": checked.purchases.rmse,
            "purchases RMSE baseline": checked.purchases_baseline.rmse,
            "purchases aggregate model %": 100 * checked.purchases.aggregate,
            "purchases aggregate baseline %": 100 * checked.purchases_baseline.aggregate,
            "spend MAE model AED": checked.spend_fils.mae / 1000,
            "spend MAE baseline AED": checked.spend_baseline_fils.mae / 1000,
            "spend RMSE model AED": checked.spend_fils.rmse / 1000,
            "spend RMSE baseline AED": checked.spend_baseline_fils.rmse / 1000,
            "spend aggregate model %": 100 * checked.spend_fils.aggregate,
            "spend aggregate baseline %": 100 * checked.spend_baseline_fils.aggregate,
        }
        for name, value in figures.items():
            rows.setdefault(name, []).append(value)
        print(
            f"seed {seed}: {frame.orders:,} orders, {checked.customers:,} customers scored, "
            f"beats baseline: {checked.beats_baseline}"
        )
    for name, values in rows.items():
        print(f"{name:32s} {spread(values)}")


def one_scale_run(customers: int) -> dict[str, float]:
    started = time.perf_counter()
    frame = synthetic.history(customers, end=NOW, years=3.0, seed=1, mean_gap_days=45.0)
    generated = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = compute_customer_analytics(frame, NOW)
    seconds = time.perf_counter() - started
    return {
        "orders": frame.orders,
        "lines": len(frame.line_order),
        "generate_s": generated,
        "compute_s": seconds,
        "peak_mb_before_compute": rss_before,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "status": str(result.status),
    }


def run_scale(customers: int, runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "_scale_once", "--customers", str(customers)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1])
    print(f"customers {customers:,}, orders {results[0]['orders']:,}, lines {results[0]['lines']:,}")
    print(f"compute (fits + scoring) {spread([r['compute_s'] for r in results], 's', 1)}")
    print(f"peak memory, whole process {spread([r['peak_mb'] for r in results], 'MB', 0)}")
    print(f"peak memory before computing {spread([r['peak_mb_before_compute'] for r in results], 'MB', 0)}")
    print(f"model status: {statistics.mode(r['status'] for r in results)}")


class _FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()


def run_writes(customers: int) -> None:
    from benchmarks.make_store import build
    from core.staff.auth import Actor, Role
    from storage.db import open_store
    from storage.uow import uow_factory

    path = ROOT / "benchmarks" / "data" / f"clv-writes-{customers}.sqlite"
    if not path.exists():
        build(path, customers)
    work = path.with_name(path.stem + "-work.sqlite")
    shutil.copy(path, work)
    store = open_store(work)
    try:
        with store.raw() as conn:
            ids = [row[0] for row in conn.execute("SELECT id FROM customers ORDER BY id")]
            staff_id = conn.execute("SELECT id FROM staff WHERE branch_id = ? LIMIT 1", (store.branch_id,)).fetchone()[
                0
            ]
        actor = Actor(staff_id, store.branch_id, Role.ADMIN, "bench")
        frame = synthetic.history(len(ids), end=NOW, years=3.0, seed=1)
        frame.customer_ids = ids
        clock = _FixedClock(NOW)
        uow = uow_factory(store, clock)
        steps = (
            ("first save", NOW),
            ("same figures again", NOW),
            ("a day later", NOW + timedelta(days=1)),
            ("a month later", NOW + timedelta(days=31)),
        )
        for label, at in steps:
            clock.at = at
            result = compute_customer_analytics(frame, at, validation=False)
            started = time.perf_counter()
            with uow(actor) as unit:
                written = unit.customer_analytics.save(result, frame)
                unit.commit()
            seconds = time.perf_counter() - started
            print(f"{label:20s} {written:>9,} rows written in {seconds:6.1f} s")
    finally:
        store.close()
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["validate", "scale", "writes", "_scale_once"])
    parser.add_argument("--customers", type=int)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "validate":
        run_validation(args.customers or 20_000, args.seeds)
    elif args.mode == "writes":
        run_writes(args.customers or 200_000)
    elif args.mode == "scale":
        run_scale(args.customers or 1_000_000, args.runs)
    else:
        print(json.dumps(one_scale_run(args.customers)))


if __name__ == "__main__":
    main()
