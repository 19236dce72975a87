"""Messages owed to customers, queued by event handlers in the transaction of what caused them.

A use case states what happened (core.kernel.events); these handlers decide what the customer is told. They
write to the outbox only: the dispatcher sends later, so a till never waits on a provider, and a use case
that rolls back leaves no message behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.customers.model import CustomerProfile
from core.kernel.bus import HandlerTable
from core.kernel.events import PointsExpiring, TierUpgraded
from core.messaging.ports import MessageRepository, MessagingUnitOfWork
from core.messaging.routing import route
from core.messaging.templates import EXPIRY_WARNING, TIER_UPGRADE, body, render, template_id, template_ids, variables_of


def queue_customer_message(
    uow: MessagingUnitOfWork, customer: CustomerProfile, key: str, params: Mapping[str, object]
) -> str | None:
    """A queued message in the customer's language and channel, written in the caller's transaction; None
    when the customer has no mobile or email. These are service messages: no quiet hours or caps."""
    found = route(customer)
    if found is None:
        return None
    language = found.language
    name = customer.display_name(language) or customer.number
    first = (customer.first_name_ar if language == "ar" else customer.first_name_en) or name
    text = render(key, language, {"name": name, "first_name": first, **params})
    tid = template_id(key, found.channel, language)
    wording = body(key, language)
    uow.messages.ensure_template(tid, key, found.channel, language, wording, variables_of(wording))
    return uow.messages.queue(customer.id, found.channel, found.recipient, text, tid)


def expiry_warning_sent_since(messages: MessageRepository, customer_id: str, since: datetime) -> bool:
    """Whether the customer was already warned of expiring points since ``since``, on any channel."""
    return messages.sent_since(customer_id, template_ids(EXPIRY_WARNING), since) > 0


def on_tier_upgraded(event: TierUpgraded, uow: MessagingUnitOfWork) -> None:
    customer = uow.customers.get(event.customer_id)
    if customer is not None:
        params = {"tier": event.tier, "bonus": event.bonus_points, "balance": event.balance}
        queue_customer_message(uow, customer, TIER_UPGRADE, params)


def on_points_expiring(event: PointsExpiring, uow: MessagingUnitOfWork) -> None:
    customer = uow.customers.get(event.customer_id)
    if customer is not None:
        params = {"points": event.points, "date": event.expires_on.isoformat()}
        queue_customer_message(uow, customer, EXPIRY_WARNING, params)


HANDLERS: HandlerTable = {
    TierUpgraded: [on_tier_upgraded],
    PointsExpiring: [on_points_expiring],
}
