"""Domain events: facts a use case states about what just happened, for side effects to hang on.

A use case raises an event on its unit of work; the unit of work hands it to the handlers registered for its
type (core.kernel.bus) inside the same transaction, just before commit. So a sale that rolls back queues no
receipt, and whatever a handler writes (a message, a survey invitation) carries its change-log row like any
other write. Events carry ids and plain values, never repositories or ORM rows: a handler reads what else it
needs through the unit of work it is given. A use case may hand over a frozen value it has already read in
the same transaction (SaleCompleted's customer profile), so a handler on a hot path need not read it again;
such a field takes no part in the event's equality. Messages, campaigns and surveys are added as handlers, without
touching the use case that raised the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.customers.model import CustomerProfile


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event; frozen, so a handler cannot change what the next handler sees."""


@dataclass(frozen=True)
class CustomerRegistered(DomainEvent):
    customer_id: str


@dataclass(frozen=True)
class SaleCompleted(DomainEvent):
    order_id: str
    order_number: str
    customer_id: str | None
    total_fils: int
    points_earned: int
    points_redeemed: int
    # The customer's profile as the sale read it, in the same transaction (a sale changes none of its fields):
    # the receipt's handler runs inside every sale, and reading the profile again cost it about 0.05 ms.
    customer: CustomerProfile | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReturnRecorded(DomainEvent):
    order_id: str  # the return's own order
    original_order_id: str
    customer_id: str | None
    refund_fils: int  # positive: what goes back to the customer across every tender
    points_reversed: int


@dataclass(frozen=True)
class TierUpgraded(DomainEvent):
    customer_id: str
    previous_tier: str
    tier: str
    bonus_points: int
    balance: int  # the points balance after the bonus
    order_id: str | None


@dataclass(frozen=True)
class PointsExpiring(DomainEvent):
    """The expiry warning: raised once per customer and warning period (the loyalty expiry run decides)."""

    customer_id: str
    points: int
    expires_on: date


@dataclass(frozen=True)
class PointsExpired(DomainEvent):
    customer_id: str
    points: int
    expires_on: date  # the date of the lots that expired


@dataclass(frozen=True)
class GiftCardSold(DomainEvent):
    card_id: str
    amount_fils: int
    occasion: str
    expires_on: date
    purchaser_customer_id: str | None
    recipient_customer_id: str | None
    recipient_name: str | None
    from_name: str | None
    message: str | None


@dataclass(frozen=True)
class VisitLogged(DomainEvent):
    visit_id: str
    customer_id: str
    shopper_id: str
    visited_at: datetime
    order_id: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class ConsentRecorded(DomainEvent):
    """Staff recorded at the till what the customer agrees to be sent: (channel, purpose, granted) answers,
    only those the staff member changed on the form."""

    customer_id: str
    staff_id: str | None
    at: datetime
    answers: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class ProductBackInStock(DomainEvent):
    """A manager marked a product back in stock while customers waited for it: ``occurrence`` names this return
    (the restock campaign's run that tells them); ``waiting``: how many wait-list entries it will tell."""

    sku: str
    occurrence: str
    waiting: int


@dataclass(frozen=True)
class LowScoreReceived(DomainEvent):
    """A customer's answer was low (NPS ≤ 6, a rating ≤ 2 of 5, a complaint, or a negative comment): what a
    ticket and the branch manager's attention hang on (core.feedback.service.is_low)."""

    feedback_id: str
    customer_id: str | None
    order_id: str | None
    invitation_id: str | None
    branch_id: str
    nps: int | None
    rating: int | None
    kind: str
    sentiment: str | None
