"""Head office's limits over real HTTP: a body past the configured size is refused with 413 (declared or
streamed), and a branch or an address asking too often gets 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.client import HeadOfficeClient, SyncFailure, enroll
from sync.headoffice.app import create_app
from sync.headoffice.guard import Nonces, RequestLimits
from sync.headoffice.store import HeadOfficeStore
from sync.protocol import IDEMPOTENCY_HEADER
from tests.faults.support import ServerThread
from tests.integration.test_headoffice_hostile import HISTORY, push_body


def serve(tmp_path: Path, limits: RequestLimits) -> tuple[HeadOfficeStore, ServerThread]:
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    server = ServerThread(store)
    server.server.config.app = create_app(store, limits)
    return store, server.start()


@pytest.fixture
def small(tmp_path: Path) -> Iterator[tuple[HeadOfficeStore, ServerThread, HeadOfficeClient]]:
    store, server = serve(tmp_path, RequestLimits(max_push_bytes=20_000, max_body_bytes=2_000))
    branch = enroll(server.url, store.issue_code().code, None)
    client = HeadOfficeClient(server.url, branch.branch_id, branch.secret)
    yield store, server, client
    client.close()
    server.stop()
    store.close()


def test_a_push_past_the_configured_size_is_refused_with_413(small) -> None:  # type: ignore[no-untyped-def]
    store, _server, client = small
    big = push_body(client.branch_id, b'{"id":"r1","note":"%s"}' % (b"x" * 30_000))
    with pytest.raises(SyncFailure) as refused:
        client._send("POST", "/v1/push", body=big, headers={IDEMPOTENCY_HEADER: "k"})
    assert refused.value.status == 413
    assert "20000 bytes" in refused.value.detail
    assert store.head() == 0
    fits = push_body(
        client.branch_id,
        HISTORY.replace(b"@B@", client.branch_id.encode()) % (b'"updated"', b'{"note":"%s"}' % (b"x" * 10_000)),
    )
    assert client._send("POST", "/v1/push", body=fits, headers={IDEMPOTENCY_HEADER: "k2"}).status_code == 200


def test_a_streamed_body_is_cut_off_at_the_limit(small) -> None:  # type: ignore[no-untyped-def]
    _store, server, _client = small

    def chunks() -> Iterator[bytes]:  # no Content-Length: head office can only count as it reads
        yield from (b"x" * 10_000 for _ in range(100))

    answer = httpx.post(server.url + "/v1/enroll", content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert "2000 bytes" in answer.json()["detail"]


def test_a_branch_asking_too_often_gets_429_with_retry_after(tmp_path: Path) -> None:
    store, server = serve(tmp_path, RequestLimits(branch_rate=0.2, branch_burst=3))
    branch = enroll(server.url, store.issue_code().code, None)
    client = HeadOfficeClient(server.url, branch.branch_id, branch.secret)
    try:
        for _ in range(3):
            client.pull(0, 10)
        with pytest.raises(SyncFailure) as refused:
            client.pull(0, 10)
        assert refused.value.status == 429
        other = enroll(server.url, store.issue_code().code, None)  # another branch is not held back
        assert HeadOfficeClient(server.url, other.branch_id, other.secret).pull(0, 10)[0].head == 0
        raw = httpx.get(server.url + "/v1/pull", params={"since": 0})
        assert raw.status_code == 422  # unsigned: refused before any bucket is spent
    finally:
        client.close()
        server.stop()
        store.close()


def test_an_address_asking_too_often_gets_429_on_every_endpoint(tmp_path: Path) -> None:
    store, server = serve(tmp_path, RequestLimits(address_rate=0.2, address_burst=4))
    try:
        answers = [httpx.get(server.url + "/v1/health") for _ in range(4)]
        assert [a.status_code for a in answers] == [200] * 4
        refused = httpx.post(server.url + "/v1/enroll", json={"code": "x"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
    finally:
        server.stop()
        store.close()


def test_nonces_are_forgotten_after_their_window_and_never_while_in_it() -> None:
    now = [1000.0]
    nonces = Nonces(max_kept=2, clock=lambda: now[0])
    assert nonces.first_use("b", "n1", until=1300) is True
    assert nonces.first_use("b", "n1", until=1300) is False
    assert nonces.first_use("b", "n2", until=1300) is True
    assert nonces.first_use("b", "n3", until=1300) is None  # full of live nonces: busy, not forgetful
    now[0] = 1301
    assert nonces.first_use("b", "n3", until=1600) is True
    assert nonces.first_use("b", "n1", until=1600) is True  # its timestamp is refused as stale by then anyway
