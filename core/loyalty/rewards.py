"""The reward catalog and claims: pending → fulfilled, or cancelled with the points given back.

A claim spends points (a redeem event) and takes one from stock in the same transaction. It is refused for a
reward that is inactive, out of its date window, out of stock, not offered to the customer's tier or segment,
over the per-customer limit, beyond the customer's points, or while the branch is offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.customers.model import Segment
from core.kernel.arguments import date_arg, int_arg
from core.kernel.errors import DomainError, NotFound, ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock
from core.kernel.text import clean_text, search_fold
from core.loyalty.ledger import account_totals, load_rules, lot_expiry, open_ledger, refuse_offline_redemption
from core.loyalty.ports import ClaimRecord, LoyaltyUnitOfWork, LoyaltyUowFactory, RewardRecord
from core.loyalty.rules import AccountTotals, EventKind, Tier, qualifying_of, tier_for
from core.offline.allowances import Connectivity, OfflineAllowanceService, StandaloneLink
from core.staff.auth import Actor, Permission

CODE_MAX = 30
MAX_POINTS_COST = 10_000_000


class RewardKind(StrEnum):
    PRODUCT = "product"
    DISCOUNT = "discount"
    SERVICE = "service"
    VOUCHER = "voucher"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class CatalogFilter(StrEnum):
    ALL = "all"
    ACTIVE = "active"
    INACTIVE = "inactive"
    OUT_OF_STOCK = "out_of_stock"


@dataclass(frozen=True)
class RewardDraft:
    code: str
    name_en: str
    name_ar: str
    points_cost: int
    kind: str = RewardKind.PRODUCT
    stock: int | None = None  # None: unlimited
    per_customer_limit: int | None = None  # None: no limit
    tiers: tuple[str, ...] = ()  # empty: every tier
    segments: tuple[str, ...] = ()  # empty: every segment
    valid_from: date | None = None
    valid_until: date | None = None
    image: str = ""
    active: bool = True


@dataclass(frozen=True)
class RewardOffer:
    """A reward the customer can see, and why they cannot claim it now (None: they can)."""

    reward: RewardRecord
    claimed_by_customer: int
    problem: DomainError | None

    @property
    def claimable(self) -> bool:
        return self.problem is None


def validate_reward(draft: RewardDraft) -> dict[str, object]:
    errors: list[ValidationError] = []
    out: dict[str, object] = {}
    try:  # types first: a float stock or a string date would fail deep below, or be stored as typed
        for name in ("stock", "per_customer_limit"):
            if getattr(draft, name) is not None:
                int_arg(getattr(draft, name), name)
        for name in ("valid_from", "valid_until"):
            if getattr(draft, name) is not None:
                date_arg(getattr(draft, name), name)
    except ValidationError as err:
        raise ValidationErrors([err]) from err

    def take(name: str, fn: object) -> None:
        try:
            out[name] = fn() if callable(fn) else fn
        except ValidationError as err:
            errors.append(err)

    def code() -> str:
        text = (clean_text(draft.code, "code", max_length=CODE_MAX, required=True) or "").upper()
        if not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "A reward code is letters, digits and dashes only."), "code"
            )
        return text

    take("code", code)
    take("name_en", lambda: clean_text(draft.name_en, "name_en", max_length=120, required=True))
    take("name_ar", lambda: clean_text(draft.name_ar, "name_ar", max_length=120, required=True))
    if draft.kind not in {k.value for k in RewardKind}:
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose a kind of reward from the list."), "kind"))
    out["kind"] = str(draft.kind)
    if not isinstance(draft.points_cost, int) or not 0 < draft.points_cost <= MAX_POINTS_COST:
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "A reward costs 1 point or more."), "points_cost"))
    out["points_cost"] = draft.points_cost
    if draft.stock is not None and draft.stock < 0:
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Stock cannot be negative."), "stock"))
    out["stock"] = draft.stock
    if draft.per_customer_limit is not None and draft.per_customer_limit < 1:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "A per-customer limit is 1 or more (leave it empty for no limit)."),
                "per_customer_limit",
            )
        )
    out["per_customer_limit"] = draft.per_customer_limit
    tiers = [t.strip().lower() for t in draft.tiers if t.strip()]
    if any(t not in {x.value for x in Tier} for t in tiers):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose tiers from the list."), "tiers"))
    out["tiers"] = list(dict.fromkeys(tiers))
    segments = [s.strip().lower() for s in draft.segments if s.strip()]
    if any(s not in {x.value for x in Segment} for s in segments):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose segments from the list."), "segments"))
    out["segments"] = list(dict.fromkeys(segments))
    if draft.valid_from and draft.valid_until and draft.valid_from > draft.valid_until:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "The reward ends before it starts. Check the dates."), "valid_until"
            )
        )
    out["valid_from"], out["valid_until"] = draft.valid_from, draft.valid_until
    take("image", lambda: clean_text(draft.image, "image", max_length=200))
    out["active"] = bool(draft.active)
    if errors:
        raise ValidationErrors(errors)
    return out


def visible_to(reward: RewardRecord, tier: Tier, segment: str) -> bool:
    return (not reward.tiers or tier.value in reward.tiers) and (not reward.segments or segment in reward.segments)


def claim_problem(
    reward: RewardRecord, tier: Tier, segment: str, today: date, claimed_by_customer: int, balance: int
) -> ValidationError | None:
    """Why this customer cannot claim this reward today, or None."""
    if not reward.active:
        return ValidationError(QT_TRANSLATE_NOOP("core", "This reward is not offered any more."), "reward")
    if (reward.valid_from and today < reward.valid_from) or (reward.valid_until and today > reward.valid_until):
        return ValidationError(
            QT_TRANSLATE_NOOP("core", "This reward can be claimed only from {start} to {end}."),
            "reward",
            start=reward.valid_from.isoformat() if reward.valid_from else "…",
            end=reward.valid_until.isoformat() if reward.valid_until else "…",
        )
    if reward.tiers and tier.value not in reward.tiers:
        return ValidationError(
            QT_TRANSLATE_NOOP("core", "This reward is not offered to the customer's tier."), "reward"
        )
    if reward.segments and segment not in reward.segments:
        return ValidationError(
            QT_TRANSLATE_NOOP("core", "This reward is not offered to the customer's segment."), "reward"
        )
    if reward.stock is not None and reward.stock <= 0:
        return ValidationError(QT_TRANSLATE_NOOP("core", "This reward is out of stock."), "reward")
    if reward.per_customer_limit is not None and claimed_by_customer >= reward.per_customer_limit:
        return ValidationError(
            QT_TRANSLATE_NOOP(
                "core", "The customer has already claimed this reward {limit} time(s), the most allowed."
            ),
            "reward",
            limit=reward.per_customer_limit,
        )
    if balance < reward.points_cost:
        return ValidationError(
            QT_TRANSLATE_NOOP("core", "The customer holds {balance} points; this reward needs {cost}."),
            "reward",
            balance=balance,
            cost=reward.points_cost,
        )
    return None


class RewardService:
    def __init__(
        self,
        uow: LoyaltyUowFactory,
        clock: Clock,
        connectivity: Connectivity | None = None,
        offline: OfflineAllowanceService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.connectivity: Connectivity = connectivity or StandaloneLink()
        self.offline = offline  # with head office configured, the allowance rules decide points spent

    # -- the catalog (managers) -------------------------------------------------------------------------------
    def catalog(self, actor: Actor, text: str = "", which: CatalogFilter = CatalogFilter.ALL) -> list[RewardRecord]:
        actor.require(Permission.MANAGE_REWARDS)
        with self._uow(None) as uow:
            rewards = uow.rewards.all_rewards(include_inactive=True)
        words = search_fold(text or "").split()
        out = []
        for reward in rewards:
            haystack = search_fold(f"{reward.code} {reward.name_en} {reward.name_ar} {reward.kind}")
            if not all(w in haystack for w in words):
                continue
            if which == CatalogFilter.ACTIVE and not reward.active:
                continue
            if which == CatalogFilter.INACTIVE and reward.active:
                continue
            if which == CatalogFilter.OUT_OF_STOCK and (reward.stock is None or reward.stock > 0):
                continue
            out.append(reward)
        return out

    def save(self, actor: Actor, draft: RewardDraft, reward_id: str | None = None) -> RewardRecord:
        """Creates a reward, or edits one (only changed fields are written). Refuses a code already in use."""
        actor.require(Permission.MANAGE_REWARDS)
        values = validate_reward(draft)
        with self._uow(actor) as uow:
            if uow.rewards.code_taken(str(values["code"]), reward_id):
                raise ValidationErrors(
                    [ValidationError(QT_TRANSLATE_NOOP("core", "Another reward already has this code."), "code")]
                )
            if reward_id is None:
                reward_id = uow.rewards.add(values)
            else:
                if uow.rewards.get(reward_id) is None:
                    raise NotFound(QT_TRANSLATE_NOOP("core", "This reward no longer exists."))
                uow.rewards.update(reward_id, values)
            record = uow.rewards.get(reward_id)
            uow.commit()
        assert record is not None
        return record

    # -- for one customer ----------------------------------------------------------------------------------------
    def offers(self, actor: Actor, customer_id: str) -> list[RewardOffer]:
        """Active rewards in their date window that the customer's tier and segment may see, each with what
        stops a claim now (points, stock, limit), if anything."""
        actor.require(Permission.VIEW_LOYALTY)
        today = self._clock.today()
        with self._uow(None) as uow:
            customer = uow.customers.get(customer_id)
            if customer is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            rules = load_rules(uow)
            account = uow.loyalty.account(customer_id)
            totals = account_totals(uow, account.id, today, rules) if account else AccountTotals()
            tier = tier_for(qualifying_of(totals, rules).points, rules)
            points = totals.balance
            offers = []
            for reward in uow.rewards.all_rewards(include_inactive=False):
                if not visible_to(reward, tier, customer.segment.value):
                    continue
                if (reward.valid_from and today < reward.valid_from) or (
                    reward.valid_until and today > reward.valid_until
                ):
                    continue
                taken = uow.rewards.claims_by(reward.id, customer_id)
                problem = claim_problem(reward, tier, customer.segment.value, today, taken, points)
                offers.append(RewardOffer(reward, taken, problem))
        return offers

    def claim(self, actor: Actor, customer_id: str, reward_id: str) -> ClaimRecord:
        actor.require(Permission.CLAIM_REWARDS)
        if self.offline is None:
            refuse_offline_redemption(self.connectivity)
        today = self._clock.today()
        with self._uow(actor) as uow:
            customer = uow.customers.get(customer_id)
            if customer is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            reward = uow.rewards.get(reward_id)
            if reward is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This reward no longer exists."))
            rules = load_rules(uow)
            ledger = open_ledger(uow, customer, today, rules)
            tier = ledger.tier(rules)
            taken = uow.rewards.claims_by(reward_id, customer_id)
            problem = claim_problem(reward, tier, customer.segment.value, today, taken, ledger.balance)
            if problem is not None:
                raise problem
            claim_id = uow.rewards.add_claim(reward_id, customer_id, reward.points_cost)
            ledger.redeem(uow, reward.points_cost, self.offline, reason=f"reward:{claim_id}")
            if reward.stock is not None:
                uow.rewards.update(reward_id, {"stock": reward.stock - 1})
            record = uow.rewards.claim(claim_id)
            uow.commit()
        assert record is not None
        return record

    def claims(self, actor: Actor, customer_id: str) -> list[ClaimRecord]:
        actor.require(Permission.VIEW_LOYALTY)
        with self._uow(None) as uow:
            return uow.rewards.claims_of(customer_id)

    def fulfil(self, actor: Actor, claim_id: str) -> ClaimRecord:
        """The customer received the reward. Pending claims only."""
        actor.require(Permission.FULFIL_REWARDS)
        with self._uow(actor) as uow:
            claim = self._pending(uow, claim_id)
            uow.rewards.set_claim_status(claim.id, ClaimStatus.FULFILLED.value)
            record = uow.rewards.claim(claim.id)
            uow.commit()
        assert record is not None
        return record

    def cancel(self, actor: Actor, claim_id: str) -> ClaimRecord:
        """The claim is called off: its points come back (a restore event) and so does the stock."""
        actor.require(Permission.FULFIL_REWARDS)
        today = self._clock.today()
        with self._uow(actor) as uow:
            claim = self._pending(uow, claim_id)
            customer = uow.customers.get(claim.customer_id)
            if customer is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            rules = load_rules(uow)
            ledger = open_ledger(uow, customer, today, rules)
            uow.rewards.set_claim_status(claim.id, ClaimStatus.CANCELLED.value)
            ledger.post(
                uow, EventKind.RESTORE, claim.points, reason=f"reward:{claim.id}", expires_on=lot_expiry(today, rules)
            )
            reward = uow.rewards.get(claim.reward_id)
            if reward is not None and reward.stock is not None:
                uow.rewards.update(reward.id, {"stock": reward.stock + 1})
            record = uow.rewards.claim(claim.id)
            uow.commit()
        assert record is not None
        return record

    @staticmethod
    def _pending(uow: LoyaltyUnitOfWork, claim_id: str) -> ClaimRecord:
        claim = uow.rewards.claim(claim_id)
        if claim is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This claim no longer exists."))
        if claim.status != ClaimStatus.PENDING.value:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Only a pending claim can be fulfilled or cancelled."), "status"
            )
        return claim
