"""Resident memory of the app's search stack on a large store, beside a bare sqlite3 connection.

    python benchmarks/bench_memory.py [--db benchmarks/data/store-1m.sqlite] [--searches 200]

Two fresh subprocesses, each measuring itself with psutil (RSS) and its resident high-water mark (peak):

* app  — imports the app's storage and core, ``open_store`` + ``build_services``, then runs the searches with
  ``services.customers.search(text)``;
* bare — only ``sqlite3``: one plain connection running, for the same searches, the very statements the app
  sends (its ``SEARCH_SQL`` with the same parameters, read off the app's engine beforehand), so the difference
  between the two is what the app's own stack (SQLAlchemy, engines and pools, services) costs in memory.

The searches are the distinct search-as-you-type queries of bench_search.py, 200 of them spread over every
kind. The pair of processes runs ``--runs`` times, app and bare in turn, and the peaks are printed as min /
median / max: memory moves little with the machine's load, but the page cache and the allocator do vary.

Target: app RSS after the searches < 300 MB in every run. The exit status is 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.spread import spread, verdict
from benchmarks.stores import add_plain_option, bare_connect, fixture, use_plain

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "benchmarks" / "data" / "store-1m.sqlite"
TARGET_MB = 300.0
MB = 2**20


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / MB


def peak_mb() -> float:
    """The process's resident high-water mark. VmHWM belongs to this program's memory map; ru_maxrss would not do
    on Linux, where it carries the parent's peak across fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / (1024 if sys.platform == "darwin" else 1)


def run_app(db: Path, texts: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {"start": rss_mb()}
    from storage.bootstrap import build_services
    from storage.db import open_store

    figures["imported"] = rss_mb()
    store = open_store(db)
    services = build_services(store)
    figures["opened"] = rss_mb()
    found = 0
    for text in texts:
        found += len(services.customers.search(text))
    figures["searched"] = rss_mb()
    figures["peak"] = peak_mb()
    figures["found"] = found
    store.close()
    return figures


def run_bare(db: Path, queries: list[tuple[str, Any]]) -> dict[str, Any]:
    figures: dict[str, Any] = {"start": rss_mb()}
    figures["imported"] = rss_mb()
    conn = bare_connect(db)
    figures["opened"] = rss_mb()
    found = 0
    for sql, parameters in queries:
        found += len(conn.execute(sql, parameters).fetchall())
    figures["searched"] = rss_mb()
    figures["peak"] = peak_mb()
    figures["found"] = found
    conn.close()
    return figures


def child(role: str, db: Path, plan: Path) -> int:
    work = json.loads(plan.read_text(encoding="utf-8"))
    if role == "app":
        figures = run_app(db, [item["text"] for item in work])
    else:
        figures = run_bare(db, [(item["sql"], item["parameters"]) for item in work])
    print(json.dumps(figures))
    return 0


def plan_searches(db: Path, count: int) -> list[dict[str, Any]]:
    """The searches and the statements the app sends for them, found in this (parent) process so that neither
    measured process pays for finding them."""
    from bench_search import SearchTap, build_searches

    from storage.bootstrap import build_services
    from storage.db import open_store

    conn = bare_connect(db)
    try:
        searches = build_searches(conn)[0]
    finally:
        conn.close()
    step = max(1, len(searches) / count)
    chosen = [searches[int(i * step)] for i in range(min(count, len(searches)))]
    store = open_store(db)
    try:
        services = build_services(store)
        tap = SearchTap(store.read_engine)
        plan = []
        for s in chosen:
            tap.reset()
            services.customers.search(s.text)
            sent = tap.parameters if isinstance(tap.parameters, dict) else list(tap.parameters)
            plan.append({"text": s.text, "sql": tap.statement, "parameters": sent})
    finally:
        store.close()
    return plan


def measure(role: str, db: Path, plan: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--role", role, "--db", str(db), "--plan", str(plan)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="app and bare processes, in turn")
    parser.add_argument("--role", choices=["app", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    add_plain_option(parser)
    args = parser.parse_args(argv)
    mode = use_plain(args)
    if args.db == DEFAULT_DB:
        args.db = fixture(DEFAULT_DB)
    if args.role:
        return child(args.role, args.db, args.plan)

    if not args.db.exists():
        print(f"{args.db} is missing; building it with make_store.py (about 5 minutes for a million customers)")
        make_store = Path(__file__).with_name("make_store.py")
        subprocess.run([sys.executable, str(make_store), "--out", str(args.db)], check=True)
    plan = args.db.with_name(args.db.name + ".memory-plan.json")
    searches = plan_searches(args.db, args.searches)
    plan.write_text(json.dumps(searches, ensure_ascii=False), encoding="utf-8")
    runs: dict[str, list[dict[str, Any]]] = {"app": [], "bare": []}
    try:
        for run in range(args.runs):
            for role in ("app", "bare") if run % 2 == 0 else ("bare", "app"):
                runs[role].append(measure(role, args.db, plan))
    finally:
        plan.unlink(missing_ok=True)

    print(f"store    {args.db} — {args.db.stat().st_size / MB:,.0f} MiB")
    print(f"machine  {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"searches {len(searches)} (the distinct search-as-you-type queries of bench_search.py, every kind)")
    print("app      open_store + build_services, services.customers.search(text)")
    print(f"mode     {mode}")
    print(
        "bare     sqlcipher3 with the key (sqlite3 with --plain), the statements the app sent for the same "
        "searches, same parameters"
    )
    print()
    print(f"{'RSS MB':<8} {'start':>8} {'imported':>9} {'opened':>8} {'searched':>9} {'peak':>8} {'rows':>8}")
    for role, results in runs.items():
        for f in results:
            print(
                f"{role:<8} {f['start']:8.1f} {f['imported']:9.1f} {f['opened']:8.1f} {f['searched']:9.1f} "
                f"{f['peak']:8.1f} {f['found']:8}"
            )
    app_mb = [max(f["searched"], f["peak"]) for f in runs["app"]]
    bare_mb = [max(f["searched"], f["peak"]) for f in runs["bare"]]
    ok = max(app_mb) < TARGET_MB
    print()
    print(f"app  peak RSS {spread(app_mb, 'MB', 1)} over {args.runs} runs, target < {TARGET_MB:.0f} MB: {verdict(ok)}")
    print(f"bare peak RSS {spread(bare_mb, 'MB', 1)}")
    cost = [a["searched"] - b["searched"] for a, b in zip(runs["app"], runs["bare"], strict=True)]
    print(f"app - bare after the searches: {spread(cost, 'MB', 1)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
