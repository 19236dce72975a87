"""The providers' webhooks at head office: delivery statuses, inbound messages, opt-outs.

    GET  /v1/webhooks/whatsapp          Meta's subscription handshake (WHATSAPP_WEBHOOK_TOKEN)
    POST /v1/webhooks/whatsapp          statuses and inbound messages, X-Hub-Signature-256 (WHATSAPP_APP_SECRET)
    POST /v1/webhooks/twilio/status     Twilio's status callback, X-Twilio-Signature (TWILIO_AUTH_TOKEN)
    POST /v1/webhooks/twilio/inbound    an SMS a customer sent to our Twilio number (same signature)
    POST /v1/webhooks/unifonic?token=…  Unifonic's delivery reports (UNIFONIC_WEBHOOK_TOKEN, see below)
    POST /v1/webhooks/sendgrid          SendGrid's Event Webhook, ECDSA + timestamp (SENDGRID_WEBHOOK_PUBLIC_KEY)

Every request is hostile until its signature says otherwise. A provider with no secret configured answers 403
and accepts nothing; the signature header is required before the body is read; the body (bounded by guard
.BodyLimit) is checked against the signature as the raw bytes received, before anything parses it. A bad or
missing signature is 401, a SendGrid timestamp outside the tolerance (a replay) 403, a body that is not the
provider's shape 400, and none of them changes anything.

Unifonic's callback signing is not documented (providers.md: UNVERIFIED), so its callback URL carries a
shared secret of ours, compared in constant time: ``…/v1/webhooks/unifonic?token=<UNIFONIC_WEBHOOK_TOKEN>``.

Twilio signs the URL it called. Behind a reverse proxy that is not the URL uvicorn sees, so the public base
URL is configurable (``HEADOFFICE_PUBLIC_URL``, e.g. ``https://ho.example.ae``): the signed URL is that base,
then the path and query as received. Without it, the URL of the request as it arrived is used.

The work is done inside the request and answered after its commit: a 2xx means it is durable, and anything
else makes the provider retry. Statuses go through core.messaging.dispatch.apply_provider_status (idempotent,
order-tolerant) on head office's outbox; statuses that arrive together share one transaction (``GroupCommit``:
one fsync for a burst instead of one each), and how many may wait is bounded (503 past it). A status that
says the recipient opted out, an inbound STOP and an email unsubscribe, spam report or hard bounce become
consent changes (sync.headoffice.consent). An inbound message is kept as a ``communications`` row with
direction "inbound" (``record_inbound``), which no dispatcher ever sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from core.kernel.replication import CAMPAIGN_NODE, HEAD_OFFICE
from core.messaging.dispatch import apply_provider_status, provider_step, report_unknown
from core.messaging.outbox import MessageState, Step
from core.messaging.ports import OutboundMessage, Record, StatusApplied
from sync.headoffice import consent
from sync.headoffice import models as m
from sync.headoffice.guard import server_timing
from sync.headoffice.store import Forbidden, HeadOfficeStore, Unauthorized, iso
from sync.messaging.config import Secrets
from sync.messaging.headoffice_outbox import HeadOfficeOutbox, provider_ids
from sync.messaging.signatures import (
    SENDGRID_SIGNATURE_HEADER,
    SENDGRID_TIMESTAMP_HEADER,
    SENDGRID_TOLERANCE_SECONDS,
    TWILIO_SIGNATURE_HEADER,
    WHATSAPP_SIGNATURE_HEADER,
    load_sendgrid_key,
    verify_sendgrid,
    verify_twilio,
    verify_whatsapp,
    whatsapp_handshake,
)
from sync.messaging.webhooks import (
    EmailEvent,
    EmailEventKind,
    InboundMessage,
    MalformedWebhook,
    StatusEvent,
    parse_sendgrid,
    parse_twilio_inbound,
    parse_twilio_status,
    parse_unifonic_report,
    parse_whatsapp,
)

log = logging.getLogger(__name__)

PREFIX = "/v1/webhooks"
PUBLIC_URL_ENV = "HEADOFFICE_PUBLIC_URL"
UNIFONIC_TOKEN_ENV = "UNIFONIC_WEBHOOK_TOKEN"
# Inbound rows take their id from the provider's message id, so a webhook delivered twice writes one row.
INBOUND_IDS = uuid.UUID("5b0c6c1e-9d6f-4a53-9c52-7f3b8e0a1d24")
MAX_ID = 120  # the longest provider message id or address a communications row holds
MAX_REPLY_ID = 256  # the longest button id WhatsApp takes (a list row's is 200)
MAX_FORM_FIELDS = 200
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

# What each SendGrid event says of the message: an open (or a click, which follows one) is as far as "read".
EMAIL_STATUSES = {
    EmailEventKind.PROCESSED: "accepted",
    EmailEventKind.DELIVERED: "delivered",
    EmailEventKind.OPEN: "read",
    EmailEventKind.CLICK: "read",
    EmailEventKind.BOUNCE: "failed",
    EmailEventKind.DROPPED: "failed",
}
# Parsers index into untrusted JSON; whatever shape error they meet is the body's fault, answered 400.
_SHAPE_ERRORS = (MalformedWebhook, TypeError, AttributeError, KeyError, IndexError, ValueError)


@dataclass(frozen=True)
class WebhookSecrets:
    """What the webhooks check against; None means the provider's webhook is not configured (403)."""

    whatsapp_verify_token: str | None = None
    whatsapp_app_secret: str | None = None
    twilio_auth_token: str | None = None
    unifonic_token: str | None = None
    sendgrid_key: ec.EllipticCurvePublicKey | None = None
    public_url: str | None = None
    sendgrid_tolerance_s: float = SENDGRID_TOLERANCE_SECONDS

    @classmethod
    def load(cls, secrets: Secrets | None = None) -> WebhookSecrets:
        """From the environment, then the OS keyring (sync.messaging.config.Secrets)."""
        secrets = secrets or Secrets()
        key = None
        text = secrets.get("SENDGRID_WEBHOOK_PUBLIC_KEY")
        if text:
            try:
                key = load_sendgrid_key(text)
            except ValueError:
                log.error("SENDGRID_WEBHOOK_PUBLIC_KEY is not an ECDSA public key: SendGrid's webhook is refused")
        return cls(
            whatsapp_verify_token=secrets.get("WHATSAPP_WEBHOOK_TOKEN"),
            whatsapp_app_secret=secrets.get("WHATSAPP_APP_SECRET"),
            twilio_auth_token=secrets.get("TWILIO_AUTH_TOKEN"),
            unifonic_token=secrets.get(UNIFONIC_TOKEN_ENV),
            sendgrid_key=key,
            public_url=secrets.get(PUBLIC_URL_ENV),
        )


