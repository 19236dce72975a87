"""The consent ledger (core.messaging.consent) in the branch store: appended to, read per customer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from core.messaging.consent import ConsentChange, ConsentRecord
from storage import direct
from storage.schema import ConsentChangeRow

_COLUMNS = [
    "id",
    "branch_id",
    "created_at",
    "customer_id",
    "channel",
    "purpose",
    "action",
    "source",
    "occurred_at",
    "address",
    "staff_id",
    "evidence",
]
_FOR_CUSTOMER = direct.TypedSelect(
    ConsentChangeRow, _COLUMNS, "WHERE customer_id = :c ORDER BY occurred_at, created_at, id"
)


class SqlConsentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, change: ConsentChange) -> str | None:
        if change.id is not None and self._session.get(ConsentChangeRow, change.id) is not None:
            return None  # the same cause (a webhook delivered twice) is recorded once
        row_id = change.id or new_id()
        self._session.add(
            ConsentChangeRow(
                id=row_id,
                customer_id=change.customer_id,
                channel=change.channel,
                purpose=change.purpose,
                action=change.action,
                source=change.source,
                occurred_at=change.occurred_at,
                address=change.address,
                staff_id=change.staff_id,
                evidence=dict(change.evidence),
            )
        )
        return row_id

    def for_customer(self, customer_id: str) -> list[ConsentRecord]:
        # Plain SQL at the driver (storage.direct): a sale's receipt reads consent in the sale's transaction,
        # where the ORM's query path cost about as much as the rest of the message. The read flushes the
        # caller's pending rows first, so rows added in this same transaction are seen.
        return [_record(r) for r in _FOR_CUSTOMER.all(self._session, {"c": customer_id})]


def _record(r: Mapping[str, Any]) -> ConsentRecord:
    return ConsentRecord(
        customer_id=r["customer_id"],
        channel=r["channel"],
        purpose=r["purpose"],
        action=r["action"],
        source=r["source"],
        occurred_at=r["occurred_at"],
        address=r["address"],
        staff_id=r["staff_id"],
        evidence=dict(r["evidence"] or {}),
        id=r["id"],
        branch_id=r["branch_id"] or "",
        created_at=r["created_at"],
    )
