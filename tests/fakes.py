"""In-memory fakes of the unit of work and the repositories the core services use, so their rules run in
milliseconds without a database (cosmicpython's tests/unit/fakes.py).

The fakes are structural: nothing here imports a repository Protocol, so moving a Protocol to another
module does not touch this file. Each fake names the Protocol it stands for (``PROTOCOL``) and the methods
it leaves out on purpose (``NOT_FAKED``); tests/unit/test_fakes.py finds the Protocol by name anywhere in
core/ and fails when a method is added there that the fake neither has nor leaves out.

A fake unit of work behaves like storage's in what the rules can see: leaving the block without commit()
throws away everything it wrote, a read-only one (``uow(None)``) refuses writes and commit, and a
FakeStore counts commits, so a test can say "this wrote nothing".
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import cast

from core.customers.model import CustomerProfile, CustomerSummary, HistoryEntry
from core.customers.search import document
from core.giftcards.service import CardRecord, LedgerLine, Totals, TxKind
from core.kernel.events import DomainEvent
from core.kernel.ids import new_id
from core.kernel.text import search_fold
from core.loyalty.ports import AccountRecord, OrderEventRow
from core.loyalty.rules import QUALIFYING_KINDS, AccountTotals, PointsEvent
from core.offline.allowances import (
    DecreaseKind,
    LinkState,
    OfflineAllowance,
    OnlineAuthorization,
    SyncException,
)
from core.shoppers.matching import ShopperProfile
from core.shoppers.model import AssignmentRecord, CustomerBrief
from core.staff.auth import Actor, StaffRecord
from tests.clock import TestClock


@dataclass
class CardEvent:
    id: str
    card_id: str
    kind: TxKind
    amount_fils: int
    at: datetime
    reason: str | None = None
    order_id: str | None = None
    offline_pending: bool = False


@dataclass
class Approval:
    hold_id: str
    kind: DecreaseKind
    subject_id: str
    amount: int
    settled: bool = False


@dataclass
class PointsRow:
    id: str
    account_id: str
    kind: str
    points: int
    at: datetime
    order_id: str | None = None
    reason: str | None = None
    expires_on: date | None = None
    offline_pending: bool = False


@dataclass
class QueuedMessage:
    id: str
    customer_id: str
    channel: str
    recipient: str
    body: str
    template_id: str | None
    at: datetime


@dataclass
class SecurityEvent:
    at: datetime
    kind: str
    detail: dict[str, object]
    staff_id: str | None


@dataclass
class FakeData:
    """Everything a fake store holds; a unit of work copies it on entry and puts the copy back on rollback."""

    customers: dict[str, CustomerProfile] = field(default_factory=dict)
    customer_history: list[tuple[str, HistoryEntry]] = field(default_factory=list)
    customer_counter: int = 0
    staff: dict[str, StaffRecord] = field(default_factory=dict)
    security_events: list[SecurityEvent] = field(default_factory=list)
    cards: dict[str, CardRecord] = field(default_factory=dict)
    card_events: list[CardEvent] = field(default_factory=list)
    accounts: dict[str, AccountRecord] = field(default_factory=dict)
    points_events: list[PointsRow] = field(default_factory=list)
    rules_json: str | None = None  # None: the program's default rules
    templates: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    messages: list[QueuedMessage] = field(default_factory=list)
    orders: dict[str, dict[str, object]] = field(default_factory=dict)
    order_lines: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    order_counter: int = 0
    allowances: dict[DecreaseKind, OfflineAllowance] = field(default_factory=dict)
    approvals: list[Approval] = field(default_factory=list)
    last_contact_at: datetime | None = None
    balances_at: datetime | None = None
    sync_exceptions: list[SyncException] = field(default_factory=list)
    shoppers: dict[str, ShopperProfile] = field(default_factory=dict)  # load is computed, never stored
    assignments: list[AssignmentRecord] = field(default_factory=list)


class ReadOnly(RuntimeError):
    """A write attempted in a read-only unit of work: a service bug, never a user's mistake."""


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _data(self) -> FakeData:
        return self._uow.store.data

    def _now(self) -> datetime:
        return self._uow.store.clock.now()

    def _write(self) -> None:
        if self._uow.actor is None:
            raise ReadOnly("a read-only unit of work cannot write")


