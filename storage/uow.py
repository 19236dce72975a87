"""The unit of work: one use case, one SQLite transaction, with its change-log rows and the side effects of
the domain events it raised (their handlers run in the same transaction, just before it commits)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from types import TracebackType

from core.analytics.ports import CustomerAnalyticsRepository
from core.campaigns.audience_service import AudienceRepository
from core.campaigns.calendar_service import CalendarRepository
from core.campaigns.offers import OfferRepository
from core.campaigns.ports import CampaignRepository
from core.campaigns.results import ResultsRepository
from core.customers.ports import CustomerRepository
from core.feedback.ports import FeedbackRepository
from core.giftcards.service import GiftCardRepository
from core.inbound.ports import InboundRepository
from core.kernel.bus import EventBus
from core.kernel.events import DomainEvent
from core.kernel.ports import Clock
from core.loyalty.ports import LoyaltyRepository, OrderRepository, PreferenceRepository, RewardRepository
from core.messaging.ports import ConsentRepository, MessageRepository
from core.offline.allowances import OfflineRepository
from core.privacy.erasure import ErasureRepository
from core.privacy.export import CustomerRecords
from core.privacy.service import AuditTrailRepository
from core.receipts.service import SettingsRepository
from core.shoppers.service import ShopperRepository
from core.staff.auth import Actor
from core.staff.ports import StaffRepository
from core.tickets.service import TicketRepository
from storage.changelog import WRITE_KEY, WriteContext
from storage.db import Store
from storage.repositories.analytics import SqlCustomerAnalyticsRepository
from storage.repositories.audience import SqlAudienceRepository
from storage.repositories.audit import SqlAuditTrailRepository
from storage.repositories.calendar import SqlCalendarRepository
from storage.repositories.campaigns import SqlCampaignRepository, SqlOfferRepository, SqlResultsRepository
from storage.repositories.consent import SqlConsentRepository
from storage.repositories.customer_records import SqlCustomerRecords
from storage.repositories.erasure import SqlErasureRepository
from storage.repositories.feedback import SqlFeedbackRepository
from storage.repositories.giftcards import SqlGiftCardRepository
from storage.repositories.inbound import SqlInboundRepository
from storage.repositories.loyalty import SqlLoyaltyRepository, SqlPreferenceRepository, SqlRewardRepository
from storage.repositories.messaging import SqlMessageRepository
from storage.repositories.offline import SqlOfflineRepository
from storage.repositories.people import SqlCustomerRepository, SqlStaffRepository
from storage.repositories.purchases import SqlOrderRepository
from storage.repositories.settings import SqlSettingsRepository
from storage.repositories.shoppers import SqlShopperRepository
from storage.repositories.tickets import SqlTicketRepository
from storage.schema import Branch

log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """``SqlUnitOfWork(store, clock, actor)`` writes as ``actor``; with ``actor=None`` it only reads. Events
    raised on it go to ``bus``'s handlers when it commits (no bus: nobody listens).

    It satisfies every capability's unit-of-work Protocol structurally. The repositories are declared as core's
    ports, not as the SQL classes: a Protocol's attribute is writable, so mypy matches it only to the same
    type, and each assignment below checks that the SQL class implements its port."""

    customers: CustomerRepository
    staff: StaffRepository
    giftcards: GiftCardRepository
    orders: OrderRepository
    loyalty: LoyaltyRepository
    rewards: RewardRepository
    preferences: PreferenceRepository
    shoppers: ShopperRepository
    offline: OfflineRepository
    messages: MessageRepository
    settings: SettingsRepository
    consents: ConsentRepository
    audiences: AudienceRepository
    campaigns: CampaignRepository
    offers: OfferRepository
    campaign_results: ResultsRepository
    calendar: CalendarRepository
    feedback: FeedbackRepository
    tickets: TicketRepository
    inbound: InboundRepository
    audit_trail: AuditTrailRepository
    erasures: ErasureRepository
    customer_records: CustomerRecords
    customer_analytics: CustomerAnalyticsRepository

    def __init__(self, store: Store, clock: Clock, actor: Actor | None, bus: EventBus | None = None) -> None:
        self._store = store
        self._clock = clock
        self._actor = actor
        self._bus = bus or EventBus()
        self.events: list[DomainEvent] = []
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> SqlUnitOfWork:
        actor = self._actor
        now = self._clock.now() if actor else None
        self.session = self._store.write_session() if actor else self._store.read_session()
        if actor is not None and now is not None:
            self.session.info[WRITE_KEY] = WriteContext(
                branch_id=actor.branch_id, staff_id=actor.staff_id or None, clock=self._store.clock, now=now
            )
        self.session.begin()
        self.events = []
        self._undo = []
        self.customers = SqlCustomerRepository(self.session, self._branch_code)
        self.staff = SqlStaffRepository(self.session, self._store.terminal_id)
        self.giftcards = SqlGiftCardRepository(self.session, self._store.terminal_id)
        self.orders = SqlOrderRepository(self.session, actor.branch_id if actor else None, self._store.terminal_id)
        self.loyalty = SqlLoyaltyRepository(self.session)
        self.rewards = SqlRewardRepository(self.session)
        self.preferences = SqlPreferenceRepository(self.session)
        self.shoppers = SqlShopperRepository(self.session)
        self.offline = SqlOfflineRepository(self.session, now)
        self.messages = SqlMessageRepository(self.session, actor.branch_id if actor else None)
        self.settings = SqlSettingsRepository(self.session)
        self.consents = SqlConsentRepository(self.session)
        self.audiences = SqlAudienceRepository(self.session)
        self.campaigns = SqlCampaignRepository(self.session)
        self.offers = SqlOfferRepository(self.session)
        self.campaign_results = SqlResultsRepository(self.session)
        self.calendar = SqlCalendarRepository(self.session)
        self.feedback = SqlFeedbackRepository(self.session)
        self.tickets = SqlTicketRepository(self.session, actor.branch_id if actor else None, self._store.terminal_id)
        self.inbound = SqlInboundRepository(self.session)
        self.audit_trail = SqlAuditTrailRepository(self.session)
        self.erasures = SqlErasureRepository(self.session)
        self.customer_records = SqlCustomerRecords(self.session)
        self.customer_analytics = SqlCustomerAnalyticsRepository(self.session)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        rolled_back = False
        try:
            if self.session.in_transaction():
                rolled_back = True
                self.session.rollback()
        finally:
            self.events.clear()  # a rolled-back use case's events never reach a handler
            self.session.close()
            undo, self._undo = self._undo, []
        if rolled_back:
            for step in undo:
                try:
                    step()
                except Exception:  # an undo is best effort: it must not hide why the use case failed
                    log.warning("an undo step after a rollback failed", exc_info=True)

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Runs ``undo`` after this unit of work rolls back; dropped once it commits."""
        self._undo.append(undo)

    def _branch_code(self) -> str | None:
        if self._actor is None:
            return None
        branch = self.session.get(Branch, self._actor.branch_id)
        return branch.code if branch else None

    def security_event(self, kind: str, detail: dict[str, object]) -> None:
        """Audits a security-relevant event (failed look-ups, lockouts) in this transaction."""
        self.staff.log_security_event(kind, detail)

    def raise_event(self, event: DomainEvent) -> None:
        """Collects ``event``; its handlers run when this unit of work commits, in its transaction."""
        if self._actor is None:
            raise RuntimeError("a read-only unit of work raises no events")
        self.events.append(event)

    def collect_new_events(self) -> Iterator[DomainEvent]:
        """Each event once, oldest first, including those raised while the handlers run."""
        while self.events:
            yield self.events.pop(0)

    def commit(self) -> None:
        if self._actor is None:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._bus.handle(self)
        self.session.commit()
        self._undo = []


def uow_factory(store: Store, clock: Clock, bus: EventBus | None = None) -> Callable[[Actor | None], SqlUnitOfWork]:
    """The factory every service takes. Typed as the concrete unit of work, so mypy checks it against each
    capability's unit-of-work Protocol where storage.bootstrap hands it over."""

    def make(actor: Actor | None) -> SqlUnitOfWork:
        return SqlUnitOfWork(store, clock, actor, bus)

    return make
