"""Plain SQL straight to the driver, inside the unit of work's transaction.

SQLAlchemy's execution path costs 100-500 µs a statement (the ORM's execute events, result metadata, and
for ``Session.get`` the identity map and object loading), while SQLite answers a look-up by key in tens of
microseconds. A sale runs about ten statements and a redemption three, so the statements on those paths
come here: the same SQL text (named ``:params``), on the session's own connection, after a flush so this
transaction's pending ORM changes are seen exactly as ``Session.execute`` would see them. Values come back
as the driver gives them unless read through a ``TypedSelect``, which converts them with the columns' own
types.

Only reads come here. A write below the ORM would skip the change-log hook, and the change log must be
complete by construction: each statement is checked once, when first seen, by preparing it under an
authorizer that allows nothing but reading (the verdict is kept per SQL text, so a call costs a set look-up).
The one local write on these paths, the till's receipt counter, has its own helper, ``next_counter``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, inspect
from sqlalchemy.orm import Session

from storage.db import DRIVER_ERRORS

Params = Mapping[str, Any] | Sequence[Any]

# What a read may ask of SQLite while its statement is prepared; anything else (a write, a pragma, an attach,
# a transaction statement) is denied.
_READ_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
_READS: set[str] = set()  # statements already found to only read
_NEXT_COUNTER_SQL = (
    "INSERT INTO store_settings (key, value) VALUES (:k, '1') "
    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value"
)


class DirectWriteError(RuntimeError):
    """A statement that is not a plain read was given to the direct path."""


def _only_reads(action: int, table: str | None, *_names: str | None) -> int:
    if action in _READ_ACTIONS:
        return sqlite3.SQLITE_OK
    # A virtual table (FTS5, json_each) connected on first use declares its columns, which SQLite asks for as
    # an update of sqlite_master (no statement can write that table itself), and FTS5 reads the read-only
    # data_version pragma.
    if (action, table) in {(sqlite3.SQLITE_UPDATE, "sqlite_master"), (sqlite3.SQLITE_PRAGMA, "data_version")}:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _checked(connection: sqlite3.Connection, sql: str, params: Params) -> str:
    if sql not in _READS:
        # EXPLAIN prepares the statement (which is when SQLite asks the authorizer) without running it.
        connection.set_authorizer(_only_reads)
        try:
            connection.execute(f"EXPLAIN {sql}", params).fetchall()
        except DRIVER_ERRORS as exc:
            if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_AUTH:
                raise
            raise DirectWriteError(f"the direct path only reads: {sql}") from exc
        finally:
            connection.set_authorizer(None)
        _READS.add(sql)
    return sql


_DRIVER_KEY = "direct_driver"  # in session.info: (the session's transaction, its DB-API connection)


def driver(session: Session) -> sqlite3.Connection:
    """The DB-API connection under the session's current transaction (opening it if needed). Found once per
    transaction: SQLAlchemy's way to it (``Session.connection``, the pool's wrapper) took longer than the
    statements a receipt runs on it. A transaction holds one connection until it ends, and the next one is
    another transaction object, so the remembered connection is never used past its transaction."""
    transaction = session.get_transaction()
    found = session.info.get(_DRIVER_KEY)
    if found is not None and transaction is not None and found[0] is transaction:
        return found[1]  # type: ignore[no-any-return]
    connection: sqlite3.Connection = session.connection().connection.driver_connection  # type: ignore[assignment]
    session.info[_DRIVER_KEY] = (session.get_transaction(), connection)
    return connection


def rows(session: Session, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    session.flush()
    connection = driver(session)
    return connection.execute(_checked(connection, sql, params), params).fetchall()


def first(session: Session, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
    session.flush()
    connection = driver(session)
    row: tuple[Any, ...] | None = connection.execute(_checked(connection, sql, params), params).fetchone()
    return row


def scalar(session: Session, sql: str, params: Params = ()) -> Any:
    row = first(session, sql, params)
    return None if row is None else row[0]


def next_counter(session: Session, key: str) -> int:
    """Bumps the local counter ``key`` in ``store_settings`` (starting at 1) and returns its new value. The
    counter is this store's own (receipt numbers), never replicated, so it has no change-log row."""
    session.flush()
    (value,) = driver(session).execute(_NEXT_COUNTER_SQL, {"k": key}).fetchone()
    return int(value)


def till_tag(terminal_id: str) -> str:
    """The till's tag that ends a number this store gives out (receipts, tickets): the last four characters of
    its terminal id, so two tills of one branch, each counting on its own, never give the same number."""
    return terminal_id.replace("-", "")[-4:].upper() or "0000"


class TypedSelect:
    """``SELECT <the model's columns> FROM <its table> <where>``; rows come back as attribute → value dicts, each value
    converted by its column's type as an ORM load would convert it (dates, aware datetimes, booleans, JSON)."""

    def __init__(self, model: type[Any], keys: Sequence[str], where: str) -> None:
        mapper = inspect(model)
        self._columns: tuple[Column[Any], ...] = tuple(mapper.columns[key] for key in dict.fromkeys(keys))
        self._sql = f"SELECT {', '.join(c.name for c in self._columns)} FROM {mapper.local_table.name} {where}"
        self._processors: tuple[Callable[[Any], Any] | None, ...] | None = None

    @property
    def sql(self) -> str:
        return self._sql

    def _convert(self, session: Session, row: tuple[Any, ...]) -> dict[str, Any]:
        if self._processors is None:
            dialect = session.get_bind().dialect
            types = (c.type.dialect_impl(dialect) for c in self._columns)
            self._processors = tuple(t.result_processor(dialect, None) for t in types)
        return {
            column.key: value if process is None else process(value)
            for column, process, value in zip(self._columns, self._processors, row, strict=True)
        }

    def first(self, session: Session, params: Params = ()) -> dict[str, Any] | None:
        row = first(session, self._sql, params)
        return None if row is None else self._convert(session, row)

    def all(self, session: Session, params: Params = ()) -> list[dict[str, Any]]:
        return [self._convert(session, row) for row in rows(session, self._sql, params)]
