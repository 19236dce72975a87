"""Surveys and their answers: who is asked (an invitation), what they answered (the feedback ledger), the points
an answer earns, and what a low score sets off.

An invitation is written in the transaction of what caused it (a sale, a VIP visit: core.feedback.handlers),
with its message held in the outbox until it is due. It takes one answer: a reply to an invitation that is
expired, already answered or someone else's is refused with a message the customer (or the cashier) can read.
An answer's row id is derived from its cause (the invitation, or at the till the order), so an answer taken
twice, even at two branches apart, is one row in the ledger union, and its points are one bonus.

A comment is kept as text: NFC, bidi controls (U+202A–E, U+2066–9) and other control characters removed, cut
at ``MAX_COMMENT`` characters. A long comment is cut rather than refused: the customer's score and the first
2,000 characters of what they wrote are worth more than nothing, and over WhatsApp nobody can be asked to write
it again shorter.

Points for feedback (the store setting ``feedback.points``, 0 for none) go on the loyalty ledger as a bonus,
in the answer's transaction, once per answer; an empty answer (no score, no comment) closes the invitation and
earns nothing. A low score raises ``LowScoreReceived``: it opens a ticket and alerts the branch manager
(core.tickets.service), and is listed by ``low_scores_waiting``.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from core.customers.model import CustomerProfile
from core.feedback.dashboard import DashboardFilter, DashboardOptions, FeedbackDashboard, build
from core.feedback.nps import GROUPINGS, MIN_ANSWERS, NpsFigure, figures
from core.feedback.ports import CustomerAnswer, FeedbackRecord, FeedbackUnitOfWork, InvitationRecord, LowScoreRow
from core.feedback.sentiment import analyse
from core.feedback.whatsapp import nps_list
from core.kernel.clock import DUBAI
from core.kernel.errors import NotFound, ValidationError
from core.kernel.events import LowScoreReceived
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ids import stable_id
from core.kernel.ports import Clock, UnitOfWorkFactory
from core.kernel.text import ascii_digits
from core.loyalty.ledger import load_rules, lot_expiry, open_ledger
from core.loyalty.rules import EventKind
from core.messaging.handlers import queue_customer_message
from core.receipts.service import SettingsRepository
from core.staff.auth import Actor, Permission

KINDS = ("product", "service", "general", "complaint")
INVITATION_KINDS = ("post_purchase", "vip_service", "product_review", "general", "ticket_service")
# What an answer to a reply is about when its invitation says so (a reply carries only a score and words).
ANSWER_KIND_OF = {"ticket_service": "service"}
MAX_COMMENT = 2000  # characters kept of a comment
TAG_BATCH = 5000  # answers whose themes are tagged per transaction when the dashboard catches up
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the till
CODE_LENGTH = 8

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@dataclass(frozen=True)
class FeedbackSettings:
    """The store settings ``feedback.*``: how long after a sale (a visit) the survey goes, for how many days it
    can be answered, and the points an answer earns."""

    post_purchase_delay: timedelta = timedelta(hours=24)
    vip_service_delay: timedelta = timedelta(hours=2)
    expiry_days: int = 7
    points: int = 10

    @classmethod
    def read(cls, settings: SettingsRepository) -> FeedbackSettings:
        def number(key: str, default: float) -> float:
            raw = settings.setting(key)
            try:
                return max(0.0, float(raw)) if raw is not None else default
            except ValueError:
                return default

        base = cls()
        return cls(
            post_purchase_delay=timedelta(
                hours=number("feedback.post_purchase_delay_hours", base.post_purchase_delay.total_seconds() / 3600)
            ),
            vip_service_delay=timedelta(
                hours=number("feedback.vip_service_delay_hours", base.vip_service_delay.total_seconds() / 3600)
            ),
            expiry_days=max(1, int(number("feedback.expiry_days", base.expiry_days))),
            points=int(number("feedback.points", base.points)),
        )


@dataclass(frozen=True)
class Answer:
    nps: int | None = None  # 0..10
    rating: int | None = None  # 1..5
    kind: str = "general"  # product | service | general | complaint
    comment: str | None = None

    def is_empty(self) -> bool:
        return self.nps is None and self.rating is None and not (self.comment or "").strip()


@dataclass(frozen=True)
class AnswerResult:
    feedback_id: str
    points: int
    low: bool
    sentiment: str | None
    comment: str | None  # as kept: cleaned and cut


def expires_at(sent_at: datetime, days: int) -> datetime:
    """Midnight in Asia/Dubai at the end of the ``days``-th day after the day it is sent there."""
    last_day = sent_at.astimezone(DUBAI).date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(0), DUBAI)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_comment(text: str | None) -> str | None:
    """The comment as kept: NFC, without bidi or other control characters (line breaks and tabs stay),
    trimmed, cut at MAX_COMMENT characters; None when nothing is left."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The comment must be text."), "comment")
    text = _BIDI.sub("", unicodedata.normalize("NFC", text))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").strip()
    return text[:MAX_COMMENT].rstrip() or None


