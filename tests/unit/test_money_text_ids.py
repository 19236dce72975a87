from __future__ import annotations

import itertools
import os
import time
import unicodedata
import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import parse as parse_number

from core.customers.model import CustomerDraft, validate
from core.customers.search import query_terms
from core.kernel import ids
from core.kernel.emirates_id import parse_emirates_id
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.hlc import HybridLogicalClock, Timestamp
from core.kernel.ids import new_id, new_ids, stable_id
from core.kernel.money import fils_to_text, format_aed, gross_fils, parse_aed, vat_fils
from core.kernel.phone import format_phone, is_mobile, parse_phone, search_forms
from core.kernel.text import ascii_digits, clean_text, fold_arabic


@pytest.mark.parametrize(
    ("net", "vat"), [(100, 5), (10, 1), (9, 0), (30, 2), (1, 0), (50, 3), (1999, 100), (0, 0), (-30, -2)]
)
def test_vat_is_five_percent_half_up_per_line(net: int, vat: int) -> None:
    assert vat_fils(net) == vat
    assert gross_fils(net) == net + vat


@given(st.integers(min_value=0, max_value=10**9))
def test_vat_never_drifts_more_than_half_a_fils(net: int) -> None:
    assert abs(vat_fils(net) * 100 - net * 5) <= 50


@pytest.mark.parametrize(
    ("text", "fils"),
    [("250", 25000), ("250.5", 25050), ("1,250.50", 125050), ("AED 99.99", 9999), ("١٢٥٠٫٥", 125050), ("۲۰", 2000)],
)
def test_parse_aed_accepts_typed_forms(text: str, fils: int) -> None:
    assert parse_aed(text) == fils


