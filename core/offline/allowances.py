"""Offline allowances: how much a till may take off a gift card or a points account while head office is
out of reach (DESIGN.md, "Offline gift cards and points").

New value is safe offline (selling a card, earning points). Reversals are not: a refund or a return may be
taken at another branch at the same moment, so offline a till takes back only receipts sold at its own branch
and refunds no card outside such a return, and head office checks refunds and returns across branches and
raises any excess as an exception (DESIGN.md, "effects that must happen once per cause").

Decreases offline are refused unless head office granted this branch an allowance: per card (or points
account) at most min(last-known balance after local pending decreases, the cap minus what is already pending
on it); per branch a total per outage; only within N hours of the last contact with head office and with
balances brought up to date within T hours. Every offline decrease is pending until head office acknowledges
it; an overspend found at sync is recorded there, never rejected, so the worst-case loss is the sum of the
branches' allowances. Online, head office itself confirms the decrease
against the chain's ledger (and holds the amount until the branch's event reaches it, or releases it when
the use case that asked rolls back).

The rules are pure functions; ``OfflineAllowanceService`` applies them inside the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import new_id
from core.kernel.money import format_aed
from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.staff.auth import Actor, Permission


class DecreaseKind(StrEnum):
    GIFT_CARD = "gift_card"  # subject: a gift card id; amounts in fils
    POINTS = "points"  # subject: a loyalty account id; amounts in points


class LinkState(StrEnum):
    STANDALONE = "standalone"  # no head office configured: this store is the only truth
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"


class SyncProblem(StrEnum):
    """Why the last sync attempt failed; the UI says it in words."""

    UNREACHABLE = "unreachable"
    CREDENTIALS = "credentials"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    SERVER = "server"
    STORE = "store"


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # push | pull | resync
    done: int
    total: int


@dataclass(frozen=True)
class SyncStatus:
    state: LinkState
    unsynced: int = 0
    last_success_at: datetime | None = None
    problem: SyncProblem | None = None
    detail: str = ""  # the technical words behind ``problem`` (for a tooltip), never shown alone
    progress: SyncProgress | None = None
    headoffice: str = ""
    clock_ahead_s: float = 0.0  # how far this till's clock runs ahead of head office's (negative: behind)
    secret_in_file: bool = False  # no OS keyring here: the branch secret is kept in a 0600 file


@dataclass(frozen=True)
class OfflineAllowance:
    kind: DecreaseKind
    per_subject_cap: int  # most that may be pending on one card / account
    branch_total: int  # most that may be pending at this branch in one outage
    max_offline_hours: float  # offline decreases stop this long after the last contact with head office
    max_snapshot_age_hours: float  # ... and when balances are older than this
    granted_at: datetime | None = None

    @property
    def grants_anything(self) -> bool:
        return self.per_subject_cap > 0 and self.branch_total > 0


@dataclass(frozen=True)
class OnlineAuthorization:
    approved: bool
    balance: int  # head office's balance for the subject, less amounts it holds for other tills
    known: bool = True  # False: head office has not received the card / account yet


@dataclass(frozen=True)
class SyncException:
    """An overspend head office found at sync (or a clock stamp it corrected): recorded, never rejected."""

    id: int
    kind: str  # gift_card | points (overspends) | refund | return (beyond the limit across branches) | clock
    subject_id: str
    branch_id: str
    event_id: str
    amount: int
    balance_after: int
    detected_at: datetime
    detail: str = ""
    subject_label: str = ""  # the card's code or the loyalty card number, when this store knows it


@dataclass(frozen=True)
class Decision:
    """May this decrease go ahead; if so, is it pending (offline) and which id its ledger row must carry."""

    allowed: bool
    pending: bool
    limit: int  # the most this decrease could be right now
    hold_id: str
    reason: str = ""  # QT_TRANSLATE_NOOP source, when refused
    params: dict[str, Any] = field(default_factory=dict)

    def require(self, field: str = "amount") -> None:
        """Raises the refusal as a ValidationError on ``field`` (nothing has been written)."""
        if not self.allowed:
            raise ValidationError(self.reason, field, **self.params)


# -- the rules --------------------------------------------------------------------------------------------------


def _amount(kind: DecreaseKind, value: int) -> str:
    return format_aed(value) if kind == DecreaseKind.GIFT_CARD else f"{value:,}"


def _refuse(kind: DecreaseKind, hold_id: str, most: int, reason: str, **params: Any) -> Decision:
    del kind
    return Decision(False, False, max(0, most), hold_id, reason, params)


def decide_offline(
    kind: DecreaseKind,
    amount: int,
    allowance: OfflineAllowance | None,
    *,
    balance: int,
    subject_pending: int,
    branch_pending: int,
    last_contact: datetime | None,
    balances_at: datetime | None,
    now: datetime,
    hold_id: str,
) -> Decision:
    """The offline rule. ``balance`` is the local ledger sum (local pending decreases already taken off);
    ``subject_pending`` / ``branch_pending`` are the offline decreases head office has not acknowledged."""
    if allowance is None or not allowance.grants_anything:
        return _refuse(
            kind,
            hold_id,
            0,
            QT_TRANSLATE_NOOP(
                "core",
                "Head office cannot be reached and has not allowed this branch to take redemptions offline. "
                "Take another payment method.",
            ),
        )
    if last_contact is None or now - last_contact > timedelta(hours=allowance.max_offline_hours):
        return _refuse(
            kind,
            hold_id,
            0,
            QT_TRANSLATE_NOOP(
                "core",
                "This branch has been out of touch with head office for more than {hours} hours, so "
                "redemptions wait until it is back. Take another payment method.",
            ),
            hours=f"{allowance.max_offline_hours:g}",
        )
    if balances_at is None or now - balances_at > timedelta(hours=allowance.max_snapshot_age_hours):
        return _refuse(
            kind,
            hold_id,
            0,
            QT_TRANSLATE_NOOP(
                "core",
                "Balances here were last brought up to date more than {hours} hours ago, so redemptions wait "
                "until head office is back. Take another payment method.",
            ),
            hours=f"{allowance.max_snapshot_age_hours:g}",
        )
    branch_room = allowance.branch_total - branch_pending
    subject_room = min(balance, allowance.per_subject_cap - subject_pending)
    limit = max(0, min(branch_room, subject_room))
    if amount <= limit:
        return Decision(True, True, limit, hold_id)
    if branch_room < amount and branch_room <= subject_room:
        return _refuse(
            kind,
            hold_id,
            limit,
            QT_TRANSLATE_NOOP(
                "core",
                "This branch has used its offline allowance for this outage; at most {limit} more can be taken "
                "until head office is back.",
            ),
            limit=_amount(kind, max(0, limit)),
        )
    return _refuse(
        kind,
        hold_id,
        limit,
        QT_TRANSLATE_NOOP("core", "While head office cannot be reached, at most {limit} can be taken from this now."),
        limit=_amount(kind, max(0, limit)),
    )


def decide_local(kind: DecreaseKind, amount: int, balance: int, hold_id: str) -> Decision:
    """Standalone store: its own ledger is the truth."""
    if amount <= balance:
        return Decision(True, False, balance, hold_id)
    return _refuse(
        kind,
        hold_id,
        balance,
        QT_TRANSLATE_NOOP("core", "The balance is only {balance}; enter at most that."),
        balance=_amount(kind, max(0, balance)),
    )


def decide_online(kind: DecreaseKind, amount: int, answer: OnlineAuthorization, hold_id: str) -> Decision:
    if answer.approved:
        return Decision(True, False, answer.balance, hold_id)
    if not answer.known:
        return _refuse(
            kind,
            hold_id,
            0,
            QT_TRANSLATE_NOOP("core", "Head office has not received this card or account yet. Try again in a minute."),
        )
    return _refuse(
        kind,
        hold_id,
        answer.balance,
        QT_TRANSLATE_NOOP("core", "Head office holds a balance of only {balance}; enter at most that."),
        balance=_amount(kind, max(0, answer.balance)),
    )


# -- ports ------------------------------------------------------------------------------------------------------


class Connectivity(Protocol):
    """The head-office link as the till's services see it (the sync worker, or ``StandaloneLink``)."""

    def is_offline(self) -> bool: ...

    def link_state(self) -> LinkState: ...

    def authorize_online(
        self, kind: DecreaseKind, subject_id: str, amount: int, hold_id: str
    ) -> OnlineAuthorization | None:
        """Head office's confirmation; None when it cannot be reached (the offline rules apply then)."""
        ...

    def release_online(self, hold_ids: list[str]) -> None:
        """Lets head office release holds whose use case rolled back; best effort (a hold also expires)."""
        ...


