"""A hostile enrolled branch (or someone who captured its traffic) against a real head office on loopback: a body
is not read before the branch is authenticated, signed requests that once crashed head office are refused with
a 4xx naming the problem, and a captured request cannot be replayed, now or later."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from sync.client import HeadOfficeClient, enroll
from sync.headoffice.app import create_app
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.protocol import IDEMPOTENCY_HEADER
from tests.faults.support import ServerThread

EVENT = "01900000-0000-7000-8000-000000000001"


class Recording(httpx.HTTPTransport):
    """Keeps every request the branch sends, as someone on the wire would."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        return super().handle_request(request)


class Office:
    def __init__(self, tmp_path: Path) -> None:
        self.offset_ms = 0  # how far head office's clock is moved on from the real one
        self.store = HeadOfficeStore(
            f"sqlite:///{tmp_path / 'ho.sqlite'}",
            HeadOfficeConfig(admin_token="letmein"),
            wall_ms=lambda: time.time_ns() // 1_000_000 + self.offset_ms,
        )
        self.server = ServerThread(self.store).start()
        self.url = self.server.url
        self.wire = Recording()
        branch = enroll(self.url, self.store.issue_code().code, None)
        self.branch_id = branch.branch_id
        self.client = HeadOfficeClient(self.url, branch.branch_id, branch.secret, transport=self.wire)

    def close(self) -> None:
        self.client.close()
        self.server.stop()
        self.store.close()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    chain = Office(tmp_path)
    yield chain
    chain.close()


def push_body(branch_id: str, payload: bytes, entity: str = "customer_history", **envelope: Any) -> bytes:
    change = {
        "branch_seq": 1,
        "event_id": EVENT,
        "branch_id": branch_id,
        "entity": entity,
        "row_id": "r1",
        "op": "insert",
        "payload": "@payload@",
        "hlc": "000000000000001.00000.t",
        "staff_id": None,
        "created_at": "2026-01-01T00:00:00+00:00",
        **envelope,
    }
    return orjson.dumps({"branch_id": branch_id, "changes": [change]}).replace(b'"@payload@"', payload)


# Complete rows, so that what is refused is the one thing each case breaks. ``@B@`` is the pushing branch.
HISTORY = (
    b'{"id":"r1","branch_id":"@B@","created_at":"2026-01-01T00:00:00+00:00","customer_id":"c1",'
    b'"staff_id":null,"action":%s,"changes":%s}'
)
FINE = HISTORY % (b'"updated"', b"{}")


def nested(depth: int) -> bytes:
    return HISTORY % (b'"updated"', b"[" * depth + b"]" * depth)


CARD = (
    b'{"id":"r1","branch_id":"@B@","created_at":"2026-01-01T00:00:00+00:00","card_id":"c1","kind":"issue",'
    b'"amount_fils":%s}'
)


@pytest.mark.parametrize(
    ("entity", "payload", "envelope", "named"),
    [
        ("customer_history", HISTORY % (b'"\xff"', b"{}"), {}, "UTF-8"),
        ("customer_history", nested(1000), {}, "deeper"),
        ("customer_history", nested(300), {}, "deeper"),
        ("customer_history", nested(40), {}, "deeper"),
        ("customer_history", FINE, {"branch_seq": 2**64 - 1}, "branch_seq"),
        ("gift_card_transactions", CARD % b"1.2e29", {}, "out of range"),
        ("gift_card_transactions", CARD % b"120000000000000000000000000000", {}, "out of range"),
        ("gift_card_transactions", CARD % b'"abc"', {}, "amount_fils"),
        ("gift_card_transactions", CARD.replace(b'"card_id":"c1",', b"") % b"100", {}, "card_id"),
    ],
    ids=[
        "0xff",
        "depth-1000",
        "depth-300",
        "depth-40",
        "seq-2^64-1",
        "fils-1.2e29",
        "fils-30-digits",
        "fils-abc",
        "no-card",
    ],
)
def test_a_signed_push_that_once_crashed_head_office_is_refused_naming_why(
    office: Office, entity: str, payload: bytes, envelope: dict[str, Any], named: str
) -> None:
    body = push_body(office.branch_id, payload.replace(b"@B@", office.branch_id.encode()), entity, **envelope)
    with pytest.raises(Exception) as refused:
        office.client._send("POST", "/v1/push", body=body, headers={IDEMPOTENCY_HEADER: "k"})
    status = getattr(refused.value, "status", None)
    assert status is not None and 400 <= status < 500, refused.value
    assert named in str(refused.value)
    assert office.store.head() == 0
    fine = push_body(office.branch_id, FINE.replace(b"@B@", office.branch_id.encode()))
    assert office.client._send("POST", "/v1/push", body=fine, headers={IDEMPOTENCY_HEADER: "k2"}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "named"),
    [
        ("GET", "/v1/pull", {"since": 10**23}, b"", "since"),
        ("GET", "/v1/pull", {"since": 0, "exceptions_after": 2**63}, b"", "exceptions_after"),
        ("GET", "/v1/exceptions", {"after": 10**23}, b"", "after"),
        ("GET", "/v1/snapshot", {"entity": "gift_cards", "after": "seq:abc"}, b"", "after"),
        ("GET", "/v1/snapshot", {"entity": "gift_cards", "after": "seq:" + "9" * 30}, b"", "after"),
        (
            "POST",
            "/v1/authorize",
            None,
            b'{"kind":"gift_card","subject_id":"c","amount":%d,"hold_id":"h"}' % 2**64,
            "amount",
        ),
        ("POST", "/v1/authorize", None, b'{"kind":"gift_card","subject_id":"\xff","amount":1,"hold_id":"h"}', "UTF-8"),
    ],
    ids=[
        "pull-since",
        "pull-exceptions-after",
        "exceptions-after",
        "snapshot-seq-abc",
        "snapshot-seq-huge",
        "authorize-2^64",
        "authorize-0xff",
    ],
)
def test_signed_requests_out_of_range_are_refused_with_a_4xx_naming_the_field(
    office: Office, method: str, path: str, params: dict[str, Any] | None, body: bytes, named: str
) -> None:
    with pytest.raises(Exception) as refused:
        office.client._send(method, path, params=params, body=body)
    status = getattr(refused.value, "status", None)
    assert status is not None and 400 <= status < 500, refused.value
    assert named in str(refused.value)


