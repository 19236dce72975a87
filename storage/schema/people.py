"""Branches, staff, customers and what is kept about them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.customers.search import document as search_document
from storage.schema.base import Base, Ledger, Register, fk


class Branch(Base):
    """Decided by head office; pulled by branches."""

    __tablename__ = "branches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_ar: Mapped[str] = mapped_column(String(80))
    emirate: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(120), default="")


class Staff(Base):
    """Accounts are decided by head office; the lockout counters are this terminal's own."""

    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[str] = mapped_column(fk("branches.id"), index=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_ar: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]


# The part of an email after its "@"; the same text in the index and in the query, so SQLite uses the index.
EMAIL_DOMAIN = "substr(email, instr(email, '@') + 1)"


class Customer(Register):
    __tablename__ = "customers"
    number: Mapped[str] = mapped_column(String(20), unique=True)
    first_name_en: Mapped[str | None] = mapped_column(String(60))
    last_name_en: Mapped[str | None] = mapped_column(String(60))
    first_name_ar: Mapped[str | None] = mapped_column(String(60))
    last_name_ar: Mapped[str | None] = mapped_column(String(60))
    mobile: Mapped[str | None] = mapped_column(String(16), index=True)
    email: Mapped[str | None] = mapped_column(String(120))
    segment: Mapped[str] = mapped_column(String(12), default="regular", index=True)
    emirate: Mapped[str | None] = mapped_column(String(20))
    area: Mapped[str | None] = mapped_column(String(60))
    address_line: Mapped[str | None] = mapped_column(String(200))
    po_box: Mapped[str | None] = mapped_column(String(10))
    birthday: Mapped[date | None] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(2), default="ar")
    preferred_channel: Mapped[str] = mapped_column(String(10), default="whatsapp")
    consent_whatsapp: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_email: Mapped[bool] = mapped_column(Boolean, default=False)
    emirates_id: Mapped[str | None] = mapped_column(String(18))
    notes: Mapped[str | None] = mapped_column(Text)
    # An export customer abroad: the IANA zone their birthday is greeted in (None: Asia/Dubai) (0018).
    time_zone: Mapped[str | None] = mapped_column(String(40))
    # Head office's tombstone of an approved erasure (core.privacy.erasure, 0025): set only by head office; a
    # replica that takes it scrubs what it holds about the customer (storage.erasure), and a till refuses edits.
    erased_at: Mapped[datetime | None]
    # The text customer_search (FTS5, external content) indexes; rebuilt from the fields on every write.
    search_doc: Mapped[str] = mapped_column(Text, default="")

    def refresh_search_doc(self) -> None:
        self.search_doc = customer_search_doc({name: getattr(self, name) for name in SEARCH_FIELDS})

    # A typed email is a prefix of the stored email (stored lower case) or of its domain: an index range each
    # (repositories.people.EMAIL_SEARCH_SQL), kept by SQLite itself on every write path, pulled rows included.
    __table_args__ = (
        Index("ix_customers_email", "email", sqlite_where=text("email IS NOT NULL")),
        Index("ix_customers_email_domain", text(EMAIL_DOMAIN), sqlite_where=text("email IS NOT NULL")),
        # The few customers with a zone of their own: a birthday run asks which zones there are every time.
        Index("ix_customers_time_zone", "time_zone", sqlite_where=text("time_zone IS NOT NULL")),
        # The few erased customers: a replica asks whether there are any after every push (storage.erasure).
        Index("ix_customers_erased_at", "erased_at", sqlite_where=text("erased_at IS NOT NULL")),
    )


# What a customer's search text is made of; a pulled customer is indexed from the same fields (storage.replica).
SEARCH_FIELDS = ("first_name_en", "last_name_en", "first_name_ar", "last_name_ar", "mobile", "email", "number")


def customer_search_doc(values: Mapping[str, Any]) -> str:
    return search_document(
        [
            values.get("first_name_en"),
            values.get("last_name_en"),
            values.get("first_name_ar"),
            values.get("last_name_ar"),
        ],
        values.get("mobile"),
        values.get("email"),
        str(values.get("number") or ""),
    )


