"""Head office's outbox, as the dispatcher sees it (core.messaging.ports.OutboxStore): in a chain, head office
sends every branch's messages, with the provider credentials in one place and the webhooks landing beside it.

Messages arrive as the branches' ``communications`` rows (by push). ``ho_outbox`` is the dispatcher's queue
over them: a message id, when it is due, and who holds it until when. Rows are taken into it from the change
feed, after a cursor (``outbox_seq`` in ho_counters), by whichever dispatcher claims next — every writer
commits in change_seq order (sync.headoffice.store), so "after N" never skips a message.

Several dispatcher processes may share one PostgreSQL outbox: a claim selects due rows ``FOR UPDATE SKIP
LOCKED`` and leases them in the same transaction, so two dispatchers never take the same message and
neither waits for the other. On SQLite the writer's BEGIN IMMEDIATE serialises claims (one dispatcher is
what SQLite is for). A result is head office's own change of the message (its status fields) plus a
``communication_events`` ledger row per history entry, written in one ``writing`` transaction, so the
branches pull both; ``update_many`` writes the results of sends that finished together in one such
transaction (the dispatcher's group commit), taking the change_seq lock once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Index, MetaData, String, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from core.kernel.ids import new_id
from core.kernel.replication import HEAD_OFFICE, stamp
from core.messaging.outbox import TIME_FIELDS, MessageState, Step
from core.messaging.ports import OutboundMessage, Record, StatusApplied, message_params
from core.messaging.templates import whatsapp_name
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, iso

metadata = MetaData()

outbox = Table(
    "ho_outbox",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("due_at", String(40), nullable=False),  # ISO-8601 UTC, like every time head office keeps
    Column("owner", String(60)),
    Column("lease_until", String(40)),
    Index("ix_ho_outbox_due", "due_at"),
)

# The provider's id of a message → the message: a status webhook may name either.
provider_ids = Table(
    "ho_outbox_provider_ids",
    metadata,
    Column("provider_message_id", String(120), primary_key=True),
    Column("message_id", String(36), nullable=False),
)

CURSOR = "outbox_seq"
INGEST_PAGE = 5000
PENDING = ("queued", "failed")


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _utc(value: str) -> str:
    """An ISO time as head office writes it (UTC, isoformat), so that times compare as text."""
    try:
        return iso(datetime.fromisoformat(value))
    except ValueError:
        return "9999"  # not a time: never the earliest


def _state(data: dict[str, Any]) -> MessageState:
    times = {name: _when(data.get(name)) for name in TIME_FIELDS.values()}
    return MessageState(status=str(data.get("status") or "queued"), attempts=int(data.get("attempts") or 0), **times)


def _template_name(key: Any, name: Any) -> str | None:
    """The template's name at Meta: the one its row names, else the one derived from its key."""
    if isinstance(name, str) and name:
        return name
    return whatsapp_name(key) if isinstance(key, str) and key else None


