"""Display names of domain values and fields, in the current language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.customers.model import Channel, Emirate, Language, Segment
from core.staff.auth import Role


def segment(value: Segment | str) -> str:
    return {
        Segment.VIP: QCoreApplication.translate("labels", "VIP"),
        Segment.REGULAR: QCoreApplication.translate("labels", "Regular"),
        Segment.WHOLESALE: QCoreApplication.translate("labels", "Wholesale"),
        Segment.EXPORT: QCoreApplication.translate("labels", "Export"),
        Segment.CORPORATE: QCoreApplication.translate("labels", "Corporate"),
    }.get(Segment(value), str(value))


def emirate(value: Emirate | str | None) -> str:
    if not value:
        return ""
    return {
        Emirate.ABU_DHABI: QCoreApplication.translate("labels", "Abu Dhabi"),
        Emirate.DUBAI: QCoreApplication.translate("labels", "Dubai"),
        Emirate.SHARJAH: QCoreApplication.translate("labels", "Sharjah"),
        Emirate.AJMAN: QCoreApplication.translate("labels", "Ajman"),
        Emirate.UMM_AL_QUWAIN: QCoreApplication.translate("labels", "Umm Al Quwain"),
        Emirate.RAS_AL_KHAIMAH: QCoreApplication.translate("labels", "Ras Al Khaimah"),
        Emirate.FUJAIRAH: QCoreApplication.translate("labels", "Fujairah"),
    }.get(Emirate(value), str(value))


def language(value: Language | str) -> str:
    return {
        Language.ARABIC: QCoreApplication.translate("labels", "Arabic"),
        Language.ENGLISH: QCoreApplication.translate("labels", "English"),
    }.get(Language(value), str(value))


def channel(value: Channel | str) -> str:
    if value == "web":  # an answer given on head office's survey page (core.inbound.ports.WEB)
        return QCoreApplication.translate("labels", "Survey page")
    return {
        Channel.WHATSAPP: QCoreApplication.translate("labels", "WhatsApp"),
        Channel.SMS: QCoreApplication.translate("labels", "SMS"),
        Channel.EMAIL: QCoreApplication.translate("labels", "Email"),
        Channel.PHONE: QCoreApplication.translate("labels", "Phone call"),
    }.get(Channel(value), str(value))


def role(value: Role | str) -> str:
    return {
        Role.CASHIER: QCoreApplication.translate("labels", "Cashier"),
        Role.PERSONAL_SHOPPER: QCoreApplication.translate("labels", "Personal shopper"),
        Role.MANAGER: QCoreApplication.translate("labels", "Manager"),
        Role.ADMIN: QCoreApplication.translate("labels", "Administrator"),
    }.get(Role(value), str(value))


def field(name: str) -> str:
    names = {
        "first_name_en": QCoreApplication.translate("labels", "First name (English)"),
        "last_name_en": QCoreApplication.translate("labels", "Last name (English)"),
        "first_name_ar": QCoreApplication.translate("labels", "First name (Arabic)"),
        "last_name_ar": QCoreApplication.translate("labels", "Last name (Arabic)"),
        "mobile": QCoreApplication.translate("labels", "Mobile"),
        "email": QCoreApplication.translate("labels", "Email"),
        "segment": QCoreApplication.translate("labels", "Segment"),
        "emirate": QCoreApplication.translate("labels", "Emirate"),
        "area": QCoreApplication.translate("labels", "Area"),
        "address_line": QCoreApplication.translate("labels", "Address"),
        "po_box": QCoreApplication.translate("labels", "P.O. Box"),
        "birthday": QCoreApplication.translate("labels", "Birthday"),
        "preferred_language": QCoreApplication.translate("labels", "Preferred language"),
        "preferred_channel": QCoreApplication.translate("labels", "Preferred channel"),
        "consent_whatsapp": QCoreApplication.translate("labels", "WhatsApp consent"),
        "consent_sms": QCoreApplication.translate("labels", "SMS consent"),
        "consent_email": QCoreApplication.translate("labels", "Email consent"),
        "emirates_id": QCoreApplication.translate("labels", "Emirates ID"),
        "notes": QCoreApplication.translate("labels", "Notes"),
        "time_zone": QCoreApplication.translate("labels", "Time zone"),
        "personal_shopper": QCoreApplication.translate("labels", "Personal shopper"),
        "reason": QCoreApplication.translate("labels", "Reason"),
        "capacity_override": QCoreApplication.translate("labels", "Over capacity (manager override)"),
    }
    return names.get(name, name)


def history_action(action: str) -> str:
    return {
        "created": QCoreApplication.translate("labels", "Created"),
        "updated": QCoreApplication.translate("labels", "Updated"),
        "deleted": QCoreApplication.translate("labels", "Deleted"),
        "shopper_assigned": QCoreApplication.translate("labels", "Personal shopper assigned"),
        "shopper_transferred": QCoreApplication.translate("labels", "Personal shopper changed"),
        "shopper_removed": QCoreApplication.translate("labels", "Personal shopper removed"),
    }.get(action, action)


def yes_no(value: object) -> str:
    return QCoreApplication.translate("labels", "Yes") if value else QCoreApplication.translate("labels", "No")
