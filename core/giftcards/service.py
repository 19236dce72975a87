"""Gift cards: sell, find, redeem, refund, cancel, expire, explain — the cashier's flow.

A card's balance is the sum of its ledger events (issue +, redeem −, refund +, cancel −, expire −); nothing
stores it. Every decrease checks the balance and appends its event inside one BEGIN IMMEDIATE unit of work,
so two tills cannot overdraw a card. Selling a card carries no VAT (a multi-purpose voucher). Across branches
(DESIGN.md, "effects that must happen once per cause"): an expiry is keyed by the card, so it happens once
however many branches run it; a refund cannot be keyed, so head office checks refunds against redemptions
over the whole chain and raises the excess, and a till refunds no card while it cannot reach head office.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, cast

from core.giftcards.codes import generate_code, normalize_code
from core.kernel.arguments import fils_arg, int_arg, text_arg
from core.kernel.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.kernel.events import GiftCardSold
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.kernel.money import format_aed
from core.kernel.ports import Clock, UnitOfWork
from core.kernel.text import clean_text
from core.loyalty.rules import add_months
from core.offline.allowances import (
    Connectivity,
    DecreaseKind,
    OfflineAllowanceService,
    OfflineRepository,
    StandaloneLink,
)
from core.staff.auth import Actor, Permission


class Occasion(StrEnum):
    PLAIN = "plain"
    BIRTHDAY = "birthday"
    WEDDING = "wedding"
    EID = "eid"
    RAMADAN = "ramadan"
    NATIONAL_DAY = "national_day"
    CORPORATE = "corporate"


class CardStatus(StrEnum):
    ACTIVE = "active"
    DEPLETED = "depleted"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class TxKind(StrEnum):
    ISSUE = "issue"
    REDEEM = "redeem"
    REFUND = "refund"
    CANCEL = "cancel"
    EXPIRE = "expire"
    ADJUST = "adjust"


@dataclass(frozen=True)
class GiftCardPolicy:
    """Head office's rules for cards sold at this branch."""

    min_fils: int = 5_000
    max_fils: int = 1_000_000
    presets_fils: tuple[int, ...] = (10_000, 25_000, 50_000, 100_000, 200_000)
    validity_months: int = 12
    bulk_max: int = 500
    lookup_failures_allowed: int = 5
    lookup_window: timedelta = timedelta(minutes=10)


@dataclass(frozen=True)
class IssueRequest:
    amount_fils: int
    occasion: str = Occasion.PLAIN
    purchaser_customer_id: str | None = None
    recipient_customer_id: str | None = None
    recipient_name: str = ""
    from_name: str = ""
    message: str = ""
    validity_months: int | None = None


@dataclass(frozen=True)
class CardRecord:
    """What storage knows of a card (its terms); the balance comes from the ledger."""

    id: str
    code: str
    initial_fils: int
    occasion: str
    recipient_name: str | None
    message: str | None
    expires_on: date
    issued_at: datetime
    branch_id: str
    purchaser_customer_id: str | None
    recipient_customer_id: str | None
    from_name: str | None = None


@dataclass(frozen=True)
class Totals:
    balance_fils: int
    redeemed_fils: int  # positive: value taken by redemptions
    refunded_fils: int
    cancelled: bool
    expired_event: bool
    pending_offline_fils: int


@dataclass(frozen=True)
class GiftCardView:
    id: str
    code: str
    initial_fils: int
    balance_fils: int
    status: CardStatus
    occasion: Occasion
    recipient_name: str | None
    message: str | None
    expires_on: date
    issued_at: datetime
    purchaser_customer_id: str | None
    recipient_customer_id: str | None
    pending_offline_fils: int = 0
    from_name: str | None = None


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    kind: TxKind
    amount_fils: int
    running_fils: int
    branch_name: str
    branch_name_ar: str
    staff_name: str
    reason: str | None
    offline_pending: bool
    staff_name_ar: str = ""


@dataclass(frozen=True)
class PeriodRow:
    period: str  # YYYY-MM
    branch_name: str
    issued_fils: int
    redeemed_fils: int
    expired_fils: int
    cancelled_fils: int
    branch_name_ar: str = ""


@dataclass(frozen=True)
class GiftCardReport:
    liability_fils: int
    active_cards: int
    periods: list[PeriodRow] = field(default_factory=list)
    expiring: list[GiftCardView] = field(default_factory=list)


