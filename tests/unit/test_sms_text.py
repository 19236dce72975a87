"""SMS encoding, parts and cost, checked against published examples.

Sources:
- Twilio's open-source segment calculator, github.com/TwilioDevEd/message-segment-calculator,
  tests/index.test.js ("GSM-7 with escape characters in one/two segments", "UCS-2 message in one/two
  segments", with their messageSize in bits) and tests/segments.test.js (a last segment of one character).
- Twilio, "How long can a message be?" (twilio.com/docs/glossary/what-sms-character-limit): 160 / 153 GSM-7.
- 3GPP TS 23.038 (GSM 03.38) default alphabet and extension table, as in the Unicode consortium's
  GSM0338.TXT mapping: the basic table has 128 positions (escape 0x1B excluded), the extension table
  ^ { } \\ [ ~ ] | € and form feed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.kernel.errors import ValidationError
from core.messaging.sms import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    PartsLimit,
    SmsRates,
    analyse,
    cost_fils,
    rate_fils,
)

DIGITS = "1234567890" * 40


def test_the_tables_have_the_standard_sizes() -> None:
    assert len(GSM7_BASIC) == 127  # 128 positions less the escape
    assert frozenset("\f^{}\\[~]|€") == GSM7_EXTENSION
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    ("body", "encoding", "parts", "message_bits"),
    [
        # Twilio tests/index.test.js: '{' + 158 characters = 160 septets in one segment (1120 bits) ...
        ("{" + DIGITS[1:159], "GSM-7", 1, 1120),
        # ... and one more character = 161 septets (1127 bits) in two.
        ("{" + DIGITS[1:160], "GSM-7", 2, 1127),
        # '😜' + 68 characters = 70 UTF-16 units (1120 bits) in one segment; one more (1136 bits) in two.
        ("😜" + DIGITS[1:69], "UCS-2", 1, 1120),
        ("😜" + DIGITS[1:70], "UCS-2", 2, 1136),
    ],
)
def test_twilio_published_examples(body: str, encoding: str, parts: int, message_bits: int) -> None:
    sms = analyse(body)
    assert (sms.encoding, sms.parts) == (encoding, parts)
    assert sms.units * (7 if encoding == "GSM-7" else 16) == message_bits


def test_twilio_last_segment_of_one_character() -> None:
    # tests/segments.test.js: 307 GSM-7 characters are 153 + 153 + 1; '😜' + 133 characters are 67 + 67 + 1.
    assert analyse(DIGITS[:307]).part_units == (153, 153, 1)
    assert analyse("😜" + DIGITS[1:134]).part_units == (67, 67, 1)


def test_single_part_limits() -> None:
    assert analyse("a" * 160).parts == 1
    assert analyse("a" * 161).part_units == (153, 8)
    assert analyse("ب" * 70).parts == 1
    assert analyse("ب" * 71).part_units == (67, 4)
    assert analyse("").parts == 1


def test_one_arabic_letter_makes_the_whole_message_ucs2() -> None:
    sms = analyse("Your order is ready at the Mall branch — ش")
    assert sms.encoding == "UCS-2"
    assert "ش" in sms.non_gsm
    latin = analyse("Your order is ready at the Mall branch")
    assert latin.encoding == "GSM-7" and latin.non_gsm == ()


def test_extension_characters_count_two_septets() -> None:
    assert analyse("€" * 80).units == 160
    assert analyse("€" * 80).parts == 1
    assert analyse("€" * 80 + "a").parts == 2
    assert analyse("[x]").units == 5


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets then '€' (2): the pair does not fit in the 153rd septet, so part 1 ends one septet short.
    sms = analyse("a" * 152 + "€" + "b" * 10)
    assert sms.part_units == (152, 12)
    assert sms.units == 164


def test_a_surrogate_pair_is_never_split_across_parts() -> None:
    sms = analyse("ب" * 66 + "😀" + "ب" * 10)
    assert sms.units == 78
    assert sms.part_units == (66, 12)


def test_emoji_outside_the_bmp_counts_two_units() -> None:
    assert analyse("😀" * 35).units == 70
    assert analyse("😀" * 35).parts == 1
    assert analyse("😀" * 36).parts == 2


def test_characters_close_to_gsm_are_not_gsm() -> None:
    # Lower-case ç, curly quotes and the Arabic comma are not in the default alphabet.
    for char in ("ç", "’", "،", "`"):
        assert analyse(f"a{char}b").encoding == "UCS-2", char


def test_cost_is_rounded_half_up_once_on_the_total() -> None:
    assert rate_fils("0.0455") == Decimal("4.55")
    # 3 parts at 4.55 fils = 13.65 → 14 fils; per part it would have been 5 + 5 + 5 = 15.
    assert cost_fils(3, rate_fils("0.0455")) == 14
    assert cost_fils(2, rate_fils("0.0125")) == 3  # 2.5 → 3 (half-up)
    assert cost_fils(1, rate_fils("0.30")) == 30
    rates = SmsRates.parse("unifonic=0.0455, twilio=0.30")
    assert rates.estimate(analyse("ب" * 140)) == {"unifonic": 14, "twilio": 90}


@pytest.mark.parametrize("spec", ["unifonic", "unifonic=abc", "unifonic=-0.1", "=0.1", "twilio=NaN"])
def test_a_malformed_rate_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        SmsRates.parse(spec)


def test_the_parts_limit_warns_and_refuses() -> None:
    limit = PartsLimit(max_parts=10, warn_parts=3)
    arabic_ten = analyse("ب" * 670)
    assert arabic_ten.parts == 10
    assert limit.warns(arabic_ten)
    assert limit.check(arabic_ten) is arabic_ten
    eleven = analyse("ب" * 671)
    with pytest.raises(ValidationError) as refused:
        limit.check(eleven)
    assert refused.value.params == {"parts": 11, "encoding": "UCS-2", "max": 10}
    assert "11 parts" in refused.value.english()
    assert not limit.warns(analyse("ب" * 201))  # 3 parts: at the warning level, not above
    with pytest.raises(ValueError):
        PartsLimit(max_parts=2, warn_parts=3)
