"""Gift-card queries. The balance is always a SUM over the card's events, never a stored column."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, case, func, select, text
from sqlalchemy.orm import Session

from core.giftcards.service import CardRecord, LedgerLine, PeriodRow, Totals, TxKind
from storage import direct, ledger
from storage.changelog import WRITE_KEY
from storage.schema import Branch, Customer, GiftCard, GiftCardTransaction, SecurityEvent, Staff

# Plain SQL: this runs twice per redemption, and building the expression each time cost more than the query.
TOTALS_COLUMNS = (
    "COALESCE(SUM(amount_fils), 0), "
    "COALESCE(SUM(CASE WHEN kind = 'redeem' THEN -amount_fils ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount_fils ELSE 0 END), 0), "
    "COALESCE(MAX(kind = 'cancel'), 0), COALESCE(MAX(kind = 'expire'), 0), "
    "COALESCE(SUM(CASE WHEN offline_pending THEN -amount_fils ELSE 0 END), 0) "
    "FROM gift_card_transactions WHERE card_id = :card"
)
TOTALS_SQL = "SELECT " + TOTALS_COLUMNS
# The card's terms and its totals in one statement, straight to the driver: the redemption path runs it once.
CARD_WITH_TOTALS_SQL = (
    "SELECT c.id, c.code, c.initial_fils, c.occasion, c.recipient_name, c.message, c.expires_on, c.created_at, "
    "c.branch_id, c.purchaser_customer_id, c.recipient_customer_id, c.from_name, t.* FROM gift_cards c, "
    "(SELECT " + TOTALS_COLUMNS + ") t WHERE c.id = :card AND c.deleted = 0"
)


_c = GiftCard
# The card's terms in CardRecord's field order, typed by the ORM columns.
CARD_BY_CODE = select(
    _c.id, _c.code, _c.initial_fils, _c.occasion, _c.recipient_name, _c.message, _c.expires_on, _c.created_at,
    _c.branch_id, _c.purchaser_customer_id, _c.recipient_customer_id, _c.from_name,
).where(_c.code == bindparam("key"), _c.deleted.is_(False))  # fmt: skip


class SqlGiftCardRepository:
    def __init__(self, session: Session, terminal: str) -> None:
        self._session = session
        self._terminal = terminal

    def code_exists(self, code: str) -> bool:
        return self._session.scalar(select(GiftCard.id).where(GiftCard.code == code)) is not None

    def add_card(self, values: dict[str, object]) -> str:
        card = GiftCard(**values)
        self._session.add(card)
        self._session.flush()
        return card.id

    def by_code(self, code: str) -> CardRecord | None:
        row = self._session.execute(CARD_BY_CODE, {"key": code}).first()
        return None if row is None else CardRecord(*row)

    def with_totals(self, card_id: str) -> tuple[CardRecord, Totals] | None:
        row = direct.first(self._session, CARD_WITH_TOTALS_SQL, {"card": card_id})
        if row is None:
            return None
        record = CardRecord(
            id=row[0],
            code=row[1],
            initial_fils=row[2],
            occasion=row[3],
            recipient_name=row[4],
            message=row[5],
            expires_on=date.fromisoformat(row[6]),
            issued_at=datetime.fromisoformat(row[7]).replace(tzinfo=UTC),
            branch_id=row[8],
            purchaser_customer_id=row[9],
            recipient_customer_id=row[10],
            from_name=row[11],
        )
        t = row[12:]
        return record, Totals(int(t[0]), int(t[1]), int(t[2]), bool(t[3]), bool(t[4]), int(t[5]))

    def totals(self, card_id: str) -> Totals:
        row = direct.first(self._session, TOTALS_SQL, {"card": card_id})
        assert row is not None  # an aggregate without GROUP BY always gives one row
        return Totals(int(row[0]), int(row[1]), int(row[2]), bool(row[3]), bool(row[4]), int(row[5]))

    def add_event(
        self,
        card_id: str,
        kind: TxKind,
        amount_fils: int,
        *,
        reason: str | None = None,
        order_id: str | None = None,
        event_id: str | None = None,
        offline_pending: bool = False,
    ) -> str:
        write = self._session.info[WRITE_KEY]
        row = {
            "id": event_id,
            "card_id": card_id,
            "kind": kind.value,
            "amount_fils": amount_fils,
            "reason": reason,
            "order_id": order_id,
            "staff_id": write.staff_id,
            "offline_pending": offline_pending,
        }
        return ledger.append(self._session, GiftCardTransaction, [row])[0]

    def ledger(self, card_id: str) -> list[LedgerLine]:
        t = GiftCardTransaction
        rows = self._session.execute(
            select(t, Branch.name_en, Branch.name_ar, Staff.name_en, Staff.name_ar)
            .outerjoin(Branch, Branch.id == t.branch_id)
            .outerjoin(Staff, Staff.id == t.staff_id)
            .where(t.card_id == card_id)
            .order_by(t.created_at, text("gift_card_transactions.rowid"))  # as written: an expiry's id is name-based
        ).all()
        running = 0
        lines = []
        for event, branch_en, branch_ar, staff, staff_ar in rows:
            running += event.amount_fils
            lines.append(
                LedgerLine(
                    at=event.created_at,
                    kind=TxKind(event.kind),
                    amount_fils=event.amount_fils,
                    running_fils=running,
                    branch_name=branch_en or "",
                    branch_name_ar=branch_ar or "",
                    staff_name=staff or "",
                    reason=event.reason,
                    offline_pending=event.offline_pending,
                    staff_name_ar=staff_ar or "",
                )
            )
        return lines

    def due_to_expire(self, today: date) -> list[str]:
        return list(
            self._session.scalars(select(GiftCard.id).where(GiftCard.expires_on < today, GiftCard.deleted.is_(False)))
        )

    def failed_lookups_since(self, since: datetime) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(SecurityEvent)
                .where(
                    SecurityEvent.kind == "giftcard_lookup_failed",
                    SecurityEvent.terminal == self._terminal,
                    SecurityEvent.created_at >= since,
                )
            )
            or 0
        )

    def customer_segment(self, customer_id: str) -> str | None:
        return self._session.scalar(select(Customer.segment).where(Customer.id == customer_id))

    def report(self, today: date, months: int, expiring_days: int) -> tuple[int, int, list[PeriodRow], list[str]]:
        """Liability and active cards (balance > 0, not cancelled, not past validity), movements per month and
        branch over the last ``months``, and the cards expiring within ``expiring_days`` that still hold value."""
        balances = text(
            "SELECT c.id, c.expires_on, COALESCE(SUM(t.amount_fils), 0) AS balance, "
            "MAX(CASE WHEN t.kind IN ('cancel', 'expire') THEN 1 ELSE 0 END) AS closed "
            "FROM gift_cards c LEFT JOIN gift_card_transactions t ON t.card_id = c.id "
            "WHERE c.deleted = 0 GROUP BY c.id"
        )
        liability = 0
        active = 0
        expiring: list[tuple[str, str]] = []
        horizon = (today + timedelta(days=expiring_days)).isoformat()
        for card_id, expires_on, balance, closed in self._session.execute(balances):
            if closed or balance <= 0 or str(expires_on) < today.isoformat():
                continue
            liability += int(balance)
            active += 1
            if str(expires_on) <= horizon:
                expiring.append((str(expires_on), card_id))
        start_month = date(today.year, today.month, 1)
        for _ in range(months - 1):
            start_month = (start_month - timedelta(days=1)).replace(day=1)
        since = datetime(start_month.year, start_month.month, 1, tzinfo=UTC) - timedelta(hours=4)
        t = GiftCardTransaction
        # Periods are months in Dubai time (UTC+4, no daylight saving).
        period = func.strftime("%Y-%m", func.datetime(t.created_at, "+4 hours"))
        rows = self._session.execute(
            select(
                period,
                Branch.name_en,
                Branch.name_ar,
                func.sum(case((t.kind == "issue", t.amount_fils), else_=0)),
                func.sum(case((t.kind == "redeem", -t.amount_fils), else_=0)),
                func.sum(case((t.kind == "expire", -t.amount_fils), else_=0)),
                func.sum(case((t.kind == "cancel", -t.amount_fils), else_=0)),
            )
            .join(Branch, Branch.id == t.branch_id)
            .where(t.created_at >= since)
            .group_by(period, Branch.name_en, Branch.name_ar)
            .order_by(period.desc(), Branch.name_en)
        ).all()
        periods = [
            PeriodRow(p, b, int(i or 0), int(r or 0), int(e or 0), int(c or 0), b_ar or "")
            for p, b, b_ar, i, r, e, c in rows
        ]
        return liability, active, periods, [card_id for _, card_id in sorted(expiring)]
