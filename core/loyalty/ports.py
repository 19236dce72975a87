"""What purchases, loyalty, rewards and preferences need from storage: records and repository Protocols."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from core.customers.ports import CustomerRepository
from core.kernel.ports import UnitOfWork
from core.loyalty.rules import AccountTotals, PointsEvent
from core.messaging.ports import MessageRepository
from core.offline.allowances import OfflineRepository
from core.staff.auth import Actor


@dataclass(frozen=True)
class AccountRecord:
    id: str
    customer_id: str
    card_number: str
    tier: str  # the cached tier; the ledger decides


@dataclass(frozen=True)
class LedgerRow:
    id: str
    at: datetime
    kind: str
    points: int
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
class OrderEventRow:
    """A loyalty event tied to an order (for returns: what the sale earned and spent)."""

    order_id: str
    kind: str
    points: int


@dataclass(frozen=True)
class LineRecord:
    id: str
    sku: str
    name: str
    brand: str
    family: str
    size_ml: int | None
    quantity: int
    unit_price_fils: int
    net_fils: int
    vat_fils: int


@dataclass(frozen=True)
class OrderRecord:
    id: str
    number: str
    kind: str
    created_at: datetime
    customer_id: str | None
    original_order_id: str | None
    staff_id: str | None
    staff_name: str
    staff_name_ar: str
    branch_name: str
    branch_name_ar: str
    net_fils: int
    vat_fils: int
    total_fils: int
    tenders: dict[str, Any]
    lines: tuple[LineRecord, ...] = ()
    branch_id: str = ""  # where the order was made ("" where a store does not say)


@dataclass(frozen=True)
class PurchasedLine:
    """One line a customer bought (or returned: negative quantity), for learning their preferences."""

    at: datetime
    sku: str
    name: str
    brand: str
    family: str
    size_ml: int | None
    quantity: int
    unit_price_fils: int


@dataclass(frozen=True)
class PreferenceRecord:
    customer_id: str
    source: str
    families: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    sizes_ml: tuple[int, ...] = ()
    favourite_notes: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    dislikes: tuple[str, ...] = ()
    intensity: str | None = None
    budget_min_fils: int | None = None
    budget_max_fils: int | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RestockRecord:
    id: str
    customer_id: str
    sku: str
    product_name: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class RewardRecord:
    id: str
    code: str
    name_en: str
    name_ar: str
    kind: str
    points_cost: int
    stock: int | None
    per_customer_limit: int | None
    tiers: tuple[str, ...]
    segments: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    image: str | None
    active: bool
    claimed: int = 0  # claims not cancelled, all customers


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    reward_id: str
    reward_code: str
    reward_name_en: str
    reward_name_ar: str
    customer_id: str
    points: int
    status: str
    created_at: datetime
    updated_at: datetime


class LoyaltyRepository(Protocol):
    def account(self, customer_id: str) -> AccountRecord | None: ...

    def open_account(self, account_id: str, customer_id: str, card_number: str) -> AccountRecord: ...

    def set_cached_tier(self, account_id: str, tier: str) -> None: ...

    def accounts(self) -> list[AccountRecord]: ...

    def events(self, account_id: str) -> list[PointsEvent]: ...

    def totals(
        self, account_id: str, current_start: datetime, previous_start: datetime, today: date, horizon: date
    ) -> AccountTotals: ...

    def lots_between(self, account_id: str, after: date, until: date) -> list[tuple[date, int]]: ...

    def ledger(self, account_id: str) -> list[LedgerRow]: ...

    def order_events(self, account_id: str, order_ids: list[str]) -> list[OrderEventRow]: ...

    def reason_total(self, account_id: str, kind: str, reason: str) -> int: ...

    def reason_reversals(self, account_id: str, kind: str, reason: str) -> int:
        """How many events of ``kind`` with ``reason`` took points off the account (a bonus taken back)."""
        ...

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
    ) -> str: ...

    def accounts_with_lots_until(self, day: date) -> list[str]: ...

    def customer_of_account(self, account_id: str) -> str: ...

    def rules_json(self) -> str | None: ...

    def save_rules_json(self, text: str) -> None: ...


class OrderRepository(Protocol):
    def next_number(self, kind: str) -> str: ...

    def add(self, values: dict[str, object], lines: list[dict[str, object]]) -> tuple[str, list[str]]: ...

    def branch_names(self) -> tuple[str, str]:
        """The writing actor's branch, in English and Arabic."""
        ...

    def get(self, order_id: str) -> OrderRecord | None: ...

    def by_number(self, number: str) -> OrderRecord | None: ...

    def returns_of(self, order_id: str) -> list[OrderRecord]: ...

    def for_customer(self, customer_id: str, limit: int) -> list[OrderRecord]: ...

    def purchased_lines(self, customer_id: str) -> list[PurchasedLine]: ...


class PreferenceRepository(Protocol):
    def get(self, customer_id: str, source: str) -> PreferenceRecord | None: ...

    def save(self, row_id: str, customer_id: str, source: str, values: dict[str, object]) -> None: ...

    def restock_list(self, customer_id: str) -> list[RestockRecord]: ...

    def restock(self, interest_id: str) -> RestockRecord | None: ...

    def add_restock(self, customer_id: str, sku: str, product_name: str) -> RestockRecord: ...

    def set_restock_status(self, interest_id: str, status: str) -> None: ...


class RewardRepository(Protocol):
    def all_rewards(self, include_inactive: bool) -> list[RewardRecord]: ...

    def get(self, reward_id: str) -> RewardRecord | None: ...

    def code_taken(self, code: str, except_id: str | None) -> bool: ...

    def add(self, values: dict[str, object]) -> str: ...

    def update(self, reward_id: str, changes: dict[str, object]) -> None: ...

    def claims_by(self, reward_id: str, customer_id: str) -> int: ...

    def add_claim(self, reward_id: str, customer_id: str, points: int) -> str: ...

    def claim(self, claim_id: str) -> ClaimRecord | None: ...

    def claims_of(self, customer_id: str) -> list[ClaimRecord]: ...

    def set_claim_status(self, claim_id: str, status: str) -> None: ...


class LoyaltyUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    orders: OrderRepository
    loyalty: LoyaltyRepository
    rewards: RewardRepository
    preferences: PreferenceRepository
    offline: OfflineRepository
    messages: MessageRepository


LoyaltyUowFactory = Callable[[Actor | None], LoyaltyUnitOfWork]
