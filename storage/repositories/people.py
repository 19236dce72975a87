"""Repositories: the only place queries are written. They return core dataclasses, never ORM rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, func, literal_column, select
from sqlalchemy.orm import Session

from core.customers.model import (
    PROFILE_FIELDS,
    Channel,
    CustomerProfile,
    CustomerSummary,
    Emirate,
    HistoryEntry,
    Language,
    Segment,
)
from core.customers.search import prefix_bound
from core.kernel.errors import NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.staff.auth import Role, StaffRecord
from storage import direct
from storage.changelog import WRITE_KEY
from storage.direct import TypedSelect
from storage.schema import Branch, Customer, CustomerHistory, SecurityEvent, Staff, StoreSetting
from storage.schema.people import EMAIL_DOMAIN

# Ranking by bm25 (ORDER BY rank) costs time in proportion to every row each term matches, not to the rows
# shown: bm25 counts each term's rows and scores every hit. In a large store a prefix such as "moh", "al" or
# "050" matches tens or hundreds of thousands of customers (40 ms to 3 s a keystroke at a million). A search
# is ranked only from RANK_FROM_CHARS typed characters and when every term matches at most RANK_MAX_HITS
# customers; otherwise it lists the first matches unranked. Each count stops at RANK_MAX_HITS + 1.
RANK_FROM_CHARS = 3
RANKED = {"key": "rank", "order": "ORDER BY rank"}
UNRANKED = {"key": "rowid", "order": ""}
RANK_MAX_HITS = 1000
TERM_HITS_SQL = "SELECT count(*) FROM (SELECT 1 FROM customer_search WHERE customer_search MATCH :q LIMIT :cap)"
# Whether a finished word of a typed search matches at most RANK_MAX_HITS customers, by store and word.
_RARE_TERMS: dict[tuple[str, str], bool] = {}
_RARE_TERMS_KEPT = 4096


def profile_of(v: Mapping[str, Any]) -> CustomerProfile:
    return CustomerProfile(
        id=v["id"],
        number=v["number"],
        branch_id=v["branch_id"],
        first_name_en=v["first_name_en"],
        last_name_en=v["last_name_en"],
        first_name_ar=v["first_name_ar"],
        last_name_ar=v["last_name_ar"],
        mobile=v["mobile"],
        email=v["email"],
        segment=Segment(v["segment"]),
        emirate=Emirate(v["emirate"]) if v["emirate"] else None,
        area=v["area"],
        address_line=v["address_line"],
        po_box=v["po_box"],
        birthday=v["birthday"],
        preferred_language=Language(v["preferred_language"]),
        preferred_channel=Channel(v["preferred_channel"]),
        consent_whatsapp=v["consent_whatsapp"],
        consent_sms=v["consent_sms"],
        consent_email=v["consent_email"],
        emirates_id=v["emirates_id"],
        notes=v["notes"],
        created_at=v["created_at"],
        updated_at=v["updated_at"],
        time_zone=v["time_zone"],
        erased_at=v.get("erased_at"),
    )


PROFILE_COLUMNS = ("id", "number", "branch_id", *PROFILE_FIELDS, "created_at", "updated_at", "erased_at")
# A customer by id without loading an ORM object (a sale reads one; Session.get cost half a millisecond).
_PROFILE_SELECT = TypedSelect(Customer, PROFILE_COLUMNS, "WHERE id = :id AND deleted = 0")


def to_profile(row: Customer) -> CustomerProfile:
    return profile_of({name: getattr(row, name) for name in PROFILE_COLUMNS})


def fts_expression(terms: list[str]) -> str:
    """Every term as a quoted prefix, all required: 'moh ali' → '"moh"* "ali"*'."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


SEARCH_SQL = (
    "SELECT c.id, c.number, c.first_name_en, c.last_name_en, c.first_name_ar, c.last_name_ar, "
    "c.mobile, c.email, c.segment, c.emirate FROM customers c "
    "JOIN (SELECT rowid AS r, {key} AS k FROM customer_search WHERE customer_search MATCH :q {order} LIMIT :n) hit "
    "ON c.rowid = hit.r WHERE c.deleted = 0 ORDER BY hit.k"
)

