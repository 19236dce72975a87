"""Support-ticket use cases: open, assign, prioritise, move through the lifecycle, note and reply, list, escalate.

Each is one unit of work, and every refusal happens before anything is written. A reply to the customer is a
TicketResponse ledger row and the outbox message that carries it, written in the same transaction: WhatsApp
free text while the customer's 24 h window is open, checked against their consent and number as the shopper
messages are (core.messaging.shopper_messages). Deadlines are counted in branch working hours (core.tickets.sla)
with the chain's announced holiday dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.campaigns.calendar import OccasionCalendar
from core.campaigns.calendar_service import CalendarRepository
from core.kernel.errors import NotFound, ValidationError
from core.kernel.events import LowScoreReceived
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.kernel.ports import Clock, UnitOfWork
from core.kernel.text import clean_text
from core.messaging.consent import Purpose
from core.messaging.handlers import names_of
from core.messaging.ports import MessagingUnitOfWork
from core.messaging.routing import language_of
from core.messaging.rules import window_open
from core.messaging.shopper_messages import TEXT_MAX, WHATSAPP, ShopperMessageService
from core.messaging.templates import TICKET_REPLY, fill, template_id, variables_of
from core.messaging.templates import body as template_body
from core.staff.auth import Actor, Permission
from core.tickets.model import (
    DEFAULT_SLA_HOURS,
    DESCRIPTION_MAX,
    DONE,
    SUBJECT_MAX,
    WORKING,
    Category,
    Priority,
    ResponseRecord,
    Source,
    Status,
    TicketDraft,
    TicketFilter,
    TicketRecord,
    check_transition,
    clean_response,
    parse_priority,
    parse_status,
    validate_draft,
)
from core.tickets.queue import SOON_HOURS, QueueEntry, QueueSnapshot, SlaBounds
from core.tickets.sla import DEFAULT_HOURS, UAE_WEEKEND, Shift, WorkingCalendar, due_at

SEARCH_MAX = 100
LIST_LIMIT = 500
REPLY_MAX = TEXT_MAX  # what one WhatsApp message of ours carries


class TicketRepository(Protocol):
    def next_number(self) -> str: ...

    def customer_exists(self, customer_id: str) -> bool: ...

    def staff_at(self, staff_id: str) -> tuple[str, str, bool] | None: ...  # (role, branch_id, active)

    def branch_manager(self, branch_id: str) -> str | None: ...

    def add(self, values: Mapping[str, object]) -> str: ...

    def get(self, ticket_id: str) -> TicketRecord | None: ...

    def update(self, ticket_id: str, changes: Mapping[str, object]) -> None: ...

    def add_response(self, values: Mapping[str, object]) -> str: ...

    def responses(self, ticket_id: str) -> list[ResponseRecord]: ...

    def find(self, criteria: TicketFilter, limit: int) -> list[TicketRecord]: ...

    def queue(self, ticket_id: str | None = None) -> list[QueueEntry]: ...


class TicketUnitOfWork(UnitOfWork, MessagingUnitOfWork, Protocol):
    tickets: TicketRepository
    calendar: CalendarRepository


TicketUowFactory = Callable[[Actor | None], TicketUnitOfWork]


@dataclass(frozen=True)
class TicketSettings:
    """SLA hours by priority and the branch's opening hours (Ramadan's may differ)."""

    sla_hours: Mapping[Priority, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    hours: tuple[Shift, ...] = DEFAULT_HOURS
    ramadan_hours: tuple[Shift, ...] | None = None
    weekend: frozenset[int] = UAE_WEEKEND


@dataclass(frozen=True)
class Escalation:
    ticket_id: str
    number: str
    manager_id: str


class TicketService:
    def __init__(self, uow: TicketUowFactory, clock: Clock, settings: TicketSettings | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self.settings = settings or TicketSettings()

    # -- a low score opens a ticket ----------------------------------------------------------------------------
    def on_low_score(self, event: LowScoreReceived, uow: TicketUnitOfWork) -> None:
        """A low answer (core.feedback: NPS ≤ 6, a rating ≤ 2, a complaint, a negative comment) opens a ticket in
        the answer's own transaction, linked to the feedback, the order and the customer, so the branch acts on it
        the same day. Its id comes from the feedback's, which is the same at every till that takes the answer:
        two branches record one ticket. An anonymous answer has nobody to follow up and stays in the low scores
        waiting."""
        if event.customer_id is None:
            return
        ticket_id = stable_id("ticket-from-feedback", event.feedback_id)
        if uow.tickets.get(ticket_id) is not None:
            return
        found = uow.feedback.feedback(event.feedback_id)  # type: ignore[attr-defined]
        comment = (getattr(found, "comment", None) or "").strip()
        scores = [f"NPS {event.nps}/10"] if event.nps is not None else []
        if event.rating is not None:
            scores.append(f"★ {event.rating}/5")
        first_line = comment.splitlines()[0] if comment else ""
        subject = " · ".join([*scores, first_line] if first_line else scores) or event.kind
        urgent = event.kind == Category.COMPLAINT or (event.nps is not None and event.nps <= 3) or event.rating == 1
        priority = Priority.HIGH if urgent else Priority.MEDIUM
        category = event.kind if event.kind in {c.value for c in Category} else Category.GENERAL
        values = validate_draft(
            TicketDraft(
                customer_id=event.customer_id,
                subject=subject[:SUBJECT_MAX],
                description=comment[:DESCRIPTION_MAX],
                category=category,
                priority=priority,
                source=Source.FEEDBACK,
                source_id=event.feedback_id,
                order_id=event.order_id,
                feedback_id=event.feedback_id,
            )
        )
        uow.tickets.add(
            {
                **values,
                "id": ticket_id,
                "number": uow.tickets.next_number(),
                "status": Status.OPEN.value,
                "due_at": self._due(uow, self._clock.now(), priority),
            }
        )

    # -- reads -------------------------------------------------------------------------------------------------
    def get(self, actor: Actor, ticket_id: str) -> tuple[TicketRecord, list[ResponseRecord]]:
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            ticket = self._ticket(uow, ticket_id)
            return ticket, uow.tickets.responses(ticket_id)

    def find(self, actor: Actor, criteria: TicketFilter | None = None) -> list[TicketRecord]:
        """Newest first, at most LIST_LIMIT; unknown status or priority refused, not ignored."""
        actor.require(Permission.HANDLE_TICKETS)
        criteria = criteria or TicketFilter()
        if criteria.status is not None:
            parse_status(criteria.status)
        if criteria.priority is not None:
            parse_priority(criteria.priority)
        text = clean_text(criteria.text, "text", max_length=SEARCH_MAX)
        with self._uow(None) as uow:
            return uow.tickets.find(TicketFilter(**{**criteria.__dict__, "text": text}), LIST_LIMIT)

    def queue(self, actor: Actor) -> QueueSnapshot:
        """Every ticket of the store for the queue page (core.tickets.queue filters it), with the SLA bounds
        of this moment."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            entries = uow.tickets.queue()
            bounds = self._bounds(uow)
        return QueueSnapshot(entries, bounds)

    def queue_entry(self, actor: Actor, ticket_id: str) -> QueueEntry | None:
        """One ticket's row of the queue, as it now is (None once it is gone)."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            found = uow.tickets.queue(ticket_id)
        return found[0] if found else None

    def sla_bounds(self, actor: Actor) -> SlaBounds:
        """Now, and the end of the next SOON_HOURS of branch working time: what "due soon" means now."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            return self._bounds(uow)

    def reply_needs_template(self, actor: Actor, ticket_id: str) -> bool:
        """Whether a reply now would go as the approved template (the customer's 24 h window is closed) rather
        than as free text; ``reply`` decides again when it sends."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            ticket = self._ticket(uow, ticket_id)
            return not window_open(uow.messages.last_inbound(ticket.customer_id, WHATSAPP), self._clock.now())

    def overdue(self, actor: Actor, now: datetime | None = None) -> list[TicketRecord]:
        """Working tickets past their deadline, most overdue first."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            found = uow.tickets.find(TicketFilter(overdue_at=now or self._clock.now()), LIST_LIMIT)
        return sorted(found, key=lambda t: (t.due_at or t.opened_at, t.number))

    # -- writes ------------------------------------------------------------------------------------------------
    def open(self, actor: Actor, draft: TicketDraft) -> TicketRecord:
        actor.require(Permission.HANDLE_TICKETS)
        values = validate_draft(draft)
        now = self._clock.now()
        with self._uow(actor) as uow:
            if not uow.tickets.customer_exists(draft.customer_id):
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            priority = Priority(str(values["priority"]))
            ticket_id = uow.tickets.add(
                {
                    **values,
                    "number": uow.tickets.next_number(),
                    "status": Status.OPEN.value,
                    "due_at": self._due(uow, now, priority),
                }
            )
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def assign(self, actor: Actor, ticket_id: str, staff_id: str | None) -> TicketRecord:
        actor.require(Permission.MANAGE_TICKETS)
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            if staff_id is not None:
                staff = uow.tickets.staff_at(staff_id)
                if staff is None or not staff[2]:
                    raise ValidationError(
                        QT_TRANSLATE_NOOP("core", "Choose an active staff member to assign the ticket to."), "assignee"
                    )
            if ticket.assigned_staff_id == staff_id:
                return ticket
            uow.tickets.update(ticket_id, {"assigned_staff_id": staff_id})
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def set_priority(self, actor: Actor, ticket_id: str, priority: str) -> TicketRecord:
        """A new priority moves the deadline: counted again from when the ticket was opened."""
        actor.require(Permission.MANAGE_TICKETS)
        chosen = parse_priority(priority)
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            if ticket.priority is chosen:
                return ticket
            changes: dict[str, object] = {"priority": chosen.value}
            if ticket.status in WORKING:
                changes["due_at"] = self._due(uow, ticket.opened_at, chosen)
            uow.tickets.update(ticket_id, changes)
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def move(self, actor: Actor, ticket_id: str, status: str) -> TicketRecord:
        """Moves the ticket along its lifecycle; a reopened ticket gets a new deadline from now."""
        actor.require(Permission.HANDLE_TICKETS)
        target = parse_status(status)
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            check_transition(ticket.status, target)
            changes: dict[str, object] = {"status": target.value}
            if ticket.status in DONE and target is Status.OPEN:
                changes["due_at"] = self._due(uow, self._clock.now(), ticket.priority)
                changes["escalated_to"] = None
                changes["escalated_at"] = None
            uow.tickets.update(ticket_id, changes)
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def note(self, actor: Actor, ticket_id: str, body: str) -> ResponseRecord:
        """An internal note: staff only, never sent."""
        actor.require(Permission.HANDLE_TICKETS)
        text = clean_response(body)
        with self._uow(actor) as uow:
            self._ticket(uow, ticket_id)
            response_id = uow.tickets.add_response(
                {"ticket_id": ticket_id, "staff_id": actor.staff_id or None, "body": text, "internal": True}
            )
            record = self._response(uow, ticket_id, response_id)
            uow.commit()
        return record

    def reply(self, actor: Actor, ticket_id: str, body: str) -> ResponseRecord:
        """A reply to the customer on WhatsApp, queued with its response row in one transaction: free text
        inside the customer's 24 h window, otherwise the approved TICKET_REPLY template carrying the reply on
        one line (a template's value may hold no line breaks)."""
        actor.require(Permission.HANDLE_TICKETS)
        text = clean_response(body)
        if len(text) > REPLY_MAX:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Too long for WhatsApp: at most {max} characters, this has {length}."),
                "body",
                max=REPLY_MAX,
                length=len(text),
            )
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            profile = uow.customers.get(ticket.customer_id)
            if profile is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            consent = ShopperMessageService.consent_of(uow, profile)
            ShopperMessageService.check_whatsapp(profile, consent, Purpose.TRANSACTIONAL)
            mobile = str(profile.mobile)
            if window_open(uow.messages.last_inbound(ticket.customer_id, WHATSAPP), self._clock.now()):
                message_id = uow.messages.queue(ticket.customer_id, WHATSAPP, mobile, text, None)
            else:
                language = language_of(profile)
                one_line = " ".join(text.split())
                values = {**names_of(profile, language), "ticket": ticket.number, "note": one_line}
                words, params = fill(TICKET_REPLY, language, values)
                tid = template_id(TICKET_REPLY, WHATSAPP, language)
                wording = template_body(TICKET_REPLY, language)
                uow.messages.ensure_template(tid, TICKET_REPLY, WHATSAPP, language, wording, variables_of(wording))
                message_id = uow.messages.queue(ticket.customer_id, WHATSAPP, mobile, words, tid, params=params)
            response_id = uow.tickets.add_response(
                {
                    "ticket_id": ticket_id,
                    "staff_id": actor.staff_id or None,
                    "body": text,
                    "internal": False,
                    "communication_id": message_id,
                }
            )
            record = self._response(uow, ticket_id, response_id)
            uow.commit()
        return record

    def escalate(self, actor: Actor, now: datetime | None = None) -> list[Escalation]:
        """Sends every overdue working ticket not yet escalated to its branch's manager, once per ticket."""
        actor.require(Permission.MANAGE_TICKETS)
        moment = now or self._clock.now()
        done: list[Escalation] = []
        with self._uow(actor) as uow:
            for ticket in uow.tickets.find(TicketFilter(overdue_at=moment), LIST_LIMIT):
                if ticket.escalated_to is not None:
                    continue
                manager = uow.tickets.branch_manager(ticket.branch_id)
                if manager is None:
                    continue
                uow.tickets.update(ticket.id, {"escalated_to": manager, "escalated_at": moment})
                done.append(Escalation(ticket.id, ticket.number, manager))
            uow.commit()
        return done

    # -- helpers -----------------------------------------------------------------------------------------------
    def working_calendar(self, holidays: OccasionCalendar) -> WorkingCalendar:
        s = self.settings
        return WorkingCalendar(holidays, s.hours, s.ramadan_hours, s.weekend)

    def _due(self, uow: TicketUnitOfWork, start: datetime, priority: Priority) -> datetime:
        hours = self.settings.sla_hours.get(priority, DEFAULT_SLA_HOURS[priority])
        return due_at(start, hours, self.working_calendar(OccasionCalendar(uow.calendar.overrides())))

    def _bounds(self, uow: TicketUnitOfWork) -> SlaBounds:
        now = self._clock.now()
        calendar = self.working_calendar(OccasionCalendar(uow.calendar.overrides()))
        return SlaBounds(now, due_at(now, SOON_HOURS, calendar))

    @staticmethod
    def _ticket(uow: TicketUnitOfWork, ticket_id: str) -> TicketRecord:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This ticket does not exist in this chain."))
        return ticket

    @staticmethod
    def _response(uow: TicketUnitOfWork, ticket_id: str, response_id: str) -> ResponseRecord:
        return next(r for r in uow.tickets.responses(ticket_id) if r.id == response_id)
