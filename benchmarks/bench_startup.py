"""Cold start to a usable window, and resident memory, on a small and a large store.

    .venv/bin/python benchmarks/bench_startup.py [--large benchmarks/data/store-1m.sqlite] [--runs 5]

For each store, runs ``main.py --startup-probe`` in a fresh process (time from the first line of main.py to
the main window's first turn of the event loop, then one search, then peak RSS) beside a bare process doing
the least the same job needs: import Qt, open the same SQLite file, show an empty window. The app's figure
must stay under 1.5 s and must not grow with the store's size; memory under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")

BARE = r"""
import time, json, resource, sys
t0 = time.perf_counter()
import sqlite3
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
SQL = "SELECT rowid FROM customer_search WHERE customer_search MATCH '\"moh\"*' ORDER BY rank LIMIT 50"
hits = len(conn.execute(SQL).fetchall())
win = QMainWindow(); win.resize(1280, 800); win.show()
def done():
    print("STARTUP " + json.dumps({"seconds": time.perf_counter() - t0, "search_hits": hits,
          "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def probe(cmd: list[str]) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300).stdout
    line = next(x for x in out.splitlines() if x.startswith("STARTUP "))
    return json.loads(line.removeprefix("STARTUP "))


def measure(store: Path, runs: int) -> None:
    app = [probe([PY, "main.py", "--db", str(store), "--startup-probe"]) for _ in range(runs)]
    bare = [probe([PY, "-c", BARE, str(store)]) for _ in range(runs)]
    size_mb = store.stat().st_size / 1e6
    a = statistics.median(r["seconds"] for r in app)
    b = statistics.median(r["seconds"] for r in bare)
    print(f"{store.name} ({size_mb:,.0f} MB)")
    runs_text = ", ".join(f"{r['seconds']:.3f}" for r in app)
    print(f"  app  start median {a:.3f} s  (runs: {runs_text})")
    print(f"  bare start median {b:.3f} s  (Qt window + sqlite3 open + the same FTS query)")
    print(
        f"  app peak RSS {max(r['max_rss_mb'] for r in app):.0f} MB; bare {max(r['max_rss_mb'] for r in bare):.0f} MB"
    )
    print(
        f"  target < 1.5 s: {'PASS' if a < 1.5 else 'FAIL'}; memory < 300 MB: "
        f"{'PASS' if max(r['max_rss_mb'] for r in app) < 300 else 'FAIL'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=Path, default=ROOT / "benchmarks" / "data" / "store-1m.sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from storage.db import open_store
    from storage.seed.demo import seed_demo

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "demo.sqlite"
        store = open_store(small)
        seed_demo(store)
        store.close()
        measure(small, args.runs)
    if args.large.exists():
        measure(args.large, args.runs)
    else:
        print(f"{args.large} missing: build it with benchmarks/make_store.py --customers 1000000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
