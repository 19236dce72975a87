"""What a customer agreed to be sent, per channel and per purpose, and the ledger that proves it.

Consent is a **ledger of changes**, never a flag that is overwritten: each row says what changed (a grant, a
withdrawal, an address found invalid), on which channel and for which purpose, when it happened, what caused
it (staff at the till, the customer's STOP reply, WhatsApp's marketing opt-out, an email unsubscribe or spam
report, a hard bounce) and the evidence (the text the customer sent, the provider's event id, the staff
member). The state the rules read is folded from it, latest first. Rows replicate as a ledger: a change made
at head office from a provider's webhook and one made at a till while offline both reach every replica, and
every replica folds the same rows to the same state.

Purposes: **transactional** (receipts, order confirmations, loyalty account notices, a gift card sent to its
recipient) and **promotional** (offers, campaigns). PDPL asks for consent that is specific and withdrawable,
so promotional consent is never assumed: only an explicit grant opens it. A channel whose ledger is still
empty takes its transactional consent from the profile's checkbox, which is what the till recorded before this
ledger existed (and what it still records beside it).

Opt-out replies (core.messaging.optout) decide as follows:
- STOP (or إلغاء …) on SMS or WhatsApp withdraws **both purposes on that channel**, and **promotional
  messages on every channel**: a customer who writes STOP does not want offers anywhere, while a receipt on
  email, a channel they did not stop, still reaches them.
- START (or اشتراك …) on a channel grants both purposes **on that channel only**; offers on the other
  channels stay withdrawn until the customer agrees again at the till.
- WhatsApp's marketing opt-out (error 131050) withdraws promotional WhatsApp only; a carrier's STOP (Twilio
  21610) withdraws SMS altogether; an email unsubscribe withdraws promotional email; a spam report withdraws
  email altogether; a hard bounce or an invalid number marks that address invalid (a new address is not).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.customers.model import Channel, CustomerProfile
from core.kernel.ids import stable_id
from core.messaging.optout import OPT_IN, OPT_OUT, Keywords

MESSAGE_CHANNELS: tuple[str, ...] = (Channel.WHATSAPP.value, Channel.SMS.value, Channel.EMAIL.value)
MOBILE_CHANNELS = frozenset({Channel.WHATSAPP.value, Channel.SMS.value})


class Purpose(StrEnum):
    TRANSACTIONAL = "transactional"
    PROMOTIONAL = "promotional"


PURPOSES: tuple[str, ...] = (Purpose.TRANSACTIONAL.value, Purpose.PROMOTIONAL.value)


class Action(StrEnum):
    GRANT = "grant"
    WITHDRAW = "withdraw"
    INVALID = "invalid"  # the address does not work: a hard bounce, a number no provider can reach


class Source(StrEnum):
    TILL = "till"  # staff recorded what the customer said
    KEYWORD = "keyword"  # the customer replied STOP / START (or إلغاء / اشتراك …)
    WHATSAPP_OPT_OUT = "whatsapp_opt_out"  # WhatsApp error 131050: the user stopped marketing messages
    CARRIER_OPT_OUT = "carrier_opt_out"  # an SMS provider reports the number opted out (Twilio 21610)
    EMAIL_UNSUBSCRIBE = "email_unsubscribe"
    EMAIL_SPAM_REPORT = "email_spam_report"
    HARD_BOUNCE = "hard_bounce"
    INVALID_NUMBER = "invalid_number"


@dataclass(frozen=True)
class ConsentChange:
    """One row of the consent ledger, as written. ``purpose`` None means both purposes; ``address`` is the
    mobile or email the change concerns (an INVALID change always names one)."""

    customer_id: str
    channel: str
    purpose: str | None
    action: str
    source: str
    occurred_at: datetime
    address: str | None = None
    staff_id: str | None = None
    evidence: Mapping[str, object] = field(default_factory=dict)
    id: str | None = None  # a stable id when the cause has one (a webhook event): writing it twice writes once


@dataclass(frozen=True)
class ConsentRecord(ConsentChange):
    """A ledger row as read back: where and when it was written."""

    branch_id: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class ChannelConsent:
    transactional: bool
    promotional: bool
    invalid_addresses: frozenset[str] = frozenset()

    def allows(self, purpose: str) -> bool:
        return self.promotional if purpose == Purpose.PROMOTIONAL else self.transactional


@dataclass(frozen=True)
class ConsentState:
    """Where a customer's consent stands now, per channel."""

    customer_id: str
    channels: Mapping[str, ChannelConsent]

    def of(self, channel: str) -> ChannelConsent:
        return self.channels.get(channel, ChannelConsent(False, False))

    def allows(self, channel: str, purpose: str) -> bool:
        return self.of(channel).allows(purpose)

    def address_invalid(self, channel: str, address: str | None) -> bool:
        return address is not None and address_key(address) in self.of(channel).invalid_addresses


def address_key(address: str) -> str:
    """An address as invalid ones are kept and compared."""
    return address.strip().lower()


def _baseline(profile: CustomerProfile | None, channel: str) -> ChannelConsent:
    checked = bool(profile is not None and getattr(profile, f"consent_{channel}", False))
    return ChannelConsent(transactional=checked, promotional=False)


def _order(record: ConsentRecord) -> tuple[datetime, datetime, str]:
    created = record.created_at or record.occurred_at
    return (record.occurred_at, created, record.id or "")


