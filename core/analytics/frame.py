"""The chain's purchase history as column arrays: what every analytics computation reads.

A reader (core.analytics.reader, over a till's store or head office's copy) fills an ``OrdersFrame`` once; the
models and the dashboards' aggregates then work on the arrays. Customers and branches are referred to by their index
into ``customer_ids`` / ``branch_ids``; -1 is "no customer" (an anonymous sale). Times are seconds since the Unix
epoch, UTC; money is signed integer fils (a return is negative)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SALE = 0
RETURN = 1


@dataclass
class OrdersFrame:
    customer_ids: list[str]
    customer_created_at: npt.NDArray[np.int64]  # per customer
    branch_ids: list[str]
    order_ids: list[str]
    order_customer: npt.NDArray[np.int32]  # per order: index into customer_ids, -1 for none
    order_branch: npt.NDArray[np.int32]
    order_at: npt.NDArray[np.int64]
    order_net_fils: npt.NDArray[np.int64]  # signed: returns are negative
    order_kind: npt.NDArray[np.int8]  # SALE | RETURN
    # Lines (optional for a reader that does not need them): product family and brand as codes into the vocabularies.
    line_order: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_family: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_brand: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    line_net_fils: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    families: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    # The rest is for the dashboards (core.analytics.dashboards); a reader that does not fill it leaves them empty.
    extra: Facts | None = None

    @property
    def customers(self) -> int:
        return len(self.customer_ids)

    @property
    def orders(self) -> int:
        return len(self.order_ids)

    @property
    def facts(self) -> Facts:
        return self.extra if self.extra is not None else Facts.empty(self.customers)


def _i32() -> npt.NDArray[np.int32]:
    return np.zeros(0, np.int32)


def _i64() -> npt.NDArray[np.int64]:
    return np.zeros(0, np.int64)


def _i8() -> npt.NDArray[np.int8]:
    return np.zeros(0, np.int8)


LOYALTY_KINDS = ("earn", "reverse", "redeem", "restore", "expire", "bonus", "adjust")
GIFT_CARD_KINDS = ("issue", "redeem", "refund", "cancel", "expire", "adjust")
EXECUTION_OUTCOMES = ("queued", "refused", "control")


@dataclass
class Facts:
    """What the dashboards read beside the orders, as arrays indexed like ``OrdersFrame``: -1 is "none".

    Per customer: home branch, segment (code into ``segments``), loyalty tier (index into
    core.loyalty.rules.TIER_ORDER) and personal shopper now (index into ``shopper_ids``). Loyalty events
    (kind: index into ``LOYALTY_KINDS``), gift cards and their transactions (``GIFT_CARD_KINDS``), VIP visits,
    scored feedback answers (NPS class 1 detractor, 2 passive, 3 promoter), campaign executions
    (``EXECUTION_OUTCOMES``) and offer redemptions. Times are Unix seconds, money signed fils."""

    customer_branch: npt.NDArray[np.int32] = field(default_factory=_i32)
    customer_segment: npt.NDArray[np.int8] = field(default_factory=_i8)
    customer_tier: npt.NDArray[np.int8] = field(default_factory=_i8)
    customer_shopper: npt.NDArray[np.int32] = field(default_factory=_i32)
    segments: list[str] = field(default_factory=list)
    shopper_ids: list[str] = field(default_factory=list)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # branch, shopper, campaign id → (en, ar)
    loyalty_customer: npt.NDArray[np.int32] = field(default_factory=_i32)
    loyalty_kind: npt.NDArray[np.int8] = field(default_factory=_i8)
    loyalty_points: npt.NDArray[np.int64] = field(default_factory=_i64)
    loyalty_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    card_branch: npt.NDArray[np.int32] = field(default_factory=_i32)
    card_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    card_initial_fils: npt.NDArray[np.int64] = field(default_factory=_i64)
    card_expires_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    card_txn_card: npt.NDArray[np.int32] = field(default_factory=_i32)
    card_txn_kind: npt.NDArray[np.int8] = field(default_factory=_i8)
    card_txn_fils: npt.NDArray[np.int64] = field(default_factory=_i64)
    card_txn_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    visit_shopper: npt.NDArray[np.int32] = field(default_factory=_i32)
    visit_customer: npt.NDArray[np.int32] = field(default_factory=_i32)
    visit_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    answer_shopper: npt.NDArray[np.int32] = field(default_factory=_i32)
    answer_branch: npt.NDArray[np.int32] = field(default_factory=_i32)
    answer_class: npt.NDArray[np.int8] = field(default_factory=_i8)
    answer_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    campaign_ids: list[str] = field(default_factory=list)
    execution_campaign: npt.NDArray[np.int32] = field(default_factory=_i32)
    execution_customer: npt.NDArray[np.int32] = field(default_factory=_i32)
    execution_outcome: npt.NDArray[np.int8] = field(default_factory=_i8)
    execution_at: npt.NDArray[np.int64] = field(default_factory=_i64)
    redemption_campaign: npt.NDArray[np.int32] = field(default_factory=_i32)
    redemption_discount_fils: npt.NDArray[np.int64] = field(default_factory=_i64)
    redemption_points: npt.NDArray[np.int64] = field(default_factory=_i64)

    @classmethod
    def empty(cls, customers: int) -> Facts:
        none = np.full(customers, -1, np.int32)
        return cls(
            customer_branch=none,
            customer_segment=np.full(customers, -1, np.int8),
            customer_tier=np.full(customers, -1, np.int8),
            customer_shopper=none.copy(),
        )
