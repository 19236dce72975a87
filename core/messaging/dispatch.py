"""The dispatcher: takes due messages from the outbox, asks the send policy, sends them, records what happened.

The same code runs at head office (over sync.messaging.headoffice_outbox, where several dispatcher processes
may share one PostgreSQL outbox) and in a standalone store (over storage.outbox, one dispatcher). A chain's
branches never send: their queued rows reach head office by push, and the statuses come back by pull.

Delivery is at least once. A round *claims* a batch (a lease: owner and expiry, one statement), sends each
message on a bounded pool of threads, and records each result in a transaction of its own, so a dispatcher
killed between a provider's acceptance and its record loses nothing: the lease runs out, the message is
claimed again and sent again. That duplicate is the only one possible, and the message id rides along as the
provider's client reference so it can be traced (and dropped where the provider dedups on it). Recording one
message at a time is deliberate: batching the records would multiply the duplicates a crash can cause.

"sending" is written with the attempt's outcome, in its transaction (the history keeps the claim's time):
the claim itself touches only the lease, so a message costs one replicated write per attempt, not two.
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.kernel.ports import Clock
from core.messaging.outbox import (
    MessageState,
    RetryPolicy,
    Step,
    accepted,
    deferred,
    failed_transiently,
    provider_status,
    refused,
    withheld,
)
from core.messaging.ports import (
    ChannelUnavailable,
    Defer,
    MessageGateway,
    OutboundMessage,
    OutboxStore,
    Refuse,
    SendEverything,
    SendFailed,
    SendPolicy,
    StatusApplied,
)

log = logging.getLogger(__name__)

# A channel this process cannot send on is looked at again after this long; no attempt is counted meanwhile.
UNAVAILABLE_WAIT = timedelta(minutes=15)


@dataclass
class DispatchRound:
    """What one round did, by outcome."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    deferred: int = 0
    unrecorded: int = 0  # the result could not be written: the lease will run out and the message go again
    outcomes: dict[str, str] = field(default_factory=dict)

    def count(self, message_id: str, outcome: str) -> None:
        self.outcomes[message_id] = outcome
        setattr(self, outcome, getattr(self, outcome) + 1)


class Dispatcher:
    """Sends what the outbox holds. ``concurrency`` threads send at once; ``batch`` messages are claimed a
    round (default four per thread). ``rng`` draws the backoff jitter (seed it in tests)."""

    def __init__(
        self,
        outbox: OutboxStore,
        gateway: MessageGateway,
        clock: Clock,
        *,
        policy: SendPolicy | None = None,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        owner: str | None = None,
        concurrency: int = 8,
        batch: int | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.outbox = outbox
        self.gateway = gateway
        self.clock = clock
        self.policy: SendPolicy = policy or SendEverything()
        self.retry = retry or RetryPolicy()
        self.owner = owner or f"dispatcher-{uuid.uuid4().hex[:12]}"
        self.concurrency = concurrency
        self.batch = batch or concurrency * 4
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="outbox")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def run_once(self) -> DispatchRound:
        """Claims one batch and sends it; returns when every message of it is recorded (or failed to be)."""
        now = self.clock.now()
        messages = self.outbox.claim(self.owner, now, now + self.retry.lease, self.batch)
        done = DispatchRound(claimed=len(messages))
        lock = threading.Lock()

        def one(message: OutboundMessage) -> None:
            outcome = self._deliver(message, now)
            with lock:
                done.count(message.id, outcome)

        for _ in self._pool.map(one, messages):
            pass
        return done

    def run(self, stop: threading.Event, idle: float = 1.0) -> None:
        """Rounds until ``stop`` is set, resting ``idle`` seconds whenever nothing was due."""
        while not stop.is_set():
            try:
                claimed = self.run_once().claimed
            except Exception:  # the store is away (locked, restarting): try again after a rest
                log.warning("outbox round failed", exc_info=True)
                claimed = 0
            if claimed < self.batch:
                stop.wait(idle)

    # -- one message -------------------------------------------------------------------------------------------

    def _deliver(self, message: OutboundMessage, claimed_at: datetime) -> str:
        now = self.clock.now()
        decision = self.policy.decide(message, now)
        if isinstance(decision, Defer):
            return self._record(message, "deferred", lambda _s: deferred(decision.until, decision.reason, now))
        if isinstance(decision, Refuse):
            return self._record(message, "dead", lambda _s: withheld(now, decision.reason))
        try:
            answer = self.gateway.send(message)
        except ChannelUnavailable as unavailable:
            until, why = now + UNAVAILABLE_WAIT, str(unavailable)
            return self._record(message, "deferred", lambda _s: deferred(until, why, now))
        except SendFailed as failure:
            return self._failed(message, claimed_at, failure)
        except Exception as fault:  # a fault of ours, not the provider's verdict: retried like a timeout
            log.exception("sending %s failed unexpectedly", message.id)
            return self._failed(message, claimed_at, SendFailed(message.channel, repr(fault), permanent=False))
        done = self.clock.now()
        return self._record(
            message,
            "sent",
            lambda s: accepted(s, claimed_at, done, answer.provider, answer.provider_message_id, answer.cost_fils),
        )

    def _failed(self, message: OutboundMessage, claimed_at: datetime, failure: SendFailed) -> str:
        done = self.clock.now()
        provider, code, reason = failure.provider, failure.code, failure.reason
        if failure.permanent:
            return self._record(message, "dead", lambda s: refused(s, claimed_at, done, provider, code, reason))
        # One draw per failure from the shared generator, under a lock: a seeded dispatcher stays reproducible.
        with self._rng_lock:
            jitter = random.Random(self._rng.random())
        retry_after, policy = failure.retry_after, self.retry
        return self._record(
            message,
            None,
            lambda s: failed_transiently(s, claimed_at, done, provider, reason, retry_after, policy, jitter),
        )

    def _record(
        self, message: OutboundMessage, outcome: str | None, step: Callable[[MessageState], Step | None]
    ) -> str:
        seen: list[Step] = []

        def tracked(state: MessageState) -> Step | None:
            made = step(state)
            if made is not None:
                seen.append(made)
            return made

        try:
            self.outbox.update(message.id, tracked, self.clock.now())
        except Exception:
            log.warning("recording the outcome of %s failed; it will be sent again", message.id, exc_info=True)
            return "unrecorded"
        if outcome is not None:
            return outcome
        status = seen[-1].fields.get("status") if seen else None
        return "dead" if status == "dead" else "retrying"


def apply_provider_status(
    outbox: OutboxStore,
    ref: str,
    status: str,
    at: datetime,
    provider: str | None,
    error: str | None = None,
    *,
    now: datetime,
) -> StatusApplied:
    """Applies a provider's status report (a webhook) to the message ``ref`` names: the outbox id, or the
    provider's id for it. Idempotent and order-tolerant (see core.messaging.outbox.provider_status). An id no
    message has is logged and reported (``found`` False), never raised: a provider may report on messages
    this store never had."""
    result = outbox.update(ref, lambda state: provider_status(state, status, at, provider, error), now)
    if not result.found:
        log.warning("a %s status %r names no message of this outbox: %s", provider or "provider", status, ref)
    return result
