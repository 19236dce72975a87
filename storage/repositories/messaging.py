"""The outbox: message templates and the communications rows a dispatcher sends. Both replicate as registers,
so head office sees every message a branch queued and a message's status reaches every branch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from storage.schema import Communication, MessageTemplate

# The states of a message that reached, or is reaching, the customer.
LEFT = ("sending", "sent", "delivered", "read")


class SqlMessageRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def ensure_template(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        with self._session.no_autoflush:  # a primary-key look-up: no need to flush the caller's rows first
            present = self._session.get(MessageTemplate, template_id) is not None
        if not present:
            self._session.add(
                MessageTemplate(
                    id=template_id,
                    key=key,
                    channel=channel,
                    language=language,
                    body=body,
                    variables=variables,
                    promotional=False,
                )
            )

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
        message_id = new_id()
        self._session.add(
            Communication(
                id=message_id,
                customer_id=customer_id,
                channel=channel,
                direction="outbound",
                template_id=template_id,
                recipient=recipient,
                body=body,
                status=status,
                attempts=0,
                last_error=error,
            )
        )
        return message_id

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        c = Communication
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(c)
                .where(c.customer_id == customer_id, c.template_id.in_(template_ids), c.created_at >= since)
            )
            or 0
        )

    def promotional_sent_since(self, customer_id: str, since: datetime) -> list[datetime]:
        # A message's last change is when it left (or later, when a status came): close enough for a cap
        # counted in days, and it needs no column of its own.
        c, t = Communication, MessageTemplate
        return list(
            self._session.scalars(
                select(c.updated_at)
                .join(t, t.id == c.template_id)
                .where(
                    c.customer_id == customer_id,
                    c.direction == "outbound",
                    t.promotional.is_(True),
                    c.status.in_(LEFT),
                    c.updated_at >= since,
                )
            )
        )
