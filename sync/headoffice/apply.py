"""Applying a pushed batch at head office: all or nothing, duplicates ignored, gaps held back.

Within the batch's one transaction: the Idempotency-Key is checked against the body; changes head office
already holds are recognised by branch_seq and event id (a different event under a known branch_seq is a
conflict: a store restored from an old copy); new changes get consecutive change_seq values; a ledger row is
its insert change, kept in ``ho_changes``, and moves its balance once, however many branches pushed that row
id (an effect keyed by its cause); an overspend, and a refund or return beyond what the chain sold or redeemed,
is recorded as an exception, never refused; register fields merge last-writer-wins by stamp into ``ho_rows``;
stamps too far ahead of head office's clock are replaced by its own and reported back so the branch takes the
same one; tiers are re-decided for the accounts whose qualifying points moved. Batches that arrived ahead of
a missing one wait in ``ho_held_batches``. A branch's change of a register head office alone writes
(``WRITTEN_BY_HEAD_OFFICE``: the customers' analytics rows) is checked, acknowledged and dropped: not kept, not
merged, not served to the other branches.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from core.campaigns.links import TOKEN
from core.kernel.hlc import Timestamp
from core.kernel.ids import new_id
from core.kernel.replication import (
    DECIDED_BY_HEAD_OFFICE,
    HEAD_OFFICE,
    MERGED,
    MONEY_LEDGERS,
    merge_register,
    stamp,
)
from core.loyalty.rules import QUALIFYING_KINDS
from core.purchases.model import line_key
from sync.headoffice import contacts, crypto, erasure, survey_tokens
from sync.headoffice import models as m
from sync.headoffice.integrity import (
    ENTITIES,
    WRITTEN_BY_HEAD_OFFICE,
    audit_refusal,
    check_ledger_inserts,
    check_register_write,
    check_rows,
)
from sync.headoffice.store import BadBatch, Forbidden, HeadOfficeError, HeadOfficeStore, IdempotencyConflict, iso
from sync.protocol import Change, PushResult, decode_changes, encode_changes

log = logging.getLogger(__name__)


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# The ledgers whose rows count against a limit checked across branches (see _BatchWriter._check_limits).
LIMITED = frozenset({"gift_card_transactions", "orders", "order_lines"})
ENTITY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHUNK = 500


def _validate(branch_id: str, batch: list[Change]) -> list[int]:
    """The wall-clock part of the batch's stamps, once the batch is known to be well formed."""
    if not batch:
        raise BadBatch("an empty batch")
    for i, change in enumerate(batch):
        if change.branch_id != branch_id:
            raise Forbidden("a branch can only push its own changes")
        if i and change.branch_seq != batch[i - 1].branch_seq + 1:
            raise BadBatch("branch_seq must be consecutive within a batch")
        if not ENTITY_NAME.match(change.entity):
            raise BadBatch(f"unknown entity {change.entity!r}")
        if change.entity in DECIDED_BY_HEAD_OFFICE:
            raise Forbidden(f"head office decides {change.entity}: a branch cannot push them")
    return _walls(batch)


# Timestamp.encode's form: fixed width, so that stamps sort as text (core.kernel.replication.newest relies on it too).
HLC_TEXT = re.compile(r"\d{15}\.\d{5}\.[^|]+")


def _walls(batch: list[Change]) -> list[int]:
    for change in batch:
        if not HLC_TEXT.fullmatch(change.hlc):
            raise BadBatch(f"malformed hlc {change.hlc!r}")
    return [int(change.hlc[:15]) for change in batch]


@dataclass
class _Outcome:
    acked: int
    applied: int = 0
    held: bool = False
    restamped: dict[str, str] = field(default_factory=dict)


def apply_push(store: HeadOfficeStore, branch_id: str, key: str, body_hash: str, batch: list[Change]) -> PushResult:
    """Applies the batch, or refuses it whole; a refusal is audited (sync.headoffice.integrity)."""
    try:
        return _apply_push(store, branch_id, key, body_hash, batch)
    except HeadOfficeError as exc:
        audit_refusal(store, branch_id, exc)
        raise


