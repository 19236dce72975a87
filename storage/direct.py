"""Plain SQL straight to the driver, inside the unit of work's transaction.

SQLAlchemy's execution path costs 100-500 µs a statement (the ORM's execute events, result metadata, and
for ``Session.get`` the identity map and object loading), while SQLite answers a look-up by key in tens of
microseconds. A sale runs about ten statements and a redemption three, so the statements on those paths
come here: the same SQL text (named ``:params``), on the session's own connection, after a flush so this
transaction's pending ORM changes are seen exactly as ``Session.execute`` would see them. Values come back
as the driver gives them unless read through a ``TypedSelect``, which converts them with the columns' own
types.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, inspect
from sqlalchemy.orm import Session

Params = Mapping[str, Any] | Sequence[Any]


def driver(session: Session) -> sqlite3.Connection:
    """The DB-API connection under the session's current transaction (opening it if needed)."""
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def rows(session: Session, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    session.flush()
    return driver(session).execute(sql, params).fetchall()


def first(session: Session, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
    session.flush()
    row: tuple[Any, ...] | None = driver(session).execute(sql, params).fetchone()
    return row


def scalar(session: Session, sql: str, params: Params = ()) -> Any:
    row = first(session, sql, params)
    return None if row is None else row[0]


class TypedSelect:
    """``SELECT <the model's columns> FROM <its table> <where>``; rows come back as attribute → value dicts, each value
    converted by its column's type as an ORM load would convert it (dates, aware datetimes, booleans, JSON)."""

    def __init__(self, model: type[Any], keys: Sequence[str], where: str) -> None:
        mapper = inspect(model)
        self._columns: tuple[Column[Any], ...] = tuple(mapper.columns[key] for key in dict.fromkeys(keys))
        self._sql = f"SELECT {', '.join(c.name for c in self._columns)} FROM {mapper.local_table.name} {where}"
        self._processors: tuple[Callable[[Any], Any] | None, ...] | None = None

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
