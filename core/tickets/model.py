"""Support tickets: the lifecycle, priorities and sources, checked before anything is written.

Status moves open → in_progress → waiting_for_customer → resolved → closed; work may go back and forth
between the three working states, and a resolved or closed ticket may be reopened (back to open).

How two branches' offline edits merge (tickets are registers, core.kernel.replication): every field is last
writer wins by HLC, branch id breaking ties, and no field needs a rule of its own:

- status: the later decision wins, whichever way it moves. "Furthest along wins" would undo a reopen made
  after a resolve on another branch (the customer came back: the later word is the true one), and would let
  a stale "closed" beat a later "in progress". A ticket closed twice from two branches ends closed once.
- assignee: the later assignment wins; the two branches each meant to hand the ticket on, the last one did.
- priority: the later setting wins. "Highest wins" would make a deliberate downgrade impossible to keep once
  any branch had ever raised it; an escalation raises priority by writing it, so it is simply the later write.
- responses are a ledger (TicketResponse): both branches' notes and replies are kept, ordered by time then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import clean_text

SUBJECT_MAX = 200
DESCRIPTION_MAX = 4000
RESPONSE_MAX = 4000


class Status(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CUSTOMER = "waiting"  # waiting for the customer (stored short: the column is 12 wide)
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class Category(StrEnum):
    PRODUCT = "product"
    SERVICE = "service"
    ORDER = "order"
    LOYALTY = "loyalty"
    COMPLAINT = "complaint"
    GENERAL = "general"


class Source(StrEnum):
    TILL = "till"  # a cashier or personal shopper opened it
    FEEDBACK = "feedback"  # a low score (feedback id)
    WHATSAPP = "whatsapp"  # an inbound WhatsApp message (communication id)
    SMS = "sms"  # an inbound SMS, where the store opens tickets from them (core.inbound)


# Default SLA hours in working time, by priority; a branch setting may change them.
DEFAULT_SLA_HOURS: dict[Priority, float] = {
    Priority.URGENT: 2,
    Priority.HIGH: 8,
    Priority.MEDIUM: 24,
    Priority.LOW: 48,
}

WORKING = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER)
DONE = (Status.RESOLVED, Status.CLOSED)

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.OPEN, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED}),
    Status.WAITING_FOR_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.OPEN}),
    Status.CLOSED: frozenset({Status.OPEN}),
}


def parse_status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Unknown ticket status: {value}."), "status", value=value
        ) from None


def parse_priority(value: str) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Unknown ticket priority: {value}."), "priority", value=value
        ) from None


def parse_category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Unknown ticket category: {value}."), "category", value=value
        ) from None


def check_transition(current: Status, target: Status) -> None:
    """Refuses a move the lifecycle does not allow, saying why."""
    if current == target:
        if target is Status.CLOSED:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This ticket is already closed."), "status")
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The ticket already has this status."), "status")
    if target in TRANSITIONS[current]:
        return
    if current is Status.CLOSED:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "A closed ticket can only be reopened."), "status")
    if target is Status.CLOSED:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Resolve the ticket before closing it."), "status")
    raise ValidationError(QT_TRANSLATE_NOOP("core", "A resolved ticket can only be closed or reopened."), "status")


@dataclass(frozen=True)
class TicketDraft:
    customer_id: str
    subject: str
    description: str = ""
    category: str = Category.GENERAL
    priority: str = Priority.MEDIUM
    source: str = Source.TILL
    source_id: str | None = None  # the feedback or communication id
    order_id: str | None = None
    feedback_id: str | None = None


def validate_draft(draft: TicketDraft) -> dict[str, object]:
    """The columns of a new ticket, cleaned; refuses what cannot be stored."""
    subject = clean_text(draft.subject, "subject", max_length=SUBJECT_MAX, required=True)
    description = clean_text(draft.description, "description", max_length=DESCRIPTION_MAX, multiline=True)
    try:
        source = Source(draft.source)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Unknown ticket source: {value}."), "source", value=draft.source
        ) from None
    if source is not Source.TILL and not draft.source_id:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "A ticket from feedback or WhatsApp needs the message it came from."),
            "source_id",
        )
    return {
        "customer_id": draft.customer_id,
        "subject": subject,
        "description": description or "",
        "category": parse_category(draft.category).value,
        "priority": parse_priority(draft.priority).value,
        "source": source.value,
        "source_id": draft.source_id,
        "order_id": draft.order_id,
        "feedback_id": draft.feedback_id or (draft.source_id if source is Source.FEEDBACK else None),
    }


def clean_response(body: str) -> str:
    text = clean_text(body, "body", max_length=RESPONSE_MAX, required=True, multiline=True)
    assert text is not None
    return text


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None
    priority: str | None = None
    assignee: str | None = None
    overdue_at: datetime | None = None  # only working tickets due before this moment
    text: str | None = None  # in the number, subject or description
    customer_id: str | None = None


@dataclass(frozen=True)
class TicketRecord:
    id: str
    number: str
    branch_id: str  # the branch that opened it, whose manager an escalation goes to
    customer_id: str
    subject: str
    description: str
    category: Category
    priority: Priority
    status: Status
    assigned_staff_id: str | None
    source: Source
    source_id: str | None
    order_id: str | None
    feedback_id: str | None
    opened_at: datetime
    due_at: datetime | None
    escalated_to: str | None
    escalated_at: datetime | None
    waiting_since: datetime | None = None  # waiting for the customer since: the SLA clock stands still
    survey_sent_at: datetime | None = None  # when resolving it last queued the satisfaction survey
    last_response_at: datetime | None = None  # filled by the listings that show it (the customer's tickets)


@dataclass(frozen=True)
class ResponseRecord:
    id: str
    ticket_id: str
    staff_id: str | None
    body: str
    internal: bool
    created_at: datetime
