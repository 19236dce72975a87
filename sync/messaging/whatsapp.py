"""WhatsApp Cloud API: ``POST https://graph.facebook.com/{version}/{phone-number-id}/messages`` with a Bearer
token and a JSON body, answered by ``{"messages": [{"id": "wamid…"}]}``.

The outbox id goes as ``biz_opaque_callback_data``, which Meta echoes in every status webhook of the message.
Errors branch on the Graph error ``code`` (never its title): 131047 (outside the 24 h window), 131026
(undeliverable) and 131050 (the user stopped marketing messages) are permanent; 130429 (throughput) and 131056
(too many to one user), with any 5xx, are transient. The API version is pinned here and configurable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from core.kernel.errors import ValidationError
from core.messaging.outbound import (
    WhatsAppButtons,
    WhatsAppList,
    WhatsAppMessage,
    WhatsAppTemplate,
    WhatsAppText,
    validate_whatsapp,
)
from sync.messaging.base import (
    PermanentSendError,
    ProviderAccepted,
    Refusal,
    TransientSendError,
    new_client,
    post,
    retry_after_seconds,
    transient_for_status,
)

GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"

# Graph error codes → what they mean for the message. Codes not listed: 4xx permanent, 5xx transient.
TRANSIENT_CODES = frozenset({130429, 131056, 131048, 131049, 131000, 131016, 2, 4, 80007})
PERMANENT_CODES: dict[int, Refusal] = {
    131047: Refusal.WINDOW_CLOSED,
    131026: Refusal.UNDELIVERABLE,
    131050: Refusal.OPTED_OUT,
    131030: Refusal.INVALID_RECIPIENT,  # not on the test number's allowed list
    131008: Refusal.INVALID_MESSAGE,
    131009: Refusal.INVALID_MESSAGE,
    131051: Refusal.INVALID_MESSAGE,
    132000: Refusal.INVALID_MESSAGE,  # template parameter count mismatch
    132001: Refusal.INVALID_MESSAGE,  # template does not exist in that language
    132012: Refusal.INVALID_MESSAGE,
    100: Refusal.INVALID_MESSAGE,
    190: Refusal.UNAUTHORISED,  # access token expired or invalid
    10: Refusal.UNAUTHORISED,
    200: Refusal.UNAUTHORISED,
    368: Refusal.ACCOUNT,  # temporarily blocked for policy violations
    131031: Refusal.ACCOUNT,  # account locked
    131042: Refusal.ACCOUNT,  # payment problem
}

PROVIDER = "whatsapp"


def digits(number: str) -> str:
    """WhatsApp's ``to``: the international number's digits, no '+' or '00'."""
    bare = "".join(c for c in number if c.isdigit())
    return bare[2:] if number.strip().startswith("00") else bare


def payload(message: WhatsAppMessage) -> dict[str, Any]:
    """The Graph API request body for ``message`` (which is validated first)."""
    validate_whatsapp(message)
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": digits(message.to),
        "biz_opaque_callback_data": message.id,
    }
    if isinstance(message, WhatsAppText):
        body["type"] = "text"
        body["text"] = {"preview_url": message.preview_url, "body": message.body}
    elif isinstance(message, WhatsAppTemplate):
        body["type"] = "template"
        body["template"] = _template(message)
    else:
        body["type"] = "interactive"
        body["interactive"] = _buttons(message) if isinstance(message, WhatsAppButtons) else _list(message)
    return body


def _text_params(values: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"type": "text", "text": value} for value in values]


def _template(message: WhatsAppTemplate) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    if message.header_params:
        components.append({"type": "header", "parameters": _text_params(message.header_params)})
    if message.body_params:
        components.append({"type": "body", "parameters": _text_params(message.body_params)})
    for index, reply in enumerate(message.quick_replies):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": reply}],
            }
        )
    template: dict[str, Any] = {"name": message.name, "language": {"code": message.language}}
    if components:
        template["components"] = components
    return template


def _frame(kind: str, body: str, header: str | None, footer: str | None) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": kind, "body": {"text": body}}
    if header:
        frame["header"] = {"type": "text", "text": header}
    if footer:
        frame["footer"] = {"text": footer}
    return frame


def _buttons(message: WhatsAppButtons) -> dict[str, Any]:
    frame = _frame("button", message.body, message.header, message.footer)
    frame["action"] = {"buttons": [{"type": "reply", "reply": {"id": b.id, "title": b.title}} for b in message.buttons]}
    return frame


def _list(message: WhatsAppList) -> dict[str, Any]:
    frame = _frame("list", message.body, message.header, message.footer)
    sections = []
    for section in message.sections:
        rows = []
        for row in section.rows:
            item = {"id": row.id, "title": row.title}
            if row.description:
                item["description"] = row.description
            rows.append(item)
        entry: dict[str, Any] = {"rows": rows}
        if section.title:
            entry["title"] = section.title
        sections.append(entry)
    frame["action"] = {"button": message.button, "sections": sections}
    return frame


class WhatsAppChannel:
    """Sends WhatsApp messages for one business phone number."""

    name = PROVIDER

    def __init__(
        self,
        access_token: str,
        phone_number_id: str,
        *,
        version: str = GRAPH_VERSION,
        base_url: str = GRAPH_URL,
        client: httpx.Client | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._client = client or new_client()
        self._now = now

    def send(self, message: WhatsAppMessage) -> ProviderAccepted:
        try:
            body = payload(message)
        except ValidationError as exc:
            raise PermanentSendError(PROVIDER, Refusal.INVALID_MESSAGE, "validation", exc.english()) from exc
        response = post(self._client, PROVIDER, self.url, json=body, headers=self._headers)
        if response.is_success:
            try:
                return ProviderAccepted(PROVIDER, str(response.json()["messages"][0]["id"]))
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                # Accepted without an id we can read: retrying could double-send, so the dispatcher is told
                # plainly; a status webhook carrying our id will still find the row.
                raise PermanentSendError(PROVIDER, Refusal.INVALID_MESSAGE, "response", "no message id") from exc
        raise self._error(response)

    def _error(self, response: httpx.Response) -> Exception:
        code, text = graph_error(response)
        if code in TRANSIENT_CODES:
            return TransientSendError(PROVIDER, f"{code}: {text}", retry_after_seconds(response, self._now()))
        if code in PERMANENT_CODES:
            return PermanentSendError(PROVIDER, PERMANENT_CODES[code], str(code), text)
        transient_for_status(PROVIDER, response, self._now())
        if response.status_code in (401, 403):
            return PermanentSendError(PROVIDER, Refusal.UNAUTHORISED, str(code or response.status_code), text)
        return PermanentSendError(PROVIDER, Refusal.INVALID_MESSAGE, str(code or response.status_code), text)


def graph_error(response: httpx.Response) -> tuple[int | None, str]:
    """The Graph API error's ``code`` and message, or (None, the HTTP status) for a body that is not one."""
    try:
        error = response.json()["error"]
        return int(error["code"]), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError):
        return None, f"HTTP {response.status_code}"
