"""DESIGN.md fault 16: a branch enrolled before another branch or staff member exists keeps syncing and learns
them. Branches and staff are decided at head office and pulled like any register; a pulled row whose branch
is not known yet never stops the feed; a branch cannot create or alter staff through push."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from core.kernel.ids import new_id
from core.staff.auth import Actor, Role, hash_pin
from main import enroll_store
from storage.bootstrap import build_services
from storage.db import open_store
from storage.replica import SqlReplica
from sync.client import HeadOfficeClient, SyncFailure
from sync.credentials import CredentialStore
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.protocol import BranchRecord, StaffAccount
from sync.worker import SyncWorker
from tests.clock import TestClock
from tests.faults.support import Branch, chain, generous

PIN = "4826"


def new_till(tmp: Path, ho_url: str, code: str) -> Branch:
    """A till with an empty store, enrolled with ``code``: it knows nothing but what head office gives it."""
    store = open_store(tmp / f"new-{new_id()[-6:]}.sqlite")
    enroll_store(store, ho_url, code)
    secret = CredentialStore(store.path).load(store.branch_id)
    assert secret
    replica = SqlReplica(store)
    worker = SyncWorker(replica, HeadOfficeClient(ho_url, store.branch_id, secret), interval_s=0.2)
    services = build_services(store, TestClock(), link=worker)
    return Branch("NEW", store, services, replica, worker, Actor("", store.branch_id, Role.CASHIER, ""))


def test_16_a_branch_and_staff_that_come_later_reach_every_till(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",)) as (ho, server, (a,)):
        a.new_customer("Early", "+971501110000")
        a.sync()

        # Head office opens a branch nobody's store has heard of, and hires its cashier.
        fujairah = BranchRecord(
            id=new_id(), code="FUJ1", name_en="Fujairah City Centre", name_ar="الفجيرة", emirate="FU"
        )
        code = ho.issue_code(branch=fujairah).code
        cashier = StaffAccount(
            id=new_id(),
            branch_id=fujairah.id,
            username="fuj.cashier",
            name_en="Fatima",
            name_ar="فاطمة",
            role="cashier",
            pin_hash=hash_pin(PIN),
        )
        ho.put_staff(cashier)

        till = new_till(tmp_path, server.url, code)
        try:
            till.sync()
            staff = till.services.staff.staff_of_branch(fujairah.id)
            assert [s.username for s in staff] == ["fuj.cashier"], "a new till has somebody to sign in as"
            till.actor = till.services.staff.sign_in(cashier.id, PIN)
            customer = till.new_customer("Late", "+971501119999")
            till.sync()

            a.sync()  # the early till: the new branch's rows must not stop its feed
            assert a.customer(customer)["first_name_en"] == "Late"
            with a.store.read_engine.connect() as conn:
                name = conn.exec_driver_sql("SELECT name_en FROM branches WHERE id = ?", (fujairah.id,)).scalar()
            assert name == "Fujairah City Centre"

            # A DXB1 manager moves to Fujairah: head office decides, both tills learn it, he signs in there.
            manager = next(s for s in a.services.staff.staff_of_branch(a.store.branch_id) if s.role == Role.MANAGER)
            moved = StaffAccount(
                id=manager.id,
                branch_id=fujairah.id,
                username=manager.username,
                name_en=manager.name_en,
                name_ar=manager.name_ar,
                role="manager",
                pin_hash=hash_pin("7391"),
            )
            ho.put_staff(moved)
            till.sync()
            a.sync()
            assert manager.id in {s.id for s in till.services.staff.staff_of_branch(fujairah.id)}
            assert till.services.staff.sign_in(manager.id, "7391").role == Role.MANAGER
            assert manager.id not in {s.id for s in a.services.staff.staff_of_branch(a.store.branch_id)}
            assert a.replica.pull_cursor() == ho.head() and till.replica.pull_cursor() == ho.head()
        finally:
            till.close()


def test_16_a_row_of_a_branch_head_office_never_described_still_applies(tmp_path: Path) -> None:
    """A branch enrolled without its record (a code for a bare id): its rows reach the others all the same."""
    with chain(tmp_path, ("DXB1", "DXB2")) as (_ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        a.sync()
        unknown = new_id()
        with b.store.write_engine.begin() as conn:  # as if b's store had never heard of a's branch
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            conn.exec_driver_sql("UPDATE branches SET id = ? WHERE id = ?", (unknown, a.store.branch_id))
            conn.exec_driver_sql("UPDATE staff SET branch_id = ? WHERE branch_id = ?", (unknown, a.store.branch_id))
        b.sync()
        assert b.customer(customer)["first_name_en"] == "Hamad"
        assert b.replica.pull_cursor() > 0


def test_16_a_branch_cannot_push_staff_or_branches(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",)) as (ho, _server, (a,)):
        forged = {
            "branch_seq": 1,
            "event_id": new_id(),
            "branch_id": a.store.branch_id,
            "entity": "staff",
            "row_id": new_id(),
            "op": "insert",
            "payload": {"id": "x", "branch_id": a.store.branch_id, "username": "boss", "role": "admin"},
            "hlc": "001764700000000.00000.node",
            "created_at": "2026-12-03T07:30:00+00:00",
        }
        for entity in ("staff", "branches"):
            with pytest.raises(SyncFailure) as refused:
                a.worker.client.push([{**forged, "entity": entity}], f"forged-{entity}")
            assert refused.value.status in (403, 422)
        assert ho.merged_rows("staff") == {} and ho.acked_seq(a.store.branch_id) == 0


def test_16_staff_accounts_come_from_head_office_administration_as_pin_hashes_only(tmp_path: Path) -> None:
    config = HeadOfficeConfig(default_allowances=generous(), admin_token="t0ken")
    with chain(tmp_path, ("DXB1",), config=config) as (_ho, server, (a,)):
        admin = {"Authorization": "Bearer t0ken"}
        account = {
            "id": new_id(),
            "branch_id": a.store.branch_id,
            "username": "dxb1.weekend",
            "name_en": "Omar",
            "name_ar": "عمر",
            "role": "cashier",
        }
        url = f"{server.url}/v1/admin/staff/{account['id']}"
        assert httpx.put(url, json={**account, "pin_hash": PIN}, headers=admin).status_code == 422, "never a PIN"
        assert (
            httpx.put(
                url, json={**account, "branch_id": new_id(), "pin_hash": hash_pin(PIN)}, headers=admin
            ).status_code
            == 422
        )
        assert httpx.put(url, json={**account, "pin_hash": hash_pin(PIN)}).status_code == 401
        assert httpx.put(url, json={**account, "pin_hash": hash_pin(PIN)}, headers=admin).status_code == 200
        a.sync()
        assert a.services.staff.sign_in(account["id"], PIN).display_name == "Omar"


def test_16_branches_and_staff_replicate_from_a_postgres_head_office(tmp_path: Path, postgres: str) -> None:
    with chain(tmp_path, ("DXB1",), url=postgres) as (ho, _server, (a,)):
        a.sync()
        ajman = BranchRecord(id=new_id(), code="AJM1", name_en="Ajman", name_ar="عجمان", emirate="AJ")
        ho.put_branch(ajman)
        account = StaffAccount(
            id=new_id(),
            branch_id=ajman.id,
            username="ajm.cashier",
            name_en="Noura",
            name_ar="نورة",
            role="cashier",
            pin_hash=hash_pin(PIN),
        )
        ho.put_staff(account)
        ho.put_staff(account.model_copy(update={"name_en": "Noura A."}))
        a.sync()
        assert [s.name_en for s in a.services.staff.staff_of_branch(ajman.id)] == ["Noura A."]
        assert a.replica.epoch() is not None and a.replica.pull_cursor() == ho.head()


def test_16_branches_a_head_office_described_before_it_served_them_are_served(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.sqlite'}"
    older = HeadOfficeStore(url)
    sharjah = new_id()
    with older.writing() as (conn, _head):  # as an earlier head office kept a branch: its table only
        conn.exec_driver_sql(
            "INSERT INTO ho_branches (id, code, name_en, name_ar, emirate, location, acked_seq) "
            "VALUES (?, 'SHJ1', 'Sharjah', 'الشارقة', 'SH', '', 0)",
            (sharjah,),
        )
    older.close()
    for _ in range(2):  # started again, twice: served once
        store = HeadOfficeStore(url)
        assert store.merged_rows("branches")[sharjah]["name_en"] == "Sharjah"
        assert store.head() == 1
        store.close()
