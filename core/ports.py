"""What core needs from the outside world. storage/ and sync/ implement these; tests may fake them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType
from typing import Protocol

from core.auth import Actor, StaffRecord
from core.customers import CustomerProfile, CustomerSummary, HistoryEntry


class Clock(Protocol):
    def now(self) -> datetime: ...  # aware UTC

    def today(self) -> date: ...  # the branch's local date (Asia/Dubai)


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

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...


# A factory: ``uow(actor)`` opens a writing unit of work for ``actor``; ``uow(None)`` opens a read-only one.
UnitOfWorkFactory = Callable[[Actor | None], UnitOfWork]
