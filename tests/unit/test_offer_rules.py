"""Offer codes and what an offer takes off a sale, by hand: the code's form and how it is read back, the
discount's rounding, its share per line, VAT on the discounted amount, and a return of discounted goods."""

from __future__ import annotations

import pytest

from core.campaigns.offers import ALPHABET, EMPTY, NOT_A_CODE, normalize_offer_code, offer_code
from core.kernel.errors import ValidationError
from core.purchases.model import LineDraft, Pool, discounted, offer_discount_fils, price_line, returned_line


def test_a_code_is_derived_from_the_execution_and_uses_no_look_alikes() -> None:
    code = offer_code("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert code == offer_code("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert code != offer_code("0f8fad5b-d9cb-469f-a165-70867728950f")
    assert len(code) == 9 and code[4] == "-"
    assert all(c in ALPHABET for c in code.replace("-", ""))
    assert not set("01OILU") & set(ALPHABET)


@pytest.mark.parametrize(
    "typed",
    ["k7m2-q9xr", " K7M2 Q9XR ", "k7m2q9xr", "K\u20137M2\u2014Q9XR", "K٧M٢-Q٩XR", "K۷M۲Q۹XR", "ｋ７ｍ２ｑ９ｘｒ"],
)
def test_a_code_reads_back_however_it_was_typed(typed: str) -> None:
    assert normalize_offer_code(typed) == "K7M2-Q9XR"


@pytest.mark.parametrize(("typed", "message"), [("", EMPTY), ("  - ", EMPTY), ("K7M2-Q9X", NOT_A_CODE)])
def test_what_cannot_be_a_code_is_refused_in_words(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_offer_code(typed)
    assert refused.value.message == message


@pytest.mark.parametrize("typed", ["K7M2-Q9X0", "K7M2-Q9XO", "K7M2-Q9XI", "K7M2-Q9XU", "K7M2-Q9Xب"])
def test_a_character_no_code_holds_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_offer_code(typed)
    assert refused.value.message == NOT_A_CODE


def test_a_percentage_rounds_half_up_to_the_fils_and_a_voucher_gives_no_change() -> None:
    assert offer_discount_fils(333, "discount_code", 15) == 50  # 49.95 → 50
    assert offer_discount_fils(330, "discount_code", 15) == 50  # 49.50 → 50
    assert offer_discount_fils(329, "discount_code", 15) == 49  # 49.35 → 49
    assert offer_discount_fils(43_190, "discount_code", 100) == 43_190
    assert offer_discount_fils(4_000, "voucher", 5_000) == 4_000
    assert offer_discount_fils(43_190, "bonus_points", 200) == 0
    assert offer_discount_fils(0, "discount_code", 15) == 0


def test_the_discount_is_shared_by_the_largest_remainder_and_vat_is_on_what_is_left() -> None:
    lines = [price_line(LineDraft("A", "A", unit_price_fils=100)), price_line(LineDraft("B", "B", unit_price_fils=100))]
    lines.append(price_line(LineDraft("C", "C", unit_price_fils=100)))
    # 100 fils off three equal lines: 33 each, the odd fils to the first line (a tie goes to the earlier one).
    after = discounted(lines, 100)
    assert [line.net_fils for line in after] == [66, 67, 67]
    assert [line.vat_fils for line in after] == [3, 3, 3]  # 3.3 → 3, 3.35 → 3
    assert sum(100 - line.net_fils for line in after) == 100
    assert discounted(lines, 0) == lines
    assert [line.net_fils for line in discounted(lines, 1_000)] == [0, 0, 0]  # never below zero


def test_a_return_of_discounted_goods_gives_back_their_discounted_amount_cumulatively() -> None:
    # Three at 100.00 (30,000 fils) discounted to 25,499 net, VAT 1,275.
    pool = Pool("k", "A", "A", "", "", None, 10_000, 3, 1_275, 0, 25_499)
    first = returned_line(pool, 1)
    assert (first.net_fils, first.vat_fils) == (-8_499, -425)  # 25,499 / 3 = 8,499.67 → 8,499
    rest = returned_line(Pool("k", "A", "A", "", "", None, 10_000, 3, 1_275, 1, 25_499), 2)
    assert (rest.net_fils, rest.vat_fils) == (-17_000, -850)
    assert -(first.net_fils + rest.net_fils) == 25_499 and -(first.vat_fils + rest.vat_fils) == 1_275
    # Without a discount the net is price × quantity, as before.
    plain = returned_line(Pool("k", "A", "A", "", "", None, 10_000, 3, 1_500, 0), 2)
    assert (plain.net_fils, plain.vat_fils) == (-20_000, -1_000)
