"""DESIGN.md, "effects that must happen once per cause": money rules that hold across branches, not only in
one branch's ledger. Each test runs two branches against a real head office on loopback: an effect keyed by
its cause is kept once by the ledger union; a limit that cannot be keyed is checked at head office, which
keeps both rows and raises an exception; a hold taken by a use case that rolls back is released."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.giftcards.service import IssueRequest
from core.kernel.errors import DomainError, ValidationError
from core.loyalty.ledger import account_id_for
from core.offline.allowances import DecreaseKind
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.staff.auth import Role
from storage.bootstrap import build_services
from storage.schema import GiftCard, GiftCardTransaction
from sync.headoffice import models as m
from sync.headoffice.store import HeadOfficeStore
from sync.protocol import AuthorizeRequest
from tests.clock import TestClock
from tests.conftest import actor_for
from tests.faults.invariants import money_sense, report
from tests.faults.proxy import DROP_REQUEST
from tests.faults.support import Branch, chain

# AED 1,200 net: 1,200 points, over Silver (1,000) for a regular customer.
OUD = LineDraft("OUD-ROY-100", "Royal Oud", "Perfume & Oud", "oud", 100, 1, 120_000)


@pytest.fixture(params=["sqlite", "postgresql"])
def ho_url(request: pytest.FixtureRequest) -> str | None:
    """Head office on its embedded SQLite file (None) or on PostgreSQL, the store a real chain runs on."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("postgres")).replace("postgresql://", "postgresql+psycopg://")


def with_clock(branch: Branch) -> Branch:
    """The branch's services on the suite's test clock (no test reads the real date)."""
    branch.services = build_services(branch.store, TestClock(), link=branch.worker)
    return branch


def sync_all(*branches: Branch, rounds: int = 2) -> None:
    for _ in range(rounds):
        for branch in branches:
            branch.sync()


def points_rows(branch: Branch, account: str, kind: str) -> list[tuple[str, int]]:
    with branch.store.read_engine.connect() as conn:
        return [
            (r[0], r[1])
            for r in conn.exec_driver_sql(
                "SELECT id, points FROM loyalty_transactions WHERE account_id = ? AND kind = ? ORDER BY id",
                (account, kind),
            )
        ]


def cached_tier(branch: Branch, account: str) -> str:
    with branch.store.read_engine.connect() as conn:
        return str(conn.exec_driver_sql("SELECT tier FROM loyalty_accounts WHERE id = ?", (account,)).scalar())


