"""Cold start to a usable window, and resident memory, on a small and a large store.

    .venv/bin/python benchmarks/bench_startup.py [--large benchmarks/data/store-1m.sqlite] [--runs 5]

For each store, runs ``main.py --startup-probe`` in a fresh process (time from the first line of main.py to
the main window's first turn of the event loop, then one search) beside a bare process doing the least the
same job needs: import Qt, open the same SQLite file, run the same FTS query, show an empty window. The runs
interleave (app and bare on the small store, then on the large one, the order alternating each run), so load
on the machine weighs on both sides alike; each figure is printed as min / median / max over the runs.

Memory is each child's own: psutil samples the child's RSS while it starts, and the peak is kept. The
probes' ru_maxrss would not do: on Linux it carries the parent's high-water mark across fork and exec, so
both sides reported this script's memory.

Targets: the app's median start < 1.5 s on each store, and flat with the store's size (the large store's
median within 25 % of the small one's); the app's peak RSS < 300 MB. The exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import spread, verdict
from benchmarks.stores import add_plain_option, fixture, use_plain

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5
TARGET_MB = 300.0
FLAT = 1.25  # the large store's median start over the small one's
SAMPLE_S = 0.01
LARGE = ROOT / "benchmarks" / "data" / "store-1m.sqlite"

BARE = r"""
import time, json, sys
t0 = time.perf_counter()
sys.path.insert(0, ".")
from benchmarks.stores import bare_connect  # sqlcipher3 and the store's key (sqlite3 with --plain)
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
conn = bare_connect(sys.argv[1])
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
SQL = "SELECT rowid FROM customer_search WHERE customer_search MATCH '\"moh\"*' ORDER BY rank LIMIT 50"
hits = len(conn.execute(SQL).fetchall())
win = QMainWindow(); win.resize(1280, 800); win.show()
def done():
    print("STARTUP " + json.dumps({"seconds": time.perf_counter() - t0, "search_hits": hits}), flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


@dataclass
class Start:
    seconds: float
    peak_mb: float


def probe(cmd: list[str]) -> Start:
    """One cold start in a fresh process; its own RSS is sampled until it exits."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    assert child.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(child.stdout or []), daemon=True)
    reader.start()
    peak = 0
    process = psutil.Process(child.pid)
    deadline = time.monotonic() + 300
    while child.poll() is None and time.monotonic() < deadline:
        try:
            peak = max(peak, process.memory_info().rss)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            break
        time.sleep(SAMPLE_S)
    if child.wait(timeout=max(1.0, deadline - time.monotonic())) != 0:
        raise RuntimeError(f"{cmd} exited with {child.returncode}")
    reader.join(10)
    line = next(x for x in lines if x.startswith("STARTUP "))
    return Start(float(json.loads(line.removeprefix("STARTUP "))["seconds"]), peak / 2**20)


@dataclass
class Sides:
    store: Path
    app: list[Start]
    bare: list[Start]

    def median(self) -> float:
        return statistics.median(r.seconds for r in self.app)


def run_once(sides: Sides, app_first: bool) -> None:
    app = [sys.executable, "main.py", "--db", str(sides.store), "--startup-probe"]
    bare = [sys.executable, "-c", BARE, str(sides.store)]
    for cmd, into in ((app, sides.app), (bare, sides.bare)) if app_first else ((bare, sides.bare), (app, sides.app)):
        into.append(probe(cmd))


def report(sides: Sides) -> bool:
    size_mb = sides.store.stat().st_size / 1e6
    app_s, bare_s = [r.seconds for r in sides.app], [r.seconds for r in sides.bare]
    app_mb, bare_mb = [r.peak_mb for r in sides.app], [r.peak_mb for r in sides.bare]
    print(f"{sides.store.name} ({size_mb:,.0f} MB), {len(app_s)} runs each, interleaved")
    print(f"  app  start {spread(app_s, 's', 3)}")
    print(f"  bare start {spread(bare_s, 's', 3)}  (Qt window + keyed open + the same FTS query)")
    print(f"  app  peak RSS {spread(app_mb, 'MB', 0)}")
    print(f"  bare peak RSS {spread(bare_mb, 'MB', 0)}")
    fast, small = sides.median() < TARGET_S, max(app_mb) < TARGET_MB
    print(f"  target median < {TARGET_S} s: {verdict(fast)}; peak RSS < {TARGET_MB:.0f} MB: {verdict(small)}")
    return fast and small


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=Path, default=LARGE)
    parser.add_argument("--runs", type=int, default=5)
    add_plain_option(parser)
    args = parser.parse_args()
    print(use_plain(args))
    if args.large == LARGE:
        args.large = fixture(LARGE)
    from storage.db import open_store
    from storage.seed.demo import seed_demo

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "demo.sqlite"
        store = open_store(small)
        seed_demo(store)
        store.close()
        stores = [Sides(small, [], [])]
        if args.large.exists():
            stores.append(Sides(args.large, [], []))
        else:
            print(f"{args.large} missing: build it with benchmarks/make_store.py --customers 1000000")
        for run in range(args.runs):
            for sides in stores:
                run_once(sides, app_first=run % 2 == 0)
        print(
            f"load average {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end ({os.cpu_count()} cores)"
        )
        ok = all([report(sides) for sides in stores])
    if len(stores) == 2:
        growth = stores[1].median() / stores[0].median()
        flat = growth <= FLAT
        print(f"flat with size: large / small median start {growth:.2f}x, target <= {FLAT:g}x: {verdict(flat)}")
        ok = ok and flat
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
