"""Messages, tickets, feedback, personal shoppers and campaigns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from storage.schema.base import Ledger, Register, fk


class MessageTemplate(Register):
    __tablename__ = "message_templates"
    key: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[Any]] = mapped_column(JSON, default=list)
    promotional: Mapped[bool] = mapped_column(Boolean, default=False)
    # The approved template's name at Meta; None means the name derived from the key (core.messaging.templates
    # .whatsapp_name): "loyalty.tier_upgrade" → "loyalty_tier_upgrade".
    whatsapp_name: Mapped[str | None] = mapped_column(String(512))


class Communication(Register):
    """One message in the outbox: queued → sending → sent → delivered/read, or failed → dead
    (core.messaging.outbox). The status fields replicate, so a branch sees what head office's dispatcher did;
    the dispatcher's lease does not (storage.schema.local.OutboxLease)."""

    __tablename__ = "communications"
    # What a standalone store's dispatcher looks through: the messages still to send, a few among many.
    # The customer's last inbound message per channel opens WhatsApp's 24 h window (core.messaging.rules).
    # A status webhook finds its message by the provider's id, which a queued message does not have yet: left
    # out of that index, a receipt queued in a sale writes one B-tree page less.
    __table_args__ = (
        Index("ix_communications_pending", "status", sqlite_where=text("status IN ('queued', 'failed')")),
        Index(
            "ix_communications_provider_message_id",
            "provider_message_id",
            sqlite_where=text("provider_message_id IS NOT NULL"),
        ),
        Index(
            "ix_communications_inbound",
            "customer_id",
            "channel",
            "created_at",
            sqlite_where=text("direction = 'inbound'"),
        ),
        # The inbound messages a branch has still to handle (core.inbound), newest few among many outbound.
        Index("ix_communications_inbound_created", "created_at", sqlite_where=text("direction = 'inbound'")),
    )

    @declared_attr
    def branch_id(cls) -> Mapped[str]:
        # Not indexed, unlike other rows' branch: no query looks messages up by branch (nearly all are the
        # store's own), and every receipt queued in a sale wrote that index's page too.
        return mapped_column(String(36), fk("branches.id"))

    customer_id: Mapped[str | None] = mapped_column(fk("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    direction: Mapped[str] = mapped_column(String(8), default="outbound")
    template_id: Mapped[str | None] = mapped_column(fk("message_templates.id"))
    recipient: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # A templated message's values, in the order of its template's ``variables``: WhatsApp's body parameters
    # {{1}}…{{n}}. None for free text.
    params: Mapped[list[Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider_message_id: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(20))
    cost_fils: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    # An inbound reply to one of our WhatsApp lists or buttons: the id of the row or button chosen (0022).
    reply_id: Mapped[str | None] = mapped_column(String(256))
    # An outbound WhatsApp list or reply buttons (core.messaging.outbound.interactive_payload), sent as such
    # inside the customer's 24 h window; None for text and templates (0022).
    interactive: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CommunicationEvent(Ledger):
    """One line of a message's status history: what happened, when, by which provider, with its code."""

    __tablename__ = "communication_events"
    __table_args__ = (Index("ix_communication_events_message", "message_id", "at"),)
    message_id: Mapped[str] = mapped_column(fk("communications.id"))
    status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime]
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_code: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)


class ConsentChangeRow(Ledger):
    """The consent ledger (core.messaging.consent): one grant, withdrawal or invalid address per row, with its
    cause and evidence. Written at the till and at head office (from providers' webhooks); never changed."""

    __tablename__ = "consent_changes"
    customer_id: Mapped[str] = mapped_column(fk("customers.id"))
    channel: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str | None] = mapped_column(String(16))  # transactional | promotional | None: both
    action: Mapped[str] = mapped_column(String(10))  # grant | withdraw | invalid
    source: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime]
    address: Mapped[str | None] = mapped_column(String(120))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (Index("ix_consent_changes_customer", "customer_id", "occurred_at"),)


