"""Customers: the profile a branch keeps, its validation and its audit history."""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum

from core.kernel.arguments import date_arg, text_arg
from core.kernel.emirates_id import parse_emirates_id
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.phone import parse_phone
from core.kernel.text import ascii_digits, clean_text


class Segment(StrEnum):
    VIP = "vip"
    REGULAR = "regular"
    WHOLESALE = "wholesale"
    EXPORT = "export"
    CORPORATE = "corporate"


class Emirate(StrEnum):
    ABU_DHABI = "abu_dhabi"
    DUBAI = "dubai"
    SHARJAH = "sharjah"
    AJMAN = "ajman"
    UMM_AL_QUWAIN = "umm_al_quwain"
    RAS_AL_KHAIMAH = "ras_al_khaimah"
    FUJAIRAH = "fujairah"


class Language(StrEnum):
    ARABIC = "ar"
    ENGLISH = "en"


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"
    PHONE = "phone"


NAME_MAX = 60
EMAIL_MAX = 120
ADDRESS_MAX = 200
NOTES_MAX = 2000
# A local part without empty dot-separated pieces, then a domain of non-empty labels: no "a..b", no "@.".
_EMAIL_RE = re.compile(r"^[^@\s.]+(\.[^@\s.]+)*@([^@\s.]+\.)+[^@\s.]{2,}$")
_PO_BOX_RE = re.compile(r"^[0-9]+$")


HOME_ZONE = "Asia/Dubai"
ZONE_MAX = 40


def customer_zone(segment: str, time_zone: str | None) -> str:
    """A customer's zone: an export customer's own when recorded, Asia/Dubai for everyone else."""
    return time_zone if segment == Segment.EXPORT and time_zone else HOME_ZONE


@functools.cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def parse_zone(text: str, segment: str) -> str | None:
    """The IANA name of a typed time zone ("europe/london" → "Europe/London"); None for none or Asia/Dubai.
    Only an export customer has one: anyone else lives in the UAE."""
    typed = (text or "").strip()
    if not typed:
        return None
    name = _zone_names().get(typed.casefold()) if len(typed) <= ZONE_MAX else None
    if name is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Enter a time zone such as Europe/London or Asia/Riyadh."), "time_zone"
        )
    if segment != Segment.EXPORT:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Only an export customer abroad has a time zone of their own."), "time_zone"
        )
    return None if name == HOME_ZONE else name


@dataclass(frozen=True)
class CustomerDraft:
    """What a form sends: text as typed. ``validate`` turns it into clean, typed field values."""

    first_name_en: str = ""
    last_name_en: str = ""
    first_name_ar: str = ""
    last_name_ar: str = ""
    mobile: str = ""
    email: str = ""
    segment: str = Segment.REGULAR
    emirate: str = ""
    area: str = ""
    address_line: str = ""
    po_box: str = ""
    birthday: date | None = None
    preferred_language: str = Language.ARABIC
    preferred_channel: str = Channel.WHATSAPP
    consent_whatsapp: bool = False
    consent_sms: bool = False
    consent_email: bool = False
    emirates_id: str = ""
    notes: str = ""
    time_zone: str = ""  # an export customer abroad: an IANA name ("Europe/London"); empty is Asia/Dubai
    # What staff changed of the customer's consent on the form: (channel, purpose, granted) answers, recorded
    # in the consent ledger (core.messaging.consent), not on the profile.
    consent: tuple[tuple[str, str, bool], ...] = ()
    # Sensitive fields the form showed masked and staff did not reveal: an edit keeps their stored values.
    withheld: frozenset[str] = frozenset()


# Profile fields a change can touch (register fields, merged per field at sync).
PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CustomerDraft) if f.name not in ("consent", "withheld"))


def display_name(
    first_en: str | None, last_en: str | None, first_ar: str | None, last_ar: str | None, language: str = "en"
) -> str:
    """A customer's full name in ``language``, else in the other one ("" when they have none)."""
    en = " ".join(p for p in (first_en, last_en) if p)
    ar = " ".join(p for p in (first_ar, last_ar) if p)
    if language == "ar":
        return ar or en
    return en or ar


@dataclass(frozen=True)
class CustomerProfile:
    id: str
    number: str
    branch_id: str
    first_name_en: str | None
    last_name_en: str | None
    first_name_ar: str | None
    last_name_ar: str | None
    mobile: str | None
    email: str | None
    segment: Segment
    emirate: Emirate | None
    area: str | None
    address_line: str | None
    po_box: str | None
    birthday: date | None
    preferred_language: Language
    preferred_channel: Channel
    consent_whatsapp: bool
    consent_sms: bool
    consent_email: bool
    emirates_id: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime
    time_zone: str | None = None  # only an export customer's; None is Asia/Dubai (see ``zone``)
    # Sensitive fields given masked (core.privacy.audit): (field, mask) pairs; the field itself is None.
    masked: tuple[tuple[str, str], ...] = ()

    def mask_of(self, name: str) -> str | None:
        """The mask shown for ``name`` when it was withheld, else None."""
        return next((text for field_name, text in self.masked if field_name == name), None)

    erased_at: datetime | None = None  # head office approved their erasure (core.privacy.erasure)

    @property
    def zone(self) -> str:
        """The IANA zone the customer lives in: their own for an export customer abroad, else Asia/Dubai."""
        return customer_zone(self.segment, self.time_zone)

    def display_name(self, language: str = "en") -> str:
        return display_name(self.first_name_en, self.last_name_en, self.first_name_ar, self.last_name_ar, language)

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in PROFILE_FIELDS}


