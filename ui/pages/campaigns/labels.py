"""Words for campaigns' values in the interface's language: kinds, statuses, offers, the metric A/B variants are
compared on, how a campaign repeats, where an occasion's date comes from, and the Hijri months (Arabic names on
Arabic screens, the usual English transliteration on English ones)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale

from core.campaigns.calendar import NAMES
from core.campaigns.model import CampaignKind, CampaignStatus, Metric, OfferKind
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.clock import DUBAI
from core.messaging.templates import CAMPAIGN_ANNIVERSARY, CAMPAIGN_BIRTHDAY, CAMPAIGN_SEASONAL, CAMPAIGN_WIN_BACK
from ui.i18n import FSI, PDI


def kind(value: str) -> str:
    names: dict[str, str] = {
        CampaignKind.BIRTHDAY: QCoreApplication.translate("campaign_labels", "Birthday"),
        CampaignKind.ANNIVERSARY: QCoreApplication.translate("campaign_labels", "Registration anniversary"),
        CampaignKind.WIN_BACK: QCoreApplication.translate("campaign_labels", "Win-back"),
        CampaignKind.RESTOCK: QCoreApplication.translate("campaign_labels", "Restock alert"),
        CampaignKind.SEASONAL: QCoreApplication.translate("campaign_labels", "Seasonal"),
        CampaignKind.BROADCAST: QCoreApplication.translate("campaign_labels", "Broadcast"),
    }
    return names.get(value, value)


def status(value: str) -> str:
    names: dict[str, str] = {
        CampaignStatus.DRAFT: QCoreApplication.translate("campaign_labels", "Draft"),
        CampaignStatus.SCHEDULED: QCoreApplication.translate("campaign_labels", "Scheduled"),
        CampaignStatus.RUNNING: QCoreApplication.translate("campaign_labels", "Running"),
        CampaignStatus.PAUSED: QCoreApplication.translate("campaign_labels", "Paused"),
        CampaignStatus.COMPLETED: QCoreApplication.translate("campaign_labels", "Completed"),
    }
    return names.get(value, value)


def offer_kind(value: str) -> str:
    names: dict[str, str] = {
        OfferKind.BONUS_POINTS: QCoreApplication.translate("campaign_labels", "Bonus points"),
        OfferKind.DISCOUNT_CODE: QCoreApplication.translate("campaign_labels", "Discount code (percent off)"),
        OfferKind.VOUCHER: QCoreApplication.translate("campaign_labels", "Voucher (AED)"),
    }
    return names.get(value, value)


def metric(value: str) -> str:
    names: dict[str, str] = {
        Metric.READ: QCoreApplication.translate("campaign_labels", "Read rate"),
        Metric.CLICKED: QCoreApplication.translate("campaign_labels", "Click rate"),
        Metric.CONVERTED: QCoreApplication.translate("campaign_labels", "Conversion rate"),
        Metric.REVENUE: QCoreApplication.translate("campaign_labels", "Revenue per recipient"),
    }
    return names.get(value, value)


def repeat(value: str) -> str:
    names: dict[str, str] = {
        Repeat.ONCE: QCoreApplication.translate("campaign_labels", "Once, at a date and time"),
        Repeat.DAILY: QCoreApplication.translate("campaign_labels", "Every day"),
        Repeat.WEEKLY: QCoreApplication.translate("campaign_labels", "Every week"),
        Repeat.YEARLY: QCoreApplication.translate("campaign_labels", "Every year, on its occasion"),
    }
    return names.get(value, value)


def source(value: str) -> str:
    return {
        "umm_al_qura": QCoreApplication.translate("campaign_labels", "Umm al-Qura"),
        "fixed": QCoreApplication.translate("campaign_labels", "Fixed date"),
        "override": QCoreApplication.translate("campaign_labels", "Announced"),
    }.get(value, value)


def occasion(value: str | None) -> str:
    if not value:
        return ""
    names = NAMES.get(value)
    return QCoreApplication.translate("core", names[0]) if names else value


def template(key: str) -> str:
    return {
        CAMPAIGN_BIRTHDAY: QCoreApplication.translate("campaign_labels", "Birthday greeting"),
        CAMPAIGN_ANNIVERSARY: QCoreApplication.translate("campaign_labels", "Anniversary greeting"),
        CAMPAIGN_WIN_BACK: QCoreApplication.translate("campaign_labels", "We miss you"),
        CAMPAIGN_SEASONAL: QCoreApplication.translate("campaign_labels", "Seasonal greeting"),
    }.get(key, key)


def variable(name: str) -> str:
    """What ``{name}`` is filled with, for the palette's tooltips."""
    return {
        "name": QCoreApplication.translate("campaign_labels", "The customer's full name"),
        "first_name": QCoreApplication.translate("campaign_labels", "The customer's first name"),
        "branch": QCoreApplication.translate("campaign_labels", "The branch's name, in the message's language"),
        "offer": QCoreApplication.translate("campaign_labels", "The offer, in words"),
        "valid_until": QCoreApplication.translate("campaign_labels", "The last day the offer may be used"),
    }.get(name, name)


