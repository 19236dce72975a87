"""Everything the store holds about one customer, section by section, for their export (core.privacy.export).

Each section is one SQL statement over the customer's own index (orders, history, loyalty rows, messages…),
read with ``yield_per``: the driver hands over a page of rows at a time and nothing keeps the rows already
given, so a section of 100,000 rows costs one page of memory. Rows keep every column but the replication
bookkeeping (``field_hlc``, ``updated_at``, ``search_doc``), as the columns' own types give them (aware UTC
times, dates, JSON).

Two columns are credentials rather than data about the customer, and are not handed out whole: a gift card's
code (whoever reads it can spend the card; the export shows its last four characters, as the till's screens
do) and a survey invitation's token (it answers the survey in the customer's name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, case, func, literal, or_, select
from sqlalchemy.orm import Session

from storage.schema import (
    CampaignExecution,
    Communication,
    CommunicationEvent,
    ConsentChangeRow,
    Customer,
    CustomerAnalytics,
    CustomerFeedback,
    CustomerHistory,
    CustomerPreference,
    FollowUp,
    GiftCard,
    GiftCardTransaction,
    LoyaltyAccount,
    LoyaltyTransaction,
    OfferRedemption,
    Order,
    OrderLine,
    PersonalShopperAssignment,
    RestockInterest,
    Reward,
    RewardClaim,
    SecurityEvent,
    SupportTicket,
    SurveyInvitation,
    TicketResponse,
    VipVisit,
)
from storage.schema.base import BOOKKEEPING

PAGE = 500  # rows fetched from SQLite at a time

Where = Callable[[str], ColumnElement[bool]]


@dataclass(frozen=True)
class _Section:
    table: Table
    where: Where
    extra: Callable[[str], tuple[Any, ...]] = lambda _id: ()  # further labelled columns
    drop: frozenset[str] = frozenset()
    mask: Callable[[dict[str, Any]], None] | None = None
    order: tuple[str, ...] = ("created_at", "id")


def _t(model: type[Any]) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _cards_of(customer_id: str) -> Select[tuple[str]]:
    return select(GiftCard.id).where(
        or_(GiftCard.purchaser_customer_id == customer_id, GiftCard.recipient_customer_id == customer_id)
    )


def _mask_code(row: dict[str, Any]) -> None:
    code = str(row.get("code") or "")
    row["code"] = "•••• " + code[-4:] if code else code


def _security_about(customer_id: str) -> ColumnElement[bool]:
    # Events name the customer in their detail (an export of them, a look-up of them); few rows, no index.
    return func.json_extract(SecurityEvent.detail, "$.customer_id") == customer_id


SECTIONS: dict[str, _Section] = {
    "preferences": _Section(_t(CustomerPreference), lambda c: CustomerPreference.customer_id == c),
    "analytics": _Section(_t(CustomerAnalytics), lambda c: CustomerAnalytics.customer_id == c),
    "history": _Section(_t(CustomerHistory), lambda c: CustomerHistory.customer_id == c),
    "orders": _Section(_t(Order), lambda c: Order.customer_id == c),
    "order_lines": _Section(
        _t(OrderLine), lambda c: OrderLine.order_id.in_(select(Order.id).where(Order.customer_id == c))
    ),
    "loyalty_accounts": _Section(_t(LoyaltyAccount), lambda c: LoyaltyAccount.customer_id == c),
    "loyalty_transactions": _Section(
        _t(LoyaltyTransaction),
        lambda c: LoyaltyTransaction.account_id.in_(select(LoyaltyAccount.id).where(LoyaltyAccount.customer_id == c)),
    ),
    "reward_claims": _Section(
        _t(RewardClaim),
        lambda c: RewardClaim.customer_id == c,
        extra=lambda _c: (
            select(Reward.name_en).where(Reward.id == RewardClaim.reward_id).scalar_subquery().label("reward_name_en"),
            select(Reward.name_ar).where(Reward.id == RewardClaim.reward_id).scalar_subquery().label("reward_name_ar"),
        ),
    ),
    "gift_cards": _Section(
        _t(GiftCard),
        lambda c: GiftCard.id.in_(_cards_of(c)),
        extra=lambda c: (
            case((GiftCard.purchaser_customer_id == c, literal("bought")), else_=literal("received")).label("relation"),
        ),
        mask=_mask_code,
    ),
    "gift_card_transactions": _Section(
        _t(GiftCardTransaction), lambda c: GiftCardTransaction.card_id.in_(_cards_of(c))
    ),
    "messages": _Section(_t(Communication), lambda c: Communication.customer_id == c),
    "message_events": _Section(
        _t(CommunicationEvent),
        lambda c: CommunicationEvent.message_id.in_(select(Communication.id).where(Communication.customer_id == c)),
        order=("at", "id"),
    ),
    "consent_changes": _Section(
        _t(ConsentChangeRow), lambda c: ConsentChangeRow.customer_id == c, order=("occurred_at", "id")
    ),
    "feedback": _Section(_t(CustomerFeedback), lambda c: CustomerFeedback.customer_id == c),
    "survey_invitations": _Section(
        _t(SurveyInvitation), lambda c: SurveyInvitation.customer_id == c, drop=frozenset({"token"})
    ),
    "tickets": _Section(_t(SupportTicket), lambda c: SupportTicket.customer_id == c),
    "ticket_responses": _Section(
        _t(TicketResponse),
        lambda c: TicketResponse.ticket_id.in_(select(SupportTicket.id).where(SupportTicket.customer_id == c)),
    ),
    "vip_visits": _Section(_t(VipVisit), lambda c: VipVisit.customer_id == c, order=("visited_at", "id")),
    "follow_ups": _Section(_t(FollowUp), lambda c: FollowUp.customer_id == c),
    "restock_interests": _Section(_t(RestockInterest), lambda c: RestockInterest.customer_id == c),
    "shopper_assignments": _Section(
        _t(PersonalShopperAssignment), lambda c: PersonalShopperAssignment.customer_id == c
    ),
    "campaign_messages": _Section(
        _t(CampaignExecution), lambda c: CampaignExecution.customer_id == c, drop=frozenset({"link_token"})
    ),
    "offer_redemptions": _Section(
        _t(OfferRedemption),
        # Through the recipient's executions (indexed by customer): redemptions have no index of their own on it.
        lambda c: OfferRedemption.execution_id.in_(
            select(CampaignExecution.id).where(CampaignExecution.customer_id == c)
        ),
    ),
    "security_events": _Section(_t(SecurityEvent), _security_about),
}


class SqlCustomerRecords:
    def __init__(self, session: Session) -> None:
        self._session = session

    def profile(self, customer_id: str) -> dict[str, Any] | None:
        table = _t(Customer)
        columns = [c for c in table.columns if c.name not in BOOKKEEPING]
        row = self._session.execute(select(*columns).where(table.c.id == customer_id)).mappings().first()
        return dict(row) if row is not None else None

    def count(self, section: str, customer_id: str) -> int:
        spec = SECTIONS[section]
        return int(
            self._session.scalar(select(func.count()).select_from(spec.table).where(spec.where(customer_id))) or 0
        )

    def rows(self, section: str, customer_id: str) -> Iterator[dict[str, Any]]:
        spec = SECTIONS[section]
        columns = [c for c in spec.table.columns if c.name not in BOOKKEEPING and c.name not in spec.drop]
        statement = (
            select(*columns, *spec.extra(customer_id))
            .where(spec.where(customer_id))
            .order_by(*(spec.table.c[name] for name in spec.order))
        )
        result = self._session.execute(statement, execution_options={"yield_per": PAGE})
        try:
            for row in result.mappings():
                values = dict(row)
                if spec.mask is not None:
                    spec.mask(values)
                yield values
        finally:
            result.close()
