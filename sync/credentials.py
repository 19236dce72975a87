"""Where the branch keeps its head-office secret: the OS keyring, or — only where no keyring backend exists —
a file readable by this user alone (0600) beside the store, which the sync page then says plainly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SERVICE = "PerfumeOudBranch"
NO_KEYRING_ENV = "PERFUME_OUD_NO_KEYRING"


def _keyring() -> Any:  # the keyring module when a usable backend exists, else None
    if os.environ.get(NO_KEYRING_ENV):
        return None
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # any import or backend discovery failure means: no keyring here
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def usable_keyring() -> Any:
    """The keyring module when this machine has a usable backend, else None (other secrets read it too)."""
    return _keyring()


class CredentialStore:
    def __init__(self, store_path: Path) -> None:
        self.file = Path(f"{store_path}.branch-secret")

    @property
    def in_file(self) -> bool:
        return self.file.exists()

    def save(self, branch_id: str, secret: str) -> str:
        """Returns where the secret went: 'keyring' or the file's path."""
        ring = _keyring()
        if ring is not None:
            try:
                ring.set_password(SERVICE, branch_id, secret)
                self.file.unlink(missing_ok=True)
                return "keyring"
            except Exception:  # a backend that exists but refuses (locked, no D-Bus session): use the file
                pass
        self.file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
            fh.write(f"{branch_id}\n{secret}\n")
        os.chmod(self.file, 0o600)
        return str(self.file)

    def load(self, branch_id: str) -> str | None:
        if self.file.exists():
            lines = self.file.read_text(encoding="utf-8").split()
            if len(lines) == 2 and lines[0] == branch_id:
                return lines[1]
        ring = _keyring()
        if ring is None:
            return None
        try:
            value = ring.get_password(SERVICE, branch_id)
        except Exception:
            return None
        return str(value) if value else None
