"""Phone numbers as E.164 via libphonenumber, default region AE."""

from __future__ import annotations

import re

import phonenumbers

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.text import ascii_digits

DEFAULT_REGION = "AE"
# A UAE number as stored (E.164, no national prefix): its country code and national number need no parsing.
_STORED_UAE = re.compile(r"\+971([1-9][0-9]{7,8})")
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def parse_phone(text: str, field: str = "mobile", *, mobile_only: bool = True) -> str:
    """Any typed form ('050 123 4567', '+971 50…', '00971…', Arabic-Indic digits) → '+971501234567'."""
    raw = ascii_digits(text or "").strip()
    if any(c.isalpha() for c in raw):  # libphonenumber reads "CALL NOW" as keypad digits 2255 669
        raise ValidationError(QT_TRANSLATE_NOOP("core", "A phone number has digits only: remove the letters."), field)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Enter a phone number such as 050 123 4567 or +971 50 123 4567."), field
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "This phone number is not valid. Check the digits and the country code."), field
        )
    if mobile_only and number.country_code == 971 and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter a UAE mobile number (it starts with 05)."), field)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def is_mobile(text: str) -> bool:
    """Whether ``parse_phone(text)`` accepts ``text``. A UAE number in the stored form is classified from its
    digits without parsing (a quarter of the time: a campaign asks this of every recipient); anything else is
    parsed."""
    stored = _STORED_UAE.fullmatch(text)
    if stored is not None:
        # A UAE number is valid when libphonenumber gives it a type, and a mobile when that type is one.
        number = phonenumbers.PhoneNumber(country_code=971, national_number=int(stored[1]))
        return phonenumbers.number_type(number) in _MOBILE_TYPES
    try:
        parse_phone(text)
    except ValidationError:
        return False
    return True


def format_phone(e164: str, *, international: bool = False) -> str:
    number = phonenumbers.parse(e164, None)
    if number.country_code == 971 and not international:
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def search_forms(e164: str) -> list[str]:
    """Digit strings a cashier may type the start of: 971501234567, 0501234567, 501234567."""
    digits = e164.lstrip("+")
    if digits.startswith("971") and digits.isdigit():
        # Nearly every customer; the country code is known, so no parse is needed (it cost 70 µs a customer
        # when a sync applies a backlog of thousands).
        national = digits[3:].lstrip("0")
        return [digits, national, "0" + national]
    number = phonenumbers.parse(e164, None)
    national = str(number.national_number)
    forms = [digits, national]
    if number.country_code == 971:
        forms.append("0" + national)
    return forms
