"""``python main.py headoffice``: its arguments (cheap to import: the app parses them at every start) and run."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.headoffice.guard import RequestLimits
    from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore

ADMIN_TOKEN_ENV = "HEADOFFICE_ADMIN_TOKEN"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("serve", "rotate-keys"),
        default="serve",
        help="serve (the default), or rotate-keys: a new data key made current and every sealed value re-sealed "
        "under it while head office serves, then the old key retired",
    )
    parser.add_argument(
        "--resume", action="store_true", help="with rotate-keys: finish an interrupted rotation (no new key)"
    )
    parser.add_argument(
        "--db", default="sqlite:///headoffice.sqlite", help="SQLAlchemy URL (sqlite:///F or postgresql://…)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--max-clock-skew", type=float, default=300.0, help="seconds a branch stamp may run ahead")
    parser.add_argument("--retain-changes", type=int, help="keep only this many newest changes (older cursors resync)")
    parser.add_argument("--card-cap", type=int, default=0, help="default offline allowance per gift card, fils")
    parser.add_argument("--card-total", type=int, default=0, help="default offline gift-card total per outage, fils")
    parser.add_argument("--points-cap", type=int, default=0, help="default offline allowance per points account")
    parser.add_argument("--points-total", type=int, default=0, help="default offline points total per outage")
    parser.add_argument("--offline-hours", type=float, default=12.0)
    parser.add_argument("--snapshot-hours", type=float, default=24.0)
    parser.add_argument("--max-push-bytes", type=int, default=16 * 1024 * 1024, help="largest push body (413 past it)")
    parser.add_argument("--max-body-bytes", type=int, default=64 * 1024, help="largest body of any other request")
    parser.add_argument(
        "--signature-window", type=float, default=300.0, help="seconds a signed timestamp may be from this clock"
    )
    parser.add_argument("--branch-rate", type=float, default=20.0, help="requests per second per branch (burst 10x)")
    parser.add_argument("--address-rate", type=float, default=100.0, help="requests per second per address (burst 10x)")
    parser.add_argument(
        "--max-webhook-bytes", type=int, default=2 * 1024 * 1024, help="largest provider webhook body (413 past it)"
    )
    parser.add_argument(
        "--webhook-rate", type=float, default=2000.0, help="provider webhooks per second per address (burst 10x)"
    )
    parser.add_argument(
        "--webhook-queue", type=int, default=4096, help="status reports that may wait for their commit (503 past it)"
    )
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        help="a reverse proxy's address or network (repeatable): its X-Forwarded-For names the client to limit",
    )
    parser.add_argument(
        "--recompute-analytics",
        action="store_true",
        help="recompute the chain's dashboards now, with progress, and exit",
    )
    parser.add_argument(
        "--analytics-hour", type=int, default=3, choices=range(24), help="hour (Asia/Dubai) of the nightly recompute"
    )
    parser.add_argument("--issue-code", action="store_true", help="print a one-time enrolment code and exit")
    parser.add_argument("--branch-id", help="with --issue-code: the branch the code enrols")
    parser.add_argument("--erasures", action="store_true", help="list the pending erasure requests and exit")
    parser.add_argument("--approve-erasure", metavar="ID", help="approve an erasure request (with --reason) and exit")
    parser.add_argument("--refuse-erasure", metavar="ID", help="refuse an erasure request (with --reason) and exit")
    parser.add_argument("--reason", default="", help="with --approve-erasure or --refuse-erasure: why")
    parser.add_argument(
        "--vat-retention-years", type=int, default=5, help="years invoices are kept after an erasure (UAE VAT)"
    )
    parser.add_argument(
        "--purge-inactive",
        action="store_true",
        help="purge the marketing data of customers inactive for --inactive-months and exit",
    )
    parser.add_argument("--inactive-months", type=int, default=24, help="months without a purchase or visit")
    parser.add_argument("--dry-run", action="store_true", help="with --purge-inactive: only count the customers")
    parser.add_argument(
        "--issue-node-code",
        action="store_true",
        help="print a one-time code that enrols head office's campaign node (main.py campaign-node) and exit",
    )


def config_from(args: argparse.Namespace) -> HeadOfficeConfig:
    from sync.headoffice.store import AllowanceDefaults, HeadOfficeConfig, default_tier_rule

    return HeadOfficeConfig(
        max_clock_skew_s=args.max_clock_skew,
        retain_changes=args.retain_changes,
        default_allowances={
            "gift_card": AllowanceDefaults(args.card_cap, args.card_total, args.offline_hours, args.snapshot_hours),
            "points": AllowanceDefaults(args.points_cap, args.points_total, args.offline_hours, args.snapshot_hours),
        },
        tier_rule=default_tier_rule(),
        admin_token=os.environ.get(ADMIN_TOKEN_ENV, ""),
        vat_retention_years=args.vat_retention_years,
        inactive_months=args.inactive_months,
    )


def limits_from(args: argparse.Namespace) -> RequestLimits:
    from sync.headoffice.guard import RequestLimits

    return RequestLimits(
        max_push_bytes=args.max_push_bytes,
        max_body_bytes=args.max_body_bytes,
        max_clock_skew_s=args.signature_window,
        branch_rate=args.branch_rate,
        branch_burst=args.branch_rate * 10,
        address_rate=args.address_rate,
        address_burst=args.address_rate * 10,
        max_webhook_bytes=args.max_webhook_bytes,
        webhook_rate=args.webhook_rate,
        webhook_burst=args.webhook_rate * 10,
        webhook_queue=args.webhook_queue,
        trusted_proxies=tuple(args.trusted_proxy),
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from sync.headoffice.crypto import KeyProblem
    from sync.headoffice.store import HeadOfficeStore

    try:
        store = HeadOfficeStore(args.db, config_from(args))
    except KeyProblem as exc:
        print(f"headoffice: {exc}", file=sys.stderr)
        return 2
    if args.action == "rotate-keys":
        return _rotate(store, args.resume)
    if args.erasures or args.approve_erasure or args.refuse_erasure or args.purge_inactive:
        try:
            return _privacy(store, args)
        finally:
            store.close()
    if args.issue_code or args.issue_node_code:
        issued = store.issue_node_code() if args.issue_node_code else store.issue_code(args.branch_id)
        print(issued.code)
        store.close()
        return 0
    if args.recompute_analytics:
        from sync.headoffice.analytics import ChainRecompute

        try:
            run = ChainRecompute(store).run(lambda step, done, of: print(f"{step}: {done}/{of}", flush=True))
        finally:
            store.close()
        print(f"{len(run.figures)} figures computed in {sum(run.seconds.values()):.1f} s")
        return 0
    import threading

    import uvicorn

    from sync.headoffice.analytics import start_nightly
    from sync.headoffice.app import create_app

    stop = threading.Event()
    try:
        app = create_app(store, limits_from(args))
        start_nightly(app.state.analytics, args.analytics_hour, store.now, stop)
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
            # Which X-Forwarded-For to believe is head office's own setting (--trusted-proxy, guard.ClientAddress),
            # the same under any server; uvicorn's would rewrite the address first, trusting 127.0.0.1 by default.
            proxy_headers=False,
        )
    finally:
        stop.set()
        store.close()
    return 0


def _rotate(store: object, resume: bool) -> int:
    import sys

    from sync.headoffice.crypto import KeyProblem, rotate
    from sync.headoffice.store import HeadOfficeStore

    assert isinstance(store, HeadOfficeStore)
    try:
        done = rotate(store, resume=resume, on_current=lambda key: print(f"key {key} is current; re-sealing…"))
    except KeyProblem as exc:
        print(f"headoffice rotate-keys: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    p = done.progress
    print(
        f"re-sealed {p.rows} rows, {p.changes} changes, {p.held} held batches, {p.secrets} branch secrets; "
        f"keys in use: {done.kept}; retired: {done.retired or 'none'}"
    )
    if done.retired and store.crypto.source.kind == "env":
        print(f"remove keys {done.retired} from HEADOFFICE_DATA_KEYS on every head-office process")
    return 0


def _privacy(store: HeadOfficeStore, args: argparse.Namespace) -> int:
    """The administrator's erasure and retention commands (sync.headoffice.erasure); 1 when refused."""
    from sync.headoffice.erasure import decide, list_erasures
    from sync.headoffice.retention import purge_inactive
    from sync.headoffice.store import HeadOfficeError

    try:
        if args.erasures:
            for record in list_erasures(store, "pending"):
                print(f"{record.id}  customer {record.customer_id}  {record.requested_at}  {record.reason}")
        elif args.approve_erasure or args.refuse_erasure:
            if not args.reason.strip():
                print("say why with --reason")
                return 1
            record = decide(store, args.approve_erasure or args.refuse_erasure, bool(args.approve_erasure), args.reason)
            kept = f"; invoices kept until {record.keep_ledgers_until}" if record.keep_ledgers_until else ""
            print(f"{record.id}: {record.status}{kept}")
        else:
            run = purge_inactive(store, store.now().date(), args.inactive_months, dry_run=args.dry_run)
            verb = "would purge" if run.dry_run else "purged"
            print(f"{verb} the marketing data of {run.customers} customers inactive since {run.cutoff}")
    except HeadOfficeError as refused:
        print(f"refused ({refused.status}): {refused}")
        return 1
    return 0
