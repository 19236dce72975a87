"""What messaging needs from storage and the network: the outbox, its templates, the consent ledger, the
way out, and the rules asked before each send."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from core.customers.ports import CustomerRepository
from core.messaging.consent import ConsentChange, ConsentRecord
from core.messaging.outbox import HistoryEntry, MessageState, Step


@dataclass(frozen=True)
class TemplateRecord:
    """A template's stored wording for one channel and language."""

    id: str
    key: str
    channel: str
    language: str
    body: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class MessageRecord:
    """One message to or from a customer, as their Messages tab lists it. ``template_key`` names what it was
    for (None for a reply or a message not made from a template); ``order_number`` is the sale a receipt
    confirmed."""

    id: str
    created_at: datetime
    direction: str  # outbound | inbound
    channel: str
    status: str
    body: str
    recipient: str
    template_key: str | None = None
    promotional: bool = False
    provider: str | None = None
    cost_fils: int | None = None
    last_error: str | None = None
    order_number: str | None = None
    attempts: int = 0


@dataclass(frozen=True)
class NewMessage:
    """An outbound message to queue, its id made by the caller (a campaign's ledger row names it)."""

    id: str
    customer_id: str
    channel: str
    recipient: str
    body: str
    template_id: str | None
    params: tuple[str, ...] | None = None


class MessageRepository(Protocol):
    def ensure_template(
        self,
        template_id: str,
        key: str,
        channel: str,
        language: str,
        body: str,
        variables: list[str],
        *,
        promotional: bool = False,
    ) -> None:
        """Writes the template row unless it exists (a branch never rewrites head office's wording)."""
        ...

    def queue(
        self,
        customer_id: str | None,
        channel: str,
        recipient: str,
        body: str,
        template_id: str | None,
        *,
        status: str = "queued",
        error: str | None = None,
        params: Sequence[str] | None = None,
        due_at: datetime | None = None,
        interactive: Mapping[str, Any] | None = None,
    ) -> str:
        """An outbound message in the outbox, queued (or already refused, with the reason); returns its id.
        ``params``: a templated message's values in its template's variable order (None for free text).
        ``interactive``: a WhatsApp list or reply buttons (core.messaging.outbound.interactive_payload).
        ``due_at``: not sent before then (the dispatcher claims a message once its ``next_attempt_at`` passed)."""
        ...

    def queue_many(self, messages: Sequence[NewMessage]) -> None:
        """Queues many outbound messages at once (a campaign's batch), each with its change-log row."""
        ...

    def last_inbound(self, customer_id: str, channel: str) -> datetime | None:
        """When the customer's latest message on ``channel`` reached us (None: never): WhatsApp's 24 h window
        for free text runs from it."""
        ...

    def sent_since(self, customer_id: str, template_ids: list[str], since: datetime) -> int:
        """How many messages of these templates went to the customer since ``since`` (queued or later)."""
        ...

    def promotional_sent_since(self, customer_id: str, since: datetime) -> list[datetime]:
        """When each promotional message that left for the customer since ``since`` left, on any channel
        (sending or further; a failed or refused one never reached them)."""
        ...

    def wording(self, template_id: str) -> str | None:
        """The stored wording of a template, or None when no row holds it yet (the built-in one applies)."""
        ...

    def save_wording(
        self, template_id: str, key: str, channel: str, language: str, body: str, variables: list[str]
    ) -> None:
        """Writes a manager's wording of a template: its row is made, or its body changed."""
        ...

    def templates(self, keys: list[str]) -> list[TemplateRecord]:
        """The stored rows of these templates' keys, every channel and language."""
        ...

    def branch_name(self, language: str, home: str = "") -> str:
        """The writing branch's display name in ``language`` (the other language's when that one is empty). Head
        office's campaign node is no shop a customer visits: what it writes names the customer's ``home``
        branch instead (core.kernel.replication.is_shop)."""
        ...

    def point_value_fils(self) -> int:
        """What one loyalty point is worth when redeemed, in fils, under this store's program rules."""
        ...

    def for_customer(self, customer_id: str, limit: int) -> list[MessageRecord]:
        """The customer's messages, both directions, newest first."""
        ...

    def history(self, message_id: str) -> list[HistoryEntry]:
        """A message's status history, oldest first."""
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
    # A templated message: its values in the template's variable order, and the template's name at Meta.
    params: tuple[str, ...] | None = None
    template_name: str | None = None
    # A WhatsApp list or reply buttons (core.messaging.outbound.interactive_payload): free-form, so only inside
    # the customer's 24 h window, as free text.
    interactive: Mapping[str, Any] | None = field(default=None, hash=False)

    @property
    def as_template(self) -> bool:
        """Whether WhatsApp gets it as an approved template (else as free text, only inside the 24 h window)."""
        return self.template_name is not None and self.params is not None

    @property
    def free_text(self) -> bool:
        return not self.as_template


PARAMS_MAX = 20  # WhatsApp's body parameters a message may carry; more is not a message of ours
PARAM_MAX = 1024  # characters a body parameter may have (Meta's limit)


def message_params(stored: object) -> tuple[str, ...] | None:
    """A message's stored parameter values as the dispatcher sends them: None (free text) for anything that
    is not a list of at most PARAMS_MAX texts or numbers. Head office reads them from rows a branch pushed."""
    if not isinstance(stored, list) or len(stored) > PARAMS_MAX:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in stored):
        return None
    values = tuple(str(v) for v in stored)
    return values if all(len(v) <= PARAM_MAX for v in values) else None


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