def fold(customer_id: str, records: Iterable[ConsentRecord], profile: CustomerProfile | None) -> ConsentState:
    """The state after every change, oldest first by when it happened (then when written, then id, so every
    replica folds the same rows alike). A channel nobody changed keeps the profile's baseline."""
    state = {channel: _baseline(profile, channel) for channel in MESSAGE_CHANNELS}
    for record in sorted(records, key=_order):
        current = state.get(record.channel)
        if current is None:
            continue
        if record.action == Action.INVALID:
            if record.address:
                invalid = current.invalid_addresses | {address_key(record.address)}
                state[record.channel] = ChannelConsent(current.transactional, current.promotional, invalid)
            continue
        granted = record.action == Action.GRANT
        transactional, promotional = current.transactional, current.promotional
        if record.purpose in (None, Purpose.TRANSACTIONAL):
            transactional = granted
        if record.purpose in (None, Purpose.PROMOTIONAL):
            promotional = granted
        state[record.channel] = ChannelConsent(transactional, promotional, current.invalid_addresses)
    return ConsentState(customer_id, state)


# -- what causes a change --------------------------------------------------------------------------------------


def changes_for_reply(
    customer_id: str,
    channel: str,
    text: str,
    at: datetime,
    *,
    sender: str | None = None,
    evidence: Mapping[str, object] | None = None,
    event_key: str | None = None,
    opt_out: Keywords = OPT_OUT,
    opt_in: Keywords = OPT_IN,
) -> list[ConsentChange]:
    """The changes an inbound reply on SMS or WhatsApp makes (the module's rules); none for any other text.
    ``event_key`` (the provider's message id) makes the rows' ids stable, so a webhook delivered twice records
    the reply once."""
    if channel not in MOBILE_CHANNELS:
        return []
    proof = {"text": text, **(evidence or {})}
    stopped = opt_out.match(text)
    if stopped is not None:
        proof["keyword"] = stopped
        changes: list[tuple[str, str | None, Action]] = [(channel, None, Action.WITHDRAW)]
        others = [other for other in MESSAGE_CHANNELS if other != channel]
        changes += [(other, Purpose.PROMOTIONAL.value, Action.WITHDRAW) for other in others]
    else:
        started = opt_in.match(text)
        if started is None:
            return []
        proof["keyword"] = started
        changes = [(channel, None, Action.GRANT)]
    return [
        ConsentChange(
            customer_id,
            ch,
            purpose,
            action.value,
            Source.KEYWORD.value,
            at,
            address=sender if ch == channel else None,
            evidence=proof,
            id=_stable(event_key, customer_id, ch, purpose),
        )
        for ch, purpose, action in changes
    ]


# What a provider's report means for consent: (channel, purpose or None for both, action).
PROVIDER_EFFECTS: dict[str, tuple[str, str | None, str]] = {
    Source.WHATSAPP_OPT_OUT: (Channel.WHATSAPP.value, Purpose.PROMOTIONAL.value, Action.WITHDRAW.value),
    Source.CARRIER_OPT_OUT: (Channel.SMS.value, None, Action.WITHDRAW.value),
    Source.EMAIL_UNSUBSCRIBE: (Channel.EMAIL.value, Purpose.PROMOTIONAL.value, Action.WITHDRAW.value),
    Source.EMAIL_SPAM_REPORT: (Channel.EMAIL.value, None, Action.WITHDRAW.value),
    Source.HARD_BOUNCE: (Channel.EMAIL.value, None, Action.INVALID.value),
}


def change_for_provider_report(
    customer_id: str,
    source: Source,
    at: datetime,
    address: str,
    *,
    channel: str | None = None,
    evidence: Mapping[str, object] | None = None,
    event_key: str | None = None,
) -> ConsentChange:
    """The change a provider's report makes: an opt-out it learned of, an unsubscribe, a bounce. An invalid
    number names its channel (``channel``)."""
    if source == Source.INVALID_NUMBER:
        if channel not in MOBILE_CHANNELS:
            raise ValueError("an invalid number is reported on SMS or WhatsApp")
        effect: tuple[str, str | None, str] = (str(channel), None, Action.INVALID.value)
    else:
        effect = PROVIDER_EFFECTS[source]
    ch, purpose, action = effect
    return ConsentChange(
        customer_id,
        ch,
        purpose,
        action,
        source.value,
        at,
        address=address,
        evidence=dict(evidence or {}),
        id=_stable(event_key, customer_id, ch, purpose, source.value),
    )


def _stable(event_key: str | None, *parts: str | None) -> str | None:
    if not event_key:
        return None
    return stable_id("consent", event_key, *(p or "*" for p in parts))


def answers_to_changes(
    customer_id: str,
    answers: Sequence[tuple[str, str, bool]],
    records: Sequence[ConsentRecord],
    profile: CustomerProfile | None,
    at: datetime,
    staff_id: str | None,
) -> list[ConsentChange]:
    """What staff recorded at the till, as ledger rows. An answer the ledger already holds writes nothing; one
    that only the profile's checkbox held so far is written, so the ledger has the proof of it."""
    state = fold(customer_id, records, profile)
    in_ledger = {
        (r.channel, purpose)
        for r in records
        if r.action != Action.INVALID
        for purpose in ((r.purpose,) if r.purpose else PURPOSES)
    }
    out: list[ConsentChange] = []
    for channel, purpose, granted in answers:
        if channel not in MESSAGE_CHANNELS or purpose not in PURPOSES:
            raise ValueError(f"no consent for {channel!r} / {purpose!r}")
        if (channel, purpose) in in_ledger and state.allows(channel, purpose) == granted:
            continue
        address = None
        if profile is not None:
            address = profile.email if channel == Channel.EMAIL else profile.mobile
        out.append(
            ConsentChange(
                customer_id,
                channel,
                purpose,
                (Action.GRANT if granted else Action.WITHDRAW).value,
                Source.TILL.value,
                at,
                address=address,
                staff_id=staff_id,
            )
        )
    return out