class WebhookResult(BaseModel):
    """What head office did with a webhook (providers only look at the status code)."""

    statuses: int = 0  # status reports that moved a message
    repeated: int = 0  # status reports already recorded (or older than what is): nothing changed
    unknown: int = 0  # status reports naming no message of the outbox: logged
    inbound: int = 0  # inbound messages kept (a redelivered one is not counted again)
    consent_changes: int = 0


@dataclass(slots=True)
class Tally:
    """A webhook's WebhookResult as the routes count it (the model is for the OpenAPI document)."""

    statuses: int = 0
    repeated: int = 0
    unknown: int = 0
    inbound: int = 0
    consent_changes: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "statuses": self.statuses,
            "repeated": self.repeated,
            "unknown": self.unknown,
            "inbound": self.inbound,
            "consent_changes": self.consent_changes,
        }


class Busy(Exception):
    """More status reports wait for the writer than head office keeps in memory: answered 503, retried."""


# -- group commit ----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Ticket:
    ref: str
    step: Callable[[MessageState], Step | None]
    done: threading.Event | None = None  # a thread waits on it (``update``)
    future: asyncio.Future[None] | None = None  # or the event loop awaits it (``submit``)
    result: StatusApplied | None = None
    error: BaseException | None = None

    def outcome(self) -> StatusApplied:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _settle(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        if not future.done():  # a request whose client went away is cancelled; its status is written anyway
            future.set_result(None)


class GroupCommit:
    """Head office's outbox for status webhooks (core.messaging.ports.OutboxStore): a status is answered after
    its commit, but the statuses that wait together are written in one transaction, one fsync for a burst
    instead of one each, by a writer thread of its own (started when statuses wait, gone when none has for
    ``linger`` seconds; writers are one at a time anyway, HeadOfficeStore.writing). A thread waits with
    ``update``; the event loop awaits ``submit``, and no thread is held while the status waits: a webhook route
    costs one thread hand-over per batch, not one per request. At most ``max_waiting`` statuses wait (Busy
    past it); a batch that fails is retried status by status, so one bad report fails alone."""

    def __init__(
        self, outbox: HeadOfficeOutbox, *, max_batch: int = 256, max_waiting: int = 4096, linger: float = 0.5
    ) -> None:
        self.outbox = outbox
        self.now = outbox.store.now
        self.max_batch = max_batch
        self.max_waiting = max_waiting
        self.linger = linger
        self._waiting: list[_Ticket] = []
        self._writing = 0
        self._turn = threading.Condition()
        self._writer: threading.Thread | None = None

    @property
    def backlog(self) -> tuple[int, int]:
        """(status reports waiting, status reports being written now)."""
        with self._turn:
            return len(self._waiting), self._writing

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[OutboundMessage]:
        return self.outbox.claim(owner, now, lease_until, limit)

    def update(self, ref: str, step: Callable[[MessageState], Step | None], now: datetime) -> StatusApplied:
        del now  # the batch is written at the writer's now
        ticket = _Ticket(ref, step, done=threading.Event())
        self._enqueue([ticket])
        assert ticket.done is not None
        ticket.done.wait()
        return ticket.outcome()

    async def submit(self, updates: Sequence[Record]) -> list[StatusApplied]:
        """Writes ``updates`` in order, in the next batch (or the ones after it, past ``max_batch``); Busy,
        with none of them queued, when they do not fit."""
        loop = asyncio.get_running_loop()
        tickets = [_Ticket(ref, step, future=loop.create_future()) for ref, step in updates]
        self._enqueue(tickets)
        for ticket in tickets:
            assert ticket.future is not None
            await asyncio.shield(ticket.future)
        return [ticket.outcome() for ticket in tickets]

    def _enqueue(self, tickets: list[_Ticket]) -> None:
        with self._turn:
            if len(self._waiting) + len(tickets) > self.max_waiting:
                raise Busy(f"{len(self._waiting)} status reports are waiting to be written")
            self._waiting += tickets
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="webhook-group-commit", daemon=True)
                self._writer.start()
            else:
                self._turn.notify()

    def _run(self) -> None:
        while True:
            with self._turn:
                if not self._waiting:
                    self._turn.wait(self.linger)
                    if not self._waiting:
                        self._writer = None
                        return
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                self._writing = len(batch)
            self._write(batch)
            with self._turn:
                self._writing = 0
            loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
            for ticket in batch:
                if ticket.future is not None:
                    loops.setdefault(ticket.future.get_loop(), []).append(ticket.future)
                elif ticket.done is not None:
                    ticket.done.set()
            for loop, futures in loops.items():
                with contextlib.suppress(RuntimeError):  # a closed loop: nobody awaits these any more
                    loop.call_soon_threadsafe(_settle, futures)

    def _write(self, batch: list[_Ticket]) -> None:
        try:
            results = self.outbox.update_many([(t.ref, t.step) for t in batch], self.now())
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
                return
            for ticket in batch:
                self._write([ticket])
            return
        for ticket, result in zip(batch, results, strict=True):
            ticket.result = result


