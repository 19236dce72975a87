"""Survey invitations owed after what happened: a sale to a known customer (and, where the store setting
``feedback.product_review`` is on, a rating of the sale's main product ``feedback.product_review_delay_days``
later, 7 by default), a personal shopper's visit. Each is written in the transaction of its cause, its message
held in the outbox until it is due (FeedbackSettings)."""

from __future__ import annotations

from core.feedback.ports import FeedbackUnitOfWork
from core.feedback.service import FeedbackSettings, invite
from core.feedback.whatsapp import product_rating_list
from core.kernel.bus import HandlerTable
from core.kernel.events import SaleCompleted, VisitLogged
from core.loyalty.ports import LineRecord
from core.messaging.templates import SURVEY_POST_PURCHASE, SURVEY_PRODUCT_REVIEW, SURVEY_VIP_SERVICE


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
        link_base=settings.link_base,
    )
    if settings.product_review:
        order = uow.orders.get(event.order_id)
        main = main_product(order.lines) if order is not None else None
        if main is not None:
            name = main.name
            invite(
                uow,
                customer,
                "product_review",
                SURVEY_PRODUCT_REVIEW,
                now,
                settings.product_review_delay,
                settings.expiry_days,
                order_id=event.order_id,
                params={"product": name},
                link_base=settings.link_base,
                question=lambda language, code: product_rating_list("", "", language, code, name),
            )


def main_product(lines: tuple[LineRecord, ...]) -> LineRecord | None:
    """The line a product review asks about: the one the customer paid most for (the first of equals)."""
    bought = [line for line in lines if line.quantity > 0 and line.name.strip()]
    return max(bought, key=lambda line: line.net_fils + line.vat_fils, default=None)


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
        link_base=settings.link_base,
    )


HANDLERS: HandlerTable = {
    SaleCompleted: [on_sale_completed],
    VisitLogged: [on_visit_logged],
}
