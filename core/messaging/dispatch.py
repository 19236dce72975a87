"""The dispatcher: takes due messages from the outbox, asks the send policy, sends them, records what happened.

The same code runs at head office (over sync.messaging.headoffice_outbox, where several dispatcher processes
may share one PostgreSQL outbox) and in a standalone store (over storage.outbox, one dispatcher). A chain's
branches never send: their queued rows reach head office by push, and the statuses come back by pull.

Delivery is at least once. A round *claims* a batch (a lease: owner and expiry, one transaction), sends each
message on a bounded pool of threads, and records each result durably before that thread takes another
message, so a dispatcher killed between a provider's acceptance and its record loses nothing: the lease runs
out, the message is claimed again and sent again. Those duplicates are the only ones possible, at most one
per thread (the sends in flight when it died), and the message id rides along as the provider's client
reference so they can be traced (and dropped where the provider dedups on it).

Records are *group-committed* when the store can (core.messaging.ports.GroupedOutboxStore): a thread whose
send finished writes, in one transaction, its own result and those of the threads that finished while the
previous transaction was being written; the others wait for it. One fsync then carries several results (on
a loaded 2-core machine a transaction of its own per message capped a dispatcher near 100 messages a
second), and the crash window is unchanged: a result is acknowledged to its thread only once it is durable.

"sending" is written with the attempt's outcome, in its transaction (the history keeps the claim's time):
the claim itself touches only the lease, so a message costs one replicated write per attempt, not two.
"""

from __future__ import annotations

import collections
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
    GroupedOutboxStore,
    MessageGateway,
    OutboundMessage,
    OutboxStore,
    Record,
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
        self._group = _GroupCommit(outbox, clock) if isinstance(outbox, GroupedOutboxStore) else None

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def run_once(self, *, drain: bool = False) -> DispatchRound:
        """Claims one batch and sends it; returns when every message of it is recorded (or failed to be).

        With ``drain`` it goes on while claims come back full: a thread that finds fewer messages waiting than
        there are threads claims the next batch, so the threads keep sending instead of waiting at the end of
        each batch for its slowest send (one send in a few hundred takes a second or more: a provider that
        stalls, a connection retried)."""
        feed = _Feed(self, drain)
        done = feed.done
        lock = threading.Lock()

        def sender() -> None:
            while (taken := feed.take()) is not None:
                message, claimed_at = taken
                outcome = self._deliver(message, claimed_at)
                with lock:
                    done.count(message.id, outcome)

        if feed.waiting:
            senders = [self._pool.submit(sender) for _ in range(self.concurrency)]
            for finished in senders:
                finished.result()
        return done

    def run(self, stop: threading.Event, idle: float = 1.0) -> None:
        """Sends what is due until ``stop`` is set, resting ``idle`` seconds whenever the outbox is drained."""
        while not stop.is_set():
            try:
                self.run_once(drain=True)
            except Exception:  # the store is away (locked, restarting): try again after a rest
                log.warning("outbox round failed", exc_info=True)
            stop.wait(idle)

    def _claim(self) -> list[tuple[OutboundMessage, datetime]]:
        now = self.clock.now()
        return [(m, now) for m in self.outbox.claim(self.owner, now, now + self.retry.lease, self.batch)]

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
            if self._group is not None:
                self._group.record((message.id, tracked))
            else:
                self.outbox.update(message.id, tracked, self.clock.now())
        except Exception:
            log.warning("recording the outcome of %s failed; it will be sent again", message.id, exc_info=True)
            return "unrecorded"
        if outcome is not None:
            return outcome
        status = seen[-1].fields.get("status") if seen else None
        return "dead" if status == "dead" else "retrying"


class _Feed:
    """The messages of one ``run_once``, handed to the sending threads one at a time; with ``drain``, topped
    up by a claim (made by one thread, outside the lock) whenever fewer are waiting than there are threads."""

    def __init__(self, dispatcher: Dispatcher, drain: bool) -> None:
        self._dispatcher = dispatcher
        first = dispatcher._claim()
        self.done = DispatchRound(claimed=len(first))
        self.waiting = collections.deque(first)
        self._more = drain and len(first) == dispatcher.batch
        self._claiming = False
        self._ready = threading.Condition()

    def take(self) -> tuple[OutboundMessage, datetime] | None:
        with self._ready:
            while True:
                if self._more and not self._claiming and len(self.waiting) < self._dispatcher.concurrency:
                    self._top_up()
                    continue
                if self.waiting:
                    return self.waiting.popleft()
                if not self._claiming:
                    return None
                self._ready.wait()

    def _top_up(self) -> None:
        """Called holding the lock; claims without it."""
        self._claiming = True
        self._ready.release()
        fresh: list[tuple[OutboundMessage, datetime]] = []
        try:
            fresh = self._dispatcher._claim()
        except Exception:  # the store is away: the messages already taken are still sent and recorded
            log.warning("claiming more messages failed", exc_info=True)
        finally:
            self._ready.acquire()
            self._claiming = False
        self.waiting.extend(fresh)
        self.done.claimed += len(fresh)
        self._more = len(fresh) == self._dispatcher.batch
        self._ready.notify_all()


class _GroupCommit:
    """Leader/follower group commit. A thread hands in its record and waits until it is written; if no
    transaction is being written, it writes every record waiting (its own among them) in one. A transaction
    that fails is retried record by record, so one bad record fails alone."""

    def __init__(self, outbox: GroupedOutboxStore, clock: Clock) -> None:
        self._outbox = outbox
        self._clock = clock
        self._ready = threading.Condition()
        self._waiting: list[_Pending] = []
        self._writing = False

    def record(self, record: Record) -> None:
        pending = _Pending(record)
        with self._ready:
            self._waiting.append(pending)
            while not pending.done:
                if self._writing:
                    self._ready.wait()
                    continue
                self._writing = True
                group, self._waiting = self._waiting, []
                self._ready.release()
                try:
                    self._write(group)
                finally:
                    self._ready.acquire()
                    self._writing = False
                    self._ready.notify_all()
        if pending.error is not None:
            raise pending.error

    def _write(self, group: list[_Pending]) -> None:
        try:
            self._outbox.update_many([p.record for p in group], self._clock.now())
        except Exception as error:
            if len(group) == 1:
                group[0].fail(error)
                return
            log.warning("recording %d results together failed; recording them one by one", len(group), exc_info=True)
            for pending in group:
                try:
                    self._outbox.update_many([pending.record], self._clock.now())
                except Exception as error:
                    pending.fail(error)
                else:
                    pending.done = True
        else:
            for pending in group:
                pending.done = True


class _Pending:
    __slots__ = ("done", "error", "record")

    def __init__(self, record: Record) -> None:
        self.record = record
        self.done = False
        self.error: BaseException | None = None

    def fail(self, error: BaseException) -> None:
        self.error = error
        self.done = True


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
    return report_unknown(outbox.update(ref, provider_step(status, at, provider, error), now), ref, status, provider)


def provider_step(
    status: str, at: datetime, provider: str | None, error: str | None = None
) -> Callable[[MessageState], Step | None]:
    """The outbox step of a provider's status report (for OutboxStore.update, or a batch of them)."""
    return lambda state: provider_status(state, status, at, provider, error)


def report_unknown(result: StatusApplied, ref: str, status: str, provider: str | None) -> StatusApplied:
    """Logs a status report that named no message of the outbox; returns ``result``."""
    if not result.found:
        log.warning("a %s status %r names no message of this outbox: %s", provider or "provider", status, ref)
    return result
