"""The manager's feedback dashboard on a real store: answers taken at the till (and one pulled from another
branch) counted into NPS with its interval, by month, branch, shopper and segment, sentiment and themes, for
the periods the page offers, at every test instant (a month end, a leap day, New Year's Eve in Dubai)."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from core.feedback.dashboard import DashboardFilter, last_days, last_months, months_of
from core.feedback.service import Answer
from core.kernel.clock import DUBAI
from core.kernel.errors import PermissionDenied
from core.purchases.model import LineDraft, SaleDraft, TenderDraft
from core.staff.auth import Actor, Role
from storage.bootstrap import Services, build_services
from storage.uow import uow_factory
from tests.campaign_world import Person, add_people, empty_store, staff_actor, system_actor, utc
from tests.clock import TestClock

pytestmark = pytest.mark.instants


def give(
    services: Services,
    cashier: Actor,
    customer_id: str | None,
    score: int | None,
    comment: str | None = None,
    **kw: str,
) -> str:
    """A sale and its customer's answer at the till; the answer's id."""
    oud = LineDraft("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 1, 89_000)
    sale = services.purchases.record_sale(cashier, SaleDraft(customer_id, (oud,), TenderDraft(cash_fils=100_000)))
    return services.feedback.answer_at_till(
        cashier, sale.order.id, Answer(nps=score, comment=comment, **kw)
    ).feedback_id


def a_vip(services: Services) -> tuple[str, str]:
    """A VIP with a personal shopper: (customer, shopper)."""
    with services.store.read_engine.connect() as conn:
        customer, shopper = conn.execute(
            text(
                "SELECT customer_id, shopper_id FROM personal_shopper_assignments "
                "WHERE deleted = 0 AND ended_at IS NULL ORDER BY id LIMIT 1"
            )
        ).one()
    return str(customer), str(shopper)


def tier_of(services: Services, customer: str) -> str:
    with services.store.read_engine.connect() as conn:
        return str(
            conn.execute(text("SELECT tier FROM loyalty_accounts WHERE customer_id = :c"), {"c": customer}).scalar_one()
        )


def test_the_figures_of_a_small_store(services: Services, cashier: Actor, manager: Actor, clock: TestClock) -> None:
    vip, shopper = a_vip(services)
    give(services, cashier, vip, 10, "The scent lasts all day, lovely")
    give(services, cashier, vip, 9, "الريحة ثابتة والموظف وايد محترم")
    low = give(services, cashier, vip, 3, "Way overpriced and the staff were rude")
    tier = tier_of(services, vip)  # the sale opened the customer's account
    for score in (10, 8, 7):
        give(services, cashier, None, score)
    give(services, cashier, None, None, "Terrible, the box was leaking", kind="complaint")
    since, until = last_days(clock.today(), 30)
    found = services.feedback.dashboard(manager, DashboardFilter(since, until))

    assert found.answers == 7
    c = found.overall.counts
    assert (c.promoters, c.passives, c.detractors) == (3, 2, 1)
    assert found.overall.score == pytest.approx(100 * (3 - 1) / 6)
    # Six answers: a score, marked few, with an interval far wider than its Wald one would be.
    assert found.overall.interval is not None
    assert found.overall.interval.high - found.overall.interval.low > 60
    assert found.overall.interval.low <= found.overall.score <= found.overall.interval.high
    (branch,) = found.by_branch
    assert (branch.counts.group, branch.counts.answers) == (services.store.branch_id, 6)
    shoppers = {f.counts.group: f.counts.answers for f in found.by_shopper}
    assert shoppers == {shopper: 3, "": 3}
    assert found.names[shopper].name_en and found.names[services.store.branch_id].name_ar
    assert sum(f.counts.answers for f in found.trend) == 6
    assert [f.counts.group for f in found.trend] == months_of(since, until)
    s = found.sentiment
    assert (s.positive, s.negative, s.total) == (2, 2, 4)
    themes = {t.key: (t.positive, t.neutral, t.negative) for t in found.themes}
    assert themes["scent"] == (2, 0, 0)
    assert themes["staff"] == (1, 0, 1)
    assert themes["price"] == (0, 0, 1)
    assert themes["packaging"] == (0, 0, 1)
    assert themes["delivery"] == (0, 0, 0)

    by_segment = services.feedback.dashboard(manager, DashboardFilter(since, until, segment=tier))
    assert by_segment.overall.counts.answers == 3
    by_shopper = services.feedback.dashboard(manager, DashboardFilter(since, until, shopper_id=shopper))
    assert (by_shopper.overall.counts.promoters, by_shopper.overall.counts.detractors) == (2, 1)
    complaints = services.feedback.dashboard(manager, DashboardFilter(since, until, kind="complaint"))
    assert (complaints.answers, complaints.overall.counts.answers, complaints.sentiment.negative) == (1, 0, 1)
    other_branch = services.feedback.dashboard(manager, DashboardFilter(since, until, branch_id="elsewhere"))
    assert other_branch.answers == 0 and other_branch.overall.score is None
    no_campaign = services.feedback.dashboard(manager, DashboardFilter(since, until, campaign_id="none-such"))
    assert no_campaign.answers == 0

    waiting = services.feedback.low_scores_list(manager)
    assert [w.feedback.id for w in waiting][:1] == [services.feedback.low_scores_waiting(manager)[0].id]
    mine = next(w for w in waiting if w.feedback.id == low)
    assert mine.customer_name_en and mine.ticket_number and mine.ticket_status == "open"
    assert mine.feedback.comment == "Way overpriced and the staff were rude"
    with pytest.raises(PermissionDenied):
        services.feedback.dashboard(cashier, DashboardFilter(since, until))


def test_the_periods_count_the_right_days(services: Services, cashier: Actor, manager: Actor, clock: TestClock) -> None:
    """An answer now, 29 and 31 days ago and 13 months ago: "last 30 days" takes two, "last 12 months" the
    three of this month and the 11 before it, with the months in Asia/Dubai."""
    for days in (0, 29, 31, 396):
        earlier = build_services(services.store, clock.shifted(days=-days))
        give(earlier, cashier, None, 9)
    today = clock.today()
    since, until = last_days(today, 30)
    assert services.feedback.dashboard(manager, DashboardFilter(since, until)).answers == 2
    since, until = last_months(today, 12)
    year = services.feedback.dashboard(manager, DashboardFilter(since, until))
    assert len(year.trend) == 12 and year.trend[-1].counts.group == today.strftime("%Y-%m")
    first = (clock.now() - timedelta(days=31)).astimezone(DUBAI).date()
    assert year.answers == (3 if first >= since.date() else 2)
    this_month = {f.counts.group: f.counts.answers for f in year.trend}[today.strftime("%Y-%m")]
    assert this_month == 1 + sum(
        (clock.now() - timedelta(days=d)).astimezone(DUBAI).strftime("%Y-%m") == today.strftime("%Y-%m")
        for d in (29, 31)
    )


def test_an_answer_pulled_from_another_branch_is_counted_and_its_themes_tagged(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock
) -> None:
    with services.store.write_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer_feedback (id, created_at, branch_id, kind, nps, comment, sentiment, low_score) "
                "SELECT 'pulled-1', :at, id, 'general', 4, 'التوصيل تأخر وايد', 'negative', 1 FROM branches "
                "WHERE id != :mine LIMIT 1"
            ),
            {"at": clock.now().replace(tzinfo=None).isoformat(" "), "mine": services.store.branch_id},
        )
        (themes,) = conn.execute(text("SELECT themes FROM feedback_facts WHERE feedback_id = 'pulled-1'")).one()
    assert themes == -1  # not tagged yet: the trigger has no lexicon
    since, until = last_days(clock.today(), 30)
    found = services.feedback.dashboard(manager, DashboardFilter(since, until))
    assert found.overall.counts.detractors == 1 and len(found.by_branch) == 1
    assert found.by_branch[0].counts.group != services.store.branch_id
    themes_of = {t.key: t.negative for t in found.themes}
    assert themes_of["delivery"] == 1 and themes_of["waiting"] == 1


def test_an_answer_counts_for_the_campaign_that_reached_the_customer(tmp_path: Path) -> None:
    """A birthday campaign sent on 1 February 2027; a recipient's answer the next day counts for it, the
    answer of a customer it did not reach does not."""
    from core.campaigns.executor import CampaignExecutor
    from core.campaigns.model import CampaignDefinition, CampaignKind, Message
    from core.campaigns.schedule import Repeat, Schedule

    start, send = utc(2027, 1, 31, 12, 0), utc(2027, 2, 1, 6, 0)
    clock = TestClock(start, tick=False)
    store = empty_store(tmp_path / "campaign.sqlite", start)
    try:
        add_people(store, start, [Person(birthday=date(1990, 2, 1)), Person(birthday=date(1990, 6, 1))])
        services = build_services(store, clock)
        manager = staff_actor(store, Role.MANAGER)
        definition = CampaignDefinition(
            name="Birthdays",
            kind=CampaignKind.BIRTHDAY,
            message=Message(texts={"en": "Happy birthday {first_name}", "ar": "كل عام وأنت بخير"}),
            schedule=Schedule(Repeat.DAILY, time_of_day=time(10, 0)),
        )
        campaign = services.campaigns.create(manager, definition)
        services.campaigns.schedule(manager, campaign.id)
        clock.at = send
        CampaignExecutor(uow_factory(store, clock), clock, system_actor(store)).run_due()
        with store.read_engine.connect() as conn:
            reached = str(conn.execute(text("SELECT customer_id FROM campaign_executions")).scalar_one())
            other = str(conn.execute(text("SELECT id FROM customers WHERE id != :c"), {"c": reached}).scalar_one())
        clock.at = send + timedelta(days=1)
        cashier = staff_actor(store, Role.CASHIER)
        give(services, cashier, reached, 10)
        give(services, cashier, other, 3)
        since, until = last_days(clock.today(), 30)
        found = services.feedback.dashboard(manager, DashboardFilter(since, until, campaign_id=campaign.id))
        assert (found.overall.counts.answers, found.overall.counts.promoters) == (1, 1)
        everyone = services.feedback.dashboard(manager, DashboardFilter(since, until))
        assert everyone.overall.counts.answers == 2
        assert [o.key for o in services.feedback.dashboard_options(manager).campaigns] == [campaign.id]
    finally:
        store.close()


def test_another_lexicon_tags_every_comment_again(
    services: Services, cashier: Actor, manager: Actor, clock: TestClock
) -> None:
    give(services, cashier, None, 9, "The oud lasts all day")
    since, until = last_days(clock.today(), 30)
    assert {t.key for t in services.feedback.dashboard(manager, DashboardFilter(since, until)).themes if t.total} == {
        "oud",
        "scent",
    }
    with services.store.write_engine.begin() as conn:  # as tagged by an older lexicon that knew no theme
        conn.execute(text("UPDATE feedback_facts SET themes = 0"))
        conn.execute(text("UPDATE store_settings SET value = '0' WHERE key = 'feedback.themes_version'"))
    assert {t.key for t in services.feedback.dashboard(manager, DashboardFilter(since, until)).themes if t.total} == {
        "oud",
        "scent",
    }
