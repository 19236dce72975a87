"""Survey invitations owed after what happened: a sale to a known customer, a personal shopper's visit. Each is
written in the transaction of its cause, its message held in the outbox until it is due (FeedbackSettings)."""

from __future__ import annotations

from core.feedback.ports import FeedbackUnitOfWork
from core.feedback.service import FeedbackSettings, invite
from core.kernel.bus import HandlerTable
from core.kernel.events import SaleCompleted, VisitLogged
from core.messaging.templates import SURVEY_POST_PURCHASE, SURVEY_VIP_SERVICE


def on_sale_completed(event: SaleCompleted, uow: FeedbackUnitOfWork) -> None:
    if event.customer_id is None:
        return
    customer = event.customer or uow.customers.get(event.customer_id)
    if customer is None:
        return
    settings = FeedbackSettings.read(uow.settings)
    now = uow.feedback.now()
    invite(
        uow,
        customer,
        "post_purchase",
        SURVEY_POST_PURCHASE,
        now,
        settings.post_purchase_delay,
        settings.expiry_days,
        order_id=event.order_id,
        params={"order_number": event.order_number},
    )


def on_visit_logged(event: VisitLogged, uow: FeedbackUnitOfWork) -> None:
    customer = uow.customers.get(event.customer_id)
    if customer is None:
        return
    settings = FeedbackSettings.read(uow.settings)
    invite(
        uow,
        customer,
        "vip_service",
        SURVEY_VIP_SERVICE,
        uow.feedback.now(),
        settings.vip_service_delay,
        settings.expiry_days,
        order_id=event.order_id,
        visit_id=event.visit_id,
    )


HANDLERS: HandlerTable = {
    SaleCompleted: [on_sale_completed],
    VisitLogged: [on_visit_logged],
}
