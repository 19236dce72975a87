"""The keys of the encrypted stores: one random 256-bit key per store, made with the store, kept outside it.

A store is known by its **store id**: the 16 random bytes SQLCipher keeps unencrypted at the start of the file
(its salt), written as hex. The id is chosen before the store is made, travels with the file when it is copied
(a backup restored on the same machine finds its key) and says nothing about the data. The key is kept in the
OS keyring (service ``PerfumeOudStore``, user = the store id); only where this machine has no keyring backend
(CI, a bare Linux till) in a file readable by this user alone (0600) in the app's configuration folder, which
the app then says plainly. ``PERFUME_OUD_KEY_DIR`` moves that folder (the tests put it in a temporary one).

The key file is looked at before the keyring: the keyring's backends take a noticeable time to load, and on a
till that keeps its keys in files start-up need not load them at all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sync.credentials import usable_keyring

SERVICE = "PerfumeOudStore"
KEY_DIR_ENV = "PERFUME_OUD_KEY_DIR"
APP_DIR_NAME = "PerfumeOudBranch"
KEY_BYTES = 32
ID_BYTES = 16  # SQLCipher's salt: the first 16 bytes of an encrypted store file


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_store_id() -> str:
    return secrets.token_bytes(ID_BYTES).hex()


def store_id_of(path: Path) -> str:
    """The id of the encrypted store file at ``path`` (its salt), as hex."""
    with Path(path).open("rb") as fh:
        return fh.read(ID_BYTES).hex()


def key_dir() -> Path:
    if os.environ.get(KEY_DIR_ENV):
        return Path(os.environ[KEY_DIR_ENV])
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_DIR_NAME, appauthor=False)) / "store-keys"


def key_file(store_id: str) -> Path:
    return key_dir() / f"{store_id}.key"


def load_key(store_id: str) -> bytes | None:
    """The key of the store ``store_id`` on this machine, or None when this machine does not have it."""
    file = key_file(store_id)
    if file.exists():
        try:
            return bytes.fromhex(file.read_text(encoding="ascii").strip())
        except ValueError:
            return None
    ring = usable_keyring()
    if ring is None:
        return None
    try:
        value = ring.get_password(SERVICE, store_id)
    except Exception:  # a backend that exists but refuses (locked, no D-Bus session): no key from it
        return None
    try:
        return bytes.fromhex(value) if value else None
    except ValueError:
        return None


def save_key(store_id: str, key: bytes) -> str:
    """Keeps ``key`` for the store ``store_id``; returns where it went: 'keyring' or the key file's path."""
    ring = usable_keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, store_id, key.hex())
            if ring.get_password(SERVICE, store_id) == key.hex():
                return "keyring"
        except Exception:  # a backend that exists but refuses: use the file
            pass
    folder = key_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    file = key_file(store_id)
    partial = file.with_suffix(".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(partial, 0o600)
    os.replace(partial, file)
    fsync_dir(folder)
    return str(file)


def key_in_file(store_id: str) -> bool:
    """Whether the key of ``store_id`` is kept in a file here (no keyring): the app warns about it."""
    return key_file(store_id).exists()


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


__all__ = ["KEY_DIR_ENV", "SERVICE", "key_in_file", "load_key", "new_key", "new_store_id", "save_key", "store_id_of"]
