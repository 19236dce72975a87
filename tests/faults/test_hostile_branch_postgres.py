"""Fault 18 on a PostgreSQL head office: a hostile enrolled branch can neither rewrite nor re-insert another
branch's ledger row, nor write a row naming another branch; the look-ups behind the refusals run on the
driver's own placeholders there."""

from __future__ import annotations

from pathlib import Path

from core.offline.allowances import DecreaseKind
from sync.headoffice.integrity import refusals
from sync.headoffice.store import HeadOfficeConfig
from tests.faults.support import chain, generous
from tests.integration.test_headoffice_integrity import Hostile, issued_card


def test_18_a_hostile_branch_cannot_rewrite_another_branchs_ledger_on_postgres(
    tmp_path: Path, postgres: str, template: Path
) -> None:
    config = HeadOfficeConfig(default_allowances=generous())
    with chain(tmp_path, url=postgres, config=config, template=template) as (ho, server, (a, b)):
        card, event = issued_card(a, b)
        hostile = Hostile(ho, server, a)
        head = ho.head()
        update = hostile.change("gift_card_transactions", event, {"id": event, "amount_fils": 1}, op="update")
        again = hostile.event(card, 100_000)
        again["row_id"] = again["payload"]["id"] = event
        planted = hostile.event(card, 100_000, branch_id=b.store.branch_id)
        malformed = hostile.event(card, 1.5)
        statuses = [hostile.push(c).status for c in (update, again, planted, malformed)]
        assert statuses == [409, 409, 409, 422]
        assert ho.head() == head
        assert ho.balances("gift_card") == {card: 50_000}
        assert [r["status"] for r in refusals(ho, hostile.branch_id)] == statuses
        # The till behind the credentials still syncs what it really wrote.
        a.redeem(DecreaseKind.GIFT_CARD, card, 1_000)
        a.sync()
        assert ho.balances("gift_card") == {card: 49_000}
        hostile.client.close()
