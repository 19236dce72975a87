"""Text a cashier can type that used to be accepted but stored wrong: invisible characters that hide a name
from search, line separators in one-line fields, letters read as keypad digits, malformed email domains,
digit-likes in a P.O. Box. Each is refused with a message in the user's language, or stored in one form."""

from __future__ import annotations

import pytest

from core.customers.model import CustomerDraft
from core.customers.search import document, query_terms
from core.customers.service import CustomerService
from core.kernel.errors import ValidationError, ValidationErrors
from core.kernel.phone import parse_phone
from core.kernel.text import clean_text, search_fold
from core.staff.auth import Actor
from tests.clock import TestClock
from tests.fakes import FakeStore


@pytest.fixture
def customers(fake: FakeStore, still_clock: TestClock) -> CustomerService:
    return CustomerService(fake.uow, still_clock)


def refused_fields(customers: CustomerService, actor: Actor, **fields: str) -> set[str | None]:
    draft = CustomerDraft(**{"first_name_en": "Amal", "mobile": "050 123 4567", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationErrors) as refused:
        customers.create(actor, draft)
    return {e.field for e in refused.value.errors}


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_a_name_with_an_invisible_character_is_still_found_by_its_letters(invisible: str) -> None:
    doc = document([f"Mo{invisible}hammed", "Al Mansouri"], None, None, "C-0001")
    terms = query_terms("mohammed")
    assert terms == ["mohammed"]
    assert all(any(word.startswith(t) for word in doc.split()) for t in terms)
    assert query_terms(f"Mo{invisible}ham") == ["moham"]  # a pasted query folds the same way
    assert search_fold(f"مح{invisible}مد") == "محمد"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_are_refused_in_one_line_fields(
    customers: CustomerService, cashier: Actor, fake: FakeStore, separator: str
) -> None:
    for name in ("first_name_en", "last_name_ar", "area", "address_line"):
        assert name in refused_fields(customers, cashier, **{name: f"Al{separator}Ain"})
    assert fake.commits == 0 and not fake.data.customers
    with pytest.raises(ValidationError, match="one line"):
        clean_text(f"a{separator}b", "name", max_length=20)
    assert clean_text(f"a{separator}b", "notes", max_length=20, multiline=True) == "a\nb"


@pytest.mark.parametrize("typed", ["050 CALL NOW", "050 123 HOME", "+971 50 GOLD 123", "٠٥٠ ABC ٤٥٦٧"])
def test_a_phone_number_with_letters_is_refused_not_read_as_keypad_digits(typed: str) -> None:
    with pytest.raises(ValidationError, match="digits only") as refused:
        parse_phone(typed)
    assert refused.value.field == "mobile"


@pytest.mark.parametrize(
    "email", ["user@example..com", "user@.example.com", "user@example.com.", "user..name@example.com", ".u@example.com"]
)
def test_emails_with_empty_labels_are_refused(customers: CustomerService, cashier: Actor, email: str) -> None:
    assert refused_fields(customers, cashier, email=email) == {"email"}


def test_well_formed_emails_still_pass(customers: CustomerService, cashier: Actor) -> None:
    saved = customers.create(
        cashier, CustomerDraft(first_name_en="Amal", mobile="050 123 4567", email="A.B+x@mail.example.ae")
    )
    assert saved.email == "a.b+x@mail.example.ae"


@pytest.mark.parametrize("po_box", ["12³", "²²", "①2", "１２"])
def test_a_po_box_of_digit_likes_is_refused(customers: CustomerService, cashier: Actor, po_box: str) -> None:
    assert refused_fields(customers, cashier, po_box=po_box) == {"po_box"}


@pytest.mark.parametrize(("typed", "stored"), [("١٢٣٤٥", "12345"), ("۱۲۳", "123"), ("  4321 ", "4321")])
def test_a_po_box_is_stored_in_ascii_digits(
    customers: CustomerService, cashier: Actor, typed: str, stored: str
) -> None:
    saved = customers.create(cashier, CustomerDraft(first_name_en="Amal", mobile="050 123 4567", po_box=typed))
    assert saved.po_box == stored
