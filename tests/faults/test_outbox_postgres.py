"""Head office's outbox on PostgreSQL, shared by three dispatcher processes: 10,000 messages, each sent exactly
once (FOR UPDATE SKIP LOCKED leases), none lost, every one recorded — and the branches can pull the result."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import orjson
import pytest
from sqlalchemy import func, select

from core.kernel.ids import new_id
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, iso
from sync.messaging.headoffice_outbox import outbox
from tests.clock import DEFAULT, TestClock
from tests.dispatching import correlation_ids
from tests.faults.support import ROOT
from tests.providers import FakeProviders

MESSAGES = 10_000
DISPATCHERS = 3


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def seed(store: HeadOfficeStore, count: int) -> list[str]:
    """``count`` queued SMS as rows pushed by a branch would leave them: insert changes of ``communications``."""
    ids = [new_id() for _ in range(count)]
    created = iso(DEFAULT)
    with store.writing() as (conn, head):
        for n, message_id in enumerate(ids):
            row = {
                "id": message_id,
                "branch_id": "branch-1",
                "created_at": created,
                "customer_id": None,
                "channel": "sms",
                "direction": "outbound",
                "template_id": None,
                "recipient": f"+9715{n:08d}",
                "body": f"Your receipt {n}",
                "status": "queued",
                "attempts": 0,
                "deleted": False,
            }
            head = store.decide(conn, head, "communications", message_id, row)
        store.set_head(conn, head)
    return ids


def test_three_dispatchers_share_the_outbox_and_send_each_message_once(postgres: str, fake: FakeProviders) -> None:
    url = postgres.replace("postgresql://", "postgresql+psycopg://")
    store = HeadOfficeStore(url)
    ids = seed(store, MESSAGES)
    clock = TestClock(DEFAULT)
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.faults.outbox_processes",
                "--headoffice",
                url,
                "--at",
                clock.now().isoformat(),
                "--url",
                fake.url,
                "--concurrency",
                "8",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(DISPATCHERS)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    elapsed = time.monotonic() - started
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-2000:]
    sent = [int(out.split()[-1]) for out, _err in outputs]
    assert sum(sent) == MESSAGES and all(n > 0 for n in sent), sent  # every process took a share

    deliveries = Counter(correlation_ids(fake))
    assert set(deliveries) == set(ids) and set(deliveries.values()) == {1}
    assert fake.violations == []
    with store.reader.connect() as conn:
        r = m.rows.c
        statuses = Counter(
            orjson.loads(data)["status"]
            for data in conn.execute(select(r.data).where(r.entity == "communications")).scalars()
        )
        history = conn.execute(
            select(func.count()).select_from(m.changes).where(m.changes.c.entity == "communication_events")
        ).scalar()
        left = conn.execute(select(func.count()).select_from(outbox)).scalar()
    assert statuses == {"sent": MESSAGES}
    assert history == 2 * MESSAGES and left == 0
    print(f"\n{MESSAGES} messages, {DISPATCHERS} dispatchers on PostgreSQL: {elapsed:.1f} s, shares {sent}")
    store.close()
