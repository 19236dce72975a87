"""Faster at the counter, clicked through on the Sale page: Enter in Qty adds the line, a wedge scanner's
read adds the product or fills the gift-card tender, the tender shows the card's balance, and the outcome of
each step shows in the banner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from core.giftcards.service import IssueRequest
from core.purchases.products import CATALOG
from core.staff.auth import Role
from storage.bootstrap import Services
from tests.conftest import actor_for
from tests.ui.conftest import sign_in
from tests.ui.test_banner import band_colour
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.pages.purchases.sale import SalePage, is_gift_card_scan
from ui.widgets.banner import BannerKind


def open_sale(qtbot, window: MainWindow) -> SalePage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("sale")
    sale = window.workspace.stack.currentWidget()
    assert isinstance(sale, SalePage)
    sale.confirm = lambda *_args: True
    wait_for_background()
    return sale


def scan(qtbot, target: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """What a wedge scanner does: the characters in a burst, then Enter, into whatever has focus."""
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    wait_for_background()


def new_card(services: Services, fils: int) -> str:
    card = services.giftcards.issue(actor_for(services, Role.CASHIER), IssueRequest(amount_fils=fils))
    return card.code


def test_enter_in_qty_adds_the_line(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    sale.product_pick.setCurrentIndex(3)
    sale._product_chosen(3)
    assert sale.qty_spin.hasFocus()
    sale.qty_spin.setValue(2)
    qtbot.keyClick(sale.qty_spin, Qt.Key.Key_Return)
    wait_for_background()
    assert [(line.sku, line.quantity) for line in sale._lines] == [(CATALOG[2].sku, 2)]
    assert sale.lines_table.rowCount() == 1 and sale.lines_table.item(0, 3).text() == "2"


def test_a_scanned_barcode_adds_the_product_and_a_second_scan_counts_it_again(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    musk = CATALOG[4]
    sale.customer_search.setFocus()  # the scanner fires wherever the cursor happens to be
    scan(qtbot, sale.customer_search, musk.barcode)
    assert sale.customer_search.text() == "", "a scan never lands in the focused field"
    assert [(line.sku, line.quantity, line.unit_price_fils) for line in sale._lines] == [(musk.sku, 1, 18500)]
    assert sale.lines_table.item(0, 0).text() == "White Musk"
    scan(qtbot, sale.scan_edit, musk.sku.lower())
    assert [(line.sku, line.quantity) for line in sale._lines] == [(musk.sku, 2)]
    assert sale.lines_table.rowCount() == 1 and sale.lines_table.currentRow() == 0


def test_typing_a_sku_in_the_scan_field_and_enter_adds_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    sale.scan_edit.setText(CATALOG[0].sku)
    qtbot.keyClick(sale.scan_edit, Qt.Key.Key_Return)
    wait_for_background()
    assert [line.sku for line in sale._lines] == [CATALOG[0].sku]
    assert sale.scan_edit.text() == "" and not sale.banner.isVisible()


def test_an_unknown_product_code_is_a_red_banner_that_stays(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sale = open_sale(qtbot, window)
    scan(qtbot, sale.scan_edit, "4006381333931")
    assert sale._lines == []
    assert sale.banner.isVisible() and sale.banner.kind is BannerKind.FAILURE
    assert "4006381333931" in sale.banner.text.text() and not sale.banner.is_auto_hiding()
    red = band_colour(sale.banner)
    assert red.red() > 150 and red.red() > 2 * red.green(), red.name()
    scan(qtbot, sale.scan_edit, CATALOG[1].barcode)  # the next action clears it
    assert not sale.banner.isVisible() and len(sale._lines) == 1


def test_the_gift_tender_shows_the_balance_once_typed(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    code = new_card(services, 30_000)
    sale = open_sale(qtbot, window)
    scan(qtbot, sale.scan_edit, CATALOG[0].barcode)  # AED 890 + VAT: more than the card holds
    sale.gift_code_edit.setFocus()
    sale.gift_code_edit.setText(code.replace("-", "").lower())
    assert not sale.gift_balance.isVisible(), "nothing is looked up before the typing pauses"
    qtbot.waitUntil(lambda: "300.00" in sale.gift_balance.text(), timeout=3000)
    assert "Balance AED 300.00" in sale.gift_balance.text() and sale.gift_balance.property("error") is False
    assert sale.gift_amount_edit.text() == "300.00", "the card pays what it holds towards what is due"
    sale.gift_code_edit.setText(code[:-1])  # a code being corrected: the shown balance goes at once
    assert sale.gift_balance.text() == "" and sale.gift_tender.card is None


def test_an_unknown_gift_card_code_is_said_clearly(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    from core.giftcards.codes import check_character, format_code

    body = "ABCDEFGHJKM"
    unknown = format_code(body + check_character(body))
    sale = open_sale(qtbot, window)
    sale.gift_code_edit.setText(unknown)
    qtbot.waitUntil(lambda: sale.banner.isVisible(), timeout=3000)
    wait_for_background()
    assert "No gift card has this code" in sale.gift_balance.text()
    assert sale.gift_balance.property("error") is True
    assert sale.banner.kind is BannerKind.FAILURE and "No gift card has this code" in sale.banner.text.text()
    sale.gift_code_edit.setText(unknown[:-1] + ("2" if unknown[-1] != "2" else "3"))  # one character off
    qtbot.waitUntil(lambda: "typing mistake" in sale.gift_balance.text(), timeout=3000)


def test_a_scanned_gift_card_fills_the_tender_and_pays(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    code = new_card(services, 100_000)
    sale = open_sale(qtbot, window)
    scan(qtbot, sale.scan_edit, CATALOG[4].barcode)  # AED 185 + 5 % VAT = AED 194.25
    wait_for_background()
    sale.customer_search.setFocus()
    scan(qtbot, sale.customer_search, f"https://perfumeoud.ae/gc/{code}".upper())  # the card's QR, read
    assert sale.gift_code_edit.text() == code and sale.customer_search.text() == ""
    assert "Balance AED 1,000.00" in sale.gift_balance.text()
    assert sale.gift_amount_edit.text() == "194.25"
    qtbot.waitUntil(lambda: sale.complete_button.isEnabled(), timeout=3000)
    sale.complete()
    wait_for_background()
    assert sale.banner.kind is BannerKind.SUCCESS and sale.banner.is_auto_hiding()
    assert "Sale recorded: AED 194.25" in sale.banner.text.text()
    green = band_colour(sale.banner)
    assert green.green() > 100 and green.green() > 2 * green.red(), green.name()
    card = services.giftcards.find(actor_for(services, Role.CASHIER), code)
    assert card.balance_fils == 100_000 - 19_425


def test_scans_tell_cards_from_products() -> None:
    assert not is_gift_card_scan(CATALOG[0].barcode)
    assert not is_gift_card_scan("OUD-ROY-50")
    assert is_gift_card_scan("po-abcd-efgh-jkm2")  # ours, mistyped: the tender says what is wrong
    assert not is_gift_card_scan("https://example.com/x")


def test_gift_cards_page_banners_redeem_and_refusal(qtbot, window: MainWindow, services: Services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.giftcards.page import GiftCardsPage

    code = new_card(services, 20_000)
    sign_in(qtbot, window, "aisha.cashier", "1111")
    window.workspace.show_page("giftcards")
    page = window.workspace.stack.currentWidget()
    assert isinstance(page, GiftCardsPage)
    monkeypatch.setattr(page, "_confirm", lambda *_args: True)
    page.code_edit.setText("PO-ABCD-EFGH-JKM2")
    page.find_typed()
    wait_for_background()
    assert page.banner.kind is BannerKind.FAILURE and page.banner.text.text() == page.message.text()
    page.code_edit.setText(code)
    page.find_typed()
    wait_for_background()
    assert not page.banner.isVisible(), "a new look-up clears the old failure"
    page.amount.setText("50")
    page.redeem()
    wait_for_background()
    assert page.banner.kind is BannerKind.SUCCESS and "Balance left: AED 150.00" in page.banner.text.text()


def test_sale_page_with_banner_fits_the_till(qtbot, window: MainWindow, services: Services, language) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    code = new_card(services, 50_000)
    window.resize(1366, 768)
    sale = open_sale(qtbot, window)
    for language_code in ("en", "ar"):
        language.set_language(language_code)
        for product in (CATALOG[1], CATALOG[4], CATALOG[6]):
            scan(qtbot, sale.scan_edit, product.barcode)
        sale.gift_tender.take(code)
        wait_for_background()
        scan(qtbot, sale.scan_edit, "4006381333931")
        assert sale.banner.isVisible() and sale.gift_balance.isVisible()
        QApplication.processEvents()
        assert (window.width(), window.height()) == (1366, 768), language_code
        sale.new_sale()
