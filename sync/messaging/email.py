"""Email through SendGrid v3: ``POST /v3/mail/send`` with a Bearer key and a JSON body; 202 means accepted
and the ``X-Message-Id`` header names the message (SendGrid's event webhook reports ``sg_message_id`` values
that start with it). The outbox id goes in ``custom_args.message_id``, which every event of the message
carries back. An Arabic email is laid out right to left (``dir="rtl"``), in a plain-text part and an HTML part.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from core.messaging.outbound import EmailMessage, email_html
from sync.messaging.base import (
    PermanentSendError,
    ProviderAccepted,
    Refusal,
    new_client,
    post,
    transient_for_status,
)

SENDGRID_URL = "https://api.sendgrid.com"
PROVIDER = "sendgrid"


def html_body(message: EmailMessage) -> str:
    """The HTML part: ``message.html`` as given, or the text with its paragraphs, escaped; wrapped in a
    right-to-left block when the message is Arabic (core.messaging.outbound.email_html)."""
    return email_html(message.text, message.language, message.html)


def payload(message: EmailMessage, from_email: str, from_name: str | None) -> dict[str, Any]:
    recipient: dict[str, str] = {"email": message.to}
    if message.to_name:
        recipient["name"] = message.to_name
    sender: dict[str, str] = {"email": from_email}
    if from_name:
        sender["name"] = from_name
    return {
        "personalizations": [{"to": [recipient]}],
        "from": sender,
        "subject": message.subject,
        "content": [
            {"type": "text/plain", "value": message.text},
            {"type": "text/html", "value": html_body(message)},
        ],
        "custom_args": {"message_id": message.id},
    }


class SendGridEmail:
    name = PROVIDER

    def __init__(
        self,
        api_key: str,
        from_email: str,
        *,
        from_name: str | None = None,
        base_url: str = SENDGRID_URL,
        client: httpx.Client | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/v3/mail/send"
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._from = (from_email, from_name)
        self._client = client or new_client()
        self._now = now

    def send(self, message: EmailMessage) -> ProviderAccepted:
        body = payload(message, *self._from)
        response = post(self._client, PROVIDER, self.url, json=body, headers=self._headers)
        if response.status_code == 202 or response.is_success:
            return ProviderAccepted(PROVIDER, response.headers.get("x-message-id", ""))
        transient_for_status(PROVIDER, response, self._now())
        errors = _errors(response)
        reason = "; ".join(f"{field or '-'}: {text}" for field, text in errors) or f"HTTP {response.status_code}"
        if response.status_code in (401, 403):
            raise PermanentSendError(PROVIDER, Refusal.UNAUTHORISED, str(response.status_code), reason)
        about_recipient = any(field and field.startswith("personalizations") for field, _ in errors)
        refusal = Refusal.INVALID_RECIPIENT if about_recipient else Refusal.INVALID_MESSAGE
        raise PermanentSendError(PROVIDER, refusal, str(response.status_code), reason)


def _errors(response: httpx.Response) -> list[tuple[str | None, str]]:
    try:
        listed = response.json().get("errors") or []
        return [(e.get("field"), str(e.get("message", ""))) for e in listed if isinstance(e, dict)]
    except (ValueError, AttributeError):
        return []
