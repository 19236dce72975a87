"""Announced dates kept in a real store (a manager's or an administrator's, audited in the same transaction)
and ``main.py calendar`` in a subprocess: the JSON a year prints, with the store's and one-off overrides."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from core.campaigns.calendar import Occasion, Override, override_for
from core.campaigns.calendar_service import OVERRIDES_SETTING_KEY
from core.kernel.errors import PermissionDenied, ValidationError
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.db import open_store
from tests.conftest import actor_for

ROOT = Path(__file__).resolve().parents[2]
SIGHTED = Override(Occasion.PROPHETS_BIRTHDAY, 1447, date(2025, 9, 5))
TRANSFER = Override(Occasion.UAE_NATIONAL_DAY, 2025, date(2025, 12, 1), holiday_only=True)


def audited(services: Services) -> tuple[int, int]:
    """(calendar audit events, their change-log rows)."""
    with services.store.read_engine.connect() as conn:
        events = conn.execute(
            text("SELECT count(*) FROM security_events WHERE kind = 'calendar_overrides_changed'")
        ).scalar_one()
        logged = conn.execute(
            text(
                "SELECT count(*) FROM change_log c JOIN security_events s ON s.id = c.row_id"
                " WHERE c.entity = 'security_events' AND s.kind = 'calendar_overrides_changed'"
            )
        ).scalar_one()
    return int(events), int(logged)


def test_a_manager_sets_announced_dates_and_the_holidays_follow(
    services: Services, cashier: Actor, manager: Actor
) -> None:
    calendar = services.calendar
    assert calendar.overrides() == []
    with pytest.raises(PermissionDenied):
        calendar.set_override(cashier, SIGHTED)
    assert calendar.set_override(manager, SIGHTED) == [SIGHTED]
    admin = actor_for(services, Role.ADMIN)
    assert calendar.set_override(admin, TRANSFER) == [SIGHTED, TRANSFER]
    assert audited(services) == (2, 2)
    holidays = calendar.calendar()
    assert holidays.is_public_holiday(date(2025, 9, 5)) and not holidays.is_public_holiday(date(2025, 9, 4))
    assert holidays.is_public_holiday(date(2025, 12, 1)) and not holidays.is_public_holiday(date(2025, 12, 3))

    # The same occurrence again replaces its date; a date too far is refused and nothing changes.
    earlier = Override(Occasion.PROPHETS_BIRTHDAY, 1447, date(2025, 9, 3))
    assert calendar.set_override(manager, earlier) == [earlier, TRANSFER]
    with pytest.raises(ValidationError):
        calendar.set_override(manager, Override(Occasion.EID_AL_FITR, 1446, date(2025, 4, 10)))
    assert calendar.overrides() == [earlier, TRANSFER] and audited(services) == (3, 3)
    assert calendar.remove_override(manager, earlier) == [TRANSFER]
    assert calendar.calendar().is_public_holiday(date(2025, 9, 4))


def test_the_dates_a_store_kept_in_its_settings_move_to_the_register_when_it_is_opened(
    services: Services, manager: Actor
) -> None:
    # A store from before the register: its announced dates as one JSON setting, one of them no longer valid.
    stored = [SIGHTED.to_json(), TRANSFER.to_json(), {"occasion": "eid_al_fitr", "year": 1446, "date": "2025-05-01"}]
    with services.store.write_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO store_settings (key, value) VALUES (:k, :v)"),
            {"k": OVERRIDES_SETTING_KEY, "v": json.dumps(stored)},
        )
    path = services.store.path
    services.store.close()
    store = open_store(path)
    try:
        assert build_services(store).calendar.overrides() == [SIGHTED, TRANSFER]
        with store.read_engine.connect() as conn:
            setting = conn.execute(
                text("SELECT value FROM store_settings WHERE key = :k"), {"k": OVERRIDES_SETTING_KEY}
            ).scalar_one()
            logged = conn.execute(
                text("SELECT count(*) FROM change_log WHERE entity = 'calendar_overrides' AND op = 'insert'")
            ).scalar_one()
        assert setting == "" and logged == 2, "moved once, each row with its change-log row, so it replicates"
    finally:
        store.close()
    again = open_store(path)  # opened again: nothing left to move
    try:
        assert build_services(again).calendar.overrides() == [SIGHTED, TRANSFER]
    finally:
        again.close()


def calendar_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        encoding="utf-8",
    )


def test_the_calendar_command_prints_a_year_as_json() -> None:
    done = calendar_cli("calendar", "--year", "2027", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert {r["occasion"] for r in rows} == set(Occasion) and len(rows) == 8
    assert rows[0] == {
        "occasion": "ramadan_start",
        "date": "2027-02-08",
        "hijri": "1448-09-01",
        "name_en": "Start of Ramadan",
        "name_ar": "بداية شهر رمضان",
        "source": "umm_al_qura",
    }
    both = json.loads(calendar_cli("calendar", "--year", "2030", "--json").stdout)
    assert [r["date"] for r in both if r["occasion"] == "ramadan_start"] == ["2030-01-05", "2030-12-26"]


def test_overrides_from_the_store_and_from_the_command_line(services: Services, manager: Actor) -> None:
    services.calendar.set_override(manager, override_for(Occasion.EID_AL_FITR, date(2027, 3, 10)))
    path = services.store.path
    services.store.close()
    rows = json.loads(calendar_cli("--db", str(path), "calendar", "--year", "2027", "--json").stdout)
    eid = next(r for r in rows if r["occasion"] == "eid_al_fitr")
    assert (eid["date"], eid["hijri"], eid["source"]) == ("2027-03-10", "1448-10-01", "override")
    # One-off overrides win over the store's for that print; the option also reads after the command.
    done = calendar_cli(
        "calendar", "--db", str(path), "--year", "2027", "--json", "--override", "eid_al_fitr=2027-03-09",
        "--override", "arafat_day=2027-05-16",
    )  # fmt: skip
    rows = {r["occasion"]: r for r in json.loads(done.stdout)}
    assert (rows["eid_al_fitr"]["date"], rows["eid_al_fitr"]["source"]) == ("2027-03-09", "override")
    assert (rows["arafat_day"]["date"], rows["eid_al_adha"]["date"]) == ("2027-05-16", "2027-05-16")
    built_in = {r["occasion"]: r for r in json.loads(calendar_cli("calendar", "--year", "2027", "--json").stdout)}
    assert built_in["eid_al_fitr"]["source"] == "umm_al_qura"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--year", "1924"], "1925 to 2076"),
        (["--year", "2077"], "1925 to 2076"),
        (["--year", "2027", "--override", "eid_al_fitr=2027-04-01"], "2027-03-09"),
        (["--year", "2027", "--override", "diwali=2027-11-01"], "no occasion called diwali"),
        (["--year", "2027", "--override", "eid_al_fitr"], "OCCASION=YYYY-MM-DD"),
        (["--year", "2027", "--override", "eid_al_fitr=9 March"], "not a date"),
        (["--year", "2027", "--move-holiday", "eid_al_adha=2027-05-17"], "other than the Eids"),
        (["--year", "2027", "--db", "/nonexistent/store.sqlite"], "no store at"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(args: list[str], says: str) -> None:
    done = calendar_cli("calendar", *args)
    assert done.returncode == 2 and done.stdout == ""
    assert says in done.stderr and "Traceback" not in done.stderr
