"""Is this webhook really from the provider? Pure functions over the raw request, for the head-office endpoints.

- WhatsApp (Meta): ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app
  secret>``. Computed over the bytes as received — a body parsed and serialised again no longer matches.
- Twilio: ``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed with the auth token, over the full URL Twilio
  called followed by every POST parameter sorted by name, each as name then value (Twilio's published
  algorithm, as its own request validator implements it).
- SendGrid Event Webhook: ``X-Twilio-Email-Event-Webhook-Signature`` (base64 DER ECDSA signature, P-256 with
  SHA-256) over the ``X-Twilio-Email-Event-Webhook-Timestamp`` value followed by the raw body, checked against
  the verification key SendGrid shows (base64 DER, or PEM). A timestamp further than ``tolerance`` seconds from
  now is refused, so a captured request cannot be replayed later.
- WhatsApp's subscription handshake: ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`` is
  answered with the challenge when the token is ours.

Every comparison of secrets is constant-time. A missing header is a failed check, never an exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

WHATSAPP_SIGNATURE_HEADER = "X-Hub-Signature-256"
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
SENDGRID_SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
SENDGRID_TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
SENDGRID_TOLERANCE_SECONDS = 600.0


# -- WhatsApp ----------------------------------------------------------------------------------------------------


def whatsapp_signature(raw_body: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``raw_body``."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_whatsapp(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    if not header or not app_secret:
        return False
    return hmac.compare_digest(header.strip().encode(), whatsapp_signature(raw_body, app_secret).encode())


def whatsapp_handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to answer (200, as the body) when Meta subscribes with our token; None means 403."""
    mode = params.get("hub.mode")
    token = params.get("hub.verify_token") or ""
    challenge = params.get("hub.challenge")
    if mode != "subscribe" or challenge is None or not verify_token:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge


# -- Twilio ------------------------------------------------------------------------------------------------------


def _pairs(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(params.items()) if isinstance(params, Mapping) else list(params)


def twilio_signature(url: str, params: Mapping[str, str] | Iterable[tuple[str, str]], auth_token: str) -> str:
    """What Twilio puts in X-Twilio-Signature for a POST of ``params`` to ``url``."""
    pairs = _pairs(params)
    data = url
    for name in sorted({name for name, _ in pairs}):
        for value in sorted({value for key, value in pairs if key == name}):
            data += name + value
    digest = hmac.new(auth_token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_twilio(
    url: str, params: Mapping[str, str] | Iterable[tuple[str, str]], header: str | None, auth_token: str
) -> bool:
    if not header or not auth_token:
        return False
    return hmac.compare_digest(header.strip().encode(), twilio_signature(url, params, auth_token).encode())


# -- SendGrid ----------------------------------------------------------------------------------------------------


def load_sendgrid_key(key: str) -> ec.EllipticCurvePublicKey:
    """The verification key as SendGrid shows it (base64 DER) or as PEM. Raises ValueError if it is neither."""
    text = key.strip()
    try:
        if text.startswith("-----BEGIN"):
            loaded = serialization.load_pem_public_key(text.encode())
        else:
            loaded = serialization.load_der_public_key(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error, TypeError) as exc:
        raise ValueError("not an ECDSA public key") from exc
    if not isinstance(loaded, ec.EllipticCurvePublicKey):
        raise ValueError("not an ECDSA public key")
    return loaded


def verify_sendgrid(
    raw_body: bytes,
    signature: str | None,
    timestamp: str | None,
    public_key: ec.EllipticCurvePublicKey,
    *,
    now: float,
    tolerance: float = SENDGRID_TOLERANCE_SECONDS,
) -> bool:
    """``now`` is the caller's clock in POSIX seconds; the timestamp must lie within ``tolerance`` of it."""
    if not signature or not timestamp:
        return False
    try:
        stamped = int(timestamp.strip())
        der = base64.b64decode(signature.strip(), validate=True)
    except (ValueError, binascii.Error):
        return False
    if abs(now - stamped) > tolerance:
        return False
    try:
        public_key.verify(der, timestamp.strip().encode() + raw_body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