# -- what a webhook does ---------------------------------------------------------------------------------------


class WebhookIngest:
    """Applies parsed webhooks to head office: statuses to the outbox, inbound messages and consent."""

    def __init__(
        self, store: HeadOfficeStore, outbox: HeadOfficeOutbox | None = None, *, max_waiting: int = 4096
    ) -> None:
        self.store = store
        self.outbox = GroupCommit(outbox or HeadOfficeOutbox(store), max_waiting=max_waiting)

    def status(self, event: StatusEvent, result: Tally) -> None:
        now = self.store.now()
        ref, status, at, error = self._report(event, now)
        self._apply(ref, status, at, event.provider, error, now, result)
        if event.refusal is not None:
            result.consent_changes += consent.from_status(self.store, event)

    async def statuses(self, events: Sequence[StatusEvent], result: Tally) -> None:
        """Statuses that say nothing of consent (``refusal`` None), from the event loop: written as ``status``
        writes them, together, without holding a thread while they wait for their batch."""
        now = self.store.now()
        reports = [(event, *self._report(event, now)) for event in events]
        records = [(ref, provider_step(status, at, event.provider, error)) for event, ref, status, at, error in reports]
        applied = await self.outbox.submit(records)
        for (event, ref, status, _at, _error), outcome in zip(reports, applied, strict=True):
            _count(report_unknown(outcome, ref, status, event.provider), result)

    @staticmethod
    def _report(event: StatusEvent, now: datetime) -> tuple[str, str, datetime, str | None]:
        ref = event.outbox_id if isinstance(event.outbox_id, str) and event.outbox_id else event.provider_message_id
        error = None
        if event.error_code or event.error_title:
            error = f"{event.error_code or ''}: {event.error_title or event.status.value}"
        return ref, event.status.value, event.at or now, error

    def email(self, event: EmailEvent, result: Tally) -> None:
        status = EMAIL_STATUSES.get(event.kind)
        ours = event.outbox_id if isinstance(event.outbox_id, str) else None
        theirs = event.provider_message_id if isinstance(event.provider_message_id, str) else ""
        ref = ours or theirs.split(".", 1)[0]
        if status is not None and ref:
            now = self.store.now()
            error = f"{event.kind.value}: {event.reason or event.bounce_type or ''}" if status == "failed" else None
            self._apply(ref, status, event.at or now, "sendgrid", error, now, result)
        result.consent_changes += consent.from_email(self.store, event)

    def _apply(
        self, ref: str, status: str, at: datetime, provider: str, error: str | None, now: datetime, out: Tally
    ) -> None:
        _count(apply_provider_status(self.outbox, ref, status, at, provider, error, now=now), out)

    def inbound(self, message: InboundMessage, result: Tally) -> None:
        if record_inbound(self.store, message):
            result.inbound += 1
        result.consent_changes += consent.from_inbound(self.store, message)


