"""The rules every message passes before it is sent: consent, a working address, quiet hours, frequency caps.

The dispatcher asks ``decide(message, now)`` just before each send and gets one of three answers: ``Send``,
``Defer(until)`` (try again then) or ``Refuse(reason)`` (never send this one). Consent is read again at that
moment, not only when the message was queued, since a STOP can arrive while it waits.

- **Consent** per channel and purpose (core.messaging.consent). Transactional messages are exempt from quiet
  hours and caps, never from a withdrawal of that channel.
- **A working address**: SMS and WhatsApp go to a valid mobile (libphonenumber; a landline or a malformed
  number is refused), email to an address that has not hard-bounced.
- **WhatsApp's 24 h window**: free text goes to a customer on WhatsApp only within 24 hours of their last
  inbound WhatsApp message (outside it WhatsApp refuses it with 131047); an approved template may go anytime.
- **Quiet hours** for promotional messages, in Asia/Dubai: allowed 08:00–21:00 by default (UAE practice is no
  promotional SMS outside about 08:00–21:00; the exact hours are not published, so they are configurable), with
  an optional other window for the days of Ramadan, whose dates an administrator sets (they follow the moon
  sighting). A window may run past midnight (09:00–01:00). A promotional message outside the window waits for
  the next allowed minute.
- **Frequency cap** across channels: at most ``cap`` promotional messages to one customer in any ``cap_days``
  days (3 in 7 by default); one over the cap waits until the oldest of them leaves the period.

Channel choice (``choose_route``): the customer's preferred channel, then the configured fallback order, among
channels with consent for the purpose and a working address.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from core.customers.model import Channel
from core.customers.ports import CustomerRepository
from core.kernel.clock import DUBAI
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.phone import is_mobile
from core.kernel.ports import UnitOfWork
from core.messaging.consent import MESSAGE_CHANNELS, MOBILE_CHANNELS, ConsentState, Purpose, fold
from core.messaging.ports import ConsentRepository, Decision, Defer, MessageRepository, Refuse, Send
from core.messaging.routing import Reachable, Route, language_of
from core.messaging.templates import staff_template_ids

# Why a message is refused or waits: a code kept on the outbox row, and the text a shopper reads.
NO_CUSTOMER = "no_customer"
NO_CONSENT = "no_consent"
INVALID_ADDRESS = "invalid_address"
UNKNOWN_CHANNEL = "unknown_channel"
NO_CHANNEL = "no_channel"
QUIET_HOURS = "quiet_hours"
FREQUENCY_CAP = "frequency_cap"
WINDOW_CLOSED = "window_closed"

REASONS = {
    NO_CUSTOMER: QT_TRANSLATE_NOOP("core", "The message is for no customer we know."),
    NO_CONSENT: QT_TRANSLATE_NOOP("core", "The customer has not agreed to this kind of message on this channel."),
    INVALID_ADDRESS: QT_TRANSLATE_NOOP("core", "The number or address cannot receive messages on this channel."),
    UNKNOWN_CHANNEL: QT_TRANSLATE_NOOP("core", "This channel does not send messages."),
    NO_CHANNEL: QT_TRANSLATE_NOOP("core", "The customer has agreed to no channel that can carry this message."),
    QUIET_HOURS: QT_TRANSLATE_NOOP("core", "Offers are sent only during the allowed hours; it waits until then."),
    FREQUENCY_CAP: QT_TRANSLATE_NOOP("core", "The customer had the most offers allowed this week; it waits."),
    WINDOW_CLOSED: QT_TRANSLATE_NOOP(
        "core", "The customer has not written on WhatsApp in the last 24 hours: send a template instead."
    ),
}

# How long after a customer's last inbound WhatsApp message free text may still go to them.
SERVICE_WINDOW = timedelta(hours=24)


# -- decisions ---------------------------------------------------------------------------------------------------


# Send, Defer and Refuse are the dispatcher's (core.messaging.ports): this module is its SendPolicy.


class PolicyMessage(Protocol):
    """What the rules read of an outbox message."""

    @property
    def customer_id(self) -> str | None: ...

    @property
    def channel(self) -> str: ...

    @property
    def recipient(self) -> str: ...

    @property
    def promotional(self) -> bool: ...

    @property
    def free_text(self) -> bool:
        """Not an approved template: on WhatsApp, only inside the 24 h window."""
        ...


# -- configuration -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Allowed local hours, ``start`` included, ``end`` excluded; an ``end`` at or before ``start`` is on the
    next day (09:00–01:00), and ``start == end`` allows the whole day."""

    start: time
    end: time

    def interval(self, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
        opens = datetime.combine(day, self.start, zone)
        closes_on = day if self.end > self.start else day + timedelta(days=1)
        return opens, datetime.combine(closes_on, self.end, zone)


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date  # included

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True)
class RulesConfig:
    allowed: Window = Window(time(8, 0), time(21, 0))
    ramadan_allowed: Window | None = None
    ramadan: tuple[DateRange, ...] = ()
    cap: int = 3
    cap_days: int = 7
    fallback: tuple[str, ...] = MESSAGE_CHANNELS
    zone: ZoneInfo = field(default=DUBAI)

    def window_on(self, day: date) -> Window:
        if self.ramadan_allowed is not None and any(day in span for span in self.ramadan):
            return self.ramadan_allowed
        return self.allowed


