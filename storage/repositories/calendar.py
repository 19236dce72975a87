"""The chain's announced dates (core.campaigns.calendar.Override) as a replicated register, ``calendar_overrides``:
one row per occurrence (occasion, year, holiday_only) under an id derived from it, so the same announcement
recorded at two branches is one row, last writer wins by HLC; a removed override is a tombstone."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.campaigns.calendar import Override, occasion_named
from core.kernel.errors import ValidationError
from core.kernel.ids import stable_id
from storage.schema import CalendarOverride

log = logging.getLogger(__name__)


def override_id(override: Override) -> str:
    kind = "holiday" if override.holiday_only else "date"
    return stable_id("calendar-override", override.occasion.value, str(override.year), kind)


class SqlCalendarRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def overrides(self) -> list[Override]:
        """The announced dates in force; a row that no longer validates is left out (and logged), so a bad row
        never stops the tills from working out their holidays."""
        c = CalendarOverride
        rows = self._session.execute(
            select(c.occasion, c.year, c.announced, c.holiday_only).where(c.deleted.is_(False)).order_by(c.announced)
        ).all()
        found: list[Override] = []
        for occasion, year, announced, holiday_only in rows:
            try:
                override = Override(occasion_named(occasion), int(year), announced, bool(holiday_only))
                override.check()
            except ValidationError as error:
                log.warning("an announced date is left out: %s (%s %s)", error.english(), occasion, year)
                continue
            found.append(override)
        return found

    def put(self, override: Override) -> None:
        """Records ``override`` (again, if it was removed)."""
        row_id = override_id(override)
        row = self._session.get(CalendarOverride, row_id)
        if row is None:
            self._session.add(
                CalendarOverride(
                    id=row_id,
                    occasion=override.occasion.value,
                    year=override.year,
                    holiday_only=override.holiday_only,
                    announced=override.date,
                )
            )
            return
        if row.deleted:
            row.deleted = False
        if row.announced != override.date:
            row.announced = override.date

    def remove(self, override: Override) -> None:
        """Returns the occurrence to its calculated date (a tombstone, so the removal replicates)."""
        row = self._session.get(CalendarOverride, override_id(override))
        if row is not None and not row.deleted:
            row.deleted = True
