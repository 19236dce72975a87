"""Head office's most sensitive customer fields encrypted at rest, a blind index for Emirates IDs, branch secrets
encrypted and enrolment codes hashed; the keys, where they come from, and their rotation.

Fields: ``SENSITIVE`` names them per entity (a customer's Emirates ID, birthday and notes; a VIP visit's notes).
Wherever head office keeps one — a merged row (``ho_rows.data``), a change (``ho_changes.payload``), a batch
held back (``ho_held_batches.changes``) — its value is ``{"$enc": "v1:<key id>:<base64(nonce|ciphertext|tag)>"}``:
AES-256-GCM of the value's JSON, with the entity, the row id and the field name as associated data, so a value
copied onto another row or field does not decrypt. Branches push and pull plain values (over TLS) and keep
them in their own encrypted store: head office seals a value when it writes it and opens it when it serves it.

Keys (``KeySet``): numbered AES keys and one HMAC key for the blind index, as a JSON document kept in the first
of: the ``HEADOFFICE_DATA_KEYS`` environment variable, the OS keyring, a 0600 file beside the database (with a
warning in the log). Never in the repository. Which key new values are sealed under is the database's
(``ho_counters`` row ``data_key``), read inside each writing transaction: every head-office process agrees on
it, and a rotation that moves it is seen by the next write. A head office whose database holds sealed values
and that finds no key refuses to start: it never serves ciphertext, nor empty values, in their place.

Rotation (``rotate``): a new key is added and made current, then every sealed value is re-sealed under it in
small batches, each its own short writing transaction (pushes wait for one batch at most, milliseconds); the
pass can be stopped and run again. Once no value uses an old key, that key is removed from the key set.

Blind index (``ho_blind_index``): HMAC-SHA256 under the index key of the normalised Emirates ID (its digits),
kept with the customer row in the same transaction, so "which customer has this Emirates ID" is an equality
look-up (``customers_with_emirates_id``) and the ID itself is nowhere in the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, Field
from sqlalchemy import Column, Connection, Index, Integer, String, Table, Text, delete, insert, select, update
from sqlalchemy.engine import make_url

from sync.headoffice import models as m
from sync.protocol import Change

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from fastapi import FastAPI
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


class Database(Protocol):
    """What this module needs of head office's database (sync.headoffice.store.HeadOfficeStore), which starts
    its cipher here: named by this Protocol so the two modules do not import each other."""

    url: str
    reader: Engine
    writer: Engine
    crypto: FieldCipher

    def writing(self) -> AbstractContextManager[tuple[Connection, int]]: ...

    def head(self) -> int: ...


KEYS_ENV = "HEADOFFICE_DATA_KEYS"
KEYS_FILE_ENV = "HEADOFFICE_KEYS_FILE"
KEYRING_SERVICE = "PerfumeOudHeadOffice"
CURRENT = "data_key"  # ho_counters: the id of the key new values are sealed under
UPGRADED = "fields_sealed"  # ho_counters: every plain value of before encryption has been sealed
MARK = "$enc"
VERSION = "v1"
BATCH = 200  # rows re-sealed per transaction by an upgrade or a rotation

# The fields head office keeps encrypted, per entity (storage/schema: customers, vip_visits).
SENSITIVE: dict[str, tuple[str, ...]] = {
    "customers": ("emirates_id", "birthday", "notes"),
    "vip_visits": ("notes",),
}
MARKER = b'"$enc"'  # in a stored text: it holds sealed values

blind_index = Table(
    "ho_blind_index",
    m.metadata,
    Column("kind", String(20), primary_key=True),  # "emirates_id"
    Column("digest", String(64), primary_key=True),  # hex HMAC-SHA256 of the normalised value
    Column("row_id", String(36), primary_key=True),
    # Both columns: with the primary key's ``kind`` alone to choose from, SQLite walked every digest of a kind to
    # replace one customer's (a push of 2,000 customers took seconds more per 2,000 held).
    Index("ix_ho_blind_index_row", "row_id", "kind"),
)


# One value sealed under each key in use, with nothing to hide: a key set whose key under an id is not the one the
# data was sealed under is refused at start, not at the first read of a customer.
key_checks = Table(
    "ho_key_checks",
    m.metadata,
    Column("key_id", Integer, primary_key=True, autoincrement=False),
    Column("sealed", Text, nullable=False),
)
CHECK = b"perfume-oud head office"


class KeyProblem(Exception):
    """Head office cannot read or seal its data: a key is missing or does not open a value."""


# -- the key set -------------------------------------------------------------------------------------------------
@dataclass
class KeySet:
    keys: dict[int, bytes]
    index: bytes
    current: int

    @classmethod
    def generate(cls) -> KeySet:
        return cls({1: AESGCM.generate_key(bit_length=256)}, secrets.token_bytes(32), 1)

    @classmethod
    def parse(cls, text: str) -> KeySet:
        try:
            doc = orjson.loads(text)
            keys = {int(k): base64.b64decode(v) for k, v in doc["keys"].items()}
            found = cls(keys, base64.b64decode(doc["index"]), int(doc["current"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise KeyProblem(f"the head-office key set is not readable: {exc}") from exc
        if found.current not in found.keys or any(len(k) != 32 for k in found.keys.values()) or len(found.index) < 32:
            raise KeyProblem("the head-office key set needs 32-byte keys, an index key and a current key among them")
        return found

    def dump(self) -> str:
        return orjson.dumps(
            {
                "current": self.current,
                "keys": {str(k): base64.b64encode(v).decode() for k, v in sorted(self.keys.items())},
                "index": base64.b64encode(self.index).decode(),
            }
        ).decode()

    def with_new_key(self) -> KeySet:
        new = max(self.keys) + 1
        return KeySet({**self.keys, new: AESGCM.generate_key(bit_length=256)}, self.index, new)


def _keyring() -> Any:
    from sync.credentials import usable_keyring

    return usable_keyring()


@dataclass
class KeySource:
    """Where a head office's key set lives: ``env``, ``keyring`` (under ``account``), ``file`` or ``memory``."""

    kind: str
    account: str = ""
    path: Path | None = None
    _memory: str = ""

    def load(self) -> KeySet | None:
        text: str | None = None
        if self.kind == "env":
            text = os.environ.get(KEYS_ENV)
        elif self.kind == "keyring":
            ring = _keyring()
            text = ring.get_password(KEYRING_SERVICE, self.account) if ring is not None else None
        elif self.kind == "file" and self.path is not None and self.path.exists():
            text = self.path.read_text(encoding="utf-8")
        elif self.kind == "memory":
            text = self._memory or None
        return KeySet.parse(text) if text else None

    def save(self, keys: KeySet) -> None:
        if self.kind == "env":
            raise KeyProblem(
                f"the keys come from {KEYS_ENV}: put the new key set there on every head-office process first"
            )
        if self.kind == "keyring":
            _keyring().set_password(KEYRING_SERVICE, self.account, keys.dump())
        elif self.kind == "file" and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part = self.path.with_name(self.path.name + ".new")
            descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
                fh.write(keys.dump())
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(part, 0o600)
            os.replace(part, self.path)
        else:
            self._memory = keys.dump()

    def create(self, keys: KeySet) -> KeySet:
        """Saves a first key set, unless another process starting on the same database saved one meanwhile:
        the key set that is kept."""
        if self.kind != "file" or self.path is None:
            self.save(keys)
            return keys
        part = self.path.with_name(f"{self.path.name}.{os.getpid()}.new")
        KeySource("file", path=part).save(keys)
        try:
            os.link(part, self.path)  # fails where the file exists: the first key set made stays
        except FileExistsError:
            pass
        finally:
            part.unlink(missing_ok=True)
        return self.load() or keys

    def describe(self) -> str:
        return {"env": KEYS_ENV, "keyring": f"the OS keyring ({KEYRING_SERVICE})"}.get(self.kind, str(self.path))


