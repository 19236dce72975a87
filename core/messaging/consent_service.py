"""Reading a customer's consent for the till: where it stands now, and the ledger that proves it. Recording it
goes through the customer form (CustomerService, answers in CustomerDraft.consent), so a customer and what
they agreed to are saved in one transaction."""

from __future__ import annotations

from typing import Protocol

from core.customers.ports import CustomerRepository
from core.kernel.errors import NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import UnitOfWork, UnitOfWorkFactory
from core.messaging.consent import ConsentRecord, ConsentState, fold
from core.messaging.ports import ConsentRepository
from core.staff.auth import Actor, Permission


class ConsentUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    consents: ConsentRepository


class ConsentService:
    def __init__(self, uow: UnitOfWorkFactory[ConsentUnitOfWork]) -> None:
        self._uow = uow

    def state(self, actor: Actor, customer_id: str) -> ConsentState:
        """What the customer agrees to now, per channel and purpose."""
        actor.require(Permission.VIEW_CUSTOMERS)
        with self._uow(None) as uow:
            profile = uow.customers.get(customer_id)
            if profile is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            return fold(customer_id, uow.consents.for_customer(customer_id), profile)

    def history(self, actor: Actor, customer_id: str) -> list[ConsentRecord]:
        """Every change of the customer's consent, oldest first: the proof of what they agreed to."""
        actor.require(Permission.VIEW_CUSTOMERS)
        with self._uow(None) as uow:
            return sorted(
                uow.consents.for_customer(customer_id),
                key=lambda r: (r.occurred_at, r.created_at or r.occurred_at, r.id or ""),
            )
