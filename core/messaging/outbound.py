"""The messages a channel sends, as plain values, and WhatsApp's limits checked before anything is sent.

The dispatcher builds these from outbox rows; sync.messaging turns them into provider requests. Every message
carries its outbox ``id``, which each client hands the provider as its client reference wherever the provider
takes one (Unifonic CorrelationID, SendGrid custom_args, WhatsApp biz_opaque_callback_data, a Twilio status
callback's query), so a status or a duplicate can always be traced to its outbox row.

WhatsApp's limits are Meta's published ones (reply buttons: at most 3, titles ≤ 20 characters and unique,
ids ≤ 256; lists: ≤ 10 rows in ≤ 10 sections, row titles ≤ 24, descriptions ≤ 72, button label ≤ 20; body
≤ 1024 for interactive messages and ≤ 4096 for text; header and footer ≤ 60). Checking them here gives the
template editor and the dispatcher one clear, translated refusal instead of a Graph API error code.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class SmsMessage:
    """``to`` is E.164 ('+9715…'); a promotional SMS is subject to quiet hours and the AD- sender id."""

    id: str
    to: str
    body: str
    promotional: bool = False


@dataclass(frozen=True)
class EmailMessage:
    """An email; ``html`` is built from ``text`` when None, and an Arabic one is laid out right to left."""

    id: str
    to: str
    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    to_name: str | None = None


def email_html(text: str, language: str, inner: str | None = None) -> str:
    """An email's HTML part: ``inner`` as given, or ``text`` in paragraphs (a blank line apart), escaped; in a
    right-to-left block when the message is Arabic. The template editor's preview shows exactly this."""
    if inner is None:
        paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        inner = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    if language == "ar":
        return f'<div dir="rtl" lang="ar" style="direction:rtl;text-align:right">{inner}</div>'
    return f'<div dir="ltr" lang="{html.escape(language)}">{inner}</div>'


# -- WhatsApp ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatsAppText:
    """Free text: only inside the 24 h customer-service window (else WhatsApp refuses with 131047)."""

    id: str
    to: str
    body: str
    preview_url: bool = False


@dataclass(frozen=True)
class WhatsAppTemplate:
    """An approved template: parameters in the approved order; one payload per quick-reply button."""

    id: str
    to: str
    name: str
    language: str  # "ar" or "en" (or a locale such as "en_US" the template was approved in)
    header_params: tuple[str, ...] = ()
    body_params: tuple[str, ...] = ()
    quick_replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplyButton:
    id: str
    title: str


@dataclass(frozen=True)
class WhatsAppButtons:
    """Interactive reply buttons (at most 3)."""

    id: str
    to: str
    body: str
    buttons: tuple[ReplyButton, ...]
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True)
class ListRow:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class ListSection:
    title: str | None
    rows: tuple[ListRow, ...]


@dataclass(frozen=True)
class WhatsAppList:
    """An interactive list: a button that opens sections of rows (at most 10 rows in all)."""

    id: str
    to: str
    body: str
    button: str
    sections: tuple[ListSection, ...]
    header: str | None = None
    footer: str | None = None


WhatsAppMessage = WhatsAppText | WhatsAppTemplate | WhatsAppButtons | WhatsAppList

TEXT_BODY_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
HEADER_MAX = 60
FOOTER_MAX = 60
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_ROWS_MAX = 10
LIST_SECTIONS_MAX = 10
LIST_BUTTON_MAX = 20
SECTION_TITLE_MAX = 24
ROW_ID_MAX = 200
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
TEMPLATE_PARAM_MAX = 1024  # a body parameter; a header text parameter is held to HEADER_MAX

_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")


def _too_long(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "Too long for WhatsApp: at most {max} characters, this has {length}."),
            field,
            max=limit,
            length=len(text),
        )


def _required(field: str, text: str | None) -> None:
    if not text or not text.strip():
        raise ValidationError(QT_TRANSLATE_NOOP("core", "This field is required."), field)


def validate_whatsapp(message: WhatsAppMessage) -> WhatsAppMessage:
    """Returns ``message`` when WhatsApp will take its shape; refuses (ValidationError naming the field) one
    past a limit, before any request is made."""
    _required("to", message.to)
    if isinstance(message, WhatsAppText):
        _required("body", message.body)
        _too_long("body", message.body, TEXT_BODY_MAX)
    elif isinstance(message, WhatsAppTemplate):
        _validate_template(message)
    elif isinstance(message, WhatsAppButtons):
        _validate_buttons(message)
    else:
        _validate_list(message)
    return message


def _validate_interactive_frame(body: str, header: str | None, footer: str | None) -> None:
    _required("body", body)
    _too_long("body", body, INTERACTIVE_BODY_MAX)
    if header is not None:
        _too_long("header", header, HEADER_MAX)
    if footer is not None:
        _too_long("footer", footer, FOOTER_MAX)


