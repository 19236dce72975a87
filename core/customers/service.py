"""Customer use cases: find, open, create, edit, history, reveal a sensitive field. Each is one unit of work.

The sensitive fields (core.privacy.audit: Emirates ID, birthday, notes) leave this service masked, except
through ``reveal``, which audits the read, and in what ``create`` and ``update`` return of the values the
caller itself sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.customers.model import Channel, CustomerDraft, CustomerProfile, CustomerSummary, HistoryEntry, validate
from core.customers.ports import CustomerUnitOfWork
from core.customers.search import email_query, query_terms
from core.kernel.errors import Conflict, NotFound, ValidationError, ValidationErrors
from core.kernel.events import ConsentRecorded, CustomerRegistered
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWorkFactory
from core.privacy.audit import SENSITIVE_FIELDS, SENSITIVE_READ, mask, masked_changes, refuse_unknown_field
from core.staff.auth import Actor, Permission

SEARCH_LIMIT = 50


class CustomerService:
    def __init__(self, uow: UnitOfWorkFactory[CustomerUnitOfWork], clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[CustomerSummary]:
        """Customers whose names (either script), phone, email or number start with what was typed.

        A typed email ('mohammed@example.a', 'mohammed.al', '@example.a') is looked up by the start of the
        stored email, or of its domain, in an index: as words, "example" and "a" match most customers and
        cost tens of milliseconds at a million. See ``EmailQuery`` for when the words are searched instead."""
        email = email_query(text)
        terms = query_terms(text)
        if email is None and not terms:
            return []
        with self._uow(None) as uow:
            if email is not None:
                found = uow.customers.search_email(email.prefix, email.domain, limit)
                if found or not (email.or_words and terms):
                    return found
            return uow.customers.search(terms, limit)

    def get(self, customer_id: str) -> CustomerProfile:
        """The profile with its sensitive fields masked (``reveal`` gives one in full)."""
        with self._uow(None) as uow:
            profile = uow.customers.get(customer_id)
        if profile is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
        return masked(profile)

    def reveal(self, actor: Actor, customer_id: str, field: str) -> str | date | None:
        """The full value of one sensitive field, and a ``sensitive_read`` security event saying who read it,
        when, where, and which field of which customer: one audit row per call."""
        actor.require(Permission.VIEW_CUSTOMERS)
        refuse_unknown_field(field)
        with self._uow(actor) as uow:
            profile = uow.customers.get(customer_id)
            if profile is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            uow.security_event(SENSITIVE_READ, {"customer_id": customer_id, "field": field})
            uow.commit()
        value = getattr(profile, field)
        return value if isinstance(value, str | date) else None

    def create(self, actor: Actor, draft: CustomerDraft) -> CustomerProfile:
        """Refuses invalid fields (all reported at once) and a mobile already on another customer."""
        actor.require(Permission.EDIT_CUSTOMERS)
        values = validate(draft, self._clock.today())
        _check_consent(draft)
        with self._uow(actor) as uow:
            self._refuse_duplicate_mobile(uow.customers.id_by_mobile(str(values["mobile"])), None)
            profile = uow.customers.add(values)
            uow.raise_event(CustomerRegistered(profile.id))
            self._record_consent(uow, actor, profile.id, draft)
            uow.commit()
        return profile  # every value is the caller's own

    def update(self, actor: Actor, customer_id: str, draft: CustomerDraft) -> CustomerProfile:
        """Writes only the fields that changed; an edit that changes nothing writes nothing."""
        actor.require(Permission.EDIT_CUSTOMERS)
        values = validate(draft, self._clock.today())
        _check_consent(draft)
        withheld = draft.withheld & set(SENSITIVE_FIELDS)
        values = {k: v for k, v in values.items() if k not in withheld}
        with self._uow(actor) as uow:
            current = uow.customers.get(customer_id)
            if current is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
            if current.erased_at is not None:
                raise Conflict(
                    QT_TRANSLATE_NOOP("core", "This customer's data was erased at their request: it cannot be edited.")
                )
            before = current.values()
            changes = {k: v for k, v in values.items() if before.get(k) != v}
            if not changes and not draft.consent:
                return masked(current, withheld)
            if "mobile" in changes:
                self._refuse_duplicate_mobile(uow.customers.id_by_mobile(str(changes["mobile"])), customer_id)
            profile = uow.customers.update(customer_id, changes) if changes else current
            self._record_consent(uow, actor, customer_id, draft)
            uow.commit()
        return masked(profile, withheld)  # what the caller sent in full, what it did not see masked

    def history(self, actor: Actor, customer_id: str, limit: int = 200) -> list[HistoryEntry]:
        """The customer's changes, newest first; sensitive values masked on both sides of a change."""
        actor.require(Permission.VIEW_CUSTOMERS)
        with self._uow(None) as uow:
            entries = uow.customers.history(customer_id, limit)
        return [replace(e, changes=masked_changes(e.changes)) for e in entries]

    def _record_consent(self, uow: CustomerUnitOfWork, actor: Actor, customer_id: str, draft: CustomerDraft) -> None:
        """The consent answers of the form go to the consent ledger (messaging's handler), in this transaction."""
        if draft.consent:
            uow.raise_event(ConsentRecorded(customer_id, actor.staff_id, self._clock.now(), tuple(draft.consent)))

    @staticmethod
    def _refuse_duplicate_mobile(existing: str | None, customer_id: str | None) -> None:
        if existing is not None and existing != customer_id:
            raise ValidationErrors(
                [
                    ValidationError(
                        QT_TRANSLATE_NOOP("core", "Another customer already has this mobile number. Search for them."),
                        "mobile",
                    )
                ]
            )


def masked(profile: CustomerProfile, fields: frozenset[str] = frozenset(SENSITIVE_FIELDS)) -> CustomerProfile:
    """``profile`` with each of ``fields`` that holds a value replaced by None, its mask in ``masked``."""
    hidden = [(name, mask(name, getattr(profile, name))) for name in SENSITIVE_FIELDS if name in fields]
    hidden = [(name, text) for name, text in hidden if text]
    if not hidden:
        return profile
    cleared: dict[str, object] = {name: None for name, _text in hidden}
    return replace(profile, masked=tuple(hidden), **cleared)  # type: ignore[arg-type]


# What consent the form can answer: the channels messages go on, for either purpose.
CONSENT_CHANNELS = (Channel.WHATSAPP.value, Channel.SMS.value, Channel.EMAIL.value)
CONSENT_PURPOSES = ("transactional", "promotional")


def _check_consent(draft: CustomerDraft) -> None:
    for answer in draft.consent:
        channel, purpose, granted = answer if len(answer) == 3 else ("", "", None)
        if channel not in CONSENT_CHANNELS or purpose not in CONSENT_PURPOSES or not isinstance(granted, bool):
            raise ValidationErrors(
                [ValidationError(QT_TRANSLATE_NOOP("core", "Record consent with the form's boxes."), "consent")]
            )


__all__ = ["Conflict", "CustomerService"]