class FakeCustomerRepository(_Repo):
    PROTOCOL = "CustomerRepository"
    NOT_FAKED: tuple[str, ...] = ()

    def add(self, values: dict[str, object]) -> CustomerProfile:
        self._write()
        data = self._data
        data.customer_counter += 1
        now = self._now()
        profile = CustomerProfile(
            id=new_id(),
            number=f"C-{data.customer_counter:06d}",
            branch_id=self._uow.store.branch_id,
            created_at=now,
            updated_at=now,
            **values,  # type: ignore[arg-type]
        )
        data.customers[profile.id] = profile
        self._history(profile.id, "created", {k: (None, v) for k, v in values.items() if v not in (None, False)})
        return profile

    def get(self, customer_id: str) -> CustomerProfile | None:
        return self._data.customers.get(customer_id)

    def update(self, customer_id: str, changes: dict[str, object]) -> CustomerProfile:
        self._write()
        before = self._data.customers[customer_id]
        after = replace(before, updated_at=self._now(), **changes)  # type: ignore[arg-type]
        self._data.customers[customer_id] = after
        self._history(customer_id, "updated", {k: (getattr(before, k), v) for k, v in changes.items()})
        return after

    def id_by_mobile(self, mobile: str) -> str | None:
        return next((c.id for c in self._data.customers.values() if c.mobile == mobile), None)

    def search(self, terms: list[str], limit: int) -> list[CustomerSummary]:
        """Every term a prefix of a word of the customer's search document (core's own document)."""
        found = []
        for c in self._data.customers.values():
            names = [c.first_name_en, c.last_name_en, c.first_name_ar, c.last_name_ar]
            words = document(names, c.mobile, c.email, c.number).split()
            if all(any(w.startswith(search_fold(t)) for w in words) for t in terms):
                found.append(_summary(c))
        return found[:limit]

    def search_email(self, prefix: str, domain: bool, limit: int) -> list[CustomerSummary]:
        """The email (or the part after its "@") starts with ``prefix``, in the email's order."""

        def key(c: CustomerProfile) -> str:
            email = c.email or ""
            return email.partition("@")[2] if domain else email

        found = sorted((c for c in self._data.customers.values() if c.email and key(c).startswith(prefix)), key=key)
        return [_summary(c) for c in found[:limit]]

    def history(self, customer_id: str, limit: int) -> list[HistoryEntry]:
        entries = [entry for cid, entry in self._data.customer_history if cid == customer_id]
        return list(reversed(entries))[:limit]

    def _history(self, customer_id: str, action: str, changes: dict[str, tuple[object, object]]) -> None:
        actor = self._uow.actor
        name = actor.display_name if actor else ""
        entry = HistoryEntry(self._now(), action, name, self._uow.store.branch_id, changes=changes)
        self._data.customer_history.append((customer_id, entry))


class FakeStaffRepository(_Repo):
    PROTOCOL = "StaffRepository"
    NOT_FAKED: tuple[str, ...] = ()

    def get(self, staff_id: str) -> StaffRecord | None:
        return self._data.staff.get(staff_id)

    def by_branch(self, branch_id: str) -> list[StaffRecord]:
        return [s for s in self._data.staff.values() if s.branch_id == branch_id]

    def set_lockout(self, staff_id: str, failed_attempts: int, locked_until: datetime | None) -> None:
        self._write()
        staff = self._data.staff[staff_id]
        self._data.staff[staff_id] = replace(staff, failed_attempts=failed_attempts, locked_until=locked_until)

    def log_security_event(self, kind: str, detail: dict[str, object]) -> None:
        self._write()
        actor = self._uow.actor
        self._data.security_events.append(
            SecurityEvent(self._now(), kind, dict(detail), (actor.staff_id or None) if actor else None)
        )

    def till_sign_in_failures(self, since: datetime) -> list[datetime]:
        failures: list[datetime] = []
        for event in self._data.security_events:  # one till: every event is this till's
            if event.kind in ("signed_in", "till_unlocked"):
                failures = []
            elif event.kind == "signin_failed" and event.at >= since:
                failures.append(event.at)
        return failures


