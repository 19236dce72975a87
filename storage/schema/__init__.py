"""Every table of the branch store. Importing this package registers all models on Base.metadata."""

from storage.schema.base import Base, Ledger, Register, Synced
from storage.schema.commerce import (
    GiftCard,
    GiftCardTransaction,
    LoyaltyAccount,
    LoyaltyTransaction,
    Order,
    OrderLine,
    Reward,
    RewardClaim,
)
from storage.schema.engagement import (
    Campaign,
    CampaignExecution,
    Communication,
    CustomerFeedback,
    MessageTemplate,
    PersonalShopper,
    PersonalShopperAssignment,
    SupportTicket,
    TicketResponse,
)
from storage.schema.local import ChangeLog, HlcState, OrphanRow, StoreSetting, WaitingRow
from storage.schema.people import (
    Branch,
    Customer,
    CustomerAnalytics,
    CustomerHistory,
    CustomerPreference,
    SecurityEvent,
    Staff,
)
from storage.schema.service import FollowUp, RestockInterest, VipVisit
from storage.schema.sync import OfflineAllowanceRow, OfflineApproval, SyncExceptionRow

__all__ = [
    "Base",
    "Branch",
    "Campaign",
    "CampaignExecution",
    "ChangeLog",
    "Communication",
    "Customer",
    "CustomerAnalytics",
    "CustomerFeedback",
    "CustomerHistory",
    "CustomerPreference",
    "FollowUp",
    "GiftCard",
    "GiftCardTransaction",
    "HlcState",
    "Ledger",
    "LoyaltyAccount",
    "LoyaltyTransaction",
    "MessageTemplate",
    "OfflineAllowanceRow",
    "OfflineApproval",
    "Order",
    "OrderLine",
    "OrphanRow",
    "PersonalShopper",
    "PersonalShopperAssignment",
    "Register",
    "RestockInterest",
    "Reward",
    "RewardClaim",
    "SecurityEvent",
    "Staff",
    "StoreSetting",
    "SupportTicket",
    "SyncExceptionRow",
    "Synced",
    "TicketResponse",
    "VipVisit",
    "WaitingRow",
]
