"""Two branches and head office on loopback: what one branch writes reaches the other, exactly once."""

from __future__ import annotations

import json
from pathlib import Path

from core.offline.allowances import DecreaseKind, LinkState
from tests.faults.support import chain


def test_customer_and_money_reach_the_other_branch(tmp_path: Path) -> None:
    with chain(tmp_path) as (ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        card = a.issue_card(50_000)
        refused = a.redeem(DecreaseKind.GIFT_CARD, card, 10_000)
        assert not refused.allowed, "never synced: no allowance, no head office confirmation"
        a.sync()
        assert a.worker.status().state == LinkState.ONLINE
        decision = a.redeem(DecreaseKind.GIFT_CARD, card, 10_000)
        assert decision.allowed and not decision.pending, "online: head office confirmed it"
        a.sync()
        assert a.replica.unsynced() == 0
        b.sync()
        assert b.customer(customer)["first_name_en"] == "Hamad"
        assert b.balance(DecreaseKind.GIFT_CARD, card) == 40_000
        assert ho.balances("gift_card")[card] == 40_000
        assert b.services.customers.search("hamad")[0].id == customer, "pulled customers are searchable"
        assert a.ledger("gift_card_transactions") == b.ledger("gift_card_transactions")
        assert a.ledger("customer_history") == b.ledger("customer_history")
        assert a.registers("customers") == b.registers("customers")


def test_an_update_that_overtakes_its_insert_is_kept_until_the_insert_comes(tmp_path: Path) -> None:
    """Head office restored from a backup, or a snapshot taken between the two, can hand a branch a row's update
    before its insert, even in separate pages: the row ends as if they had come in order."""
    with chain(tmp_path) as (ho, _server, (a, b)):
        customer = a.new_customer("Hamad", "+971501234567")
        a.edit_customer(customer, notes="prefers oud", area="Jumeirah")
        a.sync()
        page = json.loads(ho.pull_json(b.store.branch_id, 0, 1000))
        insert, update = [c for c in page["changes"] if c["entity"] == "customers" and c["row_id"] == customer]
        assert (insert["op"], update["op"]) == ("insert", "update")
        now = ho.now()
        report = b.replica.apply_pulled([update], 0, now)
        assert report.orphans == [customer]
        b.replica.apply_pulled([insert], 0, now)
        assert b.customer(customer) == a.customer(customer)
        assert b.registers("customers")[customer] == a.registers("customers")[customer]
        b.replica.apply_pulled([update, insert], 0, now)  # again, now that the row is in place: nothing moves
        assert b.registers("customers")[customer] == a.registers("customers")[customer]
