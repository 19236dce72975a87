"""The printed documents as data: VAT in fils per line, simplified against full tax invoices, credit notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.kernel.errors import ValidationError, ValidationErrors
from core.purchases.model import LineDraft, OrderKind, OrderLineView, OrderView, price_line, totals_of
from core.receipts.documents import (
    DocumentKind,
    SellerDetails,
    clean_buyer,
    clean_seller,
    credit_note,
    mask_code,
    tax_invoice,
    validate_trn,
    voucher_slip,
)

SELLER = SellerDetails(
    "Perfume & Oud LLC", "العطور والعود ذ.م.م", "Dubai Mall, Dubai", "دبي مول، دبي", "100234567800003"
)
AT = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)


def order_of(
    drafts: list[LineDraft], *, kind: OrderKind = OrderKind.SALE, number: str = "DXB1-S000001-AB12"
) -> OrderView:
    priced = [price_line(d, i) for i, d in enumerate(drafts)]
    sign = -1 if kind == OrderKind.RETURN else 1
    totals = totals_of(priced)
    lines = tuple(
        OrderLineView(
            f"l{i}", p.sku, p.name, p.brand, p.family, p.size_ml, sign * p.quantity, p.unit_price_fils,
            sign * p.net_fils, sign * p.vat_fils,
        )
        for i, p in enumerate(priced)
    )  # fmt: skip
    return OrderView(
        id=number, number=number, kind=kind, created_at=AT, customer_id=None, customer_name_en="",
        customer_name_ar="", staff_name="Aisha", staff_name_ar="عائشة", branch_name="Dubai Mall",
        branch_name_ar="دبي مول", net_fils=sign * totals.net_fils, vat_fils=sign * totals.vat_fils,
        total_fils=sign * totals.total_fils, tenders={"cash": sign * totals.total_fils, "change": 0}, lines=lines,
        original_order_id="orig" if kind == OrderKind.RETURN else None,
    )  # fmt: skip


def test_vat_is_rounded_half_up_per_line_and_totals_add_up_in_fils() -> None:
    order = order_of(
        [
            LineDraft("OUD-1", "Oud Royal", quantity=3, unit_price_fils=1_999),  # 5997 net, 299.85 → 300
            LineDraft("S-1", "Sample", quantity=1, unit_price_fils=10),  # 0.5 → 1 (half up)
            LineDraft("S-2", "Tester", quantity=1, unit_price_fils=9),  # 0.45 → 0
        ]
    )
    doc = tax_invoice(order, SELLER)
    assert [line.vat_fils for line in doc.lines] == [300, 1, 0]
    assert doc.net_fils == 5_997 + 10 + 9 == sum(line.net_fils for line in doc.lines)
    assert doc.vat_fils == 301 == sum(line.vat_fils for line in doc.lines)
    assert doc.total_fils == doc.net_fils + doc.vat_fils
    assert all(isinstance(v, int) for v in (doc.net_fils, doc.vat_fils, doc.total_fils))
    assert all(line.rate_percent == 5 for line in doc.lines)


def test_simplified_without_a_trn_full_with_the_buyers_trn() -> None:
    order = order_of([LineDraft("OUD-1", "Oud Royal", quantity=1, unit_price_fils=50_000)])
    simplified = tax_invoice(order, SELLER)
    assert simplified.kind == DocumentKind.SIMPLIFIED_TAX_INVOICE and not simplified.full
    assert simplified.buyer is None and simplified.is_tax_document
    buyer = clean_buyer("Gulf Trading LLC", "Office 4, Business Bay, Dubai", "١٠٠٢٣٤٥٦٧٨٠٠٠٠٣")
    full = tax_invoice(order, SELLER, buyer)
    assert full.kind == DocumentKind.TAX_INVOICE and full.full
    assert full.buyer is not None and full.buyer.trn == "100234567800003"
    assert full.number == order.number and full.issued_at == AT
    with pytest.raises(ValueError):
        tax_invoice(order_of([LineDraft("A", "A", unit_price_fils=1)], kind=OrderKind.RETURN), SELLER)


def test_a_trn_is_fifteen_digits() -> None:
    assert validate_trn("100-2345-6780-0003 ") == "100234567800003"
    for bad in ("", "12345678901234", "1002345678000031", "10023456780000A", "¹⁰⁰²³⁴⁵⁶⁷⁸⁰⁰⁰⁰³"):
        with pytest.raises(ValidationError):
            validate_trn(bad)
    assert validate_trn("", required=False) == ""


def test_seller_and_buyer_details_are_refused_field_by_field() -> None:
    with pytest.raises(ValidationErrors) as caught:
        clean_seller(SellerDetails(trn="123"))
    assert {e.field for e in caught.value.errors} == {"name_en", "trn"}
    with pytest.raises(ValidationErrors) as caught:
        clean_buyer("", "", "1")
    assert {e.field for e in caught.value.errors} == {"buyer_name", "buyer_address", "buyer_trn"}
    assert clean_seller(SELLER).complete and not SellerDetails(name_en="x").complete


def test_a_credit_note_names_the_invoice_and_the_value_before_and_after() -> None:
    sale = order_of([LineDraft("OUD-1", "Oud Royal", quantity=4, unit_price_fils=25_000)])
    ret = order_of(
        [LineDraft("OUD-1", "Oud Royal", quantity=1, unit_price_fils=25_000)],
        kind=OrderKind.RETURN,
        number="DXB1-R000003-AB12",
    )
    note = credit_note(ret, sale, credited_before_fils=25_000, seller=SELLER)
    assert note.kind == DocumentKind.TAX_CREDIT_NOTE
    assert note.credit is not None and note.credit.invoice_number == sale.number
    assert note.credit.value_before_fils == 75_000 and note.credit.value_after_fils == 50_000
    assert note.credit.difference_fils == 25_000 == note.net_fils
    assert note.vat_fils == 1_250 and note.total_fils == 26_250
    assert note.lines[0].quantity == 1 and note.lines[0].net_fils == 25_000
    with pytest.raises(ValueError):
        credit_note(sale, sale, 0, SELLER)


def test_a_voucher_slip_masks_the_card_code() -> None:
    slip = voucher_slip(
        number="",
        issued_at=AT,
        seller=SELLER,
        branch=("Dubai Mall", "دبي مول"),
        served_by=("Aisha", "عائشة"),
        code="PO-7K3Q-MN4P-X9TZ",
        amount_fils=12_050,
        balance_fils=37_950,
    )
    assert slip.card is not None and slip.card.masked_code == "•••• X9TZ" == mask_code("PO-7K3Q-MN4P-X9TZ")
    assert "7K3Q" not in slip.card.masked_code and slip.card.balance_fils == 37_950
    assert not slip.is_tax_document
