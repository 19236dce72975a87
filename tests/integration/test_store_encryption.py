"""The store encrypted at rest: what a thief finds in the files, how a plain store becomes an encrypted one, and
the refusals in plain words (wrong key, key not on this machine, a damaged page, a file that is no store)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError

from core.customers.model import CustomerDraft
from core.kernel.errors import StoreError
from core.staff.auth import Role
from storage import keys
from storage.bootstrap import build_services
from storage.db import MISSING_KEY, SQLITE_HEADER, WRONG_KEY, Store, open_store
from storage.seed.demo import seed_demo
from tests.clock import DEFAULT, TestClock
from tests.conftest import actor_for


def luhn_digit(partial: str) -> str:
    for check in "0123456789":
        digits = partial + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return check
    raise AssertionError("no check digit")


EID_DIGITS = "78419886420135" + luhn_digit("78419886420135")
PEOPLE = [
    CustomerDraft(
        first_name_en="Quillonia",
        last_name_en="Thistlewood",
        first_name_ar="زبيدة",
        last_name_ar="القسيمية",
        mobile="+971 52 987 6543",
        email="quillonia.thistlewood@example.ae",
        emirates_id=f"{EID_DIGITS[:3]}-{EID_DIGITS[3:7]}-{EID_DIGITS[7:14]}-{EID_DIGITS[14]}",
        notes="Collects Cambodian oud; allergic to saffron",
    ),
    CustomerDraft(
        first_name_en="Marwazeen",
        first_name_ar="مروازين",
        last_name_ar="الشامسية",
        mobile="+971 56 314 2718",
        email="marwazeen@sample.ae",
        notes="ملاحظة سرية عن العميلة",
    ),
]


def secrets_of(draft: CustomerDraft) -> list[str]:
    values = [draft.first_name_en, draft.last_name_en, draft.first_name_ar, draft.last_name_ar]
    values += [draft.email, draft.notes, draft.emirates_id]
    mobile = "".join(ch for ch in draft.mobile if ch.isdigit())
    values += [mobile, mobile[3:], draft.emirates_id.replace("-", "")]  # +971…, the national digits, the ID's
    return [v for v in values if v]


def findings(files: list[Path], values: list[str]) -> list[tuple[str, str, str]]:
    """Every (file, value, encoding) where the value's bytes occur in the file."""
    found = []
    for file in files:
        data = file.read_bytes()
        for value in values:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if value.encode(encoding) in data:
                    found.append((file.name, value, encoding))
    return found


def store_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


@pytest.fixture
def filled(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Store, list[str]]]:
    """A new store (encrypted, or plain when the test's parameter says so) with the customers above, entered
    through the customer service, still open with its last writes in the -wal."""
    plain = getattr(request, "param", False)
    store = open_store(tmp_path / "till.sqlite", plain=plain)
    seed_demo(store, customers=0, loyalty=False, now=DEFAULT)
    services = build_services(store, TestClock(DEFAULT))
    manager = actor_for(services, Role.MANAGER)
    with store.raw() as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the customers below stay in the -wal, uncheckpointed
    for draft in PEOPLE:
        services.customers.create(manager, draft)
    yield store, [v for d in PEOPLE for v in secrets_of(d)]
    store.close()


