"""Provider webhooks in a chain on loopback: a branch pushes a message, head office's dispatcher sends it to the
fake WhatsApp, signed status webhooks arrive at head office over HTTP, and the branch pulls the statuses with
their times; inbound replies are kept as inbound messages of the sender's home branch, which no dispatcher
ever sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.messaging.dispatch import Dispatcher
from storage.outbox import SqlOutbox
from sync.headoffice.webhooks import inbound_id
from sync.messaging.headoffice_outbox import HeadOfficeOutbox
from sync.messaging.webhooks import InboundKind, InboundMessage
from tests import webhook_signing as w
from tests.clock import TestClock
from tests.dispatching import gateway
from tests.faults.support import Branch, chain
from tests.providers import FakeProviders

HIND = "+971501234567"
LATER = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def _rows(branch: Branch, sql: str, **params: Any) -> list[Any]:
    with branch.store.read_engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _post_whatsapp(url: str, body: bytes) -> httpx.Response:
    return httpx.post(url + "/v1/webhooks/whatsapp", content=body, headers=w.whatsapp_headers(body), timeout=10)


def test_a_signed_status_webhook_reaches_the_branch_that_queued_the_message(
    tmp_path: Path, fake: FakeProviders
) -> None:
    with chain(tmp_path, ("DXB1",), app={"webhooks": w.secrets()}) as (ho, server, (a,)):
        customer = a.new_customer("Hind", HIND)
        with a.uow() as uow:
            message_id = uow.messages.queue(customer, "whatsapp", HIND, "Your order is ready", None)
            uow.commit()
        a.sync()
        clock = TestClock(ho.now())
        dispatcher = Dispatcher(HeadOfficeOutbox(ho), gateway(fake.url, clock), clock, concurrency=1)
        try:
            assert dispatcher.run_once().sent == 1
        finally:
            dispatcher.close()
        wamid = ho.merged_rows("communications")[message_id]["provider_message_id"]
        assert wamid and fake.of("whatsapp")[0].json["biz_opaque_callback_data"] == message_id
        t = int(ho.now().timestamp()) + 5
        # Read overtakes delivered, as Meta's webhooks may; each is signed and sent over HTTP.
        for status, at in (("read", t + 9), ("delivered", t + 4)):
            body = w.whatsapp_body(statuses=[w.whatsapp_status(wamid, status, at, ours=message_id, to=HIND[1:])])
            answer = _post_whatsapp(server.url, body)
            assert answer.status_code == 200 and answer.json()["statuses"] == 1
        a.sync()
        ((status, delivered_at, read_at),) = _rows(
            a, "SELECT status, delivered_at, read_at FROM communications WHERE id = :id", id=message_id
        )
        assert status == "read"
        assert _utc(delivered_at) == datetime.fromtimestamp(t + 4, UTC)
        assert _utc(read_at) == datetime.fromtimestamp(t + 9, UTC)
        history = [
            r[0]
            for r in _rows(
                a, "SELECT status FROM communication_events WHERE message_id = :id ORDER BY at", id=message_id
            )
        ]
        assert history == ["sending", "sent", "delivered", "read"]


def test_inbound_replies_are_kept_for_the_home_branch_and_never_sent(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), app={"webhooks": w.secrets()}) as (ho, server, (a, b)):
        hind = a.new_customer("Hind", HIND)
        a.sync()
        t = int(ho.now().timestamp()) - 60
        messages = [
            {
                "from": HIND[1:],
                "id": "wamid.IN1",
                "timestamp": str(t),
                "type": "text",
                "text": {"body": "Is it in stock?"},
            },
            {
                "from": HIND[1:],
                "id": "wamid.IN2",
                "timestamp": str(t + 1),
                "type": "interactive",
                "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "نعم"}},
            },
            {
                "from": HIND[1:],
                "id": "wamid.IN3",
                "timestamp": str(t + 2),
                "type": "interactive",
                "interactive": {"type": "list_reply", "list_reply": {"id": "thu", "title": "Thursday 5 pm"}},
            },
            {
                "from": HIND[1:],
                "id": "wamid.IN4",
                "timestamp": str(t + 3),
                "type": "button",
                "button": {"text": "Book a visit", "payload": "book"},
            },
            {
                "from": "971509999999",
                "id": "wamid.IN5",
                "timestamp": str(t + 4),
                "type": "text",
                "text": {"body": "Hi"},
            },
        ]
        contacts = [{"wa_id": HIND[1:], "profile": {"name": "Hind"}}]
        body = w.whatsapp_body(messages=messages, contacts=contacts)
        answer = _post_whatsapp(server.url, body)
        assert answer.status_code == 200 and answer.json()["inbound"] == 5
        again = _post_whatsapp(server.url, body)
        assert again.status_code == 200 and again.json()["inbound"] == 0, "a redelivered webhook writes no new row"

        sms = {"MessageSid": "SM" + "7" * 32, "From": HIND, "To": "+15005550006", "Body": "STOP"}
        path = "/v1/webhooks/twilio/inbound"
        twiml = httpx.post(
            server.url + path, content=w.form(sms), headers=w.twilio_headers(w.PUBLIC_URL + path, sms), timeout=10
        )
        assert twiml.status_code == 200 and twiml.headers["content-type"].startswith("text/xml")
        assert "<Response>" in twiml.text

        a.sync()
        b.sync()
        for branch in (a, b):
            found = _rows(
                branch,
                "SELECT provider_message_id, customer_id, branch_id, channel, recipient, body, status, direction, "
                "created_at FROM communications WHERE direction = 'inbound' ORDER BY provider_message_id",
            )
            by_id = {r[0]: r for r in found}
            assert set(by_id) == {"wamid.IN1", "wamid.IN2", "wamid.IN3", "wamid.IN4", "wamid.IN5", sms["MessageSid"]}
            assert [by_id[f"wamid.IN{n}"][5] for n in range(1, 5)] == [
                "Is it in stock?",
                "نعم",
                "Thursday 5 pm",
                "Book a visit",
            ]
            assert {by_id[f"wamid.IN{n}"][1] for n in range(1, 5)} == {hind}
            assert {r[2] for r in found} == {a.store.branch_id}, (
                "Hind's home branch, and the first branch for a stranger"
            )
            unknown = by_id["wamid.IN5"]
            assert unknown[1] is None and unknown[4] == "+971509999999" and unknown[6] == "received"
            assert by_id[sms["MessageSid"]][3] == "sms"
            assert _utc(by_id["wamid.IN1"][8]) == datetime.fromtimestamp(t, UTC), "the provider's time"
            # No dispatcher takes them: the standalone one reads the branch's table, head office's its changes.
            # Asked at a moment after anything could be due, so a queued row would be taken.
            assert SqlOutbox(branch.store).claim("test", LATER, LATER + timedelta(minutes=2), 100) == []
        assert HeadOfficeOutbox(ho).claim("test", LATER, LATER + timedelta(minutes=2), 100) == []
        stop = InboundMessage("twilio", sms["MessageSid"], HIND, None, InboundKind.TEXT, text="STOP")
        assert inbound_id(stop) in ho.merged_rows("communications")
        proof = _rows(
            a, "SELECT channel, action FROM consent_changes WHERE customer_id = :c AND source = 'keyword'", c=hind
        )
        assert ("sms", "withdraw") in {tuple(r) for r in proof}, "the STOP reached the branch as a consent change"


def _utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
