"""Which channels this process can send on, built from credentials in the environment or the OS keyring.

Credentials never live in the database or the repository. Each is read from the environment variable of its
name, then from the OS keyring (service ``PerfumeOudMessaging``, the variable's name as the user name). A
channel that is asked for but lacks a credential raises ConfigurationError naming the variable to set.

Variables (the seed's names, plus what the other providers need):
    WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_BUSINESS_ACCOUNT_ID,
    WHATSAPP_WEBHOOK_TOKEN (the GET handshake), WHATSAPP_APP_SECRET (X-Hub-Signature-256),
    UNIFONIC_WEBHOOK_TOKEN (the token in Unifonic's callback URL), HEADOFFICE_PUBLIC_URL (the URL Twilio signs),
    WHATSAPP_API_VERSION (default v23.0)
    SMS_PROVIDER           failover order, e.g. "unifonic,twilio,sns" (one name: no failover)
    UNIFONIC_APP_SID, UNIFONIC_SENDER_ID
    TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, TWILIO_STATUS_CALLBACK
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), AWS_REGION, SNS_SENDER_ID
    SENDGRID_API_KEY, SENDGRID_FROM_EMAIL, SENDGRID_FROM_NAME, SENDGRID_WEBHOOK_PUBLIC_KEY
    SMS_RATES_AED          "unifonic=0.05,twilio=0.30" (AED per part; defaults are placeholders)
    SMS_MAX_PARTS, SMS_WARN_PARTS
    <PROVIDER>_BASE_URL    another address for a provider (WHATSAPP_BASE_URL, UNIFONIC_BASE_URL,
                           TWILIO_BASE_URL, SNS_BASE_URL, SENDGRID_BASE_URL): a test's fake, a proxy
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.messaging.outbound import EmailMessage, SmsMessage, WhatsAppMessage
from core.messaging.sms import DEFAULT_MAX_PARTS, DEFAULT_RATES_AED, DEFAULT_WARN_PARTS, PartsLimit, SmsRates
from sync.credentials import usable_keyring
from sync.messaging.base import Channel, ConfigurationError, new_client
from sync.messaging.email import SENDGRID_URL, SendGridEmail
from sync.messaging.sms import TWILIO_URL, UNIFONIC_URL, FailoverSms, SnsSms, TwilioSms, UnifonicSms
from sync.messaging.whatsapp import GRAPH_URL, GRAPH_VERSION, WhatsAppChannel

KEYRING_SERVICE = "PerfumeOudMessaging"
SMS_PROVIDERS = ("unifonic", "twilio", "sns")


class Secrets:
    """Named settings from the environment, then the OS keyring. ``keyring=None`` reads the environment only."""

    def __init__(self, env: Mapping[str, str] | None = None, keyring: Any = "auto") -> None:
        self._env = os.environ if env is None else env
        self._keyring = usable_keyring() if keyring == "auto" else keyring

    def get(self, name: str) -> str | None:
        value = self._env.get(name)
        if value:
            return value
        if self._keyring is None:
            return None
        try:
            stored = self._keyring.get_password(KEYRING_SERVICE, name)
        except Exception:  # a locked or broken keyring reads as "not set": the error below names the variable
            return None
        return str(stored) if stored else None

    def require(self, name: str, purpose: str) -> str:
        value = self.get(name)
        if not value:
            raise ConfigurationError(
                f"{purpose} needs {name}: set the environment variable or store it in the OS keyring "
                f"(service {KEYRING_SERVICE!r}, user {name!r})",
                name,
            )
        return value


@dataclass
class ChannelRegistry:
    """The channels this process sends on; a channel left None is not configured (asking for it says what
    is missing). ``sms_order`` is the failover order."""

    secrets: Secrets
    client: httpx.Client = field(default_factory=new_client)
    now: Callable[[], float] = time.time

    def _base(self, provider: str, default: str) -> str:
        return self.secrets.get(f"{provider.upper()}_BASE_URL") or default

    @property
    def sms_order(self) -> list[str]:
        spec = self.secrets.get("SMS_PROVIDER") or ""
        order = [name.strip().lower() for name in spec.split(",") if name.strip()]
        unknown = [name for name in order if name not in SMS_PROVIDERS]
        if unknown:
            raise ConfigurationError(
                f"SMS_PROVIDER names {', '.join(unknown)}; known providers are {', '.join(SMS_PROVIDERS)}",
                "SMS_PROVIDER",
            )
        return order

    def whatsapp(self) -> Channel[WhatsAppMessage]:
        get = self.secrets.require
        return WhatsAppChannel(
            get("WHATSAPP_ACCESS_TOKEN", "WhatsApp"),
            get("WHATSAPP_PHONE_NUMBER_ID", "WhatsApp"),
            version=self.secrets.get("WHATSAPP_API_VERSION") or GRAPH_VERSION,
            client=self.client,
            base_url=self._base("whatsapp", GRAPH_URL),
            now=self.now,
        )

    def sms_provider(self, name: str) -> Channel[SmsMessage]:
        get = self.secrets.require
        if name == "unifonic":
            return UnifonicSms(
                get("UNIFONIC_APP_SID", "Unifonic SMS"),
                get("UNIFONIC_SENDER_ID", "Unifonic SMS"),
                client=self.client,
                base_url=self._base("unifonic", UNIFONIC_URL),
                now=self.now,
            )
        if name == "twilio":
            sender = self.secrets.get("TWILIO_FROM")
            service = self.secrets.get("TWILIO_MESSAGING_SERVICE_SID")
            if not sender and not service:
                get("TWILIO_FROM", "Twilio SMS (or TWILIO_MESSAGING_SERVICE_SID)")
            return TwilioSms(
                get("TWILIO_ACCOUNT_SID", "Twilio SMS"),
                get("TWILIO_AUTH_TOKEN", "Twilio SMS"),
                sender=sender,
                messaging_service_sid=service,
                status_callback=self.secrets.get("TWILIO_STATUS_CALLBACK"),
                client=self.client,
                base_url=self._base("twilio", TWILIO_URL),
                now=self.now,
            )
        if name == "sns":
            return SnsSms(
                get("AWS_ACCESS_KEY_ID", "AWS SNS SMS"),
                get("AWS_SECRET_ACCESS_KEY", "AWS SNS SMS"),
                get("AWS_REGION", "AWS SNS SMS"),
                session_token=self.secrets.get("AWS_SESSION_TOKEN"),
                sender_id=self.secrets.get("SNS_SENDER_ID"),
                client=self.client,
                base_url=self.secrets.get("SNS_BASE_URL"),
                now=self.now,
            )
        raise ConfigurationError(f"unknown SMS provider {name!r}", "SMS_PROVIDER")

    def sms(self) -> FailoverSms:
        order = self.sms_order
        if not order:
            self.secrets.require("SMS_PROVIDER", "SMS")
        return FailoverSms([self.sms_provider(name) for name in order], monotonic=self.now)

    def email(self) -> Channel[EmailMessage]:
        get = self.secrets.require
        return SendGridEmail(
            get("SENDGRID_API_KEY", "Email (SendGrid)"),
            get("SENDGRID_FROM_EMAIL", "Email (SendGrid)"),
            from_name=self.secrets.get("SENDGRID_FROM_NAME"),
            client=self.client,
            base_url=self._base("sendgrid", SENDGRID_URL),
            now=self.now,
        )

    def configured(self) -> dict[str, bool]:
        """Which channels can be built, for a settings page: {"whatsapp": True, "sms": False, "email": True}."""
        found = {}
        for name, build in (("whatsapp", self.whatsapp), ("sms", self.sms), ("email", self.email)):
            try:
                build()
                found[name] = True
            except ConfigurationError:
                found[name] = False
        return found


def sms_rates(secrets: Secrets) -> SmsRates:
    """Per-part prices from SMS_RATES_AED, else the placeholder defaults."""
    spec = secrets.get("SMS_RATES_AED")
    try:
        return SmsRates.parse(spec) if spec else SmsRates.from_aed(DEFAULT_RATES_AED)
    except ValueError as exc:
        raise ConfigurationError(f"SMS_RATES_AED: {exc}", "SMS_RATES_AED") from exc


def parts_limit(secrets: Secrets) -> PartsLimit:
    """The SMS length limit from SMS_MAX_PARTS / SMS_WARN_PARTS, else 10 / 3."""
    try:
        most = int(secrets.get("SMS_MAX_PARTS") or DEFAULT_MAX_PARTS)
        warn = int(secrets.get("SMS_WARN_PARTS") or min(DEFAULT_WARN_PARTS, most))
        return PartsLimit(max_parts=most, warn_parts=warn)
    except ValueError as exc:
        raise ConfigurationError(f"SMS_MAX_PARTS / SMS_WARN_PARTS: {exc}", "SMS_MAX_PARTS") from exc
