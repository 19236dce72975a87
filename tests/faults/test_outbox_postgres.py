"""Head office's outbox on PostgreSQL, shared by three dispatcher processes: 10,000 messages, each sent exactly
once (FOR UPDATE SKIP LOCKED leases), none lost, every one recorded — and the branches can pull the result."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from core.kernel.ids import new_id
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, iso
from sync.messaging.headoffice_outbox import HeadOfficeOutbox, outbox, provider_ids
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


def test_a_batch_of_results_and_statuses_is_written_on_postgresql_as_on_sqlite(postgres: str, tmp_path: Path) -> None:
    """update_many's statements are plain SQL per dialect: the same batch on both engines leaves the same
    messages, history, provider ids and queue."""
    from core.messaging.dispatch import provider_step
    from core.messaging.outbox import RetryPolicy, accepted, failed_transiently

    def run(url: str) -> tuple[Any, ...]:
        store = HeadOfficeStore(url)
        a, b, c = seed(store, 3)
        box = HeadOfficeOutbox(store)
        now = DEFAULT + timedelta(minutes=1)
        assert len(box.claim("test", now, now + timedelta(minutes=2), 10)) == 3
        policy, rng = RetryPolicy(), random.Random(7)
        done = box.update_many(
            [
                (a, lambda s: accepted(s, now, now, "twilio", "SMa", 4)),
                (b, lambda s: failed_transiently(s, now, now, "twilio", "HTTP 503", 30, policy, rng)),
                (c, provider_step("read", now + timedelta(seconds=9), "twilio")),
                (c, provider_step("read", now + timedelta(seconds=9), "twilio")),  # a repeat
                ("nobody", provider_step("read", now, "twilio")),
            ],
            now,
        )
        # By the provider's id, which the batch before linked.
        done += box.update_many([("SMa", provider_step("delivered", now + timedelta(seconds=5), "twilio"))], now)
        rows = store.merged_rows("communications")
        fields = ("status", "attempts", "provider_message_id", "delivered_at", "read_at", "next_attempt_at")
        messages = [tuple(rows[i].get(f) for f in fields) for i in (a, b, c)]
        history = sorted((e["status"], e["at"]) for e in store.merged_rows("communication_events").values())
        with store.reader.connect() as conn:
            queue = sorted(conn.execute(select(outbox.c.due_at, outbox.c.owner)).all())
            links = sorted(conn.execute(select(provider_ids.c.provider_message_id)).scalars())
            counted = conn.execute(select(func.count()).select_from(m.changes)).scalar_one()
        head = store.head()
        store.close()
        return [(d.found, d.changed) for d in done], messages, history, queue, links, counted, head

    on_sqlite = run(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    on_postgres = run(postgres.replace("postgresql://", "postgresql+psycopg://"))
    assert on_sqlite[0] == [(True, True), (True, True), (True, True), (True, False), (False, False), (True, True)]
    assert on_sqlite[4] == ["SMa"] and len(on_sqlite[3]) == 1, "b waits for its retry; a and c left the queue"
    assert on_postgres == on_sqlite
