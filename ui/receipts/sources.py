"""Where each screen's document comes from: a function the preview calls off the main thread (with the buyer,
when the cashier asks for a full tax invoice)."""

from __future__ import annotations

from collections.abc import Callable

from core.app import AppServices
from core.giftcards.service import GiftCardView
from core.receipts.documents import Buyer, Document, gift_card_sale_slip, voucher_slip
from core.staff.auth import Actor

Source = Callable[[Buyer | None], Document]


def order_source(services: AppServices, actor: Actor, order_id: str) -> Source:
    """A sale's tax invoice (simplified, or full for a buyer) or a return's credit note."""
    return lambda buyer: services.receipts.order_document(actor, order_id, buyer)


def _branch(services: AppServices) -> tuple[str, str]:
    branch = services.branch()
    return (branch.name_en, branch.name_ar) if branch else ("", "")


def voucher_source(services: AppServices, actor: Actor, card: GiftCardView, amount_fils: int) -> Source:
    """The slip of a redemption at the gift-card page: amount taken, balance left, code masked."""

    def make(_buyer: Buyer | None) -> Document:
        return voucher_slip(
            number="",
            issued_at=services.clock.now(),
            seller=services.receipts.seller(),
            branch=_branch(services),
            served_by=(actor.display_name, actor.display_name_ar),
            code=card.code,
            amount_fils=amount_fils,
            balance_fils=card.balance_fils,
        )

    return make


def card_sale_source(services: AppServices, actor: Actor, cards: list[GiftCardView], from_name: str = "") -> Source:
    """The slip of a gift-card sale (one card, or a corporate batch of identical ones)."""
    first = cards[0]

    def make(_buyer: Buyer | None) -> Document:
        return gift_card_sale_slip(
            number="",
            issued_at=first.issued_at,
            seller=services.receipts.seller(),
            branch=_branch(services),
            served_by=(actor.display_name, actor.display_name_ar),
            code=first.code,
            amount_fils=first.initial_fils,
            expires_on=first.expires_on,
            recipient_name=first.recipient_name or "",
            from_name=first.from_name or from_name,
            count=len(cards),
        )

    return make
