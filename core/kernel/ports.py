"""What core needs from the outside world. storage/ and sync/ implement these; tests may fake them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from core.customers.model import CustomerProfile, CustomerSummary, HistoryEntry
from core.staff.auth import Actor, StaffRecord

if TYPE_CHECKING:
    from core.offline.allowances import OfflineRepository


@dataclass(frozen=True)
class BranchInfo:
    id: str
    code: str
    name_en: str
    name_ar: str
    location: str


class Clock(Protocol):
    def now(self) -> datetime: ...  # aware UTC

    def today(self) -> date: ...  # the branch's local date (Asia/Dubai)


class GiftCardTender(Protocol):
    """Pays part of a sale with a gift card, or gives it back on a return, inside the sale's own unit of work
    (``uow``): the card's event and the order commit together or not at all. Raises a DomainError to refuse
    (unknown, cancelled, expired or empty card, not enough balance, offline without an allowance)."""

    def redeem(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None: ...

    def refund(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None: ...


class CustomerRepository(Protocol):
    def add(self, values: dict[str, object]) -> CustomerProfile: ...

    def get(self, customer_id: str) -> CustomerProfile | None: ...

    def update(self, customer_id: str, changes: dict[str, object]) -> CustomerProfile: ...

    def id_by_mobile(self, mobile: str) -> str | None: ...

    def search(self, terms: list[str], limit: int) -> list[CustomerSummary]: ...

    def history(self, customer_id: str, limit: int) -> list[HistoryEntry]: ...


class StaffRepository(Protocol):
    def get(self, staff_id: str) -> StaffRecord | None: ...

    def by_branch(self, branch_id: str) -> list[StaffRecord]: ...

    def set_lockout(self, staff_id: str, failed_attempts: int, locked_until: datetime | None) -> None: ...

    def log_security_event(self, kind: str, detail: dict[str, object]) -> None: ...


class UnitOfWork(Protocol):
    """One use case, one transaction. Leaving the block without commit() rolls everything back."""

    customers: CustomerRepository
    staff: StaffRepository
    offline: OfflineRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...


# A factory: ``uow(actor)`` opens a writing unit of work for ``actor``; ``uow(None)`` opens a read-only one.
UnitOfWorkFactory = Callable[[Actor | None], UnitOfWork]
