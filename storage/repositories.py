"""Repositories: the only place queries are written. They return core dataclasses, never ORM rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from core.auth import Role, StaffRecord
from core.customers import (
    Channel,
    CustomerProfile,
    CustomerSummary,
    Emirate,
    HistoryEntry,
    Language,
    Segment,
)
from core.errors import NotFound
from core.i18n import QT_TRANSLATE_NOOP
from storage.schema import Branch, Customer, CustomerHistory, SecurityEvent, Staff, StoreSetting

# Below this many typed characters a prefix matches too much of a large store to rank every hit by
# bm25 within a keystroke; those queries list the first matches unranked and ranking starts after.
RANK_FROM_CHARS = 3


def to_profile(row: Customer) -> CustomerProfile:
    return CustomerProfile(
        id=row.id,
        number=row.number,
        branch_id=row.branch_id,
        first_name_en=row.first_name_en,
        last_name_en=row.last_name_en,
        first_name_ar=row.first_name_ar,
        last_name_ar=row.last_name_ar,
        mobile=row.mobile,
        email=row.email,
        segment=Segment(row.segment),
        emirate=Emirate(row.emirate) if row.emirate else None,
        area=row.area,
        address_line=row.address_line,
        po_box=row.po_box,
        birthday=row.birthday,
        preferred_language=Language(row.preferred_language),
        preferred_channel=Channel(row.preferred_channel),
        consent_whatsapp=row.consent_whatsapp,
        consent_sms=row.consent_sms,
        consent_email=row.consent_email,
        emirates_id=row.emirates_id,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def fts_expression(terms: list[str]) -> str:
    """Every term as a quoted prefix, all required: 'moh ali' → '"moh"* "ali"*'."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


SEARCH_SQL = (
    "SELECT c.id, c.number, c.first_name_en, c.last_name_en, c.first_name_ar, c.last_name_ar, "
    "c.mobile, c.email, c.segment, c.emirate FROM customers c "
    "JOIN (SELECT rowid AS r FROM customer_search WHERE customer_search MATCH :q {order} LIMIT :n) hit "
    "ON c.rowid = hit.r"
)


class SqlCustomerRepository:
    def __init__(self, session: Session, branch_code: Callable[[], str | None] | None = None) -> None:
        self._session = session
        self._branch_code = branch_code or (lambda: None)

    def _row(self, customer_id: str) -> Customer:
        row = self._session.get(Customer, customer_id)
        if row is None or row.deleted:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
        return row

    def add(self, values: dict[str, object]) -> CustomerProfile:
        row = Customer(number=self._next_number(), **values)
        self._session.add(row)
        self._session.flush()
        return to_profile(row)

    def _next_number(self) -> str:
        # A per-store counter in the same transaction: numbers are unique across branches by their prefix.
        setting = self._session.get(StoreSetting, "customer_counter")
        value = int(setting.value) + 1 if setting else 1
        if setting is None:
            self._session.add(StoreSetting(key="customer_counter", value=str(value)))
        else:
            setting.value = str(value)
        return f"{self._branch_code() or 'C'}-{value:06d}"

    def get(self, customer_id: str) -> CustomerProfile | None:
        row = self._session.get(Customer, customer_id)
        return None if row is None or row.deleted else to_profile(row)

    def update(self, customer_id: str, changes: dict[str, object]) -> CustomerProfile:
        row = self._row(customer_id)
        for name, value in changes.items():
            setattr(row, name, value)
        self._session.flush()
        return to_profile(row)

    def id_by_mobile(self, mobile: str) -> str | None:
        return self._session.scalar(
            select(Customer.id).where(Customer.mobile == mobile, Customer.deleted.is_(False)).limit(1)
        )

    def search(self, terms: list[str], limit: int) -> list[CustomerSummary]:
        ranked = sum(len(t) for t in terms) >= RANK_FROM_CHARS
        sql = SEARCH_SQL.format(order="ORDER BY rank" if ranked else "")
        rows = self._session.execute(text(sql), {"q": fts_expression(terms), "n": limit}).all()
        return [_summary(r) for r in rows]

    def history(self, customer_id: str, limit: int) -> list[HistoryEntry]:
        rows = self._session.execute(
            select(CustomerHistory, Staff.name_en, Branch.name_en, Staff.name_ar, Branch.name_ar)
            .outerjoin(Staff, Staff.id == CustomerHistory.staff_id)
            .outerjoin(Branch, Branch.id == CustomerHistory.branch_id)
            .where(CustomerHistory.customer_id == customer_id)
            .order_by(CustomerHistory.created_at.desc(), CustomerHistory.id.desc())
            .limit(limit)
        ).all()
        return [
            HistoryEntry(
                at=h.created_at,
                action=h.action,
                staff_name=staff or "",
                branch_name=branch or "",
                staff_name_ar=staff_ar or "",
                branch_name_ar=branch_ar or "",
                changes={k: (v[0], v[1]) for k, v in (h.changes or {}).items()},
            )
            for h, staff, branch, staff_ar, branch_ar in rows
        ]

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(Customer)) or 0)


def _summary(r: Row[Any]) -> CustomerSummary:
    return CustomerSummary(
        id=r.id,
        number=r.number,
        name_en=" ".join(p for p in (r.first_name_en, r.last_name_en) if p),
        name_ar=" ".join(p for p in (r.first_name_ar, r.last_name_ar) if p),
        mobile=r.mobile,
        email=r.email,
        segment=Segment(r.segment),
        emirate=Emirate(r.emirate) if r.emirate else None,
    )


def to_staff(row: Staff) -> StaffRecord:
    return StaffRecord(
        id=row.id,
        branch_id=row.branch_id,
        username=row.username,
        name_en=row.name_en,
        name_ar=row.name_ar,
        role=Role(row.role),
        pin_hash=row.pin_hash,
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
    )


class SqlStaffRepository:
    def __init__(self, session: Session, terminal: str = "") -> None:
        self._session = session
        self._terminal = terminal

    def get(self, staff_id: str) -> StaffRecord | None:
        row = self._session.get(Staff, staff_id)
        return None if row is None else to_staff(row)

    def by_branch(self, branch_id: str) -> list[StaffRecord]:
        rows = self._session.scalars(select(Staff).where(Staff.branch_id == branch_id).order_by(Staff.name_en))
        return [to_staff(r) for r in rows]

    def set_lockout(self, staff_id: str, failed_attempts: int, locked_until: Any) -> None:
        row = self._session.get(Staff, staff_id)
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This staff account no longer exists."))
        row.failed_attempts = failed_attempts
        row.locked_until = locked_until

    def log_security_event(self, kind: str, detail: dict[str, object]) -> None:
        write = self._session.info["write_context"]
        self._session.add(SecurityEvent(kind=kind, staff_id=write.staff_id, terminal=self._terminal, detail=detail))
