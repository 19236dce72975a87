"""A campaign executor process the campaign fault test kills.

python -m tests.faults.campaign_processes --store PATH --at ISO-INSTANT --batch N --hold-after K [--node]

It runs the store's due campaigns as ``main.py campaigns --once`` does (the same executor, built by main.py),
at the test's instant, ``N`` customers per transaction. Once K batches have committed, it fills the next one,
prints ``HOLD <K>`` before committing it and waits, so the test kills it with SIGKILL mid-transaction.
With ``--node`` the store is head office's campaign node and the round is ``main.py campaign-node --once``'s:
a sync with head office, the campaigns, a sync.
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--at", required=True)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--hold-after", type=int, default=0)
    parser.add_argument("--node", action="store_true")
    args = parser.parse_args(argv)

    from main import build_campaign_executor, build_worker
    from storage.db import open_store
    from tests.clock import TestClock

    def before_commit(number: int) -> None:
        if args.hold_after and number > args.hold_after:
            print(f"HOLD {number - 1}", flush=True)
            threading.Event().wait()  # until killed

    store = open_store(args.store)
    executor = build_campaign_executor(
        store, TestClock(datetime.fromisoformat(args.at)), batch=args.batch, before_commit=before_commit
    )
    worker = build_worker(store) if args.node else None
    if worker is not None:
        worker.run_cycle()
    reports = executor.run_due()
    if worker is not None:
        worker.run_cycle()
    print("DONE", sum(r.queued + r.refused + r.control for r in reports), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
