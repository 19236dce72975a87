"""The small built-in product list the till offers, and the fragrance families a line can carry.

The demo seed's PRODUCTS, with Arabic names, so a cashier can pick a product instead of typing it. Prices are
net of VAT, in fils. Any other product can still be typed line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.kernel.text import search_fold


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

    def name(self, language: str = "en") -> str:
        return self.name_ar if language == "ar" else self.name_en


CATALOG: tuple[Product, ...] = (
    Product("OUD-ROY-50", "Royal Oud", "العود الملكي", "Perfume & Oud", Family.OUD, 50, 89000),
    Product("OUD-CAM-100", "Cambodian Oud Oil", "دهن العود الكمبودي", "Perfume & Oud", Family.OUD, 12, 145000),
    Product("AMB-NIG-75", "Amber Nights", "ليالي العنبر", "Perfume & Oud", Family.AMBER, 75, 42000),
    Product("ROS-TAI-50", "Taif Rose", "ورد الطائف", "Perfume & Oud", Family.FLORAL, 50, 38000),
    Product("MSK-WHT-30", "White Musk", "المسك الأبيض", "Perfume & Oud", Family.MUSK, 30, 18500),
    Product("ORI-SAF-100", "Saffron Oriental", "زعفران شرقي", "Maison Arabia", Family.ORIENTAL, 100, 56000),
    Product("WOD-SAN-50", "Sandalwood Mysore", "صندل ميسور", "Maison Arabia", Family.WOODY, 50, 61000),
    Product("CIT-BER-100", "Bergamot Breeze", "نسيم البرغموت", "Atelier Frais", Family.CITRUS, 100, 32000),
    Product("FRS-SEA-100", "Sea Salt Vetiver", "فيتيفر ملح البحر", "Atelier Frais", Family.FRESH, 100, 29500),
    Product("BKH-MUB-40", "Mubakhar Bakhoor", "بخور مبخر", "Perfume & Oud", Family.OUD, 40, 12000),
    Product("GRM-VAN-50", "Vanilla Dates", "فانيلا التمر", "Maison Arabia", Family.GOURMAND, 50, 47500),
    Product("LTH-SUE-100", "Suede Leather", "جلد الشمواه", "Atelier Frais", Family.LEATHER, 100, 52000),
)

_BY_SKU = {p.sku: p for p in CATALOG}


def by_sku(sku: str) -> Product | None:
    return _BY_SKU.get((sku or "").strip().upper())


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