def test_an_upgrade_bonus_is_paid_once_when_two_branches_see_the_customer_cross_silver(
    tmp_path: Path, ho_url: str | None
) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), url=ho_url) as (ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        customer = a.new_customer("Mariam", "+971501112233")
        sync_all(a, b)
        for branch in (a, b):  # neither knows of the other's sale
            sale = branch.services.purchases.record_sale(
                branch.actor, SaleDraft(customer, (OUD,), TenderDraft(cash_fils=126_000))
            )
            assert sale.bonus_points == 100
        account = account_id_for(customer)
        sync_all(a, b)

        assert points_rows(a, account, "bonus") == points_rows(b, account, "bonus")
        assert [p for _id, p in points_rows(a, account, "bonus")] == [100], "one Silver bonus, everywhere"
        assert a.ledger("loyalty_transactions") == b.ledger("loyalty_transactions"), "the same version of it too"
        expected = 1_200 + 1_200 + 100
        assert ho.balances("points")[account] == expected, "head office counts the bonus once"
        assert a.balance(DecreaseKind.POINTS, account) == b.balance(DecreaseKind.POINTS, account) == expected
        assert cached_tier(a, account) == cached_tier(b, account) == "silver"
        assert ho.merged_rows("loyalty_accounts")[account]["tier"] == "silver"
        assert not ho.exceptions()


def test_an_expired_card_is_expired_once_when_two_branches_run_expiry(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        with a.uow() as uow:  # sold a year ago, valid until last month
            card = GiftCard(code="EXPIREDCARD1", initial_fils=50_000, expires_on=date(2026, 11, 1))
            uow.session.add(card)
            uow.session.flush()
            uow.session.add(GiftCardTransaction(card_id=card.id, kind="issue", amount_fils=50_000))
            uow.commit()
        card_id = str(card.id)
        sync_all(a, b)
        manager = actor_for(a.services, Role.MANAGER)
        assert a.services.giftcards.expire_due(manager) == 1
        assert b.services.giftcards.expire_due(actor_for(b.services, Role.MANAGER)) == 1, "B has not heard of A's"
        sync_all(a, b)

        assert ho.balances("gift_card")[card_id] == 0, "expired once: not -AED 500"
        assert a.ledger("gift_card_transactions") == b.ledger("gift_card_transactions"), "one version everywhere"
        assert a.balance(DecreaseKind.GIFT_CARD, card_id) == b.balance(DecreaseKind.GIFT_CARD, card_id) == 0
        assert not ho.exceptions(), "no bogus overspend"
        for branch in (a, b):
            with branch.store.read_engine.connect() as conn:
                expiries = conn.exec_driver_sql(
                    "SELECT count(*) FROM gift_card_transactions WHERE card_id = ? AND kind = 'expire'", (card_id,)
                ).scalar()
            assert expiries == 1
        assert a.services.giftcards.expire_due(manager) == 0, "an expired card is not expired again"


def test_a_sale_refused_its_points_releases_the_card_it_held_at_head_office(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1", "DXB2")) as (ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        customer = a.new_customer("Mariam", "+971501112233")
        account = a.open_points(customer, 1_000)
        sold = a.services.giftcards.issue(a.actor, IssueRequest(amount_fils=30_000))
        card = sold.id
        sync_all(a, b)
        assert b.redeem(DecreaseKind.POINTS, account, 800).allowed  # A has not heard of it
        b.sync()

        # AED 210: AED 100 by card (held at head office), 500 points (AED 25) that head office refuses.
        line = LineDraft("SMP-5", "Oud sample", "Perfume & Oud", "oud", 5, 1, 20_000)
        tenders = TenderDraft(cash_fils=8_500, gift_card_fils=10_000, gift_card_code=sold.code, points=500)
        with pytest.raises(ValidationError) as refused:
            a.services.purchases.record_sale(a.actor, SaleDraft(customer, (line,), tenders))
        assert refused.value.field == "points", refused.value.english()
        assert not ho_holds(ho, card), "the rolled-back sale's card hold is released"
        assert b.redeem(DecreaseKind.GIFT_CARD, card, 30_000).allowed, "the whole balance is there for B"
        sync_all(a, b)
        assert ho.balances("gift_card")[card] == 0 and not ho.exceptions()


def test_a_release_lost_on_the_way_is_sent_again_and_a_late_copy_of_the_authorisation_holds_nothing(
    tmp_path: Path,
) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), proxies=True) as (ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        customer = a.new_customer("Mariam", "+971501112233")
        account = a.open_points(customer, 1_000)
        sold = a.services.giftcards.issue(a.actor, IssueRequest(amount_fils=30_000))
        card = sold.id
        sync_all(a, b)
        assert b.redeem(DecreaseKind.POINTS, account, 800).allowed
        b.sync()

        assert a.proxy is not None
        a.proxy.script("/v1/release", DROP_REQUEST, DROP_REQUEST)  # lost at the rollback and the next cycle
        line = LineDraft("SMP-5", "Oud sample", "Perfume & Oud", "oud", 5, 1, 20_000)
        tenders = TenderDraft(cash_fils=8_500, gift_card_fils=10_000, gift_card_code=sold.code, points=500)
        with pytest.raises(ValidationError):
            a.services.purchases.record_sale(a.actor, SaleDraft(customer, (line,), tenders))
        a.sync()
        a.sync()
        assert not ho_holds(ho, card), "the release is retried with every cycle until head office has it"

        # A copy of that authorisation delivered late (replayed on the way) finds it released: it takes nothing.
        h = m.holds.c
        with ho.reader.connect() as conn:
            released = conn.execute(select(h.hold_id).where(h.subject_id == card)).scalar_one()
        late = AuthorizeRequest(kind="gift_card", subject_id=card, amount=10_000, hold_id=released)
        assert not ho.authorize(a.store.branch_id, late).approved
        assert not ho_holds(ho, card)
        assert b.redeem(DecreaseKind.GIFT_CARD, card, 30_000).allowed, "the whole balance is there for B"


def ho_holds(ho: HeadOfficeStore, subject_id: str) -> list[int]:
    """The amounts head office holds on the subject (a released hold, kept holding nothing, is not one)."""
    h = m.holds.c
    with ho.reader.connect() as conn:
        return [int(r[0]) for r in conn.execute(select(h.amount).where(h.subject_id == subject_id, h.amount > 0))]


def test_one_receipt_returned_at_two_branches_is_kept_and_raised_as_an_exception(
    tmp_path: Path, ho_url: str | None
) -> None:
    with chain(tmp_path, ("DXB1", "DXB2"), url=ho_url) as (ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        customer = a.new_customer("Mariam", "+971501112233")
        sold = a.services.giftcards.issue(a.actor, IssueRequest(amount_fils=50_000))
        sync_all(a, b)
        line = LineDraft("SMP-5", "Oud sample", "Perfume & Oud", "oud", 5, 2, 10_000)  # AED 210 with VAT
        tenders = TenderDraft(gift_card_fils=21_000, gift_card_code=sold.code)
        sale = a.services.purchases.record_sale(a.actor, SaleDraft(customer, (line,), tenders))
        sync_all(a, b)
        back = ReturnDraft(sale.order.id, (ReturnLineDraft(sale.order.lines[0].id, 2),), "changed mind")
        for branch in (a, b):  # the customer brings the same receipt to both, neither has heard of the other
            returned = branch.services.purchases.record_return(branch.actor, back)
            assert returned.refunds["gift_card"] == 21_000
        sync_all(a, b)

        assert ho.balances("gift_card")[sold.id] == 50_000 - 21_000 + 2 * 21_000, "both refunds kept: money left"
        assert a.balance(DecreaseKind.GIFT_CARD, sold.id) == b.balance(DecreaseKind.GIFT_CARD, sold.id) == 71_000
        raised = {(e.kind, e.subject_id): e for e in ho.exceptions()}
        # (The points earned on the sale were reversed at both too: that shows as the account's overspend.)
        assert {("refund", sold.id), ("return", sale.order.id)} <= set(raised)
        assert raised[("refund", sold.id)].amount == 21_000
        assert raised[("return", sale.order.id)].amount == 2 * 10_000
        second = raised[("refund", sold.id)].branch_id
        assert raised[("return", sale.order.id)].branch_id == second, "the branch that went over"
        late = next(x for x in (a, b) if x.store.branch_id == second)
        seen = late.services.offline.exceptions(actor_for(late.services, Role.MANAGER))
        assert {("refund", sold.id), ("return", sale.order.id)} <= {(e.kind, e.subject_id) for e in seen}
        # The randomized scenario's invariants read these exceptions as naming the refund and the return.
        assert not [v for v in money_sense(ho) if v.invariant in RAISED], report(money_sense(ho))


RAISED = ("refunds exceed redemptions", "returns exceed the sale", "overspend beyond offline approvals")


def test_offline_a_till_takes_back_only_its_own_receipts_and_refunds_no_card(tmp_path: Path) -> None:
    """Refunds are not safe offline: a till that cannot reach head office cannot know another branch's returns."""
    with chain(tmp_path, ("DXB1", "DXB2"), proxies=True) as (_ho, _server, branches):
        a, b = (with_clock(x) for x in branches)
        customer = a.new_customer("Mariam", "+971501112233")
        line = LineDraft("SMP-5", "Oud sample", "Perfume & Oud", "oud", 5, 1, 10_000)
        sale = a.services.purchases.record_sale(a.actor, SaleDraft(customer, (line,), TenderDraft(cash_fils=10_500)))
        sold = a.services.giftcards.issue(a.actor, IssueRequest(amount_fils=20_000))
        sync_all(a, b)
        a.services.giftcards.redeem(a.actor, sold.id, 5_000)
        sync_all(a, b)
        a.go_offline()
        b.go_offline()
        back = ReturnDraft(sale.order.id, (ReturnLineDraft(sale.order.lines[0].id, 1),), "changed mind")
        orders = b.ledger("orders")
        with pytest.raises(ValidationError) as refused:
            b.services.purchases.record_return(b.actor, back)
        assert refused.value.field == "order" and "another branch" in refused.value.english()
        assert b.ledger("orders") == orders, "a refusal writes nothing"
        with pytest.raises(DomainError) as no_refund:
            b.services.giftcards.refund(b.actor, sold.id, 5_000, "goodwill")
        assert "cannot be reached" in no_refund.value.english()
        own = a.services.purchases.record_return(a.actor, back)
        assert own.refunds["cash"] == 10_500, "a receipt of this branch is still taken back offline"
