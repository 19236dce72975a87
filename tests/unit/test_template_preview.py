"""A template's preview as the editor shows it: encoding, parts, the character that forced UCS-2, the cost
per provider, the email's HTML in each direction, and what refuses or warns."""

from __future__ import annotations

from core.messaging.sms import PartsLimit, SmsRates
from core.messaging.templates import GIFT_CARD_RECEIVED, RECEIPT
from core.messaging.wording import preview

RATES = SmsRates.from_aed({"unifonic": "0.05", "twilio": "0.30"})


def test_arabic_goes_as_ucs2_in_parts_of_67_and_costs_per_part() -> None:
    seen = preview(RECEIPT, "ar", "شكراً {first_name}! " + "ع" * 80, rates=RATES)
    assert seen.text == "شكراً فاطمة! " + "ع" * 80 and seen.sms.encoding == "UCS-2"
    assert seen.sms.parts == 2 and seen.sms.units == 93 and seen.sms.non_gsm[0] == "ش"
    assert seen.costs == {"unifonic": 10, "twilio": 60}
    assert seen.email_html.startswith('<div dir="rtl" lang="ar"') and not seen.problems


def test_english_stays_gsm7_until_a_character_forces_ucs2() -> None:
    plain = preview(RECEIPT, "en", "Thanks {first_name}, order {order_number}.", rates=RATES)
    assert plain.sms.encoding == "GSM-7" and plain.sms.parts == 1 and plain.costs["twilio"] == 30
    assert plain.email_html.startswith('<div dir="ltr"')
    curly = preview(RECEIPT, "en", "Thanks {first_name} \u2019 order {order_number}.", rates=RATES)
    assert curly.sms.encoding == "UCS-2" and curly.sms.non_gsm == ("\u2019",)


def test_markup_in_a_wording_is_escaped_in_the_email() -> None:
    seen = preview(RECEIPT, "en", "<script>x</script> {first_name}")
    assert "<script>" not in seen.email_html and "&lt;script&gt;" in seen.email_html
    assert seen.text.startswith("<script>")  # the bubble shows it as typed (plain text)


def test_problems_and_warnings() -> None:
    limit = PartsLimit(max_parts=3, warn_parts=1)
    assert "does not supply" in preview(RECEIPT, "en", "{amount}").problems[0].english()
    assert preview(GIFT_CARD_RECEIVED, "en", "{amount} from {from_name}").problems == ()
    long_sms = preview(RECEIPT, "en", "{first_name} " + "x" * 200, limit=limit, channels=("sms",))
    assert not long_sms.problems and "2 parts" in long_sms.warnings[0].english()
    too_long = preview(RECEIPT, "en", "{first_name} " + "x" * 600, limit=limit, channels=("sms",))
    assert "at most 3 are allowed" in too_long.problems[0].english()
    assert preview(RECEIPT, "en", "{first_name} " + "x" * 600, limit=limit, channels=("email",)).problems == ()
    whatsapp = preview(RECEIPT, "en", "{first_name} " + "x" * 1100, channels=("whatsapp",))
    assert not whatsapp.problems and "1024" in whatsapp.warnings[0].english()
    assert preview(RECEIPT, "en", "{first_name").problems and not preview(RECEIPT, "en", "{{ok}}").problems
