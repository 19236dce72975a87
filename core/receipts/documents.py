"""What the till hands a customer on paper: tax invoices, tax credit notes and gift-card slips, as plain data.

The particulars follow the UAE Executive Regulation of the VAT Decree-Law (Cabinet Decision No. 52 of 2017):

- **Article 59(1), a (full) tax invoice**: the words "Tax Invoice"; the supplier's name, address and TRN; the
  recipient's name, address and TRN where the recipient is a registrant; a sequential number; the date of
  issue; a description of the goods; for each item the unit price, the quantity, the rate of tax and the
  amount payable in AED; any discount; the gross amount payable in AED; the tax amount in AED. The FTA's
  public clarification VATP006 adds that line items of a full invoice show their net value and tax, and that
  rounding is per line to the nearest fils (as ``core.purchases.model.price_line`` does).
- **Article 59(2), a simplified tax invoice**, allowed where the recipient is not a registrant, or is one and
  the supply is below AED 10,000: the words "Tax Invoice"; the supplier's name, address and TRN; the date of
  issue; a description of the goods; the total consideration and the tax charged in AED. A till prints this
  one unless the customer gives a TRN (a registered business asks for its own input-tax credit).
- **Article 60, a tax credit note**: the words "Tax Credit Note"; the supplier's name, address and TRN; the
  recipient's where a registrant; the date of issue; the value of the supply on the tax invoice (as altered by
  earlier credit notes), the correct value, the difference and the tax on that difference in AED; a brief
  explanation; what identifies the supply (the original invoice's number).

Sources: gcctaxlaws.com, "Cabinet Decision No. 52 of 2017, Article 59 – Tax Invoices" and "Article 60 – Tax
Credit Note"; FTA public clarification VATP006 "Tax Invoices".

A gift card is a multi-purpose voucher (DESIGN.md): selling one carries no VAT and its slip is no tax invoice;
redeeming one at the gift-card page prints a voucher slip with the amount taken, the balance left and the
card's code masked to its last four characters (a slip left on the counter must not spend the card).

Pure data and rules, no Qt and no Pillow: ``ui.receipts`` lays these out on 80 mm paper and PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import VAT_RATE_PERCENT
from core.kernel.text import ascii_digits, clean_text
from core.purchases.model import OrderKind, OrderView, Tender

TRN_DIGITS = 15
# Article 59(2)(b): a registrant may still get a simplified invoice below this value; a till prints the full
# one whenever a TRN is given, which is always allowed.
SIMPLIFIED_LIMIT_FILS = 1_000_000
SELLER_NAME_MAX = 120
ADDRESS_MAX = 200


class DocumentKind(StrEnum):
    SIMPLIFIED_TAX_INVOICE = "simplified_tax_invoice"
    TAX_INVOICE = "tax_invoice"
    TAX_CREDIT_NOTE = "tax_credit_note"
    VOUCHER_SLIP = "voucher_slip"
    GIFT_CARD_SALE = "gift_card_sale"


def validate_trn(text: str, field_name: str = "trn", *, required: bool = True) -> str:
    """A Tax Registration Number: 15 digits (Arabic-Indic digits, spaces and dashes accepted as typed)."""
    digits = ascii_digits(text or "").replace(" ", "").replace("-", "").strip()
    if not digits and not required:
        return ""
    if len(digits) != TRN_DIGITS or not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "A TRN (tax registration number) is {digits} digits."),
            field_name,
            digits=TRN_DIGITS,
        )
    return digits


@dataclass(frozen=True)
class SellerDetails:
    """Who sells: the registrant's legal name, this branch's address and the TRN, in both languages where
    they differ. Kept as this store's settings (``core.receipts.service``)."""

    name_en: str = ""
    name_ar: str = ""
    address_en: str = ""
    address_ar: str = ""
    trn: str = ""

    @property
    def complete(self) -> bool:
        """Enough for a tax invoice: a name, an address and a TRN (in either language)."""
        return bool((self.name_en or self.name_ar) and (self.address_en or self.address_ar) and self.trn)

    def name(self, language: str) -> str:
        return (self.name_ar or self.name_en) if language == "ar" else (self.name_en or self.name_ar)

    def address(self, language: str) -> str:
        return (self.address_ar or self.address_en) if language == "ar" else (self.address_en or self.address_ar)


def clean_seller(details: SellerDetails) -> SellerDetails:
    """The details as stored: trimmed, NFC, a name and an address in at least one language, a 15-digit TRN."""
    errors: list[ValidationError] = []
    values: dict[str, str] = {}
    for name, limit in (
        ("name_en", SELLER_NAME_MAX),
        ("name_ar", SELLER_NAME_MAX),
        ("address_en", ADDRESS_MAX),
        ("address_ar", ADDRESS_MAX),
    ):
        try:
            values[name] = clean_text(getattr(details, name), name, max_length=limit, multiline=True) or ""
        except ValidationError as error:
            errors.append(error)
            values[name] = ""
    if not errors and not (values["name_en"] or values["name_ar"]):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Enter the seller's legal name."), "name_en"))
    if not errors and not (values["address_en"] or values["address_ar"]):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Enter this branch's address."), "address_en"))
    try:
        trn = validate_trn(details.trn)
    except ValidationError as error:
        errors.append(error)
        trn = ""
    if errors:
        raise ValidationErrors(errors)
    return SellerDetails(trn=trn, **values)


