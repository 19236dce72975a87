"""VIP service records and restock interest."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Ledger, Register, fk


class VipVisit(Ledger):
    """A personal shopper's visit with a VIP: what was tried and bought, how it went, what comes next."""

    __tablename__ = "vip_visits"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"))
    shopper_id: Mapped[str] = mapped_column(fk("personal_shoppers.id"))
    visited_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    products_tried: Mapped[list[Any]] = mapped_column(JSON, default=list)
    products_bought: Mapped[list[Any]] = mapped_column(JSON, default=list)
    order_id: Mapped[str | None] = mapped_column(fk("orders.id"))
    mood: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    customer_not_vip: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_vip_visits_customer", "customer_id", "visited_at"),
        Index("ix_vip_visits_shopper", "shopper_id", "visited_at"),
    )


class FollowUp(Register):
    """Something a shopper promised to do for a VIP by a date: open → done or cancelled."""

    __tablename__ = "follow_ups"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    shopper_id: Mapped[str] = mapped_column(fk("personal_shoppers.id"))
    visit_id: Mapped[str | None] = mapped_column(fk("vip_visits.id"))
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    __table_args__ = (Index("ix_follow_ups_shopper_due", "shopper_id", "status", "due_on"),)


class RestockInterest(Register):
    """A customer waiting for a product to come back: waiting → notified, or cancelled. ``back_in_stock``: the
    occurrence of the product's return that is to tell them (core.campaigns: a restock campaign's run), set
    when a manager marks the product back while they wait (0018)."""

    __tablename__ = "restock_interests"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40), index=True)
    product_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    back_in_stock: Mapped[str | None] = mapped_column(String(20))
    # What the campaign executor asks every round: who still waits to be told of a product that came back.
    __table_args__ = (
        Index(
            "ix_restock_interests_back_in_stock",
            "back_in_stock",
            sqlite_where=text("back_in_stock IS NOT NULL AND status = 'waiting'"),
        ),
    )
