"""Words for messaging's values in the interface's language: the templates, what each variable holds, a
message's status and direction, and what a message was for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.messaging.ports import MessageRecord
from core.messaging.templates import (
    APPOINTMENT,
    EXPIRY_WARNING,
    GIFT_CARD_RECEIVED,
    RECEIPT,
    RESTOCK,
    THANK_YOU,
    TICKET_REPLY,
    TIER_UPGRADE,
)


def template_name(key: str | None) -> str:
    names = {
        RECEIPT: QCoreApplication.translate("message_labels", "Receipt / order confirmation"),
        TIER_UPGRADE: QCoreApplication.translate("message_labels", "Tier upgrade"),
        EXPIRY_WARNING: QCoreApplication.translate("message_labels", "Points expiry warning"),
        GIFT_CARD_RECEIVED: QCoreApplication.translate("message_labels", "Gift card to its recipient"),
        RESTOCK: QCoreApplication.translate("message_labels", "A favourite is back in stock"),
        APPOINTMENT: QCoreApplication.translate("message_labels", "Appointment reminder"),
        THANK_YOU: QCoreApplication.translate("message_labels", "Thank you for the visit"),
        TICKET_REPLY: QCoreApplication.translate("message_labels", "Reply to a support ticket"),
    }
    if key is None:
        return "—"
    return names.get(key, key)


def variable(name: str) -> str:
    """What ``{name}`` is filled with, for the palette's tooltips."""
    meanings = {
        "name": QCoreApplication.translate("message_labels", "The customer's full name"),
        "first_name": QCoreApplication.translate("message_labels", "The customer's first name"),
        "branch": QCoreApplication.translate("message_labels", "The branch's name, in the message's language"),
        "tier": QCoreApplication.translate("message_labels", "The loyalty tier, in the message's language"),
        "bonus": QCoreApplication.translate("message_labels", "The bonus points of the upgrade"),
        "balance": QCoreApplication.translate("message_labels", "The points balance"),
        "points": QCoreApplication.translate(
            "message_labels", "Points: the balance, those expiring, or those the sale earned"
        ),
        "balance_aed": QCoreApplication.translate(
            "message_labels", "In AED: what the points are worth, or the gift card's balance"
        ),
        "date": QCoreApplication.translate("message_labels", "The date points expire or the gift card is valid until"),
        "order_number": QCoreApplication.translate("message_labels", "The order number"),
        "total": QCoreApplication.translate("message_labels", "The order's total in AED"),
        "amount": QCoreApplication.translate("message_labels", "The gift card's amount in AED"),
        "from_name": QCoreApplication.translate("message_labels", "Who the gift card is from"),
        "note": QCoreApplication.translate("message_labels", "The buyer's note on the gift card"),
        "product": QCoreApplication.translate("message_labels", "The product back in stock"),
        "time": QCoreApplication.translate("message_labels", "The appointment's time"),
        "link": QCoreApplication.translate("message_labels", "The recipient's own short link to the campaign's page"),
        "ticket": QCoreApplication.translate("message_labels", "The support ticket's number"),
    }
    return meanings.get(name, name)


def status(value: str) -> str:
    names = {
        "queued": QCoreApplication.translate("message_labels", "Queued"),
        "sending": QCoreApplication.translate("message_labels", "Sending"),
        "sent": QCoreApplication.translate("message_labels", "Sent"),
        "delivered": QCoreApplication.translate("message_labels", "Delivered"),
        "read": QCoreApplication.translate("message_labels", "Read"),
        "failed": QCoreApplication.translate("message_labels", "Failed, will retry"),
        "dead": QCoreApplication.translate("message_labels", "Failed"),
        "refused": QCoreApplication.translate("message_labels", "Not sent (no consent)"),
        "received": QCoreApplication.translate("message_labels", "Received"),
        "deferred": QCoreApplication.translate("message_labels", "Waiting"),
        "clicked": QCoreApplication.translate("message_labels", "Link opened"),
    }
    return names.get(value, value)


def direction(value: str) -> str:
    return (
        QCoreApplication.translate("message_labels", "From customer")
        if value == "inbound"
        else QCoreApplication.translate("message_labels", "To customer")
    )


def purpose(message: MessageRecord) -> str:
    """What made the message: a receipt names its order, a reply is the customer's."""
    if message.direction == "inbound":
        return QCoreApplication.translate("message_labels", "Customer's reply")
    if message.template_key == RECEIPT and message.order_number:
        return QCoreApplication.translate("message_labels", "Receipt of order %1").replace("%1", message.order_number)
    if message.template_key in (RECEIPT, TIER_UPGRADE, EXPIRY_WARNING, GIFT_CARD_RECEIVED):
        return template_name(message.template_key)
    if message.promotional or message.template_key:
        return QCoreApplication.translate("message_labels", "Campaign")
    return QCoreApplication.translate("message_labels", "Message from staff")


def encoding(value: str) -> str:
    return (
        QCoreApplication.translate("message_labels", "GSM-7")
        if value == "GSM-7"
        else QCoreApplication.translate("message_labels", "UCS-2 (Unicode)")
    )
