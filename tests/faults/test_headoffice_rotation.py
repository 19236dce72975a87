"""Head office's data key rotates while branches push: a real head office on loopback, three branches pushing
customer changes all through the rotation, which runs on its own connection to the database as the
``headoffice rotate-keys`` command does. Afterwards every value opens to what was last pushed, nothing is lost,
no request failed, and the old key is used nowhere and gone from the key set. SQLite, and PostgreSQL where the
fault tests have one."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from core.kernel.ids import new_id
from sync.headoffice import crypto
from sync.headoffice.store import HeadOfficeStore
from tests.faults.support import ServerThread
from tests.integration.test_headoffice_crypto import Till, customer, eid


@pytest.fixture(params=["sqlite", "postgres"])
def ho_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ho.sqlite'}"
    return str(request.getfixturevalue("postgres"))


class Pusher(threading.Thread):
    """One branch changing its customers' notes and birthdays, and adding customers, until told to stop."""

    def __init__(self, till: Till, expected: dict[str, dict[str, Any]], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.till, self.expected, self.stop = till, expected, stop
        self.own = [row_id for row_id, data in expected.items() if data["branch_id"] == till.branch_id]
        self.failures: list[BaseException] = []
        self.pushed_at: list[float] = []
        self.took: list[tuple[float, float]] = []  # (when it ended, seconds)

    def run(self) -> None:
        own = self.own
        n = 0
        while not self.stop.is_set():
            n += 1
            changes, after = [], {}
            for k in range(4):
                row_id = own[(n * 4 + k) % len(own)]
                fields = {"notes": f"note {n}-{k} {row_id[-6:]}", "birthday": f"19{50 + n % 40}-0{1 + k}-1{k}"}
                changes.append(self.till.change("customers", row_id, {"id": row_id, **fields}, op="update"))
                after[row_id] = fields
            fresh = new_id()
            born = customer(self.till.branch_id, fresh, 10_000 + n) | {"number": f"N-{n}-{fresh[-4:]}"}
            changes.append(self.till.change("customers", fresh, born))
            started = time.monotonic()
            try:
                self.till.push(*changes)
            except BaseException as exc:
                self.failures.append(exc)
                return
            self.pushed_at.append(time.monotonic())
            self.took.append((self.pushed_at[-1], self.pushed_at[-1] - started))
            for row_id, fields in after.items():
                self.expected[row_id] = {**self.expected[row_id], **fields}
            self.expected[fresh] = born
            own.append(fresh)


def test_the_data_key_rotates_while_branches_push(ho_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "BATCH", 25)  # many short transactions, interleaved with the pushes
    store = HeadOfficeStore(ho_url)
    server = ServerThread(store).start()
    tills = [Till(server.url, store.issue_code().code) for _ in range(3)]
    expected: dict[str, dict[str, Any]] = {}
    for t, till in enumerate(tills):
        ids = [new_id() for _ in range(120)]
        rows = {row_id: customer(till.branch_id, row_id, t * 1000 + i) for i, row_id in enumerate(ids)}
        till.push(*(till.change("customers", row_id, row) for row_id, row in rows.items()))
        expected.update(rows)
    assert crypto.keys_in_use(store) == {1}

    stop = threading.Event()
    pushers = [Pusher(till, expected, stop) for till in tills]
    rotator = HeadOfficeStore(ho_url)  # the command's own connection, as from another process
    try:
        for pusher in pushers:
            pusher.start()
        while sum(len(p.pushed_at) for p in pushers) < 6:
            time.sleep(0.01)
        began = time.monotonic()
        done = crypto.rotate(rotator, pause=lambda: time.sleep(0.005))
        ended = time.monotonic()
        time.sleep(0.2)  # pushes go on after the rotation, under the new key
    finally:
        stop.set()
        for pusher in pushers:
            pusher.join(30)
        rotator.close()

    assert [f for p in pushers for f in p.failures] == []
    during = sum(1 for p in pushers for at in p.pushed_at if began <= at <= ended)
    assert during > 0, "no push happened while the rotation ran"
    assert done.new_key == 2 and done.retired == [1] and done.kept == [2]
    # The log is re-sealed whole; a row the branches changed meanwhile was re-sealed by their push already.
    assert done.progress.changes >= 360 and 0 < done.progress.rows <= len(expected) and done.progress.secrets == 3
    assert crypto.keys_in_use(store) == {2}
    keys_file = crypto.keys_file(ho_url)
    assert keys_file is not None and set(crypto.KeySet.parse(keys_file.read_text()).keys) == {2}

    # Every value opens to what was last pushed: at head office, and as a new branch's snapshot serves it.
    merged = store.merged_rows("customers")
    assert set(merged) == set(expected)
    fields = ("notes", "birthday", "emirates_id")
    assert {r: tuple(d[f] for f in fields) for r, d in merged.items()} == {
        r: tuple(d[f] for f in fields) for r, d in expected.items()
    }
    served: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        page, rows = tills[0].client.snapshot("customers", after, 500)
        served.update({r["row_id"]: r["data"] for r in rows if after is None or after.startswith("row:")})
        if page.after is None or page.after.startswith("seq:"):
            break
        after = page.after
    assert {r: (d["notes"], d["emirates_id"]) for r, d in served.items()} == {
        r: (d["notes"], d["emirates_id"]) for r, d in expected.items()
    }
    assert crypto.customers_with_emirates_id(store, eid(1005)) == [
        r for r, d in expected.items() if d["emirates_id"] == eid(1005)
    ]
    inside = sorted(t for p in pushers for at, t in p.took if began <= at <= ended)
    outside = sorted(t for p in pushers for at, t in p.took if not began <= at <= ended)
    for name, took in (("during", inside), ("outside", outside)):
        if took:
            print(
                f"rotation {ended - began:.2f} s; pushes {name}: {len(took)}, median {took[len(took) // 2] * 1000:.0f} "
                f"ms, p95 {took[int(len(took) * 0.95)] * 1000:.0f} ms, max {took[-1] * 1000:.0f} ms"
            )
    for till in tills:
        till.client.close()
    server.stop()
    store.close()