class SupportTicket(Register):
    __tablename__ = "support_tickets"
    __table_args__ = (
        Index(
            "ix_support_tickets_due_at",
            "due_at",
            sqlite_where=text("status IN ('open', 'in_progress', 'waiting') AND deleted = 0"),
        ),
    )
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="general")
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(12), default="open")
    assigned_staff_id: Mapped[str | None] = mapped_column(String(36))
    # Where it came from (core.tickets.model.Source) and the feedback or inbound message it came from.
    source: Mapped[str] = mapped_column(String(12), default="till", server_default="till")
    source_id: Mapped[str | None] = mapped_column(String(36))
    order_id: Mapped[str | None] = mapped_column(String(36))
    feedback_id: Mapped[str | None] = mapped_column(String(36))
    # The SLA deadline in working hours (core.tickets.sla), set again when the priority changes or it reopens.
    due_at: Mapped[datetime | None]
    # The manager an overdue ticket went to, once per ticket.
    escalated_to: Mapped[str | None] = mapped_column(String(36))
    escalated_at: Mapped[datetime | None]
    # Since when it waits for the customer: the SLA clock stands still until it leaves that status (0023).
    waiting_since: Mapped[datetime | None]
    # When resolving it last queued the customer's satisfaction survey (once per ticket within a while).
    survey_sent_at: Mapped[datetime | None]


class TicketResponse(Ledger):
    __tablename__ = "ticket_responses"
    ticket_id: Mapped[str] = mapped_column(fk("support_tickets.id"), index=True)
    staff_id: Mapped[str | None] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    # A reply to the customer: the message queued for it in the outbox (core.messaging).
    communication_id: Mapped[str | None] = mapped_column(String(36))


