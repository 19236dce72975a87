"""What stands between the network and head office's endpoints: request limits, rate limits per branch and per
address (token buckets), and the nonces a signed request may not reuse.

Head office treats every byte a branch sends as hostile. Before this, a push was read whole before the branch
was known: one 50 MB body with a made-up branch id took the server from 68 MB to 168 MB, eight at once to 554 MB.
Now the headers authenticate a request before its body is read, and ``BodyLimit`` stops reading past the limit.
Buckets and nonces live in memory: one head office process serves a chain. A restart forgets them, so a request
captured in the few minutes before it could be replayed once after it; every branch request is idempotent (a
push is keyed, a pull reads), so that replay changes nothing, while the old gap was every request, forever.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.exceptions import HTTPException

WEBHOOKS = "/v1/webhooks/"  # the providers' webhooks (sync.headoffice.webhooks)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class RequestLimits:
    max_push_bytes: int = 16 * 1024 * 1024  # a 2,000-change batch is about 1 MB; MAX_BATCH changes fit
    max_body_bytes: int = 64 * 1024  # every other request: an authorisation, an enrolment, an admin grant
    # A provider's webhook: a SendGrid Event Webhook POST carries a batch of events (its size is not in
    # providers.md; 2 MB is thousands of events), a WhatsApp or Twilio one a few KB.
    max_webhook_bytes: int = 2 * 1024 * 1024
    max_clock_skew_s: float = 300.0  # a signed timestamp further from head office's clock is refused
    branch_rate: float = 20.0  # requests per second a branch may keep up (a backlog pulls ~10 pages a second)
    branch_burst: float = 200.0
    address_rate: float = 100.0  # per client address, signed or not (a mall's tills may share one)
    address_burst: float = 1000.0
    # Provider webhooks have their own bucket per address: a provider sends a burst of statuses from few
    # addresses after a campaign, and a 429 only delays them (providers retry), but a branch's sync must not
    # share its allowance with them. Each webhook is authenticated and written before it is answered.
    webhook_rate: float = 2000.0
    webhook_burst: float = 20000.0
    # Campaign short links (GET /l/<token>), opened by customers' phones: a person opens a few, a script trying
    # tokens many, so each address has its own small bucket (a phone network's shared address still gets 2/s).
    link_rate: float = 2.0
    link_burst: float = 20.0
    # Status reports waiting for their group commit (sync.headoffice.webhooks.GroupCommit): 503 past it, and
    # the provider retries. A few seconds of a campaign's reports at the rate head office writes them.
    webhook_queue: int = 4096
    max_tracked: int = 200_000  # buckets kept at most (the oldest go first), and nonces (then 429)
    # The reverse proxies in front of head office (addresses or networks, "127.0.0.1", "10.0.0.0/8"). A request
    # whose socket peer is one of them is counted against the client X-Forwarded-For names (the nearest entry
    # that is not a trusted proxy); from anyone else X-Forwarded-For is ignored, so a client cannot pick the
    # address it is limited as. Empty (the default): the socket address, always.
    trusted_proxies: tuple[str, ...] = ()


MAX_FORWARDED = 2048  # an X-Forwarded-For longer than this is not read (the proxy's own address is used)


class ClientAddress:
    """Which address a request is limited as: the socket peer, or, behind a trusted proxy, the client the proxy
    names in X-Forwarded-For."""

    def __init__(self, trusted: tuple[str, ...]) -> None:
        self._networks = [ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip()]

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def of(self, peer: str, headers: list[tuple[bytes, bytes]]) -> str:
        if not self._networks or not self.trusted(peer):
            return peer
        forwarded = b",".join(v for k, v in headers if k == b"x-forwarded-for")
        if not forwarded or len(forwarded) > MAX_FORWARDED:
            return peer
        for entry in reversed(forwarded.decode("latin-1").split(",")):
            candidate = entry.strip()
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                return peer  # the proxy appends a plain address: anything else is not the proxy's
            if not self.trusted(candidate):
                return candidate
        return peer


class TokenBuckets:
    """One token bucket per key: ``rate`` tokens a second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: float, max_keys: int, monotonic: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._now = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self._now()
        with self._lock:
            tokens, when = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if not wait else tokens, now)  # most recent last
            if len(self._buckets) > self.max_keys:
                del self._buckets[next(iter(self._buckets))]  # a full bucket, most likely: forgetting it is free
            return wait


