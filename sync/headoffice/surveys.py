"""The survey page at head office: ``GET /s/<code>`` shows a survey's question, ``POST /s/<code>`` takes the
answer. An SMS or email survey carries this link (core.feedback.service.survey_link); the customer answers on a
small page in Arabic (right to left) or English, without JavaScript.

Head office does not own survey answers: the branch that sent the invitation does (points, a low score's
ticket, the refusal of an expired or answered survey: core.feedback, core.inbound). An answer here is kept the
way an inbound reply is (sync.headoffice.webhooks.record_inbound): a ``communications`` row with direction
"inbound", channel "web" (core.inbound.ports.WEB), reply id ``nps:<code>:<score>`` or ``rating:<code>:<score>``
as a WhatsApp list answer has, and the comment as its text; it belongs to the invitation's branch, which answers
the survey from it after its next pull. Its id derives from the code, so an answer sent twice is one row: the
second is told "already received".

Every request is hostile: a code not of the drawn form (8 of CODE_ALPHABET, any case) is 404 before anything is
looked up; each address has its own small rate limit (429); the code is looked up by key
(sync.headoffice.survey_tokens), never searched for. Invitations are branch rows that reach head office by push:
a code head office does not hold (yet) is a polite 404, a survey past its expiry 410, one answered already (here
or at the branch) says so. The POST takes only a URL-encoded form (415 otherwise) of at most ``MAX_FORM_BYTES``
(413), a score the question offers (400 with the form again otherwise) and a comment cut at 2,000 characters
after cleaning. Pages show no user data but an unsent comment, and that escaped; they forbid scripts, framing
and caching.
"""

from __future__ import annotations

import html
import logging
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from core.feedback.service import MAX_COMMENT, clean_comment, scale_of
from core.feedback.whatsapp import NPS, reply_id
from core.inbound.ports import WEB
from core.kernel.ids import stable_id
from sync.headoffice import models as m
from sync.headoffice.guard import RequestLimits, TokenBuckets, retry_after
from sync.headoffice.store import HeadOfficeStore, iso
from sync.headoffice.survey_tokens import CODE, ENTITY

log = logging.getLogger(__name__)

PATH = "/s/{token}"
MAX_FORM_BYTES = 16 * 1024  # 2,000 characters of Arabic, URL-encoded, is 12 kB
FORM = "application/x-www-form-urlencoded"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}
LANGUAGES = ("ar", "en")

# What the page says, in the customer's language (customer-facing, not the till's).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "brand": "Perfume & Oud",
        "nps": "How likely are you to recommend Perfume & Oud to a friend?",
        "nps_low": "0 = not at all likely",
        "nps_high": "10 = extremely likely",
        "rating": "How would you rate the product you bought from us?",
        "rating_low": "1 = very poor",
        "rating_high": "5 = excellent",
        "comment": "Anything you would like to tell us? (optional)",
        "send": "Send",
        "other": "العربية",
        "choose": "Please choose a score.",
        "thanks": "Thank you! We have received your answer.",
        "already": "Thank you, we have already received your answer to this survey.",
        "closed": "This survey has closed, so we can no longer take an answer. Thank you all the same.",
        "unknown": "We could not find this survey. If it has just reached you, please try again in a few minutes.",
        "slow": "Too many requests from your connection. Please try again in a moment.",
        "large": "Your answer is too long to send. Please shorten your comment.",
        "form": "Please send your answer from the survey page.",
        "busy": "We could not record your answer just now. Please try again later.",
    },
    "ar": {
        "brand": "العطور والعود",
        "nps": "ما مدى احتمال أن توصي صديقاً بالعطور والعود؟",
        "nps_low": "0 = مستبعد تماماً",
        "nps_high": "10 = محتمل جداً",
        "rating": "كيف تقيّم المنتج الذي اشتريته منا؟",
        "rating_low": "1 = سيئ جداً",
        "rating_high": "5 = ممتاز",
        "comment": "هل تودّ أن تخبرنا بشيء؟ (اختياري)",
        "send": "إرسال",
        "other": "English",
        "choose": "يرجى اختيار تقييم.",
        "thanks": "شكراً لك! استلمنا إجابتك.",
        "already": "شكراً لك، لقد استلمنا إجابتك على هذا الاستبيان من قبل.",
        "closed": "انتهت مدة هذا الاستبيان، لذا لم يعد بإمكاننا تسجيل إجابة. شكراً لك على كل حال.",
        "unknown": "لم نجد هذا الاستبيان. إذا وصلك للتو، يرجى المحاولة مرة أخرى بعد دقائق.",
        "slow": "طلبات كثيرة من اتصالك. يرجى المحاولة بعد قليل.",
        "large": "إجابتك أطول من أن تُرسل. يرجى اختصار تعليقك.",
        "form": "يرجى إرسال إجابتك من صفحة الاستبيان.",
        "busy": "تعذّر تسجيل إجابتك الآن. يرجى المحاولة لاحقاً.",
    },
}


