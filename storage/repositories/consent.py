"""The consent ledger (core.messaging.consent) in the branch store: appended to, read per customer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from core.messaging.consent import ConsentChange, ConsentRecord
from storage.schema import ConsentChangeRow


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
        c = ConsentChangeRow
        # Read without flushing the caller's pending rows first: a sale's receipt reads consent in the sale's
        # transaction, and flushing the whole sale early cost more than the rest of the message. Rows added
        # in this same transaction are matched from the session below.
        with self._session.no_autoflush:
            stored = list(
                self._session.scalars(
                    select(c).where(c.customer_id == customer_id).order_by(c.occurred_at, c.created_at, c.id)
                )
            )
        pending = [o for o in self._session.new if isinstance(o, c) and o.customer_id == customer_id]
        rows = stored + [o for o in pending if o not in stored]
        return [to_record(r) for r in rows]

    def for_customers(self, customer_ids: list[str]) -> dict[str, list[ConsentRecord]]:
        """Every change of these customers' consent, per customer, in one query (a campaign's batch). Reads
        stored rows only: nothing of theirs is pending in the caller's transaction."""
        c = ConsentChangeRow
        found: dict[str, list[ConsentRecord]] = {i: [] for i in customer_ids}
        with self._session.no_autoflush:
            query = (
                select(c)
                .where(c.customer_id.in_(customer_ids))
                .order_by(c.customer_id, c.occurred_at, c.created_at, c.id)
            )
            for row in self._session.scalars(query):
                found[row.customer_id].append(to_record(row))
        return found


def to_record(r: ConsentChangeRow) -> ConsentRecord:
    return ConsentRecord(
        customer_id=r.customer_id,
        channel=r.channel,
        purpose=r.purpose,
        action=r.action,
        source=r.source,
        occurred_at=r.occurred_at,
        address=r.address,
        staff_id=r.staff_id,
        evidence=dict(r.evidence or {}),
        id=r.id,
        branch_id=r.branch_id or "",
        created_at=r.created_at,
    )
