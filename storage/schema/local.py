"""Tables that belong to this store only and never replicate as rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class ChangeLog(Base):
    """The outbox: one row per local change, ``branch_seq`` gap-free. Nothing else decides what syncs."""

    __tablename__ = "change_log"
    # Register updates only: the database looks an update's stamp up here before it lets the row change.
    __table_args__ = (Index("ix_change_log_update_hlc", "hlc", sqlite_where=text("op = 'update'")),)
    branch_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    branch_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # insert | update
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(60))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]


class HlcState(Base):
    """The last HLC stamp issued, so the clock stays monotonic across restarts and wall-clock jumps."""

    __tablename__ = "hlc_state"
    node: Mapped[str] = mapped_column(String(36), primary_key=True)
    wall_ms: Mapped[int] = mapped_column(Integer)
    counter: Mapped[int] = mapped_column(Integer)


class StoreSetting(Base):
    """This store's identity and cursors: branch_id, terminal id, pushed/pulled positions."""

    __tablename__ = "store_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrphanRow(Base):
    """What a replica keeps of a register row it has not received yet: the fields of updates that overtook the
    row's insert, with their stamps, as they came over the wire (core.kernel.replication.merge_register)."""

    __tablename__ = "orphan_rows"
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # JSON, the wire values
    field_hlc: Mapped[str] = mapped_column(Text)  # JSON, their stamps


class WaitingRow(Base):
    """A pulled change whose parent row this replica does not have yet, kept as it came over the wire until the
    parent comes: the rest of its page is applied meanwhile (storage.replica)."""

    __tablename__ = "waiting_rows"
    __table_args__ = (Index("ix_waiting_rows_parent", "parent_entity", "parent_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    parent_entity: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[str] = mapped_column(String(36))
    change: Mapped[str] = mapped_column(Text)  # JSON: the change as the replica applies it


class OutboxLease(Base):
    """A standalone store's dispatcher holding a message while it sends it. Local: a lease is this process's
    business, and a lease left by a dispatcher that died simply runs out (``lease_until``)."""

    __tablename__ = "outbox_leases"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(60))
    lease_until: Mapped[datetime]


class InboundHandled(Base):
    """An inbound message this branch has handled (core.inbound): what it became (a survey answer, a ticket's
    reply, a new ticket, a refusal, nothing) and the row it made. Local: one branch handles each message, and
    what it made is keyed on the message, so a store rebuilt from head office handles none twice (0022)."""

    __tablename__ = "inbound_handled"
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handled_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)


class FeedbackFact(Base):
    """What the feedback dashboard counts, one row per answer in customer_feedback (0024): the answer's month in
    Asia/Dubai, its branch, the customer's personal shopper ("" for none), its sentiment ("" for none), its NPS
    class (0 no score, 1 detractor, 2 passive, 3 promoter), the themes of its comment (core.feedback.themes, a
    bit mask; -1 until tagged), and for the filters the customer's loyalty tier and campaign when they
    answered and the survey type. Derived here, never replicated: a trigger writes the row with the answer,
    whoever wrote it (this till, or a pull from head office); the themes are tagged in Python by the answer's
    transaction or, for a pulled answer, by the dashboard's next read.

    Clustered by the dashboard's grouping, so its one GROUP BY over a period reads the rows in group order and
    counts them without sorting (a sort of 500,000 rows cost the query more than a second; in this order it
    takes about a quarter of one: benchmarks/README.md)."""

    __tablename__ = "feedback_facts"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    branch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shopper_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(10), primary_key=True)
    nps_class: Mapped[int] = mapped_column(Integer, primary_key=True)
    themes: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(primary_key=True)
    feedback_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    segment: Mapped[str | None] = mapped_column(String(10))
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12))
    __table_args__ = (
        Index("ux_feedback_facts_feedback_id", "feedback_id", unique=True),
        Index("ix_feedback_facts_untagged", "feedback_id", sqlite_where=text("themes < 0")),
        {"sqlite_with_rowid": False},
    )


class ErasureScrubbing(Base):
    """The customers whose data an erasure scrub is overwriting, inside the scrub's one transaction only
    (storage.erasure): the append-only and logged-update triggers let a row change while a row is here, and
    the scrub deletes its rows before it commits. Empty at every other moment (0025)."""

    __tablename__ = "erasure_scrubbing"
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class AnalyticsFigure(Base):
    """A dashboard's figures for one filter (core.analytics.dashboards), as the JSON document it was computed
    as: "" for the chain / all segments. Local and derived: a standalone store computes its own, a branch of a
    chain takes head office's (sync.client pulls them), and a recompute replaces them whole (0029). One row per
    dashboard opened, read by its primary key, so a dashboard opens in milliseconds whatever the history."""

    __tablename__ = "analytics_figures"
    __table_args__ = ({"sqlite_with_rowid": False},)
    dashboard: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    branch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    segment: Mapped[str] = mapped_column(String(12), primary_key=True)
    computed_at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)