def _apply_push(store: HeadOfficeStore, branch_id: str, key: str, body_hash: str, batch: list[Change]) -> PushResult:
    walls = _validate(branch_id, batch)
    with store.writing() as (conn, head):
        b, i = m.branches.c, m.idempotency.c
        seen = conn.execute(select(i.body_hash).where(i.branch_id == branch_id, i.key == key)).scalar()
        if seen is not None and seen != body_hash:
            raise IdempotencyConflict("this Idempotency-Key was used with another body")
        acked = conn.execute(select(b.acked_seq).where(b.id == branch_id)).scalar()
        if acked is None:
            raise Forbidden("unknown branch")
        writer = _BatchWriter(store, conn, branch_id, head)
        outcome = writer.apply(batch, walls, int(acked))
        if outcome.held:
            h = m.held_batches.c
            present = conn.execute(
                select(h.first_seq).where(h.branch_id == branch_id, h.first_seq == batch[0].branch_seq)
            ).first()
            if present is None:
                conn.execute(
                    insert(m.held_batches).values(
                        branch_id=branch_id,
                        first_seq=batch[0].branch_seq,
                        last_seq=batch[-1].branch_seq,
                        changes=encode_changes([writer.sealed(change) for change in batch]),
                    )
                )
        else:
            _release_held(writer, outcome)
        if seen is None:
            conn.execute(
                insert(m.idempotency).values(
                    branch_id=branch_id, key=key, body_hash=body_hash, created_at=iso(store.now())
                )
            )
        conn.execute(
            update(m.branches).where(b.id == branch_id).values(acked_seq=outcome.acked, last_seen_at=iso(store.now()))
        )
        store.set_head(conn, writer.head)
    retain = store.config.retain_changes
    if retain is not None and writer.head - retain > 0 and outcome.applied:
        store.prune(retain)
    return PushResult(
        acked_seq=outcome.acked,
        applied=outcome.applied,
        held=outcome.held,
        restamped=outcome.restamped,
        server_time=store.now(),
    )


def _release_held(writer: _BatchWriter, outcome: _Outcome) -> None:
    """Batches that waited for the one just applied now follow it, in the same transaction."""
    h = m.held_batches.c
    conn = writer.conn
    while True:
        row = conn.execute(
            select(m.held_batches)
            .where(h.branch_id == writer.branch_id, h.first_seq <= outcome.acked + 1)
            .order_by(h.first_seq)
            .limit(1)
        ).first()
        if row is None:
            return
        conn.execute(delete(m.held_batches).where(h.branch_id == writer.branch_id, h.first_seq == row.first_seq))
        if row.last_seq <= outcome.acked:
            continue
        held = [writer.crypto.open_change(change) for change in decode_changes(row.changes)]
        more = writer.apply(held, _walls(held), outcome.acked)
        outcome.acked = more.acked
        outcome.applied += more.applied
        outcome.restamped.update(more.restamped)


