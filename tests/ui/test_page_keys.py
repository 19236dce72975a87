"""Function keys to every page: each opens its page from anywhere in the window, for the roles offered it,
and shows in the navigation; a page's own F2 keeps working."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import sign_in
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.widgets.nav import KEY_ROLE, PAGE_KEYS, function_keys


def press(qtbot, window: MainWindow, key: str) -> None:  # type: ignore[no-untyped-def]
    """Presses ``key`` in whatever has the focus, as a cashier would."""
    target = QApplication.focusWidget() or window
    sequence = QKeySequence(key)[0]
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())
    wait_for_background()


def current_key(window: MainWindow) -> str:
    page = window.workspace.stack.currentWidget()
    return next(k for k, p, _perm, _title in window.workspace.pages if p is page)


def test_each_key_opens_its_page_from_any_field(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    offered = window.workspace.page_keys()
    assert {"customers", "sale", "giftcards", "rewards", "sync"} <= set(offered)
    for key in reversed(offered):  # from the far end, so each press really moves
        press(qtbot, window, PAGE_KEYS[key])
        assert current_key(window) == key, PAGE_KEYS[key]
        assert window.workspace.nav.currentRow() == offered.index(key)
        focused = QApplication.focusWidget()
        assert focused is not None and window.workspace.stack.currentWidget().isAncestorOf(focused)
    window.workspace.customers.search.setFocus()
    press(qtbot, window, "F3")
    assert current_key(window) == "sale"


def test_a_role_without_the_page_gets_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "staff" not in window.workspace.page_keys() and "sync" not in window.workspace.page_keys()
    assert set(window.workspace.page_shortcuts) == set(window.workspace.page_keys())
    press(qtbot, window, "F3")
    assert current_key(window) == "sale"
    for refused in ("F9", "F10", "F6"):  # staff, sync, gift card report
        press(qtbot, window, refused)
        assert current_key(window) == "sale", refused
    window.sign_out()
    wait_for_background()
    press(qtbot, window, "F1")
    assert window.stack.currentWidget() is window.sign_in, "no page opens before someone signs in"
    assert not window.workspace.page_shortcuts
    sign_in(qtbot, window, "admin", "4444")
    press(qtbot, window, "F9")
    assert current_key(window) == "staff"


def test_the_keys_show_in_the_navigation_in_both_languages(qtbot, window: MainWindow, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    nav = window.workspace.nav
    hints = {nav.item(row).text(): nav.item(row).data(KEY_ROLE) for row in range(nav.count())}
    assert hints["Customers"] == "F1" and hints["Sale"] == "F3" and hints["Gift cards"] == "F4"
    assert nav.item(0).toolTip() == "Customers (F1)"
    language.set_language("ar")
    assert nav.item(0).text() == "العملاء" and nav.item(0).data(KEY_ROLE) == "F1"
    press(qtbot, window, "F4")
    assert current_key(window) == "giftcards"


def test_a_pages_own_f2_still_works(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    press(qtbot, window, "F4")
    page = window.workspace.stack.currentWidget()
    page.amount.setEnabled(True)
    page.tabs.setCurrentIndex(1)
    page.sell_amount.setFocus()
    qtbot.keyClick(page.sell_amount, Qt.Key.Key_F2)
    assert page.tabs.currentIndex() == 0 and page.code_edit.hasFocus()


def test_pages_the_table_does_not_know_take_the_spare_keys_in_order() -> None:
    keys = function_keys(["customers", "printers", "sale", "till_lock", "another"])
    assert keys == {
        "customers": "F1",
        "printers": "Ctrl+F2",
        "sale": "F3",
        "till_lock": "Ctrl+F3",
        "another": "Ctrl+F4",
    }
    assert "F12" not in PAGE_KEYS.values()
    assert "F2" not in PAGE_KEYS.values() and len(set(PAGE_KEYS.values())) == len(PAGE_KEYS)
