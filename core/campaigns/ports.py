"""What campaigns need from storage: the register of campaigns, the audience of a run page by page, and the
ledger of who an occurrence reached."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.campaigns.audience_query import AudienceQuery
from core.campaigns.model import CampaignDefinition
from core.customers.ports import CustomerRepository
from core.kernel.ports import UnitOfWork
from core.messaging.ports import ConsentRepository, MessageRepository
from core.messaging.promotional import OfferRecipient


@dataclass(frozen=True)
class CampaignRecord:
    id: str
    status: str
    definition: CampaignDefinition
    last_occurrence: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DayOf:
    """A birthday or registration-anniversary run: the customers whose day ``day`` is. ``kind`` is "birthday"
    or "anniversary". ``zone``: only the customers who live in that IANA zone (Asia/Dubai: everyone but the
    export customers abroad, core.customers.model.customer_zone); None: every customer, on the Dubai date."""

    kind: str
    day: date
    zone: str | None = None


@dataclass(frozen=True)
class WaitingFor:
    """A restock alert's run: the customers still waiting for the product whose return ``occurrence`` is."""

    occurrence: str


@dataclass(frozen=True)
class BackInStock:
    """A product's return that has customers still to tell: the occurrence, the SKU, its name as the wait list
    recorded it."""

    occurrence: str
    sku: str
    product_name: str


@dataclass(frozen=True)
class Execution:
    """One ledger row: who an occurrence reached, in which arm, with which outcome and message."""

    id: str
    campaign_id: str
    customer_id: str
    occurrence: str
    variant: str
    outcome: str  # queued | refused | control
    communication_id: str | None
    offer_code: str | None = None  # core.campaigns.offers: a queued recipient's, when the campaign has an offer
    offer_expires_on: date | None = None
    link_token: str | None = None  # the recipient's short link (core.campaigns.links), when head office serves it


class CampaignRepository(Protocol):
    def add(self, campaign_id: str, definition: CampaignDefinition, status: str) -> None: ...

    def get(self, campaign_id: str) -> CampaignRecord | None:
        """The campaign, or None (unknown or tombstoned). A stored definition that no longer reads raises
        ValidationError."""
        ...

    def save(self, campaign_id: str, definition: CampaignDefinition) -> None: ...

    def set_status(self, campaign_id: str, status: str) -> None: ...

    def finish_occurrence(self, campaign_id: str, occurrence: str, status: str | None = None) -> None:
        """Records ``occurrence`` as the last one finished, and the status the campaign moves to (None: the
        status is left as it is, and not written)."""
        ...

    def ids(self, statuses: tuple[str, ...] = ()) -> list[str]:
        """Every campaign's id (of these statuses, when given), oldest first."""
        ...

    def recipients(
        self, query: AudienceQuery, day_of: DayOf | WaitingFor | None, occurrence: str, after: str | None, limit: int
    ) -> list[str]:
        """The next ``limit`` customer ids of the audience (and of the day, for a birthday or anniversary run;
        waiting for the product, for a restock alert) that ``occurrence`` of the query's campaign has not
        reached yet, in id order after ``after``."""
        ...

    def mark_back_in_stock(self, sku: str, occurrence: str) -> int:
        """Gives every wait-list entry still waiting for ``sku`` the occurrence that is to tell them; returns how
        many."""
        ...

    def back_in_stock(self) -> list[BackInStock]:
        """The products' returns that still have waiting customers, oldest occurrence first."""
        ...

    def notified(self, occurrence: str, customer_ids: list[str]) -> None:
        """These customers' wait-list entries of ``occurrence`` have their alert queued: notified."""
        ...

    def zones(self) -> list[str]:
        """The time zones customers live in besides Asia/Dubai (export customers abroad), sorted."""
        ...

    def status(self, campaign_id: str) -> str | None:
        """The campaign's status; None when it is unknown or tombstoned."""
        ...

    def executed(self, campaign_id: str, occurrence: str, customer_ids: list[str]) -> set[str]:
        """Which of these customers this occurrence has already reached (a ledger row exists)."""
        ...

    def offer_recipients(self, customer_ids: list[str]) -> dict[str, OfferRecipient]:
        """These customers as an offer reads them, their promotional consent folded (a batch's, read in one
        query); the erased and unknown are absent."""
        ...

    def record(self, executions: Sequence[Execution]) -> None:
        """Appends these ledger rows (a batch's, written together)."""
        ...


class CampaignUnitOfWork(UnitOfWork, Protocol):
    campaigns: CampaignRepository
    customers: CustomerRepository
    messages: MessageRepository
    consents: ConsentRepository

    def security_event(self, kind: str, detail: dict[str, object]) -> None:
        """Audits a manager's act (a product marked back in stock) in this transaction."""
        ...
