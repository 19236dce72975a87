"""Head office's sealed fields: what sealing customers' Emirates IDs, birthdays and notes costs a push, a pull and
a snapshot, against the same head office with sealing off (the stored text then goes out as it came in).

    python benchmarks/bench_ho_crypto.py [--customers 20000] [--rounds 5]

In process, no HTTP: each round makes a fresh head office (SQLite file, WAL, synchronous=FULL) per side, pushes
the customers (every one with an Emirates ID, a birthday and notes) in batches of 2,000 through
``apply_push``, then reads them all once by ``pull_json`` (pages of 5,000) and once by ``snapshot_json``
(pages of 5,000). The sides alternate which goes first from one round to the next; each figure is printed
with its spread over the rounds and the cost as the ratio on/off taken round by round.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PERFUME_OUD_NO_KEYRING", "1")

import msgspec
import orjson

from benchmarks.spread import spread
from core.kernel.ids import new_id
from sync.headoffice import crypto
from sync.headoffice.apply import apply_push
from sync.headoffice.store import HeadOfficeStore
from sync.protocol import Change, EnrollRequest

BATCH = 2000
PAGE = 5000
STAMP = "2026-11-25T12:00:00+00:00"


def customer(branch_id: str, row_id: str, i: int) -> dict[str, Any]:
    return {
        "id": row_id,
        "branch_id": branch_id,
        "created_at": STAMP,
        "updated_at": STAMP,
        "number": f"B-{i:07d}",
        "first_name_en": f"Customer {i}",
        "last_name_en": "Al Mansouri",
        "first_name_ar": "عميل",
        "last_name_ar": "المنصوري",
        "mobile": f"+97150{i:07d}",
        "email": f"c{i}@example.ae",
        "segment": "regular",
        "emirate": "dubai",
        "area": "Jumeirah",
        "preferred_language": "ar",
        "preferred_channel": "whatsapp",
        "consent_whatsapp": True,
        "consent_sms": False,
        "consent_email": True,
        "emirates_id": f"784-19{70 + i % 30}-{i:07d}-{i % 10}",
        "birthday": f"19{70 + i % 30}-0{1 + i % 9}-{10 + i % 18}",
        "notes": f"Prefers oud and amber; allergic to {i % 7} musks; visits on Thursdays.",
    }


def one_side(directory: Path, sealed: bool, count: int) -> dict[str, float]:
    saved = crypto.SENSITIVE
    if not sealed:
        crypto.SENSITIVE = {}
    try:
        store = HeadOfficeStore(f"sqlite:///{directory / ('on' if sealed else 'off')}.sqlite")
        code = store.issue_code().code
        branch_id = store.enroll(EnrollRequest(code=code)).branch_id
        changes = []
        for i in range(count):
            row_id = new_id()
            payload = orjson.dumps(customer(branch_id, row_id, i))
            changes.append(
                Change(
                    branch_seq=i + 1,
                    event_id=new_id(),
                    branch_id=branch_id,
                    entity="customers",
                    row_id=row_id,
                    op="insert",
                    payload=msgspec.Raw(payload),
                    hlc=f"{1_764_000_000_000 + i:015d}.00000.bench",
                    created_at=STAMP,
                )
            )
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            batch = changes[start : start + BATCH]
            body = hashlib.sha256(str(start).encode()).hexdigest()
            apply_push(store, branch_id, f"k{start}", body, batch)
        pushed = time.perf_counter() - started

        started = time.perf_counter()
        since, served = 0, 0
        while True:
            page = orjson.loads(store.pull_json("elsewhere", since, PAGE))
            served += len(page["changes"])
            since = page["next"]
            if not page["more"]:
                break
        pulled = time.perf_counter() - started
        assert served == count, served

        started = time.perf_counter()
        after: str | None = None
        rows = 0
        while True:
            page = orjson.loads(store.snapshot_json("customers", after, PAGE))
            rows += len(page["rows"])
            after = page["after"]
            if after is None or after.startswith("seq:"):
                break
        snapped = time.perf_counter() - started
        assert rows == count, rows
        store.close()
    finally:
        crypto.SENSITIVE = saved
    return {"push": pushed, "pull": pulled, "snapshot": snapped}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.customers} customers, {args.rounds} rounds")
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for n in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            for sealed in (True, False) if n % 2 == 0 else (False, True):
                runs[sealed].append(one_side(Path(tmp), sealed, args.customers))
    for what in ("push", "pull", "snapshot"):
        on = [r[what] for r in runs[True]]
        off = [r[what] for r in runs[False]]
        ratios = [a / b for a, b in zip(on, off, strict=True)]
        rate_on = [args.customers / t for t in on]
        rate_off = [args.customers / t for t in off]
        print(f"{what:8} sealed:   {spread(rate_on, 'rows/s', 0)}")
        print(f"{what:8} unsealed: {spread(rate_off, 'rows/s', 0)}")
        print(
            f"{what:8} time on/off, round by round: {' / '.join(f'{r:.2f}' for r in ratios)}×, median "
            f"{statistics.median(ratios):.2f}×"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
