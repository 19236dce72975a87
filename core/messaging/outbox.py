"""The outbox's state machine: how a message moves, as pure functions of its state, the time and what happened.

    queued → sending → sent → delivered → read
       ↑        ↓
       └──── failed (retried after a backoff) ──→ dead (after ``max_attempts``, or at once on a permanent error)

Each function returns a ``Step``: the message's new fields, the status-history entries to append (each with
its own time, so the customer's Messages tab can show the whole story) and when the dispatcher should look at
the message again (``due_at``; None once nothing more is to be sent). The stores (storage/, sync/) apply a
step in one transaction; nothing here touches a database or a clock.

Backoff is exponential with *full jitter* (AWS's "Exponential Backoff and Jitter": a uniform wait between 0
and ``base·2^(n-1)``, capped), which spreads the retries of a burst that failed together; a provider's
Retry-After is a floor under it. The random source is passed in, so tests use a seeded one.

Provider statuses (webhooks) arrive late and in any order. They only ever move a message forward: the
furthest state is kept, each status's first time is kept, and a status already recorded changes nothing.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any


class Status(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    FAILED = "failed"  # this attempt failed; another follows at ``next_attempt_at``
    SENT = "sent"  # the provider took it
    DEAD = "dead"  # given up: a permanent refusal, too many attempts, or the provider's own failure report
    DELIVERED = "delivered"
    READ = "read"


# How far a message got. A provider's failure report (dead) outranks "sent" but not a delivery it contradicts:
# a "delivered" that overtook nothing is still the furthest thing known.
RANK = {
    Status.QUEUED: 0,
    Status.FAILED: 1,
    Status.SENDING: 2,
    Status.SENT: 3,
    Status.DEAD: 4,
    Status.DELIVERED: 5,
    Status.READ: 6,
}

# The time column each status sets once, for the Messages tab and for ordering what happened.
TIME_FIELDS = {
    Status.SENT: "sent_at",
    Status.DELIVERED: "delivered_at",
    Status.READ: "read_at",
    Status.DEAD: "failed_at",
}

# What a provider's status report may say, mapped onto the outbox's states.
PROVIDER_STATUSES = {
    "accepted": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.READ,
    "opened": Status.READ,
    "open": Status.READ,
    "failed": Status.DEAD,
    "undelivered": Status.DEAD,
    "bounce": Status.DEAD,
    "bounced": Status.DEAD,
    "dropped": Status.DEAD,
}


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a message is tried. ``lease`` is how long a claim holds a message: a dispatcher
    that dies keeps it that long before another takes it (so it bounds how late a duplicate comes)."""

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=2)
    lease: timedelta = timedelta(minutes=2)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base <= timedelta(0) or self.cap < self.base or self.lease <= timedelta(0):
            raise ValueError("backoff base, cap and lease must be positive, cap ≥ base")

    def backoff(self, attempt: int, rng: random.Random) -> timedelta:
        """Full jitter: uniform in [0, min(cap, base·2^(attempt-1))] for the ``attempt``-th failure (1-based)."""
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * 2 ** max(0, attempt - 1))
        return timedelta(seconds=rng.uniform(0.0, ceiling))


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a message's status history (the ``communication_events`` ledger)."""

    status: str
    at: datetime
    provider: str | None = None
    provider_code: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class MessageState:
    """What the state machine needs of an outbox row."""

    status: str = Status.QUEUED
    attempts: int = 0
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    failed_at: datetime | None = None

    def time_of(self, status: Status) -> datetime | None:
        name = TIME_FIELDS.get(status)
        return getattr(self, name) if name else None


@dataclass(frozen=True)
class Step:
    """What one transition does: the row's changed fields, history to append, and when to try again (None: the
    message leaves the dispatcher's queue; ``keep_due``: leave its place in the queue as it is)."""

    fields: dict[str, Any] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()
    due_at: datetime | None = None
    keep_due: bool = False

    @property
    def changes_nothing(self) -> bool:
        return not self.fields and not self.history


def _rank(status: str) -> int:
    try:
        return RANK[Status(status)]
    except ValueError:
        return 0


def _advance(state: MessageState, status: Status, at: datetime, fields: dict[str, Any]) -> None:
    """Moves ``status`` into ``fields`` when it is further than the state's, and sets its time once."""
    if RANK[status] > _rank(state.status):
        fields["status"] = status.value
    name = TIME_FIELDS.get(status)
    if name and state.time_of(status) is None:
        fields[name] = at


