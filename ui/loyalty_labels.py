"""Display names of loyalty, purchase and reward values in the current language."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from core.customers.preferences import Intensity, Occasion
from core.loyalty.rewards import ClaimStatus, RewardKind
from core.loyalty.rules import EventKind, Tier
from core.purchases.model import Tender
from core.purchases.products import Family, Product
from ui.i18n import date_text, is_arabic, number


def tier(value: Tier | str | None) -> str:
    """A tier's name in the current language; a code this version does not know is shown as it is."""
    if not value:
        return ""
    if value not in Tier._value2member_map_:
        return str(value)
    return {
        Tier.BRONZE: QCoreApplication.translate("loyalty", "Bronze"),
        Tier.SILVER: QCoreApplication.translate("loyalty", "Silver"),
        Tier.GOLD: QCoreApplication.translate("loyalty", "Gold"),
        Tier.PLATINUM: QCoreApplication.translate("loyalty", "Platinum"),
        Tier.DIAMOND: QCoreApplication.translate("loyalty", "Diamond"),
    }.get(Tier(value), str(value))


def event(kind: EventKind | str) -> str:
    return {
        EventKind.EARN: QCoreApplication.translate("loyalty", "Earned"),
        EventKind.REVERSE: QCoreApplication.translate("loyalty", "Earned, returned"),
        EventKind.REDEEM: QCoreApplication.translate("loyalty", "Redeemed"),
        EventKind.RESTORE: QCoreApplication.translate("loyalty", "Given back"),
        EventKind.EXPIRE: QCoreApplication.translate("loyalty", "Expired"),
        EventKind.BONUS: QCoreApplication.translate("loyalty", "Tier bonus"),
        EventKind.ADJUST: QCoreApplication.translate("loyalty", "Adjustment"),
    }.get(EventKind(kind), str(kind))


def event_reason(kind: EventKind | str, reason: str | None, order_number: str | None) -> str:
    """What a ledger line is about, in words: the order, the reward, the tier or the lot."""
    if reason and reason.startswith("tier:"):
        return QCoreApplication.translate("loyalty", "Reaching %1").replace("%1", tier(reason.split(":", 1)[1]))
    if reason and reason.startswith("reward:"):
        return QCoreApplication.translate("loyalty", "Reward claim")
    if reason and reason.startswith("feedback:"):
        return QCoreApplication.translate("loyalty", "Survey answered")
    if reason and reason.startswith("lot:"):
        day = reason.split(":", 1)[1]
        try:
            shown = date_text(date.fromisoformat(day))
        except ValueError:
            shown = day
        return QCoreApplication.translate("loyalty", "Points due on %1").replace("%1", shown)
    if order_number:
        return order_number
    return reason or ""


def family(value: Family | str | None) -> str:
    if not value:
        return ""
    return {
        Family.OUD: QCoreApplication.translate("loyalty", "Oud"),
        Family.ORIENTAL: QCoreApplication.translate("loyalty", "Oriental"),
        Family.FLORAL: QCoreApplication.translate("loyalty", "Floral"),
        Family.WOODY: QCoreApplication.translate("loyalty", "Woody"),
        Family.CITRUS: QCoreApplication.translate("loyalty", "Citrus"),
        Family.MUSK: QCoreApplication.translate("loyalty", "Musk"),
        Family.AMBER: QCoreApplication.translate("loyalty", "Amber"),
        Family.FRESH: QCoreApplication.translate("loyalty", "Fresh"),
        Family.GOURMAND: QCoreApplication.translate("loyalty", "Gourmand"),
        Family.SPICY: QCoreApplication.translate("loyalty", "Spicy"),
        Family.LEATHER: QCoreApplication.translate("loyalty", "Leather"),
    }.get(Family(value), str(value))


def intensity(value: Intensity | str | None) -> str:
    if not value:
        return ""
    return {
        Intensity.LIGHT: QCoreApplication.translate("loyalty", "Light"),
        Intensity.MODERATE: QCoreApplication.translate("loyalty", "Moderate"),
        Intensity.STRONG: QCoreApplication.translate("loyalty", "Strong"),
    }.get(Intensity(value), str(value))


def occasion(value: Occasion | str) -> str:
    return {
        Occasion.DAILY: QCoreApplication.translate("loyalty", "Every day"),
        Occasion.WORK: QCoreApplication.translate("loyalty", "Work"),
        Occasion.EVENING: QCoreApplication.translate("loyalty", "Evening"),
        Occasion.WEDDING: QCoreApplication.translate("loyalty", "Weddings"),
        Occasion.EID: QCoreApplication.translate("loyalty", "Eid"),
        Occasion.RAMADAN: QCoreApplication.translate("loyalty", "Ramadan"),
        Occasion.GIFT: QCoreApplication.translate("loyalty", "Gifts"),
    }.get(Occasion(value), str(value))


def tender(value: Tender | str) -> str:
    return {
        Tender.CASH: QCoreApplication.translate("loyalty", "Cash"),
        Tender.CARD: QCoreApplication.translate("loyalty", "Card"),
        Tender.GIFT_CARD: QCoreApplication.translate("loyalty", "Gift card"),
        Tender.POINTS: QCoreApplication.translate("loyalty", "Points"),
    }.get(Tender(value), str(value))


def reward_kind(value: RewardKind | str) -> str:
    return {
        RewardKind.PRODUCT: QCoreApplication.translate("loyalty", "Product"),
        RewardKind.DISCOUNT: QCoreApplication.translate("loyalty", "Discount"),
        RewardKind.SERVICE: QCoreApplication.translate("loyalty", "Service"),
        RewardKind.VOUCHER: QCoreApplication.translate("loyalty", "Voucher"),
    }.get(RewardKind(value), str(value))


def claim_status(value: ClaimStatus | str) -> str:
    return {
        ClaimStatus.PENDING: QCoreApplication.translate("loyalty", "Pending"),
        ClaimStatus.FULFILLED: QCoreApplication.translate("loyalty", "Fulfilled"),
        ClaimStatus.CANCELLED: QCoreApplication.translate("loyalty", "Cancelled"),
    }.get(ClaimStatus(value), str(value))


def restock_status(value: str) -> str:
    return {
        "waiting": QCoreApplication.translate("loyalty", "Waiting"),
        "notified": QCoreApplication.translate("loyalty", "Notified"),
        "cancelled": QCoreApplication.translate("loyalty", "Cancelled"),
    }.get(value, value)


def ml(size: int) -> str:
    return QCoreApplication.translate("loyalty", "%1 ml").replace("%1", number(size))


def product(item: Product) -> str:
    return item.name("ar" if is_arabic() else "en")