class FakeGiftCardRepository(_Repo):
    PROTOCOL = "GiftCardRepository"
    NOT_FAKED: tuple[str, ...] = ("report",)  # the manager's report is SQL aggregation: integration-tested

    def code_exists(self, code: str) -> bool:
        return any(card.code == code for card in self._data.cards.values())

    def add_card(self, values: dict[str, object]) -> str:
        self._write()
        actor = self._uow.actor
        assert actor is not None
        card = CardRecord(
            id=new_id(),
            code=str(values["code"]),
            initial_fils=int(str(values["initial_fils"])),
            occasion=str(values["occasion"]),
            recipient_name=values.get("recipient_name"),  # type: ignore[arg-type]
            message=values.get("message"),  # type: ignore[arg-type]
            expires_on=values["expires_on"],  # type: ignore[arg-type]
            issued_at=self._now(),
            branch_id=actor.branch_id,
            purchaser_customer_id=values.get("purchaser_customer_id"),  # type: ignore[arg-type]
            recipient_customer_id=values.get("recipient_customer_id"),  # type: ignore[arg-type]
            from_name=values.get("from_name"),  # type: ignore[arg-type]
        )
        self._data.cards[card.id] = card
        return card.id

    def by_code(self, code: str) -> CardRecord | None:
        return next((card for card in self._data.cards.values() if card.code == code), None)

    def events_of(self, card_id: str) -> list[CardEvent]:
        return [e for e in self._data.card_events if e.card_id == card_id]

    def totals(self, card_id: str) -> Totals:
        events = self.events_of(card_id)
        return Totals(
            balance_fils=sum(e.amount_fils for e in events),
            redeemed_fils=-sum(e.amount_fils for e in events if e.kind == TxKind.REDEEM),
            refunded_fils=sum(e.amount_fils for e in events if e.kind == TxKind.REFUND),
            cancelled=any(e.kind == TxKind.CANCEL for e in events),
            expired_event=any(e.kind == TxKind.EXPIRE for e in events),
            pending_offline_fils=-sum(e.amount_fils for e in events if e.offline_pending),
        )

    def with_totals(self, card_id: str) -> tuple[CardRecord, Totals] | None:
        card = self._data.cards.get(card_id)
        return None if card is None else (card, self.totals(card_id))

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
        self._write()
        event = CardEvent(
            event_id or new_id(), card_id, TxKind(kind), amount_fils, self._now(), reason, order_id, offline_pending
        )
        if any(e.id == event.id for e in self._data.card_events):
            raise AssertionError(f"ledger event {event.id} written twice")  # a unique key in the real store
        self._data.card_events.append(event)
        return event.id

    def ledger(self, card_id: str) -> list[LedgerLine]:
        running, out = 0, []
        for e in self.events_of(card_id):
            running += e.amount_fils
            out.append(LedgerLine(e.at, e.kind, e.amount_fils, running, "", "", "", e.reason, e.offline_pending))
        return out

    def due_to_expire(self, today: date) -> list[str]:
        return [card.id for card in self._data.cards.values() if card.expires_on < today]

    def failed_lookups_since(self, since: datetime) -> int:
        return sum(1 for e in self._data.security_events if e.kind == "giftcard_lookup_failed" and e.at >= since)

    def customer_segment(self, customer_id: str) -> str | None:
        customer = self._data.customers.get(customer_id)
        return None if customer is None else customer.segment.value


class FakeOfflineRepository(_Repo):
    PROTOCOL = "OfflineRepository"
    NOT_FAKED: tuple[str, ...] = ()

    def allowance(self, kind: DecreaseKind) -> OfflineAllowance | None:
        return self._data.allowances.get(kind)

    def allowances(self) -> list[OfflineAllowance]:
        return list(self._data.allowances.values())

    def balance(self, kind: DecreaseKind, subject_id: str) -> int:
        if kind == DecreaseKind.GIFT_CARD:
            return sum(e.amount_fils for e in self._data.card_events if e.card_id == subject_id)
        return sum(e.points for e in self._data.points_events if e.account_id == subject_id)

    def pending(self, kind: DecreaseKind, subject_id: str | None = None) -> int:
        return sum(
            a.amount
            for a in self._data.approvals
            if not a.settled and a.kind == kind and (subject_id is None or a.subject_id == subject_id)
        )

    def last_contact_at(self) -> datetime | None:
        return self._data.last_contact_at

    def balances_at(self) -> datetime | None:
        return self._data.balances_at

    def record_approval(self, hold_id: str, kind: DecreaseKind, subject_id: str, amount: int) -> None:
        self._write()
        self._data.approvals.append(Approval(hold_id, DecreaseKind(kind), subject_id, amount))

    def exceptions(self, limit: int) -> list[SyncException]:
        return list(reversed(self._data.sync_exceptions))[:limit]


