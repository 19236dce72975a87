"""A dispatcher process the outbox fault test kills (DESIGN.md fault 13).

python -m tests.faults.outbox_processes --store PATH --at ISO-INSTANT --url FAKE --hold-after K
python -m tests.faults.outbox_processes --headoffice DB-URL --at ISO-INSTANT --url FAKE

With --store it sends the store's outbox to the fake providers at FAKE, one message at a time (or
--concurrency at once, their results group-committed). Once the K-th message has been accepted by the
provider, and before the dispatcher can record it, it prints ``ACCEPTED <id>`` and waits, so the test kills it
with SIGKILL at exactly that point; with several threads, each later acceptance holds its thread the same way.

With --headoffice it is one of several dispatchers sharing head office's outbox: it sends until a round finds
nothing to claim, then prints ``SENT <n>``.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import datetime
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store")
    parser.add_argument("--headoffice")
    parser.add_argument("--at", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--hold-after", type=int, default=0)
    parser.add_argument("--concurrency", type=int)
    args = parser.parse_args(argv)
    if args.headoffice:
        return share_headoffice(args)

    from core.messaging.dispatch import Dispatcher
    from core.messaging.ports import Accepted, OutboundMessage
    from storage.db import open_store
    from storage.outbox import SqlOutbox
    from tests.clock import TestClock
    from tests.dispatching import gateway

    clock = TestClock(datetime.fromisoformat(args.at))
    channels = gateway(args.url, clock)
    accepted = 0
    counting = threading.Lock()

    class HoldingGateway:
        def send(self, message: OutboundMessage) -> Accepted:
            nonlocal accepted
            answer = channels.send(message)
            with counting:
                accepted += 1
                hold = accepted >= args.hold_after
            if hold:
                print(f"ACCEPTED {message.id}", flush=True)
                threading.Event().wait()  # until killed
            return answer

    store = open_store(args.store)
    dispatcher = Dispatcher(SqlOutbox(store), HoldingGateway(), clock, concurrency=args.concurrency or 1, batch=50)
    dispatcher.run_once()
    print("DONE", flush=True)
    return 0


def _next_due(store: Any) -> datetime | None:
    """When the earliest message still in head office's outbox is due (None: the outbox is empty)."""
    from sqlalchemy import func, select

    from sync.messaging.headoffice_outbox import outbox

    with store.reader.connect() as conn:
        due = conn.execute(select(func.min(outbox.c.due_at))).scalar()
    return None if due is None else datetime.fromisoformat(due)


def share_headoffice(args: argparse.Namespace) -> int:
    from core.messaging.dispatch import Dispatcher
    from sync.headoffice.store import HeadOfficeStore
    from sync.messaging.headoffice_outbox import HeadOfficeOutbox
    from tests.clock import TestClock
    from tests.dispatching import gateway

    clock = TestClock(datetime.fromisoformat(args.at))
    store = HeadOfficeStore(args.headoffice)
    dispatcher = Dispatcher(HeadOfficeOutbox(store), gateway(args.url, clock), clock, concurrency=args.concurrency or 8)
    sent = 0
    while True:
        done = dispatcher.run_once(drain=True)
        sent += done.sent
        if done.claimed == 0:
            waiting = _next_due(store)
            if waiting is None:
                break
            # A send that failed for a moment waits for its retry, or another dispatcher holds a lease: the
            # test's clock goes to the retry (time passes), or the worker looks again shortly.
            if waiting > clock.now():
                clock.advance(seconds=(waiting - clock.now()).total_seconds())
            else:
                time.sleep(0.05)
    dispatcher.close()
    store.close()
    print(f"SENT {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
