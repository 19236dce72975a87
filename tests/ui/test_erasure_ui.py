"""A manager requests a customer's erasure from the customer screen: the confirmation says what head office's
approval erases and what it keeps, the request is recorded with the customer's reason, and the screen then says
it waits for head office; a cashier has no such action. Rendered at 1366x768 in English and Arabic."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from core.privacy.erasure import ErasureStatus
from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from tests.ui.test_consent_ui import open_first
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.customers.erasure import ErasureLine, RequestErasureDialog

SHOTS = Path(os.environ.get("PERFUME_OUD_SHOTS", "")) if os.environ.get("PERFUME_OUD_SHOTS") else None


def line_of(window: MainWindow) -> ErasureLine:
    found = window.workspace.customers.findChild(ErasureLine)
    assert found is not None
    return found


def shot(widget: object, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


def test_a_manager_requests_erasure_and_the_screen_says_head_office_decides(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:
    window.resize(1366, 768)
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    wait_for_background()
    line = line_of(window)
    assert page._profile is not None
    customer_id = page._profile.id
    assert line.isVisible() and line.request_button.isVisible() and line.request_button.text() == "Request erasure…"

    qtbot.mouseClick(line.request_button, Qt.MouseButton.LeftButton)
    dialog = line.findChild(RequestErasureDialog) or window.findChild(RequestErasureDialog)
    assert dialog is not None and dialog.isVisible()
    assert "Invoices, loyalty points and gift-card balances are kept" in dialog.explain.text()
    shot(dialog, "erasure-dialog-en")
    dialog.submit()  # no reason: refused, nothing written
    wait_for_background()
    assert dialog.isVisible() and dialog.message.text() == "This field is required."
    assert services.erasure.latest(page._actor, customer_id) is None  # type: ignore[arg-type]
    dialog.reason.setPlainText("Moving abroad; wants no records kept <b>please</b>")
    dialog.submit()
    wait_for_background()
    assert not dialog.isVisible()
    request = services.erasure.latest(page._actor, customer_id)  # type: ignore[arg-type]
    assert request is not None and request.status == ErasureStatus.PENDING
    assert request.reason == "Moving abroad; wants no records kept <b>please</b>"
    assert line.status.text().startswith("Erasure requested on ") and not line.request_button.isVisible()
    shot(window, "erasure-requested-en")

    language.set_language("ar")
    wait_for_background()
    assert line.status.text() != "" and "Erasure" not in line.status.text()
    shot(window, "erasure-requested-ar")
    page.open_customer(customer_id)
    wait_for_background()
    line.request_button.setVisible(True)
    arabic = RequestErasureDialog(services, page._actor, customer_id, "محمد", parent=window)  # type: ignore[arg-type]
    arabic.show()
    assert "Invoices" not in arabic.explain.text()
    shot(arabic, "erasure-dialog-ar")
    arabic.close()


def test_a_cashier_sees_no_erasure_action(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("customers")
    open_first(qtbot, window, "moh")
    wait_for_background()
    line = line_of(window)
    assert not line.request_button.isVisible()
    line.request_erasure()
    assert window.findChild(RequestErasureDialog) is None


def test_an_erased_customer_shows_as_erased_with_no_action(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:
    """What a till shows once head office's tombstone has arrived (written here as a pull would write it)."""
    from storage import erasure

    window.resize(1366, 768)
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.workspace.show_page("customers")
    page = window.workspace.customers
    open_first(qtbot, window, "moh")
    assert page._profile is not None
    customer_id = page._profile.id
    with services.store.write_engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO erasure_scrubbing (customer_id) VALUES (?)", (customer_id,))
        conn.exec_driver_sql(
            "UPDATE customers SET erased_at = '2026-12-02 09:00:00.000000', "
            "field_hlc = json_set(field_hlc, '$.erased_at', '000000000000001.00000.x|headoffice') WHERE id = ?",
            (customer_id,),
        )
        conn.exec_driver_sql("DELETE FROM erasure_scrubbing")
        erasure.scrub_customers(conn, erasure.erased_among(conn, [customer_id]), 0)
    page.open_customer(customer_id)
    wait_for_background()
    line = line_of(window)
    assert page.header.text() == "Erased customer"
    assert line.status.text() == (
        "This customer's data was erased on \u206802/12/2026\u2069 at their request. "
        "Invoices are kept by customer number only."
    )
    assert not line.request_button.isVisible()
    assert not page.form.isEnabled() and not page.save_button.isEnabled()
    assert not page.send_message_button.isVisible()
    shot(window, "erasure-erased-en")
    language.set_language("ar")
    wait_for_background()
    assert page.header.text() == "عميل محذوف"
    shot(window, "erasure-erased-ar")
