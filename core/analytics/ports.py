"""What the customer analytics need from storage, and what the customer screen is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.analytics.customers import CustomerAnalyticsResult, DeclaredPreferences
from core.analytics.frame import OrdersFrame
from core.kernel.ports import UnitOfWork


@dataclass(frozen=True)
class CustomerInsight:
    """One customer's stored analytics; a model figure is None when there was not enough data (``reason``)."""

    customer_id: str
    orders: int
    purchases: int
    net_spend_fils: int
    average_order_fils: int
    last_purchase_at: datetime | None
    mean_gap_days: int | None
    p_alive_pm: int | None
    expected_90d_x100: int | None
    clv_fils: int | None
    rfm: tuple[int, int, int] | None
    segment: str | None  # core.analytics.rfm.Segment
    next_family: str | None
    next_brand: str | None
    next_why: str | None  # history | declared | both
    reason: str  # core.analytics.customers.Reason, lower case; "ok" when the model figures are there
    model_status: str  # core.analytics.customers.ModelStatus
    computed_at: datetime | None


class CustomerAnalyticsRepository(Protocol):
    def orders_frame(self) -> OrdersFrame:
        """The store's customers, orders and lines as column arrays."""
        ...

    def declared_preferences(self, frame: OrdersFrame) -> DeclaredPreferences:
        """The families and brands customers declared, against ``frame``'s customer indices."""
        ...

    def save(self, result: CustomerAnalyticsResult, frame: OrdersFrame) -> int:
        """Writes the customers whose figures changed (materially: see the implementation); returns how many."""
        ...

    def insight(self, customer_id: str) -> CustomerInsight | None: ...

    def shopper_staff_of(self, customer_id: str) -> str | None:
        """The staff id of the customer's personal shopper now, if they have one."""
        ...


class AnalyticsUnitOfWork(UnitOfWork, Protocol):
    customer_analytics: CustomerAnalyticsRepository
