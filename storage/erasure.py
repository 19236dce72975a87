"""Applying an approved erasure to a branch store: head office's tombstone (``customers.erased_at``, its own
change) arrives by pull, and in the pull's transaction this module overwrites every copy the store keeps of
what identified the customer (core.privacy.scrub's rules): the profile and its search text, the full-text index,
messages' bodies and recipients, free text of tickets, feedback, visits and follow-ups, the values in the audit
history, and the payloads of the change log's rows about the customer that head office holds already.

The store's triggers keep ledgers and the change log append-only and register updates logged (0001, 0005);
while a scrub's customer ids are in ``erasure_scrubbing`` (only inside the scrub's own transaction) they let
these rows change (0025). The change log's rows not yet pushed are left as they are: changing a batch that
may be retried under its Idempotency-Key would be refused as another body; head office drops the identifying
fields of such a change for an erased customer, and the row is scrubbed here once acknowledged
(``scrub_acknowledged``).

Freed bytes: with ``secure_delete`` on for the scrub, SQLite zeroes the space the old values leave in a page and
the pages it frees; the full-text index drops the old terms (FTS5 'secure-delete' from SQLite 3.42, else a
merge into one segment after the commit); the write-ahead log is then checkpointed and truncated, so the old
page images leave the -wal file too (``after_scrub``). Measured (benchmarks/bench_erasure.py, 100,000 customers,
SQLite 3.40, 5 runs): the pull's own transaction grows by 11 ms median (8–19 ms); the index merge after it takes
2.1 s median (1.7–4.3 s) and grows with the index (some 20 s at a million customers, where SQLite 3.42's
secure-delete, which needs no merge, is the way). ``secure_delete`` left on for every write changed a profile
edit's time within the machine's noise (paired on/off median 0.81 and 1.05 in two runs, spread 0.78–1.49); it is
on for scrubs only, which is all an erasure needs, and an encrypted store's freed pages are ciphertext anyway.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection

from core.privacy.scrub import RULES, Rule, customer_of, scrubbed
from storage.db import Store
from storage.schema.people import customer_search_doc

CHUNK = 500
# FTS5 removes a deleted document's terms from the index itself from SQLite 3.42 on ('secure-delete'); before, a
# delete only marks them, and the old terms stay in their segment until it is merged (``purge_index``).
FTS_SECURE_DELETE = sqlite3.sqlite_version_info >= (3, 42, 0)
SCRUBBING = "SELECT customer_id FROM erasure_scrubbing"
# A tombstone counts only as head office wrote it: its stamp is head office's (a till's own write has none).
ERASED = "erased_at IS NOT NULL AND json_extract(field_hlc, '$.erased_at') LIKE '%|headoffice'"
# Columns stored as JSON text, and as 0/1, in the tables the rules touch.
_JSON = frozenset(
    {"changes", "families", "brands", "sizes_ml", "favourite_notes", "occasions", "dislikes", "params"}
    | {"interactive", "evidence", "products_tried"}
)
_BOOLEAN = frozenset({"consent_whatsapp", "consent_sms", "consent_email"})


def _where(rule: Rule) -> str:
    """The condition that a row of ``rule.entity`` is about a customer being scrubbed."""
    if rule.entity == "customers":
        return f"id IN ({SCRUBBING})"
    if rule.parent is not None:
        column, parent = rule.parent
        return f"{column} IN (SELECT id FROM {parent} WHERE customer_id IN ({SCRUBBING}))"
    return " OR ".join(f"{column} IN ({SCRUBBING})" for column in rule.columns)


def _stored(name: str, value: Any) -> Any:
    if name in _JSON:
        return json.dumps(value)  # as SQLAlchemy's JSON type writes it
    if name in _BOOLEAN:
        return 1 if value else 0
    return value


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def erased_among(conn: Connection, customer_ids: Iterable[str]) -> list[str]:
    """The customers among ``customer_ids`` that carry head office's erasure tombstone."""
    found: list[str] = []
    for part in _chunks(sorted(set(customer_ids))):
        marks = ", ".join("?" for _ in part)
        found.extend(
            r[0]
            for r in conn.exec_driver_sql(f"SELECT id FROM customers WHERE {ERASED} AND id IN ({marks})", tuple(part))
        )
    return found


