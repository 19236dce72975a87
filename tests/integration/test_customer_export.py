"""A customer's data export (core.privacy.export): every section, valid JSON, amounts and Arabic intact, refused
to a cashier, audited, a clear error for an unknown customer."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from core.kernel.errors import NotFound, PermissionDenied
from core.privacy.export import AUDIT_KIND, SECTIONS, ExportCancelled, JsonExportWriter, SectionStart
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from storage.repositories import customer_records
from storage.schema import SecurityEvent
from tests.conftest import actor_for
from tests.export_world import MESSAGE_AR, NAME_AR, customer_with_everything


def export_json(services: Services, actor: Actor, customer_id: str) -> dict:  # type: ignore[type-arg]
    out = io.StringIO()
    services.customer_export.export(actor, customer_id, [JsonExportWriter(out, services.clock.now(), "test")])
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_every_section_of_a_realistic_customer(services: Services, manager: Actor) -> None:
    world = customer_with_everything(services, manager)
    doc = export_json(services, manager, world.customer_id)

    assert list(doc) == ["export", "customer", *SECTIONS]
    empty = [name for name in SECTIONS if not doc[name]]
    assert empty == [], f"sections with nothing in them: {empty}"
    customer = doc["customer"]
    assert f"{customer['first_name_ar']} {customer['last_name_ar']}" == NAME_AR
    assert customer["emirates_id"] == "784-1990-1234567-1"
    assert customer["birthday"] == "1990-05-17"
    assert "search_doc" not in customer and "field_hlc" not in customer

    orders = {o["number"]: o for o in doc["orders"]}
    assert orders["EXP-S1"]["total_fils"] == world.order_total_fils
    assert orders["EXP-S1"]["total_aed"] == "AED 829.50"
    assert orders["EXP-S2"]["branch_id"] == world.other_branch_id  # the other branch's sale, pulled here
    assert orders["EXP-S1"]["created_at"].endswith("+04:00")
    assert doc["order_lines"][0]["product_name"] == "عود ملكي"
    assert doc["messages"][0]["body"] == MESSAGE_AR
    assert doc["feedback"][0]["comment"] == "ممتاز"

    cards = {c["relation"]: c for c in doc["gift_cards"]}
    assert set(cards) == {"bought", "received"}
    assert cards["received"]["initial_aed"] == "AED 250.50"
    # A card's code spends it: the export shows its end only, and no survey token.
    assert cards["bought"]["code"].endswith("T7Q") and "GCEXP" not in cards["bought"]["code"]
    assert "GCEXPGIVEN9Z" not in json.dumps(doc) and "SECRETTOKEN" not in json.dumps(doc)
    assert {t["amount_fils"] for t in doc["gift_card_transactions"]} == {50000, -1050}
    assert doc["analytics"][0]["lifetime_value_aed"] == "AED 1,234.56"
    assert doc["offer_redemptions"][0]["discount_aed"] == "AED 5.00"


def test_storage_reads_every_section_core_names(services: Services) -> None:
    assert set(customer_records.SECTIONS) == set(SECTIONS)


def test_a_cashier_is_refused_and_nothing_is_audited(services: Services, cashier: Actor, manager: Actor) -> None:
    world = customer_with_everything(services, manager)
    shopper = actor_for(services, Role.PERSONAL_SHOPPER)
    for actor in (cashier, shopper):
        with pytest.raises(PermissionDenied):
            services.customer_export.stream(actor, world.customer_id)
    assert audit_rows(services, world.customer_id) == []


def audit_rows(services: Services, customer_id: str) -> list[SecurityEvent]:
    with services.store.read_session() as session:
        rows = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == AUDIT_KIND)).all()
        return [r for r in rows if r.detail.get("customer_id") == customer_id]


def test_the_export_is_audited_before_it_is_read(services: Services, manager: Actor) -> None:
    world = customer_with_everything(services, manager)
    items = services.customer_export.stream(manager, world.customer_id, ("json", "pdf"))
    (row,) = audit_rows(services, world.customer_id)  # written before a record is read
    items.close()
    assert row.staff_id == manager.staff_id
    assert row.detail["formats"] == ["json", "pdf"]
    assert row.detail["sections"][:2] == ["customer", "preferences"]
    with services.store.read_engine.connect() as conn:
        logged = conn.exec_driver_sql(
            "SELECT count(*) FROM change_log WHERE entity = 'security_events' AND row_id = ?", (row.id,)
        ).scalar()
    assert logged == 1  # it replicates to head office like any ledger row
    # A second export is a second row: the audit trail says how often.
    export_json(services, manager, world.customer_id)
    assert len(audit_rows(services, world.customer_id)) == 2
    assert export_json(services, manager, world.customer_id)["security_events"][0]["kind"] == "customer_viewed"


def test_an_unknown_customer_is_a_clear_error(services: Services, manager: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        services.customer_export.stream(manager, "no-such-customer")
    assert "no-such-customer" in raised.value.english()
    assert audit_rows(services, "no-such-customer") == []


def test_stream_counts_each_section_before_its_records(services: Services, manager: Actor) -> None:
    world = customer_with_everything(services, manager)
    items = list(services.customer_export.stream(manager, world.customer_id))
    starts = [i for i in items if isinstance(i, SectionStart)]
    assert [s.name for s in starts] == list(SECTIONS)
    assert all(s.total == sum(t.count for t in starts) for s in starts)
    assert len(items) == 1 + len(starts) + starts[0].total


def test_cancel_stops_the_export(services: Services, manager: Actor) -> None:
    world = customer_with_everything(services, manager)
    out = io.StringIO()
    with pytest.raises(ExportCancelled):
        services.customer_export.export(
            manager,
            world.customer_id,
            [JsonExportWriter(out, services.clock.now(), "t")],
            cancelled=lambda: True,
            every=1,
        )
