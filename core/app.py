"""What the UI is given: the core services and a few facts about this store. storage.bootstrap builds it;
the UI sees only this Protocol, so it never learns how the services were wired."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.kernel.ports import BranchInfo, Clock

if TYPE_CHECKING:
    from core.analytics.figures import AnalyticsService
    from core.analytics.service import CustomerAnalyticsService
    from core.campaigns.audience_service import AudienceService
    from core.campaigns.calendar_service import CalendarService
    from core.campaigns.executor import CampaignExecutor
    from core.campaigns.service import CampaignService
    from core.customers.service import CustomerService
    from core.feedback.service import FeedbackService
    from core.giftcards.service import GiftCardService
    from core.loyalty.rewards import RewardService
    from core.loyalty.service import LoyaltyService
    from core.messaging.consent_service import ConsentService
    from core.messaging.dispatch import Dispatcher
    from core.messaging.service import MessagingService
    from core.messaging.shopper_messages import ShopperMessageService
    from core.offline.allowances import OfflineAllowanceService, SyncControl
    from core.privacy.erasure import ErasureService
    from core.privacy.export import CustomerDataExport
    from core.privacy.service import AuditTrailService
    from core.purchases.service import PurchaseService
    from core.receipts.service import ReceiptService
    from core.shoppers.service import ShopperService
    from core.staff.service import StaffService
    from core.tickets.service import TicketService


class AppServices(Protocol):
    """What the UI is given: the core services and a few facts about this store."""

    @property
    def clock(self) -> Clock: ...

    @property
    def customers(self) -> CustomerService: ...

    @property
    def staff(self) -> StaffService: ...

    @property
    def giftcards(self) -> GiftCardService: ...

    @property
    def shoppers(self) -> ShopperService: ...

    @property
    def offline(self) -> OfflineAllowanceService: ...

    @property
    def sync(self) -> SyncControl: ...

    @property
    def purchases(self) -> PurchaseService: ...

    @property
    def loyalty(self) -> LoyaltyService: ...

    @property
    def rewards(self) -> RewardService: ...

    @property
    def receipts(self) -> ReceiptService: ...

    @property
    def consents(self) -> ConsentService: ...

    @property
    def calendar(self) -> CalendarService: ...

    @property
    def messages(self) -> MessagingService: ...

    @property
    def shopper_messages(self) -> ShopperMessageService: ...

    @property
    def audiences(self) -> AudienceService: ...

    @property
    def campaigns(self) -> CampaignService: ...

    @property
    def feedback(self) -> FeedbackService: ...

    @property
    def tickets(self) -> TicketService: ...

    @property
    def audit_trail(self) -> AuditTrailService: ...

    @property
    def erasure(self) -> ErasureService: ...

    @property
    def customer_export(self) -> CustomerDataExport: ...

    @property
    def customer_analytics(self) -> CustomerAnalyticsService: ...

    @property
    def analytics(self) -> AnalyticsService: ...

    @property
    def outbox(self) -> Dispatcher | None:
        """The message dispatcher of a standalone store with a channel configured; None in a chain (head office
        sends) or where no channel has credentials."""
        ...

    @property
    def campaign_executor(self) -> CampaignExecutor | None:
        """A standalone store's campaign executor; None in a chain (head office executes campaigns)."""
        ...

    def branch(self) -> BranchInfo | None: ...

    def unsynced_changes(self) -> int: ...

    def store_location(self) -> str: ...

    def store_key_in_file(self) -> bool:
        """Whether the store's key is kept in a 0600 file because this computer has no keyring."""
        ...

    def is_demo(self) -> bool: ...
