"""A chain on loopback for the sync and fault tests: head office (uvicorn, in a thread or a process), branch
stores as real SQLite files, and the helpers that write money and profiles through real units of work."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from core.kernel.clock import SystemClock
from core.kernel.ids import new_id
from core.offline.allowances import Decision, DecreaseKind, LinkState
from core.staff.auth import Actor, Role
from main import enroll_store
from storage.bootstrap import Services, build_services
from storage.db import Store, connect, open_store
from storage.replica import SqlReplica
from storage.schema import (
    Branch as BranchRow,
)
from storage.schema import (
    Customer,
    GiftCard,
    GiftCardTransaction,
    LoyaltyAccount,
    LoyaltyTransaction,
    Staff,
    StoreSetting,
)
from storage.seed.demo import BRANCHES, STAFF
from storage.uow import SqlUnitOfWork
from sync.client import HeadOfficeClient, SyncFailure
from sync.credentials import CredentialStore
from sync.headoffice.app import create_app
from sync.headoffice.store import AllowanceDefaults, HeadOfficeConfig, HeadOfficeStore
from sync.protocol import Allowance
from sync.worker import SyncWorker
from tests.faults.proxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
os.environ["PERFUME_OUD_NO_KEYRING"] = "1"  # tests never touch the developer's keyring
PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$not-a-real-hash-tests-never-sign-in"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chain_template(directory: Path) -> Path:
    """The chain's reference data (branches, staff) without a single change: every branch starts from it."""
    path = directory / "chain.sqlite"
    if path.exists():
        return path
    store = open_store(path)
    with store.write_session() as session, session.begin():
        ids = {}
        for code, name_en, name_ar, emirate, location in BRANCHES:
            ids[code] = new_id()
            session.add(
                BranchRow(id=ids[code], code=code, name_en=name_en, name_ar=name_ar, emirate=emirate, location=location)
            )
        session.flush()
        for username, name_en, name_ar, role, code, _pin in STAFF:
            session.add(
                Staff(
                    id=new_id(),
                    branch_id=ids[code],
                    username=username,
                    name_en=name_en,
                    name_ar=name_ar,
                    role=role.value,
                    pin_hash=PIN_HASH,
                )
            )
        for key, value in (("branch_id", ids["DXB1"]), ("terminal_id", new_id())):
            session.add(StoreSetting(key=key, value=value))
    store.close()
    return path


def branch_file(template: Path, path: Path, code: str) -> Path:
    """A copy of the chain template that is branch ``code``'s own store (its id, a fresh terminal)."""
    shutil.copy(template, path)
    raw = connect(path)
    branch_id = raw.execute("SELECT id FROM branches WHERE code = ?", (code,)).fetchone()[0]
    for key, value in (("branch_id", branch_id), ("terminal_id", new_id())):
        raw.execute("UPDATE store_settings SET value = ? WHERE key = ?", (value, key))
    raw.commit()
    raw.close()
    return path


