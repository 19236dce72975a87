"""The branch's HTTP client for head office (httpx). Every request is signed; failures become SyncFailure
values the worker can put into words (core.offline.allowances.SyncProblem), never a raw socket error."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson

from core.offline.allowances import SyncProblem
from sync.protocol import (
    AUTH_PROBLEM_HEADER,
    BRANCH_HEADER,
    DIGEST_HEADER,
    IDEMPOTENCY_HEADER,
    NONCE_HEADER,
    SERVER_TIME_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AuthorizeRequest,
    AuthorizeResult,
    EnrollRequest,
    EnrollResult,
    Health,
    PullPage,
    PushResult,
    ReleaseRequest,
    ReleaseResult,
    SnapshotPage,
    body_digest,
    new_nonce,
    signature,
)

TIMEOUT = httpx.Timeout(20.0, connect=3.0)
AUTHORIZE_TIMEOUT = httpx.Timeout(2.5, connect=1.0)  # a cashier is waiting; past this the offline rules apply


class SyncFailure(Exception):
    def __init__(self, problem: SyncProblem, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.status = status


def _failure(response: httpx.Response) -> SyncFailure:
    try:
        detail = str(response.json().get("detail", response.text))
    except (ValueError, AttributeError):
        detail = response.text[:300]
    status = response.status_code
    if status in (401, 403):
        return SyncFailure(SyncProblem.CREDENTIALS, detail, status)
    if status == 409:
        return SyncFailure(SyncProblem.CONFLICT, detail, status)
    if status in (400, 413, 422):
        return SyncFailure(SyncProblem.REJECTED, detail, status)
    if status == 429:
        return SyncFailure(SyncProblem.SERVER, f"head office is busy: {detail}", status)
    return SyncFailure(SyncProblem.SERVER, f"HTTP {status}: {detail}", status)


class HeadOfficeClient:
    def __init__(
        self,
        base_url: str,
        branch_id: str,
        secret: str,
        *,
        timeout: httpx.Timeout = TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.branch_id = branch_id
        self._secret = secret
        self.clock_offset_s = 0  # head office's clock minus ours, learnt when it calls a timestamp stale
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Response:
        digest = body_digest(body)
        # A refused timestamp is signed again with head office's clock; a request refused as replayed was
        # duplicated on the way (every request is idempotent) and goes again as a new one.
        for _attempt in range(3):
            request = self._http.build_request(
                method,
                path,
                params=params,
                content=body or None,
                headers=headers,
                timeout=timeout or self._http.timeout,
            )
            target = request.url.raw_path.decode("latin-1")
            timestamp, nonce = str(int(time.time()) + self.clock_offset_s), new_nonce()
            request.headers[BRANCH_HEADER] = self.branch_id
            request.headers[TIMESTAMP_HEADER] = timestamp
            request.headers[NONCE_HEADER] = nonce
            request.headers[DIGEST_HEADER] = digest
            request.headers[SIGNATURE_HEADER] = signature(self._secret, method, target, timestamp, nonce, digest)
            if body:
                request.headers["Content-Type"] = "application/json"
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                raise SyncFailure(SyncProblem.UNREACHABLE, f"{type(exc).__name__}: {exc}") from exc
            problem = response.headers.get(AUTH_PROBLEM_HEADER) if response.status_code == 401 else None
            if problem == "stale" and response.headers.get(SERVER_TIME_HEADER, "").isdigit():
                self.clock_offset_s = int(response.headers[SERVER_TIME_HEADER]) - int(time.time())
            elif problem != "replayed":
                break
        if response.status_code >= 400:
            raise _failure(response)
        return response

    def health(self) -> Health:
        return Health.model_validate_json(self._send("GET", "/v1/health").content)

    def push(self, changes: list[dict[str, Any]], key: str) -> PushResult:
        body = orjson.dumps({"branch_id": self.branch_id, "changes": changes})
        response = self._send("POST", "/v1/push", body=body, headers={IDEMPOTENCY_HEADER: key})
        return PushResult.model_validate_json(response.content)

    def pull(
        self,
        since: int,
        limit: int,
        exceptions_after: int = 0,
        *,
        pushed: int | None = None,
        at: str | None = None,
        epoch: int | None = None,
    ) -> tuple[PullPage, list[dict[str, Any]]]:
        """The page (its changes left out) and its changes as plain dicts: the replica checks each as it
        applies it, and validating thousands of models here first would double the cost of a backlog.
        ``pushed`` (what head office acknowledged), ``at`` (the event at ``since``) and ``epoch`` (the one the
        cursor belongs to) let head office see that it has forgotten something."""
        params: dict[str, Any] = {"since": since, "limit": limit, "exceptions_after": exceptions_after}
        if pushed is not None:
            params["pushed"] = pushed
        if at:
            params["at"] = at
        if epoch is not None:
            params["epoch"] = epoch
        data = orjson.loads(self._send("GET", "/v1/pull", params=params).content)
        changes = data.pop("changes")
        return PullPage.model_validate({**data, "changes": []}), changes

    def snapshot(self, entity: str, after: str | None, limit: int) -> tuple[SnapshotPage, list[dict[str, Any]]]:
        params: dict[str, Any] = {"entity": entity, "limit": limit}
        if after:
            params["after"] = after
        data = orjson.loads(self._send("GET", "/v1/snapshot", params=params).content)
        rows = data.pop("rows")
        return SnapshotPage.model_validate({**data, "rows": []}), rows

    def analytics_figures(self, after: int, limit: int) -> dict[str, Any]:
        """A page of the dashboards' figures head office computed for the chain and this branch (raw JSON: the
        caller validates each figure)."""
        params = {"after": after, "limit": limit}
        data = orjson.loads(self._send("GET", "/v1/analytics/figures", params=params).content)
        return data if isinstance(data, dict) else {}

    def authorize(self, request: AuthorizeRequest) -> AuthorizeResult:
        body = request.model_dump_json().encode()
        response = self._send("POST", "/v1/authorize", body=body, timeout=AUTHORIZE_TIMEOUT)
        return AuthorizeResult.model_validate_json(response.content)

    def release(self, request: ReleaseRequest) -> ReleaseResult:
        body = request.model_dump_json().encode()
        response = self._send("POST", "/v1/release", body=body, timeout=AUTHORIZE_TIMEOUT)
        return ReleaseResult.model_validate_json(response.content)


def enroll(base_url: str, code: str, branch_id: str | None, terminal_id: str = "") -> EnrollResult:
    """Exchanges a one-time code for this branch's id and secret (the only unsigned request)."""
    request = EnrollRequest(code=code, branch_id=branch_id or None, terminal_id=terminal_id)
    try:
        response = httpx.post(
            base_url.rstrip("/") + "/v1/enroll",
            content=request.model_dump_json(),
            timeout=TIMEOUT,
            headers={"Content-Type": "application/json"},
        )
    except httpx.TransportError as exc:
        raise SyncFailure(SyncProblem.UNREACHABLE, f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise _failure(response)
    return EnrollResult.model_validate_json(response.content)