class _BatchWriter:
    def __init__(self, store: HeadOfficeStore, conn: Connection, branch_id: str, head: int) -> None:
        self.store = store
        self.conn = conn
        self.branch_id = branch_id
        self.head = head
        self.received_at = iso(store.now())
        # Sensitive fields are sealed under head office's current key wherever they are written (crypto).
        self.crypto = store.crypto
        self.key_id = crypto.FieldCipher.current(conn)

    def sealed(self, change: Change) -> Change:
        return self.crypto.seal_change(self.key_id, change, plain=True)

    def apply(self, batch: list[Change], walls: list[int], acked: int) -> _Outcome:
        outcome = _Outcome(acked)
        # branch_seq is consecutive within a batch: the changes head office holds already come first.
        split = min(max(acked - batch[0].branch_seq + 1, 0), len(batch))
        old, new = batch[:split], batch[split:]
        if old:
            self._check_duplicates(old, outcome)
        if not new:
            return outcome
        # Checked before it is held too: a batch kept aside is one head office would apply.
        payloads = check_rows(self.branch_id, new)
        if new[0].branch_seq != acked + 1:
            outcome.held = True
            return outcome
        outcome.acked = new[-1].branch_seq
        walls = walls[split:]
        if any(change.entity in WRITTEN_BY_HEAD_OFFICE for change in new):
            kept = [i for i, change in enumerate(new) if change.entity not in WRITTEN_BY_HEAD_OFFICE]
            log.info("dropped %d customer_analytics changes of branch %s", len(new) - len(kept), self.branch_id)
            new, walls, payloads = [new[i] for i in kept], [walls[i] for i in kept], [payloads[i] for i in kept]
            if not new:
                return outcome
        records = self._records(new, walls, outcome)
        erasure.screen_push(self.conn, records, payloads)  # the tombstone of an erased customer
        self._seal_payloads(records, payloads)
        check_ledger_inserts(records, payloads, self._in_chunks)
        try:
            self._write_changes(records)
        except IntegrityError as exc:
            # The event id is unique in ho_changes, and change_seq and branch_seq are new under the lock.
            raise IdempotencyConflict(
                "an event of this batch is already held under another branch_seq (a store restored from a copy?)"
            ) from exc
        self._merge(records, payloads)
        self._take_links(records, payloads)
        survey_tokens.take(
            self.conn,
            survey_tokens.entries(
                (r["row_id"], r["origin"], p)
                for r, p in zip(records, payloads, strict=True)
                if r["entity"] == survey_tokens.ENTITY
            ),
        )
        outcome.applied = len(new)
        return outcome

    def _seal_payloads(self, records: list[dict[str, Any]], payloads: list[dict[str, Any]]) -> None:
        """The stored payloads of sensitive entities, sealed (``payloads``, what the merge reads, stay plain)."""
        for record, payload in zip(records, payloads, strict=True):
            if record["entity"] in crypto.SENSITIVE:
                sealed = self.crypto.seal(self.key_id, record["entity"], record["row_id"], payload, plain=True)
                if sealed is not payload:
                    record["payload"] = dumps(sealed)

    def _check_duplicates(self, old: list[Change], outcome: _Outcome) -> None:
        c = m.changes.c
        stored = {
            r.branch_seq: r
            for r in self.conn.execute(
                select(c.branch_seq, c.event_id, c.hlc, c.orig_hlc).where(
                    c.origin == self.branch_id, c.branch_seq >= old[0].branch_seq, c.branch_seq <= old[-1].branch_seq
                )
            )
        }
        for change in old:
            row = stored.get(change.branch_seq)
            if row is None:
                continue  # pruned long ago: nothing left to compare with
            if row.event_id != change.event_id:
                raise IdempotencyConflict(
                    f"branch_seq {change.branch_seq} is already held for another event (a store restored from a copy?)"
                )
            if row.orig_hlc is not None:
                outcome.restamped[change.event_id] = stamp(row.hlc, self.branch_id)

    def _records(self, new: list[Change], walls: list[int], outcome: _Outcome) -> list[dict[str, Any]]:
        store = self.store
        limit_ms = store._wall_ms() + int(store.config.max_clock_skew_s * 1000)
        accepted = [c.hlc for c, wall in zip(new, walls, strict=True) if wall <= limit_ms]
        if accepted:
            store.clock.observe(Timestamp.decode(max(accepted)))  # fixed-width text sorts as the stamps do
        records = []
        future: list[Change] = []
        for change, wall in zip(new, walls, strict=True):
            hlc, orig = change.hlc, None
            if wall > limit_ms:
                hlc, orig = store.clock.now().encode(), change.hlc
                outcome.restamped[change.event_id] = stamp(hlc, self.branch_id)
                future.append(change)
            self.head += 1
            records.append(
                {
                    "change_seq": self.head,
                    "event_id": change.event_id,
                    "origin": self.branch_id,
                    "branch_seq": change.branch_seq,
                    "entity": change.entity,
                    "row_id": change.row_id,
                    "op": change.op,
                    "payload": bytes(change.payload).decode(),  # stored as the branch sent it
                    "hlc": hlc,
                    "orig_hlc": orig,
                    "staff_id": change.staff_id,
                    "created_at": change.created_at,
                    "received_at": self.received_at,
                }
            )
        if future:
            ahead_s = (Timestamp.decode(future[-1].hlc).wall_ms - store._wall_ms()) / 1000
            self._exception(
                "clock",
                future[-1].row_id,
                future[-1].event_id,
                len(future),
                0,
                f"{len(future)} stamps up to {ahead_s / 3600:.1f} h ahead of head office were replaced",
            )
        return records

    def _sql(self, sql: str) -> str:
        """``sql`` written with ``?`` marks, for the driver (PostgreSQL's takes ``%s``)."""
        return sql if self.conn.dialect.paramstyle == "qmark" else sql.replace("?", "%s")

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """executemany at the driver."""
        if rows:
            self.conn.exec_driver_sql(self._sql(sql), rows)

    def _in_chunks(self, sql: str, fixed: tuple[Any, ...], ids: list[str]) -> list[Any]:
        """``sql`` (with ``IN ({marks})``) run at the driver for ``ids``, CHUNK of them at a time; the rows it
        returns. These run for every batch, and SQLAlchemy's expanding IN cost more than the queries."""
        rows: list[Any] = []
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            result = self.conn.exec_driver_sql(self._sql(sql.format(marks=", ".join("?" * len(part)))), (*fixed, *part))
            if result.returns_rows:
                rows.extend(result.all())
        return rows

    def _bulk_insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """executemany at the driver, below SQLAlchemy's per-row processing (values are plain already)."""
        names = [c.name for c in table.columns]
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        # One C call per row (a batch is thousands of rows of a dozen columns); every table has several columns,
        # so the getter returns a tuple.
        values = itemgetter(*names)
        self._many(sql, [values(row) for row in rows])

    def _write_changes(self, records: list[dict[str, Any]]) -> None:
        hook = self.store.on_change
        if hook is None:
            self._bulk_insert(m.changes, records)
            return
        for n, record in enumerate(records, 1):
            self.conn.execute(insert(m.changes), [record])
            hook(n)

    def _take_links(self, records: list[dict[str, Any]], payloads: list[dict[str, Any]]) -> None:
        """The short links of campaign recipients (core.campaigns.links) in this batch, kept by their token so
        that ``GET /l/<token>`` finds one with a single look-up. A token that is not of the drawn form, that
        another row holds already, or whose message is not the pushing branch's own (its click would land on
        another branch's message) is not taken: the link then answers 404, and nothing else is refused."""
        found = [
            {
                "token": p["link_token"],
                "execution_id": r["row_id"],
                "campaign_id": p["campaign_id"],
                "message_id": p["communication_id"],
                "branch_id": r["origin"],
                "first_clicked_at": None,
                "clicks": 0,
            }
            for r, p in zip(records, payloads, strict=True)
            if r["entity"] == "campaign_executions"
            and isinstance(p.get("link_token"), str)
            and TOKEN.fullmatch(p["link_token"])
            and p.get("communication_id")
        ]
        if found:
            sql = (
                f"SELECT row_id FROM {m.rows.name} WHERE entity = 'communications' AND branch_id = ? "
                "AND row_id IN ({marks})"
            )
            own = {row[0] for row in self._in_chunks(sql, (self.branch_id,), [f["message_id"] for f in found])}
            found = [f for f in found if f["message_id"] in own]
        if found:
            dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
            self.conn.execute(dialect.insert(m.links).on_conflict_do_nothing(), found)

    # -- merging into head office's rows -----------------------------------------------------------------------
    def _merge(self, records: list[dict[str, Any]], payloads: list[dict[str, Any]]) -> None:
        """Register rows merge into ``ho_rows``; a ledger row is its insert in ``ho_changes`` and is not copied.
        A ledger row is logged once, by the branch that wrote it (sync.headoffice.integrity has checked that),
        so the event ids already checked are its union. Which is which is the entity's, never the payload's."""
        registers: list[tuple[dict[str, Any], dict[str, Any]]] = []
        money: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for r, payload in zip(records, payloads, strict=True):
            if not ENTITIES[r["entity"]].ledger:
                registers.append((r, payload))
            elif r["entity"] in MONEY_LEDGERS:
                money.append((r, payload))
        current = self._load_rows({(r["entity"], r["row_id"]) for r, _payload in registers})
        created: dict[tuple[str, str], dict[str, Any]] = {}
        changed: dict[tuple[str, str], dict[str, Any]] = {}
        for r, payload in registers:
            key = (r["entity"], r["row_id"])
            row = current.get(key) or created.get(key)
            check_register_write(r, payload, row)
            incoming_stamp = stamp(r["hlc"], r["origin"])
            if row is None:
                # Head office keeps rows as documents: an orphan (an update ahead of its insert) is the row so
                # far, and the insert merges into it when it comes.
                merge = merge_register({}, {}, payload, incoming_stamp, required=frozenset())
                created[key] = {
                    "entity": key[0],
                    "row_id": key[1],
                    "branch_id": payload.get("branch_id") or r["origin"],
                    "data": merge.fields,
                    "field_hlc": merge.stamps,
                    "change_seq": r["change_seq"],
                }
                continue
            merge = merge_register(row["data"], row["field_hlc"], payload, incoming_stamp)
            if merge.outcome == MERGED:
                row["data"] = {**row["data"], **merge.fields}
                row["field_hlc"] = {**row["field_hlc"], **merge.stamps}
                row["change_seq"] = r["change_seq"]
                if key not in created:
                    changed[key] = row
        self._move_balances(money, created, changed, current)
        self._check_limits([(r, p) for r, p in zip(records, payloads, strict=True) if r["entity"] in LIMITED])
        if created:
            self._bulk_insert(
                m.rows,
                [
                    {
                        "entity": row["entity"],
                        "row_id": row["row_id"],
                        "branch_id": row["branch_id"],
                        "data": dumps(self._seal_row(row)),
                        "field_hlc": dumps(row["field_hlc"]),
                        "change_seq": row["change_seq"],
                    }
                    for row in created.values()
                ],
            )
        self._many(
            f"UPDATE {m.rows.name} SET data = ?, field_hlc = ?, change_seq = ? WHERE entity = ? AND row_id = ?",
            [
                (dumps(self._seal_row(row)), dumps(row["field_hlc"]), row["change_seq"], entity, row_id)
                for (entity, row_id), row in changed.items()
            ],
        )
        customers = contacts.rows_of((e, i, row["data"]) for (e, i), row in (*created.items(), *changed.items()))
        if customers:
            gone, kept = contacts.refresh_params(customers)
            self._many(contacts.REFRESH_DELETE, gone)
            self._many(contacts.REFRESH_INSERT, kept)
            gone, digests = crypto.index_params(self.crypto, customers)  # Emirates IDs' blind index
            self._many(crypto.INDEX_DELETE, gone)
            self._many(crypto.INDEX_INSERT, digests)

    def _seal_row(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["entity"] not in crypto.SENSITIVE:
            return row["data"]  # type: ignore[no-any-return]
        return self.crypto.seal(self.key_id, row["entity"], row["row_id"], row["data"], plain=True)

    def _load_rows(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        by_entity: dict[str, list[str]] = {}
        for entity, row_id in keys:
            by_entity.setdefault(entity, []).append(row_id)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        sql = (
            f"SELECT row_id, branch_id, data, field_hlc, change_seq FROM {m.rows.name} "
            "WHERE entity = ? AND row_id IN ({marks})"
        )
        for entity, ids in by_entity.items():
            for row_id, branch_id, data, field_hlc, change_seq in self._in_chunks(sql, (entity,), ids):
                found[(entity, row_id)] = {
                    "entity": entity,
                    "row_id": row_id,
                    "branch_id": branch_id,
                    "data": self.crypto.open(entity, row_id, orjson.loads(data)),
                    "field_hlc": orjson.loads(field_hlc),
                    "change_seq": change_seq,
                }
        return found

    def _move_balances(
        self,
        money: list[tuple[dict[str, Any], dict[str, Any]]],
        created: dict[tuple[str, str], dict[str, Any]],
        changed: dict[tuple[str, str], dict[str, Any]],
        current: dict[tuple[str, str], dict[str, Any]],
    ) -> None:
        if not money:
            return
        for record, payload in money:  # what the sums below read, or the whole batch fails deep in SQL
            ledger = MONEY_LEDGERS[record["entity"]]
            if (
                not isinstance(payload.get(ledger.subject_field), str)
                or type(payload.get(ledger.amount_field)) is not int
            ):
                raise BadBatch(
                    f"{record['entity']} {record['row_id']}: needs {ledger.subject_field} (text) "
                    f"and {ledger.amount_field} (a whole number of fils)"
                )
        money = self._first_inserts(money)
        subjects = {(MONEY_LEDGERS[r["entity"]].kind, p[MONEY_LEDGERS[r["entity"]].subject_field]) for r, p in money}
        known: dict[tuple[str, str], list[int]] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, subject in subjects:
            by_kind.setdefault(kind, []).append(subject)
        # One kind at a time: SQLite walks the whole table for a row-value IN over (kind, subject_id), but looks
        # each subject up by the primary key for kind = ? AND subject_id IN (...).
        sql = f"SELECT subject_id, balance, earned FROM {m.balances.name} WHERE kind = ? AND subject_id IN ({{marks}})"
        for kind, listed in by_kind.items():
            for subject, balance, earned in self._in_chunks(sql, (kind,), listed):
                known[(kind, subject)] = [int(balance), int(earned)]
        fresh = set(subjects) - set(known)
        for subject in fresh:
            known[subject] = [0, 0]
        earned_moved: set[str] = set()
        for record, payload in money:
            ledger = MONEY_LEDGERS[record["entity"]]
            subject = payload[ledger.subject_field]
            amount = int(payload[ledger.amount_field])
            state = known[(ledger.kind, subject)]
            state[0] += amount
            if ledger.kind == "points" and payload.get("kind") in QUALIFYING_KINDS:
                state[1] += amount
                earned_moved.add(subject)
            if amount < 0 and state[0] < 0:
                self._exception(
                    ledger.kind,
                    subject,
                    record["event_id"],
                    min(-amount, -state[0]),
                    state[0],
                    "offline" if payload.get("offline_pending") else "",
                    branch_id=record["origin"],
                )
        # The holds these events settle (authorised online before they were pushed).
        self._in_chunks(
            f"DELETE FROM {m.holds.name} WHERE hold_id IN ({{marks}})", (), [r["row_id"] for r, _p in money]
        )
        self._many(
            f"INSERT INTO {m.balances.name} (kind, subject_id, balance, earned) VALUES (?, ?, ?, ?)",
            [(k, s, known[(k, s)][0], known[(k, s)][1]) for k, s in fresh],
        )
        self._many(
            f"UPDATE {m.balances.name} SET balance = ?, earned = ? WHERE kind = ? AND subject_id = ?",
            [
                (balance, earned, kind, subject)
                for (kind, subject), (balance, earned) in known.items()
                if (kind, subject) not in fresh
            ],
        )
        rule = self.store.config.tier_rule
        if rule is not None:
            # The accounts whose points moved, read in one go where this batch did not bring them.
            keys = [("loyalty_accounts", account_id) for account_id in earned_moved]
            current.update(
                self._load_rows([k for k in keys if k not in created and k not in changed and k not in current])
            )
            for account_id in earned_moved:
                self._decide_tier(account_id, rule(known[("points", account_id)][1]), created, changed, current)

    def _first_inserts(
        self, money: list[tuple[dict[str, Any], dict[str, Any]]]
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The money rows that are new to head office. An effect that must happen once per cause (an upgrade
        bonus, an expiry) carries an id derived from its cause, so two branches that acted on the same cause
        while apart push the same ledger row id: the union keeps one row, and only the first insert moves the
        balance (the later one is kept in the log, harmless to a branch's insert-if-absent)."""
        held: set[tuple[str, str]] = set()
        sql = f"SELECT row_id FROM {m.changes.name} WHERE entity = ? AND change_seq < ? AND row_id IN ({{marks}})"
        by_entity: dict[str, list[str]] = {}
        for record, _payload in money:
            by_entity.setdefault(record["entity"], []).append(record["row_id"])
        first_seq = min(record["change_seq"] for record, _payload in money)
        for entity, ids in by_entity.items():
            held.update((entity, row[0]) for row in self._in_chunks(sql, (entity, first_seq), ids))
        fresh = []
        for record, payload in money:
            key = (record["entity"], record["row_id"])
            if key not in held:
                held.add(key)
                fresh.append((record, payload))
        return fresh

    def _check_limits(self, rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """Refunds and returns cannot be keyed by their cause (a partial refund is a fresh decision), so two
        branches can each take back the same receipt or refund the same card while apart. Head office counts them
        against the chain's whole ledger: per card, refunds against redemptions; per line of a sale, returned
        quantities against sold ones. Both rows are kept — the money or the goods have left — and the excess is
        an exception of the branch that went over, shown at head office and in that branch manager's view, as
        an overspend is."""
        rows = [(r, p) for r, p in self._first_inserts(rows) if r["op"] == "insert"] if rows else []
        if not rows:
            return
        orders = {r["row_id"]: p for r, p in rows if r["entity"] == "orders"}
        wanted = [p.get("order_id") for r, p in rows if r["entity"] == "order_lines"]
        missing = sorted({str(o) for o in wanted if o and o not in orders})
        if missing:
            sql = f"SELECT row_id, payload FROM {m.changes.name} WHERE entity = 'orders' AND row_id IN ({{marks}})"
            orders.update({row_id: orjson.loads(payload) for row_id, payload in self._in_chunks(sql, (), missing)})
        moves: list[tuple[str, str, int, int, dict[str, Any], dict[str, Any]]] = []
        for record, payload in rows:
            if record["entity"] == "gift_card_transactions":
                amount = int(payload.get("amount_fils") or 0)
                if payload.get("kind") == "redeem":
                    moves.append(("refund", str(payload["card_id"]), -amount, 0, record, payload))
                elif payload.get("kind") == "refund":
                    moves.append(("refund", str(payload["card_id"]), 0, amount, record, payload))
            elif record["entity"] == "order_lines":
                order = orders.get(str(payload.get("order_id")))
                if order is None:
                    continue
                pool = line_key(
                    str(payload.get("sku")), int(payload.get("unit_price_fils") or 0), payload.get("size_ml")
                )
                quantity = abs(int(payload.get("quantity") or 0))
                if order.get("kind") == "return" and order.get("original_order_id"):
                    moves.append(("return", f"{order['original_order_id']}|{pool}", 0, quantity, record, payload))
                elif order.get("kind") != "return":
                    moves.append(("return", f"{payload['order_id']}|{pool}", quantity, 0, record, payload))
        if not moves:
            return
        known: dict[tuple[str, str], list[int]] = {}
        for kind in {move[0] for move in moves}:
            subjects = sorted({move[1] for move in moves if move[0] == kind})
            sql = f"SELECT subject_id, allowed, used FROM {m.limits.name} WHERE kind = ? AND subject_id IN ({{marks}})"
            for subject, allowed, used in self._in_chunks(sql, (kind,), subjects):
                known[(kind, subject)] = [int(allowed), int(used)]
        fresh = {(move[0], move[1]) for move in moves} - set(known)
        for key in fresh:
            known[key] = [0, 0]
        for kind, subject, allowed, used, record, payload in moves:
            state = known[(kind, subject)]
            state[0] += allowed
            state[1] += used
            over = state[1] - state[0]
            # Nothing allowed at all: a sale or redemption head office took before it counted them (a store
            # older than this check); no branch could refund or return against what it never saw.
            if used and over > 0 and state[0] > 0:
                if kind == "refund":
                    detail = "refunded beyond what was paid with the card, across branches"
                    self._exception(
                        kind, subject, record["event_id"], min(used, over), -over, detail, branch_id=record["origin"]
                    )
                else:
                    # The sale's id is the subject; the amount is the value of the quantity returned twice.
                    units = min(used, over)
                    detail = f"{units} x {payload.get('sku')} returned beyond what was sold, across branches"
                    value = units * int(payload.get("unit_price_fils") or 0)
                    sale = subject.partition("|")[0]
                    self._exception(kind, sale, record["event_id"], value, -over, detail, branch_id=record["origin"])
        self._many(
            f"INSERT INTO {m.limits.name} (kind, subject_id, allowed, used) VALUES (?, ?, ?, ?)",
            [(k, s, known[(k, s)][0], known[(k, s)][1]) for k, s in fresh],
        )
        self._many(
            f"UPDATE {m.limits.name} SET allowed = ?, used = ? WHERE kind = ? AND subject_id = ?",
            [(a, u, k, s) for (k, s), (a, u) in known.items() if (k, s) not in fresh],
        )

    def _decide_tier(
        self,
        account_id: str,
        tier: str | None,
        created: dict[tuple[str, str], dict[str, Any]],
        changed: dict[tuple[str, str], dict[str, Any]],
        current: dict[tuple[str, str], dict[str, Any]],
    ) -> None:
        key = ("loyalty_accounts", account_id)
        row = created.get(key) or changed.get(key) or current.get(key)
        if row is None:
            return
        if tier is None or row["data"].get("tier") == tier:
            return
        seq = self.store.counter(self.conn, "headoffice_seq") + 1
        self.conn.execute(update(m.counters).where(m.counters.c.name == "headoffice_seq").values(value=seq))
        hlc = self.store.clock.now().encode()
        self.head += 1
        payload = {"id": account_id, "tier": tier}
        self.conn.execute(
            insert(m.changes).values(
                change_seq=self.head,
                event_id=new_id(),
                origin=HEAD_OFFICE,
                branch_seq=seq,
                entity=key[0],
                row_id=account_id,
                op="update",
                payload=dumps(payload),
                hlc=hlc,
                orig_hlc=None,
                staff_id=None,
                created_at=self.received_at,
                received_at=self.received_at,
            )
        )
        row["data"] = {**row["data"], "tier": tier}
        row["field_hlc"] = {**row["field_hlc"], "tier": stamp(hlc, HEAD_OFFICE)}
        row["change_seq"] = self.head
        if key not in created:
            changed[key] = row

    def _exception(
        self,
        kind: str,
        subject: str,
        event_id: str,
        amount: int,
        balance_after: int,
        detail: str,
        branch_id: str | None = None,
    ) -> None:
        self.conn.execute(
            insert(m.exceptions).values(
                kind=kind,
                subject_id=subject,
                branch_id=branch_id or self.branch_id,
                event_id=event_id,
                amount=amount,
                balance_after=balance_after,
                detected_at=self.received_at,
                detail=detail,
            )
        )
