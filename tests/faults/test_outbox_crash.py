"""DESIGN.md fault 13: a dispatcher killed after the provider accepted a message and before it recorded it.
Nothing is lost and at most one message goes twice: the lease runs out and the next dispatcher sends it again.
With several sending threads (whose results are group-committed) a kill repeats at most the sends in flight,
one per thread: a thread takes its next message only once its last result is durable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import pytest

from core.messaging.dispatch import Dispatcher
from core.messaging.outbox import RetryPolicy
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.outbox import SqlOutbox
from tests.clock import TestClock
from tests.dispatching import correlation_ids, gateway, queue_messages, rows
from tests.faults.support import ROOT
from tests.providers import FakeProviders


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


@pytest.mark.parametrize("threads", [1, 4])
def test_a_dispatcher_killed_between_acceptance_and_record_loses_nothing(
    services: Services, cashier: Actor, clock: TestClock, fake: FakeProviders, threads: int
) -> None:
    queued = queue_messages(services.store, clock, cashier, 12)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.faults.outbox_processes",
            "--store",
            str(services.store.path),
            "--at",
            clock.now().isoformat(),
            "--url",
            fake.url,
            "--hold-after",
            "5",
            "--concurrency",
            str(threads),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert worker.stdout is not None
        line = worker.stdout.readline().strip()
        assert line.startswith("ACCEPTED "), line
        in_flight = line.split()[1]
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    # The provider has the message; the store still has it queued (never recorded), and leased.
    assert in_flight in correlation_ids(fake)
    status = rows(services.store, "SELECT status FROM communications WHERE id = :m", m=in_flight)[0][0]
    assert status == "queued"
    if threads == 1:
        assert len(fake.of("unifonic")) == 5

    again = Dispatcher(SqlOutbox(services.store), gateway(fake.url, clock), clock, retry=RetryPolicy(), concurrency=4)
    try:
        assert again.run_once().claimed == 0  # the dead dispatcher's lease still holds
        clock.advance(seconds=RetryPolicy().lease.total_seconds() + 1)
        while again.run_once().claimed:
            pass
    finally:
        again.close()
    deliveries = Counter(correlation_ids(fake))
    assert set(deliveries) == set(queued)  # nothing lost
    # At most one duplicate per thread (the sends the kill caught in flight), each message at most twice.
    assert 1 <= sum(deliveries.values()) - len(queued) <= threads
    assert max(deliveries.values()) <= 2
    assert deliveries[in_flight] == 2
    statuses = {m: rows(services.store, "SELECT status FROM communications WHERE id = :m", m=m)[0][0] for m in queued}
    assert set(statuses.values()) == {"sent"}
