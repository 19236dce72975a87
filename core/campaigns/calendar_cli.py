"""``python main.py calendar``: a year's occasions (or public holidays) as a manager checks them before a season.

    python main.py calendar --year 2027 --json
    [{"occasion": "ramadan_start", "date": "2027-02-08", "hijri": "1448-09-01", "name_en": "Start of Ramadan",
      "name_ar": "بداية شهر رمضان", "source": "umm_al_qura"}, …]

Sorted by date, overrides applied: the store's (main.py reads them when ``--db`` is given) and then each
``--override occasion=YYYY-MM-DD`` (a sighting: the occurrence nearest that date moves there) or
``--move-holiday occasion=YYYY-MM-DD`` (a transfer: only the day off moves), for this print only. ``--holidays``
lists the public holidays instead. Bad input (a year the tables do not cover, an unknown occasion, a date too far
from the calculated one) is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, BinaryIO

from core.campaigns.calendar import OccasionCalendar, Override, check_year, occasion_named, override_for
from core.kernel.clock import SystemClock
from core.kernel.errors import ValidationError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="the Gregorian year (default: this year in Dubai)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.add_argument("--holidays", action="store_true", help="list the UAE public holidays instead")
    parser.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="OCCASION=YYYY-MM-DD",
        help="an announced date for this print (repeat for several), e.g. eid_al_fitr=2025-03-31",
    )
    parser.add_argument(
        "--move-holiday",
        action="append",
        default=[],
        metavar="OCCASION=YYYY-MM-DD",
        help="the day off moved by the Cabinet, the occasion keeping its date, e.g. uae_national_day=2025-12-01",
    )
    # Also accepted after the command (``calendar --db PATH``); main.py's own --db is read when absent here.
    parser.add_argument("--db", default=argparse.SUPPRESS, help="read the announced dates of this store")


def parse_override(text: str, *, holiday_only: bool = False) -> Override:
    """``occasion=YYYY-MM-DD`` as the override of the occurrence nearest that date."""
    name, sep, when = text.partition("=")
    if not sep:
        raise ValidationError("write OCCASION=YYYY-MM-DD, e.g. eid_al_fitr=2025-03-31", "occasion")
    try:
        announced = date.fromisoformat(when.strip())
    except ValueError:
        raise ValidationError("{value} is not a date written YYYY-MM-DD", "date", value=when.strip()) from None
    return override_for(occasion_named(name), announced, holiday_only=holiday_only)


def run(args: argparse.Namespace, stored: list[Override], out: BinaryIO | None = None) -> int:
    """Prints the year; 0 when done, 2 on bad input (one line on stderr)."""
    try:
        year = args.year if args.year is not None else SystemClock().today().year
        check_year(year)
        given = [parse_override(t) for t in args.override]
        given += [parse_override(t, holiday_only=True) for t in args.move_holiday]
        keys = {o.key for o in given}
        calendar = OccasionCalendar([*(o for o in stored if o.key not in keys), *given])
        rows: list[dict[str, Any]]
        if args.holidays:
            rows = [
                {"date": h.date.isoformat(), "occasion": h.occasion, "name_en": h.name_en, "name_ar": h.name_ar}
                for h in calendar.public_holidays(year)
            ]
        else:
            rows = [o.to_json() for o in calendar.occasions(year)]
    except ValidationError as error:
        print(f"calendar: {error.english()}", file=sys.stderr)
        return 2
    if args.json:
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    else:
        columns = ("date", "hijri", "occasion", "name_en", "source") if not args.holidays else ("date", "name_en")
        text = "".join("  ".join(str(row.get(c, "")) for c in columns) + "\n" for row in rows)
    target = out if out is not None else sys.stdout.buffer
    target.write(text.encode("utf-8"))
    target.flush()
    return 0


__all__ = ["add_arguments", "parse_override", "run"]
