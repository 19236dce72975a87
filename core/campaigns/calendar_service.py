"""The announced dates that override the calculated calendar: a chain-wide fact, kept in a replicated register.

An occasion's announced date is the same at every branch, so the overrides are a register keyed by the
occurrence (occasion, year, and whether only its holiday moved): a date recorded at any branch or at head
office's campaign node reaches all of them by sync, last writer wins by HLC, and a removal is a tombstone. A
manager or an administrator sets them; every change is audited by a security event written in the same
transaction (with its change-log row, so it reaches head office too).

Stores from before the register kept them as one JSON value of the store's own settings
(``store_settings[OVERRIDES_SETTING_KEY]``); ``adopt_setting`` moves that value into the register once, when
the store's services are first built after the upgrade (storage.bootstrap.adopt_calendar_setting).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from core.campaigns.calendar import OccasionCalendar, Override
from core.kernel.errors import ValidationError
from core.kernel.ports import UnitOfWork
from core.staff.auth import Actor, Permission

OVERRIDES_SETTING_KEY = "calendar_overrides"

log = logging.getLogger(__name__)


class CalendarSettings(Protocol):
    """This store's own key/value settings (never replicated)."""

    def setting(self, key: str) -> str | None: ...

    def save_setting(self, key: str, value: str) -> None: ...


class CalendarRepository(Protocol):
    """The chain's announced dates, one per occurrence (a replicated register)."""

    def overrides(self) -> list[Override]: ...

    def put(self, override: Override) -> None: ...

    def remove(self, override: Override) -> None: ...


class CalendarUnitOfWork(UnitOfWork, Protocol):
    settings: CalendarSettings
    calendar: CalendarRepository

    def security_event(self, kind: str, detail: dict[str, object]) -> None: ...


CalendarUowFactory = Callable[[Actor | None], CalendarUnitOfWork]


def read_overrides(value: str | None) -> list[Override]:
    """The stored overrides; an entry that no longer reads or validates is left out (and logged), so a bad
    value never stops the tills from working out their holidays."""
    if not value:
        return []
    try:
        entries = json.loads(value)
    except ValueError:
        log.warning("the stored calendar overrides are not JSON; the calculated dates apply")
        return []
    found: dict[tuple[object, ...], Override] = {}
    for entry in entries if isinstance(entries, list) else []:
        try:
            override = Override.from_json(entry if isinstance(entry, dict) else {})
        except ValidationError as error:
            log.warning("a stored calendar override is left out: %s (%r)", error.english(), entry)
            continue
        found.setdefault(override.key, override)
    return list(found.values())


class CalendarService:
    def __init__(self, uow: CalendarUowFactory) -> None:
        self._uow = uow

    def overrides(self) -> list[Override]:
        with self._uow(None) as uow:
            return uow.calendar.overrides()

    def calendar(self, *, commemoration_day: bool | None = None) -> OccasionCalendar:
        """The calendar with the chain's announced dates applied."""
        return OccasionCalendar(self.overrides(), commemoration_day=commemoration_day)

    def save_overrides(self, actor: Actor, overrides: Iterable[Override]) -> list[Override]:
        """Replaces every override; refuses a role without the right, an override too far from the calculated
        date, a holiday transfer of an Eid and two overrides of one occurrence (nothing is written then)."""
        actor.require(Permission.MANAGE_CALENDAR)  # before reading what was sent: a refused role hears only that
        chosen = list(overrides)
        return self._change(actor, lambda _before: chosen)

    def set_override(self, actor: Actor, override: Override) -> list[Override]:
        """Adds ``override``, replacing the one of the same occurrence (and kind) if there was one."""
        return self._change(actor, lambda before: [*(o for o in before if o.key != override.key), override])

    def remove_override(self, actor: Actor, override: Override) -> list[Override]:
        """Returns the occurrence of ``override`` (or its holiday) to its calculated date."""
        return self._change(actor, lambda before: [o for o in before if o.key != override.key])

    def _change(self, actor: Actor, edit: Callable[[list[Override]], list[Override]]) -> list[Override]:
        """Reads, edits and writes the overrides in one transaction, so two managers never lose a change."""
        actor.require(Permission.MANAGE_CALENDAR)
        with self._uow(actor) as uow:
            before = uow.calendar.overrides()
            chosen = list(OccasionCalendar(edit(before)).overrides)  # validates them all
            chosen.sort(key=lambda o: (o.date, o.occasion, o.holiday_only))
            was = {o.key: o for o in before}
            for override in chosen:
                if was.get(override.key) != override:
                    uow.calendar.put(override)
            kept = {o.key for o in chosen}
            for override in before:
                if override.key not in kept:
                    uow.calendar.remove(override)
            uow.security_event(
                "calendar_overrides_changed",
                {"before": [o.to_json() for o in before], "after": [o.to_json() for o in chosen]},
            )
            uow.commit()
        return chosen

    def adopt_setting(self, actor: Actor) -> int:
        """Moves the overrides a store kept in its own settings (before they replicated) into the register, in
        one transaction, and empties the setting; an occurrence the register holds already keeps the
        register's date. Returns how many were moved."""
        actor.require(Permission.MANAGE_CALENDAR)
        with self._uow(actor) as uow:
            stored = read_overrides(uow.settings.setting(OVERRIDES_SETTING_KEY))
            held = {o.key for o in uow.calendar.overrides()}
            moved = [o for o in stored if o.key not in held]
            for override in moved:
                uow.calendar.put(override)
            uow.settings.save_setting(OVERRIDES_SETTING_KEY, "")
            if moved:
                uow.security_event(
                    "calendar_overrides_changed",
                    {"before": [], "after": [o.to_json() for o in moved], "from": "store setting"},
                )
            uow.commit()
        return len(moved)


__all__ = ["OVERRIDES_SETTING_KEY", "CalendarRepository", "CalendarService", "CalendarUnitOfWork", "read_overrides"]
