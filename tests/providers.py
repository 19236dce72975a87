"""Fake WhatsApp, Unifonic, Twilio, AWS SNS and SendGrid: one real HTTP server on 127.0.0.1 that checks each
request against the provider's documented contract and answers as the provider does.

Checked per provider: the path, the authentication (Bearer token, AppSid, HTTP Basic, a SigV4 signature that
this file recomputes by hand from AWS's published algorithm — independently of botocore, which signs the
client's side), the body's encoding (JSON or form) and its required fields. A request that breaks the contract
is recorded in ``violations`` and answered with the provider's own error, so a test sees both.

WhatsApp: a template must be one the fake knows as approved (``approved``: the app's own templates under their
names at Meta, and providers.md's "order_ready"), in that language, with as many header and body parameters as
it was approved with (else 132001 / 132000, and a violation). Free text and interactive messages are refused
with 131047 outside the 24 h window once a test says whose windows are open (``open_whatsapp_window``).

A test scripts answers per provider (``fake.script("twilio", twilio_error(21211))``): scripted answers are used
in order, then the provider succeeds. Every request is kept in ``requests``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WHATSAPP_TOKEN = "EAAG-test-token"
PHONE_NUMBER_ID = "106540352242922"
GRAPH_VERSION = "v23.0"
UNIFONIC_APP_SID = "uni-app-sid-1"
UNIFONIC_SENDER = "AD-PerfOud"
TWILIO_SID = "AC" + "0" * 31 + "1"
TWILIO_TOKEN = "twilio-auth-token"
TWILIO_FROM = "+15005550006"
AWS_KEY = "AKIDEXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
AWS_REGION = "me-central-1"
SENDGRID_KEY = "SG.test-key"


@dataclass
class Answer:
    status: int
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            kind = "text/xml" if self.body.lstrip().startswith("<") else "text/plain"
            return self.body.encode(), kind
        return self.body, "application/octet-stream"


@dataclass
class Recorded:
    provider: str
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))


# -- errors as each provider writes them --------------------------------------------------------------------------


def whatsapp_error(code: int, status: int = 400, retry_after: int | None = None) -> Answer:
    body = {
        "error": {
            "message": f"(#{code}) error",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": "details"},
            "fbtrace_id": "AbCdEf",
        }
    }
    return Answer(status, body, {"Retry-After": str(retry_after)} if retry_after is not None else {})


def unifonic_error(code: str, message: str = "refused") -> Answer:
    return Answer(200, {"success": False, "message": message, "errorCode": code, "data": {}})


def twilio_error(code: int, status: int = 400, retry_after: int | None = None) -> Answer:
    body = {"code": code, "message": f"error {code}", "more_info": f"https://www.twilio.com/docs/errors/{code}"}
    body["status"] = status
    return Answer(status, body, {"Retry-After": str(retry_after)} if retry_after is not None else {})


def sns_error(code: str, status: int = 400, message: str = "refused", kind: str = "Sender") -> Answer:
    xml = (
        '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>'
        f"<Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>9e1f1b0f-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    )
    return Answer(status, xml)


def sendgrid_error(status: int, field_name: str | None = None, message: str = "refused") -> Answer:
    return Answer(status, {"errors": [{"field": field_name, "message": message, "help": None}]})


def server_error(status: int = 503, retry_after: int | None = None) -> Answer:
    return Answer(status, b"unavailable", {"Retry-After": str(retry_after)} if retry_after is not None else {})


# -- SigV4, recomputed here from AWS's published algorithm ---------------------------------------------------------


def sigv4_signature(
    method: str, path: str, headers: dict[str, str], signed: list[str], body: bytes, amz_date: str, scope: str
) -> str:
    canonical_headers = "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in signed)
    canonical = "\n".join([method, path, "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    date, region, service, _ = scope.split("/")
    key = ("AWS4" + AWS_SECRET).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


# -- the server ------------------------------------------------------------------------------------------------------


def approved_templates() -> dict[tuple[str, str], tuple[int, int]]:
    """(name at Meta, language) → (header parameters, body parameters) of every template approved at the fake."""
    from core.messaging.templates import BODIES, variables_of, whatsapp_name

    approved = {
        (whatsapp_name(key), language): (0, len(variables_of(text))) for (key, language), text in BODIES.items()
    }
    approved.update({("order_ready", language): (1, 2) for language in ("ar", "en")})
    return approved


class _Server(ThreadingHTTPServer):
    # A provider's endpoint takes every connection a burst opens; http.server's default backlog of 5 refused
    # some of 24 concurrent senders, which then failed a send no real provider would have failed.
    request_queue_size = 128


class FakeProviders:
    def __init__(self) -> None:
        self.approved = approved_templates()
        # None: every customer is inside the window; a set: only these numbers (digits) are.
        self.whatsapp_windows: set[str] | None = None
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self._scripts: dict[str, list[Answer]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def start(self) -> FakeProviders:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def script(self, provider: str, *answers: Answer) -> None:
        with self._lock:
            self._scripts.setdefault(provider, []).extend(answers)

    def open_whatsapp_window(self, *numbers: str) -> None:
        """From now on free text reaches only these numbers (and those opened later); others get 131047."""
        with self._lock:
            if self.whatsapp_windows is None:
                self.whatsapp_windows = set()
            self.whatsapp_windows.update("".join(c for c in n if c.isdigit()) for n in numbers)

    def of(self, provider: str) -> list[Recorded]:
        return [r for r in self.requests if r.provider == provider]

    # -- dispatch ----------------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = fake._answer(self.command, self.path, headers, body)
                payload, kind = answer.encoded()
                self.send_response(answer.status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        provider = self._provider_of(path)
        with self._lock:
            self.requests.append(Recorded(provider, method, path, headers, body))
        check = getattr(self, f"_check_{provider}", None)
        problem = check(path, headers, body) if check else Answer(404, b"no such provider path")
        if problem is not None:
            return problem
        with self._lock:
            scripted = self._scripts.get(provider)
            if scripted:
                return scripted.pop(0)
        return getattr(self, f"_accept_{provider}")(headers, body)

    def _provider_of(self, path: str) -> str:
        if path.startswith(f"/{GRAPH_VERSION}/") or path.startswith("/v"):
            return "sendgrid" if path.startswith("/v3/mail/send") else "whatsapp"
        if path.startswith("/rest/SMS/"):
            return "unifonic"
        if path.startswith("/2010-04-01/"):
            return "twilio"
        if path == "/":
            return "sns"
        return "unknown"

    def _violate(self, provider: str, what: str, answer: Answer) -> Answer:
        with self._lock:
            self.violations.append(f"{provider}: {what}")
        return answer

    def _next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    # -- WhatsApp Cloud API ------------------------------------------------------------------------------------

    def _check_whatsapp(self, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        if path != f"/{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages":
            return self._violate("whatsapp", f"path {path}", whatsapp_error(100, 400))
        if headers.get("authorization") != f"Bearer {WHATSAPP_TOKEN}":
            return self._violate("whatsapp", "bearer token", whatsapp_error(190, 401))
        if not headers.get("content-type", "").startswith("application/json"):
            return self._violate("whatsapp", "not JSON", whatsapp_error(100, 400))
        data = json.loads(body)
        problems = []
        if data.get("messaging_product") != "whatsapp":
            problems.append("messaging_product")
        if not str(data.get("to", "")).isdigit():
            problems.append("to must be digits")
        kind = data.get("type")
        if kind not in ("text", "template", "interactive") or kind not in data:
            problems.append(f"type {kind}")
        elif kind == "text" and not data["text"].get("body"):
            problems.append("text.body")
        elif kind == "template" and not (data["template"].get("name") and data["template"]["language"].get("code")):
            problems.append("template name/language")
        elif kind == "interactive":
            problems += _interactive_problems(data["interactive"])
        if problems:
            return self._violate("whatsapp", ", ".join(problems), whatsapp_error(100, 400))
        if kind == "template":
            return self._check_template(data["template"])
        with self._lock:
            windows = self.whatsapp_windows
            if windows is not None and data["to"] not in windows:
                return whatsapp_error(131047)  # re-engagement: outside the 24 h window
        return None

    def _check_template(self, template: dict[str, Any]) -> Answer | None:
        name, language = template["name"], template["language"]["code"]
        if (name, language) not in self.approved:
            return self._violate("whatsapp", f"template {name}/{language} not approved", whatsapp_error(132001))
        counts = {"header": 0, "body": 0}
        for component in template.get("components", []):
            if component.get("type") in counts:
                parameters = component.get("parameters", [])
                if not all(p.get("type") == "text" and p.get("text") for p in parameters):
                    return self._violate("whatsapp", f"{name}: an empty parameter", whatsapp_error(131008))
                counts[component["type"]] += len(parameters)
        header, body = self.approved[(name, language)]
        if (counts["header"], counts["body"]) != (header, body):
            found = f"{counts['header']}+{counts['body']}"
            return self._violate(
                "whatsapp", f"{name}: {found} parameters, approved {header}+{body}", whatsapp_error(132000)
            )
        return None

    def _accept_whatsapp(self, headers: dict[str, str], body: bytes) -> Answer:
        to = json.loads(body)["to"]
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.HBgM{self._next_id():06d}"}],
            },
        )

    # -- Unifonic ----------------------------------------------------------------------------------------------

    def _check_unifonic(self, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        if path != "/rest/SMS/messages":
            return self._violate("unifonic", f"path {path}", Answer(404, b""))
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return self._violate("unifonic", "not a form", unifonic_error("ER-06"))
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("AppSid") != UNIFONIC_APP_SID:
            return self._violate("unifonic", "AppSid", Answer(401, {"success": False, "message": "Invalid AppSid"}))
        missing = [f for f in ("SenderID", "Recipient", "Body") if not form.get(f)]
        if missing or not form.get("Recipient", "").isdigit():
            return self._violate("unifonic", f"fields {missing or 'Recipient digits'}", unifonic_error("ER-02"))
        return None

    def _accept_unifonic(self, headers: dict[str, str], body: bytes) -> Answer:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        return Answer(
            200,
            {
                "success": "true",
                "message": "",
                "errorCode": "ER-00",
                "data": {
                    "MessageID": 4000 + self._next_id(),
                    "CorrelationID": form.get("CorrelationID", ""),
                    "Status": "Sent",
                    "NumberOfUnits": 1,
                    "Cost": 0.05,
                    "Balance": 100,
                    "Recipient": form["Recipient"],
                    "TimeCreated": "2026-12-03 11:30:00",
                    "CurrencyCode": "AED",
                },
            },
        )

    # -- Twilio ------------------------------------------------------------------------------------------------

    def _check_twilio(self, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        if path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
            return self._violate("twilio", f"path {path}", twilio_error(20404, 404))
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return self._violate("twilio", "basic auth", twilio_error(20003, 401))
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return self._violate("twilio", "not a form", twilio_error(21602))
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if not form.get("To", "").startswith("+"):
            return self._violate("twilio", "To not E.164", twilio_error(21211))
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return self._violate("twilio", "From", twilio_error(21603))
        if not form.get("Body") or len(form["Body"]) > 1600:
            return self._violate("twilio", "Body", twilio_error(21602))
        return None

    def _accept_twilio(self, headers: dict[str, str], body: bytes) -> Answer:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        sid = f"SM{self._next_id():032x}"
        return Answer(
            201,
            {"sid": sid, "status": "queued", "to": form["To"], "num_segments": "1", "error_code": None, "price": None},
        )

    # -- AWS SNS -----------------------------------------------------------------------------------------------

    def _check_sns(self, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        authorization = headers.get("authorization", "")
        amz_date = headers.get("x-amz-date", "")
        try:
            algorithm, rest = authorization.split(" ", 1)
            parts = dict(item.strip().split("=", 1) for item in rest.split(","))
            key, scope = parts["Credential"].split("/", 1)
            signed = parts["SignedHeaders"].split(";")
        except (ValueError, KeyError):
            return self._violate("sns", "no SigV4 Authorization", sns_error("IncompleteSignature", 403))
        if algorithm != "AWS4-HMAC-SHA256" or key != AWS_KEY or not scope.endswith(f"/{AWS_REGION}/sns/aws4_request"):
            return self._violate("sns", f"credential scope {scope}", sns_error("InvalidClientTokenId", 403))
        if "host" not in signed or "x-amz-date" not in signed or not scope.startswith(amz_date[:8]):
            return self._violate("sns", "signed headers", sns_error("IncompleteSignature", 403))
        expected = sigv4_signature("POST", path, headers, signed, body, amz_date, scope)
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return self._violate("sns", "signature", sns_error("SignatureDoesNotMatch", 403))
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("Action") != "Publish" or form.get("Version") != "2010-03-31":
            return self._violate("sns", "Action/Version", sns_error("InvalidAction"))
        if not form.get("PhoneNumber", "").startswith("+") or not form.get("Message"):
            return self._violate("sns", "PhoneNumber/Message", sns_error("InvalidParameter"))
        if form.get("MessageAttributes.entry.1.Name") != "AWS.SNS.SMS.SMSType":
            return self._violate("sns", "SMSType attribute", sns_error("InvalidParameter"))
        return None

    def _accept_sns(self, headers: dict[str, str], body: bytes) -> Answer:
        message_id = f"5b8f0000-0000-4000-8000-{self._next_id():012d}"
        xml = (
            '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
            f"<MessageId>{message_id}</MessageId></PublishResult>"
            "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>"
        )
        return Answer(200, xml)

    # -- SendGrid ----------------------------------------------------------------------------------------------

    def _check_sendgrid(self, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        if path != "/v3/mail/send":
            return self._violate("sendgrid", f"path {path}", sendgrid_error(404))
        if headers.get("authorization") != f"Bearer {SENDGRID_KEY}":
            return self._violate(
                "sendgrid", "bearer key", sendgrid_error(401, None, "The provided authorization grant is invalid")
            )
        try:
            data = json.loads(body)
        except ValueError:
            return self._violate("sendgrid", "not JSON", sendgrid_error(400, None, "Bad Request"))
        problems = []
        personalizations = data.get("personalizations") or []
        if not personalizations or not all(
            p.get("to") and all("email" in t for t in p["to"]) for p in personalizations
        ):
            problems.append("personalizations.0.to")
        if not (data.get("from") or {}).get("email"):
            problems.append("from.email")
        if not data.get("template_id") and not (data.get("subject") and data.get("content")):
            problems.append("subject/content")
        if problems:
            return self._violate("sendgrid", ", ".join(problems), sendgrid_error(400, problems[0]))
        return None

    def _accept_sendgrid(self, headers: dict[str, str], body: bytes) -> Answer:
        return Answer(202, b"", {"X-Message-Id": f"sgid{self._next_id():08d}"})


def _interactive_problems(interactive: Any) -> list[str]:
    """What Meta's documented limits (providers.md §1) refuse in an interactive message: reply buttons ≤ 3
    with unique titles ≤ 20 and ids ≤ 256; a list with ≤ 10 sections and ≤ 10 rows in all, its button label
    ≤ 20, section titles ≤ 24 (required once there are several), row ids ≤ 200, titles ≤ 24, descriptions
    ≤ 72; a body ≤ 1024, a text header and a footer ≤ 60."""
    problems = []
    kind = interactive.get("type")
    body = (interactive.get("body") or {}).get("text")
    if not body or len(body) > 1024:
        problems.append("interactive body (1 to 1024)")
    header = interactive.get("header")
    if header is not None and (header.get("type") != "text" or len(header.get("text", "")) > 60):
        problems.append("header: text only, at most 60")
    if len((interactive.get("footer") or {}).get("text", "")) > 60:
        problems.append("footer at most 60")
    action = interactive.get("action") or {}
    if kind == "button":
        buttons = action.get("buttons") or []
        replies = [b.get("reply") or {} for b in buttons if b.get("type") == "reply"]
        titles = [str(r.get("title", "")) for r in replies]
        ids = [str(r.get("id", "")) for r in replies]
        if not 1 <= len(buttons) <= 3 or len(replies) != len(buttons):
            problems.append("1 to 3 reply buttons")
        if any(not t or len(t) > 20 for t in titles) or len(set(titles)) != len(titles):
            problems.append("button titles: unique, 1 to 20")
        if any(not i or len(i) > 256 for i in ids) or len(set(ids)) != len(ids):
            problems.append("button ids: unique, 1 to 256")
    elif kind == "list":
        sections = action.get("sections") or []
        rows = [row for section in sections for row in section.get("rows") or []]
        if not action.get("button") or len(action["button"]) > 20:
            problems.append("list button label (1 to 20)")
        if not 1 <= len(sections) <= 10 or not 1 <= len(rows) <= 10:
            problems.append("list: 1 to 10 sections, 1 to 10 rows in all")
        if len(sections) > 1 and any(not s.get("title") for s in sections):
            problems.append("every section titled when there are several")
        if any(len(s.get("title") or "") > 24 for s in sections):
            problems.append("section title at most 24")
        ids = [str(row.get("id", "")) for row in rows]
        if any(not i or len(i) > 200 for i in ids) or len(set(ids)) != len(ids):
            problems.append("row ids: unique, 1 to 200")
        if any(not row.get("title") or len(row["title"]) > 24 for row in rows):
            problems.append("row title 1 to 24")
        if any(len(row.get("description") or "") > 72 for row in rows):
            problems.append("row description at most 72")
    else:
        problems.append(f"interactive type {kind}")
    return problems
