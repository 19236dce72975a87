"""Opening the branch store: SQLite settings for money, migrations at start, clear refusals.

Every store is encrypted at rest with SQLCipher (the whole file, its -wal journal included), under a random
256-bit key of its own kept outside the file (storage.keys). A plain store is made or opened only when asked for
explicitly (``open_store(path, plain=True)`` or ``PERFUME_OUD_PLAIN_STORE=1``), for the benchmarks that compare
both. A plain store made by an earlier version of the app is encrypted in place the first time it is opened.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.kernel.errors import StoreError
from core.kernel.hlc import HybridLogicalClock, Timestamp
from core.kernel.i18n import QT_TRANSLATE_NOOP
from storage import keys, migrate

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
ENCRYPTED_CACHE_KIB = 16384
STATEMENT_CACHE = 512
PAGE_SIZE = 4096  # SQLCipher 4's page size: an encrypted store is a whole number of pages
PLAIN_ENV = "PERFUME_OUD_PLAIN_STORE"
# The errors a store's DB-API connection raises: sqlite3's for a plain store, sqlcipher3's for an encrypted one.
DRIVER_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)

DAMAGED = QT_TRANSLATE_NOOP("core", "The database file {path} is damaged or is not a store of this app.")
WRONG_KEY = QT_TRANSLATE_NOOP(
    "core",
    "The store {path} cannot be decrypted with the key this computer holds for it: the key is wrong or the "
    "file is damaged. Nothing was changed; restore the store from a backup made on this computer.",
)
MISSING_KEY = QT_TRANSLATE_NOOP(
    "core",
    "The store {path} is encrypted and its key is not on this computer (was the file copied from another "
    "till?). Open it on the computer that made it, or bring that computer's key for it back into this "
    "computer's keyring or key folder ({folder}). Nothing was changed.",
)


@dataclass(frozen=True)
class Cipher:
    """The key of one encrypted store and its id (SQLCipher's salt, kept unencrypted at the file's start)."""

    key: bytes
    store_id: str

    def pragma(self) -> str:
        # A raw key with its salt: no key derivation runs when the pool opens a connection.
        return f"PRAGMA key = \"x'{self.key.hex()}{self.store_id}'\""


def plain_requested(plain: bool | None = None) -> bool:
    """Whether a plain store was asked for: the argument when given, else ``PERFUME_OUD_PLAIN_STORE=1``."""
    return plain if plain is not None else os.environ.get(PLAIN_ENV) == "1"


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not open transactions itself; the "begin" hooks below decide how.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: a sale acknowledged to the cashier survives power loss. NORMAL in WAL mode could lose the
    # last transactions before a checkpoint on power loss (never corrupts); for money that is not enough.
    cursor.execute("PRAGMA synchronous=FULL")
    if isinstance(dbapi_connection, sqlcipher.Connection):
        # SQLCipher decrypts and checks every page it reads from the file, where plain SQLite copies it from
        # the OS's cache: a larger page cache (16 MiB instead of 2) keeps the pages searches go back to
        # decrypted (bench_search.py: app p95 on 100,000 customers, see benchmarks/README.md).
        cursor.execute(f"PRAGMA cache_size=-{ENCRYPTED_CACHE_KIB}")
    cursor.close()


def _connect(path: Path, cipher: Cipher | None, **kwargs: Any) -> Any:
    if cipher is None:
        return sqlite3.connect(path, **kwargs)
    connection = sqlcipher.connect(str(path), **kwargs)
    # The key must be the connection's first statement.
    connection.execute(cipher.pragma())
    return connection


def make_engine(path: Path, *, immediate: bool, cipher: Cipher | None = None) -> Engine:
    # sqlcipher3's statement cache (pysqlite's) holds 100 statements by default and, once full, evicts its newest
    # entry: a statement first run after that is compiled again at every use. A till runs more than 100 different
    # ones in a day; at 512 the ones it runs over and over are in before it fills, and the most used stay.
    options = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000, "cached_statements": STATEMENT_CACHE}
    engine = create_engine(
        f"sqlite:///{path}",
        creator=lambda: _connect(path, cipher, **options),
        module=sqlite3 if cipher is None else sqlcipher,  # the driver's exceptions SQLAlchemy translates
        pool_size=4,
        max_overflow=4,
        # The connection used last, first: its page cache is still valid when it wrote last itself, where the
        # pool's default (oldest first) hands out one whose cache another write made stale. An encrypted store
        # decrypts and checks every page it reads again: a sale with its receipt went from 9.8 to 4.3-5.0 ms
        # at the median (bench_dispatch.py --only sale).
        pool_use_lifo=True,
    )
    event.listen(engine, "connect", _pragmas)
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: check-then-insert (a balance) cannot race another till.
        # Straight to the driver: nothing in SQLAlchemy needs to see this statement, and it runs on every write.
        conn.connection.driver_connection.execute(begin)

    return engine


def _damaged(path: Path) -> StoreError:
    return StoreError(DAMAGED, path=str(path))


def _kind(path: Path) -> str:
    """'new' (no file, or an empty one), 'plain' (an SQLite file) or 'encrypted' (whole pages, no header)."""
    if not path.exists() or path.stat().st_size == 0:
        return "new"
    with path.open("rb") as fh:
        header = fh.read(16)
    if header == SQLITE_HEADER:
        return "plain"
    size = path.stat().st_size
    if size % PAGE_SIZE:
        raise _damaged(path)  # neither SQLite's header nor whole encrypted pages: not a store
    return "encrypted"


def _translate(exc: Exception, path: Path) -> StoreError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return StoreError(
            QT_TRANSLATE_NOOP("core", "The database {path} is in use by another program. Close it and start again."),
            path=str(path),
        )
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return _damaged(path)
    return StoreError(
        QT_TRANSLATE_NOOP("core", "The database {path} cannot be opened: {reason}"), path=str(path), reason=str(exc)
    )


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _encrypt_in_place(path: Path) -> None:
    """Turns the plain store at ``path`` into an encrypted one, leaving no plain copy, -wal or -shm behind.

    The plain store's WAL is checkpointed into it first; the encrypted copy is written beside it, fsynced, its
    key kept, and only then does it replace the plain file (one rename: a crash leaves one or the other whole).
    """
    try:
        plain = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {name for (name,) in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "store_settings" not in tables:
                raise _damaged(path)  # some other program's SQLite file: not ours to encrypt
            busy = plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy and busy[0]:
                raise sqlite3.OperationalError("database is locked")
        finally:
            plain.close()
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from exc
    cipher = Cipher(keys.new_key(), keys.new_store_id())
    target = Path(f"{path}.encrypting")
    for leftover in [target, *_sidecars(target)]:
        leftover.unlink(missing_ok=True)
    try:
        source = sqlcipher.connect(str(path), isolation_level=None)
        try:
            source.execute(
                f"ATTACH DATABASE ? AS encrypted KEY \"x'{cipher.key.hex()}{cipher.store_id}'\"", (str(target),)
            )
            source.execute("SELECT sqlcipher_export('encrypted')")
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            source.execute("DETACH DATABASE encrypted")
        finally:
            source.close()
        with target.open("rb+") as fh:
            os.fsync(fh.fileno())
        keys.save_key(cipher.store_id, cipher.key)
        for sidecar in _sidecars(path):
            sidecar.unlink(missing_ok=True)  # empty after the checkpoint; never left beside the encrypted file
        os.replace(target, path)
        keys.fsync_dir(path.parent)
    except sqlcipher.DatabaseError as exc:
        raise _translate(exc, path) from exc
    finally:
        for leftover in [target, *_sidecars(target)]:
            leftover.unlink(missing_ok=True)


def cipher_for(path: Path, *, plain: bool | None = None) -> Cipher | None:
    """The cipher to open the existing or new store at ``path`` with (None: plain); makes and keeps the key of a
    new store, encrypts a plain one in place. Refuses, in plain words, what it cannot open."""
    path = Path(path)
    kind = _kind(path)
    if plain_requested(plain):
        if kind == "encrypted":
            raise _damaged(path)
        return None
    if kind == "plain":
        _encrypt_in_place(path)
        kind = "encrypted"
    if kind == "new":
        cipher = Cipher(keys.new_key(), keys.new_store_id())
        keys.save_key(cipher.store_id, cipher.key)  # before the file exists: never a store without its key
        return cipher
    store_id = keys.store_id_of(path)
    key = keys.load_key(store_id)
    if key is None:
        raise StoreError(MISSING_KEY, path=str(path), folder=str(keys.key_dir()))
    return Cipher(key, store_id)


def connect(path: Path, *, plain: bool | None = None, read_only: bool = False, **kwargs: Any) -> Any:
    """A DB-API connection to the store file at ``path`` with its key applied (sqlite3's API), for tools,
    benchmarks and tests that work below the app; the caller closes it."""
    path = Path(path)
    cipher = cipher_for(path, plain=plain)
    if read_only:
        return _connect(f"file:{path}?mode=ro", cipher, uri=True, **kwargs)  # type: ignore[arg-type]
    return _connect(path, cipher, **kwargs)


@dataclass
class Store:
    """One branch store file: a writing engine (BEGIN IMMEDIATE), a reading engine, the clock."""

    path: Path
    write_engine: Engine
    read_engine: Engine
    settings: dict[str, str]
    clock: HybridLogicalClock
    cipher: Cipher | None = None  # None: a plain store (benchmarks only)

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
        """A DB-API connection for bulk loads and benchmarks (sqlcipher3's, which has sqlite3's API, for an
        encrypted store); callers own the transaction."""
        conn = self.write_engine.raw_connection()
        try:
            yield conn.driver_connection  # type: ignore[misc]
        finally:
            conn.close()

    @property
    def encrypted(self) -> bool:
        return self.cipher is not None

    @property
    def key_in_file(self) -> bool:
        """Whether this store's key is kept in a 0600 file because this computer has no keyring."""
        return self.cipher is not None and keys.key_in_file(self.cipher.store_id)

    def check_integrity(self) -> None:
        """Reads every page (SQLCipher checks each page's HMAC; a plain store runs quick_check) and raises the
        "damaged" StoreError if any fails. Not at start-up: it grows with the store."""
        pragma = "PRAGMA cipher_integrity_check" if self.cipher is not None else "PRAGMA quick_check"
        try:
            with self.raw() as conn:
                problems = [row[0] for row in conn.execute(pragma).fetchall() if row[0] != "ok"]
        except DRIVER_ERRORS as exc:
            raise _translate(exc, self.path) from exc
        if problems:
            raise _damaged(self.path)

    def close(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


def open_store(path: Path, *, plain: bool | None = None) -> Store:
    """Opens (creating and migrating if needed) the store at ``path``, encrypted unless ``plain`` (or
    ``PERFUME_OUD_PLAIN_STORE=1``) asks for a plain one; raises StoreError in plain words."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    cipher = cipher_for(path, plain=plain)
    write_engine = make_engine(path, immediate=True, cipher=cipher)
    read_engine = make_engine(path, immediate=False, cipher=cipher)
    try:
        if cipher is not None and existed:
            # The first page decrypts only under the right key: a wrong one is told apart from a damaged page.
            try:
                with read_engine.connect() as conn:
                    conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
            except DatabaseError as exc:
                if "not a database" in str(exc).lower():
                    raise StoreError(WRONG_KEY, path=str(path)) from exc
                raise
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
    except (OperationalError, DatabaseError, sqlite3.DatabaseError, sqlcipher.DatabaseError) as exc:
        write_engine.dispose()
        read_engine.dispose()
        raise _translate(exc, path) from exc
    stamps = [Timestamp(row[0], row[1], terminal)] if row else []
    if last_local:
        stamps.append(Timestamp.decode(last_local))
    last = max(stamps) if stamps else None
    clock = HybridLogicalClock(terminal or "unset", last=last)
    return Store(path, write_engine, read_engine, settings, clock, cipher)


__all__ = ["DRIVER_ERRORS", "Cipher", "Store", "connect", "open_store"]
