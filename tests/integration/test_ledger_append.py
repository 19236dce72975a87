"""Ledger rows written straight to the driver are the rows, and the change-log rows, a flush would write."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from core.kernel.ids import new_id
from core.staff.auth import Actor
from storage import ledger
from storage.bootstrap import Services
from storage.changelog import UnloggedWriteError
from storage.db import Store
from storage.schema import Customer, LoyaltyAccount, LoyaltyTransaction, Order, OrderLine
from storage.uow import SqlUnitOfWork

IGNORED = {"id", "event_id", "row_id", "hlc", "branch_seq"}  # differ between any two writes


def rows(store: Store, sql: str, *args: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(store.path)
    conn.row_factory = sqlite3.Row
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
