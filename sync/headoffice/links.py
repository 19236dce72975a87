"""Campaign short links at head office: ``GET /l/<token>`` redirects a customer to the campaign's page and
records the click (core.campaigns.links).

Every request is hostile until the token is found: a path that is not a token of the drawn form (16 base-62
characters) is answered 404 before anything is looked up; each address has its own small rate limit (429);
a token is looked up by its primary key only, never searched for. The redirect target is only the link stored
in the campaign's definition, checked again as an https address, never anything the request carries: no open
redirect. A token head office does not hold, or whose campaign has no link any more, is 404.

A click is recorded once per token: the first click's time and a count of clicks in ``ho_links``, and on the
first one a ``communication_events`` row with status ``clicked`` for the recipient's message, written as head
office's own ledger row in the same transaction, so it reaches every branch by pull. A report counts a message
as clicked when such a row exists (``SELECT DISTINCT message_id FROM communication_events WHERE status =
'clicked'``; its ``at`` is the first click).

A link preview is not a click: a messaging app (or a bot it sends) fetches the link to show its page's title and
picture before anyone opens it. Such a request still gets the redirect, so the preview shows the campaign's
page, but records nothing: a HEAD request, or a User-Agent containing one of ``PREVIEW_AGENTS`` (compared
without case). The list is head office's setting ``HEADOFFICE_LINK_PREVIEW_AGENTS``: comma-separated patterns
that replace the default, or, starting with ``+``, are added to it (``preview_agents_from``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, update
from starlette.concurrency import run_in_threadpool

from core.campaigns.links import TOKEN, checked_link
from core.kernel.errors import ValidationError
from core.kernel.ids import stable_id
from sync.headoffice import models as m
from sync.headoffice.guard import RequestLimits, TokenBuckets, retry_after
from sync.headoffice.store import HeadOfficeStore, iso

CLICKED = "clicked"
NOT_FOUND = "no such link"
# What a redirect says to browsers and proxies: not kept (each click counts), no referrer to the campaign's page.
REDIRECT_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
PREVIEW_AGENTS_ENV = "HEADOFFICE_LINK_PREVIEW_AGENTS"
# Parts of the User-Agent of the fetchers that build link previews, and of the crawlers that follow links in
# messages. iMessage's fetcher calls itself "facebookexternalhit Facebot Twitterbot"; a person's browser,
# including the in-app browsers of these apps (FBAN, Instagram, Line…), names none of them.
PREVIEW_AGENTS: tuple[str, ...] = (
    "whatsapp",
    "facebookexternalhit",
    "facebot",
    "twitterbot",
    "telegrambot",
    "slackbot",
    "slack-imgproxy",
    "linkedinbot",
    "discordbot",
    "skypeuripreview",
    "googlebot",
    "google-pagerenderer",
    "bingbot",
    "applebot",
    "pinterestbot",
    "redditbot",
    "embedly",
    "viber",
    "snapchat",
    "yandexbot",
)


def preview_agents_from(env: Mapping[str, str]) -> tuple[str, ...]:
    """The User-Agent patterns of link previews: ``HEADOFFICE_LINK_PREVIEW_AGENTS`` (comma-separated) in place
    of ``PREVIEW_AGENTS``, or added to them when it starts with ``+``; the default when unset or empty."""
    value = env.get(PREVIEW_AGENTS_ENV, "").strip()
    added = value.startswith("+")
    patterns = tuple(p.strip().lower() for p in value.removeprefix("+").split(",") if p.strip())
    if not patterns:
        return PREVIEW_AGENTS
    return PREVIEW_AGENTS + patterns if added else patterns


def is_preview(method: str, user_agent: str, agents: Sequence[str] = PREVIEW_AGENTS) -> bool:
    """Whether a request for a short link is a preview's fetch, not a person opening it."""
    if method.upper() == "HEAD":
        return True
    agent = user_agent.lower()
    return any(pattern in agent for pattern in agents)


def click_event_id(token: str) -> str:
    """The click's ledger row id: one per token, so a click recorded twice at once is still one row."""
    return stable_id("campaign-link-click", token)


