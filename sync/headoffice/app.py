"""Head office's HTTP API (FastAPI). The OpenAPI document is kept in sync/openapi.json; a test compares it
with what the running app serves."""

from __future__ import annotations

import hmac
from typing import Any

import msgspec
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from sync.headoffice.apply import apply_push
from sync.headoffice.store import Forbidden, HeadOfficeError, HeadOfficeStore, Unauthorized, Unprocessable
from sync.protocol import (
    API_VERSION,
    BRANCH_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
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
    SnapshotPage,
    StaffAccount,
    body_digest,
    decode_push,
    signature_of_digest,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Unknown branch or bad signature"},
    403: {"model": Problem, "description": "Not allowed for this branch"},
}


def create_app(store: HeadOfficeStore) -> FastAPI:
    app = FastAPI(
        title="Perfume & Oud head office",
        version=API_VERSION,
        description="Sync for the branch tills: push, pull, snapshot, offline allowances and exceptions.",
    )
    app.state.store = store

    @app.exception_handler(HeadOfficeError)
    async def _refused(_request: Request, exc: HeadOfficeError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    async def branch(
        request: Request,
        x_branch_id: str = Header(alias=BRANCH_HEADER),
        x_signature: str = Header(alias=SIGNATURE_HEADER),
    ) -> str:
        """The signed-in branch: HMAC-SHA256 of method, path and query, and the body's digest."""
        body = await request.body()
        secret = await run_in_threadpool(store.secret_of, x_branch_id)
        if not secret:
            raise Unauthorized("unknown branch")
        raw = request.scope.get("raw_path") or request.url.path.encode()
        query = request.scope.get("query_string") or b""
        target = (raw + (b"?" + query if query else b"")).decode("latin-1")
        digest = body_digest(body)
        expected = signature_of_digest(secret, request.method, target, digest)
        if not hmac.compare_digest(expected, x_signature):
            raise Unauthorized("bad signature")
        request.state.body = body
        request.state.body_hash = digest
        return x_branch_id

    def admin(authorization: str = Header(default="")) -> None:
        token = store.config.admin_token
        if not token:
            raise Forbidden("administration is disabled on this head office")
        if not hmac.compare_digest(authorization, f"Bearer {token}"):
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
        except msgspec.DecodeError as exc:  # a ValidationError is one too
            error = {"type": "value_error", "loc": ("body",), "msg": str(exc), "input": None}
            raise RequestValidationError([error], body=request.state.body) from exc
        if batch.branch_id != branch_id:
            raise Forbidden("a branch can only push as itself")
        return apply_push(store, branch_id, idempotency_key, request.state.body_hash, batch.changes)

    @app.get("/v1/pull", response_model=PullPage, responses=ERRORS, tags=["branch"])
    def pull(
        since: int = Query(ge=0),
        limit: int = Query(default=1000, ge=1, le=10000),
        exceptions_after: int = Query(default=0, ge=0),
        pushed: int | None = Query(default=None, ge=0, description="the branch_seq head office acknowledged"),
        at: str | None = Query(default=None, max_length=36, description="the event id at change_seq `since`"),
        epoch: int | None = Query(default=None, ge=0, description="the head-office epoch `since` belongs to"),
        branch_id: str = Depends(branch),
    ) -> Response:
        page = store.pull_json(branch_id, since, limit, exceptions_after, pushed=pushed, at=at, epoch=epoch)
        return Response(page, media_type="application/json")

    @app.get("/v1/snapshot", response_model=SnapshotPage, responses=ERRORS, tags=["branch"])
    def snapshot(
        entity: str,
        after: str | None = None,
        limit: int = Query(default=2000, ge=1, le=10000),
        branch_id: str = Depends(branch),
    ) -> Response:
        del branch_id
        return Response(store.snapshot_json(entity, after, limit), media_type="application/json")

    @app.post("/v1/authorize", response_model=AuthorizeResult, responses=ERRORS, tags=["branch"])
    def authorize(request: AuthorizeRequest, branch_id: str = Depends(branch)) -> AuthorizeResult:
        """Confirms a gift-card or points decrease against the chain's ledger and holds the amount."""
        return store.authorize(branch_id, request)

    @app.get("/v1/exceptions", response_model=list[ExceptionRecord], responses=ERRORS, tags=["branch"])
    def branch_exceptions(
        after: int = Query(default=0, ge=0), branch_id: str = Depends(branch)
    ) -> list[ExceptionRecord]:
        """Overspends found at sync and corrected clock stamps of this branch's events."""
        return store.exceptions(branch_id, after)

    @app.post("/v1/admin/enrollment-codes", response_model=EnrollmentCode, responses=ERRORS, tags=["admin"])
    def issue_code(request: EnrollmentCodeRequest, _admin: None = Depends(admin)) -> EnrollmentCode:
        return store.issue_code(request.branch_id, request.branch, request.code)

    @app.put(
        "/v1/admin/branches/{branch_id}/allowances", response_model=AllowanceUpdate, responses=ERRORS, tags=["admin"]
    )
    def grant(branch_id: str, request: AllowanceUpdate, _admin: None = Depends(admin)) -> AllowanceUpdate:
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
    def all_exceptions(after: int = Query(default=0, ge=0), _admin: None = Depends(admin)) -> list[ExceptionRecord]:
        """Every branch's overspends: the chain's exposure from offline redemptions."""
        return store.exceptions(None, after)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            _refs, components = msgspec.json.schema_components([PushBatch], ref_template="#/components/schemas/{name}")
            schemas.update(components)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


PUSH_BODY = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushBatch"}}}, "required": True}