def test_a_thief_finds_no_customer_data_in_the_files(filled: tuple[Store, list[str]]) -> None:
    store, values = filled
    wal = Path(f"{store.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the writes are in the -wal while the store is open"
    assert findings(store_files(store.path), values) == []
    assert not store.path.read_bytes().startswith(SQLITE_HEADER)
    store.close()
    assert findings(store_files(store.path), values) == []
    copied = store.path.with_name("copy.sqlite")
    shutil.copy(store.path, copied)  # the app makes no backup of its own; a copy of the file is what one holds
    assert findings([copied], values) == []


@pytest.mark.parametrize("filled", [True], indirect=True)
def test_the_same_scan_finds_everything_in_a_plain_store(filled: tuple[Store, list[str]]) -> None:
    store, values = filled
    found = {value for _file, value, _enc in findings(store_files(store.path), values)}
    # Every value the app writes is seen (the Emirates ID is kept only with its dashes).
    assert set(values) - found == {EID_DIGITS}, "the scan would see the data if it were there"


def test_a_plain_store_is_encrypted_in_place_on_first_open(tmp_path: Path) -> None:
    source = tmp_path / "made.sqlite"
    old = open_store(source, plain=True)
    seed_demo(old, customers=0, loyalty=False, now=DEFAULT)
    services = build_services(old, TestClock(DEFAULT))
    with old.raw() as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    services.customers.create(actor_for(services, Role.MANAGER), PEOPLE[0])
    # As a till of the previous version leaves it when switched off: the last writes still in its -wal.
    path = tmp_path / "old.sqlite"
    shutil.copy(source, path)
    shutil.copy(f"{source}-wal", f"{path}-wal")
    old.close()
    for made in tmp_path.glob("made.sqlite*"):
        made.unlink()
    values = secrets_of(PEOPLE[0])
    assert path.read_bytes().startswith(SQLITE_HEADER)
    assert findings(store_files(path), values)
    store = open_store(path)
    try:
        assert store.encrypted
        assert store.path.read_bytes()[:16] != SQLITE_HEADER
        found = build_services(store, TestClock(DEFAULT)).customers.search("Quillonia")
        assert [c.email for c in found] == [PEOPLE[0].email], "the customer written to the old -wal was kept"
    finally:
        store.close()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("old.sqlite") and p != path)
    assert leftovers == [], "no plain copy, -wal, -shm or half-made file is left"
    assert findings(store_files(path), values) == []
    again = open_store(path)  # opened as an encrypted store from now on
    again.close()


def test_a_new_store_gets_a_key_of_its_own_kept_in_a_private_file(tmp_path: Path) -> None:
    first, second = open_store(tmp_path / "a.sqlite"), open_store(tmp_path / "b.sqlite")
    try:
        assert first.cipher is not None and second.cipher is not None
        assert first.cipher.key != second.cipher.key and len(first.cipher.key) == 32
        assert keys.store_id_of(first.path) == first.cipher.store_id
        file = keys.key_file(first.cipher.store_id)
        assert first.key_in_file and stat.S_IMODE(file.stat().st_mode) == 0o600
        assert str(tmp_path) not in str(file) and str(file).startswith(os.environ[keys.KEY_DIR_ENV])
    finally:
        first.close()
        second.close()


def refused(path: Path) -> StoreError:
    with pytest.raises(StoreError) as err:
        open_store(path)
    return err.value


def test_a_wrong_key_is_refused_and_nothing_is_changed(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.KEY_DIR_ENV, str(tmp_path / "keys"))  # the copies of the template share its key
    keys.save_key(keys.store_id_of(store_path), keys.new_key())
    before = store_path.read_bytes()
    error = refused(store_path)
    assert error.message == WRONG_KEY and "cannot be decrypted" in error.english()
    assert store_path.read_bytes() == before


def test_a_store_whose_key_is_not_on_this_machine_is_refused_never_replaced(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store_path.read_bytes()
    monkeypatch.setenv(keys.KEY_DIR_ENV, str(tmp_path / "another-machine"))  # the file copied elsewhere
    error = refused(store_path)
    assert error.message == MISSING_KEY
    assert "key is not on this computer" in error.english() and str(tmp_path / "another-machine") in error.english()
    assert store_path.read_bytes() == before, "no empty store made over it"
    assert not (tmp_path / "another-machine").exists(), "no new key made for it"


def test_a_damaged_encrypted_page_is_reported_as_damage(store_path: Path) -> None:
    data = bytearray(store_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    store_path.write_bytes(bytes(data))
    try:
        store = open_store(store_path)  # start-up reads few pages: the damage may only show on use
    except StoreError as error:
        assert "damaged" in error.english()
        return
    try:
        with pytest.raises(StoreError) as err:
            store.check_integrity()  # SQLCipher checks each page's HMAC
        assert "damaged" in err.value.english()
        with pytest.raises(DatabaseError, match="malformed"), store.read_session() as session:
            for (table,) in session.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'"):
                session.connection().exec_driver_sql(f'SELECT * FROM "{table}"').fetchall()
    finally:
        store.close()


def test_the_integrity_check_passes_on_a_sound_store(store: Store) -> None:
    store.check_integrity()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 10, os.urandom(4096 * 3 + 100)],
    ids=["text", "random bytes, not whole pages"],
)
def test_a_file_that_is_no_store_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    error = refused(path)
    assert "damaged or is not a store" in error.english()
    assert path.read_bytes() == content


def test_another_programs_plain_sqlite_file_is_refused_not_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    error = refused(path)
    assert "damaged or is not a store" in error.english()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]
