"""The small built-in product list the till offers, and the fragrance families a line can carry.

The demo seed's PRODUCTS, with Arabic names, so a cashier can pick a product instead of typing it. Prices are
net of VAT, in fils. Any other product can still be typed line by line. Each product carries the EAN-13 printed
on its box (GS1 UAE prefix 629), so a wedge scanner reading either the barcode or the SKU label finds it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.kernel.text import ascii_digits, search_fold


class Family(StrEnum):
    OUD = "oud"
    ORIENTAL = "oriental"
    FLORAL = "floral"
    WOODY = "woody"
    CITRUS = "citrus"
    MUSK = "musk"
    AMBER = "amber"
    FRESH = "fresh"
    GOURMAND = "gourmand"
    SPICY = "spicy"
    LEATHER = "leather"


@dataclass(frozen=True)
class Product:
    sku: str
    name_en: str
    name_ar: str
    brand: str
    family: Family
    size_ml: int
    price_fils: int
    barcode: str = ""

    def name(self, language: str = "en") -> str:
        return self.name_ar if language == "ar" else self.name_en


CATALOG: tuple[Product, ...] = (
    Product("OUD-ROY-50", "Royal Oud", "العود الملكي", "Perfume & Oud", Family.OUD, 50, 89000, "6291145000015"),
    Product(
        "OUD-CAM-100",
        "Cambodian Oud Oil",
        "دهن العود الكمبودي",
        "Perfume & Oud",
        Family.OUD,
        12,
        145000,
        "6291145000022",
    ),
    Product("AMB-NIG-75", "Amber Nights", "ليالي العنبر", "Perfume & Oud", Family.AMBER, 75, 42000, "6291145000039"),
    Product("ROS-TAI-50", "Taif Rose", "ورد الطائف", "Perfume & Oud", Family.FLORAL, 50, 38000, "6291145000046"),
    Product("MSK-WHT-30", "White Musk", "المسك الأبيض", "Perfume & Oud", Family.MUSK, 30, 18500, "6291145000053"),
    Product(
        "ORI-SAF-100", "Saffron Oriental", "زعفران شرقي", "Maison Arabia", Family.ORIENTAL, 100, 56000, "6291145000060"
    ),
    Product("WOD-SAN-50", "Sandalwood Mysore", "صندل ميسور", "Maison Arabia", Family.WOODY, 50, 61000, "6291145000077"),
    Product(
        "CIT-BER-100", "Bergamot Breeze", "نسيم البرغموت", "Atelier Frais", Family.CITRUS, 100, 32000, "6291145000084"
    ),
    Product(
        "FRS-SEA-100",
        "Sea Salt Vetiver",
        "فيتيفر ملح البحر",
        "Atelier Frais",
        Family.FRESH,
        100,
        29500,
        "6291145000091",
    ),
    Product("BKH-MUB-40", "Mubakhar Bakhoor", "بخور مبخر", "Perfume & Oud", Family.OUD, 40, 12000, "6291145000107"),
    Product(
        "GRM-VAN-50", "Vanilla Dates", "فانيلا التمر", "Maison Arabia", Family.GOURMAND, 50, 47500, "6291145000114"
    ),
    Product(
        "LTH-SUE-100", "Suede Leather", "جلد الشمواه", "Atelier Frais", Family.LEATHER, 100, 52000, "6291145000121"
    ),
)

_BY_SKU = {p.sku: p for p in CATALOG}
_BY_BARCODE = {p.barcode: p for p in CATALOG if p.barcode}


def by_sku(sku: str) -> Product | None:
    return _BY_SKU.get((sku or "").strip().upper())


def ean13_check_digit(first_twelve: str) -> str:
    """The check digit completing twelve digits of an EAN-13 (weights 1 and 3, from the left)."""
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first_twelve))
    return str((10 - total % 10) % 10)


def by_code(scanned: str) -> Product | None:
    """The product a scanned or typed code names: its SKU (any case) or its barcode. A scanner set to
    UPC-A drops the EAN's leading zero, and Arabic-Indic digits arrive from a till typing in Arabic."""
    text = ascii_digits(unicodedata.normalize("NFKC", scanned or "")).strip()
    if text.isdigit():
        return _BY_BARCODE.get(text) or _BY_BARCODE.get(text.zfill(13))
    return by_sku(text)


def find_products(text: str, limit: int = 20) -> list[Product]:
    """Products whose SKU, name (either script), brand or family contains every typed word."""
    words = [w for w in search_fold(text or "").split() if w]
    if not words:
        return list(CATALOG[:limit])
    found = []
    for product in CATALOG:
        haystack = search_fold(
            " ".join((product.sku, product.name_en, product.name_ar, product.brand, product.family.value))
        )
        if all(w in haystack for w in words):
            found.append(product)
    return found[:limit]
