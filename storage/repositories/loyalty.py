"""Loyalty accounts and their points ledger, program rules, rewards and claims, preferences and the restock
wait list. Balances are never stored: they are sums over loyalty_transactions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from core.kernel.ids import new_id
from core.loyalty.ports import (
    AccountRecord,
    ClaimRecord,
    LedgerRow,
    OrderEventRow,
    PreferenceRecord,
    RestockRecord,
    RewardRecord,
)
from core.loyalty.rules import QUALIFYING_KINDS, RULES_SETTING_KEY, AccountTotals, PointsEvent
from storage import direct, ledger
from storage.schema import (
    Branch,
    CustomerPreference,
    LoyaltyAccount,
    LoyaltyTransaction,
    Order,
    RestockInterest,
    Reward,
    RewardClaim,
    Staff,
    StoreSetting,
)

# Events of one use case share their time; in it they are listed as written. An id no longer tells that order:
# an effect keyed by its cause (an upgrade bonus) has a name-based id, not a time-ordered one.
_WRITE_ORDER = text("loyalty_transactions.rowid")

# The loyalty card reads every event of an account: a plain query without ORM objects keeps 5,000 events in
# a few milliseconds. Stored datetimes are naive UTC text, dates ISO text.
_EVENTS_SQL = (
    "SELECT kind, points, created_at, expires_on FROM loyalty_transactions "
    "WHERE account_id = :a ORDER BY created_at, rowid"
)


# One pass over an account's events gives everything the card and a sale need (plain SQL, prepared once).
_QUALIFYING = "kind IN (" + ", ".join(f"'{k}'" for k in sorted(QUALIFYING_KINDS)) + ")"
TOTALS_SQL = (
    "SELECT coalesce(sum(points), 0),"
    f" coalesce(sum(CASE WHEN {_QUALIFYING} THEN points END), 0),"
    f" coalesce(sum(CASE WHEN {_QUALIFYING} AND created_at >= :cur THEN points END), 0),"
    f" coalesce(sum(CASE WHEN {_QUALIFYING} AND created_at >= :prev AND created_at < :cur THEN points END), 0),"
    " coalesce(sum(CASE WHEN points < 0 THEN -points END), 0),"
    " coalesce(sum(CASE WHEN points > 0 AND expires_on <= :today THEN points END), 0),"
    " coalesce(sum(CASE WHEN points > 0 AND expires_on <= :horizon THEN points END), 0),"
    " coalesce(sum(CASE WHEN offline_pending AND points < 0 THEN -points END), 0)"
    " FROM loyalty_transactions WHERE account_id = :a"
)
_ACCOUNT_SQL = "SELECT id, customer_id, card_number, tier FROM loyalty_accounts WHERE customer_id = :c AND NOT deleted"
_RULES_SQL = "SELECT value FROM store_settings WHERE key = :k"
_REASON_TOTAL_SQL = (
    "SELECT coalesce(sum(points), 0) FROM loyalty_transactions WHERE account_id = :a AND kind = :k AND reason = :r"
)


def _stored(moment: datetime) -> str:
    """A moment as the UTC columns store it (naive UTC text), for comparisons in plain SQL."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=UTC)


def _account(row: LoyaltyAccount) -> AccountRecord:
    return AccountRecord(row.id, row.customer_id, row.card_number, row.tier)


class SqlLoyaltyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- accounts ---------------------------------------------------------------------------------------------
    def account(self, customer_id: str) -> AccountRecord | None:
        row = direct.first(self._session, _ACCOUNT_SQL, {"c": customer_id})
        return None if row is None else AccountRecord(row[0], row[1], row[2], row[3])

    def open_account(self, account_id: str, customer_id: str, card_number: str) -> AccountRecord:
        row = LoyaltyAccount(id=account_id, customer_id=customer_id, card_number=card_number, tier="bronze")
        self._session.add(row)
        return AccountRecord(account_id, customer_id, card_number, "bronze")

    def set_cached_tier(self, account_id: str, tier: str) -> None:
        row = self._session.get(LoyaltyAccount, account_id)
        if row is not None:
            row.tier = tier

    def accounts(self) -> list[AccountRecord]:
        rows = self._session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.deleted.is_(False)))
        return [_account(r) for r in rows]

    def customer_of_account(self, account_id: str) -> str:
        return str(self._session.scalar(select(LoyaltyAccount.customer_id).where(LoyaltyAccount.id == account_id)))

    # -- the ledger -------------------------------------------------------------------------------------------
    def events(self, account_id: str) -> list[PointsEvent]:
        return [
            PointsEvent(kind, points, _utc(at), date.fromisoformat(exp) if exp else None)
            for kind, points, at, exp in direct.rows(self._session, _EVENTS_SQL, {"a": account_id})
        ]

    def totals(
        self, account_id: str, current_start: datetime, previous_start: datetime, today: date, horizon: date
    ) -> AccountTotals:
        """The account's ledger summed up in one pass, without reading its events into Python."""
        row = direct.first(
            self._session,
            TOTALS_SQL,
            {
                "a": account_id,
                "cur": _stored(current_start),
                "prev": _stored(previous_start),
                "today": today.isoformat(),
                "horizon": horizon.isoformat(),
            },
        )
        assert row is not None  # an aggregate without GROUP BY always gives one row
        return AccountTotals(*(int(v) for v in row))

    def lots_between(self, account_id: str, after: date, until: date) -> list[tuple[date, int]]:
        """Points added per expiry date, for lots expiring after ``after`` and by ``until``."""
        t = LoyaltyTransaction
        rows = self._session.execute(
            select(t.expires_on, func.sum(t.points))
            .where(t.account_id == account_id, t.points > 0, t.expires_on > after, t.expires_on <= until)
            .group_by(t.expires_on)
            .order_by(t.expires_on)
        ).all()
        return [(d, int(p)) for d, p in rows]

    def ledger(self, account_id: str) -> list[LedgerRow]:
        t = LoyaltyTransaction
        staff = aliased(Staff)
        rows = self._session.execute(
            select(t, Order.number, Branch.name_en, Branch.name_ar, staff.name_en, staff.name_ar)
            .outerjoin(Order, Order.id == t.order_id)
            .outerjoin(Branch, Branch.id == t.branch_id)
            .outerjoin(staff, staff.id == Order.staff_id)
            .where(t.account_id == account_id)
            .order_by(t.created_at, _WRITE_ORDER)
        ).all()
        return [
            LedgerRow(
                id=e.id,
                at=e.created_at,
                kind=e.kind,
                points=e.points,
                reason=e.reason,
                order_id=e.order_id,
                order_number=number,
                expires_on=e.expires_on,
                offline_pending=bool(e.offline_pending),
                branch_name=b_en or "",
                branch_name_ar=b_ar or "",
                staff_name=s_en or "",
                staff_name_ar=s_ar or "",
            )
            for e, number, b_en, b_ar, s_en, s_ar in rows
        ]

    def order_events(self, account_id: str, order_ids: list[str]) -> list[OrderEventRow]:
        t = LoyaltyTransaction
        rows = self._session.execute(
            select(t.order_id, t.kind, t.points).where(t.account_id == account_id, t.order_id.in_(order_ids))
        ).all()
        return [OrderEventRow(o, k, p) for o, k, p in rows]

    def reason_total(self, account_id: str, kind: str, reason: str) -> int:
        value = direct.scalar(self._session, _REASON_TOTAL_SQL, {"a": account_id, "k": kind, "r": reason})
        return int(value or 0)

    def reason_reversals(self, account_id: str, kind: str, reason: str) -> int:
        t = LoyaltyTransaction
        value = self._session.scalar(
            select(func.count()).where(t.account_id == account_id, t.kind == kind, t.reason == reason, t.points < 0)
        )
        return int(value or 0)

    def add_event(
        self,
        account_id: str,
        kind: str,
        points: int,
        *,
        order_id: str | None = None,
        reason: str | None = None,
        expires_on: date | None = None,
        offline_pending: bool = False,
        event_id: str | None = None,
    ) -> str:
        row = {
            "id": event_id,
            "account_id": account_id,
            "kind": kind,
            "points": points,
            "order_id": order_id,
            "reason": reason,
            "expires_on": expires_on,
            "offline_pending": offline_pending,
        }
        return ledger.append(self._session, LoyaltyTransaction, [row])[0]

    def accounts_with_lots_until(self, day: date) -> list[str]:
        t = LoyaltyTransaction
        return list(
            self._session.scalars(
                select(t.account_id).where(t.points > 0, t.expires_on <= day).distinct().order_by(t.account_id)
            )
        )

    # -- program rules ----------------------------------------------------------------------------------------
    def rules_json(self) -> str | None:
        value = direct.scalar(self._session, _RULES_SQL, {"k": RULES_SETTING_KEY})
        return None if value is None else str(value)

    def save_rules_json(self, value: str) -> None:
        row = self._session.get(StoreSetting, RULES_SETTING_KEY)
        if row is None:
            self._session.add(StoreSetting(key=RULES_SETTING_KEY, value=value))
        else:
            row.value = value


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value or ())


class SqlPreferenceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, customer_id: str, source: str) -> CustomerPreference | None:
        return self._session.scalar(
            select(CustomerPreference)
            .where(
                CustomerPreference.customer_id == customer_id,
                CustomerPreference.source == source,
                CustomerPreference.deleted.is_(False),
            )
            .order_by(CustomerPreference.updated_at.desc())
            .limit(1)
        )

    def get(self, customer_id: str, source: str) -> PreferenceRecord | None:
        row = self._row(customer_id, source)
        if row is None:
            return None
        return PreferenceRecord(
            customer_id=row.customer_id,
            source=row.source,
            families=_tuple(row.families),
            brands=_tuple(row.brands),
            sizes_ml=_tuple(row.sizes_ml),
            favourite_notes=_tuple(row.favourite_notes),
            occasions=_tuple(row.occasions),
            dislikes=_tuple(row.dislikes),
            intensity=row.intensity,
            budget_min_fils=row.budget_min_fils,
            budget_max_fils=row.budget_max_fils,
            updated_at=row.updated_at,
        )

    def save(self, row_id: str, customer_id: str, source: str, values: dict[str, object]) -> None:
        """Writes only the fields that changed (the change log then carries only those)."""
        row = self._row(customer_id, source)
        if row is None:
            defaults: dict[str, object] = {
                "families": [],
                "brands": [],
                "sizes_ml": [],
                "favourite_notes": [],
                "occasions": [],
                "dislikes": [],
            }
            self._session.add(
                CustomerPreference(id=row_id, customer_id=customer_id, source=source, **{**defaults, **values})
            )
            return
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)

    # -- restock wait list ------------------------------------------------------------------------------------
    @staticmethod
    def _restock(row: RestockInterest) -> RestockRecord:
        return RestockRecord(row.id, row.customer_id, row.sku, row.product_name, row.status, row.created_at)

    def restock_list(self, customer_id: str) -> list[RestockRecord]:
        rows = self._session.scalars(
            select(RestockInterest)
            .where(RestockInterest.customer_id == customer_id, RestockInterest.deleted.is_(False))
            .order_by(RestockInterest.created_at.desc(), RestockInterest.id.desc())
        )
        return [self._restock(r) for r in rows]

    def restock(self, interest_id: str) -> RestockRecord | None:
        row = self._session.get(RestockInterest, interest_id)
        return None if row is None or row.deleted else self._restock(row)

    def add_restock(self, customer_id: str, sku: str, product_name: str) -> RestockRecord:
        row = RestockInterest(
            id=new_id(), customer_id=customer_id, sku=sku, product_name=product_name, status="waiting"
        )
        self._session.add(row)
        self._session.flush()
        return self._restock(row)

    def set_restock_status(self, interest_id: str, status: str) -> None:
        row = self._session.get(RestockInterest, interest_id)
        if row is not None:
            row.status = status


class SqlRewardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _claimed(self) -> Any:
        return (
            select(func.count())
            .where(RewardClaim.reward_id == Reward.id, RewardClaim.status != "cancelled")
            .correlate(Reward)
            .scalar_subquery()
        )

    @staticmethod
    def _record(row: Reward, claimed: int) -> RewardRecord:
        return RewardRecord(
            id=row.id,
            code=row.code,
            name_en=row.name_en,
            name_ar=row.name_ar,
            kind=row.kind,
            points_cost=row.points_cost,
            stock=row.stock,
            per_customer_limit=row.per_customer_limit,
            tiers=_tuple(row.tiers),
            segments=_tuple(row.segments),
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            image=row.image,
            active=bool(row.active),
            claimed=int(claimed or 0),
        )

    def all_rewards(self, include_inactive: bool) -> list[RewardRecord]:
        query = select(Reward, self._claimed()).where(Reward.deleted.is_(False))
        if not include_inactive:
            query = query.where(Reward.active.is_(True))
        rows = self._session.execute(query.order_by(Reward.points_cost, Reward.code)).all()
        return [self._record(r, n) for r, n in rows]

    def get(self, reward_id: str) -> RewardRecord | None:
        self._session.flush()
        found = self._session.execute(
            select(Reward, self._claimed()).where(Reward.id == reward_id, Reward.deleted.is_(False))
        ).first()
        return None if found is None else self._record(found[0], found[1])

    def code_taken(self, code: str, except_id: str | None) -> bool:
        query = select(Reward.id).where(func.upper(Reward.code) == code.upper())
        if except_id:
            query = query.where(Reward.id != except_id)
        return self._session.scalar(query.limit(1)) is not None

    def add(self, values: dict[str, object]) -> str:
        reward_id = new_id()
        self._session.add(Reward(id=reward_id, **values))
        self._session.flush()
        return reward_id

    def update(self, reward_id: str, changes: dict[str, object]) -> None:
        row = self._session.get(Reward, reward_id)
        if row is None:
            return
        for name, value in changes.items():
            if getattr(row, name) != value:
                setattr(row, name, value)

    def claims_by(self, reward_id: str, customer_id: str) -> int:
        c = RewardClaim
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(c)
                .where(c.reward_id == reward_id, c.customer_id == customer_id, c.status != "cancelled")
            )
            or 0
        )

    def add_claim(self, reward_id: str, customer_id: str, points: int) -> str:
        claim_id = new_id()
        self._session.add(
            RewardClaim(id=claim_id, reward_id=reward_id, customer_id=customer_id, points=points, status="pending")
        )
        return claim_id

    def _claims(self, where: Any) -> list[ClaimRecord]:
        self._session.flush()
        rows = self._session.execute(
            select(RewardClaim, Reward.code, Reward.name_en, Reward.name_ar)
            .join(Reward, Reward.id == RewardClaim.reward_id)
            .where(where, RewardClaim.deleted.is_(False))
            .order_by(RewardClaim.created_at.desc(), RewardClaim.id.desc())
        ).all()
        return [
            ClaimRecord(
                id=c.id,
                reward_id=c.reward_id,
                reward_code=code,
                reward_name_en=name_en,
                reward_name_ar=name_ar,
                customer_id=c.customer_id,
                points=c.points,
                status=c.status,
                created_at=c.created_at,
                updated_at=c.updated_at,
            )
            for c, code, name_en, name_ar in rows
        ]

    def claim(self, claim_id: str) -> ClaimRecord | None:
        found = self._claims(RewardClaim.id == claim_id)
        return found[0] if found else None

    def claims_of(self, customer_id: str) -> list[ClaimRecord]:
        return self._claims(RewardClaim.customer_id == customer_id)

    def set_claim_status(self, claim_id: str, status: str) -> None:
        row = self._session.get(RewardClaim, claim_id)
        if row is not None:
            row.status = status
