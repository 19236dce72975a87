"""Customers' mobiles and emails as the providers' webhooks name them (``ho_contacts``), kept with the merged
customer rows: an inbound reply, an opt-out or an unsubscribe finds its customers by an exact match on the
normalised address instead of a LIKE scan over every customer's JSON.

Wherever head office writes a customer row (a push merged by sync.headoffice.apply, a record it decides
itself) it calls ``sql_refresh``'s statements in the same transaction: the customer's addresses are deleted
and written again from the merged row. A head office that kept customers before this table existed fills it
once, at start (``backfill``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select

from sync.headoffice import models as m

ENTITY = "customers"
FILLED = "contacts_filled"  # the ho_counters row saying the table holds every customer's addresses


def mobile_key(address: str) -> str:
    """WhatsApp gives digits ('9715…'), SMS providers E.164 ('+9715…'): both compare as '+' and the digits."""
    digits = "".join(c for c in address if c.isdigit())
    return "+" + digits.removeprefix("00")


def address_key(channel: str, address: str) -> str:
    """The key of ``address`` on ``channel`` (email, or a mobile for SMS and WhatsApp)."""
    if channel == "email":
        return "email:" + address.strip().lower()
    return "mobile:" + mobile_key(address)


def keys(data: Mapping[str, Any]) -> set[str]:
    """The keys of a customer row's mobile and email (none for an empty one)."""
    found = set()
    mobile = data.get("mobile")
    if mobile and any(c.isdigit() for c in str(mobile)):
        found.add(address_key("sms", str(mobile)))
    email = data.get("email")
    if email and str(email).strip():
        found.add(address_key("email", str(email)))
    return found


REFRESH_DELETE = f"DELETE FROM {m.contacts.name} WHERE customer_id = ?"
REFRESH_INSERT = f"INSERT INTO {m.contacts.name} (address, customer_id) VALUES (?, ?)"


def refresh_params(rows: Mapping[str, Mapping[str, Any]]) -> tuple[list[tuple[str]], list[tuple[str, str]]]:
    """The parameters of REFRESH_DELETE and REFRESH_INSERT (``?`` placeholders) for customer rows written
    (customer id → merged data)."""
    return [(i,) for i in rows], [(key, i) for i, data in rows.items() for key in sorted(keys(data))]


def refresh(conn: Connection, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """The same through SQLAlchemy, for a row or two (a record head office decides)."""
    if not rows:
        return
    c = m.contacts.c
    conn.execute(delete(m.contacts).where(c.customer_id.in_(list(rows))))
    _, pairs = refresh_params(rows)
    if pairs:
        conn.execute(insert(m.contacts), [{"address": a, "customer_id": i} for a, i in pairs])


def backfill(conn: Connection) -> int:
    """Fills ho_contacts from every customer row, once (ho_counters remembers it); returns how many customers
    were read, 0 when it was done already."""
    k = m.counters.c
    if conn.execute(select(k.value).where(k.name == FILLED).with_for_update()).first() is not None:
        return 0
    r = m.rows.c
    customers = conn.execute(select(r.row_id, r.data).where(r.entity == ENTITY)).all()
    conn.execute(delete(m.contacts))
    pairs = [(key, row_id) for row_id, data in customers for key in keys(orjson.loads(data))]
    if pairs:
        conn.execute(insert(m.contacts), [{"address": a, "customer_id": i} for a, i in pairs])
    conn.execute(insert(m.counters).values(name=FILLED, value=1))
    return len(customers)


def customers_at(conn: Connection, channel: str, address: str) -> list[tuple[str, str]]:
    """(customer id, home branch id) of every customer whose mobile (or email) is ``address``."""
    c, r = m.contacts.c, m.rows.c
    found = conn.execute(
        select(r.row_id, r.branch_id)
        .select_from(m.contacts.join(m.rows, (r.entity == ENTITY) & (r.row_id == c.customer_id)))
        .where(c.address == address_key(channel, address))
    )
    return [(row_id, branch_id) for row_id, branch_id in found]


def rows_of(written: Iterable[tuple[str, str, Mapping[str, Any]]]) -> dict[str, Mapping[str, Any]]:
    """The customer rows among (entity, row id, data) written."""
    return {row_id: data for entity, row_id, data in written if entity == ENTITY}
