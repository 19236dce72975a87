"""What every capability needs from the outside world: a clock, this branch's facts and the unit of work.
Each capability declares its own repositories beside its service (core/<capability>/ports.py) and the unit of
work it needs as a Protocol over this one; storage's unit of work satisfies them all structurally, which mypy
checks where storage.bootstrap hands it to each service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self, TypeVar

from core.kernel.events import DomainEvent
from core.staff.auth import Actor


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


class UnitOfWork(Protocol):
    """One use case, one transaction. Leaving the block without commit() rolls everything back. A capability
    extends it with the repositories it uses (``customers: CustomerRepository``, …)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def raise_event(self, event: DomainEvent) -> None:
        """Collects a domain event; its handlers run in this transaction when it commits."""
        ...

    def commit(self) -> None: ...

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Runs ``undo`` if this unit of work ends without committing, after its transaction is rolled back:
        for what the use case did outside the database (a hold taken at head office)."""
        ...


UoW_co = TypeVar("UoW_co", bound=UnitOfWork, covariant=True)

# A factory: ``uow(actor)`` opens a writing unit of work for ``actor``; ``uow(None)`` opens a read-only one.
# ``UnitOfWorkFactory[CustomerUnitOfWork]`` is one that opens a unit of work with the customers' repository.
UnitOfWorkFactory = Callable[[Actor | None], UoW_co]
