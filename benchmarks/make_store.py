"""Builds a branch store holding N customers, the fixture of the search and memory benchmarks.

    python benchmarks/make_store.py --customers 1000000 --out benchmarks/data/store-1m.sqlite

The store is created with ``open_store`` (so it has the app's schema, migrations, triggers and settings) and
``seed_demo(store, customers=0)`` adds the branch network and the staff. The customers are then bulk-inserted
with ``executemany`` on the raw sqlite3 connection in large transactions: the ORM write path is far too slow
for a million rows. The schema's FTS triggers stay in place, so ``customer_search`` is filled exactly as the
app fills it, one customer at a time, and ``search_doc`` is ``core.customers.search.document(...)`` of the same fields.

This is a benchmark fixture, not a replica of a real branch: it writes no change-log rows and no customer
history, and ``field_hlc`` is ``'{}'``. Never let such a store sync with head office.

The build is deterministic for a given ``--seed``: the same command gives the same customers.
"""

from __future__ import annotations

import argparse
import queue
import random
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stores import add_plain_option, fixture, use_plain
from core.customers.search import document
from storage.db import open_store
from storage.seed.demo import AREAS, EMIRATES, EXPAT_NAMES, FAMILY_NAMES, FIRST_NAMES, SEGMENTS, seed_demo

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "store-1m.sqlite"
DEFAULT_CUSTOMERS = 1_000_000
DEFAULT_SEED = 971
BATCH = 50_000

# Customers registered over seven years, oldest first: ids (UUIDv7) and numbers then grow together, as they do
# in a store that grew at the till, and the primary-key index is appended to rather than split at random.
FIRST_REGISTERED = datetime(2019, 1, 1, 9, 0, tzinfo=UTC)
LAST_REGISTERED = datetime(2025, 12, 31, 21, 0, tzinfo=UTC)
MOBILE_PREFIXES = "024568"  # 050, 052, 054, 055, 056, 058: the UAE mobile ranges
EMAIL_DOMAINS = ["example.ae", "example.com", "mail.example.ae", "example.net"]
CHANNELS = ["whatsapp", "whatsapp", "sms", "email"]
EXPAT_FIRST = [first for first, _ in EXPAT_NAMES]
EXPAT_LAST = [last for _, last in EXPAT_NAMES]

COLUMNS = (
    "id",
    "branch_id",
    "created_at",
    "updated_at",
    "field_hlc",
    "deleted",
    "number",
    "first_name_en",
    "last_name_en",
    "first_name_ar",
    "last_name_ar",
    "mobile",
    "email",
    "segment",
    "emirate",
    "area",
    "birthday",
    "preferred_language",
    "preferred_channel",
    "consent_whatsapp",
    "consent_sms",
    "consent_email",
    "search_doc",
)
INSERT_SQL = f"INSERT INTO customers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"

Row = tuple[str | int | None, ...]


