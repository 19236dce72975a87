"""The outbox's state machine, without a database: backoff, retries, refusals, and provider statuses that come
late, twice or out of order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.messaging.outbox import (
    MessageState,
    RetryPolicy,
    Status,
    accepted,
    apply_fields,
    failed_transiently,
    provider_status,
    refused,
)

AT = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=4, base=timedelta(seconds=10), cap=timedelta(seconds=60))


def test_backoff_is_full_jitter_under_a_doubling_cap() -> None:
    rng = random.Random(7)
    for attempt, ceiling in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        waits = [POLICY.backoff(attempt, rng).total_seconds() for _ in range(400)]
        assert min(waits) >= 0 and max(waits) <= ceiling
        assert max(waits) > 0.8 * ceiling and min(waits) < 0.2 * ceiling  # spread over the whole range
    again = [POLICY.backoff(3, random.Random(42)) for _ in range(2)]
    assert again[0] == again[1]  # a seeded source draws the same waits


def test_a_transient_failure_waits_at_least_the_providers_retry_after() -> None:
    state = MessageState()
    step = failed_transiently(state, AT, AT, "twilio", "HTTP 429", 90.0, POLICY, random.Random(1))
    assert step.fields["status"] == Status.FAILED and step.fields["attempts"] == 1
    assert step.due_at is not None and step.due_at >= AT + timedelta(seconds=90)
    short = failed_transiently(state, AT, AT, "twilio", "HTTP 503", None, POLICY, random.Random(1))
    assert short.due_at is not None and short.due_at <= AT + timedelta(seconds=10)
    assert [e.status for e in step.history] == ["sending", "failed"]


def test_the_last_attempt_allowed_makes_the_message_dead() -> None:
    state = MessageState(status=Status.FAILED, attempts=POLICY.max_attempts - 1)
    step = failed_transiently(state, AT, AT, "unifonic", "HTTP 503", None, POLICY, random.Random(1))
    assert step.fields["status"] == Status.DEAD and step.due_at is None
    assert step.fields["failed_at"] == AT and "gave up after 4 attempts" in step.fields["last_error"]


def test_a_permanent_refusal_is_dead_at_once_with_the_providers_code() -> None:
    step = refused(MessageState(), AT, AT, "twilio", "21211", "invalid 'To' number")
    assert step.fields["status"] == Status.DEAD and step.fields["attempts"] == 1 and step.due_at is None
    assert step.history[-1].provider_code == "21211"


def test_statuses_out_of_order_keep_the_furthest_state_and_every_time() -> None:
    state = MessageState(status=Status.SENDING)
    delivered = provider_status(state, "delivered", AT + timedelta(seconds=5), "whatsapp")
    assert delivered is not None and delivered.fields == {
        "status": "delivered",
        "delivered_at": AT + timedelta(seconds=5),
    }
    state = apply_fields(state, delivered.fields)
    late_sent = provider_status(state, "sent", AT + timedelta(seconds=2), "whatsapp")
    assert late_sent is not None and late_sent.fields == {"sent_at": AT + timedelta(seconds=2)}  # time kept, state not
    state = apply_fields(state, late_sent.fields)
    # The dispatcher marks its acceptance after both webhooks: still delivered.
    mark = accepted(state, AT, AT + timedelta(seconds=9), "whatsapp", "wamid.1", None)
    assert "status" not in mark.fields and "sent_at" not in mark.fields
    assert state.status == Status.DELIVERED and state.sent_at == AT + timedelta(seconds=2)


def test_the_same_status_twice_changes_nothing() -> None:
    state = MessageState(status=Status.SENT, sent_at=AT)
    first = provider_status(state, "read", AT + timedelta(minutes=1), "whatsapp")
    assert first is not None
    state = apply_fields(state, first.fields)
    assert provider_status(state, "read", AT + timedelta(minutes=2), "whatsapp").changes_nothing  # type: ignore[union-attr]
    late = provider_status(state, "delivered", AT + timedelta(seconds=50), "whatsapp")
    assert late is not None and late.fields == {"delivered_at": AT + timedelta(seconds=50)}  # overtaken, still recorded
    state = apply_fields(state, late.fields)
    for status in ("read", "delivered", "sent"):
        again = provider_status(state, status, AT + timedelta(minutes=2), "whatsapp")
        assert again is not None and again.changes_nothing, status
    assert state.status == Status.READ
    assert provider_status(state, "scheduled", AT, "twilio") is None


@pytest.mark.parametrize("status", ["failed", "undelivered", "bounce"])
def test_a_provider_failure_after_sending_is_dead_unless_delivery_was_seen(status: str) -> None:
    sent = MessageState(status=Status.SENT, sent_at=AT)
    step = provider_status(sent, status, AT, "whatsapp", "131026: undeliverable")
    assert step is not None and step.fields["status"] == Status.DEAD
    assert step.history[0].provider_code == "131026"
    delivered = MessageState(status=Status.DELIVERED, sent_at=AT, delivered_at=AT)
    late = provider_status(delivered, status, AT, "whatsapp", "131026: undeliverable")
    assert late is not None and "status" not in late.fields and late.fields["failed_at"] == AT
