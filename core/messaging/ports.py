"""What messaging needs from storage: the outbox and its templates."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.customers.ports import CustomerRepository


class MessageRepository(Protocol):
    def ensure_template(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        """Writes the template row unless it exists (a branch never rewrites head office's wording)."""
        ...

    def queue(self, customer_id: str, channel: str, recipient: str, body: str, template_id: str | None) -> str:
        """A queued outbound message in the outbox; returns its id."""
        ...

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        """How many messages of these templates went to the customer since ``since`` (queued or later)."""
        ...


class MessagingUnitOfWork(Protocol):
    customers: CustomerRepository
    messages: MessageRepository
