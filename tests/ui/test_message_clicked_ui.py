"""A campaign message whose short link was opened: the click head office recorded (a ``clicked`` line of the
message's history, as a pull brings it) reads "Link opened" in the customer's Messages tab, in English and
Arabic."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.kernel.ids import new_id
from core.staff.auth import Role
from storage.bootstrap import Services
from storage.schema import Communication, CommunicationEvent
from storage.uow import SqlUnitOfWork
from tests.clock import TestClock
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.customers.messages import MessagesTab


def test_an_opened_link_shows_in_the_messages_history(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, clock: TestClock, language: LanguageSwitch, tmp_path: Path
) -> None:
    who = services.customers.search("moh")[0].id
    manager = actor_for(services, Role.MANAGER)
    sent_at = clock.now()
    message_id = new_id()
    with SqlUnitOfWork(services.store, clock, manager) as uow:
        uow.session.add(
            Communication(
                id=message_id,
                customer_id=who,
                channel="sms",
                recipient="+971500000001",
                body="Our new oud collection is here: https://ho.example/l/AbCdEfGh12345678",
                status="sent",
                attempts=1,
                provider="twilio",
            )
        )
        for status, after in (("sent", 0), ("clicked", 40)):
            uow.session.add(
                CommunicationEvent(message_id=message_id, status=status, at=sent_at + timedelta(minutes=after))
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
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).data(256) == message_id)
    tab.table.selectRow(row)
    wait_for_background()
    assert [tab.history.item(r, 0).text() for r in range(tab.history.rowCount())] == ["Sent", "Link opened"]
    window.resize(1366, 768)
    window.grab().save(str(tmp_path / "clicked-en.png"))
    language.set_language("ar")
    wait_for_background()
    tab.table.clearSelection()
    tab.table.selectRow(row)
    wait_for_background()
    assert tab.history.item(1, 0).text() == "فُتح الرابط"
    window.grab().save(str(tmp_path / "clicked-ar.png"))