def target_of(store: HeadOfficeStore, token: str) -> str | None:
    """Where ``token`` leads (the campaign's stored link), or None; one look-up by key, then the campaign."""
    links, r = m.links.c, m.rows.c
    with store.reader.connect() as conn:
        campaign_id = conn.execute(select(links.campaign_id).where(links.token == token)).scalar()
        if campaign_id is None:
            return None
        data = conn.execute(select(r.data).where(r.entity == "campaigns", r.row_id == campaign_id)).scalar()
    if data is None:
        return None
    definition = orjson.loads(data).get("definition")
    link = definition.get("link") if isinstance(definition, dict) else None
    try:
        return checked_link(link)
    except ValidationError:
        return None


def record_click(store: HeadOfficeStore, token: str, now: datetime) -> bool:
    """Counts a click of ``token``; True for its first, which posts the message's ``clicked`` event."""
    links = m.links.c
    with store.writing() as (conn, head):
        row = conn.execute(
            select(links.message_id, links.branch_id, links.first_clicked_at).where(links.token == token)
        ).first()
        if row is None:
            return False
        first = row.first_clicked_at is None
        conn.execute(
            update(m.links)
            .where(links.token == token)
            .values(clicks=links.clicks + 1, first_clicked_at=row.first_clicked_at or iso(now))
        )
        if first:
            event: dict[str, Any] = {
                "id": click_event_id(token),
                "branch_id": row.branch_id,
                "created_at": iso(now),
                "message_id": row.message_id,
                "status": CLICKED,
                "at": iso(now),
                "provider": None,
                "provider_code": None,
                "detail": None,
            }
            store.set_head(conn, store.post(conn, head, "communication_events", [(event["id"], event)]))
    return first


def clicks(store: HeadOfficeStore, token: str) -> tuple[int, str | None]:
    """(clicks, first click's time) of ``token``; (0, None) for one head office does not hold."""
    links = m.links.c
    with store.reader.connect() as conn:
        row = conn.execute(select(links.clicks, links.first_clicked_at).where(links.token == token)).first()
    return (int(row.clicks), row.first_clicked_at) if row is not None else (0, None)


def mount_links(
    app: FastAPI, store: HeadOfficeStore, limits: RequestLimits, previews: Sequence[str] = PREVIEW_AGENTS
) -> None:
    """``previews``: the User-Agent patterns of link previews (lower case), answered without a click."""
    buckets = TokenBuckets(limits.link_rate, limits.link_burst, limits.max_tracked)
    agents = tuple(p.lower() for p in previews)

    @app.get(
        "/l/{token}",
        status_code=302,
        response_class=RedirectResponse,
        responses={
            302: {"description": "To the campaign's page; the click is recorded unless it is a link preview"},
            404: {"description": "No such link"},
            429: {"description": "Too many requests from this address: try again after Retry-After seconds"},
        },
        tags=["campaigns"],
    )
    async def open_link(token: str, request: Request) -> Response:
        """A campaign recipient's short link: a redirect to the campaign's page, counted per message (a link
        preview's fetch, HEAD or a preview's User-Agent, is redirected and not counted)."""
        if len(token) > 64 or not TOKEN.fullmatch(token):
            raise HTTPException(404, NOT_FOUND)
        client = request.client
        wait = buckets.take(client.host if client else "?")
        if wait:
            raise HTTPException(429, "too many requests from this address", headers=retry_after(wait))
        target = await run_in_threadpool(target_of, store, token)
        if target is None:
            raise HTTPException(404, NOT_FOUND)
        if not is_preview(request.method, request.headers.get("user-agent", ""), agents):
            await run_in_threadpool(record_click, store, token, store.now())
        return RedirectResponse(target, status_code=302, headers=REDIRECT_HEADERS)

    # A preview's HEAD gets the GET's answer without its body (FastAPI's GET route does not take HEAD itself).
    app.add_api_route("/l/{token}", open_link, methods=["HEAD"], status_code=302, include_in_schema=False)


__all__ = [
    "CLICKED",
    "PREVIEW_AGENTS",
    "click_event_id",
    "clicks",
    "is_preview",
    "mount_links",
    "preview_agents_from",
    "record_click",
    "target_of",
]
