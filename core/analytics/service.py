"""Customer analytics as the app uses them: a recompute of every customer (in the background, nightly or on
demand) and one customer's figures for the customer screen.

Who sees a customer's figures: staff who may view analytics (managers), and a personal shopper for the customers
assigned to them now; anyone else is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.analytics.customers import (
    CustomerAnalyticsResult,
    ModelStatus,
    Settings,
    Validation,
    compute_customer_analytics,
)
from core.analytics.frame import OrdersFrame
from core.analytics.ports import AnalyticsUnitOfWork, CustomerInsight
from core.kernel.errors import PermissionDenied
from core.kernel.i18n import QT_TRANSLATE_NOOP
from core.kernel.ports import Clock, UnitOfWorkFactory
from core.staff.auth import Actor, Permission, Role


def _unattended(branch_id: str) -> Actor:
    """The store's own identity for the nightly recompute (as the campaign executor's)."""
    return Actor("", branch_id, Role.ADMIN, "analytics")


@dataclass(frozen=True)
class Recomputed:
    customers: int
    written: int  # rows inserted or changed
    status: ModelStatus
    validation: Validation | None


class CustomerAnalyticsService:
    def __init__(
        self,
        uow: UnitOfWorkFactory[AnalyticsUnitOfWork],
        clock: Clock,
        settings: Settings = Settings(),  # noqa: B008 (frozen)
        branch_id: Callable[[], str] = lambda: "",
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._settings = settings
        self._branch_id = branch_id  # this store's branch, for the unattended recompute

    def recompute(self, actor: Actor) -> Recomputed:
        """Reads the store's history, computes every customer (core.analytics.customers) and writes the rows
        whose figures changed, in one transaction."""
        actor.require(Permission.VIEW_ANALYTICS)
        now = self._clock.now()
        with self._uow(None) as uow:
            frame = uow.customer_analytics.orders_frame()
            declared = uow.customer_analytics.declared_preferences(frame)
        result = compute_customer_analytics(frame, now, declared=declared, settings=self._settings)
        with self._uow(actor) as uow:
            written = uow.customer_analytics.save(result, frame)
            uow.commit()
        return Recomputed(frame.customers, written, result.status, result.validation)

    def save_rows(self, actor: Actor | None, result: CustomerAnalyticsResult, frame: OrdersFrame) -> int:
        """Writes the rows of ``result`` (computed by the dashboards' recompute of a standalone store from the
        same reading of the history) whose figures changed, in one transaction: by ``actor``, or, unattended (no
        one signed in asked for it), by the store's own identity on its branch. Returns the rows written."""
        who = actor if actor is not None else _unattended(self._branch_id())
        who.require(Permission.VIEW_ANALYTICS)
        with self._uow(who) as uow:
            written = uow.customer_analytics.save(result, frame)
            uow.commit()
        return written

    @staticmethod
    def may_view(actor: Actor) -> bool:
        """Whether the actor may see some customer's figures (a shopper: only their own VIPs')."""
        return actor.can(Permission.VIEW_ANALYTICS) or actor.can(Permission.VIEW_OWN_VIPS)

    def insight(self, actor: Actor, customer_id: str) -> CustomerInsight | None:
        """The customer's stored figures; None when nothing was computed for them yet."""
        with self._uow(None) as uow:
            repo = uow.customer_analytics
            if not actor.can(Permission.VIEW_ANALYTICS):
                actor.require(Permission.VIEW_OWN_VIPS)
                if repo.shopper_staff_of(customer_id) != actor.staff_id:
                    raise PermissionDenied(
                        QT_TRANSLATE_NOOP(
                            "core", "Only a manager or the customer's personal shopper sees their analytics."
                        )
                    )
            return repo.insight(customer_id)
