"""Words for the VIP service's values: shopper languages, specialties, fragrance families, moods, tiers,
and a matching reason rendered in the current language."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from core.shoppers.matching import Reason
from ui.i18n import is_arabic, number


def shopper_language(code: str) -> str:
    names = {
        "ar": QCoreApplication.translate("shopper_labels", "Arabic"),
        "en": QCoreApplication.translate("shopper_labels", "English"),
        "hi": QCoreApplication.translate("shopper_labels", "Hindi"),
        "ur": QCoreApplication.translate("shopper_labels", "Urdu"),
        "ml": QCoreApplication.translate("shopper_labels", "Malayalam"),
        "fa": QCoreApplication.translate("shopper_labels", "Persian"),
        "tl": QCoreApplication.translate("shopper_labels", "Filipino"),
        "ru": QCoreApplication.translate("shopper_labels", "Russian"),
        "fr": QCoreApplication.translate("shopper_labels", "French"),
        "zh": QCoreApplication.translate("shopper_labels", "Chinese"),
        "de": QCoreApplication.translate("shopper_labels", "German"),
        "es": QCoreApplication.translate("shopper_labels", "Spanish"),
        "it": QCoreApplication.translate("shopper_labels", "Italian"),
    }
    return names.get(code, code)


def specialty(code: str) -> str:
    names = {
        "oud": QCoreApplication.translate("shopper_labels", "Oud"),
        "oriental": QCoreApplication.translate("shopper_labels", "Oriental"),
        "western": QCoreApplication.translate("shopper_labels", "Western"),
        "niche": QCoreApplication.translate("shopper_labels", "Niche"),
    }
    return names.get(code, code)


def taste(name: str) -> str:
    """A fragrance family in words; a brand (a proper name) stays as written."""
    names = {
        "oud": QCoreApplication.translate("shopper_labels", "oud"),
        "bakhoor": QCoreApplication.translate("shopper_labels", "bakhoor"),
        "amber": QCoreApplication.translate("shopper_labels", "amber"),
        "musk": QCoreApplication.translate("shopper_labels", "musk"),
        "oriental": QCoreApplication.translate("shopper_labels", "oriental"),
        "floral": QCoreApplication.translate("shopper_labels", "floral"),
        "woody": QCoreApplication.translate("shopper_labels", "woody"),
        "citrus": QCoreApplication.translate("shopper_labels", "citrus"),
        "fresh": QCoreApplication.translate("shopper_labels", "fresh"),
        "niche": QCoreApplication.translate("shopper_labels", "niche"),
        "spicy": QCoreApplication.translate("shopper_labels", "spicy"),
        "aquatic": QCoreApplication.translate("shopper_labels", "aquatic"),
        "fruity": QCoreApplication.translate("shopper_labels", "fruity"),
        "gourmand": QCoreApplication.translate("shopper_labels", "gourmand"),
    }
    return names.get(name.casefold(), name)


def listing(values: Iterable[str]) -> str:
    return ("، " if is_arabic() else ", ").join(values)


def mood(code: str | None) -> str:
    if not code:
        return ""
    names = {
        "delighted": QCoreApplication.translate("shopper_labels", "Delighted"),
        "happy": QCoreApplication.translate("shopper_labels", "Happy"),
        "neutral": QCoreApplication.translate("shopper_labels", "Neutral"),
        "undecided": QCoreApplication.translate("shopper_labels", "Undecided"),
        "unhappy": QCoreApplication.translate("shopper_labels", "Unhappy"),
    }
    return names.get(code, code)


def reason_text(reason: Reason) -> str:
    """A matching reason in the current language, its codes turned into words."""
    params: dict[str, str] = {}
    for key, value in reason.params.items():
        if key == "language":
            params[key] = shopper_language(str(value))
        elif key == "specialty":
            params[key] = specialty(str(value))
        elif key == "tastes" and isinstance(value, tuple):
            params[key] = listing(taste(str(v)) for v in value)
        elif isinstance(value, int):
            params[key] = number(value)
        else:
            params[key] = str(value)
    template = QCoreApplication.translate("core", reason.message)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return reason.english()
