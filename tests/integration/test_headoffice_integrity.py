"""A hostile enrolled branch against a real head office (DESIGN.md, fault 18): a till's credentials used to push
crafted batches. Ledger rows are inserted once, by their branch; a row's branch_id is the pushing branch's;
every row fits its entity's columns. A refusal is 409/422 naming the problem, kept in ho_refusals, and changes
nothing; the honest branches keep syncing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.kernel.ids import new_id
from core.offline.allowances import DecreaseKind
from core.shoppers.model import ShopperDraft
from core.staff.auth import Actor, Role
from storage.schema.wire import DOCUMENT, describe, render
from sync.client import HeadOfficeClient, SyncFailure
from sync.credentials import CredentialStore
from sync.headoffice.integrity import ENTITIES, SHARED, refusals
from sync.headoffice.store import HeadOfficeStore
from tests.faults.support import Branch, ServerThread, chain, ids_of

CARD = DecreaseKind.GIFT_CARD


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[HeadOfficeStore, ServerThread, Branch, Branch]]:
    """Head office and two honest branches; the second has issued a card (AED 500) that both hold."""
    with chain(tmp_path) as (ho, server, (a, b)):
        yield ho, server, a, b


class Hostile:
    """Branch ``a``'s credentials, pushing what its till never wrote, at its next branch_seq."""

    def __init__(self, ho: HeadOfficeStore, server: ServerThread, branch: Branch) -> None:
        self.ho = ho
        self.branch_id = branch.store.branch_id
        secret = CredentialStore(branch.store.path).load(self.branch_id) or ""
        self.client = HeadOfficeClient(server.url, self.branch_id, secret)

    def change(self, entity: str, row_id: str, payload: dict[str, Any], op: str = "insert") -> dict[str, Any]:
        return {
            "event_id": new_id(),
            "branch_id": self.branch_id,
            "entity": entity,
            "row_id": row_id,
            "op": op,
            "payload": payload,
            "hlc": f"{time.time_ns() // 1_000_000:015d}.00000.hostile",
            "staff_id": None,
            "created_at": "2026-11-25T12:00:00+00:00",
        }

    def push(self, *changes: dict[str, Any], gap: int = 0) -> SyncFailure:
        first = self.ho.acked_seq(self.branch_id) + 1 + gap
        batch = [{**c, "branch_seq": first + i} for i, c in enumerate(changes)]
        with pytest.raises(SyncFailure) as refused:
            self.client.push(batch, new_id())
        return refused.value

    def event(
        self, card_id: str, amount_fils: Any, branch_id: str | None = None, more: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        row_id = new_id()
        payload = {
            "id": row_id,
            "branch_id": branch_id or self.branch_id,
            "created_at": "2026-11-25T12:00:00+00:00",
            "card_id": card_id,
            "kind": "issue",
            "amount_fils": amount_fils,
            "order_id": None,
            "staff_id": None,
            "reason": None,
            "offline_pending": False,
            **(more or {}),
        }
        return self.change("gift_card_transactions", row_id, payload)


def snapshot(client: HeadOfficeClient, entity: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        page, found = client.snapshot(entity, after, 100)
        rows.extend(found)
        if page.after is None:
            return rows
        after = page.after


def issued_card(a: Branch, b: Branch) -> tuple[str, str]:
    """B issues a card for AED 500 and both branches sync: (card id, its issue event's id)."""
    card = b.issue_card(50_000)
    b.sync()
    a.sync()
    (event,) = ids_of(b.store, "gift_card_transactions")
    return card, event


def nothing_changed(ho: HeadOfficeStore, head: int, hostile: Hostile, refused: SyncFailure, status: int) -> None:
    assert refused.status == status, refused.detail
    assert ho.head() == head
    audited = refusals(ho, hostile.branch_id)
    assert audited and audited[-1]["status"] == status and audited[-1]["detail"] in refused.detail


# -- ledgers are append-only, and written once ---------------------------------------------------------------
def test_an_update_of_another_branchs_ledger_event_is_refused_and_the_event_stays_whole(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    original = ho.merged_rows("gift_card_transactions")[event]
    head = ho.head()
    forged = hostile.change("gift_card_transactions", event, {"id": event, "amount_fils": 100_000}, op="update")
    refused = hostile.push(forged)
    nothing_changed(ho, head, hostile, refused, 409)
    assert "ledger" in refused.detail
    # The snapshot a new branch is built from serves the event as B wrote it, once; pruning keeps it.
    served = snapshot(hostile.client, "gift_card_transactions")
    assert [(r["row_id"], r["data"]["amount_fils"]) for r in served] == [(event, 50_000)]
    ho.prune(0)
    assert ho.merged_rows("gift_card_transactions") == {event: original}
    assert ho.balances("gift_card") == {card: 50_000}
    hostile.client.close()


def test_an_insert_under_a_ledger_row_id_head_office_holds_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    head = ho.head()
    again = hostile.event(card, 100_000)
    again["row_id"] = again["payload"]["id"] = event
    nothing_changed(ho, head, hostile, hostile.push(again), 409)
    twice = hostile.event(card, 100)
    nothing_changed(ho, head, hostile, hostile.push(twice, dict(twice, event_id=new_id())), 409)
    assert ho.balances("gift_card") == {card: 50_000}
    hostile.client.close()


# -- a row is written by the branch it names ---------------------------------------------------------------
def test_an_event_carrying_another_branchs_id_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, _event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    head = ho.head()
    refused = hostile.push(hostile.event(card, 100_000, branch_id=b.store.branch_id))
    nothing_changed(ho, head, hostile, refused, 409)
    assert "branch_id" in refused.detail
    assert ho.balances("gift_card") == {card: 50_000}
    a.sync()
    assert a.balance(CARD, card) == 50_000
    hostile.client.close()


def test_a_register_row_carrying_another_branchs_id_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    hostile = Hostile(ho, server, a)
    head = ho.head()
    row_id = new_id()
    customer = {
        "id": row_id,
        "branch_id": b.store.branch_id,
        "created_at": "2026-11-25T12:00:00+00:00",
        "updated_at": "2026-11-25T12:00:00+00:00",
        "field_hlc": {},
        "number": "DXB2-999999",
        "first_name_en": "Planted",
    }
    nothing_changed(ho, head, hostile, hostile.push(hostile.change("customers", row_id, customer)), 409)
    assert row_id not in ho.merged_rows("customers")
    hostile.client.close()


# -- registers have an owner ---------------------------------------------------------------------------------
def test_another_branch_changes_only_the_shared_fields_of_a_register_row(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, _event = issued_card(a, b)
    customer = b.new_customer("Layla", "+971501234567")
    b.sync()
    a.sync()
    hostile = Hostile(ho, server, a)
    head = ho.head()
    for entity, row_id, fields in (
        ("gift_cards", card, {"initial_fils": 10_000_000}),
        ("gift_cards", card, {"deleted": True}),
        ("customers", customer, {"number": "DXB1-000001"}),
        ("customers", customer, {"deleted": True}),
    ):
        refused = hostile.push(hostile.change(entity, row_id, {"id": row_id, **fields}, op="update"))
        nothing_changed(ho, head, hostile, refused, 409)
        assert next(iter(fields)) in refused.detail
    assert ho.merged_rows("gift_cards")[card]["initial_fils"] == 50_000
    # The profile is shared: A's cashier edits B's customer, and the change syncs everywhere.
    a.edit_customer(customer, email="layla@example.com", area="Jumeirah")
    a.sync()
    b.sync()
    assert b.customer(customer)["email"] == "layla@example.com"
    assert ho.merged_rows("customers")[customer]["area"] == "Jumeirah"
    hostile.client.close()


def test_an_insert_over_another_branchs_register_row_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, _event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    head = ho.head()
    stolen = {**ho.merged_rows("gift_cards")[card], "branch_id": hostile.branch_id, "initial_fils": 1}
    stolen.update(field_hlc={}, updated_at="2026-11-25T12:00:00+00:00")
    nothing_changed(ho, head, hostile, hostile.push(hostile.change("gift_cards", card, stolen)), 409)
    assert ho.merged_rows("gift_cards")[card]["initial_fils"] == 50_000
    hostile.client.close()


# -- every row fits its entity ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("more", "named"),
    [
        ({"amount_fils": 1.5}, "amount_fils"),
        ({"amount_fils": True}, "amount_fils"),
        ({"amount_fils": "abc"}, "amount_fils"),
        ({"amount_fils": 2**64 - 1}, "out of range"),  # refused as the body is read, before any row
        ({"kind": "issue" * 10}, "kind"),
        ({"offline_pending": "yes"}, "offline_pending"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"colour": "gold"}, "colour"),
        ({"card_id": None}, "card_id"),
    ],
)
def test_a_row_that_does_not_fit_its_entity_is_refused_with_422(two, more: dict[str, Any], named: str) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, _event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    head = ho.head()
    good = hostile.event(card, 100)
    bad = hostile.event(card, 100, more=more)
    refused = hostile.push(good, bad)  # one bad row refuses the whole batch
    nothing_changed(ho, head, hostile, refused, 422)
    where = ("branch_seq", "changes[1]")  # apply names the change by its branch_seq, the decoder by its place
    assert named in refused.detail and any(w in refused.detail for w in where)
    assert ho.balances("gift_card") == {card: 50_000}
    hostile.client.close()


def test_a_row_missing_a_required_column_or_of_an_unknown_entity_is_refused(two) -> None:  # type: ignore[no-untyped-def]
    ho, server, a, b = two
    card, _event = issued_card(a, b)
    hostile = Hostile(ho, server, a)
    head = ho.head()
    missing = hostile.event(card, 100)
    del missing["payload"]["card_id"]
    unknown = hostile.change("bitcoin_wallets", "w1", {"id": "w1", "branch_id": hostile.branch_id})
    for change, named in ((missing, "card_id"), (unknown, "bitcoin_wallets")):
        refused = hostile.push(change)
        nothing_changed(ho, head, hostile, refused, 422)
        assert named in refused.detail
    # A bad batch ahead of a gap is refused too, not kept aside to be applied later.
    nothing_changed(ho, head, hostile, hostile.push(hostile.event(card, 0.5), gap=3), 422)
    # The till behind these credentials still syncs what it really wrote.
    a.redeem(CARD, card, 1_000)
    a.sync()
    assert ho.balances("gift_card") == {card: 49_000}
    hostile.client.close()


def test_the_entity_description_head_office_checks_against_is_the_models() -> None:
    assert render(describe()) == DOCUMENT.read_text(encoding="utf-8"), (
        "sync/entities.json is stale: run python -m storage.schema.wire"
    )
    for entity, fields in SHARED.items():
        rules = ENTITIES[entity]
        assert not rules.ledger
        assert fields <= set(describe()[entity]["columns"]) - {"id", "branch_id", "created_at"}, entity


def manager_of(branch: Branch) -> Actor:
    staff = branch.services.staff.staff_of_branch(branch.store.branch_id)
    member = next(s for s in staff if s.role == Role.MANAGER)
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def test_a_shopper_profile_made_for_another_branchs_staff_syncs_as_the_writing_branchs_row(two) -> None:  # type: ignore[no-untyped-def]
    ho, _server, a, b = two
    with a.store.read_engine.connect() as conn:
        (noura,) = conn.exec_driver_sql("SELECT id FROM staff WHERE username = 'noura.shopper'").one()
    # B's manager makes the profile of A's shopper: the row is B's, the shopper stays A's.
    profile = b.services.shoppers.create_profile(manager_of(b), ShopperDraft(noura))
    assert profile.branch_id == a.store.branch_id
    b.sync()
    assert ho.merged_rows("personal_shoppers")[profile.id]["branch_id"] == b.store.branch_id
    a.sync()
    a.services.shoppers.update_profile(manager_of(a), profile.id, ShopperDraft(noura, capacity=20))
    a.sync()
    assert ho.merged_rows("personal_shoppers")[profile.id]["capacity"] == 20
    assert refusals(ho) == []
