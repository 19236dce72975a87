"""Campaign short links served by head office on loopback: head office's campaign node gives each recipient a
link of their own; opening it redirects to the campaign's stored page only, counts the click, and the first
click reaches the branch by pull as the message's ``clicked`` event. Hostile requests: malformed or unknown
tokens are 404, an address that tries many is rate limited, and the request cannot choose the target."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.campaigns.links import TOKEN, checked_link
from core.campaigns.model import CampaignDefinition, CampaignKind, Message
from core.campaigns.schedule import Repeat, Schedule
from core.kernel.errors import ValidationError, ValidationErrors
from core.staff.auth import Role
from main import build_campaign_executor
from storage.bootstrap import build_services
from storage.schema import CampaignExecution
from sync.headoffice.guard import RequestLimits
from sync.headoffice.links import PREVIEW_AGENTS, PREVIEW_AGENTS_ENV, clicks, preview_agents_from
from sync.headoffice.store import HeadOfficeStore
from tests.campaign_world import Person, add_people, staff_actor, utc
from tests.clock import TestClock
from tests.faults.support import ServerThread, chain, open_node

PAGE = "https://perfume-oud.example/collections/oud-2027?src=campaign"
MADE_AT = utc(2027, 4, 20, 8, 0)
SEND_AT = utc(2027, 5, 1, 8, 0)  # 12:00 in Dubai
WORDING = {
    "en": "Hello {first_name}, our new oud collection is here: {link}",
    "ar": "مرحباً {first_name}، مجموعة العود الجديدة وصلت: {link}",
}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_each_recipient_has_a_short_link_that_redirects_and_is_counted(
    tmp_path: Path, client: httpx.Client, engine: str, request: pytest.FixtureRequest
) -> None:
    url = None
    if engine == "postgresql":  # the store a real chain runs on: its upsert, its placeholders
        url = str(request.getfixturevalue("postgres")).replace("postgresql://", "postgresql+psycopg://")
    with chain(tmp_path, ("DXB1",), url=url) as (ho, server, (a,)):
        node = open_node(tmp_path, ho, server.url)
        try:
            people = [Person() for _ in range(8)] + [Person(promotional=False) for _ in range(2)]
            add_people(a.store, MADE_AT, people)
            services = build_services(a.store, TestClock(MADE_AT, tick=False))
            manager = staff_actor(a.store, Role.MANAGER)
            campaign = services.campaigns.create(
                manager,
                CampaignDefinition(
                    name="New oud collection",
                    kind=CampaignKind.BROADCAST,
                    message=Message(texts=WORDING),
                    schedule=Schedule(Repeat.ONCE, at=SEND_AT),
                    link=PAGE,
                    control_percent=25,
                ),
            ).id
            services.campaigns.schedule(manager, campaign)
            a.sync()
            node.sync()
            executor = build_campaign_executor(node.store, TestClock(SEND_AT, tick=False), link_base=server.url)
            (report,) = executor.run_due()
            assert report.queued + report.control == 8 and report.queued >= 1  # the other two have no consent
            node.sync()

            executions = ho.merged_rows("campaign_executions").values()
            tokens = {e["communication_id"]: e["link_token"] for e in executions if e["outcome"] == "queued"}
            assert len(tokens) == report.queued and len(set(tokens.values())) == report.queued
            assert all(TOKEN.fullmatch(t) for t in tokens.values())
            assert all(e["link_token"] is None for e in executions if e["outcome"] != "queued")
            messages = ho.merged_rows("communications")
            for message_id, token in tokens.items():
                assert messages[message_id]["body"].endswith(f": {server.url}/l/{token}")

            message_id, token = next(iter(tokens.items()))
            first = client.get(f"{server.url}/l/{token}")
            assert first.status_code == 302 and first.headers["location"] == PAGE
            assert first.headers["cache-control"] == "no-store"
            # What the request carries never chooses the target.
            again = client.get(f"{server.url}/l/{token}", params={"next": "https://evil.example", "url": "//evil"})
            assert again.status_code == 302 and again.headers["location"] == PAGE
            count, first_at = clicks(ho, token)
            assert count == 2 and first_at is not None

            a.sync()
            found = _rows(
                a, "SELECT message_id, at, branch_id FROM communication_events WHERE status = 'clicked'"
            )  # fmt: skip
            assert [(r[0], r[2]) for r in found] == [(message_id, node.store.branch_id)], "once per message"
            others = set(tokens) - {message_id}
            assert not others & {r[0] for r in found}
            # The branch's results read it as one clicked message of those queued.
            total = services.campaigns.results(manager, campaign).rows[0]
            assert (total.clicked.count, total.clicked.of) == (1, report.queued)

            for bad in ("short", "x" * 17, "%2e%2e%2fv1%2fhealth", "%2e%2e%2fv1", "A" * 300, token[:-1] + "!"):
                assert client.get(f"{server.url}/l/{bad}").status_code == 404, bad
            unknown = "Z" * 16
            assert unknown not in tokens.values()
            assert client.get(f"{server.url}/l/{unknown}").status_code == 404

            # A branch cannot hang a link of its own on another branch's message: its token is not taken.
            forged = "F" * 16
            with a.uow() as uow:
                uow.session.add(
                    CampaignExecution(
                        campaign_id=campaign,
                        customer_id=people[0].id,
                        communication_id=message_id,
                        outcome="queued",
                        occurrence="forged",
                        variant="A",
                        link_token=forged,
                    )
                )
                uow.commit()
            a.sync()
            assert any(e["link_token"] == forged for e in ho.merged_rows("campaign_executions").values())
            assert client.get(f"{server.url}/l/{forged}").status_code == 404
        finally:
            node.close()


def test_an_address_that_tries_tokens_is_held_back(tmp_path: Path, client: httpx.Client) -> None:
    ho = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    server = ServerThread(ho, limits=RequestLimits(link_rate=0.01, link_burst=5)).start()
    try:
        answers = [client.get(f"{server.url}/l/{n:016d}").status_code for n in range(8)]
        assert answers == [404] * 5 + [429] * 3
        assert "retry-after" in client.get(f"{server.url}/l/{0:016d}").headers
        # A path that is not a token is turned away before the limiter and the store: still 404.
        assert client.get(f"{server.url}/l/not-a-token").status_code == 404
    finally:
        server.stop()
        ho.close()


@pytest.mark.parametrize(
    "link",
    [
        "http://perfume-oud.example/",
        "javascript:alert(1)",
        "https://",
        "https://user:secret@evil.example/",
        "https://perfume-oud.example/a b",
        "https://perfume-oud.example/\nSet-Cookie: x",
        "https://perfume-oud.example:99999/",
        "//evil.example",
        "https://perfume-oud.example/" + "a" * 500,
    ],
)
def test_a_campaigns_link_is_a_plain_https_address(link: str) -> None:
    with pytest.raises(ValidationError):
        checked_link(link)
    with pytest.raises(ValidationErrors):
        CampaignDefinition(
            name="x", kind=CampaignKind.BROADCAST, message=Message(texts=WORDING), schedule=Schedule(Repeat.DAILY)
        ).__class__(
            name="x",
            kind=CampaignKind.BROADCAST,
            message=Message(texts=WORDING),
            schedule=Schedule(Repeat.DAILY),
            link=link,
        ).validated()


def test_a_message_naming_the_link_needs_one() -> None:
    definition = CampaignDefinition(
        name="x", kind=CampaignKind.BROADCAST, message=Message(texts=WORDING), schedule=Schedule(Repeat.DAILY)
    )
    with pytest.raises(ValidationErrors) as refused:
        definition.validated()
    assert "names the link" in refused.value.errors[0].english()
    with_link = CampaignDefinition(
        name="x",
        kind=CampaignKind.BROADCAST,
        message=Message(texts=WORDING),
        schedule=Schedule(Repeat.DAILY),
        link=f"  {PAGE} ",
    ).validated()
    assert with_link.link == PAGE
    stored = with_link.definition_json()
    assert stored["link"] == PAGE
    read = CampaignDefinition.from_json("x", "broadcast", {}, stored, [], with_link.schedule.to_json())
    assert read.link == PAGE


def _rows(branch: Any, sql: str) -> list[Any]:
    with branch.store.read_engine.connect() as conn:
        return list(conn.execute(text(sql)))


SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
PREVIEWS = [
    "WhatsApp/2.24.6.77 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 "
    "Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",  # iMessage's preview fetcher
    "TelegramBot (like TwitterBot)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Applebot/0.1",
]


def _one_link(tmp_path: Path, **app: Any) -> Iterator[tuple[HeadOfficeStore, str, str, str]]:
    """A chain whose node sent one recipient a short link: (head office, its address, the token, the message)."""
    with chain(tmp_path, ("DXB1",), app=app or None) as (ho, server, (a,)):
        node = open_node(tmp_path, ho, server.url)
        try:
            add_people(a.store, MADE_AT, [Person()])
            services = build_services(a.store, TestClock(MADE_AT, tick=False))
            manager = staff_actor(a.store, Role.MANAGER)
            campaign = services.campaigns.create(
                manager,
                CampaignDefinition(
                    name="New oud collection",
                    kind=CampaignKind.BROADCAST,
                    message=Message(texts=WORDING),
                    schedule=Schedule(Repeat.ONCE, at=SEND_AT),
                    link=PAGE,
                ),
            ).id
            services.campaigns.schedule(manager, campaign)
            a.sync()
            node.sync()
            executor = build_campaign_executor(node.store, TestClock(SEND_AT, tick=False), link_base=server.url)
            (report,) = executor.run_due()
            assert report.queued == 1
            node.sync()
            (execution,) = ho.merged_rows("campaign_executions").values()
            yield ho, server.url, execution["link_token"], execution["communication_id"]
        finally:
            node.close()


def _clicked(ho: HeadOfficeStore) -> list[str]:
    events = ho.merged_rows("communication_events").values()
    return [e["message_id"] for e in events if e["status"] == "clicked"]


def test_a_link_preview_is_redirected_and_not_counted_a_browser_is(tmp_path: Path, client: httpx.Client) -> None:
    for ho, url, token, message_id in _one_link(tmp_path):
        for agent in PREVIEWS:
            fetched = client.get(f"{url}/l/{token}", headers={"User-Agent": agent})
            assert (fetched.status_code, fetched.headers["location"]) == (302, PAGE), agent
        head = client.head(f"{url}/l/{token}", headers={"User-Agent": SAFARI})
        assert (head.status_code, head.headers["location"]) == (302, PAGE)
        assert clicks(ho, token) == (0, None) and _clicked(ho) == [], "a preview is no click"

        opened = client.get(f"{url}/l/{token}", headers={"User-Agent": SAFARI})
        assert (opened.status_code, opened.headers["location"]) == (302, PAGE)
        count, first_at = clicks(ho, token)
        assert count == 1 and first_at is not None
        assert _clicked(ho) == [message_id]


def test_the_preview_agents_are_head_offices_setting(tmp_path: Path, client: httpx.Client) -> None:
    assert preview_agents_from({}) == PREVIEW_AGENTS == preview_agents_from({PREVIEW_AGENTS_ENV: " "})
    assert preview_agents_from({PREVIEW_AGENTS_ENV: "PerfumeCheck, Zalo"}) == ("perfumecheck", "zalo")
    assert preview_agents_from({PREVIEW_AGENTS_ENV: "+Zalo"}) == (*PREVIEW_AGENTS, "zalo")
    for ho, url, token, _message in _one_link(tmp_path, link_previews=("PerfumeCheck",)):
        client.get(f"{url}/l/{token}", headers={"User-Agent": "PerfumeCheck/1.0"})
        assert clicks(ho, token)[0] == 0
        client.get(f"{url}/l/{token}", headers={"User-Agent": "WhatsApp/2.24.6.77 A"})  # not on this list
        assert clicks(ho, token)[0] == 1
