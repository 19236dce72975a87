"""Card faces: sizes, a QR that scans back to the code, Arabic shaping on both layout paths, real PDFs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image, PdfParser, features

from core.giftcards.codes import generate_code, normalize_code, qr_payload
from core.kernel.errors import ValidationError
from ui.cards.layouts import OCCASIONS, CardFace, render_card, save_pdf, save_png
from ui.cards.typesetting import Typesetter, arabic_amount, arabic_date

pytestmark = pytest.mark.integration

MM_PER_PT = 25.4 / 72

ARABIC = CardFace(
    code=generate_code(),
    amount_fils=50_000,
    expires_on=date(2027, 4, 10),
    recipient_name="فاطمة المنصوري",
    message="عيد مبارك وكل عام وأنتِ بخير، مع أطيب الأمنيات من العائلة كلها ومن أصدقائك في دبي وأبوظبي",
    occasion="eid",
    from_name="أحمد",
)
ENGLISH = CardFace(
    code=generate_code(),
    amount_fils=125_050,
    expires_on=date(2026, 12, 31),
    recipient_name="Sarah Johnson",
    message="Happy birthday! Treat yourself to something that smells wonderful. 🎉",
    occasion="birthday",
    from_name="The Marketing Team",
)
RAQM = features.check("raqm")


def read_qr(image: Image.Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(np.asarray(image), formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str, bool], Image.Image]:
    out = {}
    for name, card in (("arabic", ARABIC), ("english", ENGLISH)):
        for variant in ("cr80", "thermal"):
            for raqm in {False, RAQM}:
                out[(name, variant, raqm)] = render_card(card, variant, raqm=raqm)  # type: ignore[arg-type]
    return out


def test_cr80_is_85_6_by_54_mm_at_300_dpi(rendered) -> None:  # type: ignore[no-untyped-def]
    for (_, variant, _), image in rendered.items():
        if variant == "cr80":
            assert image.size == (1011, 638)
            assert image.mode == "RGB"
            assert image.info["dpi"] == (300, 300)
            assert image.info["size_mm"] == (85.6, 54.0)


def test_thermal_is_576_dots_wide_at_203_dpi_and_as_long_as_its_text(rendered) -> None:  # type: ignore[no-untyped-def]
    for (_, variant, _), image in rendered.items():
        if variant == "thermal":
            assert image.width == 576
            assert image.mode == "L"
            assert image.height > 1000
            assert image.info["dpi"] == (203, 203)
    short = CardFace(generate_code(), 10_000, date(2027, 1, 1))
    assert render_card(short, "thermal").height < rendered[("arabic", "thermal", RAQM)].height
    wide = render_card(short, "thermal", dpi=300)
    assert wide.width == round(576 * 300 / 203)


@pytest.mark.parametrize("name", ["arabic", "english"])
@pytest.mark.parametrize("variant", ["cr80", "thermal"])
def test_the_printed_qr_reads_back_as_the_code(rendered, name: str, variant: str) -> None:  # type: ignore[no-untyped-def]
    card = ARABIC if name == "arabic" else ENGLISH
    for raqm in {False, RAQM}:
        texts = read_qr(rendered[(name, variant, raqm)])
        assert texts == [qr_payload(card.code)]
        assert normalize_code(texts[0]) == card.code


def test_qr_is_crisp_two_tone_at_whole_pixel_modules(rendered) -> None:  # type: ignore[no-untyped-def]
    image = rendered[("english", "thermal", RAQM)]
    gray = np.asarray(image)
    # The QR sits between the rules; its pixels are pure black or pure white, no anti-aliasing grey.
    result = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)[0]
    pos = result.position
    x0, x1 = min(pos.top_left.x, pos.bottom_left.x), max(pos.top_right.x, pos.bottom_right.x)
    y0, y1 = min(pos.top_left.y, pos.top_right.y), max(pos.bottom_left.y, pos.bottom_right.y)
    symbol = gray[y0 : y1 + 1, x0 : x1 + 1]
    assert set(np.unique(symbol)) <= {0, 255}


def test_every_occasion_renders_on_both_variants_and_both_layout_paths() -> None:
    for i, occasion in enumerate(OCCASIONS):
        card = CardFace(generate_code(), 30_000, date(2027, 1, 1), "محمد", "رمضان كريم", occasion)
        raqm = RAQM and i % 2 == 0  # alternate, so every artwork meets both text paths across the set
        image = render_card(card, "cr80", raqm=raqm)
        assert image.size == (1011, 638)
        assert read_qr(image) == [qr_payload(card.code)]
        receipt = render_card(card, "thermal", raqm=not raqm if RAQM else False)
        assert receipt.width == 576
        assert read_qr(receipt) == [qr_payload(card.code)]


def test_fallback_shapes_arabic_like_raqm() -> None:
    fallback = Typesetter(raqm=False)
    text = "فاطمة المنصوري"
    runs = fallback._visual(text)
    shaped = "".join(fallback._run_text(r) for r in runs)
    # arabic_reshaper turns letters into their contextual presentation forms (U+FE70–U+FEFF) …
    assert any("\ufe70" <= ch <= "\ufeff" for ch in shaped)
    # … and python-bidi puts them in visual order: the first logical letter is drawn last (rightmost).
    assert shaped[-1] in ("\ufed3", "\ufed1", "\ufed2", "\ufed4")  # a form of ف
    if RAQM:
        raqm_width = Typesetter(raqm=True).width(text, 40)
        assert abs(fallback.width(text, 40) - raqm_width) / raqm_width < 0.12


def test_runs_follow_the_paragraph_direction() -> None:
    ts = Typesetter(raqm=False)
    order = [(r.text, r.rtl) for r in ts._visual("— من أحمد")]
    assert order[0] == (" من أحمد", True) and order[-1] == ("—", True)  # the dash ends up at the right
    runs, rtl = ts.runs("Happy Eid عيد مبارك")
    assert not rtl and [r.arabic for r in runs] == [False, True]
    visual = [r.text for r in ts._visual("مرحبا Fatima!")]
    assert visual == ["!", "Fatima", "مرحبا "]


def test_text_fits_its_lines_and_long_messages_are_clamped() -> None:
    ts = Typesetter()
    long = " ".join(["A wonderful fragrance for a wonderful person."] * 12)
    lines = ts.wrap(long, 22, 500)
    assert len(lines) > 3
    assert all(ts.width(line, 22) <= 500 for line in lines)
    clamped = ts.clamp_lines(lines, 3, 22, 500)
    assert len(clamped) == 3 and clamped[-1].endswith("…") and ts.width(clamped[-1], 22) <= 500
    card = CardFace(generate_code(), 10_000, date(2027, 1, 1), "X" * 60, long, "plain", "Y" * 60)
    assert render_card(card, "cr80").size == (1011, 638)
    assert read_qr(render_card(card, "thermal")) == [qr_payload(card.code)]
    assert ts.clean("Hi 🎉 there") == "Hi  there"


def test_amounts_and_dates_in_arabic() -> None:
    assert arabic_amount(50_000) == "٥٠٠٫٠٠ د.إ"
    assert arabic_amount(125_050) == "١٬٢٥٠٫٥٠ د.إ"
    assert arabic_date(date(2027, 4, 10)) == "١٠ أبريل ٢٠٢٧"


def test_card_face_validation() -> None:
    with pytest.raises(ValueError):
        CardFace(generate_code(), 100, date(2027, 1, 1), occasion="halloween")
    with pytest.raises(ValueError):
        CardFace(generate_code(), -1, date(2027, 1, 1))
    with pytest.raises(ValidationError):
        CardFace("PO-AAAA-AAAA-AAAA", 100, date(2027, 1, 1))
    code = generate_code()
    assert CardFace(code.lower(), 100, date(2027, 1, 1)).code == code
    with pytest.raises(ValueError):
        render_card(CardFace(code, 100, date(2027, 1, 1)), "a4")  # type: ignore[arg-type]


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    return [((float(x1) - float(x0)) * MM_PER_PT, (float(y1) - float(y0)) * MM_PER_PT) for x0, y0, x1, y1 in boxes]


def test_save_pdf_writes_one_page_per_card_at_its_physical_size(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cr80 = rendered[("arabic", "cr80", RAQM)]
    thermal = rendered[("english", "thermal", RAQM)]
    path = save_pdf([cr80, thermal], tmp_path / "cards.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    (w1, h1), (w2, h2) = media_boxes(data)
    assert (w1, h1) == pytest.approx((85.6, 54.0), abs=0.1)
    assert w2 == pytest.approx(576 / 203 * 25.4, abs=0.1)
    assert h2 == pytest.approx(thermal.height / 203 * 25.4, abs=0.1)
    # A conforming file: Pillow's own parser follows our cross-reference table to both pages.
    parser = PdfParser.PdfParser(str(path))
    try:
        assert len(parser.pages) == 2
    finally:
        parser.close()
    # The image is stored losslessly: the QR's pixels are exactly those rendered.
    assert b"/FlateDecode" in data and b"/DCTDecode" not in data
    with pytest.raises(ValueError):
        save_pdf([], tmp_path / "empty.pdf")


def test_save_png_records_the_resolution(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = save_png(rendered[("english", "cr80", RAQM)], tmp_path / "card.png")
    with Image.open(path) as reopened:
        assert reopened.size == (1011, 638)
        assert reopened.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        assert read_qr(reopened.convert("RGB")) == [qr_payload(ENGLISH.code)]


def test_qt_pdf_and_print_paths(qtbot, rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from ui.cards.printing import card_to_pdf_qt, physical_size_mm, pil_to_qimage, print_card

    cr80 = rendered[("arabic", "cr80", RAQM)]
    qimage = pil_to_qimage(cr80)
    assert (qimage.width(), qimage.height()) == (1011, 638)
    assert physical_size_mm(cr80) == (85.6, 54.0)

    pdf = card_to_pdf_qt(cr80, tmp_path / "qt.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert media_boxes(data)[0] == pytest.approx((85.6, 54.0), abs=0.2)

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_card(cr80, None, printer=printer, show_dialog=False)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert media_boxes(printed)[0] == pytest.approx((85.6, 54.0), abs=0.2)

    thermal = rendered[("arabic", "thermal", RAQM)]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "receipt.pdf"))
    assert print_card(thermal, None, printer=printer, show_dialog=False)
    (w, h) = media_boxes((tmp_path / "receipt.pdf").read_bytes())[0]
    assert w == pytest.approx(72.07, abs=0.2) and h == pytest.approx(thermal.height / 203 * 25.4, abs=0.2)

    # The cashier cancels the print dialog: nothing printed.
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: 0)
    assert print_card(cr80, None, printer=QPrinter()) is False
