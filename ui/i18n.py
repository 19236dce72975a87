"""Language at run time: Qt translators, right-to-left mirroring, locale-aware numbers, money and dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication, QLabel

from core.kernel.clock import local
from core.kernel.errors import DomainError, ValidationErrors
from core.kernel.money import fils_to_text
from ui.widgets.forms import say

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("en", "ar")


class LanguageSwitch(QObject):
    """Installs the translators for a language and mirrors the whole UI for Arabic."""

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._translators: list[QTranslator] = []
        self.current = "en"

    def set_language(self, code: str) -> None:
        if code not in LANGUAGES:
            code = "en"
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        if code == "ar":
            ours = QTranslator(self)
            if not ours.load(str(TRANSLATIONS / "ar.qm")):
                raise FileNotFoundError(f"{TRANSLATIONS / 'ar.qm'} is missing: run scripts/setup.sh")
            qt = QTranslator(self)
            if qt.load("qtbase_ar", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self._translators.append(qt)
            self._translators.append(ours)
            for translator in self._translators:
                self._app.installTranslator(translator)
            QLocale.setDefault(QLocale(QLocale.Language.Arabic, QLocale.Country.UnitedArabEmirates))
            self._app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedArabEmirates))
            self._app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.current = code
        # Deliver the LanguageChange events now, so every widget has retranslated when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.changed.emit(code)


def is_arabic() -> bool:
    return QLocale().language() == QLocale.Language.Arabic


def ltr(text: str) -> str:
    """Isolates a left-to-right value (phone, email, code) so Arabic text around it cannot reorder it."""
    return f"\u2066{text}\u2069" if text else text


def number(value: int) -> str:
    return QLocale().toString(value)


def money(fils: int) -> str:
    """Fils as dirhams in the current locale: 'AED 1,234.50' / '١٬٢٣٤٫٥٠ د.إ.'."""
    # The locale only groups and spells the digits; the split into dirhams and fils stays integer (exact).
    whole, part = fils_to_text(abs(fils)).split(".")
    locale = QLocale()
    amount = locale.toString(int(whole)) + locale.decimalPoint() + "".join(locale.toString(int(d)) for d in part)
    sign = "-" if fils < 0 else ""
    return QCoreApplication.translate("money", "AED {amount}").format(amount=sign + amount)


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_text(value: date | None) -> str:
    if value is None:
        return ""
    # First-strong isolation: a date keeps its own order inside a sentence of the other direction.
    return (
        "\u2068"
        + QLocale().toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)
        + "\u2069"
    )


def datetime_text(value: datetime) -> str:
    moment = local(value)
    qdt = QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QDateTime.fromString(moment.strftime("%H:%M:%S"), "HH:mm:ss").time(),
    )
    return "\u2068" + QLocale().toString(qdt, QLocale.FormatType.ShortFormat) + "\u2069"


def error_text(error: DomainError) -> str:
    """A core error in the user's language, parameters filled in."""
    template = QCoreApplication.translate("core", error.message)
    try:
        return template.format(**error.params)
    except (KeyError, IndexError):
        return error.english()


def field_errors(error: DomainError) -> dict[str, str]:
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    out: dict[str, str] = {}
    for item in errors:
        out.setdefault(item.field or "", error_text(item))
    return out


def errors_text(error: DomainError) -> str:
    """Every message a refusal carries (a form may have several), in the user's language, in one line."""
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    return " ".join(error_text(e) for e in errors)


def show_refusal(label: QLabel, error: BaseException, text: Callable[[DomainError], str] = errors_text) -> None:
    """A background job's failure: a refusal is shown on ``label`` in the user's language, flagged as an error
    (red; ``ui.widgets.forms.say`` shows the next message that is not one); anything else is a fault, and is
    raised."""
    if not isinstance(error, DomainError):
        raise error
    say(label, text(error), error=True)


class Retranslating:
    """Mixin for widgets with a ``retranslate()``: called again whenever the language changes.

    Listed before the Qt base class (``class Page(Retranslating, QWidget)``) so its ``changeEvent`` is found first.
    """

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]
