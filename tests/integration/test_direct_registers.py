"""Register rows written straight to the driver (storage.registers) are the rows, and the change-log rows, that a
flush of the same change writes; the database still refuses an update without its change-log row."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import inspect, select

from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.db import connect
from storage.direct import TypedSelect
from storage.registers import DirectWrites
from storage.schema import Communication, ConsentChangeRow, Customer
from storage.uow import SqlUnitOfWork
from tests.integration.test_ledger_append import comparable, rows

KEYS = [attr.key for attr in inspect(Communication).column_attrs]
READ = TypedSelect(Communication, KEYS, "WHERE id = :id")


def without_stamps(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its field stamps reduced to the fields they name (stamps differ between any two writes)."""
    out = comparable(row)
    out["field_hlc"] = sorted(json.loads(row["field_hlc"]))
    return out


def a_customer(services: Services, cashier: Actor) -> str:
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        found = uow.session.scalars(select(Customer.id)).first()
    assert found is not None
    return found


def test_an_inserted_message_equals_a_flushed_one(services: Services, cashier: Actor) -> None:
    customer = a_customer(services, cashier)
    values = {"customer_id": customer, "channel": "sms", "recipient": "+971501234567", "body": "إيصالك"}
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        flushed = Communication(**values)
        uow.session.add(flushed)
        uow.session.flush()
        writes = DirectWrites(uow.session)
        direct = writes.insert(Communication, values)
        writes.execute()
        uow.commit()
    store = services.store
    a, b = (rows(store, "SELECT * FROM communications WHERE id = ?", i)[0] for i in (flushed.id, direct))
    assert without_stamps(a) == without_stamps(b)
    assert b["status"] == "queued" and b["direction"] == "outbound" and b["attempts"] == 0  # the defaults
    log_a, log_b = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (flushed.id, direct))
    assert len(log_a) == len(log_b) == 1
    assert comparable(log_a[0]) == comparable(log_b[0])
    assert json.loads(log_b[0]["payload"])["field_hlc"] == {}
    # Every field of the new row carries the stamp of its change-log row.
    assert set(json.loads(b["field_hlc"]).values()) == {log_b[0]["hlc"]}


def test_messages_inserted_together_equal_flushed_ones(services: Services, cashier: Actor) -> None:
    customer = a_customer(services, cashier)
    many = [
        {"customer_id": customer, "channel": "sms", "recipient": "+971501234567", "body": f"عرض {n}"} for n in range(3)
    ] + [{"customer_id": customer, "channel": "email", "recipient": "a@b.ae", "body": "x", "params": ["1", "2"]}]
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        flushed = [Communication(**values) for values in many]
        uow.session.add_all(flushed)
        uow.session.flush()
        writes = DirectWrites(uow.session)
        direct = writes.insert_many(Communication, many)
        writes.execute()
        uow.commit()
    store = services.store
    for row, row_id in zip(flushed, direct, strict=True):
        (a,), (b,) = (rows(store, "SELECT * FROM communications WHERE id = ?", i) for i in (row.id, row_id))
        assert without_stamps(a) == without_stamps(b)
        (log_a,), (log_b,) = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (row.id, row_id))
        assert comparable(log_a) == comparable(log_b)
        assert set(json.loads(b["field_hlc"]).values()) == {log_b["hlc"]}
    stamps = [rows(store, "SELECT hlc FROM change_log WHERE row_id = ?", i)[0]["hlc"] for i in direct]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(direct)
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow, pytest.raises(TypeError):
        DirectWrites(uow.session).insert_many(Communication, [*many, {"colour": 1}])


def test_an_updated_message_equals_a_flushed_change(services: Services, cashier: Actor) -> None:
    customer = a_customer(services, cashier)
    values = {"customer_id": customer, "channel": "sms", "recipient": "+971501234567", "body": "x"}
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        ids = [uow.messages.queue(customer, "sms", "+971501234567", "x", None) for _ in range(2)]
        uow.commit()
    at = services.clock.now() + timedelta(minutes=3)
    # attempts and last_error are given their current values: neither stamped nor logged.
    change = {"status": "sent", "attempts": 0, "sent_at": at, "provider": "unifonic", "last_error": None}
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        orm = uow.session.get(Communication, ids[0])
        assert orm is not None
        for name, value in change.items():
            setattr(orm, name, value)
        uow.session.flush()
        writes = DirectWrites(uow.session)
        current = READ.first(uow.session, {"id": ids[1]})
        assert current is not None
        assert writes.update(Communication, current, change)
        assert not writes.update(Communication, current, {"status": "queued"})  # nothing differs
        writes.execute()
        uow.commit()
    store = services.store
    a, b = (rows(store, "SELECT * FROM communications WHERE id = ?", i)[0] for i in ids)
    assert without_stamps(a) == without_stamps(b)
    assert b["status"] == "sent" and b["sent_at"] == a["sent_at"] and b["body"] == values["body"]
    log_a, log_b = (rows(store, "SELECT * FROM change_log WHERE row_id = ? AND op = 'update'", i) for i in ids)
    assert len(log_a) == len(log_b) == 1
    assert comparable(log_a[0]) == comparable(log_b[0])
    assert set(json.loads(log_b[0]["payload"])) == {"status", "sent_at", "provider", "id"}
    stamps = json.loads(b["field_hlc"])
    assert {stamps[name] for name in ("status", "sent_at", "provider")} == {log_b[0]["hlc"]}
    assert stamps["attempts"] != log_b[0]["hlc"]


