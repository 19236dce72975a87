"""Gift cards on a real store: sell, find, redeem, refund, cancel, expire, explain, report, race."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from core.giftcards.codes import generate_code, qr_payload
from core.giftcards.service import CardStatus, GiftCardPolicy, IssueRequest, LookupLocked, TxKind, add_months
from core.kernel.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store, open_store
from tests.clock import TestClock
from tests.conftest import actor_for

pytestmark = pytest.mark.instants


def log_size(store: Store) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def sell(services: Services, actor: Actor, fils: int = 50_000, **kw: object) -> str:
    return services.giftcards.issue(actor, IssueRequest(amount_fils=fils, **kw)).code  # type: ignore[arg-type]


def test_sell_then_find_by_typed_scanned_and_url_forms(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(
        cashier, IssueRequest(50_000, occasion="eid", recipient_name="مريم", message="عيد مبارك")
    )
    assert card.balance_fils == 50_000 and card.status == CardStatus.ACTIVE and card.occasion == "eid"
    assert card.expires_on == add_months(services.clock.today(), 12)
    body = card.code.replace("-", "").lower()
    for typed in (card.code, body, body[2:], qr_payload(card.code), f"https://perfumeoud.ae/gc/?code={card.code}"):
        assert services.giftcards.find(cashier, typed).id == card.id
    arabic_digits = card.code.translate(str.maketrans("23456789", "٢٣٤٥٦٧٨٩"))
    assert services.giftcards.find(cashier, arabic_digits).id == card.id


def test_selling_writes_card_issue_event_and_change_log_no_vat(services: Services, cashier: Actor) -> None:
    before = log_size(services.store)
    card = services.giftcards.issue(cashier, IssueRequest(25_000))
    assert log_size(services.store) == before + 2  # the card (register) and its issue event (ledger)
    lines = services.giftcards.ledger(cashier, card.id)
    assert [(line.kind, line.amount_fils, line.running_fils) for line in lines] == [(TxKind.ISSUE, 25_000, 25_000)]
    assert lines[0].staff_name == "Aisha Al Marzooqi" and lines[0].branch_name == "Dubai Mall"


def test_redeem_partial_then_all_and_explain_the_balance(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    assert services.giftcards.redeem(cashier, card.id, 12_050).balance_fils == 37_950
    assert services.giftcards.refund(cashier, card.id, 2_050, "perfume returned").balance_fils == 40_000
    done = services.giftcards.redeem(cashier, card.id, 40_000)
    assert done.balance_fils == 0 and done.status == CardStatus.DEPLETED
    lines = services.giftcards.ledger(cashier, card.id)
    assert [line.running_fils for line in lines] == [50_000, 37_950, 40_000, 0]
    assert sum(line.amount_fils for line in lines) == done.balance_fils


@pytest.mark.parametrize(
    ("amount", "message"),
    [(0, "above zero"), (-500, "above zero"), (50_001, "holds only")],
)
def test_bad_redeem_amounts_write_nothing(services: Services, cashier: Actor, amount: int, message: str) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    before = log_size(services.store)
    with pytest.raises(ValidationError, match=message):
        services.giftcards.redeem(cashier, card.id, amount)
    assert log_size(services.store) == before
    assert services.giftcards.get(card.id).balance_fils == 50_000


def test_refund_never_exceeds_what_was_paid_with_the_card(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    with pytest.raises(ValidationError, match="refund at most"):
        services.giftcards.refund(cashier, card.id, 100, "no purchase yet")
    services.giftcards.redeem(cashier, card.id, 10_000)
    with pytest.raises(ValidationError, match="refund at most"):
        services.giftcards.refund(cashier, card.id, 10_001, "too much")
    with pytest.raises(ValidationError, match="required"):
        services.giftcards.refund(cashier, card.id, 100, "  ")


def test_cancel_is_for_managers_with_a_reason(services: Services, cashier: Actor, manager: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(30_000))
    with pytest.raises(PermissionDenied):
        services.giftcards.cancel(cashier, card.id, "customer asked")
    with pytest.raises(ValidationError):
        services.giftcards.cancel(manager, card.id, "")
    cancelled = services.giftcards.cancel(manager, card.id, "reported stolen")
    assert cancelled.status == CardStatus.CANCELLED and cancelled.balance_fils == 0
    with pytest.raises(ValidationError, match="cancelled"):
        services.giftcards.redeem(cashier, card.id, 100)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.giftcards.cancel(manager, card.id, "again")


def test_cards_expire_as_ledger_events(store: Store, services: Services, cashier: Actor, clock: TestClock) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(30_000, validity_months=1))
    later = build_services(store, clock.shifted(days=40))
    seen = later.giftcards.find(cashier, card.code)
    assert seen.status == CardStatus.EXPIRED and seen.balance_fils == 0
    kinds = [line.kind for line in later.giftcards.ledger(cashier, card.id)]
    assert kinds == [TxKind.ISSUE, TxKind.EXPIRE]
    with pytest.raises(ValidationError, match="expired"):
        later.giftcards.redeem(cashier, card.id, 100)
    other = services.giftcards.issue(cashier, IssueRequest(20_000, validity_months=1))
    assert later.giftcards.expire_due(cashier) == 1
    assert later.giftcards.get(other.id).balance_fils == 0
    assert later.giftcards.expire_due(cashier) == 0, "expiry is written once"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the gift-card code"),
        ("PO-ABCD-EFGH", "12 characters"),
        ("https://example.com/promo", "not a Perfume"),
        ("PO-0OOO-1111-IIII", "never contain"),
    ],
)
def test_bad_codes_are_refused_before_any_lookup(services: Services, cashier: Actor, typed: str, message: str) -> None:
    before = log_size(services.store)
    with pytest.raises(ValidationError, match=message):
        services.giftcards.find(cashier, typed)
    assert log_size(services.store) == before


def test_wrong_check_character_is_caught(services: Services, cashier: Actor) -> None:
    code = sell(services, cashier)
    last = code[-1]
    wrong = code[:-1] + ("A" if last != "A" else "B")
    with pytest.raises(ValidationError, match="typing mistake"):
        services.giftcards.find(cashier, wrong)


def test_unknown_codes_are_rate_limited_per_terminal_and_audited(
    store: Store, cashier: Actor, clock: TestClock
) -> None:
    services = build_services(store, clock)
    services.giftcards.policy = GiftCardPolicy(lookup_failures_allowed=3)
    real = sell(services, cashier)
    for _ in range(3):
        with pytest.raises(NotFound):
            services.giftcards.find(cashier, generate_code())
    with pytest.raises(LookupLocked):
        services.giftcards.find(cashier, real)  # even a real code waits: the till is locked for a while
    with store.read_engine.connect() as conn:
        kinds = [r[0] for r in conn.execute(text("SELECT kind FROM security_events WHERE kind LIKE 'giftcard%'"))]
    assert kinds.count("giftcard_lookup_failed") == 3 and "giftcard_lookup_locked" in kinds
    later = build_services(store, clock.shifted(days=1))
    later.giftcards.policy = services.giftcards.policy
    assert later.giftcards.find(cashier, real).code == real


def test_offline_redemption_and_refund_are_refused_but_selling_works(services: Services, cashier: Actor) -> None:
    class Offline:
        def is_offline(self) -> bool:
            return True

    card = services.giftcards.issue(cashier, IssueRequest(40_000))
    services.giftcards.redeem(cashier, card.id, 5_000)
    services.giftcards.connectivity = Offline()
    with pytest.raises(DomainError, match="cannot be reached"):
        services.giftcards.redeem(cashier, card.id, 1_000)
    assert services.giftcards.issue(cashier, IssueRequest(10_000)).balance_fils == 10_000
    # Another branch may be refunding the same redemptions: a refund waits for head office (DESIGN.md).
    with pytest.raises(DomainError, match="cannot be reached"):
        services.giftcards.refund(cashier, card.id, 5_000, "returned")
    assert services.giftcards.get(card.id).balance_fils == 35_000


def test_amount_bounds_and_bulk_issue(services: Services, cashier: Actor, manager: Actor) -> None:
    with pytest.raises(ValidationError, match="between AED"):
        services.giftcards.issue(cashier, IssueRequest(100))
    with pytest.raises(ValidationError, match="text-direction"):
        services.giftcards.issue(cashier, IssueRequest(50_000, recipient_name="evil\u202ename"))
    corporate = next(c for c in services.customers.search("al") if c.segment == "corporate")
    regular = next(c for c in services.customers.search("al") if c.segment == "regular")
    before = log_size(services.store)
    with pytest.raises(ValidationError, match="corporate"):
        services.giftcards.issue_bulk(manager, regular.id, 5, IssueRequest(20_000, occasion="corporate"))
    assert log_size(services.store) == before
    cards = services.giftcards.issue_bulk(manager, corporate.id, 25, IssueRequest(20_000, occasion="corporate"))
    assert len({c.code for c in cards}) == 25 and all(c.purchaser_customer_id == corporate.id for c in cards)


def test_manager_report(services: Services, cashier: Actor, manager: Actor, store: Store) -> None:
    a = services.giftcards.issue(cashier, IssueRequest(50_000))
    b = services.giftcards.issue(cashier, IssueRequest(20_000, validity_months=1))
    services.giftcards.redeem(cashier, a.id, 15_000)
    with pytest.raises(PermissionDenied):
        services.giftcards.report(cashier)
    report = services.giftcards.report(manager)
    assert report.liability_fils == 35_000 + 20_000 and report.active_cards == 2
    this_month = report.periods[0]
    assert this_month.branch_name == "Dubai Mall" and this_month.issued_fils == 70_000
    assert this_month.redeemed_fils == 15_000
    # A one-month card expires 28 to 31 days from now, by the calendar: the window counts days, not months.
    days_left = (b.expires_on - services.clock.today()).days
    assert 28 <= days_left <= 31
    assert [c.id for c in services.giftcards.report(manager, expiring_days=days_left).expiring] == [b.id]
    assert services.giftcards.report(manager, expiring_days=days_left - 1).expiring == []


def _race(path: str, at: datetime, card_id: str, staff_id: str, branch_id: str, amount: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    store = open_store(Path(path))
    services = build_services(store, TestClock(at))
    actor = Actor(staff_id, branch_id, Role.CASHIER)
    barrier.wait()
    try:
        services.giftcards.redeem(actor, card_id, amount)
        results.put("ok")
    except ValidationError:
        results.put("refused")
    finally:
        store.close()


def test_two_tills_cannot_overdraw_one_card(
    store_path: Path, store: Store, services: Services, clock: TestClock
) -> None:
    """Real concurrent connections from separate processes: the check and the insert are one transaction."""
    cashier = actor_for(services, Role.CASHIER)
    card = services.giftcards.issue(cashier, IssueRequest(50_000))
    context = multiprocessing.get_context("spawn")
    tills = 4
    barrier = context.Barrier(tills)
    results = context.Queue()
    procs = [
        context.Process(
            target=_race,
            args=(str(store_path), clock.now(), card.id, cashier.staff_id, cashier.branch_id, 30_000, barrier, results),
        )
        for _ in range(tills)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in range(tills))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    view = services.giftcards.get(card.id)
    assert view.balance_fils == 20_000
    assert sum(line.amount_fils for line in services.giftcards.ledger(cashier, card.id)) == 20_000


def test_the_from_name_is_kept_and_written_to_the_change_log(services: Services, cashier: Actor) -> None:
    card = services.giftcards.issue(cashier, IssueRequest(25_000, recipient_name="مريم", from_name="  خالد  "))
    assert card.from_name == "خالد"
    assert services.giftcards.find(cashier, card.code).from_name == "خالد"
    assert services.giftcards.get(card.id).from_name == "خالد"
    with services.store.read_engine.connect() as conn:
        payload = conn.execute(
            text("SELECT payload FROM change_log WHERE entity = 'gift_cards' AND row_id = :id"), {"id": card.id}
        ).scalar()
    assert payload is not None and json.loads(payload)["from_name"] == "خالد"
    assert services.giftcards.issue(cashier, IssueRequest(25_000)).from_name is None
