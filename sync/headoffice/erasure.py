"""Erasure and retention at head office: the decisions DESIGN.md gives head office ("head office decides …
erasure requests"), written as its own changes that every branch pulls.

- **Decide** (``decide``; ``GET /v1/admin/erasures``, ``POST /v1/admin/erasures/{id}/decision``, and the CLI):
  a refusal only answers the request. An approval, in one transaction, answers it, writes the customer's profile
  emptied (core.privacy.scrub) with the ``erased_at`` tombstone, forgets the customer's addresses
  (``ho_contacts``), remembers the customer in ``ho_erased``, and scrubs head office's own copies: the merged
  rows and the logged payloads of every row about the customer (messages, tickets, feedback, visits, history...).
  Orders, lines and money ledgers keep amounts, dates and ids for the VAT retention period: they hold nothing
  that names the customer. Deciding the same way twice answers the same; the other way is a conflict (409).
- **The tombstone** (``screen_push``, called by sync.headoffice.apply on every batch): a branch that was offline
  and pushes old profile values, or a message or note about an erased customer, has their identifying fields
  overwritten before the change is stored, so nothing stale is served to the others. A branch never sets
  ``erased_at`` nor decides a request (those fields are dropped from its pushes).

Retention (inactive customers' marketing data) is sync.headoffice.retention's, which uses this module's scrub.

On SQLite the scrub runs with ``secure_delete`` and is followed by a truncating WAL checkpoint, so the old
bytes leave the file and its -wal (a PostgreSQL head office needs a VACUUM of ho_rows and ho_changes for the
same). Finding a customer's rows reads the logged payloads of the entities concerned (a JSON field look-up in
SQL, no index): 2.8 s median (2.6–3.0 s) at 500,000 changes on SQLite (benchmarks/bench_erasure.py), once per
approval, holding the writer lock meanwhile (pushes wait). An index on the payloads' customer id is the next step
if a chain's log grows past that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, FastAPI, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection, cast, func, insert, select, update
from sqlalchemy.dialects import postgresql

from core.privacy.retention import add_months
from core.privacy.scrub import BY_ENTITY, CUSTOMER_ERASED, RULES, customer_of, scrubbed
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeError, HeadOfficeStore, iso

REQUESTS = "erasure_requests"
DECIDED = frozenset({"status", "decided_at", "decision_reason"})
CHUNK = 500


class UnknownErasure(HeadOfficeError):
    status = 404


class DecidedOtherwise(HeadOfficeError):
    status = 409


class ErasureRecord(BaseModel):
    id: str
    customer_id: str
    branch_id: str
    reason: str = ""
    requested_by: str | None = None
    requested_at: str | None = None
    status: str = "pending"
    decided_at: str | None = None
    decision_reason: str | None = None
    keep_ledgers_until: date | None = Field(
        default=None, description="approved: invoices and money ledgers are kept, by customer id only, until then"
    )


class ErasureDecision(BaseModel):
    decision: Literal["approve", "refuse"]
    reason: str = Field(min_length=1, max_length=500)


def _record(row_id: str, branch_id: str, data: dict[str, Any], years: int) -> ErasureRecord:
    keep = None
    if data.get("status") == "approved" and data.get("decided_at"):
        keep = add_months(datetime.fromisoformat(str(data["decided_at"])).date(), 12 * years)
    return ErasureRecord(
        id=row_id,
        customer_id=str(data.get("customer_id") or ""),
        branch_id=branch_id,
        reason=str(data.get("reason") or ""),
        requested_by=data.get("requested_by"),
        requested_at=data.get("requested_at"),
        status=str(data.get("status") or "pending"),
        decided_at=data.get("decided_at"),
        decision_reason=data.get("decision_reason"),
        keep_ledgers_until=keep,
    )


def list_erasures(store: HeadOfficeStore, status: str | None = None) -> list[ErasureRecord]:
    """Every erasure request the branches have pushed, oldest first; ``status`` filters."""
    r = m.rows.c
    with store.reader.connect() as conn:
        found = conn.execute(select(r.row_id, r.branch_id, r.data).where(r.entity == REQUESTS)).all()
    records = [_record(i, b, orjson.loads(d), store.config.vat_retention_years) for i, b, d in found]
    records = [x for x in records if status is None or x.status == status]
    return sorted(records, key=lambda x: (x.requested_at or "", x.id))


def decide(store: HeadOfficeStore, request_id: str, approve: bool, reason: str) -> ErasureRecord:
    """Approves or refuses a request (see the module's docstring); the same decision twice is answered alike."""
    wanted = "approved" if approve else "refused"
    r = m.rows.c
    with store.writing() as (conn, head):
        found = conn.execute(select(r.branch_id, r.data).where(r.entity == REQUESTS, r.row_id == request_id)).first()
        if found is None:
            raise UnknownErasure(f"no erasure request {request_id!r}")
        data = orjson.loads(found.data)
        status = data.get("status") or "pending"
        if status == wanted:
            return _record(request_id, found.branch_id, data, store.config.vat_retention_years)
        if status != "pending":
            raise DecidedOtherwise(f"this request was {status} already")
        now = iso(store.now())
        customer_id = str(data.get("customer_id") or "")
        if approve:
            customer = conn.execute(select(r.row_id).where(r.entity == "customers", r.row_id == customer_id)).first()
            if customer is None:
                raise UnknownErasure(f"head office holds no customer {customer_id!r}")
            secure_delete(conn)
            head = store.decide(conn, head, "customers", customer_id, {**CUSTOMER_ERASED, "erased_at": now})
            if (
                conn.execute(select(m.erased.c.customer_id).where(m.erased.c.customer_id == customer_id)).first()
                is None
            ):
                conn.execute(insert(m.erased).values(customer_id=customer_id, erased_at=now))
            scrub_head_office(conn, [customer_id])
            secure_delete(conn, on=False)
        fields = {"status": wanted, "decided_at": now, "decision_reason": reason}
        head = store.decide(conn, head, REQUESTS, request_id, fields)
        store.set_head(conn, head)
        data = {**data, **fields, **({"reason": ""} if approve else {})}
    if approve:
        truncate_wal(store)
    return _record(request_id, found.branch_id, data, store.config.vat_retention_years)


# -- scrubbing head office's copies --------------------------------------------------------------------------------
def json_field(conn: Connection, column: Any, name: str) -> Any:
    """A top-level field of a JSON text column, as text, in this dialect."""
    if conn.dialect.name == "postgresql":
        return cast(column, postgresql.JSONB)[name].astext
    return func.json_extract(column, f"$.{name}")


def secure_delete(conn: Connection, *, on: bool = True) -> None:
    """SQLite zeroes what a scrub overwrites and frees; the pooled connection is set back afterwards."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")


def truncate_wal(store: HeadOfficeStore) -> None:
    """On SQLite, the old page images leave the -wal file once the scrub has committed (best effort)."""
    if store.writer.dialect.name != "sqlite":
        return
    raw = store.writer.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
    finally:
        raw.close()


def _matches(conn: Connection, table: Any, data_column: Any, entity: str, keys: dict[str, set[str]]) -> Any:
    """The condition that a row (or a logged change) of ``entity`` names one of ``keys`` (column → ids)."""
    conditions = [json_field(conn, data_column, column).in_(sorted(ids)) for column, ids in keys.items() if ids]
    if not conditions:
        return None
    condition = conditions[0]
    for more in conditions[1:]:
        condition = condition | more
    return (table.c.entity == entity) & condition


def scrub_head_office(conn: Connection, customer_ids: Iterable[str]) -> int:
    """Overwrites what identifies ``customer_ids`` in ``ho_rows`` and in the payloads of ``ho_changes``; returns
    the rows and changes rewritten."""
    ids = set(customer_ids)
    r, c = m.rows.c, m.changes.c
    rows_of: dict[str, set[str]] = {}  # entity → ids of its rows about the customers
    changed = 0
    for rule in RULES:
        if rule.parent is not None:
            column, parent = rule.parent
            keys = {column: rows_of.get(parent, set())}
        elif rule.entity == "customers":
            keys = {"id": ids}
        else:
            keys = {column: ids for column in rule.columns}
        mine = rows_of.setdefault(rule.entity, set())
        where = _matches(conn, m.rows, r.data, rule.entity, keys)
        if where is not None:
            for row_id, data in conn.execute(select(r.row_id, r.data).where(where)).all():
                mine.add(row_id)
                current = orjson.loads(data)
                after = scrubbed(rule.entity, current)
                if after != current:
                    conn.execute(
                        update(m.rows)
                        .where(r.entity == rule.entity, r.row_id == row_id)
                        .values(data=orjson.dumps(after).decode())
                    )
                    changed += 1
        logged = _matches(conn, m.changes, c.payload, rule.entity, keys)
        if logged is not None:
            mine.update(conn.execute(select(c.row_id).where(logged)).scalars())
        listed = sorted(mine)
        for start in range(0, len(listed), CHUNK):
            part = listed[start : start + CHUNK]
            for seq, payload in conn.execute(
                select(c.change_seq, c.payload).where(c.entity == rule.entity, c.row_id.in_(part))
            ).all():
                current = orjson.loads(payload)
                after = scrubbed(rule.entity, current)
                if after != current:
                    conn.execute(
                        update(m.changes).where(c.change_seq == seq).values(payload=orjson.dumps(after).decode())
                    )
                    changed += 1
    return changed


# -- the tombstone: pushes about an erased customer ------------------------------------------------------------
def screen_push(conn: Connection, records: list[dict[str, Any]], payloads: list[dict[str, Any]]) -> None:
    """In a batch being applied: a branch's change sets no tombstone and decides no request, and a change about
    an erased customer keeps no identifying field. ``records`` (their stored payload text) and ``payloads``
    (what is merged) are changed in place."""
    touched: list[int] = []
    for n, (record, payload) in enumerate(zip(records, payloads, strict=True)):
        entity = record["entity"]
        if entity == "customers" and "erased_at" in payload:
            del payload["erased_at"]
            touched.append(n)
        elif entity == REQUESTS and (DECIDED & payload.keys() or record["op"] == "insert"):
            for name in DECIDED:
                payload.pop(name, None)
            if record["op"] == "insert":
                payload["status"] = "pending"
            touched.append(n)
    candidates = [n for n, record in enumerate(records) if record["entity"] in BY_ENTITY]
    if candidates and conn.execute(select(m.erased.c.customer_id).limit(1)).first() is not None:
        owners = _owners(conn, [(records[n], payloads[n]) for n in candidates])
        erased = _erased(conn, {cid for found in owners for cid in found})
        for n, found in zip(candidates, owners, strict=True):
            if found & erased:
                after = scrubbed(records[n]["entity"], payloads[n])
                payloads[n].clear()
                payloads[n].update(after)
                touched.append(n)
    for n in set(touched):
        records[n]["payload"] = orjson.dumps(payloads[n]).decode()


def _erased(conn: Connection, customer_ids: set[str]) -> set[str]:
    listed = sorted(customer_ids)
    found: set[str] = set()
    for start in range(0, len(listed), CHUNK):
        part = listed[start : start + CHUNK]
        found.update(conn.execute(select(m.erased.c.customer_id).where(m.erased.c.customer_id.in_(part))).scalars())
    return found


def _owners(conn: Connection, changes: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[set[str]]:
    """The customers each change is about: named in its payload, else in the row head office holds (an update
    that does not repeat the customer), else through its parent (a ticket's response, a message's status)."""
    r = m.rows.c
    wanted: dict[str, set[str]] = {}
    for record, payload in changes:
        rule = BY_ENTITY[record["entity"]]
        if rule.parent is not None and payload.get(rule.parent[0]):
            wanted.setdefault(rule.parent[1], set()).add(str(payload[rule.parent[0]]))
        elif not customer_of(record["entity"], {**payload, "id": record["row_id"]}):
            wanted.setdefault(record["entity"], set()).add(record["row_id"])
    held: dict[tuple[str, str], set[str]] = {}
    for entity, row_ids in wanted.items():
        listed = sorted(row_ids)
        for start in range(0, len(listed), CHUNK):
            part = listed[start : start + CHUNK]
            for row_id, data in conn.execute(
                select(r.row_id, r.data).where(r.entity == entity, r.row_id.in_(part))
            ).all():
                held[(entity, row_id)] = customer_of(entity, {**orjson.loads(data), "id": row_id})
    out = []
    for record, payload in changes:
        entity = record["entity"]
        rule = BY_ENTITY[entity]
        if rule.parent is not None:
            out.append(held.get((rule.parent[1], str(payload.get(rule.parent[0]))), set()))
            continue
        found = customer_of(entity, {**payload, "id": record["row_id"]})
        out.append(found or held.get((entity, record["row_id"]), set()))
    return out


# -- the admin API ---------------------------------------------------------------------------------------------
def mount_erasures(app: FastAPI, store: HeadOfficeStore, admin: Callable[..., None], errors: dict[Any, Any]) -> None:
    """The administrator's endpoints: the requests, and the decision on one."""

    @app.get("/v1/admin/erasures", response_model=list[ErasureRecord], responses=errors, tags=["admin"])
    def erasures(
        status: Literal["pending", "approved", "refused"] | None = Query(default=None),
        _admin: None = Depends(admin),
    ) -> list[ErasureRecord]:
        """The customers' erasure requests the branches recorded, oldest first."""
        return list_erasures(store, status)

    @app.post(
        "/v1/admin/erasures/{request_id}/decision",
        response_model=ErasureRecord,
        responses={
            **errors,
            404: {"description": "No such request, or head office holds no such customer"},
            409: {"description": "The request was decided the other way already"},
        },
        tags=["admin"],
    )
    def decide_erasure(
        request_id: Annotated[str, Path(max_length=36)], body: ErasureDecision, _admin: None = Depends(admin)
    ) -> ErasureRecord:
        """Approves (the customer is erased everywhere, invoices kept by id) or refuses a request, with a reason."""
        return decide(store, request_id, body.decision == "approve", body.reason)
