"""Every route of head office, found by walking the app, over real HTTP: a body past its limit is refused with
413 (declared or streamed in chunks), every client address is rate-limited (429 with Retry-After) on every
route, the public survey page and short links included, every signed route is rate-limited per branch, and
none of it answers 5xx. Behind a trusted reverse proxy the address limited is the one X-Forwarded-For names."""

from __future__ import annotations

import argparse
import hashlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from sync.headoffice.cli import add_arguments, limits_from
from sync.headoffice.guard import WEBHOOKS, RequestLimits
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.headoffice.surveys import MAX_FORM_BYTES
from sync.messaging.signatures import (
    SENDGRID_SIGNATURE_HEADER,
    SENDGRID_TIMESTAMP_HEADER,
    TWILIO_SIGNATURE_HEADER,
    WHATSAPP_SIGNATURE_HEADER,
)
from sync.protocol import (
    BRANCH_HEADER,
    DIGEST_HEADER,
    IDEMPOTENCY_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    EnrollRequest,
    new_nonce,
    signature,
)
from tests import webhook_signing as w
from tests.clock import TestClock
from tests.faults.support import ServerThread

ADMIN_TOKEN = "admin-token-for-the-guard-walk"
LIMITS = RequestLimits(
    max_push_bytes=20_000,
    max_body_bytes=2_000,
    max_webhook_bytes=30_000,
    address_rate=0.001,
    address_burst=3,
    webhook_rate=0.001,
    webhook_burst=3,
    branch_rate=0.001,
    branch_burst=2,
    link_rate=0.001,
    link_burst=1000,  # the routes' own buckets are not what this walk measures
    trusted_proxies=("127.0.0.1",),  # each probe comes "from" an address of its own, through X-Forwarded-For
)
_addresses = itertools.count(1)


def fresh_address() -> str:
    n = next(_addresses)
    return f"203.0.{n // 250}.{n % 250 + 1}"


def routes(app: FastAPI) -> list[tuple[str, str, BaseRoute]]:
    """(path, method, route) for every route the app answers, included routers' routes too."""
    found: list[tuple[str, str, BaseRoute]] = []
    pending: list[BaseRoute] = list(app.routes)
    while pending:
        route = pending.pop(0)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending.extend(inner.routes)
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            found.append((str(route.path), method, route))
    return found


def signed(route: BaseRoute) -> bool:
    """A route a branch signs: it depends on head office's ``branch`` dependency."""
    return isinstance(route, APIRoute) and any(d.call.__name__ == "branch" for d in route.dependant.dependencies)


def concrete(path: str) -> str:
    return (
        path.replace("/s/{token}", "/s/ABCDEFGH")
        .replace("/l/{token}", "/l/abcdefghijklmnop")
        .replace("{branch_id}", "b1")
        .replace("{staff_id}", "s1")
    )


def limit_of(path: str, method: str) -> int:
    if path == "/v1/push":
        return LIMITS.max_push_bytes
    if path.startswith(WEBHOOKS):
        return LIMITS.max_webhook_bytes
    if path.startswith("/s/") and method == "POST":
        return min(MAX_FORM_BYTES, LIMITS.max_body_bytes)
    return LIMITS.max_body_bytes


class Office:
    def __init__(self, tmp_path: Path) -> None:
        clock = TestClock()  # head office's clock: signatures and webhook timestamps are checked against it
        self.store = HeadOfficeStore(
            f"sqlite:///{tmp_path / 'ho.sqlite'}",
            HeadOfficeConfig(admin_token=ADMIN_TOKEN),
            wall_ms=lambda: int(clock.now().timestamp() * 1000),
        )
        self.server = ServerThread(self.store, limits=LIMITS, webhooks=w.secrets()).start()
        self.app: FastAPI = self.server.server.config.app
        self.http = httpx.Client(base_url=self.server.url, timeout=30)

    def branch(self) -> tuple[str, str]:
        enrolled = self.store.enroll(EnrollRequest(code=self.store.issue_code().code))
        return enrolled.branch_id, enrolled.secret

    def close(self) -> None:
        self.http.close()
        self.server.stop()
        self.store.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    office = Office(tmp_path_factory.mktemp("guards"))
    yield office
    office.close()