def uuid7(unix_ms: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562) for a given millisecond, so an id tells when its customer was registered."""
    value = (unix_ms & (2**48 - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def db_time(moment: datetime) -> str:
    """How UTCDateTime stores an instant: naive UTC text with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def customers(count: int, branch_ids: dict[str, str], rng: random.Random) -> Iterator[Row]:
    codes = list(branch_ids)
    home = codes[0]
    counters = dict.fromkeys(codes, 0)
    used_mobiles: set[str] = set()
    span = (LAST_REGISTERED - FIRST_REGISTERED) / max(count, 1)
    for i in range(count):
        # Half of the customers at the home branch, the rest anywhere: the same mix as storage.seed.demo.
        code = home if i % 2 == 0 else rng.choice(codes)
        counters[code] += 1
        number = f"{code}-{counters[code]:07d}"
        created = FIRST_REGISTERED + span * i + timedelta(seconds=rng.uniform(0, span.total_seconds() * 0.9))
        created_text = db_time(created)
        first_ar: str | None
        last_ar: str | None
        if rng.random() < 0.75:
            first_en, first_ar = rng.choice(FIRST_NAMES)
            last_en, last_ar = rng.choice(FAMILY_NAMES)
            language = "ar"
        else:
            first_en, last_en = rng.choice(EXPAT_FIRST), rng.choice(EXPAT_LAST)
            first_ar = last_ar = None
            language = "en"
        while True:
            mobile = f"+9715{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
            if mobile not in used_mobiles:
                used_mobiles.add(mobile)
                break
        email = None
        if rng.random() < 0.7:
            slug = f"{first_en}.{last_en}".lower().replace(" ", "")
            email = f"{slug}{rng.randrange(1, 10_000)}@{rng.choice(EMAIL_DOMAINS)}"
        birthday = None
        if rng.random() < 0.8:
            birthday = f"{rng.randint(1950, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield (
            uuid7(int(created.timestamp() * 1000), rng),
            branch_ids[code],
            created_text,
            created_text,
            "{}",
            0,
            number,
            first_en,
            last_en,
            first_ar,
            last_ar,
            mobile,
            email,
            rng.choice(SEGMENTS),
            rng.choice(EMIRATES),
            rng.choice(AREAS),
            birthday,
            language,
            rng.choice(CHANNELS),
            int(rng.random() < 0.8),
            int(rng.random() < 0.6),
            int(rng.random() < 0.5),
            document([first_en, last_en, first_ar, last_ar], mobile, email, number),
        )


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ahead(batches: Iterator[list[Row]], depth: int = 2) -> Iterator[list[Row]]:
    """Makes the next batches in a thread: sqlite3 releases the GIL while it steps, so making rows (document()
    parses every mobile with libphonenumber) overlaps with inserting them on the second core."""
    pending: queue.Queue[list[Row] | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                pending.put(batch)
            pending.put(None)
        except BaseException as exc:
            pending.put(exc)

    worker = threading.Thread(target=produce, name="make-customers", daemon=True)
    worker.start()
    try:
        while (item := pending.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _load(conn: sqlite3.Connection, count: int, seed: int) -> dict[str, int]:
    branch_ids = dict(conn.execute("SELECT code, id FROM branches ORDER BY rowid").fetchall())
    home = conn.execute(
        "SELECT b.code FROM branches b JOIN store_settings s ON s.key = 'branch_id' AND s.value = b.id"
    ).fetchone()[0]
    # The home branch first: customers() gives it half of the customers.
    branch_ids = {home: branch_ids.pop(home), **branch_ids}
    rng = random.Random(seed)
    # A fixture is rebuilt, never recovered: durability per commit buys nothing here. A large page cache keeps
    # the FTS segment merges and the index pages in memory during the load.
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    loaded = 0
    started = time.perf_counter()
    for batch in _ahead(_batches(customers(count, branch_ids, rng), BATCH)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(INSERT_SQL, batch)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        loaded += len(batch)
        elapsed = time.perf_counter() - started
        print(f"  {loaded:>9,} customers  {elapsed:7.1f} s  ({loaded / elapsed:,.0f}/s)", flush=True)
    per_branch = dict(conn.execute("SELECT substr(number, 1, 4), count(*) FROM customers GROUP BY 1").fetchall())
    # The app numbers the home branch's next customer from this counter; it must not reuse a loaded number.
    conn.execute(
        "UPDATE store_settings SET value = ? WHERE key = 'customer_counter'",
        (str(per_branch.get(home, 0)),),
    )
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return per_branch


def build(out: Path, count: int, seed: int = DEFAULT_SEED) -> None:
    """Writes the store to ``out``; built under a temporary name so a broken run never looks finished."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    store = open_store(partial)
    try:
        seed_demo(store, customers=0, rng_seed=seed)
        print(f"store, branches and staff ready in {time.perf_counter() - started:.1f} s; loading {count:,} customers")
        with store.raw() as conn:
            per_branch = _load(conn, count, seed)
    finally:
        store.close()
    if Path(f"{partial}-wal").exists():
        raise RuntimeError(f"{partial} still has a write-ahead log after closing; not publishing it")
    partial.replace(out)
    elapsed = time.perf_counter() - started
    size = out.stat().st_size
    print(f"customers per branch: {', '.join(f'{code} {n:,}' for code, n in sorted(per_branch.items()))}")
    print(f"built {out} in {elapsed:.1f} s ({elapsed / 60:.1f} min); file size {size / 2**20:,.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="replace an existing store at --out")
    add_plain_option(parser)
    args = parser.parse_args(argv)
    print(use_plain(args))
    if args.out == DEFAULT_OUT:
        args.out = fixture(DEFAULT_OUT)
    if args.out.exists() and not args.force:
        print(f"{args.out} already exists; pass --force to rebuild it", file=sys.stderr)
        return 1
    if args.force:
        for old in (args.out, Path(f"{args.out}-wal"), Path(f"{args.out}-shm")):
            old.unlink(missing_ok=True)
    build(args.out, args.customers, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