def keys_file(url: str) -> Path | None:
    """The 0600 file that holds the keys where neither the environment nor a keyring does: beside an SQLite
    database, ``headoffice.keys`` in the working directory (as the default database) for another; None for an
    SQLite database in memory."""
    if os.environ.get(KEYS_FILE_ENV):
        return Path(os.environ[KEYS_FILE_ENV])
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            return None
        return Path(f"{database}.keys")
    return Path("headoffice.keys")


def _account(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def find_keys(url: str) -> tuple[KeySet | None, KeySource]:
    """The key set and where it was found (environment, keyring, file), or None and where a new one would go."""
    if os.environ.get(KEYS_ENV):
        env = KeySource("env")
        return env.load(), env
    path = keys_file(url)
    ring = _keyring()
    if ring is not None:
        source = KeySource("keyring", account=_account(url))
        try:
            found = source.load()
        except Exception as exc:  # a keyring that exists but refuses (locked): the file, if any
            if isinstance(exc, KeyProblem):
                raise
            found = None
        if found is not None:
            return found, source
        if path is None or not path.exists():
            return None, source
    if path is None:
        return None, KeySource("memory")
    source = KeySource("file", path=path)
    return source.load(), source


# -- sealing and opening --------------------------------------------------------------------------------------------
def _aad(entity: str, row_id: str, name: str) -> bytes:
    return f"{entity}\x1f{row_id}\x1f{name}".encode()


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(MARK), str)