class FakeShopperRepository(_Repo):
    PROTOCOL = "ShopperRepository"
    # Screens' read models (queues, visits, follow-ups, performance) are SQL joins: integration-tested.
    NOT_FAKED: tuple[str, ...] = (
        "staff_without_profile",
        "customer_needs",
        "vip_queue",
        "vip_rows",
        "follow_ups",
        "follow_up",
        "set_follow_up_status",
        "count_visits",
        "recent_orders",
        "order_for_visit",
        "add_visit",
        "add_follow_up",
        "visits",
        "flagged_visits",
        "performance",
    )

    def _with_load(self, shopper: ShopperProfile) -> ShopperProfile:
        load = sum(1 for a in self._data.assignments if a.shopper_id == shopper.id and a.ended_at is None)
        return replace(shopper, load=load)

    def shoppers(self, include_inactive: bool) -> list[ShopperProfile]:
        return [self._with_load(s) for s in self._data.shoppers.values() if include_inactive or s.active]

    def shopper(self, shopper_id: str) -> ShopperProfile | None:
        found = self._data.shoppers.get(shopper_id)
        return None if found is None else self._with_load(found)

    def shopper_by_staff(self, staff_id: str) -> ShopperProfile | None:
        found = next((s for s in self._data.shoppers.values() if s.staff_id == staff_id), None)
        return None if found is None else self._with_load(found)

    def staff_role(self, staff_id: str) -> tuple[str, str] | None:
        staff = self._data.staff.get(staff_id)
        return None if staff is None else (staff.role.value, staff.branch_id)

    def add_shopper(self, staff_id: str, branch_id: str, values: dict[str, object]) -> str:
        self._write()
        staff = self._data.staff[staff_id]
        shopper = ShopperProfile(
            id=new_id(),
            staff_id=staff_id,
            branch_id=branch_id,
            name_en=staff.name_en,
            name_ar=staff.name_ar,
            languages=tuple(cast(list[str], values["languages"])),
            specialties=tuple(cast(list[str], values["specialties"])),
            experience_years=int(str(values["experience_years"])),
            capacity=int(str(values["capacity"])),
            active=bool(values["active"]),
        )
        self._data.shoppers[shopper.id] = shopper
        return shopper.id

    def update_shopper(self, shopper_id: str, changes: dict[str, object]) -> None:
        self._write()
        typed = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        self._data.shoppers[shopper_id] = replace(self._data.shoppers[shopper_id], **typed)  # type: ignore[arg-type]

    def customer(self, customer_id: str) -> CustomerBrief | None:
        c = self._data.customers.get(customer_id)
        if c is None:
            return None
        return CustomerBrief(
            c.id, c.number, c.display_name("en"), c.display_name("ar"), c.segment, c.preferred_language, c.branch_id
        )

    def active_assignment(self, customer_id: str) -> AssignmentRecord | None:
        return next((a for a in self._data.assignments if a.customer_id == customer_id and a.ended_at is None), None)

    def assignments(self, customer_id: str) -> list[AssignmentRecord]:
        return [a for a in reversed(self._data.assignments) if a.customer_id == customer_id]

    def add_assignment(
        self, customer_id: str, shopper_id: str, at: datetime, reason: str | None, override: bool
    ) -> str:
        self._write()
        shopper = self._data.shoppers[shopper_id]
        record = AssignmentRecord(
            new_id(), customer_id, shopper_id, shopper.name_en, shopper.name_ar, at, None, reason, override
        )
        self._data.assignments.append(record)
        return record.id

    def end_assignment(self, assignment_id: str, at: datetime) -> None:
        self._write()
        self._data.assignments = [
            replace(a, ended_at=at) if a.id == assignment_id else a for a in self._data.assignments
        ]

    def record_history(self, customer_id: str, action: str, changes: dict[str, list[object]]) -> None:
        self._write()
        actor = self._uow.actor
        entry = HistoryEntry(
            self._now(),
            action,
            actor.display_name if actor else "",
            self._uow.store.branch_id,
            changes={k: (v[0], v[1]) for k, v in changes.items()},
        )
        self._data.customer_history.append((customer_id, entry))


