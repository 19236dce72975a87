"""The branch store as a replica: reads its outbox for push, applies what head office sends, keeps cursors.

Each step is one transaction on the writing engine (BEGIN IMMEDIATE): an acknowledged push moves
``pushed_seq``, settles the offline approvals it carried and takes head office's corrected clock stamps;
a pulled page is applied together with its cursor, the allowances and exceptions that came with it, and the
clock that observed it. Killing the process anywhere leaves either the step done or nothing of it.

Pulled rows are written with SQLAlchemy Core, below the ORM: the change-log hook must not log them again,
and a week of backlog is applied at executemany speed. The merge rules are core.kernel.replication's.

Branches and staff are head office's decisions: a till takes them from head office's own changes only, and a
row pointing at a branch or staff member it has not heard of yet gets a placeholder parent, completed when the
record comes, so a till enrolled before the chain grew keeps receiving (DESIGN.md fault 16).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection, Date, Table, bindparam, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from core.kernel.hlc import Timestamp
from core.kernel.replication import (
    CAUSE_KEYED,
    DECIDED_BY_HEAD_OFFICE,
    HEAD_OFFICE,
    MERGED,
    NOT_FIELDS,
    ORPHAN,
    hlc_of,
    merge_register,
    newest,
    stamp,
)
from storage import erasure
from storage.db import Store
from storage.schema import Base, HlcState, Ledger, Register, Synced
from storage.schema.base import UTCDateTime
from storage.schema.people import customer_search_doc

PUSHED = "pushed_seq"
PULLED = "pulled_seq"
EXCEPTIONS = "exceptions_seq"
LAST_CONTACT = "last_contact_at"
LAST_PULL = "last_pull_at"
RESYNC = "resync_as_of"
EPOCH = "headoffice_epoch"
CURSOR_EVENT = "pulled_event"  # the event id head office has at the pull cursor
CHUNK = 500  # ids per IN (...) query

Converter = Callable[[Any], Any]
# What a replica keeps of a row it has not received: its wire values and their stamps, by row id.
_Kept = dict[str, tuple[dict[str, Any], dict[str, str]]]
# A row's columns, a getter of their values, and (index, conversion, default) where one is needed.
_Plan = tuple[tuple[str, ...], Callable[[Mapping[str, Any]], tuple[Any, ...]], tuple[tuple[int, Any, Any], ...]]


def _datetime(value: Any) -> Any:
    if value is None or isinstance(value, datetime):
        return value
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date(value: Any) -> Any:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    text_value = str(value)
    return text_value.replace(" ", "T", 1) + ("" if "+" in text_value[10:] else "+00:00")


def _stored_datetime(value: Any) -> Any:
    """The text SQLAlchemy stores for a UTC datetime on SQLite, so pulled rows read back exactly as local ones."""
    if isinstance(value, str) and len(value) == 32 and value.endswith("+00:00") and value[19] == ".":
        return f"{value[:10]} {value[11:26]}"  # the wire form of a UTC moment: 2026-11-25T12:00:00.123456+00:00
    moment = _datetime(value).astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}"
    )


def _stored_json(value: Any) -> str:
    # Exactly SQLAlchemy's JSON text (json.dumps, default separators): replicas hold byte-identical ledgers.
    return json.dumps(value)


def _stored_stamps(value: Any) -> str:
    # A register row's field stamps: bookkeeping read back as JSON, never compared as text. Two dozen stamps
    # a customer: orjson writes them in a tenth of json.dumps's time.
    return orjson.dumps(value).decode()


@dataclass
class _Entity:
    table: Table
    ledger: bool
    columns: frozenset[str]
    converters: dict[str, Converter]  # wire value → Python value (for SQLAlchemy)
    stored: dict[str, Converter]  # wire value → the value SQLite stores (for the DB-API executemany)
    required: frozenset[str]  # what a new row must bring (its field stamps are made here)
    defaults: dict[str, Callable[[], Any]]  # for NOT NULL columns a log written before defaults were filled lacks
    parents: tuple[tuple[str, str], ...] = ()  # (column, table) of its references to records head office decides
    _plans: dict[tuple[str, ...], _Plan] = field(default_factory=dict, repr=False)

    def _plan(self, keys: tuple[str, ...]) -> _Plan:
        """How rows with these keys become stored tuples: their columns, one getter for all of them, and the
        few columns that need a default or a conversion (a backlog is tens of thousands of rows)."""
        names = tuple(n for n in keys if n in self.columns)
        fixes = tuple(
            (i, self.stored.get(n), self.defaults.get(n))
            for i, n in enumerate(names)
            if n in self.stored or n in self.defaults
        )
        if len(names) == 1:
            only = names[0]
            plan: _Plan = (names, lambda row: (row[only],), fixes)
        else:
            plan = (names, itemgetter(*names), fixes)
        self._plans[keys] = plan
        return plan

    def convert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for name, value in values.items():
            if name in self.columns:
                if value is None and name in self.defaults:
                    value = self.defaults[name]()
                conv = self.converters.get(name)
                out[name] = conv(value) if conv and value is not None else value
        return out

    def stored_rows(
        self, rows: Sequence[Mapping[str, Any]], verb: str = "INSERT OR IGNORE"
    ) -> Iterable[tuple[str, list[tuple[Any, ...]]]]:
        """``verb`` statements and their rows, as SQLite stores them, one per set of keys."""
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        plans = self._plans
        for row in rows:
            keys = tuple(row)
            plan = plans.get(keys) or self._plan(keys)
            names, values_of, fixes = plan
            values = list(values_of(row))
            for i, conv, default in fixes:
                value = values[i]
                if value is None and default is not None:
                    value = default()
                if value is not None and conv is not None:
                    value = conv(value)
                values[i] = value
            groups.setdefault(names, []).append(tuple(values))
        for names, group in groups.items():
            marks = ", ".join("?" for _ in names)
            yield f"{verb} INTO {self.table.name} ({', '.join(names)}) VALUES ({marks})", group


def _entities() -> dict[str, _Entity]:
    found: dict[str, _Entity] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not (isinstance(cls, type) and issubclass(cls, Synced)):
            continue
        table = mapper.local_table
        assert isinstance(table, Table)
        converters: dict[str, Converter] = {}
        stored: dict[str, Converter] = {}
        defaults: dict[str, Callable[[], Any]] = {}
        required = set()
        parents: list[tuple[str, str]] = []
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                converters[column.name] = _datetime
                stored[column.name] = _stored_datetime
            elif isinstance(column.type, Date):
                converters[column.name] = _date
                stored[column.name] = lambda v: str(v)[:10]
            elif isinstance(column.type, JSON):
                stored[column.name] = _stored_stamps if column.name == "field_hlc" else _stored_json
            elif isinstance(column.type, Boolean):
                stored[column.name] = lambda v: 1 if v else 0
            default = column.default
            if not column.nullable and default is not None:
                if default.is_scalar:
                    defaults[column.name] = lambda arg=default.arg: arg  # type: ignore[attr-defined, misc]
                elif default.is_callable:
                    defaults[column.name] = lambda fn=default.arg: fn(None)  # type: ignore[attr-defined, misc]
            if not column.nullable and default is None and column.server_default is None:
                required.add(column.name)
            parents.extend(
                (column.name, key.column.table.name)
                for key in column.foreign_keys
                if key.column.table.name in DECIDED_BY_HEAD_OFFICE
            )
        found[table.name] = _Entity(
            table,
            issubclass(cls, Ledger),
            frozenset(c.name for c in table.columns),
            converters,
            stored,
            frozenset(required - {"field_hlc"}),
            defaults,
            tuple(parents),
        )
        assert issubclass(cls, Ledger) or issubclass(cls, Register)
    return found


ENTITIES = _entities()
# Parents before children, so a snapshot page never waits on a later page for its foreign keys.
ENTITY_ORDER = [t.name for t in Base.metadata.sorted_tables if t.name in ENTITIES]
# What a full resync asks head office for: the records it decides (branches, then staff) come first.
RESYNC_ORDER = [*DECIDED_BY_HEAD_OFFICE, *ENTITY_ORDER]
# The fields of a record head office decides, with the value a till gives one it has not been told. A staff
# member's lockout counters are this terminal's own and never come from head office.
DECIDED_FIELDS: dict[str, dict[str, Any]] = {
    "branches": {"code": "", "name_en": "", "name_ar": "", "emirate": "", "location": ""},
    "staff": {
        "branch_id": "",
        "username": "",
        "name_en": "",
        "name_ar": "",
        "role": "cashier",
        "pin_hash": "",
        "active": True,
    },
}
DECIDED_UNIQUE = {"branches": "code", "staff": "username"}


@dataclass(slots=True)
class Incoming:
    """One pulled change (or one snapshot row) as the replica applies it."""

    entity: str
    row_id: str
    op: str  # insert | update | snapshot
    data: dict[str, Any]
    stamp: str  # "<hlc>|<origin branch>"
    stamps: dict[str, str] | None = None  # per-field stamps (snapshot rows)


@dataclass
class ApplyReport:
    applied: int = 0
    orphans: list[str] = field(default_factory=list)  # rows whose updates came first: kept until the insert


class SqlReplica:
    """``core.kernel.replication.Replica`` over a branch Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Fault tests set this to kill the process at a named point inside a step (after the work, before
        # the commit); production leaves it None.
        self.fault_point: Callable[[str], None] | None = None
        # The last step scrubbed an erased customer ("profile"), or only logged payloads ("log"): its freed bytes
        # leave the WAL after it, and a scrubbed profile's old terms the search index.
        self._scrubbed = ""

    # -- identity and counters ---------------------------------------------------------------------------------
    @property
    def branch_id(self) -> str:
        return self.store.branch_id

    @property
    def entity_order(self) -> list[str]:
        return RESYNC_ORDER

    def setting(self, key: str, default: str = "") -> str:
        return self.store.settings.get(key, default)

    def top_seq(self) -> int:
        with self.store.read_engine.connect() as conn:
            return int(conn.execute(text("SELECT coalesce(max(branch_seq), 0) FROM change_log")).scalar() or 0)

    def pushed_seq(self) -> int:
        return int(self.setting(PUSHED, "0"))

    def pull_cursor(self) -> int:
        return int(self.setting(PULLED, "0"))

    def exceptions_cursor(self) -> int:
        return int(self.setting(EXCEPTIONS, "0"))

    def unsynced(self) -> int:
        return self.top_seq() - self.pushed_seq()

    def last_contact_at(self) -> datetime | None:
        value = self.setting(LAST_CONTACT)
        return datetime.fromisoformat(value) if value else None

    def resync_as_of(self) -> int | None:
        value = self.setting(RESYNC)
        return int(value) if value else None

    def epoch(self) -> int | None:
        """The head-office store epoch this replica's cursor belongs to (None before the first pull)."""
        value = self.setting(EPOCH)
        return int(value) if value else None

    def cursor_event(self) -> str:
        """The event id head office said it has at the pull cursor ("" when it did not say)."""
        return self.setting(CURSOR_EVENT)

    # -- push --------------------------------------------------------------------------------------------------
    def changes_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        """The outbox from ``seq`` on, in branch_seq order, as JSON-ready dicts (each payload its stored JSON)."""
        sql = (
            "SELECT branch_seq, event_id, branch_id, entity, row_id, op, payload, hlc, staff_id, created_at "
            "FROM change_log WHERE branch_seq > ? ORDER BY branch_seq LIMIT ?"
        )
        with self.store.read_engine.connect() as conn:
            rows = conn.exec_driver_sql(sql, (seq, limit)).all()
        return [
            {
                "branch_seq": r[0],
                "event_id": r[1],
                "branch_id": r[2],
                "entity": r[3],
                "row_id": r[4],
                "op": r[5],
                "payload": orjson.Fragment(r[6]),  # sent as stored: head office keeps the text it receives
                "hlc": r[7],
                "staff_id": r[8],
                "created_at": _iso(r[9]),
            }
            for r in rows
        ]

    def acknowledge(self, acked_seq: int, restamped: Mapping[str, str], now: datetime) -> None:
        """Head office holds everything up to ``acked_seq``: settle the approvals those changes carried and
        take its corrected stamps (``event_id → "<hlc>|<branch>"``) where this store still has the old one."""
        with self.store.write_engine.begin() as conn:
            before = int(self._read_setting(conn, PUSHED) or 0)
            if acked_seq > before:
                conn.execute(
                    text(
                        "UPDATE offline_approvals SET settled_at = :now WHERE settled_at IS NULL AND hold_id IN "
                        "(SELECT row_id FROM change_log WHERE branch_seq > :a AND branch_seq <= :b)"
                    ),
                    {"now": now.astimezone(UTC).replace(tzinfo=None), "a": before, "b": acked_seq},
                )
            if restamped:
                self._restamp(conn, restamped)
            if acked_seq > before and erasure.scrub_acknowledged(conn, before, acked_seq):
                self._scrubbed = self._scrubbed or "log"
            self._write_setting(conn, PUSHED, str(acked_seq))
            self._write_setting(conn, LAST_CONTACT, now.isoformat())
            self._fault("ack")
        self.store.settings[PUSHED] = str(acked_seq)
        self.store.settings[LAST_CONTACT] = now.isoformat()
        self._after_scrub()

    def _restamp(self, conn: Connection, restamped: Mapping[str, str]) -> None:
        """A till whose clock ran ahead has every change of a batch restamped: the logged changes and the rows
        they touched are read a chunk at a time, the stamps swapped in order, and each table written once."""
        ids = list(restamped)
        logged: dict[str, tuple[str, str, str, str]] = {}
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            marks = ", ".join("?" for _ in part)
            for event_id, entity, row_id, payload, hlc in conn.exec_driver_sql(
                f"SELECT event_id, entity, row_id, payload, hlc FROM change_log WHERE event_id IN ({marks})",
                tuple(part),
            ):
                if entity in ENTITIES and not ENTITIES[entity].ledger:
                    logged[event_id] = (entity, row_id, payload, hlc)
        stamps: dict[str, dict[str, dict[str, str]]] = {}  # entity → row id → field stamps
        for entity in {e for e, _r, _p, _h in logged.values()}:
            table = ENTITIES[entity].table
            wanted = list({r for e, r, _p, _h in logged.values() if e == entity})
            found = stamps.setdefault(entity, {})
            for start in range(0, len(wanted), CHUNK):
                query = select(table.c.id, table.c.field_hlc).where(table.c.id.in_(wanted[start : start + CHUNK]))
                for row_id, current in conn.execute(query):
                    found[row_id] = dict(current or {})
        changed: dict[str, set[str]] = {}
        for event_id in ids:  # in the order head office gave them, as one change after another
            if event_id not in logged:
                continue
            entity, row_id, payload, old = logged[event_id]
            row_stamps = stamps[entity].get(row_id)
            if row_stamps is None:
                continue
            for name in json.loads(payload):
                if name not in NOT_FIELDS and row_stamps.get(name) == old:
                    row_stamps[name] = restamped[event_id]
                    changed.setdefault(entity, set()).add(row_id)
        for entity, row_ids in changed.items():
            table = ENTITIES[entity].table
            conn.execute(
                table.update().where(table.c.id == bindparam("_id")).values(field_hlc=bindparam("_stamps")),
                [{"_id": row_id, "_stamps": stamps[entity][row_id]} for row_id in row_ids],
            )

    # -- pull --------------------------------------------------------------------------------------------------
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
    ) -> ApplyReport:
        """Applies a pulled page and saves ``cursor`` (and the head-office epoch it belongs to) in the same
        transaction. Applying it twice is harmless."""
        report = ApplyReport()
        settings = {PULLED: str(cursor), LAST_PULL: now.isoformat(), LAST_CONTACT: now.isoformat()}
        if exceptions_cursor is not None:
            settings[EXCEPTIONS] = str(exceptions_cursor)
        if epoch is not None:
            settings[EPOCH] = str(epoch)
        if cursor_event is not None or self.cursor_event():
            settings[CURSOR_EVENT] = cursor_event or ""
        incoming = [incoming_from_change(c) for c in changes]

        def step(conn: Connection, careful: bool) -> None:
            self._apply_page(conn, incoming, report, careful)
            self._fault("pull-applied")
            if allowances is not None:
                self._save_allowances(conn, allowances)
            self._save_exceptions(conn, exceptions)
            for key, value in settings.items():
                self._write_setting(conn, key, value)
            self._fault("pull-cursor")

        self._step(step)
        self.store.settings.update(settings)
        self._after_scrub()
        return report

    def apply_snapshot(self, rows: Sequence[Mapping[str, Any]], as_of: int) -> ApplyReport:
        """One page of a full resync (head office's merged rows); the cursor moves only in finish_resync."""
        report = ApplyReport()
        incoming = [incoming_from_row(r) for r in rows]

        def step(conn: Connection, careful: bool) -> None:
            self._apply_page(conn, incoming, report, careful)
            self._write_setting(conn, RESYNC, str(as_of))
            self._fault("snapshot-page")

        self._step(step)
        self.store.settings[RESYNC] = str(as_of)
        self._after_scrub()
        return report

    def finish_resync(self, as_of: int, now: datetime, epoch: int | None = None) -> None:
        settings = {PULLED: str(as_of), RESYNC: "", LAST_PULL: now.isoformat(), LAST_CONTACT: now.isoformat()}
        settings[CURSOR_EVENT] = ""  # not known for a snapshot's as_of: the next page says it
        if epoch is not None:
            settings[EPOCH] = str(epoch)
        with self.store.write_engine.begin() as conn:
            for key, value in settings.items():
                self._write_setting(conn, key, value)
        self.store.settings.update(settings)

    # -- applying rows -----------------------------------------------------------------------------------------
    def _after_scrub(self) -> None:
        if self._scrubbed:
            scrubbed, self._scrubbed = self._scrubbed, ""
            erasure.after_scrub(self.store, index=scrubbed == "profile")

    def _step(self, step: Callable[[Connection, bool], None]) -> None:
        """Runs a pull or snapshot step in one transaction. Foreign keys are checked at commit; when one fails (a
        row whose parent has not reached this replica: an insert a restored head office lost), the step runs
        again, carefully: the rows that point at a missing parent are set aside to wait for it, and the rest of
        the page is applied. A missing parent never stops the feed, and the usual page pays nothing for it."""
        try:
            with self.store.write_engine.begin() as conn:
                step(conn, False)
        except IntegrityError as exc:
            if "FOREIGN KEY" not in str(exc.orig):
                raise
            with self.store.write_engine.begin() as conn:
                step(conn, True)

    def _apply_page(self, conn: Connection, incoming: list[Incoming], report: ApplyReport, careful: bool) -> None:
        report.applied = 0
        report.orphans.clear()
        incoming = self._with_waiting(conn, incoming)
        if careful:
            incoming = self._set_aside(conn, incoming)
        self._apply(conn, incoming, report)

    def _with_waiting(self, conn: Connection, incoming: list[Incoming]) -> list[Incoming]:
        """The page, and after it the rows that waited for a parent this page brings (and their own children)."""
        if conn.exec_driver_sql("SELECT 1 FROM waiting_rows LIMIT 1").first() is None:
            return incoming
        frontier: dict[str, set[str]] = {}
        for change in incoming:
            frontier.setdefault(change.entity, set()).add(change.row_id)
        taken: list[Incoming] = []
        while frontier:
            found: list[Any] = []
            for entity, ids in frontier.items():
                listed = list(ids)
                for start in range(0, len(listed), CHUNK):
                    part = listed[start : start + CHUNK]
                    marks = ", ".join("?" for _ in part)
                    found.extend(
                        conn.exec_driver_sql(
                            f"SELECT id, entity, row_id, change FROM waiting_rows "
                            f"WHERE parent_entity = ? AND parent_id IN ({marks}) ORDER BY id",
                            (entity, *part),
                        )
                    )
            if not found:
                break
            conn.exec_driver_sql("DELETE FROM waiting_rows WHERE id = ?", [(r[0],) for r in found])
            frontier = {}
            for _id, entity, row_id, change in found:
                taken.append(Incoming(**orjson.loads(change)))
                frontier.setdefault(entity, set()).add(row_id)
        return [*incoming, *taken]

    def _set_aside(self, conn: Connection, incoming: list[Incoming]) -> list[Incoming]:
        """The page without the rows whose parent is missing, which are kept in ``waiting_rows``. The page is
        applied inside a savepoint, SQLite lists the rows that break a foreign key, and the savepoint is rolled
        back; again without them, until none does (a row set aside can leave its own children without a parent)."""
        waiting: list[tuple[Incoming, str, str]] = []
        for _ in range(10):
            conn.exec_driver_sql("SAVEPOINT set_aside")
            try:
                self._apply(conn, incoming, ApplyReport())
                broken = self._broken(conn, {c.entity for c in incoming if c.entity in ENTITIES})
            finally:
                conn.exec_driver_sql("ROLLBACK TO set_aside")
                conn.exec_driver_sql("RELEASE set_aside")
            if not broken:
                break
            waiting.extend((c, *broken[(c.entity, c.row_id)]) for c in incoming if (c.entity, c.row_id) in broken)
            incoming = [c for c in incoming if (c.entity, c.row_id) not in broken]
        if waiting:
            conn.exec_driver_sql(
                "INSERT INTO waiting_rows (entity, row_id, parent_entity, parent_id, change) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        c.entity,
                        c.row_id,
                        parent,
                        parent_id,
                        orjson.dumps(
                            {"entity": c.entity, "row_id": c.row_id, "op": c.op, "data": c.data, "stamp": c.stamp}
                            | ({"stamps": c.stamps} if c.stamps is not None else {})
                        ).decode(),
                    )
                    for c, parent, parent_id in waiting
                ],
            )
        return incoming

    @staticmethod
    def _broken(conn: Connection, tables: Iterable[str]) -> dict[tuple[str, str], tuple[str, str]]:
        """(table, row id) → (parent table, parent id) of every row of ``tables`` whose parent is missing."""
        broken: dict[tuple[str, str], tuple[str, str]] = {}
        for table in tables:
            found = conn.exec_driver_sql(f"PRAGMA foreign_key_check({table})").all()
            if not found:
                continue
            columns = {r[0]: r[3] for r in conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})")}
            for _table, rowid, parent, key in found:
                row_id, parent_id = conn.exec_driver_sql(
                    f"SELECT id, {columns[key]} FROM {table} WHERE rowid = ?", (rowid,)
                ).one()
                broken[(table, row_id)] = (parent, parent_id)
        return broken

    def _apply(self, conn: Connection, incoming: Sequence[Incoming], report: ApplyReport) -> None:
        if not incoming:
            return
        ledger: dict[str, list[dict[str, Any]]] = {}
        register: dict[str, list[Incoming]] = {}
        decided: dict[str, dict[str, dict[str, Any]]] = {}
        for change in incoming:
            if change.entity in DECIDED_BY_HEAD_OFFICE:
                # Taken from head office only (its own changes and its snapshot): never from a branch's change.
                if change.stamp.rpartition("|")[2] == HEAD_OFFICE:
                    rows = decided.setdefault(change.entity, {})
                    rows[change.row_id] = {**rows.get(change.row_id, {}), **change.data}
                continue
            entity = ENTITIES.get(change.entity)
            if entity is None:
                continue  # a table this version of the app does not have yet
            if entity.ledger:
                if change.op != "update":
                    ledger.setdefault(change.entity, []).append(change.data)
            else:
                register.setdefault(change.entity, []).append(change)
        self._place_parents(conn, ledger, register, decided, report)
        # Ledgers in dependency order, registers before the ledgers that point at them.
        for name in ENTITY_ORDER:
            if name in register:
                self._apply_register(conn, ENTITIES[name], register[name], report)
            if name in ledger:
                self._insert_ledger(conn, ENTITIES[name], ledger[name], report)
        if "customers" in register:
            # Head office's erasure tombstone (or a change of a customer erased before): what identified the
            # customer goes from every table, in this transaction (storage.erasure).
            erased = erasure.erased_among(conn, (c.row_id for c in register["customers"]))
            if erased:
                erasure.scrub_customers(conn, erased, self.pushed_seq())
                self._scrubbed = "profile"
        top = newest(c.stamp for c in incoming)
        if top:
            clock = self.store.clock
            last = clock.observe(Timestamp.decode(top))
            self._save_clock(conn, last.node, last.wall_ms, last.counter)

    def _place_parents(
        self,
        conn: Connection,
        ledger: Mapping[str, list[dict[str, Any]]],
        register: Mapping[str, list[Incoming]],
        decided: Mapping[str, Mapping[str, dict[str, Any]]],
        report: ApplyReport,
    ) -> None:
        """The branches and staff this page brings are written; one it points at but does not bring, and this
        store does not know (a branch opened after this till was enrolled, whose record has not come yet), gets a
        placeholder that its record completes when it comes. A row whose parent came later never stops the feed.
        One look-up per parent table and page, whatever the page's size."""
        wanted: dict[str, set[Any]] = {name: set() for name in DECIDED_BY_HEAD_OFFICE}
        for name, rows in ledger.items():
            for column, parent in ENTITIES[name].parents:
                wanted[parent].update([row.get(column) for row in rows])
        for name, changes in register.items():
            for column, parent in ENTITIES[name].parents:
                wanted[parent].update([change.data.get(column) for change in changes])
        wanted["branches"].update([row.get("branch_id") for row in decided.get("staff", {}).values()])
        for name in DECIDED_BY_HEAD_OFFICE:
            if name in decided:
                self._write_decided(conn, name, decided[name])
                report.applied += len(decided[name])
        for name, ids in wanted.items():
            ids.discard(None)
            ids.difference_update(decided.get(name, {}))
            if not ids:
                continue
            listed = list(ids)
            for start in range(0, len(listed), CHUNK):
                part = listed[start : start + CHUNK]
                marks = ", ".join("?" for _ in part)
                ids.difference_update(
                    r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {name} WHERE id IN ({marks})", tuple(part))
                )
            placeholders = [
                {"id": row_id, **DECIDED_FIELDS[name], DECIDED_UNIQUE[name]: _stand_in(name, row_id)}
                for row_id in sorted(ids)
            ]
            if name == "staff":
                for row in placeholders:
                    row["branch_id"] = self.store.branch_id
            self._write_decided(conn, name, {row["id"]: row for row in placeholders}, insert_only=True)

    def _write_decided(
        self, conn: Connection, name: str, rows: Mapping[str, Mapping[str, Any]], *, insert_only: bool = False
    ) -> None:
        """Writes records head office decides (a handful a page). Head office's word wins: a local record that
        holds the same branch code or username under another id gives it up for a stand-in."""
        fields = DECIDED_FIELDS[name]
        unique = DECIDED_UNIQUE[name]
        for row_id, data in rows.items():
            values = {n: data.get(n, default) for n, default in fields.items()}
            if name == "staff":
                values["active"] = 1 if values["active"] and not insert_only else 0
            if not insert_only:
                stand_in = "'~' || substr(id, -7)" if name == "branches" else "'~' || id"  # as _stand_in does
                conn.exec_driver_sql(
                    f"UPDATE {name} SET {unique} = {stand_in} WHERE {unique} = ? AND id != ?", (values[unique], row_id)
                )
            names = ["id", *values]
            marks = ", ".join("?" for _ in names)
            extra = ", failed_attempts" if name == "staff" else ""
            sql = f"INSERT INTO {name} ({', '.join(names)}{extra}) VALUES ({marks}{', 0' if extra else ''})"
            if insert_only:
                sql = sql.replace("INSERT", "INSERT OR IGNORE", 1)
            else:
                sql += " ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in values)
            conn.exec_driver_sql(sql, (row_id, *values.values()))

    def _insert_ledger(
        self, conn: Connection, entity: _Entity, rows: list[dict[str, Any]], report: ApplyReport
    ) -> None:
        # An effect keyed by its cause that this replica also wrote while apart: head office serves only the
        # version it received first (core.kernel.replication.CAUSE_KEYED), and that one replaces this replica's.
        name = entity.table.name
        keyed = [str(row["id"]) for row in rows if (name, row.get("kind")) in CAUSE_KEYED]
        for start in range(0, len(keyed), CHUNK):
            part = keyed[start : start + CHUNK]
            conn.exec_driver_sql(f"DELETE FROM {name} WHERE id IN ({', '.join('?' for _ in part)})", tuple(part))
        # Below SQLAlchemy's per-row processing: the bulk of a backlog is ledger rows.
        for sql, group in entity.stored_rows(rows):
            conn.exec_driver_sql(sql, group)
        report.applied += len(rows)

    @staticmethod
    def _adopt_head_office_analytics(conn: Connection, table: Any, created: dict[str, dict[str, Any]]) -> None:
        """Head office writes the customers' analytics rows in a chain (sync.headoffice.analytics). A row this
        store computed for itself while it was standalone (head office dropped its push) would clash with head
        office's on the unique customer: it becomes head office's row instead, id and all, under head office's
        stamps (rows are never deleted). Taken out of ``created``."""
        by_customer = {row["customer_id"]: row_id for row_id, row in created.items() if row.get("customer_id")}
        customers = list(by_customer)
        for start in range(0, len(customers), CHUNK):
            part = customers[start : start + CHUNK]
            marks = ", ".join("?" for _ in part)
            found = conn.exec_driver_sql(
                f"SELECT customer_id, id FROM customer_analytics WHERE customer_id IN ({marks})", tuple(part)
            ).all()
            for customer_id, local_id in found:
                row_id = by_customer[customer_id]
                if local_id != row_id:
                    conn.execute(table.update().where(table.c.id == local_id).values(created.pop(row_id)))

    def _apply_register(self, conn: Connection, entity: _Entity, changes: list[Incoming], report: ApplyReport) -> None:
        table = entity.table
        ids = list({c.row_id for c in changes})
        existing: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            for found in conn.execute(select(table).where(table.c.id.in_(part))).mappings():
                existing[found["id"]] = dict(found)
        local = self.store.branch_id
        # Rows not in place yet merge as they came over the wire (an orphan is kept so), converted once created.
        orphans = self._orphans(conn, table.name, [i for i in ids if i not in existing])
        parked: set[str] = set()
        created: dict[str, dict[str, Any]] = {}
        dirty: dict[str, dict[str, Any]] = {}
        for change in changes:
            row = existing.get(change.row_id) or created.get(change.row_id)
            if row is None:
                kept, kept_stamps = orphans.get(change.row_id) or ({}, {})
                merge = merge_register(
                    kept,
                    kept_stamps,
                    change.data,
                    change.stamp,
                    incoming_stamps=change.stamps,
                    required=entity.required,
                    local_branch=local,
                )
                if merge.outcome == ORPHAN:
                    orphans[change.row_id] = ({**kept, **merge.fields}, {**kept_stamps, **merge.stamps})
                    parked.add(change.row_id)
                    report.orphans.append(change.row_id)
                    continue
                values = entity.convert({**kept, **merge.fields} if kept else merge.fields)
                values["field_hlc"] = {**kept_stamps, **merge.stamps} if kept_stamps else merge.stamps
                values.setdefault("updated_at", values.get("created_at"))
                created[change.row_id] = values
                parked.discard(change.row_id)
                report.applied += 1
                continue
            values = entity.convert(change.data)
            merge = merge_register(
                row, row.get("field_hlc") or {}, values, change.stamp, incoming_stamps=change.stamps, local_branch=local
            )
            if merge.outcome != MERGED:
                continue
            row.update(merge.fields)
            row["field_hlc"] = {**(row.get("field_hlc") or {}), **merge.stamps}
            updated_at = values.get("updated_at") or row.get("updated_at")
            if updated_at is not None and (row.get("updated_at") is None or updated_at > row["updated_at"]):
                row["updated_at"] = updated_at
            if change.row_id not in created:
                dirty[change.row_id] = row
            report.applied += 1
        self._keep_orphans(conn, table.name, orphans, parked, created)
        if table.name == "customers":
            for merged in (*created.values(), *dirty.values()):
                merged["search_doc"] = customer_search_doc(merged)
        if created and table.name == "customer_analytics":
            self._adopt_head_office_analytics(conn, table, created)
        if created:
            # Straight to the driver, as ledgers are: a week's backlog creates tens of thousands of rows. A plain
            # INSERT, so a clash with a unique column fails the page rather than dropping a row.
            for sql, group in entity.stored_rows(list(created.values()), verb="INSERT"):
                conn.exec_driver_sql(sql, group)
        if dirty:
            names = [c.name for c in table.columns if c.name != "id"]
            statement = (
                table.update().where(table.c.id == bindparam("_id")).values({n: bindparam(f"_{n}") for n in names})
            )
            conn.execute(
                statement,
                [{"_id": rid, **{f"_{n}": row.get(n) for n in names}} for rid, row in dirty.items()],
            )

    def _orphans(self, conn: Connection, entity: str, ids: list[str]) -> _Kept:
        """What is kept of the rows ``ids`` (not in place): almost always nothing, so one probe of the empty
        table comes before any look-up by id."""
        if not ids or conn.exec_driver_sql("SELECT 1 FROM orphan_rows LIMIT 1").first() is None:
            return {}
        found: _Kept = {}
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            marks = ", ".join("?" for _ in part)
            for row_id, data, stamps in conn.exec_driver_sql(
                f"SELECT row_id, data, field_hlc FROM orphan_rows WHERE entity = ? AND row_id IN ({marks})",
                (entity, *part),
            ):
                found[row_id] = (orjson.loads(data), orjson.loads(stamps))
        return found

    def _keep_orphans(
        self,
        conn: Connection,
        entity: str,
        orphans: _Kept,
        parked: set[str],
        created: Mapping[str, Any],
    ) -> None:
        """Saves what this page added to orphan rows and lets go of the ones whose row is now in place."""
        if parked:
            conn.exec_driver_sql(
                "INSERT INTO orphan_rows (entity, row_id, data, field_hlc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(entity, row_id) DO UPDATE SET data = excluded.data, field_hlc = excluded.field_hlc",
                [
                    (entity, row_id, orjson.dumps(orphans[row_id][0]).decode(), _stored_stamps(orphans[row_id][1]))
                    for row_id in parked
                ],
            )
        placed = [(entity, row_id) for row_id in created if row_id in orphans]
        if placed:
            conn.exec_driver_sql("DELETE FROM orphan_rows WHERE entity = ? AND row_id = ?", placed)

    # -- small helpers -----------------------------------------------------------------------------------------
    def _save_allowances(self, conn: Connection, allowances: Iterable[Mapping[str, Any]]) -> None:
        conn.exec_driver_sql("DELETE FROM offline_allowances")
        for a in allowances:
            conn.execute(
                text(
                    "INSERT INTO offline_allowances (kind, per_subject_cap, branch_total, max_offline_hours, "
                    "max_snapshot_age_hours, granted_at) VALUES (:kind, :cap, :total, :hours, :age, :at)"
                ),
                {
                    "kind": a["kind"],
                    "cap": int(a["per_subject_cap"]),
                    "total": int(a["branch_total"]),
                    "hours": float(a["max_offline_hours"]),
                    "age": float(a["max_snapshot_age_hours"]),
                    "at": _naive(_datetime(a["granted_at"])),
                },
            )

    def _save_exceptions(self, conn: Connection, exceptions: Iterable[Mapping[str, Any]]) -> None:
        rows = [
            {
                "id": int(e["id"]),
                "kind": e["kind"],
                "subject_id": e["subject_id"],
                "branch_id": e["branch_id"],
                "event_id": e["event_id"],
                "amount": int(e["amount"]),
                "balance_after": int(e["balance_after"]),
                "detected_at": _naive(_datetime(e["detected_at"])),
                "detail": e.get("detail", ""),
            }
            for e in exceptions
        ]
        if rows:
            conn.execute(
                text(
                    "INSERT OR IGNORE INTO sync_exceptions (id, kind, subject_id, branch_id, event_id, amount, "
                    "balance_after, detected_at, detail) VALUES (:id, :kind, :subject_id, :branch_id, :event_id, "
                    ":amount, :balance_after, :detected_at, :detail)"
                ),
                rows,
            )

    def _save_clock(self, conn: Connection, node: str, wall_ms: int, counter: int) -> None:
        table = HlcState.__table__
        assert isinstance(table, Table)
        conn.execute(
            sqlite_insert(table)
            .values(node=node, wall_ms=wall_ms, counter=counter)
            .on_conflict_do_update(index_elements=["node"], set_={"wall_ms": wall_ms, "counter": counter})
        )

    @staticmethod
    def _read_setting(conn: Connection, key: str) -> str | None:
        value = conn.exec_driver_sql("SELECT value FROM store_settings WHERE key = ?", (key,)).scalar()
        return None if value is None else str(value)

    @staticmethod
    def _write_setting(conn: Connection, key: str, value: str) -> None:
        conn.exec_driver_sql(
            "INSERT INTO store_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _fault(self, point: str) -> None:
        if self.fault_point is not None:
            self.fault_point(point)


def _stand_in(name: str, row_id: str) -> str:
    """A branch code (8 characters at most) or a username no real record has: a placeholder's, or a displaced one's."""
    return f"~{row_id[-7:]}" if name == "branches" else f"~{row_id}"


def _naive(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def incoming_from_change(change: Mapping[str, Any]) -> Incoming:
    """A pulled change (head office's wire form) as the replica applies it."""
    return Incoming(
        entity=change["entity"],
        row_id=change["row_id"],
        op=change["op"],
        data=change["payload"],
        stamp=stamp(hlc_of(change["hlc"]), change["branch_id"]),
    )


def incoming_from_row(row: Mapping[str, Any]) -> Incoming:
    """A snapshot row: head office's merged row with the stamp of every field."""
    stamps = dict(row.get("field_hlc") or {})
    top = newest(stamps.values()) or "000000000000000.00000.headoffice"
    return Incoming(row["entity"], row["row_id"], "snapshot", row["data"], stamp(top, row["branch_id"]), stamps)


def join_chain(store: Store, branch_id: str, headoffice_url: str, branches: Iterable[Mapping[str, Any]]) -> None:
    """Makes ``store`` the replica of ``branch_id`` at ``headoffice_url`` (after enrolment): the chain's
    branches it did not know, its identity and head office's address, in one transaction."""
    from core.kernel.ids import new_id

    current = store.branch_id
    if current and current != branch_id:
        with store.read_engine.connect() as conn:
            written = conn.exec_driver_sql("SELECT 1 FROM change_log LIMIT 1").first()
        if written is not None:
            raise ValueError(f"this store already belongs to branch {current}, not {branch_id}")
    settings = {"branch_id": branch_id, "headoffice_url": headoffice_url}
    if not store.terminal_id:
        settings["terminal_id"] = new_id()
    with store.write_engine.begin() as conn:
        for b in branches:
            conn.execute(
                text(
                    "INSERT OR IGNORE INTO branches (id, code, name_en, name_ar, emirate, location) "
                    "VALUES (:id, :code, :name_en, :name_ar, :emirate, :location)"
                ),
                {k: b.get(k, "") for k in ("id", "code", "name_en", "name_ar", "emirate", "location")},
            )
        for key, value in settings.items():
            SqlReplica._write_setting(conn, key, value)
    store.settings.update(settings)
    if "terminal_id" in settings:
        store.clock.node = settings["terminal_id"]
