"""What encryption at rest costs the till's hot paths, encrypted store beside plain store in one process.

    .venv/bin/python benchmarks/bench_encryption.py [--n 300] [--customers 2000] [--blocks 5]

Two stores are made from the same seed (``seed_demo``, the same customers and cards), one encrypted (SQLCipher,
as the app makes every store) and one plain (``open_store(plain=True)``). Each operation then runs on the
encrypted store and on the plain one in turn, one after the other (which goes first alternates), so load that
comes and goes weighs on both alike:

* **sale**: ``purchases.record_sale`` of five lines paid in cash, durable (receipt queued where the customer
  has a channel, points earned, change-log rows);
* **redeem**: ``giftcards.redeem`` of 1 AED, durable;
* **search**: ``customers.search`` of a typed text (names in both scripts, mobiles, emails, numbers).

For each it prints wall-clock and CPU time (this thread's) p5 / p50 / p95 per side and what encryption adds
to the p50, block by block (min / median / max over ``--blocks`` consecutive blocks). CPU time is the steadier
figure on a shared machine: waiting for the disk or for another process's turn on a core does not count.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import blocks, percentiles, quantile, spread
from core.giftcards.service import IssueRequest
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.purchases.products import CATALOG
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store, open_store
from storage.seed.demo import seed_demo

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["moh", "mohammed", "fat", "fatima al", "محمد", "فاطمة", "050", "055 1", "+97150", "a@", "dxb1-00", "khal"]


class Side:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.services: Services = build_services(store)
        staff = self.services.staff.staff_of_branch(store.branch_id)
        member = next(s for s in staff if s.role == Role.CASHIER)
        self.cashier = Actor(member.id, member.branch_id, member.role, member.name_en)
        self.customers = [c.id for c in self.services.customers.search("moh", limit=40)]
        self.cards = [self.services.giftcards.issue(self.cashier, IssueRequest(1_000_000)).id for _ in range(20)]
        self.rng = random.Random(7)

    def sale(self, i: int) -> None:
        lines = tuple(
            LineDraft(p.sku, p.name_en, p.brand, p.family.value, p.size_ml, 1, p.price_fils)
            for p in self.rng.sample(CATALOG, 5)
        )
        customer = self.customers[i % len(self.customers)]
        self.services.purchases.record_sale(self.cashier, SaleDraft(customer, lines, TenderDraft(cash_fils=10**8)))

    def redeem(self, i: int) -> None:
        self.services.giftcards.redeem(self.cashier, self.cards[i % len(self.cards)], 100)

    def search(self, i: int) -> None:
        self.services.customers.search(TEXTS[i % len(TEXTS)])


def timed(operation: Callable[[int], None], i: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    operation(i)
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def added(encrypted: list[float], plain: list[float], count: int) -> list[float]:
    return [
        quantile(e, 0.5) - quantile(p, 0.5) for e, p in zip(blocks(encrypted, count), blocks(plain, count), strict=True)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="operations of each kind on each side")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--blocks", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        stores = {
            "encrypted": open_store(Path(tmp) / "encrypted.sqlite"),
            "plain": open_store(Path(tmp) / "plain.sqlite", plain=True),
        }
        for store in stores.values():
            seed_demo(store, customers=args.customers, rng_seed=971)
        sides = {name: Side(store) for name, store in stores.items()}
        print(
            f"stores: {args.customers:,} demo customers each, the same seed; encrypted {stores['encrypted'].encrypted}"
        )
        for kind in ("sale", "redeem", "search"):
            wall: dict[str, list[float]] = {"encrypted": [], "plain": []}
            cpu: dict[str, list[float]] = {"encrypted": [], "plain": []}
            for i in range(-20, args.n):  # the first 20 of each side warm up
                order = ("encrypted", "plain") if i % 2 == 0 else ("plain", "encrypted")
                for name in order:
                    w, c = timed(getattr(sides[name], kind), i + 20)
                    if i >= 0:
                        wall[name].append(w)
                        cpu[name].append(c)
            print(f"{kind} (n={args.n} each side, interleaved)")
            for name in ("encrypted", "plain"):
                print(f"  {name:<9} wall {percentiles(wall[name])}; CPU {percentiles(cpu[name])}")
            wall_added = spread(added(wall["encrypted"], wall["plain"], args.blocks), "ms", 3)
            cpu_added = spread(added(cpu["encrypted"], cpu["plain"], args.blocks), "ms", 3)
            ratio = quantile(cpu["encrypted"], 0.5) / quantile(cpu["plain"], 0.5)
            print(f"  encryption adds to the p50, block by block: wall {wall_added}; CPU {cpu_added}")
            print(f"  CPU p50 ratio encrypted / plain {ratio:.2f}x")
        for store in stores.values():
            store.close()
    print(f"load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end ({os.cpu_count()} cores)")
    return 0  # a comparison, no target of its own: the hot-path benchmarks hold the targets


if __name__ == "__main__":
    sys.exit(main())
