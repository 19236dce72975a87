"""VIP personal shoppers on a real store: profiles, queue, matching, assignment and transfer, visits,
follow-ups, performance, and the roles and refusals (nothing written, proved on the change log)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from core.customers.model import CustomerDraft, CustomerProfile, draft_from
from core.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationError, ValidationErrors
from core.kernel.ids import new_id
from core.shoppers.model import FollowUpStatus, QueueReason, ShopperDraft, VisitDraft
from core.staff.auth import Actor, Role, hash_pin
from storage.bootstrap import Services
from storage.db import Store
from storage.schema import LoyaltyAccount, Order, OrderLine, PersonalShopperAssignment, Staff, VipVisit
from storage.uow import SqlUnitOfWork
from tests.clock import TestClock

pytestmark = pytest.mark.instants


def log_size(store: Store) -> int:
    with store.read_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change_log")).scalar() or 0)


def staff_actor(services: Services, username: str) -> Actor:
    with services.store.read_session() as session:
        row = session.scalars(select(Staff).where(Staff.username == username)).one()
        return Actor(row.id, row.branch_id, Role(row.role), row.name_en, row.name_ar)


@pytest.fixture
def noura(services: Services) -> Actor:
    return staff_actor(services, "noura.shopper")


@pytest.fixture
def elena(services: Services) -> Actor:
    return staff_actor(services, "elena.shopper")


def new_customer(services: Services, cashier: Actor, name: str, segment: str = "vip", **kw: object) -> CustomerProfile:
    digits = str(abs(hash(name)) % 10_000_000).zfill(7)
    draft = CustomerDraft(first_name_en=name, mobile=f"+97158{digits}", segment=segment, **kw)  # type: ignore[arg-type]
    return services.customers.create(cashier, draft)


def shopper_id(services: Services, manager: Actor, actor: Actor) -> str:
    return next(s.id for s in services.shoppers.shoppers(manager) if s.staff_id == actor.staff_id)


def record_order(store: Store, actor: Actor, customer_id: str, total: int, at: datetime) -> str:
    """A purchase as the till records it (the purchases feature owns this write in the app)."""
    order_id = new_id()
    with SqlUnitOfWork(store, TestClock(at, tick=False), actor) as uow:
        uow.session.add(
            Order(
                id=order_id,
                created_at=at,
                number=f"T-{order_id[-8:]}",
                customer_id=customer_id,
                net_fils=total,
                vat_fils=0,
                total_fils=total,
                tenders={"card": total},
            )
        )
        uow.session.add(
            OrderLine(
                id=new_id(),
                created_at=at,
                order_id=order_id,
                sku="OUD-ROY-50",
                product_name="Royal Oud",
                brand="Perfume & Oud",
                family="oud",
                quantity=1,
                unit_price_fils=total,
                net_fils=total,
                vat_fils=0,
            )
        )
        uow.commit()
    return order_id


def visit(services: Services, customer_id: str, **kw: object) -> VisitDraft:
    return VisitDraft(customer_id=customer_id, visited_at=services.clock.now() - timedelta(minutes=30), **kw)  # type: ignore[arg-type]


# -- profiles ----------------------------------------------------------------------------------------------
def test_demo_seed_has_shopper_profiles_with_vips_visits_and_follow_ups(
    services: Services, manager: Actor, noura: Actor
) -> None:
    shoppers = {s.name_en: s for s in services.shoppers.shoppers(manager)}
    assert {"Noura Al Shamsi", "Elena Petrova", "Hessa Al Mazrouei"} <= set(shoppers)
    assert all(s.capacity == 15 and s.active for s in shoppers.values())
    assert shoppers["Noura Al Shamsi"].languages[0] == "ar" and "oud" in shoppers["Noura Al Shamsi"].specialties
    mine = services.shoppers.my_vips(noura)
    assert mine.shopper.name_en == "Noura Al Shamsi"
    assert mine.customers, "the demo gives Noura some VIPs"
    assert all(c.last_visit_at is not None for c in mine.customers)


def test_manager_creates_and_edits_profiles_cashier_cannot(
    services: Services, store: Store, manager: Actor, cashier: Actor
) -> None:
    staff_id = new_id()
    with store.write_session() as session, session.begin():
        session.add(
            Staff(
                id=staff_id,
                branch_id=store.branch_id,
                username="layla.shopper",
                name_en="Layla Haddad",
                name_ar="ليلى حداد",
                role="personal_shopper",
                pin_hash=hash_pin("2299"),
            )
        )
    assert [s.staff_id for s in services.shoppers.staff_without_profile(manager)] == [staff_id]
    before = log_size(store)
    with pytest.raises(PermissionDenied):
        services.shoppers.create_profile(cashier, ShopperDraft(staff_id))
    with pytest.raises(ValidationErrors):
        services.shoppers.create_profile(manager, ShopperDraft(staff_id, languages=()))
    with pytest.raises(ValidationError, match="personal shopper role"):
        services.shoppers.create_profile(manager, ShopperDraft(cashier.staff_id))
    assert log_size(store) == before
    profile = services.shoppers.create_profile(
        manager, ShopperDraft(staff_id, languages=("en", "hi"), specialties=("niche",), experience_years=3)
    )
    assert (profile.capacity, profile.load, profile.branch_id, profile.active) == (15, 0, store.branch_id, True)
    assert log_size(store) == before + 1
    with pytest.raises(Conflict):
        services.shoppers.create_profile(manager, ShopperDraft(staff_id))
    draft = ShopperDraft(staff_id, languages=("en", "hi"), specialties=("niche",), experience_years=3, capacity=20)
    assert services.shoppers.update_profile(manager, profile.id, draft).capacity == 20
    assert log_size(store) == before + 2
    services.shoppers.update_profile(manager, profile.id, draft)
    assert log_size(store) == before + 2, "an edit that changes nothing writes nothing"
    assert services.shoppers.staff_without_profile(manager) == []


# -- queue, matching, assignment ---------------------------------------------------------------------------
def test_queue_match_and_assign(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor, elena: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem", preferred_language="en")
    queued = {e.customer.id: e for e in services.shoppers.queue(manager)}
    assert queued[reem.id].reason == QueueReason.NO_SHOPPER
    result = services.shoppers.match(manager, reem.id)
    assert result.vip and result.current is None
    assert [c.rank for c in result.candidates] == list(range(1, len(result.candidates) + 1))
    top = result.candidates[0]
    assert not top.full and top.reasons[0].code == "language"
    elena_id = shopper_id(services, manager, elena)
    load = next(s.load for s in services.shoppers.shoppers(manager) if s.id == elena_id)
    before = log_size(store)
    record = services.shoppers.assign(manager, reem.id, elena_id)
    assert record.shopper_name_en == "Elena Petrova" and not record.capacity_override
    assert log_size(store) == before + 2, "the assignment row and the customer's history row"
    assert next(s.load for s in services.shoppers.shoppers(manager) if s.id == elena_id) == load + 1
    assert reem.id not in {e.customer.id for e in services.shoppers.queue(manager)}
    assert reem.id in {c.customer.id for c in services.shoppers.my_vips(elena).customers}
    history = services.customers.history(manager, reem.id)
    assert history[0].action == "shopper_assigned"
    assert history[0].changes["personal_shopper"] == (None, "Elena Petrova")
    with pytest.raises(Conflict):
        services.shoppers.assign(manager, reem.id, shopper_id(services, manager, noura))
    assert log_size(store) == before + 2


def test_roles_a_cashier_cannot_reassign_a_shopper_sees_only_their_own(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor, elena: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    noura_id = shopper_id(services, manager, noura)
    before = log_size(store)
    for actor in (cashier, noura):
        with pytest.raises(PermissionDenied):
            services.shoppers.assign(actor, reem.id, noura_id)
        with pytest.raises(PermissionDenied):
            services.shoppers.transfer(actor, reem.id, noura_id, "why")
        with pytest.raises(PermissionDenied):
            services.shoppers.queue(actor)
        with pytest.raises(PermissionDenied):
            services.shoppers.performance(actor)
    with pytest.raises(PermissionDenied):
        services.shoppers.my_vips(cashier)
    with pytest.raises(PermissionDenied):
        services.shoppers.log_visit(cashier, visit(services, reem.id))
    with pytest.raises(PermissionDenied, match="only their own"):
        services.shoppers.my_vips(elena, noura_id)
    with pytest.raises(PermissionDenied):
        services.shoppers.log_visit(elena, visit(services, reem.id, shopper_id=noura_id))
    assert log_size(store) == before
    assert services.shoppers.my_vips(manager, noura_id).shopper.id == noura_id
    assert services.shoppers.my_vips(noura).shopper.id == noura_id
    with pytest.raises(NotFound, match="no personal shopper profile"):
        services.shoppers.my_vips(manager)


def test_capacity_is_enforced_and_an_override_is_audited(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    noura_id = shopper_id(services, manager, noura)
    profile = next(s for s in services.shoppers.shoppers(manager) if s.id == noura_id)
    draft = ShopperDraft(noura.staff_id, profile.languages, profile.specialties, profile.experience_years, 1)
    if profile.load == 0:
        services.shoppers.assign(manager, new_customer(services, cashier, "First").id, noura_id)
    services.shoppers.update_profile(manager, noura_id, draft)  # capacity 1: full now
    reem = new_customer(services, cashier, "Reem", preferred_language="ar")
    ranked = services.shoppers.match(manager, reem.id).candidates
    assert ranked[0].shopper.id != noura_id and any(c.shopper.id == noura_id and c.full for c in ranked)
    before = log_size(store)
    with pytest.raises(ValidationError) as caught:
        services.shoppers.assign(manager, reem.id, noura_id)
    assert "is full" in caught.value.english() and "override" in caught.value.english()
    with pytest.raises(ValidationError, match="Give a reason"):
        services.shoppers.assign(manager, reem.id, noura_id, override=True, reason="  ")
    assert log_size(store) == before
    record = services.shoppers.assign(manager, reem.id, noura_id, override=True, reason="Asked for Noura by name")
    assert record.capacity_override and record.reason == "Asked for Noura by name"
    with store.read_session() as session:
        row = session.get(PersonalShopperAssignment, record.id)
        assert row is not None and row.capacity_override
    audit = services.customers.history(manager, reem.id)[0]
    assert audit.staff_name == "Khalid Al Suwaidi"
    assert audit.changes["reason"] == (None, "Asked for Noura by name")
    assert "capacity_override" in audit.changes


def test_transfer_keeps_the_history_and_needs_a_reason(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor, elena: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    noura_id, elena_id = shopper_id(services, manager, noura), shopper_id(services, manager, elena)
    services.shoppers.assign(manager, reem.id, noura_id)
    before = log_size(store)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.shoppers.transfer(manager, reem.id, elena_id, "")
    with pytest.raises(Conflict):
        services.shoppers.transfer(manager, reem.id, noura_id, "same")
    assert log_size(store) == before
    services.shoppers.transfer(manager, reem.id, elena_id, "Prefers to shop in English")
    history = services.shoppers.assignment_history(manager, reem.id)
    assert [h.shopper_id for h in history] == [elena_id, noura_id]
    assert history[0].ended_at is None and history[1].ended_at is not None
    assert history[0].reason == "Prefers to shop in English"
    assert reem.id not in {c.customer.id for c in services.shoppers.my_vips(noura).customers}
    assert log_size(store) == before + 3, "old assignment ended, new one, history row"
    services.shoppers.unassign(manager, reem.id, "Moved abroad")
    assert reem.id in {e.customer.id for e in services.shoppers.queue(manager)}


def test_non_vips_are_not_assigned_and_diamond_members_are_vips(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    regular = new_customer(services, cashier, "Regular", segment="regular")
    noura_id = shopper_id(services, manager, noura)
    before = log_size(store)
    with pytest.raises(ValidationError, match="Only VIP customers"):
        services.shoppers.assign(manager, regular.id, noura_id)
    assert log_size(store) == before
    assert regular.id not in {e.customer.id for e in services.shoppers.queue(manager)}

    class Tiers:
        def tier_of(self, customer_id: str) -> str | None:
            return "diamond" if customer_id == regular.id else "gold"

        def tiers_of(self, customer_ids: list[str]) -> dict[str, str]:
            return {c: str(self.tier_of(c)) for c in customer_ids}

        def customers_in_tier(self, tier: str) -> list[str]:
            return [regular.id] if tier == "diamond" else []

    services.shoppers.tiers = Tiers()
    entry = next(e for e in services.shoppers.queue(manager) if e.customer.id == regular.id)
    assert entry.tier == "diamond"
    assert services.shoppers.match(manager, regular.id).vip
    services.shoppers.assign(manager, regular.id, noura_id)
    card = next(c for c in services.shoppers.my_vips(noura).customers if c.customer.id == regular.id)
    assert card.tier == "diamond" and card.vip


def test_an_inactive_shopper_takes_no_customers_and_logs_no_visits(
    services: Services, store: Store, manager: Actor, cashier: Actor, elena: Actor
) -> None:
    elena_id = shopper_id(services, manager, elena)
    profile = next(s for s in services.shoppers.shoppers(manager) if s.id == elena_id)
    reem = new_customer(services, cashier, "Reem")
    services.shoppers.assign(manager, reem.id, elena_id)
    draft = ShopperDraft(elena.staff_id, profile.languages, profile.specialties, profile.experience_years, active=False)
    services.shoppers.update_profile(manager, elena_id, draft)
    assert elena_id not in {c.shopper.id for c in services.shoppers.match(manager, reem.id).candidates}
    stranded = next(e for e in services.shoppers.queue(manager) if e.customer.id == reem.id)
    assert stranded.reason == QueueReason.SHOPPER_INACTIVE and stranded.previous_shopper_en == "Elena Petrova"
    other = new_customer(services, cashier, "Other")
    before = log_size(store)
    with pytest.raises(ValidationError, match="inactive shopper"):
        services.shoppers.assign(manager, other.id, elena_id)
    with pytest.raises(ValidationError, match="inactive shopper"):
        services.shoppers.log_visit(elena, visit(services, reem.id))
    assert log_size(store) == before


# -- visits and follow-ups ---------------------------------------------------------------------------------
def test_log_a_visit_with_its_purchase_and_follow_up(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    services.shoppers.assign(manager, reem.id, shopper_id(services, manager, noura))
    order_id = record_order(store, cashier, reem.id, 89_000, services.clock.now() - timedelta(minutes=5))
    orders = services.shoppers.recent_orders(noura, reem.id)
    assert [o.id for o in orders] == [order_id] and orders[0].items == ("Royal Oud",)
    before = log_size(store)
    today = services.clock.today()
    record = services.shoppers.log_visit(
        noura,
        visit(
            services,
            reem.id,
            duration_minutes=40,
            products_tried=("Royal Oud", "Amber Nights"),
            order_id=order_id,
            mood="delighted",
            notes="Loved the oud; wants a gift set for Eid.",
            next_follow_up=today + timedelta(days=7),
            follow_up_note="Send gift-set photos",
        ),
    )
    assert record.products_bought == ("Royal Oud",), "the linked purchase fills what was bought"
    assert not record.customer_not_vip and record.follow_up_id
    assert log_size(store) == before + 5, "the visit (ledger), its follow-up, its survey with message and template"
    with store.read_engine.connect() as conn:
        ops = conn.execute(text("SELECT entity, op FROM change_log ORDER BY branch_seq DESC LIMIT 5")).all()
    assert sorted(ops) == [
        ("communications", "insert"),
        ("follow_ups", "insert"),
        ("message_templates", "insert"),
        ("survey_invitations", "insert"),
        ("vip_visits", "insert"),
    ]
    card = next(c for c in services.shoppers.my_vips(noura).customers if c.customer.id == reem.id)
    assert card.last_visit_at is not None and card.open_follow_ups == 1
    assert card.next_follow_up_on == today + timedelta(days=7)
    assert "oud" in card.families and "Perfume & Oud" in card.brands
    assert services.shoppers.visits(noura, reem.id)[0].notes == "Loved the oud; wants a gift set for Eid."


def test_bad_visits_write_nothing(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    other = new_customer(services, cashier, "Other")
    foreign_order = record_order(store, cashier, other.id, 10_000, services.clock.now() - timedelta(days=1))
    before = log_size(store)
    with pytest.raises(ValidationErrors) as caught:
        services.shoppers.log_visit(
            noura, replace(visit(services, reem.id), visited_at=services.clock.now() + timedelta(hours=3))
        )
    assert caught.value.field == "visited_at" and "future" in caught.value.english()
    with pytest.raises(ValidationErrors) as caught:
        services.shoppers.log_visit(noura, visit(services, reem.id, order_id=foreign_order))
    assert caught.value.field == "order_id"
    with pytest.raises(ValidationErrors):
        services.shoppers.log_visit(
            noura, visit(services, reem.id, next_follow_up=services.clock.today() - timedelta(days=2))
        )
    with pytest.raises(NotFound):
        services.shoppers.log_visit(noura, visit(services, "no-such-customer"))
    with pytest.raises(NotFound, match="no personal shopper profile"):
        services.shoppers.log_visit(manager, visit(services, reem.id))
    assert log_size(store) == before
    with store.read_engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM vip_visits WHERE customer_id = :c"), {"c": reem.id}).scalar() == 0
        )


def test_a_visit_with_a_non_vip_is_kept_and_flagged(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    walk_in = new_customer(services, cashier, "Walk In", segment="regular")
    record = services.shoppers.log_visit(noura, visit(services, walk_in.id))
    assert record.customer_not_vip
    with store.read_session() as session:
        row = session.get(VipVisit, record.id)
        assert row is not None and row.customer_not_vip
    logged = services.shoppers.log_visit(
        manager, visit(services, walk_in.id, shopper_id=shopper_id(services, manager, noura))
    )
    assert logged.shopper_id == record.shopper_id, "a manager may log a visit for a shopper"


def test_follow_ups_due_today_overdue_for_the_manager_and_closing_them(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor, elena: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    services.shoppers.assign(manager, reem.id, shopper_id(services, manager, noura))
    today = services.clock.today()
    due = services.shoppers.log_visit(noura, visit(services, reem.id, next_follow_up=today, follow_up_note="Call"))
    assert due.follow_up_id in {f.id for f in services.shoppers.my_vips(noura).due}
    # An overdue one, as a till whose date has moved on would see it.
    later = replace(services, clock=services.clock.shifted(days=3))
    from core.shoppers.service import ShopperService
    from storage.uow import uow_factory

    shoppers_later = ShopperService(uow_factory(store, later.clock), later.clock)  # type: ignore[arg-type]
    overdue = shoppers_later.overdue_follow_ups(manager)
    item = next(f for f in overdue if f.id == due.follow_up_id)
    assert item.overdue(later.clock.today()) and item.shopper_name_en == "Noura Al Shamsi"
    with pytest.raises(PermissionDenied):
        shoppers_later.overdue_follow_ups(noura)
    assert due.follow_up_id is not None
    before = log_size(store)
    with pytest.raises(PermissionDenied, match="another shopper"):
        services.shoppers.close_follow_up(elena, due.follow_up_id)
    assert log_size(store) == before
    services.shoppers.close_follow_up(noura, due.follow_up_id)
    assert log_size(store) == before + 1
    with pytest.raises(Conflict):
        services.shoppers.close_follow_up(manager, due.follow_up_id, FollowUpStatus.CANCELLED)
    assert due.follow_up_id not in {f.id for f in services.shoppers.my_vips(noura).due}


def test_my_vips_shows_upcoming_birthdays_and_anniversaries(
    services: Services, store: Store, manager: Actor, cashier: Actor, noura: Actor
) -> None:
    reem = new_customer(services, cashier, "Reem")
    today = services.clock.today()
    soon = today + timedelta(days=6)
    birthday = date(1988, soon.month, min(soon.day, 28))
    services.customers.update(cashier, reem.id, replace(draft_from(reem), birthday=birthday))
    services.shoppers.assign(manager, reem.id, shopper_id(services, manager, noura))
    card = next(c for c in services.shoppers.my_vips(noura).customers if c.customer.id == reem.id)
    assert card.next_birthday is not None and card.next_birthday.month == birthday.month
    assert card.anniversary_on is None, "a customer of less than a year has no anniversary yet"
    seeded = services.shoppers.my_vips(noura).customers
    for c in seeded:
        if c.anniversary_on is not None:
            assert 0 <= (c.anniversary_on - today).days <= 30 and c.anniversary_years >= 1


# -- performance -------------------------------------------------------------------------------------------
def test_performance_counts_visits_sales_since_assignment_and_retention(
    services: Services, store: Store, manager: Actor, cashier: Actor, elena: Actor
) -> None:
    elena_id = shopper_id(services, manager, elena)
    before = {p.shopper.id: p for p in services.shoppers.performance(manager)}[elena_id]
    reem = new_customer(services, cashier, "Reem", preferred_language="en")
    record_order(store, cashier, reem.id, 50_000, services.clock.now() - timedelta(days=2))  # before assignment
    services.shoppers.assign(manager, reem.id, elena_id)
    record_order(store, cashier, reem.id, 120_000, services.clock.now() + timedelta(seconds=1))
    services.shoppers.log_visit(elena, visit(services, reem.id))
    after = {p.shopper.id: p for p in services.shoppers.performance(manager)}[elena_id]
    assert after.assigned == before.assigned + 1
    assert after.visits == before.visits + 1
    assert after.sales_fils == before.sales_fils + 120_000, "only purchases made while with the shopper"
    assert after.retained == before.retained + 1
    assert after.retention_percent == round(100 * after.retained / after.assigned)


def test_diamond_tier_from_the_loyalty_accounts_cache_makes_a_vip(
    services: Services, store: Store, manager: Actor, cashier: Actor
) -> None:
    regular = new_customer(services, cashier, "Diamond Member", segment="regular")
    assert regular.id not in {e.customer.id for e in services.shoppers.queue(manager)}
    with SqlUnitOfWork(store, services.clock, manager) as uow:
        uow.session.add(
            LoyaltyAccount(id=new_id(), customer_id=regular.id, card_number=f"L-{regular.number}", tier="diamond")
        )
        uow.commit()
    entry = next(e for e in services.shoppers.queue(manager) if e.customer.id == regular.id)
    assert entry.tier == "diamond"
    assert services.shoppers.match(manager, regular.id).vip
