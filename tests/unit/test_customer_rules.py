"""Customer rules on fakes: what create and update refuse, that a mobile belongs to one customer whatever
digits it was typed in, and that an edit writes only what changed (nothing at all when nothing did)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from core.customers.model import CustomerDraft, customer_zone
from core.customers.service import CustomerService
from core.kernel.errors import NotFound, ValidationErrors
from core.staff.auth import Actor
from tests.clock import INSTANTS, TestClock
from tests.fakes import FakeStore

AMAL = CustomerDraft(first_name_en="Amal", last_name_en="Haddad", mobile="050 123 4567", email="amal@example.com")


@pytest.fixture
def customers(fake: FakeStore, still_clock: TestClock) -> CustomerService:
    return CustomerService(fake.uow, still_clock)


def fields_of(error: ValidationErrors) -> set[str | None]:
    return {e.field for e in error.errors}


def test_create_reports_every_bad_field_at_once_and_writes_nothing(
    customers: CustomerService, cashier: Actor, fake: FakeStore
) -> None:
    draft = CustomerDraft(mobile="", email="not-an-email", po_box="12a", birthday=date(1899, 12, 31))
    with pytest.raises(ValidationErrors) as refused:
        customers.create(cashier, draft)
    assert fields_of(refused.value) == {"first_name_en", "mobile", "email", "po_box", "birthday"}
    assert fake.commits == 0 and not fake.data.customers


def test_create_stores_the_mobile_in_e164_and_the_email_in_lower_case(
    customers: CustomerService, cashier: Actor
) -> None:
    profile = customers.create(
        cashier, CustomerDraft(first_name_ar="أمل", mobile="٠٥٠١٢٣٤٥٦٧", email="Amal@Example.COM")
    )
    assert profile.mobile == "+971501234567"
    assert profile.email == "amal@example.com"
    assert customers.get(profile.id) == profile


@pytest.mark.parametrize("typed", ["+971 50 123 4567", "٠٥٠١٢٣٤٥٦٧", "0501234567", "۰۵۰۱۲۳۴۵۶۷"])
def test_a_mobile_already_on_a_customer_is_refused_however_it_is_typed(
    customers: CustomerService, cashier: Actor, fake: FakeStore, typed: str
) -> None:
    customers.create(cashier, AMAL)
    with pytest.raises(ValidationErrors) as refused:
        customers.create(cashier, CustomerDraft(first_name_en="Other", mobile=typed))
    assert fields_of(refused.value) == {"mobile"}
    assert len(fake.data.customers) == 1 and fake.commits == 1


def test_an_edit_that_changes_nothing_writes_nothing(
    customers: CustomerService, cashier: Actor, fake: FakeStore
) -> None:
    profile = customers.create(cashier, AMAL)
    same_but_typed_differently = CustomerDraft(
        first_name_en=" Amal ", last_name_en="Haddad", mobile="+971501234567", email="AMAL@example.com"
    )
    assert customers.update(cashier, profile.id, same_but_typed_differently) == profile
    assert fake.commits == 1
    assert [e.action for e in customers.history(cashier, profile.id)] == ["created"]


def test_an_edit_writes_only_the_fields_that_changed(customers: CustomerService, cashier: Actor) -> None:
    profile = customers.create(cashier, AMAL)
    edited = customers.update(cashier, profile.id, CustomerDraft(**{**AMAL.__dict__, "area": "Al Barsha"}))
    assert edited.area == "Al Barsha" and edited.mobile == profile.mobile
    latest = customers.history(cashier, profile.id)[0]
    assert latest.action == "updated"
    assert latest.changes == {"area": (None, "Al Barsha")}


def test_an_edit_may_keep_its_own_mobile_but_not_take_another_customers(
    customers: CustomerService, cashier: Actor
) -> None:
    amal = customers.create(cashier, AMAL)
    omar = customers.create(cashier, CustomerDraft(first_name_en="Omar", mobile="055 765 4321"))
    renamed = customers.update(cashier, amal.id, CustomerDraft(**{**AMAL.__dict__, "first_name_en": "Amaal"}))
    assert renamed.first_name_en == "Amaal"
    with pytest.raises(ValidationErrors) as refused:
        customers.update(cashier, omar.id, CustomerDraft(first_name_en="Omar", mobile="050 123 4567"))
    assert fields_of(refused.value) == {"mobile"}
    assert customers.get(omar.id).mobile == "+971557654321"


def test_editing_a_customer_that_is_gone_is_refused(customers: CustomerService, cashier: Actor) -> None:
    with pytest.raises(NotFound):
        customers.update(cashier, "no-such-customer", AMAL)
    with pytest.raises(NotFound):
        customers.get("no-such-customer")


@pytest.mark.parametrize("instant", [INSTANTS["new_years_eve_dubai"]])
def test_a_birthday_is_in_the_future_by_dubai_s_date_not_utc_s(
    customers: CustomerService, cashier: Actor, still_clock: TestClock, instant: datetime
) -> None:
    new_year = date(2027, 1, 1)
    draft = CustomerDraft(**{**AMAL.__dict__, "birthday": new_year})
    with pytest.raises(ValidationErrors) as refused:
        customers.create(cashier, draft)  # 23:59 on 31 December in Dubai
    assert fields_of(refused.value) == {"birthday"}
    still_clock.advance(minutes=1)
    assert still_clock.now().date() == date(2026, 12, 31), "still the old year in UTC"
    assert customers.create(cashier, draft).birthday == new_year


def test_search_finds_by_any_name_or_the_mobile_as_typed(customers: CustomerService, cashier: Actor) -> None:
    amal = customers.create(cashier, CustomerDraft(**{**AMAL.__dict__, "first_name_ar": "أمل"}))
    customers.create(cashier, CustomerDraft(first_name_en="Omar", mobile="055 765 4321"))
    for typed in ("ama hadd", "أمل", "0501234"):
        assert [s.id for s in customers.search(typed)] == [amal.id], typed
    assert customers.search("   ") == []


def test_an_export_customer_abroad_has_a_time_zone_checked_against_the_iana_names(
    customers: CustomerService, cashier: Actor
) -> None:
    abroad = customers.create(cashier, replace(AMAL, segment="export", time_zone=" europe/london "))
    assert (abroad.time_zone, abroad.zone) == ("Europe/London", "Europe/London")
    home = customers.create(
        cashier, replace(AMAL, mobile="050 765 4321", email="", segment="export", time_zone="Asia/Dubai")
    )
    assert (home.time_zone, home.zone) == (None, "Asia/Dubai")
    for segment, zone in (
        ("export", "Europe/Londres"),
        ("export", "GMT+4 "),
        ("export", "x" * 200),
        ("vip", "Asia/Tokyo"),
    ):
        with pytest.raises(ValidationErrors) as refused:
            customers.create(cashier, replace(AMAL, mobile="050 111 2222", email="", segment=segment, time_zone=zone))
        assert fields_of(refused.value) == {"time_zone"}


def test_a_customer_at_home_lives_in_dubai_whatever_zone_a_row_holds() -> None:
    assert customer_zone("regular", "Europe/London") == "Asia/Dubai"
    assert customer_zone("export", None) == "Asia/Dubai"
    assert customer_zone("export", "America/Los_Angeles") == "America/Los_Angeles"
