"""Head office's store: enrolment, branch and staff records, pull, snapshot, online authorisation, allowances,
exceptions. A pushed batch is applied to it by sync.headoffice.apply, which builds on this module and is never
imported by it.

Every writing transaction starts by locking the ``change_seq`` counter row (``SELECT … FOR UPDATE``; on
SQLite ``BEGIN IMMEDIATE`` does the same). Writers are therefore serialised, change_seq values are assigned
consecutively and committed in that order, and a reader that sees change_seq N has also seen every change
below N — on PostgreSQL too, where a plain sequence would let a later number commit before an earlier one
and a "since N" reader skip it. A table lock would serialise as much but also block readers; an advisory lock
would work on PostgreSQL only. One writer at a time is ample here: a batch of a few hundred changes applies
in milliseconds and a chain has tens of branches.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url

from core.kernel.hlc import HybridLogicalClock
from core.kernel.ids import new_id
from core.kernel.replication import CAMPAIGN_NODE, HEAD_OFFICE, MONEY_LEDGERS, stamp
from sync.headoffice import contacts, crypto, survey_tokens
from sync.headoffice import models as m
from sync.protocol import (
    Allowance,
    AuthorizeRequest,
    AuthorizeResult,
    BranchRecord,
    EnrollmentCode,
    EnrollRequest,
    EnrollResult,
    ExceptionRecord,
    PullPage,
    ReleaseRequest,
    ReleaseResult,
    StaffAccount,
)

KINDS: tuple[Literal["gift_card", "points"], ...] = ("gift_card", "points")
# Head office's campaign node as the branches see it (a branch record every till pulls, like any other).
NODE_RECORD = BranchRecord(id=CAMPAIGN_NODE, code="HO", name_en="Head office", name_ar="المكتب الرئيسي")


class HeadOfficeError(Exception):
    status = 400


class Unauthorized(HeadOfficeError):
    status = 401


class Forbidden(HeadOfficeError):
    status = 403


class IdempotencyConflict(HeadOfficeError):
    """The same Idempotency-Key with another body, or a branch_seq reused for another event."""

    status = 409


class BadBatch(HeadOfficeError):
    status = 422


class Unprocessable(HeadOfficeError):
    """A record head office cannot take as it is (a staff member of a branch it does not know)."""

    status = 422


class Taken(HeadOfficeError):
    """A branch code or a username another record already has."""

    status = 409


@dataclass(frozen=True)
class AllowanceDefaults:
    per_subject_cap: int = 0  # zero: offline decreases refused, as Square, Lightspeed and Dynamics 365 do
    branch_total: int = 0
    max_offline_hours: float = 12.0
    max_snapshot_age_hours: float = 24.0


@dataclass
class HeadOfficeConfig:
    max_clock_skew_s: float = 300.0  # a stamp further ahead of head office's clock than this is corrected
    retain_changes: int | None = None  # keep only this many newest changes; older cursors resync in full
    hold_ttl_s: float = 24 * 3600.0  # how long an online authorisation holds its amount for the branch's event
    default_allowances: dict[str, AllowanceDefaults] = field(
        default_factory=lambda: {k: AllowanceDefaults() for k in KINDS}
    )
    # Head office decides tiers: points that count for the tier → tier name (None: leave tiers alone).
    tier_rule: Callable[[int], str | None] | None = None
    admin_token: str = ""
    # Erasure and retention (sync.headoffice.erasure): how long invoices and money ledgers are kept after an
    # erasure (the UAE's VAT record period), and how long a customer may be inactive before their marketing data
    # is purged.
    vat_retention_years: int = 5
    inactive_months: int = 24


def default_tier_rule() -> Callable[[int], str | None]:
    """The loyalty program's tier rule (core.loyalty.rules): head office decides tiers from the merged ledger."""
    from core.loyalty.rules import ProgramRules, tier_for

    rules = ProgramRules()
    return lambda points: tier_for(points, rules).value