DEFAULT_RULES = RulesConfig()


def parse_window(text: str) -> Window:
    """'08:00-21:00' (or with an en dash) as a Window; ValueError for anything else."""
    start, sep, end = text.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(f"allowed hours look like 08:00-21:00, not {text!r}")
    return Window(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))


# -- the 24 h window ---------------------------------------------------------------------------------------------


def window_open(last_inbound: datetime | None, now: datetime) -> bool:
    """Whether free text may go on WhatsApp at ``now``: the customer wrote within the last 24 hours. A last
    message stamped after ``now`` (a clock ahead) counts as just now."""
    return last_inbound is not None and now - last_inbound < SERVICE_WINDOW


# -- quiet hours and caps ----------------------------------------------------------------------------------------


def next_allowed(moment: datetime, config: RulesConfig) -> datetime:
    """``moment`` itself when a promotional message may go then, else the next instant one may (UTC)."""
    if config.allowed.start == config.allowed.end and config.ramadan_allowed is None:
        return moment
    local_day = moment.astimezone(config.zone).date()
    starts: list[datetime] = []
    # A window opened yesterday may still be open (past midnight); the next one opens today or tomorrow.
    for offset in (-1, 0, 1, 2):
        day = local_day + timedelta(days=offset)
        window = config.window_on(day)
        opens, closes = window.interval(day, config.zone)
        if window.start == window.end:
            closes = opens + timedelta(days=1)
        if opens <= moment < closes:
            return moment
        if opens > moment:
            starts.append(opens)
    return min(starts).astimezone(UTC)


def cap_frees_at(sent: Sequence[datetime], now: datetime, config: RulesConfig) -> datetime:
    """``now`` when fewer than ``cap`` promotional messages left in the period before it, else when enough of
    them have aged out of it for one more."""
    period = timedelta(days=config.cap_days)
    recent = sorted(t for t in sent if now - period < t <= now)
    if len(recent) < config.cap:
        return now
    return recent[len(recent) - config.cap] + period


# -- addresses and channel choice --------------------------------------------------------------------------------


class ConsentView(Protocol):
    """What the channel choice reads of consent: a folded ConsentState, or a campaign's fold of its purpose."""

    def allows(self, channel: str, purpose: str) -> bool: ...

    def address_invalid(self, channel: str, address: str | None) -> bool: ...


def address_works(channel: str, address: str | None, consent: ConsentView | None = None) -> bool:
    """A mobile for SMS and WhatsApp (a landline or a malformed number is not), an email address that has not
    been found invalid."""
    if not address:
        return False
    if consent is not None and consent.address_invalid(channel, address):
        return False
    if channel in MOBILE_CHANNELS:
        return _is_mobile(address)
    return channel == Channel.EMAIL and "@" in address


