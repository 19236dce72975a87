"""The branch end of sync, composed: enrol a store with head office, and build its worker.

Like storage.bootstrap for the services, this is the one place that joins the store (storage), the client
and the worker (sync); main.py and the tests call it.
"""

from __future__ import annotations

from typing import Any

from storage.db import Store
from storage.replica import SqlReplica, join_chain
from sync.client import HeadOfficeClient, enroll
from sync.credentials import CredentialStore
from sync.protocol import EnrollResult
from sync.worker import SyncWorker

HEADOFFICE_URL = "headoffice_url"


def enroll_store(store: Store, base_url: str, code: str) -> tuple[EnrollResult, str]:
    """Enrols ``store`` with head office; returns the result and where the secret was kept."""
    result = enroll(base_url, code, store.branch_id or None, store.terminal_id)
    join_chain(store, result.branch_id, base_url.rstrip("/"), [b.model_dump() for b in result.branches])
    where = CredentialStore(store.path).save(result.branch_id, result.secret)
    return result, where


def headoffice_url(store: Store) -> str:
    return store.settings.get(HEADOFFICE_URL, "")


def build_worker(store: Store, **options: Any) -> SyncWorker | None:
    """The worker for an enrolled store; None for a standalone one (no head office configured)."""
    url = headoffice_url(store)
    if not url:
        return None
    credentials = CredentialStore(store.path)
    secret = credentials.load(store.branch_id)
    if secret is None:
        return None
    client = HeadOfficeClient(url, store.branch_id, secret)
    authorizer = HeadOfficeClient(url, store.branch_id, secret)
    return SyncWorker(SqlReplica(store), client, authorizer=authorizer, secret_in_file=credentials.in_file, **options)
