"""Head office's provider webhooks over real HTTP on loopback, each request signed in the test as the provider
signs it: statuses reach the outbox (idempotent, out of order), and whatever is unsigned, wrongly signed,
replayed, malformed, too large or for a provider head office has no secret for is refused with a 4xx and
changes nothing."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select

from core.kernel.ids import new_id
from sync.headoffice.cli import add_arguments, limits_from
from sync.headoffice.guard import RequestLimits
from sync.headoffice.store import HeadOfficeStore, iso
from sync.headoffice.webhooks import GroupCommit
from sync.messaging.headoffice_outbox import HeadOfficeOutbox
from sync.messaging.headoffice_outbox import outbox as outbox_table
from tests import webhook_signing as w
from tests.clock import TestClock
from tests.faults.support import ServerThread


class HeadOffice:
    def __init__(self, store: HeadOfficeStore, server: ServerThread, clock: TestClock) -> None:
        self.store = store
        self.server = server
        self.clock = clock
        self.http = httpx.Client(base_url=server.url, timeout=10)

    def seconds(self, offset: float = 0) -> int:
        return int(self.clock.now().timestamp() + offset)

    def queued(self, channel: str = "whatsapp", provider_message_id: str | None = None) -> str:
        """A message a branch pushed, as head office keeps it (and, when given, the provider's id for it)."""
        message_id = new_id()
        row = {
            "id": message_id,
            "branch_id": "branch-1",
            "created_at": iso(self.clock.now()),
            "customer_id": None,
            "channel": channel,
            "direction": "outbound",
            "template_id": None,
            "recipient": "+971501234567" if channel != "email" else "hind@example.ae",
            "body": "Your receipt",
            "status": "queued",
            "attempts": 0,
            "deleted": False,
        }
        with self.store.writing() as (conn, head):
            self.store.set_head(conn, self.store.decide(conn, head, "communications", message_id, row))
        if provider_message_id:
            outbox = HeadOfficeOutbox(self.store)
            from core.messaging.outbox import accepted

            now = self.clock.now()
            outbox.update(message_id, lambda s: accepted(s, now, now, channel, provider_message_id, None), now)
        return message_id

    def message(self, message_id: str) -> dict[str, Any]:
        return self.store.merged_rows("communications")[message_id]

    def history(self, message_id: str) -> list[tuple[str, str]]:
        rows = self.store.merged_rows("communication_events").values()
        return sorted((r["status"], r["at"]) for r in rows if r["message_id"] == message_id)

    def head(self) -> int:
        return self.store.head()

    def whatsapp(self, body: bytes, secret: str = w.APP_SECRET, **headers: str) -> httpx.Response:
        return self.http.post(
            "/v1/webhooks/whatsapp", content=body, headers={**w.whatsapp_headers(body, secret), **headers}
        )


def serve(tmp_path: Path, name: str = "ho", **app: Any) -> Iterator[HeadOffice]:
    clock = TestClock()
    store = HeadOfficeStore(
        f"sqlite:///{tmp_path / (name + '.sqlite')}", wall_ms=lambda: int(clock.now().timestamp() * 1000)
    )
    server = ServerThread(store, **{"webhooks": w.secrets(), **app}).start()
    office = HeadOffice(store, server, clock)
    yield office
    office.http.close()
    server.stop()
    store.close()


@pytest.fixture
def ho(tmp_path: Path) -> Iterator[HeadOffice]:
    yield from serve(tmp_path)


# -- WhatsApp ----------------------------------------------------------------------------------------------------


def test_the_whatsapp_handshake_answers_the_challenge_only_to_our_token(ho: HeadOffice) -> None:
    ok = ho.http.get(
        "/v1/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": w.VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": w.VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ):
        assert ho.http.get("/v1/webhooks/whatsapp", params=params).status_code == 403
    markup = {"hub.mode": "subscribe", "hub.verify_token": w.VERIFY_TOKEN, "hub.challenge": "<script>"}
    assert ho.http.get("/v1/webhooks/whatsapp", params=markup).status_code == 422, "nothing but a token is echoed"


def test_statuses_out_of_order_keep_the_furthest_state_and_every_time_and_repeats_change_nothing(
    ho: HeadOffice,
) -> None:
    message_id = ho.queued()
    t = ho.seconds()
    read = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.A1", "read", t + 30, ours=message_id)])
    delivered = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.A1", "delivered", t + 20, ours=message_id)])
    sent = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.A1", "sent", t + 10, ours=message_id)])
    answers = [ho.whatsapp(body) for body in (read, delivered, sent)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["statuses"] for a in answers] == [1, 1, 1]
    assert all(float(a.headers["server-timing"].removeprefix("app;dur=")) > 0 for a in answers), "its own time"
    row = ho.message(message_id)
    assert row["status"] == "read", "delivered and sent came later but are not further"
    when = {name: row[name] for name in ("sent_at", "delivered_at", "read_at")}
    assert when == {
        "sent_at": iso(_at(t + 10)),
        "delivered_at": iso(_at(t + 20)),
        "read_at": iso(_at(t + 30)),
    }
    assert [s for s, _ in ho.history(message_id)] == ["delivered", "read", "sent"]
    head = ho.head()
    again = ho.whatsapp(delivered)
    assert again.status_code == 200 and again.json()["repeated"] == 1 and again.json()["statuses"] == 0
    assert ho.head() == head, "the same webhook twice changes nothing"


def test_a_status_naming_the_providers_id_only_finds_its_message(ho: HeadOffice) -> None:
    message_id = ho.queued(provider_message_id="wamid.B2")
    body = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.B2", "delivered", ho.seconds(5))])
    assert ho.whatsapp(body).json()["statuses"] == 1
    assert ho.message(message_id)["status"] == "delivered"


def test_a_failed_status_records_the_providers_code(ho: HeadOffice) -> None:
    message_id = ho.queued(provider_message_id="wamid.C3")
    body = w.whatsapp_body(
        statuses=[w.whatsapp_status("wamid.C3", "failed", ho.seconds(5), ours=message_id, error=131026)]
    )
    assert ho.whatsapp(body).status_code == 200
    row = ho.message(message_id)
    assert row["status"] == "dead" and row["last_error"].startswith("131026")


def test_an_unknown_message_is_logged_and_answered_200(ho: HeadOffice, caplog: pytest.LogCaptureFixture) -> None:
    head = ho.head()
    body = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.nobody", "delivered", ho.seconds(), ours=new_id())])
    with caplog.at_level(logging.WARNING):
        answer = ho.whatsapp(body)
    assert answer.status_code == 200 and answer.json()["unknown"] == 1
    assert "names no message" in caplog.text
    assert ho.head() == head


@pytest.mark.parametrize(
    "mangle",
    ["unsigned", "other secret", "body changed", "signature of another body", "not hex"],
)
def test_a_whatsapp_webhook_not_signed_with_our_secret_is_refused_and_changes_nothing(
    ho: HeadOffice, mangle: str
) -> None:
    message_id = ho.queued()
    body = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.D4", "delivered", ho.seconds(), ours=message_id)])
    headers = w.whatsapp_headers(body)
    if mangle == "unsigned":
        del headers["X-Hub-Signature-256"]
    elif mangle == "other secret":
        headers = w.whatsapp_headers(body, "not-the-app-secret")
    elif mangle == "body changed":
        body = body.replace(b"delivered", b"read")
    elif mangle == "signature of another body":
        headers = w.whatsapp_headers(body + b" ")
    else:
        headers["X-Hub-Signature-256"] = "sha256=zz"
    head = ho.head()
    answer = ho.http.post("/v1/webhooks/whatsapp", content=body, headers=headers)
    assert answer.status_code == 401
    assert ho.head() == head and ho.message(message_id)["status"] == "queued"


WABA = b'{"object": "whatsapp_business_account", "entry": '


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        WABA + b'[{"changes": [{"value": {"statuses": [{"status": "sent"}]}}]}]}',
        b"\xff\xfe",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": 5}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": 7}]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"statuses": [3]}}]}]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"statuses": [{"id": "'
        + b"x" * 200
        + b'", "status": "sent"}]}}]}]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"messages": [{"from": "1"}]}}]}]}',
    ],
)
def test_a_signed_body_that_is_not_a_whatsapp_webhook_is_400(ho: HeadOffice, body: bytes) -> None:
    head = ho.head()
    answer = ho.whatsapp(body)
    assert answer.status_code == 400, answer.text
    assert ho.head() == head