class FakeLoyaltyRepository(_Repo):
    PROTOCOL = "LoyaltyRepository"
    # The explained ledger joins branches, staff and orders for the screen: integration-tested.
    NOT_FAKED: tuple[str, ...] = ("ledger",)

    def account(self, customer_id: str) -> AccountRecord | None:
        return next((a for a in self._data.accounts.values() if a.customer_id == customer_id), None)

    def open_account(self, account_id: str, customer_id: str, card_number: str) -> AccountRecord:
        self._write()
        if account_id in self._data.accounts:
            raise AssertionError(f"account {account_id} opened twice")  # a primary key in the real store
        record = AccountRecord(account_id, customer_id, card_number, "bronze")
        self._data.accounts[account_id] = record
        return record

    def set_cached_tier(self, account_id: str, tier: str) -> None:
        self._write()
        self._data.accounts[account_id] = replace(self._data.accounts[account_id], tier=tier)

    def accounts(self) -> list[AccountRecord]:
        return list(self._data.accounts.values())

    def _rows(self, account_id: str) -> list[PointsRow]:
        return [e for e in self._data.points_events if e.account_id == account_id]

    def events(self, account_id: str) -> list[PointsEvent]:
        return [PointsEvent(e.kind, e.points, e.at, e.expires_on) for e in self._rows(account_id)]

    def totals(
        self, account_id: str, current_start: datetime, previous_start: datetime, today: date, horizon: date
    ) -> AccountTotals:
        """The sums storage makes in SQL, over the same definition as core's ``totals_of``."""
        rows = self._rows(account_id)
        qualifying = [e for e in rows if e.kind in QUALIFYING_KINDS]
        lots = [e for e in rows if e.points > 0 and e.expires_on is not None]
        return AccountTotals(
            balance=sum(e.points for e in rows),
            qualifying_all=sum(e.points for e in qualifying),
            qualifying_current=sum(e.points for e in qualifying if e.at >= current_start),
            qualifying_previous=sum(e.points for e in qualifying if previous_start <= e.at < current_start),
            consumed=-sum(e.points for e in rows if e.points < 0),
            lots_due=sum(e.points for e in lots if e.expires_on is not None and e.expires_on <= today),
            lots_to_horizon=sum(e.points for e in lots if e.expires_on is not None and e.expires_on <= horizon),
            pending_offline=-sum(e.points for e in rows if e.offline_pending and e.points < 0),
        )

    def lots_between(self, account_id: str, after: date, until: date) -> list[tuple[date, int]]:
        sums: dict[date, int] = {}
        for e in self._rows(account_id):
            if e.points > 0 and e.expires_on is not None and after < e.expires_on <= until:
                sums[e.expires_on] = sums.get(e.expires_on, 0) + e.points
        return sorted(sums.items())

    def order_events(self, account_id: str, order_ids: list[str]) -> list[OrderEventRow]:
        return [
            OrderEventRow(e.order_id, e.kind, e.points)
            for e in self._rows(account_id)
            if e.order_id is not None and e.order_id in order_ids
        ]

    def reason_total(self, account_id: str, kind: str, reason: str) -> int:
        return sum(e.points for e in self._rows(account_id) if e.kind == kind and e.reason == reason)

    def reason_reversals(self, account_id: str, kind: str, reason: str) -> int:
        return sum(1 for e in self._rows(account_id) if e.kind == kind and e.reason == reason and e.points < 0)

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
        self._write()
        row = PointsRow(
            event_id or new_id(), account_id, kind, points, self._now(), order_id, reason, expires_on, offline_pending
        )
        if any(e.id == row.id for e in self._data.points_events):
            raise AssertionError(f"ledger event {row.id} written twice")
        self._data.points_events.append(row)
        return row.id

    def accounts_with_lots_until(self, day: date) -> list[str]:
        return sorted(
            {e.account_id for e in self._data.points_events if e.expires_on is not None and e.expires_on <= day}
        )

    def customer_of_account(self, account_id: str) -> str:
        return self._data.accounts[account_id].customer_id

    def rules_json(self) -> str | None:
        return self._data.rules_json

    def save_rules_json(self, text: str) -> None:
        self._write()
        self._data.rules_json = text

    def ensure_template(self, template_id: str, key: str, channel: str, language: str, body: str) -> None:
        self._write()
        self._data.templates.setdefault(template_id, (key, channel, language, body))

    def queue_message(self, customer_id: str, channel: str, recipient: str, body: str, template_id: str | None) -> str:
        self._write()
        message = QueuedMessage(new_id(), customer_id, channel, recipient, body, template_id, self._now())
        self._data.messages.append(message)
        return message.id

    def messages_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        return sum(
            1
            for m in self._data.messages
            if m.customer_id == customer_id and m.template_id in template_ids and m.at >= since
        )


