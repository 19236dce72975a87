"""The branch store's side of an erasure, below sync: the triggers that keep ledgers and the change log
append-only yield only inside a scrub's own transaction, the scrub reaches rows a replica keeps aside (updates
ahead of their insert, rows waiting for a parent), and the search index forgets the old name."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy.exc import IntegrityError

from core.customers.model import CustomerDraft
from core.staff.auth import Actor
from storage import erasure
from storage.bootstrap import Services

TOMBSTONE = "000000000000001.00000.x|headoffice"


def test_the_scrub_alone_may_overwrite_logged_rows_and_it_reaches_rows_kept_aside(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    store = services.store
    profile = services.customers.create(
        cashier, CustomerDraft(first_name_en="Yasmin", last_name_en="Haddadin", mobile="050 765 4321")
    )
    assert [c.id for c in services.customers.search("Yasmin")] == [profile.id]
    with store.write_engine.begin() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.exec_driver_sql("UPDATE customer_history SET changes = '{}' WHERE customer_id = ?", (profile.id,))
    with store.write_engine.begin() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.exec_driver_sql("UPDATE change_log SET payload = '{}'")
    message = {"id": "m1", "customer_id": profile.id, "body": "Dear Yasmin Haddadin", "recipient": "+971507654321"}
    waiting = {"entity": "ticket_responses", "row_id": "r1", "op": "insert", "stamp": TOMBSTONE}
    with store.write_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO orphan_rows (entity, row_id, data, field_hlc) VALUES ('communications', 'm1', ?, '{}')",
            (orjson.dumps(message).decode(),),
        )
        conn.exec_driver_sql(
            "INSERT INTO waiting_rows (entity, row_id, parent_entity, parent_id, change) "
            "VALUES ('customer_feedback', 'f1', 'orders', 'o1', ?)",
            (
                orjson.dumps(
                    {**waiting, "entity": "customer_feedback", "row_id": "f1"}
                    | {"data": {"id": "f1", "customer_id": profile.id, "comment": "Yasmin was delighted"}}
                ).decode(),
            ),
        )
        # Head office's tombstone, as a pull writes it (its stamp is head office's).
        conn.exec_driver_sql("INSERT INTO erasure_scrubbing (customer_id) VALUES (?)", (profile.id,))
        conn.exec_driver_sql(
            "UPDATE customers SET erased_at = '2026-12-02 09:00:00.000000', "
            "field_hlc = json_set(field_hlc, '$.erased_at', ?) WHERE id = ?",
            (TOMBSTONE, profile.id),
        )
        conn.exec_driver_sql("DELETE FROM erasure_scrubbing")
        assert erasure.erased_among(conn, [profile.id, "someone-else"]) == [profile.id]
        assert erasure.scrub_customers(conn, [profile.id], pushed_seq=10**9) > 0
    erasure.after_scrub(store)
    assert services.customers.search("Yasmin") == []
    assert services.customers.search("Haddadin") == []
    with store.read_engine.connect() as conn:
        kept = conn.exec_driver_sql("SELECT data FROM orphan_rows").scalar()
        change = conn.exec_driver_sql("SELECT change FROM waiting_rows").scalar()
        logged = conn.exec_driver_sql("SELECT group_concat(payload) FROM change_log").scalar()
        history = conn.exec_driver_sql("SELECT group_concat(changes) FROM customer_history").scalar()
        flags = conn.exec_driver_sql("SELECT count(*) FROM erasure_scrubbing").scalar()
    for text in (kept, change, logged, history):
        assert "Yasmin" not in text and "Haddadin" not in text and "7654321" not in text, text
    assert orjson.loads(kept)["body"] == "" and orjson.loads(change)["data"]["comment"] is None
    assert flags == 0
    # Once the scrub has committed, the triggers refuse again.
    with store.write_engine.begin() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.exec_driver_sql("UPDATE change_log SET payload = '{}'")