def key_of(value: Any) -> int | None:
    """The key id a sealed value is under (None for a plain value)."""
    if not is_sealed(value):
        return None
    try:
        return int(value[MARK].split(":", 2)[1])
    except (IndexError, ValueError):
        return None


@dataclass
class FieldCipher:
    """A head office's keys at work: seals and opens fields and branch secrets, computes blind indexes."""

    keys: KeySet
    source: KeySource
    _aes: dict[int, AESGCM] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _key(self, key_id: int) -> AESGCM:
        aes = self._aes.get(key_id)
        if aes is not None:
            return aes
        with self._lock:
            if key_id not in self.keys.keys:
                # Another process (a rotation) may have added it since this one started: read the keys again.
                fresh = self.source.load()
                if fresh is not None:
                    self.keys = KeySet({**fresh.keys, **self.keys.keys}, self.keys.index, fresh.current)
            if key_id not in self.keys.keys:
                raise KeyProblem(f"head-office data key {key_id} is not in {self.source.describe()}")
            aes = self._aes[key_id] = AESGCM(self.keys.keys[key_id])
        return aes

    # One value
    def seal_text(self, key_id: int, plain: bytes, aad: bytes) -> str:
        nonce = os.urandom(12)
        sealed = self._key(key_id).encrypt(nonce, plain, aad)
        return f"{VERSION}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open_text(self, text: str, aad: bytes) -> bytes:
        try:
            version, key_id, body = text.split(":", 2)
            if version != VERSION:
                raise ValueError(version)
            raw = binascii.a2b_base64(body, strict_mode=True)  # base64.b64decode's validation costs more
            number = int(key_id)
            return (self._aes.get(number) or self._key(number)).decrypt(raw[:12], raw[12:], aad)
        except (ValueError, InvalidTag) as exc:  # binascii.Error is a ValueError
            raise KeyProblem(f"a sealed head-office value does not open ({type(exc).__name__})") from exc

    # A row's sensitive fields
    def seal(
        self, key_id: int, entity: str, row_id: str, data: dict[str, Any], *, plain: bool = False
    ) -> dict[str, Any]:
        """``data`` with its sensitive fields sealed under ``key_id``. Stored data (``plain`` False) keeps a field
        sealed under that key already and re-seals one under another; a branch's data (``plain``) is plain
        through and through, whatever a value looks like: every value is sealed as it is."""
        names = SENSITIVE.get(entity)
        if not names:
            return data
        out = data
        for name in names:
            value = data.get(name)
            if value is None or (not plain and key_of(value) == key_id):
                continue
            if not plain and is_sealed(value):
                value = self.open_value(entity, row_id, name, value)
            if out is data:
                out = dict(data)
            out[name] = {MARK: self.seal_text(key_id, orjson.dumps(value), _aad(entity, row_id, name))}
        return out

    def open_value(self, entity: str, row_id: str, name: str, value: Any) -> Any:
        if not is_sealed(value):
            return value
        return orjson.loads(self.open_text(value[MARK], _aad(entity, row_id, name)))

    def open(self, entity: str, row_id: str, data: dict[str, Any], *, fragments: bool = False) -> dict[str, Any]:
        """``data`` with its sensitive fields opened (a copy when any was sealed); with ``fragments`` each opened
        value is its JSON text as an ``orjson.Fragment``, for writing straight out."""
        names = SENSITIVE.get(entity)
        if not names or not isinstance(data, dict):
            return data
        out = data
        for name in names:
            value = data.get(name)
            if type(value) is dict and len(value) == 1 and type(text := value.get(MARK)) is str:
                if out is data:
                    out = dict(data)
                plain = self.open_text(text, _aad(entity, row_id, name))
                out[name] = orjson.Fragment(plain) if fragments else orjson.loads(plain)
        return out

    def open_json(self, entity: str, row_id: str, text: str) -> Any:
        """A stored JSON text as it goes out to a branch: as it is (an ``orjson.Fragment``) unless it holds a
        sealed value, opened otherwise."""
        raw = text.encode() if isinstance(text, str) else bytes(text)
        if entity not in SENSITIVE or MARKER not in raw:
            return orjson.Fragment(raw)
        return self.open(entity, row_id, orjson.loads(raw), fragments=True)

    def seal_change(self, key_id: int, change: Change, *, plain: bool) -> Change:
        """A change with its sensitive fields sealed (a batch held back is stored so): a branch's as it came
        (``plain``), or one stored sealed already, re-sealed under ``key_id``."""
        if change.entity not in SENSITIVE:
            return change
        data = orjson.loads(bytes(change.payload))
        sealed = self.seal(key_id, change.entity, change.row_id, data, plain=plain)
        if sealed is data:
            return change
        return _replace_payload(change, orjson.dumps(sealed))

    def open_change(self, change: Change) -> Change:
        if change.entity not in SENSITIVE or MARKER not in bytes(change.payload):
            return change
        data = orjson.loads(bytes(change.payload))
        return _replace_payload(change, orjson.dumps(self.open(change.entity, change.row_id, data)))

    # Branch secrets
    def seal_secret(self, key_id: int, branch_id: str, secret: str) -> str:
        return self.seal_text(key_id, secret.encode(), _aad("ho_branches", branch_id, "secret"))

    def open_secret(self, branch_id: str, stored: str) -> str:
        if not stored.startswith(VERSION + ":"):
            return stored  # a secret from before encryption (the upgrade seals it)
        return self.open_text(stored, _aad("ho_branches", branch_id, "secret")).decode()

    # Blind index
    def digest(self, kind: str, normalised: str) -> str:
        return hmac.new(self.keys.index, f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()

    def emirates_id_digest(self, value: Any) -> str | None:
        normalised = normalise_emirates_id(value)
        return self.digest("emirates_id", normalised) if normalised else None

    # Key checks
    def add_check(self, conn: Connection, key_id: int) -> None:
        if conn.execute(select(key_checks.c.key_id).where(key_checks.c.key_id == key_id)).first() is None:
            conn.execute(
                insert(key_checks).values(key_id=key_id, sealed=self.seal_text(key_id, CHECK, b"ho_key_checks"))
            )

    def check(self, store: Database) -> None:
        """Every key the data uses is in the key set and is the one it was sealed under."""
        with store.reader.connect() as conn:
            found = conn.execute(select(key_checks.c.key_id, key_checks.c.sealed)).all()
        for key_id, sealed in found:
            try:
                opened = self.open_text(sealed, b"ho_key_checks")
            except KeyProblem as exc:
                raise KeyProblem(
                    f"head-office data key {key_id} is missing from {self.source.describe()} or is not the key "
                    f"this head office's data was sealed under ({exc})"
                ) from exc
            if opened != CHECK:
                raise KeyProblem(f"head-office data key {key_id} does not open this head office's data")

    # The key new values are sealed under
    @staticmethod
    def current(conn: Connection) -> int:
        found = conn.execute(select(m.counters.c.value).where(m.counters.c.name == CURRENT)).scalar()
        if found is None:
            raise KeyProblem("head office has no current data key")
        return int(found)


def _replace_payload(change: Change, payload: bytes) -> Change:
    import msgspec

    return msgspec.structs.replace(change, payload=msgspec.Raw(payload))


def normalise_emirates_id(value: Any) -> str:
    """An Emirates ID as its digits ('784-1990-1234567-1' and '784199012345671' are one ID); '' for none."""
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value if c.isdigit())


