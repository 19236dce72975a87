"""VIP personal shoppers: profiles, assignments, visits and follow-ups, and the rules on what is typed.

The use cases are in core/shopper_service.py; matching is in core/matching.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from core.customers.model import Segment
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import clean_text
from core.shoppers.matching import ShopperProfile, Specialty

DEFAULT_CAPACITY = 15
MAX_CAPACITY = 60
MAX_EXPERIENCE_YEARS = 60
# Languages a shopper may list: the two of the app first, then those most spoken by the UAE's visitors.
SHOPPER_LANGUAGES: tuple[str, ...] = ("ar", "en", "hi", "ur", "ml", "fa", "tl", "ru", "fr", "zh", "de", "es", "it")
DIAMOND_TIER = "diamond"
UPCOMING_DAYS = 30
RETENTION_DAYS = 180
PERFORMANCE_DAYS = 90
VISIT_MAX_MINUTES = 8 * 60
VISIT_MAX_PRODUCTS = 30
PRODUCT_MAX = 120
NOTES_MAX = 2000
REASON_MAX = 200
FOLLOW_UP_MAX_DAYS = 366
VISIT_MAX_AGE_DAYS = 366
# A till whose clock runs a little ahead of the shopper's watch must not refuse "now".
FUTURE_TOLERANCE = timedelta(minutes=5)


class Mood(StrEnum):
    DELIGHTED = "delighted"
    HAPPY = "happy"
    NEUTRAL = "neutral"
    UNDECIDED = "undecided"
    UNHAPPY = "unhappy"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class QueueReason(StrEnum):
    NO_SHOPPER = "no_shopper"
    SHOPPER_INACTIVE = "shopper_inactive"


class TierLookup(Protocol):
    """The loyalty tier of customers (bronze … diamond), as the loyalty feature decides it."""

    def tier_of(self, customer_id: str) -> str | None: ...

    def tiers_of(self, customer_ids: list[str]) -> dict[str, str]: ...  # customers without a tier left out

    def customers_in_tier(self, tier: str) -> list[str]: ...


def is_vip(segment: str, tier: str | None) -> bool:
    """VIP service is for the VIP segment and for Diamond-tier members."""
    return segment == Segment.VIP or tier == DIAMOND_TIER


@dataclass(frozen=True)
class ShopperDraft:
    staff_id: str
    languages: tuple[str, ...] = ("ar", "en")
    specialties: tuple[str, ...] = ()
    experience_years: int = 0
    capacity: int = DEFAULT_CAPACITY
    active: bool = True


@dataclass(frozen=True)
class ShopperCandidateStaff:
    """A personal-shopper staff account that has no shopper profile yet."""

    staff_id: str
    branch_id: str
    name_en: str
    name_ar: str


@dataclass(frozen=True)
class AssignmentRecord:
    id: str
    customer_id: str
    shopper_id: str
    shopper_name_en: str
    shopper_name_ar: str
    assigned_at: datetime
    ended_at: datetime | None
    reason: str | None
    capacity_override: bool


@dataclass(frozen=True)
class CustomerBrief:
    """Enough of a customer to decide on VIP service."""

    id: str
    number: str
    name_en: str
    name_ar: str
    segment: Segment
    preferred_language: str
    branch_id: str

    def display_name(self, language: str = "en") -> str:
        return (self.name_ar or self.name_en) if language == "ar" else (self.name_en or self.name_ar)


@dataclass(frozen=True)
class QueueEntry:
    """A VIP waiting for a shopper: never assigned, or their shopper was made inactive."""

    customer: CustomerBrief
    tier: str | None
    reason: QueueReason
    since: datetime
    previous_shopper_en: str = ""
    previous_shopper_ar: str = ""


@dataclass(frozen=True)
class FollowUpItem:
    id: str
    customer_id: str
    customer_name_en: str
    customer_name_ar: str
    shopper_id: str
    shopper_name_en: str
    shopper_name_ar: str
    due_on: date
    note: str | None
    status: FollowUpStatus
    visit_id: str | None = None

    def overdue(self, today: date) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_on < today


@dataclass(frozen=True)
class VipRow:
    """What storage reads for one of a shopper's VIPs; the service adds the tier and the dates."""

    customer: CustomerBrief
    mobile: str | None
    birthday: date | None
    created_at: datetime
    assigned_at: datetime
    last_visit_at: datetime | None
    open_follow_ups: int
    next_follow_up_on: date | None
    families: tuple[str, ...]
    brands: tuple[str, ...]


