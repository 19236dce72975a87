"""What a customer's WhatsApp or SMS message becomes at the branch: a survey answer, a reply on their ticket, or a
new ticket.

Head office keeps every inbound message as a ``communications`` row of exactly one branch (the sender's
customer's home branch; for a number no customer has, the branch whose message it answers, else the first
branch: sync.headoffice.webhooks.record_inbound), and only that branch handles it, so two branches never both
open a ticket for it. The sync worker runs ``run`` after each pull; ``python main.py inbound`` runs it once.

Each message is handled once, in one transaction with the record of its handling (``inbound_handled``, local
to the store), in this order:

1. **An opt-out** (STOP, إلغاء …): head office already wrote the consent change; nothing more.
2. **A survey answer.** A list row or button id of ours names the invitation and the score
   (core.feedback.whatsapp); a text with a leading number 0–10 ("9", "٩ ممتاز", "10/10 lovely") answers the
   customer's open invitation (an id naming a survey this store has not pulled yet waits up to ``SURVEY_LAG``
   for it). The answer goes through FeedbackService (points, a low score's ticket). An id
   naming an invitation that expired, was answered already, or was sent to another customer, and a number
   sent after the customer's last survey closed, are refused: recorded with the reason, and the customer is
   told politely on WhatsApp (the store setting ``inbound.refusal_reply``, on by default; the message they
   just sent opened the 24 h window, and their consent is checked as for any reply). A refused SMS gets no
   answer: an SMS costs, and the cashier sees the refusal.
3. **Their open ticket** (the newest not closed): the message goes on its responses ledger as the customer's
   (not internal, no staff member, linked to the message); a ticket waiting for the customer is back in
   progress.
4. **A new ticket** (source "whatsapp" or "sms"), linked to the message and the customer, where the store
   setting ``inbound.tickets_from`` names the channel ("whatsapp" by default; "whatsapp,sms" for both).

A message from a number no customer has makes no ticket (a ticket belongs to a customer): it is recorded as
"unknown_sender" and listed by ``unknown_senders`` for a person to look at, and the message itself stays in
the store. A message without text (a photo, a location) is recorded as "no_text".

Everything a message makes has an id derived from the message (or, for an answer, from the invitation), so
handling it again — a store rebuilt from head office, a crash between the effect and its record — makes
nothing twice. Messages older than ``inbound.max_age_hours`` (72 by default) are not handled: a store that
comes back after a long outage does not answer week-old messages as if they were new. The text is cleaned
(NFC, no bidi or control characters) and cut to fit where it goes (a 2,000-character comment, a 200-character
subject, a 4,000-character description or response); the whole message stays on its ``communications`` row.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.customers.model import CustomerProfile
from core.feedback.ports import InvitationRecord
from core.feedback.service import Answer, FeedbackService, reply_answer
from core.feedback.whatsapp import NPS, SurveyReply, parse_reply_id
from core.inbound.ports import Handled, InboundRecord, InboundUnitOfWork
from core.kernel.errors import DomainError
from core.kernel.ports import Clock
from core.messaging.consent import Purpose
from core.messaging.optout import is_opt_out
from core.messaging.routing import language_of
from core.messaging.rules import SERVICE_WINDOW
from core.messaging.shopper_messages import ShopperMessageService
from core.staff.auth import Actor, Permission, Role
from core.tickets.model import RESPONSE_MAX, Source
from core.tickets.service import TicketService

log = logging.getLogger(__name__)

# What became of a message (inbound_handled.outcome).
ANSWERED = "answered"
REFUSED = "refused"
THREADED = "threaded"
OPENED = "opened"
NOTHING = "nothing"  # no ticket from this channel, by the store's setting
UNKNOWN_SENDER = "unknown_sender"
OPT_OUT = "opt_out"
NO_TEXT = "no_text"
FAILED = "failed"
WAITING = "waiting"  # not recorded: handled again after the next pull
# How long an answer naming a survey this store has not pulled yet waits for it (the sale that owed the survey
# may be at another branch, offline for a while) before it is refused as unknown.
SURVEY_LAG = timedelta(hours=6)

BATCH = 200
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

# Why an answer is refused, and what the customer is told (customer-facing: in their language, not the till's).
EXPIRED = "expired"
FOREIGN = "foreign"
ALREADY = "already_answered"
UNKNOWN_SURVEY = "unknown_survey"
TOLD: dict[str, dict[str, str]] = {
    EXPIRED: {
        "en": "Thank you for your reply. This survey has closed, so we could not record your answer.",
        "ar": "شكراً لردّك. انتهت مدة هذا الاستبيان، لذا لم نتمكن من تسجيل إجابتك.",
    },
    FOREIGN: {
        "en": "Thank you for your reply. This survey was sent to someone else, so we could not record your answer.",
        "ar": "شكراً لردّك. أُرسل هذا الاستبيان إلى شخص آخر، لذا لم نتمكن من تسجيل إجابتك.",
    },
    ALREADY: {
        "en": "Thank you, we already have your answer to this survey.",
        "ar": "شكراً لك، لقد سجّلنا إجابتك على هذا الاستبيان من قبل.",
    },
    UNKNOWN_SURVEY: {
        "en": "Thank you for your reply. We could not find this survey, so we could not record your answer.",
        "ar": "شكراً لردّك. لم نجد هذا الاستبيان، لذا لم نتمكن من تسجيل إجابتك.",
    },
}


def clean_received(text: str | None, limit: int) -> str:
    """What a customer sent, as a response or description keeps it: NFC, without bidi or other control
    characters (line breaks and tabs stay), trimmed, cut at ``limit`` characters."""
    if not text:
        return ""
    text = _BIDI.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    return text.strip()[:limit].rstrip()


@dataclass(frozen=True)
class InboundSettings:
    """The store settings ``inbound.*``."""

    tickets_from: frozenset[str] = frozenset({"whatsapp"})
    refusal_reply: bool = True
    max_age: timedelta = timedelta(hours=72)

    @classmethod
    def read(cls, setting: Callable[[str], str | None]) -> InboundSettings:
        base = cls()
        channels = setting("inbound.tickets_from")
        reply = setting("inbound.refusal_reply")
        hours = setting("inbound.max_age_hours")
        try:
            age = timedelta(hours=max(1.0, float(hours))) if hours else base.max_age
        except ValueError:
            age = base.max_age
        return cls(
            tickets_from=(
                frozenset(c.strip().lower() for c in channels.split(",") if c.strip())
                if channels is not None
                else base.tickets_from
            ),
            refusal_reply=base.refusal_reply if reply is None else reply.strip().lower() not in ("0", "no", "false"),
            max_age=age,
        )


@dataclass
class InboundReport:
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def handled(self) -> int:
        return sum(self.outcomes.values())


@dataclass(frozen=True)
class _Outcome:
    outcome: str
    ref: str | None = None
    detail: str | None = None


class InboundService:
    def __init__(
        self,
        uow: Callable[[Actor | None], InboundUnitOfWork],
        clock: Clock,
        feedback: FeedbackService,
        tickets: TicketService,
        branch_id: Callable[[], str],
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._feedback = feedback
        self._tickets = tickets
        self._branch = branch_id

    @property
    def _branch_id(self) -> str:
        return self._branch()

    @property
    def system(self) -> Actor:
        """The store itself answers and opens tickets: no person is named on what it writes."""
        return Actor("", self._branch_id, Role.MANAGER, "inbound")

    def settings(self) -> InboundSettings:
        with self._uow(None) as uow:
            return InboundSettings.read(uow.settings.setting)

    def run(self, limit: int = BATCH) -> InboundReport:
        """Handles this branch's inbound messages not handled yet (at most ``limit``, oldest first)."""
        report = InboundReport()
        settings = self.settings()
        with self._uow(None) as uow:
            pending = uow.inbound.pending(self._branch_id, self._clock.now() - settings.max_age, limit)
        for message in pending:
            report.outcomes[self.handle(message, settings)] += 1
        return report

    def handle(self, message: InboundRecord, settings: InboundSettings | None = None) -> str:
        """Handles one message (nothing when it was handled already); returns its outcome."""
        settings = settings or self.settings()
        try:
            with self._uow(self.system) as uow:
                if uow.inbound.handled(message.id) is not None:
                    return "repeated"
                done = self._decide(uow, message, settings)
                if done.outcome == WAITING:
                    return WAITING  # nothing written: the unit of work rolls back
                uow.inbound.mark_handled(message.id, self._clock.now(), done.outcome, done.ref, done.detail)
                uow.commit()
                return done.outcome
        except Exception as error:  # a message that cannot be handled is recorded, never retried forever
            log.exception("inbound message %s could not be handled", message.id)
            with self._uow(self.system) as uow:
                if uow.inbound.handled(message.id) is None:
                    uow.inbound.mark_handled(
                        message.id, self._clock.now(), FAILED, None, f"{type(error).__name__}: {error}"[:500]
                    )
                    uow.commit()
            return FAILED

    def handled(self, actor: Actor, message_id: str) -> Handled | None:
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            return uow.inbound.handled(message_id)

    def unknown_senders(self, actor: Actor, days: int = 14, limit: int = 200) -> list[InboundRecord]:
        """Messages of the last ``days`` days from numbers no customer has, newest first: for a person to read
        and, if it is a customer with a new number, to add the number."""
        actor.require(Permission.HANDLE_TICKETS)
        with self._uow(None) as uow:
            return uow.inbound.unknown_senders(self._branch_id, self._clock.now() - timedelta(days=days), limit)

    # -- deciding ----------------------------------------------------------------------------------------------
    def _decide(self, uow: InboundUnitOfWork, message: InboundRecord, settings: InboundSettings) -> _Outcome:
        if message.customer_id is None:
            return _Outcome(UNKNOWN_SENDER)
        customer = uow.customers.get(message.customer_id)
        if customer is None:
            return _Outcome(UNKNOWN_SENDER, detail="the customer is not in this store")
        text = clean_received(message.body, RESPONSE_MAX)
        survey = parse_reply_id(message.reply_id)
        if survey is None and not text:
            return _Outcome(NO_TEXT)
        if survey is None and is_opt_out(text):
            return _Outcome(OPT_OUT)
        answered = self._survey(uow, message, customer, survey, text, settings)
        if answered is not None:
            return answered
        ticket = self._tickets.open_ticket_of(uow, customer.id)
        if ticket is not None:
            return _Outcome(THREADED, self._tickets.add_inbound(uow, ticket, message.id, text), ticket.id)
        if message.channel not in settings.tickets_from:
            return _Outcome(NOTHING)
        source = Source.WHATSAPP if message.channel == "whatsapp" else Source.SMS
        return _Outcome(OPENED, self._tickets.open_from_inbound(uow, customer.id, message.id, text, source))

    def _survey(
        self,
        uow: InboundUnitOfWork,
        message: InboundRecord,
        customer: CustomerProfile,
        survey: SurveyReply | None,
        text: str,
        settings: InboundSettings,
    ) -> _Outcome | None:
        """The message as a survey answer: answered, refused, or None when it is no answer at all."""
        now = self._clock.now()
        if survey is not None:
            invitation = uow.feedback.invitation(survey.code)
            answer = Answer(nps=survey.score) if survey.scale == NPS else Answer(rating=survey.score)
        else:
            answer = reply_answer(text)
            if answer.nps is None or not 0 <= answer.nps <= 10:
                return None  # no leading score: a message, not an answer
            invitation = uow.feedback.open_invitation(customer.id, now)
            if invitation is None:
                last = uow.feedback.last_invitation(customer.id, now)
                # A number sent after the customer's last survey closed (not long after): that survey's answer.
                if last is None or last.answered_at is not None or now - last.expires_at > settings.max_age:
                    return None
                invitation = last
        if survey is not None and invitation is None and now - message.created_at < SURVEY_LAG:
            return _Outcome(WAITING)  # the survey may not have reached this store yet
        why = self._refusal(invitation, customer.id, now)
        if why is not None:
            self._tell(uow, message, customer, why, settings)
            return _Outcome(REFUSED, invitation.id if invitation else None, why)
        assert invitation is not None
        try:
            result = self._feedback.answer_in(uow, self.system, invitation, customer.id, answer)
        except DomainError as error:  # a score the survey does not take (a rating of 7)
            return _Outcome(REFUSED, invitation.id, str(error))
        return _Outcome(ANSWERED, result.feedback_id)

    @staticmethod
    def _refusal(invitation: InvitationRecord | None, customer_id: str, now: datetime) -> str | None:
        if invitation is None:
            return UNKNOWN_SURVEY
        if invitation.customer_id != customer_id:
            return FOREIGN
        if invitation.answered_at is not None:
            return ALREADY
        if now >= invitation.expires_at:
            return EXPIRED
        return None

    def _tell(
        self,
        uow: InboundUnitOfWork,
        message: InboundRecord,
        customer: CustomerProfile,
        why: str,
        settings: InboundSettings,
    ) -> None:
        """A short, polite answer on WhatsApp while the message's 24 h window is open and the customer agreed to
        service messages there; otherwise nothing (the refusal is recorded all the same)."""
        if not settings.refusal_reply or message.channel != "whatsapp" or not customer.mobile:
            return
        if self._clock.now() - message.created_at >= SERVICE_WINDOW:
            return
        try:
            consent = ShopperMessageService.consent_of(uow, customer)
            ShopperMessageService.check_whatsapp(customer, consent, Purpose.TRANSACTIONAL)
        except DomainError:
            return
        words = TOLD[why].get(language_of(customer), TOLD[why]["en"])
        uow.messages.queue(customer.id, "whatsapp", str(customer.mobile), words, None)
