"""Messages for the people at the till: a manager's wording of the templates, and a customer's messages.

The wording of a template is a ``message_templates`` row per key, channel and language (its id derives from
the three, so every branch writes the same row and replicas merge field by field). A manager saves one
language's wording for the channels it is meant for; each save is one transaction that writes those rows with
their change-log rows, after core.messaging.wording has checked the text for every channel chosen, so a
refused save leaves every stored wording as it was. core.messaging.handlers sends the stored wording when
there is one, else the built-in text of core.messaging.templates.

A customer's Messages tab lists what was sent to them and what they replied, with each message's status
history. Who reads it: those who read a customer's history (personal shoppers, managers, administrators);
a cashier at the till, who needs neither, does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import UnitOfWork
from core.messaging.outbox import HistoryEntry
from core.messaging.ports import MessageRecord, MessageRepository
from core.messaging.sms import DEFAULT_RATES_AED, PartsLimit, SmsRates
from core.messaging.templates import BODIES, KEYS, LANGUAGES, template_id
from core.messaging.wording import CHANNELS, Preview, check_wording, preview
from core.staff.auth import Actor, Permission

MESSAGES_SHOWN = 200  # a customer's newest messages; years of receipts are not read on a till


class MessagesUnitOfWork(UnitOfWork, Protocol):
    messages: MessageRepository


@dataclass(frozen=True)
class Wording:
    """One template's wording in one language on one channel; ``stored`` False while the built-in one applies."""

    key: str
    channel: str
    language: str
    body: str
    built_in: str
    stored: bool

    @property
    def reworded(self) -> bool:
        return self.stored and self.body != self.built_in


class MessagingService:
    """``rates`` and ``limit``: the SMS prices and parts limit this deployment configured (main.py reads
    SMS_RATES_AED, SMS_MAX_PARTS and SMS_WARN_PARTS); the preview and the checks use them."""

    def __init__(
        self,
        uow: Callable[[Actor | None], MessagesUnitOfWork],
        rates: SmsRates | None = None,
        limit: PartsLimit | None = None,
    ) -> None:
        self._uow = uow
        self.rates = rates or SmsRates.from_aed(DEFAULT_RATES_AED)
        self.limit = limit or PartsLimit()

    # -- templates ---------------------------------------------------------------------------------------------
    def wordings(self, actor: Actor) -> list[Wording]:
        """Every template's wording per channel and language, in the editor's order."""
        actor.require(Permission.MANAGE_MESSAGE_TEMPLATES)
        with self._uow(None) as uow:
            stored = {r.id: r.body for r in uow.messages.templates(list(KEYS))}
        found = []
        for key in KEYS:
            for language in LANGUAGES:
                built_in = BODIES[(key, language)]
                for channel in CHANNELS:
                    body = stored.get(template_id(key, channel, language))
                    found.append(Wording(key, channel, language, body or built_in, built_in, body is not None))
        return found

    def preview(
        self,
        key: str,
        language: str,
        wording: str,
        channels: Iterable[str] = CHANNELS,
        branch: str = "",
    ) -> Preview:
        """``wording`` as a sample customer would get it, ``branch`` naming the sending branch (pure: safe to
        call as the manager types)."""
        sample = {"branch": branch} if branch else None
        return preview(key, language, wording, channels=channels, sample=sample, rates=self.rates, limit=self.limit)

    def save_wording(
        self, actor: Actor, key: str, wordings: Mapping[str, str], channels: Iterable[str]
    ) -> dict[str, Preview]:
        """Stores the wording of ``key`` in each language of ``wordings`` for ``channels``, in one transaction.
        Refuses a role that may not (PermissionDenied) and a wording any chosen channel could not carry
        (ValidationErrors, each language's problems together); nothing is written then."""
        actor.require(Permission.MANAGE_MESSAGE_TEMPLATES)
        chosen = list(dict.fromkeys(channels))
        checked: dict[str, Preview] = {}
        refusals: list[ValidationError] = []
        for language, wording in wordings.items():
            try:
                checked[language] = check_wording(key, language, wording, chosen, rates=self.rates, limit=self.limit)
            except ValidationErrors as refused:
                refusals.extend(refused.errors)
        if refusals or not checked:
            raise ValidationErrors(refusals or [ValidationError(QT_TRANSLATE_NOOP("core", "Nothing to save."))])
        with self._uow(actor) as uow:
            for language, seen in checked.items():
                for channel in chosen:
                    tid = template_id(key, channel, language)
                    uow.messages.save_wording(tid, key, channel, language, seen.wording, list(seen.variables))
            uow.commit()
        return checked

    # -- a customer's messages ---------------------------------------------------------------------------------
    def customer_messages(self, actor: Actor, customer_id: str) -> list[MessageRecord]:
        """The customer's messages, to and from them, newest first."""
        actor.require(Permission.VIEW_CUSTOMER_HISTORY)
        with self._uow(None) as uow:
            return uow.messages.for_customer(customer_id, MESSAGES_SHOWN)

    def message_history(self, actor: Actor, message_id: str) -> list[HistoryEntry]:
        """What happened to one message, oldest first."""
        actor.require(Permission.VIEW_CUSTOMER_HISTORY)
        if not message_id:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Choose a message."), "message")
        with self._uow(None) as uow:
            return uow.messages.history(message_id)