def _count(applied: StatusApplied, out: Tally) -> None:
    if not applied.found:
        out.unknown += 1
    elif applied.changed:
        out.statuses += 1
    else:
        out.repeated += 1


def inbound_id(message: InboundMessage) -> str:
    return str(uuid.uuid5(INBOUND_IDS, f"{message.provider}:{message.provider_message_id}"))


def record_inbound(store: HeadOfficeStore, message: InboundMessage) -> bool:
    """Keeps an inbound message as head office's own ``communications`` row (direction "inbound", status
    "received"), owned by the sender's customer's home branch so that branch's people see the reply; False
    when it is kept already. From a number no customer has, the row has no customer and belongs to the branch
    whose message it answers, else to the chain's first branch (by code, then enrolment): kept and logged,
    never dropped."""
    channel = "whatsapp" if message.provider == "whatsapp" else "sms"
    row_id = inbound_id(message)
    r = m.rows.c
    with store.reader.connect() as conn:
        if conn.execute(select(r.row_id).where(r.entity == "communications", r.row_id == row_id)).first():
            return False
        found = sorted(consent.customers_at(conn, channel, message.sender))
        customer_id, branch = found[0] if found else (None, _owner_of_unknown(conn, message))
    if len(found) > 1:
        log.info(
            "an inbound %s message from a number %d customers share: kept with %s", channel, len(found), customer_id
        )
    if customer_id is None:
        log.warning(
            "an inbound %s message from a number no customer has (%s): kept as %s, branch %s",
            channel,
            message.provider_message_id,
            row_id,
            branch,
        )
    now = store.now()
    created = iso(message.at or now)
    row: dict[str, Any] = {
        "id": row_id,
        "branch_id": branch,
        "created_at": created,
        "updated_at": created,
        "customer_id": customer_id,
        "channel": channel,
        "direction": "inbound",
        "template_id": None,
        "recipient": consent._mobile_key(message.sender),
        "body": message.text or "",
        "status": "received",
        "attempts": 0,
        "provider": message.provider,
        "provider_message_id": message.provider_message_id,
        # The list row or button chosen, which the branch reads a survey's score from (core.inbound).
        "reply_id": message.reply_id[:MAX_REPLY_ID] if message.reply_id else None,
        "deleted": False,
    }
    with store.writing() as (conn, head):
        if conn.execute(select(r.row_id).where(r.entity == "communications", r.row_id == row_id)).first():
            return False  # the same webhook, delivered twice at once
        store.set_head(conn, store.decide(conn, head, "communications", row_id, row))
    return True


