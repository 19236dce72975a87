"""Survey invitations (a register: its answer time changes once) and the customer feedback ledger, with the
counts NPS is computed from, per month, branch, personal shopper, segment or campaign, in one GROUP BY."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from core.feedback.dashboard import DashboardFilter, DashboardOptions, FactCell, Option, months_of
from core.feedback.nps import NpsCounts
from core.feedback.ports import CustomerAnswer, FeedbackRecord, InvitationRecord, LowScoreRow
from core.feedback.themes import LEXICON_VERSION, theme_mask
from core.kernel.ids import stable_id
from core.loyalty.rules import TIER_ORDER
from storage import direct
from storage.changelog import WRITE_KEY, WriteContext
from storage.registers import DirectWrites
from storage.schema import Communication, CustomerFeedback, SupportTicket, SurveyInvitation

# The group of an answer, as SQL over the feedback row ``f``. Months are Asia/Dubai's (UTC+4 all year).
# Shopper: the customer's personal shopper when they answered. Segment: the customer's loyalty tier.
# Campaign: the campaign whose offer the answered sale redeemed, else the customer's last campaign message in
# the 30 days before the answer.
_GROUPS = {
    "month": "strftime('%Y-%m', f.created_at, '+4 hours')",
    "branch": "f.branch_id",
    "shopper": (
        "(SELECT a.shopper_id FROM personal_shopper_assignments AS a WHERE a.customer_id = f.customer_id "
        "AND a.deleted = 0 AND a.assigned_at <= f.created_at AND (a.ended_at IS NULL OR a.ended_at > f.created_at) "
        "ORDER BY a.assigned_at DESC LIMIT 1)"
    ),
    "segment": "(SELECT la.tier FROM loyalty_accounts AS la WHERE la.customer_id = f.customer_id)",
    "campaign": (
        "coalesce((SELECT r.campaign_id FROM offer_redemptions AS r WHERE r.order_id = f.order_id LIMIT 1), "
        "(SELECT e.campaign_id FROM campaign_executions AS e WHERE e.customer_id = f.customer_id "
        "AND e.outcome = 'queued' AND e.created_at <= f.created_at "
        "AND e.created_at > datetime(f.created_at, '-30 days') ORDER BY e.created_at DESC LIMIT 1))"
    ),
}
_COUNTS = (
    "SELECT coalesce({group}, '') AS grp, "
    "sum(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END), "
    "sum(CASE WHEN f.nps BETWEEN 7 AND 8 THEN 1 ELSE 0 END), "
    "sum(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END) "
    "FROM customer_feedback AS f "
    "WHERE f.nps IS NOT NULL AND f.created_at >= :since AND f.created_at < :until "
    "GROUP BY grp ORDER BY grp"
)


_HAS_INVITATION = "SELECT 1 FROM survey_invitations WHERE id = :id"

# The dashboard's one pass over a period (feedback_facts, 0024, clustered in this order, so nothing is sorted):
# the answers per month × branch × shopper × sentiment × NPS class × themes. The month range lets SQLite read
# only the period's part of the table; the times cut the first and last month.
_CELLS = (
    "SELECT month, branch_id, shopper_id, sentiment, nps_class, themes, count(*) FROM feedback_facts "
    "WHERE month >= :first AND month <= :last AND created_at >= :since AND created_at < :until{where} "
    "GROUP BY 1, 2, 3, 4, 5, 6"
)
_CLASSES = {1: "detractor", 2: "passive", 3: "promoter"}
_FILTERS = (
    ("branch_id", "branch_id"),
    ("shopper_id", "shopper_id"),
    ("segment", "segment"),
    ("campaign_id", "campaign_id"),
    ("kind", "kind"),
)
_THEMES_VERSION_KEY = "feedback.themes_version"
_UNTAGGED = (
    "SELECT x.feedback_id, f.comment FROM feedback_facts AS x INDEXED BY ix_feedback_facts_untagged "
    "JOIN customer_feedback AS f ON f.id = x.feedback_id WHERE x.themes < 0 LIMIT :limit"
)
_LOW_ROWS = (
    "SELECT f.id, coalesce(trim(coalesce(c.first_name_en, '') || ' ' || coalesce(c.last_name_en, '')), ''), "
    "coalesce(trim(coalesce(c.first_name_ar, '') || ' ' || coalesce(c.last_name_ar, '')), '') "
    "FROM customer_feedback AS f LEFT JOIN customers AS c ON c.id = f.customer_id "
    "WHERE f.low_score = 1 AND f.created_at >= :since{where} ORDER BY f.created_at DESC LIMIT :limit"
)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _invitation(row: SurveyInvitation) -> InvitationRecord:
    return InvitationRecord(
        id=row.id,
        kind=row.kind,
        customer_id=row.customer_id,
        order_id=row.order_id,
        visit_id=row.visit_id,
        token=row.token,
        sent_at=row.sent_at,
        expires_at=row.expires_at,
        communication_id=row.communication_id,
        answered_at=row.answered_at,
    )


def _feedback(row: CustomerFeedback) -> FeedbackRecord:
    return FeedbackRecord(
        id=row.id,
        created_at=row.created_at,
        branch_id=row.branch_id,
        customer_id=row.customer_id,
        order_id=row.order_id,
        invitation_id=row.invitation_id,
        kind=row.kind,
        nps=row.nps,
        rating=row.rating,
        comment=row.comment,
        sentiment=row.sentiment,
        sentiment_score=row.sentiment_score,
        low_score=bool(row.low_score),
    )


class SqlFeedbackRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def now(self) -> datetime:
        """The time of this unit of work's writes."""
        write: WriteContext = self._session.info[WRITE_KEY]
        return write.now

    def add_invitation(self, invitation: InvitationRecord) -> None:
        # Below the ORM, with its change-log row (storage.registers): it is written inside every sale to a known
        # customer, and an ORM flush of the new row cost the sale about 1.5 ms.
        writes = DirectWrites(self._session)
        writes.insert(
            SurveyInvitation,
            {
                "id": invitation.id,
                "kind": invitation.kind,
                "customer_id": invitation.customer_id,
                "order_id": invitation.order_id,
                "visit_id": invitation.visit_id,
                "token": invitation.token,
                "sent_at": invitation.sent_at,
                "expires_at": invitation.expires_at,
                "communication_id": invitation.communication_id,
            },
        )
        writes.execute()

    def has_invitation(self, invitation_id: str) -> bool:
        return direct.scalar(self._session, _HAS_INVITATION, {"id": invitation_id}) is not None

    def invitation(self, id_or_token: str) -> InvitationRecord | None:
        s = SurveyInvitation
        row = self._session.scalars(
            select(s).where(s.deleted.is_(False), or_(s.id == id_or_token, s.token == id_or_token.upper())).limit(1)
        ).first()
        return None if row is None else _invitation(row)

    def invitation_for_order(self, order_id: str) -> InvitationRecord | None:
        s = SurveyInvitation
        row = self._session.scalars(
            select(s).where(s.deleted.is_(False), s.order_id == order_id, s.kind == "post_purchase").limit(1)
        ).first()
        return None if row is None else _invitation(row)

    def open_invitation(self, customer_id: str, now: datetime) -> InvitationRecord | None:
        s = SurveyInvitation
        row = self._session.scalars(
            select(s)
            .where(
                s.deleted.is_(False),
                s.customer_id == customer_id,
                s.answered_at.is_(None),
                s.sent_at <= now,
                s.expires_at > now,
            )
            .order_by(s.sent_at.desc())
            .limit(1)
        ).first()
        return None if row is None else _invitation(row)

    def last_invitation(self, customer_id: str, now: datetime) -> InvitationRecord | None:
        s = SurveyInvitation
        row = self._session.scalars(
            select(s)
            .where(s.deleted.is_(False), s.customer_id == customer_id, s.sent_at <= now)
            .order_by(s.sent_at.desc())
            .limit(1)
        ).first()
        return None if row is None else _invitation(row)

    def mark_answered(self, invitation_id: str, at: datetime) -> None:
        row = self._session.get(SurveyInvitation, invitation_id)
        if row is not None and row.answered_at is None:
            row.answered_at = at

    def withdraw_message(self, message_id: str, at: datetime, reason: str) -> None:
        row = self._session.get(Communication, message_id)
        if row is not None and row.status == "queued" and row.attempts == 0:
            row.status = "dead"
            row.failed_at = at
            row.last_error = reason

    def feedback(self, feedback_id: str) -> FeedbackRecord | None:
        row = self._session.get(CustomerFeedback, feedback_id)
        return None if row is None else _feedback(row)

    def add_feedback(self, record: FeedbackRecord) -> None:
        self._session.add(
            CustomerFeedback(
                id=record.id,
                customer_id=record.customer_id,
                order_id=record.order_id,
                invitation_id=record.invitation_id,
                kind=record.kind,
                nps=record.nps,
                rating=record.rating,
                comment=record.comment,
                sentiment=record.sentiment,
                sentiment_score=record.sentiment_score,
                low_score=record.low_score,
            )
        )
        self._session.flush()
        if record.comment:
            self.tag_themes(record.id, record.comment)

    def of_customer(self, customer_id: str, limit: int) -> list[CustomerAnswer]:
        f, t = CustomerFeedback, SupportTicket
        query = (
            select(f, t.id, t.number)
            .outerjoin(t, (t.feedback_id == f.id) & t.deleted.is_(False))
            .where(f.customer_id == customer_id)
            .order_by(f.created_at.desc(), f.id)
            .limit(limit)
        )
        return [CustomerAnswer(_feedback(row), tid, number) for row, tid, number in self._session.execute(query)]

    def low_scores(self, since: datetime, limit: int) -> list[FeedbackRecord]:
        f = CustomerFeedback
        rows = self._session.scalars(
            select(f).where(f.low_score.is_(True), f.created_at >= since).order_by(f.created_at.desc()).limit(limit)
        ).all()
        return [_feedback(row) for row in rows]

    def nps_counts(self, grouping: str, since: datetime, until: datetime) -> list[NpsCounts]:
        sql = _COUNTS.format(group=_GROUPS[grouping])
        found = direct.rows(self._session, sql, {"since": _utc_text(since), "until": _utc_text(until)})
        return [NpsCounts(str(g), int(p or 0), int(n or 0), int(d or 0)) for g, p, n, d in found]

    # The dashboard (core.feedback.dashboard), read from feedback_facts (0024).

    def tag_themes(self, feedback_id: str, comment: str | None) -> None:
        self._session.execute(
            text("UPDATE feedback_facts SET themes = :t WHERE feedback_id = :id"),
            {"t": theme_mask(comment), "id": feedback_id},
        )

    def needs_tagging(self) -> bool:
        session = self._session
        version = session.execute(
            text("SELECT value FROM store_settings WHERE key = :k"), {"k": _THEMES_VERSION_KEY}
        ).scalar()
        if version != str(LEXICON_VERSION):
            return True
        return (
            session.execute(
                text("SELECT 1 FROM feedback_facts INDEXED BY ix_feedback_facts_untagged WHERE themes < 0 LIMIT 1")
            ).first()
            is not None
        )

    def tag_untagged(self, limit: int) -> int:
        session = self._session
        version = session.execute(
            text("SELECT value FROM store_settings WHERE key = :k"), {"k": _THEMES_VERSION_KEY}
        ).scalar()
        if version != str(LEXICON_VERSION):
            # Another lexicon: every comment is tagged again, from the next read on.
            session.execute(
                text(
                    "UPDATE feedback_facts SET themes = -1 WHERE themes >= 0 AND feedback_id IN "
                    "(SELECT id FROM customer_feedback WHERE comment IS NOT NULL)"
                )
            )
            session.execute(
                text(
                    "INSERT INTO store_settings (key, value) VALUES (:k, :v) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                ),
                {"k": _THEMES_VERSION_KEY, "v": str(LEXICON_VERSION)},
            )
        found = session.execute(text(_UNTAGGED), {"limit": limit}).all()
        if found:
            session.execute(
                text("UPDATE feedback_facts SET themes = :t WHERE feedback_id = :id"),
                [{"t": theme_mask(comment), "id": feedback_id} for feedback_id, comment in found],
            )
        return len(found)

    def fact_cells(self, query: DashboardFilter) -> list[FactCell]:
        months = months_of(query.since, query.until)
        params: dict[str, object] = {
            "first": months[0],
            "last": months[-1],
            "since": _utc_text(query.since),
            "until": _utc_text(query.until),
        }
        where = ""
        for attribute, column in _FILTERS:
            value = getattr(query, attribute)
            if value is not None:
                where += f" AND {column} = :{attribute}"
                params[attribute] = value
        return [
            FactCell(str(m), str(b), str(p), str(s), _CLASSES.get(int(c), ""), max(0, int(t)), int(n))
            for m, b, p, s, c, t, n in direct.rows(self._session, _CELLS.format(where=where), params)
        ]

    def dashboard_names(self) -> dict[str, Option]:
        names = {
            str(i): Option(str(i), str(en), str(ar))
            for i, en, ar in direct.rows(self._session, "SELECT id, name_en, name_ar FROM branches", {})
        }
        shoppers = direct.rows(
            self._session,
            "SELECT p.id, s.name_en, s.name_ar FROM personal_shoppers AS p JOIN staff AS s ON s.id = p.staff_id",
            {},
        )
        names.update({str(i): Option(str(i), str(en), str(ar)) for i, en, ar in shoppers})
        return names

    def dashboard_options(self) -> DashboardOptions:
        rows = direct.rows
        branches = rows(self._session, "SELECT id, name_en, name_ar FROM branches ORDER BY name_en", {})
        shoppers = rows(
            self._session,
            "SELECT p.id, s.name_en, s.name_ar FROM personal_shoppers AS p JOIN staff AS s ON s.id = p.staff_id "
            "WHERE p.deleted = 0 ORDER BY s.name_en",
            {},
        )
        campaigns = rows(
            self._session, "SELECT id, name FROM campaigns WHERE deleted = 0 ORDER BY created_at DESC LIMIT 200", {}
        )
        return DashboardOptions(
            branches=tuple(Option(str(i), str(en), str(ar)) for i, en, ar in branches),
            shoppers=tuple(Option(str(i), str(en), str(ar)) for i, en, ar in shoppers),
            segments=tuple(str(tier) for tier in TIER_ORDER),
            campaigns=tuple(Option(str(i), str(name), str(name)) for i, name in campaigns),
        )

    def low_score_rows(self, since: datetime, limit: int, branch_id: str | None) -> list[LowScoreRow]:
        params: dict[str, object] = {"since": _utc_text(since), "limit": limit}
        where = ""
        if branch_id is not None:
            where, params["branch"] = " AND f.branch_id = :branch", branch_id
        found = direct.rows(self._session, _LOW_ROWS.format(where=where), params)
        if not found:
            return []
        names = {str(i): (str(en), str(ar)) for i, en, ar in found}
        f = CustomerFeedback
        records = {
            row.id: _feedback(row) for row in self._session.scalars(select(f).where(f.id.in_(list(names)))).all()
        }
        # A low score's ticket has an id derived from the answer (core.tickets.service).
        ticket_ids = {stable_id("ticket-from-feedback", i): i for i in names}
        tickets: dict[str, tuple[str, str]] = {}
        for ticket_id, number, status in self._session.execute(
            text(
                "SELECT id, number, status FROM support_tickets WHERE deleted = 0 AND id IN ({})".format(
                    ", ".join(f":t{n}" for n in range(len(ticket_ids)))
                )
            ),
            {f"t{n}": t for n, t in enumerate(ticket_ids)},
        ).all():
            tickets[ticket_ids[ticket_id]] = (str(number), str(status))
        out = []
        for feedback_id, (en, ar) in names.items():
            ticket = tickets.get(feedback_id)
            out.append(
                LowScoreRow(records[feedback_id], en, ar, ticket[0] if ticket else None, ticket[1] if ticket else None)
            )
        return out
