"""DESIGN.md fault 15: three branches and head office under random drops, duplicates, delays, replays,
partitions and crashes (head office SIGKILLed, branches dying inside a sync step) converge; every ledger sum
holds; no acknowledged write is lost; the loss from offline overspends stays within the allowances granted."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.offline.allowances import DecreaseKind
from storage.schema import GiftCard, LoyaltyAccount
from sync.client import SyncFailure
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from tests.faults.proxy import RandomPlan
from tests.faults.support import Branch, ServerProcess, generous, grant, ids_of, open_branch

SEED = 1515
STEPS = 160
CAP, TOTAL = 4_000, 9_000
LEDGERS = ("gift_card_transactions", "loyalty_transactions", "customer_history")
REGISTERS = ("customers", "gift_cards", "loyalty_accounts")
CRASH_POINTS = ("ack", "pull-applied", "pull-cursor")


class Crash(Exception):
    """A branch dying inside a sync step (its transaction never commits)."""


@dataclass
class Ledgerbook:
    written: dict[str, set[str]] = field(default_factory=dict)  # branch code → ids of committed rows
    offline_approved: int = 0


def subjects(branch: Branch, model: type) -> list[str]:
    with branch.store.read_session() as s:
        return [row.id for row in s.query(model).all()]


def act(rng: random.Random, branch: Branch, book: Ledgerbook, step: int) -> None:
    roll = rng.random()
    ids = book.written.setdefault(branch.code, set())
    if roll < 0.2:
        ids.add(branch.new_customer(f"C{step}", f"+9715{step:02d}{rng.randrange(10**6):06d}"))
    elif roll < 0.35:
        customers = [c for c in ids if c in branch.registers("customers")] or list(branch.registers("customers"))
        if customers:
            field_name = rng.choice(["email", "area", "notes"])
            branch.edit_customer(rng.choice(customers), **{field_name: f"{field_name} {branch.code} {step}"})
    elif roll < 0.5:
        ids.add(branch.issue_card(rng.randrange(2_000, 9_000)))
    elif roll < 0.55:
        customers = list(branch.registers("customers"))
        if customers:
            ids.add(branch.open_points(rng.choice(customers), rng.randrange(500, 5_000)))
    else:
        kind = DecreaseKind.GIFT_CARD if roll < 0.85 else DecreaseKind.POINTS
        pool = subjects(branch, GiftCard if kind == DecreaseKind.GIFT_CARD else LoyaltyAccount)
        if not pool:
            return
        decision = branch.redeem(kind, rng.choice(pool), rng.randrange(1, 3_000))
        if decision.allowed:
            ids.add(decision.hold_id)
            if decision.pending:
                book.offline_approved += pending_amount(branch, decision.hold_id)
        assert branch.services.offline.pending_total(kind) <= TOTAL, "per-branch total per outage"


def pending_amount(branch: Branch, hold_id: str) -> int:
    with branch.store.read_engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT amount FROM offline_approvals WHERE hold_id = ?", (hold_id,)).scalar())


def try_sync(branch: Branch, rng: random.Random, crash_rate: float) -> None:
    if rng.random() < crash_rate:
        point = rng.choice(CRASH_POINTS)

        def die(at: str, _point: str = point) -> None:
            if at == _point:
                raise Crash(at)

        branch.replica.fault_point = die
    try:
        branch.sync()
    except (SyncFailure, Crash):
        pass
    finally:
        branch.replica.fault_point = None


def quiesce(branches: list[Branch], ho: HeadOfficeStore) -> None:
    for branch in branches:
        assert branch.proxy is not None
        branch.proxy.plan = None
        branch.proxy.partitioned = False
    for _ in range(30):
        for branch in branches:
            try:
                branch.sync()
            except SyncFailure:
                continue
        head = ho.head()
        if all(b.replica.unsynced() == 0 and b.replica.pull_cursor() == head for b in branches):
            return
    raise AssertionError("the chain did not settle")


@pytest.mark.heavy
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_15_three_branches_converge_under_random_faults(
    backend: str, tmp_path: Path, template: Path, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    if backend == "postgresql":
        url = request.getfixturevalue("postgres").replace("postgresql://", "postgresql+psycopg://")
    rng = random.Random(SEED)
    ho = HeadOfficeStore(url, HeadOfficeConfig(default_allowances=generous()))
    server = ServerProcess(url, extra=["--card-cap", str(CAP), "--card-total", str(TOTAL)]).start()
    branches = [
        open_branch(template, tmp_path, code, ho, server.url, upstream_port=server.port, seed=SEED + i)
        for i, code in enumerate(("DXB1", "DXB2", "AUH1"))
    ]
    book = Ledgerbook()
    down_until = -1
    kills = 0
    try:
        for branch in branches:
            for kind in ("gift_card", "points"):
                grant(ho, branch.store.branch_id, kind, cap=CAP, total=TOTAL)
            assert branch.proxy is not None
            branch.proxy.plan = RandomPlan(
                drop_request=0.06, drop_response=0.06, duplicate=0.06, delay=0.06, replay_later=0.04, max_delay_s=0.05
            )
            branch.sync()
        for step in range(STEPS):
            if step == down_until:
                server.start()
            elif down_until < step and rng.random() < 0.015:
                server.kill()  # SIGKILL, whatever it was doing
                kills += 1
                down_until = step + rng.randrange(3, 10)
            branch = rng.choice(branches)
            roll = rng.random()
            if roll < 0.55:
                act(rng, branch, book, step)
            elif roll < 0.9:
                try_sync(branch, rng, crash_rate=0.1)
            else:
                assert branch.proxy is not None
                branch.proxy.partitioned = not branch.proxy.partitioned
        if down_until >= STEPS or server.proc is None or server.proc.poll() is not None:
            server.start()
        quiesce(branches, ho)
        faults = sum((b.proxy.seen for b in branches if b.proxy), start=__import__("collections").Counter())
        print(f"faults: {dict(faults)} head-office kills: {kills} offline approved: {book.offline_approved}")
        assert kills and faults["drop_response"] and faults["duplicate"] and faults["replay_later"]

        first = branches[0]
        for other in branches[1:]:
            for table in LEDGERS:
                assert other.ledger(table) == first.ledger(table), f"{table} differs"
            for table in REGISTERS:
                assert other.registers(table) == first.registers(table), f"{table} differs"
        for table in LEDGERS:
            assert set(ho.merged_rows(table)) == ids_of(first.store, table)
        for kind, model in ((DecreaseKind.GIFT_CARD, GiftCard), (DecreaseKind.POINTS, LoyaltyAccount)):
            at_ho = ho.balances(kind.value)
            for subject in subjects(first, model):
                sums = {b.balance(kind, subject) for b in branches}
                assert sums == {at_ho.get(subject, 0)}, "every balance is its ledger's sum, everywhere"
        everywhere = set()
        for branch in branches:
            for table in (*LEDGERS, *REGISTERS):
                everywhere |= ids_of(branch.store, table)
        for code, ids in book.written.items():
            assert ids <= everywhere, f"acknowledged writes of {code} were lost"
        loss = sum(-v for kind in ("gift_card", "points") for v in ho.balances(kind).values() if v < 0)
        assert loss <= book.offline_approved, "only offline approvals can overspend, and only by what they took"
        assert all(b.services.offline.pending_total(k) == 0 for b in branches for k in ("gift_card", "points"))
    finally:
        for branch in branches:
            branch.close()
        server.stop()
        ho.close()
