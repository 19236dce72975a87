"""Promotional messages (a campaign's), queued in the caller's transaction like the service messages of
core.messaging.handlers, with what differs for an offer:

- the purpose is promotional: only a channel the customer granted promotional consent on (never assumed);
- the template row is marked promotional, so the dispatcher applies quiet hours and the frequency cap when it
  sends (core.messaging.rules) and the audience's cap counts it;
- a customer no channel can reach gets no outbox row at all (``None``): a campaign run would otherwise leave a
  refused offer in their Messages tab every day. The campaign's ledger row keeps the reason instead.

A campaign's own wording is a template of its own (key "campaign.<id>.<variant>"), written once per channel
and language, so the outbox row names it and its WhatsApp parameters are its variables in ``VARIABLES`` order.
On WhatsApp such a wording must be approved at Meta under its ``whatsapp_name`` before it can be delivered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.customers.model import Channel, CustomerProfile, Language, display_name
from core.kernel.ids import new_id
from core.messaging.consent import MESSAGE_CHANNELS, ConsentRecord, Purpose, address_key, fold
from core.messaging.handlers import names_of
from core.messaging.ports import MessagingUnitOfWork, NewMessage
from core.messaging.routing import Reachable, Route, language_of
from core.messaging.rules import DEFAULT_RULES, ConsentView, RulesConfig, address_of, address_works, choose_route
from core.messaging.templates import Later, body, render, template_id, variables_of


@dataclass(frozen=True, slots=True)
class OfferRecipient:
    """A customer as an offer's channel choice and greeting read them, with their promotional consent folded
    already: a campaign reads its batch's in one statement (storage), where a profile and a consent ledger per
    customer were a third of a run's time. ``promotional``: the channels whose latest change of promotional
    consent is a grant (oldest first by when it happened, then when written, then id, as ``fold`` orders them;
    the profile's checkboxes never grant it); ``invalid``: (channel, address key) of every address found
    invalid. It answers only for the promotional purpose."""

    id: str
    number: str
    branch_id: str  # their home branch
    first_name_en: str | None
    last_name_en: str | None
    first_name_ar: str | None
    last_name_ar: str | None
    mobile: str | None
    email: str | None
    preferred_language: Language
    preferred_channel: Channel
    promotional: frozenset[str]
    invalid: frozenset[tuple[str, str]] = frozenset()

    def display_name(self, language: str = "en") -> str:
        return display_name(self.first_name_en, self.last_name_en, self.first_name_ar, self.last_name_ar, language)

    def allows(self, channel: str, purpose: str) -> bool:
        if purpose != Purpose.PROMOTIONAL:
            raise ValueError("an offer's recipient holds only their promotional consent")
        return channel in self.promotional

    def address_invalid(self, channel: str, address: str | None) -> bool:
        return address is not None and (channel, address_key(address)) in self.invalid


def promotional_route(
    uow: MessagingUnitOfWork,
    customer: CustomerProfile,
    channel: str | None,
    config: RulesConfig = DEFAULT_RULES,
    records: Sequence[ConsentRecord] | None = None,
) -> Route | None:
    """The channel an offer reaches the customer on: ``channel`` when given, else their preferred one then the
    fallback order; only with promotional consent and a working address. None: no way to send it.
    ``records``: the customer's consent ledger when the caller read it already."""
    ledger = uow.consents.for_customer(customer.id) if records is None else records
    return offer_route(customer, fold(customer.id, ledger, customer), channel, config)


def offer_route(
    customer: Reachable, consent: ConsentView, channel: str | None, config: RulesConfig = DEFAULT_RULES
) -> Route | None:
    """``promotional_route`` on consent already folded (an OfferRecipient is both ``customer`` and ``consent``)."""
    if channel is None:
        return choose_route(customer, consent, Purpose.PROMOTIONAL, config)
    if channel not in MESSAGE_CHANNELS or not consent.allows(channel, Purpose.PROMOTIONAL):
        return None
    address = address_of(customer, channel)
    if address is None or not address_works(channel, address, consent):
        return None
    return Route(channel, address, language_of(customer))


class PromotionalWriter:
    """Queues many offers in one transaction (a campaign's batch): each template row is ensured and its stored
    wording read once per transaction, not once per customer. Route every customer first (reads), then queue
    (writes): the reads then never make the session flush the rows already queued, one customer at a time, and
    the batch's messages go to ``queue_many`` together."""

    def __init__(self, uow: MessagingUnitOfWork, config: RulesConfig = DEFAULT_RULES) -> None:
        self._uow = uow
        self._config = config
        self._wordings: dict[str, str | None] = {}
        self._kinds: dict[tuple[str, str, str], tuple[str, str, str | None, list[str]]] = {}
        self._branch: dict[tuple[str, str], Later] = {}  # {branch} by language and the customer's home branch

    def _branch_name(self, language: str, home: str) -> Later:
        messages = self._uow.messages
        return Later(lambda: messages.branch_name(language, home))

    def route(
        self,
        customer: CustomerProfile,
        channel: str | None = None,
        records: Sequence[ConsentRecord] | None = None,
    ) -> Route | None:
        return promotional_route(self._uow, customer, channel, self._config, records)

    def route_offer(self, recipient: OfferRecipient, channel: str | None = None) -> Route | None:
        return offer_route(recipient, recipient, channel, self._config)

    def _template(self, tid: str, key: str, route: Route, wording: str) -> str | None:
        """The stored wording of the template (None: the built-in one), writing the row the first time."""
        if tid not in self._wordings:
            stored = self._uow.messages.wording(tid)
            if stored is None:
                self._uow.messages.ensure_template(
                    tid, key, route.channel, route.language, wording, variables_of(wording), promotional=True
                )
            self._wordings[tid] = stored
        return self._wordings[tid]

    def _wording(
        self, key: str, found: Route, wordings: Mapping[str, str] | None
    ) -> tuple[str, str, str | None, list[str]]:
        """Once per template in a transaction: its id, the wording it was written with, the stored wording (None:
        that one) and the variables WhatsApp takes, in order."""
        language = found.language
        cached = self._kinds.get((key, found.channel, language))
        if cached is None:
            tid = template_id(key, found.channel, language)
            wording = wordings[language] if wordings is not None else body(key, language)
            stored = self._template(tid, key, found, wording)
            cached = self._kinds[(key, found.channel, language)] = (tid, wording, stored, variables_of(wording))
        return cached

    def compose(
        self,
        customer: CustomerProfile | OfferRecipient,
        found: Route,
        key: str,
        params: Mapping[str, object],
        wordings: Mapping[str, str] | None = None,
    ) -> NewMessage:
        """The offer ``key`` (or the campaign's own ``wordings``) on ``found``, ready to queue."""
        language = found.language
        branch = self._branch.get((language, customer.branch_id))
        if branch is None:
            branch = self._branch[(language, customer.branch_id)] = self._branch_name(language, customer.branch_id)
        values = {**names_of(customer, language), "branch": branch, **params}
        tid, wording, stored, names = self._wording(key, found, wordings)
        if wordings is not None:
            text = (stored or wording).format_map(values).strip()
        else:
            try:
                text = render(key, language, values, stored).strip()
            except (KeyError, IndexError, ValueError, AttributeError):
                text = render(key, language, values).strip()
        whatsapp = [format(values[v]) for v in names]
        return NewMessage(new_id(), customer.id, found.channel, found.recipient, text, tid, tuple(whatsapp))


def queue_promotional_message(
    uow: MessagingUnitOfWork,
    customer: CustomerProfile,
    key: str,
    params: Mapping[str, object],
    *,
    wordings: Mapping[str, str] | None = None,
    channel: str | None = None,
    config: RulesConfig = DEFAULT_RULES,
) -> str | None:
    """Queues the offer ``key`` (a built-in promotional template, or the campaign's own ``wordings`` per
    language) for the customer; returns the message id, or None when no channel may carry it."""
    writer = PromotionalWriter(uow, config)
    found = writer.route(customer, channel)
    if found is None:
        return None
    message = writer.compose(customer, found, key, params, wordings)
    uow.messages.queue_many([message])
    return message.id
