"""Head office's HTTP API (FastAPI). The OpenAPI document is kept in sync/openapi.json; a test compares it
with what the running app serves.

Every byte a branch sends is hostile until proven otherwise: a signed request is authenticated from its headers
(sync.protocol.SIGNING) before its body is read, bodies are bounded (413), each branch and each address is
rate-limited (429), and what would fail deep inside (bytes that are not UTF-8, nesting, numbers no SQL column
holds, a malformed cursor) is refused at the door with a 4xx that names it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
import pydantic
from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from sync.headoffice import crypto
from sync.headoffice.analytics import MAX_PAGE, ChainRecompute, FiguresPage, RecomputeStatus, status_of
from sync.headoffice.apply import apply_push
from sync.headoffice.erasure import mount_erasures
from sync.headoffice.guard import BodyLimit, Nonces, RequestLimits, TokenBuckets, retry_after
from sync.headoffice.integrity import audit_refusal
from sync.headoffice.links import mount_links, preview_agents_from
from sync.headoffice.retention import mount_retention
from sync.headoffice.store import BadBatch, Forbidden, HeadOfficeError, HeadOfficeStore, Unauthorized, Unprocessable
from sync.headoffice.surveys import mount_surveys
from sync.headoffice.webhooks import DOCUMENTED, WebhookSecrets, mount
from sync.protocol import (
    API_VERSION,
    AUTH_PROBLEM_HEADER,
    BRANCH_HEADER,
    DIGEST_HEADER,
    IDEMPOTENCY_HEADER,
    MAX_INT,
    NONCE_HEADER,
    SERVER_TIME_HEADER,
    SIGNATURE_HEADER,
    SIGNING,
    TIMESTAMP_HEADER,
    AllowanceUpdate,
    AuthorizeRequest,
    AuthorizeResult,
    BranchRecord,
    EnrollmentCode,
    EnrollmentCodeRequest,
    EnrollRequest,
    EnrollResult,
    ExceptionRecord,
    Health,
    Problem,
    PullPage,
    PushBatch,
    PushResult,
    ReleaseRequest,
    ReleaseResult,
    SnapshotPage,
    StaffAccount,
    decode_push,
    signature,
)

log = logging.getLogger(__name__)

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Unknown branch, bad signature, stale timestamp or replayed nonce"},
    403: {"model": Problem, "description": "Not allowed for this branch"},
    413: {"model": Problem, "description": "The body is larger than head office accepts"},
    429: {"model": Problem, "description": "Too many requests: try again after Retry-After seconds"},
}
SEQ_CURSOR = re.compile(r"seq:[0-9]{1,18}")
ENTITY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def create_app(
    store: HeadOfficeStore,
    limits: RequestLimits | None = None,
    webhooks: WebhookSecrets | None = None,
    link_previews: Sequence[str] | None = None,
) -> FastAPI:
    """``webhooks``: the providers' webhook secrets (default: from the environment, then the OS keyring);
    ``link_previews``: the User-Agent patterns of link previews, not counted as clicks (default: from the
    environment, sync.headoffice.links.preview_agents_from)."""
    limits = limits or RequestLimits()
    app = FastAPI(
        title="Perfume & Oud head office",
        version=API_VERSION,
        description=(
            "Sync for the branch tills: push, pull, snapshot, offline allowances and exceptions; the messaging "
            "providers' webhooks (sync/headoffice/webhooks.py).\n\n" + SIGNING
        ),
    )
    app.state.store = store
    app.add_middleware(
        BodyLimit,
        limits=limits,
        buckets=TokenBuckets(limits.address_rate, limits.address_burst, limits.max_tracked),
    )
    branch_buckets = TokenBuckets(limits.branch_rate, limits.branch_burst, limits.max_tracked)
    nonces = Nonces(limits.max_tracked, clock=lambda: store.now().timestamp())

    @app.exception_handler(HeadOfficeError)
    async def _refused(_request: Request, exc: HeadOfficeError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer echoes each bad input back, and cannot: bytes that are not UTF-8, 1e400.
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")} for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(Exception)
    async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
        # Every refusal has its own 4xx at its source; this is for what nobody foresaw. The traceback goes
        # to the log under an incident id, never to the branch.
        incident = uuid.uuid4().hex[:12]
        log.error("incident %s: %s %s failed", incident, request.method, request.url.path, exc_info=exc)
        return JSONResponse(
            {"detail": f"head office could not handle this request (incident {incident}); try again later"},
            status_code=503,
        )

    async def branch(
        request: Request,
        x_branch_id: str = Header(alias=BRANCH_HEADER, min_length=1, max_length=100),
        x_timestamp: str = Header(alias=TIMESTAMP_HEADER, pattern=r"^[0-9]{1,12}$"),
        x_nonce: str = Header(alias=NONCE_HEADER, pattern=r"^[A-Za-z0-9_-]{16,64}$"),
        x_content_sha256: str = Header(alias=DIGEST_HEADER, pattern=r"^[0-9a-f]{64}$"),
        x_signature: str = Header(alias=SIGNATURE_HEADER, pattern=r"^[0-9a-f]{64}$"),
    ) -> str:
        """The signed-in branch (sync.protocol.SIGNING), from the headers alone; then the body, bounded."""
        now = store.now().timestamp()
        signed_at = int(x_timestamp)
        if abs(now - signed_at) > limits.max_clock_skew_s:
            raise HTTPException(
                401,
                f"stale timestamp: signed {signed_at - now:+.0f} s from head office's clock "
                f"(at most {limits.max_clock_skew_s:.0f} s either way)",
                headers={AUTH_PROBLEM_HEADER: "stale", SERVER_TIME_HEADER: str(int(now))},
            )
        secret = await run_in_threadpool(store.secret_of, x_branch_id)
        if not secret:
            raise Unauthorized("unknown branch")
        raw = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string") or b""
        target = (raw + (b"?" + query if query else b"")).decode("latin-1")
        expected = signature(secret, request.method, target, x_timestamp, x_nonce, x_content_sha256)
        if not hmac.compare_digest(expected, x_signature):
            raise Unauthorized("bad signature")
        wait = branch_buckets.take(x_branch_id)
        if wait:
            raise HTTPException(429, "too many requests from this branch", headers=retry_after(wait))
        first = nonces.first_use(x_branch_id, x_nonce, signed_at + limits.max_clock_skew_s)
        if first is None:
            raise HTTPException(429, "head office is busy: too many requests in flight", headers=retry_after(1))
        if not first:
            raise HTTPException(
                401, "replayed request: this nonce was used already", headers={AUTH_PROBLEM_HEADER: "replayed"}
            )
        # Authenticated: now the body, as it streams in (BodyLimit stops it past the limit), against its digest.
        hasher = hashlib.sha256()
        chunks: list[bytes] = []
        async for chunk in request.stream():
            hasher.update(chunk)
            chunks.append(chunk)
        if not hmac.compare_digest(hasher.hexdigest(), x_content_sha256):
            raise HTTPException(400, f"the body's SHA-256 is not the signed {DIGEST_HEADER}")
        request.state.body = b"".join(chunks)
        request.state.body_hash = x_content_sha256
        return x_branch_id

    def admin(authorization: str = Header(default="", max_length=500)) -> None:
        token = store.config.admin_token
        if not token:
            raise Forbidden("administration is disabled on this head office")
        if not hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
            raise Unauthorized("bad administrator token")

    @app.get("/v1/health", response_model=Health, tags=["branch"])
    def health() -> Health:
        return Health(status="ok", server_time=store.now())

    @app.post("/v1/enroll", response_model=EnrollResult, responses=ERRORS, tags=["branch"])
    def enroll(request: EnrollRequest) -> EnrollResult:
        """Exchanges a one-time enrolment code for the branch id and its secret."""
        return store.enroll(request)

    @app.post(
        "/v1/push",
        response_model=PushResult,
        responses={**ERRORS, 409: {"model": Problem, "description": "Idempotency-Key reused with another body"}},
        tags=["branch"],
        openapi_extra={"requestBody": PUSH_BODY},
    )
    def push(
        request: Request,
        branch_id: str = Depends(branch),
        idempotency_key: str = Header(alias=IDEMPOTENCY_HEADER, min_length=1, max_length=200),
    ) -> PushResult:
        """Applies a batch of the branch's change log in one transaction (see sync/protocol.py)."""
        # The body is decoded from its bytes (already read to check the signature) against PushBatch.
        try:
            batch = decode_push(request.state.body)
        except msgspec.DecodeError as exc:  # a ValidationError is one too, and so is protocol.Unacceptable
            # An authenticated branch sent it: kept with the refusals apply makes, for whoever looks into a till.
            audit_refusal(store, branch_id, BadBatch(str(exc)))
            error = {"type": "value_error", "loc": ("body",), "msg": str(exc), "input": None}
            raise RequestValidationError([error], body=request.state.body) from exc
        if batch.branch_id != branch_id:
            raise Forbidden("a branch can only push as itself")
        return apply_push(store, branch_id, idempotency_key, request.state.body_hash, batch.changes)

    @app.get("/v1/pull", response_model=PullPage, responses=ERRORS, tags=["branch"])
    def pull(
        since: int = Query(ge=0, le=MAX_INT),
        limit: int = Query(default=1000, ge=1, le=10000),
        exceptions_after: int = Query(default=0, ge=0, le=MAX_INT),
        pushed: int | None = Query(
            default=None, ge=0, le=MAX_INT, description="the branch_seq head office acknowledged"
        ),
        at: str | None = Query(default=None, max_length=36, description="the event id at change_seq `since`"),
        epoch: int | None = Query(
            default=None, ge=0, le=MAX_INT, description="the head-office epoch `since` belongs to"
        ),
        branch_id: str = Depends(branch),
    ) -> Response:
        page = store.pull_json(branch_id, since, limit, exceptions_after, pushed=pushed, at=at, epoch=epoch)
        return Response(page, media_type="application/json")

    @app.get("/v1/snapshot", response_model=SnapshotPage, responses=ERRORS, tags=["branch"])
    def snapshot(
        entity: str = Query(max_length=40),
        after: str | None = Query(default=None, max_length=200),
        limit: int = Query(default=2000, ge=1, le=10000),
        branch_id: str = Depends(branch),
    ) -> Response:
        """A page of head office's rows of one entity; ``after`` is the page's ``after`` before it
        (``row:<row id>`` or ``seq:<change_seq>``)."""
        del branch_id
        if not ENTITY.fullmatch(entity):
            raise HTTPException(422, "entity: not an entity name")
        if after is not None and after.startswith("seq:") and not SEQ_CURSOR.fullmatch(after):
            raise HTTPException(422, "after: a seq: cursor is seq: and a change_seq of up to 18 digits")
        return Response(store.snapshot_json(entity, after, limit), media_type="application/json")

    @app.post(
        "/v1/authorize",
        response_model=AuthorizeResult,
        responses=ERRORS,
        tags=["branch"],
        openapi_extra={"requestBody": AUTHORIZE_BODY},
    )
    def authorize(request: Request, branch_id: str = Depends(branch)) -> AuthorizeResult:
        """Confirms a gift-card or points decrease against the chain's ledger and holds the amount."""
        # Read by the signature check, like a push's: FastAPI would read a declared body before any dependency.
        try:
            request.state.body.decode()
            asked = AuthorizeRequest.model_validate_json(request.state.body)
        except UnicodeDecodeError as exc:
            raise HTTPException(422, f"the body is not UTF-8 (byte {exc.start})") from exc
        except pydantic.ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from exc
        return store.authorize(branch_id, asked)

    @app.post("/v1/release", response_model=ReleaseResult, responses=ERRORS, tags=["branch"])
    def release(request: ReleaseRequest, branch_id: str = Depends(branch)) -> ReleaseResult:
        """Releases holds of this branch whose use case rolled back before writing its event."""
        return store.release(branch_id, request)

    @app.get("/v1/exceptions", response_model=list[ExceptionRecord], responses=ERRORS, tags=["branch"])
    def branch_exceptions(
        after: int = Query(default=0, ge=0, le=MAX_INT), branch_id: str = Depends(branch)
    ) -> list[ExceptionRecord]:
        """Overspends found at sync and corrected clock stamps of this branch's events."""
        return store.exceptions(branch_id, after)

    @app.post("/v1/admin/enrollment-codes", response_model=EnrollmentCode, responses=ERRORS, tags=["admin"])
    def issue_code(request: EnrollmentCodeRequest, _admin: None = Depends(admin)) -> EnrollmentCode:
        return store.issue_code(request.branch_id, request.branch, request.code)

    @app.put(
        "/v1/admin/branches/{branch_id}/allowances", response_model=AllowanceUpdate, responses=ERRORS, tags=["admin"]
    )
    def grant(
        branch_id: Annotated[str, Path(max_length=100)], request: AllowanceUpdate, _admin: None = Depends(admin)
    ) -> AllowanceUpdate:
        return AllowanceUpdate(allowances=store.set_allowances(branch_id, request.allowances))

    @app.put("/v1/admin/branches/{branch_id}", response_model=BranchRecord, responses=ERRORS, tags=["admin"])
    def put_branch(branch_id: str, request: BranchRecord, _admin: None = Depends(admin)) -> BranchRecord:
        """Creates or changes a branch record; every till learns it by pull."""
        if request.id != branch_id:
            raise Unprocessable("the branch id in the path and in the body differ")
        return store.put_branch(request)

    @app.put("/v1/admin/staff/{staff_id}", response_model=StaffAccount, responses=ERRORS, tags=["admin"])
    def put_staff(staff_id: str, request: StaffAccount, _admin: None = Depends(admin)) -> StaffAccount:
        """Creates or changes a staff account (the PIN as its argon2 hash only); every till learns it by pull."""
        if request.id != staff_id:
            raise Unprocessable("the staff id in the path and in the body differ")
        return store.put_staff(request)

    @app.get("/v1/admin/exceptions", response_model=list[ExceptionRecord], responses=ERRORS, tags=["admin"])
    def all_exceptions(
        after: int = Query(default=0, ge=0, le=MAX_INT), _admin: None = Depends(admin)
    ) -> list[ExceptionRecord]:
        """Every branch's overspends: the chain's exposure from offline redemptions."""
        return store.exceptions(None, after)

    crypto.mount(app, store, admin, ERRORS)  # look-up by Emirates ID (blind index)
    mount_erasures(app, store, admin, ERRORS)
    mount_retention(app, store, admin, ERRORS)
    chain = ChainRecompute(store)
    app.state.analytics = chain

    @app.get("/v1/analytics/figures", response_model=FiguresPage, responses=ERRORS, tags=["branch"])
    def analytics_figures(
        after: int = Query(default=0, ge=0, le=1_000_000),
        limit: int = Query(default=MAX_PAGE, ge=1, le=MAX_PAGE),
        branch_id: str = Depends(branch),
    ) -> FiguresPage:
        """The dashboards' figures head office computed for the chain and for the asking branch, a page at a
        time (another branch's are never served)."""
        figures, following = chain.figures.page(branch_id, after, limit)
        return FiguresPage(figures=figures, next=following, computed_at=chain.state.computed_at)

    @app.post(
        "/v1/admin/analytics/recompute",
        response_model=RecomputeStatus,
        status_code=202,
        responses=ERRORS,
        tags=["admin"],
    )
    def analytics_recompute(_admin: None = Depends(admin)) -> RecomputeStatus:
        """Starts a recompute of the chain's figures now (unless one is running); its progress is at
        /v1/admin/analytics/status."""
        chain.start()
        return status_of(chain.state)

    @app.get("/v1/admin/analytics/status", response_model=RecomputeStatus, responses=ERRORS, tags=["admin"])
    def analytics_status(_admin: None = Depends(admin)) -> RecomputeStatus:
        return status_of(chain.state)

    mount(app, store, webhooks if webhooks is not None else WebhookSecrets.load(), max_waiting=limits.webhook_queue)
    mount_links(app, store, limits, preview_agents_from(os.environ) if link_previews is None else link_previews)
    mount_surveys(app, store, limits)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            # The webhooks' POST routes are plain Starlette endpoints: DOCUMENTED describes them.
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=[*app.routes, *DOCUMENTED.routes],
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            _refs, components = msgspec.json.schema_components([PushBatch], ref_template="#/components/schemas/{name}")
            schemas.update(components)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


AUTHORIZE_BODY = {
    "content": {
        "application/json": {"schema": AuthorizeRequest.model_json_schema(ref_template="#/components/schemas/{model}")}
    },
    "required": True,
}
PUSH_BODY = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushBatch"}}}, "required": True}
