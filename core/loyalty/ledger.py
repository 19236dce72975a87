"""Moving points inside a unit of work: the account, its summed-up ledger and tier settlement (which raises
TierUpgraded for messaging and whatever else hangs on it). Shared by purchases, returns, rewards and the
loyalty service, so every path that moves points applies the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.customers.model import CustomerProfile
from core.kernel.errors import ValidationError
from core.kernel.events import TierUpgraded
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.loyalty.ports import AccountRecord, LoyaltyUnitOfWork
from core.loyalty.rules import (
    AccountTotals,
    EventKind,
    ProgramRules,
    Tier,
    add_months,
    period_starts,
    qualifying_of,
    tier_for,
    tier_rank,
    tiers_crossed,
)
from core.offline.allowances import Connectivity, DecreaseKind, OfflineAllowanceService


def load_rules(uow: LoyaltyUnitOfWork) -> ProgramRules:
    return ProgramRules.from_json(uow.loyalty.rules_json())


def account_id_for(customer_id: str) -> str:
    return stable_id("loyalty-account", customer_id)


def ensure_account(uow: LoyaltyUnitOfWork, customer: CustomerProfile) -> AccountRecord:
    """The customer's account, opened on first use with an id and card number every branch agrees on."""
    account = uow.loyalty.account(customer.id)
    if account is None:
        account = uow.loyalty.open_account(account_id_for(customer.id), customer.id, f"L-{customer.number}"[:20])
    return account


def lot_expiry(today: date, rules: ProgramRules) -> date:
    return add_months(today, rules.expiry_months)


def account_totals(uow: LoyaltyUnitOfWork, account_id: str, today: date, rules: ProgramRules) -> AccountTotals:
    current, previous = period_starts(today, rules)
    horizon = today + timedelta(days=rules.expiry_warning_days)
    return uow.loyalty.totals(account_id, current, previous, today, horizon)


@dataclass
class Ledger:
    """An account's ledger summed up as of this unit of work; posting writes an event and keeps the sums."""

    account: AccountRecord
    totals: AccountTotals

    @property
    def balance(self) -> int:
        return self.totals.balance

    def tier(self, rules: ProgramRules) -> Tier:
        return tier_for(qualifying_of(self.totals, rules).points, rules)

    def post(
        self,
        uow: LoyaltyUnitOfWork,
        kind: EventKind,
        points: int,
        *,
        order_id: str | None = None,
        reason: str | None = None,
        expires_on: date | None = None,
        offline_pending: bool = False,
        event_id: str | None = None,
    ) -> None:
        if points == 0:
            return
        uow.loyalty.add_event(
            self.account.id,
            kind.value,
            points,
            order_id=order_id,
            reason=reason,
            expires_on=expires_on,
            offline_pending=offline_pending,
            event_id=event_id,
        )
        self.totals = self.totals.after(kind.value, points)

    def redeem(
        self,
        uow: LoyaltyUnitOfWork,
        points: int,
        offline: OfflineAllowanceService | None,
        *,
        order_id: str | None = None,
        reason: str | None = None,
    ) -> bool:
        """Takes ``points`` off the account. With head office configured the allowance rules decide first
        (DESIGN.md): online, head office confirms and holds them; offline, only within this branch's allowance,
        and the event is marked pending until head office accepts it. Returns whether it is pending."""
        event_id: str | None = None
        pending = False
        if offline is not None and points > 0:
            event_id, pending = offline.hold(DecreaseKind.POINTS, self.account.id, points, uow, "points")
        self.post(
            uow, EventKind.REDEEM, -points, order_id=order_id, reason=reason, event_id=event_id, offline_pending=pending
        )
        return pending


def open_ledger(uow: LoyaltyUnitOfWork, customer: CustomerProfile, today: date, rules: ProgramRules) -> Ledger:
    account = ensure_account(uow, customer)
    return Ledger(account, account_totals(uow, account.id, today, rules))


def bonus_event_id(uow: LoyaltyUnitOfWork, account_id: str, reason: str) -> str:
    """The id of an upgrade bonus, derived from its cause (DESIGN.md, "effects that must happen once per
    cause"): the account, the tier and how many times that bonus was taken back before. Two branches that see
    the customer cross Silver while apart post the same id, so the ledger union keeps one bonus; a customer who
    returned the purchase (bonus taken back) and crosses again gets a new one, under the next id."""
    taken_back = uow.loyalty.reason_reversals(account_id, EventKind.BONUS.value, reason)
    return stable_id("loyalty-bonus", account_id, reason, str(taken_back))


def settle_tier(
    uow: LoyaltyUnitOfWork,
    ledger: Ledger,
    customer: CustomerProfile,
    rules: ProgramRules,
    before: Tier,
    today: date,
    order_id: str | None = None,
) -> tuple[Tier, int]:
    """After points moved: the upgrade bonus for each tier newly entered, TierUpgraded (the congratulation
    message hangs on it), and the cached tier brought in line with the ledger. A bonus is held once per tier:
    a return that takes the tier away takes its bonus back (as far as the balance allows), and crossing again
    gives it again, so buying and returning cannot farm bonuses. Returns (tier, bonus points posted, negative
    when taken back)."""
    after = ledger.tier(rules)
    bonus = 0
    for tier in tiers_crossed(before, after):
        points = int(rules.upgrade_bonus_points.get(tier.value, 0))
        reason = f"tier:{tier.value}"
        if points > 0 and uow.loyalty.reason_total(ledger.account.id, EventKind.BONUS.value, reason) <= 0:
            ledger.post(
                uow,
                EventKind.BONUS,
                points,
                order_id=order_id,
                reason=reason,
                expires_on=lot_expiry(today, rules),
                event_id=bonus_event_id(uow, ledger.account.id, reason),
            )
            bonus += points
    for tier in tiers_crossed(after, before):
        reason = f"tier:{tier.value}"
        held = uow.loyalty.reason_total(ledger.account.id, EventKind.BONUS.value, reason)
        back = min(held, max(0, ledger.balance))
        if back > 0:
            ledger.post(uow, EventKind.BONUS, -back, order_id=order_id, reason=reason)
            bonus -= back
    if tier_rank(after) > tier_rank(before):
        uow.raise_event(TierUpgraded(customer.id, before.value, after.value, bonus, ledger.balance, order_id))
    if ledger.account.tier != after.value:
        uow.loyalty.set_cached_tier(ledger.account.id, after.value)
    return after, bonus


def refuse_offline_redemption(connectivity: Connectivity) -> None:
    """DESIGN.md: decreases offline need an allowance from head office; until one is granted, none."""
    if connectivity.is_offline():
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "core",
                "This branch is offline, so points cannot be redeemed now. Points are still earned; "
                "take another payment method.",
            ),
            "points",
        )