class Nonces:
    """The nonces seen while their timestamps are acceptable: a nonce seen again in that time is a replay."""

    def __init__(self, max_kept: int, clock: Callable[[], float] = time.time) -> None:
        self.max_kept = max_kept
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}  # (branch, nonce) → until, in insertion order
        self._lock = threading.Lock()

    def first_use(self, branch_id: str, nonce: str, until: float) -> bool | None:
        """True the first time, False for a replay, None when all room is taken by nonces still in their
        window: then the request is refused as busy (forgetting a live nonce would let its request replay)."""
        now = self._clock()
        with self._lock:
            if (branch_id, nonce) in self._seen:
                return False
            while self._seen:  # the expired ones come first (a later one can hide behind a live one a while)
                key, expiry = next(iter(self._seen.items()))
                if expiry > now:
                    break
                del self._seen[key]
            if len(self._seen) >= self.max_kept:
                return None
            self._seen[(branch_id, nonce)] = until
            return True


class TooLarge(HTTPException):
    """Raised from inside a body read (FastAPI's own or the push's): answered 413 like any HTTPException."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is larger than {limit} bytes")


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> tuple[Message, Message]:
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    body = orjson.dumps({"detail": detail})
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    """An ASGI middleware: rate-limits each client address and refuses a body past its path's limit (413),
    from its Content-Length before anything is read, or as soon as the bytes read pass it."""

    def __init__(
        self, app: ASGIApp, limits: RequestLimits, buckets: TokenBuckets, webhook_buckets: TokenBuckets | None = None
    ) -> None:
        self.app = app
        self.limits = limits
        self.buckets = buckets
        self.webhook_buckets = webhook_buckets or TokenBuckets(
            limits.webhook_rate, limits.webhook_burst, limits.max_tracked
        )
        self.addresses = ClientAddress(limits.trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.perf_counter()  # a route may answer its own time from here (Server-Timing)
        client = scope.get("client")
        address = self.addresses.of(client[0], scope["headers"]) if client else "?"
        if client and address != client[0]:
            scope["client"] = (address, 0)  # the routes' own buckets (links, surveys) see the same client
        path = scope["path"]
        webhook = path.startswith(WEBHOOKS)
        buckets, key = (self.webhook_buckets, "webhook") if webhook else (self.buckets, "address")
        wait = buckets.take(f"{key}:{address}")
        if wait:
            await _answer(send, 429, "too many requests from this address", {"Retry-After": _seconds(wait)})
            return
        if path == "/v1/push":
            limit = self.limits.max_push_bytes
        else:
            limit = self.limits.max_webhook_bytes if webhook else self.limits.max_body_bytes
        state = scope.setdefault("state", {})
        state["body_limit"] = limit
        state["arrived"] = arrived
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await _answer(send, 413, f"the body is larger than {limit} bytes")
                return
        received = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracked_send)
        except TooLarge:
            if not started:
                await _answer(send, 413, f"the body is larger than {limit} bytes")


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    start, body = problem(status, detail, headers)
    await send(start)
    await send(body)


def _seconds(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


def server_timing(scope: Scope) -> str:
    """A Server-Timing header value, ``app;dur=<ms>``: the time since the request reached BodyLimit (HTTP
    parsing before it is not counted), for whoever measures head office from outside."""
    arrived = scope.get("state", {}).get("arrived")
    return f"app;dur={(time.perf_counter() - arrived) * 1000:.3f}" if arrived is not None else "app"


def retry_after(wait: float) -> dict[str, str]:
    return {"Retry-After": _seconds(wait)}
