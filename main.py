"""Perfume & Oud Branch Companion — composition root.

python main.py                      the app on the embedded demo store (created on first run)
python main.py --db PATH            the app on another store file (or PERFUME_OUD_DB=PATH)
python main.py screenshots --out D  every main screen as PNG, English and Arabic
python main.py diagnose ...         read QR codes from an image, a video or a camera
python main.py headoffice --db URL  the head-office sync server (SQLite file or PostgreSQL URL)
python main.py --db PATH enroll --headoffice URL --code CODE   connect this store to head office
python main.py sms-parts < texts.jsonl  encoding, SMS parts and cost per provider of each JSON-string line
python main.py sentiment < texts.jsonl  positive / neutral / negative, score and language of each JSON-string line
python main.py dispatch --db URL    head office's message dispatcher (beside the server, same database)
python main.py calendar --year 2027 --json   a year's occasions (Umm al-Qura, overrides applied) or --holidays
python main.py campaigns --db PATH [--once]  run a standalone store's due campaigns (the app does it too)
python main.py --db PATH campaign-node [--headoffice URL --code CODE]  head office's campaign node (a chain's
                                    campaigns: a store that syncs with head office and executes them)

Installed with `pip install .`, the same commands are `perfume-oud ...` (the console script calls main()).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Mapping

    from core.campaigns.executor import CampaignExecutor
    from core.kernel.ports import Clock
    from core.messaging.dispatch import Dispatcher
    from core.messaging.sms import PartsLimit, SmsRates
    from storage.db import Store
    from sync.protocol import EnrollResult
    from sync.worker import SyncWorker

APP_DIR_NAME = "PerfumeOudBranch"
DB_ENV = "PERFUME_OUD_DB"


def default_store_path() -> Path:
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False)) / "demo-store.sqlite"


def parse_args(argv: list[str]) -> argparse.Namespace:
    # The name it was started by: `main.py` from a checkout, `perfume-oud` once installed.
    parser = argparse.ArgumentParser(prog=Path(sys.argv[0]).name, description="Perfume & Oud Branch Companion")
    parser.add_argument("--db", type=Path, help=f"store file (default: ${DB_ENV} or the demo store)")
    parser.add_argument("--lang", choices=["en", "ar"], help="interface language (default: the system's)")
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    shots = sub.add_parser("screenshots", help="render every main screen to PNG in English and Arabic")
    shots.add_argument("--out", type=Path, default=Path("screenshots"))
    sub.add_parser("diagnose", help="decode QR codes from an image, a video file or a camera", add_help=False)
    office = sub.add_parser("headoffice", help="run the head-office sync server")
    from sync.headoffice.cli import add_arguments

    add_arguments(office)
    joining = sub.add_parser("enroll", help="connect this store to head office with a one-time code")
    joining.add_argument("--headoffice", required=True, help="head office's address, e.g. https://ho.example:8800")
    joining.add_argument("--code", required=True, help="the one-time enrolment code head office issued")
    parts = sub.add_parser("sms-parts", help="encoding, parts and cost per provider of texts (JSON strings on stdin)")
    from sync.messaging.cli import add_arguments as add_sms_arguments

    add_sms_arguments(parts)
    feeling = sub.add_parser("sentiment", help="sentiment of texts, English or Arabic (JSON strings on stdin)")
    from core.feedback.sentiment_cli import add_arguments as add_sentiment_arguments

    add_sentiment_arguments(feeling)
    sending = sub.add_parser("dispatch", help="send head office's outbox (WhatsApp, SMS, email)")
    from sync.messaging.dispatch_cli import add_arguments as add_dispatch_arguments

    add_dispatch_arguments(sending)
    running = sub.add_parser("campaigns", help="run the due campaigns of a standalone store (--once: one round)")
    running.add_argument("--once", action="store_true", help="one round, then exit")
    running.add_argument("--every", type=float, default=60.0, help="seconds between rounds (default 60)")
    node = sub.add_parser(
        "campaign-node", help="execute a chain's campaigns at head office (a store enrolled as its campaign node)"
    )
    node.add_argument("--headoffice", help="head office's address, the first time (with --code)")
    node.add_argument("--code", help="the code `headoffice --issue-node-code` printed, the first time")
    node.add_argument("--once", action="store_true", help="sync, one round, sync, then exit")
    node.add_argument("--every", type=float, default=60.0, help="seconds between rounds (default 60)")
    sub.add_parser(
        "inbound", help="handle the customers' messages pulled from head office (survey answers, tickets), once"
    )
    occasions = sub.add_parser("calendar", help="a year's occasions or public holidays, announced dates applied")
    from core.campaigns.calendar_cli import add_arguments as add_calendar_arguments

    add_calendar_arguments(occasions)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diagnose"]:
        from ui.scan.diagnostics import run_diagnostics

        return run_diagnostics(argv[1:])
    args = parse_args(argv)
    if args.command == "screenshots":
        return screenshots(args)
    if args.command == "headoffice":
        from sync.headoffice.cli import run

        return run(args)
    if args.command == "enroll":
        return enroll(args)
    if args.command == "sms-parts":
        from sync.messaging.cli import run as sms_parts

        return sms_parts(args)
    if args.command == "sentiment":
        from core.feedback.sentiment_cli import run as sentiment

        return sentiment(args)
    if args.command == "dispatch":
        from sync.messaging.dispatch_cli import run as dispatch

        return dispatch(args)
    if args.command == "calendar":
        return calendar(args)
    if args.command == "campaigns":
        return run_campaigns(args)
    if args.command == "campaign-node":
        return run_campaign_node(args)
    if args.command == "inbound":
        return handle_inbound(args)
    return run_app(args)


def handle_inbound(args: argparse.Namespace) -> int:
    """The inbound command: handles what the sync worker would after its next pull (core.inbound), and prints
    what became of each message, as one JSON object of counts."""
    import json

    from storage.bootstrap import build_services
    from storage.db import open_store

    store = open_store(args.db or default_store_path())
    try:
        report = build_services(store).inbound.run()
    finally:
        store.close()
    print(json.dumps(dict(sorted(report.outcomes.items()))))
    return 0


def calendar(args: argparse.Namespace) -> int:
    """The calendar command, with the announced dates of the store at ``--db`` when one is given."""
    from core.campaigns.calendar import Override
    from core.campaigns.calendar_cli import run

    stored: list[Override] = []
    if args.db is not None:
        from core.kernel.errors import StoreError
        from storage.bootstrap import build_services
        from storage.db import open_store

        path = Path(args.db)
        if not path.is_file():  # opening would create an empty store: a typo must not
            print(f"calendar: there is no store at {path}", file=sys.stderr)
            return 2
        try:
            store = open_store(path)
        except StoreError as error:
            print(f"calendar: {error.english()}", file=sys.stderr)
            return 2
        try:
            stored = build_services(store).calendar.overrides()
        finally:
            store.close()
    return run(args, stored)


def run_campaigns(args: argparse.Namespace) -> int:
    """The campaigns command: a standalone store's executor, a round every ``--every`` seconds (or one). A store
    enrolled in a chain is refused: there head office executes, so a customer is greeted once, not per branch."""
    import json
    import signal
    import threading

    from core.kernel.clock import SystemClock
    from storage.db import open_store

    if args.db is None:
        print("campaigns: give the store with --db PATH", file=sys.stderr)
        return 2
    store = open_store(args.db)
    try:
        if not executes_campaigns(store):
            print("campaigns: this store is a branch of a chain; head office executes its campaigns", file=sys.stderr)
            return 2
        executor = build_campaign_executor(store, SystemClock())
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while True:
            for report in executor.run_due():
                print(json.dumps(report.__dict__), flush=True)
            if args.once or stop.wait(args.every):
                return 0
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()


def executes_campaigns(store: Store) -> bool:
    """Whether ``store`` runs campaigns: a standalone store does, and in a chain only head office's campaign node
    (core.kernel.replication.CAMPAIGN_NODE); a branch never does, so a customer is greeted once, not per till.
    A store that has been told of a head office is a branch even while its credentials are missing."""
    from core.kernel.replication import CAMPAIGN_NODE

    return not store.settings.get(HEADOFFICE_URL) or store.branch_id == CAMPAIGN_NODE


def run_campaign_node(args: argparse.Namespace) -> int:
    """The campaign-node command: enrols the store as head office's campaign node the first time (``--headoffice``
    and ``--code``), then keeps it in sync (every branch's customers, consent and campaigns come by pull; its
    executions and messages go by push, and head office's dispatcher sends them) and runs the due campaigns
    every ``--every`` seconds. A killed node resumes where it stopped: each recipient is one ledger row."""
    import json
    import signal
    import threading

    from core.kernel.clock import SystemClock
    from core.kernel.replication import CAMPAIGN_NODE
    from storage.db import open_store
    from sync.client import SyncFailure

    if args.db is None:
        print("campaign-node: give the node's store with --db PATH", file=sys.stderr)
        return 2
    store = open_store(args.db)
    try:
        if not store.settings.get(HEADOFFICE_URL):
            if not (args.headoffice and args.code):
                print("campaign-node: enrol it first: --headoffice URL --code CODE", file=sys.stderr)
                return 2
            try:
                enroll_store(store, args.headoffice, args.code)
            except (SyncFailure, ValueError) as error:
                print(f"campaign-node: enrolment failed: {error}", file=sys.stderr)
                return 2
        if store.branch_id != CAMPAIGN_NODE:
            print("campaign-node: this store is a branch, not head office's campaign node", file=sys.stderr)
            return 2
        worker = build_worker(store)
        if worker is None:
            print("campaign-node: the node's secret is missing; enrol it again", file=sys.stderr)
            return 2
        executor = build_campaign_executor(store, SystemClock())
        if args.once:
            try:
                worker.run_cycle()  # what the branches wrote (campaigns, customers, consent) before executing
                for report in executor.run_due():
                    print(json.dumps(report.__dict__), flush=True)
                worker.run_cycle()
            except SyncFailure as failure:
                print(f"campaign-node: head office did not answer ({failure})", file=sys.stderr)
                return 1
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            worker.run_cycle()  # up to date before the first round; the worker's thread keeps it so
        except SyncFailure as failure:
            print(f"campaign-node: head office did not answer ({failure}); it keeps trying", file=sys.stderr)
        worker.start()
        try:
            while not stop.is_set():
                for report in executor.run_due():
                    print(json.dumps(report.__dict__), flush=True)
                worker.sync_now()
                stop.wait(args.every)
        finally:
            worker.stop()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()


def build_campaign_executor(store: Store, clock: Clock, **options: Any) -> CampaignExecutor:
    """A store's campaign executor (a standalone store's, or head office's campaign node's), writing as the store
    itself (no staff member) with the allowed hours the dispatcher uses, over the calendar with the announced
    dates. The node gives each recipient a short link served by head office at HEADOFFICE_PUBLIC_URL."""
    from core.campaigns.calendar_service import CalendarService
    from core.campaigns.executor import CampaignExecutor
    from core.kernel.replication import CAMPAIGN_NODE
    from core.messaging.rules import RulesConfig, parse_window
    from core.staff.auth import Actor, Role
    from storage.bootstrap import adopt_calendar_setting
    from storage.uow import uow_factory

    if store.branch_id == CAMPAIGN_NODE:
        options.setdefault("link_base", os.environ.get("HEADOFFICE_PUBLIC_URL") or None)
    uow = uow_factory(store, clock)
    rules = RulesConfig(allowed=parse_window(os.environ.get("MESSAGING_ALLOWED_HOURS", "08:00-21:00")))
    system = Actor("", store.branch_id, Role.ADMIN, "campaigns")
    calendar = CalendarService(uow)
    adopt_calendar_setting(store, calendar)
    return CampaignExecutor(uow, clock, system, rules=rules, calendar=calendar.calendar, **options)


def screenshots(args: argparse.Namespace) -> int:
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from storage.bootstrap import build_services
    from storage.db import open_store
    from storage.seed.demo import seed_demo
    from ui.screenshots import render_all

    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(args.db or Path(scratch) / "screens.sqlite")
        if not store.branch_id:
            seed_demo(store, customers=300)
        written = render_all(args.out, build_services(store))
        store.close()
    print("\n".join(str(p) for p in written))
    return 0


def run_app(args: argparse.Namespace) -> int:
    import threading

    # The store layer (SQLAlchemy, the models, the services) imports while Qt starts on this thread: a third
    # of start-up, and neither needs the other until the store is opened.
    preload = threading.Thread(target=lambda: __import__("storage.bootstrap"), daemon=True)
    preload.start()
    from PySide6.QtCore import QLocale, QThreadPool, QTimer
    from PySide6.QtWidgets import QMessageBox

    from ui.app import make_application

    app, language = make_application()
    language.set_language(args.lang or ("ar" if QLocale.system().language() == QLocale.Language.Arabic else "en"))
    preload.join()
    from core.kernel.errors import StoreError
    from storage.bootstrap import build_services
    from storage.db import open_store
    from ui.i18n import error_text

    path = args.db or default_store_path()
    try:
        store = open_store(path)
    except StoreError as error:
        QMessageBox.critical(None, app.translate("main", "The store cannot be opened"), error_text(error))
        return 2
    if not store.branch_id and not prepare_demo_store(store):
        return 2
    worker = None  # no head office configured: the store works standalone
    if store.settings.get(HEADOFFICE_URL):
        worker = build_worker(store)
    services = build_services(store, link=worker, sms=sms_settings(os.environ))
    if worker is not None:
        worker.after_pull.append(services.inbound.run)  # the customers' replies pulled become answers, tickets
        from storage.repositories.figures import SqlFigures
        from sync.analytics_pull import FiguresPull

        # The dashboards' figures head office computed for the chain and this branch, at most hourly.
        worker.after_pull.append(FiguresPull(worker.client, SqlFigures(store), store.branch_id))
        worker.start()

    from ui import features
    from ui.main_window import MainWindow
    from ui.ops import run_in_background

    window = MainWindow(services, language, features.install)
    window.show()
    if executes_campaigns(store):
        # A standalone store executes its own campaigns (in a chain head office does): ui.features runs it.
        from core.kernel.clock import SystemClock

        services.campaign_executor = build_campaign_executor(store, SystemClock())
    if worker is None and not store.settings.get(HEADOFFICE_URL):
        # The channels' libraries and the keyring take about a second to load: not before the window shows.
        run_in_background(lambda: build_dispatcher(store), lambda made: setattr(services, "outbox", made))
    if args.startup_probe:
        QTimer.singleShot(0, lambda: report_startup(app, services))
    code = app.exec()
    # Work still on the thread pool (a query, the dispatcher's setup) ends and reports before the store closes.
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()
    if worker is not None:
        worker.stop()
    if services.outbox is not None:
        services.outbox.close()
    store.close()
    return code


def enroll(args: argparse.Namespace) -> int:
    from storage.db import open_store
    from sync.client import SyncFailure

    store = open_store(args.db or default_store_path())
    try:
        result, where = enroll_store(store, args.headoffice, args.code)
    except (SyncFailure, ValueError) as error:
        print(f"enrolment failed: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"enrolled as branch {result.branch_id}; secret kept in {where}")
    if where != "keyring":
        print("no OS keyring is available here: the secret is in a file only this user can read", file=sys.stderr)
    return 0


# -- the branch end of sync, composed: the store (storage) joined to the client and the worker (sync) -----------
HEADOFFICE_URL = "headoffice_url"


def enroll_store(store: Store, base_url: str, code: str) -> tuple[EnrollResult, str]:
    """Enrols ``store`` with head office; returns the result and where the secret was kept."""
    from storage.replica import join_chain
    from sync.client import enroll
    from sync.credentials import CredentialStore

    result = enroll(base_url, code, store.branch_id or None, store.terminal_id)
    join_chain(store, result.branch_id, base_url.rstrip("/"), [b.model_dump() for b in result.branches])
    where = CredentialStore(store.path).save(result.branch_id, result.secret)
    return result, where


def build_worker(store: Store, **options: Any) -> SyncWorker | None:
    """The worker for an enrolled store; None for a standalone one (no head office configured)."""
    from storage.replica import SqlReplica
    from sync.client import HeadOfficeClient
    from sync.credentials import CredentialStore
    from sync.worker import SyncWorker

    url = store.settings.get(HEADOFFICE_URL, "")
    if not url:
        return None
    credentials = CredentialStore(store.path)
    secret = credentials.load(store.branch_id)
    if secret is None:
        return None
    client = HeadOfficeClient(url, store.branch_id, secret)
    authorizer = HeadOfficeClient(url, store.branch_id, secret)
    return SyncWorker(SqlReplica(store), client, authorizer=authorizer, secret_in_file=credentials.in_file, **options)


def sms_settings(env: Mapping[str, str]) -> tuple[SmsRates, PartsLimit]:
    """The SMS prices and parts limit the template editor previews and checks with: SMS_RATES_AED,
    SMS_MAX_PARTS and SMS_WARN_PARTS as the dispatcher reads them, else the defaults (a malformed value is
    reported and the defaults apply; the dispatcher refuses to start on it)."""
    from core.messaging.sms import DEFAULT_MAX_PARTS, DEFAULT_RATES_AED, DEFAULT_WARN_PARTS, PartsLimit, SmsRates

    try:
        rates = SmsRates.parse(env["SMS_RATES_AED"]) if env.get("SMS_RATES_AED") else None
    except ValueError as error:
        print(f"SMS_RATES_AED: {error}; the template editor uses the default rates", file=sys.stderr)
        rates = None
    try:
        most = int(env.get("SMS_MAX_PARTS") or DEFAULT_MAX_PARTS)
        limit = PartsLimit(most, int(env.get("SMS_WARN_PARTS") or min(DEFAULT_WARN_PARTS, most)))
    except ValueError as error:
        print(f"SMS_MAX_PARTS / SMS_WARN_PARTS: {error}; the template editor uses 10 / 3", file=sys.stderr)
        limit = PartsLimit()
    return rates or SmsRates.from_aed(DEFAULT_RATES_AED), limit


def build_dispatcher(store: Store) -> Dispatcher | None:
    """A standalone store's message dispatcher (it is its own head office), over the channels whose
    credentials are in the environment or the keyring; None when no channel has any."""
    from core.kernel.clock import SystemClock
    from core.messaging.dispatch import Dispatcher
    from core.messaging.rules import ConsentSendPolicy, RulesConfig, parse_window
    from storage.outbox import SqlOutbox
    from storage.uow import uow_factory
    from sync.messaging.config import ChannelRegistry, Secrets, sms_rates
    from sync.messaging.gateway import ChannelGateway

    secrets = Secrets()
    registry = ChannelRegistry(secrets)
    if not any(registry.configured().values()):
        return None
    clock = SystemClock()
    # Consent, opt-outs, quiet hours and caps are read again at send time: they can change while a message waits.
    # The allowed hours for offers are not published (providers.md): 08:00-21:00 unless configured.
    rules = RulesConfig(allowed=parse_window(os.environ.get("MESSAGING_ALLOWED_HOURS", "08:00-21:00")))
    policy = ConsentSendPolicy(uow_factory(store, clock), rules)
    return Dispatcher(
        SqlOutbox(store), ChannelGateway(registry, sms_rates(secrets)), clock, policy=policy, concurrency=4
    )


def prepare_demo_store(store: object) -> bool:
    """Seeds an empty store with the demo branch network, off the main thread, with a busy dialog."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from storage.seed.demo import seed_demo
    from ui.ops import run_in_background

    dialog = QProgressDialog(
        QCoreApplication.translate("main", "Preparing the demo store (branches, staff, 2,000 customers)…"), "", 0, 0
    )
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.show()
    loop = QEventLoop()
    outcome: list[BaseException | None] = []

    def finish(error: BaseException | None) -> None:
        outcome.append(error)
        loop.quit()

    run_in_background(lambda: seed_demo(store), lambda _r: finish(None), finish)  # type: ignore[arg-type]
    loop.exec()
    dialog.close()
    if outcome and outcome[0] is not None:
        QMessageBox.critical(
            None, QCoreApplication.translate("main", "The demo store could not be prepared"), str(outcome[0])
        )
        return False
    return True


def report_startup(app: object, services: object) -> None:
    """--startup-probe: time to a usable window, then one search, then resident memory; then quit."""
    import json
    import resource

    seconds = time.perf_counter() - STARTED
    hits = len(services.customers.search("moh"))  # type: ignore[attr-defined]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("STARTUP " + json.dumps({"seconds": round(seconds, 3), "search_hits": hits, "max_rss_mb": round(rss_mb, 1)}))
    sys.stdout.flush()
    app.quit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