def hash_code(code: str) -> str:
    """How an enrolment code is stored: its SHA-256 (a code works once; the table never holds a usable one)."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def is_code_hash(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


# -- the blind index, kept with the customer rows -----------------------------------------------------------------
INDEX_DELETE = f"DELETE FROM {blind_index.name} WHERE kind = 'emirates_id' AND row_id = ?"
INDEX_INSERT = f"INSERT INTO {blind_index.name} (kind, digest, row_id) VALUES ('emirates_id', ?, ?)"


def index_params(
    cipher: FieldCipher, rows: Mapping[str, Mapping[str, Any]]
) -> tuple[list[tuple[str]], list[tuple[str, str]]]:
    """The parameters of INDEX_DELETE and INDEX_INSERT for customer rows written (id → merged, opened data)."""
    gone = [(row_id,) for row_id in rows]
    kept = []
    for row_id, data in rows.items():
        digest = cipher.emirates_id_digest(data.get("emirates_id"))
        if digest is not None:
            kept.append((digest, row_id))
    return gone, kept


def refresh_index(conn: Connection, cipher: FieldCipher, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """The same through SQLAlchemy, for a row or two (a record head office decides)."""
    if not rows:
        return
    b = blind_index.c
    conn.execute(delete(blind_index).where(b.kind == "emirates_id", b.row_id.in_(list(rows))))
    _, kept = index_params(cipher, rows)
    if kept:
        conn.execute(insert(blind_index), [{"kind": "emirates_id", "digest": d, "row_id": i} for d, i in kept])


def customers_with_emirates_id(store: Database, emirates_id: str) -> list[str]:
    """The ids of the customers whose Emirates ID is ``emirates_id`` (in any of its written forms)."""
    digest = store.crypto.emirates_id_digest(emirates_id)
    if digest is None:
        return []
    b = blind_index.c
    with store.reader.connect() as conn:
        found = conn.execute(
            select(b.row_id).where(b.kind == "emirates_id", b.digest == digest).order_by(b.row_id)
        ).scalars()
        return list(found)


# -- start, upgrade and rotation -------------------------------------------------------------------------------------
def _holds_sealed(conn: Connection) -> bool:
    return conn.execute(select(m.counters.c.value).where(m.counters.c.name == CURRENT)).first() is not None


def start(store: Database, keys: KeySet | None = None, source: KeySource | None = None) -> FieldCipher:
    """The cipher of a head office starting: its keys found (or made, for a head office with no sealed data
    yet), checked against the database, and the data of before encryption sealed once."""
    found, where = (keys, source or KeySource("memory")) if keys is not None else find_keys(store.url)
    with store.reader.connect() as conn:
        sealed_before = _holds_sealed(conn)
    if found is None:
        if sealed_before:
            raise KeyProblem(
                f"head office's data is encrypted but no key was found (looked in {KEYS_ENV}, the OS keyring and "
                f"{keys_file(store.url)}): restore the key set; head office will not serve without it"
            )
        found = where.create(KeySet.generate())
        if where.kind == "file":
            log.warning(
                "head-office data keys were written to %s (0600): no keyring here and %s is not set; "
                "keep a copy of this file apart from the database's backups",
                where.path,
                KEYS_ENV,
            )
    elif where.kind == "file":
        log.warning("head-office data keys are read from the file %s: prefer %s or a keyring", where.path, KEYS_ENV)
    cipher = FieldCipher(found, where)
    _alter_columns(store)
    with store.writing() as (conn, _head):
        if conn.execute(select(m.counters.c.value).where(m.counters.c.name == CURRENT)).first() is None:
            conn.execute(insert(m.counters).values(name=CURRENT, value=found.current))
            cipher.add_check(conn, found.current)
    # Refused now, not at the first pull: a key missing, or another one (two processes that made keys for one new
    # database at once: the second stops here).
    cipher.check(store)
    with store.reader.connect() as conn:
        upgraded = conn.execute(select(m.counters.c.value).where(m.counters.c.name == UPGRADED)).first()
    if upgraded is None:
        done = reseal(store, cipher)
        if done.rows or done.changes or done.held or done.secrets or done.codes:
            _rewrite_file(store)
        with store.writing() as (conn, _head):
            if conn.execute(select(m.counters.c.value).where(m.counters.c.name == UPGRADED)).first() is None:
                conn.execute(insert(m.counters).values(name=UPGRADED, value=1))
    return cipher


def _alter_columns(store: Database) -> None:
    """PostgreSQL keeps the widths a head office was made with: a sealed secret and a code's hash are longer."""
    if store.writer.dialect.name != "postgresql":
        return
    with store.writer.begin() as conn:
        found = conn.exec_driver_sql(
            "SELECT table_name || '.' || column_name, character_maximum_length FROM information_schema.columns "
            "WHERE table_name IN ('ho_branches', 'ho_enrollment_codes') AND column_name IN ('secret', 'code')"
        ).all()
        widths: dict[str, int | None] = {str(name): width for name, width in found}
        if widths.get("ho_branches.secret") is not None:
            conn.exec_driver_sql("ALTER TABLE ho_branches ALTER COLUMN secret TYPE TEXT")
        if (widths.get("ho_enrollment_codes.code") or 64) < 64:
            conn.exec_driver_sql("ALTER TABLE ho_enrollment_codes ALTER COLUMN code TYPE VARCHAR(64)")


