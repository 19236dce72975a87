"""Helpers of the outbox tests: channels pointed at the fake providers, and messages queued the way a use case
queues them (through a unit of work, with their change-log rows)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from core.kernel.ports import Clock
from core.staff.auth import Actor
from storage.db import Store
from storage.uow import uow_factory
from sync.messaging.config import ChannelRegistry, Secrets, sms_rates
from sync.messaging.gateway import ChannelGateway
from tests import providers as p


def environment(url: str, **extra: str) -> dict[str, str]:
    """Credentials for every channel, each provider at ``url`` (a FakeProviders server)."""
    return {
        "WHATSAPP_ACCESS_TOKEN": p.WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": p.PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": url,
        "SMS_PROVIDER": "unifonic",
        "UNIFONIC_APP_SID": p.UNIFONIC_APP_SID,
        "UNIFONIC_SENDER_ID": p.UNIFONIC_SENDER,
        "UNIFONIC_BASE_URL": url,
        "TWILIO_ACCOUNT_SID": p.TWILIO_SID,
        "TWILIO_AUTH_TOKEN": p.TWILIO_TOKEN,
        "TWILIO_FROM": p.TWILIO_FROM,
        "TWILIO_BASE_URL": url,
        "SENDGRID_API_KEY": p.SENDGRID_KEY,
        "SENDGRID_FROM_EMAIL": "care@perfume-oud.ae",
        "SENDGRID_BASE_URL": url,
        "SMS_RATES_AED": "unifonic=0.05,twilio=0.30",
        **extra,
    }


def gateway(url: str, clock: Clock, client: httpx.Client | None = None, **extra: str) -> ChannelGateway:
    """The channels on ``clock``'s time (a provider resting after a 429 rests in the test's time too)."""
    secrets = Secrets(environment(url, **extra), keyring=None)
    registry = ChannelRegistry(secrets, client or httpx.Client(timeout=10.0), lambda: clock.now().timestamp())
    return ChannelGateway(registry, sms_rates(secrets))


def queue_messages(
    store: Store, clock: Clock, actor: Actor, count: int, *, channel: str = "sms", body: str = "Your receipt"
) -> list[str]:
    """``count`` queued messages to demo customers, in one unit of work."""
    with store.read_engine.connect() as conn:
        customers = [row[0] for row in conn.execute(text("SELECT id FROM customers ORDER BY id LIMIT 50"))]
    ids = []
    with uow_factory(store, clock)(actor) as uow:
        for n in range(count):
            to = "care@example.ae" if channel == "email" else f"+9715{n % 10**8:08d}"
            ids.append(uow.messages.queue(customers[n % len(customers)], channel, to, f"{body} {n}", None))
        uow.commit()
    return ids


def rows(store: Store, sql: str, **params: Any) -> list[Any]:
    with store.read_engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def correlation_ids(fake: p.FakeProviders) -> list[str]:
    """The outbox id of each message Unifonic received (its CorrelationID), once per delivery."""
    return [r.form.get("CorrelationID", "") for r in fake.of("unifonic")]
