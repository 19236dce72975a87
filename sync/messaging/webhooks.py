"""Provider webhooks read into typed events, after their signature has been checked (sync.messaging.signatures).

One vocabulary for every channel's delivery states — accepted, sent, delivered, read, failed — so the outbox
can keep "the furthest state" whatever the provider. Each event keeps the provider's message id, our outbox id
when the provider echoes it (WhatsApp ``biz_opaque_callback_data``, SendGrid ``message_id`` custom arg,
Unifonic ``CorrelationID``, the ``ref`` we put on Twilio's callback URL), the provider's time, and the error
code of a failure. A body that is not the provider's shape raises ``MalformedWebhook`` (answer 400); a status
this code does not know is skipped rather than guessed.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sync.messaging.base import Refusal
from sync.messaging.whatsapp import PERMANENT_CODES


class MalformedWebhook(ValueError):
    """The body is not what the provider sends: answer 400, change nothing."""


class Delivery(enum.Enum):
    """How far a message got; the order is the order of progress (FAILED is terminal, not furthest)."""

    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Delivery.ACCEPTED: 0, Delivery.SENT: 1, Delivery.DELIVERED: 2, Delivery.READ: 3, Delivery.FAILED: 1}


@dataclass(frozen=True)
class StatusEvent:
    provider: str
    provider_message_id: str
    status: Delivery
    at: datetime | None
    recipient: str | None = None
    outbox_id: str | None = None
    error_code: str | None = None
    error_title: str | None = None
    refusal: Refusal | None = None  # what a failure means for the customer's channel, when known


class InboundKind(enum.Enum):
    TEXT = "text"
    BUTTON_REPLY = "button_reply"
    LIST_REPLY = "list_reply"
    TEMPLATE_BUTTON = "template_button"  # a quick-reply button of a template
    OTHER = "other"  # media, location, …: kept so a shopper sees something arrived


@dataclass(frozen=True)
class InboundMessage:
    provider: str
    provider_message_id: str
    sender: str  # digits as WhatsApp gives them, or E.164 for SMS
    at: datetime | None
    kind: InboundKind
    text: str | None = None  # the text, or the title of the button / row chosen
    reply_id: str | None = None  # the id (or payload) of the button / row chosen
    context_id: str | None = None  # the provider id of the message replied to
    profile_name: str | None = None


class EmailEventKind(enum.Enum):
    PROCESSED = "processed"
    DEFERRED = "deferred"
    DELIVERED = "delivered"
    OPEN = "open"
    CLICK = "click"
    BOUNCE = "bounce"
    DROPPED = "dropped"
    SPAM_REPORT = "spamreport"
    UNSUBSCRIBE = "unsubscribe"
    GROUP_UNSUBSCRIBE = "group_unsubscribe"
    GROUP_RESUBSCRIBE = "group_resubscribe"


@dataclass(frozen=True)
class EmailEvent:
    kind: EmailEventKind
    email: str
    at: datetime | None
    event_id: str | None  # sg_event_id: the same event delivered twice has the same id
    provider_message_id: str | None
    outbox_id: str | None
    reason: str | None = None
    bounce_type: str | None = None  # "bounce" (hard) or "blocked" (soft)
    url: str | None = None

    @property
    def stops_channel(self) -> bool:
        """A hard bounce, a spam report or an unsubscribe: no more email to this address."""
        if self.kind == EmailEventKind.BOUNCE:
            return self.bounce_type != "blocked"
        return self.kind in (EmailEventKind.SPAM_REPORT, EmailEventKind.UNSUBSCRIBE)


def _when(seconds: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(seconds)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _json(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedWebhook("not JSON") from exc


def _need(mapping: Any, key: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise MalformedWebhook(f"missing {key}")
    return mapping[key]


# -- WhatsApp ----------------------------------------------------------------------------------------------------

_WHATSAPP_STATUS = {
    "sent": Delivery.SENT,
    "delivered": Delivery.DELIVERED,
    "read": Delivery.READ,
    "failed": Delivery.FAILED,
}


def parse_whatsapp(raw: bytes | str) -> list[StatusEvent | InboundMessage]:
    """Every status and inbound message of a WhatsApp Business Account webhook, in the order sent."""
    body = _json(raw)
    if _need(body, "object") != "whatsapp_business_account":
        raise MalformedWebhook("not a WhatsApp Business Account webhook")
    events: list[StatusEvent | InboundMessage] = []
    entries = _need(body, "entry")
    if not isinstance(entries, list):
        raise MalformedWebhook("entry is not a list")
    for entry in entries:
        for change in _need(entry, "changes") or []:
            value = _need(change, "value")
            if not isinstance(value, dict):
                raise MalformedWebhook("value is not an object")
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []}
            for status in value.get("statuses") or []:
                event = _whatsapp_status(status)
                if event is not None:
                    events.append(event)
            for message in value.get("messages") or []:
                events.append(_whatsapp_inbound(message, names))
    return events


def _whatsapp_status(status: Any) -> StatusEvent | None:
    state = _WHATSAPP_STATUS.get(str(_need(status, "status")))
    if state is None:
        return None
    errors = status.get("errors") or [{}]
    error = errors[0] if isinstance(errors[0], dict) else {}
    code = error.get("code")
    return StatusEvent(
        provider="whatsapp",
        provider_message_id=str(_need(status, "id")),
        status=state,
        at=_when(status.get("timestamp")),
        recipient=status.get("recipient_id"),
        outbox_id=status.get("biz_opaque_callback_data"),
        error_code=None if code is None else str(code),
        error_title=error.get("title") or error.get("message"),
        refusal=PERMANENT_CODES.get(int(code)) if isinstance(code, int | str) and str(code).isdigit() else None,
    )


def _whatsapp_inbound(message: Any, names: Mapping[Any, Any]) -> InboundMessage:
    sender = str(_need(message, "from"))
    kind = str(_need(message, "type"))
    message_id = str(_need(message, "id"))
    at = _when(message.get("timestamp"))
    context = (message.get("context") or {}).get("id")

    def inbound(what: InboundKind, text: object = None, reply_id: object = None) -> InboundMessage:
        return InboundMessage(
            "whatsapp",
            message_id,
            sender,
            at,
            what,
            text=None if text is None else str(text),
            reply_id=None if reply_id is None else str(reply_id),
            context_id=context,
            profile_name=names.get(sender),
        )

    if kind == "text":
        return inbound(InboundKind.TEXT, _need(_need(message, "text"), "body"))
    if kind == "interactive":
        interactive = _need(message, "interactive")
        if interactive.get("type") == "button_reply":
            reply = _need(interactive, "button_reply")
            return inbound(InboundKind.BUTTON_REPLY, reply.get("title"), reply.get("id"))
        if interactive.get("type") == "list_reply":
            reply = _need(interactive, "list_reply")
            return inbound(InboundKind.LIST_REPLY, reply.get("title"), reply.get("id"))
    if kind == "button":  # a template's quick-reply button
        button = _need(message, "button")
        return inbound(InboundKind.TEMPLATE_BUTTON, button.get("text"), button.get("payload"))
    return inbound(InboundKind.OTHER)


# -- Twilio ------------------------------------------------------------------------------------------------------

_TWILIO_STATUS = {
    "accepted": Delivery.ACCEPTED,
    "queued": Delivery.ACCEPTED,
    "sending": Delivery.ACCEPTED,
    "sent": Delivery.SENT,
    "delivered": Delivery.DELIVERED,
    "read": Delivery.READ,
    "undelivered": Delivery.FAILED,
    "failed": Delivery.FAILED,
}
_TWILIO_REFUSALS = {"21610": Refusal.OPTED_OUT, "30005": Refusal.INVALID_RECIPIENT, "30006": Refusal.INVALID_RECIPIENT}


def parse_twilio_status(form: Mapping[str, str], url: str | None = None) -> StatusEvent | None:
    """A Twilio status callback (form fields); ``url`` is the URL it was posted to, whose ``ref`` is our id.
    None for a status outside the vocabulary (scheduled, canceled)."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = form.get("MessageStatus") or form.get("SmsStatus")
    if not sid or not status:
        raise MalformedWebhook("missing MessageSid or MessageStatus")
    state = _TWILIO_STATUS.get(status)
    if state is None:
        return None
    ref = None
    if url:
        from urllib.parse import parse_qs, urlsplit

        refs = parse_qs(urlsplit(url).query).get("ref")
        ref = refs[0] if refs else None
    code = form.get("ErrorCode") or None
    return StatusEvent(
        provider="twilio",
        provider_message_id=sid,
        status=state,
        at=None,  # Twilio's callback carries no time: the receiver stamps it
        recipient=form.get("To"),
        outbox_id=ref,
        error_code=code,
        refusal=_TWILIO_REFUSALS.get(code or ""),
    )