def test_a_provider_without_its_secret_accepts_nothing(tmp_path: Path) -> None:
    bare = w.secrets(
        whatsapp_verify_token=None,
        whatsapp_app_secret=None,
        twilio_auth_token=None,
        unifonic_token=None,
        sendgrid_key=None,
    )
    for office in serve(tmp_path, webhooks=bare):
        body = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.E5", "delivered", office.seconds())])
        answers = {
            "handshake": office.http.get(
                "/v1/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
            ),
            "whatsapp": office.whatsapp(body),
            "twilio": office.http.post("/v1/webhooks/twilio/status", content=b"MessageSid=SM1&MessageStatus=sent"),
            "unifonic": office.http.post(
                "/v1/webhooks/unifonic", params={"token": ""}, content=b"MessageID=1&DLR=Delivered"
            ),
            "sendgrid": office.http.post("/v1/webhooks/sendgrid", content=b"[]"),
        }
        for name, answer in answers.items():
            assert answer.status_code == 403, name
            assert "not configured" in answer.json()["detail"], name


def test_a_webhook_body_past_the_limit_is_413(tmp_path: Path) -> None:
    for office in serve(tmp_path, limits=RequestLimits(max_webhook_bytes=4096)):
        body = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.F6", "sent", office.seconds())] * 60)
        assert len(body) > 4096
        assert office.whatsapp(body).status_code == 413


