"""The audit trail as an admin browses it: customer changes (customer_history) and security events, sensitive
reads among them (security_events), one list newest first."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, literal_column, or_, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from core.privacy.audit import (
    KIND_HISTORY,
    KIND_SECURITY,
    KIND_SENSITIVE_READ,
    SENSITIVE_READ,
    TrailChoices,
    TrailCursor,
    TrailEntry,
    TrailFilter,
    masked_changes,
    masked_value,
)
from storage.schema import Branch, Customer, CustomerHistory, SecurityEvent, Staff
from storage.schema.people import SECURITY_EVENT_CUSTOMER


def _json_path(name: str) -> str:
    return '$."' + name.replace('"', "") + '"'


def _cursor(before: TrailCursor, time_type: Any) -> Any:
    """The row value (created_at, id) a page continues below, its time bound as the column binds one."""
    return tuple_(literal(before[0], time_type), literal(before[1]))


def _named(table: Any, customer_id: ColumnElement[str] | InstrumentedAttribute[str]) -> Select[Any]:
    """``table``'s rows with the names of their staff member, branch and customer, in both languages."""
    customer = aliased(Customer)
    return (
        select(
            table,
            Staff.name_en,
            Staff.name_ar,
            Branch.name_en,
            Branch.name_ar,
            customer.first_name_en,
            customer.last_name_en,
            customer.first_name_ar,
            customer.last_name_ar,
        )
        .outerjoin(Staff, Staff.id == table.staff_id)
        .outerjoin(Branch, Branch.id == table.branch_id)
        .outerjoin(customer, customer.id == customer_id)
    )


def _page(
    query: Select[Any],
    table: Any,
    customer_id: ColumnElement[str] | InstrumentedAttribute[str],
    where: TrailFilter,
    before: TrailCursor | None,
    wanted: int,
) -> Select[Any]:
    """The filters both tables share, and the page: newest first, below ``before``."""
    if before is not None:
        query = query.where(tuple_(table.created_at, table.id) < _cursor(before, table.created_at.type))
    if where.since is not None:
        query = query.where(table.created_at >= where.since)
    if where.until is not None:
        query = query.where(table.created_at < where.until)
    if where.staff_id:
        query = query.where(table.staff_id == where.staff_id)
    if where.branch_id:
        query = query.where(table.branch_id == where.branch_id)
    if where.customer:
        query = query.where(customer_id == where.customer)
    return query.order_by(table.created_at.desc(), table.id.desc()).limit(wanted)


def _names(
    staff_en: str | None,
    staff_ar: str | None,
    branch_en: str | None,
    branch_ar: str | None,
    first_en: str | None,
    last_en: str | None,
    first_ar: str | None,
    last_ar: str | None,
) -> dict[str, str]:
    return {
        "staff_name": staff_en or "",
        "staff_name_ar": staff_ar or "",
        "branch_name": branch_en or "",
        "branch_name_ar": branch_ar or "",
        "customer_name": " ".join(p for p in (first_en, last_en) if p),
        "customer_name_ar": " ".join(p for p in (first_ar, last_ar) if p),
    }


class SqlAuditTrailRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def entries(self, where: TrailFilter, before: TrailCursor | None, limit: int) -> list[TrailEntry]:
        """Each table's newest ``limit`` older than ``before``, merged: the page is the newest ``limit`` of
        both. Both tables are read by their index on created_at (or on the customer)."""
        wanted = limit
        if where.customer:
            # A number or an id, resolved once: then each table is read by its index on the customer.
            customer_id = self._session.scalar(
                select(Customer.id).where(or_(Customer.id == where.customer, Customer.number == where.customer))
            )
            if customer_id is None:
                return []
            where = replace(where, customer=customer_id)
        found: list[list[TrailEntry]] = []
        if where.kind in (None, KIND_HISTORY):
            found.append(self._history(where, before, wanted))
        if where.kind in (None, KIND_SECURITY, KIND_SENSITIVE_READ):
            found.append(self._security(where, before, wanted))
        merged = heapq.merge(*found, key=lambda e: (e.at, e.id), reverse=True)
        return list(itertools.islice(merged, wanted))

    def _history(self, where: TrailFilter, before: TrailCursor | None, wanted: int) -> list[TrailEntry]:
        h = CustomerHistory
        query = _page(_named(h, h.customer_id), h, h.customer_id, where, before, wanted)
        if where.field:
            query = query.where(func.json_type(h.changes, _json_path(where.field)).is_not(None))
        rows = self._session.execute(query).all()
        out = []
        for row, *names in rows:
            changes = masked_changes({k: (v[0], v[1]) for k, v in (row.changes or {}).items()})
            out.append(
                TrailEntry(
                    id=row.id,
                    at=row.created_at,
                    kind=KIND_HISTORY,
                    action=row.action,
                    staff_id=row.staff_id,
                    branch_id=row.branch_id,
                    customer_id=row.customer_id,
                    terminal="",
                    fields=tuple(changes),
                    detail={name: [old, new] for name, (old, new) in changes.items()},
                    **_names(*names),
                )
            )
        return out

    def _security(self, where: TrailFilter, before: TrailCursor | None, wanted: int) -> list[TrailEntry]:
        e = SecurityEvent
        # The index's own expression (a bound '$.customer_id' would not match it), on this table.
        expression = SECURITY_EVENT_CUSTOMER.replace("(detail", "(security_events.detail")
        customer_id: ColumnElement[str] = literal_column(expression)
        query = _page(_named(e, customer_id), e, customer_id, where, before, wanted)
        if where.kind == KIND_SENSITIVE_READ:
            query = query.where(e.kind == SENSITIVE_READ)
        elif where.kind == KIND_SECURITY:
            query = query.where(e.kind != SENSITIVE_READ)
        if where.field:
            read = (e.kind == SENSITIVE_READ) & (func.json_extract(e.detail, "$.field") == where.field)
            query = query.where(read | (e.kind == where.field))
        rows = self._session.execute(query).all()
        out = []
        for row, *names in rows:
            detail = dict(row.detail or {})
            read = row.kind == SENSITIVE_READ
            name = str(detail.get("field") or "") if read else row.kind
            out.append(
                TrailEntry(
                    id=row.id,
                    at=row.created_at,
                    kind=KIND_SENSITIVE_READ if read else KIND_SECURITY,
                    action=row.kind,
                    staff_id=row.staff_id,
                    branch_id=row.branch_id,
                    customer_id=str(detail["customer_id"]) if detail.get("customer_id") else None,
                    terminal=row.terminal or "",
                    fields=(name,) if name else (),
                    detail={k: masked_value(k, v) for k, v in detail.items()},
                    **_names(*names),
                )
            )
        return out

    def choices(self) -> TrailChoices:
        staff = self._session.execute(select(Staff.id, Staff.name_en, Staff.name_ar).order_by(Staff.name_en)).all()
        branches = self._session.execute(
            select(Branch.id, Branch.name_en, Branch.name_ar).order_by(Branch.name_en)
        ).all()
        return TrailChoices(
            staff={sid: (en, ar) for sid, en, ar in staff},
            branches={bid: (en, ar) for bid, en, ar in branches},
        )
