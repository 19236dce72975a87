"""Register rows and ledger rows straight to the driver, each change with its change-log row, in one transaction.

The outbox's hot paths write the same few rows over and over: a message queued by a sale (one register
insert), a send's result (the message's changed fields, two history rows, the lease gone). Through the ORM a
result cost about 6 ms before its fsync (loading the row, the flush, the change-log hook); here it is a
handful of statements, and the results of sends that finished together go in one transaction.

``DirectWrites`` collects the changes and writes them with one ``executemany`` per statement, change-log rows
first, so the database's check of a register update (migration 0005: its stamps must already be in the change
log) passes by construction. What it writes is exactly what a flush of the same objects writes: the columns
come from the model (a column added later is inserted with its default), values go through the columns' own
types, an insert stamps every field with its change's HLC and logs the whole row with an empty ``field_hlc``,
an update stamps and logs only the fields whose value changed (storage.changelog does the same; a test
compares the two). Customers are refused: their writes also keep the search document and the audit history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from core.kernel.ids import new_id
from storage.changelog import WRITE_KEY, UnloggedWriteError, WriteContext, change_log_row
from storage.ledger import InsertPlan, Processor, driver_rows, insert_plan, write_change_log
from storage.schema import Customer, Ledger, Register, Synced
from storage.schema.base import BOOKKEEPING

_FIELDS: dict[type[Any], tuple[str, ...]] = {}  # a register's own fields, in the mapper's order
_BLANK: dict[type[Any], dict[str, Any]] = {}  # every column None, in the table's order
_DEFAULTS: dict[type[Any], list[tuple[str, Any, bool]]] = {}


def _stamps_text(stamps: dict[str, Any]) -> str:
    # A row's field stamps: bookkeeping read back as JSON, never compared as text (storage.replica writes
    # them with orjson too); json.dumps of two dozen stamps a row was a tenth of a campaign batch.
    return orjson.dumps(stamps).decode()


_STAMPS: dict[str, Processor] = {"field_hlc": _stamps_text}


def _blank(model: type[Any], plan: InsertPlan) -> dict[str, Any]:
    blank = _BLANK.get(model)
    if blank is None:
        blank = _BLANK[model] = dict.fromkeys(c.key for c in plan.columns)
    return blank.copy()


def _defaults(model: type[Any], plan: InsertPlan) -> list[tuple[str, Any, bool]]:
    found = _DEFAULTS.get(model)
    if found is None:
        found = [(c.key, c.default, c.callable_default) for c in plan.columns if c.default is not None]
        _DEFAULTS[model] = found
    return found


def _fields(model: type[Register]) -> tuple[str, ...]:
    fields = _FIELDS.get(model)
    if fields is None:
        keys = (attr.key for attr in inspect(model).column_attrs)
        fields = _FIELDS[model] = tuple(key for key in keys if key not in BOOKKEEPING)
    return fields


class DirectWrites:
    """``DirectWrites(session)`` inside a unit of work's transaction (its WriteContext says who and when);
    ``insert`` and ``update`` collect, ``execute`` writes. Pending ORM changes of the session are flushed
    first, so the change log keeps the order in which the changes were made."""

    def __init__(self, session: Session) -> None:
        write: WriteContext | None = session.info.get(WRITE_KEY)
        if write is None:
            raise UnloggedWriteError("replicated rows are written only inside a unit of work")
        self._session = session
        self._write = write
        self._logs: list[dict[str, Any]] = []
        self._inserts: dict[type[Any], list[dict[str, Any]]] = {}
        self._updates: dict[tuple[type[Any], tuple[str, ...]], list[dict[str, Any]]] = {}
        self._driver_sql: list[tuple[str, list[tuple[Any, ...]]]] = []

    def insert(self, model: type[Synced], row: Mapping[str, Any]) -> str:
        """Collects a new ledger or register row (attribute → value; unset columns take their defaults, id,
        branch and times are filled as a flush fills them); returns its id."""
        if model is Customer:
            raise TypeError("customers are written through the ORM (search document, audit history)")
        plan = self._plan(model)
        if not plan.keys.issuperset(row):
            unknown = ", ".join(repr(name) for name in row if name not in plan.keys)
            raise TypeError(f"{model.__name__} has no column {unknown}")
        write = self._write
        values = _blank(model, plan)
        values.update(row)
        for key, default, call in _defaults(model, plan):
            if values[key] is None:
                values[key] = default(None) if call else default
        values["id"] = values["id"] or new_id()
        values["branch_id"] = values["branch_id"] or write.branch_id
        values["created_at"] = values["created_at"] or write.now
        hlc = write.clock.now().encode()
        payload: dict[str, Any]
        if issubclass(model, Register):
            values["updated_at"] = write.now
            values["field_hlc"] = dict.fromkeys(_fields(model), hlc)
            payload = {**values, "field_hlc": {}}
            payload.pop("search_doc", None)
        else:
            assert issubclass(model, Ledger)
            payload = values  # never changed after: its values are converted when written
        self._inserts.setdefault(model, []).append(values)
        if not write.remote:
            self._logs.append(change_log_row(write, plan.entity, values["id"], "insert", payload, hlc))
        return str(values["id"])

    def update(self, model: type[Register], current: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
        """Collects the change of the register row ``current`` (its values as stored, ``id`` and ``field_hlc``
        included) to ``fields``; only fields whose value differs are stamped and logged. False when nothing
        differs (nothing is written)."""
        if model is Customer:
            raise TypeError("customers are written through the ORM (search document, audit history)")
        unread = [name for name in fields if name not in current]
        if unread:
            raise KeyError(f"the current value of {', '.join(unread)} was not read: cannot tell what changed")
        changed = {name: fields[name] for name in _fields(model) if name in fields and fields[name] != current[name]}
        if not changed:
            return False
        write = self._write
        hlc = write.clock.now().encode()
        row_id = current["id"]
        values = {
            **changed,
            "updated_at": write.now,
            "field_hlc": {**(current.get("field_hlc") or {}), **{name: hlc for name in changed}},
            "id": row_id,
        }
        self._updates.setdefault((model, tuple(changed)), []).append(values)
        payload = {**changed, "id": row_id}
        self._logs.append(change_log_row(write, model.__tablename__, row_id, "update", payload, hlc))
        return True

    def driver(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """A statement on a local, unreplicated table (a lease), run after the rows: ``?`` parameters."""
        if params:
            self._driver_sql.append((sql, params))

    def execute(self) -> None:
        """Writes everything collected: change-log rows (in the order of their stamps), inserts, updates."""
        session = self._session
        session.flush()
        connection = session.connection()
        dialect = connection.dialect
        if dialect.paramstyle != "qmark":
            raise NotImplementedError("direct writes are for a branch store (SQLite)")
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            write_change_log(cursor, dialect, self._logs)
            for model, rows in self._inserts.items():
                plan = insert_plan(model, dialect)
                cursor.executemany(plan.sql, driver_rows(plan.columns, rows, _STAMPS))
            for (model, names), rows in self._updates.items():
                sql, columns = _update_plan(model, names, dialect)
                cursor.executemany(sql, driver_rows(columns, rows, _STAMPS))
            for sql, params in self._driver_sql:
                cursor.executemany(sql, params)
        finally:
            cursor.close()
        self._logs, self._inserts, self._updates, self._driver_sql = [], {}, {}, []

    def _plan(self, model: type[Any]) -> InsertPlan:
        return insert_plan(model, self._session.get_bind().dialect)


_UPDATES: dict[tuple[type[Any], tuple[str, ...], str], tuple[str, tuple[Any, ...]]] = {}


def _update_plan(model: type[Any], names: tuple[str, ...], dialect: Dialect) -> tuple[str, tuple[Any, ...]]:
    key = (model, names, dialect.name)
    found = _UPDATES.get(key)
    if found is None:
        by_key = {column.key: column for column in insert_plan(model, dialect).columns}
        assigned = (*names, "updated_at", "field_hlc")
        columns = (*(by_key[name] for name in assigned), by_key["id"])
        sql = (
            f"UPDATE {model.__tablename__} SET {', '.join(f'{by_key[n].name} = ?' for n in assigned)} "
            f"WHERE {by_key['id'].name} = ?"
        )
        found = _UPDATES[key] = (sql, columns)
    return found
