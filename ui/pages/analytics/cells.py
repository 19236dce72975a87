"""How the dashboards' stored figures read on screen: column names, and each cell by its column — money in
dirhams, a share as its percentage with the two counts behind it, months, weekdays and hours in the interface's
language, the seasons in both languages, "—" where there is nothing (never NaN)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from core.analytics.dashboards import AGEING_EDGES_DAYS, FIRST_USE_EDGES_DAYS
from core.analytics.seasons import SEASON_NAMES
from core.customers.model import Segment
from ui import labels, loyalty_labels
from ui.i18n import is_arabic, local_name, ltr, money, number

CONTEXT = "AnalyticsPage"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def dashboard_title(key: str) -> str:
    return {
        "sales": _t("Sales and seasons"),
        "customers": _t("Customers"),
        "loyalty": _t("Loyalty"),
        "giftcards": _t("Gift cards"),
        "shoppers": _t("Personal shoppers"),
        "engagement": _t("Campaigns and feedback"),
    }.get(key, key)


def table_title(key: str) -> str:
    return {
        "month": _t("By month"),
        "season": _t("By Hijri season, per day"),
        "weekday_hour": _t("By weekday and hour"),
        "clv": _t("Lifetime value"),
        "segment": _t("By segment"),
        "tier_migration": _t("Tier migration"),
        "tier": _t("By tier"),
        "first_use": _t("Time to first use"),
        "ageing": _t("Liability ageing"),
        "shopper": _t("By personal shopper"),
        "campaign": _t("Campaigns"),
        "nps_month": _t("NPS by month"),
        "nps_branch": _t("NPS by branch"),
    }.get(key, key)


def column_title(key: str) -> str:
    return {
        "month": _t("Month"),
        "orders": _t("Orders"),
        "sales_fils": _t("Sales"),
        "returns_fils": _t("Returns"),
        "net_fils": _t("Net"),
        "average_order_fils": _t("Average sale"),
        "season": _t("Season"),
        "days": _t("Days"),
        "per_day_fils": _t("Per day"),
        "against_ordinary": _t("Against ordinary days"),
        "weekday": _t("Weekday"),
        "hour": _t("Hour"),
        "new": _t("New"),
        "active": _t("Active"),
        "churned": _t("Churned"),
        "from_fils": _t("Lifetime value"),
        "customers": _t("Customers"),
        "share": _t("Share"),
        "segment": _t("Segment"),
        "per_buyer_fils": _t("Per buyer"),
        "from": _t("From tier"),
        "to": _t("To tier"),
        "tier": _t("Tier"),
        "members": _t("Members"),
        "issued": _t("Points issued"),
        "redeemed": _t("Points redeemed"),
        "expired": _t("Points expired"),
        "redemption": _t("Redemption rate"),
        "bucket": _t("Bucket"),
        "cards": _t("Cards"),
        "balance_fils": _t("Balance"),
        "sold": _t("Cards sold"),
        "sold_fils": _t("Value sold"),
        "shopper": _t("Personal shopper"),
        "visits": _t("Visits"),
        "vip_retention": _t("VIP retention"),
        "nps": _t("NPS"),
        "answers": _t("Answers"),
        "campaign": _t("Campaign"),
        "recipients": _t("Recipients"),
        "converted": _t("Converted"),
        "control": _t("Control group"),
        "control_converted": _t("Control converted"),
        "lift": _t("Lift (95 % interval)"),
        "redemptions": _t("Offers redeemed"),
        "discount_fils": _t("Discount given"),
        "promoters": _t("Promoters"),
        "passives": _t("Passives"),
        "detractors": _t("Detractors"),
        "branch": _t("Branch"),
    }.get(key, key)


def total_title(key: str) -> str:
    return {
        "orders": _t("Sales"),
        "returns": _t("Returns"),
        "sales_fils": _t("Sold"),
        "returns_fils": _t("Returned"),
        "net_fils": _t("Net"),
        "average_order_fils": _t("Average sale"),
        "new": _t("New customers"),
        "active": _t("Active customers"),
        "churned": _t("Churned"),
        "with_purchase": _t("Customers who bought"),
        "issued": _t("Points issued"),
        "redeemed": _t("Redeemed"),
        "expired": _t("Points expired"),
        "breakage": _t("Breakage"),
        "redemption": _t("Redemption rate"),
        "cost_fils": _t("Cost of the program"),
        "outstanding_points": _t("Points outstanding"),
        "liability_fils": _t("Liability"),
        "sold": _t("Cards sold"),
        "sold_fils": _t("Value sold"),
        "redeemed_fils": _t("Value redeemed"),
        "expired_fils": _t("Value expired"),
        "shoppers": _t("Personal shoppers"),
        "visits": _t("Visits"),
        "campaigns": _t("Campaigns"),
        "answers": _t("Answers"),
        "nps": _t("NPS"),
        "nps_answers": _t("Answers with a score"),
    }.get(key, key)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    text = QLocale().toString(100 * part / whole, "f", 1)
    return ltr(text + "٪") if is_arabic() else text + " %"


def share(value: list[int]) -> str:
    """'12.5 % (5 of 40)': the percentage with its two counts."""
    part, whole = int(value[0]), int(value[1])
    if not whole:
        return "—"
    return (
        _t("%1 (%2 of %3)").replace("%1", percent(part, whole)).replace("%2", number(part)).replace("%3", number(whole))
    )


def month_text(key: str) -> str:
    try:
        year, month = (int(x) for x in key.split("-"))
    except ValueError:
        return key
    return QLocale().toString(QDate(year, month, 1), "MMM yyyy")


def short_month(key: str) -> str:
    """'12/25': a month under a chart's bar, where twelve must fit side by side."""
    try:
        year, month = (int(x) for x in key.split("-"))
    except ValueError:
        return key
    return ltr(QLocale().toString(QDate(year, month, 1), "MM/yy"))


