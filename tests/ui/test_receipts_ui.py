"""Receipts at the till, clicked through: the manager sets the seller and the printer, a sale prints its tax
invoice by itself to a fake ESC/POS printer, a full tax invoice for a customer's TRN, a printer that stops
answering, the PDF instead; screenshots of the receipt and the settings page in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from core.receipts.documents import DocumentKind, SellerDetails, clean_buyer
from storage.bootstrap import Services
from tests.printer import FakeNetworkPrinter, read_job
from tests.ui.conftest import sign_in
from tests.ui.test_sale_loyalty import add_catalog_line, open_sale, page
from ui.i18n import LanguageSwitch
from ui.main_window import MainWindow
from ui.ops import wait_for_background
from ui.receipts.printer import load_settings
from ui.receipts.settings_page import ReceiptSettingsPage

SHOTS = Path("/tmp")


@pytest.fixture(autouse=True)
def till_settings(tmp_path: Path) -> Iterator[None]:
    """QSettings in a file of this test, never the user's own."""
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def printer() -> Iterator[FakeNetworkPrinter]:
    fake = FakeNetworkPrinter()
    yield fake
    fake.close()


def set_up_as_manager(qtbot, window: MainWindow, services: Services, port: int) -> ReceiptSettingsPage:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "khalid.manager", "3333")
    assert "receipts" in window.workspace.page_keys()
    window.workspace.show_page("receipts")
    wait_for_background()
    settings: ReceiptSettingsPage = page(window, "receipts")
    for edit, value in zip(
        settings.seller_edits,
        ("Perfume & Oud LLC", "العطور والعود ذ.م.م", "Dubai Mall, Dubai", "دبي مول، دبي", "123 456"),
        strict=True,
    ):
        edit.setText(value)
    settings.save_seller_button.click()
    wait_for_background()
    assert "15 digits" in settings.seller_message.text() and settings.trn.property("error") is True
    assert services.receipts.seller() == SellerDetails()  # refused: nothing saved
    settings.trn.setText("١٠٠٢٣٤٥٦٧٨٠٠٠٠٣")  # Arabic-Indic digits, as an Arabic keyboard types them
    settings.save_seller_button.click()
    wait_for_background()
    assert services.receipts.seller().trn == "100234567800003" and settings.trn.property("error") is False
    settings.kind.setCurrentIndex(settings.kind.findData("network"))
    settings.host.setText("127.0.0.1")
    settings.port.setValue(port)
    settings.auto_print.setChecked(True)
    settings.save_printer_button.click()
    saved = load_settings()
    assert (saved.kind, saved.host, saved.port, saved.auto_print) == ("network", "127.0.0.1", port, True)
    return settings


def test_only_managers_and_admins_get_the_receipts_page(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, window, "aisha.cashier", "1111")
    assert "receipts" not in window.workspace.page_keys()


def test_a_sale_prints_its_tax_invoice_then_a_full_one_then_falls_back_to_pdf(
    qtbot, window: MainWindow, services: Services, printer: FakeNetworkPrinter, tmp_path: Path, language: LanguageSwitch
) -> None:  # type: ignore[no-untyped-def]
    settings = set_up_as_manager(qtbot, window, services, printer.port)
    window.resize(1366, 768)
    shots = []
    for code in ("en", "ar"):
        language.set_language(code)
        wait_for_background()
        path = SHOTS / f"receipts_settings_{code}.png"
        window.grab().save(str(path))
        shots.append(path)
        assert window.width() <= 1366
    language.set_language("en")
    assert settings.title.text() == "Printing"
    window.sign_out()
    wait_for_background()

    sale = open_sale(qtbot, window)
    add_catalog_line(sale, 1, 2)
    sale.rest_cash_button.click()
    wait_for_background()
    qtbot.waitUntil(lambda: sale.complete_button.isEnabled(), timeout=3000)
    sale.complete()
    wait_for_background()
    preview = sale.receipt
    assert preview.document() is not None and preview.document().kind == DocumentKind.SIMPLIFIED_TAX_INVOICE
    [first] = printer.wait_for_jobs(1)  # printed by itself: the till prints automatically
    job = read_job(first)
    assert job.initialised and job.cut and job.image is not None
    assert job.image.size == preview.rendered().image.size  # type: ignore[union-attr]
    assert "Tax Invoice" in preview.toPlainText() and "100234567800003" in preview.toPlainText()

    buyer = clean_buyer("Gulf Trading LLC", "Business Bay, Dubai", "100987654300003")
    preview.ask_buyer = lambda *_args: buyer
    assert preview.full_button.isVisible()
    preview.full_button.click()
    wait_for_background()
    assert preview.document().kind == DocumentKind.TAX_INVOICE  # type: ignore[union-attr]
    assert "Customer TRN 100987654300003" in preview.toPlainText()
    preview.print_button.click()
    wait_for_background()
    jobs = printer.wait_for_jobs(2)
    assert len(jobs) == 2 and preview.status.text() == "Printed."

    for code in ("en", "ar"):
        language.set_language(code)
        wait_for_background()
        path = SHOTS / f"receipt_sale_page_{code}.png"
        window.grab().save(str(path))
        shots.append(path)
        assert window.width() <= 1366
    assert any("\u0600" <= ch <= "\u06ff" for ch in preview.toPlainText().replace("فاتورة ضريبية", ""))
    language.set_language("en")
    wait_for_background()

    printer.close()  # the printer goes off
    preview.print_button.click()
    wait_for_background()
    assert "did not answer" in preview.status.text() and preview.status.property("error") is True
    assert len(printer.jobs) == 2
    target = tmp_path / "receipt.pdf"
    preview.ask_pdf_path = lambda *_args: str(target)
    preview.pdf_button.click()
    wait_for_background()
    assert target.read_bytes().startswith(b"%PDF") and str(target) in preview.status.text()
    assert all(p.exists() for p in shots)
    QApplication.processEvents()