_LEADING_SCORE = re.compile(r"\s*(\d{1,3})(?!\d)\s*(?:/\s*10\b)?[\s.,:;!\-–]*(.*)", re.DOTALL)


def reply_answer(text: str) -> Answer:
    """A reply's score and comment: "9", "٩ خدمة ممتازة", "10/10 lovely" (a number above 10 is kept, and
    refused by ``check``)."""
    if not isinstance(text, str):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The comment must be text."), "comment")
    digits = ascii_digits(text)
    found = _LEADING_SCORE.match(digits)
    if found is None:
        return Answer(comment=text)
    return Answer(nps=int(found.group(1)), comment=text[found.start(2) :] or None)  # digits map one to one


def is_low(nps: int | None, rating: int | None, kind: str, sentiment: str | None) -> bool:
    return (
        (nps is not None and nps <= 6)
        or (rating is not None and rating <= 2)
        or kind == "complaint"
        or sentiment == "negative"
    )


def check(answer: Answer) -> None:
    if answer.nps is not None and (isinstance(answer.nps, bool) or not 0 <= answer.nps <= 10):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The score must be a whole number from 0 to 10."), "nps")
    if answer.rating is not None and (isinstance(answer.rating, bool) or not 1 <= answer.rating <= 5):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "The rating must be from 1 to 5."), "rating")
    if answer.kind not in KINDS:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "The feedback type must be product, service, general or complaint."), "kind"
        )


def invite(
    uow: FeedbackUnitOfWork,
    customer: CustomerProfile,
    kind: str,
    key: str,
    now: datetime,
    delay: timedelta,
    expiry_days: int,
    *,
    order_id: str | None = None,
    visit_id: str | None = None,
    params: Mapping[str, object] | None = None,
    cause: str | None = None,
) -> InvitationRecord | None:
    """An invitation and its message, due ``delay`` from now, in the caller's transaction; None when the cause
    already has one. The message is refused (and the invitation still kept, for the till) without consent.
    ``cause``: what else makes it one of its own (a resolved ticket and when it was resolved)."""
    invitation_id = stable_id("survey-invitation", kind, order_id or "", visit_id or "", *([cause] if cause else []))
    if uow.feedback.has_invitation(invitation_id):
        return None
    due = now + delay
    code = new_code()
    message_id = queue_customer_message(
        uow,
        customer,
        key,
        {**(params or {}), "survey_code": code},
        due_at=due,
        # Inside the customer's 24 h window the question goes as a list they answer with a tap.
        interactive=lambda language: nps_list("", customer.mobile or "", language, code),
    )
    record = InvitationRecord(
        id=invitation_id,
        kind=kind,
        customer_id=customer.id,
        order_id=order_id,
        visit_id=visit_id,
        token=code,
        sent_at=due,
        expires_at=expires_at(due, expiry_days),
        communication_id=message_id,
        answered_at=None,
    )
    uow.feedback.add_invitation(record)
    return record


