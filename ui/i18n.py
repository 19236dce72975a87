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
from core.kernel.phone import format_phone
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
        # English has a catalogue too: only the plural forms ("1 attempt left", "2 attempts left"), since
        # Qt's source text cannot say both.
        ours = QTranslator(self)
        if not ours.load(str(TRANSLATIONS / f"{code}.qm")):
            raise FileNotFoundError(f"{TRANSLATIONS / f'{code}.qm'} is missing: run scripts/setup.sh")
        if code == "ar":
            qt = QTranslator(self)
            if qt.load("qtbase_ar", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self._translators.append(qt)
        self._translators.append(ours)
        for translator in self._translators:
            self._app.installTranslator(translator)
        if code == "ar":
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


LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRM, RLM = "\u200e", "\u200f"


def ltr(text: str) -> str:
    """Isolates a left-to-right value (phone, email, code, path, signed number) so Arabic text around it cannot
    reorder it: '+971 50 123 4567' keeps its groups in order inside a right-to-left line."""
    return f"{LRI}{text}{PDI}" if text else text


def phone_text(e164: str | None) -> str:
    """A stored phone number as staff read it ('052 117 1692', '+44 20 …'), always one left-to-right run."""
    return ltr(format_phone(e164)) if e164 else ""


def in_ui_direction(text: str) -> str:
    """Starts ``text`` with the mark of the interface's direction, so a line that opens with a code, a number
    or a name in the other script is still laid out and aligned as the rest of the screen (Qt takes a label's
    direction from its first strong character; isolated values have none)."""
    return (RLM if is_arabic() else LRM) + text if text else text


def local_name(en: str | None, ar: str | None) -> str:
    """A stored name in the interface's language: the Arabic name on Arabic screens, the English one otherwise,
    each falling back to the other when it was left empty (staff, branches, customers, rewards, products)."""
    en, ar = en or "", ar or ""
    return (ar or en) if is_arabic() else (en or ar)


def number(value: int) -> str:
    """An integer in the current locale; a negative one keeps its minus on the left in Arabic too."""
    text = QLocale().toString(value)
    return ltr(text) if value < 0 and is_arabic() else text


def signed_number(value: int) -> str:
    """'+120' / '-40' in the current locale, the sign kept on the left of the digits in Arabic too."""
    text = ("+" if value > 0 else "") + QLocale().toString(value)
    return ltr(text) if is_arabic() else text


def money(fils: int) -> str:
    """Fils as dirhams in the current locale: 'AED 1,234.50', 'AED -125.00' / '1,234.50 د.إ', '-125.00 د.إ'."""
    # The locale only groups and spells the digits; the split into dirhams and fils stays integer (exact).
    whole, part = fils_to_text(abs(fils)).split(".")
    locale = QLocale()
    amount = locale.toString(int(whole)) + locale.decimalPoint() + "".join(locale.toString(int(d)) for d in part)
    if fils < 0:
        amount = "-" + amount
    if is_arabic():
        # In a right-to-left line a leading minus is drawn after the digits ("125.00-") and two amounts side by
        # side can merge: the signed amount is one left-to-right run.
        amount = ltr(amount)
    return QCoreApplication.translate("money", "AED {amount}").format(amount=amount)


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


class CountedMessages(QObject):
    """Core messages that count something, in their plural forms.

    core cannot import Qt, and lupdate gives plural forms only to ``self.tr(text, "", n)`` calls, so the counted
    messages are restated here: each core message maps to the parameter holding the count and to the same
    sentence with "(s)" plurals, which ar.ts translates in Arabic's six forms and en.ts in English's two.
    """

    def sources(self, n: int) -> dict[str, tuple[str, str]]:

        return {
            "Wrong PIN. {left} attempts left before the account locks.": (
                "left",
                self.tr("Wrong PIN. {left} attempt(s) left before the account locks.", "", n),
            ),
            "Too many wrong PINs. Try again in {minutes} minutes or ask a manager.": (
                "minutes",
                self.tr("Too many wrong PINs. Try again in {minutes} minute(s) or ask a manager.", "", n),
            ),
            "Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minutes; "
            "ask a manager.": (
                "minutes",
                self.tr(
                    "Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minute(s); "
                    "ask a manager.",
                    "",
                    n,
                ),
            ),
            "The customer has already claimed this reward {limit} time(s), the most allowed.": (
                "limit",
                self.tr("The customer has already claimed this reward {limit} time(s), the most allowed.", "", n),
            ),
            "The customer holds {balance} points; redeem at most that.": (
                "balance",
                self.tr("The customer holds {balance} point(s); redeem at most that.", "", n),
            ),
            "Redeem at least {min} points at a time.": (
                "min",
                self.tr("Redeem at least {min} point(s) at a time.", "", n),
            ),
            "The customer holds {balance} points; this reward needs {cost}.": (
                "balance",
                self.tr("The customer holds {balance} point(s); this reward needs {cost}.", "", n),
            ),
            "This branch has been out of touch with head office for more than {hours} hours, so "
            "redemptions wait until it is back. Take another payment method.": (
                "hours",
                self.tr(
                    "This branch has been out of touch with head office for more than {hours} hour(s), so "
                    "redemptions wait until it is back. Take another payment method.",
                    "",
                    n,
                ),
            ),
            "Balances here were last brought up to date more than {hours} hours ago, so redemptions wait "
            "until head office is back. Take another payment method.": (
                "hours",
                self.tr(
                    "Balances here were last brought up to date more than {hours} hour(s) ago, so redemptions wait "
                    "until head office is back. Take another payment method.",
                    "",
                    n,
                ),
            ),
        }


def _plural_count(value: object) -> int:
    """The count that picks a plural form; a fraction (1.5 hours) takes the general plural."""
    try:
        number = float(str(value))
    except ValueError:
        return 100
    return int(number) if number.is_integer() and number >= 0 else 100


def counted_template(message: str, params: dict[str, object]) -> str | None:
    """The plural-aware translation of a counting core message, or None for any other message."""
    counted = CountedMessages()
    entry = counted.sources(0).get(message)
    if entry is None or entry[0] not in params:
        return None
    return counted.sources(_plural_count(params[entry[0]]))[message][1]


def error_text(error: DomainError) -> str:
    """A core error in the user's language, parameters filled in, counted words in the right plural."""
    template = counted_template(error.message, error.params) or QCoreApplication.translate("core", error.message)
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