@dataclass(frozen=True)
class Buyer:
    """The customer on a full tax invoice: a registrant gives name, address and TRN."""

    name: str
    address: str
    trn: str


def clean_buyer(name: str, address: str, trn: str) -> Buyer:
    """A registered customer's details for a full tax invoice; all three are required."""
    errors: list[ValidationError] = []
    cleaned: list[str] = []
    for value, field_name, limit, message in (
        (name, "buyer_name", SELLER_NAME_MAX, QT_TRANSLATE_NOOP("core", "Enter the customer's registered name.")),
        (address, "buyer_address", ADDRESS_MAX, QT_TRANSLATE_NOOP("core", "Enter the customer's address.")),
    ):
        try:
            text = clean_text(value, field_name, max_length=limit, multiline=True) or ""
            if not text:
                errors.append(ValidationError(message, field_name))
            cleaned.append(text)
        except ValidationError as error:
            errors.append(error)
            cleaned.append("")
    try:
        number = validate_trn(trn, "buyer_trn")
    except ValidationError as error:
        errors.append(error)
        number = ""
    if errors:
        raise ValidationErrors(errors)
    return Buyer(cleaned[0], cleaned[1], number)


@dataclass(frozen=True)
class DocumentLine:
    """One line as printed. On a credit note quantities and amounts are positive (what is credited)."""

    description: str
    sku: str
    size_ml: int | None
    quantity: int
    unit_price_fils: int  # before VAT
    net_fils: int
    vat_fils: int
    rate_percent: int = VAT_RATE_PERCENT

    @property
    def gross_fils(self) -> int:
        return self.net_fils + self.vat_fils


@dataclass(frozen=True)
class Payment:
    tender: str  # core.purchases.model.Tender value, or "change"
    amount_fils: int


@dataclass(frozen=True)
class CreditReference:
    """Article 60: the invoice credited and the value of its supply before and after this note (net of VAT)."""

    invoice_number: str
    invoice_date: datetime
    value_before_fils: int  # as altered by earlier credit notes
    value_after_fils: int
    reason: str

    @property
    def difference_fils(self) -> int:
        return self.value_before_fils - self.value_after_fils


@dataclass(frozen=True)
class CardSlip:
    """A gift card's part of a slip: masked code, the amount moved, what is left, and the sale's names."""

    masked_code: str
    amount_fils: int
    balance_fils: int
    expires_on: date | None = None
    recipient_name: str = ""
    from_name: str = ""
    count: int = 1  # cards of one corporate sale


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    number: str
    issued_at: datetime  # aware UTC; printed in Asia/Dubai
    seller: SellerDetails
    branch_name_en: str
    branch_name_ar: str
    served_by_en: str
    served_by_ar: str
    lines: tuple[DocumentLine, ...] = ()
    net_fils: int = 0
    vat_fils: int = 0
    total_fils: int = 0
    payments: tuple[Payment, ...] = ()
    buyer: Buyer | None = None
    customer_name: str = ""  # a loyalty customer on a simplified invoice: printed, not a particular
    credit: CreditReference | None = None
    card: CardSlip | None = None
    points_lines: tuple[tuple[str, int], ...] = field(default=())  # ("earned" | "used" | ..., points)
    offer_code: str = ""  # a campaign's offer code taken in the sale
    discount_fils: int = 0  # what it took off the lines before VAT (each line's net is after it)

    @property
    def is_tax_document(self) -> bool:
        return self.kind in (
            DocumentKind.SIMPLIFIED_TAX_INVOICE,
            DocumentKind.TAX_INVOICE,
            DocumentKind.TAX_CREDIT_NOTE,
        )

    @property
    def full(self) -> bool:
        """Whether the per-line particulars of Article 59(1) are printed (net and VAT of every line)."""
        return self.kind == DocumentKind.TAX_INVOICE or (
            self.kind == DocumentKind.TAX_CREDIT_NOTE and self.buyer is not None
        )


def mask_code(code: str) -> str:
    """PO-XXXX-XXXX-7K3Q → '•••• 7K3Q': enough to match the slip to the card, not to spend it."""
    tail = code.replace("-", "")[-4:]
    return f"•••• {tail}" if tail else ""


def _lines(order: OrderView) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            description=line.name,
            sku=line.sku,
            size_ml=line.size_ml,
            quantity=abs(line.quantity),
            unit_price_fils=line.unit_price_fils,
            net_fils=abs(line.net_fils),
            vat_fils=abs(line.vat_fils),
        )
        for line in order.lines
    )


def _payments(order: OrderView, sign: int) -> tuple[Payment, ...]:
    paid = [Payment(t.value, sign * order.tender(t)) for t in Tender if order.tender(t)]
    change = int(order.tenders.get("change", 0) or 0)
    if change:
        paid.append(Payment("change", change))
    return tuple(paid)


