"""Who may call what: every public service method that takes an ``actor``, and the permission it requires.

The table is the contract the services keep (each checks its permission first, before reading what it was sent,
so a refused role hears "not allowed" and nothing about the data) and what docs/ROLES.md shows: run
``python -m core.staff.access`` to write that file again after changing a row. tests/integration/test_roles.py
calls every such method, found by introspection, with every role on a real store and fails on a method missing
from this table or on a role that is refused where the table allows it, or allowed where it does not.

A row is one line: ``"Service.method": Permission.X`` (``ANYONE``: any signed-in staff).
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.staff.auth import ROLE_PERMISSIONS, Permission, Role

ANYONE = None  # any signed-in staff member: the method checks no permission

ACCESS: dict[str, Permission | None] = {
    "CustomerService.create": Permission.EDIT_CUSTOMERS,
    "CustomerService.history": Permission.VIEW_CUSTOMERS,
    "CustomerService.reveal": Permission.VIEW_CUSTOMERS,
    "CustomerService.update": Permission.EDIT_CUSTOMERS,
    "StaffService.unlock": Permission.UNLOCK_STAFF,
    "GiftCardService.cancel": Permission.CANCEL_GIFT_CARDS,
    "GiftCardService.expire_due": ANYONE,
    "GiftCardService.find": Permission.VIEW_GIFT_CARDS,
    "GiftCardService.issue": Permission.SELL_GIFT_CARDS,
    "GiftCardService.issue_bulk": Permission.SELL_GIFT_CARDS,
    "GiftCardService.ledger": Permission.VIEW_GIFT_CARDS,
    "GiftCardService.redeem": Permission.REDEEM_GIFT_CARDS,
    "GiftCardService.redeem_in": Permission.REDEEM_GIFT_CARDS,
    "GiftCardService.refund": Permission.REDEEM_GIFT_CARDS,
    "GiftCardService.refund_in": Permission.REDEEM_GIFT_CARDS,
    "GiftCardService.report": Permission.VIEW_GIFT_CARD_REPORTS,
    "ShopperService.assign": Permission.ASSIGN_SHOPPERS,
    "ShopperService.assignment_history": Permission.VIEW_OWN_VIPS,
    "ShopperService.close_follow_up": Permission.VIEW_OWN_VIPS,
    "ShopperService.create_profile": Permission.MANAGE_SHOPPERS,
    "ShopperService.flagged_visits": Permission.VIEW_ALL_VIPS,
    "ShopperService.log_visit": Permission.LOG_VIP_VISITS,
    "ShopperService.match": Permission.ASSIGN_SHOPPERS,
    "ShopperService.my_vips": Permission.VIEW_OWN_VIPS,
    "ShopperService.overdue_follow_ups": Permission.VIEW_ALL_VIPS,
    "ShopperService.performance": Permission.VIEW_SHOPPER_PERFORMANCE,
    "ShopperService.queue": Permission.ASSIGN_SHOPPERS,
    "ShopperService.recent_orders": Permission.LOG_VIP_VISITS,
    "ShopperService.shoppers": Permission.VIEW_ALL_VIPS,
    "ShopperService.staff_without_profile": Permission.MANAGE_SHOPPERS,
    "ShopperService.transfer": Permission.ASSIGN_SHOPPERS,
    "ShopperService.unassign": Permission.ASSIGN_SHOPPERS,
    "ShopperService.update_profile": Permission.MANAGE_SHOPPERS,
    "ShopperService.visits": Permission.VIEW_OWN_VIPS,
    "OfflineAllowanceService.exceptions": Permission.VIEW_SYNC,
    "PurchaseService.check_offer": Permission.RECORD_SALES,
    "PurchaseService.find_order": Permission.VIEW_LOYALTY,
    "PurchaseService.order": Permission.VIEW_LOYALTY,
    "PurchaseService.orders_of": Permission.VIEW_LOYALTY,
    "PurchaseService.product": Permission.RECORD_SALES,
    "PurchaseService.quote": Permission.RECORD_SALES,
    "PurchaseService.record_return": Permission.PROCESS_RETURNS,
    "PurchaseService.record_sale": Permission.RECORD_SALES,
    "LoyaltyService.add_to_wait_list": Permission.EDIT_CUSTOMERS,
    "LoyaltyService.card": Permission.VIEW_LOYALTY,
    "LoyaltyService.leave_wait_list": Permission.EDIT_CUSTOMERS,
    "LoyaltyService.ledger": Permission.VIEW_LOYALTY,
    "LoyaltyService.preferences": Permission.VIEW_LOYALTY,
    "LoyaltyService.rebuild_tier_cache": Permission.RUN_LOYALTY,
    "LoyaltyService.refresh_learned": Permission.RUN_LOYALTY,
    "LoyaltyService.run_expiry": Permission.RUN_LOYALTY,
    "LoyaltyService.save_declared": Permission.EDIT_CUSTOMERS,
    "LoyaltyService.save_rules": Permission.RUN_LOYALTY,
    "LoyaltyService.wait_list": Permission.VIEW_LOYALTY,
    "RewardService.cancel": Permission.FULFIL_REWARDS,
    "RewardService.catalog": Permission.MANAGE_REWARDS,
    "RewardService.claim": Permission.CLAIM_REWARDS,
    "RewardService.claims": Permission.VIEW_LOYALTY,
    "RewardService.fulfil": Permission.FULFIL_REWARDS,
    "RewardService.offers": Permission.VIEW_LOYALTY,
    "RewardService.save": Permission.MANAGE_REWARDS,
    "ReceiptService.order_document": Permission.VIEW_LOYALTY,
    "ReceiptService.save_seller": Permission.MANAGE_BRANCH_SETTINGS,
    "ConsentService.history": Permission.VIEW_CUSTOMERS,
    "ConsentService.state": Permission.VIEW_CUSTOMERS,
    "CalendarService.adopt_setting": Permission.MANAGE_CALENDAR,
    "CalendarService.remove_override": Permission.MANAGE_CALENDAR,
    "CalendarService.save_overrides": Permission.MANAGE_CALENDAR,
    "CalendarService.set_override": Permission.MANAGE_CALENDAR,
    "MessagingService.customer_messages": Permission.VIEW_CUSTOMER_HISTORY,
    "MessagingService.message_history": Permission.VIEW_CUSTOMER_HISTORY,
    "MessagingService.save_wording": Permission.MANAGE_MESSAGE_TEMPLATES,
    "MessagingService.wordings": Permission.MANAGE_MESSAGE_TEMPLATES,
    "ShopperMessageService.context": Permission.MESSAGE_CUSTOMERS,
    "ShopperMessageService.send_template": Permission.MESSAGE_CUSTOMERS,
    "ShopperMessageService.send_text": Permission.MESSAGE_CUSTOMERS,
    "AudienceService.count": Permission.MANAGE_CAMPAIGNS,
    "AudienceService.members": Permission.MANAGE_CAMPAIGNS,
    "AudienceService.resolve": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.back_in_stock": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.complete": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.create": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.due_occurrences": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.get": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.list": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.pause": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.preview_count": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.results": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.schedule": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.upcoming": Permission.MANAGE_CAMPAIGNS,
    "CampaignService.update": Permission.MANAGE_CAMPAIGNS,
    "FeedbackService.answer": Permission.RECORD_FEEDBACK,
    "FeedbackService.answer_at_till": Permission.RECORD_FEEDBACK,
    "FeedbackService.answer_in": Permission.RECORD_FEEDBACK,
    "FeedbackService.answer_reply": Permission.RECORD_FEEDBACK,
    "FeedbackService.dashboard": Permission.VIEW_FEEDBACK,
    "FeedbackService.dashboard_options": Permission.VIEW_FEEDBACK,
    "FeedbackService.general_audience": Permission.MANAGE_CAMPAIGNS,
    "FeedbackService.invitation": Permission.RECORD_FEEDBACK,
    "FeedbackService.low_scores_list": Permission.VIEW_FEEDBACK,
    "FeedbackService.low_scores_waiting": Permission.VIEW_FEEDBACK,
    "FeedbackService.nps": Permission.VIEW_FEEDBACK,
    "FeedbackService.of_customer": Permission.VIEW_CUSTOMER_HISTORY,
    "FeedbackService.send_general": Permission.MANAGE_CAMPAIGNS,
    "TicketService.assign": Permission.MANAGE_TICKETS,
    "TicketService.branch_settings": Permission.MANAGE_BRANCH_SETTINGS,
    "TicketService.escalate": Permission.MANAGE_TICKETS,
    "TicketService.find": Permission.HANDLE_TICKETS,
    "TicketService.get": Permission.HANDLE_TICKETS,
    "TicketService.manager_alerts": Permission.MANAGE_TICKETS,
    "TicketService.move": Permission.HANDLE_TICKETS,
    "TicketService.note": Permission.HANDLE_TICKETS,
    "TicketService.of_customer": Permission.HANDLE_TICKETS,
    "TicketService.open": Permission.HANDLE_TICKETS,
    "TicketService.overdue": Permission.HANDLE_TICKETS,
    "TicketService.queue": Permission.HANDLE_TICKETS,
    "TicketService.queue_entry": Permission.HANDLE_TICKETS,
    "TicketService.reply": Permission.HANDLE_TICKETS,
    "TicketService.reply_needs_template": Permission.HANDLE_TICKETS,
    "TicketService.save_branch_settings": Permission.MANAGE_BRANCH_SETTINGS,
    "TicketService.set_priority": Permission.MANAGE_TICKETS,
    "TicketService.sla_bounds": Permission.HANDLE_TICKETS,
    "InboundService.handled": Permission.HANDLE_TICKETS,
    "InboundService.unknown_senders": Permission.HANDLE_TICKETS,
    "AuditTrailService.choices": Permission.VIEW_AUDIT_TRAIL,
    "AuditTrailService.entries": Permission.VIEW_AUDIT_TRAIL,
    "ErasureService.latest": Permission.VIEW_CUSTOMERS,
    "ErasureService.request": Permission.REQUEST_ERASURE,
    "CustomerDataExport.export": Permission.EXPORT_CUSTOMER_DATA,
    "CustomerDataExport.stream": Permission.EXPORT_CUSTOMER_DATA,
    # A personal shopper also sees the insight of a customer assigned to them now (refused for any other).
    "CustomerAnalyticsService.insight": Permission.VIEW_ANALYTICS,
    "CustomerAnalyticsService.may_view": ANYONE,
    "CustomerAnalyticsService.recompute": Permission.VIEW_ANALYTICS,
    "CustomerAnalyticsService.save_rows": Permission.VIEW_ANALYTICS,
    "AnalyticsService.dashboard": Permission.VIEW_ANALYTICS,
    "AnalyticsService.options": Permission.VIEW_ANALYTICS,
    "AnalyticsService.recompute": Permission.VIEW_ANALYTICS,
}

# Why a method needs no permission, said in the docs beside its row.
WHY_ANYONE: dict[str, str] = {
    "GiftCardService.expire_due": "expiry follows from the date, not from a decision: whoever runs it writes the same",
    "CustomerAnalyticsService.may_view": "it reads nothing: it says whether the screen offers the Insights tab at all",
}


def allowed_roles(method: str) -> frozenset[Role]:
    """The roles ``ACCESS`` lets call ``method`` ("Service.method"); KeyError for a method not in the table."""
    permission = ACCESS[method]
    if permission is None:
        return frozenset(Role)
    return frozenset(role for role, held in ROLE_PERMISSIONS.items() if permission in held)


ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "ROLES.md"


def markdown() -> str:
    """docs/ROLES.md: the permissions of each role, then the table of methods."""
    roles = list(Role)
    lines = [
        "# Roles and what they may do",
        "",
        "Generated from `core/staff/access.py` and `core/staff/auth.py` by `python -m core.staff.access`; do not",
        "edit by hand (a test fails when this file and the code differ). The services enforce it: a refused role",
        "gets PermissionDenied before anything else is read or checked.",
        "",
        "## Permissions of each role",
        "",
        "| Permission | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for permission in Permission:
        marks = ["yes" if permission in ROLE_PERMISSIONS[r] else "" for r in roles]
        lines.append(f"| `{permission.value}` | " + " | ".join(marks) + " |")
    lines += [
        "",
        "## Service methods",
        "",
        "| Method | Permission | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for method in sorted(ACCESS):
        needed = ACCESS[method]
        allowed = allowed_roles(method)
        name = "anyone signed in" if needed is None else f"`{needed.value}`"
        marks = ["yes" if r in allowed else "" for r in roles]
        lines.append(f"| `{method}` | {name} | " + " | ".join(marks) + " |")
    if WHY_ANYONE:
        lines += ["", "Methods open to anyone signed in:", ""]
        lines += [f"- `{method}`: {why}." for method, why in sorted(WHY_ANYONE.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    ROLES_DOC.parent.mkdir(exist_ok=True)
    ROLES_DOC.write_text(markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {ROLES_DOC}\n")
