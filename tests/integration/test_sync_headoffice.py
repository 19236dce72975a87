"""Head office over real HTTP on loopback: its OpenAPI document, enrolment, signatures, admin, the worker
thread, the enrol command, and where the branch keeps its secret."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.offline.allowances import LinkState, SyncProblem, SyncStatus
from storage.db import open_store
from sync.client import HeadOfficeClient, SyncFailure, enroll
from sync.credentials import CredentialStore
from sync.headoffice.openapi_doc import DOCUMENT, render
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.protocol import Allowance
from tests.faults.support import ROOT, ServerProcess, ServerThread, branch_file, chain, chain_template


@pytest.fixture
def headoffice(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}", HeadOfficeConfig(admin_token="letmein"))
    server = ServerThread(store).start()
    yield store, server
    server.stop()
    store.close()


def test_openapi_document_in_the_repo_is_what_the_app_serves(headoffice) -> None:  # type: ignore[no-untyped-def]
    _store, server = headoffice
    served = httpx.get(server.url + "/openapi.json").json()
    assert render(served) == DOCUMENT.read_text(encoding="utf-8"), (
        "sync/openapi.json is stale: run python -m sync.headoffice.openapi_doc"
    )
    assert {"/v1/push", "/v1/pull", "/v1/snapshot", "/v1/enroll", "/v1/authorize"} <= set(served["paths"])


def test_enrolment_code_works_once_and_requests_are_signed(headoffice) -> None:  # type: ignore[no-untyped-def]
    store, server = headoffice
    code = store.issue_code().code
    result = enroll(server.url, code, None)
    assert result.branch_id and len(result.secret) >= 32
    with pytest.raises(SyncFailure) as again:
        enroll(server.url, code, None)
    assert again.value.problem == SyncProblem.CREDENTIALS
    good = HeadOfficeClient(server.url, result.branch_id, result.secret)
    assert good.pull(0, 10)[0].head == 0
    for client in (
        HeadOfficeClient(server.url, result.branch_id, "wrong"),
        HeadOfficeClient(server.url, "someone-else", result.secret),
    ):
        with pytest.raises(SyncFailure) as refused:
            client.pull(0, 10)
        assert refused.value.status == 401
    unsigned = httpx.get(server.url + "/v1/pull", params={"since": 0})
    assert unsigned.status_code == 422  # the signature headers are required
    good.close()


def one_change(branch_id: str, event_id: str, row_id: str = "r1") -> dict[str, object]:
    """The first change-log row of a branch, as its worker pushes it."""
    return {
        "branch_seq": 1,
        "event_id": event_id,
        "branch_id": branch_id,
        "entity": "customer_history",
        "row_id": row_id,
        "op": "insert",
        "payload": {
            "id": row_id,
            "branch_id": branch_id,
            "created_at": "2026-01-01T00:00:00+00:00",
            "customer_id": "c1",
            "staff_id": None,
            "action": "updated",
            "changes": {},
        },
        "hlc": "000000000000001.00000.t",
        "staff_id": None,
        "created_at": "2026-01-01T00:00:00+00:00",
    }


def test_a_branch_pushes_only_as_itself(headoffice) -> None:  # type: ignore[no-untyped-def]
    store, server = headoffice
    mine = enroll(server.url, store.issue_code().code, None)
    other = enroll(server.url, store.issue_code().code, None)
    client = HeadOfficeClient(server.url, mine.branch_id, mine.secret)
    with pytest.raises(SyncFailure) as refused:
        client.push([one_change(other.branch_id, "01900000-0000-7000-8000-000000000001")], "k")
    assert refused.value.status == 403
    assert store.head() == 0
    client.close()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("branch_seq", 0),
        ("op", "delete"),
        ("payload", "not an object"),
        ("hlc", None),
        ("hlc", "yesterday.at.noon"),
        ("event_id", 7),
    ],
)
def test_a_malformed_push_is_refused_with_422_and_applies_nothing(headoffice, field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    store, server = headoffice
    mine = enroll(server.url, store.issue_code().code, None)
    client = HeadOfficeClient(server.url, mine.branch_id, mine.secret)
    change = one_change(mine.branch_id, "01900000-0000-7000-8000-000000000002")
    with pytest.raises(SyncFailure) as refused:
        client.push([{**change, field: value}], "k-bad")
    assert refused.value.status == 422
    assert field in refused.value.detail
    assert store.head() == 0
    assert client.push([change], "k-good").acked_seq == 1  # the well-formed batch still goes through
    client.close()


def test_an_event_already_held_under_another_seq_is_a_conflict_anywhere_in_a_batch(headoffice) -> None:  # type: ignore[no-untyped-def]
    store, server = headoffice
    mine = enroll(server.url, store.issue_code().code, None)
    client = HeadOfficeClient(server.url, mine.branch_id, mine.secret)

    def change(seq: int, event: int) -> dict[str, object]:
        return {
            **one_change(mine.branch_id, f"01900000-0000-7000-8000-{event:012d}", f"r{seq}"),
            "branch_seq": seq,
        }

    assert client.push([change(seq, seq) for seq in range(1, 601)], "k-1").acked_seq == 600
    replayed = [change(seq, seq) for seq in range(601, 1201)]
    replayed[550] = change(1151, 7)  # far past the first look-up chunk: event 7 is held under seq 7
    with pytest.raises(SyncFailure) as refused:
        client.push(replayed, "k-2")
    assert refused.value.status == 409
    assert store.head() == 600
    client.close()


def test_admin_grants_allowances_and_lists_exceptions(headoffice) -> None:  # type: ignore[no-untyped-def]
    store, server = headoffice
    branch = enroll(server.url, store.issue_code().code, None)
    admin = {"Authorization": "Bearer letmein"}
    grant = {
        "allowances": [
            {
                "kind": "gift_card",
                "per_subject_cap": 5000,
                "branch_total": 20000,
                "max_offline_hours": 8,
                "max_snapshot_age_hours": 12,
                "granted_at": "2026-11-25T08:00:00Z",
            }
        ]
    }
    assert httpx.put(f"{server.url}/v1/admin/branches/{branch.branch_id}/allowances", json=grant).status_code == 401
    answer = httpx.put(f"{server.url}/v1/admin/branches/{branch.branch_id}/allowances", json=grant, headers=admin)
    assert answer.status_code == 200
    granted = {a["kind"]: a for a in answer.json()["allowances"]}
    assert granted["gift_card"]["per_subject_cap"] == 5000 and granted["points"]["per_subject_cap"] == 0
    code = httpx.post(f"{server.url}/v1/admin/enrollment-codes", json={}, headers=admin).json()["code"]
    assert enroll(server.url, code, None).branch_id
    assert httpx.get(f"{server.url}/v1/admin/exceptions", headers=admin).json() == []
    client = HeadOfficeClient(server.url, branch.branch_id, branch.secret)
    assert [a.kind for a in client.pull(0, 1)[0].allowances] == ["gift_card", "points"]
    client.close()
    assert isinstance(Allowance.model_validate(granted["gift_card"]), Allowance)


def test_worker_thread_backs_off_offline_and_syncs_when_head_office_returns(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",), proxies=True) as (_ho, _server, (a,)):
        states: list[SyncStatus] = []
        a.worker.subscribe(states.append)
        a.proxy.partitioned = True  # type: ignore[union-attr]
        a.worker.start()
        deadline = time.monotonic() + 10
        while a.worker.failures < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert a.worker.is_offline() and a.worker.status().problem == SyncProblem.UNREACHABLE
        a.new_customer("Fatima", "+971509998877")
        a.proxy.partitioned = False  # type: ignore[union-attr]
        a.worker.sync_now()
        deadline = time.monotonic() + 10
        while (a.replica.unsynced() or a.worker.link_state() != LinkState.ONLINE) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert a.replica.unsynced() == 0 and a.worker.status().problem is None
        assert a.worker.status().last_success_at is not None
        a.worker.stop()
        assert {LinkState.OFFLINE, LinkState.ONLINE} <= {s.state for s in states}


def test_enrol_command_and_secret_file_fallback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    office = ServerProcess(db)
    code = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "headoffice", "--db", db, "--issue-code"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    office.start()
    try:
        path = branch_file(chain_template(tmp_path), tmp_path / "branch.sqlite", "DXB2")
        env = {**os.environ, "PERFUME_OUD_NO_KEYRING": "1"}
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "--db",
                str(path),
                "enroll",
                "--headoffice",
                office.url,
                "--code",
                code,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert "no OS keyring" in done.stderr
        secret_file = CredentialStore(path).file
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
        store = open_store(path)
        assert store.settings["headoffice_url"] == office.url
        from main import build_worker

        worker = build_worker(store)
        assert worker is not None and worker.status().secret_in_file
        worker.run_cycle()
        assert worker.link_state() == LinkState.ONLINE
        worker.client.close()
        store.close()
    finally:
        office.stop()
    assert secret_file.read_text().split()[0] == store.branch_id