@dataclass(frozen=True)
class Survey:
    """What head office holds of an invitation: enough to ask its question and to route its answer."""

    code: str
    invitation_id: str
    branch_id: str
    customer_id: str | None
    scale: str  # nps | rating
    expires_at: datetime | None
    answered: bool  # at the branch, or here already


def answer_id(code: str) -> str:
    """The answer's communications row id: one per survey, so an answer sent twice is one row."""
    return stable_id("survey-web-answer", code)


def code_of(token: str) -> str | None:
    """The survey code a path names, in upper case; None for anything not of the drawn form."""
    if len(token) != 8:
        return None
    code = token.upper()
    return code if CODE.fullmatch(code) else None


def find(store: HeadOfficeStore, code: str) -> Survey | None:
    t, r = m.survey_tokens.c, m.rows.c
    with store.reader.connect() as conn:
        found = conn.execute(select(t.invitation_id, t.branch_id).where(t.token == code)).first()
        if found is None:
            return None
        data = conn.execute(select(r.data).where(r.entity == ENTITY, r.row_id == found.invitation_id)).scalar()
        here = conn.execute(select(r.row_id).where(r.entity == "communications", r.row_id == answer_id(code))).first()
    fields: dict[str, Any] = orjson.loads(data) if data else {}
    if fields.get("deleted"):
        return None
    try:
        expires = datetime.fromisoformat(str(fields["expires_at"])) if fields.get("expires_at") else None
    except ValueError:
        expires = None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    customer = fields.get("customer_id")
    return Survey(
        code=code,
        invitation_id=found.invitation_id,
        branch_id=str(fields.get("branch_id") or found.branch_id),
        customer_id=customer if isinstance(customer, str) else None,
        scale=scale_of(str(fields.get("kind") or "")),
        expires_at=expires,
        answered=bool(fields.get("answered_at")) or here is not None,
    )


def record(store: HeadOfficeStore, survey: Survey, score: int, comment: str | None) -> bool:
    """Keeps the answer as an inbound message of the invitation's branch; False when one is kept already."""
    row_id = answer_id(survey.code)
    r = m.rows.c
    now = iso(store.now())
    row: dict[str, Any] = {
        "id": row_id,
        "branch_id": survey.branch_id,
        "created_at": now,
        "updated_at": now,
        "customer_id": survey.customer_id,
        "channel": WEB,
        "direction": "inbound",
        "template_id": None,
        "recipient": "",
        "body": comment or "",
        "status": "received",
        "attempts": 0,
        "provider": WEB,
        "provider_message_id": None,
        "reply_id": reply_id(survey.scale, survey.code, score),
        "deleted": False,
    }
    with store.writing() as (conn, head):
        if conn.execute(select(r.row_id).where(r.entity == "communications", r.row_id == row_id)).first():
            return False  # sent twice, or twice at once
        store.set_head(conn, store.decide(conn, head, "communications", row_id, row))
    return True


# -- the pages ---------------------------------------------------------------------------------------------------


def _language(request: Request, chosen: str | None = None) -> str:
    if chosen in LANGUAGES:
        return chosen
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    accept = request.headers.get("accept-language", "")[:200].lower()
    return "en" if accept.startswith("en") else "ar"


