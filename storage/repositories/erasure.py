"""Erasure requests (a register head office decides) and the customer facts a request needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.privacy.erasure import ErasureRequest as Request
from core.privacy.erasure import ErasureStatus
from storage.schema import Customer, ErasureRequest


def _request(row: ErasureRequest) -> Request:
    return Request(
        id=row.id,
        customer_id=row.customer_id,
        reason=row.reason,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        status=ErasureStatus(row.status),
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
    )


class SqlErasureRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def customer_state(self, customer_id: str) -> tuple[bool, bool]:
        found = self._session.execute(
            select(Customer.erased_at).where(Customer.id == customer_id, Customer.deleted.is_(False))
        ).first()
        if found is None:
            return False, False
        return True, found[0] is not None

    def add(self, customer_id: str, reason: str, requested_by: str | None, requested_at: datetime) -> Request:
        row = ErasureRequest(
            customer_id=customer_id,
            reason=reason,
            requested_by=requested_by,
            requested_at=requested_at,
            status=ErasureStatus.PENDING.value,
        )
        self._session.add(row)
        self._session.flush()
        return _request(row)

    def latest(self, customer_id: str) -> Request | None:
        row = self._session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.customer_id == customer_id, ErasureRequest.deleted.is_(False))
            .order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc())
            .limit(1)
        ).first()
        return None if row is None else _request(row)
