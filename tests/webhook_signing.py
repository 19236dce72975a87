"""Webhooks as the providers send them, signed here from each provider's published algorithm (independently of
sync.messaging.signatures, which head office checks them with), and head office's test secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from sync.headoffice.webhooks import WebhookSecrets

VERIFY_TOKEN = "meta-verify-token-7"
APP_SECRET = "meta-app-secret-0123456789"
TWILIO_TOKEN = "twilio-auth-token"
UNIFONIC_TOKEN = "unifonic-callback-token-42"
PUBLIC_URL = "https://ho.perfume-oud.example"

# SendGrid's key pair: SendGrid keeps the private half; head office is given the public one.
SENDGRID_PRIVATE = ec.generate_private_key(ec.SECP256R1())
SENDGRID_PUBLIC = base64.b64encode(
    SENDGRID_PRIVATE.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()


def secrets(**overrides: Any) -> WebhookSecrets:
    """Every provider configured (a keyword set to None leaves that one out)."""
    from sync.messaging.signatures import load_sendgrid_key

    values: dict[str, Any] = {
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_app_secret": APP_SECRET,
        "twilio_auth_token": TWILIO_TOKEN,
        "unifonic_token": UNIFONIC_TOKEN,
        "sendgrid_key": load_sendgrid_key(SENDGRID_PUBLIC),
        "public_url": PUBLIC_URL,
    }
    values.update(overrides)
    return WebhookSecrets(**values)


# -- WhatsApp: HMAC-SHA256 of the raw body, hex, "sha256=" before it --------------------------------------------


def whatsapp_body(
    *,
    statuses: Sequence[dict[str, Any]] = (),
    messages: Sequence[dict[str, Any]] = (),
    contacts: Sequence[dict[str, Any]] = (),
) -> bytes:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "97145550000", "phone_number_id": "106540352242922"},
    }
    if statuses:
        value["statuses"] = list(statuses)
    if messages:
        value["messages"] = list(messages)
        value["contacts"] = list(contacts)
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body, ensure_ascii=False).encode()


def whatsapp_status(
    wamid: str, status: str, at: int, *, ours: str | None = None, to: str = "971501234567", error: int | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"id": wamid, "status": status, "timestamp": str(at), "recipient_id": to}
    if ours:
        item["biz_opaque_callback_data"] = ours
    if error is not None:
        item["errors"] = [{"code": error, "title": f"error {error}"}]
    return item


def whatsapp_headers(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


# -- Twilio: base64 HMAC-SHA1 of the URL, then each parameter sorted by name, name then value ------------------


def twilio_headers(url: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> dict[str, str]:
    data = url + "".join(name + params[name] for name in sorted(params))
    signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    return {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}


def form(params: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(params).encode()


# -- SendGrid: ECDSA P-256 / SHA-256 over the timestamp then the body, base64 DER -------------------------------


def sendgrid_headers(body: bytes, timestamp: int, key: ec.EllipticCurvePrivateKey = SENDGRID_PRIVATE) -> dict[str, str]:
    signed = key.sign(str(timestamp).encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signed).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": str(timestamp),
        "Content-Type": "application/json",
    }
