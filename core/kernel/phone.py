"""Phone numbers as E.164 via libphonenumber, default region AE."""

from __future__ import annotations

import functools
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


_Desc = tuple[re.Pattern[str], frozenset[int]] | None


def _desc(desc: phonenumbers.PhoneNumberDesc | None) -> _Desc:
    if desc is None or not desc.national_number_pattern:
        return None
    return re.compile(desc.national_number_pattern), frozenset(desc.possible_length)


@functools.cache
def _uae_types() -> tuple[_Desc, tuple[_Desc, ...], _Desc, _Desc, bool]:
    """The UAE's number descriptions from libphonenumber's metadata, compiled once: the general one, those
    whose type is not a mobile's (in libphonenumber's order), the fixed line's, the mobile's."""
    md = phonenumbers.PhoneMetadata.metadata_for_region(DEFAULT_REGION)
    assert md is not None
    others = [md.premium_rate, md.toll_free, md.shared_cost, md.voip, md.personal_number, md.pager, md.uan]
    special = tuple(_desc(d) for d in [*others, md.voicemail])
    return (
        _desc(md.general_desc),
        special,
        _desc(md.fixed_line),
        _desc(md.mobile),
        md.same_mobile_and_fixed_line_pattern,
    )


def _for_length(desc: _Desc, length: int) -> re.Pattern[str] | None:
    """The description's pattern when a number of ``length`` digits may match it (any length when it names
    none), else None."""
    if desc is None or (desc[1] and length not in desc[1]):
        return None
    return desc[0]


_Plan = tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None, bool]


@functools.cache
def _uae_plan(length: int) -> _Plan:
    """``_uae_types`` for national numbers of ``length`` digits: the descriptions that cannot match that length
    left out, the types that are not a mobile's in one pattern (it matches when one of them does)."""
    general, special, fixed, mobile, same = _uae_types()
    others = [p.pattern for p in (_for_length(d, length) for d in special) if p is not None]
    joined = re.compile("|".join(f"(?:{p})" for p in others)) if others else None
    return _for_length(general, length), joined, _for_length(fixed, length), _for_length(mobile, length), same


def _uae_mobile(digits: str) -> bool:
    """libphonenumber's type of a UAE national number (its ``_number_type_helper``, in its order) is a mobile's:
    the same metadata and the same tests, without building and parsing a number (a test compares them)."""
    general, special, fixed, mobile, same = _uae_plan(len(digits))
    if general is None or general.fullmatch(digits) is None:
        return False
    if special is not None and special.fullmatch(digits) is not None:
        return False
    is_mobile = mobile is not None and mobile.fullmatch(digits) is not None
    if fixed is not None and fixed.fullmatch(digits) is not None:
        return same or is_mobile
    return not same and is_mobile


def is_mobile(text: str) -> bool:
    """Whether ``parse_phone(text)`` accepts ``text``. A UAE number in the stored form is classified from its
    digits without parsing (a fifth of a campaign's time went to parsing each recipient's); anything else is
    parsed."""
    stored = _STORED_UAE.fullmatch(text)
    if stored is not None:
        return _uae_mobile(stored[1])
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
