"""Which typed texts are emails, searched by the email's index, and which stay word searches."""

from __future__ import annotations

import pytest

from core.customers.search import EmailQuery, email_query, prefix_bound


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mohammed@example.a", EmailQuery("mohammed@example.a", False, False)),
        ("  Mohammed.Al@Example.AE ", EmailQuery("mohammed.al@example.ae", False, False)),
        ("falasi@", EmailQuery("falasi@", False, True)),
        ("mohammed.al", EmailQuery("mohammed.al", False, True)),
        ("sara_k", EmailQuery("sara_k", False, True)),
        ("ali٤٥@x", EmailQuery("ali45@x", False, False)),
        ("@example.a", EmailQuery("example.a", True, False)),
        ("@Mail.Ex", EmailQuery("mail.ex", True, False)),
    ],
)
def test_typed_emails(typed: str, expected: EmailQuery) -> None:
    assert email_query(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "mohammed", "mohammed al", "mohammed @example", "@", "@a@b", "050.123.4567", "DXB1-0000001", "محمد"],
)
def test_not_emails(typed: str) -> None:
    assert email_query(typed) is None


def test_prefix_bound_is_above_every_continuation() -> None:
    bound = prefix_bound("ab")
    for text in ("ab", "ab@", "abz", "ab\uffff", "ab\U0001f600x"):
        assert "ab" <= text < bound
        assert text.encode() < bound.encode(), "SQLite compares the UTF-8 bytes"
    for text in ("aa", "ac", "b", "a"):
        assert not ("ab" <= text < bound)
