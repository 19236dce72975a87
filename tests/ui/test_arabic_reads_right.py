"""Numbers, phones, codes and paths are left-to-right runs inside Arabic text: checked in the strings' bidi
structure and in how Qt (and, independently, the Unicode bidi algorithm) draws them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.customers.model import CustomerDraft
from core.giftcards.service import IssueRequest
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.bidi import displayed, drawn, ink_columns
from tests.ui.conftest import sign_in
from ui.i18n import (
    LRI,
    PDI,
    RLM,
    LanguageSwitch,
    in_ui_direction,
    local_name,
    ltr,
    money,
    number,
    phone_text,
    signed_number,
)
from ui.main_window import MainWindow
from ui.ops import wait_for_background

PHONE = "+971501234567"


def test_a_phone_keeps_its_groups_in_order_inside_arabic(language: LanguageSwitch) -> None:
    language.set_language("ar")
    shown = phone_text(PHONE)
    assert shown == LRI + "050 123 4567" + PDI
    line = "الجوال: " + shown
    for view in (drawn(line), displayed(line)):
        assert "050 123 4567" in view, view
    international = phone_text("+447700900123")
    assert "+44 7700 900123" in drawn("هاتف " + international)
    # Without the isolate the groups come out reversed: the check can fail.
    assert "4567 123 050" in drawn("050 123 4567")


def test_a_negative_amount_has_its_minus_on_the_left_in_arabic(language: LanguageSwitch) -> None:
    language.set_language("ar")
    text = money(-12_500)
    assert text.startswith(LRI) and "-125.00" in text
    for view in (drawn(text), displayed(text)):
        assert "-125.00" in view and "125.00-" not in view, view
    assert "-40" in drawn("النقاط " + number(-40)) and "+120" in drawn("النقاط " + signed_number(120))
    # A change and a balance side by side stay two amounts.
    both = money(2_500) + " " + money(40_000)
    assert "25.00" in drawn(both) and "400.00" in drawn(both)
    language.set_language("en")
    assert money(-12_500) == "AED -125.00" and money(50_000) == "AED 500.00"
    assert number(-40) == "-40" and signed_number(3) == "+3"


def test_a_line_opening_with_a_code_is_laid_out_right_to_left_in_arabic(language: LanguageSwitch) -> None:
    language.set_language("ar")
    line = in_ui_direction(ltr("DXB1-000001") + " · عادي")
    assert line.startswith(RLM)
    assert drawn(line).endswith("DXB1-000001") and displayed(line).endswith("DXB1-000001")
    language.set_language("en")
    assert not in_ui_direction("Regular").startswith(RLM)


def test_customer_list_profile_and_status_bar_in_arabic(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:
    from core.staff.auth import Role

    cashier = actor_for(services, Role.CASHIER)
    profile = services.customers.create(
        cashier, CustomerDraft(first_name_en="Hamad", first_name_ar="حمد", last_name_ar="الفلاسي", mobile=PHONE)
    )
    sign_in(qtbot, window, "admin", "4444")
    language.set_language("ar")
    window.resize(1366, 768)
    page = window.workspace.customers
    page.search.setText("050 123 4567")
    page.run_search()
    wait_for_background()
    row = next(i for i, r in enumerate(page.results.rows) if r.id == profile.id)
    mobile = page.results.data(page.results.index(row, 1), Qt.ItemDataRole.DisplayRole)
    assert "050 123 4567" in drawn(mobile) and "050 123 4567" in drawn(page.results.data(page.results.index(row, 1)))

    page.open_customer(profile.id)
    wait_for_background()
    sub = page.subheader
    assert sub.text().startswith(RLM)
    assert drawn(sub.text()).endswith(profile.number)
    left, right = ink_columns(sub)
    assert right > sub.width() - 30 and left > 30, "the line under the name is aligned right"

    location = window.status.location.text()
    path = services.store_location()
    assert path in drawn(location) and path in displayed(location)
    language.set_language("en")
    assert not page.subheader.text().startswith(RLM) and path in drawn(window.status.location.text(), rtl=False)


def test_card_code_heading_is_aligned_right_in_arabic(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch
) -> None:
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.resize(1366, 768)
    card = services.giftcards.issue(window.actor, IssueRequest(50_000))
    services.giftcards.redeem(window.actor, card.id, 12_500)
    window.workspace.show_page("giftcards")
    page = window.workspace.stack.currentWidget()
    page.find_scanned(card.code)
    wait_for_background()
    code = page.panel.code
    en_left, _ = ink_columns(code)
    assert en_left < 30, "left in English"
    language.set_language("ar")
    wait_for_background()
    assert code.text().startswith(RLM) and drawn(code.text()) == card.code
    left, right = ink_columns(code)
    assert right > code.width() - 30 and left > 30, "right in Arabic"
    redeemed = page.panel.ledger.item(0, 2).text()  # newest first
    assert "-125.00" in drawn(redeemed) and "125.00-" not in drawn(redeemed)


def test_local_name_prefers_the_screen_language_and_falls_back(language: LanguageSwitch) -> None:
    language.set_language("ar")
    assert local_name("Dubai Mall", "دبي مول") == "دبي مول" and local_name("Chen Wei", "") == "Chen Wei"
    language.set_language("en")
    assert local_name("Dubai Mall", "دبي مول") == "Dubai Mall" and local_name("", "دبي مول") == "دبي مول"


def test_staff_and_branch_names_are_arabic_on_arabic_screens(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, services: Services, language: LanguageSwitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    language.set_language("ar")
    wait_for_background()
    # The manager's override lists who may unlock a locked till (the administrator among them).
    listed = [window.sign_in.managers.item(i).text() for i in range(window.sign_in.managers.count())]
    assert any("مدير النظام" in t for t in listed) and not any("Store Administrator" in t for t in listed)
    assert window.sign_in.branch.text() == "دبي مول"
    sign_in(qtbot, window, "admin", "4444")
    staff_line = window.status.staff.text()
    assert "مدير النظام" in staff_line and "دبي مول" in staff_line and "Store Administrator" not in staff_line

    card = services.giftcards.issue(window.actor, IssueRequest(50_000))
    window.workspace.show_page("giftcards")
    page = window.workspace.stack.currentWidget()
    page.find_scanned(card.code)
    wait_for_background()
    page.amount.setText("100")
    page.redeem()
    wait_for_background()
    ledger = page.panel.ledger
    staff_cells = [ledger.item(r, 5).text() for r in range(ledger.rowCount())]
    assert all("مدير النظام" in t for t in staff_cells) and "دبي مول" in ledger.item(0, 4).text()
    assert "مدير النظام" in page.receipt.toPlainText() and "Store Administrator" not in page.receipt.toPlainText()

    window.workspace.show_page("giftcard_report")
    wait_for_background()
    report = window.workspace.stack.currentWidget()
    qtbot.waitUntil(lambda: report.periods.rowCount() > 0, timeout=5000)
    branches = {report.periods.item(r, 1).text() for r in range(report.periods.rowCount())}
    assert "دبي مول" in branches and "Dubai Mall" not in branches

    window.workspace.show_page("staff")
    wait_for_background()
    table = window.workspace.stack.currentWidget().table
    names = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert "مدير النظام" in names and "Store Administrator" not in names
    language.set_language("en")
    wait_for_background()
    assert "Store Administrator" in window.status.staff.text()
    names = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert "Store Administrator" in names
