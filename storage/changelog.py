"""The outbox and audit trail, written by construction.

Every flush of a write session passes through ``record_changes``: each inserted or updated replicated row
gets its change-log row (gap-free ``branch_seq``, HLC stamp, who and where) in the same transaction, register
fields get their per-field HLC, customers get their audit-history row. A replicated row flushed outside a
unit of work, an update or delete of a ledger row, or a delete of a register row is refused, so no code path
can write without leaving its trace. SQLite triggers refuse the same at the database level, and refuse a
register update whose change-log row is not already written (migration 0005).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from core.kernel.hlc import HybridLogicalClock
from core.kernel.ids import new_id
from storage.schema import ChangeLog, Customer, CustomerHistory, Ledger, Register, Synced
from storage.schema.base import BOOKKEEPING

WRITE_KEY = "write_context"


class UnloggedWriteError(RuntimeError):
    """A replicated row was flushed by a session that is not a unit of work's writing session."""


class AppendOnlyError(RuntimeError):
    """An update or delete of a ledger row, or a hard delete of a register row."""


@dataclass
class WriteContext:
    branch_id: str
    staff_id: str | None
    clock: HybridLogicalClock
    now: datetime
    remote: bool = False  # applying changes pulled from head office: nothing to log again


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(obj: Synced) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


PENDING_KEY = "change_log_pending"


def change_log_row(
    write: WriteContext,
    entity: str,
    row_id: str,
    op: str,
    payload: dict[str, Any],
    hlc: str,
    event_id: str | None = None,
) -> dict[str, Any]:
    return {
        "event_id": event_id or new_id(),
        "branch_id": write.branch_id,
        "entity": entity,
        "row_id": row_id,
        "op": op,
        "payload": payload,
        "hlc": hlc,
        "staff_id": write.staff_id,
        "created_at": write.now,
    }


def _log(session: Session, write: WriteContext, obj: Synced, op: str, payload: dict[str, Any], hlc: str) -> None:
    # Collected here and written by one executemany when the hook ends (same transaction): a change-log row is
    # plain data, and going through the ORM's unit of work for it doubled the cost of every write.
    session.info.setdefault(PENDING_KEY, []).append(change_log_row(write, obj.__tablename__, obj.id, op, payload, hlc))


def _fill_defaults(obj: Synced) -> None:
    """Column defaults are applied at INSERT, after this hook: apply them now so the logged payload is the row."""
    for attr in inspect(obj).mapper.column_attrs:
        column = attr.columns[0]
        default = column.default
        if default is None or getattr(obj, attr.key) is not None:
            continue
        if default.is_scalar:
            setattr(obj, attr.key, default.arg)
        elif default.is_callable:
            setattr(obj, attr.key, default.arg(None))


def _on_insert(session: Session, write: WriteContext, obj: Synced) -> None:
    _fill_defaults(obj)
    if obj.id is None:
        obj.id = new_id()
    if obj.branch_id is None:
        obj.branch_id = write.branch_id
    if obj.created_at is None:
        obj.created_at = write.now
    hlc = write.clock.now().encode()
    if isinstance(obj, Register):
        obj.updated_at = write.now
        if obj.deleted is None:
            obj.deleted = False
        obj.field_hlc = {name: hlc for name in _columns(obj) if name not in BOOKKEEPING}
    if isinstance(obj, Customer):
        obj.refresh_search_doc()
    payload = {name: jsonable(getattr(obj, name)) for name in _columns(obj) if name != "search_doc"}
    if isinstance(obj, Register):
        # Every field of a new row carries the change's own stamp, as an update's fields do, so the map is sent
        # empty (a replica tells a register by its entity, never by this map). Spelling out the same stamp for each
        # of a customer's two dozen fields made the change three times its size, on the wire and at head office.
        payload["field_hlc"] = {}
    _log(session, write, obj, "insert", payload, hlc)
    if isinstance(obj, Customer):
        _audit(session, write, obj, "created", {k: [None, v] for k, v in payload.items() if _audited(k, v)})


def _on_update(session: Session, write: WriteContext, obj: Register) -> None:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for name in _columns(obj):
        if name in BOOKKEEPING:
            continue
        history = state.attrs[name].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[name] = [jsonable(old), jsonable(new)]
    if not changes:
        return
    hlc = write.clock.now().encode()
    obj.updated_at = write.now
    obj.field_hlc = {**(obj.field_hlc or {}), **{name: hlc for name in changes}}
    if isinstance(obj, Customer):
        obj.refresh_search_doc()
    payload = {name: new for name, (_old, new) in changes.items()}
    payload["id"] = obj.id
    _log(session, write, obj, "update", payload, hlc)
    if isinstance(obj, Customer):
        _audit(session, write, obj, "deleted" if "deleted" in changes else "updated", changes)


def _audited(name: str, value: Any) -> bool:
    hidden = {"id", "branch_id", "created_at", "deleted", "number", *BOOKKEEPING}
    return name not in hidden and value not in (None, False, "")


def _audit(session: Session, write: WriteContext, customer: Customer, action: str, changes: dict[str, Any]) -> None:
    entry = CustomerHistory(customer_id=customer.id, staff_id=write.staff_id, action=action, changes=changes)
    session.add(entry)
    _on_insert(session, write, entry)


@event.listens_for(Session, "before_flush")
def record_changes(session: Session, _flush_context: object, _instances: object) -> None:
    session.info.pop(PENDING_KEY, None)  # left by a hook that failed halfway: never written later
    new = [o for o in session.new if isinstance(o, Synced)]
    dirty = [o for o in session.dirty if isinstance(o, Synced) and session.is_modified(o)]
    deleted = [o for o in session.deleted if isinstance(o, Synced)]
    if not (new or dirty or deleted):
        return
    write: WriteContext | None = session.info.get(WRITE_KEY)
    if write is None:
        raise UnloggedWriteError("replicated rows are written only inside a unit of work")
    for obj in deleted:
        raise AppendOnlyError(f"{obj.__tablename__} rows are never deleted (ledger, or tombstone a register)")
    for obj in dirty:
        if isinstance(obj, Ledger):
            raise AppendOnlyError(f"{obj.__tablename__} is append-only")
    if write.remote:
        return
    for obj in new:
        _on_insert(session, write, obj)
    for obj in dirty:
        assert isinstance(obj, Register)
        _on_update(session, write, obj)
    rows = session.info.pop(PENDING_KEY, None)
    if rows:
        # In order (branch_seq follows), in the flush's transaction, and before the flush's own statements: the
        # database lets a register row change only once the change-log row of its new stamp is there.
        session.connection().execute(insert(ChangeLog), rows)
