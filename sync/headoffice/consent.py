"""Consent changes head office learns from the providers, written as its own consent ledger rows.

Webhooks land at head office only, so an inbound STOP, WhatsApp's marketing opt-out, an email unsubscribe, a
spam report or a hard bounce becomes a ``consent_changes`` row here, origin head office, and every branch takes
it with its next pull, like any other change (core.messaging.consent says what each one changes). The row
belongs to the customer's home branch. Its id comes from the provider's event, so a webhook delivered twice
writes one row. A reply from a number no customer has changes nothing (there is no one to opt out), and a
number two customers share opts out both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from core.kernel.ids import new_id
from core.kernel.replication import HEAD_OFFICE
from core.messaging.consent import ConsentChange, Source, change_for_provider_report, changes_for_reply
from sync.headoffice import contacts
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, iso
from sync.messaging.base import Refusal
from sync.messaging.webhooks import EmailEvent, EmailEventKind, InboundMessage, StatusEvent

ENTITY = "consent_changes"

_EMAIL_SOURCES = {
    EmailEventKind.UNSUBSCRIBE: Source.EMAIL_UNSUBSCRIBE,
    EmailEventKind.GROUP_UNSUBSCRIBE: Source.EMAIL_UNSUBSCRIBE,
    EmailEventKind.SPAM_REPORT: Source.EMAIL_SPAM_REPORT,
}


_mobile_key = contacts.mobile_key


def customers_at(conn: Connection, channel: str, address: str) -> list[tuple[str, str]]:
    """(customer id, home branch id) of every customer whose mobile (or email) is ``address``: an exact match
    on the normalised address (sync.headoffice.contacts)."""
    return contacts.customers_at(conn, channel, address)


def record(store: HeadOfficeStore, changes: Iterable[ConsentChange], branches: dict[str, str]) -> int:
    """Writes ``changes`` as head office's own consent rows, in one transaction; returns how many were new.
    ``branches`` maps each customer to their home branch."""
    written = 0
    with store.writing() as (conn, head):
        c = m.changes.c
        for change in changes:
            row_id = change.id or new_id()
            seen = conn.execute(select(c.change_seq).where(c.entity == ENTITY, c.row_id == row_id)).first()
            if seen is not None:
                continue
            head = _insert(store, conn, head, row_id, change, branches[change.customer_id])
            written += 1
        if written:
            store.set_head(conn, head)
    return written


def _insert(
    store: HeadOfficeStore, conn: Connection, head: int, row_id: str, change: ConsentChange, branch: str
) -> int:
    seq = store.counter(conn, "headoffice_seq") + 1
    conn.execute(update(m.counters).where(m.counters.c.name == "headoffice_seq").values(value=seq))
    now = iso(store.now())
    payload: dict[str, Any] = {
        "id": row_id,
        "branch_id": branch,
        "created_at": now,
        "customer_id": change.customer_id,
        "channel": change.channel,
        "purpose": change.purpose,
        "action": change.action,
        "source": change.source,
        "occurred_at": iso(change.occurred_at),
        "address": change.address,
        "staff_id": None,
        "evidence": dict(change.evidence),
    }
    head += 1
    conn.execute(
        insert(m.changes).values(
            change_seq=head,
            event_id=new_id(),
            origin=HEAD_OFFICE,
            branch_seq=seq,
            entity=ENTITY,
            row_id=row_id,
            op="insert",
            payload=orjson.dumps(payload).decode(),
            hlc=store.clock.now().encode(),
            orig_hlc=None,
            staff_id=None,
            created_at=now,
            received_at=now,
        )
    )
    return head


def _for_each_customer(
    store: HeadOfficeStore, channel: str, address: str, make: Any
) -> tuple[list[ConsentChange], dict[str, str]]:
    with store.reader.connect() as conn:
        found = customers_at(conn, channel, address)
    changes: list[ConsentChange] = []
    for customer_id, _branch in found:
        changes.extend(make(customer_id))
    return changes, dict(found)


def from_inbound(store: HeadOfficeStore, message: InboundMessage) -> int:
    """An inbound SMS or WhatsApp message: STOP / START (English or Arabic) changes the sender's consent."""
    if message.text is None:
        return 0
    channel = "whatsapp" if message.provider == "whatsapp" else "sms"
    at: datetime = message.at or store.now()
    key = f"{message.provider}:{message.provider_message_id}"
    evidence = {"provider": message.provider, "provider_message_id": message.provider_message_id}
    changes, branches = _for_each_customer(
        store,
        channel,
        message.sender,
        lambda customer: changes_for_reply(
            customer, channel, message.text or "", at, sender=message.sender, evidence=evidence, event_key=key
        ),
    )
    return record(store, changes, branches) if changes else 0


def from_status(store: HeadOfficeStore, status: StatusEvent) -> int:
    """A delivery status that says the recipient opted out (WhatsApp 131050, Twilio 21610) or cannot be
    reached at that number."""
    if status.recipient is None or status.refusal not in (Refusal.OPTED_OUT, Refusal.INVALID_RECIPIENT):
        return 0
    channel = "whatsapp" if status.provider == "whatsapp" else "sms"
    if status.refusal == Refusal.OPTED_OUT:
        source = Source.WHATSAPP_OPT_OUT if channel == "whatsapp" else Source.CARRIER_OPT_OUT
    else:
        source = Source.INVALID_NUMBER
    at = status.at or store.now()
    key = f"{status.provider}:{status.provider_message_id}:{status.error_code}"
    evidence = {"provider": status.provider, "provider_message_id": status.provider_message_id}
    evidence["error_code"] = status.error_code or ""
    recipient = status.recipient
    changes, branches = _for_each_customer(
        store,
        channel,
        recipient,
        lambda customer: [
            change_for_provider_report(
                customer, source, at, recipient, channel=channel, evidence=evidence, event_key=key
            )
        ],
    )
    return record(store, changes, branches) if changes else 0


def from_email(store: HeadOfficeStore, event: EmailEvent) -> int:
    """An unsubscribe, a spam report or a hard bounce from SendGrid's Event Webhook."""
    if event.kind == EmailEventKind.BOUNCE and event.stops_channel:
        source = Source.HARD_BOUNCE
    elif event.kind in _EMAIL_SOURCES:
        source = _EMAIL_SOURCES[event.kind]
    else:
        return 0
    at = event.at or store.now()
    key = f"sendgrid:{event.event_id or event.provider_message_id}:{event.kind.value}"
    evidence = {"provider": "sendgrid", "event": event.kind.value, "event_id": event.event_id or ""}
    if event.reason:
        evidence["reason"] = event.reason
    changes, branches = _for_each_customer(
        store,
        "email",
        event.email,
        lambda customer: [
            change_for_provider_report(customer, source, at, event.email, evidence=evidence, event_key=key)
        ],
    )
    return record(store, changes, branches) if changes else 0
