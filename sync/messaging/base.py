"""What every channel promises the dispatcher: ``send(message)`` returns the provider's id for it, or raises
one of two errors that say what to do next.

- ``TransientSendError``: try again later (a timeout, a 5xx, a 429 — with the provider's Retry-After when it
  gave one). The message may or may not have reached the provider: the dispatcher's at-least-once retry is
  what makes it arrive, and the message id passed as the provider's client reference keeps duplicates
  traceable (and removable where the provider dedups on it).
- ``PermanentSendError``: this message will never go this way; ``refusal`` says why, so the dispatcher can
  record an opt-out, mark a number invalid, or fall back from WhatsApp free text to a template.

Nothing here touches the database: the outbox, its states and its retries are the dispatcher's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol, TypeVar

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass(frozen=True)
class ProviderAccepted:
    """The provider took the message; ``provider_message_id`` is what its status webhooks will name."""

    provider: str
    provider_message_id: str
    parts: int | None = None  # SMS parts the provider says it billed, when it says


class Refusal(enum.Enum):
    """Why a provider will never take a message. ``about_recipient`` refusals hold on every provider of the
    channel (no failover); the others are about the provider account and another provider may succeed."""

    INVALID_RECIPIENT = "invalid_recipient"  # malformed number or address, landline, no route
    OPTED_OUT = "opted_out"  # the recipient unsubscribed (Twilio 21610, WhatsApp 131050)
    WINDOW_CLOSED = "window_closed"  # WhatsApp free-form outside the 24 h window (131047): send a template
    UNDELIVERABLE = "undeliverable"  # the provider says this recipient cannot get it (WhatsApp 131026)
    INVALID_MESSAGE = "invalid_message"  # the message itself is refused (bad template, too long, filtered)
    UNAUTHORISED = "unauthorised"  # credentials refused (401/403): the account, not the message
    ACCOUNT = "account"  # the account cannot send (no balance, sender id not registered, blocked)

    @property
    def about_recipient(self) -> bool:
        return self not in (Refusal.UNAUTHORISED, Refusal.ACCOUNT)


class SendError(Exception):
    def __init__(self, provider: str, reason: str) -> None:
        self.provider = provider
        self.reason = reason
        super().__init__(f"{provider}: {reason}")


class TransientSendError(SendError):
    """Try again later; ``retry_after`` seconds when the provider said how long to wait."""

    def __init__(self, provider: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(provider, reason)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """The provider will not take this message; ``code`` is the provider's own error code."""

    def __init__(self, provider: str, refusal: Refusal, code: str, reason: str) -> None:
        super().__init__(provider, f"{refusal.value} ({code}): {reason}")
        self.refusal = refusal
        self.code = code


class ConfigurationError(Exception):
    """A channel cannot be built: a credential or setting is missing. The message names what to set."""

    def __init__(self, message: str, variable: str | None = None) -> None:
        self.variable = variable
        super().__init__(message)


M_contra = TypeVar("M_contra", contravariant=True)


class Channel(Protocol[M_contra]):
    """A way out for one kind of message. ``send`` is blocking I/O: call it off the Qt main thread."""

    name: str

    def send(self, message: M_contra) -> ProviderAccepted: ...


# -- shared HTTP handling ----------------------------------------------------------------------------------------


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds, or an HTTP date measured against ``now`` (POSIX seconds, the
    caller's clock). None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if now is None:
        return None
    return max(0.0, when.timestamp() - now)


def post(
    client: httpx.Client,
    provider: str,
    url: str,
    *,
    data: dict[str, str] | None = None,
    json: object = None,
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    """POSTs, turning a timeout or a broken connection into a TransientSendError."""
    try:
        if content is not None:
            return client.post(url, content=content, headers=headers, auth=auth or httpx.USE_CLIENT_DEFAULT)
        return client.post(url, data=data, json=json, headers=headers, auth=auth or httpx.USE_CLIENT_DEFAULT)
    except httpx.TimeoutException as exc:
        raise TransientSendError(provider, f"timed out ({exc.__class__.__name__})") from exc
    except httpx.TransportError as exc:
        raise TransientSendError(provider, f"connection failed ({exc.__class__.__name__})") from exc


def transient_for_status(provider: str, response: httpx.Response, now: float | None = None) -> None:
    """Raises TransientSendError for 429 and 5xx (with Retry-After); returns for anything else."""
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientSendError(provider, f"HTTP {response.status_code}", retry_after_seconds(response, now))


def new_client() -> httpx.Client:
    """A client of its own for a channel built without one (tests and the dispatcher pass a shared one)."""
    return httpx.Client(timeout=DEFAULT_TIMEOUT)