# The ledgers whose rows carry the id of the hold their decrease was authorised under.
_HELD_LEDGERS = tuple(MONEY_LEDGERS)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engines(url: str) -> tuple[Engine, Engine]:
    """(writer, reader). SQLite gets two engines: writers BEGIN IMMEDIATE, readers a plain BEGIN."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_size=8, max_overflow=8, pool_pre_ping=True)
        return engine, engine
    engines = []
    for begin in ("BEGIN IMMEDIATE", "BEGIN"):
        engine = create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=4, max_overflow=8
        )
        event.listen(engine, "connect", _sqlite_pragmas)

        def _begin(conn: Any, _sql: str = begin) -> None:
            conn.exec_driver_sql(_sql)

        event.listen(engine, "begin", _begin)
        engines.append(engine)
    return engines[0], engines[1]


class HeadOfficeStore:
    def __init__(
        self,
        url: str,
        config: HeadOfficeConfig | None = None,
        *,
        wall_ms: Callable[[], int] | None = None,
        on_change: Callable[[int], None] | None = None,
        keys: crypto.KeySet | None = None,
    ) -> None:
        """``keys``: the data keys, where not found as sync.headoffice.crypto looks for them."""
        self.url = url
        self.config = config or HeadOfficeConfig()
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self.clock = HybridLogicalClock(HEAD_OFFICE, wall_ms=self._wall_ms)
        # Fault tests pass a hook called with the number of changes written so far inside a batch.
        self.on_change = on_change
        self.writer, self.reader = make_engines(url)
        self._secrets: dict[str, str] = {}
        self._secrets_lock = threading.Lock()
        m.metadata.create_all(self.writer)
        for index in m.changes.indexes:  # create_all adds no index to a table a head office already has
            index.create(self.writer, checkfirst=True)
        with self.writer.begin() as conn:
            # The epoch starts random: a new head office is never taken for the one a branch synced with before.
            first = {"change_seq": 0, "kept_from": 1, "headoffice_seq": 0, "epoch": secrets.randbits(62)}
            for name, value in first.items():
                present = conn.execute(select(m.counters.c.value).where(m.counters.c.name == name)).first()
                if present is None:
                    conn.execute(insert(m.counters).values(name=name, value=value))
        with self.writing() as (conn, _head):
            contacts.backfill(conn)
            survey_tokens.backfill(conn)
        self.crypto = crypto.start(self, keys)  # refuses to start without the keys of data sealed before
        self._serve_described_branches()

    def close(self) -> None:
        self.writer.dispose()
        self.reader.dispose()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._wall_ms() / 1000, UTC)

    # -- transactions ------------------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[tuple[Connection, int]]:
        """A writing transaction holding the change_seq counter; yields (connection, current head)."""
        with self.writer.begin() as conn:
            head = conn.execute(
                select(m.counters.c.value).where(m.counters.c.name == "change_seq").with_for_update()
            ).scalar_one()
            yield conn, int(head)

    @staticmethod
    def set_head(conn: Connection, head: int) -> None:
        conn.execute(update(m.counters).where(m.counters.c.name == "change_seq").values(value=head))

    @staticmethod
    def counter(conn: Connection, name: str) -> int:
        return int(conn.execute(select(m.counters.c.value).where(m.counters.c.name == name)).scalar_one())

    # -- enrolment and credentials -----------------------------------------------------------------------------
    def issue_code(
        self, branch_id: str | None = None, branch: BranchRecord | None = None, code: str | None = None
    ) -> EnrollmentCode:
        """A one-time enrolment code; with ``branch`` (or ``branch_id``) the code enrols that branch."""
        code = code or "-".join(secrets.token_hex(2).upper() for _ in range(3))
        branch_id = branch.id if branch else branch_id
        stored = crypto.hash_code(code)  # head office keeps a code's hash only
        with self.writing() as (conn, head):
            if conn.execute(select(m.enrollment_codes.c.code).where(m.enrollment_codes.c.code == stored)).first():
                raise IdempotencyConflict("this enrolment code exists already")
            if (
                branch is not None
                and conn.execute(select(m.branches.c.id).where(m.branches.c.id == branch.id)).first() is None
            ):
                self.set_head(conn, self._record_branch(conn, head, branch))
            conn.execute(
                insert(m.enrollment_codes).values(code=stored, branch_id=branch_id, created_at=iso(self.now()))
            )
        return EnrollmentCode(code=code, branch_id=branch_id)

    def issue_node_code(self) -> EnrollmentCode:
        """A one-time code that enrols head office's campaign node (core.kernel.replication.CAMPAIGN_NODE): the
        branch store that executes the chain's campaigns. Its branch record is made the first time."""
        with self.reader.connect() as conn:
            known = conn.execute(select(m.branches.c.id).where(m.branches.c.id == CAMPAIGN_NODE)).first()
        return self.issue_code(CAMPAIGN_NODE, None if known else NODE_RECORD)

    # -- branches and staff: decided here, pulled by every till ------------------------------------------------
    def put_branch(self, branch: BranchRecord) -> BranchRecord:
        """Creates or changes a branch record; every till learns it by pull, whenever it was enrolled."""
        with self.writing() as (conn, head):
            self.set_head(conn, self._record_branch(conn, head, branch))
        return branch

    def put_staff(self, account: StaffAccount) -> StaffAccount:
        """Creates or changes a staff account (its PIN only as a hash); every till learns it by pull."""
        with self.writing() as (conn, head):
            branch = conn.execute(select(m.branches.c.id).where(m.branches.c.id == account.branch_id)).first()
            if branch is None:
                raise Unprocessable(f"unknown branch {account.branch_id!r}")
            r = m.rows.c
            others = conn.execute(select(r.data).where(r.entity == "staff", r.row_id != account.id)).scalars()
            for data in others:
                if orjson.loads(data).get("username") == account.username:
                    raise Taken(f"the username {account.username!r} belongs to another staff member")
            self.set_head(conn, self._decide(conn, head, "staff", account.id, account.model_dump()))
        return account

    def _serve_described_branches(self) -> None:
        """Branch records this head office kept from before it served them by pull become its changes, once."""
        b, r = m.branches.c, m.rows.c
        with self.reader.connect() as conn:
            served = set(conn.execute(select(r.row_id).where(r.entity == "branches")).scalars())
            described = [row for row in conn.execute(select(m.branches).where(b.code != "")) if row.id not in served]
        if not described:
            return
        with self.writing() as (conn, head):
            for row in described:
                record = BranchRecord(
                    id=row.id,
                    code=row.code,
                    name_en=row.name_en,
                    name_ar=row.name_ar,
                    emirate=row.emirate,
                    location=row.location,
                )
                head = self._decide(conn, head, "branches", row.id, record.model_dump())
            self.set_head(conn, head)

    def _record_branch(self, conn: Connection, head: int, branch: BranchRecord) -> int:
        b = m.branches.c
        if conn.execute(select(b.id).where(b.code == branch.code, b.id != branch.id)).first() is not None:
            raise Taken(f"the branch code {branch.code!r} belongs to another branch")
        fields = branch.model_dump()
        if conn.execute(select(b.id).where(b.id == branch.id)).first() is None:
            conn.execute(insert(m.branches).values(**fields, acked_seq=0))
        else:
            conn.execute(update(m.branches).where(b.id == branch.id).values(**fields))
        return self._decide(conn, head, "branches", branch.id, fields)

    def _decide(self, conn: Connection, head: int, entity: str, row_id: str, fields: dict[str, Any]) -> int:
        """Head office's own change of a record it decides, served by pull and snapshot; returns the new head."""
        seq = self.counter(conn, "headoffice_seq") + 1
        conn.execute(update(m.counters).where(m.counters.c.name == "headoffice_seq").values(value=seq))
        hlc = self.clock.now().encode()
        now = iso(self.now())
        head += 1
        r = m.rows.c
        found = conn.execute(select(r.data, r.field_hlc).where(r.entity == entity, r.row_id == row_id)).first()
        if entity in crypto.SENSITIVE:  # sealed wherever head office keeps them
            plain = fields
            fields = self.crypto.seal(crypto.FieldCipher.current(conn), entity, row_id, fields, plain=True)
            if entity == contacts.ENTITY:
                merged = {**(orjson.loads(found.data) if found else {}), **plain}
                crypto.refresh_index(conn, self.crypto, {row_id: self.crypto.open(entity, row_id, merged)})
        conn.execute(
            insert(m.changes).values(
                change_seq=head,
                event_id=new_id(),
                origin=HEAD_OFFICE,
                branch_seq=seq,
                entity=entity,
                row_id=row_id,
                op="insert" if found is None else "update",
                payload=orjson.dumps(fields).decode(),
                hlc=hlc,
                orig_hlc=None,
                staff_id=None,
                created_at=now,
                received_at=now,
            )
        )
        stamps = {name: stamp(hlc, HEAD_OFFICE) for name in fields if name != "id"}
        if entity == contacts.ENTITY:
            contacts.refresh(conn, {row_id: {**(orjson.loads(found.data) if found else {}), **fields}})
        if found is None:
            conn.execute(
                insert(m.rows).values(
                    entity=entity,
                    row_id=row_id,
                    branch_id=HEAD_OFFICE,
                    data=orjson.dumps(fields).decode(),
                    field_hlc=orjson.dumps(stamps).decode(),
                    change_seq=head,
                )
            )
        else:
            conn.execute(
                update(m.rows)
                .where(r.entity == entity, r.row_id == row_id)
                .values(
                    data=orjson.dumps({**orjson.loads(found.data), **fields}).decode(),
                    field_hlc=orjson.dumps({**orjson.loads(found.field_hlc), **stamps}).decode(),
                    change_seq=head,
                )
            )
        return head

    def decide(self, conn: Connection, head: int, entity: str, row_id: str, fields: dict[str, Any]) -> int:
        """Head office's own change of a register row (a message's status), inside ``writing``; returns the new
        head. Branches pull it like any change."""
        return self._decide(conn, head, entity, row_id, fields)

    def decide_many(self, conn: Connection, head: int, entity: str, rows: list[tuple[str, dict[str, Any]]]) -> int:
        """``decide`` for many rows of a register head office alone writes (its derived rows: customer_analytics),
        inside ``writing``: the same changes and merged rows, written a statement per table rather than per row.
        Not for sealed or indexed entities (customers, contacts), which ``decide`` looks after. Returns the new
        head."""
        if entity in crypto.SENSITIVE or entity == contacts.ENTITY:
            raise ValueError(f"{entity} is written one row at a time (decide)")
        if not rows:
            return head
        seq = self.counter(conn, "headoffice_seq")
        conn.execute(update(m.counters).where(m.counters.c.name == "headoffice_seq").values(value=seq + len(rows)))
        r = m.rows.c
        ids = [row_id for row_id, _fields in rows]
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            found.update(
                (x[0], (x[1], x[2]))
                for x in conn.execute(
                    select(r.row_id, r.data, r.field_hlc).where(r.entity == entity, r.row_id.in_(part))
                )
            )
        now = iso(self.now())
        changes: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for n, (row_id, fields) in enumerate(rows, start=1):
            hlc = self.clock.now().encode()
            held = found.get(row_id)
            payload = orjson.dumps(fields).decode()
            changes.append(
                {
                    "change_seq": head + n,
                    "event_id": new_id(),
                    "origin": HEAD_OFFICE,
                    "branch_seq": seq + n,
                    "entity": entity,
                    "row_id": row_id,
                    "op": "insert" if held is None else "update",
                    "payload": payload,
                    "hlc": hlc,
                    "orig_hlc": None,
                    "staff_id": None,
                    "created_at": now,
                    "received_at": now,
                }
            )
            stamps = {name: stamp(hlc, HEAD_OFFICE) for name in fields if name != "id"}
            if held is None:
                inserts.append(
                    {
                        "entity": entity,
                        "row_id": row_id,
                        "branch_id": HEAD_OFFICE,
                        "data": payload,
                        "field_hlc": orjson.dumps(stamps).decode(),
                        "change_seq": head + n,
                    }
                )
            else:
                updates.append(
                    {
                        "key_entity": entity,
                        "key_row_id": row_id,
                        "data": orjson.dumps({**orjson.loads(held[0]), **fields}).decode(),
                        "field_hlc": orjson.dumps({**orjson.loads(held[1]), **stamps}).decode(),
                        "change_seq": head + n,
                    }
                )
        # executemany at the driver, below SQLAlchemy's per-row processing (as sync.headoffice.apply does).
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        for table, records in ((m.changes, changes), (m.rows, inserts)):
            if records:
                names = [c.name for c in table.columns]
                conn.exec_driver_sql(
                    f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(mark for _ in names)})",
                    [tuple(record[n] for n in names) for record in records],
                )
        if updates:
            conn.exec_driver_sql(
                f"UPDATE {m.rows.name} SET data = {mark}, field_hlc = {mark}, change_seq = {mark} "
                f"WHERE entity = {mark} AND row_id = {mark}",
                [(u["data"], u["field_hlc"], u["change_seq"], u["key_entity"], u["key_row_id"]) for u in updates],
            )
        return head + len(rows)

    def post(self, conn: Connection, head: int, entity: str, rows: list[tuple[str, dict[str, Any]]]) -> int:
        """Head office's own ledger rows (lines of a message's history), inside ``writing``: one insert change
        each, which pull and snapshot serve as they serve a branch's; returns the new head."""
        if not rows:
            return head
        seq = self.counter(conn, "headoffice_seq")
        conn.execute(update(m.counters).where(m.counters.c.name == "headoffice_seq").values(value=seq + len(rows)))
        now = iso(self.now())
        if entity in crypto.SENSITIVE:
            key_id = crypto.FieldCipher.current(conn)
            rows = [(i, self.crypto.seal(key_id, entity, i, p, plain=True)) for i, p in rows]
        conn.execute(
            insert(m.changes),
            [
                {
                    "change_seq": head + n,
                    "event_id": new_id(),
                    "origin": HEAD_OFFICE,
                    "branch_seq": seq + n,
                    "entity": entity,
                    "row_id": row_id,
                    "op": "insert",
                    "payload": orjson.dumps(payload).decode(),
                    "hlc": self.clock.now().encode(),
                    "orig_hlc": None,
                    "staff_id": None,
                    "created_at": now,
                    "received_at": now,
                }
                for n, (row_id, payload) in enumerate(rows, start=1)
            ],
        )
        return head + len(rows)

    def enroll(self, request: EnrollRequest) -> EnrollResult:
        """Issues the branch id (or adopts the standalone store's own) and its secret; a code works once."""
        secret = secrets.token_urlsafe(32)
        code = crypto.hash_code(request.code)
        with self.writing() as (conn, _head):
            row = conn.execute(select(m.enrollment_codes).where(m.enrollment_codes.c.code == code)).first()
            if row is None or row.used_at is not None:
                raise Unauthorized("unknown or used enrolment code")
            branch_id = row.branch_id or request.branch_id or new_id()
            if branch_id == CAMPAIGN_NODE and row.branch_id != CAMPAIGN_NODE:
                raise Forbidden("this id is reserved for head office's campaign node")
            existing = conn.execute(select(m.branches).where(m.branches.c.id == branch_id)).first()
            if existing is not None and existing.secret is not None:
                raise Forbidden("this branch is already enrolled")
            now = iso(self.now())
            if existing is None:
                conn.execute(insert(m.branches).values(id=branch_id, code="", acked_seq=0))
            sealed = self.crypto.seal_secret(crypto.FieldCipher.current(conn), branch_id, secret)
            conn.execute(update(m.branches).where(m.branches.c.id == branch_id).values(secret=sealed, enrolled_at=now))
            conn.execute(
                update(m.enrollment_codes)
                .where(m.enrollment_codes.c.code == code)
                .values(used_at=now, used_by=branch_id)
            )
            records = self._branch_records(conn)
        with self._secrets_lock:
            self._secrets[branch_id] = secret
        return EnrollResult(branch_id=branch_id, secret=secret, branches=records)

    def secret_of(self, branch_id: str) -> str | None:
        with self._secrets_lock:
            if branch_id in self._secrets:
                return self._secrets[branch_id]
        with self.reader.connect() as conn:
            stored = conn.execute(select(m.branches.c.secret).where(m.branches.c.id == branch_id)).scalar()
        secret = self.crypto.open_secret(branch_id, stored) if stored else None
        if secret:
            with self._secrets_lock:
                self._secrets[branch_id] = secret
        return secret

    @staticmethod
    def _branch_records(conn: Connection) -> list[BranchRecord]:
        rows = conn.execute(select(m.branches).where(m.branches.c.code != "").order_by(m.branches.c.code)).all()
        return [
            BranchRecord(
                id=r.id, code=r.code, name_en=r.name_en, name_ar=r.name_ar, emirate=r.emirate, location=r.location
            )
            for r in rows
        ]

    # -- pull --------------------------------------------------------------------------------------------------
    def new_epoch(self) -> int:
        """Marks that head office has forgotten changes it once served or acknowledged; returns the new epoch."""
        epoch = secrets.randbits(62)
        with self.writing() as (conn, _head):
            conn.execute(update(m.counters).where(m.counters.c.name == "epoch").values(value=epoch))
        return epoch

    def pull_json(
        self,
        branch_id: str,
        since: int,
        limit: int,
        exceptions_after: int = 0,
        *,
        pushed: int | None = None,
        at: str | None = None,
        epoch: int | None = None,
    ) -> bytes:
        """Changes after ``since`` made elsewhere, in change_seq order, and the cursor to save with them — as
        the JSON of a PullPage. Stored payloads go out as the very text that came in: a page holds thousands.

        A branch that holds more acknowledged than head office has (``pushed``), a cursor past the head, or
        another event at the cursor than the branch saw there (``at``) means head office was restored from an
        older backup: it takes a new epoch, and every branch that sees it resyncs (DESIGN.md fault 17). A branch
        that names another ``epoch`` than the current one resyncs anyway: its evidence takes no new one, so a
        restore costs each branch one resync, not one per branch that lost changes."""
        c = m.changes.c
        with self.reader.connect() as conn, conn.begin():
            head = self.counter(conn, "change_seq")
            kept_from = self.counter(conn, "kept_from")
            acked = conn.execute(select(m.branches.c.acked_seq).where(m.branches.c.id == branch_id)).scalar()
            seen = conn.execute(select(c.event_id).where(c.change_seq == since)).scalar() if at else None
            current = self.counter(conn, "epoch")
            forgot = (epoch is None or epoch == current) and (
                since > head or (pushed or 0) > (acked or 0) or (seen is not None and seen != at)
            )
            exceptions = self._exceptions(conn, branch_id, exceptions_after, 500)
            meta: dict[str, Any] = {
                "head": head,
                "kept_from": kept_from,
                "allowances": self._allowances(conn, branch_id),
                "server_time": self.now(),
                "exceptions": exceptions,
                "exceptions_next": exceptions[-1].id if exceptions else exceptions_after,
                "acked_seq": int(acked or 0),
                "epoch": self.new_epoch() if forgot else current,
            }
            if since + 1 < kept_from:
                return (
                    PullPage(changes=[], next=since, more=True, resync_required=True, **meta).model_dump_json().encode()
                )
            found = conn.execute(
                select(
                    c.change_seq,
                    c.branch_seq,
                    c.event_id,
                    c.origin,
                    c.entity,
                    c.row_id,
                    c.op,
                    c.payload,
                    c.hlc,
                    c.created_at,
                )
                .where(c.change_seq > since, c.change_seq <= head, c.origin != branch_id, ~_inserted_before())
                .order_by(c.change_seq)
                .limit(limit)
            ).all()
            nxt = found[-1][0] if len(found) == limit else max(head, since)
            if len(found) == limit:
                meta["next_event"] = found[-1][2]
            else:
                meta["next_event"] = conn.execute(select(c.event_id).where(c.change_seq == nxt)).scalar()
        page = PullPage(changes=[], next=nxt, more=nxt < head, **meta).model_dump(mode="json")
        page["changes"] = [
            {
                "change_seq": r[0],
                "branch_seq": r[1],
                "event_id": r[2],
                "branch_id": r[3],
                "entity": r[4],
                "row_id": r[5],
                "op": r[6],
                "payload": self.crypto.open_json(r[4], r[5], r[7]),  # opened for the branch
                "hlc": r[8],
                "created_at": r[9],
            }
            for r in found
        ]
        return orjson.dumps(page)

    def snapshot_json(self, entity: str, after: str | None, limit: int) -> bytes:
        """Head office's rows of one entity as the JSON of a SnapshotPage: the merged register rows by row id,
        then the ledger rows (their insert changes) by change_seq. ``after`` says where the last page ended
        (``row:<id>`` or ``seq:<n>``); ``as_of`` is where pulling resumes once the whole snapshot is applied."""
        phase, _, position = (after or "row:").partition(":")
        if phase not in ("row", "seq"):  # a cursor from before ledger rows were paged apart: a row id
            phase, position = "row", after or ""
        with self.reader.connect() as conn, conn.begin():
            as_of = self.counter(conn, "change_seq")
            if phase == "row":
                r = m.rows.c
                query = select(r.row_id, r.branch_id, r.data, r.field_hlc).where(r.entity == entity)
                if position:
                    query = query.where(r.row_id > position)
                found = conn.execute(query.order_by(r.row_id).limit(limit)).all()
                rows = [
                    {
                        "entity": entity,
                        "row_id": x[0],
                        "branch_id": x[1],
                        "data": self.crypto.open_json(entity, x[0], x[2]),
                        "field_hlc": orjson.Fragment(x[3]),
                    }
                    for x in found
                ]
                nxt: str | None = f"row:{found[-1][0]}" if len(found) == limit else "seq:0"
            else:
                found = conn.execute(
                    _ledger_rows(entity).where(m.changes.c.change_seq > int(position)).limit(limit)
                ).all()
                rows = [
                    {
                        "entity": entity,
                        "row_id": x[1],
                        "branch_id": x[2],
                        "data": self.crypto.open_json(entity, x[1], x[3]),
                    }
                    for x in found
                ]
                nxt = f"seq:{found[-1][0]}" if len(found) == limit else None
        return orjson.dumps({"as_of": as_of, "rows": rows, "after": nxt})

    # -- online authorisation ------------------------------------------------------------------------------------
    def authorize(self, branch_id: str, request: AuthorizeRequest) -> AuthorizeResult:
        """Confirms a decrease against the chain's ledger and holds it until the branch's event arrives."""
        now = self.now()
        h, b = m.holds.c, m.balances.c
        with self.writing() as (conn, _head):
            conn.execute(delete(m.holds).where(h.expires_at < iso(now)))
            balance = conn.execute(
                select(b.balance).where(b.kind == request.kind, b.subject_id == request.subject_id)
            ).scalar()
            held = conn.execute(
                select(func.coalesce(func.sum(h.amount), 0)).where(
                    h.kind == request.kind, h.subject_id == request.subject_id, h.hold_id != request.hold_id
                )
            ).scalar_one()
            if balance is None:
                return AuthorizeResult(approved=False, balance=0, known=False)
            available = int(balance) - int(held)
            mine = conn.execute(select(h.amount).where(h.hold_id == request.hold_id)).scalar()
            if mine is not None:
                # A repeat of this authorisation: held already, or released (a row holding nothing, kept so that
                # a copy of the request delivered late cannot take the amount again).
                return AuthorizeResult(approved=int(mine) > 0, balance=available)
            c = m.changes.c
            settled = conn.execute(
                select(c.row_id).where(c.entity.in_(_HELD_LEDGERS), c.row_id == request.hold_id).limit(1)
            ).first()
            if settled is not None:  # a late copy of a request whose event has arrived: nothing left to hold
                return AuthorizeResult(approved=True, balance=available)
            if request.amount > available:
                return AuthorizeResult(approved=False, balance=available)
            conn.execute(
                insert(m.holds).values(
                    hold_id=request.hold_id,
                    kind=request.kind,
                    subject_id=request.subject_id,
                    branch_id=branch_id,
                    amount=request.amount,
                    expires_at=iso(now + timedelta(seconds=self.config.hold_ttl_s)),
                )
            )
        return AuthorizeResult(approved=True, balance=available)

    def release(self, branch_id: str, request: ReleaseRequest) -> ReleaseResult:
        """Lets go of holds whose use case rolled back at the branch (a sale that paid part by card and was then
        refused its points): without this the amount stays held until the hold expires, and every branch is
        refused that card's balance meanwhile. A branch releases only its own holds."""
        h = m.holds.c
        until = iso(self.now() + timedelta(seconds=self.config.hold_ttl_s))
        with self.writing() as (conn, _head):
            others = set(
                conn.execute(
                    select(h.hold_id).where(h.branch_id != branch_id, h.hold_id.in_(request.hold_ids))
                ).scalars()
            )
            gone = conn.execute(
                update(m.holds)
                .where(h.branch_id == branch_id, h.hold_id.in_(request.hold_ids), h.amount > 0)
                .values(amount=0, expires_at=until)
            ).rowcount
            held = set(conn.execute(select(h.hold_id).where(h.hold_id.in_(request.hold_ids))).scalars())
            # A release can overtake its authorisation (delayed or replayed on the way): the id is kept holding
            # nothing until the hold time is over, so the late authorisation finds it released.
            unseen = sorted(set(request.hold_ids) - held - others)
            if unseen:
                conn.execute(
                    insert(m.holds),
                    [
                        {"hold_id": i, "kind": "released", "subject_id": "", "branch_id": branch_id, "amount": 0}
                        | {"expires_at": until}
                        for i in unseen
                    ],
                )
        return ReleaseResult(released=int(gone or 0))

    # -- allowances and exceptions -----------------------------------------------------------------------------
    def _allowances(self, conn: Connection, branch_id: str) -> list[Allowance]:
        a = m.allowances.c
        granted = {r.kind: r for r in conn.execute(select(m.allowances).where(a.branch_id == branch_id))}
        out = []
        for kind in KINDS:
            if kind in granted:
                r = granted[kind]
                out.append(
                    Allowance(
                        kind=kind,
                        per_subject_cap=r.per_subject_cap,
                        branch_total=r.branch_total,
                        max_offline_hours=r.max_offline_hours,
                        max_snapshot_age_hours=r.max_snapshot_age_hours,
                        granted_at=datetime.fromisoformat(r.granted_at),
                    )
                )
            else:
                d = self.config.default_allowances.get(kind, AllowanceDefaults())
                out.append(
                    Allowance(
                        kind=kind,
                        per_subject_cap=d.per_subject_cap,
                        branch_total=d.branch_total,
                        max_offline_hours=d.max_offline_hours,
                        max_snapshot_age_hours=d.max_snapshot_age_hours,
                        granted_at=datetime(2000, 1, 1, tzinfo=UTC),
                    )
                )
        return out

    def set_allowances(self, branch_id: str, granted: list[Allowance]) -> list[Allowance]:
        a = m.allowances.c
        with self.writing() as (conn, _head):
            for item in granted:
                conn.execute(delete(m.allowances).where(a.branch_id == branch_id, a.kind == item.kind))
                conn.execute(
                    insert(m.allowances).values(
                        branch_id=branch_id,
                        kind=item.kind,
                        per_subject_cap=item.per_subject_cap,
                        branch_total=item.branch_total,
                        max_offline_hours=item.max_offline_hours,
                        max_snapshot_age_hours=item.max_snapshot_age_hours,
                        granted_at=iso(item.granted_at),
                    )
                )
            return self._allowances(conn, branch_id)

    @staticmethod
    def _exceptions(conn: Connection, branch_id: str | None, after: int, limit: int) -> list[ExceptionRecord]:
        e = m.exceptions.c
        query = select(m.exceptions).where(e.id > after)
        if branch_id is not None:
            query = query.where(e.branch_id == branch_id)
        return [
            ExceptionRecord(
                id=r.id,
                kind=r.kind,
                subject_id=r.subject_id,
                branch_id=r.branch_id,
                event_id=r.event_id,
                amount=r.amount,
                balance_after=r.balance_after,
                detected_at=datetime.fromisoformat(r.detected_at),
                detail=r.detail,
            )
            for r in conn.execute(query.order_by(e.id).limit(limit))
        ]

    def exceptions(self, branch_id: str | None = None, after: int = 0, limit: int = 1000) -> list[ExceptionRecord]:
        with self.reader.connect() as conn:
            return self._exceptions(conn, branch_id, after, limit)

    # -- keeping the log short -----------------------------------------------------------------------------------
    def prune(self, keep: int) -> int:
        """Forgets all but the ``keep`` newest changes; a branch whose cursor is older then resyncs in full."""
        with self.writing() as (conn, head):
            cut = head - keep
            if cut < self.counter(conn, "kept_from"):
                return 0
            # Register changes only: their rows live on, merged, in ho_rows; a ledger row is its insert change.
            gone = conn.execute(delete(m.changes).where(m.changes.c.change_seq <= cut, _of_merged_row())).rowcount
            conn.execute(update(m.counters).where(m.counters.c.name == "kept_from").values(value=cut + 1))
        return int(gone or 0)

    # -- reading for reports and tests -------------------------------------------------------------------------
    def balances(self, kind: str) -> dict[str, int]:
        b = m.balances.c
        with self.reader.connect() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(select(b.subject_id, b.balance).where(b.kind == kind))}

    def merged_rows(self, entity: str) -> dict[str, dict[str, Any]]:
        """Every row of ``entity`` head office holds: merged register rows, or ledger rows."""
        r = m.rows.c
        with self.reader.connect() as conn:
            found = {
                x[0]: self.crypto.open(entity, x[0], orjson.loads(x[1]))
                for x in conn.execute(select(r.row_id, r.data).where(r.entity == entity))
            }
            found.update(
                {x[1]: self.crypto.open(entity, x[1], orjson.loads(x[3])) for x in conn.execute(_ledger_rows(entity))}
            )
        return found

    def head(self) -> int:
        with self.reader.connect() as conn:
            return self.counter(conn, "change_seq")

    def acked_seq(self, branch_id: str) -> int:
        with self.reader.connect() as conn:
            value = conn.execute(select(m.branches.c.acked_seq).where(m.branches.c.id == branch_id)).scalar()
        return int(value or 0)


