"""A typed email is an index range on the stored email (or its domain), on every write path and migrated store."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from core.customers.model import CustomerDraft, CustomerProfile, draft_from
from core.staff.auth import Actor
from storage.bootstrap import Services, build_services
from storage.db import Store, connect, open_store
from storage.migrate import MIGRATIONS
from storage.repositories.people import EMAIL_DOMAIN_SQL, EMAIL_SQL
from tests.faults.support import chain


def _make(services: Services, cashier: Actor, first: str, mobile: str, email: str, **names: str) -> CustomerProfile:
    draft = CustomerDraft(first_name_en=first, mobile=mobile, email=email, **names)
    return services.customers.create(cashier, draft)


@pytest.fixture
def people(services: Services, cashier: Actor) -> dict[str, CustomerProfile]:
    return {
        "hamad": _make(
            services,
            cashier,
            "Hamad",
            "+971 55 987 6543",
            "Hamad.Falasi@Oudhouse.AE",
            last_name_en="Al Falasi",
            first_name_ar="حمد",
            last_name_ar="الفلاسي",
        ),
        "hamda": _make(services, cashier, "Hamda", "+971 55 987 6544", "hamda.k@mail.oudhouse.com"),
        "noor": _make(services, cashier, "Noor", "+971 55 987 6545", "noor@oudhouse.net"),
    }


def _ids(services: Services, typed: str) -> list[str]:
    return [c.id for c in services.customers.search(typed)]


def test_a_typed_email_is_a_prefix_of_the_stored_email(services: Services, people: dict[str, CustomerProfile]) -> None:
    hamad, hamda, noor = people["hamad"], people["hamda"], people["noor"]
    assert _ids(services, "hamad.falasi@oudhouse.ae") == [hamad.id]
    assert _ids(services, "HAMAD.FALASI@OUDHOUSE.A") == [hamad.id], "emails are stored and searched in lower case"
    assert _ids(services, "hamad.falasi@mail") == [], "an email typed past its '@' is never searched as words"
    assert _ids(services, "noor@oudhouse.a") == []
    assert _ids(services, "noor@oudhouse.n") == [noor.id]
    # The start of a local part, told by its dot.
    assert _ids(services, "hamad.") == [hamad.id]
    assert _ids(services, "hamda.k") == [hamda.id]


def test_a_leading_at_searches_the_domain(services: Services, people: dict[str, CustomerProfile]) -> None:
    hamad, hamda, noor = people["hamad"], people["hamda"], people["noor"]
    assert _ids(services, "@oudhouse.ae") == [hamad.id]
    assert _ids(services, "@OudHouse.") == [hamad.id, noor.id], "in the domain's order; mail.oudhouse.com is another"
    assert _ids(services, "@mail.oud") == [hamda.id]
    assert _ids(services, "@gmail") == []


def test_no_email_match_falls_back_to_words_only_before_the_domain(
    services: Services, people: dict[str, CustomerProfile]
) -> None:
    hamad = people["hamad"]
    assert hamad.id in _ids(services, "falasi@"), "the end of a local part, as 'falasi' found it a key before"
    assert _ids(services, "falasi@e") == []
    assert hamad.id in _ids(services, "hamad.al"), "no email starts so: the words, as before (Hamad Al Falasi)"


def test_arabic_and_other_searches_are_unaffected(services: Services, people: dict[str, CustomerProfile]) -> None:
    hamad = people["hamad"]
    for typed in ("حمد", "الفلا", "حمد الفلاسي", "hamad al", "0559876543", "٠٥٥٩٨٧٦٥٤٣", hamad.number):
        assert hamad.id in _ids(services, typed), typed


def test_edits_and_removals_move_the_email_index(
    services: Services, cashier: Actor, people: dict[str, CustomerProfile]
) -> None:
    hamad = people["hamad"]
    services.customers.update(cashier, hamad.id, replace(draft_from(hamad), email="h.falasi@oud.ae"))
    assert _ids(services, "hamad.falasi@o") == []
    assert _ids(services, "h.falasi@oud") == [hamad.id]
    assert _ids(services, "@oud.ae") == [hamad.id]
    services.customers.update(cashier, hamad.id, replace(draft_from(hamad), email=""))
    assert _ids(services, "h.falasi@o") == []
    assert _ids(services, "@oud.ae") == []


def test_the_email_statements_read_the_indexes(store: Store) -> None:
    with connect(store.path) as conn:
        plans = [
            " ".join(str(row[-1]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", {"lo": "a", "hi": "b", "n": 50}))
            for sql in (EMAIL_SQL, EMAIL_DOMAIN_SQL)
        ]
    assert "USING INDEX ix_customers_email " in plans[0] + " "
    assert "USING INDEX ix_customers_email_domain" in plans[1]
    assert all("TEMP B-TREE" not in plan for plan in plans), "read in the index's order, so LIMIT stops early"


def test_the_migration_fills_the_indexes_of_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.exec_driver_sql(
            "INSERT INTO branches (id, code, name_en, name_ar, emirate, location) "
            "VALUES ('b1', 'DXB1', 'Dubai Mall', 'دبي مول', 'dubai', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO customers (id, branch_id, created_at, updated_at, field_hlc, deleted, number, first_name_en, "
            "mobile, email, segment, preferred_language, preferred_channel, consent_whatsapp, consent_sms, "
            "consent_email, search_doc) VALUES ('c1', 'b1', '2026-01-01 00:00:00.000000', "
            "'2026-01-01 00:00:00.000000', '{}', 0, 'DXB1-0000001', 'Hamad', '+971559876543', "
            "'hamad@example.ae', 'regular', 'ar', 'sms', 0, 0, 0, 'hamad 0559876543 hamad@example.ae dxb1-0000001')"
        )
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_customers_email'").fetchall()
    store = open_store(path)  # encrypts the plain store in place, then migrates it
    try:
        with connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            assert {"ix_customers_email", "ix_customers_email_domain"} <= names
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        services = build_services(store)
        assert _ids(services, "hamad@ex") == ["c1"]
        assert _ids(services, "@example") == ["c1"]
    finally:
        store.close()


def test_a_pulled_customer_is_found_by_email(tmp_path: Path) -> None:
    with chain(tmp_path) as (_ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        a.edit_customer(customer, email="hamad.falasi@example.ae")
        a.sync()
        b.sync()
        assert [c.id for c in b.services.customers.search("hamad.falasi@exa")] == [customer]
        assert [c.id for c in b.services.customers.search("@example.ae")] == [customer]
        a.edit_customer(customer, email="hamad@oud.ae")
        a.sync()
        b.sync()
        assert b.services.customers.search("hamad.falasi@e") == []
        assert [c.id for c in b.services.customers.search("hamad@oud")] == [customer]


def test_a_finished_words_ranking_count_is_asked_once_while_typing(
    services: Services, cashier: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing "Mohammed Al Man" key by key counts "mohammed" once, when it is finished; the word being typed is
    counted at every key; the results are those of a search that counted everything."""
    from storage.repositories import people as repository

    counted: list[str] = []
    real = repository.direct.scalar

    def scalar(session: object, sql: str, params: dict[str, object]) -> object:
        if sql == repository.TERM_HITS_SQL:
            counted.append(str(params["q"]))
        return real(session, sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(repository.direct, "scalar", scalar)
    typed = "Mohammed Al Man"
    found = [services.customers.search(typed[:n]) for n in range(3, len(typed) + 1)]
    # Counted while it is the word being typed ("Mohammed", "Mohammed "), then once finished; without the
    # memory it is counted again at each of the six keys after.
    assert sum('"mohammed"' in q for q in counted) == 3
    assert any('"man"' in q for q in counted)
    repository._RARE_TERMS.clear()
    assert [c.id for c in services.customers.search(typed)] == [c.id for c in found[-1]]
