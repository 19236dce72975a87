"""What messaging needs from storage and the network: the outbox, its templates, the consent ledger, the
way out, and the rules asked before each send."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from core.customers.ports import CustomerRepository
from core.messaging.consent import ConsentChange, ConsentRecord
from core.messaging.outbox import MessageState, Step


class MessageRepository(Protocol):
    def ensure_template(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        """Writes the template row unless it exists (a branch never rewrites head office's wording)."""
        ...

    def queue(
        self,
        customer_id: str,
        channel: str,
        recipient: str,
        body: str,
        template_id: str | None,
        *,
        status: str = "queued",
        error: str | None = None,
    ) -> str:
        """An outbound message in the outbox, queued (or already refused, with the reason); returns its id."""
        ...

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        """How many messages of these templates went to the customer since ``since`` (queued or later)."""
        ...

    def promotional_sent_since(self, customer_id: str, since: datetime) -> list[datetime]:
        """When each promotional message that left for the customer since ``since`` left, on any channel
        (sending or further; a failed or refused one never reached them)."""
        ...


class ConsentRepository(Protocol):
    def add(self, change: ConsentChange) -> str | None:
        """Appends ``change`` to the ledger; returns its id, or None when a row of its stable id is there."""
        ...

    def for_customer(self, customer_id: str) -> list[ConsentRecord]:
        """Every change of the customer's consent, as written."""
        ...


class MessagingUnitOfWork(Protocol):
    customers: CustomerRepository
    messages: MessageRepository
    consents: ConsentRepository


# -- the dispatcher's ports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboundMessage:
    """An outbox row as the dispatcher sends it. ``id`` travels to the provider as its client reference."""

    id: str
    channel: str  # whatsapp | sms | email
    recipient: str
    body: str
    customer_id: str | None = None
    template_id: str | None = None
    language: str = "en"
    promotional: bool = False
    state: MessageState = field(default_factory=MessageState)


@dataclass(frozen=True)
class Accepted:
    """The provider took the message; ``cost_fils`` is the estimate at send time, when there is one."""

    provider: str
    provider_message_id: str
    cost_fils: int | None = None


class SendFailed(Exception):
    """A channel did not take the message. ``permanent``: it never will (``code`` is the provider's own);
    otherwise try again, no sooner than ``retry_after`` seconds when the provider said so."""

    def __init__(
        self, provider: str, reason: str, *, permanent: bool, code: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.permanent = permanent
        self.code = code
        self.retry_after = retry_after


class ChannelUnavailable(Exception):
    """This process cannot send on the message's channel (not configured here): the message waits, and no
    attempt is counted against it."""


class MessageGateway(Protocol):
    """The way out (sync.messaging.gateway): blocking I/O, called from the dispatcher's worker threads."""

    def send(self, message: OutboundMessage) -> Accepted:
        """Returns the provider's acceptance; raises SendFailed or ChannelUnavailable."""
        ...


@dataclass(frozen=True)
class Send:
    """The policy lets the message go now."""


@dataclass(frozen=True)
class Defer:
    """Not now (quiet hours, a frequency cap): look at it again at ``until``; no attempt is counted."""

    until: datetime
    reason: str


@dataclass(frozen=True)
class Refuse:
    """Never (no consent, opted out of the channel): the message is dead with ``reason``, nothing is sent."""

    reason: str


Decision = Send | Defer | Refuse


class SendPolicy(Protocol):
    """The rules asked before every send (consent, opt-outs, quiet hours, caps). They are asked at send time,
    not at queue time, since consent can change while a message waits."""

    def decide(self, message: OutboundMessage, now: datetime) -> Decision: ...


class SendEverything:
    """The policy of a dispatcher given no rules: every message may go."""

    def decide(self, message: OutboundMessage, now: datetime) -> Decision:
        return Send()


@dataclass(frozen=True)
class StatusApplied:
    """What applying one provider status did: ``found`` False for an id no outbox row has; ``changed`` False
    for a status already recorded (or older than what is)."""

    found: bool
    changed: bool
    message_id: str | None = None


class OutboxStore(Protocol):
    """Where the dispatcher finds and records messages (storage.outbox for a branch store, sync.messaging
    .headoffice_outbox at head office). Each call is one transaction."""

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboundMessage]:
        """Leases up to ``limit`` messages due at ``now`` that no live lease holds, to ``owner``."""
        ...

    def update(self, ref: str, step: Callable[[MessageState], Step | None], now: datetime) -> StatusApplied:
        """Reads the message ``ref`` names (its id, or the provider's id for it), applies ``step`` to its state
        and writes the result with its history, in one transaction."""
        ...


# One result to record: the message ``ref`` names, and the step to apply to its state.
Record = tuple[str, Callable[[MessageState], Step | None]]


@runtime_checkable
class GroupedOutboxStore(OutboxStore, Protocol):
    """An outbox that can record several results in one transaction (group commit: one durable write for the
    sends that finished together). The dispatcher uses it when the store offers it."""

    def update_many(self, records: Sequence[Record], now: datetime) -> list[StatusApplied]:
        """``update`` of each record, in order, all in one transaction: all written or none."""
        ...
