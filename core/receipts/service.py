"""The seller's details (legal name, branch address, TRN) and the documents a till prints for an order.

The seller's details are this store's settings, like the printer: a manager or an administrator sets them
once per till (``store_settings``, one JSON value). They are not a replicated register: head office decides
the branch record, and until it carries the TRN a till is configured where it prints. Every change is
audited (a security event, in the same transaction as the setting).

A sale gets a simplified tax invoice, or a full one when the customer gives a TRN; a return gets a tax
credit note that names the invoice it credits and the value of that supply before and after it, counting
earlier returns of the same sale (core.receipts.documents cites the regulation).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Protocol

from core.kernel.errors import NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWork
from core.loyalty.ports import OrderRepository
from core.purchases.model import OrderKind
from core.purchases.service import PurchaseService
from core.receipts.documents import Buyer, Document, SellerDetails, clean_seller, credit_note, tax_invoice
from core.staff.auth import Actor, Permission

SELLER_SETTING_KEY = "seller_details"


class SettingsRepository(Protocol):
    """This store's own key/value settings (never replicated)."""

    def setting(self, key: str) -> str | None: ...

    def save_setting(self, key: str, value: str) -> None: ...


class ReceiptUnitOfWork(UnitOfWork, Protocol):
    orders: OrderRepository
    settings: SettingsRepository

    def security_event(self, kind: str, detail: dict[str, object]) -> None: ...


ReceiptUowFactory = Callable[[Actor | None], ReceiptUnitOfWork]


class ReceiptService:
    def __init__(self, uow: ReceiptUowFactory, clock: Clock, purchases: PurchaseService) -> None:
        self._uow = uow
        self._clock = clock
        self._purchases = purchases

    # -- the seller ---------------------------------------------------------------------------------------------
    def seller(self) -> SellerDetails:
        """The stored details; empty ones (nothing set yet) print a receipt that says the TRN is missing."""
        with self._uow(None) as uow:
            value = uow.settings.setting(SELLER_SETTING_KEY)
        if not value:
            return SellerDetails()
        data = json.loads(value)
        return SellerDetails(**{k: str(data.get(k, "") or "") for k in SellerDetails.__dataclass_fields__})

    def save_seller(self, actor: Actor, details: SellerDetails) -> SellerDetails:
        """Stores the seller's details; refuses a role without the right, a missing name or address, and a
        TRN that is not 15 digits (nothing is written then)."""
        actor.require(Permission.MANAGE_BRANCH_SETTINGS)
        cleaned = clean_seller(details)
        with self._uow(actor) as uow:
            before = uow.settings.setting(SELLER_SETTING_KEY)
            uow.settings.save_setting(SELLER_SETTING_KEY, json.dumps(asdict(cleaned), ensure_ascii=False))
            uow.security_event(
                "seller_details_changed",
                {"trn": cleaned.trn, "had_details": before is not None},
            )
            uow.commit()
        return cleaned

    # -- documents -----------------------------------------------------------------------------------------------
    def order_document(self, actor: Actor, order_id: str, buyer: Buyer | None = None) -> Document:
        """The tax invoice of a sale (full with ``buyer``) or the credit note of a return, ready to print."""
        actor.require(Permission.VIEW_LOYALTY)  # who may read the order (PurchaseService.order), checked first
        seller = self.seller()
        order = self._purchases.order(actor, order_id)
        if order.kind == OrderKind.SALE:
            return tax_invoice(order, seller, buyer)
        if not order.original_order_id:
            raise NotFound(QT_TRANSLATE_NOOP("core", "The sale this return belongs to is not in this store."))
        original = self._purchases.order(actor, order.original_order_id)
        with self._uow(None) as uow:
            earlier = [
                r
                for r in uow.orders.returns_of(original.id)
                if r.id != order.id and (r.created_at, r.id) < (order.created_at, order.id)
            ]
        credited_before = sum(-r.net_fils for r in earlier)
        return credit_note(order, original, credited_before, seller, buyer)


__all__ = ["SELLER_SETTING_KEY", "ReceiptService", "ReceiptUnitOfWork", "SettingsRepository"]
