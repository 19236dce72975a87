"""The outbox: message templates and the communications rows a dispatcher sends. Both replicate as registers,
so head office sees every message a branch queued and a message's status reaches every branch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from storage.schema import Communication, MessageTemplate


class SqlMessageRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def ensure_template(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        if self._session.get(MessageTemplate, template_id) is None:
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

    def queue(self, customer_id: str, channel: str, recipient: str, body: str, template_id: str | None) -> str:
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
                status="queued",
                attempts=0,
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