def _page(language: str, content: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    words = WORDS[language]
    direction = "rtl" if language == "ar" else "ltr"
    document = (
        "<!DOCTYPE html>"
        f'<html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(words['brand'])}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;"
        "color:#222}h1{font-size:1.3rem}fieldset{border:0;padding:0}label.s{display:inline-block;margin:.2rem;"
        "padding:.4rem .6rem;border:1px solid #999;border-radius:.3rem}textarea{width:100%;min-height:6rem}"
        "button{font-size:1.1rem;padding:.5rem 1.5rem;margin-top:1rem}.e{color:#a00}.n{color:#555}</style>"
        f"</head><body><h1>{html.escape(words['brand'])}</h1>{content}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers={**HEADERS, **(headers or {})})


def _message(language: str, key: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    return _page(language, f"<p>{html.escape(WORDS[language][key])}</p>", status, headers)


def _form(survey: Survey, language: str, *, score: int | None = None, comment: str = "", error: str = "") -> str:
    words = WORDS[language]
    scores = range(0, 11) if survey.scale == NPS else range(1, 6)
    other = "en" if language == "ar" else "ar"
    choices = "".join(
        f'<label class="s"><input type="radio" name="score" value="{n}" required'
        f"{' checked' if n == score else ''}> {n}</label>"
        for n in scores
    )
    code = urllib.parse.quote(survey.code)
    return (
        f'<p><a href="/s/{code}?lang={other}" lang="{other}">{html.escape(words["other"])}</a></p>'
        + (f'<p class="e">{html.escape(words[error])}</p>' if error else "")
        + f'<form method="post" action="/s/{code}?lang={language}">'
        f'<input type="hidden" name="lang" value="{language}">'
        f"<fieldset><legend><strong>{html.escape(words[survey.scale])}</strong></legend>{choices}"
        f'<p class="n">{html.escape(words[survey.scale + "_low"])} · {html.escape(words[survey.scale + "_high"])}</p>'
        "</fieldset>"
        f'<p><label for="comment">{html.escape(words["comment"])}</label></p>'
        f'<textarea id="comment" name="comment" maxlength="{MAX_COMMENT}" dir="auto">{html.escape(comment)}</textarea>'
        f'<p><button type="submit">{html.escape(words["send"])}</button></p></form>'
    )


def _closed(survey: Survey, now: datetime) -> bool:
    return survey.expires_at is not None and now >= survey.expires_at


def mount_surveys(app: FastAPI, store: HeadOfficeStore, limits: RequestLimits) -> None:
    buckets = TokenBuckets(limits.link_rate, limits.link_burst, limits.max_tracked)

    async def survey_page(request: Request) -> Response:
        language = _language(request)
        code = code_of(request.path_params["token"])
        if code is None:
            return _message(language, "unknown", 404)
        client = request.client
        wait = buckets.take(client.host if client else "?")
        if wait:
            return _message(language, "slow", 429, retry_after(wait))
        if request.method == "POST":
            return await _answer(request, code, language)
        survey = await run_in_threadpool(find, store, code)
        if survey is None:
            return _message(language, "unknown", 404)
        if survey.answered:
            return _message(language, "already", 200)
        if _closed(survey, store.now()):
            return _message(language, "closed", 410)
        return _page(language, _form(survey, language))

    async def _answer(request: Request, code: str, language: str) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != FORM:
            return _message(language, "form", 415)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
            return _message(language, "large", 413)
        raw = b""
        try:
            async for chunk in request.stream():
                raw += chunk
                if len(raw) > MAX_FORM_BYTES:
                    return _message(language, "large", 413)
        except ClientDisconnect:
            return Response(status_code=400)
        try:
            fields = dict(
                urllib.parse.parse_qsl(
                    raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw), max_num_fields=10
                )
            )
        except (UnicodeDecodeError, ValueError):
            return _message(language, "form", 400)
        language = _language(request, fields.get("lang"))
        survey = await run_in_threadpool(find, store, code)
        if survey is None:
            return _message(language, "unknown", 404)
        if survey.answered:
            return _message(language, "already", 200)
        if _closed(survey, store.now()):
            return _message(language, "closed", 410)
        comment = clean_comment(fields.get("comment", "")[: MAX_COMMENT * 2])
        text = fields.get("score", "").strip()
        scores = range(0, 11) if survey.scale == NPS else range(1, 6)
        score = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else None
        if score not in scores:
            return _page(language, _form(survey, language, comment=comment or "", error="choose"), 400)
        assert score is not None
        if not await run_in_threadpool(record, store, survey, score, comment):
            return _message(language, "already", 200)
        return _message(language, "thanks", 200)

    app.router.routes.insert(0, Route(PATH, survey_page, methods=["GET", "POST"], name="survey_page"))


__all__ = ["answer_id", "code_of", "find", "mount_surveys", "record"]