class FakeOrderRepository(_Repo):
    PROTOCOL = "OrderRepository"
    # Reading orders back (receipts, returns, a customer's purchases) joins staff and branches: integration-tested.
    NOT_FAKED: tuple[str, ...] = ("get", "by_number", "returns_of", "for_customer", "purchased_lines")

    def next_number(self, kind: str) -> str:
        self._write()
        self._data.order_counter += 1
        return f"{kind[0].upper()}-{self._data.order_counter:06d}"

    def add(self, values: dict[str, object], lines: list[dict[str, object]]) -> tuple[str, list[str]]:
        self._write()
        order_id = new_id()
        self._data.orders[order_id] = {**values, "id": order_id, "created_at": self._now()}
        stored = [{**line, "id": new_id(), "order_id": order_id} for line in lines]
        self._data.order_lines[order_id] = stored
        return order_id, [str(line["id"]) for line in stored]

    def branch_names(self) -> tuple[str, str]:
        return ("Dubai Mall", "دبي مول")


class FakeUnitOfWork:
    """One use case on a FakeStore: a copy of its data that commit() keeps and anything else throws away."""

    def __init__(self, store: FakeStore, actor: Actor | None) -> None:
        self.store = store
        self.actor = actor
        self.customers = FakeCustomerRepository(self)
        self.staff = FakeStaffRepository(self)
        self.giftcards = FakeGiftCardRepository(self)
        self.offline = FakeOfflineRepository(self)
        self.shoppers = FakeShopperRepository(self)
        self.loyalty = FakeLoyaltyRepository(self)
        self.orders = FakeOrderRepository(self)
        self.events: list[DomainEvent] = []
        self._before: FakeData | None = None
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> FakeUnitOfWork:
        if self._before is not None:
            raise RuntimeError("a unit of work is entered once")
        self._before = copy.deepcopy(self.store.data)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._before is not None:  # not committed: roll back, and its events are never published
            self.store.data = self._before
        self._before = None
        self.events.clear()
        undo, self._undo = self._undo, []  # commit() empties it: what is left belongs to a rollback
        for step in undo:
            step()

    def on_rollback(self, undo: Callable[[], None]) -> None:
        self._undo.append(undo)

    def commit(self) -> None:
        if self.actor is None:
            raise ReadOnly("a read-only unit of work cannot commit")
        if self._before is None:
            raise RuntimeError("commit outside the unit of work's block")
        self.store.commits += 1
        self.store.published.extend(self.events)  # what the real one hands its handlers before committing
        self.events.clear()
        self._before = copy.deepcopy(self.store.data)  # what is committed survives a later rollback
        self._undo = []

    def raise_event(self, event: DomainEvent) -> None:
        if self.actor is None:
            raise ReadOnly("a read-only unit of work raises no events")
        self.events.append(event)

    def security_event(self, kind: str, detail: dict[str, object]) -> None:
        self.staff.log_security_event(kind, detail)


@dataclass
class FakeStore:
    """The data behind the fakes, the clock they stamp rows with and the count of commits."""

    clock: TestClock
    branch_id: str = "branch-dxb1"
    data: FakeData = field(default_factory=FakeData)
    commits: int = 0
    published: list[DomainEvent] = field(default_factory=list)

    def uow(self, actor: Actor | None) -> FakeUnitOfWork:
        """The unit-of-work factory the services take: ``uow(actor)`` writes, ``uow(None)`` only reads."""
        return FakeUnitOfWork(self, actor)

    def security_kinds(self) -> list[str]:
        return [e.kind for e in self.data.security_events]

    def card_events(self, card_id: str) -> Iterator[CardEvent]:
        return (e for e in self.data.card_events if e.card_id == card_id)


class FakeLink:
    """The head-office link as the allowance service sees it: a state, and head office's answer when online
    (None: it could not be reached, so the offline rules apply)."""

    def __init__(self, state: LinkState = LinkState.OFFLINE, answer: OnlineAuthorization | None = None) -> None:
        self.state = state
        self.answer = answer
        self.asked: list[tuple[DecreaseKind, str, int]] = []
        self.released: list[str] = []

    def is_offline(self) -> bool:
        return self.state == LinkState.OFFLINE

    def link_state(self) -> LinkState:
        return self.state

    def authorize_online(
        self, kind: DecreaseKind, subject_id: str, amount: int, hold_id: str
    ) -> OnlineAuthorization | None:
        self.asked.append((kind, subject_id, amount))
        return self.answer

    def release_online(self, hold_ids: list[str]) -> None:
        self.released.extend(hold_ids)


def _summary(c: CustomerProfile) -> CustomerSummary:
    return CustomerSummary(
        c.id, c.number, c.display_name("en"), c.display_name("ar"), c.mobile, c.email, c.segment, c.emirate
    )
