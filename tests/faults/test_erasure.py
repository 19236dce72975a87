"""The right to erasure across head office and two branches, one of them offline during the erasure: requested at
branch A, approved at head office over its admin API, applied by A's pull; branch B, which edited the customer and
spent part of their gift card while offline, comes back, pushes its stale edit and pulls. Everywhere the identity
is gone (the rows, the search index, the change logs, and the bytes of every database file), the amounts are
unchanged and the balances equal; a refused request changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from core.customers.model import CustomerDraft
from core.kernel.errors import Conflict, NotFound
from core.offline.allowances import DecreaseKind
from core.privacy.erasure import ErasureStatus
from core.staff.auth import Actor, Role
from storage.schema import (
    Communication,
    CustomerFeedback,
    ErasureRequest,
    GiftCard,
    GiftCardTransaction,
    SupportTicket,
    TicketResponse,
)
from sync.headoffice.erasure import UnknownErasure, decide, list_erasures
from sync.headoffice.retention import purge_inactive
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from tests.faults.support import Branch, chain, generous

TOKEN = "erasure-t0ken"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
NAME, FAMILY, MOBILE, EMAIL = "Zainab", "Qasimiyya", "+971501234567", "zainab.q@example.ae"
SECRETS = (NAME, FAMILY, "501234567", "zainab.q@", "Villa 12")


def manager_of(branch: Branch) -> Actor:
    staff = branch.services.staff.staff_of_branch(branch.store.branch_id)
    member = next(s for s in staff if s.role == Role.MANAGER)
    return Actor(member.id, member.branch_id, member.role, member.name_en)


def write_about(branch: Branch, customer_id: str) -> tuple[str, str]:
    """A message, feedback, a ticket with a response, and a gift card bought for the customer: every kind of
    free text the erasure must reach. Returns (card id, ticket id)."""
    with branch.uow() as uow:
        uow.session.add(
            Communication(
                customer_id=customer_id,
                channel="sms",
                recipient=MOBILE,
                body=f"Dear {NAME} {FAMILY}, your oud is ready.",
                status="sent",
            )
        )
        uow.session.add(CustomerFeedback(customer_id=customer_id, kind="service", rating=5, comment=f"{NAME} loved it"))
        ticket = SupportTicket(number=f"T-{customer_id[-6:]}", customer_id=customer_id, subject=f"{NAME}'s order")
        uow.session.add(ticket)
        card = GiftCard(
            code=customer_id[-12:].upper(),
            initial_fils=50_000,
            purchaser_customer_id=customer_id,
            recipient_name=f"{NAME} {FAMILY}",
            message=f"For {NAME}",
            expires_on=date(2030, 1, 1),
        )
        uow.session.add(card)
        uow.session.flush()
        uow.session.add(TicketResponse(ticket_id=ticket.id, body=f"Called {NAME} on {MOBILE}"))
        uow.session.add(GiftCardTransaction(card_id=card.id, kind="issue", amount_fils=50_000))
        uow.commit()
    return str(card.id), str(ticket.id)


def texts(branch: Branch) -> str:
    """Every value of every table of a branch store, as text, read through the store's own engine (a store
    encrypted at rest reads the same)."""
    out: list[str] = []
    with branch.store.read_engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}"'):
                for value in row:
                    out.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return "\n".join(out)


def raw_bytes(path: Path) -> bytes:
    found = b""
    for suffix in ("", "-wal", "-journal"):
        part = Path(str(path) + suffix)
        if part.exists():
            found += part.read_bytes()
    return found


def leaks(data: str | bytes) -> list[str]:
    if isinstance(data, bytes):
        return [s for s in SECRETS if s.encode() in data]
    return [s for s in SECRETS if s in data]


def test_erasure_reaches_every_copy_and_a_stale_branch_cannot_bring_it_back(tmp_path: Path) -> None:
    config = HeadOfficeConfig(default_allowances=generous(), admin_token=TOKEN)
    with chain(tmp_path, ("DXB1", "DXB2"), config=config, proxies=True) as (ho, server, (a, b)):
        customer = a.new_customer(NAME, MOBILE)
        a.edit_customer(customer, last_name_en=FAMILY, email=EMAIL, address_line="Villa 12", notes=f"{NAME} likes oud")
        card, _ticket = write_about(a, customer)
        a.sync()
        b.sync()
        assert b.customer(customer)["mobile"] == MOBILE

        b.go_offline()
        b.edit_customer(customer, notes=f"{NAME} called from {MOBILE}", area="Jumeirah")
        assert b.redeem(DecreaseKind.GIFT_CARD, card, 12_000).allowed  # an offline spend, within the allowance

        request = a.services.erasure.request(manager_of(a), customer, "Asked at the counter")
        assert request.status == ErasureStatus.PENDING
        # Asked twice: one request.
        assert a.services.erasure.request(manager_of(a), customer, "Again") == request
        a.sync()

        listed = httpx.get(server.url + "/v1/admin/erasures", params={"status": "pending"}, headers=ADMIN).json()
        assert [r["id"] for r in listed] == [request.id]
        answer = httpx.post(
            server.url + f"/v1/admin/erasures/{request.id}/decision",
            json={"decision": "approve", "reason": "PDPL request verified"},
            headers=ADMIN,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "approved"
        assert answer.json()["keep_ledgers_until"] is not None
        again = httpx.post(
            server.url + f"/v1/admin/erasures/{request.id}/decision",
            json={"decision": "approve", "reason": "PDPL request verified"},
            headers=ADMIN,
        )
        assert again.status_code == 200 and again.json()["status"] == "approved"  # idempotent
        other_way = httpx.post(
            server.url + f"/v1/admin/erasures/{request.id}/decision",
            json={"decision": "refuse", "reason": "changed mind"},
            headers=ADMIN,
        )
        assert other_way.status_code == 409

        a.sync()
        assert a.customer(customer)["first_name_en"] == "Erased customer"
        assert a.services.customers.search(NAME) == []
        assert leaks(texts(a)) == []
        latest = a.services.erasure.latest(a.actor, customer)
        assert latest is not None and latest.status == ErasureStatus.APPROVED

        b.go_online()
        b.sync(2)  # pushes the stale edit and the offline spend, then pulls the erasure
        a.sync()
        b.sync()

        for branch in (a, b):
            profile = branch.customer(customer)
            assert profile["first_name_en"] == "Erased customer"
            assert profile["mobile"] is None and profile["notes"] is None and profile["email"] is None
            assert branch.services.customers.search(NAME) == []
            assert leaks(texts(branch)) == [], branch.code
            assert leaks(raw_bytes(branch.store.path)) == [], branch.code
            assert branch.balance(DecreaseKind.GIFT_CARD, card) == 38_000
            with pytest.raises(Conflict):
                branch.services.customers.update(
                    manager_of(branch), customer, CustomerDraft(first_name_en=NAME, mobile=MOBILE)
                )
        assert ho.balances("gift_card")[card] == 38_000
        assert a.ledger("gift_card_transactions") == b.ledger("gift_card_transactions")
        assert sorted(amounts(a)) == [-12_000, 50_000]  # the ledger keeps its amounts
        held = ho.merged_rows("customers")[customer]
        assert held["first_name_en"] == "Erased customer" and held["erased_at"]
        assert held["area"] is None and held["notes"] is None  # the stale edit's address and notes: dropped
        ho_path = tmp_path / "ho.sqlite"
        assert leaks(raw_bytes(ho_path)) == []


def test_refused_request_changes_nothing_and_bad_input_is_a_clear_answer(tmp_path: Path) -> None:
    config = HeadOfficeConfig(default_allowances=generous(), admin_token=TOKEN)
    with chain(tmp_path, ("DXB1",), config=config) as (ho, server, (a,)):
        customer = a.new_customer(NAME, MOBILE)
        with pytest.raises(NotFound):
            a.services.erasure.request(manager_of(a), "no-such-customer", "asked")
        with pytest.raises(Exception) as refused:
            a.services.erasure.request(a.actor, customer, "asked")  # a cashier may not
        assert "role" in str(refused.value)
        request = a.services.erasure.request(manager_of(a), customer, "asked by phone")
        a.sync()
        before = ho.merged_rows("customers")[customer]
        answer = httpx.post(
            server.url + f"/v1/admin/erasures/{request.id}/decision",
            json={"decision": "refuse", "reason": "identity not verified"},
            headers=ADMIN,
        )
        assert answer.status_code == 200 and answer.json()["status"] == "refused"
        a.sync()
        assert ho.merged_rows("customers")[customer] == before
        assert a.customer(customer)["mobile"] == MOBILE
        latest = a.services.erasure.latest(a.actor, customer)
        assert latest is not None and latest.status == ErasureStatus.REFUSED
        assert latest.decision_reason == "identity not verified"
        missing = httpx.post(
            server.url + "/v1/admin/erasures/no-such-request/decision",
            json={"decision": "approve", "reason": "x"},
            headers=ADMIN,
        )
        assert missing.status_code == 404
        assert httpx.get(server.url + "/v1/admin/erasures", headers={}).status_code in (401, 422)
        # Asked again after a refusal: a new request.
        assert a.services.erasure.request(manager_of(a), customer, "asked again").id != request.id


def amounts(branch: Branch) -> list[int]:
    with branch.store.read_engine.connect() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql("SELECT amount_fils FROM gift_card_transactions")]


def test_a_branch_can_neither_decide_a_request_nor_tombstone_a_customer(tmp_path: Path) -> None:
    """Head office alone decides (DESIGN.md): a branch that writes a request's status or a customer's erased_at
    (a hostile till, or a bug) has those fields dropped from its push, and nothing is erased."""
    config = HeadOfficeConfig(default_allowances=generous(), admin_token=TOKEN)
    with chain(tmp_path, ("DXB1", "DXB2"), config=config) as (ho, _server, (a, b)):
        customer = a.new_customer(NAME, MOBILE)
        request = a.services.erasure.request(manager_of(a), customer, "asked")
        with a.uow() as uow:
            row = uow.session.get(ErasureRequest, request.id)
            assert row is not None
            row.status = "approved"
            row.decision_reason = "approved by the till itself"
            uow.commit()
        a.edit_customer(customer, erased_at=datetime(2026, 12, 1, tzinfo=UTC), first_name_en="Erased customer")
        a.sync()
        held = ho.merged_rows("erasure_requests")[request.id]
        assert held["status"] == "pending" and "decision_reason" not in held
        assert "erased_at" not in ho.merged_rows("customers")[customer]
        assert httpx.get(_server.url + "/v1/admin/erasures", headers=ADMIN).json()[0]["status"] == "pending"
        b.sync()
        assert b.customer(customer)["mobile"] == MOBILE  # nothing was erased at the other branch
        # The till's own tombstone is not head office's: nothing of its store is scrubbed either.
        a.sync()
        assert a.customer(customer)["mobile"] == MOBILE


def test_head_office_refuses_to_approve_erasure_of_a_customer_it_does_not_hold(tmp_path: Path) -> None:
    """A request whose customer never reached head office (a row lost with a restored backup): 404, nothing
    decided, and the request is still pending."""
    ho = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}", HeadOfficeConfig(admin_token=TOKEN))
    try:
        with ho.writing() as (conn, head):
            fields = {"id": "r1", "customer_id": "gone", "reason": "asked", "status": "pending", "branch_id": "b"}
            ho.set_head(conn, ho.decide(conn, head, "erasure_requests", "r1", fields))
        with pytest.raises(UnknownErasure) as refused:
            decide(ho, "r1", True, "verified")
        assert refused.value.status == 404 and "no customer 'gone'" in str(refused.value)
        assert [r.status for r in list_erasures(ho)] == ["pending"]
    finally:
        ho.close()


def test_a_postgresql_head_office_scrubs_its_log_and_rows_alike(tmp_path: Path, postgres: str) -> None:
    """The JSON look-ups of the scrub and of retention on PostgreSQL: approved, the customer's name is in no
    row and no logged payload head office keeps, and the branch is scrubbed by its pull."""
    import sqlalchemy

    config = HeadOfficeConfig(default_allowances=generous(), admin_token=TOKEN)
    with chain(tmp_path, ("DXB1",), url=postgres, config=config) as (ho, _server, (a,)):
        customer = a.new_customer(NAME, MOBILE)
        write_about(a, customer)
        request = a.services.erasure.request(manager_of(a), customer, "asked")
        a.sync()
        assert decide(ho, request.id, True, "verified").status == "approved"
        with ho.reader.connect() as conn:
            logged = conn.execute(sqlalchemy.text("SELECT payload FROM ho_changes")).scalars().all()
            rows = conn.execute(sqlalchemy.text("SELECT data FROM ho_rows")).scalars().all()
        assert [s for s in SECRETS if any(s in text for text in (*logged, *rows))] == []
        a.sync()
        assert leaks(texts(a)) == []
        assert purge_inactive(ho, date(2030, 1, 31), 1, dry_run=True).customers == 0  # erased: not counted
