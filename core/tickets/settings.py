"""The branch's ticket settings in the store's own settings (``store_settings``, never replicated: each till of a
branch keeps its own copy, set on the Branch settings page): opening hours, Ramadan's, the weekend, the SLA
hours by priority, when a resolved ticket's customer is asked again, and where the manager's alerts go.

``tickets.hours`` holds one JSON value, ``{"hours": [["10:00", "22:00"]], "ramadan_hours": null, "weekend":
[5, 6]}`` (weekday numbers, Monday 0). A stored value that no longer reads is left out (and logged): the
default hours apply, so a bad value never stops a ticket from getting a deadline.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.phone import parse_phone
from core.tickets.model import Priority
from core.tickets.sla import Shift, WorkingCalendar

if TYPE_CHECKING:
    from core.tickets.service import TicketSettings

HOURS_KEY = "tickets.hours"
SLA_KEY = "tickets.sla_hours"
SURVEY_AGAIN_KEY = "tickets.survey_again_days"
SURVEY_DELAY_KEY = "tickets.survey_delay_hours"
ALERT_EMAIL_KEY = "tickets.alert_email"
ALERT_WHATSAPP_KEY = "tickets.alert_whatsapp"
ALERT_LANGUAGE_KEY = "tickets.alert_language"
EMAIL_MAX = 254

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
log = logging.getLogger(__name__)


class Settings(Protocol):
    def setting(self, key: str) -> str | None: ...


def _clock(text: str) -> time:
    hour, minute = (int(part) for part in str(text).split(":"))
    return time(hour, minute)


def _shifts(value: Any) -> tuple[Shift, ...]:
    return tuple(Shift(_clock(start), _clock(end)) for start, end in value)


def hours_json(hours: tuple[Shift, ...], ramadan: tuple[Shift, ...] | None, weekend: frozenset[int]) -> str:
    def spans(shifts: tuple[Shift, ...]) -> list[list[str]]:
        return [[s.start.strftime("%H:%M"), s.end.strftime("%H:%M")] for s in shifts]

    return json.dumps(
        {
            "hours": spans(hours),
            "ramadan_hours": None if ramadan is None else spans(ramadan),
            "weekend": sorted(weekend),
        }
    )


def check_email(address: str | None) -> str | None:
    """The alert address as kept (None: no email alerts); refuses what is not an address."""
    text = (address or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX or not _EMAIL.match(text):
        raise ValidationError(QT_TRANSLATE_NOOP("core", "Enter an email address such as name@example.com."), "email")
    return text


def read_settings(store: Settings) -> TicketSettings:
    from core.tickets.service import TicketSettings

    found = TicketSettings()
    raw = store.setting(HOURS_KEY)
    if raw:
        try:
            value = json.loads(raw)
            ramadan = value.get("ramadan_hours")
            calendar = WorkingCalendar(
                hours=_shifts(value["hours"]),
                ramadan_hours=None if ramadan is None else _shifts(ramadan),
                weekend=frozenset(int(d) for d in value["weekend"]),
            )
            found = replace(found, hours=calendar.hours, ramadan_hours=calendar.ramadan_hours, weekend=calendar.weekend)
        except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
            log.warning("the stored opening hours do not read; the default hours apply")
    raw = store.setting(SLA_KEY)
    if raw:
        try:
            given = {Priority(k): float(v) for k, v in json.loads(raw).items() if float(v) > 0}
            found = replace(found, sla_hours={**found.sla_hours, **given})
        except (ValueError, AttributeError, TypeError):
            log.warning("the stored SLA hours do not read; the default hours apply")

    def number(key: str) -> float | None:
        text = store.setting(key)
        try:
            return max(0.0, float(text)) if text else None
        except ValueError:
            return None

    again = number(SURVEY_AGAIN_KEY)
    if again is not None:
        found = replace(found, survey_again_after=timedelta(days=again))
    delay = number(SURVEY_DELAY_KEY)
    if delay is not None:
        found = replace(found, survey_delay=timedelta(hours=delay))
    try:
        email = check_email(store.setting(ALERT_EMAIL_KEY))
    except ValidationError:
        email = None
    try:
        raw = store.setting(ALERT_WHATSAPP_KEY)
        mobile = parse_phone(raw, "alert_whatsapp") if raw else None
    except ValidationError:
        mobile = None
    language = store.setting(ALERT_LANGUAGE_KEY)
    return replace(
        found,
        alert_email=email,
        alert_whatsapp=mobile,
        alert_language=language if language in ("ar", "en") else "en",
    )
