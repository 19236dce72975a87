"""A personal shopper writes to a customer on WhatsApp from the customer screen: an approved template (a
favourite back in stock, an appointment reminder, thanks for a visit) in the customer's language, or free text
while the customer's 24 h window is open.

It only queues: the message is one outbox row written with its change-log row in one transaction, so it works
offline and the dispatcher (head office's, or a standalone store's) sends it later, after asking the send
rules again. Refused here, before anything is written, with what to do next: a customer who has not agreed to
this kind of message on WhatsApp (naming the channels they did agree to), a number WhatsApp cannot reach, free
text outside the window, a field left empty. Shoppers and managers may send; cashiers may not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Protocol

from babel.dates import format_date

from core.customers.model import Channel, CustomerProfile
from core.kernel.errors import DomainError, NotFound, ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from core.messaging.consent import MESSAGE_CHANNELS, ConsentState, Purpose, fold
from core.messaging.handlers import names_of
from core.messaging.ports import MessagingUnitOfWork
from core.messaging.routing import language_of
from core.messaging.rules import address_works, window_open
from core.messaging.templates import (
    SHOPPER_TEMPLATES,
    body,
    fill,
    is_promotional,
    template_id,
    variables_of,
)
from core.staff.auth import Actor, Permission

WHATSAPP = Channel.WHATSAPP.value
FIELD_MAX = 60  # a product or branch name, a date, a time: one line of the message
TEXT_MAX = 1000  # free text: a short note, well inside WhatsApp's 4096
# The variables the message fills itself; the shopper fills the rest.
FILLED = frozenset({"name", "first_name"})


class ChannelRefused(DomainError):
    """The customer has not agreed to this kind of message on WhatsApp; ``agreed`` names the channels they
    agreed to for it (empty: none)."""

    def __init__(self, message: str, agreed: tuple[str, ...], **params: object) -> None:
        super().__init__(message, None, **params)
        self.agreed = agreed


class ShopperMessageUnitOfWork(UnitOfWork, MessagingUnitOfWork, Protocol):
    pass


@dataclass(frozen=True)
class MessageContext:
    """What the dialog needs to know of the customer before the shopper writes."""

    customer_id: str
    language: str  # "ar" or "en": every message goes in the customer's language
    first_name: str
    mobile: str | None
    window_open: bool  # free text may go (the customer wrote on WhatsApp in the last 24 hours)
    transactional: bool  # WhatsApp consent for service messages
    promotional: bool  # and for offers


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    channel: str
    text: str


def fields_of(key: str) -> list[str]:
    """The values a shopper fills for template ``key``, in the order the template uses them."""
    return [v for v in variables_of(body(key, "en")) if v not in FILLED]


def date_words(day: date, language: str) -> str:
    """A date as a customer reads it in a message: '5 December 2026', '5 ديسمبر 2026'."""
    return format_date(day, "d MMMM y", locale=language)


def time_words(moment: time) -> str:
    return moment.strftime("%H:%M")


def preview(context: MessageContext, key: str, values: Mapping[str, str]) -> str:
    """The text as it will go out, in the customer's language; a field not filled yet shows as '…'."""
    filled = {name: (values.get(name) or "").strip() or "…" for name in fields_of(key)}
    return fill(key, context.language, {"name": context.first_name, "first_name": context.first_name, **filled})[0]


def _clean(field: str, value: str | None, limit: int) -> str:
    text = " ".join((value or "").split())  # WhatsApp refuses new lines and runs of spaces in a parameter
    if not text:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field is required."), field)
    if len(text) > limit:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Too long for WhatsApp: at most {max} characters, this has {length}."),
            field,
            max=limit,
            length=len(text),
        )
    return text


