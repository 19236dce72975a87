"""Ledger rows straight to the driver, each with its change-log row, in the unit of work's transaction.

A ledger row is plain data that is written once and never changed, so the ORM's identity map and flush add
nothing to it; on a redemption they were half of the time. ``append`` writes the rows and their change-log
rows with two ``executemany`` calls on the session's own connection, converting values with the columns'
own types, so the stored rows and the logged payloads are exactly what a flush of the same objects writes
(a test compares the two). The SQLite triggers that keep ledgers append-only apply as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from core.kernel.ids import new_id, new_ids
from storage.changelog import WRITE_KEY, UnloggedWriteError, WriteContext, change_log_row, jsonable
from storage.schema import ChangeLog, Ledger

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class InsertColumn:
    key: str  # the mapped attribute
    name: str  # the table column
    default: Any  # a scalar, a callable of one argument, or None
    callable_default: bool
    process: Processor


@dataclass(frozen=True)
class InsertPlan:
    entity: str
    columns: tuple[InsertColumn, ...]
    sql: str
    keys: frozenset[str]  # what a row may name


_PLANS: dict[tuple[type[Any], str], InsertPlan] = {}


def insert_plan(model: type[Any], dialect: Dialect) -> InsertPlan:
    key = (model, dialect.name)
    plan = _PLANS.get(key)
    if plan is None:
        table = model.__table__
        columns = []
        for attr in inspect(model).column_attrs:
            column = attr.columns[0]
            if column is table.autoincrement_column:  # change_log.branch_seq: SQLite assigns it
                continue
            default = column.default
            columns.append(
                InsertColumn(
                    key=attr.key,
                    name=column.name,
                    default=None if default is None else default.arg,
                    callable_default=default is not None and default.is_callable,
                    process=column.type.dialect_impl(dialect).bind_processor(dialect),
                )
            )
        sql = (
            f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        # The entity as a plain str: SQLAlchemy's quoted_name, a str subclass, made sqlite3 look it up for an
        # adapter in every change-log row it was written to.
        plan = _PLANS[key] = InsertPlan(str(table.name), tuple(columns), sql, frozenset(c.key for c in columns))
    return plan


def driver_values(columns: Sequence[InsertColumn], values: dict[str, Any]) -> tuple[Any, ...]:
    # None is SQL NULL, as a flush leaves a column it was given no value for (a JSON column would otherwise
    # hold the JSON text 'null').
    return tuple(
        values[c.key] if c.process is None or values[c.key] is None else c.process(values[c.key]) for c in columns
    )


def driver_rows(
    columns: Sequence[InsertColumn], rows: Sequence[dict[str, Any]], convert: Mapping[str, Processor] | None = None
) -> list[tuple[Any, ...]]:
    """``driver_values`` of many rows, converted column by column (``convert``: another conversion for a
    column). A value that is the very object of the row before (a batch's creation time, its branch) is
    converted once: per value, the conversions were most of a batch's time."""
    converted: list[list[Any]] = []
    for column in columns:
        key = column.key
        process = column.process if convert is None else convert.get(key, column.process)
        if process is None:
            converted.append([row[key] for row in rows])
            continue
        out: list[Any] = []
        last: Any = _NOTHING
        done: Any = None
        for row in rows:
            value = row[key]
            if value is None:
                out.append(None)
                continue
            if value is not last:
                last, done = value, process(value)
            out.append(done)
        converted.append(out)
    return list(zip(*converted, strict=True))


def _payload_text(payload: dict[str, Any]) -> str:
    # A change-log payload is read back as JSON, never compared as text: orjson writes it, dates and times in
    # ISO form as ``jsonable`` gives them, in a tenth of the time of converting each value and json.dumps.
    return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()


_NOTHING = object()
LOG_CONVERT: dict[str, Processor] = {"payload": _payload_text}


def write_change_log(cursor: Any, dialect: Dialect, logs: Sequence[dict[str, Any]]) -> None:
    """Inserts change-log rows (``change_log_row``, the payload as values, dates unconverted) on the driver."""
    if logs:
        plan = insert_plan(ChangeLog, dialect)
        cursor.executemany(plan.sql, driver_rows(plan.columns, logs, LOG_CONVERT))


def append(session: Session, model: type[Ledger], rows: Sequence[dict[str, Any]]) -> list[str]:
    """Inserts ``rows`` (attribute → value) of the ledger ``model`` with their change-log rows; returns the
    ids. Missing ids, branch, creation time and column defaults are filled as a flush would fill them. A key
    that is not one of the model's columns is refused (TypeError, as the model's constructor refuses it):
    dropped, a misspelt key would store the column's default. (New and changed register rows go below the ORM
    through storage.registers.DirectWrites.)"""
    write: WriteContext | None = session.info.get(WRITE_KEY)
    if write is None:
        raise UnloggedWriteError("replicated rows are written only inside a unit of work")
    # Objects added to the session earlier are written first: change-log order (branch_seq) stays the order
    # in which the use case made its changes, and their stamps stay below these.
    session.flush()
    connection = session.connection()
    plan = insert_plan(model, connection.dialect)
    blank: dict[str, Any] = dict.fromkeys(c.key for c in plan.columns)  # every column, in the table's order
    defaults = [(c.key, c.default, c.callable_default) for c in plan.columns if c.default is not None]
    values_list: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    # Each change's stamp, taken for the rows at once (a campaign's batch appends hundreds).
    logged = 0 if write.remote else len(rows)
    stamps, events = iter(write.clock.encoded(logged)), iter(new_ids(logged))
    unknown = set().union(*rows).difference(plan.keys)  # one pass (issuperset copies each row's keys)
    if unknown:
        raise TypeError(f"{model.__name__} has no column {', '.join(repr(name) for name in sorted(unknown))}")
    for row in rows:
        values = blank.copy()
        values.update(row)
        for key, default, call in defaults:
            if values[key] is None:
                values[key] = default(None) if call else default
        if values["id"] is None:
            values["id"] = new_id()
        if values["branch_id"] is None:
            values["branch_id"] = write.branch_id
        if values["created_at"] is None:
            values["created_at"] = write.now
        values_list.append(values)
        if not write.remote:
            # The payload is the row itself (never changed after): its values are converted when written.
            logs.append(change_log_row(write, plan.entity, values["id"], "insert", values, next(stamps), next(events)))
    if connection.dialect.paramstyle == "qmark":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(plan.sql, driver_rows(plan.columns, values_list))
            write_change_log(cursor, connection.dialect, logs)
        finally:
            cursor.close()
    else:  # another engine (not a branch store): the same rows through SQLAlchemy Core
        connection.execute(insert(model), values_list)
        if logs:
            for log in logs:
                log["payload"] = {key: jsonable(value) for key, value in log["payload"].items()}
            connection.execute(insert(ChangeLog), logs)
    return [values["id"] for values in values_list]
