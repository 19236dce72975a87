"""The campaign results view on a real store: a birthday campaign with two variants, a control group and a
discount code, its messages delivered and read, sales with and without the code; the view counts it off the
main thread, shows the count beside every percentage, the lift with its interval, and exports CSV."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from core.campaigns.executor import CampaignExecutor
from core.campaigns.model import CONTROL, CampaignDefinition, CampaignKind, Message, Offer, Variant
from core.campaigns.results import LEADING
from core.campaigns.schedule import Repeat, Schedule
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import Store
from storage.schema import CampaignExecution, Communication
from storage.uow import SqlUnitOfWork, uow_factory
from tests.campaign_world import Person, add_people, empty_store, staff_actor, system_actor, utc
from tests.clock import TestClock
from ui.i18n import LanguageSwitch
from ui.ops import wait_for_background
from ui.pages.campaigns.results import CampaignResultsView

START = utc(2027, 1, 31, 12, 0)
SEND = utc(2027, 2, 1, 6, 0)


@dataclass
class World:
    store: Store
    clock: TestClock
    services: Services
    manager: Actor
    campaign_id: str


def results_world(path: Path, people: int = 200) -> World:
    """A store whose birthday campaign reached ``people`` customers, with outcomes as a week would bring."""
    clock = TestClock(START, tick=False)
    store = empty_store(path, START)
    add_people(
        store, START, [Person(birthday=date(1990, 2, 1), language="ar" if n % 2 else "en") for n in range(people)]
    )
    services = build_services(store, clock)
    manager = staff_actor(store, Role.MANAGER)
    definition = CampaignDefinition(
        name="Birthday treat",
        kind=CampaignKind.BIRTHDAY,
        variants=(
            Variant("A", 1, Message(texts={"en": "Happy birthday {first_name}: {offer}", "ar": "عيد سعيد: {offer}"})),
            Variant("B", 1, Message(texts={"en": "{first_name}, {offer} until {valid_until}", "ar": "{offer}"})),
        ),
        offer=Offer("discount_code", 15, 7, 500),
        control_percent=25,
        schedule=Schedule(Repeat.DAILY, time_of_day=time(10, 0)),
    )
    campaign_id = services.campaigns.create(manager, definition).id
    services.campaigns.schedule(manager, campaign_id)
    clock.at = SEND
    CampaignExecutor(uow_factory(store, clock), clock, system_actor(store)).run_due()
    with SqlUnitOfWork(store, clock, manager) as uow:  # what the dispatcher and the webhooks would record
        for n, message in enumerate(uow.session.scalars(select(Communication).order_by(Communication.id))):
            message.cost_fils = 25
            message.status = (
                "failed" if n % 10 == 9 else "read" if n % 10 < 5 else "delivered" if n % 10 < 8 else "sent"
            )
        uow.commit()
    with store.read_session() as session:
        rows = list(session.scalars(select(CampaignExecution).order_by(CampaignExecution.customer_id)))
    cashier = staff_actor(store, Role.CASHIER)
    line = (LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 40_000),)
    for n, row in enumerate(rows):
        code = ""
        if row.variant == "A" and n % 3 == 0 and row.outcome == "queued":
            code, clock.at = row.offer_code or "", SEND + timedelta(days=2)
        elif row.variant == "B" and n % 4 == 0:
            clock.at = SEND + timedelta(days=3)
        elif row.variant == CONTROL and n % 6 == 0:
            clock.at = SEND + timedelta(days=2)
        else:
            continue
        services.purchases.record_sale(
            cashier, SaleDraft(row.customer_id, line, TenderDraft(cash_fils=42_000), offer_code=code)
        )
    return World(store, clock, services, manager, campaign_id)


def test_the_view_counts_off_the_main_thread_and_shows_counts_lift_and_money(
    qtbot, tmp_path: Path, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    world = results_world(tmp_path / "results.sqlite")
    expected = world.services.campaigns.results(world.manager, world.campaign_id)
    total = expected.row()
    assert total is not None and total.converted.count > 0 and total.redeemed.count > 0
    view = CampaignResultsView(world.services)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show(world.manager, world.campaign_id)
    assert view.results is None  # counted in the background, not on the main thread
    wait_for_background()
    qtbot.waitUntil(lambda: view.results is not None, timeout=5000)
    assert view.results == expected
    assert view.table.rowCount() == len(expected.rows)
    cell = view.table.item(0, 7)
    assert cell is not None and cell.text().startswith(f"{total.converted.count} (")
    lift = expected.lift()
    assert lift is not None and lift.difference is not None
    assert "95 % interval" in view.lift_line.text()
    # Two variants of about 75 customers each: compared on the default metric, one of them ahead.
    assert expected.metric == "converted" and expected.comparison == LEADING and expected.leader in ("A", "B")
    assert view.variants_line.text().startswith("Variants compared on: Conversion rate — leading: ")
    assert expected.leader in view.variants_line.text() and "significant" in view.variants_line.text()
    assert "Birthday treat" in view.title.text()
    out = Path(os.environ.get("SCREENSHOTS", tmp_path))
    view.grab().save(str(out / "campaign-results-en.png"))
    language.set_language("ar")
    QApplication.processEvents()
    view.grab().save(str(out / "campaign-results-ar.png"))
    assert "Birthday treat" in view.title.text()

    from ui.pages.campaigns.results import write_results_csv

    write_results_csv(expected, tmp_path / "results.csv")
    with (tmp_path / "results.csv").open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][:3] == ["variant", "channel", "recipients"]
    assert lines[1][:3] == ["all", "all", str(total.recipients)]
    assert lines[1][9] == str(total.converted.count)
    world.store.close()


def test_the_till_takes_a_code_typed_through_the_arabic_layout_and_shows_the_discount(
    qtbot, tmp_path: Path, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    from core.purchases.model import Quote
    from ui.pages.purchases.sale import SalePage
    from ui.scan.layouts import ARABIC_101

    world = results_world(tmp_path / "till.sqlite", people=40)
    with world.store.read_session() as session:
        rows = session.scalars(
            select(CampaignExecution).where(CampaignExecution.variant == "B", CampaignExecution.outcome == "queued")
        ).all()
    # The B key types lam-alef (لا), the same text as G then H: a code with a B or a G then H, where there is one,
    # is the case to see.
    row = min(
        (r for r in rows if r.offer_code), key=lambda r: ("B" not in r.offer_code and "GH" not in r.offer_code, r.id)
    )
    assert row is not None and row.offer_code
    cashier = staff_actor(world.store, Role.CASHIER)
    page = SalePage(world.services)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.set_actor(cashier)
    customer = next(c for c in world.services.customers.search("C00000", 100) if c.id == row.customer_id)
    page.set_customer(customer)
    page._lines = [LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 12_345)]
    page.refresh_quote()
    wait_for_background()
    # The till's keyboard is on the Arabic layout: the letters arrive as the Arabic keys' characters.
    page.offer_edit.setText("".join(ARABIC_101.get(c.lower(), c) for c in row.offer_code))
    page.apply_offer()
    wait_for_background()
    qtbot.waitUntil(lambda: page._quote is not None and page._quote.discount_fils > 0, timeout=5000)
    quote: Quote | None = page._quote
    assert quote is not None and quote.discount_fils == 3_704  # 15 % of 246.90, half up
    assert page.offer_edit.text() == row.offer_code and page.offer_text.isVisible()
    assert "AED 37.04" in page.offer_text.text() and "AED 37.04" in page.net_label.text()
    assert "220.35" in page.total_label.text()  # 209.86 + 10.49 VAT
    out = Path(os.environ.get("SCREENSHOTS", tmp_path))
    page.grab().save(str(out / "sale-offer-en.png"))
    language.set_language("ar")
    QApplication.processEvents()
    page.grab().save(str(out / "sale-offer-ar.png"))
    language.set_language("en")

    # Another customer's sale drops the code; a code that does not exist is refused in words.
    page.offer_edit.setText("2345-6789")
    page.apply_offer()
    wait_for_background()
    qtbot.waitUntil(lambda: "No campaign offer has the code 2345-6789." in page.message.text(), timeout=5000)
    assert page._offer is None
    world.store.close()
