"""The inbound messages a branch has still to handle (core.inbound) and the local record of those it handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.inbound.ports import Handled, InboundRecord
from storage.schema import Communication, InboundHandled

_COLUMNS = (
    Communication.id,
    Communication.created_at,
    Communication.branch_id,
    Communication.customer_id,
    Communication.channel,
    Communication.recipient,
    Communication.body,
    Communication.reply_id,
)


def _record(row: Any) -> InboundRecord:
    return InboundRecord(*row)


class SqlInboundRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def pending(self, branch_id: str, since: datetime, limit: int) -> list[InboundRecord]:
        # ix_communications_inbound_created: the recent inbound rows, never the outbound many.
        c = Communication
        query = (
            select(*_COLUMNS)
            .where(
                c.direction == "inbound",
                c.created_at >= since,
                c.branch_id == branch_id,
                c.deleted.is_(False),
                ~exists().where(InboundHandled.message_id == c.id),
            )
            .order_by(c.created_at, c.id)
            .limit(limit)
        )
        return [_record(row) for row in self._session.execute(query)]

    def get(self, message_id: str) -> InboundRecord | None:
        c = Communication
        row = self._session.execute(select(*_COLUMNS).where(c.id == message_id, c.direction == "inbound")).first()
        return None if row is None else _record(row)

    def handled(self, message_id: str) -> Handled | None:
        row = self._session.get(InboundHandled, message_id)
        if row is None:
            return None
        return Handled(row.message_id, row.handled_at, row.outcome, row.ref, row.detail)

    def mark_handled(self, message_id: str, at: datetime, outcome: str, ref: str | None, detail: str | None) -> None:
        self._session.add(InboundHandled(message_id=message_id, handled_at=at, outcome=outcome, ref=ref, detail=detail))
        self._session.flush()

    def unknown_senders(self, branch_id: str, since: datetime, limit: int) -> list[InboundRecord]:
        c = Communication
        query = (
            select(*_COLUMNS)
            .where(
                c.direction == "inbound",
                c.created_at >= since,
                c.branch_id == branch_id,
                c.customer_id.is_(None),
                c.deleted.is_(False),
            )
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(limit)
        )
        return [_record(row) for row in self._session.execute(query)]
