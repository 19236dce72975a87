"""What the offline allowance rules read and record, inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.offline.allowances import DecreaseKind, OfflineAllowance, SyncException
from storage.schema import (
    GiftCard,
    GiftCardTransaction,
    LoyaltyAccount,
    LoyaltyTransaction,
    OfflineAllowanceRow,
    OfflineApproval,
    StoreSetting,
    SyncExceptionRow,
)


class SqlOfflineRepository:
    def __init__(self, session: Session, now: datetime | None = None) -> None:
        self._session = session
        self._now = now

    def allowance(self, kind: DecreaseKind) -> OfflineAllowance | None:
        row = self._session.get(OfflineAllowanceRow, kind.value)
        return _allowance(row) if row else None

    def allowances(self) -> list[OfflineAllowance]:
        rows = self._session.scalars(select(OfflineAllowanceRow).order_by(OfflineAllowanceRow.kind))
        return [_allowance(r) for r in rows]

    def balance(self, kind: DecreaseKind, subject_id: str) -> int:
        if kind == DecreaseKind.GIFT_CARD:
            query = select(func.coalesce(func.sum(GiftCardTransaction.amount_fils), 0)).where(
                GiftCardTransaction.card_id == subject_id
            )
        else:
            query = select(func.coalesce(func.sum(LoyaltyTransaction.points), 0)).where(
                LoyaltyTransaction.account_id == subject_id
            )
        return int(self._session.scalar(query) or 0)

    def pending(self, kind: DecreaseKind, subject_id: str | None = None) -> int:
        query = select(func.coalesce(func.sum(OfflineApproval.amount), 0)).where(
            OfflineApproval.settled_at.is_(None), OfflineApproval.kind == kind.value
        )
        if subject_id is not None:
            query = query.where(OfflineApproval.subject_id == subject_id)
        return int(self._session.scalar(query) or 0)

    def _setting_time(self, key: str) -> datetime | None:
        value = self._session.scalar(select(StoreSetting.value).where(StoreSetting.key == key))
        return datetime.fromisoformat(value) if value else None

    def last_contact_at(self) -> datetime | None:
        return self._setting_time("last_contact_at")

    def balances_at(self) -> datetime | None:
        return self._setting_time("last_pull_at")

    def record_approval(self, hold_id: str, kind: DecreaseKind, subject_id: str, amount: int) -> None:
        if self._now is None:
            raise RuntimeError("a read-only unit of work cannot record an approval")
        self._session.add(
            OfflineApproval(
                hold_id=hold_id, kind=kind.value, subject_id=subject_id, amount=amount, approved_at=self._now
            )
        )

    def exceptions(self, limit: int) -> list[SyncException]:
        query = (
            select(SyncExceptionRow, GiftCard.code, LoyaltyAccount.card_number)
            .outerjoin(GiftCard, GiftCard.id == SyncExceptionRow.subject_id)
            .outerjoin(LoyaltyAccount, LoyaltyAccount.id == SyncExceptionRow.subject_id)
            .order_by(SyncExceptionRow.id.desc())
            .limit(limit)
        )
        return [
            SyncException(
                r.id,
                r.kind,
                r.subject_id,
                r.branch_id,
                r.event_id,
                r.amount,
                r.balance_after,
                r.detected_at,
                r.detail,
                code or number or "",
            )
            for r, code, number in self._session.execute(query)
        ]


def _allowance(row: OfflineAllowanceRow) -> OfflineAllowance:
    return OfflineAllowance(
        DecreaseKind(row.kind),
        row.per_subject_cap,
        row.branch_total,
        row.max_offline_hours,
        row.max_snapshot_age_hours,
        row.granted_at,
    )
