"""Identifiers made at the branch: UUIDv7, time-ordered so indexes stay compact."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())


# Rows that every branch may create for the same thing (a customer's loyalty account, their preference rows,
# a message template) get the same id everywhere, so replicas merge them instead of colliding.
_NAMESPACE = uuid.UUID("6f1d5e0c-3b7a-4c52-9a57-0d1c2e3f4a5b")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))
