"""Retention at head office: customers with no purchase, VIP visit or profile change for ``inactive_months``
lose their marketing data — consent flags set to "no", declared and learned preferences emptied, campaign
messages' bodies removed — written as head office's own changes, which every branch pulls; the consent ledger
(consent_changes) is kept as proof, and so are the orders and the profile. ``POST /v1/admin/retention`` and the
command line (``--purge-inactive [--dry-run]``) run it; a dry run only counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel
from sqlalchemy import Connection, select, update

from core.privacy.retention import add_months
from core.privacy.scrub import BY_ENTITY
from sync.headoffice import models as m
from sync.headoffice.erasure import CHUNK, json_field, secure_delete, truncate_wal
from sync.headoffice.store import HeadOfficeStore


class RetentionRun(BaseModel):
    cutoff: date
    customers: int
    dry_run: bool


_MARKETING_CONSENT = {"consent_whatsapp": False, "consent_sms": False, "consent_email": False}
_PREFERENCES = dict(BY_ENTITY["customer_preferences"].values)


def purge_inactive(
    store: HeadOfficeStore, today: date, months: int | None = None, *, dry_run: bool = False
) -> RetentionRun:
    """Purges the marketing data of customers inactive since ``today`` less ``months`` (default: the config's):
    no purchase, VIP visit, profile change or registration on or after the cutoff. Consent flags become "no",
    declared and learned preferences are emptied, campaign messages lose their bodies; the consent ledger, the
    orders and the customer's profile stay. With ``dry_run`` only counts the customers it would purge. A customer
    whose marketing data is already empty is not counted again."""
    cutoff = add_months(today, -(months if months is not None else store.config.inactive_months))
    since = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC).isoformat()
    r, c = m.rows.c, m.changes.c
    with store.writing() as (conn, head):
        customer = json_field(conn, c.payload, "customer_id")
        active = set(
            conn.execute(
                select(customer).where(c.entity.in_(("orders", "vip_visits")), c.created_at >= since).distinct()
            ).scalars()
        )
        active.update(
            conn.execute(
                select(c.row_id).where(c.entity == "customers", c.created_at >= since, c.origin != "headoffice")
            ).scalars()
        )
        erased = set(conn.execute(select(m.erased.c.customer_id)).scalars())
        customers = {
            row_id: orjson.loads(data)
            for row_id, data in conn.execute(select(r.row_id, r.data).where(r.entity == "customers")).all()
            if row_id not in active and row_id not in erased
        }
        preferences = _rows_by_customer(conn, "customer_preferences", set(customers))
        messages = _campaign_messages(conn, set(customers))
        todo = []
        for customer_id, data in customers.items():
            consent = any(data.get(name) for name in _MARKETING_CONSENT)
            prefs = [(row_id, row) for row_id, row in preferences.get(customer_id, []) if scrubbed_prefs(row) != row]
            bodies = [(row_id, row) for row_id, row in messages.get(customer_id, []) if row.get("body")]
            if consent or prefs or bodies:
                todo.append((customer_id, consent, prefs, bodies))
        if dry_run:
            return RetentionRun(cutoff=cutoff, customers=len(todo), dry_run=True)
        secure_delete(conn)
        for customer_id, consent, prefs, bodies in todo:
            if consent:
                head = store.decide(conn, head, "customers", customer_id, dict(_MARKETING_CONSENT))
            for row_id, _row in prefs:
                head = store.decide(conn, head, "customer_preferences", row_id, dict(_PREFERENCES))
            for row_id, _row in bodies:
                head = store.decide(conn, head, "communications", row_id, {"body": "", "params": None})
                _scrub_logged(conn, "communications", row_id, lambda p: {**p, **({"body": ""} if "body" in p else {})})
        secure_delete(conn, on=False)
        store.set_head(conn, head)
    truncate_wal(store)
    return RetentionRun(cutoff=cutoff, customers=len(todo), dry_run=False)


def scrubbed_prefs(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{name: value for name, value in _PREFERENCES.items() if name in row}}


def _rows_by_customer(conn: Connection, entity: str, customers: set[str]) -> dict[str, list[tuple[str, Any]]]:
    r = m.rows.c
    out: dict[str, list[tuple[str, Any]]] = {}
    for row_id, data in conn.execute(select(r.row_id, r.data).where(r.entity == entity)).all():
        row = orjson.loads(data)
        if row.get("customer_id") in customers:
            out.setdefault(str(row["customer_id"]), []).append((row_id, row))
    return out


def _campaign_messages(conn: Connection, customers: set[str]) -> dict[str, list[tuple[str, Any]]]:
    """The messages campaigns sent each customer (their executions name them), as head office holds them."""
    c, r = m.changes.c, m.rows.c
    sent: set[str] = set()
    for payload in conn.execute(select(c.payload).where(c.entity == "campaign_executions", c.op == "insert")).scalars():
        row = orjson.loads(payload)
        if row.get("customer_id") in customers and row.get("communication_id"):
            sent.add(str(row["communication_id"]))
    out: dict[str, list[tuple[str, Any]]] = {}
    listed = sorted(sent)
    for start in range(0, len(listed), CHUNK):
        part = listed[start : start + CHUNK]
        for row_id, data in conn.execute(
            select(r.row_id, r.data).where(r.entity == "communications", r.row_id.in_(part))
        ).all():
            row = orjson.loads(data)
            out.setdefault(str(row.get("customer_id")), []).append((row_id, row))
    return out


def _scrub_logged(conn: Connection, entity: str, row_id: str, change: Callable[[dict[str, Any]], Any]) -> None:
    c = m.changes.c
    for seq, payload in conn.execute(
        select(c.change_seq, c.payload).where(c.entity == entity, c.row_id == row_id)
    ).all():
        current = orjson.loads(payload)
        after = change(current)
        if after != current:
            conn.execute(update(m.changes).where(c.change_seq == seq).values(payload=orjson.dumps(after).decode()))


def mount_retention(app: FastAPI, store: HeadOfficeStore, admin: Callable[..., None], errors: dict[Any, Any]) -> None:
    @app.post("/v1/admin/retention", response_model=RetentionRun, responses=errors, tags=["admin"])
    def retention(
        dry_run: bool = Query(default=True),
        months: int | None = Query(default=None, ge=1, le=1200),
        _admin: None = Depends(admin),
    ) -> RetentionRun:
        """Purges inactive customers' marketing data (``dry_run``: only counts them)."""
        return purge_inactive(store, store.now().date(), months, dry_run=dry_run)
