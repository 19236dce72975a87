"""The worker's read-ahead: with a backlog it reads the next batch (and fetches the next page) while the
current one is in flight, and never lets that change what is sent or applied."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from core.offline.allowances import SyncProblem
from sync.client import SyncFailure
from sync.protocol import PullPage, PushResult
from sync.worker import SyncWorker

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class FakeReplica:
    branch_id = "B1"
    entity_order: list[str] = []

    def __init__(self, changes: int) -> None:
        self.log = list(range(1, changes + 1))
        self.pushed = 0
        self.cursor = 0
        self.applied: list[int] = []
        self.fail_apply_at: int | None = None
        self.read_threads: set[str] = set()

    def unsynced(self) -> int:
        return len(self.log) - self.pushed

    def pushed_seq(self) -> int:
        return self.pushed

    def top_seq(self) -> int:
        return len(self.log)

    def pull_cursor(self) -> int:
        return self.cursor

    def exceptions_cursor(self) -> int:
        return 0

    def resync_as_of(self) -> None:
        return None

    def epoch(self) -> None:
        return None

    def cursor_event(self) -> str:
        return ""

    def last_contact_at(self) -> None:
        return None

    def changes_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        self.read_threads.add(threading.current_thread().name)
        return [{"branch_seq": s} for s in self.log if s > seq][:limit]

    def acknowledge(self, acked_seq: int, restamped: dict[str, str], now: datetime) -> None:
        self.pushed = acked_seq

    def apply_pulled(self, changes: list[dict[str, Any]], cursor: int, now: datetime, **_: Any) -> None:
        if self.fail_apply_at == cursor:
            raise OSError("disk full")
        self.applied.extend(c["change_seq"] for c in changes)
        self.cursor = cursor


class FakeHeadOffice:
    """Holds a branch's changes up to ``acked``; forgets all but the first after ``restore_after`` pushes."""

    base_url = "http://127.0.0.1:1"

    def __init__(self, head: int = 0, page: int = 0, restore_after: int | None = None) -> None:
        self.acked = 0
        self.pushes: list[tuple[int, int]] = []
        self.restore_after = restore_after
        self.head = head
        self.pulls: list[int] = []

    def push(self, batch: list[dict[str, Any]], key: str) -> PushResult:
        first, last = batch[0]["branch_seq"], batch[-1]["branch_seq"]
        self.pushes.append((first, last))
        if first > self.acked + 1:  # a gap: held back
            return PushResult(acked_seq=self.acked, applied=0, held=True, server_time=NOW)
        applied = max(0, last - self.acked)
        self.acked = max(self.acked, last)
        if len(self.pushes) == self.restore_after:
            self.acked = 1  # restored from an old backup right after answering
        return PushResult(acked_seq=last, applied=applied, server_time=NOW)

    def pull(
        self, since: int, limit: int, exceptions_after: int = 0, **_: Any
    ) -> tuple[PullPage, list[dict[str, Any]]]:
        self.pulls.append(since)
        seqs = list(range(since + 1, min(self.head, since + limit) + 1))
        nxt = seqs[-1] if seqs else since
        page = PullPage(changes=[], next=nxt, head=self.head, more=nxt < self.head, kept_from=0, server_time=NOW)
        return page, [{"change_seq": s} for s in seqs]


def worker(replica: FakeReplica, office: FakeHeadOffice, **kw: Any) -> SyncWorker:
    return SyncWorker(replica, office, now=lambda: NOW, **kw)  # type: ignore[arg-type]


def test_a_backlog_is_pushed_in_order_with_the_next_batch_read_ahead() -> None:
    replica, office = FakeReplica(10), FakeHeadOffice()
    worker(replica, office, push_batch=3)._push_all()
    assert office.pushes == [(1, 3), (4, 6), (7, 9), (10, 10)]
    assert replica.pushed == 10
    assert any(name.startswith("sync-read-ahead") for name in replica.read_threads)


def test_a_batch_read_ahead_is_dropped_when_head_office_holds_less_than_was_sent() -> None:
    replica, office = FakeReplica(9), FakeHeadOffice(restore_after=1)
    worker(replica, office, push_batch=3)._push_all()
    # 4-6 is held (head office only has 1 after its restore); 7-9, read ahead, is never sent before 2-4.
    assert office.pushes == [(1, 3), (4, 6), (2, 4), (5, 7), (8, 9)]
    assert replica.pushed == 9 and office.acked == 9


