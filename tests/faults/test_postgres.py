"""DESIGN.md fault 14: on PostgreSQL, two transactions that would commit out of sequence order cannot make a
"since N" reader skip a change."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg

from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from tests.faults.support import ServerThread, generous, open_branch


def test_14_the_hazard_exists_with_a_plain_sequence(postgres: str) -> None:
    """The control: with a bare sequence a reader does skip — so the test below can tell the difference."""
    with psycopg.connect(postgres, autocommit=True) as setup:
        setup.execute("CREATE TABLE naive (seq bigserial PRIMARY KEY, note text)")
    first = psycopg.connect(postgres)
    second = psycopg.connect(postgres)
    reader = psycopg.connect(postgres, autocommit=True)
    try:
        first.execute("INSERT INTO naive (note) VALUES ('first')")  # takes seq 1, not committed
        second.execute("INSERT INTO naive (note) VALUES ('second')")  # takes seq 2
        second.commit()
        cursor = max(r[0] for r in reader.execute("SELECT seq FROM naive WHERE seq > 0"))
        first.commit()
        after = [r[0] for r in reader.execute("SELECT seq FROM naive WHERE seq > %s", (cursor,))]
        assert cursor == 2 and after == [], "seq 1 committed behind the reader's back: skipped"
    finally:
        for conn in (first, second, reader):
            conn.close()


def test_14_postgres_headoffice_commits_in_sequence_order(postgres: str, template: Path, tmp_path: Path) -> None:
    url = postgres.replace("postgresql://", "postgresql+psycopg://")
    holding = threading.Event()
    release = threading.Event()

    def slow_first_writer(written: int) -> None:
        if written == 1 and not holding.is_set():
            holding.set()
            release.wait(5)  # the first transaction stays open, its change_seq values assigned

    ho = HeadOfficeStore(url, HeadOfficeConfig(default_allowances=generous()), on_change=slow_first_writer)
    server = ServerThread(ho).start()
    x = open_branch(template, tmp_path, "DXB1", ho, server.url)
    y = open_branch(template, tmp_path, "DXB2", ho, server.url)
    z = open_branch(template, tmp_path, "AUH1", ho, server.url)
    try:
        for i in range(4):
            x.new_customer(f"Slow {i}", f"+97150100{i:04d}")
            y.new_customer(f"Fast {i}", f"+97150200{i:04d}")
        seen: list[int] = []
        real_pull = z.worker.client.pull

        def recording_pull(since: int, limit: int, exceptions_after: int = 0, **marks):  # type: ignore[no-untyped-def]
            page, changes = real_pull(since, limit, exceptions_after, **marks)
            seen.extend(c["change_seq"] for c in changes)
            return page, changes

        z.worker.client.pull = recording_pull  # type: ignore[method-assign]
        slow = threading.Thread(target=x.sync, name="slow-push")
        slow.start()
        assert holding.wait(5)
        fast = threading.Thread(target=y.sync, name="fast-push")
        fast.start()
        deadline = time.monotonic() + 0.6
        while time.monotonic() < deadline:  # a puller keeps reading "since N" while both are in flight
            z.sync()
            time.sleep(0.05)
        assert fast.is_alive(), "the second writer waits for the first: change_seq commits in order"
        release.set()
        slow.join(10)
        fast.join(10)
        z.sync()
        head = ho.head()
        assert sorted(seen) == list(range(1, head + 1)), "every change_seq was read, none skipped"
        assert seen == sorted(seen)
        assert len(z.registers("customers")) == 8
        assert z.ledger("customer_history") == (x.ledger("customer_history") | y.ledger("customer_history"))
        from sqlalchemy import select

        from sync.headoffice import models as m

        with ho.reader.connect() as conn:
            order = [r[0] for r in conn.execute(select(m.changes.c.origin).order_by(m.changes.c.change_seq))]
        assert order == [x.store.branch_id] * 8 + [y.store.branch_id] * 8, "the waiting writer got the later numbers"
    finally:
        release.set()
        for branch in (x, y, z):
            branch.close()
        server.stop()
        ho.close()
