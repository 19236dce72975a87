"""What a sale needs from the other capabilities: a gift card as a tender. Declared here, by the one who uses
it, so that purchases does not import the gift-card service and gift cards know nothing of orders."""

from __future__ import annotations

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