class SyncControl(Protocol):
    """What the UI may see and ask of the sync worker."""

    def link_state(self) -> LinkState: ...

    def status(self) -> SyncStatus: ...

    def sync_now(self) -> None: ...

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> None:
        """``listener`` is called with every new status, on the worker's thread."""
        ...


class HeadOfficeLink(Connectivity, SyncControl, Protocol):
    """The sync worker (or ``StandaloneLink``): what the services and the UI see of head office."""


class StandaloneLink:
    """No head office configured: this store works alone and says so."""

    def __init__(self, unsynced: Callable[[], int] | None = None) -> None:
        self._unsynced = unsynced

    def is_offline(self) -> bool:
        return False

    def link_state(self) -> LinkState:
        return LinkState.STANDALONE

    def authorize_online(
        self, kind: DecreaseKind, subject_id: str, amount: int, hold_id: str
    ) -> OnlineAuthorization | None:
        return None

    def release_online(self, hold_ids: list[str]) -> None:
        del hold_ids

    def status(self) -> SyncStatus:
        return SyncStatus(LinkState.STANDALONE, self._unsynced() if self._unsynced else 0)

    def sync_now(self) -> None:
        return None

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> None:
        del listener


class OfflineRepository(Protocol):
    def allowance(self, kind: DecreaseKind) -> OfflineAllowance | None: ...

    def allowances(self) -> list[OfflineAllowance]: ...

    def balance(self, kind: DecreaseKind, subject_id: str) -> int: ...

    def pending(self, kind: DecreaseKind, subject_id: str | None = None) -> int:
        """Offline decreases head office has not acknowledged (for one subject, or the whole branch)."""
        ...

    def last_contact_at(self) -> datetime | None: ...

    def balances_at(self) -> datetime | None:
        """When pulled changes last brought this store's ledgers up to date."""
        ...

    def record_approval(self, hold_id: str, kind: DecreaseKind, subject_id: str, amount: int) -> None: ...

    def exceptions(self, limit: int) -> list[SyncException]: ...