def parse_twilio_inbound(form: Mapping[str, str]) -> InboundMessage:
    """An SMS a customer sent to our Twilio number."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    sender = form.get("From")
    if not sid or not sender or "Body" not in form:
        raise MalformedWebhook("missing MessageSid, From or Body")
    return InboundMessage("twilio", sid, sender, None, InboundKind.TEXT, text=form["Body"])


# -- Unifonic ----------------------------------------------------------------------------------------------------


def parse_unifonic_report(fields: Mapping[str, str]) -> StatusEvent:
    """A Unifonic delivery report: ``MessageID``, ``DLR`` (Delivered / Undeliverable …), ``Recipient``."""
    message_id = fields.get("MessageID") or fields.get("messageId")
    dlr = (fields.get("DLR") or fields.get("status") or "").strip().lower()
    if not message_id or not dlr:
        raise MalformedWebhook("missing MessageID or DLR")
    state = Delivery.DELIVERED if dlr == "delivered" else Delivery.SENT if dlr == "sent" else Delivery.FAILED
    return StatusEvent(
        provider="unifonic",
        provider_message_id=str(message_id),
        status=state,
        at=None,
        recipient=fields.get("Recipient"),
        outbox_id=fields.get("CorrelationID") or None,
        error_code=None if state != Delivery.FAILED else dlr,
    )


# -- SendGrid ----------------------------------------------------------------------------------------------------


def parse_sendgrid(raw: bytes | str) -> list[EmailEvent]:
    """SendGrid's Event Webhook batch (a JSON array). Events of kinds not listed in EmailEventKind are
    skipped; an event without an email or kind makes the batch malformed."""
    body = _json(raw)
    if not isinstance(body, list):
        raise MalformedWebhook("not a list of events")
    events = []
    for item in body:
        kind_name = _need(item, "event")
        email = _need(item, "email")
        try:
            kind = EmailEventKind(kind_name)
        except ValueError:
            continue
        sg_message_id = item.get("sg_message_id")
        events.append(
            EmailEvent(
                kind=kind,
                email=str(email),
                at=_when(item.get("timestamp")),
                event_id=item.get("sg_event_id"),
                provider_message_id=sg_message_id,
                outbox_id=item.get("message_id"),
                reason=item.get("reason"),
                bounce_type=item.get("type") if kind == EmailEventKind.BOUNCE else None,
                url=item.get("url"),
            )
        )
    return events
