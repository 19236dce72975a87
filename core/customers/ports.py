"""What the customer service needs from storage: the customers' repository, and a unit of work holding it."""

from __future__ import annotations

from typing import Protocol

from core.customers.model import CustomerProfile, CustomerSummary, HistoryEntry
from core.kernel.ports import UnitOfWork


class CustomerRepository(Protocol):
    def add(self, values: dict[str, object]) -> CustomerProfile: ...

    def get(self, customer_id: str) -> CustomerProfile | None: ...

    def update(self, customer_id: str, changes: dict[str, object]) -> CustomerProfile: ...

    def id_by_mobile(self, mobile: str) -> str | None: ...

    def search(self, terms: list[str], limit: int) -> list[CustomerSummary]: ...

    def search_email(self, prefix: str, domain: bool, limit: int) -> list[CustomerSummary]:
        """Customers whose email (or, with ``domain``, the part after its "@") starts with ``prefix``."""
        ...

    def history(self, customer_id: str, limit: int) -> list[HistoryEntry]: ...


class CustomerUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository

    def security_event(self, kind: str, detail: dict[str, object]) -> None:
        """Audits a read of a sensitive field (core.privacy.audit) in this transaction."""
        ...