def _owner_of_unknown(conn: Connection, message: InboundMessage) -> str:
    if isinstance(message.context_id, str) and message.context_id:
        replied = conn.execute(
            select(provider_ids.c.message_id).where(provider_ids.c.provider_message_id == message.context_id)
        ).scalar()
        if replied is not None:
            data = conn.execute(
                select(m.rows.c.data).where(m.rows.c.entity == "communications", m.rows.c.row_id == replied)
            ).scalar()
            if data:
                owner = orjson.loads(data).get("branch_id")
                if owner:
                    return str(owner)
    # Not head office's own id: a branch store would take a row of an unknown branch for a branch record to come.
    b = m.branches.c
    # Head office's campaign node is no branch people work at.
    first = conn.execute(
        select(b.id).where(b.id != CAMPAIGN_NODE).order_by(b.code == "", b.code, b.enrolled_at, b.id).limit(1)
    ).scalar()
    return str(first) if first else HEAD_OFFICE


def _check_ids(events: Sequence[StatusEvent | InboundMessage]) -> None:
    for event in events:
        sender = event.sender if isinstance(event, InboundMessage) else event.recipient or ""
        if len(event.provider_message_id) > MAX_ID or len(sender) > MAX_ID:
            raise MalformedWebhook("a message id or an address is longer than 120 characters")


# -- the routes ------------------------------------------------------------------------------------------------
#
# The POST routes are plain Starlette endpoints: a status webhook is the one request head office gets by the
# thousand (a campaign's delivered and read reports), and FastAPI's dependency machinery and response model
# cost it more than its own checks. In this order: the body limit and the per-address rate limit
# (guard.BodyLimit, before the route), the signature over the raw bytes, the parse, the write (bounded: Busy
# is 503), the answer after the commit. The OpenAPI document describes them through ``DOCUMENTED``, routes of
# the same shape that only the document uses.

PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not the provider's webhook"},
    401: {"description": "Missing or wrong signature: nothing was changed"},
    403: {"description": "This provider's webhook is not configured here, or the request is stale"},
    413: {"description": "The body is larger than head office accepts"},
    429: {"description": "Too many requests from this address: try again after Retry-After seconds"},
    503: {"description": "Head office is busy or its store is away: the provider retries"},
}


def _body(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"content": {kind: {"schema": schema}}, "required": True}}


JSON_OBJECT = _body("application/json", {"type": "object"})
JSON_ARRAY = _body("application/json", {"type": "array", "items": {"type": "object"}})
FORM = _body("application/x-www-form-urlencoded", {"type": "object", "additionalProperties": {"type": "string"}})


def _not_configured(provider: str, variable: str) -> Forbidden:
    return Forbidden(f"{provider} webhooks are not configured on this head office: set {variable}")