def reading_headers(
    office: Office, path: str, method: str, body: bytes, branch: tuple[str, str] | None
) -> dict[str, str]:
    """Headers that get each kind of route as far as reading its body: a branch's signature, the admin token,
    a provider's signature header, a form's content type."""
    headers = {
        "Authorization": f"Bearer {ADMIN_TOKEN}",
        "Content-Type": "application/x-www-form-urlencoded" if path.startswith("/s/") else "application/json",
        WHATSAPP_SIGNATURE_HEADER: "sha256=" + "0" * 64,
        TWILIO_SIGNATURE_HEADER: "x" * 28,
        SENDGRID_SIGNATURE_HEADER: "x" * 40,
        SENDGRID_TIMESTAMP_HEADER: str(int(office.store.now().timestamp())),
        IDEMPOTENCY_HEADER: "walk",
    }
    if branch is not None:
        branch_id, secret = branch
        timestamp = str(int(office.store.now().timestamp()))
        nonce, digest = new_nonce(), hashlib.sha256(body).hexdigest()
        target = concrete(path) + ("?since=0" if method == "GET" else "")
        headers |= {
            BRANCH_HEADER: branch_id,
            TIMESTAMP_HEADER: timestamp,
            NONCE_HEADER: nonce,
            DIGEST_HEADER: digest,
            SIGNATURE_HEADER: signature(secret, method, target, timestamp, nonce, digest),
        }
    return headers