class GiftCardRepository(Protocol):
    def code_exists(self, code: str) -> bool: ...

    def add_card(self, values: dict[str, object]) -> str: ...

    def by_code(self, code: str) -> CardRecord | None: ...

    def totals(self, card_id: str) -> Totals: ...

    def with_totals(self, card_id: str) -> tuple[CardRecord, Totals] | None: ...

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
    ) -> str: ...

    def ledger(self, card_id: str) -> list[LedgerLine]: ...

    def due_to_expire(self, today: date) -> list[str]: ...

    def failed_lookups_since(self, since: datetime) -> int: ...

    def report(self, today: date, months: int, expiring_days: int) -> tuple[int, int, list[PeriodRow], list[str]]: ...

    def customer_segment(self, customer_id: str) -> str | None: ...


class GiftCardUnitOfWork(UnitOfWork, Protocol):
    giftcards: GiftCardRepository
    offline: OfflineRepository

    def security_event(self, kind: str, detail: dict[str, object]) -> None: ...


GiftCardUowFactory = Callable[[Actor | None], GiftCardUnitOfWork]


def expiry_event_id(card_id: str) -> str:
    """The id of a card's expire event, derived from its cause: every branch that expires the card writes the
    same event."""
    return stable_id("gift-card", card_id, "expire")


def _status(record: CardRecord, totals: Totals, today: date) -> CardStatus:
    if totals.cancelled:
        return CardStatus.CANCELLED
    if totals.expired_event or record.expires_on < today:
        return CardStatus.EXPIRED
    if totals.balance_fils <= 0:
        return CardStatus.DEPLETED
    return CardStatus.ACTIVE


def _view(record: CardRecord, totals: Totals, today: date) -> GiftCardView:
    return GiftCardView(
        id=record.id,
        code=record.code,
        initial_fils=record.initial_fils,
        balance_fils=totals.balance_fils,
        status=_status(record, totals, today),
        occasion=Occasion(record.occasion),
        recipient_name=record.recipient_name,
        message=record.message,
        expires_on=record.expires_on,
        issued_at=record.issued_at,
        purchaser_customer_id=record.purchaser_customer_id,
        recipient_customer_id=record.recipient_customer_id,
        pending_offline_fils=totals.pending_offline_fils,
        from_name=record.from_name,
    )


class LookupLocked(DomainError):
    """This till tried too many unknown codes; look-ups pause for a while."""


