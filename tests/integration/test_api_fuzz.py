"""A property test over head office's API, generated from its OpenAPI document (schemathesis): whatever is sent,
inside the schema or outside it, head office answers below 500. Branch requests are signed for real, so that
generated bodies and parameters reach the handlers rather than stop at the signature; admin requests carry the
token. Examples are bounded (``FUZZ_EXAMPLES`` per operation) to keep the run under a minute in CI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from sync.client import enroll
from sync.headoffice.app import create_app
from sync.headoffice.guard import RequestLimits
from sync.headoffice.openapi_doc import DOCUMENT
from sync.headoffice.store import HeadOfficeConfig, HeadOfficeStore
from sync.protocol import (
    BRANCH_HEADER,
    DIGEST_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    body_digest,
    new_nonce,
    signature,
)
from tests.faults.support import ServerThread

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
UNSIGNED = ("/v1/health", "/v1/enroll", "/v1/admin/", "/openapi.json", "/docs")
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))


class Signer(requests.auth.AuthBase):
    """Signs a branch request as the branch's client does (sync.protocol.SIGNING), over the bytes sent."""

    def __init__(self, branch_id: str, secret: str, now: Callable[[], datetime]) -> None:
        self.branch_id = branch_id
        self.secret = secret
        self.now = now  # head office's clock: the signature is fresh by its reckoning, whatever the date

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        target = request.path_url
        if target.startswith("/v1/admin/"):
            request.headers["Authorization"] = "Bearer letmein"
        if target.startswith(UNSIGNED):
            return request
        body = request.body or b""
        raw = body.encode() if isinstance(body, str) else body
        timestamp, nonce, digest = str(int(self.now().timestamp())), new_nonce(), body_digest(raw)
        request.headers[BRANCH_HEADER] = self.branch_id
        request.headers[TIMESTAMP_HEADER] = timestamp
        request.headers[NONCE_HEADER] = nonce
        request.headers[DIGEST_HEADER] = digest
        request.headers[SIGNATURE_HEADER] = signature(
            self.secret, request.method or "GET", target, timestamp, nonce, digest
        )
        return request


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, requests.Session]]:
    path = tmp_path_factory.mktemp("fuzz") / "ho.sqlite"
    store = HeadOfficeStore(f"sqlite:///{path}", HeadOfficeConfig(admin_token="letmein"))
    server = ServerThread(store)
    # Generous rates: the fuzzer is one busy address; the limits have their own tests.
    server.server.config.app = create_app(store, RequestLimits(branch_rate=1e4, branch_burst=1e5, address_rate=1e4))
    server.start()
    branch = enroll(server.url, store.issue_code().code, None)
    session = requests.Session()
    session.auth = Signer(branch.branch_id, branch.secret, store.now)
    yield server.url, session
    session.close()
    server.stop()
    store.close()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_head_office_never_answers_5xx(case: Any, office: tuple[str, requests.Session]) -> None:
    url, session = office
    response = case.call(base_url=url, session=session)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
    )
