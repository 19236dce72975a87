"""Ledger rows written straight to the driver are the rows, and the change-log rows, a flush would write."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, inspect, select

from core.kernel.ids import new_id
from core.staff.auth import Actor
from storage import ledger
from storage.bootstrap import Services
from storage.changelog import UnloggedWriteError
from storage.db import Store, connect
from storage.registers import DirectWrites
from storage.schema import Communication, Customer, Ledger, LoyaltyAccount, LoyaltyTransaction, Order, OrderLine
from storage.schema.base import UTCDateTime
from storage.uow import SqlUnitOfWork

IGNORED = {"id", "event_id", "row_id", "hlc", "branch_seq"}  # differ between any two writes


def rows(store: Store, sql: str, *args: Any) -> list[dict[str, Any]]:
    conn = connect(store.path)
    conn.row_factory = sqlcipher.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in IGNORED}
    if "payload" in out:
        payload = json.loads(out["payload"])
        out["payload"] = {k: v for k, v in payload.items() if k not in IGNORED}
    return out


def write_both_ways(
    services: Services, actor: Actor, model: type[Any], values: dict[str, Any], microsecond: int
) -> tuple[str, str]:
    store = services.store
    with SqlUnitOfWork(store, services.clock, actor) as uow:
        write = uow.session.info["write_context"]
        write.now = write.now.replace(microsecond=microsecond)  # 0 is where a naive text conversion differs
        flushed = model(id=new_id(), **values)
        uow.session.add(flushed)
        uow.session.flush()
        appended = ledger.append(uow.session, model, [values])[0]
        uow.commit()
    return flushed.id, appended


@pytest.mark.parametrize(("with_optionals", "microsecond"), [(True, 123456), (False, 0)])
def test_appended_loyalty_event_equals_a_flushed_one(
    services: Services, cashier: Actor, with_optionals: bool, microsecond: int
) -> None:
    store = services.store
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        customer = uow.session.scalars(select(Customer)).first()
        assert customer is not None
        account = LoyaltyAccount(customer_id=customer.id, card_number=f"T{new_id()[-12:]}")
        uow.session.add(account)
        uow.session.flush()
        account_id = account.id
        uow.commit()
    values: dict[str, Any] = {"account_id": account_id, "kind": "earn", "points": 42}
    if with_optionals:
        values |= {"expires_on": date(2027, 11, 30), "reason": "تجربة", "offline_pending": True}
    flushed, appended = write_both_ways(services, cashier, LoyaltyTransaction, values, microsecond)
    a, b = (rows(store, "SELECT * FROM loyalty_transactions WHERE id = ?", i)[0] for i in (flushed, appended))
    assert comparable(a) == comparable(b)
    assert b["created_at"].endswith(f".{microsecond:06d}")
    log_a, log_b = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (flushed, appended))
    assert len(log_a) == len(log_b) == 1
    assert comparable(log_a[0]) == comparable(log_b[0])
    assert json.loads(log_b[0]["payload"])["id"] == appended
    assert log_a[0]["branch_seq"] + 1 == log_b[0]["branch_seq"]
    assert log_a[0]["hlc"] < log_b[0]["hlc"]


def test_appended_order_with_json_and_defaults_equals_a_flushed_one(services: Services, cashier: Actor) -> None:
    store = services.store
    values = {"number": f"T-{new_id()[-8:]}", "net_fils": 1000, "vat_fils": 50, "total_fils": 1050}
    flushed_values = {**values, "number": values["number"] + "F"}
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        flushed = Order(id=new_id(), **flushed_values)
        uow.session.add(flushed)
        uow.session.flush()
        appended = ledger.append(uow.session, Order, [values])[0]
        uow.commit()
    a, b = (rows(store, "SELECT * FROM orders WHERE id = ?", i)[0] for i in (flushed.id, appended))
    assert b["kind"] == "sale" and b["tenders"] == "{}"  # column defaults, as a flush applies them
    a.pop("number"), b.pop("number")
    assert comparable(a) == comparable(b)
    (log_a,), (log_b,) = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (flushed.id, appended))
    pa, pb = json.loads(log_a["payload"]), json.loads(log_b["payload"])
    assert pa.pop("number") != pb.pop("number")
    assert {k: v for k, v in pa.items() if k != "id"} == {k: v for k, v in pb.items() if k != "id"}


def test_objects_added_earlier_are_logged_first(services: Services, cashier: Actor) -> None:
    store = services.store
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        customer = uow.session.scalars(select(Customer)).first()
        assert customer is not None
        customer.notes = "prefers oud"  # pending in the session when the ledger rows are appended
        order_id = ledger.append(
            uow.session, Order, [{"number": "T-ORDER-1", "net_fils": 1, "vat_fils": 0, "total_fils": 1}]
        )[0]
        line_ids = ledger.append(
            uow.session,
            OrderLine,
            [
                {"order_id": order_id, "sku": f"SKU{i}", "product_name": "Oud", "quantity": 1, "unit_price_fils": 1,
                 "net_fils": 1, "vat_fils": 0}
                for i in range(3)
            ],
        )  # fmt: skip
        uow.commit()
    logged = rows(
        store,
        "SELECT entity, row_id, hlc FROM change_log WHERE branch_seq > "
        "(SELECT max(branch_seq) - 6 FROM change_log) ORDER BY branch_seq",
    )
    assert [r["entity"] for r in logged] == ["customers", "customer_history", "orders", *["order_lines"] * 3]
    assert [r["row_id"] for r in logged[2:]] == [order_id, *line_ids]
    stamps = [r["hlc"] for r in logged]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_append_outside_a_unit_of_work_is_refused(store: Store) -> None:
    before = rows(store, "SELECT count(*) AS n FROM change_log")[0]["n"]
    with store.write_session() as session, pytest.raises(UnloggedWriteError):
        ledger.append(session, Order, [{"number": "T-X", "net_fils": 1, "vat_fils": 0, "total_fils": 1}])
    assert rows(store, "SELECT count(*) AS n FROM orders WHERE number = 'T-X'")[0]["n"] == 0
    assert rows(store, "SELECT count(*) AS n FROM change_log")[0]["n"] == before


def test_a_rolled_back_unit_of_work_leaves_no_appended_rows(services: Services, cashier: Actor) -> None:
    store = services.store
    before = rows(store, "SELECT count(*) AS n FROM change_log")[0]["n"]
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        ledger.append(uow.session, Order, [{"number": "T-RB", "net_fils": 1, "vat_fils": 0, "total_fils": 1}])
        # leaves without commit
    assert rows(store, "SELECT count(*) AS n FROM orders WHERE number = 'T-RB'")[0]["n"] == 0
    assert rows(store, "SELECT count(*) AS n FROM change_log")[0]["n"] == before


def test_customer_read_straight_from_the_driver_equals_the_orm_load(services: Services, cashier: Actor) -> None:
    from storage.repositories.people import to_profile

    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        ids = list(uow.session.scalars(select(Customer.id).limit(20)))
        for customer_id in ids:
            loaded = uow.session.get(Customer, customer_id)
            assert loaded is not None
            assert uow.customers.get(customer_id) == to_profile(loaded)
        assert uow.customers.get("no-such-customer") is None
        row = uow.session.get(Customer, ids[0])
        assert row is not None
        row.notes = "pending, not flushed"  # the driver read sees this transaction's pending changes
        profile = uow.customers.get(ids[0])
        assert profile is not None and profile.notes == "pending, not flushed"
        assert profile.created_at.tzinfo is not None


def ledger_models() -> list[type[Ledger]]:
    found: list[type[Ledger]] = []
    todo: list[type[Ledger]] = [Ledger]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not sub.__dict__.get("__abstract__"):
                found.append(sub)
    return sorted(found, key=lambda model: model.__tablename__)


SAMPLES: dict[type[Any], Any] = {
    UTCDateTime: datetime(2026, 11, 30, 20, 15, 7, 123456, tzinfo=UTC),
    Date: date(2028, 2, 29),
    Boolean: True,
    Integer: -4200,
    Float: 2.5,
    JSON: {"oud": ["دهن العود", 3], "none": None},
    Text: "عطر — perfume",
}
FILLED = {"id", "branch_id", "created_at"}  # filled alike by both paths when missing


def sample_row(model: type[Ledger], with_optionals: bool) -> tuple[dict[str, Any], set[str]]:
    """A row of ``model`` naming every column but those both paths fill (without optionals, only the columns
    with neither a default nor NULL allowed), and its unique columns, which the two rows written cannot share."""
    values: dict[str, Any] = {}
    unique: set[str] = set()
    # A unique index over several columns (one recipient per campaign occurrence): one of them must differ.
    indexed = {list(index.columns)[-1].name for index in model.__table__.indexes if index.unique}
    for attr in inspect(model).column_attrs:
        column = attr.columns[0]
        if attr.key in FILLED or (not with_optionals and (column.nullable or column.default is not None)):
            continue
        kind = next((k for k in SAMPLES if isinstance(column.type, k)), String)
        if kind is String:
            length = getattr(column.type, "length", None) or 36
            value: Any = f"{attr.key}-ع"[: length - 2]
        else:
            value = SAMPLES[kind]
        if column.unique or column.name in indexed:
            unique.add(attr.key)
        values[attr.key] = value
    return values, unique


def stored(uow: SqlUnitOfWork, table: str, row_id: str) -> dict[str, Any]:
    # Read in the transaction, never committed: the sample rows point at no real parent rows.
    return dict(
        uow.session.connection().exec_driver_sql(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).mappings().one()
    )


def stored_log(uow: SqlUnitOfWork, row_id: str) -> dict[str, Any]:
    return dict(
        uow.session.connection()
        .exec_driver_sql("SELECT * FROM change_log WHERE row_id = ?", (row_id,))
        .mappings()
        .one()
    )


@pytest.mark.parametrize("with_optionals", [True, False], ids=["all_columns", "required_only"])
@pytest.mark.parametrize("model", ledger_models(), ids=lambda model: model.__name__)
def test_every_ledger_appends_what_a_flush_writes(
    services: Services, cashier: Actor, model: type[Ledger], with_optionals: bool
) -> None:
    values, unique = sample_row(model, with_optionals)
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        flushed = model(**{**values, **{key: f"{values[key]}F" for key in unique}})
        uow.session.add(flushed)
        uow.session.flush()
        appended = ledger.append(uow.session, model, [values])[0]
        a, b = stored(uow, model.__tablename__, flushed.id), stored(uow, model.__tablename__, appended)
        log_a, log_b = stored_log(uow, flushed.id), stored_log(uow, appended)
    assert all(b[key] == values[key] for key in unique)
    assert comparable({**a, **dict.fromkeys(unique)}) == comparable({**b, **dict.fromkeys(unique)})
    pa, pb = json.loads(log_a.pop("payload")), json.loads(log_b.pop("payload"))
    assert comparable(log_a) == comparable(log_b)
    assert comparable({**pa, **dict.fromkeys(unique)}) == comparable({**pb, **dict.fromkeys(unique)})
    assert pb["id"] == appended and set(pb) == {attr.key for attr in inspect(model).column_attrs}


def test_a_key_that_is_no_column_is_refused(services: Services, cashier: Actor) -> None:
    before = rows(services.store, "SELECT count(*) AS n FROM change_log")[0]["n"]
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        with pytest.raises(TypeError, match="Order has no column 'totl_fils'"):
            ledger.append(uow.session, Order, [{"number": "T-TYPO", "net_fils": 1, "vat_fils": 0, "totl_fils": 1}])
        uow.commit()
    assert rows(services.store, "SELECT count(*) AS n FROM orders WHERE number = 'T-TYPO'")[0]["n"] == 0
    assert rows(services.store, "SELECT count(*) AS n FROM change_log")[0]["n"] == before


def test_a_directly_written_new_register_row_equals_a_flushed_one(services: Services, cashier: Actor) -> None:
    """A campaign's outbox messages come this way (storage.registers): the row, its per-field stamps and its
    change-log row are what the ORM's flush writes for a new register row."""
    store = services.store
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        customer = uow.session.scalars(select(Customer)).first()
        assert customer is not None
        values = {"customer_id": customer.id, "channel": "sms", "recipient": "+971501234567", "body": "عرض"}
        values |= {"params": ["a", "b"]}
        flushed = Communication(id=new_id(), **values)
        uow.session.add(flushed)
        uow.session.flush()
        writes = DirectWrites(uow.session)
        appended = writes.insert(Communication, values)
        writes.execute()
        uow.commit()
    a, b = (rows(store, "SELECT * FROM communications WHERE id = ?", i)[0] for i in (flushed.id, appended))
    stamps_a, stamps_b = json.loads(a.pop("field_hlc")), json.loads(b.pop("field_hlc"))
    assert comparable(a) == comparable(b)
    assert b["status"] == "queued" and b["direction"] == "outbound" and b["deleted"] == 0  # defaults, as flushed
    assert set(stamps_a) == set(stamps_b)  # every field stamped
    (log_a,), (log_b,) = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (flushed.id, appended))
    assert comparable(log_a) == comparable(log_b)
    assert set(stamps_b.values()) == {log_b["hlc"]}  # with the change's own stamp
    assert json.loads(log_b["payload"])["field_hlc"] == {}