@dataclass(frozen=True)
class CustomerSummary:
    id: str
    number: str
    name_en: str
    name_ar: str
    mobile: str | None
    email: str | None
    segment: Segment
    emirate: Emirate | None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    staff_name: str
    branch_name: str
    staff_name_ar: str = ""
    branch_name_ar: str = ""
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)


def _enum(kind: type[StrEnum], value: str, name: str, message: str) -> StrEnum:
    try:
        return kind(value)
    except ValueError as exc:
        raise ValidationError(message, name) from exc


def validate(draft: CustomerDraft, today: date) -> dict[str, object]:
    """Clean values for every profile field, or ValidationErrors naming each bad field."""
    errors: list[ValidationError] = []
    out: dict[str, object] = {}

    def take(name: str, fn: object) -> None:
        try:
            out[name] = fn() if callable(fn) else fn
        except ValidationError as err:
            errors.append(err)

    for name in ("first_name_en", "last_name_en", "first_name_ar", "last_name_ar"):
        take(name, lambda n=name: clean_text(getattr(draft, n), n, max_length=NAME_MAX))
    if not any(out.get(n) for n in ("first_name_en", "first_name_ar")) and not any(
        e.field in ("first_name_en", "first_name_ar") for e in errors
    ):
        errors.append(
            ValidationError(
                QT_TRANSLATE_NOOP("core", "Enter the customer's first name in English or Arabic."), "first_name_en"
            )
        )
    take("mobile", lambda: text_arg(draft.mobile, "mobile"))
    mobile = str(out.pop("mobile", "") or "")
    take("mobile", lambda: parse_phone(mobile) if mobile.strip() else None)
    if not mobile.strip() and not any(e.field == "mobile" for e in errors):
        errors.append(ValidationError(QT_TRANSLATE_NOOP("core", "Enter the customer's mobile number."), "mobile"))

    def email() -> str | None:
        text = clean_text(draft.email, "email", max_length=EMAIL_MAX)
        if text is None:
            return None
        if not _EMAIL_RE.match(text):
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Enter an email address such as name@example.com."), "email"
            )
        return text.lower()

    take("email", email)
    take(
        "segment",
        lambda: _enum(Segment, draft.segment, "segment", QT_TRANSLATE_NOOP("core", "Choose a segment from the list.")),
    )
    take(
        "emirate",
        lambda: (
            _enum(Emirate, draft.emirate, "emirate", QT_TRANSLATE_NOOP("core", "Choose an emirate from the list."))
            if draft.emirate
            else None
        ),
    )
    take("area", lambda: clean_text(draft.area, "area", max_length=NAME_MAX))
    take("address_line", lambda: clean_text(draft.address_line, "address_line", max_length=ADDRESS_MAX))

    def po_box() -> str | None:
        text = clean_text(draft.po_box, "po_box", max_length=10)
        if text is None:
            return None
        digits = ascii_digits(text)  # stored as ASCII digits whichever digits were typed
        if not _PO_BOX_RE.match(digits):  # str.isdigit() would let superscripts and other digit-likes in
            raise ValidationError(QT_TRANSLATE_NOOP("core", "A P.O. Box is digits only."), "po_box")
        return digits

    take("po_box", po_box)

    def birthday() -> date | None:
        if draft.birthday is None:
            return None
        born = date_arg(draft.birthday, "birthday")
        if born > today:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "A birthday cannot be in the future."), "birthday")
        if born.year < 1900:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Check the birthday's year."), "birthday")
        return born

    take("birthday", birthday)
    take(
        "preferred_language",
        lambda: _enum(
            Language,
            draft.preferred_language,
            "preferred_language",
            QT_TRANSLATE_NOOP("core", "Choose Arabic or English."),
        ),
    )
    take(
        "preferred_channel",
        lambda: _enum(
            Channel,
            draft.preferred_channel,
            "preferred_channel",
            QT_TRANSLATE_NOOP("core", "Choose a channel from the list."),
        ),
    )
    for name in ("consent_whatsapp", "consent_sms", "consent_email"):
        out[name] = bool(getattr(draft, name))
    take("emirates_id", lambda: text_arg(draft.emirates_id, "emirates_id"))
    emirates_id = str(out.pop("emirates_id", "") or "")
    take("emirates_id", lambda: parse_emirates_id(emirates_id) if emirates_id.strip() else None)
    take("notes", lambda: clean_text(draft.notes, "notes", max_length=NOTES_MAX, multiline=True))
    take("time_zone", lambda: parse_zone(text_arg(draft.time_zone, "time_zone") or "", str(draft.segment)))
    if errors:
        raise ValidationErrors(errors)
    return out


def draft_from(profile: CustomerProfile) -> CustomerDraft:
    """The form's starting point for an edit."""
    values = profile.values()
    kwargs: dict[str, object] = {}
    for name in PROFILE_FIELDS:
        value = values[name]
        if name == "birthday" or isinstance(value, bool):
            kwargs[name] = value
        else:
            kwargs[name] = "" if value is None else str(value)
    withheld = frozenset(name for name, _mask in profile.masked)
    return CustomerDraft(**kwargs, withheld=withheld)  # type: ignore[arg-type]
