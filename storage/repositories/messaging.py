"""The outbox: message templates and the communications rows a dispatcher sends. Both replicate as registers,
so head office sees every message a branch queued and a message's status reaches every branch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from storage.schema import Communication, MessageTemplate

# A literal, not a bound parameter: SQLite uses a partial index only when the query's own WHERE implies its
# condition, and a parameter's value is not known when the plan is made.
INBOUND = text("communications.direction = 'inbound'")

# The states of a message that reached, or is reaching, the customer.
LEFT = ("sending", "sent", "delivered", "read")


class SqlMessageRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def ensure_template(
        self,
        template_id: str,
        key: str,
        channel: str,
        language: str,
        body: str,
        variables: list[str],
        *,
        promotional: bool = False,
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
                    promotional=promotional,
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
        params: Sequence[str] | None = None,
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
                params=None if params is None else [str(p) for p in params],
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

    def last_inbound(self, customer_id: str, channel: str) -> datetime | None:
        # ix_communications_inbound answers it from the index alone: the newest entry of (customer, channel).
        c = Communication
        return self._session.scalar(
            select(func.max(c.created_at)).where(c.customer_id == customer_id, c.channel == channel, INBOUND)
        )