@dataclass
class Progress:
    rows: int = 0
    changes: int = 0
    held: int = 0
    secrets: int = 0
    codes: int = 0


def _stale(entity: str, data: Any, key_id: int) -> bool:
    """Whether a stored row has a sensitive value that is plain or sealed under another key than ``key_id``."""
    if not isinstance(data, dict):
        return False
    return any(data.get(n) is not None and key_of(data.get(n)) != key_id for n in SENSITIVE.get(entity, ()))


def _rewrite_file(store: Database) -> None:
    """An SQLite database rewritten whole (VACUUM) and its write-ahead log emptied, after the plain values of
    before were sealed: replaced rows leave their old bytes in free space and in the log, where a copy of the
    file would still show them. Once, at the upgrade; a head office that cannot (another process holding the
    database) says so and goes on."""
    if store.writer.dialect.name != "sqlite":
        return
    raw = store.writer.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:  # busy: the plain bytes stay in free space until SQLite reuses it
        log.warning("head office could not rewrite its database after sealing its plain data (%s): run VACUUM", exc)
    finally:
        raw.close()


def reseal(store: Database, cipher: FieldCipher, pause: Callable[[], None] | None = None) -> Progress:
    """Seals every sensitive value, branch secret and enrolment code that is not under the current key (plain
    ones of before encryption included), and fills the blind index. Rows are read BATCH at a time without a
    lock; only those that need it are re-read and re-sealed, in a short writing transaction of their own, so a
    push waits for one batch at most. Run again after an interruption, it skips what is done."""
    progress = Progress()
    r, c = m.rows.c, m.changes.c
    # Changes logged from now on are sealed under the current key as they are written: the pass stops here.
    until = store.head()

    def batches(read: Callable[[Connection, Any], Sequence[Any]], position: Callable[[Any], Any], at: Any) -> Any:
        while True:
            with store.reader.connect() as conn:
                key_id = FieldCipher.current(conn)
                found = read(conn, at)
            if not found:
                return
            yield key_id, found
            at = position(found[-1])
            if pause is not None:
                pause()

    for entity in SENSITIVE:

        def read_rows(conn: Connection, at: str, entity: str = entity) -> Sequence[Any]:
            query = select(r.row_id, r.data).where(r.entity == entity, r.row_id > at)
            return conn.execute(query.order_by(r.row_id).limit(BATCH)).all()

        for key_id, found in batches(read_rows, lambda x: x[0], ""):
            stale = [row_id for row_id, text in found if _stale(entity, orjson.loads(text), key_id)]
            if not stale:
                continue
            with store.writing() as (conn, _head):
                key_id = FieldCipher.current(conn)
                fresh = conn.execute(select(r.row_id, r.data).where(r.entity == entity, r.row_id.in_(stale))).all()
                customers = {}
                for row_id, text in fresh:
                    data = orjson.loads(text)
                    if not _stale(entity, data, key_id):
                        continue
                    sealed = cipher.seal(key_id, entity, row_id, data)
                    conn.execute(
                        update(m.rows)
                        .where(r.entity == entity, r.row_id == row_id)
                        .values(data=orjson.dumps(sealed).decode())
                    )
                    progress.rows += 1
                    if entity == "customers":
                        customers[row_id] = cipher.open(entity, row_id, sealed)
                refresh_index(conn, cipher, customers)

    def read_changes(conn: Connection, at: int) -> Sequence[Any]:
        return conn.execute(
            select(c.change_seq, c.entity, c.payload)
            .where(c.change_seq > at, c.change_seq <= until, c.entity.in_(tuple(SENSITIVE)))
            .order_by(c.change_seq)
            .limit(BATCH)
        ).all()

    for key_id, found in batches(read_changes, lambda x: x[0], 0):
        stale_seqs = [seq for seq, entity, text in found if _stale(entity, orjson.loads(text), key_id)]
        if not stale_seqs:
            continue
        with store.writing() as (conn, _head):
            key_id = FieldCipher.current(conn)
            fresh = conn.execute(
                select(c.change_seq, c.entity, c.row_id, c.payload).where(c.change_seq.in_(stale_seqs))
            ).all()
            for seq, entity, row_id, text in fresh:
                data = orjson.loads(text)
                if _stale(entity, data, key_id):
                    sealed = cipher.seal(key_id, entity, row_id, data)
                    conn.execute(
                        update(m.changes).where(c.change_seq == seq).values(payload=orjson.dumps(sealed).decode())
                    )
                    progress.changes += 1
    with store.writing() as (conn, _head):
        key_id = FieldCipher.current(conn)
        progress.held = _reseal_held(conn, cipher, key_id)
        progress.secrets = _reseal_secrets(conn, cipher, key_id)
        progress.codes = _hash_codes(conn)
    return progress


