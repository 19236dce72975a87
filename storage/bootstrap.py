"""Wires core services to this store. main.py, the tests and the benchmarks build the app the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text

from core.analytics.figures import AnalyticsService
from core.analytics.service import CustomerAnalyticsService
from core.campaigns.audience_service import AudienceService
from core.campaigns.calendar_service import OVERRIDES_SETTING_KEY, CalendarService
from core.campaigns.executor import CampaignExecutor
from core.campaigns.offers import CampaignOffers
from core.campaigns.service import CampaignService
from core.customers.service import CustomerService
from core.feedback import handlers as feedback_handlers
from core.feedback.service import FeedbackService
from core.giftcards.service import GiftCardService
from core.inbound.service import InboundService
from core.kernel.bus import EventBus, HandlerTable
from core.kernel.clock import SystemClock
from core.kernel.events import LowScoreReceived
from core.kernel.ports import BranchInfo, Clock
from core.loyalty.rewards import RewardService
from core.loyalty.rules import RULES_SETTING_KEY, ProgramRules
from core.loyalty.service import LoyaltyService
from core.messaging import handlers as messaging_handlers
from core.messaging.consent_service import ConsentService
from core.messaging.dispatch import Dispatcher
from core.messaging.service import MessagingService
from core.messaging.shopper_messages import ShopperMessageService
from core.messaging.sms import PartsLimit, SmsRates
from core.offline.allowances import HeadOfficeLink, OfflineAllowanceService, StandaloneLink, SyncControl
from core.privacy.erasure import ErasureService
from core.privacy.export import CustomerDataExport
from core.privacy.service import AuditTrailService
from core.purchases.service import PurchaseService
from core.receipts.service import ReceiptService
from core.shoppers.service import ShopperService
from core.staff.auth import Actor, Role
from core.staff.service import StaffService
from core.tickets.service import TicketService
from storage.db import Store
from storage.repositories.figures import SqlFigures, SqlHistory
from storage.repositories.shoppers import CachedTierLookup
from storage.uow import uow_factory


def adopt_calendar_setting(store: Store, calendar: CalendarService) -> None:
    """A store from before the announced dates replicated kept them in its own settings: they move into the
    register, once, through a unit of work (each row logged, so they reach the chain)."""
    if store.settings.get(OVERRIDES_SETTING_KEY) and store.branch_id:
        calendar.adopt_setting(Actor("", store.branch_id, Role.ADMIN, "upgrade"))
        store.settings[OVERRIDES_SETTING_KEY] = ""


@dataclass
class Services:
    store: Store
    clock: Clock
    customers: CustomerService
    staff: StaffService
    giftcards: GiftCardService
    shoppers: ShopperService
    offline: OfflineAllowanceService
    sync: SyncControl
    purchases: PurchaseService
    loyalty: LoyaltyService
    rewards: RewardService
    receipts: ReceiptService
    consents: ConsentService
    calendar: CalendarService
    messages: MessagingService
    shopper_messages: ShopperMessageService
    audiences: AudienceService
    campaigns: CampaignService
    feedback: FeedbackService
    tickets: TicketService
    inbound: InboundService
    audit_trail: AuditTrailService
    erasure: ErasureService
    customer_export: CustomerDataExport
    customer_analytics: CustomerAnalyticsService
    analytics: AnalyticsService
    outbox: Dispatcher | None = None  # main.py sets it for a standalone store that can send
    campaign_executor: CampaignExecutor | None = None  # main.py sets it for a standalone store (not in a chain)
    _branch: BranchInfo | None = field(default=None, init=False, repr=False)

    def branch(self) -> BranchInfo | None:
        """This store's branch. It never changes while the app runs, so it is read once, with plain SQL (the
        first ORM query configures every mapper, which start-up should not wait for)."""
        if self._branch is None:
            with self.store.read_engine.connect() as conn:
                row = conn.execute(
                    text("SELECT id, code, name_en, name_ar, location FROM branches WHERE id = :id"),
                    {"id": self.store.branch_id},
                ).first()
            self._branch = BranchInfo(*row) if row else None
        return self._branch

    def store_location(self) -> str:
        return str(self.store.path)

    def store_key_in_file(self) -> bool:
        return self.store.key_in_file

    def is_demo(self) -> bool:
        return self.store.settings.get("demo") == "1"

    def unsynced_changes(self) -> int:
        """Local changes head office has not acknowledged (O(1): the change log is gap-free)."""
        from storage.replica import SqlReplica

        return SqlReplica(self.store).unsynced()


def build_services(
    store: Store,
    clock: Clock | None = None,
    link: HeadOfficeLink | None = None,
    handlers: Iterable[HandlerTable] = (),
    sms: tuple[SmsRates, PartsLimit] | None = None,
) -> Services:
    """``link`` is the sync worker when a head office is configured; without it the store is standalone.
    ``handlers`` run after the app's own for each domain event (tests listen there). ``sms``: the SMS prices
    and parts limit the template editor checks against (main.py reads them from the environment)."""
    clock = clock or SystemClock()
    # Each capability offers its own handler table; adding one is a line here, never an edit of another's.
    bus = EventBus(messaging_handlers.HANDLERS, feedback_handlers.HANDLERS, *handlers)
    uow = uow_factory(store, clock, bus)
    services: Services | None = None

    def unsynced() -> int:
        return services.unsynced_changes() if services else 0

    head: HeadOfficeLink = link or StandaloneLink(unsynced)
    calendar = CalendarService(uow)
    tickets = TicketService(uow, clock)
    bus.subscribe(LowScoreReceived, tickets.on_low_score)  # a low score opens a ticket in its own transaction
    adopt_calendar_setting(store, calendar)
    offline = OfflineAllowanceService(uow, clock, head)
    giftcards = GiftCardService(uow, clock, connectivity=head, offline=offline if link else None)
    purchases = PurchaseService(
        uow,
        clock,
        head,
        gift_cards=giftcards.tender(),
        offline=offline if link else None,
        offers=CampaignOffers(clock),
    )
    feedback = FeedbackService(uow, clock, AudienceService(uow, clock))
    customer_analytics = CustomerAnalyticsService(uow, clock, branch_id=lambda: store.branch_id)
    services = Services(
        store,
        clock,
        CustomerService(uow, clock),
        StaffService(uow, clock),
        giftcards,
        ShopperService(uow, clock, CachedTierLookup(store)),
        offline=offline,
        sync=head,
        purchases=purchases,
        loyalty=LoyaltyService(uow, clock),
        rewards=RewardService(uow, clock, head, offline=offline if link else None),
        receipts=ReceiptService(uow, clock, purchases),
        consents=ConsentService(uow),
        calendar=calendar,
        messages=MessagingService(uow, *(sms or (None, None))),
        shopper_messages=ShopperMessageService(uow, clock),
        audiences=AudienceService(uow, clock),
        campaigns=CampaignService(uow, clock, calendar=lambda: calendar.calendar()),
        feedback=feedback,
        tickets=tickets,
        inbound=InboundService(uow, clock, feedback, tickets, lambda: store.branch_id),
        audit_trail=AuditTrailService(uow, clock),
        erasure=ErasureService(uow, clock),
        customer_export=CustomerDataExport(uow, clock),
        customer_analytics=customer_analytics,
        # A standalone store computes its own figures and customer rows; a branch of a chain pulls head office's.
        analytics=AnalyticsService(
            SqlFigures(store),
            clock,
            reader=None if link else (lambda: SqlHistory(store, lines=True)),
            rules=lambda: ProgramRules.from_json(store.settings.get(RULES_SETTING_KEY)),
            customer_rows=None if link else customer_analytics.save_rows,
        ),
    )
    return services