class ServerThread:
    """Head office's app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, store: HeadOfficeStore, port: int | None = None, **app: Any) -> None:
        """``app``: create_app's options (limits, webhooks)."""
        self.store = store
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(store, **app),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,  # as sync.headoffice.cli runs it: guard.RequestLimits.trusted_proxies decides
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("head office did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class ServerProcess:
    """Head office as its own process (``main.py headoffice``), so a test can SIGKILL it."""

    def __init__(
        self, db_url: str, port: int | None = None, extra: list[str] | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra = extra or []
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *prefix: str) -> ServerProcess:
        """Runs ``main.py headoffice`` (or ``prefix``, e.g. ``-m tests.faults.processes headoffice ...``)."""
        prefix = prefix or (str(ROOT / "main.py"), "headoffice")
        cmd = [sys.executable, *prefix, "--db", self.db_url, "--port", str(self.port), *self.extra]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **self.env})
        wait_until_up(self.url, self.proc)
        return self

    def kill(self) -> int:
        assert self.proc is not None
        self.proc.kill()
        return self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def wait_until_up(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    # One client for the whole wait: each new one builds an SSL context (~0.25 s of CPU on a busy machine).
    with httpx.Client(timeout=0.5) as client:
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"head office exited with {proc.returncode}")
            try:
                if client.get(url + "/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError("head office did not come up")


def generous(cap: int = 50_000, total: int = 100_000) -> dict[str, AllowanceDefaults]:
    return {k: AllowanceDefaults(cap, total, 12.0, 24.0) for k in ("gift_card", "points")}


@dataclass
class Branch:
    """One till: its store, services, replica and a worker driven by the test (``sync()``)."""

    code: str
    store: Store
    services: Services
    replica: SqlReplica
    worker: SyncWorker
    actor: Actor
    proxy: FaultProxy | None = None

    def go_offline(self) -> None:
        """Cuts the link (the proxy drops everything) and lets the worker notice."""
        assert self.proxy is not None
        self.proxy.partitioned = True
        try:
            self.worker.run_cycle()
        except SyncFailure as failure:  # what the worker's loop does with it
            self.worker._publish(state=LinkState.OFFLINE, problem=failure.problem, detail=failure.detail)
        assert self.worker.is_offline()

    def go_online(self) -> None:
        assert self.proxy is not None
        self.proxy.partitioned = False

    def sync(self, rounds: int = 1) -> None:
        for _ in range(rounds):
            self.worker.run_cycle()

    def close(self) -> None:
        self.worker.stop()
        self.worker.client.close()
        self.store.close()
        if self.proxy is not None:
            self.proxy.stop()

    # -- writing through real units of work --------------------------------------------------------------------
    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.store, self.services.clock, self.actor)

    def new_customer(self, first_name: str, mobile: str) -> str:
        with self.uow() as uow:
            row = Customer(
                number=f"{self.code}-{new_id()[-8:]}",
                first_name_en=first_name,
                mobile=mobile,
                segment="regular",
                preferred_language="en",
                preferred_channel="sms",
            )
            uow.session.add(row)
            uow.commit()
        return str(row.id)

    def edit_customer(self, customer_id: str, **fields: Any) -> None:
        with self.uow() as uow:
            row = uow.session.get(Customer, customer_id)
            assert row is not None
            for name, value in fields.items():
                setattr(row, name, value)
            uow.commit()

    def customer(self, customer_id: str) -> dict[str, Any]:
        with self.store.read_session() as s:
            row = s.get(Customer, customer_id)
            assert row is not None
            return {c: getattr(row, c) for c in ("first_name_en", "last_name_en", "email", "mobile", "notes", "area")}

    def issue_card(self, amount_fils: int) -> str:
        with self.uow() as uow:
            card = GiftCard(code=new_id()[-12:].upper(), initial_fils=amount_fils, expires_on=date(2030, 1, 1))
            uow.session.add(card)
            uow.session.flush()
            uow.session.add(GiftCardTransaction(card_id=card.id, kind="issue", amount_fils=amount_fils))
            uow.commit()
        return str(card.id)

    def open_points(self, customer_id: str, points: int) -> str:
        with self.uow() as uow:
            account = LoyaltyAccount(customer_id=customer_id, card_number=new_id()[-12:])
            uow.session.add(account)
            uow.session.flush()
            uow.session.add(LoyaltyTransaction(account_id=account.id, kind="earn", points=points))
            uow.commit()
        return str(account.id)

    def redeem(self, kind: DecreaseKind, subject_id: str, amount: int) -> Decision:
        """A redemption at the till: the allowance service decides, the ledger row carries its verdict."""
        with self.uow() as uow:
            decision = self.services.offline.authorize_decrease(kind, subject_id, amount, uow)
            if not decision.allowed:
                return decision
            if kind == DecreaseKind.GIFT_CARD:
                row: Any = GiftCardTransaction(
                    id=decision.hold_id,
                    card_id=subject_id,
                    kind="redeem",
                    amount_fils=-amount,
                    offline_pending=decision.pending,
                )
            else:
                row = LoyaltyTransaction(
                    id=decision.hold_id,
                    account_id=subject_id,
                    kind="redeem",
                    points=-amount,
                    offline_pending=decision.pending,
                )
            uow.session.add(row)
            uow.commit()
        return decision

    def balance(self, kind: DecreaseKind, subject_id: str) -> int:
        return balance(self.store, kind, subject_id)

    def ledger(self, table: str) -> set[tuple[Any, ...]]:
        return ledger(self.store, table)

    def registers(self, table: str) -> dict[str, tuple[Any, ...]]:
        return registers(self.store, table)


def balance(store: Store, kind: DecreaseKind, subject_id: str) -> int:
    with SqlUnitOfWork(store, SystemClock(), None) as uow:
        return uow.offline.balance(kind, subject_id)


def ledger(store: Store, table: str) -> set[tuple[Any, ...]]:
    """Every row of a ledger table, all columns, for comparing replicas."""
    with store.read_engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")]
        return {tuple(r) for r in conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table}")}