def _reseal_held(conn: Connection, cipher: FieldCipher, key_id: int) -> int:
    from sync.protocol import decode_changes, encode_changes

    h = m.held_batches.c
    fixed = 0
    for branch_id, first_seq, text in conn.execute(select(h.branch_id, h.first_seq, h.changes)).all():
        changes = decode_changes(text)
        sealed = [cipher.seal_change(key_id, change, plain=False) for change in changes]
        if any(a is not b for a, b in zip(sealed, changes, strict=True)):
            conn.execute(
                update(m.held_batches)
                .where(h.branch_id == branch_id, h.first_seq == first_seq)
                .values(changes=encode_changes(sealed))
            )
            fixed += 1
    return fixed


def _reseal_secrets(conn: Connection, cipher: FieldCipher, key_id: int) -> int:
    b = m.branches.c
    fixed = 0
    for branch_id, stored in conn.execute(select(b.id, b.secret).where(b.secret.is_not(None))).all():
        if stored.startswith(f"{VERSION}:{key_id}:"):
            continue
        secret = cipher.open_secret(branch_id, stored)
        conn.execute(
            update(m.branches).where(b.id == branch_id).values(secret=cipher.seal_secret(key_id, branch_id, secret))
        )
        fixed += 1
    return fixed


def _hash_codes(conn: Connection) -> int:
    e = m.enrollment_codes.c
    fixed = 0
    for (code,) in conn.execute(select(e.code)).all():
        if not is_code_hash(code):
            conn.execute(update(m.enrollment_codes).where(e.code == code).values(code=hash_code(code)))
            fixed += 1
    return fixed


