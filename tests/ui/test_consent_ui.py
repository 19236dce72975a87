"""The consent boxes of the customer form: they show the ledger, record what staff change, and never undo an
opt-out by an unrelated edit."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from core.messaging.consent import Action, ConsentChange, Source
from storage.bootstrap import Services
from storage.uow import SqlUnitOfWork
from tests.ui.conftest import sign_in
from tests.ui.test_shell import type_search
from ui.main_window import MainWindow
from ui.ops import wait_for_background


def open_first(qtbot, window: MainWindow, query: str) -> None:  # type: ignore[no-untyped-def]
    type_search(qtbot, window, query)
    qtbot.keyClick(window.workspace.customers.search, Qt.Key.Key_Return)
    wait_for_background()


def test_offers_ticked_at_the_till_are_recorded_and_a_stop_is_not_undone_by_an_edit(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")  # a cashier starts on the Sale page
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    assert page._profile is not None
    who = page._profile.id
    assert not page.form.offers_sms.isChecked(), "offers are never assumed"
    page.form.offers_sms.setChecked(True)
    receipts_by_sms = not page.form.consent_sms.isChecked()
    page.form.consent_sms.setChecked(receipts_by_sms)
    page.form.consent_whatsapp.setChecked(True)
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    cashier = page._actor
    assert cashier is not None
    till = [(r.channel, r.purpose, r.action, r.staff_id) for r in services.consents.history(cashier, who)]
    assert ("sms", "promotional", "grant", cashier.staff_id) in till
    assert ("sms", "transactional", "grant" if receipts_by_sms else "withdraw", cashier.staff_id) in till
    assert page.form.offers_sms.isChecked() and page.form.consent_whatsapp.isChecked()
    assert services.customers.get(who).consent_whatsapp and services.customers.get(who).consent_sms == receipts_by_sms

    # The customer replies STOP on WhatsApp; head office's row arrives with a pull.
    with SqlUnitOfWork(services.store, services.clock, cashier) as uow:
        uow.consents.add(
            ConsentChange(who, "whatsapp", None, Action.WITHDRAW, Source.KEYWORD, services.clock.now(), "+9715")
        )
        uow.commit()
    open_first(qtbot, window, "moh")
    assert not page.form.consent_whatsapp.isChecked(), "the form shows the ledger, not the profile's checkbox"
    before = len(services.consents.history(cashier, who))
    page.form.edits["area"].setText("Al Barsha")
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    assert len(services.consents.history(cashier, who)) == before, "an unrelated edit records no consent"
    assert not services.consents.state(cashier, who).allows("whatsapp", "transactional")
    assert services.customers.get(who) == replace(services.customers.get(who), area="Al Barsha")
