"""The branch side of sync: what head office granted, what it reported, and the offline decreases awaiting it.

None of these replicate as rows: head office sends allowances and exceptions with every pull, and an
approval is settled when the push that carries its ledger row is acknowledged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class OfflineAllowanceRow(Base):
    """Head office's grant to this branch for one kind of decrease (gift_card | points)."""

    __tablename__ = "offline_allowances"
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    per_subject_cap: Mapped[int] = mapped_column(Integer)
    branch_total: Mapped[int] = mapped_column(Integer)
    max_offline_hours: Mapped[float] = mapped_column(Float)
    max_snapshot_age_hours: Mapped[float] = mapped_column(Float)
    granted_at: Mapped[datetime]


class OfflineApproval(Base):
    """An offline decrease approved here; pending until head office acknowledges the push carrying it."""

    __tablename__ = "offline_approvals"
    hold_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the ledger row's id
    kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[str] = mapped_column(String(36), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[datetime]
    settled_at: Mapped[datetime | None] = mapped_column(index=True)


class SyncExceptionRow(Base):
    """An exception head office recorded about this branch's events (an overspend, a corrected clock stamp)."""

    __tablename__ = "sync_exceptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # head office's number
    kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[str] = mapped_column(String(36))
    branch_id: Mapped[str] = mapped_column(String(36))
    event_id: Mapped[str] = mapped_column(String(36))
    amount: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[datetime]
    detail: Mapped[str] = mapped_column(Text, default="")
