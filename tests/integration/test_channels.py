"""Each channel client against its provider's fake, over real HTTP on loopback (tests/providers.py): the
documented request, success, each class of error, Retry-After, the client reference, and SMS failover."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from core.messaging.outbound import (
    EmailMessage,
    ListRow,
    ListSection,
    ReplyButton,
    SmsMessage,
    WhatsAppButtons,
    WhatsAppList,
    WhatsAppTemplate,
    WhatsAppText,
)
from sync.messaging.base import ConfigurationError, PermanentSendError, Refusal, TransientSendError
from sync.messaging.config import ChannelRegistry, Secrets
from sync.messaging.email import SendGridEmail
from sync.messaging.sms import FailoverSms, SnsSms, TwilioSms, UnifonicSms
from sync.messaging.whatsapp import WhatsAppChannel
from tests import providers as p
from tests.providers import (
    FakeProviders,
    sendgrid_error,
    server_error,
    sns_error,
    twilio_error,
    unifonic_error,
    whatsapp_error,
)

pytestmark = pytest.mark.integration

MOBILE = "+971501234567"


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    server = FakeProviders().start()
    yield server
    server.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as shared:
        yield shared


def whatsapp(fake: FakeProviders, client: httpx.Client, token: str = p.WHATSAPP_TOKEN) -> WhatsAppChannel:
    return WhatsAppChannel(token, p.PHONE_NUMBER_ID, version=p.GRAPH_VERSION, base_url=fake.url, client=client)


def unifonic(fake: FakeProviders, client: httpx.Client) -> UnifonicSms:
    return UnifonicSms(p.UNIFONIC_APP_SID, p.UNIFONIC_SENDER, base_url=fake.url, client=client)


def twilio(fake: FakeProviders, client: httpx.Client, token: str = p.TWILIO_TOKEN) -> TwilioSms:
    return TwilioSms(
        p.TWILIO_SID,
        token,
        sender=p.TWILIO_FROM,
        status_callback="https://ho.example/webhooks/twilio/status",
        base_url=fake.url,
        client=client,
    )


def sns(fake: FakeProviders, client: httpx.Client, secret: str = p.AWS_SECRET) -> SnsSms:
    return SnsSms(p.AWS_KEY, secret, p.AWS_REGION, sender_id="PerfumeOud", base_url=fake.url, client=client)


def sendgrid(fake: FakeProviders, client: httpx.Client, key: str = p.SENDGRID_KEY) -> SendGridEmail:
    return SendGridEmail(key, "care@perfume-oud.ae", from_name="Perfume & Oud", base_url=fake.url, client=client)


SMS = SmsMessage("msg-0001", MOBILE, "Your order ORD-1 is ready")


# -- WhatsApp --------------------------------------------------------------------------------------------------


def test_whatsapp_template_goes_as_documented(fake: FakeProviders, client: httpx.Client) -> None:
    message = WhatsAppTemplate(
        "msg-wa-1",
        MOBILE,
        "order_ready",
        "ar",
        header_params=("العطور والعود",),
        body_params=("أحمد", "ORD-1"),
        quick_replies=("confirm", "later"),
    )
    accepted = whatsapp(fake, client).send(message)
    assert accepted.provider == "whatsapp"
    assert accepted.provider_message_id.startswith("wamid.")
    assert fake.violations == []
    sent = fake.of("whatsapp")[0].json
    assert sent["to"] == "971501234567"
    assert sent["biz_opaque_callback_data"] == "msg-wa-1"  # the outbox id comes back in every status
    template = sent["template"]
    assert template["name"] == "order_ready" and template["language"] == {"code": "ar"}
    assert template["components"][0] == {"type": "header", "parameters": [{"type": "text", "text": "العطور والعود"}]}
    assert template["components"][1]["parameters"] == [
        {"type": "text", "text": "أحمد"},
        {"type": "text", "text": "ORD-1"},
    ]
    assert template["components"][3] == {
        "type": "button",
        "sub_type": "quick_reply",
        "index": "1",
        "parameters": [{"type": "payload", "payload": "later"}],
    }


def test_whatsapp_interactive_and_text(fake: FakeProviders, client: httpx.Client) -> None:
    channel = whatsapp(fake, client)
    buttons = WhatsAppButtons(
        "m-b", MOBILE, "Shall we hold it for you?", (ReplyButton("yes", "Yes, hold it"), ReplyButton("no", "No"))
    )
    rows = tuple(ListRow(f"slot-{i}", f"{10 + i}:00", "Mall branch") for i in range(10))
    listing = WhatsAppList("m-l", MOBILE, "Pick a time", "Times", (ListSection("Tomorrow", rows),), footer="P&O")
    channel.send(buttons)
    channel.send(listing)
    channel.send(WhatsAppText("m-t", MOBILE, "Thank you!"))
    assert fake.violations == []
    sent = [r.json for r in fake.of("whatsapp")]
    assert sent[0]["interactive"]["action"]["buttons"][0] == {
        "type": "reply",
        "reply": {"id": "yes", "title": "Yes, hold it"},
    }
    assert len(sent[1]["interactive"]["action"]["sections"][0]["rows"]) == 10
    assert sent[1]["interactive"]["footer"] == {"text": "P&O"}
    assert sent[2]["text"] == {"preview_url": False, "body": "Thank you!"}


@pytest.mark.parametrize(
    "message",
    [
        WhatsAppButtons("m", MOBILE, "b", tuple(ReplyButton(str(i), f"B{i}") for i in range(4))),
        WhatsAppButtons("m", MOBILE, "b", (ReplyButton("1", "x" * 21),)),
        WhatsAppButtons("m", MOBILE, "b", (ReplyButton("1", "Same"), ReplyButton("2", "Same"))),
        WhatsAppList("m", MOBILE, "b", "Go", (ListSection("S", tuple(ListRow(str(i), "r") for i in range(11))),)),
        WhatsAppList("m", MOBILE, "b", "Go", (ListSection("S", (ListRow("1", "y" * 25),)),)),
        WhatsAppText("m", MOBILE, "x" * 4097),
        WhatsAppTemplate("m", MOBILE, "Order Ready", "ar"),
        WhatsAppTemplate("m", MOBILE, "order_ready", "arabic"),
    ],
)
def test_whatsapp_limits_are_checked_before_any_request(
    fake: FakeProviders, client: httpx.Client, message: WhatsAppButtons | WhatsAppList | WhatsAppText
) -> None:
    with pytest.raises(PermanentSendError) as refused:
        whatsapp(fake, client).send(message)
    assert refused.value.refusal == Refusal.INVALID_MESSAGE
    assert fake.requests == []


@pytest.mark.parametrize(
    ("code", "refusal"),
    [(131047, Refusal.WINDOW_CLOSED), (131026, Refusal.UNDELIVERABLE), (131050, Refusal.OPTED_OUT)],
)
def test_whatsapp_permanent_errors(fake: FakeProviders, client: httpx.Client, code: int, refusal: Refusal) -> None:
    fake.script("whatsapp", whatsapp_error(code))
    with pytest.raises(PermanentSendError) as refused:
        whatsapp(fake, client).send(WhatsAppText("m", MOBILE, "hello"))
    assert refused.value.refusal == refusal
    assert refused.value.code == str(code)


@pytest.mark.parametrize(
    "answer",
    [whatsapp_error(130429, 429, retry_after=30), whatsapp_error(131056, 400, retry_after=30), server_error(502, 30)],
)
def test_whatsapp_transient_errors_carry_retry_after(
    fake: FakeProviders, client: httpx.Client, answer: p.Answer
) -> None:
    fake.script("whatsapp", answer)
    with pytest.raises(TransientSendError) as later:
        whatsapp(fake, client).send(WhatsAppText("m", MOBILE, "hello"))
    assert later.value.retry_after == 30


def test_whatsapp_wrong_token_is_unauthorised(fake: FakeProviders, client: httpx.Client) -> None:
    with pytest.raises(PermanentSendError) as refused:
        whatsapp(fake, client, token="expired").send(WhatsAppText("m", MOBILE, "hello"))
    assert refused.value.refusal == Refusal.UNAUTHORISED
    assert fake.violations == ["whatsapp: bearer token"]


# -- SMS providers ---------------------------------------------------------------------------------------------


def test_unifonic_sends_the_documented_form_with_a_correlation_id(fake: FakeProviders, client: httpx.Client) -> None:
    accepted = unifonic(fake, client).send(SMS)
    assert fake.violations == []
    form = fake.of("unifonic")[0].form
    assert form == {
        "AppSid": p.UNIFONIC_APP_SID,
        "SenderID": p.UNIFONIC_SENDER,
        "Recipient": "971501234567",
        "Body": SMS.body,
        "responseType": "JSON",
        "CorrelationID": "msg-0001",
    }
    assert fake.of("unifonic")[0].headers["accept"] == "application/json"
    assert accepted.provider == "unifonic" and accepted.provider_message_id.isdigit() and accepted.parts == 1


@pytest.mark.parametrize(
    ("code", "refusal"),
    [("ER-04", Refusal.INVALID_RECIPIENT), ("ER-05", Refusal.INVALID_RECIPIENT), ("ER-01", Refusal.ACCOUNT)],
)
def test_unifonic_errors(fake: FakeProviders, client: httpx.Client, code: str, refusal: Refusal) -> None:
    fake.script("unifonic", unifonic_error(code, "Dest num is too short"))
    with pytest.raises(PermanentSendError) as refused:
        unifonic(fake, client).send(SMS)
    assert (refused.value.refusal, refused.value.code) == (refusal, code)


def test_twilio_sends_form_with_basic_auth_and_the_id_on_the_callback(
    fake: FakeProviders, client: httpx.Client
) -> None:
    accepted = twilio(fake, client).send(SMS)
    assert fake.violations == []
    form = fake.of("twilio")[0].form
    assert form["To"] == MOBILE and form["From"] == p.TWILIO_FROM and form["Body"] == SMS.body
    assert form["StatusCallback"] == "https://ho.example/webhooks/twilio/status?ref=msg-0001"
    assert accepted.provider_message_id.startswith("SM") and accepted.parts == 1


@pytest.mark.parametrize(("code", "refusal"), [(21211, Refusal.INVALID_RECIPIENT), (21610, Refusal.OPTED_OUT)])
def test_twilio_permanent_errors(fake: FakeProviders, client: httpx.Client, code: int, refusal: Refusal) -> None:
    fake.script("twilio", twilio_error(code))
    with pytest.raises(PermanentSendError) as refused:
        twilio(fake, client).send(SMS)
    assert (refused.value.refusal, refused.value.code) == (refusal, str(code))


def test_twilio_429_honours_retry_after(fake: FakeProviders, client: httpx.Client) -> None:
    fake.script("twilio", twilio_error(20429, 429, retry_after=12))
    with pytest.raises(TransientSendError) as later:
        twilio(fake, client).send(SMS)
    assert later.value.retry_after == 12


def test_twilio_wrong_token_is_unauthorised(fake: FakeProviders, client: httpx.Client) -> None:
    with pytest.raises(PermanentSendError) as refused:
        twilio(fake, client, token="wrong").send(SMS)
    assert refused.value.refusal == Refusal.UNAUTHORISED


def test_sns_publish_is_sigv4_signed(fake: FakeProviders, client: httpx.Client) -> None:
    accepted = sns(fake, client).send(SmsMessage("msg-2", MOBILE, "عرض خاص", promotional=True))
    assert fake.violations == []  # the fake recomputed the signature by hand and it matched
    form = fake.of("sns")[0].form
    assert form["Action"] == "Publish" and form["PhoneNumber"] == MOBILE and form["Message"] == "عرض خاص"
    assert form["MessageAttributes.entry.1.Value.StringValue"] == "Promotional"
    assert form["MessageAttributes.entry.2.Value.StringValue"] == "PerfumeOud"
    assert accepted.provider == "sns" and accepted.provider_message_id.startswith("5b8f")


def test_sns_with_the_wrong_secret_fails_the_signature(fake: FakeProviders, client: httpx.Client) -> None:
    with pytest.raises(PermanentSendError) as refused:
        sns(fake, client, secret="not-the-secret").send(SMS)
    assert refused.value.refusal == Refusal.UNAUTHORISED
    assert fake.violations == ["sns: signature"]


def test_sns_throttling_is_transient_and_bad_numbers_permanent(fake: FakeProviders, client: httpx.Client) -> None:
    fake.script(
        "sns",
        sns_error("Throttling", 400, "Rate exceeded"),
        sns_error("InvalidParameter", 400, "Invalid parameter: PhoneNumber Reason: +97150 is not valid"),
    )
    channel = sns(fake, client)
    with pytest.raises(TransientSendError):
        channel.send(SMS)
    with pytest.raises(PermanentSendError) as refused:
        channel.send(SMS)
    assert refused.value.refusal == Refusal.INVALID_RECIPIENT


# -- failover --------------------------------------------------------------------------------------------------


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failover_moves_on_after_transient_errors_in_the_configured_order(
    fake: FakeProviders, client: httpx.Client
) -> None:
    fake.script("unifonic", server_error(503))
    fake.script("twilio", twilio_error(20429, 429, retry_after=60))
    failover = FailoverSms([unifonic(fake, client), twilio(fake, client), sns(fake, client)])
    accepted = failover.send(SMS)
    assert accepted.provider == "sns"
    assert [r.provider for r in fake.requests] == ["unifonic", "twilio", "sns"]


def test_failover_stops_at_a_refusal_about_the_recipient(fake: FakeProviders, client: httpx.Client) -> None:
    fake.script("unifonic", server_error(500))
    fake.script("twilio", twilio_error(21610))
    failover = FailoverSms([unifonic(fake, client), twilio(fake, client), sns(fake, client)])
    with pytest.raises(PermanentSendError) as refused:
        failover.send(SMS)
    assert refused.value.refusal == Refusal.OPTED_OUT
    assert [r.provider for r in fake.requests] == ["unifonic", "twilio"]  # SNS never asked


def test_failover_passes_over_a_provider_whose_account_refuses(fake: FakeProviders, client: httpx.Client) -> None:
    failover = FailoverSms([twilio(fake, client, token="revoked"), unifonic(fake, client)])
    assert failover.send(SMS).provider == "unifonic"


def test_failover_rests_a_throttled_provider_for_its_retry_after(fake: FakeProviders, client: httpx.Client) -> None:
    ticks = Ticks()
    fake.script("unifonic", p.Answer(429, b"slow down", {"Retry-After": "20"}))
    failover = FailoverSms([unifonic(fake, client), twilio(fake, client)], monotonic=ticks)
    assert failover.send(SMS).provider == "twilio"
    assert failover.resting("unifonic") == 20
    ticks.now += 5
    assert failover.send(SMS).provider == "twilio"  # Unifonic not asked while it rests
    assert [r.provider for r in fake.requests] == ["unifonic", "twilio", "twilio"]
    ticks.now += 16
    assert failover.send(SMS).provider == "unifonic"


def test_when_every_provider_fails_the_soonest_retry_after_is_reported(
    fake: FakeProviders, client: httpx.Client
) -> None:
    fake.script("unifonic", p.Answer(429, b"", {"Retry-After": "40"}))
    fake.script("twilio", twilio_error(20429, 429, retry_after=15))
    failover = FailoverSms([unifonic(fake, client), twilio(fake, client)], monotonic=Ticks())
    with pytest.raises(TransientSendError) as later:
        failover.send(SMS)
    assert later.value.retry_after == 15


def test_a_provider_that_does_not_answer_in_time_is_transient(client: httpx.Client) -> None:
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with httpx.Client(timeout=0.3) as impatient:
            channel = UnifonicSms(p.UNIFONIC_APP_SID, p.UNIFONIC_SENDER, base_url=url, client=impatient)
            with pytest.raises(TransientSendError) as later:
                channel.send(SMS)
        assert "timed out" in later.value.reason
    finally:
        silent.close()


# -- email -----------------------------------------------------------------------------------------------------


def test_sendgrid_sends_the_documented_json_with_the_message_id(fake: FakeProviders, client: httpx.Client) -> None:
    message = EmailMessage("msg-e1", "layla@example.ae", "إيصالك", "شكراً لزيارتك.\n\nالعطور والعود", language="ar")
    accepted = sendgrid(fake, client).send(message)
    assert fake.violations == []
    assert accepted.provider == "sendgrid" and accepted.provider_message_id.startswith("sgid")
    sent = fake.of("sendgrid")[0].json
    assert sent["custom_args"] == {"message_id": "msg-e1"}
    assert sent["personalizations"] == [{"to": [{"email": "layla@example.ae"}]}]
    assert sent["from"] == {"email": "care@perfume-oud.ae", "name": "Perfume & Oud"}
    html_part = sent["content"][1]
    assert html_part["type"] == "text/html"
    assert html_part["value"].startswith('<div dir="rtl" lang="ar"')
    assert "<p>شكراً لزيارتك.</p><p>العطور والعود</p>" in html_part["value"]


def test_sendgrid_escapes_text_into_html(fake: FakeProviders, client: httpx.Client) -> None:
    sendgrid(fake, client).send(EmailMessage("m", "a@example.ae", "Hi", "<b>Oud</b> & musk"))
    assert "&lt;b&gt;Oud&lt;/b&gt; &amp; musk" in fake.of("sendgrid")[0].json["content"][1]["value"]


def test_sendgrid_errors(fake: FakeProviders, client: httpx.Client) -> None:
    fake.script(
        "sendgrid",
        sendgrid_error(400, "personalizations.0.to.0.email", "Does not contain a valid address."),
        sendgrid_error(400, "subject", "The subject is required."),
        server_error(503, retry_after=9),
    )
    channel = sendgrid(fake, client)
    message = EmailMessage("m", "a@example.ae", "Hi", "Body")
    with pytest.raises(PermanentSendError) as refused:
        channel.send(message)
    assert refused.value.refusal == Refusal.INVALID_RECIPIENT
    with pytest.raises(PermanentSendError) as refused:
        channel.send(message)
    assert refused.value.refusal == Refusal.INVALID_MESSAGE
    with pytest.raises(TransientSendError) as later:
        channel.send(message)
    assert later.value.retry_after == 9
    with pytest.raises(PermanentSendError) as refused:
        sendgrid(fake, client, key="SG.revoked").send(message)
    assert refused.value.refusal == Refusal.UNAUTHORISED


# -- configuration ---------------------------------------------------------------------------------------------


def environment(fake: FakeProviders, **extra: str) -> dict[str, str]:
    return {
        "WHATSAPP_ACCESS_TOKEN": p.WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": p.PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": fake.url,
        "SMS_PROVIDER": "twilio, unifonic",
        "UNIFONIC_APP_SID": p.UNIFONIC_APP_SID,
        "UNIFONIC_SENDER_ID": p.UNIFONIC_SENDER,
        "UNIFONIC_BASE_URL": fake.url,
        "TWILIO_ACCOUNT_SID": p.TWILIO_SID,
        "TWILIO_AUTH_TOKEN": p.TWILIO_TOKEN,
        "TWILIO_FROM": p.TWILIO_FROM,
        "TWILIO_BASE_URL": fake.url,
        "SENDGRID_API_KEY": p.SENDGRID_KEY,
        "SENDGRID_FROM_EMAIL": "care@perfume-oud.ae",
        "SENDGRID_BASE_URL": fake.url,
        **extra,
    }


def test_registry_builds_channels_from_the_environment(fake: FakeProviders, client: httpx.Client) -> None:
    registry = ChannelRegistry(Secrets(environment(fake), keyring=None), client)
    assert registry.sms_order == ["twilio", "unifonic"]
    fake.script("twilio", server_error(500))
    assert registry.sms().send(SMS).provider == "unifonic"
    assert registry.whatsapp().send(WhatsAppText("m", MOBILE, "hi")).provider == "whatsapp"
    assert registry.email().send(EmailMessage("m", "a@example.ae", "Hi", "Body")).provider == "sendgrid"
    assert registry.configured() == {"whatsapp": True, "sms": True, "email": True}
    assert fake.violations == []


def test_a_missing_credential_is_named(fake: FakeProviders, client: httpx.Client) -> None:
    env = environment(fake)
    del env["TWILIO_AUTH_TOKEN"]
    registry = ChannelRegistry(Secrets(env, keyring=None), client)
    with pytest.raises(ConfigurationError) as missing:
        registry.sms()
    assert missing.value.variable == "TWILIO_AUTH_TOKEN"
    assert "TWILIO_AUTH_TOKEN" in str(missing.value)
    with pytest.raises(ConfigurationError) as unknown:
        ChannelRegistry(Secrets(environment(fake, SMS_PROVIDER="twilio,pigeon"), keyring=None), client).sms()
    assert "pigeon" in str(unknown.value)


def test_credentials_come_from_the_keyring_when_the_environment_lacks_them() -> None:
    class Ring:
        def get_password(self, service: str, name: str) -> str | None:
            assert service == "PerfumeOudMessaging"
            return {"SENDGRID_API_KEY": "SG.from-keyring"}.get(name)

    secrets = Secrets({"SENDGRID_FROM_EMAIL": "a@example.ae"}, keyring=Ring())
    assert secrets.get("SENDGRID_API_KEY") == "SG.from-keyring"
    assert secrets.get("SENDGRID_FROM_EMAIL") == "a@example.ae"
    assert secrets.get("TWILIO_AUTH_TOKEN") is None


def test_the_recorded_request_bodies_are_real_bytes(fake: FakeProviders, client: httpx.Client) -> None:
    """The fake reads what went over the socket: the Arabic body arrives as UTF-8 form encoding."""
    unifonic(fake, client).send(SmsMessage("m", MOBILE, "مرحبا"))
    raw = fake.of("unifonic")[0].body
    assert b"Body=%D9%85%D8%B1%D8%AD%D8%A8%D8%A7" in raw
    assert fake.of("unifonic")[0].headers["content-type"].startswith("application/x-www-form-urlencoded")