class GiftCardService:
    def __init__(
        self,
        uow: GiftCardUowFactory,
        clock: Clock,
        policy: GiftCardPolicy | None = None,
        connectivity: Connectivity | None = None,
        offline: OfflineAllowanceService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.policy = policy or GiftCardPolicy()
        self.connectivity: Connectivity = connectivity or StandaloneLink()
        # With head office configured, redemptions are decided by the offline allowance rules (core.offline.allowances).
        self.offline = offline

    # -- selling ------------------------------------------------------------------------------------------------
    def _validated(self, request: IssueRequest) -> dict[str, object]:
        p = self.policy
        if fils_arg(request.amount_fils) <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an amount above zero."), "amount")
        if not p.min_fils <= request.amount_fils <= p.max_fils:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "A gift card is between AED {min} and AED {max}."),
                "amount",
                min=p.min_fils // 100,
                max=p.max_fils // 100,
            )
        try:
            occasion = Occasion(request.occasion)
        except ValueError as exc:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Choose an occasion from the list."), "occasion") from exc
        months = int_arg(request.validity_months or p.validity_months, "validity_months")
        if not 1 <= months <= 60:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Validity is 1 to 60 months."), "validity_months")
        return {
            "initial_fils": request.amount_fils,
            "occasion": occasion.value,
            "purchaser_customer_id": request.purchaser_customer_id,
            "recipient_customer_id": request.recipient_customer_id,
            "recipient_name": clean_text(request.recipient_name, "recipient_name", max_length=80),
            "from_name": clean_text(request.from_name, "from_name", max_length=80),
            "message": clean_text(request.message, "message", max_length=300, multiline=True),
            "expires_on": add_months(self._clock.today(), months),
        }

    def _new_card(self, uow: GiftCardUnitOfWork, values: dict[str, object]) -> str:
        repo = uow.giftcards
        code = generate_code()
        while repo.code_exists(code):  # 54 random bits: a clash is astronomically rare, but never a duplicate
            code = generate_code()
        card_id = repo.add_card({**values, "code": code})
        amount = int(str(values["initial_fils"]))
        repo.add_event(card_id, TxKind.ISSUE, amount)
        uow.raise_event(
            GiftCardSold(
                card_id=card_id,
                amount_fils=amount,
                occasion=str(values["occasion"]),
                expires_on=cast(date, values["expires_on"]),
                purchaser_customer_id=cast(str | None, values["purchaser_customer_id"]),
                recipient_customer_id=cast(str | None, values["recipient_customer_id"]),
                recipient_name=cast(str | None, values["recipient_name"]),
                from_name=cast(str | None, values["from_name"]),
                message=cast(str | None, values["message"]),
            )
        )
        return card_id

    def issue(self, actor: Actor, request: IssueRequest) -> GiftCardView:
        """Sells one card. Works offline: new value is safe (DESIGN.md)."""
        actor.require(Permission.SELL_GIFT_CARDS)
        values = self._validated(request)
        with self._uow(actor) as uow:
            card_id = self._new_card(uow, values)
            view = self._load(uow, card_id)
            uow.commit()
        return view

    def issue_bulk(
        self, actor: Actor, corporate_customer_id: str, count: int, request: IssueRequest
    ) -> list[GiftCardView]:
        """N identical cards for a corporate customer, all in one transaction (all or none)."""
        actor.require(Permission.SELL_GIFT_CARDS)
        if not 1 <= int_arg(count, "count") <= self.policy.bulk_max:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Issue between 1 and {max} cards at once."), "count", max=self.policy.bulk_max
            )
        values = self._validated(request)
        values["purchaser_customer_id"] = corporate_customer_id
        with self._uow(actor) as uow:
            if uow.giftcards.customer_segment(corporate_customer_id) != "corporate":
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "Bulk cards are for corporate customers. Choose a corporate account."),
                    "customer",
                )
            ids = [self._new_card(uow, values) for _ in range(count)]
            views = [self._load(uow, card_id) for card_id in ids]
            uow.commit()
        return views

    # -- finding ------------------------------------------------------------------------------------------------
    def find(self, actor: Actor, typed_or_scanned: str) -> GiftCardView:
        """A typed or scanned code (or our QR's URL) → the card. Unknown codes count against this till."""
        actor.require(Permission.VIEW_GIFT_CARDS)
        code = normalize_code(text_arg(typed_or_scanned, "code"))  # typos are caught here, before any look-up
        with self._uow(actor) as uow:
            record = self._look_up(uow, code, commit_refusal=True)
            view = self._load(uow, record.id)
            if view.status == CardStatus.EXPIRED and view.balance_fils > 0:
                uow.giftcards.add_event(record.id, TxKind.EXPIRE, -view.balance_fils, reason="validity ended")
                view = self._load(uow, record.id)
            uow.commit()
        return view

    def _look_up(self, uow: GiftCardUnitOfWork, code: str, *, commit_refusal: bool) -> CardRecord:
        """The one way a code becomes a card, wherever it was typed: refused while this till is locked out,
        and an unknown code counted against the till. ``commit_refusal`` keeps the count when the unit of
        work is the look-up's own; inside a sale's unit of work the sale's rollback would drop it, which is
        why the sale resolves its code first (``GiftCardSaleTender.resolve``)."""
        failures = uow.giftcards.failed_lookups_since(self._clock.now() - self.policy.lookup_window)
        if failures >= self.policy.lookup_failures_allowed:
            uow.security_event("giftcard_lookup_locked", {"failures": failures})
            if commit_refusal:
                uow.commit()
            raise LookupLocked(
                QT_TRANSLATE_NOOP(
                    "core",
                    "Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minutes; "
                    "ask a manager.",
                ),
                "code",
                minutes=int(self.policy.lookup_window.total_seconds() // 60),
            )
        record = uow.giftcards.by_code(code)
        if record is None:
            uow.security_event("giftcard_lookup_failed", {"code_tail": code[-4:]})
            if commit_refusal:
                uow.commit()
            raise NotFound(QT_TRANSLATE_NOOP("core", "No gift card has this code. Check it with the customer."), "code")
        return record

    def get(self, card_id: str) -> GiftCardView:
        with self._uow(None) as uow:
            return self._load(uow, card_id)

    def _load(self, uow: GiftCardUnitOfWork, card_id: str) -> GiftCardView:
        found = uow.giftcards.with_totals(card_id)
        if found is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This gift card no longer exists."), "code")
        return _view(*found, self._clock.today())

    # -- money moves --------------------------------------------------------------------------------------------
    def redeem(self, actor: Actor, card_id: str, amount_fils: int, order_id: str | None = None) -> GiftCardView:
        """Takes ``amount_fils`` off the card. Refused offline (no allowance yet), over the balance, or for a
        card that is cancelled, expired or empty."""
        actor.require(Permission.REDEEM_GIFT_CARDS)  # before a writing transaction is opened
        with self._uow(actor) as uow:
            view = self.redeem_in(uow, actor, card_id, amount_fils, order_id)
            uow.commit()
        return view

    def redeem_in(
        self, uow: GiftCardUnitOfWork, actor: Actor, card_id: str, amount_fils: int, order_id: str | None = None
    ) -> GiftCardView:
        """``redeem`` inside a caller's unit of work (a sale paying part with a card commits both together)."""
        actor.require(Permission.REDEEM_GIFT_CARDS)
        self._positive(amount_fils)
        if self.offline is None and self.connectivity.is_offline():
            raise DomainError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "Head office cannot be reached, so gift cards cannot be redeemed right now. "
                    "Take another payment method.",
                ),
                "amount",
            )
        view = self._load(uow, card_id)
        self._usable(view)
        if amount_fils > view.balance_fils:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "The card holds only {balance}; enter at most that."),
                "amount",
                balance=format_aed(view.balance_fils),
            )
        event_id: str | None = None
        pending = False
        if self.offline is not None:
            event_id, pending = self.offline.hold(DecreaseKind.GIFT_CARD, card_id, amount_fils, uow)
        uow.giftcards.add_event(
            card_id, TxKind.REDEEM, -amount_fils, order_id=order_id, event_id=event_id, offline_pending=pending
        )
        balance = view.balance_fils - amount_fils
        return replace(view, balance_fils=balance, status=CardStatus.DEPLETED if balance == 0 else view.status)

    def refund(
        self, actor: Actor, card_id: str, amount_fils: int, reason: str, order_id: str | None = None
    ) -> GiftCardView:
        """Puts value back on a card; never more than was taken off it. Refused while head office is out of
        reach: this till knows only the refunds it has heard of, and another branch may be refunding the same
        redemptions (DESIGN.md: refunds are limited across branches). A return of a receipt sold here still
        refunds its card offline (``refund_in``, through the return); head office raises any excess."""
        actor.require(Permission.REDEEM_GIFT_CARDS)  # first: a refused role hears that, not whether HO is up
        if self.connectivity.is_offline():
            raise DomainError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "Head office cannot be reached, so a card refund cannot be checked against the other "
                    "branches now. Refund it once this branch is online again.",
                ),
                "amount",
            )
        with self._uow(actor) as uow:
            self.refund_in(uow, actor, card_id, amount_fils, reason, order_id)
            view = self._load(uow, card_id)
            uow.commit()
        return view

    def refund_in(
        self,
        uow: GiftCardUnitOfWork,
        actor: Actor,
        card_id: str,
        amount_fils: int,
        reason: str,
        order_id: str | None = None,
    ) -> None:
        """``refund`` inside a caller's unit of work (a return puts the card's share back with the order)."""
        actor.require(Permission.REDEEM_GIFT_CARDS)
        self._positive(amount_fils)
        why = clean_text(reason, "reason", max_length=200, required=True)
        view = self._load(uow, card_id)
        if view.status in (CardStatus.CANCELLED, CardStatus.EXPIRED):
            self._usable(view)
        totals = uow.giftcards.totals(card_id)
        refundable = totals.redeemed_fils - totals.refunded_fils
        if amount_fils > refundable:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Only {refundable} was paid with this card; refund at most that."),
                "amount",
                refundable=format_aed(refundable),
            )
        uow.giftcards.add_event(card_id, TxKind.REFUND, amount_fils, reason=why, order_id=order_id)

    def card_id_for(self, uow: GiftCardUnitOfWork, code: str, *, typed: bool = True) -> str:
        """A code inside a caller's unit of work → the card, through the same lock and counter as ``find``.
        ``typed=False`` for a code read back from one of our own orders (a return): not a guess, so a locked
        till still gives the money back."""
        code = normalize_code(text_arg(code, "code"))
        if typed:
            return self._look_up(uow, code, commit_refusal=False).id
        record = uow.giftcards.by_code(code)
        if record is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This gift card no longer exists."), "code")
        return record.id

    def tender(self) -> GiftCardSaleTender:
        """The gift-card tender of a sale or a return: works inside the sale's own unit of work."""
        return GiftCardSaleTender(self)

    def cancel(self, actor: Actor, card_id: str, reason: str) -> GiftCardView:
        """Manager only, with a reason: the remaining balance leaves the card as a cancel event."""
        if not actor.can(Permission.CANCEL_GIFT_CARDS):
            raise PermissionDenied(QT_TRANSLATE_NOOP("core", "Only a manager can cancel a gift card."))
        why = clean_text(reason, "reason", max_length=200, required=True)
        with self._uow(actor) as uow:
            view = self._load(uow, card_id)
            if view.status == CardStatus.CANCELLED:
                raise ValidationError(QT_TRANSLATE_NOOP("core", "This card is already cancelled."), "code")
            uow.giftcards.add_event(card_id, TxKind.CANCEL, -max(0, view.balance_fils), reason=why)
            view = self._load(uow, card_id)
            uow.commit()
        return view

    def expire_due(self, actor: Actor) -> int:
        """Writes an expire event for every card past its validity that still holds value; returns how many.

        A card expires once, whichever branches run this while apart (DESIGN.md, "effects that must happen
        once per cause"): the event's id is derived from the card, so the ledger union keeps one, and a card
        whose expiry another branch already wrote is left alone."""
        today = self._clock.today()
        count = 0
        with self._uow(actor) as uow:
            for card_id in uow.giftcards.due_to_expire(today):
                view = self._load(uow, card_id)
                if uow.giftcards.totals(card_id).expired_event:
                    continue
                if view.balance_fils > 0 and view.status != CardStatus.CANCELLED:
                    uow.giftcards.add_event(
                        card_id,
                        TxKind.EXPIRE,
                        -view.balance_fils,
                        reason="validity ended",
                        event_id=expiry_event_id(card_id),
                    )
                    count += 1
            uow.commit()
        return count

    # -- explaining ---------------------------------------------------------------------------------------------
    def ledger(self, actor: Actor, card_id: str) -> list[LedgerLine]:
        """Every event of the card, oldest first, with the running balance after it."""
        actor.require(Permission.VIEW_GIFT_CARDS)
        with self._uow(None) as uow:
            return uow.giftcards.ledger(card_id)

    def report(self, actor: Actor, months: int = 6, expiring_days: int = 30) -> GiftCardReport:
        actor.require(Permission.VIEW_GIFT_CARD_REPORTS)
        today = self._clock.today()
        with self._uow(None) as uow:
            liability, active, periods, expiring_ids = uow.giftcards.report(today, months, expiring_days)
            expiring = [self._load(uow, card_id) for card_id in expiring_ids]
        return GiftCardReport(liability, active, periods, expiring)

    # -- rules --------------------------------------------------------------------------------------------------
    @staticmethod
    def _positive(amount_fils: int) -> None:
        if fils_arg(amount_fils) <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an amount above zero."), "amount")

    @staticmethod
    def _usable(view: GiftCardView) -> None:
        if view.status == CardStatus.CANCELLED:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This card was cancelled and cannot be used."), "code")
        if view.status == CardStatus.EXPIRED:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "This card expired on {date} and cannot be used."),
                "code",
                date=view.expires_on.isoformat(),
            )
        if view.status == CardStatus.DEPLETED:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This card has no balance left."), "code")


class GiftCardSaleTender:
    """core.purchases.ports.GiftCardTender over this service: the card's event commits with the order, or not at all."""

    def __init__(self, service: GiftCardService) -> None:
        self._service = service

    def resolve(self, actor: Actor, code: str) -> str:
        """The typed or scanned code in canonical form, looked up before the sale's unit of work opens: in
        its own unit of work, so an unknown code counts against this till (and a locked till refuses) even
        though the sale then fails and rolls back."""
        return self._service.find(actor, code).code

    def redeem(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None:
        work = cast(GiftCardUnitOfWork, uow)
        self._service.redeem_in(work, actor, self._service.card_id_for(work, code), amount_fils, order_id)

    def refund(self, actor: Actor, code: str, amount_fils: int, order_id: str, uow: object) -> None:
        work = cast(GiftCardUnitOfWork, uow)
        card_id = self._service.card_id_for(work, code, typed=False)
        self._service.refund_in(work, actor, card_id, amount_fils, "purchase returned", order_id)
