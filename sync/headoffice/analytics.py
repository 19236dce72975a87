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

Each customer's analytics row (customer_analytics) is the other way round: a replicated register, written here
as head office's own changes by the recompute's "customer rows" step (``HeadOfficeCustomerRows``), from the same
frame, with its order lines and declared preferences, and the same fit of the models on the whole chain's
history as the dashboards' CLV chart. Only the rows whose figures changed beyond
the till's tolerances are written, a few thousand per transaction, so a nightly run sends the branches the
customers that moved, and head office's other writers are not kept waiting.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from pydantic import BaseModel
from sqlalchemy import delete, select

from core.analytics.customers import (
    CustomerAnalyticsResult,
    DeclaredPreferences,
    Reason,
)
from core.analytics.figures import ALL, Figure, FigureKey, Progress, Run, recompute
from core.analytics.frame import OrdersFrame
from core.analytics.reader import read_declared_preferences, read_facts, read_orders_frame
from core.analytics.rows import INT_COLUMNS, NULL, TEXT_COLUMNS, compare, new_columns
from core.kernel.clock import local
from core.kernel.ids import new_id
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore, _ledger_rows, iso

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
    # For each customer's next likely family and brand (the customer rows): what they bought and declared.
    "order_lines": ("order_id", "family", "brand", "net_fils"),
    "customer_preferences": ("customer_id", "source", "families", "brands", "deleted"),
}
LEDGERS = frozenset(
    {
        "orders",
        "loyalty_transactions",
        "gift_card_transactions",
        "vip_visits",
        "campaign_executions",
        "offer_redemptions",
        "order_lines",
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
    """The chain's history as one frame, from head office's tables; with ``lines``, its order lines and the
    customers' declared preferences too (``declared``, read in the same pass), which the customer rows' next
    likely family and brand need and the dashboards do not."""

    def __init__(self, store: HeadOfficeStore, *, lines: bool = True) -> None:
        self._store = store
        self._lines = lines
        self._declared = DeclaredPreferences()

    def declared(self, frame: OrdersFrame) -> DeclaredPreferences:
        """The preferences customers declared, as the last ``read`` found them (indexed like its frame)."""
        return self._declared

    def read(self) -> OrdersFrame:
        memory = sqlite3.connect(":memory:")
        try:
            self._copy(memory)
            frame = read_orders_frame(memory, lines=self._lines)
            read_facts(memory, frame)
            if self._lines:
                self._declared = read_declared_preferences(memory, frame)
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
                if not self._lines and entity in ("order_lines", "customer_preferences"):
                    continue
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


def _db_value(column: str, value: Any) -> Any:
    if column.endswith("_at"):
        return _db_time(value)
    if isinstance(value, list | dict):  # a JSON column (a customer's declared families), as SQLite keeps it
        return orjson.dumps(value).decode()
    return value


def _copy_rows(memory: sqlite3.Connection, insert: str, columns: tuple[str, ...], payloads: Iterable[Any]) -> None:
    batch: list[tuple[Any, ...]] = []
    for payload in payloads:
        data = orjson.loads(payload)
        batch.append(tuple(_db_value(c, data.get(c)) for c in columns))
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


ENTITY = "customer_analytics"
ROW_BATCH = 5_000  # customer rows per writing transaction: head office's other writers wait a moment, not minutes


def _seconds(text: Any) -> int:
    """A stored time (ISO text, as a change carries it) as Unix seconds, NULL for none."""
    if not text:
        return int(NULL)
    at = datetime.fromisoformat(str(text))
    return int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp())


def _wire(name: str, value: Any) -> Any:
    """An entry of ``new_columns`` as a change's payload carries it."""
    if name in TEXT_COLUMNS:
        return value
    if value == NULL:
        return None
    if name == "last_purchase_at":
        return datetime.fromtimestamp(int(value), UTC).isoformat()  # as ``iso`` writes it
    return int(value)


class HeadOfficeCustomerRows:
    """Each customer's analytics row (customer_analytics), computed here from the chain's history and written as
    head office's own changes, which every branch pulls. Head office is the one writer of these rows in a chain
    (a branch's push of them is dropped: sync.headoffice.apply), so a customer never has two. As a till's save
    (core.analytics.rows), only the rows whose figures changed beyond their tolerances are written:
    the rule is the same function, ``compare``."""

    def __init__(self, store: HeadOfficeStore, batch: int = ROW_BATCH) -> None:
        self._store = store
        self._batch = batch

    def held(self, frame: OrdersFrame) -> Held:
        """The rows head office holds for the frame's customers, as arrays (the first row of a customer that has
        two, from before head office wrote them: that one is kept up to date). Streamed: a million rows never
        stand in memory as a million dicts."""
        r = m.rows.c
        customers = {c: i for i, c in enumerate(frame.customer_ids)}
        seen = np.zeros(frame.customers, bool)
        index = array("q")
        row_ids: list[str] = []
        ints = {name: array("q") for name in INT_COLUMNS}
        texts: dict[str, list[Any]] = {name: [] for name in TEXT_COLUMNS}
        words: dict[Any, Any] = {}  # one object per distinct text ("loyal", "oud"...), not one per row
        with self._store.reader.connect() as conn:
            found = conn.execute(select(r.row_id, r.data).where(r.entity == ENTITY).order_by(r.row_id)).yield_per(PAGE)
            for row_id, data in found:
                fields = orjson.loads(data)
                i = customers.get(fields.get("customer_id"), -1)
                if i < 0 or fields.get("deleted") or seen[i]:
                    continue
                seen[i] = True
                index.append(i)
                row_ids.append(row_id)
                for name in INT_COLUMNS:
                    value = fields.get(name)
                    if name == "last_purchase_at":
                        ints[name].append(_seconds(value))
                    else:
                        ints[name].append(int(NULL) if value is None else value)
                for name in TEXT_COLUMNS:
                    value = fields.get(name)
                    texts[name].append(words.setdefault(value, value))
        stored: dict[str, npt.NDArray[Any]] = {name: np.frombuffer(v, np.int64).copy() for name, v in ints.items()}
        for name, values in texts.items():
            column = np.empty(len(values), dtype=object)
            column[:] = values
            stored[name] = column
        return Held(np.frombuffer(index, np.int64).copy(), row_ids, stored)

    def plan(self, result: CustomerAnalyticsResult, frame: OrdersFrame, now: datetime) -> Planned:
        """What to write: the held rows whose figures changed (by the till's rule, ``compare``) and a new row for
        each customer who ever bought or returned something and has none; the rows themselves are built a batch
        at a time as they are written (``Planned.rows``)."""
        new = new_columns(result)
        held = self.held(frame)
        changed, differs = compare(held.stored, {name: values[held.index] for name, values in new.items()})
        which = np.flatnonzero(changed)
        has_row = np.zeros(frame.customers, bool)
        has_row[held.index] = True
        homes = _homes(frame)
        fresh = np.flatnonzero(~has_row & (result.reason != Reason.NO_PURCHASES) & (homes >= 0))
        return Planned(
            frame=frame,
            new=new,
            at=iso(now),
            updated=held.index[which],
            updated_ids=[held.row_ids[int(row)] for row in which],
            differs={name: mask[which] for name, mask in differs.items()},
            fresh=fresh,
            homes=homes[fresh],
            batch=self._batch,
        )

    def changes(
        self, result: CustomerAnalyticsResult, frame: OrdersFrame, now: datetime
    ) -> list[tuple[str, dict[str, Any]]]:
        """Every row ``plan`` writes, in one list (for tests and the benchmark's bare side)."""
        return [row for part in self.plan(result, frame, now).rows() for row in part]

    def write(self, planned: Planned, progress: Progress | None = None) -> int:
        """The rows as head office's changes, ``batch`` of them per transaction."""
        report = progress or (lambda _step, _done, _of: None)
        total = planned.count
        report("customer rows", 0, total)
        done = 0
        for part in planned.rows():
            with self._store.writing() as (conn, head):
                self._store.set_head(conn, self._store.decide_many(conn, head, ENTITY, part))
            done += len(part)
            report("customer rows", done, total)
        return total

    def save(
        self,
        result: CustomerAnalyticsResult,
        frame: OrdersFrame,
        now: datetime,
        progress: Progress | None = None,
    ) -> int:
        return self.write(self.plan(result, frame, now), progress)


@dataclass
class Held:
    """The customer rows head office holds: the frame's index of each row's customer, its id, its figures in
    ``new_columns``' form."""

    index: npt.NDArray[np.int64]
    row_ids: list[str]
    stored: dict[str, npt.NDArray[Any]]


@dataclass
class Planned:
    """The rows a recompute writes, as indices until ``rows`` builds them a batch at a time."""

    frame: OrdersFrame
    new: dict[str, npt.NDArray[Any]]
    at: str
    updated: npt.NDArray[np.int64]  # customers (frame index) whose held row changes
    updated_ids: list[str]
    differs: dict[str, npt.NDArray[np.bool_]]  # per column, aligned with ``updated``
    fresh: npt.NDArray[np.int64]  # customers who get a new row
    homes: npt.NDArray[np.int64]  # their branch (index into frame.branch_ids)
    batch: int

    @property
    def count(self) -> int:
        return len(self.updated) + len(self.fresh)

    def _plain(self, at: npt.NDArray[np.int64]) -> dict[str, list[Any]]:
        return {name: values[at].tolist() for name, values in self.new.items()}

    def rows(self) -> Iterator[list[tuple[str, dict[str, Any]]]]:
        names = (*INT_COLUMNS, *TEXT_COLUMNS)
        for start in range(0, len(self.updated), self.batch):
            stop = start + self.batch
            plain = self._plain(self.updated[start:stop])
            differs = {name: mask[start:stop].tolist() for name, mask in self.differs.items()}
            part: list[tuple[str, dict[str, Any]]] = []
            for k, row_id in enumerate(self.updated_ids[start:stop]):
                fields = {name: _wire(name, plain[name][k]) for name in names if differs[name][k]}
                part.append((row_id, {**fields, "computed_at": self.at, "updated_at": self.at}))
            yield part
        ids = self.frame.customer_ids
        branches = self.frame.branch_ids
        for start in range(0, len(self.fresh), self.batch):
            stop = start + self.batch
            chosen = self.fresh[start:stop]
            plain = self._plain(chosen)
            homes = self.homes[start:stop].tolist()
            part = []
            for k, i in enumerate(chosen.tolist()):
                row_id = new_id()
                row: dict[str, Any] = {
                    "id": row_id,
                    "branch_id": branches[homes[k]],
                    "created_at": self.at,
                    "updated_at": self.at,
                    "deleted": False,
                    "customer_id": ids[i],
                }
                row.update((name, _wire(name, plain[name][k])) for name in names)
                row["computed_at"] = self.at
                part.append((row_id, row))
            yield part


def _homes(frame: OrdersFrame) -> npt.NDArray[np.int64]:
    """The branch (index into ``frame.branch_ids``) each customer's row belongs to: their own; else where they
    last bought; -1 with neither (the row would point at no branch a till knows, and is not written)."""
    n = frame.customers
    homes = np.full(n, -1, np.int64)
    if frame.extra is not None and len(frame.extra.customer_branch) == n:
        homes[:] = frame.extra.customer_branch
    if not np.any(homes < 0):
        return homes
    known = (frame.order_customer >= 0) & (frame.order_branch >= 0)
    who, where, when = frame.order_customer[known], frame.order_branch[known], frame.order_at[known]
    order = np.lexsort((when, who))  # by customer, then time
    who, where = who[order], where[order]
    last = np.flatnonzero(np.r_[who[1:] != who[:-1], True]) if len(who) else np.zeros(0, np.int64)
    latest = np.full(n, -1, np.int64)
    latest[who[last]] = where[last]
    return np.where(homes >= 0, homes, latest)


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

    def __init__(self, store: HeadOfficeStore, now: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._now = now or store.now
        self.figures = HeadOfficeFigures(store)
        self.rows = HeadOfficeCustomerRows(store)
        self.rows_written = 0  # customer rows the last run wrote
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

            now = self._now()

            def save_rows(result: CustomerAnalyticsResult, frame: OrdersFrame) -> None:
                self.rows_written = self.rows.save(result, frame, now, moved)

            # The customer rows from the same reading and the same fit as the dashboards' CLV chart.
            run = recompute(HeadOfficeHistory(self._store), self.figures.replace, now, None, moved, save_rows)
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