@dataclass(frozen=True)
class VipCard:
    """One VIP on the shopper's start page."""

    customer: CustomerBrief
    mobile: str | None
    tier: str | None
    vip: bool
    last_visit_at: datetime | None
    # The coming birthday within UPCOMING_DAYS, not the date of birth: that is a sensitive field
    # (core.privacy.audit), shown in full only by the customer screen's audited Show.
    next_birthday: date | None
    anniversary_on: date | None  # within UPCOMING_DAYS
    anniversary_years: int
    open_follow_ups: int
    next_follow_up_on: date | None
    families: tuple[str, ...]
    brands: tuple[str, ...]
    assigned_at: datetime


@dataclass(frozen=True)
class MyVips:
    shopper: ShopperProfile
    customers: list[VipCard]
    due: list[FollowUpItem]  # open follow-ups due today or earlier
    visits_last_30_days: int
    today: date


@dataclass(frozen=True)
class OrderSummary:
    id: str
    number: str
    created_at: datetime
    total_fils: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class VisitDraft:
    customer_id: str
    visited_at: datetime
    duration_minutes: int = 30
    products_tried: tuple[str, ...] = ()
    products_bought: tuple[str, ...] = ()
    order_id: str | None = None
    mood: str = Mood.HAPPY
    notes: str = ""
    next_follow_up: date | None = None
    follow_up_note: str = ""
    shopper_id: str | None = None  # a manager logging for a shopper; a shopper logs as themselves


@dataclass(frozen=True)
class VisitRecord:
    id: str
    customer_id: str
    shopper_id: str
    visited_at: datetime
    duration_minutes: int
    products_tried: tuple[str, ...]
    products_bought: tuple[str, ...]
    order_id: str | None
    mood: str | None
    notes: str | None
    next_follow_up: date | None
    customer_not_vip: bool
    follow_up_id: str | None = None


@dataclass(frozen=True)
class FlaggedVisit:
    """A visit logged with a customer who was not a VIP: kept, and shown to the manager."""

    visit: VisitRecord
    customer_name_en: str
    customer_name_ar: str
    shopper_name_en: str
    shopper_name_ar: str


@dataclass(frozen=True)
class ShopperPerformance:
    shopper: ShopperProfile
    assigned: int
    visits: int
    sales_fils: int
    retained: int  # assigned customers with a purchase in the last RETENTION_DAYS

    @property
    def retention_percent(self) -> int:
        return round(100 * self.retained / self.assigned) if self.assigned else 0


