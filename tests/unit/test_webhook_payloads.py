"""Provider webhook bodies read into typed events. The payloads follow the shapes of Meta's WhatsApp Cloud API
webhook reference (statuses and messages under entry[].changes[].value), Twilio's status callback parameters
and SendGrid's Event Webhook reference."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sync.messaging.base import Refusal
from sync.messaging.webhooks import (
    Delivery,
    EmailEventKind,
    InboundKind,
    InboundMessage,
    MalformedWebhook,
    StatusEvent,
    parse_sendgrid,
    parse_twilio_inbound,
    parse_twilio_status,
    parse_unifonic_report,
    parse_whatsapp,
)


def whatsapp_body(value: dict[str, object]) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "97142000000", "phone_number_id": "106540352242922"},
        **value,
    }
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()


def test_whatsapp_statuses() -> None:
    body = whatsapp_body(
        {
            "statuses": [
                {
                    "id": "wamid.A",
                    "status": "delivered",
                    "timestamp": "1796300000",
                    "recipient_id": "971501234567",
                    "biz_opaque_callback_data": "msg-1",
                    "pricing": {"billable": True, "category": "utility"},
                },
                {
                    "id": "wamid.B",
                    "status": "failed",
                    "timestamp": "1796300060",
                    "recipient_id": "971501234567",
                    "errors": [{"code": 131050, "title": "User stopped marketing messages"}],
                },
                {"id": "wamid.C", "status": "deleted", "timestamp": "1796300061", "recipient_id": "9715"},
            ]
        }
    )
    delivered, failed = parse_whatsapp(body)
    assert delivered == StatusEvent(
        "whatsapp",
        "wamid.A",
        Delivery.DELIVERED,
        datetime.fromtimestamp(1796300000, UTC),
        recipient="971501234567",
        outbox_id="msg-1",
    )
    assert isinstance(failed, StatusEvent)
    assert (failed.status, failed.error_code, failed.refusal) == (Delivery.FAILED, "131050", Refusal.OPTED_OUT)


def test_whatsapp_inbound_text_button_and_list_replies() -> None:
    common = {"from": "971501234567", "timestamp": "1796300000"}
    body = whatsapp_body(
        {
            "contacts": [{"profile": {"name": "ليلى"}, "wa_id": "971501234567"}],
            "messages": [
                {**common, "id": "wamid.1", "type": "text", "text": {"body": "إلغاء"}},
                {
                    **common,
                    "id": "wamid.2",
                    "type": "interactive",
                    "context": {"from": "97142000000", "id": "wamid.OUT"},
                    "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes, hold it"}},
                },
                {
                    **common,
                    "id": "wamid.3",
                    "type": "interactive",
                    "interactive": {
                        "type": "list_reply",
                        "list_reply": {"id": "slot-2", "title": "12:00", "description": "Mall"},
                    },
                },
                {**common, "id": "wamid.4", "type": "button", "button": {"payload": "later", "text": "Later"}},
                {**common, "id": "wamid.5", "type": "image", "image": {"id": "media-1"}},
            ],
        }
    )
    text, button, row, quick, image = parse_whatsapp(body)
    assert isinstance(text, InboundMessage)
    assert (text.kind, text.text, text.profile_name) == (InboundKind.TEXT, "إلغاء", "ليلى")
    assert isinstance(button, InboundMessage)
    assert (button.kind, button.reply_id, button.context_id) == (InboundKind.BUTTON_REPLY, "yes", "wamid.OUT")
    assert isinstance(row, InboundMessage) and (row.kind, row.reply_id) == (InboundKind.LIST_REPLY, "slot-2")
    assert isinstance(quick, InboundMessage) and (quick.kind, quick.reply_id) == (InboundKind.TEMPLATE_BUTTON, "later")
    assert isinstance(image, InboundMessage) and image.kind == InboundKind.OTHER


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account"}',
        # a status without its message id
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"statuses": [{"status": "sent"}]}}]}]}',  # noqa: E501
    ],
)
def test_malformed_whatsapp_bodies(raw: bytes) -> None:
    with pytest.raises(MalformedWebhook):
        parse_whatsapp(raw)


def test_twilio_status_callback_and_inbound() -> None:
    form = {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30006", "To": "+971501234567"}
    event = parse_twilio_status(form, "https://ho.example/webhooks/twilio/status?ref=msg-9")
    assert event is not None
    assert (event.status, event.outbox_id, event.refusal) == (Delivery.FAILED, "msg-9", Refusal.INVALID_RECIPIENT)
    delivered = parse_twilio_status({"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert delivered is not None and delivered.status == Delivery.DELIVERED and delivered.outbox_id is None
    assert parse_twilio_status({"MessageSid": "SM1", "MessageStatus": "canceled"}) is None
    with pytest.raises(MalformedWebhook):
        parse_twilio_status({"MessageStatus": "sent"})
    inbound = parse_twilio_inbound({"MessageSid": "SM2", "From": "+971501234567", "Body": "STOP"})
    assert (inbound.sender, inbound.text) == ("+971501234567", "STOP")


def test_unifonic_delivery_report() -> None:
    event = parse_unifonic_report({"MessageID": "4001", "DLR": "Delivered", "Recipient": "971501234567"})
    assert event.status == Delivery.DELIVERED
    failed = parse_unifonic_report({"MessageID": "4002", "DLR": "Undeliverable", "CorrelationID": "msg-3"})
    assert (failed.status, failed.outbox_id) == (Delivery.FAILED, "msg-3")
    with pytest.raises(MalformedWebhook):
        parse_unifonic_report({"DLR": "Delivered"})


def test_sendgrid_events() -> None:
    base = {"email": "a@example.ae", "timestamp": 1796300000, "sg_message_id": "sgid1.filter", "message_id": "msg-e1"}
    raw = json.dumps(
        [
            {**base, "event": "delivered", "sg_event_id": "e1"},
            {**base, "event": "open", "sg_event_id": "e2"},
            {**base, "event": "click", "sg_event_id": "e3", "url": "https://perfume-oud.ae/offers"},
            {**base, "event": "bounce", "sg_event_id": "e4", "type": "bounce", "reason": "550 5.1.1 no such user"},
            {**base, "event": "bounce", "sg_event_id": "e5", "type": "blocked", "reason": "451 try later"},
            {**base, "event": "dropped", "sg_event_id": "e6", "reason": "Bounced Address"},
            {**base, "event": "spamreport", "sg_event_id": "e7"},
            {**base, "event": "unsubscribe", "sg_event_id": "e8"},
            {**base, "event": "machine_opened", "sg_event_id": "e9"},  # a kind not known here: skipped
        ]
    )
    events = parse_sendgrid(raw)
    assert [e.kind for e in events] == [
        EmailEventKind.DELIVERED,
        EmailEventKind.OPEN,
        EmailEventKind.CLICK,
        EmailEventKind.BOUNCE,
        EmailEventKind.BOUNCE,
        EmailEventKind.DROPPED,
        EmailEventKind.SPAM_REPORT,
        EmailEventKind.UNSUBSCRIBE,
    ]
    assert [e.stops_channel for e in events] == [False, False, False, True, False, False, True, True]
    assert events[0].outbox_id == "msg-e1" and events[0].event_id == "e1"
    assert events[2].url == "https://perfume-oud.ae/offers"
    with pytest.raises(MalformedWebhook):
        parse_sendgrid(b'{"event": "open"}')
    with pytest.raises(MalformedWebhook):
        parse_sendgrid(b'[{"event": "open"}]')