def keys_in_use(store: Database) -> set[int]:
    """The ids of the keys some stored value is sealed under (a full read: for rotation, not for requests)."""
    used: set[int] = set()
    r, c, b, h = m.rows.c, m.changes.c, m.branches.c, m.held_batches.c
    entities = tuple(SENSITIVE)

    def of_text(entity: str, text: str) -> None:
        if MARKER.decode() not in text:
            return
        data = orjson.loads(text)
        for name in SENSITIVE.get(entity, ()):
            key_id = key_of(data.get(name)) if isinstance(data, dict) else None
            if key_id is not None:
                used.add(key_id)

    with store.reader.connect() as conn:
        for entity, text in conn.execute(select(r.entity, r.data).where(r.entity.in_(entities))):
            of_text(entity, text)
        for entity, text in conn.execute(select(c.entity, c.payload).where(c.entity.in_(entities))):
            of_text(entity, text)
        for (text,) in conn.execute(select(h.changes)):
            from sync.protocol import decode_changes

            for change in decode_changes(text):
                of_text(change.entity, bytes(change.payload).decode())
        for (stored,) in conn.execute(select(b.secret).where(b.secret.is_not(None))):
            parts = stored.split(":", 2)
            if len(parts) == 3 and parts[0] == VERSION and parts[1].isdigit():
                used.add(int(parts[1]))
    return used


