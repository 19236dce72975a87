"""Click through the shell as staff do: sign in, find a customer, edit, switch language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from storage.bootstrap import Services
from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background


def open_customers(window: MainWindow) -> None:
    """A cashier starts on Sale: the customer search is a click (or a shortcut) away."""
    window.workspace.show_page("customers")
    window.workspace.customers.focus_search()


def type_search(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    page = window.workspace.customers
    page.search.clear()
    if text.isascii():
        qtbot.keyClicks(page.search, text)
    else:  # QTest synthesises key events for Latin-1 only; Arabic arrives as typed text
        page.search.insert(text)
    qtbot.waitUntil(lambda: not page._debounce.isActive(), timeout=2000)
    wait_for_background()


def test_wrong_pin_is_explained_and_keeps_you_out(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "0000")
    assert window.stack.currentWidget() is window.sign_in
    assert "Wrong PIN" in window.sign_in.error.text()
    assert window.sign_in.pin.text() == ""


def test_navigation_depends_on_role(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert window.stack.currentWidget() is window.workspace
    cashier_pages = set(window.workspace.page_keys())
    assert {"customers", "giftcards"} <= cashier_pages
    assert not cashier_pages & {"sync", "staff", "giftcard_report"}
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "khalid.manager", "3333")
    manager_pages = set(window.workspace.page_keys())
    assert {"customers", "sync", "giftcards", "giftcard_report", "staff"} <= manager_pages  # staff: to unlock
    window.sign_out()
    wait_for_background()
    sign_in(qtbot, window, "admin", "4444")
    assert {"customers", "sync", "staff"} <= set(window.workspace.page_keys())
    assert "Store Administrator" in window.status.staff.text() and "Dubai Mall" in window.status.staff.text()
    assert "Standalone" in window.status.sync.text()


def test_search_open_edit_and_history(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    open_customers(window)
    page = window.workspace.customers
    assert page.search.hasFocus() or QApplication.focusWidget() is page.search
    type_search(qtbot, window, "moh")
    assert page.results.rows, "typing a name prefix lists customers"
    assert all("Mohammed" in r.name_en for r in page.results.rows)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # Enter opens the first hit
    wait_for_background()
    assert page.tabs.isVisible() and page._profile is not None
    before = services.unsynced_changes()
    page.form.edits["email"].setText("new.address@example.ae")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_background()
    assert page.message.text() == "Saved."
    assert services.customers.get(page._profile.id).email == "new.address@example.ae"
    assert services.unsynced_changes() == before + 2  # the customer row and its audit row
    top = page.history.topLevelItem(0)
    assert top.text(1) == "Aisha Al Marzooqi" and top.text(2) == "Dubai Mall" and top.text(3) == "Updated"
    assert "new.address@example.ae" in top.child(0).text(0)


def test_bad_input_is_shown_by_the_field_and_nothing_is_saved(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    open_customers(window)
    page = window.workspace.customers
    type_search(qtbot, window, "050")
    before = services.unsynced_changes()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.form.edits["mobile"].text() == "050", "what was typed in the search starts the new customer"
    page.form.edits["first_name_en"].setText("Test\u202eevil")
    page.form.edits["email"].setText("not-an-email")
    page.save()
    wait_for_background()
    assert page.form.errors["first_name_en"].isVisibleTo(page.form)
    assert "text-direction" in page.form.errors["first_name_en"].text()
    assert "example.com" in page.form.errors["email"].text()
    assert "valid" in page.form.errors["mobile"].text()
    assert services.unsynced_changes() == before


def test_arabic_indic_digits_find_by_phone(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    some = services.customers.search("moh")[0]
    assert some.mobile
    local = "0" + some.mobile[4:]
    arabic = local.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    type_search(qtbot, window, arabic[:7])
    assert some.id in [r.id for r in window.workspace.customers.results.rows]


def test_language_switch_translates_and_mirrors(qtbot, window: MainWindow, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "admin", "4444")
    window.language_action.trigger()
    wait_for_background()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.workspace.nav.item(0).text() == "العملاء"
    untranslated = [
        window.workspace.nav.item(i).text()
        for i in range(window.workspace.nav.count())
        if window.workspace.nav.item(i).text().isascii()
    ]
    assert untranslated == [], "every page title has Arabic"
    tabs = window.workspace.customers.tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.tabText(i).isascii()] == []
    assert window.sign_out_action.text() == "تسجيل الخروج"
    assert "مستقل" in window.status.sync.text()
    assert "دبي مول" in window.status.staff.text()
    type_search(qtbot, window, "محم")
    rows = window.workspace.customers.results.rows
    assert rows and window.workspace.customers.results.data(window.workspace.customers.results.index(0, 0)).startswith(
        "محمد"
    )
    window.language_action.trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.workspace.nav.item(0).text() == "Customers"