class CustomerFeedback(Ledger):
    __tablename__ = "customer_feedback"
    customer_id: Mapped[str | None] = mapped_column(fk("customers.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(fk("orders.id"))
    kind: Mapped[str] = mapped_column(String(12), default="general")  # product | service | general | complaint
    rating: Mapped[int | None] = mapped_column(Integer)  # 1..5
    nps: Mapped[int | None] = mapped_column(Integer)  # 0..10
    comment: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[str | None] = mapped_column(String(10))
    # The survey invitation answered (0020), None for an answer taken at the till without one. The row's id is
    # derived from its cause (core.feedback.service), so two branches that take the same answer keep one.
    invitation_id: Mapped[str | None] = mapped_column(String(36))
    sentiment_score: Mapped[float | None]
    # A low score (core.feedback.service.is_low): what the manager's "low scores waiting" list reads.
    low_score: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_customer_feedback_low", "created_at", sqlite_where=text("low_score = 1")),
        Index("ix_customer_feedback_nps", "created_at", sqlite_where=text("nps IS NOT NULL")),
    )


class SurveyInvitation(Register):
    """One survey sent (or to be sent) to a customer (core.feedback): after a sale, a VIP visit, for a product
    review or a general survey. ``sent_at`` is when its message is due (the outbox holds it until then);
    ``answered_at`` is set once, by the one answer it takes (0020)."""

    __tablename__ = "survey_invitations"
    kind: Mapped[str] = mapped_column(String(16))  # post_purchase | vip_service | product_review | general
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(fk("orders.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(String(36))
    token: Mapped[str] = mapped_column(String(16), unique=True)
    sent_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    communication_id: Mapped[str | None] = mapped_column(fk("communications.id"))
    answered_at: Mapped[datetime | None]


class PersonalShopper(Register):
    __tablename__ = "personal_shoppers"
    staff_id: Mapped[str] = mapped_column(fk("staff.id"), unique=True)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    specialties: Mapped[list[Any]] = mapped_column(JSON, default=list)
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    capacity: Mapped[int] = mapped_column(Integer, default=15)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonalShopperAssignment(Register):
    __tablename__ = "personal_shopper_assignments"
    shopper_id: Mapped[str] = mapped_column(fk("personal_shoppers.id"), index=True)
    customer_id: Mapped[str] = mapped_column(fk("customers.id"), index=True)
    assigned_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(200))
    capacity_override: Mapped[bool] = mapped_column(Boolean, default=False)


class Campaign(Register):
    __tablename__ = "campaigns"
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # birthday | anniversary | win_back | seasonal | restock
    status: Mapped[str] = mapped_column(String(12), default="draft")
    channel: Mapped[str] = mapped_column(String(10), default="whatsapp")
    template_key: Mapped[str | None] = mapped_column(String(60))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # core.campaigns.model: the message per language, offer, control share and occasion; the A/B variants;
    # when it runs (once, daily, weekly); the last occurrence an executor finished (0015).
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    variants: Mapped[list[Any] | None] = mapped_column(JSON, default=list)
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    last_occurrence: Mapped[str | None] = mapped_column(String(20))


class CampaignExecution(Ledger):
    """One recipient of one occurrence of a campaign (core.campaigns.executor): its id is derived from
    (campaign, customer, occurrence), so every executor writes the same row and the ledger union keeps one."""

    __tablename__ = "campaign_executions"
    campaign_id: Mapped[str] = mapped_column(fk("campaigns.id"), index=True)
    customer_id: Mapped[str] = mapped_column(fk("customers.id"))
    communication_id: Mapped[str | None] = mapped_column(fk("communications.id"))
    outcome: Mapped[str] = mapped_column(String(12), default="queued")  # queued | refused | control
    occurrence: Mapped[str | None] = mapped_column(String(20))
    variant: Mapped[str | None] = mapped_column(String(12))
    # The recipient's offer code (core.campaigns.offers: derived from the row's id) and the last day, in
    # Asia/Dubai, it may be redeemed (0016). None without an offer, and for the control group.
    offer_code: Mapped[str | None] = mapped_column(String(9))
    offer_expires_on: Mapped[date | None] = mapped_column(Date)
    # The recipient's short link to the campaign's page, served by head office at /l/<token> (0017).
    link_token: Mapped[str | None] = mapped_column(String(32))
    # Who had which campaign lately: an audience leaves out the recent recipients of other campaigns.
    __table_args__ = (
        Index("ix_campaign_executions_customer", "customer_id", "created_at"),
        Index("uq_campaign_executions_occurrence", "campaign_id", "customer_id", "occurrence", unique=True),
        Index("ix_campaign_executions_offer_code", "offer_code", sqlite_where=text("offer_code IS NOT NULL")),
    )


class OfferRedemption(Ledger):
    """A campaign's offer redeemed at the till (core.campaigns.offers), written in the sale's transaction: which
    recipient's code, on which order, and what it gave (fils off the sale before VAT, or bonus points). Not
    unique per code: two branches apart may each take it, and the ledger union keeps both (the report counts
    the recipient once)."""

    __tablename__ = "offer_redemptions"
    execution_id: Mapped[str] = mapped_column(fk("campaign_executions.id"), index=True)
    campaign_id: Mapped[str] = mapped_column(fk("campaigns.id"), index=True)
    customer_id: Mapped[str] = mapped_column(fk("customers.id"))
    order_id: Mapped[str] = mapped_column(fk("orders.id"), index=True)
    code: Mapped[str] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(16))  # bonus_points | discount_code | voucher
    discount_fils: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)


class CalendarOverride(Register):
    """An occasion's announced date (core.campaigns.calendar.Override), a chain-wide fact: one row per
    (occasion, year, holiday_only) under an id derived from them (storage.repositories.calendar), so a date
    recorded at any branch or at head office's campaign node merges into the same row, last writer wins by HLC;
    a removed one is a tombstone (``deleted``)."""

    __tablename__ = "calendar_overrides"
    occasion: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)
    holiday_only: Mapped[bool] = mapped_column(Boolean, default=False)
    announced: Mapped[date] = mapped_column(Date)