def _of_merged_row() -> Any:
    """The condition on ``ho_changes`` that its row is a merged register row (in ``ho_rows``)."""
    c, r = m.changes.c, m.rows.c
    return select(r.row_id).where(r.entity == c.entity, r.row_id == c.row_id).exists()


def _ledger_rows(entity: str) -> Any:
    """(change_seq, row_id, origin, payload) of ``entity``'s ledger rows: its insert changes whose row is not a
    merged register row, in change_seq order."""
    c = m.changes.c
    return (
        select(c.change_seq, c.row_id, c.origin, c.payload)
        .where(c.entity == entity, c.op == "insert", ~_of_merged_row(), ~_inserted_before())
        .order_by(c.change_seq)
    )


def _inserted_before() -> Any:
    """The condition on ``ho_changes`` that it is a later insert of a money ledger row head office holds already:
    an effect keyed by its cause (core.kernel.replication.CAUSE_KEYED) that another branch wrote first. It stays
    in the log (its branch_seq is that branch's), but the row is the first insert, the one that moved the
    balance, and only that one is served."""
    c = m.changes.c
    e = m.changes.alias("earlier").c
    return (
        select(e.change_seq)
        .where(
            c.op == "insert",
            c.entity.in_(tuple(MONEY_LEDGERS)),
            e.entity == c.entity,
            e.row_id == c.row_id,
            e.op == "insert",
            e.change_seq < c.change_seq,
        )
        .exists()
    )
