"""A scanned product code at the till: a box's EAN-13 or its SKU label names one catalog product; anything else
is refused in words, and looking it up writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.kernel.errors import NotFound, PermissionDenied, ValidationError
from core.purchases.products import CATALOG, by_code, ean13_check_digit
from core.staff.auth import Actor, Role
from storage.bootstrap import Services
from tests.conftest import actor_for


def test_every_catalog_barcode_is_a_valid_distinct_ean13() -> None:
    codes = [p.barcode for p in CATALOG]
    assert len(set(codes)) == len(CATALOG)
    for code in codes:
        assert len(code) == 13 and code.isdigit() and code.startswith("629")
        assert code[-1] == ean13_check_digit(code[:12]), code


def test_a_barcode_or_sku_names_the_product_whatever_the_digits_or_case() -> None:
    royal = CATALOG[0]
    assert by_code(royal.barcode) == royal
    assert by_code(" oud-roy-50 ") == royal
    arabic_digits = royal.barcode.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert by_code(arabic_digits) == royal
    assert by_code("6291145000016") is None  # one digit off
    assert by_code("") is None


def change_log_size(services: Services) -> int:
    with services.store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def test_the_service_finds_a_scanned_product_and_refuses_unknown_codes(services: Services, cashier: Actor) -> None:
    before = change_log_size(services)
    assert services.purchases.product(cashier, CATALOG[4].barcode).sku == "MSK-WHT-30"
    with pytest.raises(NotFound) as unknown:
        services.purchases.product(cashier, "4006381333931")
    assert unknown.value.field == "scan" and "4006381333931" in unknown.value.english()
    with pytest.raises(ValidationError):
        services.purchases.product(cashier, "   ")
    assert change_log_size(services) == before


def test_only_staff_who_sell_look_products_up(services: Services) -> None:
    shopper = actor_for(services, Role.PERSONAL_SHOPPER)
    with pytest.raises(PermissionDenied):
        services.purchases.product(shopper, CATALOG[0].barcode)
