"""What inbound handling needs of storage: the inbound messages still to handle, and the record of those handled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.feedback.ports import FeedbackUnitOfWork
from core.tickets.service import TicketUnitOfWork


@dataclass(frozen=True)
class InboundRecord:
    """An inbound message as head office kept it (sync.headoffice.webhooks.record_inbound) and this branch
    pulled it: ``customer_id`` None when no customer has the number; ``reply_id`` the list row or button chosen."""

    id: str
    created_at: datetime
    branch_id: str
    customer_id: str | None
    channel: str  # whatsapp | sms
    sender: str
    body: str
    reply_id: str | None = None


@dataclass(frozen=True)
class Handled:
    message_id: str
    handled_at: datetime
    outcome: str
    ref: str | None
    detail: str | None


class InboundRepository(Protocol):
    def pending(self, branch_id: str, since: datetime, limit: int) -> list[InboundRecord]:
        """The inbound messages of ``branch_id`` received since ``since`` and not handled yet, oldest first."""
        ...

    def get(self, message_id: str) -> InboundRecord | None: ...

    def handled(self, message_id: str) -> Handled | None: ...

    def mark_handled(self, message_id: str, at: datetime, outcome: str, ref: str | None, detail: str | None) -> None:
        """Records the message as handled, in the caller's transaction (local to this store, never synced)."""
        ...

    def unknown_senders(self, branch_id: str, since: datetime, limit: int) -> list[InboundRecord]:
        """Inbound messages of ``branch_id`` since ``since`` from numbers no customer has, newest first."""
        ...


class InboundUnitOfWork(FeedbackUnitOfWork, TicketUnitOfWork, Protocol):
    inbound: InboundRepository