def taste_source(value: str) -> str:
    return {
        "either": QCoreApplication.translate("campaign_labels", "Stated preferences or purchases"),
        "preferences": QCoreApplication.translate("campaign_labels", "Stated preferences only"),
        "purchases": QCoreApplication.translate("campaign_labels", "Purchases only"),
    }.get(value, value)


def hijri_month(month: int) -> str:
    names = (
        QCoreApplication.translate("campaign_labels", "Muharram"),
        QCoreApplication.translate("campaign_labels", "Safar"),
        QCoreApplication.translate("campaign_labels", "Rabi al-Awwal"),
        QCoreApplication.translate("campaign_labels", "Rabi al-Thani"),
        QCoreApplication.translate("campaign_labels", "Jumada al-Awwal"),
        QCoreApplication.translate("campaign_labels", "Jumada al-Thani"),
        QCoreApplication.translate("campaign_labels", "Rajab"),
        QCoreApplication.translate("campaign_labels", "Sha'ban"),
        QCoreApplication.translate("campaign_labels", "Ramadan"),
        QCoreApplication.translate("campaign_labels", "Shawwal"),
        QCoreApplication.translate("campaign_labels", "Dhu al-Qadah"),
        QCoreApplication.translate("campaign_labels", "Dhu al-Hijjah"),
    )
    return names[month - 1] if 1 <= month <= 12 else str(month)


def hijri_text(iso: str) -> str:
    """'1448-10-01' as '1 Shawwal 1448 AH' / '١ شوال ١٤٤٨ هـ', the numbers each an isolated run."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    return (
        QCoreApplication.translate("campaign_labels", "%1 %2 %3 AH")
        .replace("%1", FSI + digits(day) + PDI)
        .replace("%2", hijri_month(month))
        .replace("%3", FSI + digits(year) + PDI)
    )


def long_date(value: date) -> str:
    """'Thu 10 Mar 2027' in the interface's language, one isolated run inside a line of the other direction."""
    locale = QLocale()
    day = locale.dayName(value.isoweekday(), QLocale.FormatType.ShortFormat)
    name = locale.monthName(value.month, QLocale.FormatType.ShortFormat)
    return FSI + f"{day} {digits(value.day)} {name} {digits(value.year)}" + PDI


def digits(value: int) -> str:
    """A whole number in the locale's digits without grouping: a year reads 2027, not 2,027."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(value)


def weekday(index: int) -> str:
    """0 Monday … 6 Sunday, as the locale names it."""
    return QLocale().dayName(index + 1, QLocale.FormatType.LongFormat)


def month(number: int) -> str:
    return QLocale().monthName(number, QLocale.FormatType.LongFormat)


def schedule_text(schedule: Schedule, occasion_value: str | None) -> str:
    """'Every day at 10:00', 'Every Monday at 10:00', 'Every year on Eid al-Fitr at 09:00', 'Once: 2027-03-14 10:00'."""
    at = FSI + schedule.local_time.strftime("%H:%M") + PDI
    if schedule.repeat == Repeat.ONCE:
        moment = schedule.at.astimezone(DUBAI).strftime("%Y-%m-%d %H:%M") if schedule.at else ""
        return QCoreApplication.translate("campaign_labels", "Once: %1").replace("%1", FSI + moment + PDI)
    if schedule.repeat == Repeat.DAILY:
        return QCoreApplication.translate("campaign_labels", "Every day at %1").replace("%1", at)
    if schedule.repeat == Repeat.WEEKLY:
        return (
            QCoreApplication.translate("campaign_labels", "Every %1 at %2")
            .replace("%1", weekday(schedule.weekday or 0))
            .replace("%2", at)
        )
    return (
        QCoreApplication.translate("campaign_labels", "Every year on %1 at %2")
        .replace("%1", occasion(occasion_value))
        .replace("%2", at)
    )
