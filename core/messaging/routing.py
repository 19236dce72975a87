"""Which channel reaches a customer, and in which language.

One place decides, so a receipt, a tier congratulation and an expiry warning all reach the customer the same
way. Consent and opt-outs are applied again when the message is sent, since they can change while it waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.customers.model import Channel, CustomerProfile, Language


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str  # E.164 mobile or email address
    language: str  # "ar" or "en"


class Reachable(Protocol):
    """What choosing a channel reads of a customer: a profile, or a campaign's narrower read of one."""

    @property
    def mobile(self) -> str | None: ...

    @property
    def email(self) -> str | None: ...

    @property
    def preferred_channel(self) -> Channel: ...

    @property
    def preferred_language(self) -> Language: ...


def language_of(customer: Reachable) -> str:
    return "ar" if customer.preferred_language == Language.ARABIC else "en"


def route(customer: CustomerProfile) -> Route | None:
    """The customer's preferred channel; a phone call or a missing email address falls back to SMS on the
    mobile. None when there is no way to reach them."""
    language = language_of(customer)
    channel = customer.preferred_channel
    if channel == Channel.EMAIL and customer.email:
        return Route(Channel.EMAIL.value, customer.email, language)
    if channel == Channel.WHATSAPP and customer.mobile:
        return Route(Channel.WHATSAPP.value, customer.mobile, language)
    if customer.mobile:
        return Route(Channel.SMS.value, customer.mobile, language)
    if customer.email:
        return Route(Channel.EMAIL.value, customer.email, language)
    return None
