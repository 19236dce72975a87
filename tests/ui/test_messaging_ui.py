"""The message templates page (live preview, refusals, saving) and the customer's Messages tab (a message's
whole story and the customer's reply), clicked through as a manager would."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from core.messaging.dispatch import Dispatcher, apply_provider_status
from core.messaging.templates import RECEIPT, template_id
from storage.bootstrap import Services
from storage.outbox import SqlOutbox
from storage.schema import Communication
from storage.uow import SqlUnitOfWork
from tests.clock import TestClock
from tests.conftest import actor_for
from tests.dispatching import gateway
from tests.integration.test_events import silver_sale
from tests.providers import FakeProviders
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.customers.messages import DIRECTION, PURPOSE, STATUS, MessagesTab
from ui.pages.messaging.templates_page import TemplatesPage


def templates_page(qtbot, window: MainWindow) -> TemplatesPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("message_templates")
    wait_for_background()
    page = next(p for k, p, _perm, _title in window.workspace.pages if k == "message_templates")
    assert isinstance(page, TemplatesPage)
    return page


def settle(qtbot, page: TemplatesPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(350)  # past the preview's quarter-second pause
    wait_for_background()


def stored_bodies(services: Services) -> dict[str, str]:
    with services.store.read_engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(text("SELECT id, body FROM message_templates"))}


def test_the_preview_follows_the_typing_and_a_save_reaches_the_store(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    page = templates_page(qtbot, window)
    assert page.templates.count() == 4 and page.templates.currentRow() == 0  # the receipt first
    ar = page.editors["ar"]
    ar.setFocus()
    ar.setPlainText("")
    ar.insertPlainText("شكراً يا ")  # typed (QTest cannot type Arabic letters)
    page.variables.findChildren(type(page.save_button))[1].click()  # {first_name}, at the cursor
    assert ar.toPlainText() == "شكراً يا {first_name}"
    ar.insertPlainText(" " + "ع" * 100)
    settle(qtbot, page)
    arabic = page.previews["ar"]
    assert arabic.bubble.text() == "شكراً يا فاطمة " + "ع" * 100
    assert arabic.bubble.textFormat() == Qt.TextFormat.PlainText
    assert "UCS-2" in arabic.sms.text() and "2 parts" in arabic.sms.text() and "«ش»" in arabic.sms.text()
    assert "unifonic: AED 0.10" in arabic.cost.text() and "twilio: AED 0.60" in arabic.cost.text()
    assert 'dir="rtl"' in services.messages.preview(RECEIPT, "ar", ar.toPlainText()).email_html
    english = page.previews["en"]
    assert "GSM-7" in english.sms.text() and "1 part" in english.sms.text()

    # Markup typed into a wording shows as typed in the bubble, escaped in the email.
    en = page.editors["en"]
    en.setPlainText("<b>Dear</b> {first_name}, order {order_number} is ready at {branch}.")
    settle(qtbot, page)
    assert english.bubble.text().startswith("<b>Dear</b> Fatima") and "Dubai Mall" in english.bubble.text()
    assert "&lt;b&gt;Dear" in english.email.toHtml() or "<b>Dear</b>" in english.email.toPlainText()

    # A variable the receipt cannot fill: shown while typing, and the save is refused with nothing written.
    before = stored_bodies(services)
    en.setPlainText("Your card of AED {amount} is ready, {first_name}")
    settle(qtbot, page)
    assert english.problems.isVisible() and "{amount}" in english.problems.text()
    page.save()
    wait_for_background()
    assert page.message.property("error") is True and "{amount}" in page.message.text()
    assert stored_bodies(services) == before

    wording = "Thank you {first_name}, order {order_number} at {branch}."
    en.setPlainText(wording)
    page.save()
    wait_for_background()
    assert page.message.text().startswith("Saved.")
    stored = stored_bodies(services)
    assert all(stored[template_id(RECEIPT, c, "en")] == wording for c in ("whatsapp", "sms", "email"))
    assert stored[template_id(RECEIPT, "sms", "ar")].startswith("شكراً يا {first_name} ع")
    assert "reworded" in page.templates.item(0).text()


def test_the_arabic_page_is_mirrored_and_its_editor_runs_right_to_left(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, language: LanguageSwitch
) -> None:
    page = templates_page(qtbot, window)
    language.set_language("ar")
    wait_for_background()
    assert page.isRightToLeft()
    assert page.editors["ar"].layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert page.editors["en"].layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert page.title.text() == "قوالب الرسائل"


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


def test_the_messages_tab_tells_a_messages_story_and_shows_the_reply(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, clock: TestClock, fake: FakeProviders
) -> None:
    from core.staff.auth import Role

    cashier = actor_for(services, Role.CASHIER)
    who = services.customers.search("moh")[0].id
    services.purchases.record_sale(cashier, silver_sale(who))
    dispatcher = Dispatcher(
        SqlOutbox(services.store), gateway(fake.url, clock), clock, rng=random.Random(3), concurrency=1
    )
    clock.advance(seconds=5)
    dispatcher.run_once()
    dispatcher.close()
    with services.store.read_engine.connect() as conn:
        receipt = conn.execute(
            text(
                "SELECT c.id, c.provider_message_id, c.provider, c.status FROM communications c "
                "JOIN message_templates t ON t.id = c.template_id WHERE c.customer_id = :c AND t.key = :k"
            ),
            {"c": who, "k": RECEIPT},
        ).one()
    assert receipt.status == "sent", "the demo customer agreed to receipts"
    at = clock.now() + timedelta(seconds=20)
    outbox = SqlOutbox(services.store)
    apply_provider_status(outbox, receipt.provider_message_id, "delivered", at, receipt.provider, now=at)
    clock.advance(minutes=3)
    with SqlUnitOfWork(services.store, clock, cashier) as uow:  # the customer's reply, as a pull brings it
        uow.session.add(
            Communication(
                id="reply-1",
                customer_id=who,
                channel="whatsapp",
                direction="inbound",
                recipient="+971500000000",
                body="<i>Thanks!</i> شكراً",
                status="received",
                attempts=0,
                provider="whatsapp",
            )
        )
        uow.commit()

    sign_in(qtbot, window, "khalid.manager", "3333")
    customers = window.workspace.customers
    window.workspace.show_page("customers")
    customers.open_customer(who)
    wait_for_background()
    tab = customers.findChild(MessagesTab)
    assert tab is not None
    customers.tabs.setCurrentWidget(tab)
    wait_for_background()
    table = tab.table
    assert table.rowCount() >= 3  # the reply, the receipt and the tier congratulation
    first = [table.item(0, c).text() for c in range(table.columnCount())]
    assert first[DIRECTION] == "From customer" and first[PURPOSE] == "Customer's reply"
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == receipt.id)
    assert table.item(row, STATUS).text() == "Delivered"
    assert table.item(row, PURPOSE).text().startswith("Receipt of order ")
    table.selectRow(row)
    wait_for_background()
    history = [tab.history.item(r, 0).text() for r in range(tab.history.rowCount())]
    assert history == ["Sending", "Sent", "Delivered"]
    assert tab.body.toPlainText() and tab.history.item(2, 2).text().strip("\u2066\u2069") == receipt.provider
    table.selectRow(0)
    wait_for_background()
    assert tab.body.toPlainText() == "<i>Thanks!</i> شكراً"  # as typed, never markup


def test_a_cashier_is_told_messages_are_not_for_them(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    customers = window.workspace.customers
    window.workspace.show_page("customers")
    customers.open_customer(services.customers.search("moh")[0].id)
    wait_for_background()
    tab = customers.findChild(MessagesTab)
    assert tab is not None
    customers.tabs.setCurrentWidget(tab)
    assert tab.notice.isVisible() and tab.table.rowCount() == 0
    assert "message_templates" not in window.workspace.page_keys()
