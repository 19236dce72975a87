"""Staff, roles and sign-in. Roles are enforced here, in the services, not by hiding buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.kernel.errors import AuthenticationFailed, PermissionDenied, ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import ascii_digits


class Role(StrEnum):
    CASHIER = "cashier"
    PERSONAL_SHOPPER = "personal_shopper"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    VIEW_CUSTOMER_HISTORY = "view_customer_history"
    MANAGE_STAFF = "manage_staff"
    VIEW_SYNC = "view_sync"
    VIEW_GIFT_CARDS = "view_gift_cards"
    SELL_GIFT_CARDS = "sell_gift_cards"
    REDEEM_GIFT_CARDS = "redeem_gift_cards"
    CANCEL_GIFT_CARDS = "cancel_gift_cards"
    VIEW_GIFT_CARD_REPORTS = "view_gift_card_reports"
    VIEW_OWN_VIPS = "view_own_vips"
    VIEW_ALL_VIPS = "view_all_vips"
    LOG_VIP_VISITS = "log_vip_visits"
    ASSIGN_SHOPPERS = "assign_shoppers"
    OVERRIDE_SHOPPER_CAPACITY = "override_shopper_capacity"
    MANAGE_SHOPPERS = "manage_shoppers"
    VIEW_SHOPPER_PERFORMANCE = "view_shopper_performance"
    RECORD_SALES = "record_sales"
    PROCESS_RETURNS = "process_returns"
    VIEW_LOYALTY = "view_loyalty"
    CLAIM_REWARDS = "claim_rewards"
    FULFIL_REWARDS = "fulfil_rewards"
    MANAGE_REWARDS = "manage_rewards"
    RUN_LOYALTY = "run_loyalty"
    MANAGE_BRANCH_SETTINGS = "manage_branch_settings"  # seller details on tax invoices, the receipt printer
    UNLOCK_STAFF = "unlock_staff"
    MANAGE_CALENDAR = "manage_calendar"  # the announced dates of the occasions and holidays
    MANAGE_MESSAGE_TEMPLATES = "manage_message_templates"  # the wording of the messages customers get
    MESSAGE_CUSTOMERS = "message_customers"  # a WhatsApp message to a customer from the customer screen
    MANAGE_CAMPAIGNS = "manage_campaigns"  # audiences (who a campaign reaches) and, later, the campaigns
    RECORD_FEEDBACK = "record_feedback"  # a customer's survey answer, at the till or from their reply
    VIEW_FEEDBACK = "view_feedback"  # NPS figures and the low scores waiting
    HANDLE_TICKETS = "handle_tickets"  # open support tickets, work on them, note and reply
    MANAGE_TICKETS = "manage_tickets"  # assign tickets, set their priority, escalate overdue ones
    VIEW_AUDIT_TRAIL = "view_audit_trail"  # customer changes, security events and sensitive reads (admin only)
    REQUEST_ERASURE = "request_erasure"  # record a customer's request to have their data erased (head office decides)
    EXPORT_CUSTOMER_DATA = "export_customer_data"  # everything held about a customer, for them (PDPL / GDPR)
    # Any customer's lifetime value, churn risk and segment; the business dashboards, and recomputing a standalone
    # store's figures.
    VIEW_ANALYTICS = "view_analytics"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASHIER: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.RECORD_SALES,
            Permission.PROCESS_RETURNS,
            Permission.VIEW_LOYALTY,
            Permission.CLAIM_REWARDS,
            Permission.EDIT_CUSTOMERS,
            Permission.VIEW_GIFT_CARDS,
            Permission.SELL_GIFT_CARDS,
            Permission.REDEEM_GIFT_CARDS,
            Permission.RECORD_FEEDBACK,
            Permission.HANDLE_TICKETS,
        }
    ),
    Role.PERSONAL_SHOPPER: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.VIEW_LOYALTY,
            Permission.CLAIM_REWARDS,
            Permission.EDIT_CUSTOMERS,
            Permission.VIEW_CUSTOMER_HISTORY,
            Permission.VIEW_OWN_VIPS,
            Permission.LOG_VIP_VISITS,
            Permission.MESSAGE_CUSTOMERS,
            Permission.RECORD_FEEDBACK,
            Permission.HANDLE_TICKETS,
        }
    ),
    Role.MANAGER: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.RECORD_SALES,
            Permission.PROCESS_RETURNS,
            Permission.VIEW_LOYALTY,
            Permission.CLAIM_REWARDS,
            Permission.FULFIL_REWARDS,
            Permission.MANAGE_REWARDS,
            Permission.EDIT_CUSTOMERS,
            Permission.VIEW_CUSTOMER_HISTORY,
            Permission.VIEW_SYNC,
            Permission.VIEW_GIFT_CARDS,
            Permission.SELL_GIFT_CARDS,
            Permission.REDEEM_GIFT_CARDS,
            Permission.CANCEL_GIFT_CARDS,
            Permission.VIEW_GIFT_CARD_REPORTS,
            Permission.VIEW_OWN_VIPS,
            Permission.VIEW_ALL_VIPS,
            Permission.LOG_VIP_VISITS,
            Permission.ASSIGN_SHOPPERS,
            Permission.OVERRIDE_SHOPPER_CAPACITY,
            Permission.MANAGE_SHOPPERS,
            Permission.VIEW_SHOPPER_PERFORMANCE,
            Permission.MANAGE_BRANCH_SETTINGS,
            Permission.UNLOCK_STAFF,
            Permission.MANAGE_CALENDAR,
            Permission.MANAGE_MESSAGE_TEMPLATES,
            Permission.MESSAGE_CUSTOMERS,
            Permission.MANAGE_CAMPAIGNS,
            Permission.RECORD_FEEDBACK,
            Permission.VIEW_FEEDBACK,
            Permission.HANDLE_TICKETS,
            Permission.MANAGE_TICKETS,
            Permission.REQUEST_ERASURE,
            Permission.EXPORT_CUSTOMER_DATA,
            Permission.VIEW_ANALYTICS,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
PIN_MIN, PIN_MAX = 4, 12


@dataclass(frozen=True)
class Actor:
    """Who is doing a write, and where: every change-log and audit row carries it."""

    staff_id: str
    branch_id: str
    role: Role
    display_name: str = ""
    display_name_ar: str = ""

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(QT_TRANSLATE_NOOP("core", "Your role does not allow this. Ask a manager."))


@dataclass(frozen=True)
class StaffRecord:
    id: str
    branch_id: str
    username: str
    name_en: str
    name_ar: str
    role: Role
    pin_hash: str
    active: bool
    failed_attempts: int
    locked_until: datetime | None


_hasher = PasswordHasher()


def validate_pin(pin: str) -> str:
    digits = ascii_digits(pin or "").strip()
    if not digits.isdigit() or not PIN_MIN <= len(digits) <= PIN_MAX:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "A PIN is {min} to {max} digits."), "pin", min=PIN_MIN, max=PIN_MAX
        )
    return digits


def hash_pin(pin: str) -> str:
    return _hasher.hash(validate_pin(pin))


class TillLocked(AuthenticationFailed):
    """Too many PINs that matched nobody at this till: it takes no PIN until the lock ends or a manager
    unlocks it."""


def pin_matches(staff: StaffRecord, pin: str) -> bool:
    try:
        return bool(_hasher.verify(staff.pin_hash, ascii_digits(pin or "").strip()))
    except (VerificationError, InvalidHashError):
        return False


def hash_new_pin(pin: str, staff_id: str, branch_staff: list[StaffRecord]) -> str:
    """The hash of a PIN being set or changed for ``staff_id``; refused when an active colleague of the same
    branch already signs in with it, since sign-in finds the person by their PIN alone."""
    digits = validate_pin(pin)
    for other in branch_staff:
        if other.id != staff_id and other.active and pin_matches(other, digits):
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "core", "Another member of this branch's staff already uses this PIN. Choose a different PIN."
                ),
                "pin",
            )
    return _hasher.hash(digits)


def check_pin(staff: StaffRecord, pin: str, now: datetime) -> None:
    """Raises AuthenticationFailed for a locked account or a wrong PIN; the caller counts failures."""
    if not staff.active:
        raise AuthenticationFailed(QT_TRANSLATE_NOOP("core", "This staff account is disabled."))
    if staff.locked_until is not None and staff.locked_until > now:
        minutes = max(1, int((staff.locked_until - now).total_seconds() // 60) + 1)
        raise AuthenticationFailed(
            QT_TRANSLATE_NOOP("core", "Too many wrong PINs. Try again in {minutes} minutes or ask a manager."),
            "pin",
            minutes=minutes,
        )
    try:
        _hasher.verify(staff.pin_hash, ascii_digits(pin or "").strip())
    except (VerificationError, InvalidHashError) as exc:
        raise AuthenticationFailed(QT_TRANSLATE_NOOP("core", "Wrong PIN."), "pin") from exc