def test_admin_numbers_beyond_an_sql_integer_are_refused(office: Office) -> None:
    grant = (
        b'{"allowances":[{"kind":"gift_card","per_subject_cap":%d,"branch_total":1,"max_offline_hours":1e400,'
        b'"max_snapshot_age_hours":1,"granted_at":"2026-11-25T08:00:00Z"}]}' % 2**64
    )
    answer = httpx.put(
        f"{office.url}/v1/admin/branches/{office.branch_id}/allowances",
        content=grant,
        headers={"Authorization": "Bearer letmein", "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert "per_subject_cap" in answer.text and "max_offline_hours" in answer.text


def test_an_unknown_branch_is_refused_before_its_body_is_read(tmp_path: Path) -> None:
    """The 50 MB push with a made-up branch id: head office answers from the headers, reading nothing."""
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    app = create_app(store)
    pulled: list[int] = []

    async def receive() -> dict[str, Any]:
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 1_000_000, "more_body": len(pulled) < 50}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = {
        "x-branch-id": "made-up",
        "x-timestamp": str(int(store.now().timestamp())),
        "x-nonce": "n" * 22,
        "x-content-sha256": "0" * 64,
        "x-signature": "0" * 64,
        "idempotency-key": "k",
        "content-type": "application/json",
        "transfer-encoding": "chunked",
    }
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/push",
        "raw_path": b"/v1/push",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8800),
    }
    asyncio.run(app(scope, receive, send))
    store.close()
    assert sent[0]["status"] == 401
    assert pulled == []


def test_a_captured_request_replayed_is_refused(office: Office) -> None:
    page, _changes = office.client.pull(0, 10)
    assert page.head == 0
    captured = office.wire.sent[-1]
    again = httpx.request(captured.method, str(captured.url), headers=captured.headers, content=captured.content)
    assert again.status_code == 401
    assert "replayed" in again.json()["detail"]


def test_a_captured_request_sent_later_is_refused_as_stale(office: Office) -> None:
    office.client.pull(0, 10)
    captured = office.wire.sent[-1]
    office.offset_ms = 10 * 60 * 1000  # ten minutes on: the nonce may be forgotten, the timestamp is too old
    later = httpx.request(captured.method, str(captured.url), headers=captured.headers, content=captured.content)
    assert later.status_code == 401
    assert "stale" in later.json()["detail"]


def test_a_branch_whose_clock_is_wrong_still_syncs(office: Office) -> None:
    office.offset_ms = 2 * 24 * 3600 * 1000  # head office is two days ahead of the till (or the till behind)
    page, _changes = office.client.pull(0, 10)
    assert page.head == 0
    assert abs(office.client.clock_offset_s - 2 * 24 * 3600) <= 2
    body = push_body(office.branch_id, FINE.replace(b"@B@", office.branch_id.encode()))
    assert office.client._send("POST", "/v1/push", body=body, headers={IDEMPOTENCY_HEADER: "k"}).status_code == 200
    assert office.store.head() == 1


def test_admin_requests_the_fuzzer_found_crashing_are_refused(office: Office) -> None:
    admin = {"Authorization": "Bearer letmein"}
    first = httpx.post(f"{office.url}/v1/admin/enrollment-codes", json={"code": "SAME"}, headers=admin)
    assert first.status_code == 200
    again = httpx.post(f"{office.url}/v1/admin/enrollment-codes", json={"code": "SAME"}, headers=admin)
    assert again.status_code == 409 and "exists" in again.json()["detail"]
    before_year_one = {
        "allowances": [
            {
                "kind": "points",
                "per_subject_cap": 1,
                "branch_total": 1,
                "max_offline_hours": 1,
                "max_snapshot_age_hours": 1,
                "granted_at": "0001-01-01T00:00:00+23:59",
            }
        ]
    }
    answer = httpx.put(
        f"{office.url}/v1/admin/branches/{office.branch_id}/allowances", json=before_year_one, headers=admin
    )
    assert answer.status_code == 422 and "granted_at" in answer.text
