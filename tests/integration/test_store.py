"""The store on a real SQLite file: settings, change log by construction, audit, migrations, bad files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event, select, text

from core.customers.model import CustomerDraft
from core.kernel.errors import StoreError, ValidationErrors
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.changelog import AppendOnlyError, UnloggedWriteError
from storage.db import Store, connect, open_store
from storage.schema import ChangeLog, Customer, CustomerHistory, Order

DRAFT = CustomerDraft(
    first_name_en="Hamad", last_name_en="Al Falasi", first_name_ar="حمد", last_name_ar="الفلاسي", mobile="0559876543"
)


def change_log(store: Store) -> list[tuple[int, str, str]]:
    with store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT branch_seq, entity, op FROM change_log ORDER BY 1"))]


def test_sqlite_settings_for_money(store: Store) -> None:
    with store.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_create_writes_row_changelog_and_audit_in_one_transaction(services: Services, cashier: Actor) -> None:
    before = change_log(services.store)
    profile = services.customers.create(cashier, DRAFT)
    after = change_log(services.store)
    new = after[len(before) :]
    assert [(e, o) for _, e, o in new] == [("customers", "insert"), ("customer_history", "insert")]
    seqs = [s for s, _, _ in after]
    assert seqs == list(range(1, len(seqs) + 1)), "branch_seq is gap-free"
    history = services.customers.history(cashier, profile.id)
    assert history[0].action == "created" and history[0].staff_name == cashier.display_name
    assert history[0].branch_name == "Dubai Mall"
    assert profile.number.startswith("DXB1-")


def test_update_logs_only_changed_fields_with_hlc(services: Services, cashier: Actor) -> None:
    profile = services.customers.create(cashier, DRAFT)
    services.customers.update(cashier, profile.id, CustomerDraft(**{**DRAFT.__dict__, "email": "hamad@example.ae"}))
    with services.store.read_session() as s:
        entry = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "customers").order_by(ChangeLog.branch_seq.desc())
        ).first()
        assert entry is not None and entry.op == "update"
        assert set(entry.payload) == {"id", "email"}
        row = s.get(Customer, profile.id)
        assert row is not None and row.field_hlc["email"] > row.field_hlc["mobile"]
    history = services.customers.history(cashier, profile.id)
    assert history[0].action == "updated" and history[0].changes == {"email": (None, "hamad@example.ae")}


def test_insert_logs_the_row_with_its_stamps_implied(services: Services, cashier: Actor) -> None:
    profile = services.customers.create(cashier, DRAFT)
    with services.store.read_session() as s:
        entry = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "customers", ChangeLog.row_id == profile.id)
        ).one()
        row = s.get(Customer, profile.id)
        assert row is not None
        # The row keeps a stamp per field, all the change's own; the change only marks itself a register.
        assert set(row.field_hlc.values()) == {entry.hlc} and "mobile" in row.field_hlc
        assert entry.payload["field_hlc"] == {} and entry.payload["mobile"] == row.mobile


def test_edit_that_changes_nothing_writes_nothing(services: Services, cashier: Actor) -> None:
    profile = services.customers.create(cashier, DRAFT)
    before = change_log(services.store)
    services.customers.update(cashier, profile.id, DRAFT)
    assert change_log(services.store) == before


def test_failed_validation_leaves_store_untouched(services: Services, cashier: Actor) -> None:
    profile = services.customers.create(cashier, DRAFT)
    before = change_log(services.store)
    with pytest.raises(ValidationErrors):
        services.customers.update(cashier, profile.id, CustomerDraft(**{**DRAFT.__dict__, "mobile": "12"}))
    with pytest.raises(ValidationErrors):
        services.customers.create(cashier, DRAFT)  # same mobile again
    assert change_log(services.store) == before
    assert services.customers.get(profile.id).mobile == "+971559876543"


def test_write_without_unit_of_work_is_impossible(store: Store) -> None:
    with store.write_session() as session:
        row = session.scalars(select(Customer)).first()
        assert row is not None
        row.notes = "sneaky"
        with pytest.raises(UnloggedWriteError):
            session.commit()
        session.rollback()
    with store.read_session() as session:
        assert session.scalars(select(Customer).where(Customer.notes == "sneaky")).first() is None


def test_ledger_rows_are_append_only(store: Store, services: Services, cashier: Actor) -> None:
    from storage.uow import SqlUnitOfWork

    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        order = uow.session.scalars(select(Order)).first()
        assert order is not None
        order.net_fils = 1
        with pytest.raises(AppendOnlyError):
            uow.session.flush()
    with SqlUnitOfWork(store, services.clock, cashier) as uow:
        entry = uow.session.scalars(select(CustomerHistory)).first()
        uow.session.delete(entry)
        with pytest.raises(AppendOnlyError):
            uow.session.flush()
    # Also below the ORM: the database itself refuses.
    raw = connect(store.path)
    for sql in ("UPDATE orders SET net_fils = 1", "DELETE FROM change_log", "DELETE FROM customers"):
        with pytest.raises(sqlcipher.IntegrityError):
            raw.execute(sql)
    raw.close()


def test_concurrent_writers_keep_branch_seq_gap_free(services: Services, cashier: Actor) -> None:
    errors: list[BaseException] = []

    def create(i: int) -> None:
        try:
            services.customers.create(cashier, CustomerDraft(first_name_en=f"Guest{i}", mobile=f"05670000{i:02d}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = [s for s, _, _ in change_log(services.store)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_clock_survives_restart(store_path: Path, cashier: Actor) -> None:
    first = open_store(store_path)
    stamp = first.clock.now()
    with first.write_session() as s, s.begin():
        from storage.schema import HlcState

        s.merge(HlcState(node=first.terminal_id, wall_ms=stamp.wall_ms + 10**9, counter=3))
    first.close()
    again = open_store(store_path)
    assert again.clock.now().wall_ms >= stamp.wall_ms + 10**9
    again.close()


def test_corrupt_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError) as err:
        open_store(bad)
    assert "damaged" in err.value.english()
    assert bad.read_bytes().startswith(b"this is not"), "the file is left as it was"


def test_newer_schema_is_refused(store_path: Path) -> None:
    raw = connect(store_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as err:
        open_store(store_path)
    assert "newer version" in err.value.english()


def test_locked_store_gives_a_clear_message(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.db

    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", 200)
    holder = connect(store_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as err:
            open_store(store_path)
        assert "in use" in err.value.english()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_fresh_store_migrates_to_head(tmp_path: Path) -> None:
    store = open_store(tmp_path / "fresh.sqlite")
    with store.read_engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    store.close()
    for table in ("customers", "gift_card_transactions", "loyalty_transactions", "change_log", "customer_search"):
        assert table in tables


def test_head_constant_is_the_newest_migration() -> None:
    from storage import migrate

    assert migrate.script_heads() == (migrate.HEAD,)


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_models(store: Store) -> None:
    """Autogenerate against a migrated store finds nothing to do: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.migrations.env_filters import include_object
    from storage.schema import Base

    with store.read_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_connection_that_migrated_is_not_kept(tmp_path: Path) -> None:
    """sqlcipher3's statement cache keeps its most used entries and evicts its newest: a connection left holding
    the migrations' hundreds of one-off statements would compile the app's statements again at every use (a
    sale with its receipt took 6 ms instead of 4). The app's first write opens a connection of its own."""
    store = open_store(tmp_path / "fresh.sqlite", plain=False)
    opened: list[Any] = []
    event.listen(store.write_engine, "connect", lambda dbapi, _record: opened.append(dbapi))
    with store.write_engine.begin() as conn:
        conn.execute(text("INSERT INTO store_settings (key, value) VALUES ('probe', '1')"))
    with store.write_engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM store_settings WHERE key = 'probe'")).scalar() == "1"
    store.close()
    assert len(opened) == 1
