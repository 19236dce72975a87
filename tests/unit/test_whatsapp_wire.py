"""What an outbox row becomes on WhatsApp's wire: an approved template with its values in order, or free text;
and the values head office accepts from a pushed row."""

from __future__ import annotations

from core.messaging.outbound import SmsMessage, WhatsAppTemplate, WhatsAppText
from core.messaging.ports import PARAMS_MAX, OutboundMessage, message_params
from core.messaging.templates import (
    BODIES,
    GIFT_CARD_RECEIVED,
    TIER_UPGRADE,
    fill,
    variables_of,
    whatsapp_body,
    whatsapp_name,
)
from sync.messaging.gateway import ChannelGateway

ROW = OutboundMessage("m1", "whatsapp", "+971501234567", "Congratulations…", customer_id="c1", language="ar")


def test_a_templated_row_goes_as_its_template_and_free_text_as_text() -> None:
    templated = ChannelGateway.outgoing(
        OutboundMessage(**{**ROW.__dict__, "template_name": "loyalty_tier_upgrade", "params": ("Layla", "Gold")})
    )
    assert templated == WhatsAppTemplate(
        "m1", "+971501234567", "loyalty_tier_upgrade", "ar", body_params=("Layla", "Gold")
    )
    assert ChannelGateway.outgoing(ROW) == WhatsAppText("m1", "+971501234567", "Congratulations…")
    legacy = OutboundMessage(**{**ROW.__dict__, "template_id": "t1", "template_name": "loyalty_tier_upgrade"})
    assert isinstance(ChannelGateway.outgoing(legacy), WhatsAppText), "queued before values were kept: as text"
    sms = OutboundMessage(**{**ROW.__dict__, "channel": "sms", "template_name": "x", "params": ("a",)})
    assert isinstance(ChannelGateway.outgoing(sms), SmsMessage)


def test_a_blank_value_is_a_dash_since_meta_refuses_an_empty_parameter() -> None:
    text, values = fill(
        GIFT_CARD_RECEIVED,
        "en",
        {"first_name": "Sara", "from_name": "Ali", "amount": "300.00", "date": "2027-12-03", "note": ""},
    )
    # In VARIABLES order, as {{1}}…{{5}} are numbered at Meta: not the order the English text uses them.
    assert values == ["Sara", "2027-12-03", "300.00", "Ali", ""] and text.endswith("valid until 2027-12-03.")
    row = OutboundMessage(**{**ROW.__dict__, "template_name": "giftcard_received", "params": tuple(values)})
    made = ChannelGateway.outgoing(row)
    assert isinstance(made, WhatsAppTemplate) and made.body_params[-1] == "-"


def test_every_template_has_a_meta_name_and_numbered_body_in_both_languages() -> None:
    assert whatsapp_name(TIER_UPGRADE) == "loyalty_tier_upgrade"
    for (key, language), text in BODIES.items():
        numbered = whatsapp_body(key, language)
        assert "{" + "{" not in text and "{" not in numbered.replace("{{", "").replace("}}", "")
        assert [f"{{{{{n}}}}}" in numbered for n in range(1, len(variables_of(text)) + 1)] == [True] * len(
            variables_of(text)
        )
        other = "en" if language == "ar" else "ar"
        assert variables_of(text) == variables_of(BODIES[(key, other)]), f"{key}: the same values in both languages"


def test_values_head_office_takes_from_a_pushed_row() -> None:
    assert message_params(["Layla", 500]) == ("Layla", "500")
    assert message_params(None) is None
    assert message_params("Layla") is None
    assert message_params([True]) is None
    assert message_params([{"x": 1}]) is None
    assert message_params(["x" * 1025]) is None
    assert message_params(["a"] * (PARAMS_MAX + 1)) is None