class FeedbackService:
    def __init__(self, uow: UnitOfWorkFactory[FeedbackUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def answer(self, actor: Actor, invitation: str, customer_id: str | None, answer: Answer) -> AnswerResult:
        """The answer to the invitation with this id or code, from ``customer_id`` (who replied: the sender of
        the reply, or the customer at the till)."""
        actor.require(Permission.RECORD_FEEDBACK)
        check(answer)
        now = self._clock.now()
        with self._uow(actor) as uow:
            found = uow.feedback.invitation(invitation.strip())
            if found is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "There is no survey with this code."), "invitation")
            if customer_id is None or customer_id != found.customer_id:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "This survey was sent to another customer; their answer is not taken."),
                    "invitation",
                )
            result = self._record(uow, actor, found, found.customer_id, found.order_id, answer, now)
            uow.commit()
            return result

    def answer_reply(self, actor: Actor, customer_id: str | None, text: str) -> AnswerResult:
        """A customer's reply to a survey message (an SMS or WhatsApp text): a leading score 0–10, in Western or
        Arabic-Indic digits, and what follows as the comment; a reply without a leading number is a comment.
        It answers the customer's latest survey already sent and still open. ``customer_id`` None: the reply
        came from a number no customer has, and is refused."""
        actor.require(Permission.RECORD_FEEDBACK)
        if customer_id is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "This reply comes from a number no customer has; it answers no survey."),
                "customer",
            )
        answer = reply_answer(text)
        check(answer)
        now = self._clock.now()
        with self._uow(actor) as uow:
            found = uow.feedback.open_invitation(customer_id, now)
            if found is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "This customer has no open survey to answer."), "invitation"
                )
            answer = replace(answer, kind=ANSWER_KIND_OF.get(found.kind, answer.kind))
            result = self._record(uow, actor, found, customer_id, found.order_id, answer, now)
            uow.commit()
            return result

    def answer_in(
        self,
        uow: FeedbackUnitOfWork,
        actor: Actor,
        invitation: InvitationRecord,
        customer_id: str | None,
        answer: Answer,
    ) -> AnswerResult:
        """The answer to ``invitation`` in the caller's unit of work (an inbound reply, handled with the record
        of its handling in one transaction: core.inbound), refused as ``answer`` refuses."""
        actor.require(Permission.RECORD_FEEDBACK)
        check(answer)
        if customer_id is None or customer_id != invitation.customer_id:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "This survey was sent to another customer; their answer is not taken."),
                "invitation",
            )
        return self._record(uow, actor, invitation, customer_id, invitation.order_id, answer, self._clock.now())

    def answer_at_till(self, actor: Actor, order_id: str, answer: Answer) -> AnswerResult:
        """The customer's answer on the till's quick dialog after a sale: the sale's invitation when it has one
        (a known customer), else an answer about the order alone."""
        actor.require(Permission.RECORD_FEEDBACK)
        check(answer)
        now = self._clock.now()
        with self._uow(actor) as uow:
            order = uow.orders.get(order_id)
            if order is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This sale no longer exists."), "order")
            found = uow.feedback.invitation_for_order(order_id)
            result = self._record(uow, actor, found, order.customer_id, order_id, answer, now)
            uow.commit()
            return result

    def _record(
        self,
        uow: FeedbackUnitOfWork,
        actor: Actor,
        invitation: InvitationRecord | None,
        customer_id: str | None,
        order_id: str | None,
        answer: Answer,
        now: datetime,
    ) -> AnswerResult:
        if invitation is not None:
            if invitation.answered_at is not None:
                raise ValidationError(QT_TRANSLATE_NOOP("core", "This survey was already answered."), "invitation")
            if now >= invitation.expires_at:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "This survey closed on {date}; the answer is not taken."),
                    "invitation",
                    date=(invitation.expires_at.astimezone(DUBAI) - timedelta(days=1)).date().isoformat(),
                )
            feedback_id = stable_id("feedback", invitation.id)
        else:
            feedback_id = stable_id("feedback", "order", order_id or "")
        if uow.feedback.feedback(feedback_id) is not None:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This survey was already answered."), "invitation")
        comment = clean_comment(answer.comment)
        found = analyse(comment) if comment else None
        sentiment = found.label if found else None
        low = is_low(answer.nps, answer.rating, answer.kind, sentiment)
        uow.feedback.add_feedback(
            FeedbackRecord(
                id=feedback_id,
                created_at=now,
                branch_id=actor.branch_id,
                customer_id=customer_id,
                order_id=order_id,
                invitation_id=invitation.id if invitation else None,
                kind=answer.kind,
                nps=answer.nps,
                rating=answer.rating,
                comment=comment,
                sentiment=sentiment,
                sentiment_score=found.score if found else None,
                low_score=low,
            )
        )
        if invitation is not None:
            uow.feedback.mark_answered(invitation.id, now)
            if invitation.communication_id and now < invitation.sent_at:
                uow.feedback.withdraw_message(invitation.communication_id, now, "answered before it was sent")
        points = 0
        settings = FeedbackSettings.read(uow.settings)
        empty = answer.is_empty() or (answer.nps is None and answer.rating is None and comment is None)
        if settings.points > 0 and customer_id is not None and not empty:
            customer = uow.customers.get(customer_id)
            if customer is not None:
                today = self._clock.today()
                rules = load_rules(uow)
                ledger = open_ledger(uow, customer, today, rules)
                ledger.post(
                    uow,
                    EventKind.BONUS,
                    settings.points,
                    order_id=order_id,
                    reason=f"feedback:{feedback_id}",
                    expires_on=lot_expiry(today, rules),
                    event_id=stable_id("feedback-points", feedback_id),
                )
                points = settings.points
        if low:
            uow.raise_event(
                LowScoreReceived(
                    feedback_id=feedback_id,
                    customer_id=customer_id,
                    order_id=order_id,
                    invitation_id=invitation.id if invitation else None,
                    branch_id=actor.branch_id,
                    nps=answer.nps,
                    rating=answer.rating,
                    kind=answer.kind,
                    sentiment=sentiment,
                )
            )
        return AnswerResult(feedback_id, points, low, sentiment, comment)

    def invitation(self, actor: Actor, id_or_code: str) -> InvitationRecord | None:
        actor.require(Permission.RECORD_FEEDBACK)
        with self._uow(None) as uow:
            return uow.feedback.invitation(id_or_code.strip())

    def of_customer(self, actor: Actor, customer_id: str, limit: int = 200) -> list[CustomerAnswer]:
        """The customer's answers, newest first, each with the ticket a low score opened: for those who read a
        customer's history (the customer screen's Feedback tab)."""
        actor.require(Permission.VIEW_CUSTOMER_HISTORY)
        with self._uow(None) as uow:
            return uow.feedback.of_customer(customer_id, limit)

    def low_scores_waiting(self, actor: Actor, days: int = 14, limit: int = 200) -> list[FeedbackRecord]:
        """The low scores of the last ``days`` days, newest first: what the branch manager should act on."""
        actor.require(Permission.VIEW_FEEDBACK)
        with self._uow(None) as uow:
            return uow.feedback.low_scores(self._clock.now() - timedelta(days=days), limit)

    def nps(
        self, actor: Actor, grouping: str, since: datetime, until: datetime, min_answers: int = MIN_ANSWERS
    ) -> list[NpsFigure]:
        """NPS per month (Asia/Dubai), branch, personal shopper, segment (loyalty tier) or campaign, with each
        group's counts and interval; "not enough data" below ``min_answers``."""
        actor.require(Permission.VIEW_FEEDBACK)
        if grouping not in GROUPINGS:
            raise ValueError(f"no NPS grouping {grouping!r}")
        with self._uow(None) as uow:
            return figures(uow.feedback.nps_counts(grouping, since, until), min_answers)

    def dashboard(self, actor: Actor, query: DashboardFilter) -> FeedbackDashboard:
        """Every figure of the manager's feedback dashboard for the period and filter (core.feedback.dashboard).
        Answers not tagged with their themes yet (pulled from another branch) are tagged first, a batch per
        transaction."""
        actor.require(Permission.VIEW_FEEDBACK)
        with self._uow(None) as uow:
            pending = uow.feedback.needs_tagging()
        while pending:
            with self._uow(actor) as uow:
                pending = uow.feedback.tag_untagged(TAG_BATCH) == TAG_BATCH
                uow.commit()
        with self._uow(None) as uow:
            return build(query, uow.feedback.fact_cells(query), uow.feedback.dashboard_names())

    def dashboard_options(self, actor: Actor) -> DashboardOptions:
        """The choices of the dashboard's filters: branches, personal shoppers, segments, campaigns."""
        actor.require(Permission.VIEW_FEEDBACK)
        with self._uow(None) as uow:
            return uow.feedback.dashboard_options()

    def low_scores_list(
        self, actor: Actor, days: int = 14, limit: int = 200, branch_id: str | None = None
    ) -> list[LowScoreRow]:
        """``low_scores_waiting`` with the customer's name and the ticket each opened, for one branch or all;
        those whose ticket is resolved or closed are left out."""
        actor.require(Permission.VIEW_FEEDBACK)
        with self._uow(None) as uow:
            found = uow.feedback.low_score_rows(self._clock.now() - timedelta(days=days), limit, branch_id)
        return [row for row in found if row.ticket_status not in ("resolved", "closed")]