def next_occurrence(month: int, day: int, today: date) -> date:
    """The next date (today included) falling on month/day; 29 February is kept on 28 February."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = date(year, month, day - 1)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def upcoming(value: date | None, today: date, days: int = UPCOMING_DAYS) -> date | None:
    """The next yearly return of ``value`` if it falls within ``days`` from today."""
    if value is None:
        return None
    when = next_occurrence(value.month, value.day, today)
    return when if (when - today).days <= days else None


def validate_shopper(draft: ShopperDraft) -> dict[str, object]:
    errors: list[ValidationError] = []
    languages = tuple(dict.fromkeys(code.strip().lower() for code in draft.languages if code.strip()))
    if not languages:
        errors.append(
            ValidationError(QT_TRANSLATE_NOOP("core", "Choose at least one language the shopper speaks."), "languages")
        )
    elif any(code not in SHOPPER_LANGUAGES for code in languages):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose languages from the list."), "languages"))
    specialties = tuple(dict.fromkeys(s.strip().lower() for s in draft.specialties if s.strip()))
    if any(s not in {x.value for x in Specialty} for s in specialties):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose specialties from the list."), "specialties"))
    if not 0 <= draft.experience_years <= MAX_EXPERIENCE_YEARS:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "Experience is 0 to {max} years."),
                "experience_years",
                max=MAX_EXPERIENCE_YEARS,
            )
        )
    if not 1 <= draft.capacity <= MAX_CAPACITY:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "Capacity is 1 to {max} VIP customers."), "capacity", max=MAX_CAPACITY
            )
        )
    if errors:
        raise ValidationErrors(errors)
    return {
        "languages": list(languages),
        "specialties": list(specialties),
        "experience_years": draft.experience_years,
        "capacity": draft.capacity,
        "active": bool(draft.active),
    }


def clean_reason(text: str, *, required: bool) -> str | None:
    reason = clean_text(text, "reason", max_length=REASON_MAX)
    if reason is None and required:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Give a reason; it is kept with the assignment."), "reason")
    return reason


def validate_visit(draft: VisitDraft, now: datetime, today: date) -> dict[str, object]:
    """Clean values of a visit, or ValidationErrors naming each bad field. ``today`` is the branch's date."""
    errors: list[ValidationError] = []
    out: dict[str, object] = {}
    if draft.visited_at.tzinfo is None:
        raise ValueError("visited_at must be an aware datetime")
    if draft.visited_at > now + FUTURE_TOLERANCE:
        errors.append(
            ValidationError(QT_TRANSLATE_NOOP("core", "A visit cannot be dated in the future."), "visited_at")
        )
    elif draft.visited_at < now - timedelta(days=VISIT_MAX_AGE_DAYS):
        errors.append(
            ValidationError(QT_TRANSLATE_NOOP("core", "Check the visit's date: it is over a year ago."), "visited_at")
        )
    out["visited_at"] = draft.visited_at
    if not 1 <= draft.duration_minutes <= VISIT_MAX_MINUTES:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "A visit lasts 1 to {max} minutes."),
                "duration_minutes",
                max=VISIT_MAX_MINUTES,
            )
        )
    out["duration_minutes"] = draft.duration_minutes
    for name, values in (("products_tried", draft.products_tried), ("products_bought", draft.products_bought)):
        try:
            out[name] = _products(values, name)
        except ValidationError as err:
            errors.append(err)
    try:
        out["mood"] = Mood(draft.mood).value if draft.mood else None
    except ValueError:
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Choose the customer's mood from the list."), "mood"))
    for name, text, limit in (("notes", draft.notes, NOTES_MAX), ("follow_up_note", draft.follow_up_note, NOTES_MAX)):
        try:
            out[name] = clean_text(text, name, max_length=limit, multiline=True)
        except ValidationError as err:
            errors.append(err)
    follow = draft.next_follow_up
    if follow is not None and follow < today:
        errors.append(
            ValidationError(QT_TRANSLATE_NOOP("core", "The next follow-up cannot be in the past."), "next_follow_up")
        )
    elif follow is not None and (follow - today).days > FOLLOW_UP_MAX_DAYS:
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "Plan the next follow-up within a year."),
                "next_follow_up",
            )
        )
    out["next_follow_up"] = follow
    out["order_id"] = draft.order_id or None
    if errors:
        raise ValidationErrors(errors)
    return out


def _products(values: tuple[str, ...], name: str) -> list[str]:
    out: list[str] = []
    for value in values:
        text = clean_text(value, name, max_length=PRODUCT_MAX)
        if text and text not in out:
            out.append(text)
    if len(out) > VISIT_MAX_PRODUCTS:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "At most {max} products per visit."), name, max=VISIT_MAX_PRODUCTS
        )
    return out
