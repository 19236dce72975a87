"""The chain's dashboards at head office: its history read into the same frame a till reads, the figures
computed by the same steps (core.analytics.figures), kept in ``ho_analytics_figures``, and served to each
branch: the chain's and that branch's own, never another branch's.

Head office keeps ledger rows as their insert changes in ``ho_changes`` (JSON payloads) and register rows merged
in ``ho_rows``. Rather than a second reader of arrays, those rows are copied into an in-memory SQLite database
with the few columns the till's reader (core.analytics.reader) selects, and that reader runs over it:
one reader, so a branch and head office cannot count differently. The answers' facts a till's trigger writes
(feedback_facts, 0024) are derived here from each answer: its NPS class and branch (its shopper is "").

Why pulled documents rather than replicated rows: the figures are derived, recomputed whole every night, and a
branch needs a few hundred documents of its own scope, not the chain's change log growing by every document
each night. A pull replaces them in one transaction (storage.repositories.figures), bounded by a page size.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import delete, select

from core.analytics.figures import ALL, Figure, FigureKey, Progress, Run, recompute
from core.analytics.frame import OrdersFrame
from core.analytics.reader import read_facts, read_orders_frame
from core.kernel.clock import local
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, _ledger_rows

log = logging.getLogger(__name__)

# The columns the till's reader selects, per entity (the in-memory copy has only these).
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "created_at", "branch_id", "segment"),
    "orders": ("id", "customer_id", "branch_id", "created_at", "net_fils", "kind"),
    "loyalty_accounts": ("id", "customer_id", "tier", "deleted"),
    "loyalty_transactions": ("account_id", "kind", "points", "created_at"),
    "gift_cards": ("id", "branch_id", "created_at", "initial_fils", "expires_on", "deleted"),
    "gift_card_transactions": ("card_id", "kind", "amount_fils", "created_at"),
    "personal_shoppers": ("id", "staff_id"),
    "staff": ("id", "name_en", "name_ar"),
    "personal_shopper_assignments": ("customer_id", "shopper_id", "assigned_at", "ended_at", "deleted"),
    "vip_visits": ("shopper_id", "customer_id", "visited_at"),
    "campaigns": ("id", "name"),
    "campaign_executions": ("campaign_id", "customer_id", "outcome", "created_at"),
    "offer_redemptions": ("campaign_id", "discount_fils", "points"),
}
LEDGERS = frozenset(
    {
        "orders",
        "loyalty_transactions",
        "gift_card_transactions",
        "vip_visits",
        "campaign_executions",
        "offer_redemptions",
    }
)
PAGE = 50_000
MAX_PAGE = 100  # figures per answer to a branch


def _db_time(value: Any) -> Any:
    """A wire time ("2026-12-01T08:00:00+00:00" or naive) as the till stores it, for ``unixepoch``."""
    if isinstance(value, str) and "T" in value:
        return value.replace("T", " ").split("+")[0].rstrip("Z")
    return value


class HeadOfficeHistory:
    """The chain's history as one frame, from head office's tables."""

    def __init__(self, store: HeadOfficeStore) -> None:
        self._store = store

    def read(self) -> OrdersFrame:
        memory = sqlite3.connect(":memory:")
        try:
            self._copy(memory)
            frame = read_orders_frame(memory, lines=False)
            read_facts(memory, frame)
        finally:
            memory.close()
        return frame

    def _copy(self, memory: sqlite3.Connection) -> None:
        for entity, columns in COLUMNS.items():
            memory.execute(f"CREATE TABLE {entity} ({', '.join(columns)})")
        memory.execute("CREATE TABLE branches (id, name_en, name_ar)")
        memory.execute("CREATE TABLE feedback_facts (shopper_id, branch_id, nps_class, created_at)")
        r = m.rows.c
        with self._store.reader.connect() as conn:
            memory.executemany(
                "INSERT INTO branches VALUES (?, ?, ?)",
                [tuple(x) for x in conn.execute(select(m.branches.c.id, m.branches.c.name_en, m.branches.c.name_ar))],
            )
            for entity, columns in COLUMNS.items():
                insert = f"INSERT INTO {entity} VALUES ({', '.join('?' * len(columns))})"
                if entity in LEDGERS:
                    found = conn.execute(_ledger_rows(entity)).yield_per(PAGE)
                    payloads = (row[3] for row in found)
                else:
                    found = conn.execute(select(r.data).where(r.entity == entity)).yield_per(PAGE)
                    payloads = (row[0] for row in found)
                _copy_rows(memory, insert, columns, payloads)
            answers = conn.execute(_ledger_rows("customer_feedback")).yield_per(PAGE)
            rows = []
            for row in answers:
                data = orjson.loads(row[3])
                score = data.get("nps")
                if isinstance(score, int) and 0 <= score <= 10:
                    nps_class = 1 if score <= 6 else 2 if score <= 8 else 3
                    rows.append(("", data.get("branch_id", ""), nps_class, _db_time(data.get("created_at"))))
            memory.executemany("INSERT INTO feedback_facts VALUES (?, ?, ?, ?)", rows)


def _copy_rows(memory: sqlite3.Connection, insert: str, columns: tuple[str, ...], payloads: Iterable[Any]) -> None:
    batch: list[tuple[Any, ...]] = []
    for payload in payloads:
        data = orjson.loads(payload)
        batch.append(tuple(_db_time(data.get(c)) if c.endswith("_at") else data.get(c) for c in columns))
        if len(batch) >= PAGE:
            memory.executemany(insert, batch)
            batch = []
    memory.executemany(insert, batch)


class HeadOfficeFigures:
    """The chain's figures in ``ho_analytics_figures``: replaced whole by a recompute, read by page for a branch."""

    def __init__(self, store: HeadOfficeStore) -> None:
        self._store = store

    def replace(self, figures: Iterable[Figure]) -> None:
        t = m.analytics_figures
        rows = [
            {
                "dashboard": f.key.dashboard,
                "period": f.key.period,
                "branch_id": f.key.branch_id,
                "segment": f.key.segment,
                "computed_at": f.computed_at.isoformat(),
                "payload": orjson.dumps(f.payload).decode(),
            }
            for f in figures
        ]
        with self._store.writer.begin() as conn:
            conn.execute(delete(t))
            if rows:
                conn.execute(t.insert(), rows)

    def page(self, branch_id: str, after: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
        """The chain's and ``branch_id``'s figures after position ``after`` (in key order), at most ``limit``;
        and the position to ask from next, None at the end."""
        t = m.analytics_figures.c
        limit = max(1, min(limit, MAX_PAGE))
        with self._store.reader.connect() as conn:
            found = conn.execute(
                select(t.dashboard, t.period, t.branch_id, t.segment, t.computed_at, t.payload)
                .where(t.branch_id.in_((ALL, branch_id)))
                .order_by(t.dashboard, t.period, t.branch_id, t.segment)
                .offset(after)
                .limit(limit + 1)
            ).all()
        out = [
            Figure(
                FigureKey(row[0], row[1], row[2], row[3]), datetime.fromisoformat(row[4]), orjson.loads(row[5])
            ).to_json()
            for row in found[:limit]
        ]
        return out, after + limit if len(found) > limit else None

    def computed_at(self) -> datetime | None:
        t = m.analytics_figures.c
        with self._store.reader.connect() as conn:
            value = conn.execute(select(t.computed_at).limit(1)).scalar()
        return datetime.fromisoformat(value) if value else None


@dataclass
class JobState:
    running: bool = False
    step: str = ""
    done: int = 0
    of: int = 0
    error: str = ""
    computed_at: datetime | None = None
    seconds: float = 0.0


class ChainRecompute:
    """Head office's recompute of the chain's figures: one at a time, on a thread of its own when asked over
    HTTP (its progress read back meanwhile), or on the caller's (the CLI, the nightly run)."""

    def __init__(self, store: HeadOfficeStore) -> None:
        self._store = store
        self.figures = HeadOfficeFigures(store)
        self._lock = threading.Lock()
        self.state = JobState(computed_at=self.figures.computed_at())

    def run(self, progress: Progress | None = None) -> Run:
        if not self._lock.acquire(blocking=False):
            raise RuntimeError("a recompute is already running")
        self.state = JobState(running=True, computed_at=self.state.computed_at)
        try:

            def moved(step: str, done: int, of: int) -> None:
                self.state.step, self.state.done, self.state.of = step, done, of
                if progress is not None:
                    progress(step, done, of)

            run = recompute(HeadOfficeHistory(self._store), self.figures.replace, self._store.now(), None, moved)
            self.state.computed_at = run.now
            self.state.seconds = sum(run.seconds.values())
            return run
        except Exception as exc:
            self.state.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            self.state.running = False
            self._lock.release()

    def start(self) -> bool:
        """Starts a recompute on its own thread; False when one is already running."""
        if self.state.running or self._lock.locked():
            return False
        self.state.running = True  # seen as running before the thread takes the lock

        def work() -> None:
            try:
                self.run()
            except Exception:  # kept in state.error for the status endpoint
                self.state.running = False

        threading.Thread(target=work, name="analytics-recompute", daemon=True).start()
        return True


def seconds_until(now: datetime, hour: int) -> float:
    """Seconds from ``now`` to the next ``hour``:00 in Asia/Dubai."""
    at = local(now)
    target = at.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= at:
        target += timedelta(days=1)
    return (target - at).total_seconds()


def start_nightly(chain: ChainRecompute, hour: int, now: Callable[[], datetime], stop: threading.Event) -> None:
    """Recomputes the chain's figures every night at ``hour`` (Asia/Dubai) until ``stop`` is set."""

    def loop() -> None:
        while not stop.wait(seconds_until(now(), hour)):
            try:
                chain.run()
            except Exception:  # kept in the job's state, shown by the status endpoint; tried again next night
                log.exception("the nightly analytics recompute failed")

    threading.Thread(target=loop, name="analytics-nightly", daemon=True).start()


class FiguresPage(BaseModel):
    """A page of the dashboards' figures for a branch: the chain's and its own (core.analytics.figures.Figure
    as JSON); ``next`` is the ``after`` of the next page, None at the end."""

    figures: list[dict[str, Any]]
    next: int | None
    computed_at: datetime | None


class RecomputeStatus(BaseModel):
    running: bool
    step: str
    done: int
    of: int
    error: str
    computed_at: datetime | None
    seconds: float


def status_of(state: JobState) -> RecomputeStatus:
    return RecomputeStatus(
        running=state.running,
        step=state.step,
        done=state.done,
        of=state.of,
        error=state.error,
        computed_at=state.computed_at,
        seconds=state.seconds,
    )