def ids_of(store: Store, table: str) -> set[str]:
    with store.read_engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {table}")}


def registers(store: Store, table: str) -> dict[str, tuple[Any, ...]]:
    """Every register row's fields (not the replication bookkeeping), by id."""
    skip = {"id", "updated_at", "field_hlc", "search_doc"}
    with store.read_engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})") if r[1] not in skip]
        query = f"SELECT id, {', '.join(cols)} FROM {table}"
        return {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(query)}


def cashier_of(services: Services) -> Actor:
    staff = services.staff.staff_of_branch(services.store.branch_id)
    member = next((s for s in staff if s.role == Role.CASHIER), None) or next(
        s for s in staff if s.role == Role.MANAGER
    )
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def open_branch(
    template: Path,
    directory: Path,
    code: str,
    ho: HeadOfficeStore,
    url: str,
    *,
    upstream_port: int | None = None,
    seed: int = 0,
    **worker: Any,
) -> Branch:
    """A branch store enrolled with head office at ``url``; with ``upstream_port`` its worker goes through a
    fault proxy to that port."""
    path = branch_file(template, directory / f"{code}-{new_id()[-6:]}.sqlite", code)
    store = open_store(path)
    issued = ho.issue_code(store.branch_id)
    enroll_store(store, url, issued.code)
    secret = CredentialStore(store.path).load(store.branch_id)
    assert secret
    proxy = FaultProxy(upstream_port, seed=seed).start() if upstream_port else None
    client = HeadOfficeClient(proxy.url if proxy else url, store.branch_id, secret)
    replica = SqlReplica(store)
    options = {"interval_s": 0.2, "backoff_base_s": 0.05, "backoff_max_s": 0.5, **worker}
    sync_worker = SyncWorker(replica, client, **options)
    services = build_services(store, link=sync_worker)
    sync_worker.after_pull.append(services.inbound.run)  # as main.py composes it
    return Branch(code, store, services, replica, sync_worker, cashier_of(services), proxy)


@contextmanager
def chain(
    tmp: Path,
    codes: tuple[str, ...] = ("DXB1", "DXB2"),
    *,
    url: str | None = None,
    config: HeadOfficeConfig | None = None,
    proxies: bool = False,
    template: Path | None = None,
    app: dict[str, Any] | None = None,
    **worker: Any,
) -> Iterator[tuple[HeadOfficeStore, ServerThread, list[Branch]]]:
    """Head office on a SQLite file (or ``url``) served on loopback, and one enrolled branch per code (each
    behind its own fault proxy with ``proxies``); ``app``: create_app's options (limits, webhooks)."""
    template = template or chain_template(tmp)
    ho = HeadOfficeStore(
        url or f"sqlite:///{tmp / 'ho.sqlite'}", config or HeadOfficeConfig(default_allowances=generous())
    )
    server = ServerThread(ho, **(app or {})).start()
    branches = [
        open_branch(
            template, tmp, code, ho, server.url, upstream_port=server.port if proxies else None, seed=i, **worker
        )
        for i, code in enumerate(codes)
    ]
    try:
        yield ho, server, branches
    finally:
        for b in branches:
            b.close()
        server.stop()
        ho.close()


def grant(
    ho: HeadOfficeStore, branch_id: str, kind: str, cap: int, total: int, hours: float = 12, age: float = 24
) -> None:
    ho.set_allowances(
        branch_id,
        [
            Allowance(
                kind=kind,
                per_subject_cap=cap,
                branch_total=total,
                max_offline_hours=hours,
                max_snapshot_age_hours=age,
                granted_at=datetime.now(UTC),
            )
        ],
    )  # type: ignore[arg-type]


@dataclass
class Node:
    """Head office's campaign node: a store enrolled under CAMPAIGN_NODE, synced by the test (``sync()``)."""

    store: Store
    worker: SyncWorker

    def sync(self) -> None:
        self.worker.run_cycle()

    def close(self) -> None:
        self.worker.client.close()
        self.store.close()


def open_node(directory: Path, ho: HeadOfficeStore, url: str) -> Node:
    """A fresh store enrolled as head office's campaign node, as ``main.py campaign-node`` enrols it."""
    from main import build_worker

    store = open_store(directory / f"node-{new_id()[-6:]}.sqlite")
    enroll_store(store, url, ho.issue_node_code().code)
    worker = build_worker(store)
    assert worker is not None
    return Node(store, worker)
