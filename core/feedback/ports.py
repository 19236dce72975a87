"""What feedback needs of storage: the survey invitations, the feedback ledger, and the counts NPS is made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.feedback.dashboard import DashboardFilter, DashboardOptions, FactCell, Option
from core.feedback.nps import NpsCounts
from core.loyalty.ports import LoyaltyUnitOfWork
from core.messaging.ports import ConsentRepository
from core.receipts.service import SettingsRepository


@dataclass(frozen=True)
class InvitationRecord:
    id: str
    kind: str  # post_purchase | vip_service | product_review | general
    customer_id: str
    order_id: str | None
    visit_id: str | None
    token: str
    sent_at: datetime
    expires_at: datetime
    communication_id: str | None
    answered_at: datetime | None


@dataclass(frozen=True)
class FeedbackRecord:
    id: str
    created_at: datetime
    branch_id: str
    customer_id: str | None
    order_id: str | None
    invitation_id: str | None
    kind: str
    nps: int | None
    rating: int | None
    comment: str | None
    sentiment: str | None
    sentiment_score: float | None
    low_score: bool


@dataclass(frozen=True)
class CustomerAnswer:
    """One of a customer's answers, with the ticket it opened (a low score) if any."""

    feedback: FeedbackRecord
    ticket_id: str | None
    ticket_number: str | None


@dataclass(frozen=True)
class LowScoreRow:
    """A low score as the manager's list shows it: who, what they said, where, and the ticket it opened."""

    feedback: FeedbackRecord
    customer_name_en: str
    customer_name_ar: str
    ticket_number: str | None
    ticket_status: str | None


class DashboardRepository(Protocol):
    def needs_tagging(self) -> bool:
        """Whether some answers wait for their themes (or the lexicon changed): a read, so a dashboard refresh
        takes the write lock only when there is tagging to do."""
        ...

    def tag_untagged(self, limit: int) -> int:
        """Tags the themes of up to ``limit`` answers that have none yet (answers pulled from other branches, or
        tagged with an older lexicon); how many it tagged."""
        ...

    def fact_cells(self, query: DashboardFilter) -> list[FactCell]: ...

    def dashboard_options(self) -> DashboardOptions: ...

    def dashboard_names(self) -> dict[str, Option]:
        """Branches and personal shoppers by id."""
        ...

    def low_score_rows(self, since: datetime, limit: int, branch_id: str | None) -> list[LowScoreRow]:
        """The low scores since ``since``, newest first, with the customer's name and the ticket they opened."""
        ...


class FeedbackRepository(DashboardRepository, Protocol):
    def now(self) -> datetime:
        """The time of this unit of work's writes (what a handler, which has no clock, stamps with)."""
        ...

    def add_invitation(self, invitation: InvitationRecord) -> None: ...

    def has_invitation(self, invitation_id: str) -> bool: ...

    def invitation(self, id_or_token: str) -> InvitationRecord | None:
        """By id, or by the code the customer was sent (case-insensitive)."""
        ...

    def invitation_for_order(self, order_id: str) -> InvitationRecord | None: ...

    def open_invitation(self, customer_id: str, now: datetime) -> InvitationRecord | None:
        """The customer's latest invitation already sent, not answered and not expired at ``now``."""
        ...

    def last_invitation(self, customer_id: str, now: datetime) -> InvitationRecord | None:
        """The customer's latest invitation already sent at ``now``, answered, expired or open."""
        ...

    def mark_answered(self, invitation_id: str, at: datetime) -> None: ...

    def withdraw_message(self, message_id: str, at: datetime, reason: str) -> None:
        """The invitation's message, if still waiting in the outbox, is not sent (it was answered at the till)."""
        ...

    def feedback(self, feedback_id: str) -> FeedbackRecord | None: ...

    def add_feedback(self, record: FeedbackRecord) -> None: ...

    def of_customer(self, customer_id: str, limit: int) -> list[CustomerAnswer]:
        """The customer's answers, newest first."""
        ...

    def low_scores(self, since: datetime, limit: int) -> list[FeedbackRecord]:
        """The low scores since ``since``, newest first."""
        ...

    def nps_counts(self, grouping: str, since: datetime, until: datetime) -> list[NpsCounts]:
        """The NPS answers given in [since, until) counted per group (core.feedback.nps.GROUPINGS)."""
        ...


class FeedbackUnitOfWork(LoyaltyUnitOfWork, Protocol):
    """Loyalty's (points for an answer go on its ledger), with consent for the invitation's message."""

    consents: ConsentRepository
    settings: SettingsRepository
    feedback: FeedbackRepository