def test_statuses_past_the_queue_bound_are_503_and_the_waiting_ones_are_written_once_the_store_frees(
    tmp_path: Path,
) -> None:
    for office in serve(tmp_path, limits=RequestLimits(webhook_queue=1)):
        messages = [office.queued() for _ in range(6)]
        t = office.seconds()
        bodies = [
            w.whatsapp_body(statuses=[w.whatsapp_status(f"wamid.Q{n}", "delivered", t, ours=m)])
            for n, m in enumerate(messages)
        ]
        # Another writer holds SQLite's write lock: the first status is taken into a batch that waits for it,
        # the next one waits in the queue, and the queue (one) is full for the rest.
        group = office.server.server.config.app.state.webhooks.outbox
        holder = sqlite3.connect(tmp_path / "ho.sqlite", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with httpx.Client(base_url=office.server.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:

            def post(body: bytes) -> httpx.Response:
                return http.post("/v1/webhooks/whatsapp", content=body, headers=w.whatsapp_headers(body))

            first = pool.submit(post, bodies[0])
            wait_for_backlog(group, (0, 1))
            second = pool.submit(post, bodies[1])
            wait_for_backlog(group, (1, 1))
            refused = [post(body) for body in bodies[2:]]
            holder.execute("ROLLBACK")
            answers = dict(enumerate([first.result(), second.result(), *refused]))
        holder.close()
        assert sorted(a.status_code for a in answers.values()) == [200, 200, 503, 503, 503, 503]
        assert all(a.headers["retry-after"] == "1" for a in answers.values() if a.status_code == 503)
        for n, message_id in enumerate(messages):
            delivered = office.message(message_id).get("delivered_at") is not None
            assert delivered == (answers[n].status_code == 200), "written when answered 200, and only then"


def wait_for_backlog(group: GroupCommit, expected: tuple[int, int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while group.backlog != expected:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_the_webhook_limits_come_from_the_command_line(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--max-webhook-bytes", "4096", "--webhook-rate", "1", "--webhook-queue", "7"])
    limits = limits_from(args)
    assert limits.webhook_queue == 7
    for office in serve(tmp_path, limits=limits):
        big = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.F7", "sent", office.seconds())] * 60)
        assert office.whatsapp(big).status_code == 413
        small = w.whatsapp_body(statuses=[w.whatsapp_status("wamid.F8", "sent", office.seconds(), ours=new_id())])
        codes = [office.whatsapp(small).status_code for _ in range(12)]
        assert codes[:9] == [200] * 9 and codes[-1] == 429, "a burst of ten, then one a second"


# -- Twilio ------------------------------------------------------------------------------------------------------


def test_twilio_status_is_checked_against_the_public_url_and_finds_our_ref(ho: HeadOffice) -> None:
    message_id = ho.queued(channel="sms")
    path = f"/v1/webhooks/twilio/status?ref={message_id}"
    params = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered", "To": "+971501234567", "AccountSid": "AC1"}
    # Signed as Twilio signs it: for the URL it called, the public one in front of the reverse proxy.
    as_seen_here = ho.http.post(path, content=w.form(params), headers=w.twilio_headers(ho.server.url + path, params))
    assert as_seen_here.status_code == 401 and ho.message(message_id)["status"] == "queued"
    answer = ho.http.post(path, content=w.form(params), headers=w.twilio_headers(w.PUBLIC_URL + path, params))
    assert answer.status_code == 200 and answer.json()["statuses"] == 1
    assert ho.message(message_id)["status"] == "delivered"
    tampered = {**params, "MessageStatus": "failed"}
    refused = ho.http.post(path, content=w.form(tampered), headers=w.twilio_headers(w.PUBLIC_URL + path, params))
    assert refused.status_code == 401 and ho.message(message_id)["status"] == "delivered"
    other = f"/v1/webhooks/twilio/status?ref={new_id()}"
    moved = ho.http.post(other, content=w.form(params), headers=w.twilio_headers(w.PUBLIC_URL + path, params))
    assert moved.status_code == 401, "the ref is part of what is signed"


def test_twilio_malformed_form_is_400(ho: HeadOffice) -> None:
    path = "/v1/webhooks/twilio/status"
    for params in ({"MessageStatus": "sent"}, {"MessageSid": "SM1"}):
        answer = ho.http.post(path, content=w.form(params), headers=w.twilio_headers(w.PUBLIC_URL + path, params))
        assert answer.status_code == 400
    raw = b"\xff=\xfe"
    answer = ho.http.post(path, content=raw, headers={"X-Twilio-Signature": "x"})
    assert answer.status_code == 400


# -- Unifonic ----------------------------------------------------------------------------------------------------


def test_unifonic_reports_need_our_token_and_come_as_form_or_json(ho: HeadOffice) -> None:
    first, second = ho.queued(channel="sms"), ho.queued(channel="sms")
    report = {"MessageID": "UNI-1", "DLR": "Delivered", "Recipient": "971501234567", "CorrelationID": first}
    for token in (None, "wrong"):
        params = {"token": token} if token else {}
        answer = ho.http.post("/v1/webhooks/unifonic", params=params, data=report)
        assert answer.status_code == 401
    assert ho.message(first)["status"] == "queued"
    ok = ho.http.post("/v1/webhooks/unifonic", params={"token": w.UNIFONIC_TOKEN}, data=report)
    assert ok.status_code == 200 and ho.message(first)["status"] == "delivered"
    as_json = {**report, "MessageID": "UNI-2", "CorrelationID": second, "DLR": "Undeliverable"}
    ok = ho.http.post("/v1/webhooks/unifonic", params={"token": w.UNIFONIC_TOKEN}, json=as_json)
    assert ok.status_code == 200 and ho.message(second)["status"] == "dead"
    bad = ho.http.post(
        "/v1/webhooks/unifonic",
        params={"token": w.UNIFONIC_TOKEN},
        content=b"[1]",
        headers={"content-type": "application/json"},
    )
    assert bad.status_code == 400


# -- SendGrid ----------------------------------------------------------------------------------------------------


def _email_event(kind: str, message_id: str, at: int, **extra: Any) -> dict[str, Any]:
    return {
        "email": "hind@example.ae",
        "timestamp": at,
        "event": kind,
        "sg_event_id": new_id(),
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "message_id": message_id,
        **extra,
    }


def test_sendgrid_events_move_the_message_and_a_bounce_keeps_its_reason(ho: HeadOffice) -> None:
    opened, bounced = ho.queued(channel="email"), ho.queued(channel="email")
    t = ho.seconds()
    events = [
        _email_event("processed", opened, t),
        _email_event("delivered", opened, t + 1),
        _email_event("open", opened, t + 2),
        _email_event("click", opened, t + 3, url="https://perfume-oud.example/offer"),
        _email_event("bounce", bounced, t + 1, reason="550 5.1.1 no such user", type="bounce"),
        _email_event("group_resubscribe", bounced, t + 1),
        {"email": "x@example.ae", "timestamp": t, "event": "a kind nobody knows"},
    ]
    body = orjson.dumps(events)
    answer = ho.http.post("/v1/webhooks/sendgrid", content=body, headers=w.sendgrid_headers(body, t))
    assert answer.status_code == 200, answer.text
    assert ho.message(opened)["status"] == "read" and ho.message(opened)["delivered_at"] == iso(_at(t + 1))
    dead = ho.message(bounced)
    assert dead["status"] == "dead" and "550 5.1.1" in dead["last_error"]
    head = ho.head()
    assert ho.http.post("/v1/webhooks/sendgrid", content=body, headers=w.sendgrid_headers(body, t)).status_code == 200
    assert ho.head() == head, "the same batch again changes nothing"


def test_sendgrid_refuses_bad_signatures_and_stale_timestamps(ho: HeadOffice) -> None:
    message_id = ho.queued(channel="email")
    t = ho.seconds()
    body = orjson.dumps([_email_event("delivered", message_id, t)])
    head = ho.head()
    cases = {
        "unsigned": (401, {"content-type": "application/json"}),
        "other key": (401, w.sendgrid_headers(body, t, key=_other_key())),
        "other timestamp": (401, {**w.sendgrid_headers(body, t), "X-Twilio-Email-Event-Webhook-Timestamp": str(t + 1)}),
        "replayed an hour later": (403, w.sendgrid_headers(body, t - 3600)),
        "from the future": (403, w.sendgrid_headers(body, t + 3600)),
        "not base64": (401, {**w.sendgrid_headers(body, t), "X-Twilio-Email-Event-Webhook-Signature": "%%%"}),
    }
    for name, (status, headers) in cases.items():
        answer = ho.http.post("/v1/webhooks/sendgrid", content=body, headers=headers)
        assert answer.status_code == status, name
    assert ho.head() == head and ho.message(message_id)["status"] == "queued"
    for malformed in (b"{}", b"not json", b'[{"event": "delivered"}]', b"[5]"):
        answer = ho.http.post("/v1/webhooks/sendgrid", content=malformed, headers=w.sendgrid_headers(malformed, t))
        assert answer.status_code == 400, malformed
    assert ho.head() == head


# -- the outbox ----------------------------------------------------------------------------------------------------


def test_no_dispatcher_takes_an_inbound_row_and_statuses_leave_the_queue_alone(ho: HeadOffice) -> None:
    """What head office's webhooks write is never queued to be sent: the dispatcher's ingest takes only
    outbound rows waiting to go."""
    outbox = HeadOfficeOutbox(ho.store)
    inbound = {
        "id": new_id(),
        "branch_id": "branch-1",
        "created_at": iso(ho.clock.now()),
        "customer_id": None,
        "channel": "whatsapp",
        "direction": "inbound",
        "recipient": "+971501234567",
        "body": "Hello",
        "status": "received",
        "deleted": False,
    }
    with ho.store.writing() as (conn, head):
        ho.store.set_head(conn, ho.store.decide(conn, head, "communications", inbound["id"], inbound))
    waiting = ho.queued()
    now = ho.clock.now()
    claimed = outbox.claim("test", now, now + timedelta(minutes=2), 100)
    assert [c.id for c in claimed] == [waiting]
    with ho.store.reader.connect() as conn:
        queue = conn.execute(select(outbox_table.c.message_id)).scalars().all()
    assert inbound["id"] not in queue


def _other_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _at(seconds: int) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC)
