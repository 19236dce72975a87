"""SMS through Unifonic, Twilio or AWS SNS, and failover across them in a configured order.

Each provider client maps its own errors onto the two the dispatcher knows (see sync.messaging.base):
- Unifonic ``POST /rest/SMS/messages``, form-encoded, AppSid in the form; the outbox id as CorrelationID.
  Its ``errorCode`` values ER-02…ER-05 (invalid, too long, too short, no route — a landline) refuse the
  recipient, ER-06/ER-07 the text, ER-01/ER-08 the account (balance, sender id). The table is a constructor
  argument, since Unifonic's list is longer than what its docs publish.
- Twilio ``POST /2010-04-01/Accounts/{sid}/Messages.json``, form-encoded, HTTP Basic; 21211 (invalid To) and
  21614 (not a mobile) refuse the recipient, 21610 means the recipient replied STOP. Twilio takes no client
  reference on a send, so the outbox id rides on the StatusCallback URL (``?ref=``) when one is configured.
- AWS SNS ``Publish``, form-encoded, signed with SigV4 by botocore (signing is not written by hand here).
  SNS has no client reference for SMS and no delivery status in its answer.

Failover (``FailoverSms``) tries the providers in order and moves on when one fails transiently (a timeout, a
5xx, a 429) or refuses for reasons of its own account (credentials, balance, sender id); it stops at the first
refusal about the recipient or the message (an invalid number or an opt-out is the same on every provider).
A provider that answered 429 with Retry-After is skipped until that time has passed.
"""

from __future__ import annotations

import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from core.messaging.outbound import SmsMessage
from sync.messaging.base import (
    Channel,
    PermanentSendError,
    ProviderAccepted,
    Refusal,
    TransientSendError,
    new_client,
    post,
    retry_after_seconds,
    transient_for_status,
)

# -- Unifonic ----------------------------------------------------------------------------------------------------

UNIFONIC_URL = "https://el.cloud.unifonic.com"
UNIFONIC_REFUSALS: dict[str, Refusal] = {
    "ER-01": Refusal.ACCOUNT,  # no rate found or insufficient funds
    "ER-02": Refusal.INVALID_RECIPIENT,
    "ER-03": Refusal.INVALID_RECIPIENT,
    "ER-04": Refusal.INVALID_RECIPIENT,
    "ER-05": Refusal.INVALID_RECIPIENT,  # no route: unknown, inactive or a landline
    "ER-06": Refusal.INVALID_MESSAGE,
    "ER-07": Refusal.INVALID_MESSAGE,  # filtered by Unifonic or the operator
    "ER-08": Refusal.ACCOUNT,  # sender id not registered
}


