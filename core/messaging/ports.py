"""What messaging needs from storage: the outbox, its templates and the consent ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.ports import CustomerRepository
from core.messaging.consent import ConsentChange, ConsentRecord


class MessageRepository(Protocol):
    def ensure_template(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        """Writes the template row unless it exists (a branch never rewrites head office's wording)."""
        ...

    def queue(
        self,
        customer_id: str,
        channel: str,
        recipient: str,
        body: str,
        template_id: str | None,
        *,
        status: str = "queued",
        error: str | None = None,
    ) -> str:
        """An outbound message in the outbox, queued (or already refused, with the reason); returns its id."""
        ...

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        """How many messages of these templates went to the customer since ``since`` (queued or later)."""
        ...

    def promotional_sent_since(self, customer_id: str, since: datetime) -> list[datetime]:
        """When each promotional message that left for the customer since ``since`` left, on any channel
        (sending or further; a failed or refused one never reached them)."""
        ...


class ConsentRepository(Protocol):
    def add(self, change: ConsentChange) -> str | None:
        """Appends ``change`` to the ledger; returns its id, or None when a row of its stable id is there."""
        ...

    def for_customer(self, customer_id: str) -> list[ConsentRecord]:
        """Every change of the customer's consent, as written."""
        ...


class MessagingUnitOfWork(Protocol):
    customers: CustomerRepository
    messages: MessageRepository
    consents: ConsentRepository