def _wire(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


class HeadOfficeOutbox:
    def __init__(self, store: HeadOfficeStore) -> None:
        self.store = store
        try:
            metadata.create_all(store.writer)
        except DBAPIError:  # another dispatcher starting at the same moment made them first
            metadata.create_all(store.writer)
        with store.writer.begin() as conn:
            c = m.counters.c
            if conn.execute(select(c.value).where(c.name == CURSOR)).first() is None:
                conn.execute(insert(m.counters).values(name=CURSOR, value=0))

    def _insert_ignoring(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)

    def ingest(self, now: datetime) -> int:
        """Takes the messages pushed since the cursor into the queue; returns how many."""
        c, counters = m.changes.c, m.counters.c
        taken = 0
        with self.store.writer.begin() as conn:
            cursor = conn.execute(select(counters.value).where(counters.name == CURSOR).with_for_update()).scalar_one()
            head = conn.execute(select(counters.value).where(counters.name == "change_seq")).scalar_one()
            if cursor >= head:
                return 0
            found = conn.execute(
                select(c.change_seq, c.row_id, c.payload, c.received_at)
                .where(c.change_seq > cursor, c.change_seq <= head, c.entity == "communications", c.op == "insert")
                .order_by(c.change_seq)
                .limit(INGEST_PAGE)
            ).all()
            due = iso(now)
            rows = []
            for _seq, row_id, payload, received in found:
                data = orjson.loads(payload)
                if data.get("direction", "outbound") == "outbound" and data.get("status", "queued") in PENDING:
                    # Due since it was written (or head office received it, if earlier by head office's clock),
                    # never later than now: a dispatcher whose clock runs a little behind the one that took it
                    # in must not see it as not due yet.
                    times = [due, received, data.get("created_at")]
                    since = min(_utc(t) for t in times if isinstance(t, str) and t)
                    rows.append({"message_id": row_id, "due_at": since, "owner": None, "lease_until": None})
            self._insert_ignoring(conn, outbox, rows)
            taken = len(rows)
            moved = found[-1][0] if len(found) == INGEST_PAGE else head
            conn.execute(update(m.counters).where(counters.name == CURSOR).values(value=moved))
        return taken

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboundMessage]:
        self.ingest(now)
        o = outbox.c
        at = iso(now)
        with self.store.writer.begin() as conn:
            ids = list(
                conn.execute(
                    select(o.message_id)
                    .where(o.due_at <= at, (o.lease_until.is_(None)) | (o.lease_until <= at))
                    .order_by(o.due_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            if not ids:
                return []
            conn.execute(update(outbox).where(o.message_id.in_(ids)).values(owner=owner, lease_until=iso(lease_until)))
            r = m.rows.c
            found = conn.execute(select(r.row_id, r.data).where(r.entity == "communications", r.row_id.in_(ids))).all()
            messages = {row_id: orjson.loads(data) for row_id, data in found}
            template_ids = {d["template_id"] for d in messages.values() if d.get("template_id")}
            templates = {
                row_id: orjson.loads(data)
                for row_id, data in conn.execute(
                    select(r.row_id, r.data).where(r.entity == "message_templates", r.row_id.in_(template_ids))
                )
            }
        return [self._message(row_id, data, templates) for row_id, data in messages.items()]

    @staticmethod
    def _message(row_id: str, data: dict[str, Any], templates: dict[str, dict[str, Any]]) -> OutboundMessage:
        template = templates.get(data.get("template_id") or "", {})
        key, name = template.get("key"), template.get("whatsapp_name")
        return OutboundMessage(
            id=row_id,
            channel=str(data.get("channel", "")),
            recipient=str(data.get("recipient", "")),
            body=str(data.get("body", "")),
            customer_id=data.get("customer_id"),
            template_id=data.get("template_id"),
            language=str(template.get("language") or "en"),
            promotional=bool(template.get("promotional")),
            state=_state(data),
            params=message_params(data.get("params")),
            template_name=_template_name(key, name),
            interactive=data.get("interactive") if isinstance(data.get("interactive"), dict) else None,
        )

    def update(self, ref: str, step: Callable[[MessageState], Step | None], now: datetime) -> StatusApplied:
        return self.update_many([(ref, step)], now)[0]

    def update_many(self, updates: Sequence[Record], now: datetime) -> list[StatusApplied]:
        """Several updates in one transaction, applied in order as ``update`` would apply them one by one (a
        group commit of status webhooks that arrived together: one fsync for all, each answered once durable).

        Set-based and below SQLAlchemy's statement building (``_Sql``: each statement compiled once per
        dialect, its parameters built as tuples): the messages are read with one statement, and their changes,
        history lines, merged rows and queue entries are written with one executemany each, so a batch costs a
        few statements whatever its size. What is written is what HeadOfficeStore.decide and post write."""
        with self.store.writing() as (conn, head):
            sql = _Sql.of(conn)
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                return self._update_many(cursor, sql, head, updates, now)
            finally:
                cursor.close()

    def _update_many(
        self, cursor: Any, sql: _Sql, head: int, updates: Sequence[Record], now: datetime
    ) -> list[StatusApplied]:
        refs = list(dict.fromkeys(ref for ref, _ in updates))
        rows: dict[str, _Row] = {}
        for start in range(0, len(refs), 500):
            rows.update(sql.messages(cursor, refs[start : start + 500]))
        by_ref = {row_id: row_id for row_id in rows}
        unresolved = [ref for ref in refs if ref not in rows]
        if unresolved:
            cursor.execute(sql.linked, (sql.ids(unresolved),))
            linked = {str(theirs): str(ours) for theirs, ours in cursor.fetchall()}
            wanted = [i for i in set(linked.values()) if i not in rows]
            if wanted:
                rows.update(sql.messages(cursor, wanted))
            by_ref.update({ref: message_id for ref, message_id in linked.items() if message_id in rows})
        cursor.execute(sql.counter, ("headoffice_seq",))
        seq = int(cursor.fetchone()[0])
        clock = self.store.clock
        stamp_now = iso(self.store.now())
        created = iso(now)
        changes: list[tuple[Any, ...]] = []
        merged: dict[str, int] = {}  # message id → change_seq of its last change
        queue: dict[str, tuple[str, None, None] | None] = {}  # message id → its new due time (None: leaves)
        links: dict[str, str] = {}
        results: list[StatusApplied] = []

        def change(entity: str, row_id: str, op: str, payload: dict[str, Any]) -> str:
            nonlocal head, seq
            head += 1
            seq += 1
            hlc = clock.now().encode()
            payload_json = orjson.dumps(payload).decode()
            # CHANGE_COLUMNS, in order: no orig_hlc, no staff_id
            changes.append(
                (
                    head,
                    new_id(),
                    HEAD_OFFICE,
                    seq,
                    entity,
                    row_id,
                    op,
                    payload_json,
                    hlc,
                    None,
                    None,
                    stamp_now,
                    stamp_now,
                )
            )
            return hlc

        for ref, step in updates:
            message_id = by_ref.get(ref)
            if message_id is None:
                results.append(StatusApplied(found=False, changed=False))
                continue
            row = rows[message_id]
            data = row.data
            made = step(_state(data))
            if made is None or made.changes_nothing:
                if made is None or not made.keep_due:
                    queue[message_id] = None
                results.append(StatusApplied(found=True, changed=False, message_id=message_id))
                continue
            fields = {name: _wire(value) for name, value in made.fields.items()}
            if made.due_at is None and "next_attempt_at" not in fields and not made.keep_due:
                fields["next_attempt_at"] = None
            hlc = change("communications", message_id, "update", {"id": message_id, **fields})
            data.update(fields)
            signed = stamp(hlc, HEAD_OFFICE)
            row.stamps.update(dict.fromkeys(fields, signed))
            merged[message_id] = head
            branch = data.get("branch_id") or row.branch
            for entry in made.history:
                event_id = new_id()
                line = {
                    "id": event_id,
                    "branch_id": branch,
                    "created_at": created,
                    "message_id": message_id,
                    "status": str(entry.status),
                    "at": iso(entry.at),
                    "provider": entry.provider,
                    "provider_code": entry.provider_code,
                    "detail": entry.detail[:2000] if entry.detail else entry.detail,
                }
                change("communication_events", event_id, "insert", line)
            provider_id = fields.get("provider_message_id")
            if provider_id:
                links.setdefault(provider_id, message_id)
            if made.keep_due:
                pass  # a status that came while the message waits or is in flight: its place stays
            elif made.due_at is None:
                queue[message_id] = None
            else:
                queue[message_id] = (iso(made.due_at), None, None)
            results.append(StatusApplied(found=True, changed=True, message_id=message_id))

        if changes:
            cursor.executemany(sql.change, changes)
            cursor.executemany(
                sql.merge,
                [
                    (orjson.dumps(rows[i].data).decode(), orjson.dumps(rows[i].stamps).decode(), at, i)
                    for i, at in merged.items()
                ],
            )
            cursor.executemany(sql.move, [(seq, "headoffice_seq"), (head, "change_seq")])
        if links:
            cursor.executemany(sql.link, list(links.items()))
        leaving = [(message_id,) for message_id, place in queue.items() if place is None]
        if leaving:
            cursor.executemany(sql.leave, leaving)
        moving = [(*place, message_id) for message_id, place in queue.items() if place is not None]
        if moving:
            cursor.executemany(sql.requeue, moving)
        return results


class _Row:
    __slots__ = ("branch", "data", "stamps")

    def __init__(self, branch: str, data: dict[str, Any], stamps: dict[str, Any]) -> None:
        self.branch, self.data, self.stamps = branch, data, stamps


class _Sql:
    """update_many's statements, compiled once per dialect: written as the tables' columns say (a column
    added to ho_changes must be added to ``change``: the check below refuses to start without it)."""

    _made: dict[str, _Sql] = {}

    def __init__(self, dialect: str) -> None:
        mark = "%s" if dialect == "postgresql" else "?"
        self.postgres = dialect == "postgresql"
        # A list of ids is one parameter: an array on PostgreSQL, a JSON array on SQLite (json_each).
        among = f"= ANY({mark})" if self.postgres else f"IN (SELECT value FROM json_each({mark}))"
        r, c, k = m.rows.name, m.changes.name, m.counters.name
        columns = [col.name for col in m.changes.columns]
        if columns != list(CHANGE_COLUMNS):
            raise RuntimeError(f"{c} has columns {columns}; update_many writes {list(CHANGE_COLUMNS)}")
        self.read = (
            f"SELECT row_id, branch_id, data, field_hlc FROM {r} WHERE entity = 'communications' AND row_id {among}"
        )
        self.linked = (
            f"SELECT provider_message_id, message_id FROM {provider_ids.name} WHERE provider_message_id {among}"
        )
        self.counter = f"SELECT value FROM {k} WHERE name = {mark}"
        self.change = f"INSERT INTO {c} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
        self.merge = (
            f"UPDATE {r} SET data = {mark}, field_hlc = {mark}, change_seq = {mark} "
            f"WHERE entity = 'communications' AND row_id = {mark}"
        )
        self.move = f"UPDATE {k} SET value = {mark} WHERE name = {mark}"
        self.link = (
            f"INSERT INTO {provider_ids.name} (provider_message_id, message_id) VALUES ({mark}, {mark}) "
            "ON CONFLICT DO NOTHING"
        )
        self.leave = f"DELETE FROM {outbox.name} WHERE message_id = {mark}"
        self.requeue = (
            f"UPDATE {outbox.name} SET due_at = {mark}, owner = {mark}, lease_until = {mark} WHERE message_id = {mark}"
        )

    @classmethod
    def of(cls, conn: Connection) -> _Sql:
        name = conn.dialect.name
        made = cls._made.get(name)
        if made is None:
            made = cls._made[name] = cls(name)
        return made

    def ids(self, ids: list[str]) -> Any:
        return ids if self.postgres else orjson.dumps(ids).decode()

    def messages(self, cursor: Any, ids: list[str]) -> dict[str, _Row]:
        cursor.execute(self.read, (self.ids(ids),))
        return {
            row_id: _Row(branch_id, orjson.loads(data), orjson.loads(stamps))
            for row_id, branch_id, data, stamps in cursor.fetchall()
        }


CHANGE_COLUMNS = (
    "change_seq",
    "event_id",
    "origin",
    "branch_seq",
    "entity",
    "row_id",
    "op",
    "payload",
    "hlc",
    "orig_hlc",
    "staff_id",
    "created_at",
    "received_at",
)
