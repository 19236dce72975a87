"""Head office keeps customers' Emirates IDs, birthdays and notes sealed (AES-256-GCM) wherever it stores them,
serves them plain to the branches, finds a customer by Emirates ID through a blind index, keeps branch secrets
sealed and enrolment codes hashed, and will not start without the key of data it sealed before. Real head
office on loopback, real SQLite file; the thief reads the file's raw bytes."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import delete, insert, select, update

from core.kernel.ids import new_id
from sync.client import HeadOfficeClient, SyncFailure, enroll
from sync.headoffice import crypto
from sync.headoffice import models as m
from sync.headoffice.crypto import KeyProblem, KeySet, customers_with_emirates_id
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from tests.faults.support import ROOT, ServerThread

STAMP = "2026-11-25T12:00:00+00:00"


def eid(i: int) -> str:
    return f"784-1971-{4_400_000 + i:07d}-{i % 10}"


def birthday(i: int) -> str:
    return f"19{40 + i % 50:02d}-0{1 + i % 9}-{10 + i % 18:02d}"


def note(i: int) -> str:
    return f"prefers oud-{i}-zanzibar in the evening"


def customer(branch_id: str, row_id: str, i: int) -> dict[str, Any]:
    return {
        "id": row_id,
        "branch_id": branch_id,
        "created_at": STAMP,
        "updated_at": STAMP,
        "number": f"T-{i:06d}",
        "first_name_en": f"Customer {i}",
        "mobile": f"+97150{i:07d}",
        "emirates_id": eid(i),
        "birthday": birthday(i),
        "notes": note(i),
    }


class Till:
    """An enrolled branch's credentials, pushing customer rows at its next branch_seq."""

    def __init__(self, url: str, code: str) -> None:
        enrolled = enroll(url, code, None)
        self.branch_id = enrolled.branch_id
        self.secret = enrolled.secret
        self.client = HeadOfficeClient(url, enrolled.branch_id, enrolled.secret)
        self.seq = 0
        self.tick = 0

    def change(self, entity: str, row_id: str, payload: dict[str, Any], op: str = "insert") -> dict[str, Any]:
        self.seq += 1
        self.tick += 1
        return {
            "branch_seq": self.seq,
            "event_id": new_id(),
            "branch_id": self.branch_id,
            "entity": entity,
            "row_id": row_id,
            "op": op,
            "payload": payload,
            "hlc": f"{1_764_000_000_000 + self.tick:015d}.00000.{self.branch_id[:8]}",
            "staff_id": None,
            "created_at": STAMP,
        }

    def push(self, *changes: dict[str, Any]) -> None:
        result = self.client.push(list(changes), new_id())
        assert result.acked_seq == self.seq and not result.held

    def pull_all(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        since = 0
        while True:
            page, changes = self.client.pull(since, 500)
            found.extend(changes)
            since = page.next
            if not page.more:
                return found


class Office:
    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "ho.sqlite"
        self.url = f"sqlite:///{self.path}"
        self.store = HeadOfficeStore(self.url, HeadOfficeConfig(admin_token="letmein"))
        self.server = ServerThread(self.store).start()
        self.codes = [self.store.issue_code().code for _ in range(2)]
        self.tills = [Till(self.server.url, code) for code in self.codes]

    def close(self) -> None:
        for till in self.tills:
            till.client.close()
        self.server.stop()
        self.store.close()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    chain = Office(tmp_path)
    yield chain
    chain.close()


def pushed_customers(till: Till, count: int) -> dict[str, int]:
    ids = {new_id(): i for i in range(count)}
    till.push(*(till.change("customers", row_id, customer(till.branch_id, row_id, i)) for row_id, i in ids.items()))
    return ids


def raw_bytes(path: Path) -> bytes:
    """The database as a thief copies it: the file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_sensitive_fields_are_sealed_at_rest_and_served_plain(office: Office) -> None:
    a, b = office.tills
    ids = pushed_customers(a, 30)
    first = next(iter(ids))
    a.push(a.change("customers", first, {"id": first, "notes": "changed: likes amber"}, op="update"))
    visit = new_id()
    a.push(
        a.change(
            "vip_visits",
            visit,
            {"id": visit, "branch_id": a.branch_id, "customer_id": first, "created_at": STAMP}
            | {"shopper_id": new_id(), "visited_at": STAMP, "notes": "VIP note 77"},
        )
    )

    # The other branch pulls plain values, and a snapshot serves them plain too.
    pulled = {c["row_id"]: c for c in b.pull_all() if c["entity"] == "customers" and c["op"] == "insert"}
    assert {row_id: pulled[row_id]["payload"]["emirates_id"] for row_id in ids} == {r: eid(i) for r, i in ids.items()}
    assert {row_id: pulled[row_id]["payload"]["birthday"] for row_id in ids} == {r: birthday(i) for r, i in ids.items()}
    _page, rows = b.client.snapshot("customers", None, 100)
    served = {row["row_id"]: row["data"] for row in rows}
    assert served[first]["notes"] == "changed: likes amber"
    assert all(served[r]["emirates_id"] == eid(i) and served[r]["birthday"] == birthday(i) for r, i in ids.items())
    assert office.store.merged_rows("customers")[first]["notes"] == "changed: likes amber"
    assert office.store.merged_rows("vip_visits")[visit]["notes"] == "VIP note 77"
    _page, visits = b.client.snapshot("vip_visits", "seq:0", 100)
    assert [row["data"]["notes"] for row in visits] == ["VIP note 77"]

    # Stored: every copy sealed, names and mobiles plain (only these fields are asked for).
    with office.store.reader.connect() as conn:
        stored = conn.execute(select(m.rows.c.data).where(m.rows.c.row_id == first)).scalar_one()
        payloads = conn.execute(select(m.changes.c.payload).where(m.changes.c.entity.in_(crypto.SENSITIVE))).scalars()
        payloads = list(payloads)
    data = orjson.loads(stored)
    assert all(crypto.is_sealed(data[name]) for name in ("emirates_id", "birthday", "notes"))
    assert data["first_name_en"] == "Customer 0" and data["mobile"] == "+971500000000"
    assert len(payloads) == 32 and all(b'"$enc"' in p.encode() for p in payloads)

    # The thief's view: the raw bytes of the file and its WAL hold none of it, nor a branch's secret or a code.
    office.server.stop()
    office.store.close()
    stolen = raw_bytes(office.path)
    assert b"Customer 0" in stolen  # the check can find what is there
    secrets = [t.secret for t in office.tills]
    needles = [eid(i) for i in ids.values()] + [birthday(i) for i in ids.values()] + [note(i) for i in ids.values()]
    needles += ["changed: likes amber", "VIP note 77", *secrets, *office.codes]
    needles += [eid(i).replace("-", "") for i in ids.values()]
    assert [n for n in needles if n.encode() in stolen] == []


def test_a_sealed_value_does_not_open_on_another_row_or_field(office: Office) -> None:
    a, _b = office.tills
    ids = list(pushed_customers(a, 2))
    with office.store.writer.begin() as conn:
        r = m.rows.c
        first = orjson.loads(conn.execute(select(r.data).where(r.row_id == ids[0])).scalar_one())
        second = orjson.loads(conn.execute(select(r.data).where(r.row_id == ids[1])).scalar_one())
        second["emirates_id"] = first["emirates_id"]  # a value moved to another customer
        conn.execute(update(m.rows).where(r.row_id == ids[1]).values(data=orjson.dumps(second).decode()))
    with pytest.raises(KeyProblem):
        office.store.merged_rows("customers")
    cipher = office.store.crypto
    with pytest.raises(KeyProblem):
        cipher.open_value("customers", ids[0], "notes", first["emirates_id"])  # another field of the same row
    assert cipher.open_value("customers", ids[0], "emirates_id", first["emirates_id"]) == eid(0)


def test_an_emirates_id_finds_its_customer_by_the_blind_index(office: Office) -> None:
    a, b = office.tills
    ids = pushed_customers(a, 10)
    row_id = next(r for r, i in ids.items() if i == 3)
    assert customers_with_emirates_id(office.store, eid(3)) == [row_id]
    assert customers_with_emirates_id(office.store, eid(3).replace("-", "")) == [row_id]  # written without dashes
    assert customers_with_emirates_id(office.store, "784-1971-0000000-0") == []
    assert customers_with_emirates_id(office.store, "") == []
    # The same ID at another branch's customer: both found. A changed ID: found under the new one only.
    other = new_id()
    b.push(b.change("customers", other, customer(b.branch_id, other, 3) | {"number": "T-X"}))
    assert customers_with_emirates_id(office.store, eid(3)) == sorted([row_id, other])
    a.push(a.change("customers", row_id, {"id": row_id, "emirates_id": "784-2000-1234567-8"}, op="update"))
    assert customers_with_emirates_id(office.store, eid(3)) == [other]
    assert customers_with_emirates_id(office.store, "784200012345678") == [row_id]
    # Head office's administrators ask over HTTP, the ID in the body (out of addresses and logs).
    asked = httpx.post(
        office.server.url + "/v1/admin/customers/by-emirates-id",
        json={"emirates_id": "784 2000 1234567 8"},
        headers={"Authorization": "Bearer letmein"},
    )
    assert asked.status_code == 200 and asked.json() == {"customer_ids": [row_id]}
    refused = httpx.post(office.server.url + "/v1/admin/customers/by-emirates-id", json={"emirates_id": eid(3)})
    assert refused.status_code == 401
    with office.store.reader.connect() as conn:
        digests = conn.execute(select(crypto.blind_index.c.digest)).scalars().all()
    assert len(digests) == 10 + 1 and all(len(d) == 64 for d in digests)
    assert b"7842000" not in raw_bytes(office.path) and eid(3).encode() not in raw_bytes(office.path)


def test_keys_live_in_a_0600_file_beside_the_database_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sync.headoffice.crypto"):
        store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    store.close()
    keys = tmp_path / "ho.sqlite.keys"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert str(keys) in caplog.text and crypto.KEYS_ENV in caplog.text
    assert KeySet.parse(keys.read_text()).current == 1


def test_keys_from_the_environment_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = KeySet.generate()
    monkeypatch.setenv(crypto.KEYS_ENV, chosen.dump())
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    assert store.crypto.keys.keys == chosen.keys and store.crypto.source.kind == "env"
    store.close()
    assert not (tmp_path / "ho.sqlite.keys").exists()


def test_head_office_refuses_to_start_without_the_key_of_its_sealed_data(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = office.tills
    pushed_customers(a, 3)
    office.server.stop()
    office.store.close()
    keys = Path(f"{office.path}.keys")
    kept = keys.read_text()
    keys.unlink()
    with pytest.raises(KeyProblem, match="no key was found"):
        HeadOfficeStore(office.url)
    started = subprocess.run(  # the command says so and stops, serving nothing
        [sys.executable, str(ROOT / "main.py"), "headoffice", "--db", office.url, "--issue-code"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PERFUME_OUD_NO_KEYRING": "1"},
    )
    assert started.returncode == 2 and "no key was found" in started.stderr and started.stdout == ""
    assert not keys.exists()  # no new key set made over sealed data
    monkeypatch.setenv(crypto.KEYS_ENV, KeySet.generate().dump())  # a key set, but not this data's
    with pytest.raises(KeyProblem):
        HeadOfficeStore(office.url)
    monkeypatch.delenv(crypto.KEYS_ENV)
    keys.write_text(kept)
    again = HeadOfficeStore(office.url)
    assert {d["emirates_id"] for d in again.merged_rows("customers").values()} == {eid(0), eid(1), eid(2)}
    again.close()
    office.store = HeadOfficeStore(office.url)  # for the fixture's close


def test_plain_data_of_before_encryption_is_sealed_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ho.sqlite'}"
    store = HeadOfficeStore(url)
    row_id, secret = new_id(), "plain-branch-secret-of-before"
    # What a head office of before wrote: plain fields, a plain secret, a plain code.
    with store.writing() as (conn, head):
        conn.execute(
            insert(m.rows).values(
                entity="customers",
                row_id=row_id,
                branch_id="b0",
                data=orjson.dumps(customer("b0", row_id, 5)).decode(),
                field_hlc="{}",
                change_seq=head + 1,
            )
        )
        conn.execute(
            insert(m.changes).values(
                change_seq=head + 1,
                event_id=new_id(),
                origin="b0",
                branch_seq=1,
                entity="customers",
                row_id=row_id,
                op="insert",
                payload=orjson.dumps(customer("b0", row_id, 5)).decode(),
                hlc="000000000000001.00000.b0",
                created_at=STAMP,
                received_at=STAMP,
            )
        )
        store.set_head(conn, head + 1)
        more = [new_id() for _ in range(40)]
        conn.execute(
            insert(m.rows),
            [
                {"entity": "customers", "row_id": r, "branch_id": "b0", "field_hlc": "{}", "change_seq": head + 1}
                | {"data": orjson.dumps(customer("b0", r, 100 + i)).decode()}
                for i, r in enumerate(more)
            ],
        )
        conn.execute(insert(m.branches).values(id="b0", code="", acked_seq=1, secret=secret, enrolled_at=STAMP))
        conn.execute(insert(m.enrollment_codes).values(code="AAAA-BBBB-CCCC", created_at=STAMP))
        conn.execute(delete(m.counters).where(m.counters.c.name == crypto.UPGRADED))
    store.close()
    store = HeadOfficeStore(url)
    try:
        with store.reader.connect() as conn:
            data = orjson.loads(conn.execute(select(m.rows.c.data).where(m.rows.c.row_id == row_id)).scalar_one())
            payload = orjson.loads(conn.execute(select(m.changes.c.payload).where(m.changes.c.origin == "b0")).scalar())
            stored_secret = conn.execute(select(m.branches.c.secret).where(m.branches.c.id == "b0")).scalar_one()
            codes = conn.execute(select(m.enrollment_codes.c.code)).scalars().all()
        assert crypto.is_sealed(data["emirates_id"]) and crypto.is_sealed(payload["notes"])
        assert stored_secret != secret and store.secret_of("b0") == secret
        assert codes == [crypto.hash_code("AAAA-BBBB-CCCC")]
        assert store.merged_rows("customers")[row_id]["birthday"] == birthday(5)
        assert customers_with_emirates_id(store, eid(5)) == [row_id]
    finally:
        store.close()
    # Gone from the file and its log, not only unused: the thief finds none of what was plain.
    stolen = raw_bytes(tmp_path / "ho.sqlite")
    assert b"Customer 5" in stolen
    needles = [eid(5), birthday(5), note(5), secret, "AAAA-BBBB-CCCC"]
    needles += [text for i in range(100, 140) for text in (eid(i), note(i))]
    assert [n for n in needles if n.encode() in stolen] == []


def test_an_enrolment_code_is_kept_as_its_hash_and_works_once(tmp_path: Path) -> None:
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    server = ServerThread(store).start()
    try:
        code = store.issue_code().code
        with store.reader.connect() as conn:
            assert conn.execute(select(m.enrollment_codes.c.code)).scalars().all() == [crypto.hash_code(code)]
        till = Till(server.url, code)
        assert store.secret_of(till.branch_id) == till.secret
        with pytest.raises(SyncFailure, match=r"unknown or used"):
            enroll(server.url, code, None)
        till.client.close()
    finally:
        server.stop()
        store.close()


def test_staff_pins_reach_head_office_only_as_argon2_hashes() -> None:
    from sync.protocol import StaffAccount

    assert StaffAccount.model_fields["pin_hash"].metadata  # the pattern below is what the model enforces
    with pytest.raises(ValueError):
        StaffAccount(id="s", branch_id="b", username="u", display_name="U", role="cashier", pin_hash="1234")


def test_rotate_keys_command(office: Office) -> None:
    a, b = office.tills
    ids = pushed_customers(a, 5)
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "headoffice", "rotate-keys", "--db", office.url],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PERFUME_OUD_NO_KEYRING": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "key 2 is current" in done.stdout and "retired: [1]" in done.stdout
    assert crypto.keys_in_use(office.store) == {2}
    assert set(KeySet.parse(Path(f"{office.path}.keys").read_text()).keys) == {2}
    # The running head office learns the new key from the key file, and serves and seals under it.
    more = pushed_customers(a, 1)
    served = {c["row_id"]: c["payload"] for c in b.pull_all() if c["entity"] == "customers"}
    assert {r: served[r]["emirates_id"] for r in (*ids, *more)} == {r: eid(i) for r, i in (*ids.items(), *more.items())}
    assert crypto.keys_in_use(office.store) == {2}
