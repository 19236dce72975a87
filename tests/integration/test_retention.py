"""Retention: head office purges the marketing data of customers inactive for the configured months (consent
flags to "no", preferences emptied, campaign messages' bodies removed), keeps the consent ledger as proof, counts
first on a dry run, and the branch takes the purge by pull. Cutoffs at a month end and on 29 February. Also the
head-office command line for erasures: an unknown request is refused with a clear message, not a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.kernel.ids import new_id
from core.privacy.retention import add_months
from main import main
from storage.schema import (
    Campaign,
    CampaignExecution,
    Communication,
    ConsentChangeRow,
    CustomerPreference,
    Order,
)
from sync.headoffice.retention import purge_inactive
from sync.headoffice.store import HeadOfficeConfig
from tests.clock import TestClock
from tests.faults.support import Branch, chain, generous


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 2, 28), -24, date(2024, 2, 28)),
        (date(2028, 2, 29), -12, date(2027, 2, 28)),
        (date(2028, 2, 29), -48, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 31), -24, date(2024, 12, 31)),
    ],
)
def test_months_back_land_on_the_same_day_or_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def marketed_customer(branch: Branch, name: str, mobile: str) -> str:
    """A customer who agreed to SMS offers, declared tastes, got a campaign message and bought once, all at the
    branch's clock."""
    customer = branch.new_customer(name, mobile)
    branch.edit_customer(customer, consent_sms=True)
    with branch.uow() as uow:
        uow.session.add(
            ConsentChangeRow(
                customer_id=customer,
                channel="sms",
                purpose="promotional",
                action="grant",
                source="till",
                occurred_at=branch.services.clock.now(),
            )
        )
        uow.session.add(CustomerPreference(customer_id=customer, source="declared", families=["oud"], brands=["X"]))
        campaign = Campaign(name=f"Win back {name}", kind="win_back")
        message = Communication(customer_id=customer, channel="sms", recipient=mobile, body=f"{name}, 20% off oud")
        uow.session.add_all([campaign, message])
        uow.session.flush()
        uow.session.add(
            CampaignExecution(
                campaign_id=campaign.id, customer_id=customer, communication_id=message.id, occurrence="1"
            )
        )
        uow.session.add(
            Order(number=f"S-{new_id()[-8:]}", customer_id=customer, net_fils=100, vat_fils=5, total_fils=105)
        )
        uow.commit()
    return customer


def local(branch: Branch, sql: str, *params: object) -> list[tuple[object, ...]]:
    with branch.store.read_engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params)]


def test_inactive_customers_lose_their_marketing_data_and_keep_their_consent_history(tmp_path: Path) -> None:
    with chain(tmp_path, ("DXB1",), config=HeadOfficeConfig(default_allowances=generous())) as (ho, _server, (a,)):
        clock = TestClock(datetime(2024, 2, 27, 10, 0, tzinfo=UTC))
        a.services.clock = clock
        old = marketed_customer(a, "Old", "+971501110001")
        clock.advance(days=1)  # 2024-02-28 10:00: on the cutoff day, still active
        edge = marketed_customer(a, "Edge", "+971501110002")
        a.sync()

        month_end = date(2026, 2, 28)  # 24 months back: 2024-02-28
        assert purge_inactive(ho, month_end, 24, dry_run=True).customers == 1
        assert ho.merged_rows("customers")[old]["consent_sms"] is True  # a dry run writes nothing
        run = purge_inactive(ho, month_end, 24)
        assert (run.cutoff, run.customers, run.dry_run) == (date(2024, 2, 28), 1, False)
        assert purge_inactive(ho, month_end, 24, dry_run=True).customers == 0  # nothing left to purge
        assert ho.merged_rows("customers")[old]["consent_sms"] is False
        assert ho.merged_rows("customers")[edge]["consent_sms"] is True

        a.sync()
        assert local(a, "SELECT consent_sms FROM customers WHERE id = ?", old) == [(0,)]
        assert local(a, "SELECT consent_sms FROM customers WHERE id = ?", edge) == [(1,)]
        assert local(a, "SELECT families, brands FROM customer_preferences WHERE customer_id = ?", old) == [
            ("[]", "[]")
        ]
        assert local(a, "SELECT body FROM communications WHERE customer_id = ?", old) == [("",)]
        assert local(a, "SELECT body FROM communications WHERE customer_id = ?", edge) == [("Edge, 20% off oud",)]
        # The consent ledger is the proof: kept, row for row.
        assert len(local(a, "SELECT id FROM consent_changes WHERE customer_id = ?", old)) == 1
        assert local(a, "SELECT first_name_en FROM customers WHERE id = ?", old) == [("Old",)]  # not an erasure

        # On 29 February of a leap year, 48 months back is 29 February: the 28th is before it.
        leap = purge_inactive(ho, date(2028, 2, 29), 48, dry_run=True)
        assert (leap.cutoff, leap.customers) == (date(2024, 2, 29), 1)


def test_the_command_line_refuses_an_unknown_request_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    assert main(["headoffice", "--db", db, "--erasures"]) == 0
    code = main(["headoffice", "--db", db, "--approve-erasure", "nope", "--reason", "verified"])
    assert code == 1
    assert "refused (404): no erasure request 'nope'" in capsys.readouterr().out
    assert main(["headoffice", "--db", db, "--refuse-erasure", "nope"]) == 1
    assert "say why with --reason" in capsys.readouterr().out
    assert main(["headoffice", "--db", db, "--purge-inactive", "--dry-run"]) == 0
    assert "would purge the marketing data of 0 customers" in capsys.readouterr().out
