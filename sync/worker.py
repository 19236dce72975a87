"""The branch's one background sync thread: pushes its change log and pulls everyone else's, continuously.

While head office cannot be reached it retries with exponential backoff and full jitter (so a chain's tills
do not all knock at once when it comes back) and syncs in full at the first success; "Sync now" wakes it at
once. It never runs on the Qt main thread: the UI subscribes to its status, which it publishes from this
thread (a Qt relay turns that into a queued signal). It is also the services' view of head office
(core.offline.allowances.HeadOfficeLink): online or not, and head office's confirmation of a redemption.
When a pull shows that head office has forgotten changes (restored from a backup, sync.protocol), it sends its
own again from head office's mark and resyncs in full at a new epoch, in the same cycle.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from core.offline.allowances import (
    DecreaseKind,
    LinkState,
    OnlineAuthorization,
    SyncProblem,
    SyncProgress,
    SyncStatus,
)
from sync.client import HeadOfficeClient, SyncFailure
from sync.protocol import AuthorizeRequest, PullPage, ReleaseRequest

log = logging.getLogger(__name__)
QUIET_WRITE_S = 60.0  # with nothing new, the "last contact" time is saved at most this often
# A week's backlog is 50-100 round trips at these sizes; each batch is one head-office transaction of about
# 0.2 s, and each page one branch transaction. benchmarks/bench_sync.py measures these defaults.
PUSH_BATCH = 2_000
PULL_PAGE = 5_000


class Replica(Protocol):
    """What the worker needs of the branch store (storage.replica.SqlReplica)."""

    @property
    def branch_id(self) -> str: ...

    @property
    def entity_order(self) -> list[str]: ...

    def unsynced(self) -> int: ...

    def pushed_seq(self) -> int: ...

    def top_seq(self) -> int: ...

    def pull_cursor(self) -> int: ...

    def exceptions_cursor(self) -> int: ...

    def resync_as_of(self) -> int | None: ...

    def epoch(self) -> int | None: ...

    def cursor_event(self) -> str: ...

    def last_contact_at(self) -> datetime | None: ...

    def changes_after(self, seq: int, limit: int) -> list[dict[str, Any]]: ...

    def acknowledge(self, acked_seq: int, restamped: dict[str, str], now: datetime) -> None: ...

    def apply_pulled(
        self,
        changes: Sequence[Mapping[str, Any]],
        cursor: int,
        now: datetime,
        *,
        allowances: Iterable[Mapping[str, Any]] | None = None,
        exceptions: Iterable[Mapping[str, Any]] = (),
        exceptions_cursor: int | None = None,
        epoch: int | None = None,
        cursor_event: str | None = None,
    ) -> object: ...

    def apply_snapshot(self, rows: Sequence[Mapping[str, Any]], as_of: int) -> object: ...

    def finish_resync(self, as_of: int, now: datetime, epoch: int | None = None) -> None: ...


class ReadAhead:
    """One call run on a helper thread while this thread works on: with a backlog, the next batch is read
    from the store while this one is on the wire, and the next page is fetched while this one is applied.
    Head office works on its own core meanwhile. ``take`` waits for the result (or raises what the call
    raised); leaving the block waits for a call still running and drops its result."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[Any] | None = None

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-read-ahead")
        self._future = self._pool.submit(fn, *args)

    def take(self) -> Any:
        future, self._future = self._future, None
        return None if future is None else future.result()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SyncWorker:
    def __init__(
        self,
        replica: Replica,
        client: HeadOfficeClient,
        *,
        authorizer: HeadOfficeClient | None = None,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
        snapshot_page: int = 2000,
        interval_s: float = 2.0,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 15.0,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = _utcnow,
        secret_in_file: bool = False,
    ) -> None:
        self.replica = replica
        self.client = client
        self.authorizer = authorizer or client
        self.push_batch = push_batch
        self.pull_page = pull_page
        self.snapshot_page = snapshot_page
        self.interval_s = interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._rng = rng or random.Random()
        self._now = now
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._lock = threading.Lock()
        # Holds head office may keep for use cases that never wrote their event: released with each cycle until
        # head office acknowledges (a release, like an authorisation, can be lost on the way).
        self._unreleased: set[str] = set()
        self._status = SyncStatus(
            LinkState.OFFLINE,
            replica.unsynced(),
            replica.last_contact_at(),
            headoffice=client.base_url,
            secret_in_file=secret_in_file,
        )
        self._allowances_seen: object = None
        self._quiet_since: datetime | None = None
        self._resend = False  # head office lost changes it had acknowledged: push them again this cycle
        self.failures = 0
        # Run after each cycle's pull, on this thread (what pulled rows set off: core.inbound handles the
        # customers' messages). One that fails is logged; it does not fail the sync.
        self.after_pull: list[Callable[[], object]] = []

    # -- thread ------------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def sync_now(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = self.interval_s
            try:
                self.run_cycle()
            except SyncFailure as failure:
                self.failures += 1
                wait = self._backoff()
                reachable = failure.problem not in (SyncProblem.UNREACHABLE, SyncProblem.SERVER)
                self._publish(
                    state=LinkState.ONLINE if reachable else LinkState.OFFLINE,
                    problem=failure.problem,
                    detail=failure.detail,
                    progress=None,
                )
            except Exception as exc:  # the store itself failed (disk full, locked too long): say so, retry
                log.exception("sync cycle failed")
                self.failures += 1
                wait = self._backoff()
                self._publish(problem=SyncProblem.STORE, detail=f"{type(exc).__name__}: {exc}", progress=None)
            self._wake.wait(wait)
            self._wake.clear()

    def _backoff(self) -> float:
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** min(self.failures, 20))
        return max(0.05, self._rng.uniform(0, ceiling))

    # -- one cycle ---------------------------------------------------------------------------------------------
    def run_cycle(self) -> None:
        """Push everything, then pull everything; raises SyncFailure when head office fails us."""
        self._push_all()
        self._release_pending()
        self._pull_all()
        for job in self.after_pull:
            try:
                job()
            except Exception:
                log.exception("a job after the pull failed")
        if self._resend:
            self._resend = False
            self._push_all()
        self.failures = 0
        self._publish(state=LinkState.ONLINE, problem=None, detail="", progress=None, last_success_at=self._now())

    def _push_all(self) -> None:
        start = pushed = self.replica.pushed_seq()
        top = self.replica.top_seq()
        batch = self.replica.changes_after(pushed, self.push_batch)
        with ReadAhead() as ahead:
            while batch:
                self._publish(
                    state=LinkState.SYNCING, progress=SyncProgress("push", pushed - start, max(1, top - start))
                )
                last = batch[-1]["branch_seq"]
                if len(batch) == self.push_batch:  # a backlog: read the next batch while this one is on the wire
                    ahead.start(self.replica.changes_after, last, self.push_batch)
                key = f"{self.replica.branch_id}:{batch[0]['branch_seq']}-{last}"
                result = self.client.push(batch, key)
                self._clock_offset(result.server_time)
                # Held: head office has less than we thought (restored from a backup): send again from its mark.
                self.replica.acknowledge(result.acked_seq, result.restamped, self._now())
                if result.held and result.acked_seq >= pushed:
                    raise SyncFailure(SyncProblem.SERVER, "head office holds the batch back but reports no gap")
                following = ahead.take()
                pushed = self.replica.pushed_seq()
                batch = following if following is not None and pushed == last else []
                if not batch:
                    batch = self.replica.changes_after(pushed, self.push_batch)

    def _pull_all(self) -> None:
        if self.replica.resync_as_of() is not None:
            self._resync()
        start = cursor = self.replica.pull_cursor()
        with ReadAhead() as ahead:
            fetched = None
            while True:
                page, changes = fetched or self._pull(
                    cursor, self.replica.exceptions_cursor(), self.replica.cursor_event()
                )
                fetched = None
                self._clock_offset(page.server_time)
                if page.acked_seq is not None and page.acked_seq < self.replica.pushed_seq():
                    # Head office has less of ours than it acknowledged (restored from a backup): even with nothing
                    # new to push, everything from its mark is sent again (it ignores what it still has).
                    self.replica.acknowledge(page.acked_seq, {}, self._now())
                    self._resend = True
                epoch = self.replica.epoch()
                if page.resync_required or (page.epoch is not None and epoch is not None and page.epoch != epoch):
                    # Another epoch: head office forgot changes, so this cursor may be past rows never received.
                    ahead.take()
                    self._resync(page.epoch)
                    start = cursor = self.replica.pull_cursor()
                    continue
                allowances = [a.model_dump() for a in page.allowances]
                now = self._now()
                quiet = not changes and not page.exceptions and page.next == cursor and page.epoch == epoch
                recent = self._quiet_since is not None and (now - self._quiet_since).total_seconds() < QUIET_WRITE_S
                if quiet and recent and allowances == self._allowances_seen:
                    return
                if page.more:  # a backlog: fetch the next page while this one is applied
                    ahead.start(self._pull, page.next, page.exceptions_next, page.next_event)
                self.replica.apply_pulled(
                    changes,
                    page.next,
                    now,
                    allowances=allowances,
                    exceptions=[e.model_dump() for e in page.exceptions],
                    exceptions_cursor=page.exceptions_next,
                    epoch=page.epoch,
                    cursor_event=page.next_event,
                )
                self._allowances_seen = allowances
                self._quiet_since = now
                cursor = page.next
                if not page.more:
                    return
                total = max(1, page.head - start)
                self._publish(state=LinkState.SYNCING, progress=SyncProgress("pull", cursor - start, total))
                fetched = ahead.take()

    def _pull(self, since: int, exceptions_after: int, at: str | None) -> tuple[PullPage, list[dict[str, Any]]]:
        """One page, telling head office what it acknowledged and which event this replica saw at ``since``."""
        return self.client.pull(
            since,
            self.pull_page,
            exceptions_after,
            pushed=self.replica.pushed_seq(),
            at=at or None,
            epoch=self.replica.epoch(),
        )

    def _resync(self, epoch: int | None = None) -> None:
        """A full copy of head office's merged rows, entity by entity, then pulling resumes from ``as_of``."""
        as_of: int | None = None
        entities = self.replica.entity_order
        for index, entity in enumerate(entities):
            after: str | None = None
            while True:
                page, rows = self.client.snapshot(entity, after, self.snapshot_page)
                as_of = page.as_of if as_of is None else min(as_of, page.as_of)
                self.replica.apply_snapshot(rows, as_of)
                self._publish(state=LinkState.SYNCING, progress=SyncProgress("resync", index + 1, len(entities)))
                if page.after is None:
                    break
                after = page.after
        self.replica.finish_resync(as_of or 0, self._now(), epoch)

    def _clock_offset(self, server_time: datetime) -> None:
        ahead = (self._now() - server_time).total_seconds()
        if abs(ahead - self._status.clock_ahead_s) > 1:
            self._publish(clock_ahead_s=ahead)

    # -- status ------------------------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def subscribe(self, listener: Callable[[SyncStatus], None]) -> None:
        with self._lock:
            self._listeners.append(listener)
        listener(self.status())

    def _publish(self, **changes: object) -> None:
        try:
            unsynced = self.replica.unsynced()
        except Exception:  # a status update must never fail the cycle
            unsynced = self._status.unsynced
        with self._lock:
            self._status = replace(self._status, unsynced=unsynced, **changes)  # type: ignore[arg-type]
            status, listeners = self._status, list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:
                log.exception("sync status listener failed")

    # -- the services' view (core.offline.allowances.HeadOfficeLink) -----------------------------------------------
    def link_state(self) -> LinkState:
        return self.status().state

    def is_offline(self) -> bool:
        return self.status().state == LinkState.OFFLINE

    def authorize_online(
        self, kind: DecreaseKind, subject_id: str, amount: int, hold_id: str
    ) -> OnlineAuthorization | None:
        if self.is_offline():
            return None
        request = AuthorizeRequest(kind=kind.value, subject_id=subject_id, amount=amount, hold_id=hold_id)
        try:
            answer = self.authorizer.authorize(request)
        except SyncFailure as failure:
            # Head office may have taken the hold and the answer been lost. The use case goes on by the offline
            # rules: if it writes its event (under this id) that settles the hold, and if not nothing else will,
            # so the hold is released at the next cycle either way (releasing a settled or absent hold is harmless).
            self._remember_release([hold_id])
            if failure.problem in (SyncProblem.UNREACHABLE, SyncProblem.SERVER):
                self._publish(state=LinkState.OFFLINE, problem=failure.problem, detail=failure.detail)
                self.sync_now()
            return None
        return OnlineAuthorization(answer.approved, answer.balance, answer.known)

    def release_online(self, hold_ids: list[str]) -> None:
        """Asks head office to let these holds go now; what it cannot be told now is retried with every sync
        cycle until it acknowledges (a hold nobody releases would also lapse, but only after head office's
        hold time, and every branch is refused that balance meanwhile)."""
        if not hold_ids:
            return
        self._remember_release(hold_ids)
        if not self.is_offline():
            self._release_pending()

    def _remember_release(self, hold_ids: list[str]) -> None:
        with self._lock:
            self._unreleased.update(hold_ids)

    def _release_pending(self) -> None:
        with self._lock:
            pending = sorted(self._unreleased)
        if not pending:
            return
        try:
            self.authorizer.release(ReleaseRequest(hold_ids=pending))
        except SyncFailure as failure:
            log.info("holds not released yet, retried next cycle: %s", failure.detail)
            return
        with self._lock:
            self._unreleased.difference_update(pending)