def send(office: Office, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers = {"X-Forwarded-For": fresh_address(), **kwargs.pop("headers", {})}
    params = {"since": "0"} if method == "GET" and signed_path(office, path) else None
    if path.startswith("/v1/webhooks/unifonic"):
        params = {"token": w.UNIFONIC_TOKEN}
    return office.http.request(method, concrete(path), headers=headers, params=params, **kwargs)


def signed_path(office: Office, path: str) -> bool:
    return any(signed(route) for p, _m, route in routes(office.app) if p == path)


def test_the_walk_finds_every_kind_of_route(office: Office) -> None:
    paths = {path for path, _method, _route in routes(office.app)}
    assert {"/v1/push", "/v1/pull", "/v1/enroll", "/s/{token}", "/l/{token}", "/v1/webhooks/whatsapp"} <= paths
    assert "/v1/admin/exceptions" in paths and "/openapi.json" in paths
    assert {p for p, _m, r in routes(office.app) if signed(r)} == {
        "/v1/push",
        "/v1/pull",
        "/v1/snapshot",
        "/v1/authorize",
        "/v1/release",
        "/v1/exceptions",
        "/v1/analytics/figures",
    }


def test_every_route_refuses_a_declared_body_past_its_limit(office: Office) -> None:
    wrong = []
    for path, method, _route in routes(office.app):
        limit = limit_of(path, method)
        answer = send(office, method, path, content=b"x" * (limit + 1))
        if answer.status_code != 413:
            wrong.append(f"{method} {path}: {answer.status_code}")
    assert wrong == []


# Administrators' commands whose options are in the query: they never read what is sent, and answer as they
# would without it (a declared body past the limit is still refused, above).
TAKE_NO_BODY = {"/v1/admin/retention", "/v1/admin/analytics/recompute"}


def test_every_route_that_reads_a_body_stops_a_chunked_one_at_its_limit(office: Office) -> None:
    takes = {p for p, _m, r in routes(office.app) if p in TAKE_NO_BODY and getattr(r, "body_field", None) is not None}
    assert takes == set(), "these take a body now: drop them from TAKE_NO_BODY"
    wrong = []
    for path, method, route in routes(office.app):
        limit = limit_of(path, method)
        body = b"x" * (limit * 3)
        branch = office.branch() if signed(route) else None

        def chunks(data: bytes = body) -> Iterator[bytes]:  # no Content-Length: head office counts as it reads
            for start in range(0, len(data), 1000):
                yield data[start : start + 1000]

        headers = reading_headers(office, path, method, body, branch)
        answer = send(office, method, path, content=chunks(), headers=headers)
        reads = (method in ("POST", "PUT") and path not in TAKE_NO_BODY) or signed(route)
        if answer.status_code >= 500 or (reads and answer.status_code != 413):
            wrong.append(f"{method} {path}: {answer.status_code} {answer.text[:80]}")
    assert wrong == []


def test_every_route_limits_each_client_address(office: Office) -> None:
    wrong = []
    for path, method, _route in routes(office.app):
        address = fresh_address()
        answers = [send(office, method, path, headers={"X-Forwarded-For": address}) for _ in range(4)]
        last = answers[-1]
        if any(a.status_code >= 500 for a in answers):
            wrong.append(f"{method} {path}: {[a.status_code for a in answers]}")
        elif last.status_code != 429 or int(last.headers.get("Retry-After", "0")) < 1:
            wrong.append(f"{method} {path}: the 4th answer was {last.status_code}")
        elif send(office, method, path).status_code == 429:  # another address is not held back
            wrong.append(f"{method} {path}: another address was refused too")
    assert wrong == []


def test_every_signed_route_limits_each_branch(office: Office) -> None:
    wrong = []
    for path, method, route in routes(office.app):
        if not signed(route):
            continue
        branch = office.branch()
        answers = []
        for _ in range(3):  # each from an address of its own: only the branch's bucket can refuse
            answers.append(
                send(office, method, path, content=b"{}", headers=reading_headers(office, path, method, b"{}", branch))
            )
        last = answers[-1]
        if any(a.status_code >= 500 for a in answers) or last.status_code != 429:
            wrong.append(f"{method} {path}: {[a.status_code for a in answers]}")
        elif "branch" not in last.json()["detail"] or int(last.headers["Retry-After"]) < 1:
            wrong.append(f"{method} {path}: {last.json()} {dict(last.headers)}")
    assert wrong == []


def test_forwarded_addresses_count_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    """Without a trusted proxy, X-Forwarded-For is the client's to write and is ignored; with one, the nearest
    address the proxy did not vouch for is the client, whatever the client itself put before it."""
    store = HeadOfficeStore(f"sqlite:///{tmp_path / 'ho.sqlite'}")
    for trusted, expect_spoof_refused in (((), True), (("127.0.0.0/8", "10.0.0.1"), False)):
        limits = RequestLimits(address_rate=0.001, address_burst=2, trusted_proxies=trusted)
        server = ServerThread(store, limits=limits, webhooks=w.secrets()).start()
        try:
            with httpx.Client(base_url=server.url) as http:

                def health(forwarded: str) -> int:
                    return http.get("/v1/health", headers={"X-Forwarded-For": forwarded}).status_code

                assert [health("198.51.100.1"), health("198.51.100.2")] == [200, 200]
                # A third "client" through the same socket peer: the same address unless the proxy is trusted.
                assert (health("198.51.100.3") == 429) is expect_spoof_refused
                if not expect_spoof_refused:
                    # The client wrote 198.51.100.1 itself; the proxies (10.0.0.1, then 127.0.0.1 at the socket)
                    # name 198.51.100.9 as who connected to them: that is the address limited.
                    assert health("198.51.100.1, 198.51.100.9, 10.0.0.1") == 200
                    # The spoof took nothing from 198.51.100.1's bucket: one more request, then 429.
                    assert [health("198.51.100.1"), health("198.51.100.1")] == [200, 429]
                    assert health("not-an-address") == 200  # the proxy's own address, which has its bucket
        finally:
            server.stop()
    store.close()


def test_the_trusted_proxies_are_an_option_of_the_server() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--db", "sqlite://", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.0/8"])
    assert limits_from(args).trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    assert limits_from(parser.parse_args(["--db", "sqlite://"])).trusted_proxies == ()
