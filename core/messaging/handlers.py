"""Messages owed to customers, queued by event handlers in the transaction of what caused them.

A use case states what happened (core.kernel.events); these handlers decide what the customer is told. They
write to the outbox only: the dispatcher sends later, so a till never waits on a provider, and a use case
that rolls back leaves no message behind.

Consent is applied when a message is queued (and again by core.messaging.rules when it is sent): the message
goes on the customer's preferred channel, else the first of the fallback order, among the channels they agreed
to for its purpose with a working address. When no channel can carry it, the message is still written, with
the status ``refused`` and the reason, and is never sent: the customer's Messages tab shows why they were not
told, and a notice that must go once per period (the expiry warning) is not raised again every day.

Every message queued here is transactional (receipts, loyalty notices, a gift card to its recipient): no
quiet hours or caps, but never on a channel the customer opted out of.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from core.customers.model import Channel, CustomerProfile
from core.kernel.bus import HandlerTable
from core.kernel.events import ConsentRecorded, GiftCardSold, PointsExpiring, SaleCompleted, TierUpgraded
from core.kernel.money import fils_to_text
from core.messaging.consent import MESSAGE_CHANNELS, Purpose, answers_to_changes, fold
from core.messaging.outbound import WhatsAppButtons, WhatsAppList, interactive_payload
from core.messaging.ports import MessageRepository, MessagingUnitOfWork
from core.messaging.routing import language_of
from core.messaging.rules import DEFAULT_RULES, NO_CHANNEL, SERVICE_WINDOW, RulesConfig, address_of, choose_route
from core.messaging.templates import (
    EXPIRY_WARNING,
    GIFT_CARD_RECEIVED,
    RECEIPT,
    SOMEONE,
    TIER_UPGRADE,
    Later,
    body,
    parameters,
    render,
    template_id,
    template_ids,
    variables_of,
)

REFUSED = "refused"
log = logging.getLogger(__name__)


def queue_customer_message(
    uow: MessagingUnitOfWork,
    customer: CustomerProfile,
    key: str,
    params: Mapping[str, object],
    config: RulesConfig = DEFAULT_RULES,
    due_at: datetime | None = None,
    interactive: Callable[[str], WhatsAppButtons | WhatsAppList] | None = None,
    web_link: Callable[[str], str] | None = None,
) -> str:
    """A message in the customer's language on the channel the rules choose, written in the caller's
    transaction; refused (with the reason) when no channel has consent and a working address. ``due_at``:
    the outbox holds it until then (a survey a day after the sale). ``interactive``: the message as a WhatsApp
    list or reply buttons in a language, sent instead of the template when it goes on WhatsApp while the
    customer's 24 h window is still open at ``due_at`` (a customer who wrote to us that day). ``web_link``: a
    line in a language that an SMS or email ends with (a survey's page), never part of the WhatsApp template."""
    consent = fold(customer.id, uow.consents.for_customer(customer.id), customer)
    found = choose_route(customer, consent, Purpose.TRANSACTIONAL, config)
    language = found.language if found else language_of(customer)
    if found is not None:
        channel, recipient = found.channel, found.recipient
    else:
        preferred = customer.preferred_channel.value
        channel = preferred if preferred in MESSAGE_CHANNELS else config.fallback[0]
        recipient = address_of(customer, channel) or ""
    branch = Later(lambda: uow.messages.branch_name(language, customer.branch_id))
    values = {**names_of(customer, language), "branch": branch, **params}
    tid = template_id(key, channel, language)
    text = _render(key, language, values, uow.messages.wording(tid))
    if text is None:  # no stored wording: the built-in one, written once as the template's row
        wording = body(key, language)
        uow.messages.ensure_template(tid, key, channel, language, wording, variables_of(wording))
        text = render(key, language, values).strip()
    if web_link is not None and channel in (Channel.SMS.value, Channel.EMAIL.value):
        text = f"{text}\n{web_link(language)}"
    # WhatsApp sends the approved template with its values, in the built-in wording's variable order.
    whatsapp = parameters(key, language, values)
    if found is None:
        return uow.messages.queue(
            customer.id, channel, recipient, text, tid, status=REFUSED, error=NO_CHANNEL, params=whatsapp
        )
    if interactive is not None and due_at is not None and channel == Channel.WHATSAPP.value:
        last = uow.messages.last_inbound(customer.id, channel)
        if last is not None and due_at < last + SERVICE_WINDOW:
            made = interactive(language)
            return uow.messages.queue(
                customer.id, channel, recipient, made.body, None, due_at=due_at, interactive=interactive_payload(made)
            )
    return uow.messages.queue(customer.id, channel, recipient, text, tid, params=whatsapp, due_at=due_at)


class Addressee(Protocol):
    """What a message's greeting reads of a customer: a profile, or a campaign's narrower read of one."""

    @property
    def number(self) -> str: ...

    @property
    def first_name_en(self) -> str | None: ...

    @property
    def first_name_ar(self) -> str | None: ...

    def display_name(self, language: str = "en") -> str: ...


def names_of(customer: Addressee, language: str) -> dict[str, str]:
    """How a message addresses the customer in ``language``: ``name`` in full, ``first_name``."""
    name = customer.display_name(language) or customer.number
    first = (customer.first_name_ar if language == "ar" else customer.first_name_en) or name
    return {"name": name, "first_name": first}


def _render(key: str, language: str, values: Mapping[str, object], wording: str | None) -> str | None:
    """The message in a manager's wording; None when there is none, or when it cannot be filled in here (a
    wording from a newer version, say): a sale is never refused over a template, the built-in one goes."""
    if wording is None:
        return None
    try:
        return render(key, language, values, wording).strip()
    except (KeyError, IndexError, ValueError, AttributeError):
        log.warning("template %s/%s cannot be filled in here; the built-in wording is sent", key, language)
        return None


def _points_worth(uow: MessagingUnitOfWork, points: int) -> Later:
    return Later(lambda: fils_to_text(points * uow.messages.point_value_fils()))


def expiry_warning_sent_since(messages: MessageRepository, customer_id: str, since: datetime) -> bool:
    """Whether the customer was already warned of expiring points since ``since``, on any channel."""
    return messages.sent_since(customer_id, template_ids(EXPIRY_WARNING), since) > 0


def on_tier_upgraded(event: TierUpgraded, uow: MessagingUnitOfWork) -> None:
    customer = uow.customers.get(event.customer_id)
    if customer is not None:
        params = {
            "tier": event.tier,
            "bonus": event.bonus_points,
            "balance": event.balance,
            "points": event.balance,
            "balance_aed": _points_worth(uow, event.balance),
        }
        queue_customer_message(uow, customer, TIER_UPGRADE, params)


def on_points_expiring(event: PointsExpiring, uow: MessagingUnitOfWork) -> None:
    customer = uow.customers.get(event.customer_id)
    if customer is not None:
        params = {
            "points": event.points,
            "date": event.expires_on.isoformat(),
            "balance_aed": _points_worth(uow, event.points),
        }
        queue_customer_message(uow, customer, EXPIRY_WARNING, params)


def on_sale_completed(event: SaleCompleted, uow: MessagingUnitOfWork) -> None:
    """The receipt / order confirmation, for a sale to a known customer."""
    if event.customer_id is None:
        return
    known = event.customer
    customer = known if known is not None and known.id == event.customer_id else uow.customers.get(event.customer_id)
    if customer is not None:
        params = {
            "order_number": event.order_number,
            "total": fils_to_text(event.total_fils),
            "points": event.points_earned,
        }
        queue_customer_message(uow, customer, RECEIPT, params)


def on_gift_card_sold(event: GiftCardSold, uow: MessagingUnitOfWork) -> None:
    """A card sold for a recipient we know tells them, with the buyer's note."""
    if event.recipient_customer_id is None:
        return
    recipient = uow.customers.get(event.recipient_customer_id)
    if recipient is None:
        return
    language = language_of(recipient)
    params = {
        "amount": fils_to_text(event.amount_fils),
        "date": event.expires_on.isoformat(),
        "from_name": event.from_name or SOMEONE[language],
        "note": event.message or "",
        "balance_aed": fils_to_text(event.amount_fils),
    }
    queue_customer_message(uow, recipient, GIFT_CARD_RECEIVED, params)


def on_consent_recorded(event: ConsentRecorded, uow: MessagingUnitOfWork) -> None:
    """Staff's answers at the till become consent ledger rows, in the transaction that saved the customer."""
    profile = uow.customers.get(event.customer_id)
    records = uow.consents.for_customer(event.customer_id)
    for change in answers_to_changes(event.customer_id, event.answers, records, profile, event.at, event.staff_id):
        uow.consents.add(change)


HANDLERS: HandlerTable = {
    TierUpgraded: [on_tier_upgraded],
    PointsExpiring: [on_points_expiring],
    SaleCompleted: [on_sale_completed],
    GiftCardSold: [on_gift_card_sold],
    ConsentRecorded: [on_consent_recorded],
}