def scrub_customers(conn: Connection, customer_ids: Iterable[str], pushed_seq: int) -> int:
    """Overwrites what identifies each of ``customer_ids`` everywhere in this store, inside ``conn``'s
    transaction; returns the rows changed. Applying it twice changes nothing more."""
    ids = sorted(set(customer_ids))
    if not ids:
        return 0
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    if FTS_SECURE_DELETE:
        # The index drops a deleted document's terms at once, instead of marking them deleted (SQLite 3.42+).
        conn.exec_driver_sql("INSERT INTO customer_search(customer_search, rank) VALUES ('secure-delete', 1)")
    conn.exec_driver_sql("INSERT OR IGNORE INTO erasure_scrubbing (customer_id) VALUES (?)", [(i,) for i in ids])
    changed = 0
    related: dict[str, list[str]] = {}
    for rule in RULES:
        names = [*rule.values, *rule.computed]
        rows = conn.exec_driver_sql(f"SELECT id, {', '.join(names)} FROM {rule.entity} WHERE {_where(rule)}").all()
        related[rule.entity] = [r[0] for r in rows]
        updates = []
        for row in rows:
            current = {name: _loaded(name, value) for name, value in zip(names, row[1:], strict=True)}
            after = scrubbed(rule.entity, current)
            if after != current:
                updates.append((after, row[0]))
        if not updates:
            continue
        if rule.entity == "customers":
            _scrub_profiles(conn, [i for _after, i in updates])
        else:
            sql = f"UPDATE {rule.entity} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"
            conn.exec_driver_sql(sql, [(*(_stored(n, after[n]) for n in names), i) for after, i in updates])
        changed += len(updates)
    changed += _scrub_log(conn, related, f"branch_seq <= {int(pushed_seq)}")
    changed += _scrub_kept(conn, set(ids), related)
    conn.exec_driver_sql("DELETE FROM erasure_scrubbing")
    conn.exec_driver_sql("PRAGMA secure_delete = OFF")  # the pooled connection's later writes pay nothing for it
    return changed


def _scrub_kept(conn: Connection, ids: set[str], related: dict[str, list[str]]) -> int:
    """What a replica keeps of pulled rows not yet in place (``orphan_rows``: updates ahead of their insert;
    ``waiting_rows``: rows waiting for a parent), when they are about the customers. Both tables are almost
    always empty: one probe each."""
    rows = {entity: set(row_ids) for entity, row_ids in related.items()}

    def about(entity: str, row_id: str, data: dict[str, Any]) -> bool:
        return row_id in rows.get(entity, set()) or bool(customer_of(entity, {**data, "id": row_id}) & ids)

    changed = 0
    orphans = conn.exec_driver_sql("SELECT entity, row_id, data FROM orphan_rows").all()
    for entity, row_id, data in orphans:
        current = orjson.loads(data)
        if about(entity, row_id, current) and scrubbed(entity, current) != current:
            conn.exec_driver_sql(
                "UPDATE orphan_rows SET data = ? WHERE entity = ? AND row_id = ?",
                (orjson.dumps(scrubbed(entity, current)).decode(), entity, row_id),
            )
            changed += 1
    for key, change in conn.exec_driver_sql("SELECT id, change FROM waiting_rows").all():
        current = orjson.loads(change)
        data = current.get("data") or {}
        entity, row_id = str(current.get("entity")), str(current.get("row_id"))
        if about(entity, row_id, data) and scrubbed(entity, data) != data:
            current["data"] = scrubbed(entity, data)
            conn.exec_driver_sql(
                "UPDATE waiting_rows SET change = ? WHERE id = ?", (orjson.dumps(current).decode(), key)
            )
            changed += 1
    return changed


def _loaded(name: str, value: Any) -> Any:
    if name in _JSON and isinstance(value, str):
        return json.loads(value)
    if name in _BOOLEAN:
        return bool(value)
    return value


