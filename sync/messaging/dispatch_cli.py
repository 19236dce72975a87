"""``python main.py dispatch --db URL``: head office's message dispatcher, a process of its own beside the sync
server (``main.py headoffice``), on the same database.

A process of its own rather than a task inside the server: sending is slow I/O that must not share the
server's event loop with the branches' pushes and the webhooks, it can be restarted or scaled without
touching the API, and on PostgreSQL several of them share the outbox (sync.messaging.headoffice_outbox).
Credentials come from the environment or the OS keyring (sync.messaging.config); a channel without them is
left alone, its messages waiting. Before each send it applies the rules a standalone store applies
(sync.messaging.headoffice_policy): consent, a working address, quiet hours, caps and WhatsApp's 24 h window.
SIGINT or SIGTERM stops it after the round in flight.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from datetime import timedelta

from core.kernel.clock import SystemClock
from core.messaging.dispatch import Dispatcher
from core.messaging.outbox import RetryPolicy
from core.messaging.rules import RulesConfig, parse_window
from sync.messaging.config import ChannelRegistry, Secrets, sms_rates
from sync.messaging.gateway import ChannelGateway


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="head office's SQLAlchemy URL (sqlite:///F or postgresql://…)")
    parser.add_argument("--concurrency", type=int, default=16, help="messages sent at once by this process")
    parser.add_argument("--max-attempts", type=int, default=8, help="tries before a message is dead")
    parser.add_argument("--lease", type=float, default=120.0, help="seconds a claimed message is held")
    parser.add_argument("--idle", type=float, default=1.0, help="seconds to rest when nothing is due")
    parser.add_argument("--once", action="store_true", help="send what is due, then exit")
    parser.add_argument(
        "--allowed-hours",
        default=os.environ.get("MESSAGING_ALLOWED_HOURS", "08:00-21:00"),
        help="when promotional messages may go, Asia/Dubai (default 08:00-21:00, or $MESSAGING_ALLOWED_HOURS)",
    )
    parser.add_argument("--cap", type=int, default=3, help="promotional messages a customer may get per period")
    parser.add_argument("--cap-days", type=int, default=7, help="the period of --cap, in days")


def rules_of(args: argparse.Namespace) -> RulesConfig:
    """The send rules from the command line: quiet hours and the frequency cap (providers.md: the hours are
    not published, so 08:00-21:00 is a default to confirm, not a fact)."""
    return RulesConfig(allowed=parse_window(args.allowed_hours), cap=args.cap, cap_days=args.cap_days)


def run(args: argparse.Namespace) -> int:
    from sync.headoffice.store import HeadOfficeStore
    from sync.messaging.headoffice_outbox import HeadOfficeOutbox
    from sync.messaging.headoffice_policy import HeadOfficeSendPolicy

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    store = HeadOfficeStore(args.db)
    secrets = Secrets()
    gateway = ChannelGateway(ChannelRegistry(secrets), sms_rates(secrets))
    retry = RetryPolicy(max_attempts=args.max_attempts, lease=timedelta(seconds=args.lease))
    policy = HeadOfficeSendPolicy(store, rules_of(args))
    dispatcher = Dispatcher(
        HeadOfficeOutbox(store), gateway, SystemClock(), policy=policy, retry=retry, concurrency=args.concurrency
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _n, _f: stop.set())
    try:
        if args.once:
            while dispatcher.run_once(drain=True).claimed:
                pass
        else:
            dispatcher.run(stop, idle=args.idle)
    finally:
        dispatcher.close()
        store.close()
    return 0
