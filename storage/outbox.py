"""The outbox of a standalone store, as the dispatcher sees it (core.messaging.ports.GroupedOutboxStore).

SQLite runs one dispatcher, and its claim is one transaction: an INSERT … SELECT into the local
``outbox_leases`` that takes the due messages no live lease holds (a lease left by a dispatcher that died
is simply past its time) and returns their ids, then one read of what the dispatcher needs of them (the
message and its template's language). Due means queued or failed, with ``next_attempt_at`` passed (a new
message has none). The write lock BEGIN IMMEDIATE takes makes a second claimant wait, not collide.

A result is written like any other change of the store, with its change-log row, in one transaction: the
message's new fields (they replicate: a branch's Messages tab and head office see them), a
``communication_events`` ledger row per history entry, and the end of the lease, so a message is either
still held or recorded, never neither. ``update_many`` writes the results of several sends in one
transaction (the dispatcher's group commit). The rows go below the ORM (storage.registers): with the ORM a
result took about 6 ms before its fsync, most of a dispatched message's cost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect

from core.messaging.outbox import MessageState, Step
from core.messaging.ports import OutboundMessage, Record, StatusApplied, message_params
from core.messaging.templates import whatsapp_name
from storage import direct
from storage.changelog import WRITE_KEY, WriteContext
from storage.db import Store
from storage.registers import DirectWrites
from storage.schema import Communication, CommunicationEvent

_CLAIM = (
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
_TIMES = ("sent_at", "delivered_at", "read_at", "failed_at")
_CLAIMED = (
    "SELECT c.id, c.channel, c.recipient, c.body, c.customer_id, c.template_id, c.status, c.attempts, "
    + ", ".join(f"c.{name}" for name in _TIMES)
    + ", t.language, t.promotional, c.params, t.key, t.whatsapp_name, c.interactive FROM communications AS c "
    "LEFT JOIN message_templates AS t ON t.id = c.template_id "
    "WHERE c.id IN (SELECT value FROM json_each(:ids))"
)
_END_LEASE = "DELETE FROM outbox_leases WHERE message_id = ?"
_EVENT_KEYS = ("message_id", "status", "at", "provider", "provider_code", "detail")


# What recording a result reads of a message: every column but its text (the only large one, never changed).
_KEYS = [attr.key for attr in inspect(Communication).column_attrs if attr.key != "body"]
_BY_IDS = direct.TypedSelect(Communication, _KEYS, "WHERE id IN (SELECT value FROM json_each(:ids))")
_BY_PROVIDER_ID = direct.TypedSelect(
    Communication, _KEYS, "WHERE provider_message_id = :ref ORDER BY created_at LIMIT 1"
)


def state_of(row: dict[str, Any]) -> MessageState:
    return MessageState(row["status"], row["attempts"] or 0, *(row[name] for name in _TIMES))


class SqlOutbox:
    """``SqlOutbox(store)``: the dispatcher's view of this store's outbox."""

    def __init__(self, store: Store) -> None:
        self._store = store
        dialect = store.write_engine.dialect
        when = Communication.__table__.c.sent_at.type.dialect_impl(dialect)
        self._time = when.result_processor(dialect, None)

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboundMessage]:
        params = {"owner": owner, "until": _utc_text(lease_until), "now": _utc_text(now), "limit": limit}
        session = self._store.write_session()
        try:
            with session.begin():
                driver = session.connection().connection.driver_connection
                assert driver is not None
                ids = [row[0] for row in driver.execute(_CLAIM, params).fetchall()]
                if not ids:
                    return []
                found = direct.rows(session, _CLAIMED, {"ids": json.dumps(ids)})
        finally:
            session.close()
        return [self._message(row) for row in found]

    def _message(self, row: tuple[Any, ...]) -> OutboundMessage:
        (id_, channel, recipient, body, customer_id, template_id, status, attempts, *rest) = row
        times = [value if value is None or self._time is None else self._time(value) for value in rest[:4]]
        language, promotional, params, key, name, interactive = rest[4:]
        return OutboundMessage(
            id=id_,
            channel=channel,
            recipient=recipient,
            body=body,
            customer_id=customer_id,
            template_id=template_id,
            language=language or "en",
            promotional=bool(promotional),
            state=MessageState(status, attempts or 0, *times),
            params=message_params(json.loads(params) if isinstance(params, str) else params),
            template_name=(name or whatsapp_name(key)) if key else None,
            interactive=json.loads(interactive) if isinstance(interactive, str) else interactive,
        )

    def update(self, ref: str, step: Callable[[MessageState], Step | None], now: datetime) -> StatusApplied:
        return self.update_many([(ref, step)], now)[0]

    def update_many(self, records: Sequence[Record], now: datetime) -> list[StatusApplied]:
        store = self._store
        session = store.write_session()
        session.info[WRITE_KEY] = WriteContext(branch_id=store.branch_id, staff_id=None, clock=store.clock, now=now)
        try:
            with session.begin():
                writes = DirectWrites(session)
                ids = json.dumps([ref for ref, _step in records])
                found = {row["id"]: row for row in _BY_IDS.all(session, {"ids": ids})}
                done = []
                for ref, step in records:
                    row = found.pop(ref, None)
                    if row is None:  # a provider's id, or a message already changed in this transaction
                        writes.execute()
                        again = _BY_IDS.all(session, {"ids": json.dumps([ref])})
                        row = again[0] if again else _BY_PROVIDER_ID.first(session, {"ref": ref})
                    done.append(self._apply(writes, row, step))
                writes.execute()
            return done
        finally:
            session.close()

    @staticmethod
    def _apply(
        writes: DirectWrites, row: dict[str, Any] | None, step: Callable[[MessageState], Step | None]
    ) -> StatusApplied:
        if row is None:
            return StatusApplied(found=False, changed=False)
        message_id = row["id"]
        made = step(state_of(row))
        if made is None or made.changes_nothing:
            if made is None or not made.keep_due:
                writes.driver(_END_LEASE, [(message_id,)])
            return StatusApplied(found=True, changed=False, message_id=message_id)
        fields = dict(made.fields)
        if made.due_at is None and "next_attempt_at" not in fields and not made.keep_due:
            fields["next_attempt_at"] = None
        writes.update(Communication, row, fields)
        for entry in made.history:
            event = (message_id, str(entry.status), entry.at, entry.provider, entry.provider_code, _clip(entry.detail))
            writes.insert(CommunicationEvent, dict(zip(_EVENT_KEYS, event, strict=True)))
        if not made.keep_due:
            writes.driver(_END_LEASE, [(message_id,)])
        return StatusApplied(found=True, changed=True, message_id=message_id)


def _utc_text(moment: datetime) -> str:
    """A time as SQLite holds the UTC columns (storage.schema.base.UTCDateTime), for the claim's plain SQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _clip(detail: str | None, limit: int = 2000) -> str | None:
    """A provider's error text is kept, within reason: some answer with a whole HTML page."""
    return detail if detail is None or len(detail) <= limit else detail[: limit - 1] + "…"
