"""Loyalty use cases: the card, the ledger explained, program rules, expiry runs, tier cache checks,
preferences and the restock wait list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.customers.preferences import CustomerPreferences, DeclaredDraft, Source, learn, learned_row, validate_declared
from core.kernel.errors import NotFound, ValidationError
from core.kernel.events import PointsExpired, PointsExpiring
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.kernel.ports import Clock
from core.kernel.text import clean_text
from core.loyalty.ledger import account_totals, load_rules
from core.loyalty.ports import LoyaltyUnitOfWork, LoyaltyUowFactory, RestockRecord
from core.loyalty.rules import (
    AccountTotals,
    EventKind,
    PointsEvent,
    ProgramRules,
    Tier,
    due_expiries,
    expiring_of,
    expiring_within,
    progress,
    qualifying_of,
    tier_for,
)
from core.messaging.handlers import expiry_warning_sent_since
from core.purchases.products import Family, by_sku
from core.staff.auth import Actor, Permission


@dataclass(frozen=True)
class LoyaltyCard:
    customer_id: str
    card_number: str | None  # None until the first purchase opens the account
    tier: Tier
    cached_tier: str | None
    next_tier: Tier | None
    points_to_next: int
    progress: float
    qualifying_points: int
    balance: int
    expiring_points: int
    expiring_on: date | None
    pending_offline_points: int
    point_value_fils: int
    tier_bonus_percent: int

    @property
    def vip_services(self) -> bool:
        return self.tier == Tier.DIAMOND


@dataclass(frozen=True)
class LedgerEntry:
    id: str
    at: datetime
    kind: EventKind
    points: int
    running: int
    reason: str | None
    order_id: str | None
    order_number: str | None
    expires_on: date | None
    offline_pending: bool
    branch_name: str
    branch_name_ar: str
    staff_name: str
    staff_name_ar: str


@dataclass(frozen=True)
class ExpiryRun:
    accounts: int = 0
    points_expired: int = 0
    warnings_queued: int = 0


@dataclass(frozen=True)
class TierCheck:
    account_id: str
    customer_id: str
    cached: str
    derived: str


def _customer_exists(uow: LoyaltyUnitOfWork, customer_id: str) -> None:
    if uow.customers.get(customer_id) is None:
        raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))


class LoyaltyService:
    def __init__(self, uow: LoyaltyUowFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    # -- program rules ---------------------------------------------------------------------------------------
    def rules(self) -> ProgramRules:
        with self._uow(None) as uow:
            return load_rules(uow)

    def save_rules(self, actor: Actor, rules: ProgramRules) -> ProgramRules:
        """Stores head office's rules (JSON under one store_settings key); refuses invalid ones."""
        actor.require(Permission.RUN_LOYALTY)
        rules.validate()
        with self._uow(actor) as uow:
            uow.loyalty.save_rules_json(rules.to_json())
            uow.commit()
        return rules

    # -- the card and its ledger -----------------------------------------------------------------------------
    def card(self, actor: Actor, customer_id: str) -> LoyaltyCard:
        """Tier, progress to the next tier, balance and what expires soon — all derived from the ledger and
        summed in SQL, so a customer with thousands of events opens as fast as a new one."""
        actor.require(Permission.VIEW_LOYALTY)
        today = self._clock.today()
        window: list[tuple[date, int]] = []
        with self._uow(None) as uow:
            rules = load_rules(uow)
            account = uow.loyalty.account(customer_id)
            totals = account_totals(uow, account.id, today, rules) if account else AccountTotals()
            left_by_horizon = max(0, totals.lots_to_horizon - totals.consumed)
            if account is not None and left_by_horizon > max(0, totals.lots_due - totals.consumed):
                horizon = today + timedelta(days=rules.expiry_warning_days)
                window = uow.loyalty.lots_between(account.id, today, horizon)
        q = qualifying_of(totals, rules)
        step = progress(q, rules)
        soon = expiring_of(totals, window)
        return LoyaltyCard(
            customer_id=customer_id,
            card_number=account.card_number if account else None,
            tier=step.tier,
            cached_tier=account.tier if account else None,
            next_tier=step.next_tier,
            points_to_next=step.points_to_next,
            progress=step.fraction,
            qualifying_points=q.points,
            balance=totals.balance,
            expiring_points=sum(p for _d, p in soon),
            expiring_on=soon[0][0] if soon else None,
            pending_offline_points=totals.pending_offline,
            point_value_fils=rules.point_value_fils,
            tier_bonus_percent=int(rules.tier_bonus_percent.get(step.tier.value, 0)),
        )

    def ledger(self, actor: Actor, customer_id: str) -> list[LedgerEntry]:
        """ "Explain this balance": every event, oldest first, with the running balance after it."""
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            account = uow.loyalty.account(customer_id)
            rows = uow.loyalty.ledger(account.id) if account else []
        running = 0
        out: list[LedgerEntry] = []
        for row in rows:
            running += row.points
            out.append(
                LedgerEntry(
                    id=row.id,
                    at=row.at,
                    kind=EventKind(row.kind),
                    points=row.points,
                    running=running,
                    reason=row.reason,
                    order_id=row.order_id,
                    order_number=row.order_number,
                    expires_on=row.expires_on,
                    offline_pending=row.offline_pending,
                    branch_name=row.branch_name,
                    branch_name_ar=row.branch_name_ar,
                    staff_name=row.staff_name,
                    staff_name_ar=row.staff_name_ar,
                )
            )
        return out

    # -- head office's periodic runs ---------------------------------------------------------------------------
    def run_expiry(self, actor: Actor) -> ExpiryRun:
        """Expires the remainder of lots whose date has come (oldest first, one ledger event and one
        PointsExpired per expiry date) and raises one PointsExpiring warning per customer and warning period
        for lots expiring within it (messaging queues the warning)."""
        actor.require(Permission.RUN_LOYALTY)
        today, now = self._clock.today(), self._clock.now()
        accounts = expired = warned = 0
        with self._uow(actor) as uow:
            rules = load_rules(uow)
            horizon = today + timedelta(days=rules.expiry_warning_days)
            for account_id in uow.loyalty.accounts_with_lots_until(horizon):
                customer = uow.customers.get(uow.loyalty.customer_of_account(account_id))
                if customer is None:
                    continue
                events = uow.loyalty.events(account_id)
                due = due_expiries(events, today)
                for expires_on, points in due:
                    uow.loyalty.add_event(
                        account_id,
                        EventKind.EXPIRE.value,
                        -points,
                        reason=f"lot:{expires_on.isoformat()}",
                        expires_on=expires_on,
                    )
                    events.append(PointsEvent(EventKind.EXPIRE.value, -points, now, expires_on))
                    uow.raise_event(PointsExpired(customer.id, points, expires_on))
                    expired += points
                accounts += bool(due)
                soon = expiring_within(events, today, rules.expiry_warning_days)
                if not soon:
                    continue
                first = soon[0][0]
                since = datetime.combine(first - timedelta(days=rules.expiry_warning_days), datetime.min.time(), UTC)
                if expiry_warning_sent_since(uow.messages, customer.id, since):
                    continue
                uow.raise_event(PointsExpiring(customer.id, sum(p for d, p in soon if d == first), first))
                warned += 1
            uow.commit()
        return ExpiryRun(accounts, expired, warned)

    def check_tiers(self) -> list[TierCheck]:
        """Accounts whose cached tier differs from the tier their ledger gives today."""
        today = self._clock.today()
        out = []
        with self._uow(None) as uow:
            rules = load_rules(uow)
            for account in uow.loyalty.accounts():
                totals = account_totals(uow, account.id, today, rules)
                derived = tier_for(qualifying_of(totals, rules).points, rules)
                if derived.value != account.tier:
                    out.append(TierCheck(account.id, account.customer_id, account.tier, derived.value))
        return out

    def rebuild_tier_cache(self, actor: Actor) -> list[TierCheck]:
        """Brings every cached tier in line with the ledger (the annual review's demotions land here)."""
        actor.require(Permission.RUN_LOYALTY)
        stale = self.check_tiers()
        if stale:
            with self._uow(actor) as uow:
                for check in stale:
                    uow.loyalty.set_cached_tier(check.account_id, check.derived)
                uow.commit()
        return stale

    # -- preferences -------------------------------------------------------------------------------------------
    def preferences(self, actor: Actor, customer_id: str) -> CustomerPreferences:
        """Declared preferences as saved, learned ones computed now from every purchase and return."""
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            declared = uow.preferences.get(customer_id, Source.DECLARED.value)
            lines = uow.orders.purchased_lines(customer_id)
        return CustomerPreferences(declared, learn(lines, self._clock.now()))

    def save_declared(self, actor: Actor, customer_id: str, draft: DeclaredDraft) -> CustomerPreferences:
        """What the customer tells us; an unchanged form writes nothing."""
        actor.require(Permission.EDIT_CUSTOMERS)
        values = validate_declared(draft)
        with self._uow(actor) as uow:
            _customer_exists(uow, customer_id)
            stored = uow.preferences.get(customer_id, Source.DECLARED.value)
            if stored is not None:  # families recorded elsewhere that this form does not offer are kept
                known = {f.value for f in Family}
                extra = [f for f in stored.families if f not in known]
                values["families"] = [*values["families"], *extra]  # type: ignore[misc]
            row_id = stable_id("preferences", customer_id, Source.DECLARED.value)
            uow.preferences.save(row_id, customer_id, Source.DECLARED.value, values)
            uow.commit()
        return self.preferences(actor, customer_id)

    def refresh_learned(self, actor: Actor, customer_ids: list[str]) -> int:
        """Writes the learned-preferences rows campaigns select on (the 360 always shows them fresh from the
        purchases); only what changed is written. Returns how many customers were refreshed."""
        actor.require(Permission.RUN_LOYALTY)
        now = self._clock.now()
        with self._uow(actor) as uow:
            for customer_id in customer_ids:
                values = learned_row(learn(uow.orders.purchased_lines(customer_id), now))
                row_id = stable_id("preferences", customer_id, Source.LEARNED.value)
                uow.preferences.save(row_id, customer_id, Source.LEARNED.value, values)
            uow.commit()
        return len(customer_ids)

    # -- restock wait list -------------------------------------------------------------------------------------
    def wait_list(self, actor: Actor, customer_id: str) -> list[RestockRecord]:
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            return uow.preferences.restock_list(customer_id)

    def add_to_wait_list(self, actor: Actor, customer_id: str, sku: str, product_name: str = "") -> RestockRecord:
        """Puts the customer on a product's wait list; refuses a product they already wait for."""
        actor.require(Permission.EDIT_CUSTOMERS)
        code = (clean_text(sku, "sku", max_length=40, required=True) or "").upper()
        product = by_sku(code)
        name = clean_text(product_name, "product_name", max_length=120) or (product.name_en if product else code)
        with self._uow(actor) as uow:
            _customer_exists(uow, customer_id)
            if any(r.sku == code and r.status == "waiting" for r in uow.preferences.restock_list(customer_id)):
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "This customer is already on the wait list for {sku}."), "sku", sku=code
                )
            record = uow.preferences.add_restock(customer_id, code, name)
            uow.commit()
        return record

    def leave_wait_list(self, actor: Actor, interest_id: str) -> None:
        actor.require(Permission.EDIT_CUSTOMERS)
        with self._uow(actor) as uow:
            record = uow.preferences.restock(interest_id)
            if record is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This wait-list entry no longer exists."))
            if record.status != "waiting":
                raise ValidationError(QT_TRANSLATE_NOOP("core", "This wait-list entry is no longer waiting."), "status")
            uow.preferences.set_restock_status(interest_id, "cancelled")
            uow.commit()
