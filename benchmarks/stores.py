"""How the benchmarks reach store files below the app: with the store's key, so the bare side reads and writes
the same encrypted pages the app does; plain stores on both sides only with ``--plain``
(``PERFUME_OUD_PLAIN_STORE=1``, which child processes inherit), to compare the two.

A fixture store of the plain runs is a file of its own (``store-1m-plain.sqlite`` beside ``store-1m.sqlite``):
opening a plain store without ``--plain`` would encrypt it in place.

Importing this module is light (no SQLAlchemy, no app): the start-up and memory benchmarks' bare processes use
``bare_connect``, and what they import is part of what they measure.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

PLAIN_ENV = "PERFUME_OUD_PLAIN_STORE"  # storage.db.PLAIN_ENV

__all__ = ["add_plain_option", "bare_connect", "connect", "copy_store", "fixture", "mode", "plain", "use_plain"]


def plain() -> bool:
    return os.environ.get(PLAIN_ENV) == "1"


def add_plain_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plain",
        action="store_true",
        help=f"plain (unencrypted) stores on both sides, to compare with encryption ({PLAIN_ENV}=1)",
    )


def use_plain(args: argparse.Namespace) -> str:
    """Applies ``--plain`` to this process and its children; returns the mode for the printout."""
    if getattr(args, "plain", False):
        os.environ[PLAIN_ENV] = "1"
    return mode()


def mode() -> str:
    return "plain stores" if plain() else "encrypted stores (SQLCipher, raw 256-bit key)"


def fixture(path: Path) -> Path:
    """The fixture file for this mode: ``x-plain.sqlite`` for plain runs, ``path`` itself otherwise."""
    path = Path(path)
    return path.with_name(f"{path.stem}-plain{path.suffix}") if plain() else path


def connect(path: Path, **kwargs: Any) -> Any:
    """``storage.db.connect``: a DB-API connection to the store with its key (sqlite3 with ``--plain``)."""
    from storage.db import connect as keyed

    return keyed(path, **kwargs)


def bare_connect(path: Path) -> Any:
    """The same connection with nothing of the app but the key's look-up: sqlcipher3, or sqlite3 for --plain."""
    if plain():
        import sqlite3

        return sqlite3.connect(path)
    import sqlcipher3.dbapi2 as sqlcipher

    from storage import keys

    store_id = keys.store_id_of(path)
    key = keys.load_key(store_id)
    if key is None:
        raise SystemExit(f"no key for {path} on this computer")
    conn = sqlcipher.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}{store_id}'\"")
    return conn


def copy_store(source: Path, target: Path) -> None:
    """A copy of the store file ``source`` (its WAL checkpointed first); an encrypted copy keeps the store's id,
    so it opens with the same key."""
    conn = connect(source, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    shutil.copyfile(source, target)