def _malformed(exc: Exception) -> HTTPException:
    detail = str(exc) if isinstance(exc, MalformedWebhook) else f"not the provider's webhook ({type(exc).__name__})"
    return HTTPException(400, detail)


def _bounded(where: str, name: str, value: str | None, limit: int) -> str | None:
    """A header or query value as FastAPI's ``max_length`` checked it: longer is 422."""
    if value is not None and len(value) > limit:
        raise HTTPException(422, f"{where} {name}: at most {limit} characters")
    return value


def _form(raw: bytes) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw), max_num_fields=MAX_FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, "the body is not a URL-encoded form") from exc


def _public_url(request: Request, base: str | None) -> str:
    """The URL the provider called: the configured public base, then the path and query as received."""
    if not base:
        return str(request.url)
    path = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    query = (request.scope.get("query_string") or b"").decode("latin-1")
    return base.rstrip("/") + path + ("?" + query if query else "")


def _answer(request: Request, result: Tally) -> Response:
    return Response(
        orjson.dumps(result.as_dict()),
        media_type="application/json",
        headers={"Server-Timing": server_timing(request.scope)},
    )


def mount(
    app: FastAPI,
    store: HeadOfficeStore,
    secrets: WebhookSecrets,
    ingest: WebhookIngest | None = None,
    *,
    max_waiting: int = 4096,
) -> None:
    """Adds the webhook routes to head office's app; ``max_waiting``: status reports that may wait for their
    commit (503 past it)."""
    work = ingest or WebhookIngest(store, max_waiting=max_waiting)
    app.state.webhooks = work
    router = APIRouter(prefix=PREFIX, tags=["webhooks"])

    async def run(job: Callable[[Tally], None]) -> Tally:
        result = Tally()
        try:
            await run_in_threadpool(job, result)
        except Busy as exc:
            raise HTTPException(503, f"head office is busy: {exc}", headers={"Retry-After": "1"}) from exc
        return result

    @router.get(
        "/whatsapp",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {}}, "description": "The challenge"}, 403: PROBLEMS[403]},
    )
    def whatsapp_handshake_route(
        mode: str | None = Query(default=None, alias="hub.mode", max_length=20),
        token: str | None = Query(default=None, alias="hub.verify_token", max_length=200),
        challenge: str | None = Query(default=None, alias="hub.challenge", pattern=r"^[A-Za-z0-9_-]{1,200}$"),
    ) -> PlainTextResponse:
        """Meta's subscription handshake: the challenge, as text, when the verify token is ours."""
        if not secrets.whatsapp_verify_token:
            raise _not_configured("WhatsApp", "WHATSAPP_WEBHOOK_TOKEN")
        params = {k: v for k, v in (("hub.mode", mode), ("hub.verify_token", token), ("hub.challenge", challenge)) if v}
        answer = whatsapp_handshake(params, secrets.whatsapp_verify_token)
        if answer is None:
            raise Forbidden("not a subscription with this head office's verify token")
        return PlainTextResponse(answer, headers={"X-Content-Type-Options": "nosniff"})

    async def whatsapp(request: Request) -> Response:
        if not secrets.whatsapp_app_secret:
            raise _not_configured("WhatsApp", "WHATSAPP_APP_SECRET")
        signature = _bounded("header", WHATSAPP_SIGNATURE_HEADER, request.headers.get(WHATSAPP_SIGNATURE_HEADER), 200)
        if not signature:
            raise Unauthorized(f"missing {WHATSAPP_SIGNATURE_HEADER}")
        raw = await request.body()
        if not verify_whatsapp(raw, signature, secrets.whatsapp_app_secret):
            raise Unauthorized(f"bad {WHATSAPP_SIGNATURE_HEADER}")
        try:
            events = parse_whatsapp(raw)
            _check_ids(events)
        except _SHAPE_ERRORS as exc:
            raise _malformed(exc) from exc

        if all(isinstance(event, StatusEvent) and event.refusal is None for event in events):
            # Statuses alone (nearly every webhook): they wait for their batch on the event loop.
            result = Tally()
            try:
                await work.statuses([e for e in events if isinstance(e, StatusEvent)], result)
            except Busy as exc:
                raise HTTPException(503, f"head office is busy: {exc}", headers={"Retry-After": "1"}) from exc
            return _answer(request, result)

        def job(result: Tally) -> None:
            for event in events:
                if isinstance(event, StatusEvent):
                    work.status(event, result)
                else:
                    work.inbound(event, result)

        return _answer(request, await run(job))

    async def twilio_form(request: Request) -> tuple[dict[str, str], str]:
        if not secrets.twilio_auth_token:
            raise _not_configured("Twilio", "TWILIO_AUTH_TOKEN")
        signature = _bounded("header", TWILIO_SIGNATURE_HEADER, request.headers.get(TWILIO_SIGNATURE_HEADER), 200)
        if not signature:
            raise Unauthorized(f"missing {TWILIO_SIGNATURE_HEADER}")
        raw = await request.body()
        pairs = _form(raw)
        url = _public_url(request, secrets.public_url)
        if not verify_twilio(url, pairs, signature, secrets.twilio_auth_token):
            raise Unauthorized(f"bad {TWILIO_SIGNATURE_HEADER} (signed for {PUBLIC_URL_ENV} + path?)")
        return dict(pairs), url

    async def twilio_status(request: Request) -> Response:
        # The outbox id is the ``ref`` of the signed callback URL, read from it by the parser.
        _bounded("query", "ref", request.query_params.get("ref"), 36)
        form, url = await twilio_form(request)
        try:
            event = parse_twilio_status(form, url)
            if event is not None:
                _check_ids([event])
        except _SHAPE_ERRORS as exc:
            raise _malformed(exc) from exc
        if event is None:
            return _answer(request, Tally())  # scheduled, canceled: nothing of the outbox's vocabulary
        return _answer(request, await run(lambda result: work.status(event, result)))

    async def twilio_inbound(request: Request) -> Response:
        form, _url = await twilio_form(request)
        try:
            message = parse_twilio_inbound(form)
            _check_ids([message])
        except _SHAPE_ERRORS as exc:
            raise _malformed(exc) from exc
        await run(lambda result: work.inbound(message, result))
        return Response(TWIML_EMPTY, media_type="text/xml")

    async def unifonic(request: Request) -> Response:
        if not secrets.unifonic_token:
            raise _not_configured("Unifonic", UNIFONIC_TOKEN_ENV)
        token = _bounded("query", "token", request.query_params.get("token"), 200)
        if not token or not hmac.compare_digest(token.encode(), secrets.unifonic_token.encode()):
            raise Unauthorized("missing or wrong token")
        raw = await request.body()
        try:
            if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
                body = orjson.loads(raw)
                if not isinstance(body, dict):
                    raise MalformedWebhook("not a JSON object")
                fields = {str(k): str(v) for k, v in body.items() if isinstance(v, str | int)}
            else:
                fields = dict(_form(raw))
            event = parse_unifonic_report(fields)
            _check_ids([event])
        except (*_SHAPE_ERRORS, orjson.JSONDecodeError) as exc:
            raise _malformed(exc) from exc
        return _answer(request, await run(lambda result: work.status(event, result)))

    async def sendgrid(request: Request) -> Response:
        key = secrets.sendgrid_key
        if key is None:
            raise _not_configured("SendGrid", "SENDGRID_WEBHOOK_PUBLIC_KEY")
        signature = _bounded("header", SENDGRID_SIGNATURE_HEADER, request.headers.get(SENDGRID_SIGNATURE_HEADER), 400)
        timestamp = _bounded("header", SENDGRID_TIMESTAMP_HEADER, request.headers.get(SENDGRID_TIMESTAMP_HEADER), 20)
        if not signature or not timestamp:
            raise Unauthorized(f"missing {SENDGRID_SIGNATURE_HEADER} or {SENDGRID_TIMESTAMP_HEADER}")
        raw = await request.body()
        now = store.now().timestamp()
        if not verify_sendgrid(raw, signature, timestamp, key, now=now, tolerance=float("inf")):
            raise Unauthorized(f"bad {SENDGRID_SIGNATURE_HEADER}")
        if abs(now - int(timestamp.strip())) > secrets.sendgrid_tolerance_s:
            raise Forbidden(f"stale {SENDGRID_TIMESTAMP_HEADER}: a replayed or delayed request")
        try:
            events = parse_sendgrid(raw)
            for event in events:
                if len(event.email) > MAX_ID or len(event.provider_message_id or "") > MAX_ID * 2:
                    raise MalformedWebhook("an address or a message id is too long")
        except _SHAPE_ERRORS as exc:
            raise _malformed(exc) from exc

        def job(result: Tally) -> None:
            for event in events:
                work.email(event, result)

        return _answer(request, await run(job))

    app.include_router(router)
    # First in the router: a request is matched route by route, and these come by the thousand.
    app.router.routes[:0] = [
        Route(PREFIX + path, endpoint, methods=["POST"], name=endpoint.__name__)
        for path, endpoint in (
            ("/whatsapp", whatsapp),
            ("/twilio/status", twilio_status),
            ("/twilio/inbound", twilio_inbound),
            ("/unifonic", unifonic),
            ("/sendgrid", sendgrid),
        )
    ]