@dataclass
class Rotation:
    new_key: int
    progress: Progress
    retired: list[int]
    kept: list[int]


def rotate(
    store: Database,
    pause: Callable[[], None] | None = None,
    *,
    resume: bool = False,
    on_current: Callable[[int], None] | None = None,
) -> Rotation:
    """Makes a new key current (or, with ``resume``, carries on with the current one), re-seals everything under
    it in short transactions while head office serves, then retires the keys no value uses any more."""
    cipher = store.crypto
    fresh = cipher.source.load() or cipher.keys
    with store.reader.connect() as conn:
        current = FieldCipher.current(conn)
    if resume:
        new_key = current
    elif cipher.source.kind == "env":
        if fresh.current <= current:
            raise KeyProblem(
                f"the keys come from {KEYS_ENV}: add a new key with a higher id there, make it current, restart "
                "every head-office process with it, then rotate again"
            )
        new_key = fresh.current
    else:
        fresh = fresh.with_new_key()
        cipher.source.save(fresh)
        new_key = fresh.current
    cipher.keys = KeySet({**cipher.keys.keys, **fresh.keys}, cipher.keys.index, new_key)
    with store.writing() as (conn, _head):
        cipher.add_check(conn, new_key)
        conn.execute(update(m.counters).where(m.counters.c.name == CURRENT).values(value=new_key))
    if on_current is not None:
        on_current(new_key)
    progress = reseal(store, cipher, pause)
    used = keys_in_use(store) | {new_key}
    retired = sorted(k for k in cipher.keys.keys if k not in used)
    if retired:
        with store.writing() as (conn, _head):
            conn.execute(delete(key_checks).where(key_checks.c.key_id.in_(retired)))
    if retired and cipher.source.kind != "env":
        latest = cipher.source.load() or cipher.keys
        kept = KeySet({k: v for k, v in latest.keys.items() if k in used}, latest.index, new_key)
        cipher.source.save(kept)
    return Rotation(new_key, progress, retired, sorted(used))


# -- the look-up, for head office's administrators ---------------------------------------------------------------
class EmiratesIdQuery(BaseModel):
    emirates_id: str = Field(min_length=1, max_length=40)


class CustomerIds(BaseModel):
    customer_ids: list[str]


def mount(app: FastAPI, store: Database, admin: Callable[..., None], errors: Any) -> None:
    """``POST /v1/admin/customers/by-emirates-id``: the customers holding an Emirates ID, found by the blind
    index. A POST, so that the ID stays out of addresses and access logs."""
    from fastapi import Depends

    @app.post("/v1/admin/customers/by-emirates-id", response_model=CustomerIds, responses=errors, tags=["admin"])
    def by_emirates_id(request: EmiratesIdQuery, _admin: None = Depends(admin)) -> CustomerIds:
        """The ids of the customers whose Emirates ID is this one (dashes or none)."""
        return CustomerIds(customer_ids=customers_with_emirates_id(store, request.emirates_id))
