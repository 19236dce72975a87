"""A customer's right to erasure, at the branch: a manager records the request, head office decides it.

The request is a replicated row (``erasure_requests``, a register): the branch writes it with who asked, when
and why; head office lists the pending ones, approves or refuses with a reason, and writes that decision as its
own change, which every branch pulls (sync.headoffice.erasure). An approval also tombstones the customer
(``erased_at``) and scrubs every copy of what identified them, at head office and, as each pulls it, at every
branch (storage.erasure; the rules are core.privacy.scrub's). Invoices and money ledgers are kept for the VAT
retention period, by customer id only.

Refused: a role without REQUEST_ERASURE (managers and admins have it), a customer this store does not know
(nothing is written), a customer already erased. Asking again while a request is pending returns that request:
a customer who asks twice has one request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.kernel.errors import Conflict, NotFound
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.kernel.text import clean_text
from core.staff.auth import Actor, Permission

REASON_MAX = 500


class ErasureStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True)
class ErasureRequest:
    id: str
    customer_id: str
    reason: str
    requested_by: str | None
    requested_at: datetime
    status: ErasureStatus
    decided_at: datetime | None = None
    decision_reason: str | None = None


class ErasureRepository(Protocol):
    def customer_state(self, customer_id: str) -> tuple[bool, bool]:
        """(known, erased) of a customer id in this store."""
        ...

    def add(
        self, customer_id: str, reason: str, requested_by: str | None, requested_at: datetime
    ) -> ErasureRequest: ...

    def latest(self, customer_id: str) -> ErasureRequest | None:
        """The customer's newest request, whatever its status."""
        ...


class ErasureUnitOfWork(UnitOfWork, Protocol):
    erasures: ErasureRepository


class ErasureService:
    def __init__(self, uow: UnitOfWorkFactory[ErasureUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def request(self, actor: Actor, customer_id: str, reason: str) -> ErasureRequest:
        """Records the customer's request for head office to decide; returns the pending request."""
        actor.require(Permission.REQUEST_ERASURE)
        text = clean_text(reason, "reason", max_length=REASON_MAX, required=True, multiline=True) or ""
        with self._uow(actor) as uow:
            known, erased = uow.erasures.customer_state(customer_id)
            if not known:
                raise NotFound(QT_TRANSLATE_NOOP("core", "No customer has this id here: nothing was requested."))
            if erased:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This customer's data has already been erased."))
            current = uow.erasures.latest(customer_id)
            if current is not None and current.status == ErasureStatus.PENDING:
                return current
            made = uow.erasures.add(customer_id, text, actor.staff_id or None, self._clock.now())
            uow.commit()
        return made

    def latest(self, actor: Actor, customer_id: str) -> ErasureRequest | None:
        """The customer's newest erasure request (pending, approved or refused), for the customer screen."""
        actor.require(Permission.VIEW_CUSTOMERS)
        with self._uow(None) as uow:
            return uow.erasures.latest(customer_id)