@pytest.mark.parametrize("text", ["", "-5", "1.234", "abc", "1e3"])
def test_parse_aed_refuses_bad_amounts(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_aed(text)


def test_format_aed() -> None:
    assert format_aed(123456) == "AED 1,234.56"
    assert format_aed(-5) == "-AED 0.05"


@pytest.mark.parametrize(
    ("fils", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (50, "0.50"),
        (12345, "123.45"),
        (100000, "1000.00"),
        (-5, "-0.05"),
        (-100, "-1.00"),
        (-12345, "-123.45"),
        # Past 2**53 a float division would print the wrong last digits.
        (2**53 + 1, "90071992547409.93"),
        (-(10**20 + 7), "-1000000000000000000.07"),
    ],
)
def test_fils_to_text_is_exact(fils: int, text: str) -> None:
    assert fils_to_text(fils) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_fils_to_text_reads_back(fils: int) -> None:
    assert parse_aed(fils_to_text(fils)) == fils


@pytest.mark.parametrize(
    "typed", ["050 123 4567", "0501234567", "+971 50 123 4567", "00971501234567", "٠٥٠١٢٣٤٥٦٧", "971-50-123-4567"]
)
def test_phone_any_format_to_e164(typed: str) -> None:
    assert parse_phone(typed) == "+971501234567"


@pytest.mark.parametrize("typed", ["12345", "050 123", "04 123 4567", "hello"])
def test_phone_refuses_non_mobiles_and_garbage(typed: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_phone(typed)
    assert err.value.field == "mobile"


def test_phone_display() -> None:
    assert format_phone("+971501234567") == "050 123 4567"
    assert format_phone("+971501234567", international=True) == "+971 50 123 4567"


@given(st.sampled_from("024568"), st.integers(0, 9_999_999))
def test_search_forms_of_uae_numbers_match_libphonenumber(prefix: str, rest: int) -> None:
    e164 = parse_phone(f"05{prefix}{rest:07d}")
    national = str(parse_number(e164, None).national_number)
    assert search_forms(e164) == [e164[1:], national, "0" + national]


def _parses(text: str) -> bool:
    try:
        parse_phone(text)
    except ValidationError:
        return False
    return True


@given(st.text("0123456789", min_size=6, max_size=11), st.sampled_from(["+971", "+9710", "+44", "+966", "00971", ""]))
def test_is_mobile_answers_as_parse_phone_does(digits: str, prefix: str) -> None:
    # The stored UAE form is classified without parsing: the answer must be libphonenumber's all the same.
    assert is_mobile(prefix + digits) == _parses(prefix + digits)


def test_is_mobile_agrees_on_every_uae_prefix() -> None:
    for lead in range(100, 1000):
        for tail in ("0000000", "1234567", "2222222", "5555555", "9999999"):
            for length in (8, 9, 10):
                text = f"+971{lead}{tail}"[: 4 + length]
                assert is_mobile(text) == _parses(text), text


@pytest.mark.parametrize(
    ("text", "mobile"),
    [
        ("+971501234567", True),
        ("+971551234567", True),
        ("+971511234567", False),  # no operator's prefix
        ("+97142345678", False),  # a Dubai landline
        ("+97180012345", False),  # toll free
        ("+9715012345678", False),  # a digit too many
        ("+447911123456", True),
    ],
)
def test_is_mobile_examples(text: str, mobile: bool) -> None:
    assert is_mobile(text) is mobile


def test_search_forms_of_other_countries() -> None:
    assert search_forms("+447911123456") == ["447911123456", "7911123456"]
    assert search_forms("+966501234567") == ["966501234567", "501234567"]


def test_emirates_id_luhn() -> None:
    assert parse_emirates_id("784-1987-1234567-1") == "784-1987-1234567-1"
    assert parse_emirates_id("٧٨٤١٩٨٧١٢٣٤٥٦٧١") == "784-1987-1234567-1"
    with pytest.raises(ValidationError):
        parse_emirates_id("784-1987-1234567-2")
    with pytest.raises(ValidationError):
        parse_emirates_id("123-1987-1234567-1")


def test_clean_text_refuses_bidi_overrides_and_excess() -> None:
    assert clean_text("  Ahmed ", "f", max_length=10) == "Ahmed"
    with pytest.raises(ValidationError, match="text-direction"):
        clean_text("abc\u202edef", "f", max_length=10)
    with pytest.raises(ValidationError, match="Too long"):
        clean_text("x" * 11, "f", max_length=10)
    with pytest.raises(ValidationError, match="required"):
        clean_text("   ", "f", max_length=10, required=True)


def test_arabic_folding_and_digits() -> None:
    assert fold_arabic("أحمد") == "احمد"
    assert fold_arabic("فاطمة") == "فاطمه"
    assert fold_arabic("مُحَمَّد") == "محمد"
    assert ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_query_terms() -> None:
    assert query_terms("050 123") == ["050123"]
    assert query_terms("+971 50") == ["97150"]
    assert query_terms("Moh Al-Mansoori") == ["moh", "al", "mansoori"]
    assert query_terms("أحمد") == ["احمد"]
    assert query_terms("٠٥٠") == ["050"]
    assert query_terms(" ") == []


def test_validate_reports_every_bad_field_at_once() -> None:
    draft = CustomerDraft(first_name_en="", mobile="123", email="nope", emirates_id="784-1", po_box="12a")
    with pytest.raises(ValidationErrors) as err:
        validate(draft, date(2026, 1, 1))
    fields = {e.field for e in err.value.errors}
    assert {"first_name_en", "mobile", "email", "emirates_id", "po_box"} <= fields


def test_validate_refuses_future_birthday_and_normalises() -> None:
    with pytest.raises(ValidationErrors) as err:
        validate(CustomerDraft(first_name_ar="محمد", mobile="0501234567", birthday=date(2030, 1, 1)), date(2026, 1, 1))
    assert err.value.errors[0].field == "birthday"
    ok = validate(CustomerDraft(first_name_ar="محمد", mobile="0501234567", email="A@B.AE"), date(2026, 1, 1))
    assert ok["mobile"] == "+971501234567" and ok["email"] == "a@b.ae"


def test_hlc_monotonic_when_wall_clock_jumps_back() -> None:
    walls = iter([1000, 2000, 1500, 1500, 3000])
    clock = HybridLogicalClock("n1", wall_ms=lambda: next(walls))
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    remote = Timestamp(10_000, 7, "n2")
    walls2 = iter([500])
    clock2 = HybridLogicalClock("n3", wall_ms=lambda: next(walls2))
    assert clock2.observe(remote) > remote


def test_hlc_stamps_taken_at_once_are_those_of_calls_in_one_millisecond() -> None:
    walls = iter([100, 50, 101])
    one, many = HybridLogicalClock("n1", wall_ms=lambda: 100), HybridLogicalClock("n1", wall_ms=lambda: next(walls))
    assert many.encoded(0) == [] and one.encoded(0) == []
    assert many.encoded(3) == [one.now().encode() for _ in range(3)]
    later = many.encoded(2)  # the wall clock went back: the counter carries on
    assert later == ["000000000000100.00003.n1", "000000000000100.00004.n1"]
    assert many.now().encode() == "000000000000101.00000.n1"
    # A counter never outgrows its five digits: the next millisecond takes over, and the text still sorts.
    full = HybridLogicalClock("n1", wall_ms=lambda: 7, last=Timestamp(7, 99_998, "n1"))
    stamps = full.encoded(3)
    assert stamps == ["000000000000007.99999.n1", "000000000000008.00000.n1", "000000000000008.00001.n1"]
    assert full.last == Timestamp(8, 1, "n1") and full.now() > Timestamp(8, 1, "n1")


def test_hlc_encoding_sorts_like_the_stamp() -> None:
    a, b = Timestamp(999, 12, "a"), Timestamp(1000, 0, "a")
    assert a.encode() < b.encode() and Timestamp.decode(a.encode()) == a


@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_stable_ids_are_uuid5(parts: list[str]) -> None:
    assert stable_id(*parts) == str(uuid.uuid5(ids._NAMESPACE, "/".join(parts)))


def test_new_ids_are_ordered_uuid7() -> None:
    made = [new_id() for _ in range(3000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (7, uuid.RFC_4122, text)
    assert abs((uuid.UUID(made[0]).int >> 80) - time.time_ns() // 1_000_000) < 60_000


def test_ids_made_together_are_ordered_uuid7_among_single_ones() -> None:
    made = [new_id(), *new_ids(500), new_id(), *new_ids(1), *new_ids(0), *new_ids(1200), new_id()]
    assert len(made) == 1704
    assert made == sorted(made) and len(set(made)) == len(made)
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (7, uuid.RFC_4122, text)
    # A millisecond of its own each, as consecutive calls of new_id give them.
    stamps = [uuid.UUID(text).int >> 80 for text in made]
    assert all(a < b for a, b in itertools.pairwise(stamps))


def test_a_forked_process_draws_its_own_random_bits() -> None:
    new_id()  # the pool is filled
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, new_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    mine = new_id()
    assert child[14:] != mine[14:]  # the random part


@given(st.text(max_size=40), st.booleans())
def test_clean_text_refuses_exactly_the_control_characters(value: str, multiline: bool) -> None:
    """Unicode's category Cc, less the line feed and tab a multi-line field keeps; nothing else."""
    stripped = unicodedata.normalize("NFC", value).strip()
    allowed = "\n\t" if multiline else ""
    controls = any(unicodedata.category(c) == "Cc" and c not in allowed for c in stripped)
    breaks = not multiline and any(c in "\u2028\u2029" for c in stripped)
    bidi = any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in stripped)
    try:
        clean_text(value, "note", max_length=1000, multiline=multiline)
    except ValidationError as exc:
        assert controls or breaks or bidi, exc
    else:
        assert not (controls or breaks or bidi)