def test_direct_writes_refuse_what_they_cannot_write_faithfully(services: Services, cashier: Actor) -> None:
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        writes = DirectWrites(uow.session)
        with pytest.raises(TypeError, match="no column 'colour'"):
            writes.insert(Communication, {"channel": "sms", "recipient": "+971501234567", "body": "x", "colour": 1})
        with pytest.raises(TypeError, match="customers"):
            writes.insert(Customer, {"first_name_en": "Noura"})
        with pytest.raises(KeyError, match="status"):
            writes.update(Communication, {"id": "m", "field_hlc": {}}, {"status": "sent"})
    with SqlUnitOfWork(services.store, services.clock, None) as reading, pytest.raises(RuntimeError, match="unit"):
        DirectWrites(reading.session)


def test_the_database_still_refuses_an_update_without_its_change_log_row(services: Services, cashier: Actor) -> None:
    customer = a_customer(services, cashier)
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        [message] = [uow.messages.queue(customer, "sms", "+971501234567", "x", None)]
        uow.commit()
    conn = connect(services.store.path)
    try:
        with pytest.raises(sqlcipher.DatabaseError, match="change-log row"):
            conn.execute(
                "UPDATE communications SET status = 'sent', field_hlc = json_set(field_hlc, '$.status', 'forged') "
                "WHERE id = ?",
                (message,),
            )
    finally:
        conn.close()


def test_a_template_written_by_a_rolled_back_sale_is_written_again(services: Services, cashier: Actor) -> None:
    """A template id is remembered only once it is seen committed: a receipt whose sale rolled back took its
    new template with it, and the next receipt must write it again (its message refers to it)."""
    customer = a_customer(services, cashier)
    template = "receipt-sms-xx"
    for commit in (False, True, True):
        with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
            uow.messages.ensure_template(template, "receipt", "sms", "en", "Receipt {order_number}", ["order_number"])
            uow.messages.ensure_template(template, "receipt", "sms", "en", "Receipt {order_number}", ["order_number"])
            uow.messages.queue(customer, "sms", "+971501234567", "Receipt 1", template)
            if commit:
                uow.commit()
    store = services.store
    assert len(rows(store, "SELECT * FROM message_templates WHERE id = ?", template)) == 1
    assert len(rows(store, "SELECT * FROM communications WHERE template_id = ?", template)) == 2
    assert len(rows(store, "SELECT * FROM change_log WHERE row_id = ?", template)) == 1


def test_a_logged_payload_reads_as_the_one_a_flush_logs(services: Services, cashier: Actor) -> None:
    """The change-log payload is serialised by orjson, not json.dumps: other spacing and escapes, the same JSON
    once parsed, times included (whole seconds too), and a JSON value whose keys are not text is written as
    json.dumps writes it rather than refused."""
    customer = a_customer(services, cashier)
    at = services.clock.now().replace(microsecond=0)
    values = {
        "customer_id": customer,
        "channel": "sms",
        "action": "grant",
        "source": "till",
        "occurred_at": at,
        "address": "+971501234567",
        "evidence": {"note": "وافق عند الدفع", 7: ["x", None]},
    }
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        flushed = ConsentChangeRow(**values)
        uow.session.add(flushed)
        uow.session.flush()
        writes = DirectWrites(uow.session)
        direct = writes.insert(ConsentChangeRow, values)
        writes.execute()
        uow.commit()
    store = services.store
    a, b = (rows(store, "SELECT * FROM consent_changes WHERE id = ?", i)[0] for i in (flushed.id, direct))
    assert comparable(a) == comparable(b)
    (log_a,), (log_b,) = (rows(store, "SELECT * FROM change_log WHERE row_id = ?", i) for i in (flushed.id, direct))
    assert comparable(log_a) == comparable(log_b)
    payload = json.loads(log_b["payload"])
    assert payload["occurred_at"] == at.isoformat() and payload["evidence"] == {
        "note": "وافق عند الدفع",
        "7": ["x", None],
    }