def _scrub_profiles(conn: Connection, ids: list[str]) -> None:
    from core.privacy.scrub import CUSTOMER_ERASED

    names = list(CUSTOMER_ERASED)
    for part in _chunks(ids):
        marks = ", ".join("?" for _ in part)
        numbers = conn.exec_driver_sql(f"SELECT id, number FROM customers WHERE id IN ({marks})", tuple(part)).all()
        sql = f"UPDATE customers SET {', '.join(f'{n} = ?' for n in names)}, search_doc = ? WHERE id = ?"
        conn.exec_driver_sql(
            sql,
            [
                (
                    *(_stored(n, CUSTOMER_ERASED[n]) for n in names),
                    customer_search_doc({**CUSTOMER_ERASED, "number": number}),
                    row_id,
                )
                for row_id, number in numbers
            ],
        )


def _scrub_log(conn: Connection, related: dict[str, list[str]], within: str) -> int:
    """The change log's payloads of the rows in ``related`` (entity → row ids), in the range ``within``."""
    changed = 0
    for entity, row_ids in related.items():
        for part in _chunks(row_ids):
            marks = ", ".join("?" for _ in part)
            rows = conn.exec_driver_sql(
                f"SELECT branch_seq, payload FROM change_log WHERE {within} AND entity = ? AND row_id IN ({marks})",
                (entity, *part),
            ).all()
            updates = []
            for seq, payload in rows:
                data = orjson.loads(payload)
                after = scrubbed(entity, data)
                if after != data:
                    updates.append((json.dumps(after), seq))
            if updates:
                conn.exec_driver_sql("UPDATE change_log SET payload = ? WHERE branch_seq = ?", updates)
                changed += len(updates)
    return changed


def scrub_acknowledged(conn: Connection, after_seq: int, acked_seq: int) -> int:
    """The change log's rows head office has just acknowledged (``after_seq`` < seq ≤ ``acked_seq``) that are about
    an erased customer lose their identifying values, as the rows pushed before the erasure did. Costs one
    index probe when no customer is erased."""
    if acked_seq <= after_seq:
        return 0
    if conn.exec_driver_sql(f"SELECT 1 FROM customers WHERE {ERASED} LIMIT 1").first() is None:
        return 0
    within = f"branch_seq > {int(after_seq)} AND branch_seq <= {int(acked_seq)}"
    logged: dict[str, list[str]] = {}
    for entity, row_id in conn.exec_driver_sql(f"SELECT entity, row_id FROM change_log WHERE {within}"):
        logged.setdefault(entity, []).append(row_id)
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    conn.exec_driver_sql(
        f"INSERT OR IGNORE INTO erasure_scrubbing (customer_id) SELECT id FROM customers WHERE {ERASED}"
    )
    related: dict[str, list[str]] = {}
    for rule in RULES:
        candidates = logged.get(rule.entity)
        if not candidates:
            continue
        for part in _chunks(sorted(set(candidates))):
            marks = ", ".join("?" for _ in part)
            related.setdefault(rule.entity, []).extend(
                r[0]
                for r in conn.exec_driver_sql(
                    f"SELECT id FROM {rule.entity} WHERE ({_where(rule)}) AND id IN ({marks})", tuple(part)
                )
            )
    changed = _scrub_log(conn, related, within)
    conn.exec_driver_sql("DELETE FROM erasure_scrubbing")
    conn.exec_driver_sql("PRAGMA secure_delete = OFF")
    return changed


def after_scrub(store: Store, *, index: bool = True) -> None:
    """After a scrub's commit, in transactions of their own (a pull's stays short): the full-text index merged
    into one segment where SQLite keeps deleted terms (before 3.42: 2.1 s at 100,000 customers, holding the write
    lock; benchmarks/bench_erasure.py), then the write-ahead log checkpointed and emptied, so the old page images
    leave the -wal file. Best effort: a reader holding an old snapshot keeps the log until it ends, and the
    next scrub or checkpoint catches up. ``index``: profiles were scrubbed (a change log's payloads alone leave the
    index as it was)."""
    with store.raw() as conn:
        if index and not FTS_SECURE_DELETE:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO customer_search(customer_search) VALUES ('optimize')")
            conn.execute("COMMIT")
            conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