class UnifonicSms:
    name = "unifonic"

    def __init__(
        self,
        app_sid: str,
        sender_id: str,
        *,
        base_url: str = UNIFONIC_URL,
        client: httpx.Client | None = None,
        refusals: Mapping[str, Refusal] = UNIFONIC_REFUSALS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/rest/SMS/messages"
        self._app_sid = app_sid
        self._sender_id = sender_id
        self._client = client or new_client()
        self._refusals = dict(refusals)
        self._now = now

    def send(self, message: SmsMessage) -> ProviderAccepted:
        form = {
            "AppSid": self._app_sid,
            "SenderID": self._sender_id,
            "Recipient": message.to.lstrip("+"),
            "Body": message.body,
            "responseType": "JSON",
            "CorrelationID": message.id,
        }
        response = post(self._client, self.name, self.url, data=form, headers={"Accept": "application/json"})
        transient_for_status(self.name, response, self._now())
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        if str(answer.get("success")).lower() == "true":
            data = answer.get("data") or {}
            units = data.get("NumberOfUnits")
            return ProviderAccepted(self.name, str(data.get("MessageID", "")), _int_or_none(units))
        code = str(answer.get("errorCode") or f"HTTP {response.status_code}")
        reason = str(answer.get("message") or "")
        if response.status_code in (401, 403):
            raise PermanentSendError(self.name, Refusal.UNAUTHORISED, code, reason)
        raise PermanentSendError(self.name, self._refusals.get(code, Refusal.INVALID_MESSAGE), code, reason)


# -- Twilio ------------------------------------------------------------------------------------------------------

TWILIO_URL = "https://api.twilio.com"
TWILIO_REFUSALS: dict[int, Refusal] = {
    21211: Refusal.INVALID_RECIPIENT,  # invalid 'To' phone number
    21614: Refusal.INVALID_RECIPIENT,  # 'To' is not a mobile number
    21612: Refusal.INVALID_RECIPIENT,  # cannot route to this number
    21610: Refusal.OPTED_OUT,  # the recipient replied STOP
    21408: Refusal.ACCOUNT,  # no permission to send to this region
    21606: Refusal.ACCOUNT,  # 'From' is not a valid sender of this account
    21617: Refusal.INVALID_MESSAGE,  # body exceeds 1600 characters
    20003: Refusal.UNAUTHORISED,
}
TWILIO_TRANSIENT = frozenset({20429, 20500, 20503})


class TwilioSms:
    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        sender: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        base_url: str = TWILIO_URL,
        client: httpx.Client | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        if not sender and not messaging_service_sid:
            raise ValueError("Twilio needs a sender number or a messaging service")
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = (account_sid, auth_token)
        self._sender = sender
        self._service = messaging_service_sid
        self._callback = status_callback
        self._client = client or new_client()
        self._now = now

    def send(self, message: SmsMessage) -> ProviderAccepted:
        form = {"To": message.to, "Body": message.body}
        if self._service:
            form["MessagingServiceSid"] = self._service
        else:
            form["From"] = str(self._sender)
        if self._callback:
            form["StatusCallback"] = with_query(self._callback, ref=message.id)
        response = post(self._client, self.name, self.url, data=form, auth=self._auth)
        try:
            answer: Any = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        if response.is_success:
            return ProviderAccepted(self.name, str(answer.get("sid", "")), _int_or_none(answer.get("num_segments")))
        code = _int_or_none(answer.get("code"))
        reason = str(answer.get("message") or f"HTTP {response.status_code}")
        if code in TWILIO_TRANSIENT:
            raise TransientSendError(self.name, f"{code}: {reason}", retry_after_seconds(response, self._now()))
        transient_for_status(self.name, response, self._now())
        if code in TWILIO_REFUSALS:
            raise PermanentSendError(self.name, TWILIO_REFUSALS[code], str(code), reason)
        refusal = Refusal.UNAUTHORISED if response.status_code in (401, 403) else Refusal.INVALID_MESSAGE
        raise PermanentSendError(self.name, refusal, str(code or response.status_code), reason)


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query string."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


# -- AWS SNS -----------------------------------------------------------------------------------------------------

SNS_NAMESPACE = "{http://sns.amazonaws.com/doc/2010-03-31/}"
SNS_TRANSIENT = frozenset(
    {"Throttling", "ThrottledException", "InternalError", "InternalFailure", "ServiceUnavailable", "RequestTimeout"}
)
SNS_UNAUTHORISED = frozenset(
    {"AuthorizationError", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken"}
)


class SnsSms:
    name = "sns"

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        region: str,
        *,
        session_token: str | None = None,
        sender_id: str | None = None,
        base_url: str | None = None,
        client: httpx.Client | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        from botocore.credentials import Credentials

        self.url = (base_url or f"https://sns.{region}.amazonaws.com").rstrip("/") + "/"
        self.region = region
        self._credentials = Credentials(access_key_id, secret_access_key, session_token)
        self._sender_id = sender_id
        self._client = client or new_client()
        self._now = now

    def form(self, message: SmsMessage) -> list[tuple[str, str]]:
        fields = [
            ("Action", "Publish"),
            ("Version", "2010-03-31"),
            ("PhoneNumber", message.to),
            ("Message", message.body),
            ("MessageAttributes.entry.1.Name", "AWS.SNS.SMS.SMSType"),
            ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", "Promotional" if message.promotional else "Transactional"),
        ]
        if self._sender_id:
            fields += [
                ("MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID"),
                ("MessageAttributes.entry.2.Value.DataType", "String"),
                ("MessageAttributes.entry.2.Value.StringValue", self._sender_id),
            ]
        return fields

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """SigV4 headers (Authorization, X-Amz-Date, …) for a Publish of ``body``, computed by botocore."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        request = AWSRequest(
            method="POST",
            url=self.url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        SigV4Auth(self._credentials, "sns", self.region).add_auth(request)
        return {name: str(value) for name, value in request.headers.items()}

    def send(self, message: SmsMessage) -> ProviderAccepted:
        body = urllib.parse.urlencode(self.form(message)).encode("ascii")
        response = post(self._client, self.name, self.url, content=body, headers=self.signed_headers(body))
        if response.is_success:
            message_id = _xml_text(response.content, "PublishResult", "MessageId")
            return ProviderAccepted(self.name, message_id or "")
        code = _xml_text(response.content, "Error", "Code") or f"HTTP {response.status_code}"
        reason = _xml_text(response.content, "Error", "Message") or ""
        if code in SNS_TRANSIENT:
            raise TransientSendError(self.name, f"{code}: {reason}", retry_after_seconds(response, self._now()))
        transient_for_status(self.name, response, self._now())
        if code in SNS_UNAUTHORISED or response.status_code in (401, 403):
            raise PermanentSendError(self.name, Refusal.UNAUTHORISED, code, reason)
        if code.startswith("InvalidParameter") and "PhoneNumber" in reason:
            raise PermanentSendError(self.name, Refusal.INVALID_RECIPIENT, code, reason)
        raise PermanentSendError(self.name, Refusal.INVALID_MESSAGE, code, reason)


def _xml_text(content: bytes, parent: str, child: str) -> str | None:
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return None
    for ns in (SNS_NAMESPACE, ""):
        found = root.find(f".//{ns}{parent}/{ns}{child}")
        if found is not None and found.text:
            return found.text.strip()
    return None


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# -- failover ----------------------------------------------------------------------------------------------------


class FailoverSms:
    """Sends through the first provider, in order, that takes the message (see the module's docstring).

    When none does, raises the refusal if every provider refused for reasons of its own (nothing will change
    by waiting), else a TransientSendError whose ``retry_after`` is the soonest any provider said it would
    take messages again (None when none said)."""

    name = "sms"

    def __init__(self, providers: Sequence[Channel[SmsMessage]], *, monotonic: Callable[[], float] = time.monotonic):
        if not providers:
            raise ValueError("failover needs at least one SMS provider")
        self.providers = list(providers)
        self._monotonic = monotonic
        self._resting_until: dict[str, float] = {}

    @property
    def order(self) -> list[str]:
        return [provider.name for provider in self.providers]

    def resting(self, provider: str) -> float:
        """Seconds ``provider`` is still skipped for after its Retry-After (0 when it is not)."""
        return max(0.0, self._resting_until.get(provider, 0.0) - self._monotonic())

    def send(self, message: SmsMessage) -> ProviderAccepted:
        transient: list[TransientSendError] = []
        refused: list[PermanentSendError] = []
        waits: list[float] = []
        for provider in self.providers:
            rest = self.resting(provider.name)
            if rest > 0:
                waits.append(rest)
                transient.append(TransientSendError(provider.name, "resting after 429", rest))
                continue
            try:
                return provider.send(message)
            except TransientSendError as error:
                transient.append(error)
                if error.retry_after is not None:
                    waits.append(error.retry_after)
                    self._resting_until[provider.name] = self._monotonic() + error.retry_after
            except PermanentSendError as error:
                if error.refusal.about_recipient:
                    raise
                refused.append(error)
        if not transient:
            raise refused[0]
        reasons = "; ".join(str(error) for error in [*transient, *refused])
        raise TransientSendError(self.name, f"no SMS provider took it: {reasons}", min(waits) if waits else None)
