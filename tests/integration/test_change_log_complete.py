"""The change log is complete by construction: no write below the ORM can change a register row unlogged."""

from __future__ import annotations

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select, text

from core.staff.auth import Actor
from storage import direct
from storage.bootstrap import Services
from storage.db import Store, connect
from storage.direct import DirectWriteError
from storage.schema import Customer, Register
from storage.uow import SqlUnitOfWork

WRITES = (
    "UPDATE customers SET notes = 'through the back door'",
    "WITH c AS (SELECT id FROM customers) UPDATE customers SET notes = 'through the back door' "
    "WHERE id IN (SELECT id FROM c) RETURNING id",
    "INSERT INTO store_settings (key, value) VALUES ('back_door', '1') RETURNING key",
    "DELETE FROM store_settings WHERE key = 'branch_id' RETURNING key",
    "PRAGMA foreign_keys = OFF",
)


def one_customer(store: Store) -> tuple[str, str | None, str]:
    with store.read_engine.connect() as conn:
        row = conn.execute(text("SELECT id, notes, field_hlc FROM customers ORDER BY id LIMIT 1")).one()
    return row[0], row[1], row[2]


def logged(store: Store, row_id: str) -> list[tuple[str, str]]:
    with store.read_engine.connect() as conn:
        sql = text("SELECT op, hlc FROM change_log WHERE row_id = :r ORDER BY branch_seq")
        return [(r[0], r[1]) for r in conn.execute(sql, {"r": row_id})]


@pytest.mark.parametrize("sql", WRITES)
def test_the_direct_path_refuses_anything_but_a_read(services: Services, cashier: Actor, sql: str) -> None:
    store = services.store
    before = one_customer(store)
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        with pytest.raises(DirectWriteError):
            direct.rows(uow.session, sql)
        assert direct.scalar(uow.session, "SELECT count(*) FROM customers WHERE notes = :n", {"n": "x"}) == 0
        uow.commit()
    assert one_customer(store) == before
    with store.read_engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM store_settings WHERE key = 'back_door'")).first() is None
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_local_counter_has_its_own_helper(services: Services, cashier: Actor) -> None:
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        first = direct.next_counter(uow.session, "test_counter")
        assert (first, direct.next_counter(uow.session, "test_counter")) == (1, 2)
        uow.commit()
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        assert direct.next_counter(uow.session, "test_counter") == 3


def test_a_direct_read_goes_through_the_connection_of_its_own_transaction(store: Store) -> None:
    """The DB-API connection is remembered per transaction: once a session's transaction ends, the next one's
    reads go through whatever connection that one holds (here another, the first being checked out)."""
    session = store.read_session()
    try:
        with session.begin():
            first = direct.driver(session)
            assert direct.driver(session) is first
        # ``held`` takes the pool's connection back, which the session's next transaction would take again.
        with store.read_engine.connect() as held, session.begin():
            mine = session.connection().connection.driver_connection
            assert mine is not held.connection.driver_connection
            assert direct.driver(session) is mine
    finally:
        session.close()


def test_a_register_update_without_its_change_log_row_is_refused(store: Store) -> None:
    customer_id, notes, stamps = one_customer(store)
    history = logged(store, customer_id)
    unlogged_stamp = "999999999999999.00000.some-till"  # this store's own kind of stamp, never logged
    raw = connect(store.path)
    try:
        for sql in (
            "UPDATE customers SET notes = 'bare' WHERE id = ?",
            "UPDATE customers SET notes = 'bare', updated_at = updated_at WHERE id = ?",
            f"UPDATE customers SET notes = 'bare', field_hlc = json_set(field_hlc, '$.notes', '{unlogged_stamp}') "
            "WHERE id = ?",
            "UPDATE customers SET notes = 'bare', field_hlc = '{}' WHERE id = ?",
        ):
            with pytest.raises(sqlcipher.IntegrityError, match="only with its change-log row"):
                raw.execute(sql, (customer_id,))
        raw.commit()
    finally:
        raw.close()
    assert one_customer(store) == (customer_id, notes, stamps)
    assert logged(store, customer_id) == history


def test_a_unit_of_work_update_is_logged_before_the_row_changes(services: Services, cashier: Actor) -> None:
    store = services.store
    customer_id, _notes, _stamps = one_customer(store)
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        customer = uow.session.get(Customer, customer_id)
        assert customer is not None
        customer.notes = "prefers oud"
        uow.commit()
    _id, notes, stamps = one_customer(store)
    op, hlc = logged(store, customer_id)[-1]
    assert notes == "prefers oud" and op == "update" and f'"notes": "{hlc}"' in stamps.replace('":"', '": "')


def test_every_register_table_is_guarded(store: Store) -> None:
    tables = {mapper.local_table.name for mapper in Register.registry.mappers if issubclass(mapper.class_, Register)}
    with store.read_engine.connect() as conn:
        triggers = set(
            conn.scalars(select(text("name")).select_from(text("sqlite_master")).where(text("type = 'trigger'")))
        )
    assert tables and {f"{table}_logged_update" for table in tables} <= triggers