# A typed email or domain as an index range (ix_customers_email, ix_customers_email_domain), read in the index's
# order so the LIMIT stops the scan: the same expression as the index, or SQLite would not use it.
EMAIL_SEARCH_SQL = (
    "SELECT id, number, first_name_en, last_name_en, first_name_ar, last_name_ar, mobile, email, segment, emirate "
    "FROM customers WHERE {key} >= :lo AND {key} < :hi AND email IS NOT NULL AND deleted = 0 ORDER BY {key} LIMIT :n"
)
EMAIL_SQL = EMAIL_SEARCH_SQL.format(key="email")
EMAIL_DOMAIN_SQL = EMAIL_SEARCH_SQL.format(key=EMAIL_DOMAIN)


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
        values = _PROFILE_SELECT.first(self._session, {"id": customer_id})
        return None if values is None else profile_of(values)

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
        # Plain SQL straight to the driver: nothing to compile, and a keystroke is worth the few hundred
        # microseconds the ORM's execution path adds to each statement.
        sql = SEARCH_SQL.format(**(RANKED if self._worth_ranking(terms) else UNRANKED))
        rows = direct.rows(self._session, sql, {"q": fts_expression(terms), "n": limit})
        return [_summary(r) for r in rows]

    def search_email(self, prefix: str, domain: bool, limit: int) -> list[CustomerSummary]:
        sql = EMAIL_DOMAIN_SQL if domain else EMAIL_SQL
        rows = direct.rows(self._session, sql, {"lo": prefix, "hi": prefix_bound(prefix), "n": limit})
        return [_summary(r) for r in rows]

    def _worth_ranking(self, terms: list[str]) -> bool:
        if sum(len(t) for t in terms) < RANK_FROM_CHARS:
            return False
        store = str(self._session.get_bind().engine.url)
        for i, term in enumerate(terms):
            # Typing "Mohammed Al Man" asks again about "mohammed" and "al" at every key: a finished word's
            # answer is remembered. The word being typed is always counted. A remembered answer can only go
            # stale by thousands of new customers, and then only changes the order of the list.
            finished = i < len(terms) - 1
            rare = _RARE_TERMS.get((store, term)) if finished else None
            if rare is None:
                hits = direct.scalar(
                    self._session, TERM_HITS_SQL, {"q": fts_expression([term]), "cap": RANK_MAX_HITS + 1}
                )
                rare = (hits or 0) <= RANK_MAX_HITS
                if finished:
                    if len(_RARE_TERMS) >= _RARE_TERMS_KEPT:
                        _RARE_TERMS.pop(next(iter(_RARE_TERMS)))
                    _RARE_TERMS[(store, term)] = rare
            if not rare:
                return False
        return True

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


def _summary(r: tuple[Any, ...]) -> CustomerSummary:
    # Unpacked once: reading a Row by attribute costs about half a microsecond a column, which was most of the
    # Python time of a search (50 rows x 14 reads).
    id_, number, first_en, last_en, first_ar, last_ar, mobile, email, segment, emirate = r
    return CustomerSummary(
        id=id_,
        number=number,
        name_en=" ".join(p for p in (first_en, last_en) if p),
        name_ar=" ".join(p for p in (first_ar, last_ar) if p),
        mobile=mobile,
        email=email,
        segment=Segment(segment),
        emirate=Emirate(emirate) if emirate else None,
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
        write = self._session.info[WRITE_KEY]
        self._session.add(
            SecurityEvent(kind=kind, staff_id=write.staff_id or None, terminal=self._terminal, detail=detail)
        )

    def till_sign_in_failures(self, since: datetime) -> list[datetime]:
        # rowid orders this till's own events as it wrote them, even those written at one instant.
        rowid = literal_column("security_events.rowid", Integer)
        here = SecurityEvent.terminal == self._terminal
        reset = self._session.scalar(
            select(func.max(rowid)).where(here, SecurityEvent.kind.in_(("signed_in", "till_unlocked")))
        )
        return list(
            self._session.scalars(
                select(SecurityEvent.created_at)
                .where(
                    here,
                    SecurityEvent.kind == "signin_failed",
                    SecurityEvent.created_at >= since,
                    rowid > (reset or 0),
                )
                .order_by(rowid)
            )
        )
