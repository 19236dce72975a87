"""Opening the branch store: SQLite settings for money, migrations at start, clear refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.kernel.errors import StoreError
from core.kernel.hlc import HybridLogicalClock, Timestamp
from core.kernel.i18n import QT_TRANSLATE_NOOP
from storage import migrate

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # The driver must not open transactions itself; the "begin" hooks below decide how.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a sale acknowledged to the cashier survives power loss. NORMAL in WAL mode could lose the
    # last transactions before a checkpoint on power loss (never corrupts); for money that is not enough.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(path: Path, *, immediate: bool) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _pragmas)
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: check-then-insert (a balance) cannot race another till.
        # Straight to the driver: nothing in SQLAlchemy needs to see this statement, and it runs on every write.
        conn.connection.driver_connection.execute(begin)

    return engine


def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise StoreError(
            QT_TRANSLATE_NOOP("core", "The database file {path} is damaged or is not a store of this app."),
            path=str(path),
        )


def _translate(exc: Exception, path: Path) -> StoreError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return StoreError(
            QT_TRANSLATE_NOOP("core", "The database {path} is in use by another program. Close it and start again."),
            path=str(path),
        )
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return StoreError(
            QT_TRANSLATE_NOOP("core", "The database file {path} is damaged or is not a store of this app."),
            path=str(path),
        )
    return StoreError(
        QT_TRANSLATE_NOOP("core", "The database {path} cannot be opened: {reason}"), path=str(path), reason=str(exc)
    )


@dataclass
class Store:
    """One branch store file: a writing engine (BEGIN IMMEDIATE), a reading engine, the clock."""

    path: Path
    write_engine: Engine
    read_engine: Engine
    settings: dict[str, str]
    clock: HybridLogicalClock

    def __post_init__(self) -> None:
        self._write = sessionmaker(self.write_engine, expire_on_commit=False, autoflush=True)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False, autoflush=False)

    @property
    def branch_id(self) -> str:
        return self.settings.get("branch_id", "")

    @property
    def terminal_id(self) -> str:
        return self.settings.get("terminal_id", "")

    def write_session(self) -> Session:
        return self._write()

    def read_session(self) -> Session:
        return self._read()

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A DB-API connection for bulk loads and benchmarks; callers own the transaction."""
        conn = self.write_engine.raw_connection()
        try:
            yield conn.driver_connection  # type: ignore[misc]
        finally:
            conn.close()

    def close(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


def open_store(path: Path) -> Store:
    """Opens (creating and migrating if needed) the store at ``path``; raises StoreError in plain words."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_file(path)
    write_engine = make_engine(path, immediate=True)
    read_engine = make_engine(path, immediate=False)
    try:
        # No integrity check here: even quick_check reads every page, and start-up must not grow with the
        # store. A damaged page surfaces as "malformed" on first use and is reported in the same words.
        migrate.upgrade(write_engine)
        with read_engine.connect() as conn:
            settings = {k: v for k, v in conn.execute(text("SELECT key, value FROM store_settings"))}
            terminal = settings.get("terminal_id", "")
            # The clock resumes after the newest stamp it issued (the last change-log row, as stamps grow with
            # branch_seq) or observed from other replicas (hlc_state, kept by sync): restarts stay monotonic.
            last_local = conn.execute(text("SELECT hlc FROM change_log ORDER BY branch_seq DESC LIMIT 1")).scalar()
            row = conn.execute(text("SELECT wall_ms, counter FROM hlc_state WHERE node = :n"), {"n": terminal}).first()
    except StoreError:
        write_engine.dispose()
        read_engine.dispose()
        raise
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        write_engine.dispose()
        read_engine.dispose()
        raise _translate(exc, path) from exc
    stamps = [Timestamp(row[0], row[1], terminal)] if row else []
    if last_local:
        stamps.append(Timestamp.decode(last_local))
    last = max(stamps) if stamps else None
    clock = HybridLogicalClock(terminal or "unset", last=last)
    return Store(path, write_engine, read_engine, settings, clock)


__all__ = ["Store", "open_store"]