def _validate_template(message: WhatsAppTemplate) -> None:
    if not _TEMPLATE_NAME.match(message.name):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "A WhatsApp template name has lowercase letters, digits and underscores only."),
            "name",
        )
    if not _LANGUAGE.match(message.language):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Choose the template's language: ar or en."), "language")
    for value in message.header_params:
        _required("header", value)
        _too_long("header", value, HEADER_MAX)
    for value in message.body_params:
        _required("body", value)
        _too_long("body", value, TEMPLATE_PARAM_MAX)
    if len(message.quick_replies) > BUTTONS_MAX:
        _too_many("buttons", len(message.quick_replies), BUTTONS_MAX)
    for payload in message.quick_replies:
        _required("buttons", payload)
        _too_long("buttons", payload, BUTTON_ID_MAX)


def _too_many(field: str, count: int, limit: int) -> None:
    raise ValidationError(
        QT_TRANSLATE_NOOP("core", "WhatsApp allows at most {max} here; this has {count}."),
        field,
        max=limit,
        count=count,
    )


def _validate_buttons(message: WhatsAppButtons) -> None:
    _validate_interactive_frame(message.body, message.header, message.footer)
    if not message.buttons:
        _required("buttons", None)
    if len(message.buttons) > BUTTONS_MAX:
        _too_many("buttons", len(message.buttons), BUTTONS_MAX)
    titles: set[str] = set()
    ids: set[str] = set()
    for button in message.buttons:
        _required("buttons", button.title)
        _required("buttons", button.id)
        _too_long("buttons", button.title, BUTTON_TITLE_MAX)
        _too_long("buttons", button.id, BUTTON_ID_MAX)
        if button.title in titles or button.id in ids:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "Each WhatsApp button needs its own title and id."), "buttons"
            )
        titles.add(button.title)
        ids.add(button.id)


def _validate_list(message: WhatsAppList) -> None:
    _validate_interactive_frame(message.body, message.header, message.footer)
    _required("button", message.button)
    _too_long("button", message.button, LIST_BUTTON_MAX)
    if not message.sections:
        _required("rows", None)
    if len(message.sections) > LIST_SECTIONS_MAX:
        _too_many("sections", len(message.sections), LIST_SECTIONS_MAX)
    rows = [row for section in message.sections for row in section.rows]
    if not rows:
        _required("rows", None)
    if len(rows) > LIST_ROWS_MAX:
        _too_many("rows", len(rows), LIST_ROWS_MAX)
    if len({row.id for row in rows}) != len(rows):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Each WhatsApp list row needs its own id."), "rows")
    for section in message.sections:
        if section.title is not None:
            _too_long("sections", section.title, SECTION_TITLE_MAX)
        elif len(message.sections) > 1:
            # Meta requires a title on every section once there are several.
            _required("sections", None)
        for row in section.rows:
            _required("rows", row.id)
            _required("rows", row.title)
            _too_long("rows", row.id, ROW_ID_MAX)
            _too_long("rows", row.title, ROW_TITLE_MAX)
            if row.description is not None:
                _too_long("rows", row.description, ROW_DESCRIPTION_MAX)


# -- an interactive message kept on an outbox row ----------------------------------------------------------------


def interactive_payload(message: WhatsAppButtons | WhatsAppList) -> dict[str, object]:
    """Reply buttons or a list as an outbox row keeps them (``communications.interactive``): what the
    dispatcher makes the message again from, with the row's own id, recipient and body."""
    frame: dict[str, object] = {"header": message.header, "footer": message.footer}
    if isinstance(message, WhatsAppButtons):
        return {**frame, "type": "button", "buttons": [[b.id, b.title] for b in message.buttons]}
    sections = [{"title": s.title, "rows": [[r.id, r.title, r.description] for r in s.rows]} for s in message.sections]
    return {**frame, "type": "list", "button": message.button, "sections": sections}


def interactive_message(message_id: str, to: str, body: str, payload: object) -> WhatsAppButtons | WhatsAppList:
    """The message an outbox row's ``interactive`` describes, checked against WhatsApp's limits; ValidationError
    for a payload of another shape (a row written by a newer version, say)."""
    try:
        assert isinstance(payload, dict)
        header, footer = payload.get("header"), payload.get("footer")
        made: WhatsAppButtons | WhatsAppList
        if payload["type"] == "button":
            buttons = tuple(ReplyButton(str(i), str(t)) for i, t in payload["buttons"])
            made = WhatsAppButtons(message_id, to, body, buttons, header, footer)
        else:
            assert payload["type"] == "list"
            sections = tuple(
                ListSection(s.get("title"), tuple(ListRow(str(i), str(t), d) for i, t, d in s["rows"]))
                for s in payload["sections"]
            )
            made = WhatsAppList(message_id, to, body, str(payload["button"]), sections, header, footer)
    except (AssertionError, KeyError, TypeError, ValueError, AttributeError):
        raise ValidationError(
            QT_TRANSLATE_NOOP("core", "This WhatsApp list or set of buttons cannot be read."), "interactive"
        ) from None
    validate_whatsapp(made)
    return made
