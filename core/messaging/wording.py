"""A manager's wording of a template: what it may say, and how it will look on each channel before it is saved.

A wording is checked against what its event can fill in (core.messaging.templates.SUPPLIED), so a saved
template never leaves a customer's message half filled. The checks that depend on the filled-in text (SMS
parts, WhatsApp's length) are made on the text as a sample customer would get it: the limits apply to what is
sent, not to the braces of the template.

Refusals and warnings are DomainErrors (a translatable message and its parameters), raised for a save and
listed for the live preview, which shows them while the manager types:

- refused: an empty body; a brace left open or closed alone; ``{name}`` that is not a variable, or one the
  event does not supply; ``{0}``, ``{name.attr}``, ``{name:>10}``, ``{name!r}`` (formatting is not offered);
  an SMS over the configured parts limit; a WhatsApp text over 4,096 characters (it could never be sent);
- warned: an SMS over the warning level of parts (each part is billed); a WhatsApp text over 1,024
  characters (too long for an approved template's body, so it goes only inside the 24-hour window).

The preview renders the text once per language as each channel would carry it: a WhatsApp bubble (the text as
typed), the SMS with its encoding, the characters that forced UCS-2, its parts and cost per provider, and the
email's HTML (escaped, ``dir="rtl"`` for Arabic) exactly as core.messaging.outbound.email_html builds it for
SendGrid.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.kernel.errors import DomainError, ValidationError, ValidationErrors
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.money import fils_to_text
from core.messaging.outbound import INTERACTIVE_BODY_MAX, TEXT_BODY_MAX, email_html
from core.messaging.sms import PartsLimit, SmsRates, SmsText, analyse
from core.messaging.templates import KEYS, VARIABLES, render, supplied

CHANNELS = ("whatsapp", "sms", "email")
# The longest body an approved WhatsApp template may have; longer text goes only as a free-form reply.
WHATSAPP_TEMPLATE_BODY_MAX = INTERACTIVE_BODY_MAX
MAX_WORDING = 8000  # characters: no message of ours comes near it, and nothing larger is kept

# A sample customer the preview fills the variables with (fictional), in each language. Long enough names
# that the SMS count is a fair estimate for a real customer.
SAMPLE: dict[str, dict[str, object]] = {
    "en": {
        "name": "Fatima Al Mansoori",
        "first_name": "Fatima",
        "tier": "gold",
        "bonus": 500,
        "balance": 2340,
        "points": 2340,
        "date": "2025-12-31",
        "order_number": "S-000123",
        "total": fils_to_text(45_250),
        "amount": fils_to_text(50_000),
        "from_name": "Khalid",
        "note": "Happy birthday!",
        "balance_aed": fils_to_text(11_700),
        "branch": "Dubai Mall",
    },
    "ar": {
        "name": "فاطمة المنصوري",
        "first_name": "فاطمة",
        "tier": "gold",
        "bonus": 500,
        "balance": 2340,
        "points": 2340,
        "date": "2025-12-31",
        "order_number": "S-000123",
        "total": fils_to_text(45_250),
        "amount": fils_to_text(50_000),
        "from_name": "خالد",
        "note": "كل عام وأنت بخير!",
        "balance_aed": fils_to_text(11_700),
        "branch": "دبي مول",
    },
}


def _refusal(message: str, **params: object) -> ValidationError:
    return ValidationError(message, "body", **params)


def variables_used(wording: str) -> list[str]:
    """The variables ``wording`` names, in order, each once; refuses (ValidationError) a wording whose braces
    do not pair up or that uses formatting beyond a plain ``{name}``."""
    try:
        parsed = list(string.Formatter().parse(wording))
    except ValueError as exc:
        raise _refusal(
            QT_TRANSLATE_NOOP(
                "core",
                "A brace is not paired: write a variable as {example}, and a brace on its own as {open} or {close}.",
            ),
            example="{first_name}",
            open="{{",
            close="}}",
        ) from exc
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or not name.isidentifier() or spec or conversion:
            raise _refusal(
                QT_TRANSLATE_NOOP("core", "Write each variable as a plain name in braces, such as {example}."),
                example="{first_name}",
            )
        if name not in names:
            names.append(name)
    return names


def _listed(names: Iterable[str]) -> str:
    return ", ".join("{" + n + "}" for n in names)


def check_variables(key: str, wording: str) -> list[str]:
    """The variables of ``wording`` when it is not empty and every one is filled by ``key``'s event;
    refuses (ValidationError) otherwise."""
    if not wording.strip():
        raise _refusal(QT_TRANSLATE_NOOP("core", "Write the message: a template cannot be empty."))
    if len(wording) > MAX_WORDING:
        raise _refusal(
            QT_TRANSLATE_NOOP("core", "A template holds at most {max} characters."),
            max=MAX_WORDING,
        )
    names = variables_used(wording)
    allowed = supplied(key)
    for name in names:
        if name not in VARIABLES:
            raise _refusal(
                QT_TRANSLATE_NOOP("core", "{variable} is not a variable. This message can use {allowed}."),
                variable="{" + name + "}",
                allowed=_listed(allowed),
            )
        if name not in allowed:
            raise _refusal(
                QT_TRANSLATE_NOOP(
                    "core",
                    "This message cannot fill {variable}: its event does not supply it. It can use {allowed}.",
                ),
                variable="{" + name + "}",
                allowed=_listed(allowed),
            )
    return names


@dataclass(frozen=True)
class Preview:
    """A wording as a sample customer would get it in one language. ``text`` is empty while the wording has a
    problem that stops it being filled in; ``problems`` would refuse a save, ``warnings`` would not."""

    key: str
    language: str
    wording: str
    text: str
    sms: SmsText
    costs: dict[str, int]  # fils per provider, in SmsRates' order
    email_html: str
    problems: tuple[DomainError, ...] = ()
    warnings: tuple[DomainError, ...] = ()
    variables: tuple[str, ...] = field(default_factory=tuple)


def preview(
    key: str,
    language: str,
    wording: str,
    *,
    channels: Iterable[str] = CHANNELS,
    sample: Mapping[str, object] | None = None,
    rates: SmsRates | None = None,
    limit: PartsLimit | None = None,
) -> Preview:
    """How ``wording`` looks on each channel, with what would refuse or warn about saving it for
    ``channels``. Never raises for bad input: the editor shows the problems instead."""
    rates = rates or SmsRates()
    limit = limit or PartsLimit()
    values = dict(SAMPLE.get(language, SAMPLE["en"]), **(sample or {}))
    problems: list[DomainError] = []
    warnings: list[DomainError] = []
    names: list[str] = []
    text = ""
    try:
        names = check_variables(key, wording)
        text = render(key, language, values, wording).strip()
    except ValidationError as refusal:
        problems.append(refusal)
    except (KeyError, IndexError, ValueError):  # a variable the sample lacks: the checks above should stop it
        problems.append(_refusal(QT_TRANSLATE_NOOP("core", "This message cannot be filled in.")))
    sms = analyse(text)
    wanted = set(channels)
    if text and "sms" in wanted:
        try:
            limit.check(sms)
        except ValidationError as refusal:
            problems.append(refusal)
        else:
            if limit.warns(sms):
                warnings.append(
                    _refusal(
                        QT_TRANSLATE_NOOP(
                            "core", "This SMS goes as {parts} parts ({encoding}), each one billed. Can it be shorter?"
                        ),
                        parts=sms.parts,
                        encoding=sms.encoding,
                    )
                )
    if text and "whatsapp" in wanted:
        if len(text) > TEXT_BODY_MAX:
            problems.append(
                _refusal(
                    QT_TRANSLATE_NOOP("core", "Too long for WhatsApp: at most {max} characters, this has {length}."),
                    max=TEXT_BODY_MAX,
                    length=len(text),
                )
            )
        elif len(text) > WHATSAPP_TEMPLATE_BODY_MAX:
            warnings.append(
                _refusal(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "Over {max} characters: WhatsApp takes this only within 24 hours of the customer's last "
                        "message, not as an approved template.",
                    ),
                    max=WHATSAPP_TEMPLATE_BODY_MAX,
                )
            )
    return Preview(
        key,
        language,
        wording,
        text,
        sms,
        rates.estimate(sms) if text else {},
        email_html(text, language),
        tuple(problems),
        tuple(warnings),
        tuple(names),
    )


def check_wording(
    key: str,
    language: str,
    wording: str,
    channels: Iterable[str],
    *,
    sample: Mapping[str, object] | None = None,
    rates: SmsRates | None = None,
    limit: PartsLimit | None = None,
) -> Preview:
    """The preview of a wording about to be saved for ``channels``; refuses (ValidationErrors) one with any
    problem, or a channel or language that is not ours."""
    chosen = list(channels)
    if not chosen or any(c not in CHANNELS for c in chosen):
        raise ValidationErrors(
            [ValidationError(QT_TRANSLATE_NOOP("core", "Choose the channels this wording is for."), "channels")]
        )
    if language not in ("ar", "en"):
        raise ValidationErrors(
            [ValidationError(QT_TRANSLATE_NOOP("core", "Choose the template's language: ar or en."), "language")]
        )
    if key not in KEYS:
        raise ValidationErrors([ValidationError(QT_TRANSLATE_NOOP("core", "There is no such template."), "key")])
    seen = preview(key, language, wording, channels=chosen, sample=sample, rates=rates, limit=limit)
    if seen.problems:
        raise ValidationErrors([_as_validation(p) for p in seen.problems])
    return seen


def _as_validation(error: DomainError) -> ValidationError:
    return error if isinstance(error, ValidationError) else ValidationError(error.message, error.field, **error.params)
