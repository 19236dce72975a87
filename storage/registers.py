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

A receipt is written this way inside every sale, so the Python per row is kept small: each model's values are
laid out in column order by a plan made once, only the columns whose type converts a value are converted (the
unit of work's time once), a new row's stamps are filled into a template, and the change-log payload is
serialised once, by orjson (the JSON text differs from a flush's in spacing and escapes only).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from core.kernel.ids import new_id, new_ids
from storage import direct
from storage.changelog import WRITE_KEY, UnloggedWriteError, WriteContext, change_log_row
from storage.ledger import InsertPlan, driver_values, insert_plan
from storage.schema import ChangeLog, Customer, Ledger, Register, Synced
from storage.schema.base import BOOKKEEPING, UTCDateTime

_FIELDS: dict[type[Any], tuple[str, ...]] = {}  # a register's own fields, in the mapper's order


def _fields(model: type[Register]) -> tuple[str, ...]:
    fields = _FIELDS.get(model)
    if fields is None:
        keys = (attr.key for attr in inspect(model).column_attrs)
        fields = _FIELDS[model] = tuple(key for key in keys if key not in BOOKKEEPING)
    return fields


@dataclass(frozen=True)
class _Shape:
    """How a new row of one model becomes the driver's values, worked out once per model and dialect: the
    values are laid out in the INSERT's column order, and only the columns whose type converts a value (JSON,
    dates and times) are converted. A register's ``field_hlc`` and a change-log row's ``payload`` are handed
    over as JSON text already."""

    plan: InsertPlan
    keys: tuple[str, ...]  # attribute keys, in the INSERT's column order
    blank: dict[str, Any]  # every key with its scalar default, else None
    made: tuple[tuple[str, Callable[[Any], Any]], ...]  # keys with a callable default
    # (position, the column type's conversion, whether the column holds UTC times)
    convert: tuple[tuple[int, Callable[[Any], Any], bool], ...]
    fields: tuple[str, ...]  # a register's own fields, each stamped; () for a ledger
    logged: tuple[str, ...]  # the keys of the logged payload
    stamps: str  # a new register row's field_hlc, every field stamped with _STAMP, as json.dumps writes it


_SHAPES: dict[tuple[type[Any], str], _Shape] = {}
_STAMP = '"\x00stamp"'  # in a register's stamps template, where the change's HLC goes (as a JSON string)


def _shape(model: type[Any], dialect: Dialect) -> _Shape:
    key = (model, dialect.name)
    shape = _SHAPES.get(key)
    if shape is None:
        plan = insert_plan(model, dialect)
        columns = plan.columns
        register = issubclass(model, Register)
        as_text = {"payload"} if model is ChangeLog else {"field_hlc"} if register else set()
        table = model.__table__
        fields = _fields(model) if register else ()
        shape = _SHAPES[key] = _Shape(
            plan=plan,
            keys=tuple(c.key for c in columns),
            blank={c.key: None if c.callable_default else c.default for c in columns},
            made=tuple((c.key, c.default) for c in columns if c.callable_default),
            convert=tuple(
                (i, c.process, isinstance(table.columns[c.name].type, UTCDateTime))
                for i, c in enumerate(columns)
                if c.process is not None and c.key not in as_text
            ),
            fields=fields,
            logged=tuple(c.key for c in columns if not (register and c.key == "search_doc")),
            stamps=json.dumps(dict.fromkeys(fields, "")).replace('""', _STAMP),
        )
    return shape


def _quoted_stamps(write: WriteContext) -> bool:
    """Whether the clock's stamps are JSON strings as they are, in quotes (as json.dumps writes them): a node
    name with nothing to escape, which every branch id is."""
    node = write.clock.node
    return json.dumps(node) == f'"{node}"'


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
        self._dialect = session.get_bind().dialect
        self._now = write.now
        self._now_text: Any = None  # write.now as a UTC time column stores it, once converted
        self._logs: list[tuple[Any, ...]] = []  # change-log rows as the driver takes them, in stamp order
        self._inserts: dict[type[Any], list[tuple[Any, ...]]] = {}
        self._updates: dict[tuple[type[Any], tuple[str, ...]], list[tuple[Any, ...]]] = {}
        self._driver_sql: list[tuple[str, list[tuple[Any, ...]]]] = []

    def insert(self, model: type[Synced], row: Mapping[str, Any]) -> str:
        """Collects a new ledger or register row (attribute → value; unset columns take their defaults, id,
        branch and times are filled as a flush fills them); returns its id."""
        if model is Customer:
            raise TypeError("customers are written through the ORM (search document, audit history)")
        shape = _shape(model, self._dialect)
        if not shape.plan.keys.issuperset(row):
            unknown = ", ".join(repr(name) for name in row if name not in shape.plan.keys)
            raise TypeError(f"{model.__name__} has no column {unknown}")
        write = self._write
        values = shape.blank.copy()
        for key, value in row.items():
            if value is not None:
                values[key] = value
        for key, make in shape.made:
            if values[key] is None:
                values[key] = make(None)
        row_id = values["id"] = values["id"] or new_id()
        values["branch_id"] = values["branch_id"] or write.branch_id
        values["created_at"] = values["created_at"] or write.now
        hlc = write.clock.now().encode()
        payload: dict[str, Any]
        if shape.fields:
            values["updated_at"] = write.now
            payload = {key: values[key] for key in shape.logged}
            payload["field_hlc"] = {}
            values["field_hlc"] = shape.stamps.replace(_STAMP, json.dumps(hlc))
        else:
            assert issubclass(model, Ledger)
            payload = values
        self._inserts.setdefault(model, []).append(self._driver_row(shape, values))
        if not write.remote:
            self._log(shape.plan.entity, row_id, "insert", payload, hlc)
        return str(row_id)

    def insert_many(self, model: type[Synced], rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """``insert`` of each row of ``rows``, one model's (a campaign's thousands of messages): the same rows
        and change-log rows, with the model's plan looked up and the changes' stamps taken once for them all."""
        if model is Customer:
            raise TypeError("customers are written through the ORM (search document, audit history)")
        shape = _shape(model, self._dialect)
        unknown = set().union(*rows).difference(shape.plan.keys)  # one pass (issuperset copies each row's keys)
        if unknown:
            raise TypeError(f"{model.__name__} has no column {', '.join(repr(name) for name in sorted(unknown))}")
        write = self._write
        branch, now, remote = write.branch_id, write.now, write.remote
        blank, made, logged, fields = shape.blank, shape.made, shape.logged, shape.fields
        logs_all = logged == shape.keys  # the payload is the whole row: copied, not picked key by key
        stamped = shape.stamps.split(_STAMP)
        entity = shape.plan.entity
        inserts = self._inserts.setdefault(model, [])
        driver_row, log_row = self._driver_row, self._log
        quoted = _quoted_stamps(write)
        ids: list[str] = []
        stamps, events = write.clock.encoded(len(rows)), iter(new_ids(0 if remote else len(rows)))
        for row, hlc in zip(rows, stamps, strict=True):
            values = blank.copy()
            for key, value in row.items():
                if value is not None:
                    values[key] = value
            for key, make in made:
                if values[key] is None:
                    values[key] = make(None)
            row_id = values["id"] = values["id"] or new_id()
            values["branch_id"] = values["branch_id"] or branch
            values["created_at"] = values["created_at"] or now
            payload: dict[str, Any]
            if fields:
                values["updated_at"] = now
                payload = values.copy() if logs_all else {key: values[key] for key in logged}
                payload["field_hlc"] = {}
                values["field_hlc"] = (f'"{hlc}"' if quoted else json.dumps(hlc)).join(stamped)
            else:
                assert issubclass(model, Ledger)
                payload = values
            inserts.append(driver_row(shape, values))
            if not remote:
                log_row(entity, row_id, "insert", payload, hlc, next(events))
            ids.append(str(row_id))
        return ids

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
        names = tuple(changed)
        columns = _update_plan(model, names, self._dialect)[1]
        self._updates.setdefault((model, names), []).append(driver_values(columns, values))
        payload = dict(changed)
        payload["id"] = row_id
        self._log(model.__tablename__, row_id, "update", payload, hlc)
        return True

    def _log(
        self, entity: str, row_id: str, op: str, payload: dict[str, Any], hlc: str, event_id: str | None = None
    ) -> None:
        """The change-log row of a change, its payload serialised once, by orjson: the JSON a flush logs, parsed
        alike (dates and times as their isoformat, as storage.changelog.jsonable writes them), in a fraction of
        json.dumps's time. Head office keeps the text it receives, whichever wrote it."""
        try:
            text = orjson.dumps(payload).decode()
        except TypeError:  # a JSON value with keys that are not text (json.dumps writes them as text)
            text = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
        log = change_log_row(self._write, entity, row_id, op, {}, hlc, event_id)
        log["payload"] = text
        self._logs.append(self._driver_row(_shape(ChangeLog, self._dialect), log))

    def _driver_row(self, shape: _Shape, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """``values`` in column order, converted by the columns' types; None stays SQL NULL (as a flush leaves
        a column it was given no value for: a JSON column would otherwise hold the JSON text 'null'). The
        unit of work's time, in most rows more than once, is converted once."""
        row = [values[key] for key in shape.keys]
        for i, process, moment in shape.convert:
            value = row[i]
            if value is None:
                continue
            if moment and value is self._now:
                if self._now_text is None:
                    self._now_text = process(value)
                row[i] = self._now_text
            else:
                row[i] = process(value)
        return tuple(row)

    def driver(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        """A statement on a local, unreplicated table (a lease), run after the rows: ``?`` parameters."""
        if params:
            self._driver_sql.append((sql, params))

    def execute(self) -> None:
        """Writes everything collected: change-log rows (in the order of their stamps), inserts, updates."""
        session = self._session
        dialect = self._dialect
        if dialect.paramstyle != "qmark":
            raise NotImplementedError("direct writes are for a branch store (SQLite)")
        session.flush()
        cursor = direct.driver(session).cursor()
        try:
            if self._logs:
                cursor.executemany(insert_plan(ChangeLog, dialect).sql, self._logs)
            for model, rows in self._inserts.items():
                cursor.executemany(insert_plan(model, dialect).sql, rows)
            for (model, names), rows in self._updates.items():
                cursor.executemany(_update_plan(model, names, dialect)[0], rows)
            for sql, params in self._driver_sql:
                cursor.executemany(sql, params)
        finally:
            cursor.close()
        self._logs, self._inserts, self._updates, self._driver_sql = [], {}, {}, []


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