class ShopperMessageService:
    def __init__(self, uow: UnitOfWorkFactory[ShopperMessageUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def templates(self) -> tuple[str, ...]:
        return SHOPPER_TEMPLATES

    def context(self, actor: Actor, customer_id: str) -> MessageContext:
        """The customer's language, WhatsApp consent and whether their 24 h window is open now."""
        actor.require(Permission.MESSAGE_CUSTOMERS)
        with self._uow(None) as uow:
            profile, consent = self._customer(uow, customer_id)
            last = uow.messages.last_inbound(customer_id, WHATSAPP)
        language = language_of(profile)
        return MessageContext(
            customer_id,
            language,
            names_of(profile, language)["first_name"],
            profile.mobile,
            window_open(last, self._clock.now()),
            consent.allows(WHATSAPP, Purpose.TRANSACTIONAL),
            consent.allows(WHATSAPP, Purpose.PROMOTIONAL),
        )

    def send_template(self, actor: Actor, customer_id: str, key: str, values: Mapping[str, str]) -> QueuedMessage:
        """Queues template ``key`` to the customer on WhatsApp with the shopper's ``values``."""
        actor.require(Permission.MESSAGE_CUSTOMERS)
        if key not in SHOPPER_TEMPLATES:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Choose a message to send."), "template")
        cleaned = {name: _clean(name, values.get(name), FIELD_MAX) for name in fields_of(key)}
        purpose = Purpose.PROMOTIONAL if is_promotional(key) else Purpose.TRANSACTIONAL
        with self._uow(actor) as uow:
            profile, consent = self._customer(uow, customer_id)
            self._check_whatsapp(profile, consent, purpose)
            language = language_of(profile)
            text, params = fill(key, language, {**names_of(profile, language), **cleaned})
            tid = template_id(key, WHATSAPP, language)
            wording = body(key, language)
            uow.messages.ensure_template(
                tid, key, WHATSAPP, language, wording, variables_of(wording), promotional=is_promotional(key)
            )
            message_id = uow.messages.queue(customer_id, WHATSAPP, str(profile.mobile), text, tid, params=params)
            uow.commit()
        return QueuedMessage(message_id, WHATSAPP, text)

    def send_text(self, actor: Actor, customer_id: str, text: str) -> QueuedMessage:
        """Queues free text to the customer on WhatsApp: only inside their 24 h window, a service message."""
        actor.require(Permission.MESSAGE_CUSTOMERS)
        words = (text or "").strip()
        if not words:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "This field is required."), "text")
        if len(words) > TEXT_MAX:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Too long for WhatsApp: at most {max} characters, this has {length}."),
                "text",
                max=TEXT_MAX,
                length=len(words),
            )
        with self._uow(actor) as uow:
            profile, consent = self._customer(uow, customer_id)
            self._check_whatsapp(profile, consent, Purpose.TRANSACTIONAL)
            if not window_open(uow.messages.last_inbound(customer_id, WHATSAPP), self._clock.now()):
                raise DomainError(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "The customer has not written on WhatsApp in the last 24 hours: send a template instead.",
                    )
                )
            message_id = uow.messages.queue(customer_id, WHATSAPP, str(profile.mobile), words, None)
            uow.commit()
        return QueuedMessage(message_id, WHATSAPP, words)

    # -- checks ------------------------------------------------------------------------------------------------

    @staticmethod
    def _customer(uow: ShopperMessageUnitOfWork, customer_id: str) -> tuple[CustomerProfile, ConsentState]:
        profile = uow.customers.get(customer_id)
        if profile is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
        return profile, ShopperMessageService.consent_of(uow, profile)

    @staticmethod
    def consent_of(uow: MessagingUnitOfWork, profile: CustomerProfile) -> ConsentState:
        """The customer's consent as it stands (another use case's reply to the customer asks it too)."""
        return fold(profile.id, uow.consents.for_customer(profile.id), profile)

    @staticmethod
    def check_whatsapp(profile: CustomerProfile, consent: ConsentState, purpose: str) -> None:
        """Refuses WhatsApp to a customer who has not agreed to ``purpose`` on it or cannot get it there."""
        ShopperMessageService._check_whatsapp(profile, consent, purpose)

    @staticmethod
    def _check_whatsapp(profile: CustomerProfile, consent: ConsentState, purpose: str) -> None:
        if not consent.allows(WHATSAPP, purpose):
            agreed = tuple(c for c in MESSAGE_CHANNELS if consent.allows(c, purpose))
            if not agreed:
                raise ChannelRefused(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "The customer has agreed to no channel for this kind of message. "
                        "Record their consent on the Profile tab first.",
                    ),
                    agreed,
                )
            raise ChannelRefused(
                QT_TRANSLATE_NOOP(
                    "core",
                    "The customer has not agreed to this kind of message on WhatsApp. They agreed to: {channels}.",
                ),
                agreed,
                channels=", ".join(agreed),
            )
        if not address_works(WHATSAPP, profile.mobile, consent):
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "The customer's mobile cannot receive WhatsApp messages: correct it first."),
                "mobile",
            )
