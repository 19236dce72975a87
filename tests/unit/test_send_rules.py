"""The rules before every send, at their edges: quiet hours in Dubai, Ramadan's window, caps across channels,
transactional exemptions, opt-out replies and the consent they leave."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.customers.model import Channel
from core.kernel.clock import DUBAI
from core.messaging.consent import (
    Action,
    ConsentChange,
    ConsentRecord,
    ConsentState,
    Source,
    change_for_provider_report,
    changes_for_reply,
    fold,
)
from core.messaging.routing import Route
from core.messaging.rules import (
    FREQUENCY_CAP,
    INVALID_ADDRESS,
    NO_CONSENT,
    QUIET_HOURS,
    REASONS,
    WINDOW_CLOSED,
    DateRange,
    Defer,
    Refuse,
    RulesConfig,
    Send,
    Window,
    choose_route,
    decide,
    parse_window,
    window_open,
)
from tests.clock import INSTANTS, TestClock
from tests.unit.test_messaging import LAYLA


@dataclass(frozen=True)
class Message:
    customer_id: str | None = LAYLA.id
    channel: str = "whatsapp"
    recipient: str = "+971501234567"
    promotional: bool = True
    free_text: bool = False


def dubai(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=DUBAI).astimezone(UTC)


def recorded(changes: list[ConsentChange], branch: str = "b1") -> list[ConsentRecord]:
    return [ConsentRecord(**{**c.__dict__, "id": c.id or f"r{n}"}, branch_id=branch) for n, c in enumerate(changes)]


def grant_all(at: datetime) -> list[ConsentRecord]:
    return recorded(
        [
            ConsentChange(LAYLA.id, channel, purpose, Action.GRANT, Source.TILL, at, staff_id="s1")
            for channel in ("whatsapp", "sms", "email")
            for purpose in ("transactional", "promotional")
        ]
    )


EVERYTHING = fold(LAYLA.id, grant_all(datetime(2026, 1, 1, tzinfo=UTC)), LAYLA)


# -- quiet hours -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ((2026, 12, 3, 20, 59), None),  # the last allowed minute
        ((2026, 12, 3, 21, 0), (2026, 12, 4, 8, 0)),  # the window closes at 21:00 sharp
        ((2026, 12, 3, 7, 59), (2026, 12, 3, 8, 0)),  # one minute before it opens
        ((2026, 12, 3, 8, 0), None),
    ],
)
def test_a_promotional_message_waits_outside_eight_to_nine_in_dubai(
    local: tuple[int, ...], expected: tuple[int, ...] | None
) -> None:
    now = TestClock(dubai(*local), tick=False).now()
    decision = decide(Message(), now, EVERYTHING, [])
    if expected is None:
        assert decision == Send()
    else:
        assert decision == Defer(dubai(*expected), QUIET_HOURS)


def test_new_years_eve_at_23_59_in_dubai_waits_for_the_morning_of_the_new_year() -> None:
    now = TestClock(INSTANTS["new_years_eve_dubai"], tick=False).now()
    assert now.astimezone(DUBAI).strftime("%Y-%m-%d %H:%M") == "2026-12-31 23:59"
    decision = decide(Message(), now, EVERYTHING, [])
    assert decision == Defer(dubai(2027, 1, 1, 8, 0), QUIET_HOURS)
    assert decision.until == datetime(2027, 1, 1, 4, 0, tzinfo=UTC)


RAMADAN_1448 = DateRange(date(2027, 2, 8), date(2027, 3, 9))
RAMADAN_EVENINGS = RulesConfig(ramadan_allowed=Window(time(20, 0), time(2, 0)), ramadan=(RAMADAN_1448,))


def test_in_ramadan_a_configured_window_that_runs_past_midnight_applies() -> None:
    now = TestClock(INSTANTS["ramadan"], tick=False).now()  # 13:00 in Dubai, 20 February 2027
    assert decide(Message(), now, EVERYTHING, []) == Send(), "without a Ramadan window, the usual hours"
    assert decide(Message(), now, EVERYTHING, [], RAMADAN_EVENINGS) == Defer(dubai(2027, 2, 20, 20, 0), QUIET_HOURS)
    after_midnight = dubai(2027, 2, 21, 1, 59)
    assert decide(Message(), after_midnight, EVERYTHING, [], RAMADAN_EVENINGS) == Send(), "last night's window"
    closed = dubai(2027, 2, 21, 2, 0)
    assert decide(Message(), closed, EVERYTHING, [], RAMADAN_EVENINGS) == Defer(dubai(2027, 2, 21, 20, 0), QUIET_HOURS)
    # The last night of Ramadan runs into the next day; from then on the usual hours come back.
    assert decide(Message(), dubai(2027, 3, 10, 1, 0), EVERYTHING, [], RAMADAN_EVENINGS) == Send()
    assert decide(Message(), dubai(2027, 3, 10, 3, 0), EVERYTHING, [], RAMADAN_EVENINGS) == Defer(
        dubai(2027, 3, 10, 8, 0), QUIET_HOURS
    )


def test_transactional_messages_ignore_quiet_hours_and_caps() -> None:
    night = dubai(2026, 12, 3, 23, 30)
    flood = [night - timedelta(hours=h) for h in range(1, 10)]
    assert decide(Message(promotional=False), night, EVERYTHING, flood) == Send()
    assert isinstance(decide(Message(), night, EVERYTHING, flood), Defer)


# -- caps --------------------------------------------------------------------------------------------------------


def test_the_cap_counts_offers_on_every_channel_and_frees_a_slot_when_the_oldest_leaves_the_week() -> None:
    now = dubai(2026, 12, 10, 12, 0)
    # One offer on WhatsApp, one by SMS, one by email this week; one more eight days ago does not count.
    sent = [now - timedelta(days=6, hours=1), now - timedelta(days=3), now - timedelta(hours=2)]
    assert decide(Message(), now, EVERYTHING, [*sent[1:], now - timedelta(days=8)]) == Send()
    decision = decide(Message(channel="email", recipient="layla@example.ae"), now, EVERYTHING, sent)
    assert decision == Defer(sent[0] + timedelta(days=7), FREQUENCY_CAP)
    assert decide(Message(), now, EVERYTHING, sent, RulesConfig(cap=4)) == Send()


def test_a_slot_that_frees_at_night_waits_for_the_morning() -> None:
    now = dubai(2026, 12, 10, 12, 0)
    sent = [dubai(2026, 12, 3, 22, 30), now - timedelta(days=2), now - timedelta(days=1)]
    assert decide(Message(), now, EVERYTHING, sent) == Defer(dubai(2026, 12, 11, 8, 0), FREQUENCY_CAP)


# -- consent and addresses ---------------------------------------------------------------------------------------


def test_an_arabic_stop_with_diacritics_and_tatweel_opts_out_of_the_channel_and_of_offers_everywhere() -> None:
    at = dubai(2026, 12, 3, 10, 0)
    reply = "إِلْغَـــاء!"
    changes = changes_for_reply(LAYLA.id, "whatsapp", reply, at, sender="971501234567", event_key="wamid.1")
    assert {(c.channel, c.purpose, c.action) for c in changes} == {
        ("whatsapp", None, "withdraw"),
        ("sms", "promotional", "withdraw"),
        ("email", "promotional", "withdraw"),
    }
    assert all(c.evidence["text"] == reply and c.evidence["keyword"] == "الغاء" for c in changes)
    again = changes_for_reply(LAYLA.id, "whatsapp", reply, at, sender="971501234567", event_key="wamid.1")
    assert [c.id for c in again] == [c.id for c in changes], "the same webhook twice names the same rows"
    history = grant_all(at - timedelta(days=30)) + recorded(changes)
    state = fold(LAYLA.id, history, LAYLA)
    later = at + timedelta(hours=1)
    assert decide(Message(promotional=False), later, state, []) == Refuse(NO_CONSENT), "not even a receipt"
    assert decide(Message(channel="sms"), later, state, []) == Refuse(NO_CONSENT)
    receipt_by_email = Message(channel="email", recipient="layla@example.ae", promotional=False)
    assert decide(receipt_by_email, later, state, []) == Send(), "a channel she did not stop still carries receipts"
    assert choose_route(LAYLA, state, "transactional") == Route("sms", "+971501234567", "ar")
    # START (اشتراك) on WhatsApp opens WhatsApp again; offers by SMS and email stay closed.
    back = changes_for_reply(LAYLA.id, "whatsapp", "اشتراك", later, event_key="wamid.2")
    state = fold(LAYLA.id, history + recorded(back, "headoffice"), LAYLA)
    assert state.allows("whatsapp", "promotional") and state.allows("whatsapp", "transactional")
    assert not state.allows("sms", "promotional") and state.allows("sms", "transactional")
    assert changes_for_reply(LAYLA.id, "whatsapp", "please stop by the mall branch", later) == []
    assert changes_for_reply(LAYLA.id, "email", "STOP", later) == [], "email opts out by unsubscribing"


def test_the_fold_takes_changes_by_when_they_happened_whatever_order_they_arrive_in() -> None:
    at = dubai(2026, 12, 3, 10, 0)
    grant = ConsentChange(LAYLA.id, "sms", "promotional", "grant", "till", at + timedelta(minutes=5), staff_id="s1")
    stop = changes_for_reply(LAYLA.id, "sms", "STOP", at, sender="+971501234567", event_key="SM1")
    rows = recorded([*stop, grant])
    assert fold(LAYLA.id, rows, LAYLA).allows("sms", "promotional")
    assert fold(LAYLA.id, list(reversed(rows)), LAYLA) == fold(LAYLA.id, rows, LAYLA)


def test_without_ledger_rows_receipts_follow_the_profile_checkbox_and_offers_are_closed() -> None:
    quiet = replace(LAYLA, consent_whatsapp=False, consent_sms=True, consent_email=False)
    state = fold(LAYLA.id, [], quiet)
    assert not state.allows("whatsapp", "transactional") and state.allows("sms", "transactional")
    assert not any(state.allows(ch, "promotional") for ch in ("whatsapp", "sms", "email"))
    assert choose_route(quiet, state, "transactional") == Route("sms", "+971501234567", "ar")
    assert choose_route(quiet, state, "promotional") is None
    now = dubai(2026, 12, 3, 12, 0)
    assert decide(Message(channel="sms"), now, state, []) == Refuse(NO_CONSENT)


def test_a_landline_or_a_bounced_email_is_no_address_and_the_next_channel_is_chosen() -> None:
    now = dubai(2026, 12, 3, 12, 0)
    landline = replace(LAYLA, mobile="+97142345678", preferred_channel=Channel.SMS)
    assert decide(Message(channel="sms", recipient="+97142345678"), now, EVERYTHING, []) == Refuse(INVALID_ADDRESS)
    assert choose_route(landline, EVERYTHING, "transactional") == Route("email", "layla@example.ae", "ar")
    bounce = change_for_provider_report(LAYLA.id, Source.HARD_BOUNCE, now, "Layla@Example.ae", event_key="sg1")
    state = fold(LAYLA.id, grant_all(now - timedelta(days=1)) + recorded([bounce]), LAYLA)
    email = Message(channel="email", recipient="layla@example.ae", promotional=False)
    assert decide(email, now, state, []) == Refuse(INVALID_ADDRESS)
    assert decide(replace(email, recipient="layla.new@example.ae"), now, state, []) == Send(), "a new address is"
    assert choose_route(replace(landline, email="layla@example.ae"), state, "transactional") is None


def test_providers_reports_withdraw_what_they_mean() -> None:
    at = dubai(2026, 12, 3, 12, 0)
    effects = {
        Source.WHATSAPP_OPT_OUT: ("whatsapp", "promotional", "withdraw"),
        Source.CARRIER_OPT_OUT: ("sms", None, "withdraw"),
        Source.EMAIL_UNSUBSCRIBE: ("email", "promotional", "withdraw"),
        Source.EMAIL_SPAM_REPORT: ("email", None, "withdraw"),
        Source.HARD_BOUNCE: ("email", None, "invalid"),
    }
    for source, effect in effects.items():
        change = change_for_provider_report(LAYLA.id, source, at, "x", event_key="e")
        assert (change.channel, change.purpose, change.action) == effect
    state: ConsentState = fold(
        LAYLA.id,
        grant_all(at - timedelta(days=1))
        + recorded([change_for_provider_report(LAYLA.id, Source.WHATSAPP_OPT_OUT, at, "971501234567")]),
        LAYLA,
    )
    assert state.allows("whatsapp", "transactional") and not state.allows("whatsapp", "promotional")


# -- WhatsApp's 24 h window ---------------------------------------------------------------------------------------


def test_the_window_is_open_for_24_hours_after_the_last_inbound_message() -> None:
    now = TestClock(tick=False).now()
    assert not window_open(None, now), "a customer who never wrote"
    assert window_open(now - timedelta(hours=23, minutes=59, seconds=59), now)
    assert not window_open(now - timedelta(hours=24), now), "24 hours sharp: closed"
    assert window_open(now + timedelta(minutes=5), now), "a message stamped a little ahead counts as just now"


def test_free_text_on_whatsapp_outside_the_window_is_refused_templates_are_not() -> None:
    now = dubai(2026, 12, 3, 12, 0)
    text = Message(promotional=False, free_text=True)
    assert decide(text, now, EVERYTHING, []) == Refuse(WINDOW_CLOSED)
    assert decide(text, now, EVERYTHING, [], last_inbound=now - timedelta(hours=25)) == Refuse(WINDOW_CLOSED)
    assert decide(text, now, EVERYTHING, [], last_inbound=now - timedelta(hours=2)) == Send()
    assert decide(Message(promotional=False), now, EVERYTHING, []) == Send(), "a template needs no window"
    sms = Message(channel="sms", promotional=False, free_text=True)
    assert decide(sms, now, EVERYTHING, []) == Send(), "the window is WhatsApp's only"
    assert REASONS[WINDOW_CLOSED].startswith("The customer has not written on WhatsApp")


def test_consent_comes_before_the_window() -> None:
    now = dubai(2026, 12, 3, 12, 0)
    nothing = fold(LAYLA.id, [], replace(LAYLA, consent_whatsapp=False))
    assert decide(Message(promotional=False, free_text=True), now, nothing, []) == Refuse(NO_CONSENT)


def test_allowed_hours_are_read_from_text() -> None:
    assert parse_window("08:00-21:00") == Window(time(8, 0), time(21, 0))
    assert parse_window("09:30 – 01:00") == Window(time(9, 30), time(1, 0))
    assert RulesConfig().allowed == Window(time(8, 0), time(21, 0)), "providers.md: 08:00–21:00 by default"
    for bad in ("8-21", "08:00", "noon-night"):
        with pytest.raises(ValueError):
            parse_window(bad)
