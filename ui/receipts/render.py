"""A document laid out on 80 mm thermal paper: 576 dots wide at 203 dpi, black on white, drawn with Pillow.

Printer code pages do not shape Arabic, so the whole slip is one raster image: Arabic is shaped (raqm, or
arabic-reshaper + python-bidi) by ``ui.cards.typesetting`` and set right to left, with numbers, codes and
dates kept as left-to-right runs. The same image is the on-screen preview, the ESC/POS raster and the PDF.
The printed words are bilingual constants (like the card faces): a paper document is in the language it is
printed in, not in whatever the screen later switches to. Rendering takes tens of milliseconds: callers run
it off the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Literal

from PIL import Image, ImageDraw

from core.kernel.clock import DUBAI
from core.receipts.documents import Document, DocumentKind, DocumentLine
from ui.cards.typesetting import Typesetter

DOTS = 576  # 72 mm printable on 80 mm paper at 203 dpi
DPI = 203
MARGIN = 10
INK, PAPER = 0, 255
Language = Literal["en", "ar"]
Align = Literal["start", "end", "center"]

WORDS: dict[str, tuple[str, str]] = {
    "tax_invoice": ("Tax Invoice", "فاتورة ضريبية"),
    "simplified": ("Simplified tax invoice", "فاتورة ضريبية مبسطة"),
    "credit_note": ("Tax Credit Note", "إشعار دائن ضريبي"),
    "voucher": ("Gift card voucher", "قسيمة بطاقة هدية"),
    "card_sale": ("Gift card sale", "بيع بطاقة هدية"),
    "trn": ("TRN", "الرقم الضريبي"),
    "trn_missing": ("TRN not set: ask a manager", "الرقم الضريبي غير مسجل: راجع المدير"),
    "invoice_no": ("Invoice no.", "رقم الفاتورة"),
    "note_no": ("Credit note no.", "رقم الإشعار"),
    "date": ("Date", "التاريخ"),
    "served_by": ("Served by", "الموظف"),
    "customer": ("Customer", "العميل"),
    "buyer_trn": ("Customer TRN", "الرقم الضريبي للعميل"),
    "credits": ("Credits invoice", "عن الفاتورة"),
    "invoice_date": ("Invoice date", "تاريخ الفاتورة"),
    "reason": ("Reason", "السبب"),
    "net": ("Net", "الصافي"),
    "vat_rate": ("VAT {rate} %", "ضريبة القيمة المضافة {rate}٪"),
    "line_total": ("Total incl. VAT", "الإجمالي شامل الضريبة"),
    "subtotal": ("Total excl. VAT", "الإجمالي قبل الضريبة"),
    "discount": ("Discount", "الخصم"),
    "offer": ("Offer {code}", "العرض {code}"),
    "vat_total": ("VAT 5 %", "ضريبة القيمة المضافة 5٪"),
    "total": ("Total AED", "الإجمالي (درهم)"),
    "value_before": ("Supply value on invoice", "قيمة التوريد في الفاتورة"),
    "value_after": ("Corrected supply value", "قيمة التوريد المصححة"),
    "difference": ("Difference", "الفرق"),
    "vat_difference": ("VAT on the difference", "الضريبة على الفرق"),
    "credited": ("Total credited AED", "إجمالي المبلغ المردود (درهم)"),
    "cash": ("Cash", "نقداً"),
    "card": ("Card", "بطاقة مصرفية"),
    "gift_card": ("Gift card", "بطاقة هدية"),
    "points": ("Points", "النقاط"),
    "change": ("Change", "الباقي"),
    "paid": ("Paid", "المدفوع"),
    "refunded": ("Refunded", "المردود"),
    "earned": ("Points earned", "النقاط المكتسبة"),
    "used": ("Points used", "النقاط المستخدمة"),
    "given_back": ("Points given back", "النقاط المعادة"),
    "taken_back": ("Points taken back", "النقاط المستردة"),
    "bonus": ("Tier bonus", "مكافأة الفئة"),
    "card_code": ("Card", "البطاقة"),
    "taken": ("Paid with the card", "المبلغ المخصوم من البطاقة"),
    "balance": ("Balance left", "الرصيد المتبقي"),
    "value": ("Card value", "قيمة البطاقة"),
    "cards": ("Cards", "عدد البطاقات"),
    "valid_until": ("Valid until", "صالحة حتى"),
    "to": ("To", "إلى"),
    "from": ("From", "من"),
    "no_vat": ("No VAT: a gift card is a voucher", "لا ضريبة: بطاقة الهدية قسيمة"),
    "in_aed": ("All amounts in UAE dirhams (AED)", "جميع المبالغ بالدرهم الإماراتي"),
    "thanks": ("Thank you for visiting Perfume & Oud", "شكراً لزيارتكم العطور والعود"),
}


def word(key: str, language: Language, **params: object) -> str:
    en, ar = WORDS[key]
    return (ar if language == "ar" else en).format(**params)


def amount(fils: int) -> str:
    """1234567 → '12,345.67', with a minus sign before a negative amount (always a left-to-right run)."""
    sign = "-" if fils < 0 else ""
    whole, part = divmod(abs(fils), 100)
    return f"{sign}{whole:,}.{part:02d}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(DUBAI).strftime("%d/%m/%Y %H:%M")


@dataclass
class Rendered:
    """The slip, and the text drawn on it in reading order with where each line sits (for a PDF text layer
    and for tests)."""

    image: Image.Image
    language: Language
    lines: list[tuple[str, int, int]] = field(default_factory=list)  # (text, top, height) in dots

    @property
    def text(self) -> str:
        return "\n".join(text for text, _top, _height in self.lines)


class _Slip:
    def __init__(self, language: Language, typesetter: Typesetter) -> None:
        self.rtl = language == "ar"
        self.ts = typesetter
        self.image = Image.new("L", (DOTS, 8000), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN
        self.lines: list[tuple[str, int, int]] = []
        self.left, self.right = MARGIN, DOTS - MARGIN

    def _grow(self, needed: int) -> None:
        if self.y + needed + MARGIN > self.image.height:
            bigger = Image.new("L", (DOTS, self.image.height * 2), PAPER)
            bigger.paste(self.image, (0, 0))
            self.image = bigger
            self.draw = ImageDraw.Draw(self.image)

    def _side(self, align: Align) -> Literal["left", "right", "center"]:
        if align == "center":
            return "center"
        start = align == "start"
        return "right" if start == self.rtl else "left"

    def text(self, text: str, size: int = 22, *, bold: bool = False, align: Align = "start", gap: int = 4) -> None:
        text = self.ts.clean(text)
        for line in self.ts.wrap(text, size, self.right - self.left, bold=bold) or [""]:
            ascent, descent = self.ts.metrics(line or "A", size, bold=bold)
            self._grow(ascent + descent + gap)
            self.ts.draw_aligned(
                self.draw, self.left, self.right, self.y + ascent, line, size, INK, align=self._side(align), bold=bold
            )
            self.lines.append((line, self.y, ascent + descent))
            self.y += ascent + descent + gap

    def pair(self, label: str, value: str, size: int = 22, *, bold: bool = False, gap: int = 4) -> None:
        """A label on the reading side and its value (a number, a code, a date: left to right) on the other."""
        label, value = self.ts.clean(label), self.ts.clean(value)
        value_width = self.ts.width(value, size, bold=bold, rtl=False)
        room = self.right - self.left - value_width - 16
        labels = self.ts.wrap(label, size, max(room, 80), bold=bold) or [""]
        ascent, descent = self.ts.metrics(label + value, size, bold=bold)
        height = ascent + descent
        self._grow(height * len(labels) + gap)
        baseline = self.y + ascent
        self.ts.draw_aligned(
            self.draw, self.left, self.right, baseline, value, size, INK, align=self._side("end"), bold=bold, rtl=False
        )
        for index, line in enumerate(labels):
            self.ts.draw_aligned(
                self.draw,
                self.left,
                self.right,
                baseline + index * height,
                line,
                size,
                INK,
                align=self._side("start"),
                bold=bold,
            )
        first = labels[0]
        if self.rtl:
            # In the text layer the value is a line of its own, in the upper half of the row: a PDF reader
            # rebuilding an Arabic line from its glyphs reorders a value such as DXB1-S000001-4440 inside it.
            self.lines.append((value, self.y, height // 2))
            self.lines.append((first, self.y + height // 2, height - height // 2))
        else:
            self.lines.append((f"{first} {value}", self.y, height))
        for line in labels[1:]:
            self.lines.append((line, self.y, height))
        self.y += height * len(labels) + gap

    def rule(self, *, dashed: bool = True, gap: int = 8) -> None:
        self._grow(gap * 2 + 2)
        self.y += gap
        if dashed:
            for x in range(self.left, self.right, 12):
                self.draw.line((x, self.y, min(x + 6, self.right), self.y), fill=INK, width=2)
        else:
            self.draw.line((self.left, self.y, self.right, self.y), fill=INK, width=3)
        self.y += gap

    def space(self, dots: int) -> None:
        self._grow(dots)
        self.y += dots

    def finish(self) -> Image.Image:
        return self.image.crop((0, 0, DOTS, self.y + MARGIN))


def render_document(document: Document, language: Language, typesetter: Typesetter | None = None) -> Rendered:
    """The document as a 576-dot-wide greyscale image (threshold it for the printer: ``to_bitmap``)."""
    slip = _Slip(language, typesetter or Typesetter())
    w = partial(word, language=language)
    seller = document.seller
    branch = document.branch_name_ar if language == "ar" else document.branch_name_en
    # Until a manager sets the seller, the branch's name heads the slip (once).
    slip.text(seller.name(language) or branch, 30, bold=True, align="center")
    if branch and seller.name(language):
        slip.text(branch, 22, align="center")
    if seller.address(language):
        slip.text(seller.address(language), 20, align="center")
    if seller.trn:
        slip.pair(w("trn"), seller.trn, 22, bold=True)
    elif document.is_tax_document:
        slip.text(w("trn_missing"), 22, bold=True, align="center")
    slip.rule(dashed=False)
    _title(slip, document, language)
    slip.rule()
    _heading(slip, document, language)
    if document.lines:
        slip.rule()
        for line in document.lines:
            _line(slip, line, document.full, language)
    slip.rule()
    _totals(slip, document, language)
    _payments(slip, document, language)
    if document.card is not None:
        _card(slip, document, language)
    slip.rule()
    slip.text(w("in_aed"), 18, align="center")
    slip.text(w("thanks"), 20, bold=True, align="center")
    slip.space(24)
    return Rendered(slip.finish(), language, slip.lines)


def _title(slip: _Slip, document: Document, language: Language) -> None:
    kind = document.kind
    if kind in (DocumentKind.SIMPLIFIED_TAX_INVOICE, DocumentKind.TAX_INVOICE):
        # The phrase "Tax Invoice" must show (Article 59): both languages, whatever the slip's language.
        first, second = ("tax_invoice", "tax_invoice")
    elif kind == DocumentKind.TAX_CREDIT_NOTE:
        first, second = ("credit_note", "credit_note")
    elif kind == DocumentKind.VOUCHER_SLIP:
        first, second = ("voucher", "voucher")
    else:
        first, second = ("card_sale", "card_sale")
    slip.text(word(first, "en"), 34, bold=True, align="center", gap=2)
    slip.text(word(second, "ar"), 34, bold=True, align="center")
    if kind == DocumentKind.SIMPLIFIED_TAX_INVOICE:
        slip.text(word("simplified", language), 20, align="center")
    if kind == DocumentKind.GIFT_CARD_SALE:
        slip.text(word("no_vat", language), 20, align="center")


def _heading(slip: _Slip, document: Document, language: Language) -> None:
    w = partial(word, language=language)
    if document.number:
        slip.pair(w("note_no" if document.kind == DocumentKind.TAX_CREDIT_NOTE else "invoice_no"), document.number)
    slip.pair(w("date"), stamp(document.issued_at))
    served = document.served_by_ar if language == "ar" and document.served_by_ar else document.served_by_en
    if served:
        slip.text(f"{w('served_by')}: {served}", 22)
    buyer = document.buyer
    if buyer is not None:
        slip.text(f"{w('customer')}: {buyer.name}", 22, bold=True)
        slip.text(buyer.address, 20)
        slip.pair(w("buyer_trn"), buyer.trn)
    elif document.customer_name:
        slip.text(f"{w('customer')}: {document.customer_name}", 22)
    credit = document.credit
    if credit is not None:
        slip.pair(w("credits"), credit.invoice_number, bold=True)
        slip.pair(w("invoice_date"), stamp(credit.invoice_date))
        if credit.reason:
            slip.text(f"{w('reason')}: {credit.reason}", 20)


def _line(slip: _Slip, line: DocumentLine, full: bool, language: Language) -> None:
    size = f" · {line.size_ml} ml" if line.size_ml else ""
    slip.text(f"{line.description}{size}", 22, bold=True, gap=2)
    listed = line.quantity * line.unit_price_fils
    if listed != line.net_fils:  # an offer's share of the discount: the list amount, then what came off
        slip.pair(f"{line.quantity} × {amount(line.unit_price_fils)}", amount(listed), 22, gap=2)
        slip.pair(word("discount", language), amount(line.net_fils - listed), 20, gap=2)
    else:
        slip.pair(f"{line.quantity} × {amount(line.unit_price_fils)}", amount(line.net_fils), 22, gap=2)
    if full:
        slip.pair(word("vat_rate", language, rate=line.rate_percent), amount(line.vat_fils), 20, gap=2)
        slip.pair(word("line_total", language), amount(line.gross_fils), 20, gap=2)
    slip.space(6)


def _totals(slip: _Slip, document: Document, language: Language) -> None:
    w = partial(word, language=language)
    credit = document.credit
    if credit is not None:
        slip.pair(w("value_before"), amount(credit.value_before_fils))
        slip.pair(w("value_after"), amount(credit.value_after_fils))
        slip.pair(w("difference"), amount(credit.difference_fils))
        slip.pair(w("vat_difference"), amount(document.vat_fils))
        slip.pair(w("credited"), amount(document.total_fils), 30, bold=True)
        return
    if document.offer_code and document.discount_fils:
        slip.pair(w("offer", code=document.offer_code), amount(-document.discount_fils))
    if document.is_tax_document:
        slip.pair(w("subtotal"), amount(document.net_fils))
        slip.pair(w("vat_total"), amount(document.vat_fils))
        slip.pair(w("total"), amount(document.total_fils), 30, bold=True)


def _payments(slip: _Slip, document: Document, language: Language) -> None:
    if not document.payments and not document.points_lines:
        return
    slip.rule()
    heading = "refunded" if document.kind == DocumentKind.TAX_CREDIT_NOTE else "paid"
    slip.text(word(heading, language), 22, bold=True)
    for payment in document.payments:
        slip.pair(word(payment.tender, language), amount(payment.amount_fils))
    for key, points in document.points_lines:
        slip.pair(word(key, language), f"{points:,}")


def _card(slip: _Slip, document: Document, language: Language) -> None:
    card = document.card
    assert card is not None
    w = partial(word, language=language)
    slip.pair(w("card_code"), card.masked_code, bold=True)
    if document.kind == DocumentKind.VOUCHER_SLIP:
        slip.pair(w("taken"), amount(card.amount_fils), 26, bold=True)
        slip.pair(w("balance"), amount(card.balance_fils), 26, bold=True)
        return
    slip.pair(w("value"), amount(card.amount_fils), 26, bold=True)
    if card.count > 1:
        slip.pair(w("cards"), str(card.count))
        slip.pair(w("total"), amount(document.total_fils), 26, bold=True)
    if card.expires_on is not None:
        slip.pair(w("valid_until"), card.expires_on.strftime("%d/%m/%Y"))
    if card.recipient_name:
        slip.text(f"{w('to')}: {card.recipient_name}", 22)
    if card.from_name:
        slip.text(f"{w('from')}: {card.from_name}", 22)


def to_bitmap(image: Image.Image, threshold: int = 160) -> Image.Image:
    """Black or white dots, no dithering: thermal heads print dots, and grey edges would come out ragged."""
    return image.point(lambda value: 255 if value > threshold else 0).convert("1")
