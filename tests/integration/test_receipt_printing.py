"""Receipts, tax invoices, voucher slips and credit notes printed to a fake ESC/POS printer on loopback and to
PDF: the command stream is checked (init, raster with the right header, cut) and the raster decoded back into
the picture the till rendered, in English and Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageChops
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument

from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.receipts.documents import Document, SellerDetails, clean_buyer, voucher_slip
from core.staff.auth import Actor
from storage.bootstrap import Services
from tests.printer import FakeNetworkPrinter, read_job
from ui.receipts.printer import PrinterSettings, PrinterUnavailable, send_to_printer, write_pdf
from ui.receipts.render import DOTS, render_document, to_bitmap

SELLER = SellerDetails(
    "Perfume & Oud LLC", "العطور والعود ذ.م.م", "Dubai Mall, Dubai", "دبي مول، دبي", "100234567800003"
)
OUD = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 2, 89_000)
MUSK = LineDraft("MSK-WHT-30", "مسك أبيض", "Perfume & Oud", "musk", 30, 1, 19_999)


@pytest.fixture
def printer() -> Iterator[FakeNetworkPrinter]:
    fake = FakeNetworkPrinter()
    yield fake
    fake.close()


@pytest.fixture
def documents(services: Services, cashier: Actor, manager: Actor) -> dict[str, Document]:
    services.receipts.save_seller(manager, SELLER)
    sale = services.purchases.record_sale(cashier, SaleDraft(None, (OUD, MUSK), TenderDraft(cash_fils=300_000)))
    returned = services.purchases.record_return(
        cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(sale.order.lines[0].id, 1),), reason="gift duplicate")
    )
    buyer = clean_buyer("Gulf Trading LLC", "Office 4, Bay Square, Business Bay, Dubai", "100987654300003")
    receipts = services.receipts
    return {
        "simplified": receipts.order_document(cashier, sale.order.id),
        "full": receipts.order_document(cashier, sale.order.id, buyer),
        "credit_note": receipts.order_document(cashier, returned.order.id),
        "voucher": voucher_slip(
            number="",
            issued_at=services.clock.now(),
            seller=SELLER,
            branch=("Dubai Mall", "دبي مول"),
            served_by=("Aisha Al Marzooqi", "عائشة المرزوقي"),
            code="PO-7K3Q-MN4P-X9TZ",
            amount_fils=12_050,
            balance_fils=37_950,
        ),
    }


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", ["simplified", "full", "voucher", "credit_note"])
def test_each_document_prints_as_init_raster_cut_and_reads_back_as_rendered(
    printer: FakeNetworkPrinter, documents: dict[str, Document], kind: str, language: str
) -> None:
    document = documents[kind]
    rendered = render_document(document, language)  # type: ignore[arg-type]
    send_to_printer(rendered, PrinterSettings(kind="network", host="127.0.0.1", port=printer.port))
    [data] = printer.wait_for_jobs(1)
    job = read_job(data)
    assert job.initialised and job.cut and job.unknown == b""
    assert job.blocks and all(mode == 0 and width == DOTS // 8 for mode, width, _h in job.blocks)
    assert all(height <= 960 for _m, _w, height in job.blocks)  # long slips go in blocks the buffer takes
    assert sum(height for _m, _w, height in job.blocks) == rendered.image.height
    assert job.image is not None and job.image.size == (DOTS, rendered.image.height)
    expected = to_bitmap(rendered.image)
    assert ImageChops.difference(job.image.convert("L"), expected.convert("L")).getbbox() is None
    black = job.image.convert("L").histogram()[0]
    assert 0.02 < black / (DOTS * rendered.image.height) < 0.5  # ink on the paper, not a black sheet
    assert "فاتورة ضريبية" in rendered.text or kind in ("voucher", "credit_note")
    if language == "ar":
        english = to_bitmap(render_document(document, "en").image)
        assert (
            english.size != job.image.size
            or ImageChops.difference(english.convert("L"), job.image.convert("L")).getbbox() is not None
        )
        assert any("\u0600" <= ch <= "\u06ff" for ch in rendered.text.replace("فاتورة ضريبية", ""))


def test_the_full_invoice_carries_the_buyer_and_the_vat_of_each_line(documents: dict[str, Document]) -> None:
    full = render_document(documents["full"], "en").text
    simplified = render_document(documents["simplified"], "en").text
    assert "Customer TRN 100987654300003" in full and "100234567800003" in full
    assert full.count("VAT 5 %") == 3 and simplified.count("VAT 5 %") == 1  # per line, then the total
    assert "Total AED 2,078.99" in full and "Total AED 2,078.99" in simplified
    credit = render_document(documents["credit_note"], "en").text
    assert "Tax Credit Note" in credit and f"Credits invoice {documents['full'].number}" in credit
    assert "Supply value on invoice 1,979.99" in credit and "Corrected supply value 1,089.99" in credit


def test_a_printer_that_does_not_answer_is_said_in_words(documents: dict[str, Document]) -> None:
    closed = FakeNetworkPrinter()
    port = closed.port
    closed.close()
    rendered = render_document(documents["voucher"], "en")
    with pytest.raises(PrinterUnavailable) as caught:
        send_to_printer(rendered, PrinterSettings(kind="network", host="127.0.0.1", port=port, timeout_s=2))
    assert f"127.0.0.1:{port}" in caught.value.english() and "PDF" in caught.value.english()


def test_a_file_target_gets_the_same_stream(tmp_path: Path, documents: dict[str, Document]) -> None:
    rendered = render_document(documents["simplified"], "ar")
    device = tmp_path / "lp0"
    send_to_printer(rendered, PrinterSettings(kind="file", file_path=str(device)))
    job = read_job(device.read_bytes())
    assert job.initialised and job.cut and job.image is not None and job.image.size == rendered.image.size


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pdf_of_the_same_document_has_its_pages_and_text(
    qapp: QGuiApplication, tmp_path: Path, documents: dict[str, Document], language: str
) -> None:
    for kind in ("simplified", "full", "credit_note", "voucher"):
        rendered = render_document(documents[kind], language)  # type: ignore[arg-type]
        path = write_pdf(rendered, tmp_path / f"{kind}-{language}.pdf", documents[kind].number)
        assert path.read_bytes().startswith(b"%PDF")
        pdf = QPdfDocument()
        pdf.load(str(path))
        assert pdf.pageCount() == 1
        text = pdf.getAllText(0).text()
        if documents[kind].number:
            assert documents[kind].number in text
        assert "100234567800003" in text
    long_sale = render_document(
        _with_lines(documents["simplified"], 30),
        language,  # type: ignore[arg-type]
    )
    path = write_pdf(long_sale, tmp_path / f"long-{language}.pdf")
    pdf = QPdfDocument()
    pdf.load(str(path))
    height_mm = long_sale.image.height / 203 * 25.4
    assert height_mm > 297 and pdf.pageCount() == -(-int(height_mm) // 297)


def _with_lines(document: Document, count: int) -> Document:
    from dataclasses import replace

    return replace(document, lines=document.lines * (count // len(document.lines)))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("number", ["DXB1-S000001-4440", "DXB1-R000002-0001", "DXB1-S000003-AB12"])
def test_a_pdf_reader_finds_the_receipt_number_whole_whatever_the_till_tag(
    qapp: QGuiApplication, tmp_path: Path, documents: dict[str, Document], number: str, language: str
) -> None:
    # A till's tag is the end of its id: all digits for about one till in seven, which an Arabic line reordered.
    from dataclasses import replace

    rendered = render_document(replace(documents["simplified"], number=number), language)  # type: ignore[arg-type]
    pdf = QPdfDocument()
    pdf.load(str(write_pdf(rendered, tmp_path / "receipt.pdf", number)))
    assert number in pdf.getAllText(0).text()
