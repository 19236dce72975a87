"""Words for tickets' values in the interface's language: statuses, the moves between them, priorities,
categories, sources and SLA states."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.tickets.model import Category, Priority, Source, Status
from core.tickets.queue import SlaState


def statuses() -> dict[str, str]:
    return {
        Status.OPEN: QCoreApplication.translate("ticket_labels", "Open"),
        Status.IN_PROGRESS: QCoreApplication.translate("ticket_labels", "In progress"),
        Status.WAITING_FOR_CUSTOMER: QCoreApplication.translate("ticket_labels", "Waiting for the customer"),
        Status.RESOLVED: QCoreApplication.translate("ticket_labels", "Resolved"),
        Status.CLOSED: QCoreApplication.translate("ticket_labels", "Closed"),
    }


def short_statuses() -> dict[str, str]:
    """For the queue's narrow column: the same words, but "Waiting" alone."""
    return {**statuses(), Status.WAITING_FOR_CUSTOMER: QCoreApplication.translate("ticket_labels", "Waiting")}


def status(value: str) -> str:
    return statuses().get(value, value)


def move(current: str, target: str) -> str:
    """The button that moves a ticket from ``current`` to ``target``: a verb, so staff read what it does."""
    if target == Status.OPEN:
        return (
            QCoreApplication.translate("ticket_labels", "Reopen")
            if current in (Status.RESOLVED, Status.CLOSED)
            else QCoreApplication.translate("ticket_labels", "Back to open")
        )
    names: dict[str, str] = {
        Status.IN_PROGRESS: QCoreApplication.translate("ticket_labels", "Start work")
        if current == Status.OPEN
        else QCoreApplication.translate("ticket_labels", "Back to work"),
        Status.WAITING_FOR_CUSTOMER: QCoreApplication.translate("ticket_labels", "Wait for the customer"),
        Status.RESOLVED: QCoreApplication.translate("ticket_labels", "Resolve"),
        Status.CLOSED: QCoreApplication.translate("ticket_labels", "Close"),
    }
    return names.get(target, target)


def priorities() -> dict[str, str]:
    return {
        Priority.LOW: QCoreApplication.translate("ticket_labels", "Low"),
        Priority.MEDIUM: QCoreApplication.translate("ticket_labels", "Medium"),
        Priority.HIGH: QCoreApplication.translate("ticket_labels", "High"),
        Priority.URGENT: QCoreApplication.translate("ticket_labels", "Urgent"),
    }


def priority(value: str) -> str:
    return priorities().get(value, value)


def categories() -> dict[str, str]:
    return {
        Category.PRODUCT: QCoreApplication.translate("ticket_labels", "Product"),
        Category.SERVICE: QCoreApplication.translate("ticket_labels", "Service"),
        Category.ORDER: QCoreApplication.translate("ticket_labels", "Order"),
        Category.LOYALTY: QCoreApplication.translate("ticket_labels", "Loyalty"),
        Category.COMPLAINT: QCoreApplication.translate("ticket_labels", "Complaint"),
        Category.GENERAL: QCoreApplication.translate("ticket_labels", "General"),
    }


def category(value: str) -> str:
    return categories().get(value, value)


def source(value: str) -> str:
    names: dict[str, str] = {
        Source.TILL: QCoreApplication.translate("ticket_labels", "At the till"),
        Source.FEEDBACK: QCoreApplication.translate("ticket_labels", "From feedback"),
        Source.WHATSAPP: QCoreApplication.translate("ticket_labels", "From WhatsApp"),
        Source.SMS: QCoreApplication.translate("ticket_labels", "From SMS"),
    }
    return names.get(value, value)


def sla_states() -> dict[SlaState, str]:
    """The words beside the SLA colour (never colour alone)."""
    return {
        SlaState.OVERDUE: QCoreApplication.translate("ticket_labels", "Overdue"),
        SlaState.SOON: QCoreApplication.translate("ticket_labels", "Due soon"),
        SlaState.PAUSED: QCoreApplication.translate("ticket_labels", "Paused, waiting for the customer"),
        SlaState.ON_TIME: QCoreApplication.translate("ticket_labels", "On time"),
        SlaState.DONE: QCoreApplication.translate("ticket_labels", "No deadline"),
    }
