"""The sensitive customer fields, their masks, and the audit trail that records every full read of one.

Sensitive here means what a sale or a service at the till does not need and what would harm the customer if a
curious colleague read it: the Emirates ID (an identity document number), the date of birth, and the notes
(free text staff write about the customer: health, family, complaints). They are shown masked; the full value
comes only from ``CustomerService.reveal``, which writes one ``sensitive_read`` security event (who, when,
which field, which customer, which terminal, replicated to head office) for each reveal.

The mobile number and the email are not masked: staff find the customer by them, read them back to confirm who
is at the counter and send the receipt to them, many times a day for every customer. Auditing each of those
reads would bury the few reads that matter under thousands that do not, and masking them would slow every sale.
They are protected by the store's encryption and the roles, not by an audited reveal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.kernel.i18n import QT_TRANSLATE_NOOP

SENSITIVE_FIELDS: tuple[str, ...] = ("emirates_id", "birthday", "notes")
SENSITIVE_READ = "sensitive_read"  # the security event kind of a reveal

_DOT = "\u2022"
NOTES_MASK = _DOT * 8  # one length whatever the notes hold: the mask says nothing of their size
BIRTHDAY_MASK = f"{_DOT * 4}-{_DOT * 2}-{_DOT * 2}"


def is_sensitive(name: str) -> bool:
    return name in SENSITIVE_FIELDS


def mask(name: str, value: object) -> str:
    """What the screen shows of a sensitive value: the Emirates ID's "784" and check digit, nothing else."""
    if value is None or value == "":
        return ""
    if name == "emirates_id":
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        if len(digits) == 15:
            return f"{digits[:3]}-{_DOT * 4}-{_DOT * 7}-{digits[-1]}"
        return _DOT * 8
    if name == "birthday":
        return BIRTHDAY_MASK
    return NOTES_MASK


def masked_value(name: str, value: object) -> object:
    """A history change's old or new value as anyone but a reveal may see it."""
    return mask(name, value) if is_sensitive(name) and value not in (None, "") else value


def refuse_unknown_field(name: str) -> None:
    from core.kernel.errors import ValidationError

    if not is_sensitive(name):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field cannot be revealed."), "field")


# -- the audit trail ------------------------------------------------------------------------------------------

KIND_HISTORY = "history"  # a change to a customer (customer_history)
KIND_SECURITY = "security"  # sign-ins, lockouts, failed gift-card look-ups… (security_events)
KIND_SENSITIVE_READ = "sensitive_read"  # a sensitive field revealed (security_events, kind sensitive_read)
TRAIL_KINDS = (KIND_HISTORY, KIND_SECURITY, KIND_SENSITIVE_READ)
TRAIL_PAGE = 200


@dataclass(frozen=True)
class TrailFilter:
    """What the admin asked to see; every criterion optional. ``until`` is exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    staff_id: str | None = None
    customer: str | None = None  # a customer's id or number
    kind: str | None = None  # one of TRAIL_KINDS
    field: str | None = None  # a profile field (changed or revealed), or a security event's kind
    branch_id: str | None = None


# Where a page of the trail ends: the last entry's time and id (entries are ordered by both, newest first).
TrailCursor = tuple[datetime, str]


@dataclass(frozen=True)
class TrailEntry:
    """One line of the audit trail. ``fields`` names the changed or revealed fields (a security event: its
    kind); ``detail`` is the change or the event's detail, sensitive values masked."""

    id: str
    at: datetime
    kind: str
    action: str
    staff_id: str | None
    staff_name: str
    staff_name_ar: str
    branch_id: str
    branch_name: str
    branch_name_ar: str
    customer_id: str | None
    customer_name: str
    customer_name_ar: str
    terminal: str
    fields: tuple[str, ...]
    detail: dict[str, object]

    @property
    def cursor(self) -> TrailCursor:
        return (self.at, self.id)


@dataclass(frozen=True)
class TrailChoices:
    """What the filters offer: the staff and branches of this store, by id → (English, Arabic) names."""

    staff: dict[str, tuple[str, str]]
    branches: dict[str, tuple[str, str]]


def masked_changes(changes: dict[str, tuple[object, object]]) -> dict[str, tuple[object, object]]:
    return {name: (masked_value(name, old), masked_value(name, new)) for name, (old, new) in changes.items()}
