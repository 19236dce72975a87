"""The change log is complete by construction: the direct path below the ORM only reads."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.staff.auth import Actor
from storage import direct
from storage.bootstrap import Services
from storage.db import Store
from storage.direct import DirectWriteError
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
