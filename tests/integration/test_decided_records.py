"""Branches and staff are head office's decisions: a replica takes them from head office's own changes only,
and head office's record wins over a local one that holds the same code or username under another id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.kernel.ids import new_id
from core.kernel.replication import HEAD_OFFICE
from tests.clock import TestClock
from tests.faults.support import PIN_HASH, chain


def staff_change(origin: str, staff_id: str, branch_id: str, username: str) -> dict[str, Any]:
    return {
        "change_seq": 1,
        "branch_seq": 1,
        "event_id": new_id(),
        "branch_id": origin,
        "entity": "staff",
        "row_id": staff_id,
        "op": "insert",
        "payload": {
            "id": staff_id,
            "branch_id": branch_id,
            "username": username,
            "name_en": "Khalid",
            "name_ar": "خالد",
            "role": "manager",
            "pin_hash": PIN_HASH,
            "active": True,
        },
        "hlc": "001764747000000.00000.node",
        "created_at": "2026-12-03T07:30:00+00:00",
    }


def usernames(store: Any) -> dict[str, str]:
    with store.read_engine.connect() as conn:
        return {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, username FROM staff")}


def test_staff_come_from_head_office_only_and_its_username_wins(tmp_path: Path) -> None:
    now = TestClock().now()
    with chain(tmp_path, ("DXB1",)) as (_ho, _server, (a,)):
        here = a.store.branch_id
        forged = new_id()
        a.replica.apply_pulled([staff_change(new_id(), forged, here, "khalid")], 1, now)
        assert forged not in usernames(a.store), "a staff record from a branch's change is not taken"

        local = next(i for i, name in usernames(a.store).items() if not name.startswith("~"))
        taken = usernames(a.store)[local]
        decided = new_id()
        a.replica.apply_pulled([staff_change(HEAD_OFFICE, decided, here, taken)], 2, now)
        names = usernames(a.store)
        assert names[decided] == taken, "head office's account has the username"
        assert names[local] == f"~{local}", "the local copy that held it steps aside, its id kept"
        assert [s.name_en for s in a.services.staff.staff_of_branch(here) if s.id == decided] == ["Khalid"]