@functools.lru_cache(maxsize=4096)
def _is_mobile(address: str) -> bool:
    # Parsing a number with its region's metadata takes about 0.2 ms, and every receipt asks again for the
    # same few thousand customers' numbers: the answer depends on the text alone. A stored UAE number is not
    # parsed at all (core.kernel.phone.is_mobile): a campaign asks once for each of its many recipients.
    return is_mobile(address)


def address_of(profile: Reachable, channel: str) -> str | None:
    return profile.email if channel == Channel.EMAIL else profile.mobile


def choose_route(
    profile: Reachable, consent: ConsentView, purpose: str, config: RulesConfig = DEFAULT_RULES
) -> Route | None:
    """The preferred channel, then the fallback order, first that has consent for ``purpose`` and a working
    address; None when none has."""
    order = [profile.preferred_channel.value, *config.fallback]
    for channel in dict.fromkeys(order):
        if channel not in MESSAGE_CHANNELS or not consent.allows(channel, purpose):
            continue
        address = address_of(profile, channel)
        if address is not None and address_works(channel, address, consent):
            return Route(channel, address, language_of(profile))
    return None


# -- the policy --------------------------------------------------------------------------------------------------


def needs_window(message: PolicyMessage) -> bool:
    """Free text on WhatsApp: it may go only inside the customer's 24 h window."""
    return message.channel == Channel.WHATSAPP and message.free_text


def decide(
    message: PolicyMessage,
    now: datetime,
    consent: ConsentState | None,
    promotional_sent: Sequence[datetime],
    config: RulesConfig = DEFAULT_RULES,
    *,
    last_inbound: datetime | None = None,
) -> Decision:
    """The rules of this module on one message, given the customer's consent, when their recent promotional
    messages left and when they last wrote on the message's channel (``last_inbound``)."""
    if message.channel not in MESSAGE_CHANNELS:
        return Refuse(UNKNOWN_CHANNEL)
    if message.customer_id is None and getattr(message, "template_id", None) in staff_template_ids():
        return Send()  # an alert to the branch's own staff, at the address the branch set (core.tickets)
    if consent is None or message.customer_id is None:
        return Refuse(NO_CUSTOMER)
    purpose = Purpose.PROMOTIONAL if message.promotional else Purpose.TRANSACTIONAL
    if not consent.allows(message.channel, purpose):
        return Refuse(NO_CONSENT)
    if not address_works(message.channel, message.recipient, consent):
        return Refuse(INVALID_ADDRESS)
    if needs_window(message) and not window_open(last_inbound, now):
        return Refuse(WINDOW_CLOSED)
    if purpose == Purpose.TRANSACTIONAL:
        return Send()
    freed = cap_frees_at(promotional_sent, now, config)
    earliest = next_allowed(freed, config)
    if earliest <= now:
        return Send()
    return Defer(earliest, FREQUENCY_CAP if freed > now else QUIET_HOURS)


class PolicyUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    messages: MessageRepository
    consents: ConsentRepository


class ConsentSendPolicy:
    """The send policy the dispatcher asks before each send: reads the customer's profile, consent ledger and
    recent promotional messages in one read-only unit of work, then applies ``decide``."""

    def __init__(self, uow: Callable[[None], PolicyUnitOfWork], config: RulesConfig | None = None) -> None:
        self._uow = uow
        self.config = config or RulesConfig()

    def decide(self, message: PolicyMessage, now: datetime) -> Decision:
        consent: ConsentState | None = None
        sent: list[datetime] = []
        last: datetime | None = None
        if message.customer_id is not None:
            with self._uow(None) as uow:
                profile = uow.customers.get(message.customer_id)
                if profile is not None:
                    consent = fold(profile.id, uow.consents.for_customer(profile.id), profile)
                    if message.promotional:
                        since = now - timedelta(days=self.config.cap_days)
                        sent = uow.messages.promotional_sent_since(profile.id, since)
                    if message.channel in MESSAGE_CHANNELS and needs_window(message):
                        last = uow.messages.last_inbound(profile.id, message.channel)
        return decide(message, now, consent, sent, self.config, last_inbound=last)
