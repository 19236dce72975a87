"""The dispatcher's way out (core.messaging.ports.MessageGateway): an outbox message becomes the channel's own
message (its id as the provider's client reference), goes through the configured channel, and the channel's
two errors become the dispatcher's one.

- A transient error (timeout, 5xx, 429) is retried later, after the provider's Retry-After when it gave one.
- A refusal about the recipient or the message (invalid number, opted out, window closed, bad template) is
  permanent: the message is dead with the provider's code.
- A refusal about the *account* (credentials refused, no balance, sender id not registered) is not the
  message's fault: it is retried after ``ACCOUNT_WAIT``, so fixing the account lets the waiting messages go.
- A channel this process has no credentials for is unavailable: the message waits, no attempt counted.

A WhatsApp message queued from a template goes as that approved template (its name at Meta, language ar/en,
the values in the template's variable order); only free text goes as text, which WhatsApp takes only inside
the customer's 24 h window (the send rules refuse it outside, core.messaging.rules).

The cost recorded for an SMS is the estimate from the configured per-part rates of the provider that took it.
"""

from __future__ import annotations

import threading

from core.kernel.errors import ValidationError
from core.messaging.outbound import (
    EmailMessage,
    SmsMessage,
    WhatsAppTemplate,
    WhatsAppText,
    interactive_message,
)
from core.messaging.ports import Accepted, ChannelUnavailable, OutboundMessage, SendFailed
from core.messaging.sms import SmsRates, analyse, cost_fils
from sync.messaging.base import Channel, ConfigurationError, PermanentSendError, ProviderAccepted, TransientSendError
from sync.messaging.config import ChannelRegistry

ACCOUNT_WAIT = 15 * 60.0  # seconds before a message refused for the account's sake is tried again

SUBJECTS = {"ar": "العطور والعود", "en": "Perfume & Oud"}


class ChannelGateway:
    """Sends outbox messages through the channels ``registry`` can build; each channel is built once."""

    def __init__(self, registry: ChannelRegistry, rates: SmsRates | None = None) -> None:
        self.registry = registry
        self.rates = rates or SmsRates()
        self._channels: dict[str, Channel[object] | ConfigurationError] = {}
        self._lock = threading.Lock()

    def _channel(self, name: str) -> Channel[object]:
        with self._lock:
            if name not in self._channels:
                try:
                    build = {"sms": self.registry.sms, "whatsapp": self.registry.whatsapp, "email": self.registry.email}
                    if name not in build:
                        raise ConfigurationError(f"no channel called {name!r}")
                    self._channels[name] = build[name]()  # type: ignore[assignment]
                except ConfigurationError as error:
                    self._channels[name] = error
            found = self._channels[name]
        if isinstance(found, ConfigurationError):
            raise ChannelUnavailable(str(found))
        return found

    def send(self, message: OutboundMessage) -> Accepted:
        channel = self._channel(message.channel)
        try:
            answer: ProviderAccepted = channel.send(self.outgoing(message))
        except TransientSendError as error:
            raise SendFailed(error.provider, error.reason, permanent=False, retry_after=error.retry_after) from error
        except PermanentSendError as error:
            if not error.refusal.about_recipient:
                raise SendFailed(error.provider, error.reason, permanent=False, retry_after=ACCOUNT_WAIT) from error
            raise SendFailed(error.provider, error.reason, permanent=True, code=error.code) from error
        except ValidationError as error:
            raise SendFailed(message.channel, str(error), permanent=True, code="invalid_message") from error
        return Accepted(answer.provider, answer.provider_message_id, self.cost(message, answer))

    @staticmethod
    def outgoing(message: OutboundMessage) -> object:
        """The channel's message for an outbox row."""
        if message.channel == "sms":
            return SmsMessage(message.id, message.recipient, message.body, promotional=message.promotional)
        if message.channel == "whatsapp":
            if message.template_name is not None and message.params is not None:
                # Business-initiated: the approved template, in the message's language, its values in order.
                # Meta refuses an empty parameter, so a value left blank (a gift card without a note) is a dash.
                params = tuple(value.strip() or "-" for value in message.params)
                language = message.language if message.language in ("ar", "en") else "en"
                return WhatsAppTemplate(
                    message.id, message.recipient, message.template_name, language, body_params=params
                )
            if message.interactive is not None:
                # A list or reply buttons (a survey's question): free-form, inside the 24 h window like text.
                return interactive_message(message.id, message.recipient, message.body, message.interactive)
            return WhatsAppText(message.id, message.recipient, message.body)
        return EmailMessage(
            message.id,
            message.recipient,
            SUBJECTS.get(message.language, SUBJECTS["en"]),
            message.body,
            language=message.language,
        )

    def cost(self, message: OutboundMessage, answer: ProviderAccepted) -> int | None:
        if message.channel != "sms":
            return None
        rate = self.rates.fils_per_part.get(answer.provider)
        if rate is None:
            return None
        parts = answer.parts or analyse(message.body).parts
        return int(cost_fils(parts, rate))
