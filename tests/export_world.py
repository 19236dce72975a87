"""A customer with one of everything the store can hold about them, for the export's tests: written through a
unit of work (every row with its change-log row), some of it as another branch's rows pulled here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.kernel.ids import new_id
from core.staff.auth import Actor
from storage.bootstrap import Services
from storage.ledger import append
from storage.schema import (
    Branch,
    Campaign,
    CampaignExecution,
    Communication,
    CommunicationEvent,
    ConsentChangeRow,
    Customer,
    CustomerAnalytics,
    CustomerFeedback,
    CustomerPreference,
    FollowUp,
    GiftCard,
    GiftCardTransaction,
    LoyaltyAccount,
    LoyaltyTransaction,
    OfferRedemption,
    Order,
    OrderLine,
    PersonalShopper,
    PersonalShopperAssignment,
    RestockInterest,
    Reward,
    RewardClaim,
    SecurityEvent,
    Staff,
    SupportTicket,
    SurveyInvitation,
    TicketResponse,
    VipVisit,
)
from storage.uow import SqlUnitOfWork

NAME_AR = "فاطمة الزهراء"
MESSAGE_AR = "شكراً لزيارتكم، عطر العود جاهز"


@dataclass(frozen=True)
class World:
    customer_id: str
    other_branch_id: str
    order_total_fils: int


def customer_with_everything(services: Services, actor: Actor) -> World:
    store, clock = services.store, services.clock
    now = clock.now()
    customer_id, order_id, other_order = new_id(), new_id(), new_id()
    other_branch = new_id()
    with SqlUnitOfWork(store, clock, actor) as uow:
        s = uow.session
        s.add(Branch(id=other_branch, code="AUH9", name_en="Abu Dhabi Mall", name_ar="أبوظبي مول", emirate="abu_dhabi"))
        first, last = NAME_AR.split(" ", 1)
        s.add(
            Customer(
                id=customer_id,
                number="EXP-000001",
                first_name_en="Fatima",
                last_name_en="Al Zahra",
                first_name_ar=first,
                last_name_ar=last,
                mobile="+971501234567",
                email="fatima@example.ae",
                emirates_id="784-1990-1234567-1",
                birthday=date(1990, 5, 17),
                notes="Prefers oud in the evening",
            )
        )
        s.flush()
        s.add(CustomerPreference(customer_id=customer_id, source="declared", families=["oud"], budget_max_fils=150000))
        s.add(CustomerAnalytics(customer_id=customer_id, lifetime_value_fils=123456, orders_count=2))
        s.flush()
        shopper_staff = s.scalars(select(Staff.id).where(Staff.branch_id == actor.branch_id)).first()
        shopper = s.scalars(select(PersonalShopper.id)).first()
        if shopper is None:
            shopper = new_id()
            s.add(PersonalShopper(id=shopper, staff_id=shopper_staff))
        reward = s.scalars(select(Reward.id)).first()
        if reward is None:
            reward = new_id()
            s.add(Reward(id=reward, code="EXP-R", name_en="Oud sample", name_ar="عينة عود", points_cost=100))
        campaign = new_id()
        s.add(Campaign(id=campaign, name="Eid", kind="seasonal"))
        account = new_id()
        s.add(LoyaltyAccount(id=account, customer_id=customer_id, card_number="EXP-CARD-1"))
        card_bought, card_received = new_id(), new_id()
        s.add(
            GiftCard(
                id=card_bought,
                code="GCEXPBOUGHT7Q",
                initial_fils=50000,
                purchaser_customer_id=customer_id,
                expires_on=date(2027, 12, 1),
            )
        )
        s.add(
            GiftCard(
                id=card_received,
                code="GCEXPGIVEN9Z",
                initial_fils=25050,
                recipient_customer_id=customer_id,
                expires_on=date(2027, 12, 1),
            )
        )
        message = new_id()
        s.add(
            Communication(
                id=message, customer_id=customer_id, channel="whatsapp", recipient="+971501234567", body=MESSAGE_AR
            )
        )
        ticket = new_id()
        s.add(SupportTicket(id=ticket, number="T-EXP-1", customer_id=customer_id, subject="Bottle leaked"))
        s.add(RewardClaim(reward_id=reward, customer_id=customer_id, points=100))
        s.add(
            SurveyInvitation(
                kind="general",
                customer_id=customer_id,
                token="SECRETTOKEN12345",
                sent_at=now,
                expires_at=now + timedelta(days=7),
            )
        )
        s.add(FollowUp(customer_id=customer_id, shopper_id=shopper, due_on=date(2027, 1, 5), note="Call about oud"))
        s.add(RestockInterest(customer_id=customer_id, sku="OUD-50", product_name="Oud Royal 50 ml"))
        s.add(PersonalShopperAssignment(shopper_id=shopper, customer_id=customer_id, assigned_at=now))
        s.flush()
        total = 82950
        common: dict[str, Any] = {}
        append(
            s,
            Order,
            [
                {
                    "id": order_id,
                    "number": "EXP-S1",
                    "customer_id": customer_id,
                    "net_fils": 79000,
                    "vat_fils": 3950,
                    "total_fils": total,
                    "tenders": {"card": total},
                    **common,
                },
                # A sale at the other branch, as a pull brings it.
                {
                    "id": other_order,
                    "number": "EXP-S2",
                    "customer_id": customer_id,
                    "net_fils": 1000,
                    "vat_fils": 50,
                    "total_fils": 1050,
                    "branch_id": other_branch,
                },
            ],
        )
        append(
            s,
            OrderLine,
            [
                {
                    "order_id": order_id,
                    "sku": "OUD-50",
                    "product_name": "عود ملكي",
                    "quantity": 1,
                    "unit_price_fils": 79000,
                    "net_fils": 79000,
                    "vat_fils": 3950,
                }
            ],
        )
        append(s, LoyaltyTransaction, [{"account_id": account, "kind": "earn", "points": 79, "order_id": order_id}])
        append(s, GiftCardTransaction, [{"card_id": card_bought, "kind": "issue", "amount_fils": 50000}])
        append(
            s,
            GiftCardTransaction,
            [
                {
                    "card_id": card_received,
                    "kind": "redeem",
                    "amount_fils": -1050,
                    "order_id": other_order,
                    "branch_id": other_branch,
                }
            ],
        )
        append(s, CommunicationEvent, [{"message_id": message, "status": "sent", "at": now, "provider": "whatsapp"}])
        append(
            s,
            ConsentChangeRow,
            [
                {
                    "customer_id": customer_id,
                    "channel": "whatsapp",
                    "purpose": "promotional",
                    "action": "grant",
                    "source": "till",
                    "occurred_at": now,
                }
            ],
        )
        append(
            s,
            CustomerFeedback,
            [{"customer_id": customer_id, "order_id": order_id, "rating": 5, "nps": 10, "comment": "ممتاز"}],
        )
        append(s, TicketResponse, [{"ticket_id": ticket, "body": "Replacement sent"}])
        append(
            s,
            VipVisit,
            [
                {
                    "customer_id": customer_id,
                    "shopper_id": shopper,
                    "visited_at": now,
                    "products_tried": ["OUD-50"],
                    "notes": "Loved it",
                }
            ],
        )
        execution = new_id()
        append(
            s,
            CampaignExecution,
            [
                {
                    "id": execution,
                    "campaign_id": campaign,
                    "customer_id": customer_id,
                    "occurrence": "2026",
                    "offer_code": "EXP123456",
                }
            ],
        )
        append(
            s,
            OfferRedemption,
            [
                {
                    "execution_id": execution,
                    "campaign_id": campaign,
                    "customer_id": customer_id,
                    "order_id": order_id,
                    "code": "EXP123456",
                    "kind": "discount_code",
                    "discount_fils": 500,
                }
            ],
        )
        append(s, SecurityEvent, [{"kind": "customer_viewed", "detail": {"customer_id": customer_id}}])
        uow.commit()
    return World(customer_id, other_branch, total)


def add_events(services: Services, actor: Actor, customer_id: str, events: int, batch: int = 10_000) -> None:
    """``events`` more rows about the customer, 40 % sales, 40 % loyalty rows and 20 % messages, written in
    large transactions through the ledger and register bulk paths (each with its change-log row)."""
    from storage.registers import DirectWrites

    store, clock = services.store, services.clock
    with SqlUnitOfWork(store, clock, actor) as uow:
        account = uow.session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.customer_id == customer_id))
        uow.commit()
    written = 0
    while written < events:
        size = min(batch, events - written)
        with SqlUnitOfWork(store, clock, actor) as uow:
            s = uow.session
            orders = size * 2 // 5
            loyalty = size * 2 // 5 if account else 0
            messages = size - orders - loyalty
            append(
                s,
                Order,
                [
                    {
                        "number": f"BULK-{written + i:07d}",
                        "customer_id": customer_id,
                        "net_fils": 10000 + i,
                        "vat_fils": 500,
                        "total_fils": 10500 + i,
                        "tenders": {"cash": 10500 + i},
                    }
                    for i in range(orders)
                ],
            )
            if loyalty:
                append(
                    s,
                    LoyaltyTransaction,
                    [{"account_id": account, "kind": "earn", "points": 10, "reason": "بيع"} for _ in range(loyalty)],
                )
            writes = DirectWrites(s)
            writes.insert_many(
                Communication,
                [
                    {
                        "customer_id": customer_id,
                        "channel": "whatsapp",
                        "recipient": "+971501234567",
                        "body": f"{MESSAGE_AR} #{written + i}",
                        "status": "delivered",
                    }
                    for i in range(messages)
                ],
            )
            writes.execute()
            uow.commit()
        written += size
