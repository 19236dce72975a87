"""Webhook signature checks with signatures computed here, as each provider computes them; and the WhatsApp
verification handshake.

Twilio's algorithm is checked against the worked example of its security documentation
(twilio.com/docs/usage/security, "Validating Requests are coming from Twilio": auth token 12345, the
myapp.php URL and the CallSid/Caller/Digits/From/To parameters give ``0/KCTR6DLpKmkAf8muzZqo1nDgQ=``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from sync.messaging.signatures import (
    load_sendgrid_key,
    twilio_signature,
    verify_sendgrid,
    verify_twilio,
    verify_whatsapp,
    whatsapp_handshake,
)

APP_SECRET = "meta-app-secret"
BODY = json.dumps({"object": "whatsapp_business_account", "entry": []}, separators=(",", ":")).encode()


def meta_signs(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_whatsapp_signature_valid_wrong_and_missing() -> None:
    assert verify_whatsapp(BODY, meta_signs(BODY), APP_SECRET)
    assert not verify_whatsapp(BODY, meta_signs(BODY, "another-secret"), APP_SECRET)
    assert not verify_whatsapp(BODY + b" ", meta_signs(BODY), APP_SECRET)  # one byte more
    assert not verify_whatsapp(BODY, None, APP_SECRET)
    assert not verify_whatsapp(BODY, "", APP_SECRET)
    assert not verify_whatsapp(BODY, meta_signs(BODY).removeprefix("sha256="), APP_SECRET)
    assert not verify_whatsapp(BODY, meta_signs(BODY), "")  # an unset secret accepts nothing


def test_whatsapp_signature_is_over_the_raw_bytes_not_a_reserialisation() -> None:
    raw = '{"object": "whatsapp_business_account",  "entry": [], "text": "مرحبا"}'.encode()
    signature = meta_signs(raw)
    reserialised = json.dumps(json.loads(raw)).encode()
    assert verify_whatsapp(raw, signature, APP_SECRET)
    assert not verify_whatsapp(reserialised, signature, APP_SECRET)


def test_whatsapp_handshake() -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": "our-token", "hub.challenge": "1158201444"}
    assert whatsapp_handshake(good, "our-token") == "1158201444"
    assert whatsapp_handshake({**good, "hub.verify_token": "guess"}, "our-token") is None
    assert whatsapp_handshake({**good, "hub.mode": "unsubscribe"}, "our-token") is None
    assert whatsapp_handshake({k: v for k, v in good.items() if k != "hub.challenge"}, "our-token") is None
    assert whatsapp_handshake({**good, "hub.verify_token": ""}, "") is None


TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


def test_twilio_signature_matches_twilios_worked_example() -> None:
    assert twilio_signature(TWILIO_URL, TWILIO_PARAMS, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_signature_valid_wrong_and_missing() -> None:
    header = twilio_signature(TWILIO_URL, TWILIO_PARAMS, "12345")
    assert verify_twilio(TWILIO_URL, TWILIO_PARAMS, header, "12345")
    assert verify_twilio(TWILIO_URL, list(reversed(list(TWILIO_PARAMS.items()))), header, "12345")  # order-free
    assert not verify_twilio(TWILIO_URL, {**TWILIO_PARAMS, "Digits": "9999"}, header, "12345")
    assert not verify_twilio(TWILIO_URL.replace("https", "http"), TWILIO_PARAMS, header, "12345")
    assert not verify_twilio(TWILIO_URL, TWILIO_PARAMS, header, "54321")
    assert not verify_twilio(TWILIO_URL, TWILIO_PARAMS, None, "12345")


NOW = 1_796_300_000  # an instant, in POSIX seconds, the tests pass as "now"


@pytest.fixture(scope="module")
def sendgrid_keys() -> tuple[ec.EllipticCurvePrivateKey, str]:
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(der).decode()  # the form SendGrid shows its verification key in


def sendgrid_signs(private: ec.EllipticCurvePrivateKey, timestamp: str, body: bytes) -> str:
    return base64.b64encode(private.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))).decode()


EVENTS = b'[{"email":"a@example.ae","event":"delivered","sg_event_id":"e1","timestamp":1796300000}]\r\n'


def test_sendgrid_signature_valid_wrong_missing_and_replayed(
    sendgrid_keys: tuple[ec.EllipticCurvePrivateKey, str],
) -> None:
    private, shown = sendgrid_keys
    key = load_sendgrid_key(shown)
    stamp = str(NOW)
    signature = sendgrid_signs(private, stamp, EVENTS)
    assert verify_sendgrid(EVENTS, signature, stamp, key, now=NOW + 5)
    # Another key, another body, another timestamp: refused.
    other = ec.generate_private_key(ec.SECP256R1())
    assert not verify_sendgrid(EVENTS, sendgrid_signs(other, stamp, EVENTS), stamp, key, now=NOW)
    assert not verify_sendgrid(EVENTS.replace(b"delivered", b"open"), signature, stamp, key, now=NOW)
    assert not verify_sendgrid(EVENTS, signature, str(NOW + 1), key, now=NOW)
    # Missing or garbled headers: refused, no exception.
    assert not verify_sendgrid(EVENTS, None, stamp, key, now=NOW)
    assert not verify_sendgrid(EVENTS, signature, None, key, now=NOW)
    assert not verify_sendgrid(EVENTS, "not base64!", stamp, key, now=NOW)
    assert not verify_sendgrid(EVENTS, signature, "yesterday", key, now=NOW)
    # The same signed request replayed eleven minutes later (or stamped in the future): refused.
    assert not verify_sendgrid(EVENTS, signature, stamp, key, now=NOW + 660)
    assert not verify_sendgrid(EVENTS, signature, stamp, key, now=NOW - 660)
    assert verify_sendgrid(EVENTS, signature, stamp, key, now=NOW + 660, tolerance=900)


def test_sendgrid_key_in_pem_or_not_a_key(sendgrid_keys: tuple[ec.EllipticCurvePrivateKey, str]) -> None:
    private, _ = sendgrid_keys
    pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    stamp = str(NOW)
    assert verify_sendgrid(
        EVENTS, sendgrid_signs(private, stamp, EVENTS), stamp, load_sendgrid_key(pem.decode()), now=NOW
    )
    with pytest.raises(ValueError):
        load_sendgrid_key("not a key")