def accepted(
    state: MessageState,
    claimed_at: datetime,
    now: datetime,
    provider: str,
    provider_message_id: str,
    cost_fils: int | None,
) -> Step:
    """The provider took the message. A status webhook that overtook this (delivered before the dispatcher
    marked it sent) keeps its further state; the sending time is still recorded."""
    fields: dict[str, Any] = {
        "attempts": state.attempts + 1,
        "provider": provider,
        "provider_message_id": provider_message_id or None,
        "last_error": None,
    }
    if cost_fils is not None:
        fields["cost_fils"] = cost_fils
    _advance(state, Status.SENT, now, fields)
    history = (
        HistoryEntry(Status.SENDING, claimed_at, provider),
        HistoryEntry(Status.SENT, now, provider, detail=provider_message_id or None),
    )
    return Step(fields, history, due_at=None)


def failed_transiently(
    state: MessageState,
    claimed_at: datetime,
    now: datetime,
    provider: str,
    reason: str,
    retry_after: float | None,
    policy: RetryPolicy,
    rng: random.Random,
) -> Step:
    """A timeout, a 5xx, a 429: tried again after a jittered backoff no shorter than the provider's
    Retry-After, unless this was the last attempt allowed."""
    attempts = state.attempts + 1
    sending = HistoryEntry(Status.SENDING, claimed_at, provider)
    if attempts >= policy.max_attempts:
        detail = f"gave up after {attempts} attempts: {reason}"
        return Step(
            {"attempts": attempts, "status": Status.DEAD.value, "failed_at": now, "last_error": detail},
            (sending, HistoryEntry(Status.DEAD, now, provider, detail=detail)),
            due_at=None,
        )
    wait = policy.backoff(attempts, rng)
    if retry_after is not None and timedelta(seconds=retry_after) > wait:
        wait = timedelta(seconds=retry_after)
    due = now + wait
    return Step(
        {"attempts": attempts, "status": Status.FAILED.value, "last_error": reason, "next_attempt_at": due},
        (sending, HistoryEntry(Status.FAILED, now, provider, detail=reason)),
        due_at=due,
    )


def refused(state: MessageState, claimed_at: datetime, now: datetime, provider: str, code: str, reason: str) -> Step:
    """A permanent refusal (invalid number, opted out, bad template): dead at once, with the provider's code."""
    return Step(
        {
            "attempts": state.attempts + 1,
            "status": Status.DEAD.value,
            "failed_at": now,
            "provider": provider,
            "last_error": f"{code}: {reason}",
        },
        (
            HistoryEntry(Status.SENDING, claimed_at, provider),
            HistoryEntry(Status.DEAD, now, provider, provider_code=code, detail=reason),
        ),
        due_at=None,
    )


def deferred(until: datetime, reason: str, now: datetime) -> Step:
    """The send policy said "not now" (quiet hours, a cap): no attempt is counted; the message waits."""
    return Step({"next_attempt_at": until}, (HistoryEntry(Status.QUEUED, now, detail=reason),), due_at=until)


def withheld(now: datetime, reason: str) -> Step:
    """The send policy refused the message (no consent, opted out): dead without an attempt."""
    return Step(
        {"status": Status.DEAD.value, "failed_at": now, "last_error": reason},
        (HistoryEntry(Status.DEAD, now, detail=reason),),
        due_at=None,
    )


def provider_status(
    state: MessageState, status: str, at: datetime, provider: str | None, error: str | None = None
) -> Step | None:
    """A status the provider reported (a webhook), applied so that order and repetition do not matter: the
    furthest state wins, each status's first time is kept, a status already recorded changes nothing. None
    for a status outside the vocabulary. A message still waiting to be retried that the provider reports
    as sent (an attempt that timed out but arrived) leaves the retry queue: it will not be sent again."""
    target = PROVIDER_STATUSES.get(status.strip().lower())
    if target is None:
        return None
    fields: dict[str, Any] = {}
    _advance(state, target, at, fields)
    if target is Status.DEAD and "failed_at" in fields and error:
        fields["last_error"] = error
    if not fields:
        return Step(keep_due=True)  # the same status again, or an older one: nothing changes
    code = error.split(":", 1)[0].strip() if (target is Status.DEAD and error) else None
    entry = HistoryEntry(target.value, at, provider, provider_code=code, detail=error)
    left_queue = RANK[target] >= RANK[Status.SENT]
    return Step(fields, (entry,), due_at=None, keep_due=not left_queue)


def apply_fields(state: MessageState, fields: dict[str, Any]) -> MessageState:
    """The state after a step's fields (for callers that chain steps in memory, such as tests)."""
    known = {name: fields[name] for name in MessageState.__dataclass_fields__ if name in fields}
    return replace(state, **known)
