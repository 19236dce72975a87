"""The seller's details and an order's printed document, on a real store."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.kernel.errors import PermissionDenied, ValidationErrors
from core.purchases.model import LineDraft, ReturnDraft, ReturnLineDraft, SaleDraft, TenderDraft
from core.receipts.documents import DocumentKind, SellerDetails, clean_buyer
from core.staff.auth import Actor
from storage.bootstrap import Services

SELLER = SellerDetails(
    "Perfume & Oud LLC", "العطور والعود ذ.م.م", "Dubai Mall, Dubai", "دبي مول، دبي", "100234567800003"
)


def test_only_a_manager_sets_the_seller_and_a_bad_trn_changes_nothing(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    receipts = services.receipts
    assert receipts.seller() == SellerDetails()
    with pytest.raises(PermissionDenied):
        receipts.save_seller(cashier, SELLER)
    assert receipts.save_seller(manager, SELLER) == SELLER
    with pytest.raises(ValidationErrors):
        receipts.save_seller(manager, SellerDetails("Other", "", "Somewhere", "", "12345"))
    assert receipts.seller() == SELLER
    with services.store.read_engine.connect() as conn:
        audited = conn.execute(text("SELECT count(*) FROM security_events WHERE kind = 'seller_details_changed'"))
        assert audited.scalar() == 1


def test_a_sale_prints_a_tax_invoice_and_each_return_a_credit_note(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    services.receipts.save_seller(manager, SELLER)
    line = LineDraft("OUD-1", "Oud Royal", quantity=3, unit_price_fils=33_333)
    sale = services.purchases.record_sale(cashier, SaleDraft(None, (line,), TenderDraft(card_fils=104_999)))
    doc = services.receipts.order_document(cashier, sale.order.id)
    assert doc.kind == DocumentKind.SIMPLIFIED_TAX_INVOICE and doc.seller.trn == SELLER.trn
    assert (doc.net_fils, doc.vat_fils, doc.total_fils) == (99_999, 5_000, 104_999)
    buyer = clean_buyer("Gulf Trading LLC", "Business Bay, Dubai", "100987654300003")
    assert services.receipts.order_document(cashier, sale.order.id, buyer).kind == DocumentKind.TAX_INVOICE
    line_id = sale.order.lines[0].id
    first = services.purchases.record_return(cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(line_id, 1),)))
    second = services.purchases.record_return(
        cashier, ReturnDraft(sale.order.id, (ReturnLineDraft(line_id, 1),), reason="gift not wanted")
    )
    note1 = services.receipts.order_document(cashier, first.order.id)
    note2 = services.receipts.order_document(cashier, second.order.id)
    assert note1.kind == note2.kind == DocumentKind.TAX_CREDIT_NOTE
    assert note1.credit is not None and note2.credit is not None
    assert note1.credit.invoice_number == note2.credit.invoice_number == sale.order.number
    assert (note1.credit.value_before_fils, note1.credit.value_after_fils) == (99_999, 66_666)
    assert (note2.credit.value_before_fils, note2.credit.value_after_fils) == (66_666, 33_333)
    assert note2.credit.reason == "gift not wanted"
    assert note1.vat_fils + note2.vat_fils == 3_333  # cumulative VAT: two thirds of 5,000, rounded down
