"""The outbox of a standalone store, as the dispatcher sees it (core.messaging.ports.OutboxStore).

SQLite runs one dispatcher, and its claim is one atomic statement: an INSERT … SELECT into the local
``outbox_leases`` that takes the due messages no live lease holds (a lease left by a dispatcher that died
is simply past its time) and returns their ids. Due means queued or failed, with ``next_attempt_at`` passed
(a new message has none). The write lock BEGIN IMMEDIATE takes makes a second claimant wait, not collide.

A result is written like any other change of the store: in one transaction through a writing session that
carries the store's WriteContext, so the message's new fields get their change-log row (they replicate: a
branch's Messages tab and head office see them) and each history entry is a ``communication_events`` ledger
row. The lease goes in the same transaction, so a message is either still held or recorded, never neither.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, select, text

from core.messaging.outbox import MessageState, Step
from core.messaging.ports import OutboundMessage, StatusApplied, message_params
from core.messaging.templates import whatsapp_name
from storage.changelog import WRITE_KEY, WriteContext
from storage.db import Store
from storage.schema import Communication, CommunicationEvent, MessageTemplate, OutboxLease

_CLAIM = text(
    "INSERT INTO outbox_leases (message_id, owner, lease_until) "
    "SELECT c.id, :owner, :until FROM communications AS c "
    "LEFT JOIN outbox_leases AS l ON l.message_id = c.id "
    "WHERE c.status IN ('queued', 'failed') AND c.direction = 'outbound' AND c.deleted = 0 "
    "AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= :now) "
    "AND (l.lease_until IS NULL OR l.lease_until <= :now) "
    "ORDER BY coalesce(c.next_attempt_at, c.created_at) LIMIT :limit "
    "ON CONFLICT (message_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
    "RETURNING message_id"
)


def state_of(row: Communication) -> MessageState:
    return MessageState(
        status=row.status,
        attempts=row.attempts or 0,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        read_at=row.read_at,
        failed_at=row.failed_at,
    )


class SqlOutbox:
    """``SqlOutbox(store)``: the dispatcher's view of this store's outbox."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboundMessage]:
        utc_now, utc_until = (_utc_text(now), _utc_text(lease_until))
        with self._store.write_engine.begin() as conn:
            ids = [
                row[0]
                for row in conn.execute(_CLAIM, {"owner": owner, "until": utc_until, "now": utc_now, "limit": limit})
            ]
        if not ids:
            return []
        with self._store.read_session() as session:
            c, t = Communication, MessageTemplate
            rows = session.execute(
                select(c, t.language, t.promotional, t.key, t.whatsapp_name)
                .outerjoin(t, t.id == c.template_id)
                .where(c.id.in_(ids))
            ).all()
            return [
                OutboundMessage(
                    id=row.id,
                    channel=row.channel,
                    recipient=row.recipient,
                    body=row.body,
                    customer_id=row.customer_id,
                    template_id=row.template_id,
                    language=language or "en",
                    promotional=bool(promotional),
                    state=state_of(row),
                    params=message_params(row.params),
                    template_name=(name or whatsapp_name(key)) if key else None,
                )
                for row, language, promotional, key, name in rows
            ]

    def update(self, ref: str, step: Callable[[MessageState], Step | None], now: datetime) -> StatusApplied:
        store = self._store
        session = store.write_session()
        session.info[WRITE_KEY] = WriteContext(branch_id=store.branch_id, staff_id=None, clock=store.clock, now=now)
        try:
            session.begin()
            c = Communication
            row = session.get(c, ref)
            if row is None:
                row = session.scalars(
                    select(c).where(c.provider_message_id == ref).order_by(c.created_at).limit(1)
                ).first()
            if row is None:
                session.rollback()
                return StatusApplied(found=False, changed=False)
            made = step(state_of(row))
            if made is None or made.changes_nothing:
                if made is None or not made.keep_due:
                    session.execute(delete(OutboxLease).where(OutboxLease.message_id == row.id))
                session.commit()
                return StatusApplied(found=True, changed=False, message_id=row.id)
            for name, value in made.fields.items():
                setattr(row, name, value)
            if made.due_at is None and "next_attempt_at" not in made.fields and not made.keep_due:
                row.next_attempt_at = None
            for entry in made.history:
                session.add(
                    CommunicationEvent(
                        message_id=row.id,
                        status=str(entry.status),
                        at=entry.at,
                        provider=entry.provider,
                        provider_code=entry.provider_code,
                        detail=_clip(entry.detail),
                    )
                )
            if not made.keep_due:
                session.execute(delete(OutboxLease).where(OutboxLease.message_id == row.id))
            session.commit()
            return StatusApplied(found=True, changed=True, message_id=row.id)
        finally:
            session.close()


def _utc_text(moment: datetime) -> str:
    """A time as SQLite holds the UTC columns (storage.schema.base.UTCDateTime), for the claim's plain SQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _clip(detail: str | None, limit: int = 2000) -> str | None:
    """A provider's error text is kept, within reason: some answer with a whole HTML page."""
    return detail if detail is None or len(detail) <= limit else detail[: limit - 1] + "…"
