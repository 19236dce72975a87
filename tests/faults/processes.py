"""Processes the fault tests kill with SIGKILL: head office dying inside a batch, a branch dying inside a pull.

python -m tests.faults.processes headoffice --db URL --port N --crash-after K
python -m tests.faults.processes branch --store PATH --die-at POINT
"""

from __future__ import annotations

import argparse
import os
import signal
import sys


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
    args = parser.parse_args()
    return headoffice(args) if args.what == "headoffice" else branch(args)


if __name__ == "__main__":
    sys.exit(main())
