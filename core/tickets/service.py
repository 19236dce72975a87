"""Support-ticket use cases: open, assign, prioritise, move through the lifecycle, note and reply, list, escalate.

Each is one unit of work, and every refusal happens before anything is written. A reply to the customer is a
TicketResponse ledger row and the outbox message that carries it, written in the same transaction: WhatsApp
free text while the customer's 24 h window is open, checked against their consent and number as the shopper
messages are (core.messaging.shopper_messages). Deadlines are counted in branch working hours (core.tickets.sla)
with the chain's announced holiday dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from core.campaigns.calendar import OccasionCalendar
from core.campaigns.calendar_service import CalendarRepository
from core.feedback.service import FeedbackSettings, invite
from core.kernel.errors import NotFound, ValidationError
from core.kernel.events import LowScoreReceived
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.kernel.phone import parse_phone
from core.kernel.ports import Clock, UnitOfWork
from core.kernel.text import clean_text
from core.messaging.consent import Purpose
from core.messaging.handlers import names_of
from core.messaging.ports import MessagingUnitOfWork
from core.messaging.routing import language_of
from core.messaging.rules import window_open
from core.messaging.shopper_messages import TEXT_MAX, WHATSAPP, ShopperMessageService
from core.messaging.templates import (
    SURVEY_TICKET,
    TICKET_LOW_SCORE_ALERT,
    TICKET_OVERDUE_ALERT,
    TICKET_REPLY,
    fill,
    template_id,
    variables_of,
)
from core.messaging.templates import body as template_body
from core.receipts.service import SettingsRepository
from core.staff.auth import Actor, Permission, Role
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
from core.tickets.settings import (
    ALERT_EMAIL_KEY,
    ALERT_LANGUAGE_KEY,
    ALERT_WHATSAPP_KEY,
    HOURS_KEY,
    check_email,
    hours_json,
    read_settings,
)
from core.tickets.sla import (
    DEFAULT_HOURS,
    UAE_WEEKEND,
    Shift,
    WorkingCalendar,
    due_at,
    resumed_due,
    working_time_between,
)

SEARCH_MAX = 100
LIST_LIMIT = 500
REPLY_MAX = TEXT_MAX  # what one WhatsApp message of ours carries
TICKET_SURVEY_KIND = "ticket_service"  # the invitation kind of a resolved ticket's survey (core.feedback)
EMAIL = "email"
ALERT_NUMBERS = 5  # ticket numbers an in-app alert names


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

    def last_responses(self, ticket_ids: list[str]) -> dict[str, datetime]: ...


class TicketUnitOfWork(UnitOfWork, MessagingUnitOfWork, Protocol):
    tickets: TicketRepository
    calendar: CalendarRepository
    settings: SettingsRepository


TicketUowFactory = Callable[[Actor | None], TicketUnitOfWork]


@dataclass(frozen=True)
class TicketSettings:
    """SLA hours by priority and the branch's opening hours (Ramadan's may differ); how long after a resolve
    another resolve of the same ticket asks the customer again; the address of the branch manager's alerts
    (None: in-app only). Stored in the store's settings (``tickets.*``, core.tickets.settings)."""

    sla_hours: Mapping[Priority, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    hours: tuple[Shift, ...] = DEFAULT_HOURS
    ramadan_hours: tuple[Shift, ...] | None = None
    weekend: frozenset[int] = UAE_WEEKEND
    survey_again_after: timedelta = timedelta(days=30)
    survey_delay: timedelta = timedelta()
    alert_email: str | None = None
    alert_whatsapp: str | None = None  # a mobile, E.164
    alert_language: str = "en"


def system_actor(branch_id: str) -> Actor:
    """The store's own identity for the work it does unattended (as the campaign executor's, main.py)."""
    return Actor("", branch_id, Role.ADMIN, "tickets")


@dataclass(frozen=True)
class ManagerAlerts:
    low_scores: int  # tickets a low score opened that nobody has taken yet
    overdue: int  # working tickets escalated as overdue
    numbers: list[str]  # the first few of them

    @property
    def count(self) -> int:
        return self.low_scores + self.overdue


@dataclass(frozen=True)
class Escalation:
    ticket_id: str
    number: str
    manager_id: str


class TicketService:
    def __init__(self, uow: TicketUowFactory, clock: Clock, settings: TicketSettings | None = None) -> None:
        """``settings`` fixed (tests); None: read from the store's settings in each unit of work."""
        self._uow = uow
        self._clock = clock
        self._fixed = settings
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
        self._alert(uow, TICKET_LOW_SCORE_ALERT, self._ticket(uow, ticket_id))

    # -- a customer writes (core.inbound) ----------------------------------------------------------------------
    def open_ticket_of(self, uow: TicketUnitOfWork, customer_id: str) -> TicketRecord | None:
        """The customer's newest ticket that is not closed, which their message belongs to (None: they have none)."""
        found = uow.tickets.find(TicketFilter(customer_id=customer_id), LIST_LIMIT)
        return next((t for t in found if t.status is not Status.CLOSED), None)

    def add_inbound(self, uow: TicketUnitOfWork, ticket: TicketRecord, communication_id: str, body: str) -> str:
        """The customer's message on the ticket's responses ledger, in the caller's transaction: not internal, no
        staff member, linked to the inbound message (whose id it derives from, so handling the message again adds
        nothing). A ticket waiting for the customer is back in progress, its deadline moved on by the wait; other
        statuses stay as they are."""
        response_id = stable_id("ticket-inbound", communication_id)
        if any(r.id == response_id for r in uow.tickets.responses(ticket.id)):
            return response_id
        uow.tickets.add_response(
            {
                "id": response_id,
                "ticket_id": ticket.id,
                "staff_id": None,
                "body": body,
                "internal": False,
                "communication_id": communication_id,
            }
        )
        if ticket.status is Status.WAITING_FOR_CUSTOMER:
            uow.tickets.update(ticket.id, self._moved(uow, ticket, Status.IN_PROGRESS))
        return response_id

    def open_from_inbound(
        self, uow: TicketUnitOfWork, customer_id: str, communication_id: str, text: str, source: Source
    ) -> str:
        """A new ticket from a customer's message, in the caller's transaction: the message's first line as its
        subject, the message as its description (both cut to fit: the whole text stays on the message), linked
        to the message, whose id it derives from (one ticket per message, however often it is handled)."""
        ticket_id = stable_id("ticket-from-inbound", communication_id)
        if uow.tickets.get(ticket_id) is not None:
            return ticket_id
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
        values = validate_draft(
            TicketDraft(
                customer_id=customer_id,
                subject=first_line[:SUBJECT_MAX].strip(),
                description=text[:DESCRIPTION_MAX].strip(),
                category=Category.GENERAL,
                priority=Priority.MEDIUM,
                source=source,
                source_id=communication_id,
            )
        )
        uow.tickets.add(
            {
                **values,
                "id": ticket_id,
                "number": uow.tickets.next_number(),
                "status": Status.OPEN.value,
                "due_at": self._due(uow, self._clock.now(), Priority.MEDIUM),
            }
        )
        return ticket_id

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
        """A new priority moves the deadline by the difference of the two priorities' SLA hours, in working time:
        the working time already used stays used, and a wait for the customer already credited stays credited
        (a ticket waiting now keeps its clock stopped). One whose new hours are already used up is due now."""
        actor.require(Permission.MANAGE_TICKETS)
        chosen = parse_priority(priority)
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            if ticket.priority is chosen:
                return ticket
            changes: dict[str, object] = {"priority": chosen.value}
            if ticket.status in WORKING:
                changes["due_at"] = self._reprioritised_due(uow, ticket, chosen)
            uow.tickets.update(ticket_id, changes)
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def move(self, actor: Actor, ticket_id: str, status: str) -> TicketRecord:
        """Moves the ticket along its lifecycle; a reopened ticket gets a new deadline from now. Time spent
        waiting for the customer does not count: the deadline moves on by the working time of the wait when
        the ticket leaves that status. Resolving it asks the customer how satisfied they are, once per ticket
        within ``survey_again_after``, in the same transaction."""
        actor.require(Permission.HANDLE_TICKETS)
        target = parse_status(status)
        with self._uow(actor) as uow:
            ticket = self._ticket(uow, ticket_id)
            check_transition(ticket.status, target)
            uow.tickets.update(ticket_id, self._moved(uow, ticket, target))
            ticket = self._ticket(uow, ticket_id)
            uow.commit()
        return ticket

    def _moved(self, uow: TicketUnitOfWork, ticket: TicketRecord, target: Status) -> dict[str, object]:
        """The changes that move ``ticket`` to ``target`` now: its deadline on a reopen, the SLA clock stopped or
        moved on past a wait, the satisfaction survey on resolving."""
        now = self._clock.now()
        changes: dict[str, object] = {"status": target.value}
        if ticket.status in DONE and target is Status.OPEN:
            changes["due_at"] = self._due(uow, now, ticket.priority)
            changes["escalated_to"] = None
            changes["escalated_at"] = None
        if target is Status.WAITING_FOR_CUSTOMER:
            changes["waiting_since"] = now
        elif ticket.status is Status.WAITING_FOR_CUSTOMER:
            changes["waiting_since"] = None
            if target in WORKING and ticket.due_at is not None and ticket.waiting_since is not None:
                calendar = self._calendar(uow)
                changes["due_at"] = resumed_due(ticket.due_at, ticket.waiting_since, now, calendar)
        if target is Status.RESOLVED:
            self._ask_satisfaction(uow, ticket, now, changes)
        return changes

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
        """Sends every overdue working ticket of the actor's branch not yet escalated to the branch's manager,
        once per ticket, and alerts them. The branch runs it every few minutes as the store's system identity
        (``system_actor``, ui.features.install_ticket_jobs): nobody need be signed in for an overdue ticket to
        reach the manager. Another branch's ticket is left to that branch, so one manager gets it once."""
        actor.require(Permission.MANAGE_TICKETS)
        moment = now or self._clock.now()
        done: list[Escalation] = []
        with self._uow(actor) as uow:
            for ticket in uow.tickets.find(TicketFilter(overdue_at=moment), LIST_LIMIT):
                if ticket.escalated_to is not None or ticket.branch_id != actor.branch_id:
                    continue
                manager = uow.tickets.branch_manager(ticket.branch_id)
                if manager is None:
                    continue
                uow.tickets.update(ticket.id, {"escalated_to": manager, "escalated_at": moment})
                self._alert(uow, TICKET_OVERDUE_ALERT, ticket)
                done.append(Escalation(ticket.id, ticket.number, manager))
            uow.commit()
        return done

    def manager_alerts(self, actor: Actor) -> ManagerAlerts:
        """What the manager is alerted to in the app: tickets a low score opened that nobody has picked up yet,
        and working tickets escalated as overdue."""
        actor.require(Permission.MANAGE_TICKETS)
        with self._uow(None) as uow:
            fresh = uow.tickets.find(TicketFilter(status=Status.OPEN.value), LIST_LIMIT)
            low = [t for t in fresh if t.source is Source.FEEDBACK and t.assigned_staff_id is None]
            overdue = uow.tickets.find(TicketFilter(overdue_at=self._clock.now()), LIST_LIMIT)
        escalated = [t for t in overdue if t.escalated_to is not None]
        return ManagerAlerts(len(low), len(escalated), [t.number for t in (*low, *escalated)][:ALERT_NUMBERS])

    def of_customer(self, actor: Actor, customer_id: str) -> list[TicketRecord]:
        """The customer's tickets, newest first, each with the time of its last response."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            found = uow.tickets.find(TicketFilter(customer_id=customer_id), LIST_LIMIT)
            last = uow.tickets.last_responses([t.id for t in found])
        return [replace(t, last_response_at=last.get(t.id)) for t in found]

    # -- the branch's settings ----------------------------------------------------------------------------------
    def branch_settings(self, actor: Actor) -> TicketSettings:
        actor.require(Permission.MANAGE_BRANCH_SETTINGS)
        with self._uow(None) as uow:
            return self.settings_of(uow)

    def save_branch_settings(
        self,
        actor: Actor,
        hours: tuple[Shift, ...],
        ramadan_hours: tuple[Shift, ...] | None,
        weekend: frozenset[int],
        alert_email: str | None,
        alert_language: str = "en",
        alert_whatsapp: str | None = None,
    ) -> TicketSettings:
        """The branch's opening hours (Ramadan's, None: the usual ones) and weekend, which deadlines from now on
        count in, and the address of the manager's alerts (empty: in-app only). Refused whole if any is wrong."""
        actor.require(Permission.MANAGE_BRANCH_SETTINGS)
        calendar = WorkingCalendar(hours=hours, ramadan_hours=ramadan_hours, weekend=weekend)  # checks them
        email = check_email(alert_email)
        mobile = parse_phone(alert_whatsapp or "", "alert_whatsapp") if (alert_whatsapp or "").strip() else None
        with self._uow(actor) as uow:
            uow.settings.save_setting(HOURS_KEY, hours_json(calendar.hours, calendar.ramadan_hours, calendar.weekend))
            uow.settings.save_setting(ALERT_EMAIL_KEY, email or "")
            uow.settings.save_setting(ALERT_WHATSAPP_KEY, mobile or "")
            uow.settings.save_setting(ALERT_LANGUAGE_KEY, alert_language if alert_language in ("ar", "en") else "en")
            uow.commit()
        with self._uow(None) as uow:
            return self.settings_of(uow)

    # -- helpers -----------------------------------------------------------------------------------------------
    def working_calendar(self, holidays: OccasionCalendar, settings: TicketSettings | None = None) -> WorkingCalendar:
        s = settings or self.settings
        return WorkingCalendar(holidays, s.hours, s.ramadan_hours, s.weekend)

    def settings_of(self, uow: TicketUnitOfWork) -> TicketSettings:
        return self._fixed or read_settings(uow.settings)

    def _calendar(self, uow: TicketUnitOfWork) -> WorkingCalendar:
        return self.working_calendar(OccasionCalendar(uow.calendar.overrides()), self.settings_of(uow))

    def _due(self, uow: TicketUnitOfWork, start: datetime, priority: Priority) -> datetime:
        hours = self.settings_of(uow).sla_hours.get(priority, DEFAULT_SLA_HOURS[priority])
        return due_at(start, hours, self._calendar(uow))

    def _reprioritised_due(self, uow: TicketUnitOfWork, ticket: TicketRecord, chosen: Priority) -> datetime:
        if ticket.due_at is None:
            return self._due(uow, ticket.opened_at, chosen)
        settings, calendar = self.settings_of(uow), self._calendar(uow)
        hours = {p: settings.sla_hours.get(p, DEFAULT_SLA_HOURS[p]) for p in (ticket.priority, chosen)}
        since = ticket.waiting_since or self._clock.now()  # the clock stopped there while it waits
        if ticket.due_at >= since:
            left = working_time_between(since, ticket.due_at, calendar)
        else:
            left = -working_time_between(ticket.due_at, since, calendar)
        left += timedelta(hours=hours[chosen] - hours[ticket.priority])
        if left <= timedelta():
            return since
        return due_at(since, left.total_seconds() / 3600, calendar)

    def _ask_satisfaction(
        self, uow: TicketUnitOfWork, ticket: TicketRecord, now: datetime, changes: dict[str, object]
    ) -> None:
        """Queues the satisfaction survey of a resolved ticket (an invitation of the Service kind), unless one
        went within ``survey_again_after`` (a reopen and a resolve again the same week asks once)."""
        settings = self.settings_of(uow)
        if ticket.survey_sent_at is not None and now - ticket.survey_sent_at < settings.survey_again_after:
            return
        customer = uow.customers.get(ticket.customer_id)
        if customer is None:
            return
        expiry = FeedbackSettings.read(uow.settings).expiry_days
        invite(
            uow,  # type: ignore[arg-type]  # the store's unit of work is feedback's too
            customer,
            TICKET_SURVEY_KIND,
            SURVEY_TICKET,
            now,
            settings.survey_delay,
            expiry,
            order_id=ticket.order_id,
            params={"ticket": ticket.number},
            cause=f"{ticket.id}@{now.isoformat()}",
        )
        changes["survey_sent_at"] = now

    def _alert(self, uow: TicketUnitOfWork, key: str, ticket: TicketRecord) -> None:
        """The manager's alert by email and on WhatsApp (an approved template), to the addresses the branch set
        (off where it set none: staff accounts carry no contact of their own), in the caller's transaction; the
        in-app alert reads the tickets themselves (``manager_alerts``)."""
        settings = self.settings_of(uow)
        language = settings.alert_language
        values = {"ticket": ticket.number, "note": " ".join(ticket.subject.split())}
        for channel, recipient in ((EMAIL, settings.alert_email), (WHATSAPP, settings.alert_whatsapp)):
            if not recipient:
                continue
            tid = template_id(key, channel, language)
            wording = template_body(key, language)
            uow.messages.ensure_template(tid, key, channel, language, wording, variables_of(wording))
            words, params = fill(key, language, values)
            uow.messages.queue(None, channel, recipient, words, tid, params=params)

    @staticmethod
    def _ticket(uow: TicketUnitOfWork, ticket_id: str) -> TicketRecord:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This ticket does not exist in this chain."))
        return ticket

    @staticmethod
    def _response(uow: TicketUnitOfWork, ticket_id: str, response_id: str) -> ResponseRecord:
        return next(r for r in uow.tickets.responses(ticket_id) if r.id == response_id)
