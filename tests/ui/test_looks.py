"""What the style sheet promises, read off rendered pixels: a disabled primary button looks disabled, a refusal
is red, a field in error has a red border; an empty table says so; the status bar shows the store file to
administrators only and the unsynced count only where there is a head office."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from core.offline.allowances import LinkState, SyncStatus
from storage.bootstrap import Services, build_services
from storage.db import Store
from tests.ui.conftest import sign_in
from tests.ui.test_sync_ui import FakeLink
from ui import features
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.purchases.sale import SalePage
from ui.widgets.named import make_button
from ui.widgets.tables import empty_state

RED = QColor("#b3261e")


def image(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def pixel(widget: QWidget, x: int, y: int) -> QColor:
    return image(widget).pixelColor(x, y)


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def reddish(color: QColor) -> bool:
    return color.red() > color.green() + 80 and color.red() > color.blue() + 80


def ink(widget: QWidget) -> QColor | None:
    """The colour of the text drawn on ``widget``: the pixel farthest from its background (its corner), the core
    of a glyph rather than its anti-aliased edge; None when nothing stands out."""
    img = image(widget)
    ground = img.pixelColor(0, 0)
    best, far = None, 150
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            if distance(c, ground) > far:
                best, far = c, distance(c, ground)
    return best


def test_a_disabled_primary_button_looks_disabled(qtbot, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    holder = QWidget()
    qtbot.addWidget(holder)
    row = QHBoxLayout(holder)
    enabled, disabled = make_button(holder, "primary"), make_button(holder, "primary")
    for button in (enabled, disabled):
        button.setText("Complete sale")
        row.addWidget(button)
    disabled.setEnabled(False)
    holder.show()
    qtbot.waitExposed(holder)
    # Inside the padding, away from the text and the rounded corners: the button's own fill.
    on = pixel(enabled, 6, enabled.height() // 2)
    off = pixel(disabled, 6, disabled.height() // 2)
    assert distance(on, QColor("#8a5a1f")) < 30, on.name()
    assert distance(on, off) > 120, f"enabled {on.name()} and disabled {off.name()} look alike"


def test_the_tills_complete_button_is_grey_until_the_sale_is_paid(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("sale")
    sale = window.workspace.stack.currentWidget()
    assert isinstance(sale, SalePage)
    button = sale.complete_button
    assert not button.isEnabled()
    fill = pixel(button, 6, button.height() // 2)
    assert distance(fill, QColor("#8a5a1f")) > 120, fill.name()


def test_a_refused_save_is_red_and_marks_its_field(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    page = window.workspace.customers
    page.new_customer()
    mobile = page.form.edits["mobile"]
    untouched = page.form.edits["email"]
    mobile.setText("123")
    page.save()
    wait_for_background()
    assert page.form.errors["mobile"].isVisibleTo(page.form)
    for label in (page.message, page.form.errors["mobile"]):
        color = ink(label)
        assert color is not None and reddish(color), f"{label.text()!r} is drawn in {color and color.name()}"
    # The field's border (its first pixels from the left edge, mid-height) is red; a field without an error's is not.
    border = pixel(mobile, 1, mobile.height() // 2)
    assert distance(border, RED) < 60, border.name()
    assert distance(pixel(untouched, 1, untouched.height() // 2), RED) > 150
    # Corrected and saved: the field loses the border, the message is no longer red.
    mobile.setText("0501234567")
    page.form.edits["first_name_en"].setText("Layla")
    page.form.edits["last_name_en"].setText("Haddad")
    page.save()
    wait_for_background()
    assert page.message.text() == "Saved."
    assert not page.form.errors["mobile"].isVisibleTo(page.form)
    assert distance(pixel(mobile, 1, mobile.height() // 2), RED) > 150
    color = ink(page.message)
    assert color is not None and not reddish(color), color and color.name()


def test_an_empty_table_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("sale")
    sale = window.workspace.stack.currentWidget()
    assert isinstance(sale, SalePage)
    message = empty_state(sale.lines_table)
    assert message.isVisible() and "No lines yet" in message.text()
    assert sale.lines_table.viewport().rect().contains(message.geometry())
    color = ink(sale.lines_table.viewport())
    assert color is not None and distance(color, QColor("#9a8574")) < 60, color and color.name()
    sale.product_pick.setCurrentIndex(1)
    sale._product_chosen(1)
    sale.add_button.click()
    wait_for_background()
    assert sale.lines_table.rowCount() == 1 and not message.isVisible()
    sale.lines_table.selectRow(0)
    sale.remove_button.click()
    wait_for_background()
    assert sale.lines_table.rowCount() == 0 and message.isVisible()


def test_no_exceptions_keep_the_page_together(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The title, its explanation and the (empty) list sit together at the top, not spread down the page."""
    sign_in(qtbot, window, "khalid.manager", "3333")
    window.resize(1366, 768)
    window.workspace.show_page("sync_exceptions")
    page = window.workspace.stack.currentWidget()
    wait_for_background()
    QApplication.processEvents()
    assert page.table.isVisible() and page.table.rowCount() == 0
    message = empty_state(page.table)
    assert message.isVisible() and "no exceptions" in message.text()
    assert page.explain.geometry().top() - page.title.geometry().bottom() < 30
    assert page.table.geometry().top() - page.explain.geometry().bottom() < 40


def test_a_cashier_sees_no_store_path_nor_unsynced_count_standalone(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    wait_for_background()
    status = window.status
    assert status.staff.isVisible() and status.sync.isVisible()
    assert not status.location.isVisible(), "the store file is for administrators"
    assert not status.pending.isVisible(), "a standalone store has nothing to sync"
    window.sign_out()
    sign_in(qtbot, window, "admin", "4444")
    wait_for_background()
    assert status.location.isVisible() and "store.sqlite" in status.location.text()
    assert not status.pending.isVisible()


def test_the_unsynced_count_shows_where_there_is_a_head_office(qtbot, store: Store, language: LanguageSwitch) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    window = MainWindow(build_services(store, link=link), language, features.install)
    qtbot.addWidget(window)
    window.show()
    wait_for_background()
    sign_in(qtbot, window, "aisha.cashier", "1111")
    link.publish(SyncStatus(LinkState.ONLINE, unsynced=3_887, headoffice="https://ho.example"))
    qtbot.waitUntil(lambda: window.status.pending.isVisible())
    assert window.status.pending.text().startswith("Unsynced changes: ")
    assert not window.status.location.isVisible()
