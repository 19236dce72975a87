"""Message wording and routing, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from core.customers.model import Channel, CustomerProfile, Language, Segment
from core.kernel.ids import stable_id
from core.messaging.routing import Route, route
from core.messaging.templates import EXPIRY_WARNING, TIER_UPGRADE, render, template_id, template_ids, variables_of

AT = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)

LAYLA = CustomerProfile(
    id="c1",
    number="C-000001",
    branch_id="b1",
    first_name_en="Layla",
    last_name_en="Haddad",
    first_name_ar="ليلى",
    last_name_ar="حداد",
    mobile="+971501234567",
    email="layla@example.ae",
    segment=Segment.REGULAR,
    emirate=None,
    area=None,
    address_line=None,
    po_box=None,
    birthday=None,
    preferred_language=Language.ARABIC,
    preferred_channel=Channel.WHATSAPP,
    consent_whatsapp=True,
    consent_sms=True,
    consent_email=True,
    emirates_id=None,
    notes=None,
    created_at=AT,
    updated_at=AT,
)


def test_a_tier_is_named_in_the_message_language() -> None:
    values = {"name": "Layla", "tier": "gold", "bonus": 250, "balance": 3_100}
    assert "Gold" in render(TIER_UPGRADE, "en", values) and "3100" in render(TIER_UPGRADE, "en", values)
    assert "الذهبية" in render(TIER_UPGRADE, "ar", {**values, "name": "ليلى"})


def test_a_missing_variable_refuses_the_message() -> None:
    with pytest.raises(KeyError):
        render(EXPIRY_WARNING, "en", {"name": "Layla", "points": 120})


def test_template_ids_are_the_ones_every_branch_already_stores() -> None:
    assert template_id(TIER_UPGRADE, "sms", "ar") == stable_id("template", TIER_UPGRADE, "sms", "ar")
    assert len(set(template_ids(EXPIRY_WARNING))) == len(Channel) * 2
    assert variables_of("Dear {name}, {points} expire on {date}.") == ["name", "points", "date"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Route("whatsapp", "+971501234567", "ar")),
        (
            {"preferred_channel": Channel.EMAIL, "preferred_language": Language.ENGLISH},
            Route("email", "layla@example.ae", "en"),
        ),
        ({"preferred_channel": Channel.EMAIL, "email": None}, Route("sms", "+971501234567", "ar")),
        ({"preferred_channel": Channel.PHONE}, Route("sms", "+971501234567", "ar")),
        ({"mobile": None}, Route("email", "layla@example.ae", "ar")),
        ({"mobile": None, "email": None}, None),
    ],
)
def test_the_preferred_channel_then_sms_then_email(changes: dict[str, object], expected: Route | None) -> None:
    assert route(replace(LAYLA, **changes)) == expected  # type: ignore[arg-type]