# What the OpenAPI document says of the POST routes above (sync.headoffice.app adds these to its routes when it
# writes the document): their parameters, bodies and answers. Never served.
DOCUMENTED = APIRouter(prefix=PREFIX, tags=["webhooks"])


@DOCUMENTED.post("/whatsapp", response_model=WebhookResult, responses=PROBLEMS, openapi_extra=JSON_OBJECT)
def whatsapp(
    signature: str | None = Header(default=None, alias=WHATSAPP_SIGNATURE_HEADER, max_length=200),
) -> WebhookResult:
    """Statuses of the messages head office sent, and messages customers sent (X-Hub-Signature-256)."""
    raise NotImplementedError


@DOCUMENTED.post("/twilio/status", response_model=WebhookResult, responses=PROBLEMS, openapi_extra=FORM)
def twilio_status(
    signature: str | None = Header(default=None, alias=TWILIO_SIGNATURE_HEADER, max_length=200),
    ref: str | None = Query(default=None, max_length=36, description="our message id, put there when sending"),
) -> WebhookResult:
    """Twilio's status callback; the outbox id is the ``ref`` of the callback URL (sync.messaging.sms)."""
    raise NotImplementedError


@DOCUMENTED.post(
    "/twilio/inbound",
    response_class=Response,
    responses={**PROBLEMS, 200: {"content": {"text/xml": {}}, "description": "An empty TwiML answer"}},
    openapi_extra=FORM,
)
def twilio_inbound(
    signature: str | None = Header(default=None, alias=TWILIO_SIGNATURE_HEADER, max_length=200),
) -> Response:
    """An SMS a customer sent to our Twilio number: kept, and read for STOP / START."""
    raise NotImplementedError


@DOCUMENTED.post("/unifonic", response_model=WebhookResult, responses=PROBLEMS, openapi_extra=FORM)
def unifonic(
    token: str | None = Query(default=None, max_length=200, description=f"the shared {UNIFONIC_TOKEN_ENV}"),
) -> WebhookResult:
    """Unifonic's delivery report, form-encoded or JSON; authenticated by the token in its URL."""
    raise NotImplementedError


@DOCUMENTED.post("/sendgrid", response_model=WebhookResult, responses=PROBLEMS, openapi_extra=JSON_ARRAY)
def sendgrid(
    signature: str | None = Header(default=None, alias=SENDGRID_SIGNATURE_HEADER, max_length=400),
    timestamp: str | None = Header(default=None, alias=SENDGRID_TIMESTAMP_HEADER, max_length=20),
) -> WebhookResult:
    """SendGrid's Event Webhook: a batch of delivered / open / click / bounce / dropped / unsubscribe /
    spam report events, signed with ECDSA over the timestamp and the body."""
    raise NotImplementedError
