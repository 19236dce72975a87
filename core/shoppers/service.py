"""VIP personal-shopper use cases: profiles, matching, assignment and transfer, "My VIPs", visits, follow-ups
and performance. Each is one unit of work; every refusal happens before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol

from core.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationError, ValidationErrors
from core.kernel.events import VisitLogged
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWork
from core.shoppers.matching import CustomerNeeds, MatchCandidate, ShopperProfile, rank_shoppers
from core.shoppers.model import (
    DIAMOND_TIER,
    PERFORMANCE_DAYS,
    RETENTION_DAYS,
    AssignmentRecord,
    CustomerBrief,
    FlaggedVisit,
    FollowUpItem,
    FollowUpStatus,
    MyVips,
    OrderSummary,
    QueueEntry,
    ShopperCandidateStaff,
    ShopperDraft,
    ShopperPerformance,
    TierLookup,
    VipCard,
    VipRow,
    VisitDraft,
    VisitRecord,
    clean_reason,
    is_vip,
    upcoming,
    validate_shopper,
    validate_visit,
)
from core.staff.auth import Actor, Permission, Role


class ShopperRepository(Protocol):
    def shoppers(self, include_inactive: bool) -> list[ShopperProfile]: ...

    def shopper(self, shopper_id: str) -> ShopperProfile | None: ...

    def shopper_by_staff(self, staff_id: str) -> ShopperProfile | None: ...

    def staff_without_profile(self) -> list[ShopperCandidateStaff]: ...

    def staff_role(self, staff_id: str) -> tuple[str, str] | None: ...  # (role, branch_id)

    def add_shopper(self, staff_id: str, branch_id: str, values: dict[str, object]) -> str: ...

    def update_shopper(self, shopper_id: str, changes: dict[str, object]) -> None: ...

    def customer(self, customer_id: str) -> CustomerBrief | None: ...

    def customer_needs(self, customer_id: str) -> CustomerNeeds | None: ...

    def active_assignment(self, customer_id: str) -> AssignmentRecord | None: ...

    def assignments(self, customer_id: str) -> list[AssignmentRecord]: ...

    def add_assignment(
        self, customer_id: str, shopper_id: str, at: datetime, reason: str | None, override: bool
    ) -> str: ...

    def end_assignment(self, assignment_id: str, at: datetime) -> None: ...

    def record_history(self, customer_id: str, action: str, changes: dict[str, list[object]]) -> None: ...

    def vip_queue(self, diamond_ids: list[str]) -> list[QueueEntry]: ...

    def vip_rows(self, shopper_id: str) -> list[VipRow]: ...

    def follow_ups(self, shopper_id: str | None, due_until: date | None) -> list[FollowUpItem]: ...

    def follow_up(self, follow_up_id: str) -> FollowUpItem | None: ...

    def set_follow_up_status(self, follow_up_id: str, status: FollowUpStatus) -> None: ...

    def count_visits(self, shopper_id: str, since: datetime) -> int: ...

    def recent_orders(self, customer_id: str, limit: int) -> list[OrderSummary]: ...

    def order_for_visit(self, order_id: str) -> tuple[str | None, OrderSummary] | None: ...

    def add_visit(self, values: dict[str, object]) -> str: ...

    def add_follow_up(self, values: dict[str, object]) -> str: ...

    def visits(self, customer_id: str, limit: int) -> list[VisitRecord]: ...

    def flagged_visits(self, since: datetime) -> list[FlaggedVisit]: ...

    def performance(
        self, since: datetime, retention_since: datetime
    ) -> list[tuple[ShopperProfile, int, int, int, int]]: ...


class ShopperUnitOfWork(UnitOfWork, Protocol):
    shoppers: ShopperRepository


ShopperUowFactory = Callable[[Actor | None], ShopperUnitOfWork]


@dataclass(frozen=True)
class MatchResult:
    customer: CustomerBrief
    tier: str | None
    vip: bool
    current: AssignmentRecord | None
    candidates: list[MatchCandidate]


class ShopperService:
    """Refuses, in words the user can read: a role without the permission, an inactive shopper, a full
    shopper without an audited override, a visit dated in the future; a non-VIP visit is kept but flagged."""

    def __init__(self, uow: ShopperUowFactory, clock: Clock, tiers: TierLookup | None = None) -> None:
        self._uow = uow
        self._clock = clock
        # Until the loyalty feature is wired in, only the VIP segment makes a customer a VIP here.
        self.tiers = tiers

    # -- profiles ------------------------------------------------------------------------------------------
    def shoppers(self, actor: Actor, include_inactive: bool = True) -> list[ShopperProfile]:
        actor.require(Permission.VIEW_ALL_VIPS)
        with self._uow(None) as uow:
            return uow.shoppers.shoppers(include_inactive)

    def staff_without_profile(self, actor: Actor) -> list[ShopperCandidateStaff]:
        actor.require(Permission.MANAGE_SHOPPERS)
        with self._uow(None) as uow:
            return uow.shoppers.staff_without_profile()

    def create_profile(self, actor: Actor, draft: ShopperDraft) -> ShopperProfile:
        """A profile for a personal-shopper staff account that has none."""
        actor.require(Permission.MANAGE_SHOPPERS)
        values = validate_shopper(draft)
        with self._uow(actor) as uow:
            repo = uow.shoppers
            staff = repo.staff_role(draft.staff_id)
            if staff is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This staff account no longer exists."))
            if staff[0] != Role.PERSONAL_SHOPPER:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "Only staff with the personal shopper role can have a shopper profile."),
                    "staff_id",
                )
            if repo.shopper_by_staff(draft.staff_id) is not None:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This staff member already has a shopper profile."))
            shopper_id = repo.add_shopper(draft.staff_id, staff[1], values)
            profile = repo.shopper(shopper_id)
            uow.commit()
        assert profile is not None
        return profile

    def update_profile(self, actor: Actor, shopper_id: str, draft: ShopperDraft) -> ShopperProfile:
        """Writes only what changed. A shopper made inactive keeps their customers, who go back to the queue."""
        actor.require(Permission.MANAGE_SHOPPERS)
        values = validate_shopper(draft)
        with self._uow(actor) as uow:
            repo = uow.shoppers
            current = self._shopper(repo, shopper_id)
            before: dict[str, object] = {
                "languages": list(current.languages),
                "specialties": list(current.specialties),
                "experience_years": current.experience_years,
                "capacity": current.capacity,
                "active": current.active,
            }
            changes = {k: v for k, v in values.items() if before[k] != v}
            if not changes:
                return current
            repo.update_shopper(shopper_id, changes)
            profile = self._shopper(repo, shopper_id)
            uow.commit()
        return profile

    # -- matching and assignment ---------------------------------------------------------------------------
    def queue(self, actor: Actor) -> list[QueueEntry]:
        """VIPs (segment VIP or Diamond tier) with no active shopper, longest waiting first."""
        actor.require(Permission.ASSIGN_SHOPPERS)
        diamonds = self.tiers.customers_in_tier(DIAMOND_TIER) if self.tiers else []
        with self._uow(None) as uow:
            entries = uow.shoppers.vip_queue(diamonds)
        tiers = self.tiers.tiers_of([e.customer.id for e in entries]) if self.tiers and entries else {}
        return [replace(e, tier=tiers.get(e.customer.id)) for e in entries]

    def match(self, actor: Actor, customer_id: str) -> MatchResult:
        """Every active shopper ranked for this customer, with the score and the reasons."""
        actor.require(Permission.ASSIGN_SHOPPERS)
        with self._uow(None) as uow:
            repo = uow.shoppers
            customer = self._customer(repo, customer_id)
            needs = repo.customer_needs(customer_id)
            shoppers = repo.shoppers(False)
            current = repo.active_assignment(customer_id)
        assert needs is not None
        tier = self._tier(customer_id)
        candidates = rank_shoppers(needs, shoppers)
        return MatchResult(customer, tier, is_vip(customer.segment, tier), current, candidates)

    def assign(
        self, actor: Actor, customer_id: str, shopper_id: str, *, override: bool = False, reason: str = ""
    ) -> AssignmentRecord:
        """Gives a VIP without a shopper to ``shopper_id``. A full shopper needs ``override`` (a manager's
        right) and a reason; both are kept on the assignment and in the customer's history."""
        actor.require(Permission.ASSIGN_SHOPPERS)
        if override:
            actor.require(Permission.OVERRIDE_SHOPPER_CAPACITY)
        text = clean_reason(reason, required=override)
        with self._uow(actor) as uow:
            repo = uow.shoppers
            customer = self._customer(repo, customer_id)
            current = repo.active_assignment(customer_id)
            if current is not None and current.shopper_id == shopper_id:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This customer is already with this shopper."))
            if current is not None:
                raise Conflict(
                    QT_TRANSLATE_NOOP(
                        "core", "This customer already has a personal shopper. Use Transfer to change shopper."
                    )
                )
            self._refuse_non_vip(customer)
            shopper = self._takes_customers(repo, shopper_id, override)
            record = self._start(repo, customer_id, shopper, text, override, None, "shopper_assigned")
            uow.commit()
        return record

    def transfer(
        self, actor: Actor, customer_id: str, shopper_id: str, reason: str, *, override: bool = False
    ) -> AssignmentRecord:
        """Moves a customer to another shopper with a reason; the previous assignment is ended, not erased."""
        actor.require(Permission.ASSIGN_SHOPPERS)
        if override:
            actor.require(Permission.OVERRIDE_SHOPPER_CAPACITY)
        text = clean_reason(reason, required=True)
        with self._uow(actor) as uow:
            repo = uow.shoppers
            self._customer(repo, customer_id)
            current = repo.active_assignment(customer_id)
            if current is None:
                raise Conflict(
                    QT_TRANSLATE_NOOP("core", "This customer has no personal shopper yet. Use Assign instead.")
                )
            if current.shopper_id == shopper_id:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This customer is already with this shopper."))
            shopper = self._takes_customers(repo, shopper_id, override)
            now = self._clock.now()
            repo.end_assignment(current.id, now)
            record = self._start(repo, customer_id, shopper, text, override, current, "shopper_transferred")
            uow.commit()
        return record

    def unassign(self, actor: Actor, customer_id: str, reason: str) -> None:
        """Ends the customer's assignment; a VIP goes back to the queue."""
        actor.require(Permission.ASSIGN_SHOPPERS)
        text = clean_reason(reason, required=True)
        with self._uow(actor) as uow:
            repo = uow.shoppers
            self._customer(repo, customer_id)
            current = repo.active_assignment(customer_id)
            if current is None:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This customer has no personal shopper."))
            repo.end_assignment(current.id, self._clock.now())
            repo.record_history(
                customer_id,
                "shopper_removed",
                {"personal_shopper": [current.shopper_name_en, None], "reason": [None, text]},
            )
            uow.commit()

    def assignment_history(self, actor: Actor, customer_id: str) -> list[AssignmentRecord]:
        """Every assignment the customer has had, the current one first."""
        actor.require(Permission.VIEW_OWN_VIPS)
        with self._uow(None) as uow:
            return uow.shoppers.assignments(customer_id)

    # -- the shopper's day ---------------------------------------------------------------------------------
    def my_vips(self, actor: Actor, shopper_id: str | None = None) -> MyVips:
        """The signed-in shopper's VIPs (a manager may name any shopper), with today's follow-ups."""
        actor.require(Permission.VIEW_OWN_VIPS)
        today = self._clock.today()
        now = self._clock.now()
        with self._uow(None) as uow:
            repo = uow.shoppers
            shopper = self._visible_shopper(repo, actor, shopper_id)
            rows = repo.vip_rows(shopper.id)
            due = repo.follow_ups(shopper.id, today)
            visits = repo.count_visits(shopper.id, now - timedelta(days=30))
        tiers = self.tiers.tiers_of([row.customer.id for row in rows]) if self.tiers and rows else {}
        cards = [self._card(row, tiers.get(row.customer.id), today) for row in rows]
        return MyVips(shopper, cards, due, visits, today)

    def recent_orders(self, actor: Actor, customer_id: str, limit: int = 10) -> list[OrderSummary]:
        """The customer's latest recorded purchases, to link a visit to the one it led to."""
        actor.require(Permission.LOG_VIP_VISITS)
        with self._uow(None) as uow:
            return uow.shoppers.recent_orders(customer_id, limit)

    def visits(self, actor: Actor, customer_id: str, limit: int = 20) -> list[VisitRecord]:
        actor.require(Permission.VIEW_OWN_VIPS)
        with self._uow(None) as uow:
            return uow.shoppers.visits(customer_id, limit)

    def log_visit(self, actor: Actor, draft: VisitDraft) -> VisitRecord:
        """Records a visit (a ledger event that syncs) and, with a next follow-up date, its follow-up.

        Refuses a visit dated in the future, an inactive shopper, a purchase of another customer. A visit
        with a customer who is not a VIP is kept and flagged (``customer_not_vip``) for the manager."""
        actor.require(Permission.LOG_VIP_VISITS)
        now = self._clock.now()
        values = validate_visit(draft, now, self._clock.today())
        with self._uow(actor) as uow:
            repo = uow.shoppers
            customer = self._customer(repo, draft.customer_id)
            shopper = self._visible_shopper(repo, actor, draft.shopper_id)
            if not shopper.active:
                raise ValidationError(
                    QT_TRANSLATE_NOOP("core", "{name} is an inactive shopper: a manager must reactivate them first."),
                    "shopper_id",
                    name=shopper.name_en,
                )
            bought = list(values["products_bought"])  # type: ignore[call-overload]
            order_id = values["order_id"]
            if order_id is not None:
                found = repo.order_for_visit(str(order_id))
                if found is None or found[0] != customer.id:
                    raise ValidationErrors(
                        [
                            ValidationError(
                                QT_TRANSLATE_NOOP("core", "This purchase is not one of this customer's orders."),
                                "order_id",
                            )
                        ]
                    )
                if not bought:
                    bought = list(found[1].items)
            flagged = not is_vip(customer.segment, self._tier(customer.id))
            visit = {
                "customer_id": customer.id,
                "shopper_id": shopper.id,
                "visited_at": values["visited_at"],
                "duration_minutes": values["duration_minutes"],
                "products_tried": values["products_tried"],
                "products_bought": bought,
                "order_id": order_id,
                "mood": values["mood"],
                "notes": values["notes"],
                "next_follow_up": values["next_follow_up"],
                "customer_not_vip": flagged,
            }
            visit_id = repo.add_visit(visit)
            follow_up_id = None
            if values["next_follow_up"] is not None:
                follow_up_id = repo.add_follow_up(
                    {
                        "customer_id": customer.id,
                        "shopper_id": shopper.id,
                        "visit_id": visit_id,
                        "due_on": values["next_follow_up"],
                        "note": values["follow_up_note"],
                    }
                )
            uow.raise_event(
                VisitLogged(
                    visit_id=visit_id,
                    customer_id=customer.id,
                    shopper_id=shopper.id,
                    visited_at=draft.visited_at,
                    order_id=str(order_id) if order_id else None,
                    follow_up_on=values["next_follow_up"],  # type: ignore[arg-type]
                )
            )
            uow.commit()
        return VisitRecord(
            id=visit_id,
            customer_id=customer.id,
            shopper_id=shopper.id,
            visited_at=draft.visited_at,
            duration_minutes=int(str(values["duration_minutes"])),
            products_tried=tuple(values["products_tried"]),  # type: ignore[arg-type]
            products_bought=tuple(bought),
            order_id=str(order_id) if order_id else None,
            mood=str(values["mood"]) if values["mood"] else None,
            notes=str(values["notes"]) if values["notes"] else None,
            next_follow_up=values["next_follow_up"],  # type: ignore[arg-type]
            customer_not_vip=flagged,
            follow_up_id=follow_up_id,
        )

    def overdue_follow_ups(self, actor: Actor) -> list[FollowUpItem]:
        """Every shopper's open follow-ups past their date, oldest first: the manager's list."""
        actor.require(Permission.VIEW_ALL_VIPS)
        yesterday = self._clock.today() - timedelta(days=1)
        with self._uow(None) as uow:
            return uow.shoppers.follow_ups(None, yesterday)

    def flagged_visits(self, actor: Actor, days: int = PERFORMANCE_DAYS) -> list[FlaggedVisit]:
        """Visits logged with customers who were not VIPs, newest first: the manager's list."""
        actor.require(Permission.VIEW_ALL_VIPS)
        with self._uow(None) as uow:
            return uow.shoppers.flagged_visits(self._clock.now() - timedelta(days=days))

    def close_follow_up(self, actor: Actor, follow_up_id: str, status: FollowUpStatus = FollowUpStatus.DONE) -> None:
        """Marks a follow-up done or cancelled: its shopper may, and a manager may for anyone."""
        actor.require(Permission.VIEW_OWN_VIPS)
        if status == FollowUpStatus.OPEN:
            raise ValidationError(QT_TRANSLATE_NOOP("core", "Mark the follow-up done or cancelled."), "status")
        with self._uow(actor) as uow:
            repo = uow.shoppers
            item = repo.follow_up(follow_up_id)
            if item is None:
                raise NotFound(QT_TRANSLATE_NOOP("core", "This follow-up no longer exists."))
            if not actor.can(Permission.VIEW_ALL_VIPS):
                own = repo.shopper_by_staff(actor.staff_id)
                if own is None or own.id != item.shopper_id:
                    raise PermissionDenied(
                        QT_TRANSLATE_NOOP("core", "This follow-up belongs to another shopper's customer.")
                    )
            if item.status != FollowUpStatus.OPEN:
                raise Conflict(QT_TRANSLATE_NOOP("core", "This follow-up is already closed."))
            repo.set_follow_up_status(follow_up_id, status)
            uow.commit()

    # -- performance ---------------------------------------------------------------------------------------
    def performance(self, actor: Actor, days: int = PERFORMANCE_DAYS) -> list[ShopperPerformance]:
        """Per shopper: VIPs assigned now, visits and sales of their VIPs (since assignment) over ``days``,
        and retention: the share of their VIPs who bought in the last RETENTION_DAYS."""
        actor.require(Permission.VIEW_SHOPPER_PERFORMANCE)
        now = self._clock.now()
        with self._uow(None) as uow:
            rows = uow.shoppers.performance(now - timedelta(days=days), now - timedelta(days=RETENTION_DAYS))
        return [
            ShopperPerformance(s, assigned, visits, sales, retained) for s, assigned, visits, sales, retained in rows
        ]

    # -- helpers -------------------------------------------------------------------------------------------
    def _tier(self, customer_id: str) -> str | None:
        return self.tiers.tier_of(customer_id) if self.tiers else None

    @staticmethod
    def _card(row: VipRow, tier: str | None, today: date) -> VipCard:
        anniversary = upcoming(row.created_at.date(), today)
        years = anniversary.year - row.created_at.year if anniversary else 0
        if years < 1:
            anniversary, years = None, 0
        return VipCard(
            customer=row.customer,
            mobile=row.mobile,
            tier=tier,
            vip=is_vip(row.customer.segment, tier),
            last_visit_at=row.last_visit_at,
            next_birthday=upcoming(row.birthday, today),
            anniversary_on=anniversary,
            anniversary_years=years,
            open_follow_ups=row.open_follow_ups,
            next_follow_up_on=row.next_follow_up_on,
            families=row.families,
            brands=row.brands,
            assigned_at=row.assigned_at,
        )

    @staticmethod
    def _customer(repo: ShopperRepository, customer_id: str) -> CustomerBrief:
        customer = repo.customer(customer_id)
        if customer is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This customer no longer exists."))
        return customer

    @staticmethod
    def _shopper(repo: ShopperRepository, shopper_id: str) -> ShopperProfile:
        shopper = repo.shopper(shopper_id)
        if shopper is None:
            raise NotFound(QT_TRANSLATE_NOOP("core", "This personal shopper no longer exists."))
        return shopper

    def _visible_shopper(self, repo: ShopperRepository, actor: Actor, shopper_id: str | None) -> ShopperProfile:
        """The actor's own profile, or, for a manager, the shopper named."""
        own = repo.shopper_by_staff(actor.staff_id)
        if shopper_id is None or (own is not None and own.id == shopper_id):
            if own is None:
                raise NotFound(
                    QT_TRANSLATE_NOOP("core", "You have no personal shopper profile. Ask a manager to create one.")
                )
            return own
        if not actor.can(Permission.VIEW_ALL_VIPS):
            raise PermissionDenied(QT_TRANSLATE_NOOP("core", "A shopper sees only their own VIP customers."))
        return self._shopper(repo, shopper_id)

    def _refuse_non_vip(self, customer: CustomerBrief) -> None:
        if not is_vip(customer.segment, self._tier(customer.id)):
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "core", "Only VIP customers (VIP segment or Diamond tier) are given a personal shopper."
                ),
                "customer_id",
            )

    def _takes_customers(self, repo: ShopperRepository, shopper_id: str, override: bool) -> ShopperProfile:
        shopper = self._shopper(repo, shopper_id)
        if not shopper.active:
            raise ValidationError(
                QT_TRANSLATE_NOOP("core", "{name} is an inactive shopper and cannot take customers."),
                "shopper_id",
                name=shopper.name_en,
            )
        if shopper.full and not override:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "{name} is full ({load} of {capacity} VIP customers). "
                    "A manager can override capacity with a reason.",
                ),
                "shopper_id",
                name=shopper.name_en,
                load=shopper.load,
                capacity=shopper.capacity,
            )
        return shopper

    def _start(
        self,
        repo: ShopperRepository,
        customer_id: str,
        shopper: ShopperProfile,
        reason: str | None,
        override: bool,
        previous: AssignmentRecord | None,
        action: str,
    ) -> AssignmentRecord:
        now = self._clock.now()
        over = override and shopper.full
        assignment_id = repo.add_assignment(customer_id, shopper.id, now, reason, over)
        changes: dict[str, list[object]] = {
            "personal_shopper": [previous.shopper_name_en if previous else None, shopper.name_en]
        }
        if reason:
            changes["reason"] = [None, reason]
        if over:
            changes["capacity_override"] = [None, f"{shopper.load + 1}/{shopper.capacity}"]
        repo.record_history(customer_id, action, changes)
        return AssignmentRecord(
            id=assignment_id,
            customer_id=customer_id,
            shopper_id=shopper.id,
            shopper_name_en=shopper.name_en,
            shopper_name_ar=shopper.name_ar,
            assigned_at=now,
            ended_at=None,
            reason=reason,
            capacity_override=over,
        )
