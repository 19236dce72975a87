"""Orders, gift cards, loyalty and rewards. Money columns are integer fils."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Ledger, Register, fk


class Order(Ledger):
    """The CRM's simplified order: a sale or a return (``original_order_id``), totals in fils."""

    __tablename__ = "orders"
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[str | None] = mapped_column(fk("customers.id"))
    kind: Mapped[str] = mapped_column(String(10), default="sale")  # sale | return
    original_order_id: Mapped[str | None] = mapped_column(fk("orders.id"), index=True)
    staff_id: Mapped[str | None] = mapped_column(String(36))
    net_fils: Mapped[int] = mapped_column(Integer)
    vat_fils: Mapped[int] = mapped_column(Integer)
    total_fils: Mapped[int] = mapped_column(Integer)
    tenders: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"cash": fils, "card": fils, ...}
    # A customer's orders, and their last purchase and lifetime spend read from the index alone (audiences).
    __table_args__ = (Index("ix_orders_customer_kind_created", "customer_id", "kind", "created_at", "total_fils"),)


class OrderLine(Ledger):
    __tablename__ = "order_lines"
    order_id: Mapped[str] = mapped_column(fk("orders.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(120))
    brand: Mapped[str] = mapped_column(String(60), default="")
    family: Mapped[str] = mapped_column(String(20), default="")
    size_ml: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fils: Mapped[int] = mapped_column(Integer)
    net_fils: Mapped[int] = mapped_column(Integer)
    vat_fils: Mapped[int] = mapped_column(Integer)


class GiftCard(Register):
    """The card's identity and terms. Its balance is the sum of its transactions, never stored here."""

    __tablename__ = "gift_cards"
    code: Mapped[str] = mapped_column(String(20), unique=True)
    initial_fils: Mapped[int] = mapped_column(Integer)
    purchaser_customer_id: Mapped[str | None] = mapped_column(fk("customers.id"))
    recipient_customer_id: Mapped[str | None] = mapped_column(fk("customers.id"))
    recipient_name: Mapped[str | None] = mapped_column(String(80))
    from_name: Mapped[str | None] = mapped_column(String(80))
    message: Mapped[str | None] = mapped_column(Text)
    occasion: Mapped[str] = mapped_column(String(20), default="plain")
    expires_on: Mapped[date] = mapped_column(Date)
    corporate_batch: Mapped[str | None] = mapped_column(String(36))


class GiftCardTransaction(Ledger):
    """issue, redeem, refund, cancel, expire, adjust; ``amount_fils`` signed (+ adds value, - takes it)."""

    __tablename__ = "gift_card_transactions"
    card_id: Mapped[str] = mapped_column(fk("gift_cards.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_fils: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[str | None] = mapped_column(fk("orders.id"))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(String(200))
    offline_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_gift_card_transactions_card", "card_id", "created_at"),)


class LoyaltyAccount(Register):
    """Tier and points are derived from the ledger; ``tier`` is head office's last decision (a cache)."""

    __tablename__ = "loyalty_accounts"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), unique=True)
    card_number: Mapped[str] = mapped_column(String(20), unique=True)
    tier: Mapped[str] = mapped_column(String(10), default="bronze")
    # An audience's tier filter: the accounts of a tier without reading every account.
    __table_args__ = (Index("ix_loyalty_accounts_tier", "tier", "deleted", "customer_id"),)


class LoyaltyTransaction(Ledger):
    """earn, redeem, expire, bonus, reverse, adjust; ``points`` signed."""

    __tablename__ = "loyalty_transactions"
    account_id: Mapped[str] = mapped_column(fk("loyalty_accounts.id"))
    kind: Mapped[str] = mapped_column(String(10))
    points: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[str | None] = mapped_column(fk("orders.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    expires_on: Mapped[date | None] = mapped_column(Date)
    offline_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_loyalty_transactions_account", "account_id", "created_at"),)


class Reward(Register):
    __tablename__ = "rewards"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="product")  # product | discount | service | voucher
    points_cost: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int | None] = mapped_column(Integer)
    per_customer_limit: Mapped[int | None] = mapped_column(Integer)
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    image: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RewardClaim(Register):
    """pending → fulfilled, or cancelled (points restored by a loyalty event)."""

    __tablename__ = "reward_claims"
    reward_id: Mapped[str] = mapped_column(fk("rewards.id"))
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="pending")
