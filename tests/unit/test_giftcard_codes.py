from __future__ import annotations

import collections
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.giftcards import codes as gc
from core.giftcards.codes import (
    ALPHABET,
    BAD_CHARACTERS,
    BAD_CHECK,
    NOT_A_CODE,
    WRONG_LENGTH,
    NotAGiftCardCode,
    generate_code,
    is_gift_card_code,
    normalize_code,
    qr_payload,
)
from core.kernel.errors import ValidationError

CANONICAL = re.compile(r"^PO-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Fixed codes whose bodies cover the first and last symbols of the alphabet, where Luhn mod N is weakest.
FIXED_BODIES = ["23456789ABC", "ZZZZZZZZZZZ", "2Z2Z2Z2Z2Z2", "Z2Z2Z2Z2Z2Z", "HJKMNPQRSTU"]


def body_of(code: str) -> str:
    return code.replace("PO-", "").replace("-", "")


def code_from(body11: str) -> str:
    return gc.format_code(body11 + gc.check_character(body11))


@pytest.fixture(scope="module")
def codes() -> list[str]:
    return [code_from(b) for b in FIXED_BODIES] + [generate_code() for _ in range(5)]


def test_alphabet_has_no_confusable_characters_and_a_prime_size() -> None:
    assert not set("01OIL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert all(31 % d for d in range(2, 31))


def test_generated_codes_are_canonical_and_valid() -> None:
    for _ in range(200):
        code = generate_code()
        assert CANONICAL.match(code), code
        assert normalize_code(code) == code


def test_every_single_substitution_is_caught(codes: list[str]) -> None:
    for code in codes:
        body = body_of(code)
        for pos, other in itertools.product(range(12), ALPHABET):
            if other == body[pos]:
                continue
            wrong = body[:pos] + other + body[pos + 1 :]
            with pytest.raises(ValidationError) as err:
                normalize_code(wrong)
            assert err.value.message == BAD_CHECK


def test_every_transposition_is_caught(codes: list[str]) -> None:
    checked = 0
    for code in codes:
        body = body_of(code)
        for i, j in itertools.combinations(range(12), 2):
            if body[i] == body[j]:
                continue
            chars = list(body)
            chars[i], chars[j] = chars[j], chars[i]
            with pytest.raises(ValidationError) as err:
                normalize_code("".join(chars))
            assert err.value.message == BAD_CHECK
            checked += 1 if j == i + 1 else 0
    assert checked > 50  # adjacent swaps were really exercised


def test_check_catches_adjacent_swaps_of_every_symbol_pair() -> None:
    # Exhaustive over the alphabet: every ordered pair of different symbols at every adjacent pair of positions.
    filler = "HJKMNPQRSTU"
    for pos in range(10):
        for a, b in itertools.permutations(ALPHABET, 2):
            data = filler[:pos] + a + b + filler[pos + 2 :]
            full = data + gc.check_character(data)
            swapped = full[:pos] + b + a + full[pos + 2 :]
            assert gc.is_check_valid(full)
            assert not gc.is_check_valid(swapped), (full, swapped)
    # The last data character swapped with the check character.
    for prefix in ("2345678923", "ZZZZZZZZZZ", filler[:10]):
        for a in ALPHABET:
            data = prefix + a
            full = data + gc.check_character(data)
            if full[10] != full[11]:
                assert not gc.is_check_valid(full[:10] + full[11] + full[10])


def test_generated_codes_are_unique_and_uniform_over_100k() -> None:
    many = [generate_code() for _ in range(100_000)]
    assert len(set(many)) == len(many)
    # Every random position uses every symbol roughly equally (chi-square far below a failing value).
    for pos in range(11):
        counts = collections.Counter(body_of(c)[pos] for c in many[:31_000])
        expected = 31_000 / 31
        chi2 = sum((counts[s] - expected) ** 2 / expected for s in ALPHABET)
        assert len(counts) == 31
        assert chi2 < 80, (pos, chi2)  # 30 degrees of freedom: p < 1e-5 above ~72


def test_generate_code_draws_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def choice(seq: str) -> str:
        calls.append(seq)
        return seq[0]

    monkeypatch.setattr(gc.secrets, "choice", choice)
    code = generate_code()
    assert len(calls) == 11
    assert code.startswith("PO-2222-2222-222")


@pytest.mark.parametrize(
    "variant",
    [
        lambda c: c,
        lambda c: c.lower(),
        lambda c: c.replace("-", ""),
        lambda c: c.replace("-", " "),
        lambda c: c[3:],
        lambda c: c[3:].replace("-", "").lower(),
        lambda c: "  " + c.replace("-", " - ") + "\n",
        lambda c: c.replace("-", "\u2013"),  # en dash from a word processor
        lambda c: "po " + c[3:],
        lambda c: c.translate(ARABIC_INDIC),
        lambda c: c.translate(PERSIAN).lower(),
        lambda c: "https://perfumeoud.ae/gc/" + c,
        lambda c: "https://www.perfumeoud.ae/gc/" + c.lower(),
        lambda c: "HTTPS://PERFUMEOUD.AE/GC/" + c,
        lambda c: "https://perfumeoud.ae/gc/?code=" + c,
        lambda c: "https://perfumeoud.ae/balance?lang=ar&code=" + c.replace("-", ""),
        lambda c: "perfumeoud.ae/gc/" + c,
        lambda c: qr_payload(c),
    ],
)
def test_normalization_accepts_every_way_a_code_arrives(variant, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    for code in codes:
        assert normalize_code(variant(code)) == code


def test_arabic_indic_digits_are_read_as_digits() -> None:
    code = code_from("2345678923Z")
    arabic = code.translate(ARABIC_INDIC)
    assert arabic != code
    assert any("\u0660" <= ch <= "\u0669" for ch in arabic)
    assert normalize_code(arabic) == code


def test_qr_payload_is_the_upper_case_url_and_round_trips() -> None:
    code = generate_code()
    payload = qr_payload(code)
    assert payload == "HTTPS://PERFUMEOUD.AE/GC/" + code
    assert payload.lower().startswith(gc.BASE_URL)
    assert normalize_code(payload) == code
    assert qr_payload(code.lower().replace("-", "")) == payload


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/gc/PO-ABCD-EFGH-JKMN",
        "https://perfumeoud.ae.evil.com/gc/PO-ABCD-EFGH-JKMN",
        "https://perfumeoud.ae/products/oud-royal",
        "ftp://perfumeoud.ae/gc/PO-ABCD-EFGH-JKMN",
        "WIFI:S:Branch;T:WPA;P:secret;;",
        "BEGIN:VCARD\nFN:Someone\nEND:VCARD",
        "مرحبا",
        "PO-ABCD-EFGH-JKM#",
    ],
)
def test_foreign_text_is_not_a_code(text: str) -> None:
    with pytest.raises(NotAGiftCardCode) as err:
        normalize_code(text)
    assert err.value.message == NOT_A_CODE
    assert err.value.field == "code"
    assert not is_gift_card_code(text)


def test_wrong_length_says_how_many_characters() -> None:
    code = generate_code()
    with pytest.raises(ValidationError) as err:
        normalize_code(code[:-1])
    assert err.value.message == WRONG_LENGTH
    assert err.value.params == {"length": 11}
    assert "11" in str(err.value)
    with pytest.raises(ValidationError) as err:
        normalize_code(code + "A")
    assert err.value.params == {"length": 13}


def test_confusable_characters_get_their_own_message() -> None:
    body = body_of(generate_code())
    for bad in "01OIL":
        with pytest.raises(ValidationError) as err:
            normalize_code(body[:5] + bad + body[6:])
        assert err.value.message == BAD_CHARACTERS
        assert not isinstance(err.value, NotAGiftCardCode)


def test_wrong_check_character_message() -> None:
    code = generate_code()
    last = code[-1]
    wrong = code[:-1] + (ALPHABET[(ALPHABET.index(last) + 1) % 31])
    with pytest.raises(ValidationError) as err:
        normalize_code(wrong)
    assert str(err.value) == "This code has a typing mistake: check the characters."


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_input(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_code(text)
    assert err.value.message == gc.EMPTY


separators = st.sampled_from(["", "-", " ", " - ", "  ", "\u2013"])


@settings(max_examples=300, deadline=None)
@given(
    body=st.text(alphabet=ALPHABET, min_size=11, max_size=11),
    sep=separators,
    prefix=st.sampled_from(["", "PO", "po", "Po", "PO-", "po "]),
    lower=st.booleans(),
    digits=st.sampled_from([None, ARABIC_INDIC, PERSIAN]),
)
def test_any_formatting_normalizes_to_the_canonical_code(
    body: str, sep: str, prefix: str, lower: bool, digits: dict[int, str] | None
) -> None:
    code = code_from(body)
    full = body + gc.check_character(body)
    text = prefix + sep.join(full[i : i + 4] for i in range(0, 12, 4))
    if lower:
        text = text.lower()
    if digits:
        text = text.translate(digits)
    assert normalize_code(text) == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalize_either_returns_a_canonical_code_or_raises_a_validation_error(text: str) -> None:
    try:
        result = normalize_code(text)
    except ValidationError:
        return
    assert CANONICAL.match(result)