def test_pages_are_applied_in_order_while_the_next_is_fetched() -> None:
    replica, office = FakeReplica(0), FakeHeadOffice(head=11)
    worker(replica, office, pull_page=4)._pull_all()
    assert replica.applied == list(range(1, 12))
    assert office.pulls == [0, 4, 8]
    assert replica.cursor == 11


def test_a_failed_apply_keeps_the_cursor_and_drops_the_page_fetched_ahead() -> None:
    replica, office = FakeReplica(0), FakeHeadOffice(head=11)
    replica.fail_apply_at = 8
    with pytest.raises(OSError):
        worker(replica, office, pull_page=4)._pull_all()
    assert replica.applied == [1, 2, 3, 4] and replica.cursor == 4
    assert office.pulls == [0, 4, 8]  # 9-11 was fetched while 5-8 failed, and not applied
    replica.fail_apply_at = None
    worker(replica, office, pull_page=4)._pull_all()
    assert replica.applied == list(range(1, 12)) and replica.cursor == 11


def test_a_failed_push_leaves_the_mark_where_head_office_put_it() -> None:
    replica, office = FakeReplica(9), FakeHeadOffice()
    calls = 0
    real_push = office.push

    def flaky(batch: list[dict[str, Any]], key: str) -> PushResult:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise SyncFailure(SyncProblem.UNREACHABLE, "ConnectError: connection reset")
        return real_push(batch, key)

    office.push = flaky  # type: ignore[method-assign]
    with pytest.raises(SyncFailure):
        worker(replica, office, push_batch=3)._push_all()
    assert replica.pushed == 3
    worker(replica, office, push_batch=3)._push_all()
    assert office.pushes == [(1, 3), (4, 6), (7, 9)] and replica.pushed == 9


class RestoredHeadOffice(FakeHeadOffice):
    """A head office that reports holding less of the branch than it once acknowledged, at a new epoch."""

    def __init__(self, acked: int, epoch: int) -> None:
        super().__init__()
        self.acked = acked
        self.epoch = epoch

    def pull(
        self, since: int, limit: int, exceptions_after: int = 0, **_: Any
    ) -> tuple[PullPage, list[dict[str, Any]]]:
        page, changes = super().pull(since, limit, exceptions_after)
        return page.model_copy(update={"acked_seq": self.acked, "epoch": self.epoch}), changes


class EpochReplica(FakeReplica):
    def __init__(self, changes: int, epoch: int) -> None:
        super().__init__(changes)
        self.known_epoch: int | None = epoch
        self.resyncs: list[int | None] = []

    def epoch(self) -> int | None:  # type: ignore[override]
        return self.known_epoch

    def apply_snapshot(self, rows: list[dict[str, Any]], as_of: int) -> None:
        pass

    def finish_resync(self, as_of: int, now: datetime, epoch: int | None = None) -> None:
        self.resyncs.append(epoch)
        self.known_epoch = epoch
        self.cursor = as_of


class SnapshotOffice(RestoredHeadOffice):
    def snapshot(self, entity: str, after: str | None, limit: int) -> tuple[Any, list[dict[str, Any]]]:
        from sync.protocol import SnapshotPage

        return SnapshotPage(as_of=self.head, rows=[], after=None), []


def test_a_restored_head_office_gets_what_it_lost_again_and_the_cursor_resyncs() -> None:
    replica, office = EpochReplica(6, epoch=1), SnapshotOffice(acked=2, epoch=2)
    replica.pushed = 6
    replica.entity_order = ["customers"]
    worker(replica, office).run_cycle()
    assert office.pushes == [(3, 6)], "nothing new to push, yet what head office lost is sent again"
    assert replica.pushed == 6
    assert replica.resyncs == [2], "one full resync at head office's new epoch"


def test_the_jobs_after_the_pull_run_after_it_and_one_that_fails_does_not_fail_the_sync() -> None:
    replica, office = FakeReplica(2), FakeHeadOffice(head=3)
    seen: list[tuple[str, int]] = []

    def broken() -> None:
        seen.append(("broken", replica.cursor))
        raise RuntimeError("a bug in a job")

    made = worker(replica, office)
    made.after_pull += [broken, lambda: seen.append(("next", replica.cursor))]
    made.run_cycle()
    assert seen == [("broken", 3), ("next", 3)], "after everything pulled was applied, each job in turn"
    assert made.failures == 0 and replica.pushed == 2