def season_text(key: str) -> str:
    """The season in the interface's language, with its name in the other one beside it."""
    en, ar = SEASON_NAMES.get(key, (key, key))
    translated = QCoreApplication.translate("core", en)
    return f"{ar} · {en}" if is_arabic() else f"{translated} · {ar}"


def segment_text(key: str) -> str:
    return labels.segment(key) if key in Segment._value2member_map_ else key


def _days(edges: tuple[int, ...], i: int, first: str) -> str:
    if i < 0:
        return _t("Not used yet")
    if i == 0:
        return first
    low = edges[i - 1]
    if i >= len(edges):
        return _t("Over %1 days").replace("%1", number(low - 1))
    return _t("%1–%2 days").replace("%1", number(low)).replace("%2", number(edges[i] - 1))


def cell_text(column: str, value: Any, names: dict[str, Any], table: str = "") -> str:
    if column == "from_fils":
        return _t("Below zero (returns)") if value is None else _t("From %1").replace("%1", money(int(value)))
    if value is None:
        return "—"
    if isinstance(value, list) and len(value) == 2 and column not in ("lift",):
        return share(value)
    if column == "lift" and isinstance(value, list) and len(value) == 3:
        points = QLocale().toString(float(value[0]), "f", 1)
        low, high = (QLocale().toString(float(v), "f", 1) for v in value[1:])
        return ltr(_t("%1 pts (%2 to %3)").replace("%1", points).replace("%2", low).replace("%3", high))
    if column.endswith("_fils"):
        return money(int(value))
    if column in ("month",) and isinstance(value, str):
        return month_text(value)
    if column == "season":
        return season_text(str(value))
    if column == "segment":
        return segment_text(str(value))
    if column in ("tier", "from", "to"):
        return loyalty_labels.tier(str(value))
    if column == "weekday":
        return QLocale().dayName(int(value) + 1)
    if column == "hour":
        return ltr(f"{QLocale().toString(int(value)).rjust(2, '0')}:00")
    if column == "bucket" and table == "first_use":
        return _days(FIRST_USE_EDGES_DAYS, int(value), _t("Same day"))
    if column == "bucket" and table == "ageing":
        return _days(AGEING_EDGES_DAYS, int(value), _t("Under %1 days").replace("%1", number(AGEING_EDGES_DAYS[0])))
    if column in ("shopper", "campaign", "branch"):
        found = names.get(str(value))
        return local_name(found[0], found[1]) if found else str(value) or "—"
    if column == "nps":
        whole = round(float(value))
        return ltr(("+" if whole > 0 else "") + QLocale().toString(whole))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return QLocale().toString(value, "f", 1)
    return str(value)