class OfflineUnitOfWork(UnitOfWork, Protocol):
    offline: OfflineRepository


class OfflineAllowanceService:
    """Decides decreases of gift cards and points at the till; the gift-card and loyalty services call it in
    their own unit of work, then write the ledger row with ``id=decision.hold_id`` and
    ``offline_pending=decision.pending``."""

    def __init__(self, uow: UnitOfWorkFactory[OfflineUnitOfWork], clock: Clock, link: Connectivity) -> None:
        self._uow = uow
        self._clock = clock
        self.link = link

    def authorize_decrease(
        self,
        kind: DecreaseKind | str,
        subject_id: str,
        amount: int,
        uow: OfflineUnitOfWork,
        hold_id: str | None = None,
    ) -> Decision:
        """Refuses a non-positive amount (ValidationError); otherwise returns the Decision. An allowed offline
        decrease is recorded as pending in the same unit of work, so it counts against the allowance even if
        the till restarts."""
        kind = DecreaseKind(kind)
        if amount <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an amount above zero."), "amount")
        hold = hold_id or new_id()
        repo = uow.offline
        state = self.link.link_state()
        if state not in (LinkState.STANDALONE, LinkState.OFFLINE):
            answer = self.link.authorize_online(kind, subject_id, amount, hold)
            if answer is not None:
                decision = decide_online(kind, amount, answer, hold)  # head office's balance, not ours
                if decision.allowed:
                    # Head office now holds the amount until this decrease's event reaches it. If the use case
                    # rolls back (a later tender refused), that event never comes: let the hold go at once.
                    link = self.link
                    uow.on_rollback(lambda: link.release_online([hold]))
                return decision
        balance = repo.balance(kind, subject_id)
        if state == LinkState.STANDALONE:
            return decide_local(kind, amount, balance, hold)
        decision = decide_offline(
            kind,
            amount,
            repo.allowance(kind),
            balance=balance,
            subject_pending=repo.pending(kind, subject_id),
            branch_pending=repo.pending(kind),
            last_contact=repo.last_contact_at(),
            balances_at=repo.balances_at(),
            now=self._clock.now(),
            hold_id=hold,
        )
        if decision.allowed:
            repo.record_approval(hold, kind, subject_id, amount)
        return decision

    def hold(
        self, kind: DecreaseKind, subject_id: str, amount: int, uow: OfflineUnitOfWork, field: str = "amount"
    ) -> tuple[str, bool]:
        """``authorize_decrease``, refused as a ValidationError on ``field``; otherwise the id the decrease's
        ledger row must carry and whether it is pending."""
        decision = self.authorize_decrease(kind, subject_id, amount, uow)
        decision.require(field)
        return decision.hold_id, decision.pending

    def allowances(self) -> list[OfflineAllowance]:
        with self._uow(None) as uow:
            return uow.offline.allowances()

    def pending_total(self, kind: DecreaseKind | str, subject_id: str | None = None) -> int:
        with self._uow(None) as uow:
            return uow.offline.pending(DecreaseKind(kind), subject_id)

    def exceptions(self, actor: Actor, limit: int = 500) -> list[SyncException]:
        """Overspends and corrected clock stamps head office reported for this branch (managers)."""
        actor.require(Permission.VIEW_SYNC)
        with self._uow(None) as uow:
            return uow.offline.exceptions(limit)