class ErasureRequest(Register):
    """A customer's request to have their data erased, recorded by a manager at a branch (core.privacy.erasure)
    and decided by head office, which writes ``status`` (approved | refused), ``decided_at`` and
    ``decision_reason`` as its own change (0025)."""

    __tablename__ = "erasure_requests"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str | None] = mapped_column(String(36))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | approved | refused
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)


class CustomerHistory(Ledger):
    """The audit trail: every change to a customer, who made it, where and what changed."""

    __tablename__ = "customer_history"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (
        Index("ix_customer_history_customer_created", "customer_id", "created_at"),
        Index("ix_customer_history_created_at", "created_at"),  # the audit trail, newest first (0027)
    )


class CustomerPreference(Register):
    """Declared by the customer or learned from purchases (``source``)."""

    __tablename__ = "customer_preferences"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # declared | learned
    families: Mapped[list[Any]] = mapped_column(JSON, default=list)
    brands: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sizes_ml: Mapped[list[Any]] = mapped_column(JSON, default=list)
    favourite_notes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    occasions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dislikes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    intensity: Mapped[str | None] = mapped_column(String(12))
    budget_min_fils: Mapped[int | None] = mapped_column(Integer)
    budget_max_fils: Mapped[int | None] = mapped_column(Integer)


class CustomerAnalytics(Register):
    """A derived cache, rebuilt from orders by core.analytics.customers, never a source. A model figure is NULL
    when there is not enough data, and ``reason`` says why (core.analytics.customers.Reason, lower case)."""

    __tablename__ = "customer_analytics"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), unique=True)
    lifetime_value_fils: Mapped[int] = mapped_column(Integer, default=0)  # net spend so far
    orders_count: Mapped[int] = mapped_column(Integer, default=0)
    average_order_fils: Mapped[int] = mapped_column(Integer, default=0)
    last_purchase_at: Mapped[datetime | None]
    churn_risk: Mapped[int] = mapped_column(Integer, default=0)  # 0..100: 100 − P(alive) in %; 0 without a model
    # 0028: the models' figures and their "why".
    p_alive_pm: Mapped[int | None] = mapped_column(Integer)  # P(alive), per mille
    expected_90d_x100: Mapped[int | None] = mapped_column(Integer)  # expected purchases in the next 90 days × 100
    clv_fils: Mapped[int | None] = mapped_column(Integer)  # discounted value of the next 12 months
    purchases: Mapped[int | None] = mapped_column(Integer)  # days with a purchase
    mean_gap_days: Mapped[int | None] = mapped_column(Integer)  # between purchases
    rfm_r: Mapped[int | None] = mapped_column(Integer)  # 1..5
    rfm_f: Mapped[int | None] = mapped_column(Integer)
    rfm_m: Mapped[int | None] = mapped_column(Integer)
    rfm_segment: Mapped[str | None] = mapped_column(String(12))  # core.analytics.rfm.Segment
    next_family: Mapped[str | None] = mapped_column(String(20))
    next_brand: Mapped[str | None] = mapped_column(String(60))
    next_why: Mapped[str | None] = mapped_column(String(10))  # history | declared | both
    reason: Mapped[str | None] = mapped_column(String(16))
    model_status: Mapped[str | None] = mapped_column(String(12))  # prediction | estimate | unvalidated | none
    computed_at: Mapped[datetime | None]  # when these figures last changed


# The customer a security event names (a sensitive read's); the same text in the index and in the query.
SECURITY_EVENT_CUSTOMER = "json_extract(detail, '$.customer_id')"


class SecurityEvent(Ledger):
    """Failed sign-ins, lockouts, failed gift-card look-ups: audited and replicated to head office."""

    __tablename__ = "security_events"
    kind: Mapped[str] = mapped_column(String(30))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    terminal: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (
        Index("ix_security_events_created_at", "created_at"),  # the audit trail, newest first (0027)
        # A sensitive read's customer (core.privacy.audit): the trail of one customer (0027).
        Index(
            "ix_security_events_customer",
            text(SECURITY_EVENT_CUSTOMER),
            sqlite_where=text(f"{SECURITY_EVENT_CUSTOMER} IS NOT NULL"),
        ),
    )