def _points(order: OrderView) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    if order.points_redeemed > 0:
        out.append(("used", order.points_redeemed))
    elif order.points_redeemed < 0:
        out.append(("given_back", -order.points_redeemed))
    if order.points_earned > 0:
        out.append(("earned", order.points_earned))
    elif order.points_earned < 0:
        out.append(("taken_back", -order.points_earned))
    if order.bonus_points:
        out.append(("bonus", order.bonus_points))
    return tuple(out)


def tax_invoice(order: OrderView, seller: SellerDetails, buyer: Buyer | None = None) -> Document:
    """A sale's tax invoice: simplified (Article 59(2)), or full (59(1)) when the customer gives a TRN."""
    if order.kind != OrderKind.SALE:
        raise ValueError("a tax invoice is for a sale; a return gets a credit note")
    return Document(
        kind=DocumentKind.TAX_INVOICE if buyer is not None else DocumentKind.SIMPLIFIED_TAX_INVOICE,
        number=order.number,
        issued_at=order.created_at,
        seller=seller,
        branch_name_en=order.branch_name,
        branch_name_ar=order.branch_name_ar,
        served_by_en=order.staff_name,
        served_by_ar=order.staff_name_ar,
        lines=_lines(order),
        net_fils=order.net_fils,
        vat_fils=order.vat_fils,
        total_fils=order.total_fils,
        payments=_payments(order, 1),
        buyer=buyer,
        customer_name=order.customer_name_en or order.customer_name_ar,
        points_lines=_points(order),
        offer_code=str(_offer(order).get("code", "")),
        discount_fils=int(_offer(order).get("discount", 0) or 0),
    )


def _offer(order: OrderView) -> dict[str, Any]:
    offer = order.tenders.get("offer")
    return offer if isinstance(offer, dict) else {}


def credit_note(
    order: OrderView,
    original: OrderView,
    credited_before_fils: int,
    seller: SellerDetails,
    buyer: Buyer | None = None,
) -> Document:
    """A return's tax credit note (Article 60). ``credited_before_fils`` is the net value earlier returns of
    the same sale already credited (positive), so the value "as shown on the invoice" is the altered one."""
    if order.kind != OrderKind.RETURN:
        raise ValueError("a credit note is for a return")
    before = original.net_fils - credited_before_fils
    reason = str(order.tenders.get("reason", "") or "")
    return Document(
        kind=DocumentKind.TAX_CREDIT_NOTE,
        number=order.number,
        issued_at=order.created_at,
        seller=seller,
        branch_name_en=order.branch_name,
        branch_name_ar=order.branch_name_ar,
        served_by_en=order.staff_name,
        served_by_ar=order.staff_name_ar,
        lines=_lines(order),
        net_fils=-order.net_fils,
        vat_fils=-order.vat_fils,
        total_fils=-order.total_fils,
        payments=_payments(order, -1),
        buyer=buyer,
        customer_name=order.customer_name_en or order.customer_name_ar,
        credit=CreditReference(
            invoice_number=original.number,
            invoice_date=original.created_at,
            value_before_fils=before,
            value_after_fils=before + order.net_fils,
            reason=reason,
        ),
        points_lines=_points(order),
    )


def voucher_slip(
    *,
    number: str,
    issued_at: datetime,
    seller: SellerDetails,
    branch: tuple[str, str],
    served_by: tuple[str, str],
    code: str,
    amount_fils: int,
    balance_fils: int,
) -> Document:
    """What a cashier hands over after taking value off a gift card at the gift-card page."""
    return Document(
        kind=DocumentKind.VOUCHER_SLIP,
        number=number,
        issued_at=issued_at,
        seller=seller,
        branch_name_en=branch[0],
        branch_name_ar=branch[1],
        served_by_en=served_by[0],
        served_by_ar=served_by[1],
        total_fils=amount_fils,
        card=CardSlip(mask_code(code), amount_fils, balance_fils),
    )


def gift_card_sale_slip(
    *,
    number: str,
    issued_at: datetime,
    seller: SellerDetails,
    branch: tuple[str, str],
    served_by: tuple[str, str],
    code: str,
    amount_fils: int,
    expires_on: date,
    recipient_name: str,
    from_name: str,
    count: int = 1,
) -> Document:
    """The slip of a gift-card sale: no VAT (a multi-purpose voucher), the card's value, validity and names."""
    return Document(
        kind=DocumentKind.GIFT_CARD_SALE,
        number=number,
        issued_at=issued_at,
        seller=seller,
        branch_name_en=branch[0],
        branch_name_ar=branch[1],
        served_by_en=served_by[0],
        served_by_ar=served_by[1],
        total_fils=amount_fils * count,
        card=CardSlip(
            mask_code(code),
            amount_fils,
            amount_fils,
            expires_on=expires_on,
            recipient_name=recipient_name,
            from_name=from_name,
            count=count,
        ),
    )
