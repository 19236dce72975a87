"""What a sale needs from the other capabilities: a gift card as a tender. Declared here, by the one who uses
it, so that purchases does not import the gift-card service and gift cards know nothing of orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.staff.auth import Actor


class GiftCardTender(Protocol):
    """Pays part of a sale with a gift card, or gives it back on a return, inside the sale's own unit of work
    (``uow``): the card's event and the order commit together or not at all. Raises a DomainError to refuse
    (unknown, cancelled, expired or empty card, not enough balance, offline without an allowance)."""

    def resolve(self, actor: Actor, code: str) -> str:
        """The code in canonical form, looked up in its own unit of work before the sale's opens, so that an
        unknown code counts against this till's look-up lock even though the sale then rolls back."""
        ...

    def redeem(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None: ...

    def refund(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None: ...


@dataclass(frozen=True)
class OfferTerms:
    """What a campaign's offer code gives, once checked: ``value`` is percent off (discount_code), fils off
    (voucher) or points (bonus_points)."""

    code: str
    execution_id: str
    campaign_id: str
    customer_id: str
    kind: str  # bonus_points | discount_code | voucher
    value: int


class OfferCodes(Protocol):
    """A campaign's offer code taken in a sale, inside the sale's own unit of work (``uow``), so the redemption
    and the order commit together or not at all. ``look_up`` raises a DomainError to refuse the code."""

    def look_up(self, code: str, customer_id: str | None, uow: object) -> OfferTerms: ...

    def redeem(self, terms: OfferTerms, order_id: str, discount_fils: int, points: int, uow: object) -> None: ...
